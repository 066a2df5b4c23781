/**
 * Entity records (households, facilities, offices, case entries), each sealed whole; a change and its outbox entry share one transaction.
 * Works offline; when storage is full the transaction aborts and neither the record nor its outbox entry is written.
 */
import { isDemoId } from '../domain/demo-id';
import { isRecordId, RECORD_ID_PATTERN } from '../protocol/constants';
import { bindingOf, seal, unseal } from './crypto';
import { demoColumn, recordsOfKind, syncedColumnsOf, type RecordRow } from './db';
import { appendOutbox, appendOutboxMany, isoAt, prepareOutbox, type SessionContext } from './journal';
import { isVaultError, VaultError } from './errors';
import { APPEND_ONLY_KINDS, type ChangeOp, type EntityKind, type StoredEntity } from './types';

/** Ids are stored in clear and indexed, so they must be opaque: the one rule is the protocol's. */
export function assertOpaqueId(id: string): void {
  if (!isRecordId(id)) {
    // The id itself stays out of the message: if it is personal, logs must not carry it either.
    throw new TypeError(`vault: record ids are stored in clear and must match ${String(RECORD_ID_PATTERN)}`);
  }
}

const bindingOfRecord = (kind: EntityKind, id: string) => bindingOf('records', kind, id);

async function toEntity<T>(ctx: SessionContext, row: RecordRow): Promise<StoredEntity<T>> {
  return {
    id: row.id,
    kind: row.kind,
    data: await unseal<T>(ctx.key, bindingOfRecord(row.kind, row.id), row),
    updatedAt: row.updatedAt,
    demo: row.demo === 1,
  };
}

/** One read, then every decryption in parallel: WebCrypto runs them off the main thread. */
export async function listRecords<T>(ctx: SessionContext, kind: EntityKind): Promise<StoredEntity<T>[]> {
  const rows = await recordsOfKind(ctx.db, kind).toArray();
  return Promise.all(rows.map((row) => toEntity<T>(ctx, row)));
}

/**
 * Every record of a kind that can be read, and the ids of those that cannot (a sealed row damaged on
 * the disk fails its authentication): for the screens, where one damaged record must not hide every
 * other. Backups, exports and sync read with listRecords, which fails whole.
 */
export async function listReadableRecords<T>(ctx: SessionContext, kind: EntityKind): Promise<{ records: StoredEntity<T>[]; unreadable: string[] }> {
  const rows = await recordsOfKind(ctx.db, kind).toArray();
  const read = await Promise.all(
    rows.map((row) =>
      toEntity<T>(ctx, row).then(
        (entity) => ({ entity }),
        (e: unknown) => {
          // only a damaged record is set aside: a lock or a lost connection fails the whole read
          if (isVaultError(e, 'corrupt') || e instanceof SyntaxError) return { unreadable: row.id };
          throw e;
        },
      ),
    ),
  );
  const records: StoredEntity<T>[] = [];
  const unreadable: string[] = [];
  for (const r of read) {
    if ('entity' in r) records.push(r.entity);
    else unreadable.push(r.unreadable);
  }
  return { records, unreadable };
}

export async function getRecord<T>(
  ctx: SessionContext,
  kind: EntityKind,
  id: string,
): Promise<StoredEntity<T> | undefined> {
  const row = await ctx.db.records.get([kind, id]);
  return row === undefined ? undefined : toEntity<T>(ctx, row);
}

/** Many records at once, in one read, each `undefined` where there is none (the order of `keys`). */
export async function getRecords<T>(
  ctx: SessionContext,
  keys: readonly (readonly [EntityKind, string])[],
): Promise<(StoredEntity<T> | undefined)[]> {
  const rows = await ctx.db.records.bulkGet(keys.map(([kind, id]) => [kind, id]));
  return Promise.all(rows.map((row) => (row === undefined ? undefined : toEntity<T>(ctx, row))));
}

function assertNotAppendOnly(kind: EntityKind): void {
  if (APPEND_ONLY_KINDS.has(kind)) throw new TypeError(`vault: ${kind} records are append-only; use append()`);
}

/**
 * Evidence: a new record and its 'append' outbox entry, in one transaction, with the draft of the
 * form that wrote it deleted (`dropDraft`). An existing id is refused inside the transaction, so two
 * tabs cannot both write it.
 */
export async function appendRecord<T>(
  ctx: SessionContext,
  kind: EntityKind,
  id: string,
  data: T,
  demo = false,
  dropDraft?: string,
): Promise<void> {
  assertOpaqueId(id);
  const [sealed, pending] = await Promise.all([
    seal(ctx.key, bindingOfRecord(kind, id), data),
    prepareOutbox(ctx, kind, id, 'append', data),
  ]);
  const { db } = ctx;
  await db.transaction('rw', [db.records, db.outbox, db.meta, db.drafts], async () => {
    if ((await db.records.get([kind, id])) !== undefined) throw new VaultError('duplicate', { detail: `${kind}/${id}` });
    await db.records.add({ kind, id, ...demoColumn(demo), updatedAt: pending.at, ...sealed });
    // Demo evidence never reaches the hub.
    if (!demo) await appendOutbox(db, pending);
    if (dropDraft !== undefined) await db.drafts.delete(dropDraft);
  });
}

/**
 * Whether a record is the demo's: by the flag on its row, or by its id alone (demo-id.ts). The id
 * counts when the row is gone: a demo household still open in another tab after 「デモデータを消去」
 * is saved back as demo, never as a real record queued for the hub.
 */
