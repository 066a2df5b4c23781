/**
 * The database's epoch (migration 14): one id for the whole database, renewed when it is restored
 * from a backup, and per hub the floor: the head version the backup held. Pull cursors carry the
 * epoch (protocol/cursor.ts); a device whose cursor names another one re-pulls from the start and
 * sends again what it holds above the floor (docs/hub-server.md, "Backups that restore").
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';

export interface HubEpoch {
  readonly epoch: string;
  /** versions up to this one are the same as in the database the backup was taken from */
  readonly floor: number;
}

/** A cursor to check against the timeline: its version and the hub's mark on it. */
export interface MarkedCursor {
  readonly version: number;
  readonly mark: number;
}

export interface EpochStore {
  /** The database's epoch and this hub's floor in it (a pull reads them with its page: pullAnswer). */
  hubEpoch(tenantId: string): Promise<HubEpoch>;
  /**
   * Gives the database a new epoch, each hub's floor its head version now. Run right after a
   * restore, before any device is served (the admin restore command does).
   */
  renewEpoch(): Promise<string>;
}

type Queryable = Pick<pg.Pool, 'query'>;

export async function readHubEpoch(db: Queryable, tenantId: string): Promise<HubEpoch> {
  const row = (await db.query<{ epoch: string; floor: string | null }>('SELECT epoch, floors ->> $1 AS floor FROM hub_epoch', [tenantId])).rows[0];
  if (row === undefined) throw new Error('hub_epoch has no row: the database was not migrated (migration 14)');
  return { epoch: row.epoch, floor: row.floor === null ? 0 : Number(row.floor) };
}

/**
 * How far each hub's version counter moves on at a restore: past every version the database before
 * it could have handed out after the backup (a year of a busy hub's changes is a few million), so
 * that no version, and so no receipt's position [K1], names two entries (the lost ones come back
 * with their first receipts, K4). Well inside the 2^53 a version may reach.
 */
export const RESTORE_VERSION_GAP = 1_000_000_000;

export async function renewHubEpoch(db: Queryable): Promise<string> {
  const epoch = randomUUID();
  // The head of each hub is its highest record version: every accepted change leaves one.
  // One statement: the floors are the heads before the counters move on.
  await db.query(
    `WITH renewed AS (
       UPDATE hub_epoch SET epoch = $1, started_at = now(),
         floors = COALESCE((SELECT jsonb_object_agg(tenant_id, head) FROM (SELECT tenant_id, max(version) AS head FROM records GROUP BY tenant_id) h), '{}'::jsonb))
     UPDATE sync_heads SET version = version + $2`,
    [epoch, RESTORE_VERSION_GAP],
  );
  return epoch;
}
