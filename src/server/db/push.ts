/**
 * applyPush: takes one device's changes into the change log, in one transaction, answering each
 * change on its own. The rules [S2]-[S14] are in docs/hub-server.md; the comments say why.
 *
 * Speed: a push of 1,000 changes must not cost 1,000 × several round trips, nor hold its hub's
 * version counter while it reads and decides. What the checks need is read for the whole push up
 * front (mutation ids, evidence, held records with this device's earlier changes), decided in
 * memory before the counter is taken, and written once it is held: every table in one statement
 * (the changes as one json parameter), then the receipts with the hub's head. Should another
 * writer of the hub commit in between, the push reads and decides again under the counter [S2].
 * Only when the database refuses to store something does the push start over, in a new
 * transaction, with a savepoint around each change, so that change alone is refused [S11].
 */
import type pg from 'pg';
import { inTransaction } from './transaction';
import { lockHubHead } from './hub-head';
import { adoptReceipts } from './countersign';
import { MAX_RECORD_BYTES } from '../../domain/record-limits';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../../protocol/evidence-rules';
import { MAX_PUSH_CHANGES } from '../../protocol/sync';
import { checkAccessEntry, checkRecord, isRecordId, RECORD_ID_PATTERN, type StoredKind } from '../../protocol/records';
import { REMOVED_PAYLOAD } from './record-admin';
import type { PushOptions } from './account-store';
import { lockDeviceForUser, writersOnDevices } from './device-users';
import { checkEvidence } from './evidence';
import { readHeldCases, checkLink, rememberEntry, type HeldCases } from './evidence-links';
import { equal, mergeRecord, type Json } from '../../protocol/merge';
import { asRead, keptFromHeld, needsHeld } from '../../protocol/older-apps';
import {
  APPEND_ONLY_KINDS,
  CHANGE_KINDS,
  CHANGE_OPS,
  MERGED_KINDS,
  RECORD_KINDS,
  StoreError,
  type ChangeKind,
  type ChangeResult,
  type PushedChange,
  type RefusalReason,
} from './store';


const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

type Outcome =
  | { readonly status: 'accepted' | 'duplicate'; readonly version: number }
  | { readonly status: 'refused'; readonly reason: RefusalReason; readonly detail: string };

interface HeldRecord {
  readonly version: number;
  /**
   * The state's JSON text, when a decision may need it: read only for a month-close (compared) and
   * for an edit not based on the held version (merged); undefined otherwise (planMerge reads it then).
   */
  readonly payloadJson: string | undefined;
  readonly withdrawn: boolean;
  /** [R4] withdrawn by the hub's admin (its state is REMOVED_PAYLOAD) */
  readonly removed: boolean;
  /** the office it is held under (null: hub-wide) */
  readonly officeId: string | null;
}

/** What the push has read or written so far, by key; kept in step with the transaction. */
interface Known {
  /** mutation id → how it was accepted */
  readonly mutations: Map<string, { version: number; kind: string; entityId: string; op: string; payload: Json }>;
  /** evidence id → hash and version */
  readonly evidence: Map<string, { hash: string; version: number }>;
  /** `${kind}\u0000${entityId}` → current state (absent: not held) */
  readonly records: Map<string, HeldRecord>;
  /** `${kind}\u0000${entityId}` → this device's latest accepted change to it, as sent (its payload only when it is later than the edit's base) */
  readonly own: Map<string, { version: number; payload: Json | undefined }>;
  /** case id → the entries of the case held (and accepted so far in this push) [E1–E7] */
  readonly cases: HeldCases;
  /** the ids the author's case entries and 請求済み may carry as recordedBy.userId, and their 閲覧記録 as userId, on this device: their hub id and vault user id (A9) [E6] */
  authorIds: readonly string[];
  /**
   * device id → the ids of everyone who signed in on it, for each other device of the hub a pushed
   * 請求済み says it was made on (a restore's re-send from another phone) [E6]
   */
  readonly writersElsewhere: Map<string, Set<string>>;
  /** when this hub was last restored (its epoch renewed with a floor for it), null if never: only then is a re-send expected [E6] */
  readonly restoredAt: Date | null;
}

interface PushContext {
  readonly tx: pg.PoolClient;
  readonly tenantId: string;
  readonly deviceId: string;
  readonly userId: string;
  readonly known: Known;
  /** the version the next accepted change takes */
  nextVersion: number;
  /** a savepoint around each change (after the database refused a statement of the fast pass) */
  readonly careful: boolean;
  /** the database's clock as the push began: an entry may not be dated after it [E7] */
  readonly receivedAt: Date;
  /** what the fast pass has decided to write, flushed in a few multi-row statements at the end */
  readonly writes: Writes;
}

interface Receipt {
  readonly change: PushedChange;
  readonly outcome: Outcome;
}

const recordKey = (kind: string, entityId: string) => `${kind}\u0000${entityId}`;

export async function applyPush(
  pool: pg.Pool,
  deviceId: string,
  userId: string,
  changes: readonly PushedChange[],
  options: PushOptions = {},
): Promise<ChangeResult[]> {
  checkRequest(changes);
  const request: PushRequest = { deviceId, userId, changes, options };
  try {
    return await inTransaction(pool, (tx) => pushFast(tx, request));
  } catch (error) {
    if (!(error instanceof StartCareful)) throw error;
    // [S11] The database refused to store something the fast pass wrote: the transaction is rolled
    // back, and the push starts over with a savepoint around each change, so that change alone is
    // refused. (A savepoint before every fast pass, to go back to, cost each push a round trip and
    // a subtransaction, for a case that comes only with a bug or a hand-made row.)
    return inTransaction(pool, (tx) => pushCareful(tx, request));
  }
}

/** Thrown by the fast pass when the database refused one of its writes (a data error). */
class StartCareful extends Error {}

interface PushRequest {
  readonly deviceId: string;
  readonly userId: string;
  readonly changes: readonly PushedChange[];
  readonly options: PushOptions;
}

