/**
 * Issue 4's night, offline in headless Chromium: start a case from a household, call two
 * facilities from the match (each tap records the contact), record their results and the
 * admission, close the case, then export the month's claim CSVs and read them back.
 */
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, inject, it } from 'vitest';
import Papa from 'papaparse';
import { japanMonthOf } from '../../src/domain/japan-time';
import type { Page } from 'playwright-core';
import { openBrowser, seriousA11yViolations, waitForServiceWorker, type BrowserSession } from './browser';
import { demoLoaded, expectNoViolations, search, setUpFirstUser } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

/** 'YYYY-MM-DD HH:mm' in Japan time, as the CSVs write it. */
const JAPAN_STAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;

async function download(page: Page, button: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const path = await file.path();
  const bytes = await readFile(path);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8 with BOM
  return { name: file.suggestedFilename(), text: bytes.subarray(3).toString('utf8') };
}

describe('the emergency case, offline', () => {
  it('records a night call from the household to the closed case, and exports the month', async () => {
    browser = await openBrowser();
    const { page, context } = browser;
    // Headless Chromium has no dialer: a followed tel: link leaves the page unable to navigate.
    // The phone's dialer opens and comes back; here the link's default is dropped after the app's
    // own click handler has run (React listens at its root, below the document).
    await page.addInitScript(
      "document.addEventListener('click', (e) => { if (e.target instanceof Element && e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true);",
    );
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(page);
    await waitForServiceWorker(page);
    await context.setOffline(true);

    // 1. The household, then one tap: the request time is stamped.
    expect(await search(page, 'さとう ようた')).toContain('佐藤 陽太');
    await page.getByRole('link', { name: /佐藤 陽太/ }).first().click();
    await page.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' }).click();
    await page.getByText(/要請時刻 .*（開始を押した時刻）/).waitFor();
    await page.getByRole('radio', { name: '介護者の急病・けが' }).check();
    await page.getByLabel('要請の内容（詳細）').fill('母が自宅で倒れ救急搬送。本人は一人。');
    await page.getByRole('button', { name: '記録を開始' }).click();

    // 2. Straight on to the match, told which case to record in; two calls.
    await page.getByText('記録中：電話すると時刻を記録します').waitFor();
    // Fits first, then near misses: a coordinator may call either. A called one moves to 電話済み.
    const cards = page.locator('section[aria-labelledby="match-fits"] article, section[aria-labelledby="match-near"] article');
    await cards.first().waitFor();
    const names: string[] = [];
    for (const i of [0, 1]) {
      const card = cards.first();
      names.push((await card.getByRole('heading').innerText()).trim());
      await card.getByRole('link', { name: /^(電話|夜間) / }).first().click();
      await page.getByRole('group', { name: `${names[i]} の結果` }).waitFor();
    }
    expectNoViolations('match while recording', await seriousA11yViolations(page));

    // 3. Back on the case: both calls are there without a result; record them.
    await page.getByRole('link', { name: '対応記録へ' }).click();
    await page.getByText(/改ざんなし（3件の記録を確認）/).waitFor();
    expectNoViolations('case', await seriousA11yViolations(page));
    const first = page.getByRole('article', { name: names[0]! });
    const second = page.getByRole('article', { name: names[1]! });
    await first.getByText('結果: 結果未記録').waitFor();
    await second.getByText('結果: 結果未記録').waitFor();
    await first.getByRole('button', { name: '受入不可' }).click();
    await first.getByText('結果: 受入不可').waitFor();
    await second.getByRole('button', { name: '受入可' }).click();
    await second.getByText('結果: 受入可').waitFor();

    // 4. Admission to the facility that said yes, the claim facts, then close.
    await page.getByRole('button', { name: '対応結果を記録' }).click();
    await page.getByLabel('入所先').selectOption({ label: `${names[1]}（受入可）` });
    await page.getByRole('button', { name: '記録する' }).click();
    await page.getByText(new RegExp(`^短期入所\\s+${names[1]}`)).waitFor();
    // 佐藤 陽太 is 16: his plan is 障害児相談支援's
    await page.getByLabel('障害児相談支援の担当').selectOption('this-office');
    await page.getByRole('button', { name: '算定に関する事項を記録' }).click();
    await page.getByText('算定に関する事項を記録しました。').waitFor();
    await page.getByRole('button', { name: '対応を終了' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '対応を終了' }).click();
    await page.getByText(/^終了 \d{4}年\d+月\d+日 \d{2}:\d{2}$/).waitFor();
    await page.getByText(/改ざんなし（8件の記録を確認）/).waitFor();
    await page.getByText(/保存期限: \d{4}年\d+月\d+日まで/).waitFor();

    // 5. The month's export: the demo office is a hub, the person's case is claimed once.
    await page.goto(`${baseUrl}/#/claims`);
    await page.getByLabel('対象月').selectOption(japanMonthOf(new Date()));
    await page.getByText(/改ざんはありません。/).waitFor();
    expectNoViolations('claims', await seriousA11yViolations(page));
    const summary = await download(page, '集計CSV');
    expect(summary.name).toMatch(/^soudan-kyouka-summary-9912345678-\d{4}-\d{2}\.csv$/);
    const summaryRows = Papa.parse<string[]>(summary.text.trim()).data;
    expect(summaryRows[0]).toEqual(['事業所番号', '対象月', 'サービス種別', '受給者証番号', '氏名', '算定回数', '単位数']);
    // 佐藤 陽太 is 16 (児): his claim belongs to 障害児相談支援
    expect(summaryRows.find((r) => r[4] === '佐藤 陽太')).toEqual(['9912345678', expect.stringMatching(/^\d{4}年\d{1,2}月$/), '障害児相談支援', expect.any(String), '佐藤 陽太', '1', '700']);

    const detail = await download(page, '明細CSV');
    const rows = Papa.parse<Record<string, string>>(detail.text.trim(), { header: true }).data;
    const ours = rows.filter((r) => r['氏名'] === '佐藤 陽太');
    expect(ours.map((r) => r['連絡先事業所'])).toEqual(names);
    expect(ours.map((r) => r['結果'])).toEqual(['受入不可', '受入可']);
    for (const r of ours) {
      expect(r['要請のあった時間']).toMatch(JAPAN_STAMP);
      expect(r['連絡・調整を行った時刻']).toMatch(JAPAN_STAMP);
      expect(r['連絡・調整を行った時刻']! >= r['要請のあった時間']!).toBe(true);
      expect(r['終了時刻']).toMatch(JAPAN_STAMP);
      expect(r['ハッシュ']).toMatch(/^[0-9a-f]{64}$/);
    }
    // the claim is on the case's first row only: a filter on 算定 counts it once
    expect(ours.map((r) => r['算定判定'])).toEqual(['算定', '']);
    expect(ours[0]!['入所先']).toBe(names[1]);
  });
});
