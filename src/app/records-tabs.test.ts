/**
 * Two tabs of the app on one phone, the same person unlocked in both (the guide's 「拠点ナビを開く」
 * beside the installed app): what one writes, or its sync brings, the other shows without a reload
 * (records-tabs.ts). Each tab here is a page of its own: its own modules, store and vault
 * connection, and its own end of the channel.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createHousehold, createPerson } from '../../test/factories/household';
import { searchHouseholds } from '../domain/search';

const PASSPHRASE = 'yoru-no-denwa-2026';
const CHANNEL_NAME = 'kyoten-records';

type Store = (typeof import('../state/store'))['useApp'];
interface Tab {
  readonly store: Store;
  readonly tabs: typeof import('./records-tabs');
  readonly createVault: (typeof import('../vault/vault'))['createVault'];
  readonly channel: BroadcastChannel;
}

const opened: Tab[] = [];
const listeners: BroadcastChannel[] = [];
afterEach(() => {
  for (const tab of opened.splice(0)) {
    tab.channel.close();
    tab.store.getState().vault?.close();
  }
  for (const channel of listeners.splice(0)) channel.close();
});

/** A page of the app, sharing records over its end of the channel (boot.tsx does so once per page). */
async function newTab(): Promise<Tab> {
  vi.resetModules();
  const tabs = await import('./records-tabs');
  const { useApp } = await import('../state/store');
  const { createVault } = await import('../vault/vault');
  const channel = new BroadcastChannel(CHANNEL_NAME);
  tabs.shareRecords(channel);
  const tab = { store: useApp, tabs, createVault, channel };
  opened.push(tab);
  return tab;
}

/** The phone set up in one tab, and a second tab unlocked on it by the same person. */
async function twoTabs(name = `records-tabs-${crypto.randomUUID()}`) {
  const front = await newTab();
  await front.store.getState().start(front.createVault(name));
  await front.store.getState().setUp('夜間 太郎', PASSPHRASE);
  const userId = front.store.getState().session!.user.id;
  const back = await newTab();
  await back.store.getState().start(back.createVault(name));
  await back.store.getState().unlock(userId, PASSPHRASE);
  return { front, back, userId, name };
}

/** Every message on the channel, as a third tab hears it. */
function heardOnChannel(): unknown[] {
  const heard: unknown[] = [];
  const channel = new BroadcastChannel(CHANNEL_NAME);
  channel.addEventListener('message', (e) => heard.push(e.data));
  listeners.push(channel);
  return heard;
}

/** Lets the channel deliver what is under way (a message crosses in a macrotask or two). */
const settle = () => new Promise((done) => setTimeout(done, 50));

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

describe('a record written in one tab', () => {
  it('a household saved there shows here at once, found by its name, with nothing written here', async () => {
    const { front, back } = await twoTabs();
    const heard = heardOnChannel();
    const sato = createHousehold({ id: 'h-sato', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた' })] });
    await front.store.getState().saveHousehold(sato, 'create');
    await vi.waitFor(() => expect(back.store.getState().households.get('h-sato')?.persons[0]?.name).toBe('佐藤 陽太'));
    expect(searchHouseholds(back.store.getState().index, 'さとう').map((h) => h.householdId)).toEqual(['h-sato']);

    await front.store.getState().saveHousehold({ ...sato, phone: '047-999-0000' }, 'update');
    await vi.waitFor(() => expect(back.store.getState().households.get('h-sato')?.phone).toBe('047-999-0000'));
    // the tab that only read them again said nothing: two messages, both the writer's
    await settle();
    expect(heard).toHaveLength(2);
  });

  it('the 終了 recorded there is on the case here before anyone records onto it', async () => {
    const { front, back } = await twoTabs();
    const kase = await front.store.getState().appendCaseEntry(null, openBody({ requestedAt: minutesAgo(40), requestedAtReason: '電話を受けてから記録したため' }));
    await front.store.getState().appendCaseEntry(kase.id, contactBody({ contactedAt: minutesAgo(30) }));
    await front.store.getState().appendCaseEntry(kase.id, { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: minutesAgo(20), note: '' });
    await front.store.getState().appendCaseEntry(kase.id, { type: 'close', closedAt: minutesAgo(10) });
    await vi.waitFor(() => expect(back.store.getState().caseEntries.get(kase.id)?.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'close']));
  });

  it('what a sync brought there shows here: the cursor they share has moved on, and this tab\'s sync would bring nothing', async () => {
    const { front, back } = await twoTabs();
    const session = front.store.getState().session!;
    // written behind the front tab's store, as a pull writes; sync-wiring.ts then tells the other tabs
    const ito = createHousehold({ id: 'h-ito', persons: [createPerson({ id: 'p-2', name: '伊藤 誠', furigana: 'いとう まこと' })] });
    await session.put('household', ito.id, ito, 'create');
    front.tabs.tellRecordsWritten(session.deviceId, [['household', ito.id]], front.channel);
    await vi.waitFor(() => expect(back.store.getState().households.has('h-ito')).toBe(true));
  });

  it('after a reload there (a backup restored), every record is read again here, and said only once', async () => {
    const { front, back } = await twoTabs();
    const session = front.store.getState().session!;
    await session.put('household', 'h-restored', createHousehold({ id: 'h-restored' }), 'create');
    const heard = heardOnChannel();
    await front.store.getState().reload();
    await vi.waitFor(() => expect(back.store.getState().households.has('h-restored')).toBe(true));
    await settle();
    expect(heard).toEqual([{ type: 'records', deviceId: session.deviceId, written: 'all' }]);
  });
});

describe('a tab that does not show the records', () => {
  it('locked, it reads nothing when told, and everything at its unlock', async () => {
    const { front, back, userId } = await twoTabs();
    await back.store.getState().lock();
    const refresh = vi.spyOn(back.store.getState(), 'refreshRecords');
    await front.store.getState().saveHousehold(createHousehold({ id: 'h-late' }), 'create');
    await settle();
    expect(refresh).not.toHaveBeenCalled();
    expect(back.store.getState().summaries.size).toBe(0);

    await back.store.getState().unlock(userId, PASSPHRASE);
    expect(back.store.getState().summaries.has('h-late')).toBe(true);
  });

  it('still unlocking (its records being read), it reads the record again once they are shown: its reading may have passed it', async () => {
    const { front, back } = await twoTabs();
    back.store.setState({ phase: 'unlocking' });
    const refresh = vi.spyOn(back.store.getState(), 'refreshRecords');
    await front.store.getState().saveHousehold(createHousehold({ id: 'h-meanwhile' }), 'create');
    await settle();
    expect(refresh).not.toHaveBeenCalled();
    back.store.setState({ phase: 'unlocked' });
    await vi.waitFor(() => expect(back.store.getState().households.has('h-meanwhile')).toBe(true));
  });

  it('unlocked on another phone\'s vault (another database), it leaves the message alone', async () => {
    const { front } = await twoTabs();
    const elsewhere = await newTab();
    await elsewhere.store.getState().start(elsewhere.createVault(`records-tabs-${crypto.randomUUID()}`));
    await elsewhere.store.getState().setUp('別の 花子', PASSPHRASE);
    const refresh = vi.spyOn(elsewhere.store.getState(), 'refreshRecords');
    await front.store.getState().saveHousehold(createHousehold({ id: 'h-here' }), 'create');
    await settle();
    expect(refresh).not.toHaveBeenCalled();
  });
});
