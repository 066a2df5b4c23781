import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, waitForServiceWorker, type BrowserSession } from './browser';
import { registerHousehold, search, setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

describe('a household registered on the device is found offline after a reload', () => {
  it('registers, goes offline, reloads, unlocks and finds it by katakana and by a hyphenated phone', async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await setUpFirstUser(page, baseUrl);
    await registerHousehold(page, {
      name: '佐藤 陽太',
      furigana: 'さとう ようた',
      birthDate: '2010-05-14',
      phone: '（０４７）３６５ー１２３４',
    });
    await waitForServiceWorker(page);

    await context.setOffline(true);
    await page.reload();
    // A reload drops the key: the app opens locked, from the service worker's cache.
    await page.getByRole('button', { name: '解錠' }).waitFor();
    await unlock(page);
    // the same person is returned to the household they had open
    await page.getByRole('heading', { level: 1, name: '佐藤 陽太' }).waitFor();

    expect(await search(page, 'サトウ')).toContain('佐藤 陽太');
    expect(await search(page, '047-365-1234')).toContain('佐藤 陽太');
    expect(await search(page, 'ｻﾄｳ ﾖｳﾀ')).toContain('佐藤 陽太');
    const miss = await page.getByLabel('検索').fill('タナカ').then(() => page.getByText('0件').first().isVisible());
    expect(miss).toBe(true);
  });

  it('refuses a birth date left half typed, which the browser would hand over as empty (saved as 年齢不明)', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: '世帯を登録' }).first().click();
    await page.getByLabel('氏名', { exact: true }).first().fill('佐藤 陽太');
    const birth = page.getByLabel('生年月日').first();
    // one part of the date set (as a thumb on a spinner does), the others left blank
    await birth.focus();
    await page.keyboard.press('ArrowUp');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('日付が途中までしか入力されていません').first().waitFor();
    expect(await page.getByRole('heading', { level: 1, name: '佐藤 陽太' }).count()).toBe(0);
  });

  it('says so when the passphrase is wrong and stays locked', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'ロック' }).click();
    await page.getByLabel('パスフレーズ', { exact: true }).fill('wrong-passphrase');
    await page.getByRole('button', { name: '解錠' }).click();
    // beside the field (a screen reader also hears it from the page's live region, which is not shown)
    await page.locator('.field__error', { hasText: 'パスフレーズが違います' }).waitFor();
    expect(await page.getByLabel('検索').count()).toBe(0);
    await unlock(page);
    expect(await page.getByLabel('検索').isVisible()).toBe(true);
  });
});
