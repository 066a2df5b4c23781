/**
 * Issue 11 part 5 in headless Chromium (docs/sync-protocol.md A6, A8, A9): one on-call phone, two
 * coordinators with their own passphrases. Taro joins the hub; Jiro unlocks the joined phone,
 * signs in on it once, and opens an emergency case: the hub credits the case to Jiro, not to
 * Taro. At the hand-over Taro unlocks again and syncs as himself with no password or code.
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
import { PASSPHRASE, registerHousehold, search, setUpFirstUser } from './app-flows';

const HUB = 'hub-shared';
const PASSWORD = 'e2e-hub-password-2026';
const JIRO_PASSPHRASE = 'jiro-no-yakin-2026';
const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `e2e_shared_${process.pid}_${Date.now()}`;

let store: SqlStore;
let server: Server;
let baseUrl: string;
let raw: pg.Pool;
const totp: Record<string, string> = {};
let phone: BrowserSession | undefined;

beforeAll(async () => {
  store = await openPostgresStore({ connectionString: url, schema });
  await store.migrate();
  await store.createTenant({ id: HUB, name: 'e2e 拠点' });
  const config = { idleMinutes: 30, maxHours: 12, now: () => new Date() };
  const accounts = createAccounts(store, config);
  for (const [id, name] of [['u-taro', '夜間 太郎'], ['u-jiro', '当番 次郎']] as const) {
    totp[id] = (await accounts.createUser({ id, tenantId: HUB, role: 'coordinator', loginName: id, displayName: name, password: PASSWORD })).totpSecret;
  }
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    distDir: resolve(import.meta.dirname, '../../dist'),
    api: createApiHandler({ store: () => store, accounts: config }),
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  raw = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 2 });
});

afterAll(async () => {
  await phone?.dispose();
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done));
  await store?.close();
  await raw?.end();
  const pool = new pg.Pool({ connectionString: url });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await pool.end();
});

const statusLine = (page: Page) => page.getByRole('status', { name: /^同期の状態/ });

async function synced(page: Page): Promise<void> {
  await expect.poll(async () => (await statusLine(page).getAttribute('aria-label')) ?? '', { timeout: 30_000 }).toMatch(/最終同期 \d+\/\d+ \d\d:\d\d$/);
}

async function signInForm(page: Page, login: string, button: string): Promise<void> {
  await page.getByLabel('ログインID').fill(login);
  await page.getByLabel('パスワード', { exact: true }).fill(PASSWORD);
  await page.getByLabel('確認コード（6桁）').fill(totpCode(totp[login]!, new Date()));
  await page.getByRole('button', { name: button }).click();
}

async function lockAndUnlockAs(page: Page, name: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'ロック', exact: true }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByLabel('パスフレーズ', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: '解錠' }).click();
  await page.getByLabel('検索').waitFor({ timeout: 30_000 });
}

const credited = async (kind: string) =>
  (await raw.query<{ user_id: string }>('SELECT user_id FROM changes WHERE kind = $1 ORDER BY version', [kind])).rows.map((r) => r.user_id);

describe('one phone, two coordinators', () => {
  it('each person who unlocks syncs as themselves: a case written by the second is credited to them; the hand-over needs no new sign-in', async () => {
    phone = await openBrowser();
    const { page } = phone;
    await setUpFirstUser(page, baseUrl, '夜間 太郎');
    await registerHousehold(page, { name: '山田 一郎', furigana: 'やまだ いちろう', birthDate: '2001-05-05', phone: '047-111-1111' });
    await page.goto(`${baseUrl}/#/settings/sync`);
    await page.getByLabel('拠点ID').fill(HUB);
    await signInForm(page, 'u-taro', 'ログインして参加');
    await synced(page);

    // Taro adds Jiro to the phone (his own passphrase), then hands it over.
    await page.goto(`${baseUrl}/#/settings`);
    await page.getByRole('button', { name: '利用者を追加' }).click();
    await page.getByLabel('あなたの現在のパスフレーズ').fill(PASSPHRASE);
    await page.getByLabel('新しい利用者の表示名').fill('当番 次郎');
    await page.getByLabel('新しい利用者のパスフレーズ', { exact: true }).fill(JIRO_PASSPHRASE);
    await page.getByLabel('新しい利用者のパスフレーズ（確認）').fill(JIRO_PASSPHRASE);
    await page.getByLabel('上記を理解しました').check();
    await page.getByRole('button', { name: '追加する' }).click();
    await page.getByText('当番 次郎さんを追加しました', { exact: false }).waitFor();
    await lockAndUnlockAs(page, '当番 次郎', JIRO_PASSPHRASE);

    // Jiro has not signed in on this phone: he is asked to, once; nothing goes under Taro's name.
    await expect.poll(async () => (await statusLine(page).getAttribute('aria-label')) ?? '', { timeout: 30_000 }).toContain('この端末でサインインが必要');
    await page.goto(`${baseUrl}/#/settings/sync`);
    await page.getByText('当番 次郎さんはまだこの端末で拠点にサインインしていません', { exact: false }).waitFor();
    await signInForm(page, 'u-jiro', 'この端末で拠点にサインイン');
    await page.getByText('当番 次郎（拠点コーディネーター）として同期中').waitFor({ timeout: 30_000 });
    await synced(page);

    // Jiro opens an emergency case.
    await page.goto(`${baseUrl}/#/`);
    await search(page, 'やまだ');
    await page.getByRole('link', { name: /山田 一郎/ }).first().click();
    await page.getByRole('link', { name: '山田 一郎さんの緊急対応を開始' }).click();
    await page.getByRole('radio', { name: '介護者の急病・けが' }).check();
    await page.getByLabel('要請の内容（詳細）').fill('母が倒れ救急搬送。本人は自宅に一人。');
    await page.getByRole('button', { name: '記録を開始' }).click();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    await synced(page);
    await expect.poll(() => credited('case-entry'), { timeout: 30_000 }).toEqual(['u-jiro']);
    expect(await credited('household')).toEqual(['u-taro']);

    // 18:00: back to Taro, who signed in on this phone before: no password, no code.
    const passwordSignIns = () => raw.query("SELECT count(*)::int AS n FROM sessions").then((r) => r.rows[0].n as number);
    const before = await passwordSignIns();
    await lockAndUnlockAs(page, '夜間 太郎', PASSPHRASE);
    await synced(page);
    await page.goto(`${baseUrl}/#/settings/sync`);
    await page.getByText('夜間 太郎（拠点コーディネーター）として同期中').waitFor({ timeout: 30_000 });
    // one new session, opened with Taro's device token; the phone is still one device with two users
    expect(await passwordSignIns()).toBe(before + 1);
    const users = await store.listDeviceUsers((await raw.query<{ id: string }>('SELECT id FROM devices')).rows[0]!.id);
    expect(users.map((u) => u.userId).sort()).toEqual(['u-jiro', 'u-taro']);
    // every unlock (access log) is credited to whoever unlocked
    const access = await credited('access');
    expect(access).toContain('u-jiro');
    expect(access).toContain('u-taro');
  }, 240_000);
});
