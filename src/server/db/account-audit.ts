/**
 * The audit of the admin commands (migration 22, `account_audit`; migration 5, `admin_audit`): one
 * row per account change made from the command line, written in the transaction of the change, and
 * the two tables read together for `npm run admin -- list-audit`. Since migration 27 account_audit
 * also holds what users did through the API that reads the hub: a device registered, a full copy
 * pulled (HUB_ACCESS_ACTIONS). Rows are only ever added.
 */
import type pg from 'pg';
import { inTransaction } from './transaction';

type Queryable = Pick<pg.Pool, 'query'>;

/** The account commands that leave a row (migration 22's CHECK, 23's for enable-user and 24's for enable-device and resolve-quarantine list the same). */
export const ACCOUNT_ACTIONS = [
  'create-hub',
  'create-office',
  'create-user',
  'reset-credentials',
  'disable-user',
  'enable-user',
  'disable-device',
  'enable-device',
  'move-device',
  'revoke-device-user',
  'resolve-quarantine',
] as const;
export type AccountAction = (typeof ACCOUNT_ACTIONS)[number];

/**
 * What a user did through the API that reads the hub (migration 27): a device registered (or
 * another user added to it, or handed over), and a pull that copies a scope from the beginning.
 * Written by the hub itself, under the user's login; no command makes one again after a restore.
 */
export const HUB_ACCESS_ACTIONS = ['register-device', 'full-pull'] as const;
export type HubAccessAction = (typeof HUB_ACCESS_ACTIONS)[number];

/** What a change writes beside itself; the hub is the one of the row it changed. */
export interface AccountAudit {
  readonly action: AccountAction;
  /** the hub, office or device id, or the login, acted on */
  readonly subject: string;
  /** what else an auditor needs (a new user's role and office); never a password or TOTP secret */
  readonly detail: string;
  /** the command's --by, else the OS user who ran it */
  readonly by: string;
}

/** A row of `list-audit`: an account change or a withdrawal of a record, newest first. */
export interface AuditTrailEntry {
  readonly at: Date;
  readonly action: AccountAction | HubAccessAction | 'withdraw-record';
  readonly subject: string;
  readonly detail: string;
  readonly by: string;
}

/**
 * Runs `change` (which returns the hub of what it changed, or null when it was already so and
 * nothing changed) alone when there is nothing to record, else in one transaction with its
 * account_audit row: the row commits with the change or not at all, and a change that changed
 * nothing (a second disable-user) writes none. Says whether anything changed.
 */
export async function withAccountAudit(pool: pg.Pool, audit: AccountAudit | undefined, change: (db: Queryable) => Promise<string | null>): Promise<boolean> {
  if (audit === undefined) return (await change(pool)) !== null;
  return inTransaction(pool, async (tx) => {
    const hub = await change(tx);
    if (hub === null) return false;
    await insertAccountAudit(tx, hub, audit);
    return true;
  });
}

