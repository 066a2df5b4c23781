/**
 * Opened over plain http on an address that is not this computer, the app says in Japanese that
 * it must be opened over https (or at localhost), and how, before anyone types a passphrase
 * (issue 12). Chromium maps the name kyoten.test to the loopback server, so no network is
 * needed, yet the page is not a secure context: only localhost and 127.0.0.1 are.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, type BrowserSession } from './browser';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

describe('the app over plain http from another machine', () => {
  it('shows that it must be opened over https, at the hub address the administrator gave or at localhost, and no passphrase field', async () => {
    const port = new URL(baseUrl).port;
    browser = await openBrowser({ extraArgs: ['--host-resolver-rules=MAP kyoten.test 127.0.0.1'] });
    const { page } = browser;
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://kyoten.test:${port}/`);
    await page.getByRole('heading', { name: 'https で開いてください' }).waitFor();
    expect(await page.evaluate('window.isSecureContext')).toBe(false);
    const text = await page.locator('main').innerText();
    expect(text).toContain('暗号化されていない接続');
    // The server speaks plain http on its port; https is the reverse proxy's, at the administrator's address.
    expect(text).toContain('管理者から知らされた拠点サーバーの https:// で始まるアドレスで開いてください');
    expect(text).not.toContain(`https://kyoten.test:${port}`);
    expect(text).toContain(`http://localhost:${port}/`);
    expect(text).not.toContain('予期しないエラー');
    expect(await page.locator('input[type=password]').count()).toBe(0);
    expect(await page.title()).toContain('https で開いてください');
    expect(errors).toEqual([]);
  });

  it('on this computer (127.0.0.1) the same build opens as usual, with its passphrase field', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await page.goto(`${baseUrl}/`);
    await page.locator('input[type=password]').first().waitFor();
    expect(await page.getByRole('heading', { name: 'https で開いてください' }).count()).toBe(0);
  });
});
