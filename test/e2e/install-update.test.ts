/**
 * Issue 2: an installable PWA whose updates wait for the user. The built manifest and its icons as
 * served, Chromium's own installability check, then a real update: a new sw.js on the server, the
 * app's update check, the Japanese prompt held back while a form has typed text, and after saving,
 * 「更新する」 reloads the page into the new service worker. An update whose install failed (the
 * line dropped during the download) does not keep the next version from being offered. With two
 * tabs, the update waits for the other tab's typed text; a tab the new version takes over anyway
 * keeps its text, asks to save, and reloads on 「再読み込み」.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startServer } from '../../src/server/app-server';
import { openBrowser, waitForServiceWorker, waitForServiceWorkerControl, type BrowserSession } from './browser';
import { search, setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
const distDir = resolve(import.meta.dirname, '../../dist');
let browser: BrowserSession | undefined;
let server: Server | undefined;
let copyDir: string | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
  const s = server;
  server = undefined;
  if (s) await new Promise<void>((done) => s.close(() => done()));
  if (copyDir) await rm(copyDir, { recursive: true, force: true });
  copyDir = undefined;
});

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Buffer): string {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return `${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`;
}

interface ManifestIcon {
  readonly src: string;
  readonly sizes: string;
  readonly type: string;
  readonly purpose?: string;
}

/**
 * Asks the service worker that controls the page which version it is, and waits for its answer:
 * 'shipped' or 'updated' (the markers below), never a guess from silence. A worker the browser
 * stopped while idle starts again to answer; one that has not answered in 20 s is 'no answer'.
 */
const CONTROLLER_VERSION = `new Promise((done) => {
  const sw = navigator.serviceWorker.controller;
  if (!sw) return done('no controller');
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => done(e.data);
  sw.postMessage({ type: 'E2E_VERSION' }, [channel.port2]);
  setTimeout(() => done('no answer'), 20000);
})`;

const versionMarker = (version: string) => `
// e2e: this version of the service worker says which it is when asked
self.addEventListener('message', (e) => { if (e.data && e.data.type === 'E2E_VERSION') e.ports[0].postMessage('${version}'); });
`;
/** Added to the built sw.js the test serves first: the shipped code, which says 'shipped'. */
const SHIPPED_MARKER = versionMarker('shipped');
/** The new version: the built sw.js (without the shipped marker) and this. */
const UPDATE_MARKER = versionMarker('updated');

/**
 * A copy of dist/ to serve and change: its sw.js, the built one with SHIPPED_MARKER, and `built`,
 * the built one as it is, to make new versions from. sw.js is edited: its build-time compressed
 * copies must not be served instead.
 */
async function servedCopy(): Promise<{ dir: string; swPath: string; built: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'kyoten-dist-'));
  copyDir = dir;
  await cp(distDir, dir, { recursive: true });
  const swPath = join(dir, 'sw.js');
  await rm(`${swPath}.br`, { force: true });
  await rm(`${swPath}.gz`, { force: true });
  const built = await readFile(swPath, 'utf8');
  await writeFile(swPath, built + SHIPPED_MARKER);
  return { dir, swPath, built };
}

/** The version of the controlling worker, once it is `version` (a new one may still be taking over). */
const controllerBecomes = (page: Page, version: string) =>
  expect.poll(() => page.evaluate(CONTROLLER_VERSION), { timeout: 30_000 }).toBe(version);

/**
 * A new sw.js whose install fails, as one does when the line drops while it downloads the app: the
 * browser drops that worker and the old one goes on serving.
 */
const FAILING_INSTALL = `
// e2e: this version's download breaks off
self.addEventListener('install', (e) => e.waitUntil(Promise.reject(new Error('e2e: download broke off'))));
`;

/**
 * window.__installEnd: the state the install of the next new worker ends in, once it ends.
 * (Waited for with promises evaluated in the page: waitForFunction polls a string predicate with
 * eval, which the app's CSP refuses.)
 */
