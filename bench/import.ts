/**
 * Importing a 1,000-row facility CSV through the real import screen (issue 3), in headless Chromium
 * against the built app, in UTF-8 and Shift_JIS. Each figure is the app's time only, measured with
 * in-page clocks; the moments a person spends tapping are left out:
 *   (a) file chosen (the input's change event) → preview shown: read, decode, parse, validate, and
 *       the 1,000 preview rows laid out;
 *   (b) 「取り込む」 click → the done notice (one encrypted putMany transaction in IndexedDB, the
 *       store updated), plus 「一覧へ戻る」 click → the facility list laid out with every facility.
 * First import: 1,000 new facilities into a fresh vault. Re-import: the same list exported an hour
 * later (newer vacancy reports), so about two thirds of the rows are updated by 事業所番号 and the
 * rest are unchanged; files alternate so every re-import has the same work.
 * Run alone with `BENCH_ONLY=import npm run bench` (add BENCH_SKIP_BUILD=1 after a build).
 */
import type { Page } from 'playwright-core';
import { generateDemoHub } from '../src/domain/demo-data';
import { exportFacilityCsv } from '../src/domain/facility-csv';
import { openBrowser } from '../test/e2e/browser';
import { setUpFirstUser } from '../test/e2e/app-flows';
import { median, ms } from './stats';

const FACILITIES = 1_000;
/** Fresh vaults per encoding; each gets one first import and REIMPORTS re-imports. */
const PROFILES = Number(process.env.BENCH_IMPORT_PROFILES ?? 3);
const REIMPORTS = Number(process.env.BENCH_IMPORT_REIMPORTS ?? 2);

/**
 * In-page clocks, as a string: tsx wraps named functions in a helper the page does not have.
 * Each mark is taken when its element exists, after a forced style and layout, so it means "laid out".
 */
const RECORDER = `(() => {
  const marks = {};
  const waiting = {};
  let expected = 0;
  window.__imp = {
    marks,
    reset(n) { for (const k of Object.keys(marks)) delete marks[k]; expected = n; },
    // Resolves once a mark is taken (page.waitForFunction would need eval, which the app's CSP forbids).
    until(k) { return k in marks ? Promise.resolve() : new Promise((done) => { waiting[k] = done; }); },
  };
  const mark = (k) => { void document.body.offsetHeight; marks[k] = performance.now(); waiting[k]?.(); delete waiting[k]; };
  window.addEventListener('change', (e) => { if (e.target.type === 'file') marks.chosen = e.timeStamp; }, true);
  window.addEventListener('click', (e) => {
    const el = e.target.closest && e.target.closest('button, a');
    const text = el ? el.textContent.trim() : '';
    if (text === '取り込む') marks.importClick = e.timeStamp;
    if (text === '一覧へ戻る') marks.backClick = e.timeStamp;
  }, true);
  // The import's one read-write IndexedDB transaction over the records: when it opens and commits.
  const transaction = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (stores, mode, ...rest) {
    const tx = transaction.call(this, stores, mode, ...rest);
    const names = typeof stores === 'string' ? [stores] : [...stores];
    if (mode === 'readwrite' && names.includes('records') && marks.importClick !== undefined && marks.txOpen === undefined) {
      marks.txOpen = performance.now();
      tx.addEventListener('complete', () => { marks.txDone = performance.now(); });
    }
    return tx;
  };
  const rows = (label) => document.querySelectorAll('ul[aria-label="' + label + '"] > li').length;
  new MutationObserver(() => {
    if (marks.chosen !== undefined && marks.preview === undefined && rows('CSVを取り込む') === expected
      && [...document.querySelectorAll('[role=status]')].some((p) => p.textContent.startsWith('文字コード'))) mark('preview');
    if (marks.importClick !== undefined && marks.written === undefined
      && [...document.querySelectorAll('[role=status]')].some((p) => p.textContent.includes('件の事業所を取り込みました'))) mark('written');
    if (marks.backClick !== undefined && marks.listed === undefined && rows('短期入所事業所') === expected) mark('listed');
  }).observe(document, { childList: true, subtree: true, characterData: true });
})()`;

