/**
 * Issue 5 in headless Chromium: two phones (two browser contexts with their own profiles, vaults
 * and hub accounts) join one hub server (the real HTTP API over real PostgreSQL). While both are
 * offline, one opens an emergency case and both change the same household's phone number. After
 * both reconnect, the case is on the other phone, and the same-field conflict is shown there and
 * settled; both phones end with the same household.
 */
import { resolve } from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { startServer } from '../../src/server/app-server';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { SqlStore } from '../../src/server/db/sql-store';
import { createApiHandler } from '../../src/server/http/api';
import { createAccounts } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { openBrowser, type BrowserSession } from './browser';
import { registerHousehold, search, setUpFirstUser } from './app-flows';

const HUB = 'hub-e2e';
const PASSWORD = 'e2e-hub-password-2026';
const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `e2e_sync_${process.pid}_${Date.now()}`;

let store: SqlStore;
let accounts: ReturnType<typeof createAccounts>;
let server: Server;
let baseUrl: string;
const users: { loginName: string; totpSecret: string }[] = [];
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  store = await openPostgresStore({ connectionString: url, schema });
  await store.migrate();
  await store.createTenant({ id: HUB, name: 'e2e 拠点' });
  await store.createOffice({ id: 'office-e2e', tenantId: HUB, name: '相談支援事業所 e2e' });
  const config = { idleMinutes: 30, maxHours: 12, now: () => new Date() };
  accounts = createAccounts(store, config);
  for (const [i, name] of ['夜間 太郎', '夜間 花子'].entries()) {
    const loginName = `coord${i + 1}`;
    const { totpSecret } = await accounts.createUser({ id: `u${i + 1}`, tenantId: HUB, role: 'coordinator', loginName, displayName: name, password: PASSWORD });
    users.push({ loginName, totpSecret });
  }
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    distDir: resolve(import.meta.dirname, '../../dist'),
    api: createApiHandler({ store: () => store, accounts: config }),
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const b of browsers) await b.dispose();
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await store?.close();
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.end();
});

const statusLine = (page: Page) => page.getByRole('status', { name: /^同期の状態/ });

/** Opens 「拠点サーバーと同期」 and joins the hub as `user`; waits for the first sync to finish. */
async function joinHub(page: Page, user: { loginName: string; totpSecret: string }): Promise<void> {
  await page.goto(`${baseUrl}/#/settings/sync`);
  await page.getByLabel('拠点ID').fill(HUB);
  await page.getByLabel('ログインID').fill(user.loginName);
  await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
  await page.getByLabel('確認コード（6桁）').fill(totpCode(user.totpSecret, new Date()));
  await page.getByRole('button', { name: 'ログインして参加' }).click();
  await synced(page);
}

/** The status line says the last sync succeeded and nothing waits. */
async function synced(page: Page): Promise<void> {
  await expect.poll(async () => (await statusLine(page).getAttribute('aria-label')) ?? '', { timeout: 30_000 }).toMatch(/最終同期 \d+\/\d+ \d\d:\d\d$/);
}

async function changePhone(page: Page, name: string, phone: string): Promise<void> {
  await page.goto(`${baseUrl}/#/`);
  await search(page, name);
  await page.getByRole('link', { name: new RegExp(name) }).first().click();
  await page.getByRole('button', { name: '編集' }).click();
  await page.getByLabel('電話番号', { exact: true }).first().fill(phone);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByRole('button', { name: '編集' }).waitFor();
}

