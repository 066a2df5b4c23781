/**
 * The small Markdown the guide (docs/guide/*.md) is written in, rendered to HTML at build time.
 * No Markdown library is installed and the guide needs little, so this renders only what the guide
 * uses: headings (#, ##, ###), paragraphs, flat lists (- and 1.), blockquotes, pipe tables, a
 * picture alone on its line, and inline **strong**, `code` and [links](x.md). Everything else is
 * text. All text is escaped; nothing from the source reaches the page as HTML.
 *
 * Pure (no node:fs): the same code serves the build step and the tests.
 */

export interface RenderOptions {
  /** the picture's size in CSS pixels, for width/height attributes (the page does not jump as it loads) */
  readonly imageSize?: (src: string) => { width: number; height: number } | null;
}

export interface RenderedPage {
  /** the first level-1 heading's text */
  readonly title: string;
  readonly html: string;
}

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** `x.md` → `x.html`, `README.md` → `index.html`; other links are kept (#anchors, https://). */
export function guideHref(href: string): string {
  const m = /^([\w-]+)\.md(#.*)?$/.exec(href);
  if (!m) return href;
  return `${m[1] === 'README' ? 'index' : m[1]}.html${m[2] ?? ''}`;
}

/** Inline markup: **strong** (a UI name 「…」 inside gets class "ui"), `code`, [text](href). */
export function renderInline(text: string): string {
  let out = '';
  const pattern = /\*\*(.+?)\*\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out += escapeHtml(text.slice(last, m.index));
    if (m[1] !== undefined) {
      const cls = /^「[^」]+」$/.test(m[1]) ? ' class="ui"' : '';
      out += `<strong${cls}>${renderInline(m[1])}</strong>`;
    } else if (m[2] !== undefined) {
      out += `<code>${escapeHtml(m[2])}</code>`;
    } else {
      const href = guideHref(m[4]!);
      if (/^(javascript|data|vbscript):/i.test(href)) throw new Error(`a link to ${href} is not allowed in the guide`);
      out += `<a href="${escapeHtml(href)}">${renderInline(m[3]!)}</a>`;
    }
    last = m.index + m[0].length;
  }
  return tightenJapanese(out + escapeHtml(text.slice(last)));
}

const CJK = '[\\u3000-\\u30ff\\u3400-\\u9fff\\uff00-\\uffef]';
const SPACE_BEFORE_STRONG = new RegExp(`(${CJK}) (<strong)`, 'g');
const SPACE_AFTER_STRONG = new RegExp(`(</strong>) (${CJK})`, 'g');

/**
 * The source keeps a space around **…** next to Japanese text (GitHub's Markdown needs it to see
 * the bold); on the page a space inside a Japanese sentence would show, so it goes.
 */
function tightenJapanese(html: string): string {
  return html.replace(SPACE_BEFORE_STRONG, '$1$2').replace(SPACE_AFTER_STRONG, '$1$2');
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; lines: string[] }
  | { kind: 'table'; rows: string[][] }
  | { kind: 'image'; alt: string; src: string };

const cells = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

function parseBlocks(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '' || /^<!--.*-->$/.test(line.trim())) {
      i++;
      continue;
    }
    const heading = /^(#{1,3})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]!.length, text: heading[2]!.trim() });
      i++;
      continue;
    }
    const image = /^!\[([^\]]*)\]\(([^)\s]+)\)\s*$/.exec(line);
    if (image) {
      blocks.push({ kind: 'image', alt: image[1]!, src: image[2]! });
      i++;
      continue;
    }
    const item = /^(-|\d+\.)\s+(.*)$/.exec(line);
    if (item) {
      const ordered = item[1] !== '-';
      const items: string[] = [];
      while (i < lines.length) {
        const m = /^(-|\d+\.)\s+(.*)$/.exec(lines[i]!);
        if (m && (m[1] !== '-') === ordered) items.push(m[2]!);
        else if (items.length > 0 && /^\s{2,}\S/.test(lines[i]!)) items[items.length - 1] += `\n${lines[i]!.trim()}`;
        else break;
        i++;
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (line.startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.startsWith('>')) quoted.push(lines[i++]!.replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', lines: quoted });
      continue;
    }
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      const rows = [cells(line)];
      i += 2;
      while (i < lines.length && lines[i]!.trim().startsWith('|')) rows.push(cells(lines[i++]!));
      blocks.push({ kind: 'table', rows });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,3}\s|>|(-|\d+\.)\s|!\[)/.test(lines[i]!)) para.push(lines[i++]!.trim());
    blocks.push({ kind: 'paragraph', lines: para });
  }
  return blocks;
}

/** Paragraph lines are joined without a space: the guide is Japanese, where a space would show. */
const joinLines = (lines: readonly string[]) => lines.join('');

export function renderMarkdown(source: string, options: RenderOptions = {}): RenderedPage {
  let title = '';
  const html = parseBlocks(source)
    .map((b) => {
      switch (b.kind) {
        case 'heading':
          if (b.level === 1 && title === '') title = b.text.replace(/\*\*|`/g, '');
          return `<h${b.level}>${renderInline(b.text)}</h${b.level}>`;
        case 'paragraph':
          return `<p>${renderInline(joinLines(b.lines))}</p>`;
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          // an item's indented continuation lines start a new line within the item
          return `<${tag}>${b.items.map((it) => `<li>${it.split('\n').map(renderInline).join('<br>')}</li>`).join('')}</${tag}>`;
        }
        case 'quote':
          return `<aside class="note">${renderInline(joinLines(b.lines))}</aside>`;
        case 'table': {
          const [head, ...body] = b.rows;
          const th = head!.map((c) => `<th scope="col">${renderInline(c)}</th>`).join('');
          const tr = body.map((r) => `<tr>${r.map((c) => `<td>${renderInline(c)}</td>`).join('')}</tr>`).join('');
          return `<table><thead><tr>${th}</tr></thead><tbody>${tr}</tbody></table>`;
        }
        case 'image': {
          const size = options.imageSize?.(b.src);
          const dims = size ? ` width="${size.width}" height="${size.height}"` : '';
          const alt = escapeHtml(b.alt);
          return `<figure class="shot"><img src="${escapeHtml(b.src)}" alt="${alt}"${dims} loading="lazy"><figcaption>${alt}</figcaption></figure>`;
        }
      }
    })
    .join('\n');
  return { title, html };
}
