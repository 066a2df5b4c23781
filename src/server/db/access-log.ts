/**
 * The 閲覧記録 the hub holds (changes of kind 'access', S6: one row per entry a phone sent, its
 * payload the entry as the phone wrote it), read for `npm run admin -- list-access`. Read only;
 * nothing here is ever written but by a push. The entries are audit only and pulled by no device.
 */
import type pg from 'pg';

export interface AccessLogFilter {
  /** entries about this household */
  readonly householdId?: string;
  /** entries of this person: a login or a hub user id (with the vault user ids bound to them), or a vault user id */
  readonly user?: string;
  /** entries the hub received at or after this instant (the hub's clock: a phone's may be set to any year) */
  readonly since?: Date;
  readonly limit: number;
}

/** One entry as the hub holds it, with the login of the hub user its author is bound to. */
export interface HeldAccessEntry {
  readonly version: number;
  readonly deviceId: string;
  /** when the phone wrote it (the change's time, S9: for display and this listing) */
  readonly deviceAt: Date;
  /** when the hub took it, by the hub's clock: what the listing is ordered and cut by */
  readonly receivedAt: Date;
  /** the entry's own fields (src/protocol/records.ts accessEntry); text as sent */
  readonly at: string | null;
  readonly userId: string | null;
  readonly userName: string | null;
  readonly action: string | null;
  readonly householdId: string | null;
  readonly reason: string | null;
  /** the login of the hub user whose id, or bound vault user id (A9), the entry names; null when none */
  readonly login: string | null;
}

/**
 * A hub's entries, newest first by when the hub received them, each push's in the order its phone
 * wrote them (the hub's version). Not by the phone's time: a phone set to 2030 headed the list for
 * years, and one set to 2025 fell out of --since. The page is cut before the logins are looked up,
 * so a long log costs one sort, not a lookup per entry.
 */
export async function listAccessLog(pool: pg.Pool, tenantId: string, filter: AccessLogFilter): Promise<HeldAccessEntry[]> {
  const rows = await pool.query<{
    version: string;
    device_id: string;
    device_at: Date;
    received_at: Date;
    at: string | null;
    user_id: string | null;
    user_name: string | null;
    action: string | null;
    household_id: string | null;
    reason: string | null;
    login: string | null;
  }>(
    `WITH bound AS (
       SELECT u.id AS who, u.id AS user_id, u.login_name FROM users u WHERE u.tenant_id = $1
       UNION ALL
       SELECT du.vault_user_id, u.id, u.login_name FROM device_users du JOIN users u ON u.id = du.user_id
        WHERE u.tenant_id = $1 AND du.vault_user_id IS NOT NULL
     ), page AS (
       SELECT c.version, c.device_id, c.device_at, c.received_at, c.payload
         FROM changes c
        WHERE c.tenant_id = $1 AND c.kind = 'access'
          AND ($2::text IS NULL OR c.payload ->> 'householdId' = $2)
          AND ($3::text IS NULL OR c.payload ->> 'userId' = $3
               OR c.payload ->> 'userId' IN (SELECT who FROM bound WHERE login_name = $3 OR user_id = $3))
          AND ($4::timestamptz IS NULL OR c.received_at >= $4)
        ORDER BY c.received_at DESC, c.version DESC
        LIMIT $5
     )
     SELECT p.version, p.device_id, p.device_at, p.received_at,
            p.payload ->> 'at' AS at, p.payload ->> 'userId' AS user_id, p.payload ->> 'userName' AS user_name,
            p.payload ->> 'action' AS action, p.payload ->> 'householdId' AS household_id, p.payload ->> 'reason' AS reason,
            (SELECT b.login_name FROM bound b WHERE b.who = p.payload ->> 'userId' LIMIT 1) AS login
       FROM page p
      ORDER BY p.received_at DESC, p.version DESC`,
    [tenantId, filter.householdId ?? null, filter.user ?? null, filter.since ?? null, filter.limit],
  );
  return rows.rows.map((r) => ({
    version: Number(r.version),
    deviceId: r.device_id,
    deviceAt: r.device_at,
    receivedAt: r.received_at,
    at: r.at,
    userId: r.user_id,
    userName: r.user_name,
    action: r.action,
    householdId: r.household_id,
    reason: r.reason,
    login: r.login,
  }));
}
