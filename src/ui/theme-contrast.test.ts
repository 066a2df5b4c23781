/**
 * Every theme colour the stylesheets put on text reads at 4.5:1 (WCAG 1.4.3) on the page and the
 * sections, in the dark theme (the night's) and the light one: a colour made for fills
 * (--danger-strong, under white text) once wrote 「受入不可」 at 2.9:1 on a dark card.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..');
const styles = readFileSync(join(__dirname, 'styles.css'), 'utf8');

function varsOf(block: string): Record<string, string> {
  return Object.fromEntries([...block.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\b/g)].map((m) => [m[1]!, m[2]!.toLowerCase()]));
}
const dark = varsOf(styles.slice(styles.indexOf(':root {'), styles.indexOf('@media (prefers-color-scheme: light)')));
const lightStart = styles.indexOf('@media (prefers-color-scheme: light)');
const light = { ...dark, ...varsOf(styles.slice(lightStart, styles.indexOf('}\n}', lightStart))) };

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
};

function cssFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? cssFiles(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : []));
}

/** Each rule's selector, its text colour variable and its own background variable, if any. */
function textColours(): { where: string; color: string; background: string | null }[] {
  const found: { where: string; color: string; background: string | null }[] = [];
  for (const file of cssFiles(SRC)) {
    const css = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
    for (const rule of css.matchAll(/([^{}]+)\{([^{}]*)\}/g)) {
      const body = rule[2]!;
      const color = /(?:^|[;\s])color:\s*var\(--([\w-]+)\)/.exec(body)?.[1];
      if (color === undefined) continue;
      const background = /background(?:-color)?:\s*var\(--([\w-]+)\)/.exec(body)?.[1] ?? null;
      found.push({ where: `${file.slice(SRC.length + 1)}: ${rule[1]!.trim()}`, color, background });
    }
  }
  return found;
}

describe('theme colours on text', () => {
  it('found the rules to check', () => {
    expect(textColours().length).toBeGreaterThan(20);
    expect(Object.keys(dark)).toEqual(expect.arrayContaining(['bg', 'surface', 'surface-2', 'danger', 'danger-strong']));
  });

  for (const [theme, vars] of [['dark', dark], ['light', light]] as const) {
    // A chosen caller or category has the accent's edge: a focus ring of the same yellow beside it
    // said "chosen" of the field merely reached with Tab.
    it(`draws the focus ring in a colour of its own, not the accent that marks a choice, at 3:1 on the page and the sections in the ${theme} theme`, () => {
      expect(vars.focus).toBeDefined();
      expect(vars.focus).not.toBe(vars.accent);
      for (const ground of ['bg', 'surface', 'surface-2']) {
        expect(contrast(vars.focus!, vars[ground]!), `--focus on --${ground}`).toBeGreaterThanOrEqual(3);
      }
    });

    it(`read at 4.5:1 on the page and the sections in the ${theme} theme`, () => {
      const failing: string[] = [];
      for (const { where, color, background } of textColours()) {
        const fg = vars[color];
        if (fg === undefined) continue; // a colour the rule's own scope sets (the paper's)
        const grounds = background !== null && vars[background] !== undefined ? [background] : ['bg', 'surface', 'surface-2'];
        for (const ground of grounds) {
          const ratio = contrast(fg, vars[ground]!);
          if (ratio < 4.5) failing.push(`${where}: --${color} on --${ground} ${ratio.toFixed(2)}:1`);
        }
      }
      expect(failing).toEqual([]);
    });
  }
});
