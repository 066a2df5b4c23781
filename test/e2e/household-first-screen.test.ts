/**
 * The household's first screen at 360 × 740 (issue 13, point 2): for the densest household of the
 * demo hub, each person's essentials, the first two contacts and 「緊急対応を開始」 are all on the
 * screen without scrolling, above the bottom nav. Then the routes: a reload returns the same person
 * to the same case with the form they were typing in; the back button follows the screens.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { generateDemoHub } from '../../src/domain/demo-data';
import type { Household } from '../../src/domain/household';
import { launchBrowser, openPhone, seriousA11yViolations, type PhoneSession } from './browser';
import { demoLoaded, expectNoViolations, PASSPHRASE, registerHousehold, search, setUpFirstUser, unlock } from './app-flows';

/** Whether the vault holds a draft whose key starts so (its key only; the text is sealed). */
const draftSaved = (prefix: string) => `new Promise((done) => {
  const open = indexedDB.open('kyoten-vault');
  open.onsuccess = () => {
    const keys = open.result.transaction('drafts').objectStore('drafts').getAllKeys();
    keys.onsuccess = () => { done(keys.result.some((k) => String(k).startsWith(${JSON.stringify(prefix)}))); open.result.close(); };
    keys.onerror = () => done(false);
  };
  open.onerror = () => done(false);
})`;
const OUTCOME_DRAFT_SAVED = draftSaved('case-outcome:');

const baseUrl = inject('baseUrl');
const VIEWPORT = { width: 360, height: 740 };
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
  await demoPhone?.then((p) => p.close(), () => undefined);
  await chromium?.close();
});

/**
 * The phone at 360 × 740 with the demo hub that the tests over its households share (setting one up
 * and loading the demo takes several seconds each time). The first test only looks; the two after it
 * start a case and type into 佐藤 陽太's 聞き取り票, each from the list, unlocked (onDemoPhone).
 */
let demoPhone: Promise<PhoneSession> | undefined;
async function onDemoPhone(): Promise<Page> {
  demoPhone ??= (async () => {
    const session = await openPhone(chromium, { viewport: VIEWPORT });
    await setUpFirstUser(session.page, baseUrl);
    await session.page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(session.page);
    return session;
  })();
  const { page } = await demoPhone;
  await page.goto(`${baseUrl}/#/`);
  const unlockButton = page.getByRole('button', { name: '解錠' });
  await page.getByLabel('検索').or(unlockButton).waitFor();
  if (await unlockButton.isVisible()) await unlock(page);
  return page;
}

/** The demo household with the most to show first: the most persons, then the longest answers. */
function densestDemoHousehold(): Household {
  const { households } = generateDemoHub({ households: 40, facilities: 8, now: new Date().toISOString() });
  const weight = (h: Household) =>
    h.persons.length * 10_000 +
    h.persons.reduce((n, p) => n + p.medicalCareDetails.length + p.medications.length + p.allergies.length + p.calming.length + p.triggers.length, 0);
  return households.filter((h) => h.consent !== null && !h.withdrawal).sort((a, b) => weight(b) - weight(a))[0]!;
}

/** The phone at 360 × 740 with the demo hub, on 佐藤 陽太's household. */
async function openYotasHousehold(): Promise<Page> {
  const page = await onDemoPhone();
  expect(await search(page, 'さとう ようた')).toContain('佐藤 陽太');
  await page.getByRole('link', { name: /佐藤 陽太/ }).first().click();
  return page;
}

async function expectOnScreen(page: Page, target: Locator, what: string): Promise<void> {
  const box = await target.boundingBox();
  expect(box, `${what} is not shown`).not.toBeNull();
  const navTop = await page.locator('.bottom-nav').evaluate((el) => el.getBoundingClientRect().top);
  const bottom = Math.min(VIEWPORT.height, navTop);
  expect(box!.y >= 0 && box!.y + box!.height <= bottom, `${what} is outside the screen (y ${Math.round(box!.y)}–${Math.round(box!.y + box!.height)}, visible to ${bottom})`).toBe(true);
}

