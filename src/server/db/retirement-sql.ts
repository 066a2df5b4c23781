/**
 * The quarantine and the retired devices' state (migration 6) over a pg pool: what a retiring
 * device sent that the hub refused, kept until an admin resolves it, and whether each retired
 * device has sent its last changes and wiped. Called from SqlAccountStore (account-sql.ts).
 */
import type pg from 'pg';
import { StoreError } from './store';
import { withAccountAudit, type AccountAudit } from './account-audit';

/** A refused change of a retiring device, as it goes into the quarantine. */
export interface QuarantineItem {
  readonly seq: number;
  readonly mutationId: string;
  readonly kind: string;
  readonly entityId: string;
  readonly reason: string;
  readonly detail: string;
  /** the change as the device sent it, JSON text */
  readonly changeJson: string;
}

export interface QuarantinedChange extends QuarantineItem {
  readonly id: number;
  readonly deviceId: string;
  readonly userId: string;
  readonly quarantinedAt: Date;
  readonly resolvedAt: Date | null;
  readonly resolution: string | null;
}

/** A device as the admin sees it: 'active', or the steps of its retirement. */
export interface DeviceListing {
  readonly id: string;
  readonly name: string;
  readonly loginName: string;
  readonly retired: boolean;
  readonly lastSeq: number;
  /** when it was first registered (POST /api/devices) */
  readonly registeredAt: Date;
  /**
   * when it was last in touch, as the hub knows it without a write per pull: its last push, a
   * request through a session tied to it (written at most once a minute, A5) or its last device-token
   * sign-in, whichever is latest; null when none (registered from the command line, never used)
   */
  readonly lastSeenAt: Date | null;
  readonly retireSentAt: Date | null;
  readonly wipedAt: Date | null;
  /** quarantined changes not resolved yet, and all */
  readonly quarantinedOpen: number;
  readonly quarantined: number;
}

export async function quarantineChanges(pool: pg.Pool, deviceId: string, items: readonly QuarantineItem[], at: Date): Promise<void> {
  if (items.length === 0) return;
  // The device's seqs are its identity here: sending the same retirement again adds nothing.
  await pool.query(
    `INSERT INTO quarantine (tenant_id, device_id, device_seq, user_id, mutation_id, kind, entity_id, reason, detail, change_json, quarantined_at)
     SELECT d.tenant_id, d.id, q.seq, d.user_id, q.m, q.k, q.e, q.r, q.d, q.c, $2
       FROM devices d, unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS q (seq, m, k, e, r, d, c)
      WHERE d.id = $1
     ON CONFLICT (device_id, device_seq) DO NOTHING`,
    [
      deviceId,
      at,
      items.map((i) => i.seq),
      items.map((i) => i.mutationId),
      items.map((i) => i.kind),
      items.map((i) => i.entityId),
      items.map((i) => i.reason),
      items.map((i) => i.detail),
      items.map((i) => i.changeJson),
    ],
  );
}

export async function markRetirement(pool: pg.Pool, deviceId: string, step: 'sent' | 'wiped', at: Date): Promise<void> {
  const column = step === 'sent' ? 'retire_sent_at' : 'wiped_at';
  await pool.query(`UPDATE devices SET ${column} = $2 WHERE id = $1`, [deviceId, at]);
}

export async function listDevices(pool: pg.Pool, tenantId: string): Promise<readonly DeviceListing[]> {
  const rows = await pool.query<{
    id: string;
    name: string;
    login_name: string;
    retired: boolean;
    last_seq: string;
    registered_at: Date;
    last_seen_at: Date | null;
    retire_sent_at: Date | null;
    wiped_at: Date | null;
    open: string;
    all: string;
  }>(
    // Retired as the hub treats it (account-sql.ts findDevice): the device is disabled, or every
    // user who signed in on it is; a shared phone whose registering user left syncs on.
    // Last seen from what the hub writes anyway (greatest() passes over NULLs): a pull writes
    // nothing of its own (issue 16), but its session's last use is slid at most once a minute (A5).
    // The hub's sessions are read once, grouped by device, not once per device.
    `SELECT d.id, d.name, u.login_name,
            (d.disabled OR NOT EXISTS (SELECT 1 FROM device_users du JOIN users x ON x.id = du.user_id WHERE du.device_id = d.id AND NOT x.disabled)) AS retired,
            d.last_seq, d.registered_at,
            greatest(d.last_seen_at, s.last_seen_at, (SELECT max(du.last_used_at) FROM device_users du WHERE du.device_id = d.id)) AS last_seen_at,
            d.retire_sent_at, d.wiped_at,
            (SELECT count(*) FROM quarantine q WHERE q.device_id = d.id AND q.resolved_at IS NULL) AS open,
            (SELECT count(*) FROM quarantine q WHERE q.device_id = d.id) AS all
       FROM devices d JOIN users u ON u.id = d.user_id
       LEFT JOIN (SELECT device_id, max(last_seen_at) AS last_seen_at FROM sessions WHERE tenant_id = $1 AND device_id IS NOT NULL GROUP BY device_id) s
         ON s.device_id = d.id
      WHERE d.tenant_id = $1 ORDER BY d.id`,
    [tenantId],
  );
  return rows.rows.map((r) => ({
    id: r.id,
    name: r.name,
    loginName: r.login_name,
    retired: r.retired,
    lastSeq: Number(r.last_seq),
    registeredAt: r.registered_at,
    lastSeenAt: r.last_seen_at,
    retireSentAt: r.retire_sent_at,
    wipedAt: r.wiped_at,
    quarantinedOpen: Number(r.open),
    quarantined: Number(r.all),
  }));
}

export async function listQuarantine(pool: pg.Pool, tenantId: string): Promise<readonly QuarantinedChange[]> {
  const rows = await pool.query<{
    id: string;
    device_id: string;
    device_seq: string;
    user_id: string;
    mutation_id: string;
    kind: string;
    entity_id: string;
    reason: string;
    detail: string;
    change_json: string;
    quarantined_at: Date;
    resolved_at: Date | null;
    resolution: string | null;
  }>(
    `SELECT id, device_id, device_seq, user_id, mutation_id, kind, entity_id, reason, detail, change_json, quarantined_at, resolved_at, resolution
       FROM quarantine WHERE tenant_id = $1 ORDER BY id`,
    [tenantId],
  );
  return rows.rows.map((r) => ({
    id: Number(r.id),
    deviceId: r.device_id,
    seq: Number(r.device_seq),
    userId: r.user_id,
    mutationId: r.mutation_id,
    kind: r.kind,
    entityId: r.entity_id,
    reason: r.reason,
    detail: r.detail,
    changeJson: r.change_json,
    quarantinedAt: r.quarantined_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
  }));
}

/** Marks a quarantined change as dealt with (the row stays). StoreError 'not-found' when there is no open one. */
export async function resolveQuarantined(pool: pg.Pool, tenantId: string, id: number, resolution: string, at: Date, audit?: AccountAudit): Promise<void> {
  // with its audit row (who closed it) in the same transaction (migration 24)
  await withAccountAudit(pool, audit, async (db) => {
    const result = await db.query(
      'UPDATE quarantine SET resolved_at = $4, resolution = $3 WHERE tenant_id = $1 AND id = $2 AND resolved_at IS NULL',
      [tenantId, id, resolution, at],
    );
    if (result.rowCount === 0) throw new StoreError('not-found', `no open quarantined change ${id} in hub ${tenantId}`);
    return tenantId;
  });
}
