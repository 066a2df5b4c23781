/**
 * [scenario 3] The 18:00 handover with a second tab open (the guide's 「拠点ナビを開く」 opens one):
 * the day coordinator presses ロック in one tab and the other tab, unlocked as them, locks too; it
 * shows why. Real BroadcastChannel between two tabs of one Chromium profile.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, type BrowserSession } from './browser';
import { setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

describe('two tabs of the app on one phone', () => {
  it('the ロック button in one tab locks the other, which drops the household list and says why', async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    await setUpFirstUser(page, baseUrl, '日勤 花子');
    const second = await context.newPage();
    await second.goto(`${baseUrl}/#/`);
    await unlock(second);
    await second.getByLabel('検索').waitFor();

    await page.getByRole('button', { name: 'ロック', exact: true }).click();
    await page.getByRole('button', { name: '解錠' }).waitFor();

    await second.getByRole('button', { name: '解錠' }).waitFor();
    expect(await second.getByText('別のタブでロックまたは別の人が解錠したため、このタブもロックしました').isVisible()).toBe(true);
    expect(await second.getByLabel('検索').count()).toBe(0);
  });
});
