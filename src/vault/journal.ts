/**
 * The outbox (change log for sync) and the access log (閲覧記録): sealed, append-only through the vault API.
 * Offline, entries accumulate until sync sends them; a full disk aborts the whole transaction, change included.
 */
import { bindingOf, seal, unseal } from './crypto';
import { readMeta, type AccessLogRow, type OutboxRow, type VaultDatabase } from './db';
import { VaultError } from './errors';
import type { AccessAction, AccessLogEntry, ChangeOp, EntityKind, OutboxEntry, VaultUser } from './types';

/** What a storage function needs from an unlocked session. */
export interface SessionContext {
  readonly db: VaultDatabase;
  readonly key: CryptoKey;
  readonly user: VaultUser;
  readonly deviceId: string;
  readonly now: () => number;
}

export type PendingOutboxRow = Omit<OutboxRow, 'seq'>;

export function isoAt(now: () => number): string {
  return new Date(now()).toISOString();
}

/**
 * Seals an outbox entry before the transaction opens: WebCrypto is not IndexedDB, and awaiting it
 * inside a Dexie transaction would let the transaction commit early. The seq is only known inside
 * the transaction, so the ciphertext is bound to the mutation id instead.
 */
export async function prepareOutbox(
  ctx: SessionContext,
  kind: EntityKind | 'access',
  entityId: string,
  op: ChangeOp | 'append',
  payload: unknown,
): Promise<PendingOutboxRow> {
  const mutationId = globalThis.crypto.randomUUID();
  const sealed = await seal(ctx.key, bindingOf('outbox', mutationId), payload);
  return { mutationId, kind, entityId, op, at: isoAt(ctx.now), userId: ctx.user.id, ...sealed };
}

/**
 * [retire] Says in the vault that this phone is retiring: from here on no tab of the app queues a
 * change. A stop held in the retiring tab's session alone let another tab, still unlocked, record
 * a call after the retiring tab's last read of the outbox, and the wipe erased it unsent.
 */
export async function markRetiring(db: VaultDatabase): Promise<void> {
  await db.transaction('rw', db.meta, () => db.meta.put({ key: 'retiring', value: true }));
}

/**
 * Inside the caller's 'rw' transaction on meta: a new session is writable again. A retirement that
 * did not finish (offline, the app closed) is met again at its first sync, which runs at unlock, and
 * a phone the hub took back in the meantime must not refuse every record for good.
 */
export function clearRetiring(db: VaultDatabase): PromiseLike<void> {
  return db.meta.delete('retiring');
}

/**
 * Every change passes here inside its own transaction, so a phone marked retiring writes nothing
 * more, whichever tab asks, and the transaction aborts whole (the record with its change). Dexie's
 * own promise, not an async function's: one more native await in the chain let the transaction
 * commit before the change was added (PrematureCommitError).
 */
function refuseWhileRetiring(db: VaultDatabase): PromiseLike<void> {
  return db.meta.get('retiring').then((row) => {
    if (row !== undefined) throw new VaultError('retiring');
  });
}

/**
 * Appends inside the caller's 'rw' transaction over outbox and meta. The counter lives in meta and
 * moves in the same transaction, so concurrent writers queue behind each other (distinct seqs) and
 * an aborted transaction takes its seq back with it (no gaps). Refused once the phone is retiring.
 */
export async function appendOutbox(db: VaultDatabase, pending: PendingOutboxRow, baseVersion: number | null = null): Promise<number> {
  await refuseWhileRetiring(db);
  const seq = ((await readMeta(db, 'outboxSeq')) ?? 0) + 1;
  await db.meta.put({ key: 'outboxSeq', value: seq });
  await db.outbox.add({ ...pending, baseVersion, seq });
  return seq;
}

/** appendOutbox for many entries at once: consecutive seqs, one counter update, one bulk add. */
export async function appendOutboxMany(
  db: VaultDatabase,
  pending: readonly PendingOutboxRow[],
  baseVersions: readonly (number | null)[] = [],
): Promise<void> {
  await refuseWhileRetiring(db);
  if (pending.length === 0) return;
  const first = ((await readMeta(db, 'outboxSeq')) ?? 0) + 1;
  await db.meta.put({ key: 'outboxSeq', value: first + pending.length - 1 });
  await db.outbox.bulkAdd(pending.map((p, i) => ({ ...p, baseVersion: baseVersions[i] ?? null, seq: first + i })));
}

/**
 * Queues `resent` (changes sent before, numbered here) before every change not yet sent, by
 * renumbering those: an unsent entry may continue one of them (E1, E2). A refusal among the unsent
 * (a later run's) would collide with the numbers: then they go at the end. Inside a 'rw'
 * transaction on outbox and meta.
 */
export async function queueAheadOfUnsent(db: VaultDatabase, resent: readonly OutboxRow[]): Promise<void> {
  const rows = await db.outbox.orderBy('seq').toArray();
  const unsent = rows.filter((r) => r.refusedReason === undefined || r.refusedReason === null);
  const start = unsent[0]?.seq ?? ((await readMeta(db, 'outboxSeq')) ?? 0) + 1;
  const unsentSeqs = new Set(unsent.map((r) => r.seq));
  if (rows.some((r) => r.seq >= start && !unsentSeqs.has(r.seq))) {
    for (const r of resent) await appendOutbox(db, r, r.baseVersion);
    return;
  }
  const queue = [...resent, ...unsent];
  await db.outbox.bulkDelete(unsent.map((r) => r.seq));
  await db.outbox.bulkAdd(queue.map((r, i) => ({ ...r, seq: start + i })));
  await db.meta.put({ key: 'outboxSeq', value: start + queue.length - 1 });
}

