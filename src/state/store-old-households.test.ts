/**
 * Households the vault holds as an older phone or the hub's raw row wrote them (no `reviews`,
 * `withdrawal` or `consent` key): every read of the store hands them to the screens filled, as the
 * record schema reads them, so the detail screen, 「見直しを記録」 and the status do not stop on them.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import type { Household } from '../domain/household';
import type { SummarySnapshot } from '../domain/household-summary';
import { householdStatus } from '../domain/household-rules';
import { addReview } from '../domain/review-worklist';
import { createVault } from '../vault/vault';
import type { VaultSession } from '../vault/types';
import { SUMMARY_SNAPSHOT_KEY, useApp } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});
afterEach(() => {
  useApp.getState().vault?.close();
});

// saved before 見直し were recorded: registered (同意書), never withdrawn, no `reviews` nor `withdrawal` key
const registered = createHousehold({ id: 'h-old', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', furigana: 'さとう ようた' })] });
// a draft from then: no 同意書 key either
const draft = createHousehold({ id: 'h-draft', persons: [createPerson({ id: 'p-2', name: '伊藤 誠', furigana: 'いとう まこと' })] });

function storedWithout(h: Household, ...keys: string[]): Household {
  const stored: Record<string, unknown> = { ...h };
  for (const key of keys) delete stored[key];
  return stored as unknown as Household;
}

/** Both households written into the vault behind the store, as a pull or a restore writes them. */
async function writeOld(session: VaultSession, op: 'create' | 'update' = 'create') {
  await session.put('household', registered.id, storedWithout(registered, 'reviews', 'withdrawal'), op);
  await session.put('household', draft.id, storedWithout(draft, 'reviews', 'withdrawal', 'consent'), op);
}

/** What a user sees of them: the status in the list and on the detail screen, its reviews, and a 見直し recorded. */
function expectReadable() {
  const { households, summaries } = useApp.getState();
  const h = households.get('h-old')!;
  expect(householdStatus(h)).toBe('registered');
  expect(householdStatus(summaries.get('h-old')!)).toBe('registered');
  expect(h.reviews).toEqual([]);
  const added = addReview(h, { id: 'rv-1', reviewedOn: '2026-05-01', reviewedBy: '夜間 太郎', reviewedByUserId: 'u-1', note: '' }, '2026-05-01', '2026-05-01T03:00:00.000Z');
  expect(added.ok).toBe(true);
  const d = households.get('h-draft')!;
  expect(householdStatus(d)).toBe('draft');
  expect(householdStatus(summaries.get('h-draft')!)).toBe('draft');
  expect(d.reviews).toEqual([]);
}

async function startFresh(name: string) {
  const vault = createVault(`${name}-${crypto.randomUUID()}`);
  await useApp.getState().start(vault);
  await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
  return vault;
}

describe('a household stored without reviews, 登録廃止 or 同意書 keys', () => {
  it('reads as registered (or 下書き), not 登録廃止, with no reviews, on a full read of the vault (a restore, the demo, a reload)', async () => {
    await startFresh('old-full');
    await writeOld(useApp.getState().session!);
    await useApp.getState().reload();
    expect(useApp.getState().householdsLoaded).toBe(true);
    expectReadable();
  });

  it('reads the same when a sync wrote it (the re-read after a pull)', async () => {
    await startFresh('old-pull');
    await writeOld(useApp.getState().session!);
    await useApp.getState().refreshRecords([
      ['household', 'h-old'],
      ['household', 'h-draft'],
    ]);
    expectReadable();
  });

  it('reads the same at an unlock from the snapshot: opened before the background load, and after it', async () => {
    const vault = await startFresh('old-snapshot');
    await useApp.getState().saveHousehold(registered, 'create');
    await useApp.getState().saveHousehold(draft, 'create');
    await vi.waitFor(async () => {
      const snapshot = await useApp.getState().session!.loadCache<SummarySnapshot>(SUMMARY_SNAPSHOT_KEY);
      expect(snapshot?.summaries.map((s) => s.id).sort()).toEqual(['h-draft', 'h-old']);
    }, { timeout: 15_000 });
    await writeOld(useApp.getState().session!, 'update');
    await useApp.getState().lock();
    const user = useApp.getState().users[0]!;

    // one record on demand, before the background load is done
    useApp.setState({ households: new Map(), householdsLoaded: false });
    const session = await vault.unlock(user.id, PASSPHRASE);
    useApp.setState({ session, phase: 'unlocked' });
    await useApp.getState().ensureHousehold('h-old');
    const opened = useApp.getState().households.get('h-old')!;
    expect(householdStatus(opened)).toBe('registered');
    expect(opened.reviews).toEqual([]);
    await useApp.getState().lock();

    // the background load of every record
    await useApp.getState().unlock(user.id, PASSPHRASE);
    await vi.waitFor(() => expect(useApp.getState().householdsLoaded).toBe(true), { timeout: 15_000 });
    expectReadable();
  });
});
