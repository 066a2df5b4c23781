/** Steps a user takes, shared by the end-to-end tests (names are the UI's Japanese labels). */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

export const PASSPHRASE = 'yoru-no-denwa-2026';

export async function setUpFirstUser(page: Page, baseUrl: string, displayName = '夜間 太郎'): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('表示名').fill(displayName);
  await page.getByLabel('パスフレーズ', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('パスフレーズ（確認）').fill(PASSPHRASE);
  await page.getByLabel('上記を理解しました').check();
  await page.getByRole('button', { name: 'はじめる' }).click();
  await page.getByLabel('検索').waitFor();
}

/**
 * Waits until the demo is loaded whole: 「デモデータを消去」 shows once its households are stored,
 * while its cases are still written one by one, and a case of a household opening and closing
 * under the test changed what the screen showed (a print sheet's ticks flipped under a click).
 */
export async function demoLoaded(page: Page): Promise<void> {
  await page.getByText(/デモデータ（\d+世帯）を読み込みました。/).waitFor({ timeout: 120_000 });
}

/** Unlocks; the same person returns to where they were (the list on a first unlock). */
export async function unlock(page: Page, passphrase = PASSPHRASE): Promise<void> {
  await page.getByLabel('パスフレーズ', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: '解錠' }).click();
  await page.getByRole('button', { name: 'ロック' }).waitFor({ timeout: 30_000 });
}

/** 設定 › 職員（この端末） › 「職員を追加」, by the unlocked person, typing the new person's first passphrase. */
export async function addUser(page: Page, baseUrl: string, displayName: string, passphrase: string, current = PASSPHRASE): Promise<void> {
  await page.goto(`${baseUrl}/#/settings`);
  await page.getByRole('button', { name: '職員を追加' }).click();
  await page.getByLabel('あなたの現在のパスフレーズ').fill(current);
  await page.getByLabel('新しい職員の表示名').fill(displayName);
  await page.getByLabel('新しい職員のパスフレーズ', { exact: true }).fill(passphrase);
  await page.getByLabel('新しい職員のパスフレーズ（確認）').fill(passphrase);
  await page.getByLabel('上記を理解しました').check();
  await page.getByRole('button', { name: '追加する' }).click();
  await page.getByText(`${displayName}さんを追加しました`, { exact: false }).waitFor({ timeout: 30_000 });
}

/**
 * An added person's first unlock: the app shows only 「ご自身のパスフレーズを設定してください」 until
 * the passphrase they received (typed by whoever added them) is replaced by their own; then the list.
 */
export async function setOwnPassphrase(page: Page, received: string, own: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: 'ご自身のパスフレーズを設定してください' }).waitFor({ timeout: 30_000 });
  await page.getByLabel('登録時に受け取ったパスフレーズ').fill(received);
  await page.getByLabel('新しいパスフレーズ', { exact: true }).fill(own);
  await page.getByLabel('新しいパスフレーズ（確認）').fill(own);
  await page.getByLabel('上記を理解しました').check();
  await page.getByRole('button', { name: '変更する' }).click();
  await page.getByLabel('検索').waitFor({ timeout: 30_000 });
}

export interface NewHousehold {
  readonly name: string;
  readonly furigana: string;
  readonly birthDate: string;
  readonly phone: string;
  readonly recipientNumber?: string;
  readonly medication?: string;
  readonly contactName?: string;
  readonly contactPhone?: string;
}

export async function registerHousehold(page: Page, h: NewHousehold): Promise<void> {
  await page.getByRole('button', { name: '世帯を登録' }).first().click();
  await page.getByLabel('氏名', { exact: true }).first().fill(h.name);
  await page.getByLabel('ふりがな', { exact: true }).first().fill(h.furigana);
  await page.getByLabel('生年月日', { exact: true }).first().fill(h.birthDate);
  await page.getByLabel('電話番号', { exact: true }).first().fill(h.phone);
  if (h.recipientNumber) await page.getByLabel('受給者証番号', { exact: true }).first().fill(h.recipientNumber);
  if (h.medication) await page.getByLabel('服薬', { exact: false }).first().fill(h.medication);
  if (h.contactName && h.contactPhone) {
    const add = page.getByRole('button', { name: '緊急連絡先を追加' });
    if (await page.getByLabel('連絡先の氏名').count() === 0) await add.click();
    await page.getByLabel('連絡先の氏名').first().fill(h.contactName);
    await page.getByLabel('続柄').first().fill('おば');
    await page.getByLabel('電話番号（複数可）').first().fill(h.contactPhone);
  }
  await page.getByLabel('同意日').fill('2026-10-01');
  await page.getByLabel('同意者').fill('本人・母');
  await page.getByLabel('共有の範囲').fill('拠点の関係機関と短期入所事業所');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByRole('button', { name: '編集' }).waitFor();
}

/** Searches the household list (from the bottom nav's 世帯 when another screen is open). */
export async function search(page: Page, query: string): Promise<string> {
  const box = page.getByLabel('検索');
  if (!(await box.isVisible())) {
    await page.getByRole('navigation').getByRole('link', { name: '世帯' }).click();
    await box.waitFor({ timeout: 30_000 });
  }
  await box.fill('');
  await box.pressSequentially(query);
  const list = page.getByRole('list').first();
  await list.waitFor();
  return (await list.innerText()).trim();
}

export function expectNoViolations(screen: string, violations: readonly { id: string; help: string; nodes: readonly { target: readonly string[] }[] }[]) {
  const described = violations.map((v) => `${screen}: ${v.id} — ${v.help} @ ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(described).toEqual([]);
}
