// @vitest-environment node
/**
 * Issue 17: the guide (docs/guide) against the app. Every button, link, heading and field the
 * guide names **「…」** must be a text the app shows; a rename in the app fails here with the guide
 * file and line. The pages named in GUIDE_PAGES exist and build, every picture and link they use
 * exists, and the claims page quotes every reason the claim rules can show.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_REASONS } from '../domain/claim-rules';
import { buildGuide, GUIDE_DIR } from './build';
import { GUIDE_PAGES } from './pages';
import { appTexts, missingNames, namesInGuide, textsOfSource } from './ui-names';

const ROOT = resolve(import.meta.dirname, '../..');
const texts = appTexts(join(ROOT, 'src'));
const read = (file: string) => readFileSync(join(GUIDE_DIR, file), 'utf8');
const guideFiles = readdirSync(GUIDE_DIR).filter((n) => n.endsWith('.md'));

describe('the guide names only what the app shows', () => {
  it('finds every **「…」** of docs/guide among the texts of the app (file:line of each that is not)', () => {
    const named = guideFiles.flatMap((f) => namesInGuide(read(f), f));
    // the check means something only if the guide names many things
    expect(named.length).toBeGreaterThan(100);
    const missing = missingNames(GUIDE_DIR, ROOT, texts).map((m) => `${m.where}: 「${m.name}」 is not a text of the app (src/); rename it in the guide as the app now says it`);
    expect(missing, 'names in the guide the app does not show').toEqual([]);
  });

  it('fails, naming the guide file and line, when a button is renamed in the app', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guide-names-'));
    writeFileSync(join(dir, 'night.md'), '# 夜間\n\n1. **「〇〇さんの緊急対応を開始」** を押す\n2. **「記録を開始」** を押す\n');
    const before = new Set(textsOfSource("const T = { start: (n: string) => `${n}さんの緊急対応を開始`, save: '記録を開始' };", 'text.ts'));
    expect(missingNames(dir, dir, before)).toEqual([]);
    // 記録を開始 renamed; the old name survives only in a comment, which does not count
    const after = new Set(textsOfSource("// was '記録を開始'\nconst T = { start: (n: string) => `${n}さんの緊急対応を開始`, save: '対応を記録' };", 'text.ts'));
    expect(missingNames(dir, dir, after)).toEqual([{ name: '記録を開始', where: 'night.md:4' }]);
  });

  it('reads JSX text and ignores test files and comments', () => {
    expect(textsOfSource('/* 幽霊 */ export const A = () => <h2>  連絡・調整 </h2>;', 'a.tsx')).toEqual(['連絡・調整']);
    expect(texts.has('使い方')).toBe(true);
  });
});

describe('the guide pages', () => {
  it('has every page the app links to, and each builds to a page with its title and no inline script or style', () => {
    const files = buildGuide();
    for (const { file, title } of Object.values(GUIDE_PAGES)) {
      expect(read(file).split('\n')[0], file).toBe(`# ${title}`);
    }
    const html = files.filter((f) => f.fileName.endsWith('.html'));
    expect(html.map((f) => f.fileName).sort()).toContain('guide/night-call.html');
    for (const f of html) {
      const source = String(f.source);
      expect(source, f.fileName).not.toMatch(/<script(?![^>]*\ssrc=)/);
      expect(source, f.fileName).not.toMatch(/\sstyle=|<style/);
    }
  });

  it('uses only pictures that exist and links only to pages that exist', () => {
    const problems: string[] = [];
    for (const f of guideFiles) {
      read(f)
        .split('\n')
        .forEach((line, i) => {
          for (const m of line.matchAll(/!?\[[^\]]*\]\(([^)#\s]+)/g)) {
            const target = m[1]!;
            if (/^https?:/.test(target)) continue;
            // written beside the app by the build (vite.config.ts build.license; the install e2e fetches it)
            if (target === '../licenses.txt') continue;
            const exists = target.endsWith('.html') ? target === 'print-coordinator.html' : readdirSync(join(GUIDE_DIR, target.includes('/') ? target.split('/')[0]! : '.')).includes(target.split('/').pop()!);
            if (!exists) problems.push(`docs/guide/${f}:${i + 1}: ${target}`);
          }
        });
    }
    expect(problems).toEqual([]);
  });

  it('says 年次の報告 is 準備中 exactly while the app has no yearly report to show', () => {
    // When the yearly report (issue 15) arrives, its screen's texts say 年次 … 報告 / 実績報告: this
    // fails until the page describes the screen instead of announcing it.
    const appHasReport = [...texts].some((t) => /年次.{0,6}報告|実績報告/.test(t));
    const page = read(GUIDE_PAGES.yearly.file);
    expect(page.includes('この機能は準備中です'), 'docs/guide/yearly-report.md says 「この機能は準備中です」').toBe(!appHasReport);
  });

  it('quotes on the claims page every reason the claim rules can show', () => {
    const page = read(GUIDE_PAGES.claims.file);
    const flat = (v: unknown): string[] => (typeof v === 'string' ? [v] : typeof v === 'object' && v ? Object.values(v).flatMap(flat) : []);
    const reasons = [
      ...flat(CLAIM_REASONS),
      CLAIM_REASONS.notAdmitted('入院'),
      CLAIM_REASONS.outsideHub('2026-03-31', [{ from: '2026-04-01', to: null, note: '' }]),
      CLAIM_REASONS.inHub({ from: '2026-04-01', to: null, note: '' }),
      CLAIM_REASONS.enrolmentUnknown('settlement'),
      CLAIM_REASONS.enrolmentUnknown('independentLiving'),
      CLAIM_REASONS.overCap(5),
    ];
    expect(reasons.length).toBeGreaterThan(15);
    expect(reasons.filter((r) => !page.includes(r))).toEqual([]);
  });
});
