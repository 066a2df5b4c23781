/**
 * Two tabs of the app on one phone, the same person unlocked in both (the guide's 「拠点ナビを開く」
 * beside the installed app): one vault, two stores. Each test is the night as a coordinator would
 * live it, with the tab in the back never told what the front one wrote (records-tabs.ts tells it;
 * here its word has not come yet): a case entry or a 請求済み is still checked against the phone's
 * records as they are, not the copy the tab showed.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createFakeSession } from '../../test/factories/fake-session';
import { createHousehold } from '../../test/factories/household';
import { verifyChain } from '../domain/case-chain';
import type { MonthCloseRecord } from '../domain/claim-close';
import type { CaseEntry, EntryBody } from '../domain/emergency-case';
import { VaultDatabase } from '../vault/db';
import type { RecordsWritten } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';
type Store = (typeof import('./store'))['useApp'];

/** A tab of the app: its own modules (store and vault), as a second page has. */
async function newTab(): Promise<{ store: Store; createVault: (typeof import('../vault/vault'))['createVault']; onRecordsWritten: (typeof import('./store'))['onRecordsWritten'] }> {
  vi.resetModules();
  const { useApp, onRecordsWritten } = await import('./store');
  const { createVault } = await import('../vault/vault');
  return { store: useApp, createVault, onRecordsWritten };
}

const opened: Store[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.getState().vault?.close();
  vi.unstubAllGlobals();
});

/** The phone set up in the front tab; `back()` unlocks the tab behind it, which reads the records as they are then. */
async function phone() {
  const name = `tabs-${crypto.randomUUID()}`;
  const front = await newTab();
  opened.push(front.store);
  await front.store.getState().start(front.createVault(name));
  await front.store.getState().setUp('夜間 太郎', PASSPHRASE);
  const userId = front.store.getState().session!.user.id;
  return {
    name,
    front: front.store,
    async back(): Promise<Store> {
      const tab = await newTab();
      opened.push(tab.store);
      await tab.store.getState().start(tab.createVault(name));
      await tab.store.getState().unlock(userId, PASSPHRASE);
      return tab.store;
    },
  };
}

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
/** The call that opens the case, 40 minutes ago, recorded once the phone was put down. */
const nightCall = () => openBody({ requestedAt: minutesAgo(40), requestedAtReason: '電話を受けてから記録したため' });

/** Every entry of the case as the phone holds it, in read order, checked as the case screen checks it. */
async function heldOnPhone(store: Store, caseId: string) {
  const entries = (await store.getState().session!.list<CaseEntry>('case-entry')).map((r) => r.data).filter((e) => e.caseId === caseId);
  entries.sort((a, b) => a.index - b.index);
  return { entries, chain: await verifyChain(entries) };
}

describe('a case entry recorded in a tab that has not seen the other tab\'s entries', () => {
  it('is refused on a case the other tab closed: 受入可, the admission to あおぞら and 終了 there, then a call and an admission to みどり園 here', async () => {
    const { front, back } = await phone();
    const kase = await front.getState().appendCaseEntry(null, nightCall());
    await front.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(30), result: '受入可', facilityName: 'あおぞら短期入所' }));
    const behind = await back();
    await front.getState().appendCaseEntry(kase.id, { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: minutesAgo(20), note: '' });
    await front.getState().appendCaseEntry(kase.id, { type: 'close', closedAt: minutesAgo(10) });

    const closed = '終了した対応記録には追加できません。続きを記録するときは「対応を再開」を押してください。誤りは「訂正」で記録してください。';
    await expect(behind.getState().appendCaseEntry(kase.id, contactBody({ facilityId: 'fac-2', facilityName: 'みどり園', contactedAt: minutesAgo(1), result: '受入可' }))).rejects.toMatchObject({ messages: [closed] });
    const admission: EntryBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-2', facilityName: 'みどり園', from: minutesAgo(1), note: '' };
    await expect(behind.getState().appendCaseEntry(kase.id, admission)).rejects.toMatchObject({ messages: [closed] });

    const { entries, chain } = await heldOnPhone(front, kase.id);
    expect(entries.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'close']);
    expect(chain).toMatchObject({ ok: true, tips: 1 });
    // and the tab behind now shows the case as it is: 終了
    expect(behind.getState().caseEntries.get(kase.id)?.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'close']);
  });

  it('that the rules still take goes on after the other tab\'s, as one line: no second tip from this phone', async () => {
    const { front, back } = await phone();
    const kase = await front.getState().appendCaseEntry(null, nightCall());
    const behind = await back();
    await front.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(30), result: '不在', facilityName: 'ひだまり' }));

    const after = await behind.getState().appendCaseEntry(kase.id, contactBody({ facilityId: 'fac-2', facilityName: 'みどり園', contactedAt: minutesAgo(1), result: '受入可' }));
    expect(after.contacts.map((c) => c.body.facilityName)).toEqual(['ひだまり', 'みどり園']);

    const { entries, chain } = await heldOnPhone(front, kase.id);
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(chain).toMatchObject({ ok: true, tips: 1 });
  });

  it('a case only the other tab has opened is found, not 「見つかりません」', async () => {
    const { front, back } = await phone();
    const behind = await back();
    const kase = await front.getState().appendCaseEntry(null, nightCall());
    const after = await behind.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(1), result: '受入可' }));
    expect(after.contacts).toHaveLength(1);
  });

  it('goes in when an entry of another case is damaged on the disk (set aside at unlock): the re-read leaves it out', async () => {
    const { name, front, back } = await phone();
    const kase = await front.getState().appendCaseEntry(null, nightCall());
    const other = await front.getState().appendCaseEntry(null, nightCall());
    // one bit of the other case's first entry flipped, as a failing flash cell does
    const db = new VaultDatabase(name);
    const row = (await db.records.get(['case-entry', other.entries[0]!.id]))!;
    const ct = new Uint8Array(row.ct.slice(0));
    ct[3]! ^= 0x01;
    await db.records.put({ ...row, ct });
    db.close();
    const behind = await back();
    expect(behind.getState().unreadable.get('case-entry')).toBe(1);

    const after = await behind.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(1), result: '受入可' }));
    expect(after.contacts).toHaveLength(1);
  });

  it('recorded in both tabs at the same moment, one goes after the other (the case\'s Web Lock, shared by the tabs)', async () => {
    // The browser's Web Locks, as every tab of one origin shares them: one holder of a name at a time.
    const requested: string[] = [];
    const tails = new Map<string, Promise<unknown>>();
    vi.stubGlobal('navigator', {
      locks: {
        request(name: string, work: () => Promise<unknown>) {
          requested.push(name);
          const run = (tails.get(name) ?? Promise.resolve()).catch(() => undefined).then(work);
          tails.set(name, run);
          return run;
        },
      },
    });
    const { front, back } = await phone();
    const kase = await front.getState().appendCaseEntry(null, nightCall());
    const behind = await back();
    await Promise.all([
      front.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(2), result: '不在', facilityName: 'ひだまり' })),
      behind.getState().appendCaseEntry(kase.id, contactBody({ facilityId: 'fac-2', contactedAt: minutesAgo(1), result: '不在', facilityName: 'みどり園' })),
    ]);
    expect(requested).toEqual([`kyoten-case:${kase.id}`, `kyoten-case:${kase.id}`]);
    const { entries, chain } = await heldOnPhone(front, kase.id);
    expect(entries.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(chain).toMatchObject({ ok: true, tips: 1 });
  });
});

