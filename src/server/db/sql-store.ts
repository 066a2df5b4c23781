/**
 * The Store over a pg pool: the one SQL implementation behind both the PostgreSQL of DATABASE_URL
 * and the embedded PostgreSQL. A commit is acknowledged only after PostgreSQL has flushed its WAL
 * (fsync and synchronous_commit on), so an acknowledged write survives a crash [S12].
 */
import type pg from 'pg';
import { MAX_PULL_LIMIT } from '../../protocol/sync';
import { clearTotpSecrets, sealTotpSecrets, SqlAccountStore } from './account-sql';
import type { PushOptions } from './account-store';
import * as deviceUsers from './device-users';
import { migrate } from './migrate';
import { inTransaction } from './transaction';
import { copyJsonLines, countLines, splitFirstLine, sqlInt, sqlLiteral, sqlTextArray } from './copy-out';
import { applyPush } from './push';
import type { StoredKind } from '../../protocol/records';
import { listAudit, listRecords, putHubOffice, withdrawRecord, type AdminRecord, type AuditEntry, type WithdrawRecord } from './record-admin';
import { countHubAccess, listAccountChanges, listAuditTrail, listDeviceSignIns, withAccountAudit, type AccountAudit, type AccountChange, type AuditTrailEntry, type DeviceSignIn } from './account-audit';
import { listAccessLog, type AccessLogFilter, type HeldAccessEntry } from './access-log';
import {
  clearSigningKey,
  countersign,
  heldReceipts,
  newestReceiptKey,
  resealSigningKey,
  signingKey,
  type ClearSecretSeal,
  type ClearSecretStore,
  type ReceiptSigner,
  type SealedCount,
} from './countersign';
import { readHubEpoch, renewHubEpoch, type HubEpoch, type MarkedCursor } from './epoch';
import type { EvidenceReceipt } from '../../protocol/countersign';
import {
  StoreError,
  type ChangeResult,
  type KeptEvidence,
  type PulledRecord,
  type PullAnswer,
  type PullPage,
  type PullScope,
  type PushedChange,
  type Conflict,
  type Refusal,
  type RefusalReason,
  type Store,
  type StoreHealth,
} from './store';


/** The store's health as /healthz reads it, with why it is not ok when the database takes no writes. */
export interface SqlStoreHealth extends StoreHealth {
  /**
   * PostgreSQL takes no writes: a standby (pg_is_in_recovery(): DATABASE_URL reaches the old
   * primary after a failover, or a replica), or default_transaction_read_only is on. Not ok then:
   * every push and sign-in would fail.
   */
  readonly readOnly: boolean;
}

/** The accounts half (SqlAccountStore, account-sql.ts) is the base class; this is the sync half. */
export class SqlStore extends SqlAccountStore implements Store, ClearSecretStore {
  /** The check under way: /healthz asked again meanwhile waits for it rather than queueing another. */
  private healthCheck: Promise<SqlStoreHealth> | undefined;

  constructor(
    pool: pg.Pool,
    private readonly engine: StoreHealth['engine'],
    private readonly onClose: () => Promise<void> = async () => undefined,
    /** /healthz's own connection, with a short limit (postgres-store.ts); the store's pool without one */
    private readonly healthPool: pg.Pool = pool,
  ) {
    super(pool);
  }

  migrate(): ReturnType<Store['migrate']> {
    return migrate(this.pool);
  }

  async createTenant(t: { id: string; name: string }, audit?: AccountAudit): Promise<void> {
    await withAccountAudit(this.pool, audit, async (db) => {
      await this.write('INSERT INTO tenants (id, name) VALUES ($1, $2)', [t.id, t.name], db);
      return t.id;
    });
  }

  async hubExists(tenantId: string): Promise<boolean> {
    const rows = await this.pool.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    return rows.rows.length > 0;
  }

  async createOffice(o: { id: string; tenantId: string; name: string }): Promise<void> {
    await this.write('INSERT INTO offices (id, tenant_id, name) VALUES ($1, $2, $3)', [o.id, o.tenantId, o.name]);
  }

