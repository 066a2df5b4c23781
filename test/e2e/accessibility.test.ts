import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openPhone, seriousA11yViolations, type AxeViolation, type PhoneSession } from './browser';
import { demoLoaded, expectNoViolations, search, setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
/** One Chromium for the file; each test's phone is a fresh context in it (its own IndexedDB and worker). */
let chromium: Browser;
let phone: PhoneSession | undefined;

beforeAll(async () => {
  chromium = await launchBrowser();
});

afterEach(async () => {
  await phone?.close();
  phone = undefined;
});

afterAll(async () => {
  await demoPhone?.then((p) => p.session.close(), () => undefined);
  await chromium?.close();
});

/**
 * The phone with the demo hub that the tests over its screens share (loading it takes a set-up and
 * a few seconds each time): the 初期設定 screen checked in both schemes before anyone is set up,
 * then the demo. The tests that share it only look, except the last (it starts a case), and each
 * starts from a fresh page (onDemoPhone), so none depends on where another left it.
 */
let demoPhone: Promise<{ session: PhoneSession; setupViolations: Record<Scheme, AxeViolation[]> }> | undefined;
function phoneWithDemo() {
  demoPhone ??= (async () => {
    const session = await openPhone(chromium);
    const { page } = session;
    await page.goto(baseUrl);
    await page.getByLabel('表示名').waitFor();
    const setupViolations = {} as Record<Scheme, AxeViolation[]>;
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      setupViolations[scheme] = await seriousA11yViolations(page);
    }
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(page);
    return { session, setupViolations };
  })();
  return demoPhone;
}

/** The demo phone at this size, its page loaded afresh (no screen's styles from an earlier test) and unlocked. */
async function onDemoPhone(viewport = { width: 360, height: 780 }): Promise<{ page: Page; setupViolations: Record<Scheme, AxeViolation[]> }> {
  const { session, setupViolations } = await phoneWithDemo();
  const { page } = session;
  await page.setViewportSize(viewport);
  await page.emulateMedia({ colorScheme: null });
  await page.goto(`${baseUrl}/#/`);
  await page.reload();
  await unlock(page);
  return { page, setupViolations };
}

const SCHEMES = ['dark', 'light'] as const;
type Scheme = (typeof SCHEMES)[number];

/**
 * Runs axe on the screen shown in the dark scheme, then in the light one (the schemes are the
 * stylesheet's prefers-color-scheme alone, colours only: no script reads it, no transition fades them).
 */
async function expectNoViolationsInEitherScheme(page: Page, screen: string, alsoCheck?: (scheme: Scheme) => Promise<void>): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    expectNoViolations(`${screen} (${scheme})`, await seriousA11yViolations(page));
    await alsoCheck?.(scheme);
  }
}

/**
 * Presses Tab from the focused field through the form until focus leaves it (or reaches its sticky
 * bar), and names each field focused under the app bar and page header above, or under the sticky
 * bar and the bottom nav below.
 */
async function tabThrough(page: Page, form: string, sticky: string): Promise<{ stops: number; hidden: string[] }> {
  const hidden: string[] = [];
  let stops = 0;
  for (let i = 0; i < 200; i += 1) {
    const seen = await page.evaluate(
      ({ form, sticky }) => {
        const el = document.activeElement as HTMLElement | null;
        const root = document.querySelector(form);
        if (el === null || root === null || !root.contains(el) || el.closest(sticky) !== null) return null;
        const r = el.getBoundingClientRect();
        const top = Math.max(...['.app-bar', '.page__header'].map((s) => document.querySelector(s)?.getBoundingClientRect().bottom ?? 0));
        const bottom = Math.min(...[sticky, '.bottom-nav'].map((s) => document.querySelector(s)?.getBoundingClientRect().top ?? innerHeight));
        const name = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? el.tagName;
        // A text area is brought into view at its caret, as Chrome scrolls a focused one: the line
        // typed on must be clear of the bars, not the whole box (taller than the screen's rest, may be)
        const lines = el.tagName === 'TEXTAREA' ? (parseFloat(getComputedStyle(el).lineHeight) || 24) + 4 : Infinity;
        return { covered: r.top < top - 1 || Math.min(r.bottom, r.top + lines) > bottom + 1, name: name.trim().slice(0, 30) };
      },
      { form, sticky },
    );
    if (seen === null) {
      if (stops > 0) break;
    } else {
      stops += 1;
      if (seen.covered) hidden.push(seen.name);
    }
    await page.keyboard.press('Tab');
  }
  return { stops, hidden };
}

