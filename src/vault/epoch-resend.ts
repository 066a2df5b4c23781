/**
 * What this device sends again after its hub's database was restored from a backup [S15]: the
 * records it holds at a version the restored database no longer has (above the epoch's floor), or
 * with a queued edit made on such a version, are kept aside, sealed, in the `cache` table ('epoch-resend') before the pull from the start can
 * overwrite them with the older copies the hub has; once that pull is written, each goes back into
 * the vault and the outbox. Works offline; a full disk aborts the step whole and the next sync
 * does it again (the kept copies stay until they are queued).
 */
import { bindingOf, seal, unseal } from './crypto';
import { HELD_BACK_PREFIX, readMeta, syncedColumnsOf, type OutboxRow, type RecordRow } from './db';
import { prepareOutbox, queueAheadOfUnsent, type SessionContext } from './journal';
import { loadCache } from './cache';
import { followServerSeq, readHubLink } from './sync-store';
import { KINDS_A_ROLE_WRITES, type Role } from '../protocol/sync';
import { APPEND_ONLY_KINDS, type EntityKind, type HubLink, type VaultSession } from './types';

const RESEND_KEY = 'epoch-resend';

interface KeptRecord {
  readonly kind: EntityKind;
  readonly id: string;
  readonly data: unknown;
  /** the vault user whose queued edit it was (A9), when it was one; else whoever resends it */
  readonly author?: string;
  /** a queued withdrawal stays one */
  readonly op?: 'withdraw';
  /** the floor of the restore that lost it (absent in lists kept before 2026-12-06) */
  readonly floor?: number;
}

/**
 * The epoch changed: keeps aside every record held above `floor` that has no unsent change (an
 * unsent change goes anyway), and every record with a queued edit made on a version above `floor`
 * (the restored hub would refuse that base, or merge on another record's state: the edit goes
 * again as one on what the hub holds now). Forgets their versions (the restored hub does not know
 * them), makes refusals the hub no longer remembers (seq above `lastSeq`) unsent again, and numbers
 * the queue on from `lastSeq`. A record pulled from colleagues goes again in the unlocked user's
 * name, so one of a kind their role never writes (a facility or an office on a case worker's
 * phone) is not kept: the hub would refuse it `scope`, and the phone would show a refusal its user
 * could do nothing about. Its writer's phone sends it. Returns how many records were kept aside.
 */