  async createUser(u: Parameters<Store['createUser']>[0], audit?: AccountAudit): Promise<void> {
    await withAccountAudit(this.pool, audit, async (db) => {
      // An office of another hub is not this user's (office ids are unique across hubs, and the
      // scope checks know only the user's own hub's offices): refused as not found.
      const made = await this.write(
        `INSERT INTO users (id, tenant_id, role, login_name, display_name, office_id, facility_id, password_hash, totp_secret)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9
          WHERE $6::text IS NULL OR EXISTS (SELECT 1 FROM offices WHERE id = $6 AND tenant_id = $2)`,
        [
          u.id,
          u.tenantId,
          u.role,
          u.loginName,
          u.displayName,
          u.officeId ?? null,
          u.facilityId ?? null,
          u.credentials?.passwordHash ?? null,
          u.credentials?.totpSecret ?? null,
        ],
        db,
      );
      if (made.rowCount === 0) throw new StoreError('not-found', `no office ${u.officeId ?? ''} in hub ${u.tenantId}`);
      return u.tenantId;
    });
  }

  async registerDevice(d: { id: string; userId: string; name?: string }): Promise<void> {
    // The device and its first user (device_users, A6) in one statement.
    const result = await this.write(
      `WITH d AS (INSERT INTO devices (id, tenant_id, user_id, name) SELECT $1, tenant_id, id, $3 FROM users WHERE id = $2 RETURNING id, user_id)
       INSERT INTO device_users (device_id, user_id) SELECT id, user_id FROM d`,
      [d.id, d.userId, d.name ?? ''],
    );
    if (result.rowCount === 0) throw new StoreError('not-found', `no user ${d.userId}`);
  }

  enrolDeviceUser(d: deviceUsers.EnrolDeviceUser) {
    return deviceUsers.enrolDeviceUser(this.pool, d);
  }

  findDeviceUser(deviceId: string, userId: string) {
    return deviceUsers.findDeviceUser(this.pool, deviceId, userId);
  }

  listDeviceUsers(deviceId: string) {
    return deviceUsers.listDeviceUsers(this.pool, deviceId);
  }

  useDeviceToken(deviceId: string, tokenHash: string, at: Date) {
    return deviceUsers.useDeviceToken(this.pool, deviceId, tokenHash, at);
  }

  reserveTokenAttempt(deviceId: string, at: Date) {
    return deviceUsers.reserveTokenAttempt(this.pool, deviceId, at);
  }

  clearTokenFailures(deviceId: string) {
    return deviceUsers.clearTokenFailures(this.pool, deviceId);
  }

  lockTokensIfDue(deviceId: string, at: Date) {
    return deviceUsers.lockTokensIfDue(this.pool, deviceId, at);
  }

  revokeDeviceUser(deviceId: string, userId: string, at: Date, audit?: AccountAudit) {
    return deviceUsers.revokeDeviceUser(this.pool, deviceId, userId, at, audit);
  }

  handOverDevice(deviceId: string, userId: string, audit?: AccountAudit) {
    return deviceUsers.handOverDevice(this.pool, deviceId, userId, audit);
  }

