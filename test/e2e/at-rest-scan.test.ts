/**
 * The at-rest scan: personal data typed into the app must never reach the disk in clear.
 * Use the app with canary strings, close the browser, then search every file of the profile
 * (IndexedDB, Cache Storage, session files, autofill, …) for them in UTF-8 and UTF-16.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openBrowser, waitForServiceWorker, type BrowserSession } from './browser';
import { registerHousehold, search, setUpFirstUser, unlock } from './app-flows';

const baseUrl = inject('baseUrl');
let browser: BrowserSession | undefined;

afterEach(async () => {
  await browser?.dispose();
  browser = undefined;
});

const CANARY = {
  name: '鵺野宮 燐太郎',
  furigana: 'ぬえのみや りんたろう',
  phone: '090-7319-2846',
  medication: 'ズィルコナール錠 37.5mg',
  contactName: '鵺野宮 珀',
  contactPhone: '080-5541-9073',
  recipientNumber: '8391046275',
};

/** Every form in which a canary could have been written down by the browser. */
function needles(): { label: string; bytes: Buffer }[] {
  const strings = [
    CANARY.name,
    CANARY.name.replace(' ', ''),
    '燐太郎',
    CANARY.furigana,
    'りんたろう',
    CANARY.phone,
    CANARY.phone.replaceAll('-', ''),
    CANARY.medication,
    'ズィルコナール',
    '鵺野宮',
    CANARY.contactPhone.replaceAll('-', ''),
    CANARY.recipientNumber,
  ];
  return strings.flatMap((s) => [
    { label: `${s} (UTF-8)`, bytes: Buffer.from(s, 'utf8') },
    { label: `${s} (UTF-16LE)`, bytes: Buffer.from(s, 'utf16le') },
    { label: `${s} (UTF-16BE)`, bytes: Buffer.from(s, 'utf16le').swap16() },
  ]);
}

async function* filesUnder(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (entry.isFile()) yield path;
  }
}

async function scan(profileDir: string, targets: { label: string; bytes: Buffer }[]) {
  const hits: string[] = [];
  let files = 0;
  let bytes = 0;
  for await (const path of filesUnder(profileDir)) {
    const info = await stat(path);
    if (info.size > 256 * 1024 * 1024) continue;
    const content = await readFile(path);
    files += 1;
    bytes += content.length;
    for (const t of targets) if (content.includes(t.bytes)) hits.push(`${t.label} in ${path.slice(profileDir.length)}`);
  }
  return { hits, files, bytes };
}

describe('at-rest scan of the browser profile', () => {
  it('finds no canary string anywhere on disk after using the app, and does find a control written in clear', async () => {
    browser = await openBrowser();
    const { page, profileDir } = browser;
    await setUpFirstUser(page, baseUrl);
    await registerHousehold(page, {
      name: CANARY.name,
      furigana: CANARY.furigana,
      birthDate: '2009-02-11',
      phone: CANARY.phone,
      recipientNumber: CANARY.recipientNumber,
      medication: CANARY.medication,
      contactName: CANARY.contactName,
      contactPhone: CANARY.contactPhone,
    });
    await waitForServiceWorker(page);
    // Use it as at night: reload, unlock, search by kana and phone, open the household.
    await page.reload();
    await unlock(page);
    expect(await search(page, 'ヌエノミヤ')).toContain(CANARY.name);
    expect(await search(page, CANARY.phone)).toContain(CANARY.name);
    await page.getByRole('link', { name: new RegExp(CANARY.name) }).first().click();
    await page.getByText(CANARY.medication).first().waitFor();
    await page.getByRole('button', { name: '編集' }).click();
    // the form's field, not the detail's 医療・服薬 section, which is still there until the form replaces it
    await page.getByRole('textbox', { name: '服薬' }).first().fill(`${CANARY.medication} 朝夕`);
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await page.getByRole('button', { name: '編集' }).waitFor();

    // Positive control: the same scan must see a string the page stores without encryption.
    const control = '対照用カナリア文字列・平文';
    await page.evaluate(
      (text) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('scan-control', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('plain');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('plain', 'readwrite');
            tx.objectStore('plain').put({ text }, 'control');
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        }),
      control,
    );
    await browser.close();

    const controlScan = await scan(profileDir, [
      { label: 'control (UTF-8)', bytes: Buffer.from(control, 'utf8') },
      { label: 'control (UTF-16LE)', bytes: Buffer.from(control, 'utf16le') },
    ]);
    expect(controlScan.hits.length, 'the scan must be able to see clear text in the profile').toBeGreaterThan(0);

    const result = await scan(profileDir, needles());
    expect(result.files).toBeGreaterThan(10);
    expect(result.hits).toEqual([]);
  });
});
