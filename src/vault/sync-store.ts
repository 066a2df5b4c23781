/**
 * The vault's side of sync: per-record sync columns (clear: the hub's version and office, in the
 * record's row since version 8), the sealed hub link,
 * acknowledgements of pushed changes and pulled pages written without outbox entries.
 * Works offline (nothing here talks to the network); a full disk aborts the page or the
 * acknowledgement whole, and the next sync run does it again (both are idempotent).
 */
import { deleteDraftsOf } from './drafts';
import { HUB_ONLY_OFFICE } from '../protocol/constants';
import type { ChangeResult, RefusalReason, WireChange, WireRecord, WireScope } from '../protocol/sync';
import { bindingOf, seal, unseal } from './crypto';
import { VaultError } from './errors';
import {
  countQueue,
  refusedRowsOf,
  HELD_BACK_PREFIX,
  heldBackKey,
  isHeldBack,
  readMeta,
  type HeldBackRow,
  type HubLinkRow,
  type OutboxRow,
  type RecordRow,
  type SetAsideRow,
  type SyncedColumns,
  type TakenNote,
  type VaultDatabase,
} from './db';
import { bindingOfRefusal, isoAt, prepareAccess, writeAccess, type SessionContext } from './journal';
import { hashOf, sealPage, type PortablePage } from './seal-page';
import { sortPulled } from './set-aside';
import { APPEND_ONLY_KINDS, type AcknowledgeReport, type ApplyReport, type EntityKind, type HeldBackApplied, type HubLink, type PreparedPage } from './types';

const LINK_BINDING = bindingOf('hubLink', 'link');

async function sealLink(ctx: SessionContext, link: HubLink): Promise<HubLinkRow> {
  return { key: 'link', ...(await seal(ctx.key, LINK_BINDING, link)) };
}

export async function readHubLink(ctx: SessionContext): Promise<HubLink | undefined> {
  const row = await ctx.db.hubLink.get('link');
  return row === undefined ? undefined : unseal<HubLink>(ctx.key, LINK_BINDING, row);
}

export async function saveHubLink(ctx: SessionContext, link: HubLink): Promise<void> {
  await ctx.db.hubLink.put(await sealLink(ctx, link));
}

export async function clearHubLink(ctx: SessionContext): Promise<void> {
  await ctx.db.hubLink.delete('link');
}

/** What acknowledge needs of each change sent: which record it is of, by its seq. */
export type SentChange = Pick<WireChange, 'seq' | 'kind' | 'entityId'> & {
  /** the vault user whose change it was (A9), so that a restore sends it again in their name */
  readonly userId?: string;
};

/** `changes`: the batch the results answer, so that what the hub took is noted [S15] (noteTaken). */
export async function acknowledge(ctx: SessionContext, results: readonly ChangeResult[], changes: readonly SentChange[] = []): Promise<AcknowledgeReport> {
  // A retryable refusal ('gap', 'author') is not the hub's last word: the entry stays as it is.
  const refusals = results.filter((r) => r.status === 'refused' && !r.retryable);
  // Sealing is WebCrypto: done before the transaction opens (see journal.ts prepareOutbox).
  const sealedDetails = new Map(
    await Promise.all(
      refusals.map(async (r) => [r.mutationId, await seal(ctx.key, bindingOfRefusal(r.mutationId), r.status === 'refused' ? r.detail : '')] as const),
    ),
  );
  const at = isoAt(ctx.now);
  const { db } = ctx;
  return db.transaction('rw', [db.outbox, db.meta, db.cache], async () => {
    // Which change each answered seq holds, from the mutation id index alone: the rows themselves
    // (sealed payloads, ~4 KB each) are read only for a refusal, which rewrites its row.
    const held = new Map<number, string>();
    await db.outbox
      .where('mutationId')
      .anyOf(results.map((r) => r.mutationId))
      .eachKey((mutationId, cursor) => {
        held.set(cursor.primaryKey as number, mutationId as string);
      });
    let sent = 0;
    let refused = 0;
    let gapAt: number | null = null;
    const done: number[] = [];
    const takenAt = new Map<number, number>();
    const refusedNow: Extract<ChangeResult, { status: 'refused' }>[] = [];
    for (const result of results) {
      // An answer about a change this device no longer holds, or about another change under the
      // same seq, must not remove anything.
      if (held.get(result.seq) !== result.mutationId) continue;
      if (result.status !== 'refused') {
        done.push(result.seq);
        takenAt.set(result.seq, result.version);
        sent += 1;
      } else if (result.reason === 'gap') {
        gapAt = gapAt === null ? result.seq : Math.min(gapAt, result.seq);
      } else if (result.retryable) {
        // A9 'author': held until its author signs in on this device; sent again then.
      } else {
        refused += 1;
        refusedNow.push(result);
      }
    }
    const rows = await db.outbox.bulkGet(refusedNow.map((r) => r.seq));
    for (const [i, result] of refusedNow.entries()) {
      const row = rows[i];
      if (row === undefined) continue;
      // put, not update: Dexie's update deep-clones typed arrays into ones WebCrypto refuses in tests.
      await db.outbox.put({
        ...row,
        refusedReason: result.reason,
        refusedAt: at,
        refusedDetail: sealedDetails.get(result.mutationId) ?? null,
      });
    }
    // Each run of consecutive seqs goes in one range delete: IndexedDB drops a range and its index
    // entries in one request, several times faster than a delete per key (a drain of 1,000).
    for (const [first, last] of runsOf(done)) await db.outbox.where(':id').between(first, last, true, true).delete();
    await noteTaken(db, takenAt, changes);
    // [R4] A copy held back for a change the hub has now taken is older than what the hub holds
    // (the change was merged over it): it must not be written when a later refusal is set aside.
    await dropHeldBack(
      db,
      changes.filter((c) => takenAt.has(c.seq) && c.kind !== 'access').map((c) => [c.kind as EntityKind, c.entityId] as const),
    );
    return { sent, refused, gapAt };
  });
}