/** An audit row's detail as the rows write it: `key=value; …`, the keys without a value left out. */
export function auditDetail(detail: Readonly<Record<string, string | number | null | undefined>>): string {
  return Object.entries(detail)
    .filter((entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number')
    .map(([key, value]) => `${key}=${value}`)
    .join('; ');
}

/** A row of what a user did through the API (HUB_ACCESS_ACTIONS), in the caller's transaction or statement. */
export interface HubAccess {
  readonly action: HubAccessAction;
  /** the device id */
  readonly subject: string;
  readonly detail: string;
  /** the user's login */
  readonly by: string;
}

export async function insertAccountAudit(db: Queryable, tenantId: string, audit: AccountAudit | HubAccess): Promise<void> {
  await db.query('INSERT INTO account_audit (tenant_id, action, subject, detail, done_by) VALUES ($1, $2, $3, $4, $5)', [
    tenantId,
    audit.action,
    audit.subject,
    audit.detail,
    audit.by,
  ]);
}

/** Both audit tables of a hub, newest first; a withdrawal's subject is its kind and id (as JSON, so spaces show). */
export async function listAuditTrail(pool: pg.Pool, tenantId: string, limit: number): Promise<AuditTrailEntry[]> {
  const rows = await pool.query<{ done_at: Date; action: AuditTrailEntry['action']; subject: string; detail: string; done_by: string }>(
    `SELECT done_at, action, subject, detail, done_by FROM (
       (SELECT done_at, action, subject, detail, done_by, 1 AS source, id FROM account_audit
         WHERE tenant_id = $1 ORDER BY done_at DESC, id DESC LIMIT $2)
       UNION ALL
       (SELECT done_at, action, kind || ' ' || to_json(entity_id)::text,
               'version ' || previous_version || ' → ' || version || '; reason: ' || reason, done_by, 0 AS source, id
          FROM admin_audit WHERE tenant_id = $1 ORDER BY done_at DESC, id DESC LIMIT $2)
     ) AS a
     ORDER BY done_at DESC, source DESC, id DESC LIMIT $2`,
    [tenantId, limit],
  );
  return rows.rows.map((r) => ({ at: r.done_at, action: r.action, subject: r.subject, detail: r.detail, by: r.done_by }));
}

/**
 * One account change as the audit table holds it, of any hub, or a record's withdrawal (admin_audit;
 * its subject the record's id, its detail `kind=…; reason=…`): a restore compares them (restore-changes.ts).
 */
export interface AccountChange {
  readonly hub: string;
  readonly at: Date;
  readonly action: AccountAction | 'withdraw-record';
  readonly subject: string;
  readonly detail: string;
  readonly by: string;
}

/**
 * Every account change of every hub made by an admin command, and every record withdrawn
 * (withdraw-record), oldest first; no account change on a database from before migration 22. Not
 * the rows of what users did through the API (HUB_ACCESS_ACTIONS): no command makes those again (a
 * restore counts them with the evidence: countHubAccess). A withdrawal lost with a restore put the
 * record back on every phone (a wrong family, a deletion asked for), and nothing said so.
 */
export async function listAccountChanges(pool: Queryable): Promise<AccountChange[]> {
  const changes = await orNoneBeforeItsTable(async () => {
    const rows = await pool.query<{ tenant_id: string; done_at: Date; action: AccountAction; subject: string; detail: string; done_by: string }>(
      'SELECT tenant_id, done_at, action, subject, detail, done_by FROM account_audit WHERE action = ANY ($1::text[]) ORDER BY done_at, id',
      [ACCOUNT_ACTIONS],
    );
    return rows.rows.map((r): AccountChange => ({ hub: r.tenant_id, at: r.done_at, action: r.action, subject: r.subject, detail: r.detail, by: r.done_by }));
  });
  const withdrawals = await orNoneBeforeItsTable(async () => {
    const rows = await pool.query<{ tenant_id: string; done_at: Date; kind: string; entity_id: string; reason: string; done_by: string }>(
      `SELECT tenant_id, done_at, kind, entity_id, reason, done_by FROM admin_audit WHERE action = 'withdraw-record' ORDER BY done_at, id`,
    );
    return rows.rows.map((r): AccountChange => ({ hub: r.tenant_id, at: r.done_at, action: 'withdraw-record', subject: r.entity_id, detail: `kind=${r.kind}; reason=${r.reason}`, by: r.done_by }));
  });
  return [...changes, ...withdrawals].sort((a, b) => a.at.getTime() - b.at.getTime());
}

async function orNoneBeforeItsTable<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return [];
    throw error;
  }
}

/** How many rows of what users did through the API (HUB_ACCESS_ACTIONS) the database holds, of every hub; 0 before migration 22. */
export async function countHubAccess(pool: Queryable): Promise<number> {
  try {
    return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM account_audit WHERE action = ANY ($1::text[])', [HUB_ACCESS_ACTIONS])).rows[0]!.n;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0;
    throw error;
  }
}

/** A person's sign-in on a phone, as the hub holds it (device_users): a restore compares them (restore-changes.ts). */
export interface DeviceSignIn {
  readonly hub: string;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly login: string;
  /** the hash of the phone's token for them: a sign-in again since the backup has another */
  readonly token: string | null;
}

/** Every standing sign-in of a person on a phone, of every hub; none on a database from before migration 7. */
export async function listDeviceSignIns(pool: Queryable): Promise<DeviceSignIn[]> {
  return orNoneBeforeItsTable(async () => {
    const rows = await pool.query<{ tenant_id: string; device_id: string; name: string; login_name: string; token_hash: string | null }>(
      `SELECT d.tenant_id, du.device_id, d.name, u.login_name, du.token_hash
         FROM device_users du JOIN devices d ON d.id = du.device_id JOIN users u ON u.id = du.user_id
        WHERE du.revoked_at IS NULL AND NOT d.disabled AND NOT u.disabled
        ORDER BY d.tenant_id, du.device_id, u.login_name`,
    );
    return rows.rows.map((r) => ({ hub: r.tenant_id, deviceId: r.device_id, deviceName: r.name, login: r.login_name, token: r.token_hash }));
  });
}