  async setDisabled(what: 'user' | 'device', id: string, disabled: boolean, audit?: AccountAudit): Promise<boolean> {
    const table = what === 'user' ? 'users' : 'devices';
    return withAccountAudit(this.pool, audit, async (db) => {
      const result = await db.query<{ tenant_id: string }>(`UPDATE ${table} SET disabled = $2 WHERE id = $1 AND disabled IS DISTINCT FROM $2 RETURNING tenant_id`, [
        id,
        disabled,
      ]);
      if (result.rows[0] !== undefined) return result.rows[0].tenant_id;
      // Already so: nothing changed, and no audit row says it did (with a date that is not the stop's).
      if ((await db.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount === 0) throw new StoreError('not-found', `no ${what} ${id}`);
      return null;
    });
  }

  applyPush(deviceId: string, userId: string, changes: readonly PushedChange[], options?: PushOptions): Promise<readonly ChangeResult[]> {
    return applyPush(this.pool, deviceId, userId, changes, options);
  }

  countersign(tenantId: string, entryIds: readonly string[], signer: ReceiptSigner): Promise<readonly EvidenceReceipt[]> {
    return countersign(this.pool, tenantId, entryIds, signer);
  }

  heldReceipts(tenantId: string, entryIds: readonly string[]): Promise<readonly EvidenceReceipt[]> {
    return heldReceipts(this.pool, tenantId, entryIds);
  }

  signingKey(candidate: string | null): Promise<string | null> {
    return signingKey(this.pool, candidate);
  }
  newestReceiptKey(): Promise<string | null> {
    return newestReceiptKey(this.pool);
  }

  async sealClearSecrets(seal: ClearSecretSeal): Promise<SealedCount> {
    // Looked for without a lock first: a start with nothing in clear (every one after the first with
    // a key) writes and locks nothing, so a standby behind DATABASE_URL is not refused for it.
    if ((await clearSigningKey(this.pool, false)) === null && (await clearTotpSecrets(this.pool, false)).length === 0) return { signingKey: 0, totpSecrets: 0 };
    return inTransaction(this.pool, async (db) => {
      const key = await clearSigningKey(db, true);
      const signingKey = key !== null && (await resealSigningKey(db, key, seal.signingKey(key))) ? 1 : 0;
      const totp = await clearTotpSecrets(db, true);
      const totpSecrets = await sealTotpSecrets(db, totp.map((t) => ({ ...t, sealed: seal.totpSecret(t.userId, t.clear) })));
      return { signingKey, totpSecrets };
    });
  }

  hubEpoch(tenantId: string): Promise<HubEpoch> {
    return readHubEpoch(this.pool, tenantId);
  }

  renewEpoch(): Promise<string> {
    return renewHubEpoch(this.pool);
  }

  async pullSince(cursor: number, scope: PullScope, limit: number): Promise<PullPage> {
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new StoreError('bad-request', 'cursor must be a non-negative integer');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
      throw new StoreError('bad-request', `limit must be 1-${MAX_PULL_LIMIT}`);
    }
    const all = scope.officeIds === 'all';
    // [S2] One statement, so one snapshot for the hub's head and the rows (and one round trip):
    // every version of the hub up to its head is committed (its versions follow commit order), so
    // a page that is not full may move the cursor to the head. The head comes on every row, and
    // on a row of nulls when the page is empty.
    const result = await this.pool.query<{
      head: string;
      kind: PulledRecord['kind'] | null;
      entity_id: string;
      version: string;
      office_id: string | null;
      withdrawn: boolean;
      payload_json: string;
    }>(
      `SELECT h.head, r.kind, r.entity_id, r.version, r.office_id, r.withdrawn, r.payload_json
         FROM (SELECT coalesce((SELECT version FROM sync_heads WHERE tenant_id = $1), 0) AS head) AS h
         LEFT JOIN LATERAL (
           SELECT kind, entity_id, version, office_id, withdrawn, payload_json FROM records
            WHERE tenant_id = $1 AND version > $2
              AND ($3::boolean OR office_id IS NULL OR office_id = ANY ($4::text[]))
              AND ($6::text IS NULL OR (kind = 'facility' AND entity_id = $6))
            ORDER BY version
            LIMIT $5
         ) AS r ON true
        ORDER BY r.version`,
      [scope.tenantId, cursor, all, all ? [] : scope.officeIds, limit + 1, scope.facilityId ?? null],
    );
    const head = Number(result.rows[0]!.head);
    const rows = { rows: result.rows.filter((r): r is typeof r & { kind: PulledRecord['kind'] } => r.kind !== null) };
    const hasMore = rows.rows.length > limit;
    const records = rows.rows.slice(0, limit).map(
      (r): PulledRecord => ({
        kind: r.kind,
        entityId: r.entity_id,
        version: Number(r.version),
        officeId: r.office_id,
        withdrawn: r.withdrawn,
        payloadJson: r.payload_json,
      }),
    );
    const next = hasMore ? records.at(-1)!.version : Math.max(head, cursor);
    return { records, cursor: next, hasMore };
  }