/**
 * [S15] Notes the changes of this push the hub took (a record's version, an entry's position K1),
 * in acknowledge's transaction: until the pull brings them back, a restore that lost them would
 * find nothing on this device above its floor, and they would not go again (epoch-resend.ts). One
 * small row for the whole push, not a rewrite of each record's row (a drain of 1,000 edits took
 * half a second more so). The access log is no record: nothing to send again from a row.
 */
async function noteTaken(db: VaultDatabase, takenAt: ReadonlyMap<number, number>, changes: readonly SentChange[]): Promise<void> {
  const notes: TakenNote[] = [];
  for (const change of changes) {
    const version = takenAt.get(change.seq);
    if (version !== undefined && change.kind !== 'access') {
      notes.push({ kind: change.kind, id: change.entityId, version, ...(change.userId === undefined ? {} : { author: change.userId }) });
    }
  }
  if (notes.length === 0) return;
  const earlier = (await readMeta(db, 'takenUnpulled')) ?? [];
  await db.meta.put({ key: 'takenUnpulled', value: [...earlier, ...notes] });
}

/** [S15] Forgets the taken changes a pull has now passed (written, or out of this user's scope). */
async function passTaken(db: VaultDatabase, cursor: number): Promise<void> {
  const notes = await readMeta(db, 'takenUnpulled');
  if (notes === undefined) return;
  const left = notes.filter((note) => note.version > cursor);
  if (left.length === notes.length) return;
  if (left.length === 0) await db.meta.delete('takenUnpulled');
  else await db.meta.put({ key: 'takenUnpulled', value: left });
}

/** The seqs as runs of consecutive integers [first, last], each holding only seqs given. */
export function runsOf(seqs: readonly number[]): [number, number][] {
  const sorted = [...new Set(seqs)].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const seq of sorted) {
    const run = runs[runs.length - 1];
    if (run !== undefined && Number.isSafeInteger(seq) && seq === run[1] + 1) run[1] = seq;
    else runs.push([seq, seq]);
  }
  return runs;
}

/**
 * Which of `keys` have an unsent change (`<kind>/<id>`). The queue is usually far shorter than a
 * page: its index is then read whole rather than searched for 2,000 keys one by one (each search
 * sorts the keys and walks the index, on the page's transaction).
 */
async function pendingOf(ctx: SessionContext, keys: readonly [EntityKind, string][]): Promise<Set<string>> {
  const { outbox } = ctx.db;
  const queued = (await outbox.count()) <= keys.length ? outbox.orderBy('[kind+entityId]').keys() : outbox.where('[kind+entityId]').anyOf(keys).keys();
  const held = new Set(keys.map(([kind, id]) => `${kind}/${id}`));
  return new Set(((await queued) as unknown as [string, string][]).map(([kind, id]) => `${kind}/${id}`).filter((k) => held.has(k)));
}

/**
 * A pulled page parsed, checked [R3] and sealed, not yet written: what `preparePage` hands to
 * `applyRemote`. Nothing in it is in clear but the clear columns every row has anyway.
 */
