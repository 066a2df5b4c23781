/**
 * `npm run bench`: the foundation's figures, in headless Chromium against the built app served
 * by the real server on loopback.
 *   0. the first visit: bytes sent per file, compressed, and in all; Lighthouse's mobile preset (bench/first-visit.ts)
 *   1. gzipped JavaScript loaded at start (goal < 200 KB)
 *   2. cold start offline → unlocked, usable search box at 10,000 households (goal < 1 s)
 *   3. search latency per keystroke at 10,000 households, key → results laid out (goal p95 < 16 ms),
 *      and key → next frame, both beside a bare page
 *   4. importing a 1,000-row facility CSV through the import screen, UTF-8 and Shift_JIS (bench/import.ts)
 *   5. sync: first sync of 10,000 households + 1,000 facilities to a fresh device and draining 1,000
 *      offline edits, ours against PouchDB in the same run (bench/sync.ts; needs PostgreSQL at
 *      127.0.0.1:5432 database test, or BENCH_DATABASE_URL)
 * Before those, in Node: the match, the facility CSV preview, the month claim export, and the
 * yearly report at 10,000 households / 25,000 cases / 20,000 trial stays beside the month export
 * at that size (bench/yearly.ts). BENCH_ONLY=yearly runs the yearly report alone.
 *   6. load: simulated devices syncing against the hub over PostgreSQL and against express-pouchdb
 *      (bench/load.ts; LOAD_HUBS, LOAD_HOUSEHOLDS, LOAD_DEVICES, LOAD_SECONDS, LOAD_RATES scale it)
 * BENCH_ONLY=import runs figure 4 alone; BENCH_ONLY=sync figure 5 alone; BENCH_ONLY=start figures 0-3;
 * BENCH_ONLY=first-visit figure 0 alone; BENCH_ONLY=load figure 6 alone; BENCH_ONLY=push the drain's
 * push in Node alone (bench/push-node.ts: 1,000 household edits through the API and applyPush);
 * BENCH_ONLY=pull the first sync's pull pages at the hub in Node alone (bench/pull-node.ts).
 * Figures vary with the machine's load; compare runs on the same machine.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { startServer } from '../src/server/app-server';
import { generateDemoHub } from '../src/domain/demo-data';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, waitForServiceWorker } from '../test/e2e/browser';
import { PASSPHRASE } from '../test/e2e/app-flows';
import { median, ms, percentile, verdict } from './stats';
import { benchCsvImport, benchMatch } from './domain';
import { benchClaimExport } from './claims';
import { benchYearlyReport } from './yearly';
import { benchFacilityImport } from './import';
import { benchSync } from './sync';
import { benchFirstVisit } from './first-visit';
import { benchLoad } from './load';
import { printPullFigures } from './pull-node';
import { printPushFigures } from './push-node';

const root = resolve(import.meta.dirname, '..');
const HOUSEHOLDS = 10_000;
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 5);
/** Each keystroke query is typed this many times: more keys, steadier percentiles. */
const KEY_ROUNDS = 2;

