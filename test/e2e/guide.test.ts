/**
 * Issue 17, the guide (docs/guide) as the app serves it:
 * - the screenshots the guide shows are taken here, at 360 × 740 from the demo hub, going through
 *   the steps the guide describes by the names it uses; the run rewrites docs/guide/images/*.png
 *   (a changed screen is a changed picture in review), and every picture the guide uses is one
 *   this run takes;
 * - from the installed app, offline, 「使い方」 opens the screen's page of the guide, with its
 *   pictures, under the app's CSP;
 * - the night-call page printed to PDF is one A4 sheet, alone and as the first sheet of the
 *   coordinator's print.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, seriousA11yViolations, waitForServiceWorkerControl, type BrowserSession } from './browser';
import { expectNoViolations, setUpFirstUser, unlock } from './app-flows';
import { pdfPages } from './pdf-text';
import { namesInGuide } from '../../src/guide/ui-names';
import { addMonths } from '../../src/domain/function-bonus';
import { japanMonthOf } from '../../src/domain/japan-time';

const baseUrl = inject('baseUrl');
const VIEWPORT = { width: 360, height: 740 };
/** the page's clock for the whole walk: one night, always the same */
const GUIDE_NOW = new Date('2026-12-03T02:10:00+09:00');
const GUIDE_DIR = resolve(import.meta.dirname, '../../docs/guide');
/** A picture in the guide should stay small: it is precached on every phone. */
const MAX_PICTURE_BYTES = 120_000;
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

/**
 * Text as the PDF draws it: lines wrap anywhere and spaces are laid out, not drawn; the font's
 * ToUnicode map gives some kanji as Kangxi radicals (入 as ⼊), which NFKC folds back, and a few
 * glyphs as nothing readable (dropped).
 */
const compact = (s: string) => s.normalize('NFKC').replace(/[\s\u3000\ufffd]+/g, '');

/** The pictures the guide's Markdown uses. */
function picturesInGuide(): Set<string> {
  const used = new Set<string>();
  for (const f of readdirSync(GUIDE_DIR).filter((n) => n.endsWith('.md'))) {
    for (const m of readFileSync(join(GUIDE_DIR, f), 'utf8').matchAll(/!\[[^\]]*\]\(images\/([^)]+\.png)\)/g)) used.add(m[1]!);
  }
  return used;
}

/** What a screen shows a user: its text and the names its controls are announced by. */
const SHOWN = `[document.body.innerText, ...[...document.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))].join('\\n')`;

/** A name of the guide as a pattern: 〇〇 is what the app fills in. */
const namePattern = (name: string) => new RegExp(name.split('〇〇').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+'));

function camera(page: Page) {
  const taken: string[] = [];
  const shown: string[] = [];
  const look = async () => void shown.push(await page.evaluate<string>(SHOWN));
  return {
    taken,
    shown,
    look,
    async shot(name: string): Promise<void> {
      await look();
      // fonts and pictures settled, no caret, animation or hover: the same screen gives the same picture
      await page.evaluate('document.fonts.ready');
      await page.mouse.move(1, 1);
      await page.screenshot({ path: join(GUIDE_DIR, 'images', `${name}.png`), type: 'png', animations: 'disabled', caret: 'hide' });
      taken.push(`${name}.png`);
    },
  };
}

/** The A4 sheet in PDF points, as the PDF's MediaBox of each page says. */
function mediaBoxes(pdf: Buffer): { width: number; height: number }[] {
  return [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/g)].map((m) => ({
    width: Number(m[3]) - Number(m[1]),
    height: Number(m[4]) - Number(m[2]),
  }));
}

const A4 = { width: (210 / 25.4) * 72, height: (297 / 25.4) * 72 };

