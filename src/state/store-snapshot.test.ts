/**
 * Unlocking from the encrypted summary snapshot: the list and search are ready from the snapshot,
 * the full records follow in the background, and a stale snapshot is corrected and rewritten.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { searchHouseholds } from '../domain/search';
import type { SummarySnapshot } from '../domain/household-summary';
import { createVault } from '../vault/vault';
import { SUMMARY_SNAPSHOT_KEY, useApp } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});

afterEach(() => {
  useApp.getState().vault?.close();
});

const sato = createHousehold({ id: 'h-sato', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた', medications: 'デパケン' })] });
const suzuki = createHousehold({ id: 'h-suzuki', persons: [createPerson({ id: 'p-2', name: '鈴木 花子', furigana: 'すずき はなこ' })] });

async function relock() {
  await useApp.getState().lock();
  const user = useApp.getState().users[0]!;
  await useApp.getState().unlock(user.id, PASSPHRASE);
}

describe('unlock from the summary snapshot', () => {
  it('writes the snapshot on save and starts the next unlock from it, full records following', async () => {
    const vault = createVault(`snapshot-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    await useApp.getState().saveHousehold(sato, 'create');
    await vi.waitFor(async () => {
      const snapshot = await useApp.getState().session!.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY);
      expect(snapshot?.summaries.map((s) => s.id)).toEqual(['h-sato']);
      // a summary holds what the list needs, never the medical details nor the consent's wording
      expect(JSON.stringify(snapshot)).not.toContain('デパケン');
      expect(JSON.stringify(snapshot)).not.toContain(sato.consent!.scope);
      expect(snapshot?.summaries[0]?.consent).toEqual({ date: sato.consent!.date });
    }, { timeout: 15_000 });

    const list = vi.spyOn(useApp.getState().session!.constructor.prototype, 'listReadable');
    await relock();
    const state = useApp.getState();
    expect(state.phase).toBe('unlocked');
    expect([...state.summaries.keys()]).toEqual(['h-sato']);
    // The search index comes with the snapshot: a query is answered at once, nothing is built.
    expect(state.pendingOrder).toBeNull();
    expect(searchHouseholds(state.index, 'サトウ').map((h) => h.householdId)).toEqual(['h-sato']);
    await vi.waitFor(() => expect(useApp.getState().householdsLoaded).toBe(true), { timeout: 15_000 });
    expect(useApp.getState().households.get('h-sato')?.persons[0]?.medications).toBe('デパケン');
    expect(list).toHaveBeenCalledWith('household');
    list.mockRestore();
  });

  it('from a snapshot with no search index (written before it had one), shows the list and builds the index after the first paint', async () => {
    const vault = createVault(`snapshot-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    await useApp.getState().saveHousehold(sato, 'create');
    await useApp.getState().saveHousehold(suzuki, 'create');
    const session = useApp.getState().session!;
    await vi.waitFor(async () => expect((await session.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY))?.index).toBeDefined(), { timeout: 15_000 });
    const { index: _index, ...older } = (await session.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY))!;
    await session.saveCache(SUMMARY_SNAPSHOT_KEY, older);

    await relock();
    // The list's order comes with the snapshot; the search index is built just after the first paint.
    expect(useApp.getState().pendingOrder).toEqual(['h-sato', 'h-suzuki']);
    await vi.waitFor(() => expect(searchHouseholds(useApp.getState().index, 'スズキ').map((h) => h.householdId)).toEqual(['h-suzuki']), { timeout: 15_000 });
    expect(useApp.getState().pendingOrder).toBeNull();
  });

  it('corrects a stale snapshot from the records and rewrites it', async () => {
    const vault = createVault(`snapshot-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    await useApp.getState().saveHousehold(sato, 'create');
    // Written behind the store's back (as a sync would): the snapshot does not know it.
    await useApp.getState().session!.put('household', suzuki.id, suzuki, 'create');

    await relock();
    await vi.waitFor(() => expect(useApp.getState().householdsLoaded).toBe(true), { timeout: 15_000 });
    const state = useApp.getState();
    expect([...state.summaries.keys()].sort()).toEqual(['h-sato', 'h-suzuki']);
    expect(searchHouseholds(state.index, 'すずき').map((h) => h.householdId)).toEqual(['h-suzuki']);
    await vi.waitFor(async () => {
      const snapshot = await useApp.getState().session!.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY);
      expect(snapshot?.summaries.map((s) => s.id).sort()).toEqual(['h-sato', 'h-suzuki']);
    }, { timeout: 15_000 });
  });

  it('reads one full record on demand before the background load is done', async () => {
    const vault = createVault(`snapshot-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    await useApp.getState().saveHousehold(sato, 'create');
    await useApp.getState().lock();
    useApp.setState({ households: new Map(), householdsLoaded: false });
    const session = await vault.unlock(useApp.getState().users[0]!.id, PASSPHRASE);
    useApp.setState({ session, phase: 'unlocked' });
    await useApp.getState().ensureHousehold('h-sato');
    expect(useApp.getState().households.get('h-sato')?.persons[0]?.medications).toBe('デパケン');
    expect(useApp.getState().householdsLoaded).toBe(false);
  });
});
