/**
 * The users of a device (migration 0007, docs/sync-protocol.md A6, A8-A10): a phone has one device
 * row, one secret and one seq stream, and any number of users who signed in on it, each with a
 * long-lived device token (stored as SHA-256 hex). Enrolling an id that is already registered
 * needs the device's current secret or an admin's hand-over: nobody takes another user's device.
 * Implemented over SQL here; SqlStore (sql-store.ts) exposes it through the Store.
 */
import { timingSafeEqual } from 'node:crypto';
import type pg from 'pg';
import type { PushOptions } from './account-store';
import { StoreError } from './store';
import { inTransaction } from './transaction';
import { auditDetail, insertAccountAudit, withAccountAudit, type AccountAudit } from './account-audit';

export interface DeviceUserRecord {
  readonly deviceId: string;
  readonly userId: string;
  readonly revoked: boolean;
  readonly userDisabled: boolean;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
  /** their user id in the device's vault (EnrolRequest.vaultUserId), when the app sent it */
  readonly vaultUserId: string | null;
}

export type EnrolOutcome =
  /** a new device id: registered, and the user is its first user */
  | 'registered'
  /** the device proved its current secret: the user is added to (or stays among) its users */
  | 'added'
  /** an admin handed the device to this user (move-device): a new secret, the user added */
  | 'handed-over';

export interface EnrolDeviceUser {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  /** the secret the device gets when it is registered or handed over (hash) */
  readonly newSecretHash: string;
  /** the hash of the secret the device sent as proof, or null */
  readonly proofHash: string | null;
  /** the user's new device token (hash): replaces any token the user had on this device */
  readonly tokenHash: string;
  readonly vaultUserId?: string | null;
  readonly at: Date;
  /**
   * The session that asks (SHA-256 hex of its token): tied to this device from now on (migration
   * 20), or refused when it is tied to another (SessionDeviceError). Absent: no session to tie.
   */
  readonly sessionId?: string | null;
}

/**
 * [A6] The device is registered and this user is already one of its users, but the request holds
 * no secret of it: most likely a second tab of the same phone that joined at the same moment as the
 * first (the first one has the secret). Still refused (403), in words that fit.
 */
export class AlreadyEnrolledError extends StoreError {
  constructor(deviceId: string, userId: string) {
    super('forbidden', `device ${deviceId} is registered and user ${userId} is one of its users; enrolling it again needs its secret`);
  }
}

/**
 * [A9][E6] The vault user id sent with an enrolment is another hub user's id, or is already bound
 * to another hub user (on any device, signed out or not). The hub takes case entries naming it as
 * written by whoever it is bound to, so binding it to a second person would let them write entries
 * in the first one's name. Refused (403).
 */
/**
 * [A9] On this device the hub user is already signed in by another person of the phone's vault: a
 * second person signing in with it (a shared 当番 account, a slip) would take over the first one's
 * sign-in, and the first one's queued case entries would no longer match their writer.
 */
export class HubUserBoundError extends StoreError {
  constructor(deviceId: string, userId: string) {
    super('forbidden', `user ${userId} is signed in on device ${deviceId} by another vault user`);
  }
}

export class VaultUserTakenError extends StoreError {
  constructor(vaultUserId: string, userId: string) {
    super('forbidden', `vault user id ${vaultUserId} is another hub user's id, or is bound to another hub user; user ${userId} may not take it`);
  }
}

/**
 * [A5] The enrolling session is tied to another device (opened with that device's token, or it
 * enrolled that device first), or it ended meanwhile (`ended`). A session enrols only the device
 * it was opened through: the cookie left in the browser of a phone that was retired and wiped must
 * not enrol a new device id and pull the user's whole scope with it. Refused; nothing changes.
 */
export class SessionDeviceError extends StoreError {
  constructor(
    readonly ended: boolean,
    deviceId: string,
    boundTo: string | null,
  ) {
    super('forbidden', ended ? `the session ended while it enrolled device ${deviceId}` : `the session was opened through device ${boundTo}; it may not enrol device ${deviceId}`);
  }
}

