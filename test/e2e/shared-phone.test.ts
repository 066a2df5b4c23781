/**
 * Issue 11 part 5 in headless Chromium (docs/sync-protocol.md A6, A8, A9): one on-call phone, two
 * coordinators with their own passphrases. Taro joins the hub; Jiro unlocks the joined phone,
 * signs in on it once, and opens an emergency case: the hub credits the case to Jiro, not to
 * Taro. At the hand-over Taro unlocks again and syncs as himself with no password or code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, type BrowserSession } from './browser';
import { addUser, PASSPHRASE, registerHousehold, search, setOwnPassphrase, setUpFirstUser } from './app-flows';
import { fillSignIn, startE2eHub, statusLine, synced, syncNow, type E2eHub, type HubUser } from './hub-server';

/** what Taro types for Jiro when he adds him; Jiro replaces it at his first unlock */
const JIRO_RECEIVED = 'taro-ga-kimeta-2026';
const JIRO_PASSPHRASE = 'jiro-no-yakin-2026';

let hub: E2eHub;
let baseUrl: string;
const users: Record<string, HubUser> = {};
let phone: BrowserSession | undefined;

beforeAll(async () => {
  hub = await startE2eHub('hub-shared', { signs: false });
  baseUrl = hub.baseUrl;
  users['u-taro'] = await hub.user('u-taro', '夜間 太郎');
  users['u-jiro'] = await hub.user('u-jiro', '当番 次郎');
});

afterAll(async () => {
  await phone?.dispose();
  await hub?.close();
});

const signInForm = (page: Page, login: string, button: string) => fillSignIn(page, hub, users[login]!, button);

async function lockAndHandOver(page: Page, name: string, passphrase: string): Promise<void> {
  await page.getByRole('button', { name: 'ロック', exact: true }).click();
  await page.getByRole('radio', { name }).check();
  await page.getByLabel('パスフレーズ', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: '解錠' }).click();
}

async function lockAndUnlockAs(page: Page, name: string, passphrase: string): Promise<void> {
  await lockAndHandOver(page, name, passphrase);
  await page.getByLabel('検索').waitFor({ timeout: 30_000 });
}

const credited = async (kind: string) =>
  (await hub.raw.query<{ user_id: string }>('SELECT user_id FROM changes WHERE kind = $1 ORDER BY version', [kind])).rows.map((r) => r.user_id);

describe('one phone, two coordinators', () => {
  it('each person who unlocks syncs as themselves: a case written by the second is credited to them; the hand-over needs no new sign-in', async () => {
    phone = await openBrowser();
    const { page } = phone;
    await setUpFirstUser(page, baseUrl, '夜間 太郎');
    await registerHousehold(page, { name: '山田 一郎', furigana: 'やまだ いちろう', birthDate: '2001-05-05', phone: '047-111-1111' });
    await page.goto(`${baseUrl}/#/settings/sync`);
    await signInForm(page, 'u-taro', 'サインインして参加');
    await synced(page);

    // Taro adds Jiro to the phone (his own passphrase), then hands it over.
    await addUser(page, baseUrl, '当番 次郎', JIRO_RECEIVED);
    await lockAndHandOver(page, '当番 次郎', JIRO_RECEIVED);
    // Taro typed that passphrase: Jiro sees no household until he has replaced it with his own.
    await page.getByRole('heading', { level: 1, name: 'ご自身のパスフレーズを設定してください' }).waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('検索').count()).toBe(0);
    expect(await page.getByRole('navigation').count()).toBe(0);
    await setOwnPassphrase(page, JIRO_RECEIVED, JIRO_PASSPHRASE);

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
    // 記録を開始 goes on to the match; the case is one tap back
    await page.getByRole('link', { name: '対応記録へ' }).click();
    await page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    await synced(page);
    await expect.poll(() => credited('case-entry'), { timeout: 30_000 }).toEqual(['u-jiro']);
    expect(await credited('household')).toEqual(['u-taro']);

    // 18:00: back to Taro, who signed in on this phone before: no password, no code.
    const passwordSignIns = () => hub.raw.query("SELECT count(*)::int AS n FROM sessions").then((r) => r.rows[0].n as number);
    const before = await passwordSignIns();
    await lockAndUnlockAs(page, '夜間 太郎', PASSPHRASE);
    await synced(page);
    await page.goto(`${baseUrl}/#/settings/sync`);
    await page.getByText('夜間 太郎（拠点コーディネーター）として同期中').waitFor({ timeout: 30_000 });
    // one new session, opened with Taro's device token; the phone is still one device with two users
    expect(await passwordSignIns()).toBe(before + 1);
    const deviceUsers = await hub.store.listDeviceUsers((await hub.raw.query<{ id: string }>('SELECT id FROM devices')).rows[0]!.id);
    expect(deviceUsers.map((u) => u.userId).sort()).toEqual(['u-jiro', 'u-taro']);
    // every unlock (access log) is credited to whoever unlocked
    const access = await credited('access');
    expect(access).toContain('u-jiro');
    expect(access).toContain('u-taro');
  }, 240_000);

  it('[A10] Jiro leaves the hub while he has the phone: his next sync takes him off it and locks it, and the lock screen offers only Taro', async () => {
    const { page } = phone!;
    await lockAndUnlockAs(page, '当番 次郎', JIRO_PASSPHRASE);
    await synced(page);
    await hub.accounts.disableUser('u-jiro');
    await page.goto(`${baseUrl}/#/settings/sync`);
    await page.getByRole('button', { name: '今すぐ同期' }).click();
    await page.getByText('解錠していた人がこの端末の職員から外されたため', { exact: false }).waitFor({ timeout: 30_000 });
    // one person left: the lock screen names him and offers no choice
    await page.getByLabel('パスフレーズ', { exact: true }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole('radio').count()).toBe(0);
    const shown = await page.locator('body').innerText();
    expect(shown).toContain('夜間 太郎');
    expect(shown).not.toContain('当番 次郎');
    // the 閲覧記録 on the hub says who was taken off and why (sent at Taro's next sync)
    await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
    await page.getByRole('button', { name: '解錠' }).click();
    await page.getByLabel('検索').waitFor({ timeout: 30_000 });
    await syncNow(page, hub);
    await expect
      .poll(async () => (await hub.raw.query<{ payload: string }>("SELECT payload::text AS payload FROM changes WHERE kind = 'access'")).rows.some((r) => r.payload.includes('拠点で利用停止')))
      .toBe(true);
  }, 120_000);
});