describe('two phones, one hub', () => {
  it('a case written offline on one phone appears on the other after both reconnect; a same-field conflict is shown and settled', async () => {
    const one = await openBrowser();
    browsers.push(one);
    const two = await openBrowser();
    browsers.push(two);

    // Phone one registers a family and joins; phone two joins and receives it.
    await setUpFirstUser(one.page, baseUrl, '夜間 太郎');
    await registerHousehold(one.page, { name: '山田 一郎', furigana: 'やまだ いちろう', birthDate: '2001-05-05', phone: '047-111-1111' });
    await joinHub(one.page, users[0]!);
    await setUpFirstUser(two.page, baseUrl, '夜間 花子');
    await joinHub(two.page, users[1]!);
    await two.page.goto(`${baseUrl}/#/`);
    expect(await search(two.page, 'やまだ')).toContain('山田 一郎');

    // Both lose the network. Phone one opens a case and changes the phone number; phone two changes it too.
    await one.context.setOffline(true);
    await two.context.setOffline(true);
    await one.page.goto(`${baseUrl}/#/`);
    await search(one.page, 'やまだ');
    await one.page.getByRole('link', { name: /山田 一郎/ }).first().click();
    await one.page.getByRole('link', { name: '山田 一郎さんの緊急対応を開始' }).click();
    await one.page.getByRole('radio', { name: '介護者の急病・けが' }).check();
    await one.page.getByLabel('要請の内容（詳細）').fill('父が倒れ救急搬送。本人は一人で自宅。');
    await one.page.getByRole('button', { name: '記録を開始' }).click();
    // 記録を開始 goes on to the match; the case is one tap back
    await one.page.getByRole('link', { name: '対応記録へ' }).click();
    await one.page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    await changePhone(one.page, '山田 一郎', '090-1111-2222');
    await changePhone(two.page, '山田 一郎', '080-3333-4444');
    await expect.poll(async () => await statusLine(one.page).getAttribute('aria-label')).toMatch(/未送信 \d+件/);

    // Both reconnect: phone one first, then phone two (each syncs on regaining the connection).
    await one.context.setOffline(false);
    await synced(one.page);
    await two.context.setOffline(false);
    await synced(two.page);

    // The case is on phone two.
    await two.page.goto(`${baseUrl}/#/cases`);
    await two.page.getByText('山田 一郎').first().waitFor({ timeout: 15_000 });

    // Phone two shows the conflict: the hub kept phone one's number (it arrived first).
    await two.page.goto(`${baseUrl}/#/settings/sync`);
    const conflict = two.page.getByRole('listitem', { name: '山田 一郎 電話番号' });
    await conflict.waitFor();
    await conflict.getByText('090-1111-2222').waitFor();
    await conflict.getByText('080-3333-4444').waitFor();
    // Settled with phone two's number: written back, sent, then closed for everyone.
    await conflict.getByRole('button', { name: /もう一方の値に戻す/ }).click();
    await conflict.waitFor({ state: 'detached', timeout: 30_000 });

    // Phone one syncs and holds the same number, with no conflict left.
    await one.page.goto(`${baseUrl}/#/settings/sync`);
    await one.page.getByRole('button', { name: '今すぐ同期' }).click();
    await synced(one.page);
    await expect.poll(async () => await one.page.getByText(/重なった変更/).count()).toBe(0);
    for (const page of [one.page, two.page]) {
      await page.goto(`${baseUrl}/#/`);
      await search(page, 'やまだ');
      await page.getByRole('link', { name: /山田 一郎/ }).first().click();
      await page.getByText('080-3333-4444').first().waitFor();
    }
  }, 240_000);

  // Goes on from the test above: phone two is joined and holds the household.
  it('a disabled user’s phone first sends its unsent evidence, then wipes its data', async () => {
    const two = browsers[1]!;
    const { page, context } = two;
    // Offline, phone two opens a case: evidence that only it holds.
    await context.setOffline(true);
    await page.goto(`${baseUrl}/#/`);
    await search(page, 'やまだ');
    await page.getByRole('link', { name: /山田 一郎/ }).first().click();
    await page.getByRole('link', { name: '山田 一郎さんの緊急対応を開始' }).click();
    await page.getByRole('radio', { name: '本人の状態悪化' }).check();
    await page.getByLabel('要請の内容（詳細）').fill('夜間に興奮が続き、家族だけでは対応できない。');
    await page.getByRole('button', { name: '記録を開始' }).click();
    // 記録を開始 goes on to the match; the case is one tap back
    await page.getByRole('link', { name: '対応記録へ' }).click();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    const before = (await store.pullSince(0, { tenantId: HUB, officeIds: 'all' }, 1000)).records.filter((r) => r.kind === 'case-entry');

    // The admin disables the user; the phone comes back online.
    await accounts.disableUser('u2');
    await context.setOffline(false);
    await page.getByText('この端末は拠点サーバーから外されました').waitFor({ timeout: 30_000 });

    // The hub holds the new case entry, written by phone two's user…
    const after = (await store.pullSince(0, { tenantId: HUB, officeIds: 'all' }, 1000)).records.filter((r) => r.kind === 'case-entry');
    const arrived = after.filter((r) => !before.some((b) => b.entityId === r.entityId));
    expect(arrived.map((r) => JSON.parse(r.payloadJson).body.detail)).toEqual(['夜間に興奮が続き、家族だけでは対応できない。']);
    // …and the phone holds nothing: no database, no service worker; a reload starts from scratch.
    const left = await page.evaluate(
      '(async () => ({ dbs: (await indexedDB.databases()).map((d) => d.name), sw: (await navigator.serviceWorker.getRegistrations()).length }))()',
    );
    expect(left).toEqual({ dbs: [], sw: 0 });
    await page.reload();
    await page.getByLabel('表示名').waitFor();
  }, 120_000);
});