const PREPARED = Symbol('prepared page');

interface Prepared extends PortablePage {
  readonly [PREPARED]: true;
  /** the key it was sealed with: a page prepared under another session is prepared again */
  readonly key: CryptoKey;
  /** the records as pulled, to prepare again under another key; null when sealed in a worker */
  readonly records: readonly WireRecord[] | null;
}

const isPrepared = (page: readonly WireRecord[] | PreparedPage): page is Prepared => PREPARED in page;

/**
 * The CPU and WebCrypto work of a pulled page (parse, check, seal), with no storage read or write:
 * the sync engine runs it for the next page while this one's transaction is being written.
 */
export async function preparePage(ctx: SessionContext, records: readonly WireRecord[]): Promise<Prepared> {
  return { [PREPARED]: true, key: ctx.key, records, ...(await sealPage(ctx.key, ctx.now, records)) };
}

/** See SyncStore.recheckSetAside. Each row's sealed copy is the hub's record as it was pulled (set-aside.ts). */
export async function recheckSetAside(ctx: SessionContext): Promise<ApplyReport | null> {
  const rows = await ctx.db.setAside.toArray();
  if (rows.length === 0) return null;
  const pulled = await Promise.all(
    rows.map(async (row): Promise<WireRecord | null> => {
      const held = await unseal<{ id: string; payloadJson: string }>(ctx.key, bindingOf('setAside', row.kind, row.key), row).catch(() => null);
      if (held === null) return null;
      return { kind: row.kind as WireRecord['kind'], entityId: held.id, version: row.version, officeId: row.officeId, withdrawn: false, payloadJson: held.payloadJson };
    }),
  );
  const records = pulled.filter((r) => r !== null);
  // A copy held here at the set-aside version or later, or this phone's own edit taken by the hub
  // after it and not yet pulled back [S15], is newer than the set-aside one: that one is left as it is.
  const held = await ctx.db.records.bulkGet(records.map((r) => [r.kind, r.entityId] as [EntityKind, string]));
  const taken = new Map<string, number>();
  for (const note of (await readMeta(ctx.db, 'takenUnpulled')) ?? []) taken.set(`${note.kind}/${note.id}`, Math.max(note.version, taken.get(`${note.kind}/${note.id}`) ?? 0));
  const newerHere = (r: WireRecord, i: number) => Math.max(held[i]?.version ?? 0, taken.get(`${r.kind}/${r.entityId}`) ?? 0) >= r.version;
  // Only what this app reads now is written: one still unreadable stays aside as it was (its first
  // sighting kept), not sealed and written again at every unlock.
  const { readable } = await sortPulled(records.filter((r, i) => !newerHere(r, i)));
  return applyRemote(
    ctx,
    readable.map(({ record }) => record),
  );
}

/** A page sealed elsewhere (a worker) under this session's key, ready for applyRemote. */
export function preparedFrom(key: CryptoKey, portable: PortablePage): Prepared {
  return { [PREPARED]: true, key, records: null, ...portable };
}

/**
 * A withdrawn record comes back as the payload of its 'withdraw' change (a household keeps
 * `withdrawal`). A record this app cannot read is set aside [R3]; one an admin removed is dropped [R4].
 * `records` may come prepared (preparePage) by the same session; what is held here is read only now.
 */
