/**
 * After a sync writes records behind the store, the screens re-read just those records: no full
 * reload (which decrypts every household) for a pull that brought a few.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, openBody } from '../../test/factories/emergency-case';
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

    const list = vi.spyOn(session, 'list');
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