async function pushFast(tx: pg.PoolClient, { deviceId, userId, changes, options }: PushRequest): Promise<ChangeResult[]> {
  // `userId` is the author of these changes: one of the device's users (A9). A retired device
  // may still send its last evidence (POST /api/sync/retire); the sync service passes only
  // append-only kinds then.
  // [S2] Pushes of one hub queue on its counter row (lockHubHead) until COMMIT, so its versions
  // are handed out in commit order, with no hole. The counter is taken only for the writes: the
  // reads and decisions come first, on versions from the head as it was before the first read
  // (read with the device's lock, in one round trip). If the head is still there once the
  // counter is held, nothing of this hub was committed in between (every writer of changes,
  // records and evidence moves it), so what was read and decided stands; otherwise (another
  // device's push, an admin's withdrawal) the push reads and decides again under the counter, so
  // two devices racing with the same mutation id or evidence id see each other's commit instead
  // of failing on a unique index.
  const device = await lockDeviceForUser(tx, deviceId, userId, options);
  const { tenantId, lastSeq } = device;
  const fresh = changes.filter((c) => c.seq > lastSeq);
  const authorIds = options.authorIds ?? [];
  const base = { tx, tenantId, deviceId, userId, receivedAt: device.now };
  let known = await readKnown(tx, tenantId, deviceId, fresh, authorIds);
  let run = await takeAll({ ...base, known, nextVersion: device.head + 1, careful: false, writes: noWrites() }, changes, lastSeq);
  const { head } = await lockHubHead(tx, tenantId);
  if (head !== device.head) {
    known = await readKnown(tx, tenantId, deviceId, fresh, authorIds);
    run = await takeAll({ ...base, known, nextVersion: head + 1, careful: false, writes: noWrites() }, changes, lastSeq);
  }
  // Everything decided, the receipts, the hub's head and the device's seq: one round trip while
  // the hub's counter is held (with PostgreSQL on another machine, each one lengthens the queue).
  const finish: Finish = { receipts: run.receipts, head: run.nextVersion - 1, lastSeq: run.lastSeq };
  try {
    await flushWrites(base, run.writes, finish);
  } catch (error) {
    throw isDataError(error) ? new StartCareful('the database refused a write of the fast pass', { cause: error }) : error;
  }
  await keepCarriedReceipts(tx, tenantId, changes, options);
  return run.results;
}

/** [S11] The push again, each change written as it is decided, in a savepoint of its own, under the counter. */
async function pushCareful(tx: pg.PoolClient, { deviceId, userId, changes, options }: PushRequest): Promise<ChangeResult[]> {
  const { tenantId, lastSeq } = await lockDeviceForUser(tx, deviceId, userId, options);
  const { head, now } = await lockHubHead(tx, tenantId);
  const fresh = changes.filter((c) => c.seq > lastSeq);
  const base = { tx, tenantId, deviceId, userId, receivedAt: now };
  const known = await readKnown(tx, tenantId, deviceId, fresh, options.authorIds ?? []);
  const run = await takeAll({ ...base, known, nextVersion: head + 1, careful: true, writes: noWrites() }, changes, lastSeq);
  await finishPush(tx, base, { receipts: run.receipts, head: run.nextVersion - 1, lastSeq: run.lastSeq });
  await keepCarriedReceipts(tx, tenantId, changes, options);
  return run.results;
}

/**
 * [K4][S15] The receipts the device carried for the case entries of this push, kept for those this
 * transaction holds unsigned (adoptReceipts): a restore does not make an entry's receipt another.
 * Only after a restore does a device carry any, so an ordinary push makes no round trip for it.
 */
async function keepCarriedReceipts(tx: pg.PoolClient, tenantId: string, changes: readonly PushedChange[], options: PushOptions): Promise<void> {
  const carried = options.carriedReceipts ?? [];
  if (carried.length === 0) return;
  const entries = new Set(changes.filter((c) => c.kind === 'case-entry').map((c) => c.entityId));
  await adoptReceipts(tx, tenantId, carried.filter((r) => entries.has(r.entryId)));
}

interface Run {
  readonly results: ChangeResult[];
  readonly receipts: Receipt[];
  readonly lastSeq: number;
  readonly nextVersion: number;
  /** what the fast pass decided to write (flushed by applyPush once it holds the counter) */
  readonly writes: Writes;
}

async function takeAll(ctx: PushContext, changes: readonly PushedChange[], startSeq: number): Promise<Run> {
  let lastSeq = startSeq;
  const results: ChangeResult[] = [];
  const receipts: Receipt[] = [];
  const taken = await receiptsOf(ctx, changes.filter((c) => c.seq <= startSeq).map((c) => c.seq));
  for (const change of changes) {
    const base = { seq: change.seq, mutationId: String(change.mutationId) };
    if (change.seq <= lastSeq) {
      results.push({ ...base, ...replay(taken.get(change.seq), change) } as ChangeResult);
      continue;
    }
    if (change.seq > lastSeq + 1) {
      // [S3] Order matters (an update may depend on the create before it), so a change after a
      // hole is not taken, and neither is anything after it; the seq is not consumed.
      results.push({
        ...base,
        status: 'refused',
        reason: 'gap',
        detail: `expected seq ${lastSeq + 1}, got ${change.seq}: send the missing changes first`,
        retryable: true,
      });
      continue;
    }
    const outcome = ctx.careful ? await takeInSavepoint(ctx, change) : await take(ctx, change);
    receipts.push({ change, outcome });
    lastSeq = change.seq;
    results.push(outcome.status === 'refused' ? { ...base, ...outcome, retryable: false } : ({ ...base, ...outcome } as ChangeResult));
  }
  return { results, receipts, lastSeq, nextVersion: ctx.nextVersion, writes: ctx.writes };
}

/** A data error the database raises about one change (class 22: not storable; class 23: a constraint). */
function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * [S11] The careful pass: one bad change must not take the push down with it. The change's
 * statement runs inside a savepoint, and a data error refuses that change only. Anything else
 * (connection lost) aborts the push, which the device retries whole.
 */
async function takeInSavepoint(ctx: PushContext, change: PushedChange): Promise<Outcome> {
  await ctx.tx.query('SAVEPOINT change');
  try {
    const outcome = await take(ctx, change);
    await ctx.tx.query('RELEASE SAVEPOINT change');
    return outcome;
  } catch (error) {
    if (!isDataError(error)) throw error;
    await ctx.tx.query('ROLLBACK TO SAVEPOINT change');
    return { status: 'refused', reason: 'invalid', detail: `not storable (SQLSTATE ${String((error as { code?: unknown }).code)})` };
  }
}