/** Failures of device-token sign-ins on one device before it is locked, and the lock. */
export const MAX_TOKEN_FAILURES = 10;
export const TOKEN_LOCK_SECONDS = 300;

export interface DeviceUserStore {
  /**
   * [A6] Registers a new device id to the user, or adds the user to a registered device of the
   * same hub when the proof is its current secret or an admin handed it to this user. StoreError
   * 'exists' (another hub), 'device-disabled', 'forbidden' (registered, and no proof; or the
   * vault user id is someone else's: VaultUserTakenError). Every enrolment that succeeds writes an
   * account_audit row ('register-device') in its transaction (migration 27).
   */
  enrolDeviceUser(d: EnrolDeviceUser): Promise<{ readonly lastSeq: number; readonly outcome: EnrolOutcome }>;
  /** The user's row on the device, or null when they never signed in on it. */
  findDeviceUser(deviceId: string, userId: string): Promise<DeviceUserRecord | null>;
  /** Every user who signed in on the device, oldest first. */
  listDeviceUsers(deviceId: string): Promise<readonly DeviceUserRecord[]>;
  /** [A8] The user a device token belongs to (not revoked), its last use moved to `at`; null when none. */
  useDeviceToken(deviceId: string, tokenHash: string, at: Date): Promise<DeviceUserRecord | null>;
  /**
   * [A8] Reserves one device-token attempt on the device before the token is checked: false while
   * the device is locked. When MAX_TOKEN_FAILURES attempts failed or are in flight (or died without
   * saying how they went), it is refused and locks the device for TOKEN_LOCK_SECONDS itself.
   */
  reserveTokenAttempt(deviceId: string, at: Date): Promise<{ readonly ok: boolean; readonly lockedUntil: Date | null }>;
  /** The reserved attempt succeeded: the count starts again. */
  clearTokenFailures(deviceId: string): Promise<void>;
  /** The reserved attempt failed: at MAX_TOKEN_FAILURES the device is locked for TOKEN_LOCK_SECONDS. */
  lockTokensIfDue(deviceId: string, at: Date): Promise<void>;
  /**
   * [A10] The user's token on the device no longer opens a session; their queued changes wait.
   * false when it was revoked before (its date stays, no audit row).
   */
  revokeDeviceUser(deviceId: string, userId: string, at: Date, audit?: AccountAudit): Promise<boolean>;
  /** [A6] An admin hands the device to a user: their next enrolment of it needs no secret. */
  handOverDevice(deviceId: string, userId: string, audit?: AccountAudit): Promise<void>;
}

interface Row {
  device_id: string;
  user_id: string;
  revoked_at: Date | null;
  user_disabled: boolean;
  created_at: Date;
  last_used_at: Date | null;
  vault_user_id: string | null;
}
const COLUMNS = 'du.device_id, du.user_id, du.revoked_at, u.disabled AS user_disabled, du.created_at, du.last_used_at, du.vault_user_id';
const toRecord = (r: Row): DeviceUserRecord => ({
  deviceId: r.device_id,
  userId: r.user_id,
  revoked: r.revoked_at !== null,
  userDisabled: r.user_disabled,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  vaultUserId: r.vault_user_id,
});

