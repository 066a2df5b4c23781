/**
 * AccountStore over a pg pool (the base of SqlStore). Every time comes from the caller's clock,
 * not the database's now(), so session and throttle tests run on an injected clock.
 */
import type pg from 'pg';
import { inTransaction } from './transaction';
import { withAccountAudit, type AccountAudit } from './account-audit';
import * as retirement from './retirement-sql';
import type { DeviceListing, QuarantineItem, QuarantinedChange } from './retirement-sql';
import { lockDeviceForUser } from './device-users';
import type {
  AccountStore,
  DeviceRecord,
  PushOptions,
  ScopeFacts,
  HeldTrialStay,
  SessionEndReason,
  Reservation,
  SessionRecord,
  SyncCallerFacts,
  ThrottleKey,
  ThrottlePolicy,
  UserRecord,
} from './account-store';
import { StoreError, type ChangeResult, type PushedChange, type RefusalReason, type Role } from './store';

interface UserRow {
  id: string;
  tenant_id: string;
  role: Role;
  login_name: string;
  display_name: string;
  office_id: string | null;
  facility_id: string | null;
  disabled: boolean;
  disabled_at: Date | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: string | null;
}
const USER_COLUMNS =
  'id, tenant_id, role, login_name, display_name, office_id, facility_id, disabled, disabled_at, password_hash, totp_secret, totp_last_step';
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  role: r.role,
  loginName: r.login_name,
  displayName: r.display_name,
  officeId: r.office_id,
  facilityId: r.facility_id,
  disabled: r.disabled,
  disabledAt: r.disabled_at,
  passwordHash: r.password_hash,
  totpSecret: r.totp_secret,
  totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
});

export class SqlAccountStore implements AccountStore {
  constructor(protected readonly pool: pg.Pool) {}

