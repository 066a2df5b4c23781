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
  /** the hub's head version, read in the same statement */
  readonly head: number;
  /**
   * The hub's clock now (ms since 1970, rounded up): the mark of a cursor at or below `head`
   * (protocol/cursor.ts). Every version up to `head` was written before it.
   */
  readonly mark: number;
  /**
   * The cursor asked about is not from this database's timeline (it was put back from a backup by
   * hand, or recovered to an earlier point, keeping its epoch) [S15]: versions up to `floor` are
   * the ones the device saw, those above were lost or written anew. null: the cursor is fine.
   */
  readonly diverged: { readonly floor: number } | null;
}

/** A cursor to check against the timeline: its version and the hub's mark on it. */
export interface MarkedCursor {
  readonly version: number;
  readonly mark: number;
}

export interface EpochStore {
  /** The database's epoch and this hub's floor in it; with `cursor`, whether it is of this timeline. */
  hubEpoch(tenantId: string, cursor?: MarkedCursor): Promise<HubEpoch>;
  /**
   * Gives the database a new epoch, each hub's floor its head version now. Run right after a
   * restore, before any device is served (the admin restore command does).
   */
  renewEpoch(): Promise<string>;
}

type Queryable = Pick<pg.Pool, 'query'>;

/**
 * One statement (one snapshot, one round trip per pull). A marked cursor is of another timeline
 * when its version is beyond the head, or the change or record the hub holds at that version was
 * received after the mark: the one the device saw was committed before the mark, and a database
 * put back to an earlier point hands that version out again, later. Its floor is then the last
 * version received before the mark: the backup held every version up to it (each was committed
 * before the device's cursor, which the backup lacks), and every version written since the
 * database was put back was received after it. This takes the hub's clock to run forward across
 * the restore (NTP on the database's machine); without a mark nothing is checked.
 */
export async function readHubEpoch(db: Queryable, tenantId: string, cursor?: MarkedCursor): Promise<HubEpoch> {
  const row = (
    await db.query<{ epoch: string; floor: string | null; head: string; mark: string; diverged: boolean; diverged_floor: string | null }>(
      `WITH c AS (
         SELECT $2::bigint AS version, 'epoch'::timestamptz + $3::bigint * interval '1 millisecond' AS at,
                coalesce((SELECT version FROM sync_heads WHERE tenant_id = $1), 0) AS head
       ), d AS (
         SELECT c.version IS NOT NULL AND (
                  c.version > c.head
                  OR EXISTS (SELECT 1 FROM changes WHERE tenant_id = $1 AND version = c.version AND received_at > c.at)
                  OR EXISTS (SELECT 1 FROM records WHERE tenant_id = $1 AND version = c.version AND received_at > c.at)
                ) AS diverged
           FROM c
       )
       SELECT e.epoch, e.floors ->> $1 AS floor, c.head, ceil(extract(epoch FROM now()) * 1000)::bigint AS mark, d.diverged,
              CASE WHEN d.diverged THEN least(c.version, c.head, greatest(
                (SELECT max(version) FROM changes WHERE tenant_id = $1 AND received_at <= c.at),
                (SELECT max(version) FROM records WHERE tenant_id = $1 AND received_at <= c.at), 0)) END AS diverged_floor
         FROM hub_epoch e, c, d`,
      [tenantId, cursor?.version ?? null, cursor?.mark ?? null],
    )
  ).rows[0];
  if (row === undefined) throw new Error('hub_epoch has no row: the database was not migrated (migration 14)');
  return {
    epoch: row.epoch,
    floor: row.floor === null ? 0 : Number(row.floor),
    head: Number(row.head),
    mark: Number(row.mark),
    diverged: row.diverged ? { floor: Number(row.diverged_floor ?? 0) } : null,
  };
}

export async function renewHubEpoch(db: Queryable): Promise<string> {
  const epoch = randomUUID();
  // The head of each hub is its highest record version: every accepted change leaves one.
  await db.query(
    `UPDATE hub_epoch SET epoch = $1, started_at = now(),
       floors = COALESCE((SELECT jsonb_object_agg(tenant_id, head) FROM (SELECT tenant_id, max(version) AS head FROM records GROUP BY tenant_id) h), '{}'::jsonb)`,
    [epoch],
  );
  return epoch;
}