/** Reads, for the whole push, what the checks of each change need (see Known). */
async function readKnown(tx: pg.PoolClient, tenantId: string, deviceId: string, changes: readonly PushedChange[], authorIds: readonly string[]): Promise<Known> {
  // Text PostgreSQL cannot hold (a NUL) would fail these reads for the whole push: such a change
  // is left out here and refused on its own when it is written [S11].
  const storable = (v: unknown): v is string => typeof v === 'string' && !v.includes('\u0000');
  // [E6] A 請求済み made on another phone: only a restore's re-send names one, so an ordinary push
  // makes no round trip for it.
  const elsewhere = changes
    .filter((c) => c.kind === 'month-close')
    .map((c) => (c.payload as { deviceId?: unknown } | null)?.deviceId)
    .filter((d): d is string => storable(d) && d !== deviceId);
  const writersElsewhere = await writersOnDevices(tx, tenantId, [...new Set(elsewhere)]);
  const restoredAt =
    elsewhere.length === 0 ? null : ((await tx.query<{ started_at: Date }>('SELECT started_at FROM hub_epoch WHERE floors ? $1', [tenantId])).rows[0]?.started_at ?? null);
  const known: Known = { mutations: new Map(), evidence: new Map(), records: new Map(), own: new Map(), cases: new Map(), authorIds, writersElsewhere, restoredAt };
  const mutationIds = changes.map((c) => c.mutationId).filter((m): m is string => typeof m === 'string' && UUID.test(m));
  const evidenceIds = changes.filter((c) => c.kind === 'case-entry' && storable(c.entityId)).map((c) => c.entityId);
  if (evidenceIds.length > 0) {
    const rows = await tx.query<{ id: string; hash: string; version: string }>(
      'SELECT id, hash, version FROM evidence WHERE tenant_id = $1 AND id = ANY ($2::text[])',
      [tenantId, evidenceIds],
    );
    for (const r of rows.rows) known.evidence.set(r.id, { hash: r.hash, version: Number(r.version) });
    const caseIds = changes
      .filter((c) => c.kind === 'case-entry')
      .map((c) => (c.payload as { caseId?: unknown } | null)?.caseId)
      .filter(storable);
    await readHeldCases(tx, tenantId, caseIds, known.cases);
  }
  // Merged kinds are read to merge into; a month-close (請求済み) to refuse writing it twice.
  // A record's state is read only when a decision may need it: an edit based on the held version
  // (the drain of an offline queue, nearly every edit) is taken as sent, so the held text is left
  // in PostgreSQL. A record changed twice in the push is read whole (base unknown: null).
  const bases = new Map<string, { kind: string; entityId: string; base: number | null; readHeld: boolean }>();
  for (const c of changes) {
    if (!((MERGED_KINDS.has(c.kind) || c.kind === 'month-close') && storable(c.entityId))) continue;
    const key = recordKey(c.kind, c.entityId);
    const base = typeof c.baseVersion === 'number' && Number.isSafeInteger(c.baseVersion) ? c.baseVersion : null;
    // A change that keeps something from the held record (older-apps.ts) has its held text read
    // here too, in this one statement; its base stays, so its own earlier change is not read.
    const readHeld = (bases.get(key)?.readHeld ?? false) || needsHeld(c.kind, c.payload as Json);
    bases.set(key, bases.has(key) ? { kind: c.kind, entityId: c.entityId, base: null, readHeld } : { kind: c.kind, entityId: c.entityId, base, readHeld });
  }
  if (mutationIds.length === 0 && bases.size === 0) return known;
  const keys = [...bases.values()];
  // In one statement (one round trip for every push): the pushed mutation ids already taken [S5],
  // the held records and this device's latest change to each ('own' rows carry the payload as
  // text only when it may be the edit's base: later than the base the device names). The latest
  // change is one probe of changes_device_record per record (migration 17), however many the
  // device has sent.
  const rows = await tx.query<{
    row: 'mutation' | 'held' | 'own';
    kind: string;
    entity_id: string;
    version: string;
    payload_json: string | null;
    withdrawn: boolean;
    removed: boolean;
    office_id: string | null;
    mutation_id: string | null;
    op: string | null;
  }>(
    {
      name: 'push-known',
      text: `WITH k AS (SELECT * FROM unnest($3::text[], $4::text[], $5::bigint[], $8::boolean[]) AS k (kind, entity_id, base, read_held))
       SELECT 'mutation' AS row, c.kind, c.entity_id, c.version, c.payload::text AS payload_json, false AS withdrawn, false AS removed,
              NULL AS office_id, c.mutation_id::text AS mutation_id, c.op
         FROM changes c WHERE c.tenant_id = $1 AND c.mutation_id = ANY ($7::uuid[])
       UNION ALL
       SELECT 'held', r.kind, r.entity_id, r.version,
              CASE WHEN r.kind = 'month-close' OR k.read_held OR k.base IS NULL OR k.base <> r.version THEN r.payload_json END,
              r.withdrawn, r.withdrawn AND r.payload_json = $6, r.office_id, NULL, NULL
         FROM records r JOIN k USING (kind, entity_id)
        WHERE r.tenant_id = $1
       UNION ALL
       SELECT 'own', k.kind, k.entity_id, c.version,
              CASE WHEN k.base IS NULL OR c.version > k.base THEN c.payload::text END, false, false, NULL, NULL, NULL
         FROM k CROSS JOIN LATERAL (
                SELECT c.version, c.payload FROM changes c
                 WHERE c.device_id = $2 AND c.kind = k.kind AND c.entity_id = k.entity_id AND c.tenant_id = $1
                 ORDER BY c.version DESC LIMIT 1) c`,
    },
    [tenantId, deviceId, keys.map((k) => k.kind), keys.map((k) => k.entityId), keys.map((k) => k.base), REMOVED_PAYLOAD, mutationIds, keys.map((k) => k.readHeld)],
  );
  for (const r of rows.rows) {
    const key = recordKey(r.kind, r.entity_id);
    const version = Number(r.version);
    if (r.row === 'mutation') {
      known.mutations.set(r.mutation_id!.toLowerCase(), { version, kind: r.kind, entityId: r.entity_id, op: r.op!, payload: JSON.parse(r.payload_json!) as Json });
    } else if (r.row === 'held') {
      known.records.set(key, { version, payloadJson: r.payload_json ?? undefined, withdrawn: r.withdrawn, removed: r.removed, officeId: r.office_id });
    } else {
      known.own.set(key, { version, payload: r.payload_json !== null ? (JSON.parse(r.payload_json) as Json) : undefined });
    }
  }
  return known;
}

/**
 * Decides one change and, when it is accepted, writes it in one statement. In-memory state
 * (`known`, `nextVersion`) moves only after that statement succeeded.
 */