describe('a month marked 請求済み in both tabs', () => {
  const close = (id: string, sentOn: string): MonthCloseRecord => ({
    id,
    officeId: 'office-1',
    month: '2026-11',
    recordedAt: new Date().toISOString(),
    recordedBy: { userId: 'user-1', name: '事務 花子' },
    deviceId: 'device-1',
    body: {
      type: 'close',
      sentOn,
      encoding: 'shift_jis',
      office: { name: 'あおぞら拠点', officeNumber: '1210100001', updatedAt: '2026-04-01T00:00:00.000Z' },
      cases: [],
      summary: [],
      persons: 0,
      count: 0,
      units: 0,
      exports: [],
    },
  });

  it('is closed once: the tab behind says it is already 請求済み, with the date the other tab gave', async () => {
    const { front, back } = await phone();
    const behind = await back();
    await front.getState().appendMonthClose(close(crypto.randomUUID(), '2026-12-05'));
    await expect(behind.getState().appendMonthClose(close(crypto.randomUUID(), '2026-12-06'))).rejects.toMatchObject({
      messages: [expect.stringContaining('この月はすでに請求済みです')],
    });
    const held = await front.getState().session!.list<MonthCloseRecord>('month-close');
    expect(held).toHaveLength(1);
  });
});

describe('device settings changed in another tab', () => {
  it('are the ones this tab locks by after its next unlock (the idle lock\'s minutes)', async () => {
    const { front, back } = await phone();
    const behind = await back();
    await front.getState().updateSettings({ idleLockMinutes: 15 });
    const userId = behind.getState().session!.user.id;
    await behind.getState().lock();
    await behind.getState().unlock(userId, PASSPHRASE);
    expect(behind.getState().settings.idleLockMinutes).toBe(15);
  });
});

describe('what the store tells the other tabs', () => {
  it('every record it writes, and 「all」 after the demo or a reload; nothing for what it only reads again', async () => {
    const { store, onRecordsWritten } = await newTab();
    const session = createFakeSession();
    store.setState({ session, phase: 'unlocked' });
    const told: RecordsWritten[] = [];
    const stop = onRecordsWritten((deviceId, written) => {
      expect(deviceId).toBe(session.deviceId);
      told.push(written);
    });
    try {
      const household = createHousehold({ id: 'h-sato' });
      await store.getState().saveHousehold(household, 'create');
      await store.getState().importFacilities([{ facility: createFacility({ id: 'fac-a' }), op: 'create' }, { facility: createFacility({ id: 'fac-b' }), op: 'create' }]);
      const kase = await store.getState().appendCaseEntry(null, nightCall());
      await store.getState().loadDemo([createHousehold({ id: 'demo-h1' })], []);
      await store.getState().reload();
      expect(told).toEqual([
        [['household', 'h-sato']],
        [['facility', 'fac-a'], ['facility', 'fac-b']],
        [['case-entry', kase.entries[0]!.id]],
        'all',
        'all',
      ]);

      told.length = 0;
      await store.getState().refreshRecords([['household', 'h-sato']]);
      await store.getState().reload({ tellOtherTabs: false });
      expect(told).toEqual([]);
    } finally {
      stop();
    }
  });
});