  async findUser(userId: string): Promise<UserRecord | null> {
    const rows = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [userId]);
    return rows.rows[0] === undefined ? null : toUser(rows.rows[0]);
  }

  async findUserByLogin(tenantId: string, loginName: string): Promise<UserRecord | null> {
    const rows = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 AND login_name = $2`, [
      tenantId,
      loginName,
    ]);
    return rows.rows[0] === undefined ? null : toUser(rows.rows[0]);
  }

  async listUsers(tenantId: string): Promise<readonly UserRecord[]> {
    const rows = await this.pool.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE tenant_id = $1 ORDER BY login_name`, [tenantId]);
    return rows.rows.map(toUser);
  }

  async countUsers(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM users')).rows[0]!.n);
  }

  async anySealedSecret(): Promise<{ readonly userId: string; readonly stored: string } | null> {
    // 'v1:' begins a sealed secret (services/secret-box.ts); one stored in clear does not
    const row = (await this.pool.query<{ id: string; totp_secret: string }>(`SELECT id, totp_secret FROM users WHERE totp_secret LIKE 'v1:%' LIMIT 1`)).rows[0];
    return row === undefined ? null : { userId: row.id, stored: row.totp_secret };
  }

  async setCredentials(userId: string, c: { passwordHash: string; totpSecret: string }, audit?: AccountAudit): Promise<void> {
    await withAccountAudit(this.pool, audit, async (db) => {
      const result = await db.query<{ tenant_id: string }>(
        'UPDATE users SET password_hash = $2, totp_secret = $3, totp_last_step = NULL WHERE id = $1 RETURNING tenant_id',
        [userId, c.passwordHash, c.totpSecret],
      );
      if (result.rows[0] === undefined) throw new StoreError('not-found', `no user ${userId}`);
      return result.rows[0].tenant_id;
    });
  }

  async takeTotpStep(userId: string, step: number): Promise<boolean> {
    // One statement, so two sign-ins racing with the same code cannot both take it.
    const result = await this.pool.query(
      'UPDATE users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)',
      [userId, step],
    );
    return result.rowCount === 1;
  }

  async reserveSignIn(key: ThrottleKey, at: Date, policy: ThrottlePolicy): Promise<Reservation> {
    // One statement takes the attempt: the row lock queues concurrent attempts on the same key, and
    // the one that reaches the limit sets the lock before the next one is counted [A4]. A count
    // whose window is over counts as none: this failure starts the next one.
    const counted = 'CASE WHEN t.counted_since <= EXCLUDED.last_failure_at - make_interval(secs => $7::int) THEN 0 ELSE t.failures END';
    const row = await this.pool.query<{ failures: number }>(
      `INSERT INTO login_throttle AS t (tenant_id, login_name, failures, last_failure_at, counted_since, locked_until)
       VALUES ($1, $2, 1, $3, $3, CASE WHEN 1 >= $4::int THEN $3::timestamptz + make_interval(secs => $5::int) END)
       ON CONFLICT (tenant_id, login_name) DO UPDATE
         SET failures = ${counted} + 1,
             counted_since = CASE WHEN ${counted} = 0 THEN EXCLUDED.last_failure_at ELSE t.counted_since END,
             last_failure_at = EXCLUDED.last_failure_at,
             locked_until = CASE WHEN ${counted} + 1 >= $4::int
               THEN EXCLUDED.last_failure_at + make_interval(secs => least($6::int, $5::int * power(2, least(${counted} + 1 - $4::int, 30)))::int)
               ELSE t.locked_until END
         WHERE t.locked_until IS NULL OR t.locked_until <= EXCLUDED.last_failure_at
       RETURNING failures`,
      [key.tenantId, key.name, at, policy.maxAttempts, policy.lockSeconds, policy.maxLockSeconds, policy.windowSeconds],
    );
    if (row.rows[0] !== undefined) return { allowed: true, attempts: row.rows[0].failures };
    const held = await this.pool.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM login_throttle WHERE tenant_id = $1 AND login_name = $2',
      [key.tenantId, key.name],
    );
    return { allowed: false, lockedUntil: held.rows[0]?.locked_until ?? at };
  }

  async refundSignIn(key: ThrottleKey, policy: ThrottlePolicy): Promise<void> {
    await this.pool.query(
      `UPDATE login_throttle
          SET failures = greatest(failures - 1, 0),
              locked_until = CASE WHEN failures - 1 < $3::int THEN NULL ELSE locked_until END
        WHERE tenant_id = $1 AND login_name = $2`,
      [key.tenantId, key.name, policy.maxAttempts],
    );
  }

  async clearSignInAttempts(key: ThrottleKey): Promise<void> {
    await this.pool.query('DELETE FROM login_throttle WHERE tenant_id = $1 AND login_name = $2', [key.tenantId, key.name]);
  }

  async forgetSignInFailures(windowFrom: Date, at: Date): Promise<number> {
    // An attempt on a row being removed waits for it, then starts a new count: the same as the
    // count it would have found, whose window is over.
    const gone = await this.pool.query(
      'DELETE FROM login_throttle WHERE counted_since <= $1 AND (locked_until IS NULL OR locked_until <= $2)',
      [windowFrom, at],
    );
    return gone.rowCount ?? 0;
  }

  async createSession(s: { id: string; tenantId: string; userId: string; createdAt: Date; expiresAt: Date; deviceId?: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO sessions (id, tenant_id, user_id, created_at, last_seen_at, expires_at, device_id) VALUES ($1, $2, $3, $4, $4, $5, $6)`,
      [s.id, s.tenantId, s.userId, s.createdAt, s.expiresAt, s.deviceId ?? null],
    );
  }

  async findSession(id: string): Promise<SessionRecord | null> {
    const row = (
      await this.pool.query<{
        id: string;
        tenant_id: string;
        user_id: string;
        created_at: Date;
        last_seen_at: Date;
        expires_at: Date;
        ended_at: Date | null;
        device_id: string | null;
        device_disabled: boolean;
      }>(
        `SELECT s.id, s.tenant_id, s.user_id, s.created_at, s.last_seen_at, s.expires_at, s.ended_at, s.device_id,
                coalesce(d.disabled, false) AS device_disabled
           FROM sessions s LEFT JOIN devices d ON d.id = s.device_id
          WHERE s.id = $1`,
        [id],
      )
    ).rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      userId: row.user_id,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: row.expires_at,
      endedAt: row.ended_at,
      deviceId: row.device_id,
      deviceDisabled: row.device_disabled,
    };
  }

  async touchSession(id: string, at: Date): Promise<void> {
    // The slide is committed without waiting for the WAL flush (synchronous_commit off for this
    // statement's own transaction): a crash of PostgreSQL can lose the last fraction of a second
    // of slides, which only makes a session look idle up to a minute early, never later. At a
    // sync every 30 s from thousands of devices, these are the hub's most frequent commits.
    await this.pool.query(
      { name: 'touch-session', text: `WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
       UPDATE sessions SET last_seen_at = greatest(last_seen_at, $2) FROM async WHERE id = $1 AND ended_at IS NULL` },
      [id, at],
    );
  }

  async endSession(id: string, at: Date, reason: SessionEndReason): Promise<void> {
    await this.pool.query('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE id = $1 AND ended_at IS NULL', [id, at, reason]);
  }

  async endSessionsOfUser(userId: string, at: Date, reason: SessionEndReason): Promise<number> {
    const result = await this.pool.query('UPDATE sessions SET ended_at = $2, end_reason = $3 WHERE user_id = $1 AND ended_at IS NULL', [
      userId,
      at,
      reason,
    ]);
    return result.rowCount ?? 0;
  }

  async endSessionsOfDevice(deviceId: string, at: Date): Promise<number> {
    const result = await this.pool.query(
      `UPDATE sessions SET ended_at = $2, end_reason = 'device-disabled'
        WHERE ended_at IS NULL
          AND (device_id = $1 OR (device_id IS NULL AND user_id IN (SELECT user_id FROM device_users WHERE device_id = $1)))`,
      [deviceId, at],
    );
    return result.rowCount ?? 0;
  }

  async findSyncCaller(deviceId: string, sessionId: string): Promise<SyncCallerFacts> {
    const row = (
      await this.pool.query<
        UserRow & {
          d_id: string | null;
          d_tenant_id: string;
          d_user_id: string;
          d_name: string;
          d_disabled: boolean;
          d_user_disabled: boolean;
          d_secret_hash: string | null;
          d_last_seq: string;
          d_first_pull_at: Date | null;
          s_id: string | null;
          s_tenant_id: string;
          s_user_id: string;
          s_created_at: Date;
          s_last_seen_at: Date;
          s_expires_at: Date;
          s_ended_at: Date | null;
          s_device_id: string | null;
          s_device_disabled: boolean;
          m_device_id: string | null;
          m_revoked_at: Date | null;
          m_created_at: Date;
          m_last_used_at: Date | null;
          m_vault_user_id: string | null;
        }
      >(
        // findDevice, findSession, findUser and findDeviceUser as one statement (one round trip).
        { name: 'sync-caller', text: `SELECT d.id AS d_id, d.tenant_id AS d_tenant_id, d.user_id AS d_user_id, d.name AS d_name, d.disabled AS d_disabled,
                d.secret_hash AS d_secret_hash, d.last_seq AS d_last_seq, d.first_pull_at AS d_first_pull_at,
                NOT EXISTS (SELECT 1 FROM device_users dx JOIN users ux ON ux.id = dx.user_id WHERE dx.device_id = d.id AND NOT ux.disabled) AS d_user_disabled,
                s.id AS s_id, s.tenant_id AS s_tenant_id, s.user_id AS s_user_id, s.created_at AS s_created_at,
                s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.ended_at AS s_ended_at,
                s.device_id AS s_device_id, coalesce(sd.disabled, false) AS s_device_disabled,
                ${USER_COLUMNS.split(', ').map((c) => `u.${c}`).join(', ')},
                du.device_id AS m_device_id, du.revoked_at AS m_revoked_at, du.created_at AS m_created_at,
                du.last_used_at AS m_last_used_at, du.vault_user_id AS m_vault_user_id
           FROM (VALUES (1)) AS one (x)
           LEFT JOIN devices d ON d.id = $1
           LEFT JOIN sessions s ON s.id = $2
           LEFT JOIN devices sd ON sd.id = s.device_id
           LEFT JOIN users u ON u.id = s.user_id
           LEFT JOIN device_users du ON du.device_id = $1 AND du.user_id = s.user_id` },
        [deviceId, sessionId],
      )
    ).rows[0]!;
    return {
      device:
        row.d_id === null
          ? null
          : {
              id: row.d_id,
              tenantId: row.d_tenant_id,
              userId: row.d_user_id,
              name: row.d_name,
              disabled: row.d_disabled,
              userDisabled: row.d_user_disabled,
              secretHash: row.d_secret_hash,
              lastSeq: Number(row.d_last_seq),
              firstPullAt: row.d_first_pull_at,
            },
      session:
        row.s_id === null
          ? null
          : {
              id: row.s_id,
              tenantId: row.s_tenant_id,
              userId: row.s_user_id,
              createdAt: row.s_created_at,
              lastSeenAt: row.s_last_seen_at,
              expiresAt: row.s_expires_at,
              endedAt: row.s_ended_at,
              deviceId: row.s_device_id,
              deviceDisabled: row.s_device_disabled,
            },
      user: row.id === null ? null : toUser(row),
      member:
        row.m_device_id === null || row.id === null
          ? null
          : {
              deviceId: row.m_device_id,
              userId: row.id,
              revoked: row.m_revoked_at !== null,
              userDisabled: row.disabled,
              createdAt: row.m_created_at,
              lastUsedAt: row.m_last_used_at,
              vaultUserId: row.m_vault_user_id,
            },
    };
  }

  async findDevice(id: string): Promise<DeviceRecord | null> {
    const row = (
      await this.pool.query<{
        id: string;
        tenant_id: string;
        user_id: string;
        name: string;
        disabled: boolean;
        disabled_at: Date | null;
        user_disabled: boolean;
        secret_hash: string | null;
        last_seq: string;
        wiped_at: Date | null;
        first_pull_at: Date | null;
      }>(
        // Retired when every user who signed in on it is disabled (A7, A10).
        `SELECT d.id, d.tenant_id, d.user_id, d.name, d.disabled, d.disabled_at, d.secret_hash, d.last_seq, d.wiped_at, d.first_pull_at,
                NOT EXISTS (SELECT 1 FROM device_users du JOIN users u ON u.id = du.user_id WHERE du.device_id = d.id AND NOT u.disabled) AS user_disabled
           FROM devices d WHERE d.id = $1`,
        [id],
      )
    ).rows[0];
    if (row === undefined) return null;
    return {
      id: row.id,
      tenantId: row.tenant_id,
      userId: row.user_id,
      name: row.name,
      disabled: row.disabled,
      disabledAt: row.disabled_at,
      userDisabled: row.user_disabled,
      secretHash: row.secret_hash,
      lastSeq: Number(row.last_seq),
      wipedAt: row.wiped_at,
      firstPullAt: row.first_pull_at,
    };
  }

  async recordFullPull(tenantId: string, deviceId: string, access: { readonly detail: string; readonly by: string }): Promise<void> {
    // One statement, so the row and the device's first pull commit together; the database's clock,
    // as every audit row's. Nothing is written for a device of another hub, and that is no success.
    const row = (
      await this.pool.query<{ n: number }>(
        `WITH audit AS (
           INSERT INTO account_audit (tenant_id, action, subject, detail, done_by)
           SELECT tenant_id, 'full-pull', id, $3, $4 FROM devices WHERE id = $2 AND tenant_id = $1 RETURNING 1
         ), first AS (
           UPDATE devices SET first_pull_at = now() WHERE id = $2 AND tenant_id = $1 AND first_pull_at IS NULL
         )
         SELECT count(*)::int AS n FROM audit`,
        [tenantId, deviceId, access.detail, access.by],
      )
    ).rows[0];
    if (row?.n !== 1) throw new Error(`the full pull of device ${deviceId} could not be recorded in hub ${tenantId}'s account_audit`);
  }

  async scopeFacts(tenantId: string, householdIds: readonly string[], caseIds: readonly string[], trialStayIds: readonly string[] = []): Promise<ScopeFacts> {
    // One round trip for every push (three statements before): the hub's offices, the offices the
    // named households are held under, and each named case's office, which is the one its first
    // entry was held under (every later entry follows it).
    // Each named id is looked up on its own (a LATERAL subquery with LIMIT, which the planner
    // keeps as one index probe an id). The statement is prepared, and from its sixth run on a
    // connection PostgreSQL may keep a generic plan: with `= ANY ($2)`, or a plain join of the ids,
    // that plan read every household of the hub (one hub per server: 10,000 rows) and matched them
    // against the ids, for a push of one edit as for one of 1,000 (~100–175 ms then; ~6 ms before
    // the sixth run).
    const row = (
      await this.pool.query<{
        offices: string[];
        households: Record<string, string | null>;
        cases: Record<string, string | null>;
        trial_stays: Record<string, HeldTrialStay>;
      }>(
        {
          name: 'scope-facts',
          text: `SELECT (SELECT coalesce(json_agg(id), '[]') FROM offices WHERE tenant_id = $1) AS offices,
                  (SELECT coalesce(json_object_agg(h.entity_id, h.office_id), '{}')
                     FROM (SELECT DISTINCT id FROM unnest($2::text[]) AS k (id)) AS k
                     CROSS JOIN LATERAL (
                       SELECT r.entity_id, r.office_id FROM records r
                        WHERE r.tenant_id = $1 AND r.kind = 'household' AND r.entity_id = k.id LIMIT 1) AS h) AS households,
                  (SELECT coalesce(json_object_agg(k.id, c.office_id), '{}')
                     FROM (SELECT DISTINCT id FROM unnest($3::text[]) AS k (id)) AS k
                     CROSS JOIN LATERAL (
                       SELECT r.office_id FROM evidence e
                         JOIN records r ON r.tenant_id = e.tenant_id AND r.kind = 'case-entry' AND r.entity_id = e.id
                        WHERE e.tenant_id = $1 AND e.case_id = k.id
                        ORDER BY e.version LIMIT 1) AS c) AS cases,
                  (SELECT coalesce(json_object_agg(t.entity_id, json_build_object('householdId', t.household_id, 'householdOffice', t.household_office, 'facilityId', t.facility_id)), '{}')
                     FROM (SELECT DISTINCT id FROM unnest($4::text[]) AS k (id)) AS k
                     CROSS JOIN LATERAL (
                       SELECT r.entity_id, s.payload ->> 'facilityId' AS facility_id, s.payload ->> 'householdId' AS household_id,
                              (SELECT h.office_id FROM records h
                                WHERE h.tenant_id = $1 AND h.kind = 'household' AND h.entity_id = s.payload ->> 'householdId' LIMIT 1) AS household_office
                         FROM records r CROSS JOIN LATERAL (SELECT r.payload_json::jsonb AS payload) AS s
                        WHERE r.tenant_id = $1 AND r.kind = 'trial-stay' AND r.entity_id = k.id LIMIT 1) AS t) AS trial_stays`,
        },
        [tenantId, householdIds, caseIds, trialStayIds],
      )
    ).rows[0]!;
    return {
      officeIds: new Set(row.offices),
      households: new Map(Object.entries(row.households)),
      cases: new Map(Object.entries(row.cases)),
      trialStays: new Map(Object.entries(row.trial_stays)),
    };
  }

  async recordRefusal(
    deviceId: string,
    userId: string,
    change: PushedChange,
    refusal: { reason: RefusalReason; detail: string },
    options: PushOptions = {},
  ): Promise<ChangeResult | null> {
    const base = { seq: change.seq, mutationId: change.mutationId };
    return inTransaction(this.pool, async (client) => {
      // The same checks, in the same order, as applyPush: the device row lock queues this behind
      // a push of the same device [S3][S13].
      const device = await lockDeviceForUser(client, deviceId, userId, options);
      const row = { tenant_id: device.tenantId };
      const lastSeq = device.lastSeq;
      // Nothing is written for an old or early seq: the transaction ends having only read.
      if (change.seq <= lastSeq) return null;
      if (change.seq > lastSeq + 1) {
        return {
          ...base,
          status: 'refused',
          reason: 'gap',
          detail: `expected seq ${lastSeq + 1}, got ${change.seq}: send the missing changes first`,
          retryable: true,
        };
      }
      await client.query(
        `INSERT INTO receipts (device_id, device_seq, tenant_id, mutation_id, user_id, kind, entity_id, outcome, version, reason, detail, payload_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'refused', NULL, $8, $9, $10)`,
        [
          deviceId,
          change.seq,
          row.tenant_id,
          noNul(change.mutationId),
          userId,
          change.kind,
          noNul(change.entityId),
          refusal.reason,
          noNul(refusal.detail),
          payloadText(change.payload),
        ],
      );
      await client.query('UPDATE devices SET last_seq = $2, last_seen_at = now() WHERE id = $1', [deviceId, change.seq]);
      return { ...base, status: 'refused', reason: refusal.reason, detail: refusal.detail, retryable: false };
    });
  }

  quarantineChanges(deviceId: string, items: readonly QuarantineItem[], at: Date): Promise<void> {
    return retirement.quarantineChanges(this.pool, deviceId, items, at);
  }

  markRetirement(deviceId: string, step: 'sent' | 'wiped', at: Date): Promise<void> {
    return retirement.markRetirement(this.pool, deviceId, step, at);
  }

  listDevices(tenantId: string): Promise<readonly DeviceListing[]> {
    return retirement.listDevices(this.pool, tenantId);
  }

  listQuarantine(tenantId: string): Promise<readonly QuarantinedChange[]> {
    return retirement.listQuarantine(this.pool, tenantId);
  }

  resolveQuarantined(tenantId: string, id: number, resolution: string, at: Date, audit?: AccountAudit): Promise<void> {
    return retirement.resolveQuarantined(this.pool, tenantId, id, resolution, at, audit);
  }

  enableDevice(deviceId: string, audit?: AccountAudit): Promise<boolean> {
    return withAccountAudit(this.pool, audit, async (db) => {
      const result = await db.query<{ tenant_id: string }>(
        'UPDATE devices SET disabled = false WHERE id = $1 AND disabled AND retire_sent_at IS NULL AND wiped_at IS NULL RETURNING tenant_id',
        [deviceId],
      );
      if (result.rows[0] !== undefined) return result.rows[0].tenant_id;
      const held = (await db.query<{ disabled: boolean; retire_sent_at: Date | null; wiped_at: Date | null }>('SELECT disabled, retire_sent_at, wiped_at FROM devices WHERE id = $1', [deviceId])).rows[0];
      if (held === undefined) throw new StoreError('not-found', `no device ${deviceId}`);
      // (a phone retired because its people were stopped has its own state: said as for a stopped one)
      if (!held.disabled && held.retire_sent_at === null && held.wiped_at === null) return null;
      throw new StoreError(
        'device-disabled',
        `端末 ${deviceId} は停止のあとすでに拠点に連絡し、${held.wiped_at !== null ? 'データを消去しました' : 'データを消去する手続きに入っています'}。戻せません。拠点サーバーに参加し直してください / device ${deviceId} has already begun to retire since it was stopped: join it again as a new device`,
      );
    });
  }
}

