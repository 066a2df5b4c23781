/**
 * One transaction on a pool client of its own: COMMIT when `work` returns, ROLLBACK when it throws
 * (a failed ROLLBACK, on a connection already lost, is not the error worth reporting), and the
 * client back to the pool either way, or dropped when it may be broken.
 */
import type pg from 'pg';

/** pg's words when a statement went unanswered for its query_timeout (postgres-store.ts). */
const READ_TIMEOUT = 'Query read timeout';

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    broken = await rollBack(client, error);
    throw error;
  } finally {
    // A connection whose ROLLBACK failed is closed, not handed to the next request (PostgreSQL
    // rolls back what it had open when the connection goes).
    client.release(broken);
  }
}

/** Rolls back; the error that leaves the connection unfit for another request, or undefined. */
async function rollBack(client: pg.PoolClient, cause: unknown): Promise<Error | undefined> {
  // A statement that ran out of time is still running, or the database stopped answering: a
  // ROLLBACK would wait behind it for another query_timeout, holding the request that long.
  if (cause instanceof Error && cause.message === READ_TIMEOUT) return cause;
  try {
    await client.query('ROLLBACK');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error('ROLLBACK failed');
  }
}
