/**
 * The guide's names for the app's buttons, links, headings and fields, checked against the app.
 *
 * Convention (docs/guide/README.md): a name the app shows is written **「…」**, exactly as the app
 * shows it; 〇〇 stands for a part the app fills in (「〇〇さんの緊急対応を開始」). Plain 「…」 is
 * for anything else (what to type, what a relative said).
 *
 * The app's text is every string the app's source can show: string literals, template literals
 * (their ${…} read as 〇〇) and JSX text, in src/ outside tests, the server and this folder.
 * Comments do not count, so a button renamed in the app leaves the old name nowhere to be found.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

export interface NamedInGuide {
  readonly name: string;
  /** e.g. 'docs/guide/night-call.md:12' */
  readonly where: string;
}

const UI_NAME = /\*\*「([^」*]+)」\*\*/g;

/** Every **「…」** in one guide file, with its line. */
export function namesInGuide(source: string, file: string): NamedInGuide[] {
  const found: NamedInGuide[] = [];
  source.split(/\r?\n/).forEach((line, i) => {
    for (const m of line.matchAll(UI_NAME)) found.push({ name: m[1]!, where: `${file}:${i + 1}` });
  });
  return found;
}

/** The texts one source file can show; template substitutions become 〇〇. */
export function textsOfSource(code: string, fileName: string): string[] {
  const kind = fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, false, kind);
  const texts: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) texts.push(node.text);
    else if (ts.isTemplateExpression(node)) texts.push(node.head.text + node.templateSpans.map((s) => `〇〇${s.literal.text}`).join(''));
    else if (ts.isJsxText(node)) texts.push(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter((t) => t !== '');
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!['server', 'guide'].includes(entry.name)) out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

/** Every text the app (src/) can show. */
export function appTexts(srcDir: string): Set<string> {
  const texts = new Set<string>();
  for (const path of sourceFiles(srcDir)) for (const t of textsOfSource(readFileSync(path, 'utf8'), path)) texts.add(t);
  return texts;
}

/**
 * Whether the app shows `name`: some text of the app is exactly it. Not "contains": 「保存」 would
 * then be found in 「保存しました。」 long after the button was renamed.
 */
export function appShows(name: string, texts: ReadonlySet<string>): boolean {
  return texts.has(name);
}

/** The names in the guide the app does not show, each with its file and line. */
export function missingNames(guideDir: string, repoRoot: string, texts: ReadonlySet<string>): NamedInGuide[] {
  const missing: NamedInGuide[] = [];
  for (const name of readdirSync(guideDir).filter((n) => n.endsWith('.md')).sort()) {
    const path = join(guideDir, name);
    for (const named of namesInGuide(readFileSync(path, 'utf8'), relative(repoRoot, path))) {
      if (!appShows(named.name, texts)) missing.push(named);
    }
  }
  return missing;
}
