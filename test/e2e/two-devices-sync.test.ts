/**
 * Issue 5 in headless Chromium: two phones (two browser contexts with their own profiles, vaults
 * and hub accounts) join one hub server (the real HTTP API over real PostgreSQL). While both are
 * offline, one opens an emergency case and both change the same household's phone number. After
 * both reconnect, the case is on the other phone, and the same-field conflict is shown there and
 * settled; both phones end with the same household. One office registered on both while offline is
 * named as registered twice on each once they sync.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, waitForServiceWorker, type BrowserSession } from './browser';
import { registerHousehold, search, setUpFirstUser } from './app-flows';
import { joinHub as join, startE2eHub, statusLine, synced, type E2eHub, type HubUser } from './hub-server';

let hub: E2eHub;
let baseUrl: string;
const users: HubUser[] = [];
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  hub = await startE2eHub('hub-e2e', { offices: ['office-e2e'] });
  baseUrl = hub.baseUrl;
  users.push(await hub.user('u1', '夜間 太郎'), await hub.user('u2', '夜間 花子'));
});

afterAll(async () => {
  for (const b of browsers) await b.dispose();
  await hub?.close();
});

/** Opens 「拠点サーバーと同期」 and joins the hub as `user`; waits for the first sync to finish. */
const joinHub = (page: Page, user: HubUser) => join(page, hub, user);

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
    // How the pull pages travel: compressed, as a phone line needs (a first sync is ~41 MB as JSON).
    const pullEncodings: string[] = [];
    two.page.context().on('response', (r) => {
      if (r.url().includes('/api/sync/pull')) pullEncodings.push(r.headers()['content-encoding'] ?? 'none');
    });
    await joinHub(two.page, users[1]!);
    expect(pullEncodings).toContain('br');
    // Its first sync pulled through the app's pull worker (fetched, checked and sealed off the page's thread).
    expect(two.page.workers().map((w) => w.url())).toContainEqual(expect.stringContaining('/assets/pull-worker-'));
    await two.page.goto(`${baseUrl}/#/`);
    expect(await search(two.page, 'やまだ')).toContain('山田 一郎');

    // The app is installed on both for offline use: the first service worker took the open page
    // (clientsClaim), so screens not opened yet load with no network (none was reloaded).
    for (const page of [one.page, two.page]) {
      await waitForServiceWorker(page);
      await expect.poll(() => page.evaluate('Boolean(navigator.serviceWorker.controller)')).toBe(true);
    }

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
    // Countersigned by the hub, on the phone that wrote it and on the one that pulled it.
    const [entry] = (await hub.store.pullSince(0, { tenantId: hub.hub, officeIds: 'all' }, 1000)).records.filter((r) => r.kind === 'case-entry');
    const caseId = (JSON.parse(entry!.payloadJson) as { caseId: string }).caseId;
    for (const page of [one.page, two.page]) {
      await page.goto(`${baseUrl}/#/cases/${caseId}`);
      await page.getByText('拠点の署名: 1件中1件 拠点署名済み').waitFor({ timeout: 15_000 });
    }

    // Phone two shows the conflict: the hub kept phone one's number (it arrived first).
    await two.page.goto(`${baseUrl}/#/settings/sync`);
    const conflict = two.page.getByRole('listitem', { name: '山田 一郎 電話番号' });
    await conflict.waitFor();
    await conflict.getByText('090-1111-2222').waitFor();
    await conflict.getByText('080-3333-4444').waitFor();
    // Settled with phone two's number: written back, sent, then closed for everyone.
    await conflict.getByRole('button', { name: /もう一方の値に戻す/ }).click();
    // asked first: phone one's number is dropped for good
    await two.page.getByRole('dialog', { name: 'もう一方の値に戻しますか？' }).getByRole('button', { name: /もう一方の値に戻す/ }).click();
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

  // Goes on from the test above: both phones are joined.
  it('one office registered offline on both phones is named as registered twice on each after they sync', async () => {
    const [one, two] = browsers as [BrowserSession, BrowserSession];
    const register = async (page: Page, name: string) => {
      await page.goto(`${baseUrl}/#/facilities`);
      await page.getByRole('button', { name: '事業所を登録' }).click();
      await page.getByLabel(/^事業所名/).fill(name);
      await page.getByLabel(/^事業所番号/).fill('1210100077');
      await page.getByRole('button', { name: '保存', exact: true }).click();
      await page.getByRole('button', { name: '編集' }).waitFor();
    };
    await one.context.setOffline(true);
    await two.context.setOffline(true);
    await register(one.page, 'みなと短期入所');
    await register(two.page, 'みなと短期入所（夜間）');
    await one.context.setOffline(false);
    await synced(one.page);
    await two.context.setOffline(false);
    await synced(two.page);
    await one.page.goto(`${baseUrl}/#/settings/sync`);
    await one.page.getByRole('button', { name: '今すぐ同期' }).click();
    await synced(one.page);
    for (const page of [one.page, two.page]) {
      await page.goto(`${baseUrl}/#/facilities`);
      await expect.poll(() => page.getByText('同じ事業所番号の登録が2件').count(), { timeout: 15_000 }).toBe(2);
      await page.getByRole('link', { name: /みなと短期入所（夜間）/ }).first().click();
      await page.getByText('同じ事業所番号の登録がほかにもあります').waitFor();
      await page.getByRole('link', { name: 'みなと短期入所', exact: true }).waitFor();
    }
  }, 120_000);

  // Goes on from the first test: phone two is joined and holds the household.
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
    // Phone one's case for him came within 24 hours: the app asks whether this is that emergency (問74).
    await page.getByRole('button', { name: '別の緊急事態として新しく記録する' }).click();
    await page.getByLabel('別の緊急事態とする理由').fill('前の要請は母の入院、今回は本人の状態悪化');
    await page.getByRole('button', { name: '記録を開始' }).click();
    // 記録を開始 goes on to the match; the case is one tap back
    await page.getByRole('link', { name: '対応記録へ' }).click();
    await page.getByText(/改ざんなし（2件の記録を確認）/).waitFor();
    const before = (await hub.store.pullSince(0, { tenantId: hub.hub, officeIds: 'all' }, 1000)).records.filter((r) => r.kind === 'case-entry');

    // The admin disables the user; the phone comes back online.
    await hub.accounts.disableUser('u2');
    await context.setOffline(false);
    await page.getByText('この端末は拠点サーバーから外されました').waitFor({ timeout: 30_000 });

    // The hub holds the new case entry, written by phone two's user…
    const after = (await hub.store.pullSince(0, { tenantId: hub.hub, officeIds: 'all' }, 1000)).records.filter((r) => r.kind === 'case-entry');
    const arrived = after.filter((r) => !before.some((b) => b.entityId === r.entityId));
    const bodies = arrived.map((r) => (JSON.parse(r.payloadJson) as { body: { type: string; detail?: string; answer?: string } }).body);
    expect(bodies.map((b) => b.type).sort()).toEqual(['open', 'same-emergency']);
    expect(bodies.find((b) => b.type === 'open')?.detail).toBe('夜間に興奮が続き、家族だけでは対応できない。');
    expect(bodies.find((b) => b.type === 'same-emergency')?.answer).toBe('separate');
    // …and the phone holds nothing: no database, no service worker; a reload starts from scratch.
    const left = await page.evaluate(
      '(async () => ({ dbs: (await indexedDB.databases()).map((d) => d.name), sw: (await navigator.serviceWorker.getRegistrations()).length }))()',
    );
    expect(left).toEqual({ dbs: [], sw: 0 });
    await page.reload();
    await page.getByLabel('表示名').waitFor();
  }, 120_000);
});
