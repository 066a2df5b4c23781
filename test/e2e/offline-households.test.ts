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

  it('says so when the passphrase is wrong and stays locked', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'ロック' }).click();
    await page.getByLabel('パスフレーズ', { exact: true }).fill('wrong-passphrase');
    await page.getByRole('button', { name: '解錠' }).click();
    await page.getByText('パスフレーズが違います').waitFor();
    expect(await page.getByLabel('検索').count()).toBe(0);
    await unlock(page);
    expect(await page.getByLabel('検索').isVisible()).toBe(true);
  });
});