if (process.env.BENCH_ONLY === 'pull') {
  // The first sync's pull at the hub in Node alone, through the API and pullAnswer (bench/pull-node.ts): no build needed.
  await printPullFigures();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'push') {
  // The drain's push in Node alone, through the API and applyPush (bench/push-node.ts): no build needed.
  await printPushFigures();
  process.exit(0);
}
if (process.env.BENCH_SKIP_BUILD !== '1') {
  console.log('building the app…');
  execFileSync(process.execPath, [resolve(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
const importOnly = process.env.BENCH_ONLY === 'import'; // just the facility CSV import in the browser
const syncOnly = process.env.BENCH_ONLY === 'sync'; // just the sync figures, ours and PouchDB's
const startOnly = process.env.BENCH_ONLY === 'start'; // figures 0-3: the first visit, then start JS, cold start, keystrokes
if (process.env.BENCH_ONLY === 'yearly') {
  await benchYearlyReport();
  process.exit(0);
}
if (syncOnly) {
  await benchSync(resolve(root, 'dist'));
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'load') {
  // 6. load: simulated devices against the hub over PostgreSQL, and against express-pouchdb (bench/load.ts)
  await benchLoad();
  process.exit(0);
}
if (!importOnly && !startOnly && process.env.BENCH_ONLY !== 'first-visit') {
  benchMatch();
  benchCsvImport();
  await benchClaimExport();
  await benchYearlyReport();
}
if (process.env.BENCH_DOMAIN_ONLY === '1') process.exit(0);

const server = await startServer({ port: 0, host: '127.0.0.1', distDir: resolve(root, 'dist') });
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
if (importOnly) {
  await benchFacilityImport(baseUrl).finally(() => new Promise((done) => server.close(done)));
  process.exit(0);
}
// 0. The first visit: what goes over the wire, and Lighthouse on the same build.
await benchFirstVisit(baseUrl, resolve(root, 'dist'));
if (process.env.BENCH_ONLY === 'first-visit') {
  await new Promise((done) => server.close(done));
  process.exit(0);
}

let browser = await openBrowser();
const profileDir = browser.profileDir;
try {
  // 1. JavaScript loaded at start: everything fetched until the first screen is ready.
  const scripts = new Map<string, number>();
  browser.page.on('response', async (response) => {
    if (response.request().resourceType() !== 'script') return;
    const body = await response.body().catch(() => null);
    if (body) scripts.set(response.url(), gzipSync(body, { level: 9 }).length);
  });
  await browser.page.goto(baseUrl);
  await browser.page.getByLabel('表示名').waitFor();
  await browser.page.waitForLoadState('networkidle');
  const startKb = [...scripts.values()].reduce((a, b) => a + b, 0) / 1024;
  console.log(`\nJavaScript at start: ${startKb.toFixed(1)} KB gzipped in ${scripts.size} files  ${verdict(startKb, 200)}`);

  // Set up and load 10,000 fictional households through the app's own demo loader.
  const { page } = browser;
  await page.getByLabel('表示名').fill('ベンチ 計測');
  await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('パスフレーズ（確認）').fill(PASSPHRASE);
  await page.getByLabel('上記を理解しました').check();
  await page.getByRole('button', { name: 'はじめる' }).click();
  await page.getByLabel('デモデータの規模').selectOption({ index: 2 });
  const loadStart = Date.now();
  await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
  await page.getByRole('button', { name: 'デモデータを消去' }).waitFor({ timeout: 300_000 });
  console.log(`(loaded ${HOUSEHOLDS.toLocaleString()} demo households in ${((Date.now() - loadStart) / 1000).toFixed(1)} s)`);
  await waitForServiceWorker(page);
  await browser.close();

  // 2. Cold start offline: a new browser process on the same profile, no network.
  const coldStarts: number[] = [];
  const unlockParts: number[] = [];
  const breakdown: Record<string, number[]> = {};
  for (let i = 0; i < COLD_STARTS; i++) {
    browser = await openBrowser({ profileDir });
    // In-page clocks (navigation start = 0): when the lock screen and then the search box appear.
    await browser.context.addInitScript(`(() => {
      const seen = (sel, key) => { if (!window[key] && document.querySelector(sel)) window[key] = performance.now(); };
      new MutationObserver(() => { seen('input[type=password]', '__lockReadyAt'); seen('input[type=search]', '__searchReadyAt'); })
        .observe(document, { childList: true, subtree: true });
    })()`);
    await browser.context.setOffline(true);
    await browser.page.goto(baseUrl);
    await browser.page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
    await browser.page.getByRole('button', { name: '解錠' }).click();
    await browser.page.getByLabel('検索').waitFor({ timeout: 60_000 });
    // Usable means a query is answered at once: the search index is built just after the first paint.
    for (let waited = 0; !(await browser.page.evaluate(`performance.getEntriesByName('unlock:searchable').length`)); waited += 20) {
      if (waited > 60_000) throw new Error('the search index was never built');
      await browser.page.waitForTimeout(20);
    }
    // A string, not a function: tsx would wrap named arrows in a helper the page does not have.
    const t = (await browser.page.evaluate(`(() => {
      const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
      return { lockReady: window.__lockReadyAt, start: at('unlock:start'), key: at('unlock:key'),
        decrypted: at('unlock:decrypted'), indexed: at('unlock:indexed'), searchBox: window.__searchReadyAt,
        searchable: at("unlock:searchable") };
    })()`)) as Record<string, number>;
    // The time a person spends typing the passphrase is not the app's: count load and unlock only.
    const usable = Math.max(t.searchBox!, t.searchable!);
    coldStarts.push(t.lockReady! + (usable - t.start!));
    unlockParts.push(usable - t.start!);
    const parts = {
      load: t.lockReady!,
      key: t.key! - t.start!,
      decrypt: t.decrypted! - t.key!,
      'index restored': t.indexed! - t.decrypted!,
      render: t.searchBox! - t.indexed!,
      'search index after the box': Math.max(0, t.searchable! - t.searchBox!),
    };
    for (const [k, v] of Object.entries(parts)) (breakdown[k] ??= []).push(v);
    if (i < COLD_STARTS - 1) await browser.close();
  }
  console.log(
    `\nCold start offline → unlocked search at ${HOUSEHOLDS.toLocaleString()} households (${COLD_STARTS} runs):` +
      `\n  median ${ms(median(coldStarts))}  ${verdict(median(coldStarts), 1000)}; worst ${ms(Math.max(...coldStarts))}  ${verdict(Math.max(...coldStarts), 1000)}` +
      `\n  load to the lock screen + unlock to a search box that answers at once (the box shown and its index built),` +
      `\n  passphrase typing excluded; unlock alone: median ${ms(median(unlockParts))}` +
      `\n  breakdown (medians): ${Object.entries(breakdown).map(([k, v]) => `${k} ${ms(median(v))}`).join(', ')}`,
  );

  // 3. Search latency per keystroke: measured in the page, two ways (keystrokeLatencies).
  const { households } = generateDemoHub({ households: HOUSEHOLDS, facilities: 0, now: new Date().toISOString() });
  const sample = [0, 17, 333, 4242, 9001].map((i) => households[i]!);
  const queries = [
    ...sample.map((h) => h.persons[0]!.furigana),
    ...sample.map((h) => h.persons[0]!.name),
    ...sample.map((h) => h.phone),
    ...sample.map((h) => h.persons[0]!.recipientNumber).filter(Boolean),
    'さとう',
    'ｻﾄｳ',
    '03-0', // every landline in 03: the broadest query
  ];
  const app = await keystrokeLatencies(browser.page, browser.page.getByLabel('検索'), queries);
  // Peer in the same run: a bare page whose input rewrites 20 rows of text with no framework and no
  // search. It shows what this machine and headless Chromium cost by themselves.
  const floorPage = await browser.context.newPage();
  await floorPage.setContent(`<!doctype html><meta charset="utf-8"><input id="q" aria-label="q"><ul id="r"></ul><script>
    const r = document.getElementById('r');
    document.getElementById('q').addEventListener('input', (e) => {
      const v = e.target.value;
      r.replaceChildren(...Array.from({ length: 20 }, (_, i) => Object.assign(document.createElement('li'), { textContent: v + ' ' + i + ' 佐藤 陽太（16歳・児）サトウ ヨウタ 登録済' })));
    });
  </script>`);
  const floor = await keystrokeLatencies(floorPage, floorPage.locator('#q'), queries);
  const line = (name: string, values: readonly number[]) =>
    `${name} median ${ms(median(values))}, p95 ${ms(percentile(values, 95))}, max ${ms(Math.max(...values))}`;
  console.log(
    `\nSearch latency per keystroke at ${HOUSEHOLDS.toLocaleString()} households (${app.laidOut.length} keys, ${queries.length} queries typed ${KEY_ROUNDS}×):` +
      `\n  key → results laid out: ${line('app', app.laidOut)}  ${verdict(percentile(app.laidOut, 95), 16)}` +
      `\n                          ${line('bare page', floor.laidOut)}` +
      `\n  key → next frame:       ${line('app', app.nextFrame)}` +
      `\n                          ${line('bare page', floor.nextFrame)}` +
      `\n  (next frame = the first task after the frame that follows the key: Chromium holds other tasks back` +
      `\n   until then. Most of it is the wait for the display's frame and this machine's own cost, which the bare page shows.)`,
  );

  if (!startOnly) {
    // 4. Importing a 1,000-row facility CSV through the import screen (bench/import.ts), own browsers.
    await browser.close();
    await benchFacilityImport(baseUrl);

    // 5. Sync, ours against PouchDB (bench/sync.ts): its own servers and browsers.
    await benchSync(resolve(root, 'dist'));

    // 6. Load: simulated devices, ours against express-pouchdb (bench/load.ts; LOAD_* scale it).
    await benchLoad();
  }
} finally {
  await browser.dispose();
  await new Promise((done) => server.close(done));
}

/**
 * Types each query key by key and returns, per key, two times from the key event (its timestamp,
 * or the input event's for kana that arrive as text with no keydown):
 * - laidOut: until the page has put the results in the DOM and a forced style and layout is done.
 *   Taken after the page's own input listeners (a bubbling listener on window runs after React's,
 *   and React renders a controlled input's change before its listener returns), and again after
 *   any later DOM change before the next key (a MutationObserver), so deferred rendering would count.
 * - nextFrame: until the first task after the next frame has run (a MessageChannel message posted
 *   at the input): after a key, Chromium runs rendering before other tasks, so this includes the
 *   wait for the display's next frame and the frame's main-thread work (style, layout, paint).
 */
async function keystrokeLatencies(page: Page, box: Locator, queries: readonly string[]): Promise<{ laidOut: number[]; nextFrame: number[] }> {
  await page.evaluate(`(() => {
    window.__keys = [];
    let pending = null;
    let current = null;
    const laidOut = () => { if (!current) return; void document.body.offsetHeight; current.laidOut = performance.now() - current.start; };
    // keydown when the key has one; Japanese text arrives as insertText with only an input event.
    window.addEventListener('keydown', (e) => { pending = e.timeStamp; current = null; }, { capture: true });
    window.addEventListener('input', (e) => {
      const start = pending ?? e.timeStamp;
      pending = null;
      current = null;
      if (!e.target.value) return; // clearing the box between queries
      const key = { start, laidOut: NaN, nextFrame: NaN };
      window.__keys.push(key);
      current = key;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { key.nextFrame = performance.now() - start; };
      channel.port2.postMessage(0);
    }, { capture: true });
    window.addEventListener('input', laidOut);
    new MutationObserver(laidOut).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  })()`);
  for (let round = 0; round < KEY_ROUNDS; round++) {
    for (const q of queries) {
      await box.fill('');
      for (const ch of q) await page.keyboard.type(ch);
      await page.waitForTimeout(30);
    }
  }
  const keys = (await page.evaluate('window.__keys')) as { laidOut: number; nextFrame: number }[];
  if (keys.some((k) => Number.isNaN(k.laidOut) || Number.isNaN(k.nextFrame))) throw new Error('a key was never measured');
  return { laidOut: keys.map((k) => k.laidOut), nextFrame: keys.map((k) => k.nextFrame) };
}