export async function applyRemote(ctx: SessionContext, records: readonly WireRecord[] | PreparedPage, link?: HubLink): Promise<ApplyReport> {
  // A page prepared under another unlock is sealed again with this session's key.
  const usable = isPrepared(records) && records.key === ctx.key;
  const raw = isPrepared(records) ? records.records : (records as readonly WireRecord[]);
  // A page sealed in a worker under a key since locked away cannot be sealed again here: the run
  // fails as any locked run does, and the next one pulls it again.
  if (!usable && raw === null) throw new VaultError('locked');
  const ready = usable ? records : await preparePage(ctx, raw!);
  const { page, hashes, sealed, setAsideRows, removed, removedSetAside, updatedAt } = ready;
  const linkRow = link === undefined ? undefined : await sealLink(ctx, link);
  const { db } = ctx;
  // Evidence held here is compared by hash; its unsealing (WebCrypto) must finish before the
  // transaction opens, or the transaction would commit early.
  const evidenceKeys = page.filter((r) => APPEND_ONLY_KINDS.has(r.kind)).map((r) => [r.kind, r.entityId] as [EntityKind, string]);
  const heldHashes = new Map<string, unknown>();
  for (const row of evidenceKeys.length === 0 ? [] : await db.records.bulkGet(evidenceKeys)) {
    if (row === undefined) continue;
    const local = await unseal<unknown>(ctx.key, bindingOf('records', row.kind, row.id), row).catch(() => undefined);
    heldHashes.set(row.id, hashOf(local));
  }
  // [R4] Evidence is never dropped, whatever the hub says.
  const removals = removed.filter((r) => !APPEND_ONLY_KINDS.has(r.kind)).map((r) => [r.kind, r.entityId] as [EntityKind, string]);

  return db.transaction('rw', [db.records, db.outbox, db.hubLink, db.setAside, db.drafts, db.meta, db.cache], async () => {
    const keys = [...page.map((r) => [r.kind, r.entityId] as [EntityKind, string]), ...removals];
    // Only evidence needs to know what is held (a first sync of 11,000 records would otherwise read
    // 11,000 rows that are not there).
    const [heldEvidence, pending] = await Promise.all([
      evidenceKeys.length === 0 ? ([] as (RecordRow | undefined)[]) : db.records.bulkGet(evidenceKeys),
      pendingOf(ctx, keys),
    ]);
    const heldRows = new Map(heldEvidence.filter((row) => row !== undefined).map((row) => [row.id, row]));
    const rows: RecordRow[] = [];
    // Evidence held here whose row only gains the hub's version (its sealed columns as they are).
    const versioned: RecordRow[] = [];
    const evidenceMismatches: string[] = [];
    let keptPending = 0;
    // [R4] The hub's copies of records a waiting change keeps from being written, held back until
    // that change is set aside or sent (the cursor moves past them: no pull brings them again).
    const heldBack: HeldBackRow[] = [];
    for (const [i, r] of page.entries()) {
      const synced: SyncedColumns = { version: r.version, officeId: r.officeId };
      const held = APPEND_ONLY_KINDS.has(r.kind) ? heldRows.get(r.entityId) : undefined;
      if (held !== undefined) {
        // Evidence held here is never overwritten. The same entry (same hash) just gains its version;
        // one written here while this page was being sealed is left for the next look.
        if (!heldHashes.has(r.entityId)) continue;
        const localHash = heldHashes.get(r.entityId);
        if (localHash !== undefined && localHash === hashes[i]) versioned.push({ ...held, ...synced });
        else evidenceMismatches.push(r.entityId);
        continue;
      }
      if (pending.has(`${r.kind}/${r.entityId}`)) {
        // The unsent change keeps both its data and the version it was based on; the hub merges.
        keptPending += 1;
        if (!APPEND_ONLY_KINDS.has(r.kind)) heldBack.push(heldBackRow(r, updatedAt, sealed[i]!));
        continue;
      }
      // No demo column: a real row stays out of the demo index (db.ts RecordRow.demo).
      rows.push({ kind: r.kind, id: r.entityId, updatedAt, ...sealed[i]!, ...synced });
    }
    // One put per record: the hub's version and office travel in the record's row (version 8).
    await db.records.bulkPut(rows);
    if (versioned.length > 0) await db.records.bulkPut(versioned);
    // [R3] A record read now is no longer set aside (opaque ids are their own key); the unreadable
    // ones wait, sealed, for a hub or an app that fixes them (「最初から受信し直す」 tries them again).
    // (Skipped while nothing is set aside: a first sync would otherwise delete 11,000 absent keys.)
    if ((await db.setAside.count()) > 0) await db.setAside.bulkDelete(page.map((r) => [r.kind, r.entityId] as [EntityKind, string]));
    await db.setAside.bulkPut(setAsideRows);
    // [R4] An admin's removal drops the copy here, unless an unsent change to it waits (the hub decides then).
    const drop = removals.filter(([kind, id]) => !pending.has(`${kind}/${id}`));
    keptPending += removals.length - drop.length;
    for (const r of removed) if (!APPEND_ONLY_KINDS.has(r.kind) && pending.has(`${r.kind}/${r.entityId}`)) heldBack.push(heldBackRow(r, updatedAt, null));
    await db.records.bulkDelete(drop);
    await deleteDraftsOf(db, drop);
    await db.setAside.bulkDelete(removedSetAside);
    // A copy held back before is stale once the record is written or dropped, or held back anew.
    await dropHeldBack(db, [...rows.map((r) => [r.kind, r.id] as const), ...drop]);
    await db.cache.bulkPut(heldBack);
    if (linkRow !== undefined) await db.hubLink.put(linkRow);
    if (link !== undefined) await passTaken(db, link.cursor);
    // An entry whose hub copy differed is kept in mind across locks, until a copy that matches comes.
    const mismatchesBefore = (await readMeta(db, 'evidenceMismatches')) ?? [];
    if (evidenceMismatches.length > 0 || (mismatchesBefore.length > 0 && versioned.length > 0)) {
      const matched = new Set(versioned.map((r) => r.id));
      const held = [...new Set([...mismatchesBefore, ...evidenceMismatches])].filter((id) => !matched.has(id) || evidenceMismatches.includes(id));
      await db.meta.put({ key: 'evidenceMismatches', value: held });
    }
    return {
      written: rows.length,
      writtenKeys: rows.map((r) => [r.kind, r.id] as const),
      evidenceIds: evidenceKeys.map(([, id]) => id),
      keptPending,
      evidenceMismatches,
      setAside: setAsideRows.length,
      removed: drop.length,
    };
  });
}