describe('the guide', () => {
  it('takes the guide pictures at 360 × 740 from the demo hub, going through the steps it describes', async () => {
    browser = await openBrowser({ viewport: VIEWPORT });
    const { page } = browser;
    // Headless Chromium has no dialer: the link's default is dropped after the app's own handler ran.
    await page.addInitScript(
      "document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true);",
    );
    // One night, always the same: the demo hub and every time shown are the same run after run.
    await page.clock.setFixedTime(GUIDE_NOW);
    const { shot, taken, shown, look } = camera(page);

    await page.goto(baseUrl);
    await page.getByLabel('表示名').fill('夜間 太郎');
    await shot('start-setup');
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await page.getByRole('button', { name: 'デモデータを消去' }).waitFor({ timeout: 60_000 });

    // 夜間の緊急対応
    await page.getByLabel('検索').fill('さとう');
    const household = page.getByRole('link', { name: /佐藤 陽太/ }).first();
    await household.waitFor();
    await shot('night-1-search');
    await household.click();
    const start = page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' });
    await start.waitFor();
    await shot('night-2-household');
    await start.click();
    await page.getByText('介護者の入院', { exact: true }).click();
    await page.getByLabel('要請の内容（詳細）').fill('母が救急搬送され入院。本人は自宅に一人。');
    await shot('night-3-start');
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    await page.getByRole('heading', { name: '受入可能な事業所' }).waitFor();
    await shot('night-4-match');
    const cards = page.locator('section[aria-labelledby="match-fits"] article, section[aria-labelledby="match-near"] article');
    const first = (await cards.first().getByRole('heading').innerText()).trim();
    await cards.first().getByRole('link', { name: /^(電話|夜間) / }).first().click();
    await page.getByRole('group', { name: `${first} の結果` }).waitFor();
    await look();
    await page.getByRole('group', { name: `${first} の結果` }).getByRole('button', { name: '受入不可' }).click();
    const called = page.getByRole('region', { name: /^電話済み/ });
    await called.getByRole('article', { name: first }).getByText(/受入不可・\d{2}:\d{2}/).waitFor();
    const second = (await cards.first().getByRole('heading').innerText()).trim();
    await cards.first().getByRole('link', { name: /^(電話|夜間) / }).first().click();
    await page.getByRole('group', { name: `${second} の結果` }).getByRole('button', { name: '受入可' }).click();
    const yes = called.getByRole('article', { name: second });
    await yes.getByRole('button', { name: '入所を記録' }).click();
    const admitAndClose = yes.getByRole('button', { name: '入所を記録して対応を終了' });
    await admitAndClose.waitFor();
    await shot('night-5-admit');
    await admitAndClose.click();
    await page.getByText(/改ざんなし（\d+件の記録を確認）/).waitFor();
    await shot('night-6-closed');
    // the night page's other roads: an unknown caller, the case while it is open
    await page.getByRole('navigation').getByRole('link', { name: '緊急対応' }).click();
    await page.getByRole('link', { name: '本人未特定で開始' }).waitFor();
    await look();
    await page.getByRole('link', { name: '本人未特定で開始' }).click();
    await page.getByText('介護者の急病・けが', { exact: true }).click();
    await look();
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByRole('heading', { name: '登録者と結び付ける' }).waitFor();
    await look();

    // 事前登録
    await page.getByRole('navigation').getByRole('link', { name: '世帯' }).click();
    await page.getByRole('button', { name: '世帯を登録' }).first().click();
    await page.getByLabel('氏名', { exact: true }).first().waitFor();
    await shot('registration-form');

    // 事業所と空床
    await page.getByRole('navigation').getByRole('link', { name: '事業所' }).click();
    await page.getByRole('heading', { name: '短期入所事業所' }).waitFor();
    await page.getByRole('link', { name: /の空床を報告$/ }).first().click();
    await page.getByLabel('空床数').fill('2');
    await page.getByText('期間を指定（週末など）').click();
    await page.getByLabel('初日').fill('2026-12-05');
    await page.getByLabel('最終日').fill('2026-12-06');
    await page.getByRole('button', { name: '報告する' }).waitFor();
    await shot('facilities-vacancy');

    // 月次の請求
    await page.getByRole('navigation').getByRole('link', { name: '緊急対応' }).click();
    await page.getByRole('link', { name: '月次の請求・出力' }).click();
    await page.getByRole('heading', { name: '請求一覧（算定分）' }).waitFor();
    await page.getByText(/この月の\d+件の記録を確認しました。改ざんはありません。/).waitFor({ timeout: 30_000 });
    await shot('claims-month');

    // 機能強化加算: the demo's two coordinators, its split and the counts entered until last month
    await page.getByRole('link', { name: '機能強化加算（上限と割り振り）' }).click();
    await page.getByText('上限 200件（常勤専従のコーディネーター2人 × 100件）').first().waitFor();
    // the month before the page's own clock, not the machine's
    const lastMonth = addMonths(japanMonthOf(GUIDE_NOW), -1);
    await page.getByLabel('対象月').fill(lastMonth);
    await page.getByRole('heading', { name: `${Number(lastMonth.slice(0, 4))}年${Number(lastMonth.slice(5, 7))}月` }).waitFor();
    await page.getByRole('heading', { name: '事業所ごと' }).first().evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 300));
    await shot('function-bonus');

    // 端末の受け渡しと同期
    await page.getByRole('navigation').getByRole('link', { name: '設定' }).click();
    const syncHeading = page.getByRole('heading', { name: '拠点サーバーと同期' });
    await syncHeading.waitFor();
    // its heading just below the sticky bars
    await syncHeading.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 130));
    await page.getByRole('button', { name: 'サインインして参加' }).waitFor();
    await shot('handover-sync');
    await page.getByRole('button', { name: 'ロック' }).click();
    await page.getByRole('heading', { name: 'ロック中' }).waitFor();
    await page.getByRole('button', { name: '解錠' }).waitFor();
    await shot('handover-lock');

    expect(new Set(taken), 'pictures the guide uses = pictures this run takes').toEqual(picturesInGuide());
    // every name on the night-call page was on a screen of this run, as the app rendered it
    const nightPage = 'night-call.md';
    const notShown = namesInGuide(readFileSync(join(GUIDE_DIR, nightPage), 'utf8'), `docs/guide/${nightPage}`)
      .filter((n) => !shown.some((text) => namePattern(n.name).test(text)))
      .map((n) => `${n.where}: 「${n.name}」`);
    expect(notShown, 'names on the night-call page no screen showed').toEqual([]);
    const big = taken.filter((name) => statSync(join(GUIDE_DIR, 'images', name)).size > MAX_PICTURE_BYTES);
    expect(big, `pictures over ${MAX_PICTURE_BYTES} bytes`).toEqual([]);
  });

  it('opens the screen’s page of the guide from 「使い方」 in the installed app, offline', async () => {
    browser = await openBrowser({ viewport: VIEWPORT });
    const { page, context } = browser;
    const cspErrors: string[] = [];
    context.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspErrors.push(m.text());
    });
    await setUpFirstUser(page, baseUrl);
    await waitForServiceWorkerControl(page);
    await context.setOffline(true);
    await page.reload();
    await unlock(page);

    const openHelp = async (expectedTitle: string): Promise<Page> => {
      const [guide] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: /^使い方/ }).click()]);
      await guide.getByRole('heading', { level: 1, name: expectedTitle }).waitFor({ timeout: 30_000 });
      return guide;
    };

    // the household list is the night's screen
    const night = await openHelp('夜間の緊急対応');
    expect(new URL(night.url()).pathname).toBe('/guide/night-call.html');
    expect(await night.evaluate('Boolean(navigator.serviceWorker.controller)'), 'served by the service worker').toBe(true);
    await night.getByRole('heading', { name: '4. 受入先に電話する' }).waitFor();
    // its pictures come from the precache too
    const picture = night.getByRole('img', { name: '受入先を探す画面' });
    await picture.scrollIntoViewIfNeeded();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(360);
    // the stylesheet applied (the guide's own, under style-src 'self')
    expect(await night.evaluate("getComputedStyle(document.querySelector('.guide')).maxWidth")).toBe('760px');
    expectNoViolations('guide: night call', await seriousA11yViolations(night));
    // its table of contents, and the app still unlocked in its own tab
    await night.getByRole('link', { name: '手引きの目次' }).click();
    await night.getByRole('link', { name: '拠点サーバーの管理' }).waitFor();
    await night.close();
    await page.getByRole('button', { name: 'ロック' }).waitFor();

    await page.getByRole('navigation').getByRole('link', { name: '設定' }).click();
    await page.getByRole('heading', { name: '拠点サーバーと同期' }).waitFor();
    const settings = await openHelp('端末の受け渡しと同期');
    await settings.close();
    expect(cspErrors).toEqual([]);
  });

  it('prints the night-call page on exactly one A4 sheet, alone and first in the coordinator’s print', async () => {
    browser = await openBrowser();
    const { page } = browser;
    // words whose every kanji the PDF's font maps back to itself
    const lastStep = compact('確保を優先してください。ほかの電話でかけた分は、終了する前に記録の');

    // the print dialog, which headless Chromium does not show, is noted instead
    await page.addInitScript('window.print = () => { window.__printAsked = (window.__printAsked ?? 0) + 1; };');
    await page.goto(`${baseUrl}/guide/night-call.html`);
    await page.getByRole('heading', { level: 1, name: '夜間の緊急対応' }).waitFor();
    // 「印刷する（A4）」 works under the CSP: its handler is the guide's own print.js
    await page.getByRole('button', { name: '印刷する（A4）' }).click();
    expect(await page.evaluate('window.__printAsked')).toBe(1);
    await page.emulateMedia({ media: 'print' });
    // the page's own @page size decides the sheet
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const boxes = mediaBoxes(pdf);
    expect(boxes, 'pages in the PDF').toHaveLength(1);
    expect(Math.abs(boxes[0]!.width - A4.width), `width ${boxes[0]!.width}pt`).toBeLessThan(1.5);
    expect(Math.abs(boxes[0]!.height - A4.height), `height ${boxes[0]!.height}pt`).toBeLessThan(1.5);
    const [text] = pdfPages(pdf);
    expect(compact(text!)).toContain(compact('夜間の緊急対応'));
    expect(compact(text!)).toContain(compact('を記録して対応を終了'));
    expect(compact(text!), 'the last words of the page are on the sheet').toContain(lastStep);

    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${baseUrl}/guide/print-coordinator.html`);
    await page.getByRole('heading', { level: 1, name: '夜間の緊急対応' }).waitFor();
    await page.emulateMedia({ media: 'print' });
    const all = pdfPages(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
    expect(all.length).toBeGreaterThanOrEqual(4);
    expect(compact(all[0]!)).toContain(lastStep);
    expect(compact(all[1]!).startsWith(compact('端末の受け渡しと同期')), 'the next part starts on a new sheet').toBe(true);
  });
});
