/**
 * Room to work on small and odd screens: a phone's page zoomed to 200 % (a 180 × 370 layout), a
 * phone on its side with the address bar shown (740 × 300), the text at 200 %, and the browser's own
 * font size raised. The sticky app bar, page header and bottom nav must leave the screen usable.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './browser';
import { demoLoaded, search, setUpFirstUser } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

/** A tap that gives up soon: a control covered by the bars is never tappable, however long one waits. */
const TAP = { timeout: 5_000 };

/**
 * The strip of the screen left between what is pinned at the top (the app bar, the page header) and
 * what is pinned at the bottom (`bottom`, e.g. the sticky 記録を開始, and the nav), as the page is now
 * scrolled; and whether the page header stays at the screen's top.
 */
async function room(page: Page, bottom: readonly string[] = []): Promise<{ strip: number; headerPinned: boolean }> {
  return page.evaluate((bottom) => {
    const rect = (s: string) => document.querySelector(s)?.getBoundingClientRect();
    const top = Math.max(0, ...['.app-bar', '.page__header'].map((s) => rect(s)?.bottom ?? 0));
    const end = Math.min(innerHeight, ...[...bottom, '.bottom-nav'].map((s) => rect(s)?.top ?? innerHeight));
    const header = rect('.page__header');
    return { strip: end - top, headerPinned: header !== undefined && header.top >= 0 && header.top < innerHeight / 2 };
  }, bottom);
}

describe('room to work with the page zoomed, the phone on its side, the text enlarged', () => {
  it('at 180 × 370 (a phone’s page at 200 %) the search box and a household can be tapped; back at 360 × 740 the bars stay pinned', async () => {
    browser = await openBrowser({ viewport: { width: 180, height: 370 } });
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(page);
    await page.goto(`${baseUrl}/#/`);
    const box = page.getByLabel('検索');
    // a real tap, not forced: the app bar 167 + header 199 + nav 58 px covered all 370
    await box.click(TAP);
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await search(page, 'さとう ようた')).toContain('佐藤 陽太');
    await page.getByRole('link', { name: /佐藤 陽太/ }).first().click(TAP);
    await page.getByRole('button', { name: '編集' }).waitFor();
    // scrolled down the household, the screen between the bars is not a sliver
    await page.evaluate(() => window.scrollTo(0, 600));
    expect((await room(page)).strip, 'the strip between the bars at 180 × 370').toBeGreaterThanOrEqual(150);

    // The page zoomed back (or a bigger screen): the app bar and the header pinned at the top again.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.evaluate(() => window.scrollTo(0, 600));
    await expect.poll(async () => (await room(page)).headerPinned, { message: 'the page header stays at the top at 360 × 740' }).toBe(true);
  });

  it('at 740 × 300 (on its side, the address bar shown) the case start’s reasons can be chosen, with room between the bars', async () => {
    browser = await openBrowser({ viewport: { width: 740, height: 300 } });
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.goto(`${baseUrl}/#/cases/new`);
    await page.getByRole('button', { name: '記録を開始' }).waitFor();
    for (const reason of ['介護者の入院', '本人の状態悪化', '災害']) {
      const chip = page.getByRole('radio', { name: reason });
      await page.getByText(reason, { exact: true }).click(TAP);
      expect(await chip.isChecked(), reason).toBe(true);
      // the header and the bar above, 記録を開始 and the nav below left a 54 px strip
      expect((await room(page, ['.case-start__submit'])).strip, `the strip around 「${reason}」`).toBeGreaterThanOrEqual(150);
    }
    // 記録を開始 stays in reach above the nav, where the thumb is
    const submit = await page.getByRole('button', { name: '記録を開始' }).boundingBox();
    const nav = await page.locator('.bottom-nav').boundingBox();
    expect(submit!.y + submit!.height).toBeLessThanOrEqual(nav!.y + 1);
    expect(submit!.y).toBeGreaterThanOrEqual(0);
  });

  it('after a call with the text at 200 %, the facility’s name and 「電話を記録しました」 are in view below the bars, on a tablet and on a phone', async () => {
    browser = await openBrowser({ viewport: { width: 768, height: 1024 } });
    const { page } = browser;
    // Headless Chromium has no dialer: the link's default is dropped after the app's own handler ran.
    await page.addInitScript("document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true);");
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(page);
    expect(await search(page, 'さとう ようた')).toContain('佐藤 陽太');
    await page.getByRole('link', { name: /佐藤 陽太/ }).first().click();
    await page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }).click();
    await page.getByText('介護者の入院', { exact: true }).click();
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    // the phone's text size (the CSP allows no style tag; the style object is the page's own)
    await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'));
    const cards = page.locator('section[aria-labelledby="match-fits"] article, section[aria-labelledby="match-near"] article');

    for (const viewport of [
      { width: 768, height: 1024 },
      { width: 360, height: 740 },
    ]) {
      await page.setViewportSize(viewport);
      // the last facility on the list: its card moves up to 電話済み, above the screen
      const card = cards.last();
      const name = (await card.getByRole('heading').innerText()).trim();
      await card.getByRole('link', { name: /^(電話|夜間) / }).first().click();
      const called = page.getByRole('region', { name: /^電話済み/ }).getByRole('article', { name });
      const line = called.getByText(/電話を記録しました。結果を選んでください。/);
      await line.waitFor();
      const seen = () =>
        line.evaluate((el, name) => {
          const card = el.closest('article')!;
          const title = [...card.querySelectorAll('.match-called__name')].find((n) => n.textContent === name)!.getBoundingClientRect();
          const rect = (s: string) => document.querySelector(s)!.getBoundingClientRect();
          const top = Math.max(0, rect('.app-bar').bottom, rect('.page__header').bottom);
          return title.top >= top - 1 && el.getBoundingClientRect().bottom <= rect('.bottom-nav').top + 1;
        }, name);
      await expect.poll(seen, { message: `at ${viewport.width} × ${viewport.height}: the name and the line clear of the bars` }).toBe(true);
      if (viewport.width === 768) expect((await room(page)).headerPinned, 'the tablet keeps its header pinned').toBe(true);
      await called.getByRole('button', { name: '不在' }).click();
      await line.waitFor({ state: 'detached' });
    }
  });

  it("follows the browser's own font size (Chrome's フォントサイズ 「特大」), on the app and on the guide", async () => {
    // a profile whose standard font size is set to 32 px, as chrome://settings/fonts writes it
    const profileDir = await mkdtemp(join(tmpdir(), 'kyoten-e2e-'));
    await mkdir(join(profileDir, 'Default'), { recursive: true });
    await writeFile(join(profileDir, 'Default', 'Preferences'), JSON.stringify({ webkit: { webprefs: { default_font_size: 32 } } }));
    browser = await openBrowser({ profileDir, viewport: { width: 1366, height: 768 } });
    const { page } = browser;
    const rootSize = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    await page.goto(baseUrl);
    await page.getByLabel('表示名').waitFor();
    // 17 px at the usual 16 px: 34 px at 32
    expect(await rootSize(), 'the app').toBeCloseTo(34, 0);
    await page.goto(`${baseUrl}/guide/night-call.html`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await rootSize(), 'the guide').toBeCloseTo(34, 0);
  });
});