/**
 * [R4] Drops the copies held back for these records, inside the caller's transaction (cache).
 * Read only by key first: usually none is held, and a page of 2,000 or a push of 1,000 then
 * deletes nothing.
 */
async function dropHeldBack(db: VaultDatabase, records: readonly (readonly [EntityKind, string])[]): Promise<void> {
  const heldKeys = new Set((await db.cache.where(':id').startsWith(HELD_BACK_PREFIX).primaryKeys()) as string[]);
  if (heldKeys.size === 0) return;
  await db.cache.bulkDelete(records.map(([kind, id]) => heldBackKey(kind, id)).filter((key) => heldKeys.has(key)));
}

function heldBackRow(r: WireRecord, updatedAt: string, copy: HeldBackRow['copy']): HeldBackRow {
  return { key: heldBackKey(r.kind, r.entityId), updatedAt, kind: r.kind, id: r.entityId, version: r.version, officeId: r.officeId, copy };
}

/**
 * [R4] The change to a record that kept its pulled copies from being written has left the queue:
 * unless another change to it waits (the hub merges that one, and the pull after brings the
 * result), the latest copy held back is written, or the admin's withdrawal applied. Inside the
 * caller's transaction (outbox, records, drafts, cache).
 */
async function applyHeldBack(db: VaultDatabase, kind: EntityKind, id: string): Promise<HeldBackApplied | null> {
  if ((await db.outbox.where('[kind+entityId]').equals([kind, id]).count()) > 0) return null;
  const key = heldBackKey(kind, id);
  const held = await db.cache.get(key);
  if (held === undefined || !isHeldBack(held)) return null;
  await db.cache.delete(key);
  // A row the hub sent at a later version already holds news beyond the copy (none is written so).
  const row = await db.records.get([kind, id]);
  if (row?.version !== undefined && row.version > held.version) return null;
  if (held.copy === null) {
    await db.records.delete([kind, id]);
    await deleteDraftsOf(db, [[kind, id]]);
    return { kind, id, removed: true };
  }
  // No demo column: a real row stays out of the demo index (db.ts RecordRow.demo).
  await db.records.put({ kind, id, updatedAt: held.updatedAt, ...held.copy, version: held.version, officeId: held.officeId });
  return { kind, id, removed: false };
}

/** Whether a record the hub placed in `officeId` (or a facility) lies outside `scope`. */
function outside(scope: WireScope, meta: { kind: EntityKind; id: string; officeId: string | null }): boolean {
  if (scope.role === 'facility-liaison' && meta.kind === 'facility' && meta.id !== scope.facilityId) return true;
  if (meta.officeId === null || scope.officeIds === 'all') return false;
  return meta.officeId === HUB_ONLY_OFFICE || !scope.officeIds.includes(meta.officeId);
}