async function take(ctx: PushContext, change: PushedChange): Promise<Outcome> {
  const shape = checkShape(change);
  if (!shape.ok) return { status: 'refused', reason: 'invalid', detail: shape.detail };
  const { kind, op, entityId } = change;
  const mutationId = change.mutationId.toLowerCase();
  // [S6] Evidence and the access log are written once.
  if (APPEND_ONLY_KINDS.has(kind) !== (op === 'append')) {
    return {
      status: 'refused',
      reason: 'append-only',
      detail: APPEND_ONLY_KINDS.has(kind) ? `${kind} is append-only; op must be 'append'` : `'append' is only for append-only kinds`,
    };
  }
  // [S5] The same mutation may come again from another device (a backup restored elsewhere
  // re-queues unsent changes under their mutation ids).
  const prior = ctx.known.mutations.get(mutationId);
  if (prior !== undefined) {
    const same = prior.kind === kind && prior.entityId === entityId && prior.op === op && equal(prior.payload, change.payload as Json);
    return same
      ? { status: 'duplicate', version: prior.version }
      : { status: 'refused', reason: 'mutation-conflict', detail: `mutation ${change.mutationId} was accepted with other content (version ${prior.version})` };
  }
  // One record of megabytes, pushed many times, would take the hub's memory at every pull page.
  // After the duplicate check: a change held from before the bound is still answered as held. A
  // month's 請求済み record is built by the app, one line a case of the office's month, and is not
  // bounded (500 cases are ~450 KB).
  const bytes = Buffer.byteLength(shape.payloadJson);
  if (kind !== 'month-close' && bytes > MAX_RECORD_BYTES) {
    return { status: 'refused', reason: 'invalid', detail: `payload is ${bytes} bytes: a change holds at most ${MAX_RECORD_BYTES}` };
  }
  // A bed report dated after its arrival would win every merge and head the match until then.
  if (kind === 'facility') {
    const late = reportedAfter(change.payload, ctx.receivedAt);
    if (late !== null) return { status: 'refused', reason: 'clock', detail: `vacancy.asOf ${late} is after the hub received it (${ctx.receivedAt.toISOString()}) by more than ${EVIDENCE_CLOCK_TOLERANCE_MS / 60_000} min` };
  }
  let evidenceHash: string | undefined;
  if (kind === 'case-entry') {
    // [S8] then [S7]
    const check = await checkEvidence(entityId, change.payload);
    if (!check.ok) return { status: 'refused', reason: check.reason, detail: check.detail };
    const stored = ctx.known.evidence.get(entityId);
    if (stored !== undefined) {
      return stored.hash === check.hash
        ? { status: 'duplicate', version: stored.version }
        : {
            status: 'refused',
            reason: 'evidence-conflict',
            detail: `evidence ${entityId} is held with hash ${stored.hash} (version ${stored.version}); this one has ${check.hash}`,
          };
    }
    // [E1]-[E7] A new entry links into its case, written by this user on this device, not post-dated.
    const link = checkLink(change.payload, ctx.known.cases, { authorId: ctx.userId, authorIds: ctx.known.authorIds, deviceId: ctx.deviceId, receivedAt: ctx.receivedAt });
    if (!link.ok) return { status: 'refused', reason: link.reason, detail: link.detail };
    evidenceHash = check.hash;
  }
  if (kind === 'month-close') {
    // [S6] A claim as sent is written once: the same record again is a duplicate, never a rewrite.
    const held = ctx.known.records.get(recordKey(kind, entityId));
    if (held !== undefined) {
      return held.payloadJson === shape.payloadJson
        ? { status: 'duplicate', version: held.version }
        : { status: 'refused', reason: 'append-only', detail: `month-close ${entityId} is held already (version ${held.version}); it is never rewritten` };
    }
  }
  if (kind === 'month-close' || kind === 'access') {
    // [E6] A 請求済み or its 取消, and a 閲覧記録 entry, name their writer as a case entry does.
    const writer = checkWriter(change, ctx);
    if (writer !== null) return { status: 'refused', reason: 'writer', detail: writer };
  }
  const version = ctx.nextVersion;
  let merge: MergePlan | undefined;
  if (MERGED_KINDS.has(kind)) {
    const planned = await planMerge(ctx, change, shape.payloadJson, version);
    if (!planned.ok) return { status: 'refused', reason: 'invalid', detail: planned.detail };
    merge = planned;
  }
  const office = officeAfter(ctx, change, merge);
  if (!office.ok) return { status: 'refused', reason: 'scope', detail: office.detail };
  const { officeId } = office;
  // The fast pass writes everything at the end; the careful pass writes each change in its savepoint.
  const writes = ctx.careful ? noWrites() : ctx.writes;
  addWrites(writes, ctx, change, version, shape.payloadJson, evidenceHash, merge, officeId);
  if (ctx.careful) await flushWrites(ctx, writes);

  ctx.nextVersion += 1;
  ctx.known.mutations.set(mutationId, { version, kind, entityId, op, payload: change.payload as Json });
  if (evidenceHash !== undefined) {
    ctx.known.evidence.set(entityId, { hash: evidenceHash, version });
    rememberEntry(ctx.known.cases, change.payload);
  }
  if (kind === 'month-close') ctx.known.records.set(recordKey(kind, entityId), { version, payloadJson: shape.payloadJson, withdrawn: false, removed: false, officeId });
  if (merge !== undefined) {
    ctx.known.records.set(recordKey(kind, entityId), {
      version,
      payloadJson: merge.stateJson,
      withdrawn: merge.withdrawn,
      removed: merge.withdrawn && merge.stateJson === REMOVED_PAYLOAD,
      officeId,
    });
    ctx.known.own.set(recordKey(kind, entityId), { version, payload: change.payload as Json });
  }
  return { status: 'accepted', version };
}

/**
 * [E6] Who wrote a 請求済み (month-close: `recordedBy.userId`, `deviceId`) or a 閲覧記録 entry
 * (access: `userId`; it names no device): the credentials of the push, not what the payload says.
 * The ids are the ones a case entry may carry (checkAppend, src/protocol/evidence-rules.ts): the
 * author's hub id, or a vault user id this device bound to them at sign-in (PushOptions.authorIds,
 * A9), so on a shared phone each person's records go in their own name only. Before, a case worker
 * could cancel a coordinator's 請求済み in the coordinator's name (the app's history and the evidence
 * report show the payload's name), or log an access in the admin's. Checked after the duplicate
 * checks, as a case entry is: a record the hub holds, sent again from a restored or another phone,
 * is answered as held. The shape (checkShape) made both fields text. Null when it holds.
 *
 * A 請求済み made on another phone is taken when it names a writer who signed in on that phone of
 * this hub and was made before the hub's last restore: after a restore every phone holding it sends
 * it again (src/vault/epoch-resend.ts), as the phone that closed the month may be gone since. It
 * names a pairing the hub made, never the sender's phone with someone else, and never one made
 * since (a close copied from a pull and sent as a new 取消); the change is still credited to its
 * sender (`changes.user_id`).
 */
