/**
 * After a sync writes records behind the store, the screens re-read just those records: no full
 * reload (which decrypts every household) for a pull that brought a few.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createHousehold, createPerson } from '../../test/factories/household';
import { searchHouseholds } from '../domain/search';
import { createVault } from '../vault/vault';
import { useApp } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});
afterEach(() => {
  useApp.getState().vault?.close();
});

describe('refreshRecords', () => {
  it('shows households and case entries a sync wrote, reading only those', async () => {
    await useApp.getState().start(createVault(`refresh-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const sato = createHousehold({ id: 'h-sato', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた' })] });
    await useApp.getState().saveHousehold(sato, 'create');

    // Written behind the store, as a pull does: a new household, an edit, and a case entry.
    const session = useApp.getState().session!;
    const ito = createHousehold({ id: 'h-ito', persons: [createPerson({ id: 'p-2', name: '伊藤 誠', furigana: 'いとう まこと' })] });
    await session.put('household', ito.id, ito, 'create');
    await session.put('household', sato.id, { ...sato, phone: '047-999-0000' }, 'update');
    const [entry] = await appendEntries([], [openBody()], 'case-1');
    await session.append('case-entry', entry!.id, entry);

    const list = vi.spyOn(session, 'listReadable');
    await useApp.getState().refreshRecords([
      ['household', ito.id],
      ['household', sato.id],
      ['case-entry', entry!.id],
    ]);
    const state = useApp.getState();
    expect(list).not.toHaveBeenCalled();
    expect(searchHouseholds(state.index, 'いとう').map((h) => h.householdId)).toEqual(['h-ito']);
    expect(state.households.get('h-sato')?.phone).toBe('047-999-0000');
    expect(state.caseEntries.get('case-1')?.map((e) => e.id)).toEqual([entry!.id]);
  });
});

describe('refreshRecords keeps the maps a pull did not touch', () => {
  it('a pulled case entry leaves facilities, households, summaries and trial stays the same objects; a pulled facility gives a new facilities map', async () => {
    await useApp.getState().start(createVault(`refresh-identity-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const session = useApp.getState().session!;
    await useApp.getState().saveHousehold(createHousehold({ id: 'h-sato' }), 'create');
    const before = useApp.getState();

    const [entry] = await appendEntries([], [openBody()], 'case-1');
    await session.append('case-entry', entry!.id, entry);
    await useApp.getState().refreshRecords([['case-entry', entry!.id]]);
    const afterEntry = useApp.getState();
    expect(afterEntry.caseEntries.get('case-1')?.map((e) => e.id)).toEqual([entry!.id]);
    expect(afterEntry.facilities).toBe(before.facilities);
    expect(afterEntry.households).toBe(before.households);
    expect(afterEntry.summaries).toBe(before.summaries);
    expect(afterEntry.trialStays).toBe(before.trialStays);
    expect(afterEntry.index).toBe(before.index);

    const facility = createFacility({ id: 'fac-pulled', name: 'つばさ苑' });
    await session.put('facility', facility.id, facility, 'create');
    await useApp.getState().refreshRecords([['facility', facility.id]]);
    const afterFacility = useApp.getState();
    expect(afterFacility.facilities).not.toBe(afterEntry.facilities);
    expect(afterFacility.facilities.get('fac-pulled')?.name).toBe('つばさ苑');
    expect(afterEntry.facilities.has('fac-pulled')).toBe(false);
    expect(afterFacility.caseEntries).toBe(afterEntry.caseEntries);
    expect(afterFacility.summaries).toBe(afterEntry.summaries);
  });
});

describe('refreshRecords after a busy night on another phone', () => {
  it('reads the hundreds of entries a sync brought, in a few reads, without decrypting the phone again', async () => {
    await useApp.getState().start(createVault(`refresh-many-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const session = useApp.getState().session!;
    const keys: ['case-entry', string][] = [];
    for (let n = 0; n < 520; n += 1) {
      const [entry] = await appendEntries([], [openBody()], `case-${n}`);
      await session.append('case-entry', entry!.id, entry);
      keys.push(['case-entry', entry!.id]);
    }
    const list = vi.spyOn(session, 'listReadable');
    const getMany = vi.spyOn(session, 'getMany');
    await useApp.getState().refreshRecords(keys);
    expect(list).not.toHaveBeenCalled();
    expect(getMany).toHaveBeenCalledTimes(2);
    expect(useApp.getState().caseEntries.size).toBe(520);
  });
});

describe('refreshRecords with households', () => {
  it('finds every household of a big pull (the index built once), and keeps a household saved on this phone while the pull was read', async () => {
    await useApp.getState().start(createVault(`refresh-households-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const session = useApp.getState().session!;
    const sato = createHousehold({ id: 'h-sato', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた' })] });
    await useApp.getState().saveHousehold(sato, 'create');
    const pulled = Array.from({ length: 30 }, (_, n) =>
      createHousehold({ id: `h-${n}`, persons: [createPerson({ id: `p-${n}`, name: `伊藤 誠${n}`, furigana: `いとう まこと${n}` })] }),
    );
    for (const h of pulled) await session.put('household', h.id, h, 'create');
    // the pull brought an older 佐藤 too; the coordinator saves a new phone number meanwhile
    await session.put('household', sato.id, { ...sato, phone: '047-000-0000' }, 'update');
    const getMany = session.getMany.bind(session);
    vi.spyOn(session, 'getMany').mockImplementationOnce(async (keys) => {
      const read = await getMany(keys);
      await useApp.getState().saveHousehold({ ...sato, phone: '047-999-9999' }, 'update');
      return read as never;
    });
    await useApp.getState().refreshRecords([...pulled.map((h) => ['household', h.id] as const), ['household', sato.id]]);
    const state = useApp.getState();
    expect(searchHouseholds(state.index, 'いとう', 100)).toHaveLength(30);
    expect(state.households.get('h-sato')?.phone).toBe('047-999-9999');
  });
});

describe('a write that ends after a lock', () => {
  it('is kept in the vault but brings nothing decrypted back into the locked app (a household, a case entry)', async () => {
    await useApp.getState().start(createVault(`lock-race-${crypto.randomUUID()}`));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const session = useApp.getState().session!;
    const sato = createHousehold({ id: 'h-sato', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた' })] });
    // Both are written, but their answers come back only after the phone has locked (a big
    // household, a slow disk: the lock's own transaction may finish first).
    let locked!: () => void;
    const lockDone = new Promise<void>((resolve) => (locked = resolve));
    for (const method of ['put', 'append'] as const) {
      const original = session[method].bind(session) as (...args: unknown[]) => Promise<unknown>;
      vi.spyOn(session, method).mockImplementation((async (...args: unknown[]) => {
        const written = await original(...args);
        await lockDone;
        return written;
      }) as never);
    }
    const saving = useApp.getState().saveHousehold(sato, 'create');
    const appending = useApp.getState().appendCaseEntry(null, openBody({ requestedAtReason: '折り返しの電話で記録' }));
    await vi.waitFor(() => expect(session.append).toHaveBeenCalled());
    await useApp.getState().lock('manual');
    locked();
    await Promise.allSettled([saving, appending]);

    const state = useApp.getState();
    expect(state.phase).toBe('locked');
    expect(state.households.size).toBe(0);
    expect(state.summaries.size).toBe(0);
    expect(searchHouseholds(state.index, 'さとう')).toEqual([]);
    expect(state.caseEntries.size).toBe(0);
    // What was written stays written: the next unlock shows it.
    await useApp.getState().unlock(session.user.id, PASSPHRASE);
    await vi.waitFor(() => expect(useApp.getState().summaries.has('h-sato')).toBe(true));
    expect(useApp.getState().caseEntries.size).toBe(1);
  });
});

describe('a reload the handover outruns', () => {
  it("neither throws the night person's session out nor shows them the day person's data or error", async () => {
    const vault = createVault(`handover-race-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('日勤 花子', PASSPHRASE);
    const day = useApp.getState().session!;
    const night = await day.addUser(PASSPHRASE, '夜勤 太郎', 'kari-no-pass-2026');
    await useApp.getState().saveHousehold(createHousehold({ id: 'h-sato' }), 'create');
    // the night person has replaced the passphrase the day person gave them
    await useApp.getState().lock('manual');
    await useApp.getState().unlock(night.id, 'kari-no-pass-2026');
    await useApp.getState().session!.changePassphrase('kari-no-pass-2026', 'yoru-no-toban-2026');
    await useApp.getState().lock('manual');
    await useApp.getState().unlock(day.user.id, PASSPHRASE);
    const dayAgain = useApp.getState().session!;
    // the day session's full reload (a big pull) reads slowly, and ends after the handover
    let handedOver!: () => void;
    const handover = new Promise<void>((resolve) => (handedOver = resolve));
    const original = dayAgain.listReadable.bind(dayAgain);
    vi.spyOn(dayAgain, 'listReadable').mockImplementation((async (kind: Parameters<typeof dayAgain.listReadable>[0]) => {
      await handover;
      return original(kind);
    }) as never);
    const reload = useApp.getState().reload();
    await vi.waitFor(() => expect(dayAgain.listReadable).toHaveBeenCalled());
    await useApp.getState().lock('manual');
    await useApp.getState().unlock(night.id, 'yoru-no-toban-2026');
    const nightSession = useApp.getState().session!;
    expect(nightSession.user.displayName).toBe('夜勤 太郎');
    handedOver();
    await expect(reload).rejects.toMatchObject({ code: 'locked' });

    const state = useApp.getState();
    expect(state.session).toBe(nightSession);
    expect(state.phase).toBe('unlocked');
    expect(state.error).toBeNull();
    expect(nightSession.isLocked).toBe(false);
    await vi.waitFor(() => expect(useApp.getState().summaries.has('h-sato')).toBe(true));
  });
});