export async function dropOutOfScope(ctx: SessionContext, scope: WireScope): Promise<number> {
  const { db } = ctx;
  return db.transaction('rw', [db.records, db.outbox, db.drafts, db.setAside, db.cache], async () => {
    // Set-aside records outside the scope go too: the hub will not send them again to fix or remove them.
    const setAside = (await db.setAside.toArray()).filter((r) => outside(scope, { kind: r.kind, id: r.key, officeId: r.officeId }));
    await db.setAside.bulkDelete(setAside.map((r) => [r.kind, r.key] as [EntityKind, string]));
    // So do copies held back for a waiting change [R4]: setting the change aside must not bring one back.
    const heldBack = (await db.cache.where(':id').startsWith(HELD_BACK_PREFIX).toArray()).filter(isHeldBack);
    await db.cache.bulkDelete(heldBack.filter((r) => outside(scope, r)).map((r) => r.key));
    // Only records the hub sent (they carry its version) can lie outside a scope it gives. A scope
    // changes seldom, so this reads every row (clear columns only are looked at) rather than keep
    // an index that every pulled record would pay for.
    const keys: [EntityKind, string][] = [];
    await db.records.each((row) => {
      if (row.version !== undefined && outside(scope, { kind: row.kind, id: row.id, officeId: row.officeId ?? null })) keys.push([row.kind, row.id]);
    });
    if (keys.length === 0) return 0;
    const pendingKeys = (await db.outbox.where('[kind+entityId]').anyOf(keys).keys()) as unknown as [string, string][];
    const pending = new Set(pendingKeys.map(([kind, id]) => `${kind}/${id}`));
    const drop = keys.filter(([kind, id]) => !pending.has(`${kind}/${id}`));
    await db.records.bulkDelete(drop);
    // A draft of a record this user may no longer hold goes with it (draft key `<kind>:<id>`, and
    // this user's own). Another person's draft on a shared phone stays: the scope is this user's,
    // and a coordinator's unsaved interview must not go because a case worker of another office
    // synced; it is sealed like the records, and comes back to its form when their pull brings the
    // record back.
    await deleteDraftsOf(db, drop, ctx.user.id);
    return drop.length;
  });
}

export function queueCounts(ctx: SessionContext): Promise<{ pending: number; refused: number }> {
  const { db } = ctx;
  return db.transaction('r', db.outbox, () => countQueue(db));
}

export async function refusedOf(ctx: SessionContext, kind: EntityKind | 'access'): Promise<ReadonlyMap<string, RefusalReason>> {
  // read without their payloads
  const rows = await refusedRowsOf(ctx.db, kind).toArray();
  return new Map(rows.map((row) => [row.entityId, row.refusedReason!]));
}

/**
 * Sets a refused change aside, and writes the 閲覧記録 entry that says so (`logReason`) in the same
 * transaction: written in two steps, a failure between left an entry saying a change was set aside
 * that still waited, or a change gone with no entry.
 */
export async function dismissRefused(ctx: SessionContext, seq: number, logReason: string): Promise<HeldBackApplied | null> {
  const { db } = ctx;
  const logged = await prepareAccess(ctx, 'dismiss-refused', null, logReason);
  return db.transaction('rw', [db.outbox, db.records, db.drafts, db.cache, db.accessLog, db.meta], async () => {
    const row: OutboxRow | undefined = await db.outbox.get(seq);
    // Only a change the hub refused for good may leave the queue unsent.
    if (row === undefined || row.refusedReason === undefined || row.refusedReason === null) {
      throw new RangeError(`vault: outbox entry ${seq} was not refused`);
    }
    // A case entry is evidence: out of the queue, it would read 未署名 instead of refused, never be
    // sent again (not when its chain's parent arrives, nor to the hub's quarantine as the device
    // retires), and the wipe would take the only copy.
    if (row.kind === 'case-entry') throw new RangeError(`vault: outbox entry ${seq} is a case entry: evidence stays queued until the hub takes it`);
    await db.outbox.delete(seq);
    await writeAccess(db, logged);
    return row.kind === 'access' ? null : applyHeldBack(db, row.kind, row.entityId);
  });
}

export async function followServerSeq(ctx: SessionContext, lastSeq: number): Promise<void> {
  const { db } = ctx;
  await db.transaction('rw', [db.outbox, db.meta], async () => {
    const rows = await db.outbox.orderBy('seq').toArray();
    const queued = rows.filter((r) => r.refusedReason === undefined || r.refusedReason === null);
    const refused = rows.filter((r) => !(r.refusedReason === undefined || r.refusedReason === null));
    // A refused change keeps its seq (the hub took it); one above lastSeq means the hub lost
    // seqs it had answered: numbering on from lastSeq would collide, so the queue stays as it is.
    if (refused.some((r) => r.seq > lastSeq)) return;
    const first = queued[0]?.seq;
    if (first === lastSeq + 1) return;
    if (queued.length > 0) {
      await db.outbox.bulkDelete(queued.map((r) => r.seq));
      await db.outbox.bulkAdd(queued.map((r, i) => ({ ...r, seq: lastSeq + 1 + i })));
    }
    await db.meta.put({ key: 'outboxSeq', value: lastSeq + queued.length });
  });
}