function checkWriter(change: PushedChange, ctx: PushContext): string | null {
  const payload = change.payload as { readonly userId?: unknown; readonly recordedBy?: { readonly userId?: unknown }; readonly deviceId?: unknown };
  const [field, writer] = change.kind === 'access' ? ['userId', payload.userId] : ['recordedBy.userId', payload.recordedBy?.userId];
  if (change.kind === 'month-close' && payload.deviceId !== ctx.deviceId) {
    const made = `deviceId ${JSON.stringify(payload.deviceId)} is not the pushing device ${ctx.deviceId}`;
    const onIt = typeof payload.deviceId === 'string' ? ctx.known.writersElsewhere.get(payload.deviceId) : undefined;
    if (onIt === undefined) return `${made} nor a device of this hub`;
    if (typeof writer !== 'string' || !onIt.has(writer)) return `${made}, and ${field} ${JSON.stringify(writer)} never signed in on it`;
    // Only a re-send after a restore names another phone: one made since (a colleague's close
    // copied from a pull, the 取消 dated now) goes from its maker's phone alone.
    const recordedAt = Date.parse(String((change.payload as { recordedAt?: unknown }).recordedAt));
    const { restoredAt } = ctx.known;
    if (restoredAt === null) return `${made}: only a re-send after a restore names another phone, and this hub was never restored`;
    if (!(recordedAt < restoredAt.getTime())) return `${made}: only a re-send of a record made before the restore (${restoredAt.toISOString()}) names another phone`;
    return null;
  }
  if (typeof writer !== 'string' || !(writer === ctx.userId || ctx.known.authorIds.includes(writer))) {
    return `${field} ${JSON.stringify(writer)} is not the pushing user ${ctx.userId} nor a staff id this device bound to it at sign-in`;
  }
  return null;
}

/**
 * [S10] The office a household is held under after this change. The sync service decided it from
 * what the hub held before the push; by now, holding the hub's counter, the household may have
 * moved (a coordinator's move committed in between), or the edit was made on a copy from before
 * a move:
 * - a case worker's edit of a household now held under another office is refused, as it would
 *   have been had the move come first (their office's phones get the removal);
 * - an edit that names the old office from a copy before the move is merged with the move, which
 *   the merge keeps (only the held side changed the field): the household stays where it is held,
 *   as its merged state says. Only an edit that changes the office itself moves it.
 */
function officeAfter(ctx: PushContext, change: PushedChange, merge: MergePlan | undefined): { ok: true; officeId: string | null } | { ok: false; detail: string } {
  const held = change.kind === 'household' ? ctx.known.records.get(recordKey(change.kind, change.entityId)) : undefined;
  if (held === undefined || held.officeId === change.officeId) return { ok: true, officeId: change.officeId };
  if (change.ownOfficeOnly === true) return { ok: false, detail: `household ${change.entityId} is held under another office` };
  if (merge === undefined) return { ok: true, officeId: change.officeId };
  const named = (json: unknown) => (json !== null && typeof json === 'object' ? (json as { officeId?: unknown }).officeId : undefined);
  return { ok: true, officeId: named(JSON.parse(merge.stateJson)) === named(change.payload) ? change.officeId : held.officeId };
}

interface MergePlan {
  readonly ok: true;
  readonly stateJson: string;
  readonly withdrawn: boolean;
  readonly basedOn: number | null;
  readonly heldVersion: number | null;
  readonly conflicts: readonly { readonly path: string; readonly kept: Json | undefined; readonly lost: Json | undefined }[];
}

/**
 * [S14] A household, facility or office edit is merged field by field with what the server holds,
 * against the state the device had when it made the edit:
 * - the record it last pulled (record_versions at `baseVersion`), or
 * - its own previous change to this record, when that is later (the device edited twice before
 *   the pull that would have brought the merged state back): the payload as it sent it, because
 *   that, not the merge result, is what the device had in front of it.
 * With neither, the edit is based on nothing, and every field that differs from the held one is
 * a conflict. Same-field conflicts keep the held value and are written to `conflicts`.
 */
async function planMerge(
  ctx: PushContext,
  change: PushedChange,
  payloadJson: string,
  version: number,
): Promise<MergePlan | { readonly ok: false; readonly detail: string }> {
  const { kind, entityId } = change;
  const held = ctx.known.records.get(recordKey(kind, entityId));
  const withdrawn = change.op === 'withdraw' || (held?.withdrawn ?? false);
  if (held === undefined) return { ok: true, stateJson: payloadJson, withdrawn, basedOn: null, heldVersion: null, conflicts: [] };
  // [R4] An admin withdrew it from every device; an edit would bring it back half-merged.
  if (held.removed) return { ok: false, detail: `${kind} ${entityId} was withdrawn by the hub's admin` };
  // [S14] What the sending app did not know stays as held (a contact's reading, older-apps.ts).
  // The held state is parsed once, when something needs it.
  let heldParsed: Json | undefined;
  const heldState = async (): Promise<Json> => (heldParsed ??= JSON.parse(held.payloadJson ?? (await heldPayload(ctx, kind, entityId))) as Json);
  let incoming = change.payload as Json;
  if (needsHeld(kind, incoming)) {
    const kept = keptFromHeld(kind, await heldState(), incoming);
    if (kept !== incoming) {
      incoming = kept;
      payloadJson = JSON.stringify(kept);
    }
  }
  const own = ctx.known.own.get(recordKey(kind, entityId));
  const baseVersion = change.baseVersion ?? null;
  if (baseVersion !== null && baseVersion > held.version) {
    return { ok: false, detail: `baseVersion ${baseVersion} is later than the record's version ${held.version}` };
  }
  let base: Json;
  let basedOn: number | null;
  if (own !== undefined && own.version < version && (baseVersion === null || own.version > baseVersion)) {
    basedOn = own.version;
    base = own.payload ?? (await ownPayload(ctx, kind, entityId, own.version));
    // The device's own earlier change, as it sent it: the readings the hub kept in it are its too,
    // or they would read as a colleague's edit of the contacts, and this edit of them a conflict.
    if (needsHeld(kind, base)) base = keptFromHeld(kind, await heldState(), base);
  } else if (baseVersion !== null) {
    basedOn = baseVersion;
    if (baseVersion === held.version) return { ok: true, stateJson: payloadJson, withdrawn, basedOn, heldVersion: held.version, conflicts: [] };
    const row = (
      await ctx.tx.query<{ payload_json: string }>(
        'SELECT payload_json FROM record_versions WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3 AND version = $4',
        [ctx.tenantId, kind, entityId, baseVersion],
      )
    ).rows[0];
    // No state kept at that version: the record was written there without a change (an office of
    // `create-office`, or a record from before migration 3). The edit is merged as based on nothing:
    // every field it differs in from the held one is a conflict, the held value kept and the edit's
    // listed to settle, rather than refused for good.
    base = row === undefined ? {} : (JSON.parse(row.payload_json) as Json);
  } else {
    basedOn = null;
    base = {};
  }
  if (basedOn === held.version) return { ok: true, stateJson: payloadJson, withdrawn, basedOn, heldVersion: held.version, conflicts: [] };
  // A base and a held record as the phones read them (an old household's absent reviews are none);
  // a base of nothing stays nothing: every field it differs in is a conflict.
  const read = (record: Json) => (basedOn === null || Object.keys(asObject(record)).length === 0 ? record : asRead(kind, record));
  const { merged, conflicts } = mergeRecord(asObject(read(base)), asObject(asRead(kind, await heldState())), asObject(incoming));
  return { ok: true, stateJson: JSON.stringify(merged), withdrawn, basedOn, heldVersion: held.version, conflicts };
}