describe('the household first screen and the routes, at 360 × 740', () => {
  it('shows the densest demo household\'s essentials, first contacts and the start buttons without scrolling', async () => {
    const page = await onDemoPhone();
    const densest = densestDemoHousehold();
    const first = densest.persons[0]!;
    expect(await search(page, first.name)).toContain(first.name);
    // Opened from far down a scrolled list: the household still opens at its top.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.getByRole('link', { name: new RegExp(first.name) }).first().click();
    await page.getByRole('heading', { level: 1, name: first.name }).waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    // kept for a look when the layout changes (the assertions below are what counts)
    await page.screenshot({ path: join(tmpdir(), 'kyoten-household-first-screen.png') });

    for (const p of densest.persons) {
      const summary = page.getByRole('region', { name: `${p.name}さんの要点` });
      await expectOnScreen(page, summary, `${p.name}: essentials`);
      if (p.medications) await expectOnScreen(page, summary.getByText('服薬', { exact: true }), `${p.name}: 服薬`);
      if (p.calming) await expectOnScreen(page, summary.getByText('落ち着く', { exact: true }), `${p.name}: 落ち着く`);
      await expectOnScreen(page, page.getByRole('link', { name: `${p.name}さんの緊急対応を開始` }), `${p.name}: 緊急対応を開始`);
    }
    const calls = page.getByRole('list', { name: '緊急連絡先' }).getByRole('link');
    expect(await calls.count()).toBe(Math.min(2, densest.emergencyContacts.length));
    for (let i = 0; i < (await calls.count()); i++) {
      await expectOnScreen(page, calls.nth(i), `contact ${i + 1}`);
      // written as Japanese numbers are written, and not cut off by the button
      expect(await calls.nth(i).innerText()).toMatch(/\d{2,4}-\d{2,4}-\d{4}$/);
      const number = calls.nth(i).locator('.ps-call__number');
      expect(await number.evaluate((el) => el.scrollWidth <= (el.parentElement?.clientWidth ?? 0))).toBe(true);
    }
    expectNoViolations('household first screen', await seriousA11yViolations(page));
  });

  it('keeps three persons\' start buttons and the first contacts on the screen when each has long answers', async () => {
    phone = await openPhone(chromium, { viewport: VIEWPORT });
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    const long = '朝・夕にデパケンR 200mg、夜にリスペリドン 1mg、頓服でダイアップ座薬 6mg（発作が5分以上続くとき）、便秘時に酸化マグネシウム';
    await registerHousehold(page, { name: '山田 一郎', furigana: 'やまだ いちろう', birthDate: '2003-05-01', phone: '047-123-4567', medication: long, contactName: '山田 花子', contactPhone: '090-1111-2222' });
    await page.getByRole('button', { name: '編集' }).click();
    for (const [i, [name, furigana, birthDate]] of [
      ['山田 次郎', 'やまだ じろう', '2010-08-01'],
      ['山田 三郎', 'やまだ さぶろう', '2012-02-01'],
    ].entries()) {
      await page.getByRole('button', { name: '本人を追加' }).click();
      const nth = i + 1;
      await page.getByLabel('氏名', { exact: true }).nth(nth).fill(name!);
      await page.getByLabel('ふりがな', { exact: true }).nth(nth).fill(furigana!);
      await page.getByLabel('生年月日', { exact: true }).nth(nth).fill(birthDate!);
      await page.getByLabel('服薬', { exact: true }).nth(nth).fill(long);
      await page.getByLabel('発作', { exact: true }).nth(nth).fill('てんかん発作。5分以上続けば座薬を入れ、救急車を呼ぶ（主治医の指示）');
    }
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('button', { name: '編集' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(tmpdir(), 'kyoten-household-three-persons.png') });
    for (const name of ['山田 一郎', '山田 次郎', '山田 三郎']) {
      await expectOnScreen(page, page.getByRole('link', { name: `${name}さんの緊急対応を開始` }), `${name}: 緊急対応を開始`);
    }
    await expectOnScreen(page, page.getByRole('list', { name: '緊急連絡先' }).getByRole('link').first(), 'contact 1');
    // the seizure line is on the person's essentials, one line, unfolded by its label
    const jiro = page.getByRole('region', { name: '山田 次郎さんの要点' });
    await expect.poll(() => jiro.getByText('発作', { exact: true }).count()).toBe(1);
    expect(await jiro.innerText()).toContain('てんかん発作');
  });

  it('returns to the same case with its draft after a reload, and the back button follows the screens', async () => {
    const page = await openYotasHousehold();
    const household = page.url();
    await page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }).click();
    await page.getByText('介護者の入院', { exact: true }).click();
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    // back: from the match to the case (not to the start form), then to the household
    await page.goBack();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    const caseUrl = page.url();
    expect(caseUrl).toMatch(/#\/cases\/[0-9a-f-]+$/);
    await page.goBack();
    await page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }).waitFor();
    expect(page.url()).toBe(household);
    await page.goForward();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();

    // a call note being typed, then the page reloads (the phone killed the tab)
    await page.getByRole('button', { name: '対応結果を記録' }).click();
    await page.getByLabel('内容・メモ').fill('叔母が付き添い、明朝まで自宅で様子を見る');
    // the encrypted draft is written ~0.5 s after the last keystroke
    await expect.poll(() => page.evaluate(OUTCOME_DRAFT_SAVED), { timeout: 15_000 }).toBe(true);
    await page.reload();
    await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: '解錠' }).click();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor({ timeout: 30_000 });
    expect(page.url()).toBe(caseUrl);
    await expect.poll(() => page.getByLabel('内容・メモ').inputValue(), { timeout: 15_000 }).toContain('明朝まで');
    expectNoViolations('case after reload', await seriousA11yViolations(page));
  });

  it('returns to the same place in a long 聞き取り票 after the phone locks, with the typed text', async () => {
    const page = await openYotasHousehold();
    await page.getByRole('button', { name: '編集' }).click();

    // Halfway down an hour's interview: the daily-living section opened, a field being filled.
    await page.getByText('日常生活状況（支援の程度）', { exact: true }).click();
    const field = page.getByLabel('落ち着く方法', { exact: true }).first();
    await field.fill('好きな電車の動画を見せると落ち着く');
    await field.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    const topOf = () => field.evaluate((el) => Math.round(el.getBoundingClientRect().top));
    const before = await topOf();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(1_000);
    await expect.poll(() => page.evaluate(draftSaved('household:')), { timeout: 15_000 }).toBe(true);

    await page.getByRole('button', { name: 'ロック' }).click();
    await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: '解錠' }).click();
    // The text is back, and so is the screen: the same field where it stood, not the form's top.
    await expect.poll(() => field.inputValue(), { timeout: 30_000 }).toBe('好きな電車の動画を見せると落ち着く');
    await expect.poll(async () => Math.abs((await topOf()) - before), { timeout: 15_000 }).toBeLessThanOrEqual(2);
    await page.getByText('保存していない入力を復元しました').waitFor({ state: 'attached' });
  });

  it('says when an answer runs past its lines, and shows the rest in place on a tap anywhere on the line', async () => {
    phone = await openPhone(chromium, { viewport: VIEWPORT });
    const { page } = phone;
    await setUpFirstUser(page, baseUrl);
    const medication = 'バルプロ酸ナトリウム 200mg 朝夕、カルバマゼピン 100mg 夕、酸化マグネシウム 330mg 毎食後、頓用でジアゼパム坐剤 6mg（発作が5分続いたら）、夜間の吸入は 22時 と 4時';
    await registerHousehold(page, { name: '長文 薬子', furigana: 'ちょうぶん くすりこ', birthDate: '2001-04-01', phone: '047-111-2222', medication });
    const summary = page.getByRole('region', { name: '長文 薬子さんの要点' });
    const value = summary.locator('dd', { hasText: 'バルプロ酸' });
    const isCut = () => value.evaluate((el) => el.scrollHeight > el.clientHeight + 1);
    expect(await isCut()).toBe(true);
    expect(await summary.getByRole('button', { name: /^服薬\s*続きを表示$/ }).getAttribute('aria-expanded')).toBe('false');
    const toggle = summary.getByRole('button', { name: /^服薬/ });
    // the tap lands on the text, not on the label: the whole line is the button
    const box = (await value.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(isCut).toBe(false);
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await expectOnScreen(page, summary.getByText(/夜間の吸入は 22時 と 4時$/), 'the end of the medication list');
    expectNoViolations('an essentials line unfolded', await seriousA11yViolations(page));
    // folded again; a line that fits has no button
    await summary.getByRole('button', { name: /^服薬\s*折りたたむ$/ }).click();
    await expect.poll(isCut).toBe(true);
    expect(await summary.getByRole('button', { name: /医ケア/ }).count()).toBe(0);
  });
});

