/**
 * The 02:10 call (SCENARIOS.md §1) as a half-awake coordinator makes it on a 360 × 740 phone,
 * offline, with the demo hub: unlock, find 「さとう」, start, call two facilities from the match
 * (受入不可, then 受入可), record the admission, close. Every tap is counted; a tap is made where
 * the element is on the screen (no scrolling it into view), and the page must never have scrolled.
 * Typing is not counted.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { openBrowser, seriousA11yViolations, waitForServiceWorker, type BrowserSession } from './browser';
import { expectNoViolations, setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
const VIEWPORT = { width: 360, height: 740 };
const MAX_TAPS = 10;
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

/** Counts taps; refuses one on an element that is not fully on the screen, or after any scrolling. */
function tapper(page: Page) {
  const taps: string[] = [];
  async function tap(target: Locator, what: string): Promise<void> {
    await target.waitFor({ state: 'visible', timeout: 30_000 });
    const scrolled = await page.evaluate(() => ({ now: window.scrollY, max: (window as unknown as { __maxScrollY: number }).__maxScrollY }));
    expect(scrolled, `the page scrolled before tapping ${what}`).toEqual({ now: 0, max: 0 });
    const box = await target.boundingBox();
    expect(box, `${what} has no box`).not.toBeNull();
    const { x, y, width, height } = box!;
    expect(y >= 0 && y + height <= VIEWPORT.height, `${what} is off the screen (y ${Math.round(y)}–${Math.round(y + height)})`).toBe(true);
    // At the element's place on the screen: whatever covers it (a sticky bar) would take the tap instead.
    const at = { cx: x + width / 2, cy: y + height / 2 };
    const reachable = await target.evaluate((el, p) => el.contains(document.elementFromPoint(p.cx, p.cy)), at);
    expect(reachable, `${what} is covered by something else on the screen`).toBe(true);
    await page.mouse.click(at.cx, at.cy);
    taps.push(what);
  }
  return { tap, taps };
}

describe('the night call at 360 × 740', () => {
  it(`goes from the unlock to the closed case in at most ${MAX_TAPS} taps and no scrolling`, async () => {
    browser = await openBrowser({ viewport: VIEWPORT });
    const { page, context } = browser;
    // Headless Chromium has no dialer: the link's default is dropped after the app's own handler ran.
    await page.addInitScript(
      "document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true);" +
        "window.__maxScrollY = 0; window.addEventListener('scroll', () => { window.__maxScrollY = Math.max(window.__maxScrollY, window.scrollY); }, { passive: true });",
    );
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await page.getByRole('button', { name: 'デモデータを消去' }).waitFor();
    await waitForServiceWorker(page);
    await context.setOffline(true);
    // The phone was handed over at 18:00: locked, a fresh page.
    await page.reload();
    await unlock(page);
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      (window as unknown as { __maxScrollY: number }).__maxScrollY = 0;
    });
    const { tap, taps } = tapper(page);

    await page.getByLabel('検索').fill('さとう');
    await tap(page.getByRole('link', { name: /佐藤 陽太/ }).first(), 'the household');
    await tap(page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }), '緊急対応を開始');
    await page.getByText(/要請時刻 .*（開始を押した時刻）/).waitFor();
    await tap(page.getByText('介護者の入院', { exact: true }), '介護者の入院');
    await page.getByLabel('要請の内容（詳細）').fill('母が救急搬送され入院。本人は自宅に一人。');
    await tap(page.getByRole('button', { name: '記録を開始' }), '記録を開始');

    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    // Fits first, then near misses; a facility called with a result moves to 電話済み.
    const cards = page.locator('section[aria-labelledby="match-fits"] article, section[aria-labelledby="match-near"] article');
    const first = (await cards.first().getByRole('heading').innerText()).trim();
    await tap(cards.first().getByRole('link', { name: /^(電話|夜間) / }).first(), `dial ${first}`);
    await tap(page.getByRole('group', { name: `${first} の結果` }).getByRole('button', { name: '受入不可' }), '受入不可');
    const called = page.getByRole('region', { name: /^電話済み/ });
    await called.getByRole('article', { name: first }).getByText(/受入不可・\d{2}:\d{2}/).waitFor();
    expectNoViolations('match with a called facility', await seriousA11yViolations(page));

    const second = (await cards.first().getByRole('heading').innerText()).trim();
    expect(second).not.toBe(first);
    await tap(cards.first().getByRole('link', { name: /^(電話|夜間) / }).first(), `dial ${second}`);
    await tap(page.getByRole('group', { name: `${second} の結果` }).getByRole('button', { name: '受入可' }), '受入可');
    const yes = called.getByRole('article', { name: second });
    await tap(yes.getByRole('button', { name: '入所を記録' }), '入所を記録');
    await tap(yes.getByRole('button', { name: '入所を記録して対応を終了' }), '記録して終了');

    await page.getByText(/^終了 \d{4}年\d+月\d+日 \d{2}:\d{2}$/).waitFor();
    await page.getByText(/改ざんなし（7件の記録を確認）/).waitFor();
    console.info(`night call: ${taps.length} taps: ${taps.join(' → ')}`);
    expect(taps.length, taps.join(' → ')).toBeLessThanOrEqual(MAX_TAPS);
    expect(await page.evaluate(() => (window as unknown as { __maxScrollY: number }).__maxScrollY)).toBe(0);
    expectNoViolations('closed case', await seriousA11yViolations(page));
  });
});