const isDemoRecord = (id: string, held: RecordRow | undefined): boolean => held?.demo === 1 || isDemoId(id);

/**
 * A new record ('create') whose id is already saved is refused, never written over: two tabs'
 * new-household forms that came to share one id would replace one family's registration with
 * another's, and queue two creations of one record for the hub.
 */
function assertNewWhereCreated(kind: EntityKind, id: string, op: ChangeOp, held: RecordRow | undefined): void {
  if (op === 'create' && held !== undefined) throw new VaultError('created-elsewhere', { detail: `${kind}/${id}` });
}

/**
 * A record loaded as demo stays demo when edited, and never enters the outbox: demo households
 * must never reach the hub.
 */
export async function putRecord<T>(
  ctx: SessionContext,
  kind: EntityKind,
  id: string,
  data: T,
  op: ChangeOp,
): Promise<void> {
  assertNotAppendOnly(kind);
  assertOpaqueId(id);
  const [sealed, pending] = await Promise.all([
    seal(ctx.key, bindingOfRecord(kind, id), data),
    prepareOutbox(ctx, kind, id, op, data),
  ]);
  const { db } = ctx;
  await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
    const held = await db.records.get([kind, id]);
    assertNewWhereCreated(kind, id, op, held);
    const demo = isDemoRecord(id, held);
    // The hub's version stays with the row: it is what the next pull and edit compare against.
    await db.records.put({ kind, id, ...demoColumn(demo), updatedAt: pending.at, ...sealed, ...syncedColumnsOf(held) });
    // The base is read in the same transaction as the write, so a pull cannot slip between them.
    if (!demo) await appendOutbox(db, pending, held?.version ?? null);
  });
}

/**
 * Many records and their outbox entries in one transaction; if any write fails (quota, a bad id,
 * a new record whose id is already saved) the transaction aborts and nothing is written, seq
 * counter included.
 */
export async function putRecords<T>(
  ctx: SessionContext,
  kind: EntityKind,
  items: readonly { id: string; data: T; op: ChangeOp }[],
): Promise<void> {
  assertNotAppendOnly(kind);
  for (const item of items) assertOpaqueId(item.id);
  // Sealing is WebCrypto, not IndexedDB: it must finish before the transaction opens.
  const prepared = await Promise.all(
    items.map(async ({ id, data, op }) => {
      const [sealed, pending] = await Promise.all([
        seal(ctx.key, bindingOfRecord(kind, id), data),
        prepareOutbox(ctx, kind, id, op, data),
      ]);
      return { id, op, sealed, pending };
    }),
  );
  const { db } = ctx;
  // Bulk requests, not one read and four writes per row: a 1,000-row import was ~2 s of requests.
  await db.transaction('rw', [db.records, db.outbox, db.meta], async () => {
    const keys = prepared.map(({ id }) => [kind, id] as [EntityKind, string]);
    const existing = await db.records.bulkGet(keys);
    prepared.forEach(({ id, op }, i) => assertNewWhereCreated(kind, id, op, existing[i]));
    const demoOf = (i: number) => isDemoRecord(prepared[i]!.id, existing[i]);
    await db.records.bulkPut(
      prepared.map(({ id, sealed, pending }, i) => ({ kind, id, ...demoColumn(demoOf(i)), updatedAt: pending.at, ...sealed, ...syncedColumnsOf(existing[i]) })),
    );
    const real = prepared.map((_, i) => i).filter((i) => !demoOf(i));
    await appendOutboxMany(
      db,
      real.map((i) => prepared[i]!.pending),
      real.map((i) => existing[i]?.version ?? null),
    );
  });
}

export async function putDemoRecords<T>(
  ctx: SessionContext,
  kind: EntityKind,
  items: readonly { id: string; data: T }[],
): Promise<void> {
  for (const item of items) assertOpaqueId(item.id);
  const updatedAt = isoAt(ctx.now);
  const rows: RecordRow[] = await Promise.all(
    items.map(async ({ id, data }) => ({
      kind,
      id,
      demo: 1 as const,
      updatedAt,
      ...(await seal(ctx.key, bindingOfRecord(kind, id), data)),
    })),
  );
  const { db } = ctx;
  await db.transaction('rw', db.records, async () => {
    const existing = await db.records.bulkGet(rows.map((row) => [kind, row.id] as [EntityKind, string]));
    const real = existing.find((row) => row !== undefined && row.demo !== 1);
    if (real !== undefined) {
      throw new RangeError(`vault: demo data would overwrite the real record ${real.kind}/${real.id}`);
    }
    await db.records.bulkPut(rows);
  });
}

/**
 * Deletes demo records and their drafts: a form's (`<kind>:<id>`, see draftKeyFor) and a small
 * form's about one of them (`household-withdraw:<id>`): any draft key naming a demo id after a ':'.
 */
export async function clearDemoRecords(ctx: SessionContext): Promise<number> {
  const { db } = ctx;
  return db.transaction('rw', [db.records, db.drafts], async () => {
    const keys = await db.records.where('demo').equals(1).primaryKeys();
    await db.records.bulkDelete(keys);
    const demoIds = new Set(keys.map(([, id]) => id));
    const draftKeys = (await db.drafts.toCollection().primaryKeys()) as string[];
    await db.drafts.bulkDelete(draftKeys.filter((key) => key.split(':').slice(1).some((part) => demoIds.has(part))));
    return keys.length;
  });
}