function sameHex(a: string, b: string | null): boolean {
  if (b === null) return false;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * [A6] Enrols, and writes its account_audit row ('register-device', migration 27) in the same
 * transaction: who, which device, its name as sent, and how (registered, added with its secret,
 * handed over). A registration that cannot be recorded does not happen.
 */
export async function enrolDeviceUser(pool: pg.Pool, d: EnrolDeviceUser): Promise<{ lastSeq: number; outcome: EnrolOutcome }> {
  return inTransaction(pool, async (client) => {
    const user = (await client.query<{ tenant_id: string; login_name: string }>('SELECT tenant_id, login_name FROM users WHERE id = $1', [d.userId])).rows[0];
    if (user === undefined) throw new StoreError('not-found', `no user ${d.userId}`);
    // A new id is registered in one statement that cannot fail on a twin: two enrolments of the same
    // new id at once (two tabs of one phone joining together) register it once; the one that finds it
    // taken reads it below as any registered device, so it is answered 403 (or 'added' with the
    // proof), never a unique violation.
    const registered = await client.query(
      'INSERT INTO devices (id, tenant_id, user_id, name, secret_hash) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING',
      [d.id, user.tenant_id, d.userId, d.name, d.newSecretHash],
    );
    // The device row is also the lock its pushes queue on: an enrolment waits for a push in flight.
    const held =
      registered.rowCount === 1
        ? undefined
        : (
            await client.query<{ tenant_id: string; disabled: boolean; last_seq: string; secret_hash: string | null; handover_to: string | null }>(
              'SELECT tenant_id, disabled, last_seq, secret_hash, handover_to FROM devices WHERE id = $1 FOR UPDATE',
              [d.id],
            )
          ).rows[0];
    let outcome: EnrolOutcome;
    let lastSeq = 0;
    if (registered.rowCount === 1) {
      outcome = 'registered';
    } else if (held === undefined) {
      // Registered and removed between the two statements: nothing to enrol into; the app tries again.
      throw new StoreError('not-found', `device ${d.id} went away while it was enrolled`);
    } else {
      if (held.tenant_id !== user.tenant_id) throw new StoreError('exists', `device ${d.id} is enrolled in another hub`);
      if (held.disabled) throw new StoreError('device-disabled', `device ${d.id} is disabled`);
      lastSeq = Number(held.last_seq);
      if (d.proofHash !== null && sameHex(d.proofHash, held.secret_hash)) {
        // The phone itself asks: its secret stays (every user of it holds the same one).
        outcome = 'added';
      } else if (held.handover_to === d.userId) {
        await client.query('UPDATE devices SET secret_hash = $2, handover_to = NULL, user_id = $3, name = $4 WHERE id = $1', [
          d.id,
          d.newSecretHash,
          d.userId,
          d.name,
        ]);
        outcome = 'handed-over';
      } else {
        // [A6] Device ids are in every case entry: knowing one must not move the device.
        const member = await client.query('SELECT 1 FROM device_users WHERE device_id = $1 AND user_id = $2 AND revoked_at IS NULL', [d.id, d.userId]);
        if (member.rows.length > 0) throw new AlreadyEnrolledError(d.id, d.userId);
        throw new StoreError('forbidden', `device ${d.id} is registered; enrolling it again needs its secret or an admin's move-device`);
      }
    }
    if (d.sessionId !== undefined && d.sessionId !== null) {
      // After the device row's lock (as a disable-device queues on it), so an enrolment and the
      // disabling of its device never wait on each other in turn; one statement, so two
      // enrolments of one session at once tie it to one device, and the other is refused.
      const tied = await client.query<{ device_id: string }>(
        'UPDATE sessions SET device_id = coalesce(device_id, $2) WHERE id = $1 AND ended_at IS NULL RETURNING device_id',
        [d.sessionId, d.id],
      );
      const boundTo = tied.rows[0]?.device_id;
      if (boundTo !== d.id) throw new SessionDeviceError(boundTo === undefined, d.id, boundTo ?? null);
    }
    if (d.vaultUserId !== undefined && d.vaultUserId !== null) {
      // A revoked sign-in may be taken again (the admin's way out: the same person on a new vault).
      const bound = await client.query(
        'SELECT 1 FROM device_users WHERE device_id = $1 AND user_id = $2 AND revoked_at IS NULL AND vault_user_id IS NOT NULL AND vault_user_id <> $3',
        [d.id, d.userId, d.vaultUserId],
      );
      if (bound.rows.length > 0) throw new HubUserBoundError(d.id, d.userId);
      await claimVaultUserId(client, d.userId, d.vaultUserId);
    }
    await client.query(
      `INSERT INTO device_users (device_id, user_id, token_hash, created_at, vault_user_id) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (device_id, user_id) DO UPDATE
         SET token_hash = EXCLUDED.token_hash, revoked_at = NULL, vault_user_id = coalesce(EXCLUDED.vault_user_id, device_users.vault_user_id)`,
      [d.id, d.userId, d.tokenHash, d.at, d.vaultUserId ?? null],
    );
    await insertAccountAudit(client, user.tenant_id, {
      action: 'register-device',
      subject: d.id,
      detail: auditDetail({ 'device-name': d.name === '' ? undefined : d.name, how: outcome }),
      by: user.login_name,
    });
    return { lastSeq, outcome };
  });
}

/**
 * [A9][E6] A vault user id is bound to one hub user, for good: the hub takes case entries naming it
 * (recordedBy.userId) from that user alone. Nor may it be another hub user's id: entries naming
 * that id are taken as that user's own. Rows of signed-out users count: a revoked user's entries
 * still carry the id, and signing them out must not free it for a colleague.
 */
async function claimVaultUserId(client: pg.PoolClient, userId: string, vaultUserId: string): Promise<void> {
  // Two enrolments naming the same id on two devices lock different device rows: this lock (held
  // to the end of the transaction) makes the later one wait and then see the earlier one's row.
  await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.vault_user_id:' || $1))`, [vaultUserId]);
  const taken = await client.query(
    `SELECT 1 FROM users WHERE id = $1 AND id <> $2
     UNION ALL
     SELECT 1 FROM device_users WHERE vault_user_id = $1 AND user_id <> $2
     LIMIT 1`,
    [vaultUserId, userId],
  );
  if (taken.rows.length > 0) throw new VaultUserTakenError(vaultUserId, userId);
}

/**
 * The device row of a push, locked (FOR UPDATE: pushes of one device queue on it) and checked for
 * this user: they must be one of its users, not revoked; unless retiring, the device and the user
 * must not be disabled. StoreError 'unknown-device', 'forbidden', 'device-disabled', 'user-disabled'.
 *
 * With it, in the same round trip, the hub's head as it is (without its lock: see push.ts
 * applyPush) and the transaction's clock.
 */
export async function lockDeviceForUser(
  client: pg.PoolClient,
  deviceId: string,
  userId: string,
  options: PushOptions = {},
): Promise<{ tenantId: string; lastSeq: number; head: number; now: Date }> {
  const row = (
    await client.query<{
      tenant_id: string;
      disabled: boolean;
      last_seq: string;
      revoked_at: Date | null;
      user_disabled: boolean | null;
      member: boolean;
      head: string;
      now: Date;
    }>(
      { name: 'lock-device-for-user', text: `SELECT d.tenant_id, d.disabled, d.last_seq, du.revoked_at, u.disabled AS user_disabled, du.user_id IS NOT NULL AS member,
              coalesce((SELECT h.version FROM sync_heads h WHERE h.tenant_id = d.tenant_id), 0) AS head, now() AS now
         FROM devices d
         LEFT JOIN device_users du ON du.device_id = d.id AND du.user_id = $2
         LEFT JOIN users u ON u.id = du.user_id
        WHERE d.id = $1
          FOR UPDATE OF d` },
      [deviceId, userId],
    )
  ).rows[0];
  if (row === undefined) throw new StoreError('unknown-device', `device ${deviceId} is not registered`);
  // A retired device sends its last evidence for anyone who signed in on it, revoked or not.
  if (!row.member || (row.revoked_at !== null && options.retiring !== true)) {
    throw new StoreError('forbidden', `user ${userId} has not signed in on device ${deviceId}`);
  }
  if (options.retiring !== true) {
    if (row.disabled) throw new StoreError('device-disabled', `device ${deviceId} is disabled`);
    if (row.user_disabled === true) throw new StoreError('user-disabled', `user ${userId} is disabled`);
  }
  return { tenantId: row.tenant_id, lastSeq: Number(row.last_seq), head: Number(row.head), now: row.now };
}

/**
 * [E6] Who may be named as the writer of a record made on each of these devices of the hub (a
 * 請求済み another phone sends again after a restore, src/vault/epoch-resend.ts): everyone who ever
 * signed in on it, by hub id and by their id in its vault, signed out, stopped or retired alike
 * (the phone that closed the month may be gone since). A device of another hub, or none, is absent.
 */
export async function writersOnDevices(client: pg.PoolClient, tenantId: string, deviceIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const writers = new Map<string, Set<string>>();
  if (deviceIds.length === 0) return writers;
  const rows = await client.query<{ device_id: string; user_id: string; vault_user_id: string | null }>(
    `SELECT du.device_id, du.user_id, du.vault_user_id
       FROM device_users du JOIN devices d ON d.id = du.device_id
      WHERE d.tenant_id = $1 AND du.device_id = ANY ($2::text[])`,
    [tenantId, deviceIds],
  );
  for (const r of rows.rows) {
    const ids = writers.get(r.device_id) ?? new Set<string>();
    ids.add(r.user_id);
    if (r.vault_user_id !== null) ids.add(r.vault_user_id);
    writers.set(r.device_id, ids);
  }
  return writers;
}

export async function findDeviceUser(pool: pg.Pool, deviceId: string, userId: string): Promise<DeviceUserRecord | null> {
  // Named: every push reads its authors' sign-ins (authorsOf), so the statement is planned once per connection.
  const rows = await pool.query<Row>(
    { name: 'device-user-find', text: `SELECT ${COLUMNS} FROM device_users du JOIN users u ON u.id = du.user_id WHERE du.device_id = $1 AND du.user_id = $2` },
    [deviceId, userId],
  );
  return rows.rows[0] === undefined ? null : toRecord(rows.rows[0]);
}

export async function listDeviceUsers(pool: pg.Pool, deviceId: string): Promise<DeviceUserRecord[]> {
  const rows = await pool.query<Row>(
    `SELECT ${COLUMNS} FROM device_users du JOIN users u ON u.id = du.user_id WHERE du.device_id = $1 ORDER BY du.created_at, du.user_id`,
    [deviceId],
  );
  return rows.rows.map(toRecord);
}

export async function useDeviceToken(pool: pg.Pool, deviceId: string, tokenHash: string, at: Date): Promise<DeviceUserRecord | null> {
  const rows = await pool.query<Row>(
    `UPDATE device_users du SET last_used_at = $3 FROM users u
      WHERE u.id = du.user_id AND du.device_id = $1 AND du.token_hash = $2 AND du.revoked_at IS NULL
      RETURNING ${COLUMNS}`,
    [deviceId, tokenHash, at],
  );
  return rows.rows[0] === undefined ? null : toRecord(rows.rows[0]);
}

export async function reserveTokenAttempt(pool: pg.Pool, deviceId: string, at: Date): Promise<{ ok: boolean; lockedUntil: Date | null }> {
  // One statement: parallel attempts each take one of the MAX_TOKEN_FAILURES places, or none.
  // A place is given back only by the attempt that took it (clearTokenFailures, lockTokensIfDue):
  // one that died in between (the process killed, the database failing under it) never gives it
  // back. So an attempt that finds every place taken and no lock sets the lock itself: places
  // leaked that way cost one lock period, never the device's token sign-ins for good, and the
  // count starts again when the lock ends. (When the places are held by attempts still running,
  // the first of them to succeed clears the lock again, and had they all failed it was due anyway;
  // only the attempt refused meanwhile is told to wait the whole lock period.)
  const row = (
    await pool.query<{ token_locked_until: Date | null }>(
      `UPDATE devices
          SET token_failures = CASE WHEN token_locked_until <= $2 THEN 1
                                    WHEN token_failures < $3 THEN token_failures + 1
                                    ELSE token_failures END,
              token_locked_until = CASE WHEN token_locked_until <= $2 THEN NULL
                                        WHEN token_failures < $3 THEN NULL
                                        ELSE $2::timestamptz + make_interval(secs => $4) END
        WHERE id = $1 AND (token_locked_until IS NULL OR token_locked_until <= $2)
        RETURNING token_locked_until`,
      [deviceId, at, MAX_TOKEN_FAILURES, TOKEN_LOCK_SECONDS],
    )
  ).rows[0];
  // No lock after the statement: it took a place (it locks the device only when it takes none).
  if (row !== undefined) return { ok: row.token_locked_until === null, lockedUntil: row.token_locked_until };
  const locked = (await pool.query<{ token_locked_until: Date | null }>('SELECT token_locked_until FROM devices WHERE id = $1', [deviceId])).rows[0];
  return { ok: false, lockedUntil: locked?.token_locked_until ?? null };
}

export async function clearTokenFailures(pool: pg.Pool, deviceId: string): Promise<void> {
  await pool.query('UPDATE devices SET token_failures = 0, token_locked_until = NULL WHERE id = $1', [deviceId]);
}

export async function lockTokensIfDue(pool: pg.Pool, deviceId: string, at: Date): Promise<void> {
  await pool.query(
    `UPDATE devices SET token_locked_until = $2::timestamptz + make_interval(secs => $4)
      WHERE id = $1 AND token_failures >= $3 AND token_locked_until IS NULL`,
    [deviceId, at, MAX_TOKEN_FAILURES, TOKEN_LOCK_SECONDS],
  );
}

/**
 * Revokes the user's sign-in on the device and, in the same statement, ends the user's sessions
 * opened through it (and any not yet tied to a device): with one of them, the phone could enrol the
 * user again with its own secret, and no password, undoing the revocation.
 */
export async function revokeDeviceUser(pool: pg.Pool, deviceId: string, userId: string, at: Date, audit?: AccountAudit): Promise<boolean> {
  return withAccountAudit(pool, audit, async (db) => {
    // A sign-in revoked before keeps its date, and a second revoke writes no audit row; its
    // sessions are ended again all the same.
    const result = await db.query<{ n: number; revoked: number; tenant_id: string }>(
      `WITH target AS (
         SELECT user_id FROM device_users WHERE device_id = $1 AND user_id = $2
       ), revoked AS (
         UPDATE device_users SET revoked_at = $3 WHERE device_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING user_id
       ), ended AS (
         UPDATE sessions SET ended_at = $3, end_reason = 'device-user-revoked'
          WHERE ended_at IS NULL AND user_id IN (SELECT user_id FROM target) AND (device_id = $1 OR device_id IS NULL)
       )
       SELECT (SELECT count(*)::int FROM target) AS n, (SELECT count(*)::int FROM revoked) AS revoked,
              (SELECT tenant_id FROM devices WHERE id = $1) AS tenant_id`,
      [deviceId, userId, at],
    );
    const row = result.rows[0]!;
    if (row.n === 0) throw new StoreError('not-found', `user ${userId} has not signed in on device ${deviceId}`);
    return row.revoked === 0 ? null : row.tenant_id;
  });
}

export async function handOverDevice(pool: pg.Pool, deviceId: string, userId: string, audit?: AccountAudit): Promise<void> {
  await withAccountAudit(pool, audit, async (db) => {
    const result = await db.query<{ tenant_id: string }>(
      `UPDATE devices d SET handover_to = u.id FROM users u WHERE d.id = $1 AND u.id = $2 AND u.tenant_id = d.tenant_id AND NOT d.disabled RETURNING d.tenant_id`,
      [deviceId, userId],
    );
    if (result.rows[0] === undefined) {
      // A stopped device never enrols again (device-disabled): handing it over would say it could.
      const stopped = await db.query('SELECT 1 FROM devices WHERE id = $1 AND disabled', [deviceId]);
      if (stopped.rows.length > 0) {
        throw new StoreError('device-disabled', `端末 ${deviceId} は停止されているため、移行できません。新しい端末として参加させてください / device ${deviceId} is stopped (disable-device): it cannot be handed over; join the phone as a new device`);
      }
      throw new StoreError('not-found', `no device ${deviceId} with a user ${userId} of its hub`);
    }
    return result.rows[0].tenant_id;
  });
}