/**
 * The held state's text, for a merge readKnown did not foresee (it reads the text of every record
 * whose edit is not based on the held version, so this is a safety net, not a path).
 */
async function heldPayload(ctx: PushContext, kind: string, entityId: string): Promise<string> {
  const row = (
    await ctx.tx.query<{ payload_json: string }>('SELECT payload_json FROM records WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3', [ctx.tenantId, kind, entityId])
  ).rows[0];
  if (row === undefined) throw new Error(`push: ${kind} ${entityId} was read as held and is not`);
  return row.payload_json;
}

/** This device's change at `version`, as it sent it (the same safety net as heldPayload). */
async function ownPayload(ctx: PushContext, kind: string, entityId: string, version: number): Promise<Json> {
  const row = (
    await ctx.tx.query<{ payload: Json }>('SELECT payload FROM changes WHERE tenant_id = $1 AND version = $2 AND kind = $3 AND entity_id = $4', [ctx.tenantId, version, kind, entityId])
  ).rows[0];
  if (row === undefined) throw new Error(`push: change ${version} of ${kind} ${entityId} is gone`);
  return row.payload;
}

interface Writes {
  readonly changes: { version: number; seq: number; mutationId: string; kind: string; entityId: string; op: string; payloadJson: string; at: string }[];
  readonly evidence: { id: string; caseId: string; hash: string; version: number }[];
  /** by kind and id: a record changed twice in one push is written once, at its last state */
  readonly records: Map<string, { kind: string; entityId: string; version: number; officeId: string | null; withdrawn: boolean; stateJson: string }>;
  readonly versions: { kind: string; entityId: string; version: number; stateJson: string }[];
  readonly conflicts: {
    kind: string;
    entityId: string;
    path: string;
    basedOn: number | null;
    heldVersion: number | null;
    kept: string;
    lost: string;
    version: number;
    officeId: string | null;
  }[];
}

const noWrites = (): Writes => ({ changes: [], evidence: [], records: new Map(), versions: [], conflicts: [] });

/** What an accepted change writes: its change row, then its evidence row or the record's new state (with its version and conflicts). */
function addWrites(
  w: Writes,
  ctx: PushContext,
  change: PushedChange,
  version: number,
  payloadJson: string,
  evidenceHash: string | undefined,
  merge: MergePlan | undefined,
  officeId: string | null,
): void {
  const { kind, entityId, op } = change;
  w.changes.push({ version, seq: change.seq, mutationId: change.mutationId, kind, entityId, op, payloadJson, at: change.at });
  if (evidenceHash !== undefined) {
    w.evidence.push({ id: entityId, caseId: (change.payload as { caseId: string }).caseId, hash: evidenceHash, version });
  }
  if (!RECORD_KINDS.has(kind)) return;
  const stateJson = merge?.stateJson ?? payloadJson;
  w.records.set(recordKey(kind, entityId), { kind, entityId, version, officeId, withdrawn: merge?.withdrawn ?? op === 'withdraw', stateJson });
  if (merge === undefined) return;
  w.versions.push({ kind, entityId, version, stateJson });
  for (const c of merge.conflicts) {
    w.conflicts.push({
      kind,
      entityId,
      path: c.path,
      basedOn: merge.basedOn,
      heldVersion: merge.heldVersion,
      kept: JSON.stringify(c.kept ?? null),
      lost: JSON.stringify(c.lost ?? null),
      version,
      officeId,
    });
  }
}

/**
 * Writes what `addWrites` collected, in one statement (one round trip while the hub's counter is
 * held). [S9] received_at is the server's clock: for evidence, as this statement runs, once the hub's
 * counter is held, so that of two pushes the later version is never given the earlier time (K1: a
 * receipt's time follows its position); for records and changes, the transaction's start, which
 * the timeline check [S15] compares with a pull's mark (read at its own start: a record's time
 * must never pass the mark of a pull that saw it). The device's clock is checked against the
 * transaction's start (E7). The device's `at` is kept as device_at.
 *
 * The accepted changes travel as ONE json parameter, a row per change, expanded by PostgreSQL
 * (json_to_recordset): each payload's JSON text is spliced in as it is (a `json` value keeps its
 * text verbatim, so `p::text` is the payload as checked), and the record and its version are written
 * from the same row; a state is sent apart (`st`) only when a merge made it differ from the payload.
 * Three multi-megabyte `text[]` parameters (changes, records, record versions) cost pg an escaping
 * pass each and PostgreSQL an array parse each. The foreign keys to `changes` are checked at its end.
 *
 * With `finish` (the fast pass), the same statement ends the push (finishPush's writes).
 */
