/**
 * Records a pull brought that this app cannot read, set aside instead of written [R3]: the rest
 * of the page is written and the cursor moves on, so one bad record on the hub never stops a device.
 * Offline nothing here runs (only a pull sets aside); a full disk aborts the page whole, as before.
 *
 * The check itself (src/protocol/records.ts) brings zod, which the first screen does not wait for:
 * it is loaded when the first page arrives.
 */
import { isRecordId } from '../protocol/constants';
import type { RecordProblem } from '../protocol/records';
import type { WireRecord } from '../protocol/sync';
import { bindingOf, seal } from './crypto';
import type { SetAsideRow } from './db';
import type { SessionContext } from './journal';
import type { EntityKind, SetAsideCounts } from './types';

/** What a pulled page holds, sorted: records to write, records to set aside, and removals. */
export interface SortedPage {
  readonly readable: readonly { readonly record: WireRecord; readonly data: unknown }[];
  readonly unreadable: readonly { readonly record: WireRecord; readonly problem: RecordProblem }[];
  /** [R4] records an admin withdrew on the hub (withdrawn, payload null): the device drops its copy */
  readonly removed: readonly WireRecord[];
}

const loadCheck = () => import('../protocol/records');

/** A record the hub's admin removed: withdrawn, with nothing left in it [R4]. */
export const isRemoval = (record: WireRecord): boolean => record.withdrawn && record.payloadJson === 'null';

export async function sortPulled(records: readonly WireRecord[]): Promise<SortedPage> {
  const { checkRecord } = await loadCheck();
  const readable: { record: WireRecord; data: unknown }[] = [];
  const unreadable: { record: WireRecord; problem: RecordProblem }[] = [];
  const removed: WireRecord[] = [];
  for (const record of records) {
    if (isRemoval(record)) {
      removed.push(record);
      continue;
    }
    // Parsed once: the check and the write share it (a first sync parses 11,000 records).
    let data: unknown;
    try {
      data = JSON.parse(record.payloadJson);
    } catch {
      const problem = checkRecord(record.kind, record.entityId, undefined);
      unreadable.push({ record, problem: problem?.code === 'id' ? problem : { code: 'json', field: '', message: 'the payload is not JSON' } });
      continue;
    }
    const problem = checkRecord(record.kind, record.entityId, data);
    if (problem === null) readable.push({ record, data });
    else unreadable.push({ record, problem });
  }
  return { readable, unreadable, removed };
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The clear key of a set-aside record: its id when the id keeps the one rule, else `#` and the id's
 * SHA-256 (`#` is outside the rule, so the two never meet): an id that breaks the rule may hold a name.
 */
export async function setAsideKey(id: string): Promise<string> {
  return isRecordId(id) ? id : `#${await sha256Hex(id)}`;
}

/** Sealed before the page's transaction opens (WebCrypto must not run inside it). */
export async function prepareSetAside(
  ctx: Pick<SessionContext, 'key'>,
  items: SortedPage['unreadable'],
  at: string,
): Promise<SetAsideRow[]> {
  return Promise.all(
    items.map(async ({ record, problem }) => {
      const key = await setAsideKey(record.entityId);
      const sealed = await seal(ctx.key, bindingOf('setAside', record.kind, key), {
        id: record.entityId,
        payloadJson: record.payloadJson,
        message: problem.message,
      });
      return { kind: record.kind, key, version: record.version, officeId: record.officeId, reason: problem.code, field: problem.field, at, ...sealed };
    }),
  );
}

export const setAsideKeysOf = async (records: readonly WireRecord[]): Promise<[EntityKind, string][]> =>
  Promise.all(records.map(async (r) => [r.kind, await setAsideKey(r.entityId)] as [EntityKind, string]));

/** How many set-aside records the sync section names one by one. */
const SHOWN = 20;

/**
 * How many records are set aside, by reason, the first few, and which households: from clear
 * columns (the keys included), nothing decrypted.
 */
export async function countSetAside(ctx: SessionContext): Promise<SetAsideCounts> {
  const { db } = ctx;
  return db.transaction('r', db.setAside, async () => {
    const [id, json, shape] = await Promise.all((['id', 'json', 'shape'] as const).map((r) => db.setAside.where('reason').equals(r).count()));
    const total = id! + json! + shape!;
    const byReason = { id: id!, json: json!, shape: shape! };
    // Read only when there are any: the status line asks after every change.
    if (total === 0) return { total, byReason, first: [] };
    const first = (await db.setAside.limit(SHOWN).toArray()).map(({ kind, version, reason, field }) => ({ kind, version, reason, field }));
    // Keys are ids or `#` and hex, all below U+FFFF (Dexie itself is not imported: this file goes into the pull worker).
    const households = await db.setAside.where('[kind+key]').between(['household', ''], ['household', '\uffff'], true, true).primaryKeys();
    return { total, byReason, first, households: households.map(([, key]) => key) };
  });
}