export async function keepLostRecords(ctx: SessionContext, floor: number, lastSeq: number): Promise<number> {
  const { db } = ctx;
  const keyOf = (kind: string, id: string) => `${kind}/${id}`;
  const queue = await db.outbox.toArray();
  // An edit on a lost version leaves the queue, whether still unsent or already refused by the
  // restored hub (which took its seq and answers it the same way for ever, S4): its record goes
  // again, under a new seq and mutation id.
  const stale = queue.filter((o) => o.kind !== 'access' && !APPEND_ONLY_KINDS.has(o.kind) && (o.baseVersion ?? 0) > floor);
  const staleKeys = new Set(stale.map((o) => keyOf(o.kind, o.entityId)));
  const pendingKeys = new Set(queue.map((o) => keyOf(o.kind, o.entityId)).filter((key) => !staleKeys.has(key)));
  // This device's changes the hub took and it has not pulled back (sync-store.ts noteTaken): the
  // row holds their data, at the version it had before.
  const taken = new Map<string, number>();
  /** whose change the hub took last, by record: sent again in their name (A9) */
  const takenFrom = new Map<string, string>();
  for (const note of (await readMeta(db, 'takenUnpulled')) ?? []) {
    const key = keyOf(note.kind, note.id);
    if (note.version < (taken.get(key) ?? 0)) continue;
    taken.set(key, note.version);
    // Several people's changes taken: the resent copy holds them all, in the name of the last one's.
    if (note.author !== undefined) takenFrom.set(key, note.author);
    else takenFrom.delete(key);
  }
  /** the latest version of the record this device knows the hub to have held: pulled, or taken from it */
  const heldVersion = (row: RecordRow) => Math.max(row.version ?? 0, taken.get(keyOf(row.kind, row.id)) ?? 0);
  // A restore is rare: every row is read (the hub's version is a clear column of it, version 8).
  const lost = await db.records
    .filter((row) => staleKeys.has(keyOf(row.kind, row.id)) || (!pendingKeys.has(keyOf(row.kind, row.id)) && heldVersion(row) > floor))
    .toArray();
  // The queue is in seq order: the last edit of each record names its author and whether it withdrew it.
  const lastEdit = new Map(stale.map((o) => [keyOf(o.kind, o.entityId), o]));
  const resender = roleOf(await readHubLink(ctx), ctx.user.id);
  const kept: KeptRecord[] = [];
  for (const row of lost) {
    if (row.demo === 1) continue;
    const data = await unseal<unknown>(ctx.key, bindingOf('records', row.kind, row.id), row);
    // Evidence goes again only from the phone that wrote it (the hub takes an entry only from its
    // writer, E5): the others' entries are theirs to send. A 請求済み goes from every phone that holds
    // it (the hub takes it from any writer of its office, and the same record again is a duplicate):
    // the phone that closed the month may be gone since, and without it the restored hub's month
    // reads open to every phone joining later, which may close it again.
    if (row.kind === 'case-entry' && (data as { deviceId?: unknown }).deviceId !== ctx.deviceId) continue;
    const edit = lastEdit.get(keyOf(row.kind, row.id));
    const takenAuthor = takenFrom.get(keyOf(row.kind, row.id));
    const takenHere = (taken.get(keyOf(row.kind, row.id)) ?? 0) > (row.version ?? 0);
    const queued =
      edit !== undefined
        ? { author: edit.userId, ...(edit.op === 'withdraw' ? { op: 'withdraw' as const } : {}) }
        : takenAuthor !== undefined && takenHere
          ? { author: takenAuthor }
          : {};
    // Only pulled here: it goes in the unlocked user's name, if their role writes its kind at all.
    const pulledOnly = edit === undefined && !takenHere && !APPEND_ONLY_KINDS.has(row.kind);
    if (pulledOnly && resender !== undefined && !KINDS_A_ROLE_WRITES[resender].has(row.kind)) continue;
    kept.push({ kind: row.kind, id: row.id, data, ...queued, floor });
  }
  // A restore met twice before the first was resent: both lists are kept, the newer copy first.
  const earlier = (await loadCache<KeptRecord[]>(ctx, RESEND_KEY)) ?? [];
  const keys = new Set(kept.map((k) => keyOf(k.kind, k.id)));
  const all = [...kept, ...earlier.filter((k) => !keys.has(keyOf(k.kind, k.id)))];
  const sealed = await seal(ctx.key, bindingOf('cache', RESEND_KEY), all);
  const updatedAt = new Date(ctx.now()).toISOString();
  await db.transaction('rw', [db.cache, db.records, db.outbox, db.meta], async () => {
    await db.cache.put({ key: RESEND_KEY, updatedAt, ...sealed });
    // The edits kept with their records (those read above: one queued since is left as it is).
    await db.outbox.bulkDelete(stale.filter((o) => keys.has(keyOf(o.kind, o.entityId))).map((o) => o.seq));
    // Their versions are forgotten (the restored hub does not know them); the rows stay until the
    // pull from the start overwrites them. Re-read here, so a row changed meanwhile is not undone.
    const current = await db.records.bulkGet(lost.map((row) => [row.kind, row.id] as [EntityKind, string]));
    const forget = current.filter((row): row is RecordRow => row !== undefined && heldVersion(row) > floor);
    await db.records.bulkPut(forget.map(({ version: _version, officeId: _officeId, ...rest }) => rest));
    // What the hub took is kept aside now, or was at or below the floor (the restored hub has it).
    await db.meta.delete('takenUnpulled');
    // [R4] Copies held back for waiting changes are of the timeline before: the pull from the start
    // holds back again what the restored hub has of those records.
    await db.cache.where(':id').startsWith(HELD_BACK_PREFIX).delete();
    // Refusals the restored hub has no receipt of: the changes go again and are answered again.
    const forgotten = (await db.outbox.toArray()).filter((o) => o.seq > lastSeq && o.refusedReason !== undefined && o.refusedReason !== null);
    await db.outbox.bulkPut(forgotten.map((o) => ({ ...o, refusedReason: null, refusedAt: null, refusedDetail: null })));
  });
  await followServerSeq(ctx, lastSeq);
  return kept.length;
}

