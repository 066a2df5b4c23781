/**
 * The documents both sides of the sync figures move: the demo generator's 10,000 households and
 * 1,000 facilities (what bench/run.ts loads), and 1,000 household edits made offline on the device.
 */
import { generateDemoHub } from '../src/domain/demo-data';
import { HUB_ONLY_OFFICE } from '../src/protocol/sync';
import type { PushedChange } from '../src/server/db/store';

export const SYNC_HOUSEHOLDS = 10_000;
export const SYNC_FACILITIES = 1_000;
export const SYNC_EDITS = 1_000;

export interface SyncRecord {
  readonly kind: 'household' | 'facility';
  readonly id: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One offline edit: the household's note (備考) rewritten, as a coordinator would after a call. */
export interface SyncEdit {
  readonly id: string;
  readonly note: string;
  readonly updatedAt: string;
}

export interface SyncFixture {
  readonly records: readonly SyncRecord[];
  readonly edits: readonly SyncEdit[];
}

/** One round on a fresh device: both figures in milliseconds, and what was checked. */
export interface SyncRound {
  readonly firstSync: number;
  readonly drain: number;
  /** the raw floor of both figures, measured in the same round (ours only; bench/sync-ours-page.ts floor()) */
  readonly floor?: { readonly firstSync: number; readonly drain: number };
  readonly detail: string;
  /** where the time went, when the side can tell (milliseconds per part) */
  readonly parts?: Readonly<Record<string, number>>;
}

export interface SyncFixtureSize {
  readonly households: number;
  readonly facilities: number;
  /** every (households / edits)th household is edited */
  readonly edits: number;
}

const BENCH_SIZE: SyncFixtureSize = { households: SYNC_HOUSEHOLDS, facilities: SYNC_FACILITIES, edits: SYNC_EDITS };

export function syncFixture(now = new Date(), size: SyncFixtureSize = BENCH_SIZE): SyncFixture {
  const { households, facilities } = generateDemoHub({ households: size.households, facilities: size.facilities, now: now.toISOString() });
  const records: SyncRecord[] = [
    ...facilities.map((f) => ({ kind: 'facility' as const, id: f.id, data: { ...f } })),
    ...households.map((h) => ({ kind: 'household' as const, id: h.id, data: { ...h } })),
  ];
  const editedAt = new Date(now.getTime() + 60_000).toISOString();
  // Every tenth household, so edits spread over the whole list.
  const edits = households
    .filter((_, i) => i % Math.floor(size.households / size.edits) === 0)
    .slice(0, size.edits)
    .map((h, i) => ({ id: h.id, note: `${h.note} ／ ${i + 1}回目の電話で状況を確認（ベンチ編集）`, updatedAt: editedAt }));
  return { records, edits };
}

/**
 * The fixture's records as the hub's store takes them from another coordinator's device: creates,
 * each its own mutation; households with no office are the hub's own (what the sync service decides
 * for a coordinator).
 */
export function seedChanges(records: readonly SyncRecord[], at = new Date().toISOString()): PushedChange[] {
  return records.map((r, i) => ({
    seq: i + 1,
    mutationId: globalThis.crypto.randomUUID(),
    kind: r.kind,
    entityId: r.id,
    op: 'create',
    at,
    payload: r.data,
    officeId: r.kind === 'household' ? HUB_ONLY_OFFICE : null,
    baseVersion: null,
  }));
}
