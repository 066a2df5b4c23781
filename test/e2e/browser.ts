/**
 * Headless Chromium for end-to-end tests: the Debian build at /usr/bin/chromium driven by
 * playwright-core (no browser downloads here). Each test gets its own profile directory, so
 * IndexedDB, the service worker and Cache Storage are real and can be inspected afterwards.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface BrowserSession {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly profileDir: string;
  close(): Promise<void>;
  /** Removes the profile directory. Call after close() once the profile is no longer needed. */
  dispose(): Promise<void>;
}

/** Opens Chromium with a persistent profile (a fresh one unless `profileDir` is given). */
export async function openBrowser(
  options: { profileDir?: string; viewport?: { width: number; height: number }; extraArgs?: readonly string[] } = {},
): Promise<BrowserSession> {
  const profileDir = options.profileDir ?? (await mkdtemp(join(tmpdir(), 'kyoten-e2e-')));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: options.viewport ?? { width: 360, height: 780 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    serviceWorkers: 'allow',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // The phone of these tests has the app on its Home Screen: Chromium protects an installed app's
  // data from eviction (navigator.storage.persist() is granted), and the app's banner asking for
  // that protection (StorageProtectionBanner, unit-tested) stays away from the screens measured.
  await (await context.newCDPSession(page)).send('Browser.grantPermissions', { permissions: ['durableStorage'] });
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await context.close();
  };
  return {
    context,
    page,
    profileDir,
    close,
    async dispose() {
      await close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
}

/**
 * One Chromium for a whole test file, where each test (or each group sharing a phone) opens a
 * context of its own in it (openPhone): launching Chromium once instead of once a test.
 */
export async function launchBrowser(options: { extraArgs?: readonly string[] } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])] });
}

/** A phone opened by openPhone: a browser context with one page. */
export interface PhoneSession {
  readonly context: BrowserContext;
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * A new phone in a browser from launchBrowser: a fresh browser context, so its IndexedDB, service
 * worker and Cache Storage are its own, empty at the start and gone when it closes (kept in memory:
 * nothing to inspect on disk afterwards; use openBrowser for that). As with openBrowser, the app is
 * on the phone's Home Screen (durableStorage granted) and the page's errors are logged.
 */
export async function openPhone(browser: Browser, options: { viewport?: { width: number; height: number } } = {}): Promise<PhoneSession> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 360, height: 780 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    serviceWorkers: 'allow',
  });
  const page = await context.newPage();
  // A context's permission is granted by its own id (without one, the browser's default context gets it).
  const cdp = await context.newCDPSession(page);
  const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { browserContextId?: string } };
  await cdp.send('Browser.grantPermissions', { permissions: ['durableStorage'], browserContextId: targetInfo.browserContextId });
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  let closed = false;
  return {
    context,
    page,
    async close() {
      if (closed) return;
      closed = true;
      await context.close();
    },
  };
}

/**
 * Waits until the app's service worker is active, i.e. its precache is complete, so the next load
 * starts with no network. (Evaluated as a string: a function from here would be compiled by tsx,
 * and an async predicate given to waitForFunction came back at once, while the worker was still
 * installing.)
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  const state = await page.evaluate(`Promise.race([
    navigator.serviceWorker.ready.then(() => 'active'),
    new Promise((done) => setTimeout(() => done('timeout'), 30000)),
  ])`);
  if (state !== 'active') throw new Error(`no service worker became active within 30 s (${String(state)})`);
}

/** As waitForServiceWorker, then reloads once if needed so that the worker controls this page. */
export async function waitForServiceWorkerControl(page: Page): Promise<void> {
  await waitForServiceWorker(page);
  if (await page.evaluate('Boolean(navigator.serviceWorker.controller)')) return;
  await page.reload();
  if (!(await page.evaluate('Boolean(navigator.serviceWorker.controller)'))) throw new Error('no service worker controls the page after a reload');
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { target: readonly string[] }[];
}

/** Runs axe-core in the page and returns the serious and critical violations. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated over the DevTools protocol, so the app's strict CSP stays on while axe runs.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