/** The role on the hub of a user of this device; undefined when they have not signed in on it. */
function roleOf(link: HubLink | undefined, vaultUserId: string): Role | undefined {
  if (link === undefined) return undefined;
  // A link made before per-user sign-in is its joining user's alone.
  if (link.members === undefined) return link.role;
  return link.members[vaultUserId]?.role;
}

/**
 * Whether records kept aside by keepLostRecords still wait for the pull from the start to end (a
 * run cut off after the epoch change): the sync engine then pulls, queues them again, and only
 * then pushes what was queued meanwhile, which may build on them (an entry continuing one the
 * restore lost, E2).
 */
export async function lostRecordsWaiting(vault: Pick<VaultSession, 'loadCache'>): Promise<boolean> {
  return ((await vault.loadCache<readonly KeptRecord[]>(RESEND_KEY))?.length ?? 0) > 0;
}

/**
 * After the pull from the start: each kept record is written back (evidence is already held as
 * it was) and queued: an update on the version the hub has now when that is the restored copy
 * (at or below the floor), a create when the hub has none, an append for evidence. When someone
 * edited the record on the restored hub since (its version above the floor), this copy was made
 * without their edit: it goes as an edit based on nothing, so the hub keeps their values and lists
 * each field that differs as a conflict to settle, instead of taking this older copy whole and
 * undoing their edit unseen. One transaction; the kept list is removed in it. Returns how many.
 */
export async function resendLostRecords(ctx: SessionContext): Promise<number> {
  const stored = await loadCache<KeptRecord[]>(ctx, RESEND_KEY);
  if (stored === undefined || stored.length === 0) return 0;
  // Records first, then evidence in chain order: an entry is taken only after its parent (E1), and
  // an entry's index is above its parent's.
  const indexOf = (k: KeptRecord) => (APPEND_ONLY_KINDS.has(k.kind) ? 1 + Number((k.data as { index?: unknown }).index ?? 0) : 0);
  const kept = [...stored].sort((a, b) => indexOf(a) - indexOf(b));
  const { db } = ctx;
  const metas = await db.records.bulkGet(kept.map((k) => [k.kind, k.id] as [EntityKind, string]));
  const prepared = await Promise.all(
    kept.map(async (k, i) => {
      const meta: RecordRow | undefined = metas[i];
      const evidence = APPEND_ONLY_KINDS.has(k.kind);
      const editedSince = meta?.version !== undefined && k.floor !== undefined && meta.version > k.floor;
      const baseVersion = evidence || editedSince ? null : (meta?.version ?? null);
      const op = evidence ? ('append' as const) : (k.op ?? (baseVersion === null && !editedSince ? ('create' as const) : ('update' as const)));
      const [sealed, queued] = await Promise.all([seal(ctx.key, bindingOf('records', k.kind, k.id), k.data), prepareOutbox(ctx, k.kind, k.id, op, k.data)]);
      // An entry is sent in its writer's name, an edit in its author's, whoever has the phone unlocked now (A9).
      // A 請求済み another phone made goes in the unlocked user's: its writer never signs in here, and
      // a change held for an author who never comes held every change queued behind it.
      const ownClose = k.kind !== 'month-close' || (k.data as { deviceId?: unknown }).deviceId === ctx.deviceId;
      const writer = evidence ? (ownClose ? (k.data as { recordedBy?: { userId?: unknown } }).recordedBy?.userId : undefined) : k.author;
      const pending = typeof writer === 'string' ? { ...queued, userId: writer } : queued;
      return { k, sealed, pending, baseVersion, evidence, synced: syncedColumnsOf(meta) };
    }),
  );
  await db.transaction('rw', [db.records, db.outbox, db.meta, db.cache], async () => {
    // Evidence held here is never rewritten; a merged record gets back what this device had.
    await db.records.bulkPut(
      prepared.filter((p) => !p.evidence).map(({ k, sealed, pending, synced }) => ({ kind: k.kind, id: k.id, updatedAt: pending.at, ...sealed, ...synced })),
    );
    // What was sent before the restore goes before what was never sent: an unsent entry may
    // continue a chain whose earlier entries the restore lost (E1).
    await queueAheadOfUnsent(
      db,
      prepared.map(({ pending, baseVersion }) => ({ ...pending, baseVersion, seq: 0 })),
    );
    await db.cache.delete(RESEND_KEY);
  });
  return kept.length;
}