/**
 * The refused payload for its receipt, as push.ts keeps one (finishParams): JSON.parse takes
 * nesting that JSON.stringify cannot give back (RangeError), and a refusal must be recorded, or
 * every retry of the device's queue would fail the same way.
 */
function payloadText(payload: unknown): string {
  try {
    return JSON.stringify(payload) ?? 'null';
  } catch {
    return '"(not JSON)"';
  }
}

/** Text PostgreSQL can store whatever the device sent (no NUL). */
const noNul = (text: string): string => text.replaceAll('\u0000', '\\u0000');

/**
 * The TOTP secrets held in clear ('v1:' begins a sealed one, services/secret-box.ts), in user id
 * order; with `lock`, their rows stay locked till the transaction ends (two servers sealing at once
 * take them in the same order, so neither waits on the other for ever).
 */
export async function clearTotpSecrets(db: Pick<pg.Pool, 'query'>, lock: boolean): Promise<{ readonly userId: string; readonly clear: string }[]> {
  const rows = await db.query<{ id: string; totp_secret: string }>(
    `SELECT id, totp_secret FROM users WHERE totp_secret NOT LIKE 'v1:%' ORDER BY id${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows.rows.map((r) => ({ userId: r.id, clear: r.totp_secret }));
}

/** Compare-and-set: each user's secret becomes `sealed` only while it still holds `clear`; how many did. */
export async function sealTotpSecrets(
  db: Pick<pg.Pool, 'query'>,
  secrets: readonly { readonly userId: string; readonly clear: string; readonly sealed: string }[],
): Promise<number> {
  if (secrets.length === 0) return 0;
  const done = await db.query(
    `UPDATE users u SET totp_secret = t.sealed
       FROM unnest($1::text[], $2::text[], $3::text[]) AS t (id, clear, sealed)
      WHERE u.id = t.id AND u.totp_secret = t.clear`,
    [secrets.map((s) => s.userId), secrets.map((s) => s.clear), secrets.map((s) => s.sealed)],
  );
  return done.rowCount ?? 0;
}