interface Round {
  readonly preview: number;
  readonly write: number;
  /** Parts of write: click → transaction opened (sealing, outbox entries), the transaction, commit → notice. */
  readonly seal: number;
  readonly tx: number;
  readonly notice: number;
  readonly list: number;
  readonly summary: string;
}

async function until(page: Page, mark: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Error(`bench: no '${mark}' mark in 120 s`)), 120_000)));
  await Promise.race([page.evaluate(`window.__imp.until('${mark}')`), timeout]).finally(() => clearTimeout(timer));
}

async function importOnce(page: Page, name: string, bytes: Uint8Array): Promise<Round> {
  await page.getByRole('link', { name: 'CSVを取り込む' }).click();
  const input = page.getByLabel('CSVファイル');
  await input.waitFor();
  await page.evaluate(`window.__imp.reset(${FACILITIES})`);
  await input.setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(bytes) });
  await until(page, 'preview');
  const summary = (await page.getByText(/^新規 \d+件・更新 \d+件・変更なし \d+件$/).innerText()).trim();
  await page.getByRole('button', { name: '取り込む', exact: true }).click();
  await until(page, 'written');
  await page.getByRole('link', { name: '一覧へ戻る' }).click();
  await until(page, 'listed');
  const m = (await page.evaluate('({ ...window.__imp.marks })')) as Record<string, number>;
  return {
    preview: m.preview! - m.chosen!,
    write: m.written! - m.importClick!,
    seal: m.txOpen! - m.importClick!,
    tx: m.txDone! - m.txOpen!,
    notice: m.written! - m.txDone!,
    list: m.listed! - m.backClick!,
    summary,
  };
}

function line(label: string, rounds: readonly Round[]): string {
  const totals = rounds.map((r) => r.preview + r.write + r.list);
  const part = (k: 'preview' | 'write' | 'list') => `${ms(median(rounds.map((r) => r[k])))} (slowest ${ms(Math.max(...rounds.map((r) => r[k])))})`;
  const mid = (k: 'seal' | 'tx' | 'notice') => ms(median(rounds.map((r) => r[k])));
  const summaries = [...new Set(rounds.map((r) => r.summary))].join(' / ');
  return (
    `\n  ${label}, ${rounds.length} runs (${summaries}): median ${ms(median(totals))}, slowest ${ms(Math.max(...totals))}` +
    `\n    (a) file → preview ${part('preview')}; (b) 取り込む → stored ${part('write')} + back to the list ${part('list')}` +
    `\n    stored, medians: sealing + outbox entries ${mid('seal')}, IndexedDB transaction ${mid('tx')}, commit → notice ${mid('notice')}`
  );
}

export async function benchFacilityImport(baseUrl: string): Promise<void> {
  const now = new Date().toISOString();
  const later = new Date(Date.parse(now) + 3_600_000).toISOString();
  const lists = [now, later].map((at) => generateDemoHub({ households: 0, facilities: FACILITIES, now: at }).facilities);
  for (const encoding of ['UTF-8', 'Shift_JIS'] as const) {
    const [first, newer] = lists.map((list) => exportFacilityCsv(list, encoding)) as [Uint8Array, Uint8Array];
    const firsts: Round[] = [];
    const again: Round[] = [];
    for (let p = 0; p < PROFILES; p++) {
      const browser = await openBrowser();
      try {
        await browser.context.addInitScript(RECORDER);
        await setUpFirstUser(browser.page, baseUrl, 'ベンチ 計測');
        await browser.page.goto(`${baseUrl}/#/facilities`);
        firsts.push(await importOnce(browser.page, 'shisetsu.csv', first));
        for (let i = 0; i < REIMPORTS; i++) {
          again.push(await importOnce(browser.page, 'shisetsu.csv', i % 2 === 0 ? newer : first));
        }
      } finally {
        await browser.dispose();
      }
    }
    console.log(
      `\nFacility CSV import in the browser, ${FACILITIES.toLocaleString()} rows, ${encoding} (${(first.length / 1024).toFixed(0)} KB), import screen → list, app time only:` +
        line('first import into an empty vault', firsts) +
        (again.length > 0 ? line('re-import, updated by 事業所番号', again) : ''),
    );
  }
}