const WATCH_NEXT_INSTALL = `navigator.serviceWorker.getRegistration().then((r) => {
  window.__installEnd = new Promise((done) => {
    r.addEventListener('updatefound', () => {
      const w = r.installing;
      w.addEventListener('statechange', () => { if (w.state === 'installed' || w.state === 'redundant') done(w.state); });
    }, { once: true });
  });
})`;
/** The end of that install, or null if it has not ended within 3 s. */
const INSTALL_END = `Promise.race([window.__installEnd, new Promise((done) => setTimeout(() => done(null), 3000))])`;
/** True once a worker controls the page (the first one claims it when it activates), false after 30 s. */
const CONTROLLED = `navigator.serviceWorker.controller !== null || Promise.race([
  new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', () => done(true), { once: true })),
  new Promise((done) => setTimeout(() => done(false), 30000)),
])`;

async function installable(page: Page): Promise<{ errors: string[]; manifestUrl: string }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
    const check = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    return {
      manifestUrl: manifest.url,
      errors: [...manifest.errors.map((e) => `manifest: ${e.message}`), ...check.installabilityErrors.map((e) => e.errorId)],
    };
  } finally {
    await cdp.detach();
  }
}

describe('install and update', () => {
  it('serves the licences of the libraries the phone runs, which the guide links to, also where the app is installed', async () => {
    const response = await fetch(`${baseUrl}/licenses.txt`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const name of ['react', 'dexie', 'zod', 'zustand', 'canonicalize']) expect(text).toContain(name);
    expect(text).toMatch(/Apache License/);

    // The guide's link, followed on a phone the app's worker controls: the notices, not the app's
    // page (the worker answers a page it does not hold with the app, but for what it is told not to).
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(baseUrl);
    await waitForServiceWorkerControl(page);
    await page.goto(`${baseUrl}/licenses.txt`);
    expect(await page.evaluate('document.body.innerText')).toMatch(/Apache License/);
  });

  it('serves a Japanese standalone manifest whose icons load, and Chromium finds the app installable', async () => {
    const response = await fetch(`${baseUrl}/manifest.webmanifest`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const manifest = (await response.json()) as Record<string, unknown> & { icons: ManifestIcon[] };
    expect(manifest).toMatchObject({
      lang: 'ja',
      name: '拠点ナビ 緊急対応（地域生活支援拠点）',
      short_name: '拠点ナビ',
      display: 'standalone',
      start_url: '/',
      scope: '/',
      theme_color: '#12355b',
    });
    // turned sideways (a tablet in a keyboard cover, the 聞き取り票 typed at a desk), the installed app turns too
    expect(manifest['orientation']).toBeUndefined();
    // The page's <meta name="theme-color"> says the same, so the bar does not change colour on install.
    const html = await (await fetch(`${baseUrl}/`)).text();
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(html).toContain(`<meta name="theme-color" content="${String(manifest['theme_color'])}" />`);

    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const res = await fetch(new URL(icon.src, `${baseUrl}/manifest.webmanifest`));
      expect(res.status, icon.src).toBe(200);
      expect(res.headers.get('content-type'), icon.src).toMatch(/^image\//);
      expect(res.headers.get('content-type'), icon.src).toContain(icon.type);
      expect(pngSize(Buffer.from(await res.arrayBuffer())), icon.src).toBe(icon.sizes);
    }

    browser = await openBrowser();
    const { page } = browser;
    await page.goto(baseUrl);
    await waitForServiceWorker(page);
    const result = await installable(page);
    expect(result.manifestUrl).toBe(`${baseUrl}/manifest.webmanifest`);
    expect(result.errors).toEqual([]);
  });

  it('finds a new service worker, waits while a form holds typed text, and after saving applies it with a reload', async () => {
    const { dir, swPath, built } = await servedCopy();
    server = await startServer({ port: 0, host: '127.0.0.1', distDir: dir });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await openBrowser();
    const { page } = browser;
    await page.goto(url);
    await waitForServiceWorkerControl(page);
    await setUpFirstUser(page, url);
    expect(await page.evaluate(CONTROLLER_VERSION)).toBe('shipped');

    // Typing a new household's name: the form is unsaved.
    await page.getByRole('button', { name: '世帯を登録' }).first().click();
    await page.getByLabel('氏名', { exact: true }).first().fill('更新 待子');

    // The server gets a new version; the app checks when it becomes visible again. One return can
    // come too early to find it: Chromium's own check after the navigation waits until the worker has
    // been idle a second, and an app check made while that one is fetching joins it (and so gets the
    // sw.js from before the change). The user who comes back again is then told; so is this test.
    // When the new worker takes over is written down where the reload it brings cannot erase it:
    // before the user pressed 更新する would lose the typed name.
    await page.evaluate(
      "navigator.serviceWorker.addEventListener('controllerchange', () => sessionStorage.setItem('takenOver', window.__updatePressed === true ? 'after the press' : 'before the press'))",
    );
    await writeFile(swPath, built + UPDATE_MARKER);
    const prompt = page.getByRole('region', { name: 'アプリの更新' });
    const found = prompt.getByText('新しいバージョンがあります');
    for (let returns = 1; ; returns++) {
      await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
      const shown = await found.waitFor({ timeout: 3_000 }).then(() => true, () => false);
      if (shown) break;
      if (returns === 10) throw new Error('no update prompt after 10 returns to the app');
    }
    await prompt.getByText('保存していない入力があります。保存してから更新してください。').waitFor();
    const updateNow = prompt.getByRole('button', { name: '更新する' });
    expect(await updateNow.isDisabled()).toBe(true);
    // The new version waits: the typed name stays and the old worker still serves (that nothing took
    // over until 更新する is checked after the update, by when it took over).
    expect(await page.getByLabel('氏名', { exact: true }).first().inputValue()).toBe('更新 待子');
    expect(await page.evaluate(CONTROLLER_VERSION)).toBe('shipped');
    expect(await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.waiting))')).toBe(true);

    // Saved: the prompt lets go.
    await page.getByLabel('ふりがな', { exact: true }).first().fill('こうしん まちこ');
    await page.getByLabel('同意日').fill('2026-10-01');
    await page.getByLabel('同意者').fill('本人');
    await page.getByLabel('共有の範囲').fill('拠点の関係機関');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('button', { name: '編集' }).waitFor();
    await prompt.getByText('保存していない入力があります。保存してから更新してください。').waitFor({ state: 'detached' });
    expect(await updateNow.isEnabled()).toBe(true);

    await page.evaluate('window.__beforeUpdate = true; window.__updatePressed = true');
    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), updateNow.click()]);
    expect(await page.evaluate('window.__beforeUpdate === true')).toBe(false);
    // nothing took over while the form was unsaved, nor after the save until the press
    expect(await page.evaluate("sessionStorage.getItem('takenOver')")).toBe('after the press');
    await controllerBecomes(page, 'updated');
    expect(await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.waiting))')).toBe(false);
    await unlock(page);
    expect(await page.getByText('新しいバージョンがあります').count()).toBe(0);
    expect(await search(page, 'こうしん')).toContain('更新 待子');
  });

  it('offers the next version after an update whose install failed, and applies it', async () => {
    const { dir, swPath, built } = await servedCopy();
    server = await startServer({ port: 0, host: '127.0.0.1', distDir: dir });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await openBrowser();
    const { page } = browser;
    await page.goto(url);
    // The first screen stays open: no reload or navigation, so the page's workbox-window has seen
    // only its own install when the failed update comes (it then stopped watching for more).
    await waitForServiceWorker(page);
    expect(await page.evaluate(CONTROLLED)).toBe(true);
    await page.evaluate('window.__samePage = true');
    expect(await page.evaluate(CONTROLLER_VERSION)).toBe('shipped');

    const prompt = page.getByRole('region', { name: 'アプリの更新' });
    const offered = prompt.getByText('新しいバージョンがあります');
    /** Returns to the app (its update check) until `done` holds; a check may join one already under way. */
    const returnUntil = async (done: () => Promise<boolean>, what: string) => {
      for (let returns = 1; ; returns++) {
        await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
        if (await done()) return;
        if (returns === 10) throw new Error(`${what} after 10 returns to the app`);
      }
    };

    // The first new version fails to install.
    await page.evaluate(WATCH_NEXT_INSTALL);
    await writeFile(swPath, built + FAILING_INSTALL);
    await returnUntil(async () => (await page.evaluate(INSTALL_END)) !== null, 'no install of the failing version');
    expect(await page.evaluate(INSTALL_END)).toBe('redundant');
    expect(await offered.count()).toBe(0);

    // The next version installs: it is offered, with the page still open.
    await page.evaluate(WATCH_NEXT_INSTALL);
    await writeFile(swPath, built + UPDATE_MARKER);
    await returnUntil(() => offered.waitFor({ timeout: 3_000 }).then(() => true, () => false), 'no update prompt');
    expect(await page.evaluate('navigator.serviceWorker.getRegistration().then((r) => Boolean(r && r.waiting))')).toBe(true);
    expect(await page.evaluate('window.__samePage === true')).toBe(true);
    expect(await page.evaluate(CONTROLLER_VERSION)).toBe('shipped');

    await Promise.all([page.waitForEvent('load', { timeout: 30_000 }), prompt.getByRole('button', { name: '更新する' }).click()]);
    expect(await page.evaluate('window.__samePage === true')).toBe(false);
    await controllerBecomes(page, 'updated');
  });

  it('with two tabs, waits for the other tab’s typed text, and a tab the new version takes over keeps its text until saved', async () => {
    const { dir, swPath, built } = await servedCopy();
    server = await startServer({ port: 0, host: '127.0.0.1', distDir: dir });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    browser = await openBrowser();
    const a = browser.page;
    await a.goto(url);
    await waitForServiceWorkerControl(a);
    await setUpFirstUser(a, url);
    const b = await browser.context.newPage();
    await b.goto(url);
    await unlock(b);
    await b.getByRole('button', { name: '世帯を登録' }).first().click();
    await b.getByLabel('氏名', { exact: true }).first().fill('別タブ 花子');
    await b.evaluate('window.__samePage = true');

    // A new version; tab A, with nothing unsaved of its own, is asked and told to wait for tab B.
    await writeFile(swPath, built + UPDATE_MARKER);
    const promptA = a.getByRole('region', { name: 'アプリの更新' });
    for (let returns = 1; ; returns++) {
      await a.evaluate("document.dispatchEvent(new Event('visibilitychange'))");
      if (await promptA.getByText('新しいバージョンがあります').waitFor({ timeout: 3_000 }).then(() => true, () => false)) break;
      if (returns === 10) throw new Error('no update prompt after 10 returns to the app');
    }
    await promptA.getByText('別のタブに保存していない入力があります。そのタブで保存してから更新してください。').waitFor();
    expect(await promptA.getByRole('button', { name: '更新する' }).isDisabled()).toBe(true);

    // A tab that does not wait (one still running the release before this) applies it anyway:
    // tab A, with nothing typed, reloads into it at once.
    await Promise.all([
      a.waitForEvent('load', { timeout: 30_000 }),
      a.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.waiting.postMessage({ type: 'SKIP_WAITING' }))"),
    ]);
    await controllerBecomes(a, 'updated');

    // Tab B holds typed text: it stays, and the tab asks to save, then reload.
    const promptB = b.getByRole('region', { name: 'アプリの更新' });
    await promptB.getByText('新しいバージョンに切り替わりました').waitFor();
    await promptB.getByText('保存していない入力があります。保存してから再読み込みしてください。').waitFor();
    const reload = promptB.getByRole('button', { name: '再読み込み' });
    expect(await reload.isDisabled()).toBe(true);
    expect(await b.getByLabel('氏名', { exact: true }).first().inputValue()).toBe('別タブ 花子');
    expect(await b.evaluate('window.__samePage === true')).toBe(true);

    await b.getByLabel('ふりがな', { exact: true }).first().fill('べつたぶ はなこ');
    await b.getByLabel('同意日').fill('2026-10-01');
    await b.getByLabel('同意者').fill('本人');
    await b.getByLabel('共有の範囲').fill('拠点の関係機関');
    await b.getByRole('button', { name: '保存', exact: true }).click();
    await b.getByRole('button', { name: '編集' }).waitFor();
    await promptB.getByText('再読み込みすると、新しいバージョンで続けられます。').waitFor();
    await Promise.all([b.waitForEvent('load', { timeout: 30_000 }), reload.click()]);
    expect(await b.evaluate('window.__samePage === true')).toBe(false);
    await controllerBecomes(b, 'updated');
    await unlock(b);
    expect(await search(b, 'べつたぶ')).toContain('別タブ 花子');
  });
});