/** The binding of a refusal's sealed detail: tied to its change, so it cannot be moved to another. */
export const bindingOfRefusal = (mutationId: string) => bindingOf('outbox-refusal', mutationId);

async function refusalOf(ctx: SessionContext, row: OutboxRow): Promise<OutboxEntry['refusal']> {
  if (row.refusedReason === undefined || row.refusedReason === null) return null;
  const detail = row.refusedDetail ? await unseal<string>(ctx.key, bindingOfRefusal(row.mutationId), row.refusedDetail) : '';
  return { reason: row.refusedReason, detail, at: row.refusedAt ?? row.at, ...(row.refusedReason === 'clock' && row.clockRetried === true ? { final: true } : {}) };
}

export async function readOutbox(ctx: SessionContext): Promise<OutboxEntry[]> {
  const rows = await ctx.db.outbox.orderBy('seq').toArray();
  return Promise.all(
    rows.map(async (row) => ({
      seq: row.seq,
      mutationId: row.mutationId,
      deviceId: ctx.deviceId,
      kind: row.kind,
      entityId: row.entityId,
      op: row.op,
      at: row.at,
      userId: row.userId,
      payload: await unseal<unknown>(ctx.key, bindingOf('outbox', row.mutationId), row),
      baseVersion: row.baseVersion ?? null,
      refusal: await refusalOf(ctx, row),
    })),
  );
}

/** Writes the entry to the access log and, in the same transaction, to the outbox for sync. */
export async function appendAccess(
  ctx: SessionContext,
  action: AccessAction,
  householdId: string | null,
  reason?: string,
): Promise<AccessLogEntry> {
  const prepared = await prepareAccess(ctx, action, householdId, reason);
  const { db } = ctx;
  await db.transaction('rw', [db.accessLog, db.outbox, db.meta], () => writeAccess(db, prepared));
  return prepared.entry;
}

/** An access entry sealed and its change prepared (WebCrypto), to be written in a transaction of the caller's (writeAccess). */
export interface PreparedAccess {
  readonly entry: AccessLogEntry;
  readonly row: AccessLogRow;
  readonly pending: PendingOutboxRow;
}

/**
 * `at`: when it happened, when that was before now (a failed unlock, written by the next unlock:
 * failed-unlocks.ts); the change queued for the hub is stamped now all the same.
 */
export async function prepareAccess(
  ctx: SessionContext,
  action: AccessAction,
  householdId: string | null,
  reason?: string,
  at: string = isoAt(ctx.now),
): Promise<PreparedAccess> {
  const entry: AccessLogEntry = {
    id: globalThis.crypto.randomUUID(),
    at,
    userId: ctx.user.id,
    userName: ctx.user.displayName,
    action,
    householdId,
    ...(reason ? { reason } : {}),
  };
  const [sealed, pending] = await Promise.all([
    seal(ctx.key, bindingOf('accessLog', entry.id), entry),
    prepareOutbox(ctx, 'access', entry.id, 'append', entry),
  ]);
  return { entry, row: { id: entry.id, at: entry.at, ...sealed }, pending };
}

/** Writes a prepared access entry and its change; inside a transaction holding accessLog, outbox and meta. */
export async function writeAccess(db: VaultDatabase, prepared: PreparedAccess): Promise<void> {
  await db.accessLog.add(prepared.row);
  await appendOutbox(db, prepared.pending);
}

/** How many 閲覧記録 entries a scan decrypts at a time (scanAccessLog). */
export const ACCESS_SCAN_PAGE = 500;

/**
 * The 閲覧記録 newest first, by when each entry was written on this phone, a page at a time:
 * `visit` returns true to stop. A phone's log grows for ever (some 300,000 entries in five years,
 * about 0.5 GB decrypted at once): the settings list and the month close read only what they need,
 * one page in memory at a time.
 */
export async function scanAccessLog(ctx: SessionContext, visit: (page: AccessLogEntry[]) => boolean | void, pageSize = ACCESS_SCAN_PAGE): Promise<void> {
  let below: number | null = null;
  for (;;) {
    const rows: AccessLogRow[] = await (below === null ? ctx.db.accessLog.orderBy('pos') : ctx.db.accessLog.where('pos').below(below)).reverse().limit(pageSize).toArray();
    if (rows.length === 0) return;
    const page = await Promise.all(rows.map((row) => unseal<AccessLogEntry>(ctx.key, bindingOf('accessLog', row.id), row)));
    if (visit(page) === true || rows.length < pageSize) return;
    below = rows.at(-1)!.pos!;
  }
}

export async function readAccessLog(ctx: SessionContext): Promise<AccessLogEntry[]> {
  const rows = await ctx.db.accessLog.orderBy('pos').toArray();
  return Promise.all(rows.map((row) => unseal<AccessLogEntry>(ctx.key, bindingOf('accessLog', row.id), row)));
}