  async pullAnswer(
    cursor: { readonly epoch: string | null; readonly version: number },
    scope: PullScope,
    limit: number,
    timeline?: { readonly marked?: MarkedCursor },
  ): Promise<PullAnswer> {
    if (!Number.isSafeInteger(cursor.version) || cursor.version < 0) throw new StoreError('bad-request', 'cursor must be a non-negative integer');
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
      throw new StoreError('bad-request', `limit must be 1-${MAX_PULL_LIMIT}`);
    }
    // [S15] A marked cursor is of another timeline when its version is beyond the head, or the
    // change or record the hub holds at that version was received after the mark: the one the
    // device saw was committed before the mark, and a database put back to an earlier point hands
    // that version out again, later. Its floor is then the last version received before the mark:
    // the backup held every version up to it (each was committed before the device's cursor, which
    // the backup lacks), and every version written since the database was put back was received
    // after it. This takes the hub's clock to run forward across the restore (NTP on the
    // database's machine); without a mark nothing is checked.
    // [S2] One statement, so one snapshot for the epoch, the hub's head, the rows and the open
    // conflicts (and one round trip), as pullSince: the function pull_page (migration 18, where
    // PostgreSQL keeps its plan for the session; replaced by migration 21) called by a COPY
    // (copy-out.ts). Its first line is the page's facts as JSON, each later line ',' and one record
    // as the JSON text of a WireRecord (built once, when the record was written: migration 16), or,
    // for a scope of offices, a removal of a record that left one of them [S10] (migration 21: R4's
    // form, in version order with the records and counted with them), handed over as
    // PostgreSQL's bytes. The hub writes those bytes into its answer as they are (a newline between
    // array elements is JSON's whitespace): no decoding, no parse, no stringify, no encoding. COPY
    // takes no parameters, so the function's arguments are literals (sqlLiteral, sqlInt). The two
    // parts come in the function's UNION ALL's order (the store's connections run no parallel
    // plans: postgres-store.ts); the facts line and the count of record lines are checked all the
    // same.
    const all = scope.officeIds === 'all';
    const marked = timeline?.marked;
    const chunks = await copyJsonLines(
      this.pool,
      `SELECT * FROM pull_page(${sqlLiteral(scope.tenantId)}, ${all ? 'true' : 'false'}, ${sqlTextArray(all ? [] : scope.officeIds)},
                               ${sqlLiteral(scope.facilityId ?? null)}, ${sqlLiteral(cursor.epoch)}, ${sqlInt(cursor.version)},
                               ${sqlInt(marked?.version ?? null)}, ${sqlInt(marked?.mark ?? null)}, ${sqlInt(limit)})`,
    );
    // No line at all: hub_epoch has no row, so neither part had one.
    if (chunks.length === 0) throw new Error('hub_epoch has no row: the database was not migrated (migration 14)');
    const { first, rest } = splitFirstLine(chunks);
    const facts = JSON.parse(first.toString('utf8')) as {
      epoch?: string;
      floor: string | null;
      epochChanged: boolean;
      head: number;
      diverged: boolean;
      mark: number;
      divergedFloor: number | null;
      fetched: number;
      last: number | null;
      entries: string[];
      openConflicts: number;
    } | null;
    if (facts === null || typeof facts !== 'object' || facts.epoch === undefined) {
      throw new Error('pull page: its facts did not come first');
    }
    if (countLines(rest) !== Math.min(facts.fetched, limit)) throw new Error('pull page: the records do not match the page counted');
    // Every record line starts with ','; the first one's is dropped.
    const records = rest.length > 0 && rest[0]![0] === 0x2c ? [rest[0]!.subarray(1), ...rest.slice(1)] : rest;
    const fetched = facts.fetched;
    const hasMore = fetched > limit;
    const from = facts.epochChanged || facts.diverged ? 0 : cursor.version;
    return {
      records,
      count: Math.min(fetched, limit),
      // A page that is not full moves the cursor to the head: every version up to it is committed [S2].
      cursor: hasMore ? Number(facts.last) : Math.max(facts.head, from),
      hasMore,
      caseEntryIds: facts.entries,
      epoch: facts.epoch,
      floor: facts.floor === null ? 0 : Number(facts.floor),
      epochChanged: facts.epochChanged,
      openConflicts: facts.openConflicts,
      ...(timeline === undefined
        ? {}
        : { timeline: { head: facts.head, mark: facts.mark, diverged: facts.diverged ? { floor: facts.divergedFloor ?? 0 } : null } }),
    };
  }

  async listRefusals(tenantId: string, limit = 100): Promise<readonly Refusal[]> {
    const rows = await this.pool.query<{
      device_id: string;
      device_seq: string;
      mutation_id: string;
      user_id: string;
      kind: string;
      entity_id: string;
      reason: RefusalReason;
      detail: string;
      payload_json: string;
      received_at: Date;
    }>(
      `SELECT device_id, device_seq, mutation_id, user_id, kind, entity_id, reason, detail, payload_json, received_at
         FROM receipts WHERE tenant_id = $1 AND outcome = 'refused'
        ORDER BY received_at DESC, device_id, device_seq DESC LIMIT $2`,
      [tenantId, limit],
    );
    return rows.rows.map((r) => ({
      deviceId: r.device_id,
      seq: Number(r.device_seq),
      mutationId: r.mutation_id,
      userId: r.user_id,
      kind: r.kind,
      entityId: r.entity_id,
      reason: r.reason,
      detail: r.detail,
      payloadJson: r.payload_json,
      receivedAt: r.received_at.toISOString(),
    }));
  }

  async listConflicts(scope: PullScope, limit = 200): Promise<readonly Conflict[]> {
    const rows = await this.pool.query<{
      id: string;
      kind: Conflict['kind'];
      entity_id: string;
      field: string;
      base_version: string | null;
      kept_version: string;
      kept_value: unknown;
      lost_version: string;
      lost_value: unknown;
      kept_by: string | null;
      lost_by: string | null;
      created_at: Date;
    }>(
      `SELECT c.id, c.kind, c.entity_id, c.field, c.base_version, c.kept_version, c.kept_value, c.lost_version, c.lost_value,
              ku.display_name AS kept_by, lu.display_name AS lost_by, c.created_at
         FROM conflicts c
         LEFT JOIN changes kc ON kc.tenant_id = c.tenant_id AND kc.version = c.kept_version LEFT JOIN users ku ON ku.id = kc.user_id
         LEFT JOIN changes lc ON lc.tenant_id = c.tenant_id AND lc.version = c.lost_version LEFT JOIN users lu ON lu.id = lc.user_id
        WHERE c.tenant_id = $1 AND c.resolved_at IS NULL AND ${conflictScope('c', 2)}
        ORDER BY c.id LIMIT $5`,
      [...scopeParams(scope), limit],
    );
    return rows.rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      entityId: r.entity_id,
      field: r.field,
      baseVersion: r.base_version === null ? null : Number(r.base_version),
      keptVersion: Number(r.kept_version),
      keptValue: r.kept_value,
      lostVersion: Number(r.lost_version),
      lostValue: r.lost_value,
      keptBy: r.kept_by ?? '',
      lostBy: r.lost_by ?? '',
      createdAt: r.created_at.toISOString(),
    }));
  }

  async countOpenConflicts(scope: PullScope): Promise<number> {
    const row = await this.pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM conflicts c WHERE c.tenant_id = $1 AND c.resolved_at IS NULL AND ${conflictScope('c', 2)}`,
      scopeParams(scope),
    );
    return Number(row.rows[0]!.n);
  }

  async resolveConflict(scope: PullScope, conflictId: string, userId: string, kinds: readonly string[]): Promise<void> {
    if (!/^\d{1,18}$/.test(conflictId)) throw new StoreError('not-found', `no open conflict ${conflictId}`);
    const result = await this.pool.query(
      `UPDATE conflicts c SET resolved_at = now(), resolved_by = $5
        WHERE c.tenant_id = $1 AND c.resolved_at IS NULL AND ${conflictScope('c', 2)} AND c.id = $6 AND c.kind = ANY ($7::text[])`,
      [...scopeParams(scope), userId, conflictId, kinds],
    );
    if (result.rowCount === 0) throw new StoreError('not-found', `no open conflict ${conflictId} of a kind this user writes`);
  }

  listRecords(tenantId: string, kind?: StoredKind): Promise<readonly AdminRecord[]> {
    return listRecords(this.pool, tenantId, kind);
  }

  withdrawRecord(w: WithdrawRecord): Promise<{ readonly version: number }> {
    return withdrawRecord(this.pool, w);
  }

  putHubOffice(tenantId: string, office: { readonly id: string; readonly name: string }, audit?: AccountAudit): Promise<{ readonly version: number }> {
    return putHubOffice(this.pool, tenantId, office, audit);
  }

  listAudit(tenantId: string): Promise<readonly AuditEntry[]> {
    return listAudit(this.pool, tenantId);
  }

  listAuditTrail(tenantId: string, limit = 100): Promise<readonly AuditTrailEntry[]> {
    return listAuditTrail(this.pool, tenantId, limit);
  }

  listAccountChanges(): Promise<readonly AccountChange[]> {
    return listAccountChanges(this.pool);
  }

  listDeviceSignIns(): Promise<readonly DeviceSignIn[]> {
    return listDeviceSignIns(this.pool);
  }

  listAccessLog(tenantId: string, filter: AccessLogFilter): Promise<readonly HeldAccessEntry[]> {
    return listAccessLog(this.pool, tenantId, filter);
  }

  async listKeptEvidence(): Promise<KeptEvidence> {
    const keys = async (sql: string) => (await this.pool.query<{ key: string }>(sql)).rows.map((r) => r.key);
    return {
      caseEntries: await keys(`SELECT tenant_id || chr(1) || id AS key FROM evidence`),
      monthCloses: await keys(`SELECT tenant_id || chr(1) || entity_id AS key FROM records WHERE kind = 'month-close' AND NOT withdrawn`),
      accessEntries: (await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM changes WHERE kind = 'access'`)).rows[0]!.n,
      hubAccess: await countHubAccess(this.pool),
    };
  }

  /**
   * Whether the database answers and takes writes, within HEALTH_TIMEOUT_MS (postgres-store.ts)
   * whatever the store's pool is doing: /healthz and the check for a newer schema (hub.ts).
   */
  health(): Promise<SqlStoreHealth> {
    this.healthCheck ??= this.readHealth().finally(() => (this.healthCheck = undefined));
    return this.healthCheck;
  }

  private async readHealth(): Promise<SqlStoreHealth> {
    for (let attempt = 1; ; attempt++) {
      try {
        const row = (
          await this.healthPool.query<{ schema: number | null; head: string; read_only: boolean }>(
            `SELECT (SELECT max(version) FROM schema_migrations) AS schema, (SELECT coalesce(max(version), 0) FROM sync_heads) AS head,
                    pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only`,
          )
        ).rows[0]!;
        return { ok: !row.read_only, engine: this.engine, schemaVersion: row.schema ?? 0, headVersion: Number(row.head), readOnly: row.read_only };
      } catch (error) {
        // The check's connection, kept open between checks, was ended meanwhile (PostgreSQL
        // restarted, a failover, an admin): that says nothing of the database now. Once more, on a new one.
        if (attempt === 1 && endedWhileIdle(error)) continue;
        return { ok: false, engine: this.engine, schemaVersion: 0, headVersion: 0, readOnly: false };
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
    if (this.healthPool !== this.pool) await this.healthPool.end().catch(() => undefined);
    await this.onClose();
  }

  /**
   * A write whose unique or foreign-key violation is the caller's mistake, not a server fault. The
   * error names the constraint and SQLSTATE, never PostgreSQL's words: they quote the values (a
   * login, a name), and the API hands a StoreError's words to the client [A2][A11].
   */
  private async write(text: string, values: unknown[], db: Pick<pg.Pool, 'query'> = this.pool): Promise<pg.QueryResult> {
    try {
      return await db.query(text, values);
    } catch (error) {
      const { code, constraint } = error as { code?: unknown; constraint?: unknown };
      const which = typeof constraint === 'string' ? `constraint ${constraint}, ` : '';
      if (code === '23505') throw new StoreError('exists', `already there (${which}SQLSTATE 23505)`);
      if (code === '23503') throw new StoreError('not-found', `refers to what is not there (${which}SQLSTATE 23503)`);
      if (code === '23514' || code === '22P02') throw new StoreError('bad-request', `not storable (${which}SQLSTATE ${code})`);
      throw error;
    }
  }
}

/** A connection PostgreSQL ended (57P01 admin or fast shutdown, 57P02 crash) or closed, found so by the next query on it. */
function endedWhileIdle(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '57P01' || code === '57P02' || (error instanceof Error && error.message === 'Connection terminated unexpectedly');
}

/**
 * [S10] The scope condition on a table alias, with the tenant at $1 and ($n, $n+1, $n+2) =
 * (all, officeIds, facilityId): a facility liaison sees only their facility.
 */
function conflictScope(alias: string, n: number): string {
  return `($${n}::boolean OR ${alias}.office_id IS NULL OR ${alias}.office_id = ANY ($${n + 1}::text[]))
          AND ($${n + 2}::text IS NULL OR (${alias}.kind = 'facility' AND ${alias}.entity_id = $${n + 2}))`;
}

function scopeParams(scope: PullScope): [string, boolean, readonly string[], string | null] {
  const all = scope.officeIds === 'all';
  return [scope.tenantId, all, all ? [] : (scope.officeIds as readonly string[]), scope.facilityId ?? null];
}
