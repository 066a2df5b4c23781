/**
 * A pulled page's CPU and WebCrypto work (parse, check [R3], seal), given only the vault's key and
 * a clock: no storage, no Dexie. The vault runs it before a page's transaction (sync-store.ts
 * preparePage, for a page given as records); a pull job runs it in a worker, beside the fetch
 * (src/sync/pull-job.ts).
 */
import type { WireRecord } from '../protocol/sync';
import { bindingOf, sealJson, type Sealed } from './crypto';
import type { SetAsideRow } from './db';
import { prepareSetAside, setAsideKeysOf, sortPulled } from './set-aside';
import { APPEND_ONLY_KINDS, type EntityKind, type PreparedPage } from './types';

export const hashOf = (data: unknown): unknown => (typeof data === 'object' && data !== null ? (data as { hash?: unknown }).hash : undefined);

/** A prepared page as it crosses from a worker: clear columns, hashes and sealed bytes only. */
export interface PortablePage extends PreparedPage {
  /** the records to write, their payloads left out (sealed in `sealed`, in the same order) */
  readonly page: readonly WireRecord[];
  /** each record's hash if it is evidence (compared with the one held here), in `page`'s order */
  readonly hashes: readonly unknown[];
  readonly sealed: readonly Sealed[];
  readonly setAsideRows: readonly SetAsideRow[];
  readonly removed: readonly WireRecord[];
  readonly removedSetAside: [EntityKind, string][];
  readonly updatedAt: string;
}

/**
 * preparePage's work, given only the key and the clock: what a pull job does, in a worker when it
 * can (pull-job.ts). Nothing in it but the clear columns every row has and sealed data.
 */
export async function sealPage(key: CryptoKey, now: () => number, records: readonly WireRecord[]): Promise<PortablePage> {
  // Within a page the same record may come twice only if the hub misbehaves; the later version wins.
  const latest = new Map<string, WireRecord>();
  for (const r of records) {
    const key = `${r.kind}/${r.entityId}`;
    const seen = latest.get(key);
    if (seen === undefined || seen.version < r.version) latest.set(key, r);
  }
  const sorted = await sortPulled([...latest.values()]);
  const page = sorted.readable.map((r) => r.record);
  const updatedAt = new Date(now()).toISOString();
  const [sealed, setAsideRows, removedSetAside] = await Promise.all([
    // The text the hub sent is sealed as it came: it was parsed and checked just now (sortPulled),
    // and stringifying the parse again would only cost time.
    Promise.all(page.map((r) => sealJson(key, bindingOf('records', r.kind, r.entityId), r.payloadJson))),
    prepareSetAside({ key }, sorted.unreadable, updatedAt),
    setAsideKeysOf(sorted.removed),
  ]);
  // What is written needs only the clear columns of each record; evidence is compared by hash.
  const clear = (r: WireRecord): WireRecord => ({ ...r, payloadJson: '' });
  return {
    size: records.length,
    page: page.map(clear),
    hashes: sorted.readable.map((r) => (APPEND_ONLY_KINDS.has(r.record.kind) ? hashOf(r.data) : undefined)),
    sealed,
    setAsideRows,
    removed: sorted.removed.map(clear),
    removedSetAside,
    updatedAt,
  };
}

