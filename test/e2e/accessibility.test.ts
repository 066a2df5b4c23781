import { afterEach, describe, inject, it } from 'vitest';
import { openBrowser, seriousA11yViolations, type BrowserSession } from './browser';
import { expectNoViolations, PASSPHRASE, setUpFirstUser } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

describe('accessibility (axe-core, serious and critical)', () => {
  it('has no serious or critical violations on the main screens, in dark and light', async () => {
    browser = await openBrowser();
    const { page } = browser;
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      if (scheme === 'dark') {
        await page.goto(baseUrl);
        await page.getByLabel('表示名').waitFor();
        expectNoViolations(`setup (${scheme})`, await seriousA11yViolations(page));
        await setUpFirstUser(page, baseUrl);
        await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
        await page.getByText('デモ').first().waitFor();
      }
      await page.goto(`${baseUrl}/#/`);
      await page.getByLabel('検索').waitFor().catch(async () => {
        await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
        await page.getByRole('button', { name: '解錠' }).click();
        await page.getByLabel('検索').waitFor();
      });
      expectNoViolations(`household list (${scheme})`, await seriousA11yViolations(page));

      await page.getByRole('list').first().getByRole('link').first().click();
      await page.getByRole('button', { name: '編集' }).waitFor();
      expectNoViolations(`household detail (${scheme})`, await seriousA11yViolations(page));

      await page.getByRole('button', { name: '編集' }).click();
      await page.getByRole('button', { name: '保存', exact: true }).waitFor();
      expectNoViolations(`household form (${scheme})`, await seriousA11yViolations(page));

      await page.goto(`${baseUrl}/#/settings`);
      await page.getByRole('heading', { name: '設定' }).first().waitFor();
      expectNoViolations(`settings (${scheme})`, await seriousA11yViolations(page));

      await page.getByRole('button', { name: 'ロック' }).click();
      await page.getByRole('button', { name: '解錠' }).waitFor();
      expectNoViolations(`lock screen (${scheme})`, await seriousA11yViolations(page));
    }
  });
});
