/**
 * The 閲覧記録 the hub holds (changes of kind 'access', S6: one row per entry a phone sent, its
 * payload the entry as the phone wrote it), read for `npm run admin -- list-access`. Read only;
 * nothing here is ever written but by a push. The entries are audit only and pulled by no device.
 */
import type pg from 'pg';

export interface AccessLogFilter {
  /** entries about this household */
  readonly householdId?: string;
  /** entries sent by this person: a login, a hub user id, or a vault user id bound to one (A9) */
  readonly user?: string;
  /** entries the hub received at or after this instant (the hub's clock: a phone's may be set to any year) */
  readonly since?: Date;
  readonly limit: number;
}

/** One entry as the hub holds it, credited to the hub user who sent it. */
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
  /** the hub user the change is credited to (changes.user_id, A9): who sent it, whatever the entry says */
  readonly authorId: string;
  readonly authorLogin: string;
  readonly authorName: string;
  /**
   * The entry names its sender: `userId` is their hub id or a vault user id bound to them (A9).
   * False only for an entry a hub took before it checked that (E6): it names someone else.
   */
  readonly namesAuthor: boolean;
}

/**
 * A hub's entries, newest first by when the hub received them, each push's in the order its phone
 * wrote them (the hub's version). Not by the phone's time: a phone set to 2030 headed the list for
 * years, and one set to 2025 fell out of --since. Who is the change's author, not the entry's
 * `userId`: before the hub checked it (E6), a phone could send an entry naming anyone. The page is
 * cut before the authors are looked up, so a long log costs one sort, not a lookup per entry.
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
    author_id: string;
    author_login: string;
    author_name: string;
    names_author: boolean;
  }>(
    `WITH page AS (
       SELECT c.version, c.device_id, c.device_at, c.received_at, c.payload, c.user_id
         FROM changes c
        WHERE c.tenant_id = $1 AND c.kind = 'access'
          AND ($2::text IS NULL OR c.payload ->> 'householdId' = $2)
          AND ($3::text IS NULL OR c.user_id IN (
                SELECT u.id FROM users u WHERE u.tenant_id = $1 AND (u.id = $3 OR u.login_name = $3)
                UNION ALL
                SELECT du.user_id FROM device_users du WHERE du.vault_user_id = $3))
          AND ($4::timestamptz IS NULL OR c.received_at >= $4)
        ORDER BY c.received_at DESC, c.version DESC
        LIMIT $5
     )
     SELECT p.version, p.device_id, p.device_at, p.received_at,
            p.payload ->> 'at' AS at, p.payload ->> 'userId' AS user_id, p.payload ->> 'userName' AS user_name,
            p.payload ->> 'action' AS action, p.payload ->> 'householdId' AS household_id, p.payload ->> 'reason' AS reason,
            u.id AS author_id, u.login_name AS author_login, u.display_name AS author_name,
            (p.payload ->> 'userId' = u.id
             OR EXISTS (SELECT 1 FROM device_users du WHERE du.user_id = u.id AND du.vault_user_id = p.payload ->> 'userId')) AS names_author
       FROM page p JOIN users u ON u.id = p.user_id
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
    authorId: r.author_id,
    authorLogin: r.author_login,
    authorName: r.author_name,
    namesAuthor: r.names_author === true,
  }));
}
