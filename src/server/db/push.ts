/**
 * applyPush: takes one device's changes into the change log, in one transaction, answering each
 * change on its own. The rules [S2]-[S11] are in docs/hub-server.md; the comments say why.
 */
import type pg from 'pg';
import type { PushOptions } from './account-store';
import { checkEvidence } from './evidence';
import { mergeRecord, type Json } from './merge';
import {
  APPEND_ONLY_KINDS,
  CHANGE_KINDS,
  MERGED_KINDS,
  CHANGE_OPS,
  RECORD_KINDS,
  StoreError,
  type ChangeResult,
  type PushedChange,
  type RefusalReason,
} from './store';

/** A push larger than this is refused whole: the device sends its outbox in batches. */
export const MAX_PUSH_CHANGES = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

type Outcome =
  | { readonly status: 'accepted' | 'duplicate'; readonly version: number }
  | { readonly status: 'refused'; readonly reason: RefusalReason; readonly detail: string };

interface PushContext {
  readonly tx: pg.PoolClient;
  readonly tenantId: string;
  readonly deviceId: string;
  readonly userId: string;
}

export async function applyPush(
  pool: pg.Pool,
  deviceId: string,
  userId: string,
  changes: readonly PushedChange[],
  options: PushOptions = {},
): Promise<ChangeResult[]> {
  checkRequest(changes);
  const tx = await pool.connect();
  try {
    await tx.query('BEGIN');
    const device = await tx.query<{ tenant_id: string; user_id: string; disabled: boolean; user_disabled: boolean; last_seq: string }>(
      `SELECT d.tenant_id, d.user_id, d.disabled, u.disabled AS user_disabled, d.last_seq
         FROM devices d JOIN users u ON u.id = d.user_id
        WHERE d.id = $1
          FOR UPDATE OF d`,
      [deviceId],
    );
    const row = device.rows[0];
    if (row === undefined) throw new StoreError('unknown-device', `device ${deviceId} is not registered`);
    if (row.user_id !== userId) throw new StoreError('forbidden', `device ${deviceId} is registered to another user`);
    // A retired device may still send its last evidence (POST /api/sync/retire); the sync service
    // passes only append-only kinds then.
    if (options.retiring !== true) {
      if (row.disabled) throw new StoreError('device-disabled', `device ${deviceId} is disabled`);
      if (row.user_disabled) throw new StoreError('user-disabled', `user ${userId} is disabled`);
    }
    // [S2] Pushes queue on the counter row from here to COMMIT, so versions are handed out in
    // commit order. Taken before any check so that two devices racing with the same mutation id
    // or evidence id see each other's commit instead of failing on a unique index.
    await tx.query('SELECT version FROM sync_counter FOR UPDATE');

    const ctx: PushContext = { tx, tenantId: row.tenant_id, deviceId, userId };
    let lastSeq = Number(row.last_seq);
    const results: ChangeResult[] = [];
    for (const change of changes) {
      const base = { seq: change.seq, mutationId: String(change.mutationId) };
      if (change.seq <= lastSeq) {
        results.push({ ...base, ...(await replay(ctx, change)) } as ChangeResult);
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
      const outcome = await takeInSavepoint(ctx, change);
      await writeReceipt(ctx, change, outcome);
      lastSeq = change.seq;
      results.push(
        outcome.status === 'refused' ? { ...base, ...outcome, retryable: false } : ({ ...base, ...outcome } as ChangeResult),
      );
    }
    await tx.query('UPDATE devices SET last_seq = $2, last_seen_at = now() WHERE id = $1', [deviceId, lastSeq]);
    await tx.query('COMMIT');
    return results;
  } catch (error) {
    await tx.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    tx.release();
  }
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

/**
 * [S11] One bad change must not take the push down with it: the change runs inside a savepoint,
 * and a data error the database raises about it (class 22: not storable, e.g. a NUL in JSON;
 * class 23: a constraint) refuses that change only. Anything else (connection lost) aborts the
 * push, which the device retries whole.
 */
async function takeInSavepoint(ctx: PushContext, change: PushedChange): Promise<Outcome> {
  await ctx.tx.query('SAVEPOINT change');
  try {
    const outcome = await take(ctx, change);
    await ctx.tx.query('RELEASE SAVEPOINT change');
    return outcome;
  } catch (error) {
    if (error instanceof Refused) {
      await ctx.tx.query('ROLLBACK TO SAVEPOINT change');
      return { status: 'refused', reason: error.reason, detail: error.message };
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string' || !(code.startsWith('22') || code.startsWith('23'))) throw error;
    await ctx.tx.query('ROLLBACK TO SAVEPOINT change');
    return { status: 'refused', reason: 'invalid', detail: `not storable: ${(error as Error).message}` };
  }
}

/** A refusal found after the change was partly written: its savepoint is rolled back. */
class Refused extends Error {
  constructor(
    readonly reason: RefusalReason,
    detail: string,
  ) {
    super(detail);
  }
}

async function take(ctx: PushContext, change: PushedChange): Promise<Outcome> {
  const shape = checkShape(change);
  if (!shape.ok) return { status: 'refused', reason: 'invalid', detail: shape.detail };
  const { kind, op, entityId, mutationId } = change;
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
  const prior = await ctx.tx.query<{ version: string; same: boolean }>(
    `SELECT version, (kind = $3 AND entity_id = $4 AND op = $5 AND payload = $6::jsonb) AS same
       FROM changes WHERE tenant_id = $1 AND mutation_id = $2`,
    [ctx.tenantId, mutationId, kind, entityId, op, shape.payloadJson],
  );
  const held = prior.rows[0];
  if (held !== undefined) {
    return held.same
      ? { status: 'duplicate', version: Number(held.version) }
      : { status: 'refused', reason: 'mutation-conflict', detail: `mutation ${mutationId} was accepted with other content (version ${held.version})` };
  }
  if (kind === 'case-entry') {
    // [S8] then [S7]
    const check = await checkEvidence(entityId, change.payload);
    if (!check.ok) return { status: 'refused', reason: check.reason, detail: check.detail };
    const evidence = await ctx.tx.query<{ hash: string; version: string }>(
      'SELECT hash, version FROM evidence WHERE tenant_id = $1 AND id = $2',
      [ctx.tenantId, entityId],
    );
    const stored = evidence.rows[0];
    if (stored !== undefined) {
      return stored.hash === check.hash
        ? { status: 'duplicate', version: Number(stored.version) }
        : {
            status: 'refused',
            reason: 'evidence-conflict',
            detail: `evidence ${entityId} is held with hash ${stored.hash} (version ${stored.version}); this one has ${check.hash}`,
          };
    }
  }

  const counter = await ctx.tx.query<{ version: string }>('UPDATE sync_counter SET version = version + 1 RETURNING version');
  const version = Number(counter.rows[0]!.version);
  // [S9] received_at is the server's clock (now(): the transaction's start); the device's `at` is kept as device_at.
  await ctx.tx.query(
    `INSERT INTO changes (version, tenant_id, device_id, device_seq, mutation_id, user_id, kind, entity_id, op, payload, device_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11)`,
    [version, ctx.tenantId, ctx.deviceId, change.seq, mutationId, ctx.userId, kind, entityId, op, shape.payloadJson, change.at],
  );
  if (kind === 'case-entry') {
    const { caseId, hash } = change.payload as { caseId: string; hash: string };
    await ctx.tx.query(
      'INSERT INTO evidence (tenant_id, id, case_id, hash, version, received_at) VALUES ($1, $2, $3, $4, $5, now())',
      [ctx.tenantId, entityId, caseId, hash, version],
    );
  }
  if (MERGED_KINDS.has(kind)) {
    const merged = await mergeWithHeld(ctx, change, shape.payloadJson, version);
    // The version and the change row go back with the savepoint.
    if (!merged.ok) throw new Refused('invalid', merged.detail);
  } else if (RECORD_KINDS.has(kind)) {
    await upsertRecord(ctx, change, version, shape.payloadJson, op === 'withdraw');
  }
  return { status: 'accepted', version };
}

function checkShape(change: PushedChange): { ok: true; payloadJson: string } | { ok: false; detail: string } {
  const c = change as unknown as Record<string, unknown>;
  const allowed = ['seq', 'mutationId', 'kind', 'entityId', 'op', 'at', 'payload', 'officeId', 'baseVersion'];
  const extra = Object.keys(c).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return { ok: false, detail: `unknown field(s): ${extra.join(', ')}` };
  if (typeof c['mutationId'] !== 'string' || !UUID.test(c['mutationId'])) return { ok: false, detail: 'mutationId must be a UUID' };
  if (!(CHANGE_KINDS as readonly unknown[]).includes(c['kind'])) return { ok: false, detail: `unknown kind ${JSON.stringify(c['kind'])}` };
  if (!(CHANGE_OPS as readonly unknown[]).includes(c['op'])) return { ok: false, detail: `unknown op ${JSON.stringify(c['op'])}` };
  const entityId = c['entityId'];
  if (typeof entityId !== 'string' || entityId.length === 0 || entityId.length > 200) {
    return { ok: false, detail: 'entityId must be a string of 1-200 characters' };
  }
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
  return { ok: true, payloadJson };
}

/** [S4] A seq the server has already taken gets the answer it got then, if it is the same mutation. */
async function replay(ctx: PushContext, change: PushedChange): Promise<Outcome & { retryable?: boolean }> {
  const receipt = await ctx.tx.query<{ mutation_id: string; outcome: string; version: string | null; reason: RefusalReason | null; detail: string | null }>(
    'SELECT mutation_id, outcome, version, reason, detail FROM receipts WHERE device_id = $1 AND device_seq = $2',
    [ctx.deviceId, change.seq],
  );
  const r = receipt.rows[0];
  if (r === undefined || r.mutation_id !== change.mutationId) {
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

async function writeReceipt(ctx: PushContext, change: PushedChange, outcome: Outcome): Promise<void> {
  const refused = outcome.status === 'refused';
  let payloadJson: string | null = null;
  if (refused) {
    try {
      payloadJson = JSON.stringify(change.payload ?? null) ?? 'null';
    } catch {
      payloadJson = '"(not JSON)"';
    }
  }
  await ctx.tx.query(
    `INSERT INTO receipts (device_id, device_seq, tenant_id, mutation_id, user_id, kind, entity_id, outcome, version, reason, detail, payload_json)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      ctx.deviceId,
      change.seq,
      ctx.tenantId,
      safeText(change.mutationId),
      ctx.userId,
      safeText(change.kind),
      safeText(change.entityId),
      outcome.status,
      refused ? null : outcome.version,
      refused ? outcome.reason : null,
      refused ? safeText(outcome.detail, 2000) : null,
      payloadJson,
    ],
  );
}

/** Text the database can always store (no NUL), cut to a length, whatever the device sent. */
function safeText(value: unknown, max = 200): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return text.replaceAll('\u0000', '\\u0000').slice(0, max);
}

async function upsertRecord(ctx: PushContext, change: PushedChange, version: number, payloadJson: string, withdrawn: boolean): Promise<void> {
  await ctx.tx.query(
    `INSERT INTO records (tenant_id, kind, entity_id, version, office_id, withdrawn, payload_json, updated_by, received_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
     ON CONFLICT (tenant_id, kind, entity_id) DO UPDATE
       SET version = EXCLUDED.version, office_id = EXCLUDED.office_id, withdrawn = EXCLUDED.withdrawn,
           payload_json = EXCLUDED.payload_json, updated_by = EXCLUDED.updated_by, received_at = EXCLUDED.received_at`,
    [ctx.tenantId, change.kind, change.entityId, version, change.officeId, withdrawn, payloadJson, ctx.userId],
  );
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
async function mergeWithHeld(
  ctx: PushContext,
  change: PushedChange,
  payloadJson: string,
  version: number,
): Promise<{ ok: true } | { ok: false; detail: string }> {
  const { kind, entityId } = change;
  const heldRow = (
    await ctx.tx.query<{ version: string; payload_json: string; withdrawn: boolean }>(
      'SELECT version, payload_json, withdrawn FROM records WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3',
      [ctx.tenantId, kind, entityId],
    )
  ).rows[0];
  const withdrawn = change.op === 'withdraw' || (heldRow?.withdrawn ?? false);
  let stateJson = payloadJson;
  if (heldRow !== undefined) {
    const heldVersion = Number(heldRow.version);
    const own = (
      await ctx.tx.query<{ version: string; payload: unknown }>(
        `SELECT version, payload FROM changes
          WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3 AND device_id = $4 AND version < $5
          ORDER BY version DESC LIMIT 1`,
        [ctx.tenantId, kind, entityId, ctx.deviceId, version],
      )
    ).rows[0];
    const baseVersion = change.baseVersion ?? null;
    const ownVersion = own === undefined ? null : Number(own.version);
    if (baseVersion !== null && baseVersion > heldVersion) {
      return { ok: false, detail: `baseVersion ${baseVersion} is later than the record's version ${heldVersion}` };
    }
    let base: Json | undefined;
    let basedOn: number | null;
    if (ownVersion !== null && (baseVersion === null || ownVersion > baseVersion)) {
      basedOn = ownVersion;
      base = own!.payload as Json;
    } else if (baseVersion !== null) {
      basedOn = baseVersion;
      const row = (
        await ctx.tx.query<{ payload_json: string }>(
          'SELECT payload_json FROM record_versions WHERE tenant_id = $1 AND kind = $2 AND entity_id = $3 AND version = $4',
          [ctx.tenantId, kind, entityId, baseVersion],
        )
      ).rows[0];
      if (row === undefined) return { ok: false, detail: `baseVersion ${baseVersion} is not a version of ${kind} ${entityId}` };
      base = JSON.parse(row.payload_json) as Json;
    } else {
      basedOn = null;
      base = {};
    }
    if (basedOn !== heldVersion) {
      const { merged, conflicts } = mergeRecord(asObject(base), asObject(JSON.parse(heldRow.payload_json) as Json), asObject(change.payload as Json));
      stateJson = JSON.stringify(merged);
      for (const c of conflicts) {
        await ctx.tx.query(
          `INSERT INTO conflicts (tenant_id, kind, entity_id, field, base_version, kept_version, kept_value, lost_version, lost_value, office_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9::jsonb, $10)`,
          [ctx.tenantId, kind, entityId, c.path, basedOn, heldVersion, JSON.stringify(c.kept ?? null), version, JSON.stringify(c.lost ?? null), change.officeId],
        );
      }
    }
  }
  await upsertRecord(ctx, change, version, stateJson, withdrawn);
  await ctx.tx.query(
    'INSERT INTO record_versions (tenant_id, kind, entity_id, version, payload_json) VALUES ($1, $2, $3, $4, $5)',
    [ctx.tenantId, kind, entityId, version, stateJson],
  );
  return { ok: true };
}

function asObject(value: Json | undefined): { readonly [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { readonly [key: string]: Json }) : {};
}