async function flushWrites(ctx: Pick<PushContext, 'tx' | 'tenantId' | 'deviceId' | 'userId'>, w: Writes, finish?: Finish): Promise<void> {
  const { tx, tenantId } = ctx;
  const col = <T, K extends keyof T>(rows: readonly T[], key: K) => rows.map((r) => r[key]);
  const records = [...w.records.values()];
  if (w.changes.length + w.evidence.length + records.length + w.versions.length + w.conflicts.length === 0) {
    if (finish) await finishPush(tx, ctx, finish);
    return;
  }
  const recordAt = new Map(records.map((r) => [r.version, r]));
  const versionAt = new Map(w.versions.map((v) => [v.version, v.stateJson]));
  const rows = w.changes.map((c) => {
    const record = recordAt.get(c.version);
    const state = record?.stateJson ?? versionAt.get(c.version);
    return (
      `{"v":${c.version},"s":${c.seq},"m":${JSON.stringify(c.mutationId)},"k":${JSON.stringify(c.kind)},"e":${JSON.stringify(c.entityId)},` +
      `"o":${JSON.stringify(c.op)},"a":${JSON.stringify(c.at)},"p":${c.payloadJson}` +
      (record === undefined ? '' : `,"r":true,"oi":${JSON.stringify(record.officeId)},"w":${record.withdrawn}`) +
      (versionAt.has(c.version) ? ',"rv":true' : '') +
      (state !== undefined && state !== c.payloadJson ? `,"st":${state}` : '') +
      '}'
    );
  });
  const conflicts = `INSERT INTO conflicts (tenant_id, kind, entity_id, field, base_version, kept_version, kept_value, lost_version, lost_value, office_id)
       SELECT $1, t.k, t.e, t.f, t.b, t.h, t.kv::jsonb, t.v, t.lv::jsonb, t.o
         FROM unnest($9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], $14::text[], $15::bigint[], $16::text[], $17::text[])
           AS t (k, e, f, b, h, kv, v, lv, o)`;
  const end = finish ? finishStatement(18) : null;
  await tx.query(
    {
      name: end ? 'push-writes-finish' : 'push-writes',
      text: `WITH t AS MATERIALIZED (
         SELECT * FROM json_to_recordset($4::json)
           AS t (v bigint, s bigint, m uuid, k text, e text, o text, a timestamptz, p json, r boolean, oi text, w boolean, rv boolean, st json)),
       at AS MATERIALIZED (SELECT clock_timestamp() AS now),
       c AS (
         INSERT INTO changes (version, tenant_id, device_id, device_seq, mutation_id, user_id, kind, entity_id, op, payload, device_at)
         SELECT t.v, $1, $2, t.s, t.m, $3, t.k, t.e, t.o, t.p::jsonb, t.a FROM t),
       ev AS (
         INSERT INTO evidence (tenant_id, id, case_id, hash, version, received_at)
         SELECT $1, t.i, t.c, t.h, t.v, at.now FROM at, unnest($5::text[], $6::text[], $7::text[], $8::bigint[]) AS t (i, c, h, v)),
       r AS (
         INSERT INTO records (tenant_id, kind, entity_id, version, office_id, withdrawn, payload_json, updated_by, received_at)
         SELECT $1, t.k, t.e, t.v, t.oi, t.w, coalesce(t.st, t.p)::text, $3, now() FROM t WHERE t.r
         ON CONFLICT (tenant_id, kind, entity_id) DO UPDATE
           SET version = EXCLUDED.version, office_id = EXCLUDED.office_id, withdrawn = EXCLUDED.withdrawn,
               payload_json = EXCLUDED.payload_json, updated_by = EXCLUDED.updated_by, received_at = EXCLUDED.received_at),
       rv AS (
         INSERT INTO record_versions (tenant_id, kind, entity_id, version, payload_json)
         SELECT $1, t.k, t.e, t.v, coalesce(t.st, t.p)::text FROM t WHERE t.rv),
       -- [S10] An open conflict follows its record to the office it moved to: the office it left
       -- no longer lists its values, and the one it joined can settle it.
       co AS (
         UPDATE conflicts c SET office_id = t.oi FROM t
          WHERE t.r AND c.tenant_id = $1 AND c.kind = t.k AND c.entity_id = t.e AND c.resolved_at IS NULL
            AND c.office_id IS DISTINCT FROM t.oi)` +
        (end ? `,\n       cf AS (${conflicts}),\n       ${end.ctes}\n       ${end.insert}` : `\n       ${conflicts}`),
    },
    [
      tenantId,
      ctx.deviceId,
      ctx.userId,
      `[${rows.join(',')}]`,
      ...(['id', 'caseId', 'hash', 'version'] as const).map((k) => col(w.evidence, k)),
      ...(['kind', 'entityId', 'path', 'basedOn', 'heldVersion', 'kept', 'version', 'lost', 'officeId'] as const).map((k) => col(w.conflicts, k)),
      ...(finish ? finishParams(finish) : []),
    ],
  );
  // Offices are one record (issue 14): an admin's office record is also the office scope decides
  // with, so a new one can hold households and case workers at once, and a renamed one shows so.
  const offices = records.filter((r) => r.kind === 'office' && !r.withdrawn);
  if (offices.length > 0) {
    const names = offices.map((r) => {
      const name = (JSON.parse(r.stateJson) as { name?: unknown }).name;
      return typeof name === 'string' ? name : '';
    });
    await tx.query(
      `INSERT INTO offices (id, tenant_id, name)
       SELECT t.i, $1, t.n FROM unnest($2::text[], $3::text[]) AS t (i, n)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name WHERE offices.tenant_id = EXCLUDED.tenant_id`,
      [tenantId, offices.map((r) => r.entityId), names],
    );
  }
}

/** How a push ends: its receipts, the hub's head it reached, the device's last seq. */
interface Finish {
  readonly receipts: readonly Receipt[];
  readonly head: number;
  readonly lastSeq: number;
}

/**
 * [S4] One receipt per seq taken, whatever became of it, written together at the end of the push;
 * with them the hub's head moves to `head` when that is past it [S2] (hub-head.ts), and the
 * device's last seq is recorded: one statement, the push's last before COMMIT (the fast pass's
 * writes share it: flushWrites).
 */
async function finishPush(tx: pg.PoolClient, ctx: { tenantId: string; deviceId: string; userId: string }, finish: Finish): Promise<void> {
  const end = finishStatement(4);
  await tx.query({ name: 'push-finish', text: `WITH ${end.ctes}\n       ${end.insert}` }, [ctx.tenantId, ctx.deviceId, ctx.userId, ...finishParams(finish)]);
}

/**
 * finishPush's statement, as CTEs and a last INSERT: $1 the hub, $2 the device, $3 the user; from
 * $first on, finishParams.
 */
function finishStatement(first: number): { ctes: string; insert: string } {
  const [receipts, head, seq] = [first, first + 1, first + 2].map((n) => `$${n}`);
  return {
    ctes: `moved AS (UPDATE sync_heads SET version = ${head} WHERE tenant_id = $1 AND version < ${head}),
       device AS (UPDATE devices SET last_seq = ${seq}, last_seen_at = now() WHERE id = $2)`,
    insert: `INSERT INTO receipts (device_id, device_seq, tenant_id, mutation_id, user_id, kind, entity_id, outcome, version, reason, detail, payload_json)
       SELECT $2, s, $1, m, $3, k, e, o, v, r, d, pj
         FROM json_to_recordset(${receipts}::json) AS t (s bigint, m text, k text, e text, o text, v bigint, r text, d text, pj text)`,
  };
}

function finishParams({ receipts, head, lastSeq }: Finish): [string, number, number] {
  // One json parameter, a row per receipt (nine text[] parameters cost pg an escaping pass each).
  const rows = receipts.map(({ change, outcome }) => {
    const refused = outcome.status === 'refused';
    let payloadJson: string | null = null;
    if (refused) {
      try {
        payloadJson = safeText(JSON.stringify(change.payload ?? null) ?? 'null', Number.MAX_SAFE_INTEGER);
      } catch {
        payloadJson = '"(not JSON)"';
      }
    }
    return {
      s: change.seq,
      m: safeText(change.mutationId),
      k: safeText(change.kind),
      e: safeText(change.entityId),
      o: outcome.status,
      v: refused ? null : outcome.version,
      r: refused ? outcome.reason : null,
      d: refused ? safeText(outcome.detail, 2000) : null,
      pj: payloadJson,
    };
  });
  return [JSON.stringify(rows), head, lastSeq];
}

