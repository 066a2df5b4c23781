/**
 * Builds the guide the app serves at /guide/: each docs/guide/*.md as a static HTML page (no
 * script but print.js, no inline style: the app's CSP applies), the screenshots, one stylesheet,
 * and the coordinator's pages together for printing on A4. Node only (reads the files).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderMarkdown } from './markdown';
import { COORDINATOR_PRINT, COORDINATOR_PRINT_FILE, COORDINATOR_PRINT_TITLE, GUIDE_PAGES, guideUrl, type GuidePage } from './pages';

export const GUIDE_DIR = resolve(import.meta.dirname, '../../docs/guide');

export interface GuideFile {
  /** path under dist/, e.g. 'guide/night-call.html' */
  readonly fileName: string;
  readonly source: string | Uint8Array;
}

/** Width and height of a PNG, from its IHDR chunk (the screenshots are taken at 1 CSS pixel per pixel). */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

const STYLE = readFileSync(join(import.meta.dirname, 'guide.css'), 'utf8');
const PRINT_SCRIPT = readFileSync(join(import.meta.dirname, 'print.js'), 'utf8');

function page(title: string, body: string, options: { printable: boolean }): string {
  const print = options.printable ? '<button type="button" class="print-button" data-print>印刷する（A4）</button>' : '';
  return `<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="dark light">
<meta name="referrer" content="no-referrer">
<title>${title}｜拠点ナビ 利用の手引き</title>
<link rel="stylesheet" href="guide.css">
<script src="print.js" defer></script>
</head>
<body>
<nav class="guide-nav" aria-label="手引き">
<a href="index.html">手引きの目次</a>
<a href="/">拠点ナビを開く</a>
${print}
</nav>
<main class="guide">
${body}
</main>
</body>
</html>
`;
}

/** Every file of the guide, read from `dir` (docs/guide). Throws if a page named in GUIDE_PAGES is missing. */
export function buildGuide(dir: string = GUIDE_DIR): GuideFile[] {
  const images = new Map<string, Uint8Array>();
  const imageDir = join(dir, 'images');
  // the pictures are taken by test/e2e/guide.test.ts; a fresh checkout before its first run has none
  for (const name of existsSync(imageDir) ? readdirSync(imageDir).filter((n) => n.endsWith('.png')) : []) images.set(`images/${name}`, readFileSync(join(imageDir, name)));
  const imageSize = (src: string) => {
    const bytes = images.get(src);
    return bytes ? pngSize(bytes) : null;
  };
  const rendered = new Map<GuidePage, { title: string; html: string }>();
  const files: GuideFile[] = [];
  for (const [key, { file }] of Object.entries(GUIDE_PAGES) as [GuidePage, { file: string }][]) {
    const r = renderMarkdown(readFileSync(join(dir, file), 'utf8'), { imageSize });
    rendered.set(key, r);
    files.push({ fileName: guideUrl(key).slice(1), source: page(r.title, r.html, { printable: COORDINATOR_PRINT.includes(key) }) });
  }
  const parts = COORDINATOR_PRINT.map((key) => `<section class="guide-part">\n${rendered.get(key)!.html}\n</section>`).join('\n');
  files.push({ fileName: `guide/${COORDINATOR_PRINT_FILE}`, source: page(COORDINATOR_PRINT_TITLE, parts, { printable: true }) });
  files.push({ fileName: 'guide/guide.css', source: STYLE });
  files.push({ fileName: 'guide/print.js', source: PRINT_SCRIPT });
  for (const [src, bytes] of images) files.push({ fileName: `guide/${src}`, source: bytes });
  return files;
}