describe('accessibility (axe-core, serious and critical)', () => {
  it('has no serious or critical violations on the main screens, in dark and light', async () => {
    const { page, setupViolations } = await onDemoPhone();
    for (const scheme of SCHEMES) expectNoViolations(`setup (${scheme})`, setupViolations[scheme]);
    await page.goto(`${baseUrl}/#/`);
    await page.getByLabel('検索').waitFor();
    await expectNoViolationsInEitherScheme(page, 'household list');

    await page.getByRole('list').first().getByRole('link').first().click();
    await page.getByRole('button', { name: '編集' }).waitFor();
    await expectNoViolationsInEitherScheme(page, 'household detail');

    await page.getByRole('button', { name: '編集' }).click();
    await page.getByRole('button', { name: '保存', exact: true }).waitFor();
    await expectNoViolationsInEitherScheme(page, 'household form');

    await page.goto(`${baseUrl}/#/settings`);
    await page.getByRole('heading', { name: '設定' }).first().waitFor();
    await expectNoViolationsInEitherScheme(page, 'settings');
    // The status line's link: the section it opens shows its title below the sticky bars.
    await page.goto(`${baseUrl}/#/`);
    await page.getByLabel('検索').waitFor();
    await page.goto(`${baseUrl}/#/settings/sync`);
    const title = page.getByRole('heading', { name: '拠点サーバーと同期' });
    const covered = () =>
      title.evaluate((h) => h.getBoundingClientRect().top - document.querySelector('.page__header')!.getBoundingClientRect().bottom);
    await expect.poll(covered).toBeGreaterThanOrEqual(0);
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'ロック' }).click();
    await page.getByRole('button', { name: '解錠' }).waitFor();
    await expectNoViolationsInEitherScheme(page, 'lock screen');
  });

  it('has none on the night-call screens either: cases, a case, claims, facilities, 空床を報告, import errors', async () => {
    // a fresh page (onDemoPhone), so 請求・出力's styles are not loaded yet for 機能強化加算 below
    const { page } = await onDemoPhone();
    // a file with one good row and one with a bad 事業所番号 and a report from the future
    const csv = '事業所番号,事業所名,サービス種別,空床数,空床報告日時\r\n1210100001,あおぞら,福祉型,1,2026-01-01 10:00\r\n12345,みどり,福祉型,2,2099-01-01 10:00\r\n';
    // 機能強化加算 as the first screen with figures after the demo loads: its tables once took their
    // styles from 請求・出力 and spilled 170 px past the screen when that had not been opened yet.
    await page.goto(`${baseUrl}/#/bonus`);
    await page.getByRole('heading', { level: 1, name: '機能強化加算' }).waitFor();
    await page.locator('table').first().waitFor();
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), '機能強化加算 scrolls sideways').toBeLessThanOrEqual(360);

    await page.goto(`${baseUrl}/#/cases`);
    await page.getByRole('heading', { level: 1, name: '緊急対応' }).waitFor();
    await expectNoViolationsInEitherScheme(page, 'cases');
    await page.locator('a[href^="#/cases/"]:not([href^="#/cases/new"])').first().click();
    await page.getByText(/改ざんなし/).waitFor();
    await expectNoViolationsInEitherScheme(page, 'a closed demo case');

    await page.goto(`${baseUrl}/#/claims`);
    await page.getByText(/改ざんはありません|この月の緊急対応はありません|対応がありません/).first().waitFor();
    await expectNoViolationsInEitherScheme(page, 'claims');
    // paper on the screen: the evidence report keeps its own light colours in the dark theme
    await page.getByRole('link', { name: '証跡レポートを印刷' }).click();
    await page.getByRole('heading', { name: '相談強化加算 証跡レポート' }).waitFor();
    await page.getByRole('button', { name: '印刷', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
    await expectNoViolationsInEitherScheme(page, 'evidence report');

    // the household's print sheet, with its notices (shared scope, or no 同意書)
    await page.goto(`${baseUrl}/#/`);
    await page.getByRole('list').first().getByRole('link').first().click();
    await page.getByRole('button', { name: '編集' }).waitFor();
    await page.goto(page.url().replace(/#\/households\/([^/]+).*$/, '#/households/$1/print'));
    await page.getByRole('button', { name: /印刷する|理由を記録して印刷/ }).waitFor();
    await expectNoViolationsInEitherScheme(page, 'household print sheet');

    await page.goto(`${baseUrl}/#/facilities`);
    await page.getByRole('heading', { level: 1, name: '短期入所事業所' }).waitFor();
    // a long badge (…の報告・古い情報) once pushed the list 32 px past the screen's edge
    await expectNoViolationsInEitherScheme(page, 'facility list', async (scheme) => {
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth), `facility list (${scheme}) scrolls sideways`).toBeLessThanOrEqual(360);
    });
    await page.getByRole('link', { name: / の空床を報告$/ }).first().click();
    await page.getByRole('heading', { level: 1, name: '空床を報告' }).waitFor();
    await expectNoViolationsInEitherScheme(page, '空床を報告');

    await page.goto(`${baseUrl}/#/facilities/import`);
    await page.getByLabel('CSVファイル').setInputFiles({ name: 'facilities.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByText(/未来になっています/).waitFor();
    await expectNoViolationsInEitherScheme(page, 'import errors');
  });
  it('keeps each field reached with Tab on the 聞き取り票 in view, clear of the sticky bars at 360 px', async () => {
    phone = await openPhone(chromium);
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: '世帯を登録' }).first().click();
    await page.getByRole('button', { name: '保存', exact: true }).waitFor();
    await page.getByLabel('氏名', { exact: true }).first().focus();
    const { stops, hidden } = await tabThrough(page, '.hh-form', '.hh-savebar');
    expect(stops, 'fields reached with Tab').toBeGreaterThan(40);
    expect(hidden, 'fields focused under the app bar, the 保存 bar or the bottom nav').toEqual([]);
  });

  it('keeps each field reached with Tab on the facility form in view on an office PC (1366 × 768, less the browser’s bars)', async () => {
    phone = await openPhone(chromium, { viewport: { width: 1366, height: 625 } });
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    await page.goto(`${baseUrl}/#/facilities/new`);
    await page.getByLabel('事業所名', { exact: false }).first().waitFor();
    await page.getByLabel('事業所名', { exact: false }).first().focus();
    // 定員 and the 者/児 boxes were focused under the bottom nav
    const { stops, hidden } = await tabThrough(page, '.page__body form', '.bottom-nav');
    expect(stops, 'fields reached with Tab').toBeGreaterThan(30);
    expect(hidden, 'fields focused under the app bar, the page header or the bottom nav').toEqual([]);
  });

  it('keeps each field reached with Tab on the case start in view, clear of the sticky 記録を開始 and the bottom nav at 360 × 740', async () => {
    phone = await openPhone(chromium, { viewport: { width: 360, height: 740 } });
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    // an unknown caller's case: the longest start (who called, what happened, whom it is about)
    await page.goto(`${baseUrl}/#/cases/new`);
    await page.getByRole('button', { name: '記録を開始' }).waitFor();
    await page.locator('.case-form').locator('input, select, textarea, button').first().focus();
    const { stops, hidden } = await tabThrough(page, '.case-form', '.case-start__submit');
    expect(stops, 'fields reached with Tab').toBeGreaterThan(10);
    expect(hidden, 'fields focused under the app bar, the sticky 記録を開始 or the bottom nav').toEqual([]);
  });

  it("keeps the screens usable with the phone's text at 200 % at 360 px: no sideways scroll, 「ロック」 on the screen, the title clear of the app bar, a header of a few lines, 記録を開始 clear of the nav", async () => {
    phone = await openPhone(chromium, { viewport: { width: 360, height: 740 } });
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    await page.goto(`${baseUrl}/#/cases/new`);
    const start = page.getByRole('button', { name: '記録を開始' });
    await start.waitFor();
    // the phone's text size (the CSP allows no style tag; the style object is the page's own)
    await page.evaluate(() => document.documentElement.style.setProperty('font-size', '200%', 'important'));
    // the bar drawn again at its new height (ResizeObserver), then the page scrolled under it
    await page.waitForFunction(() => {
      const bar = document.querySelector('.app-bar')!.getBoundingClientRect().height;
      return Math.abs(parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--appbar-h')) - bar) <= 1;
    });
    await page.evaluate(() => window.scrollTo(0, 400));
    const seen = await page.evaluate(() => {
      const rect = (s: string) => document.querySelector(s)!.getBoundingClientRect();
      const lock = [...document.querySelectorAll('.app-bar button')].find((b) => b.textContent === 'ロック')!.getBoundingClientRect();
      const submit = [...document.querySelectorAll('button')].find((b) => b.textContent === '記録を開始')!.getBoundingClientRect();
      return {
        scrollWidth: document.documentElement.scrollWidth,
        width: innerWidth,
        lockRight: lock.right,
        titleTop: rect('.page__title').top,
        barBottom: rect('.app-bar').bottom,
        headerBottom: rect('.page__header').bottom,
        headerHeight: rect('.page__header').height,
        submitTop: submit.top,
        submitBottom: submit.bottom,
        navTop: rect('.bottom-nav').top,
        height: innerHeight,
      };
    });
    expect(seen.scrollWidth, 'the page scrolls sideways').toBeLessThanOrEqual(seen.width);
    expect(seen.lockRight).toBeLessThanOrEqual(seen.width);
    expect(seen.titleTop, "the page's title under the app bar").toBeGreaterThanOrEqual(seen.barBottom - 1);
    expect(seen.submitBottom, '記録を開始 under the bottom nav').toBeLessThanOrEqual(seen.navTop + 1);
    // 「← 戻る」 beside the title left it one character a line: a header 416 px tall, an 11 px strip
    // of the form between it and 記録を開始
    expect(seen.headerHeight, 'the page header').toBeLessThanOrEqual(seen.height * 0.25);
    expect(seen.submitTop - Math.max(0, seen.barBottom, seen.headerBottom), 'the form seen between the header and 記録を開始').toBeGreaterThanOrEqual(150);
    // a title with a button beside it (緊急対応, 短期入所事業所) was 245 px tall
    for (const [path, title] of [
      ['cases', '緊急対応'],
      ['facilities', '短期入所事業所'],
    ]) {
      await page.goto(`${baseUrl}/#/${path}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      const header = await page.locator('.page__header').evaluate((h) => h.getBoundingClientRect().height);
      expect(header, `the page header of ${title}`).toBeLessThanOrEqual(740 * 0.25);
    }
    // the sync status keeps room for its words (it was squeezed to its padding)
    expect(await page.locator('.sync-line').evaluate((el) => el.getBoundingClientRect().width)).toBeGreaterThan(60);
    // and back at the usual size, the bar is as slim as before (a bar once grown never shrank)
    await page.evaluate(() => document.documentElement.style.removeProperty('font-size'));
    await page.waitForFunction(() => document.querySelector('.app-bar')!.getBoundingClientRect().height < 70);
    await page.waitForFunction(() => parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--appbar-h')) < 70);
  });
  it('says by shape and sign, not by colour alone, what is pressable, chosen, waiting and how serious (a phone in grayscale, a colour-blind eye)', async () => {
    // The last on the demo phone: it starts a case and records calls.
    const { page } = await onDemoPhone({ width: 360, height: 740 });
    // Headless Chromium has no dialer: the link's default is dropped after the app's own handler ran.
    await page.evaluate("document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true);");
    const style = (el: Element, pseudo?: string) => {
      const s = getComputedStyle(el, pseudo);
      return { content: s.content, borderStyle: s.borderTopStyle, fontWeight: s.fontWeight, borderColor: s.borderTopColor };
    };

    // The caller chosen on the case start: ✓ and bold, beside the others' plain names.
    expect(await search(page, 'さとう ようた')).toContain('佐藤 陽太');
    await page.getByRole('link', { name: /佐藤 陽太/ }).first().click();
    await page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }).click();
    const callers = page.locator('.case-callers button');
    await callers.first().waitFor();
    expect(await callers.count(), 'the household has two contacts to choose from').toBeGreaterThan(1);
    await callers.first().click();
    const [chosen, other] = [await callers.nth(0).evaluate(style), await callers.nth(1).evaluate(style)];
    expect(await callers.nth(0).evaluate((el) => getComputedStyle(el, '::before').content)).toMatch(/✓/);
    expect(await callers.nth(1).evaluate((el) => getComputedStyle(el, '::before').content)).toBe('none');
    expect(Number(chosen.fontWeight), 'the chosen caller is bold').toBeGreaterThan(Number(other.fontWeight));

    // A call waiting for its result has a double edge; 「入所を記録して対応を終了」, not pressable while it
    // waits, a dashed one beside the solid 「入所だけ記録」.
    await page.getByText('介護者の入院', { exact: true }).click();
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    const cards = page.locator('section[aria-labelledby="match-fits"] article, section[aria-labelledby="match-near"] article');
    const first = (await cards.first().getByRole('heading').innerText()).trim();
    await cards.first().getByRole('link', { name: /^(電話|夜間) / }).first().click();
    await page.getByRole('group', { name: `${first} の結果` }).getByRole('button', { name: '受入可' }).click();
    const second = (await cards.first().getByRole('heading').innerText()).trim();
    await cards.first().getByRole('link', { name: /^(電話|夜間) / }).first().click();
    const called = page.getByRole('region', { name: /^電話済み/ });
    expect((await called.getByRole('article', { name: second }).evaluate(style)).borderStyle, 'the call waiting for its result').toBe('double');
    expect((await called.getByRole('article', { name: first }).evaluate(style)).borderStyle, 'an answered call').toBe('solid');
    await called.getByRole('article', { name: first }).getByRole('button', { name: '入所を記録' }).click();
    const close = page.getByRole('button', { name: '入所を記録して対応を終了' });
    expect(await close.isDisabled()).toBe(true);
    expect((await close.evaluate(style)).borderStyle).toBe('dashed');
    expect((await page.getByRole('button', { name: '入所だけ記録' }).evaluate(style)).borderStyle).toBe('solid');

    // A file with a notice (a 0 Excel dropped) and an error (a short 事業所番号): each notice marked by
    // its kind, each row's line saying in words which it is.
    await page.goto(`${baseUrl}/#/facilities/import`);
    const csv = '事業所番号,事業所名\r\n110100001,つばさ苑\r\n12345,みどり\r\n';
    await page.getByLabel('CSVファイル').setInputFiles({ name: 'facilities.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const mark = (kind: string) => page.locator(`.notice--${kind}`).first().evaluate((el) => getComputedStyle(el, '::before').content);
    await page.locator('.notice--error').first().waitFor();
    const [error, warn] = [await mark('error'), await mark('warn')];
    expect(error).toMatch(/✕/);
    expect(warn).toMatch(/⚠/);
    expect(error).not.toBe(warn);
    await page.getByText(/^注意：2行目「事業所番号」/).waitFor();
    await page.getByText(/^エラー：3行目「事業所番号」/).waitFor();
    const importButton = page.getByRole('button', { name: '取り込む' });
    expect(await importButton.isDisabled()).toBe(true);
    expect((await importButton.evaluate(style)).borderStyle).toBe('dashed');
    expectNoViolations('import with a notice and an error', await seriousA11yViolations(page));
  });
});
