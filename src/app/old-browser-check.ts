/**
 * Whether this browser can run the app at all, checked by the entry (main.tsx) before the app's
 * code is loaded, and said in plain DOM when it cannot. The app's own modules use syntax an old
 * browser cannot even parse (a regular expression's lookbehind, Safari 16.4), so a check inside
 * them never ran there: the import failed, and the page said to check the connection, forever.
 * Kept tiny and free of imports: it is part of the first download.
 */

/** The words of the screen, shared with the React screen (old-browser.tsx, text.ts). */
export const OLD_BROWSER_TEXT = {
  title: 'このブラウザーでは使えません',
  why: '拠点ナビは、対応記録が書き換えられていないことを確かめるため、記録をハッシュでつないで残します。このブラウザー（または端末のOS）は古いため、その計算に必要な機能がありません。このままでは対応記録を残せません。',
  howTitle: '使えるようにする方法',
  how: [
    'iPhone・iPad：「設定」→「一般」→「ソフトウェアアップデート」で iOS／iPadOS 17 以降にしてください（16.4 以降なら使えますが、拠点サーバーの署名は確かめられません）。',
    'Android：Google Play で Chrome を最新版に更新してください。',
    'パソコン：最新の Chrome、Edge、Firefox または Safari で開いてください。',
  ],
  missing: '足りない機能（管理者向け）：',
} as const;

/** A regular expression's lookbehind (Safari 16.4, Chrome 62): the app's phone and kana rules use it. */
function lookbehindWorks(): boolean {
  try {
    return new RegExp('(?<=a)b').test('ab');
  } catch {
    return false;
  }
}

/**
 * What the browser lacks of what the app cannot run without (empty when it has it all): the case
 * chain's canonical JSON calls String.prototype.isWellFormed (Safari 16.4, Chrome 111).
 */
export function missingFeatures(): string[] {
  const missing: string[] = [];
  if (typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed !== 'function') missing.push('String.prototype.isWellFormed');
  if (!lookbehindWorks()) missing.push('RegExp lookbehind');
  return missing;
}

/** The old-browser screen in plain DOM, in place of `root`'s content (React is what could not load). */
export function showOldBrowser(root: HTMLElement, missing: readonly string[]): void {
  const t = OLD_BROWSER_TEXT;
  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const gate = el('div', undefined, 'gate');
  const main = el('main', undefined, 'gate__main');
  const list = el('ul');
  for (const line of t.how) list.append(el('li', line));
  const missingLine = el('p', `${t.missing} `, 'field__hint');
  missingLine.append(el('code', missing.join('、')));
  main.append(el('h1', t.title, 'gate__title'), el('p', t.why), el('h2', t.howTitle), list, missingLine);
  gate.append(main);
  root.replaceChildren(gate);
  document.title = `${t.title}｜拠点ナビ`;
}
