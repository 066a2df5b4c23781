/**
 * One transaction on a pool client of its own: COMMIT when `work` returns, ROLLBACK when it throws
 * (a failed ROLLBACK, on a connection already lost, is not the error worth reporting), and the
 * client back to the pool either way.
 */
import type pg from 'pg';

export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query(begin);
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
