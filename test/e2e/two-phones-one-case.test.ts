/**
 * Issue 11 in headless Chromium: a case opened on the night phone is continued offline on both the
 * night phone and the morning phone (each records a call after the same entry). After both
 * reconnect, both phones show the same case, whole (no 改ざん), with both calls, every entry
 * countersigned by the hub, and the month's claim counts it once. The hub is the real HTTP API
 * over real PostgreSQL, with its signing key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { japanMonthOf } from '../../src/domain/japan-time';
import type { Office } from '../../src/domain/emergency-case';
import { openBrowser, type BrowserSession } from './browser';
import { registerHousehold, search, setUpFirstUser } from './app-flows';
import { joinHub as join, startE2eHub, syncNow as sync, type E2eHub, type HubUser } from './hub-server';

const OFFICE_ID = 'office-e2e';

let hub: E2eHub;
let baseUrl: string;
const users: HubUser[] = [];
const browsers: BrowserSession[] = [];

beforeAll(async () => {
  hub = await startE2eHub('hub-e2e-case', { offices: [OFFICE_ID] });
  baseUrl = hub.baseUrl;
  users.push(await hub.user('coord1', '夜間 太郎'), await hub.user('coord2', '朝番 花子'));
  // The hub's admin keeps the office record (a hub since 2024), which every phone receives.
  await hub.user('admin', '管理者', 'admin');
  await hub.store.registerDevice({ id: 'admin-desk', userId: 'admin' });
  const office: Office = {
    id: OFFICE_ID,
    name: '相談支援事業所 e2e',
    officeNumber: '1210100009',
    hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
    createdAt: '2024-04-01T00:00:00.000Z',
    updatedAt: '2024-04-01T00:00:00.000Z',
  };
  const [pushed] = await hub.store.applyPush('admin-desk', 'admin', [
    { seq: 1, mutationId: crypto.randomUUID(), kind: 'office', entityId: OFFICE_ID, op: 'create', at: new Date().toISOString(), payload: office, officeId: null, baseVersion: null },
  ]);
  expect(pushed).toMatchObject({ status: 'accepted' });
});

afterAll(async () => {
  for (const b of browsers) await b.dispose();
  await hub?.close();
});

const joinHub = (page: Page, user: HubUser) => join(page, hub, user);
const syncNow = (page: Page) => sync(page, hub);

async function openTheCase(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/#/cases`);
  await page.getByRole('link', { name: /山田 一郎/ }).first().click();
  await page.getByText(/改ざんなし/).waitFor();
}

/** A call typed in by hand: a short-stay facility not in the list, and its result. */
async function recordCall(page: Page, facility: string, result: string): Promise<void> {
  await page.getByRole('button', { name: '連絡を記録（手入力）' }).click();
  await page.getByLabel('連絡先の事業所').selectOption({ label: '一覧にない連絡先' });
  await page.getByLabel('連絡先の名称').fill(facility);
  await page.getByLabel('短期入所事業所である').check();
  await page.getByLabel('結果', { exact: true }).selectOption(result);
  await page.getByRole('button', { name: '記録する' }).click();
  await page.getByRole('article', { name: facility }).waitFor();
}

describe('two phones continue one case offline', () => {
  it('both show the case whole with both calls, and the month claims it once', async () => {
    const night = await openBrowser();
    browsers.push(night);
    const morning = await openBrowser();
    browsers.push(morning);

    // The night phone registers the family, joins, and opens the case online.
    await setUpFirstUser(night.page, baseUrl, '夜間 太郎');
    await registerHousehold(night.page, { name: '山田 一郎', furigana: 'やまだ いちろう', birthDate: '2001-05-05', phone: '047-111-1111', recipientNumber: '1234567890' });
    await joinHub(night.page, users[0]!);
    await night.page.goto(`${baseUrl}/#/`);
    await search(night.page, 'やまだ');
    await night.page.getByRole('link', { name: /山田 一郎/ }).first().click();
    await night.page.getByRole('link', { name: '山田 一郎さんの緊急対応を開始' }).click();
    await night.page.getByRole('radio', { name: '介護者の急病・けが' }).check();
    await night.page.getByLabel('要請の内容（詳細）').fill('父が倒れ救急搬送。本人は一人で自宅。');
    await night.page.getByRole('button', { name: '記録を開始' }).click();
    // 記録を開始 goes on to the match; the case is one tap back
    await night.page.getByRole('link', { name: '対応記録へ' }).click();
    await night.page.getByText(/改ざんなし（1件の記録を確認）/).waitFor();
    await syncNow(night.page);

    // The morning phone joins and receives the family, the office and the case.
    await setUpFirstUser(morning.page, baseUrl, '朝番 花子');
    await joinHub(morning.page, users[1]!);
    await openTheCase(morning.page);

    // Both lose the network and each records a call after the same entry.
    await night.context.setOffline(true);
    await morning.context.setOffline(true);
    await openTheCase(night.page);
    await recordCall(night.page, 'あおぞら短期入所', '受入不可');
    await recordCall(morning.page, 'みどり園', '受入可');
    await morning.page.getByRole('button', { name: '対応結果を記録' }).click();
    await morning.page.getByLabel('入所先').selectOption({ label: 'みどり園（受入可）' });
    await morning.page.getByRole('button', { name: '記録する' }).click();
    await morning.page.getByText(/^短期入所\s+みどり園/).waitFor();
    await morning.page.getByLabel('計画相談支援の担当').selectOption('this-office');
    await morning.page.getByRole('button', { name: '算定に関する事項を記録' }).click();
    await morning.page.getByText('算定に関する事項を記録しました。').waitFor();

    // Both reconnect and sync; the night phone once more, to receive the morning's entries.
    await night.context.setOffline(false);
    await morning.context.setOffline(false);
    await syncNow(night.page);
    await syncNow(morning.page);
    await syncNow(night.page);

    for (const { page } of [night, morning]) {
      await openTheCase(page);
      // open, two calls, the admission and the claim facts: whole on both phones, and every entry
      // countersigned by the hub (checked on the phone against the hub's key)
      await page.getByText(/改ざんなし（5件の記録を確認）/).waitFor({ timeout: 15_000 });
      await page.getByText('拠点の署名: 5件中5件 拠点署名済み').waitFor({ timeout: 15_000 });
      expect(await page.getByText(/改ざん|記録の欠落/).filter({ hasNotText: '改ざんなし' }).count()).toBe(0);
      await page.getByRole('article', { name: 'あおぞら短期入所' }).getByText('結果: 受入不可').waitFor();
      await page.getByRole('article', { name: 'みどり園' }).getByText('結果: 受入可').waitFor();

      // The month's claim: one case, one claim of 700 units for this person.
      await page.goto(`${baseUrl}/#/claims`);
      await page.getByLabel('対象月').selectOption(japanMonthOf(new Date()));
      await page.getByText(/改ざんはありません。/).waitFor();
      const row = page.getByRole('row', { name: /1234567890/ });
      await expect.poll(async () => (await row.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        expect.stringMatching(/^1234567890 山田 一郎 計画相談支援 1 700$/),
      ]);
    }
  }, 300_000);
});
