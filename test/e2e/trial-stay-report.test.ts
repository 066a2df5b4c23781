/**
 * Issue 15: a trial stay recorded on the household record is what the coordinator sees in the
 * match for that person at night (「体験利用あり」 with the date, ranked as 以前に利用) and what the
 * year's report counts, printed to PDF and read back.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { generateDemoHub } from '../../src/domain/demo-data';
import { demoTrialStays } from '../../src/domain/demo-trial-stays';
import { japanDateOf } from '../../src/domain/japan-time';
import { openBrowser, seriousA11yViolations, type BrowserSession } from './browser';
import { demoLoaded, expectNoViolations, setUpFirstUser } from './app-flows';
import { pdfPages } from './pdf-text';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

const compact = (s: string) => s.replace(/[\s\u3000]+/g, '');

describe('a trial stay, from the household record to the match and the yearly report', () => {
  it('records a stay, sees it in the match for that person, and counts it in the printed report', async () => {
    browser = await openBrowser();
    const { page } = browser;
    await setUpFirstUser(page, baseUrl);
    await page.getByRole('button', { name: 'デモデータを読み込む' }).click();
    await demoLoaded(page);

    const today = japanDateOf(new Date());
    const hub = generateDemoHub({ households: 40, facilities: 8, now: new Date().toISOString() });
    const yota = hub.households[0]!;
    const facility = hub.facilities[3]!;
    // The demo's own trial stays begun this fiscal year, counted by hand: April 1 of this year or the last.
    const fyStart = `${Number(today.slice(0, 4)) - (today.slice(5) < '04-01' ? 1 : 0)}-04-01`;
    const before = demoTrialStays(hub.households, hub.facilities, new Date().toISOString()).filter((s) => s.from >= fyStart && s.from <= today).length;

    await page.goto(`${baseUrl}/#/households/${yota.id}`);
    await page.getByRole('button', { name: '佐藤 陽太の体験利用を記録' }).click();
    const form = page.getByRole('form', { name: '佐藤 陽太の体験利用' });
    await form.getByLabel('利用した事業所').selectOption({ label: facility.name });
    await form.getByLabel('利用開始日').fill(today);
    await form.getByLabel('利用終了日').fill(today);
    await form.getByLabel('利用の目的').fill('緊急時に備えた宿泊の練習');
    await form.getByRole('button', { name: '記録する' }).click();
    await page.getByText('体験利用を記録しました。').waitFor();

    await page.goto(`${baseUrl}/#/match/${yota.id}/${yota.persons[0]!.id}`);
    const card = page.getByRole('article', { name: facility.name });
    const [y, m, d] = today.split('-').map(Number);
    await card.getByText(`体験利用あり：${y}/${m}/${d}`).waitFor();
    expect(await card.getByText('以前に利用').isVisible()).toBe(true);

    await page.goto(`${baseUrl}/#/reports`);
    const row = page.getByRole('region', { name: '体験の機会・場' }).getByRole('row', { name: /体験利用件数/ });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells.at(-1)).toBe(String(before + 1));
    expectNoViolations('年次実績報告', await seriousA11yViolations(page));

    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    // NFKC: the font draws some kanji (月) from their Kangxi-radical code points; the reader also
    // yields U+FFFD for glyphs it cannot map (fallback-font spacing), which carry no text.
    const text = compact(pdfPages(pdf).join('\n')).normalize('NFKC').replace(/\uFFFD/g, '');
    expect(text).toContain('年次実績報告');
    expect(text).toContain(`対象期間:${fyStart.slice(0, 4)}年`);
    // The row as the screen showed it (者, 児, 不明, 計), this stay included.
    expect(text).toContain(`体験利用件数${cells.join('')}`);
    expect(text).toContain('緊急一時利用者数');
    expect(text).toContain('相談強化加算');
    // The controls are not printed.
    expect(text).not.toContain('CSV（UTF-8）');
  });
});
