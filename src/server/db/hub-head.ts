/**
 * The version counter of one hub [S2] (migration 13: `sync_heads`, a row per tenant). A writer
 * takes its hub's row lock with `lockHubHead`, hands out versions from head + 1, and moves the head
 * with `moveHubHead` in the same transaction: writers of one hub commit in version order with no
 * hole, and writers of different hubs never wait for each other. Every writer of changes, records
 * or evidence moves the head, so a push may read and decide before it takes the lock and keep its
 * decisions when the head it read first is still the head it locks (push.ts applyPush). A pull reads the hub's head in the snapshot it reads the records in (sql-store.ts).
 */
import type pg from 'pg';

/** Locks the hub's counter until COMMIT and returns its head, with the transaction's clock. */
export async function lockHubHead(tx: pg.PoolClient, tenantId: string): Promise<{ readonly head: number; readonly now: Date }> {
  // An upsert that changes nothing still locks the row, and creates it for a hub made after migration 13.
  const row = (
    await tx.query<{ version: string; now: Date }>(
      { name: 'lock-hub-head', text: `INSERT INTO sync_heads AS h (tenant_id, version) VALUES ($1, 0)
       ON CONFLICT (tenant_id) DO UPDATE SET version = h.version
       RETURNING h.version, now() AS now` },
      [tenantId],
    )
  ).rows[0]!;
  return { head: Number(row.version), now: row.now };
}

/** Moves the hub's head to `head` when that is past it (a push does so in its last statement, push.ts finishPush). */
export async function moveHubHead(tx: pg.PoolClient, tenantId: string, head: number): Promise<void> {
  await tx.query('UPDATE sync_heads SET version = $2 WHERE tenant_id = $1 AND version < $2', [tenantId, head]);
}