/** Whole-request checks: nothing is written when one fails. */
function checkRequest(changes: readonly PushedChange[]): void {
  if (!Array.isArray(changes)) throw new StoreError('bad-request', 'changes must be an array');
  if (changes.length > MAX_PUSH_CHANGES) throw new StoreError('bad-request', `at most ${MAX_PUSH_CHANGES} changes per push`);
  let previous = 0;
  for (const c of changes) {
    if (typeof c !== 'object' || c === null || !Number.isSafeInteger(c.seq) || c.seq < 1) {
      throw new StoreError('bad-request', 'every change needs a seq that is a positive integer');
    }
    if (c.seq <= previous) throw new StoreError('bad-request', `seqs must strictly increase (${c.seq} after ${previous})`);
    previous = c.seq;
  }
}

function checkShape(change: PushedChange): { ok: true; payloadJson: string } | { ok: false; detail: string } {
  const c = change as unknown as Record<string, unknown>;
  const allowed = ['seq', 'mutationId', 'kind', 'entityId', 'op', 'at', 'payload', 'officeId', 'baseVersion', 'ownOfficeOnly'];
  const extra = Object.keys(c).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return { ok: false, detail: `unknown field(s): ${extra.join(', ')}` };
  if (c['ownOfficeOnly'] !== undefined && typeof c['ownOfficeOnly'] !== 'boolean') return { ok: false, detail: 'ownOfficeOnly must be a boolean' };
  if (typeof c['mutationId'] !== 'string' || !UUID.test(c['mutationId'])) return { ok: false, detail: 'mutationId must be a UUID' };
  if (!(CHANGE_KINDS as readonly unknown[]).includes(c['kind'])) return { ok: false, detail: `unknown kind ${JSON.stringify(c['kind'])}` };
  if (!(CHANGE_OPS as readonly unknown[]).includes(c['op'])) return { ok: false, detail: `unknown op ${JSON.stringify(c['op'])}` };
  const entityId = c['entityId'];
  // [R1] The app's one id rule, for every kind: what the app cannot hold is never stored.
  if (!isRecordId(entityId)) return { ok: false, detail: `entityId must match ${String(RECORD_ID_PATTERN)}` };
  const at = c['at'];
  if (typeof at !== 'string' || !ISO_INSTANT.test(at) || Number.isNaN(Date.parse(at))) {
    return { ok: false, detail: 'at must be an ISO instant with a zone' };
  }
  const officeId = c['officeId'];
  if (officeId !== null && (typeof officeId !== 'string' || officeId.length === 0)) {
    return { ok: false, detail: 'officeId must be an office id or null' };
  }
  const baseVersion = c['baseVersion'];
  if (baseVersion !== undefined && baseVersion !== null && !(Number.isSafeInteger(baseVersion) && (baseVersion as number) >= 0)) {
    return { ok: false, detail: 'baseVersion must be a non-negative integer or null' };
  }
  const payload = c['payload'];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return { ok: false, detail: 'payload must be a JSON object' };
  let payloadJson: string;
  try {
    payloadJson = JSON.stringify(payload);
  } catch (error) {
    return { ok: false, detail: `payload is not JSON: ${(error as Error).message}` };
  }
  // [R2] A record the app could not read is refused here, not found on a phone later.
  // The 閲覧記録 too: an auditor reads who opened what, and when, from it (an op other than append
  // is refused as such next, whatever it carries).
  const problem = RECORD_KINDS.has(c['kind'] as ChangeKind)
    ? checkRecord(c['kind'] as StoredKind, entityId, payload)
    : c['kind'] === 'access' && c['op'] === 'append'
      ? checkAccessEntry(entityId, payload)
      : null;
  if (problem !== null) return { ok: false, detail: `${String(c['kind'])} ${problem.message}` };
  return { ok: true, payloadJson };
}

type TakenReceipt = {
  device_seq: string;
  mutation_id: string;
  kind: string;
  entity_id: string;
  outcome: string;
  version: string | null;
  reason: RefusalReason | null;
  detail: string | null;
};

/**
 * The receipts of the seqs this device has already had taken, by seq, in one statement: a push
 * sent again after its answer was lost is up to 1,000 of them, and one statement each was 1,000
 * round trips, perhaps under the hub's counter (takeAll runs again under it when the head moved).
 */
async function receiptsOf(ctx: PushContext, seqs: readonly number[]): Promise<Map<number, TakenReceipt>> {
  if (seqs.length === 0) return new Map();
  const rows = await ctx.tx.query<TakenReceipt>(
    'SELECT device_seq, mutation_id, kind, entity_id, outcome, version, reason, detail FROM receipts WHERE device_id = $1 AND device_seq = ANY ($2::bigint[])',
    [ctx.deviceId, seqs],
  );
  return new Map(rows.rows.map((r) => [Number(r.device_seq), r]));
}

/**
 * [S4] A seq the server has already taken gets the answer it got then, if it is the same mutation
 * of the same record. Its mutation id alone is the device's to repeat: sent again naming another
 * office's case entry, a taken answer got that entry's receipt signed back to a device never in
 * its scope [K4].
 */
function replay(r: TakenReceipt | undefined, change: PushedChange): Outcome & { retryable?: boolean } {
  const sameRecord = r !== undefined && (r.outcome === 'refused' || (r.kind === change.kind && r.entity_id === change.entityId));
  if (r === undefined || r.mutation_id !== change.mutationId || !sameRecord) {
    return {
      status: 'refused',
      reason: 'seq-conflict',
      detail: `seq ${change.seq} of this device was already used by mutation ${r?.mutation_id ?? '(unknown)'}`,
      retryable: false,
    };
  }
  if (r.outcome === 'refused') return { status: 'refused', reason: r.reason ?? 'invalid', detail: r.detail ?? '', retryable: false };
  return { status: 'duplicate', version: Number(r.version) };
}

/**
 * Text the database can always store (no NUL, no lone surrogate: json_to_recordset refuses its
 * escape), cut to a length, whatever the device sent.
 */
function safeText(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.replaceAll('\u0000', '\\u0000').slice(0, max).toWellFormed();
}


function asObject(value: Json | undefined): { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { readonly [key: string]: Json }) : {};
}

/** The bed report's time when it is after `receivedAt` by more than the clock tolerance, else null. */
function reportedAfter(payload: unknown, receivedAt: Date): string | null {
  const vacancy = (payload as { vacancy?: { asOf?: unknown } | null } | null)?.vacancy;
  const asOf = vacancy?.asOf;
  if (typeof asOf !== 'string') return null;
  return Date.parse(asOf) > receivedAt.getTime() + EVIDENCE_CLOCK_TOLERANCE_MS ? asOf : null;
}
