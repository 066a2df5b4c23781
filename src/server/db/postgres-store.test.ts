// @vitest-environment node
/**
 * The store's connections when PostgreSQL stops answering, takes no writes, or is busy, against a
 * real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432), each test in a schema of its own: no wait
 * without end, a connection left broken is never handed on, and /healthz's check has its own limit.
 */
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { schemaTarget } from '../../../test/integration/schema-target';
import { migrate, MIGRATION_QUERY_TIMEOUT_MS } from './migrate';
import { HEALTH_TIMEOUT_MS, KEEP_ALIVE_DELAY_MS, openPostgresStore, QUERY_TIMEOUT_MS } from './postgres-store';
import type { SqlStore } from './sql-store';
import { inTransaction } from './transaction';
import { copyJsonLines } from './copy-out';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
/** The same, with the pool's wait for an answer made half a second, so a test waits that long, not a minute. */
const impatient = schemaTarget(() => ({ connectionString: url, query_timeout: 500 }), 'postgres');
afterAll(async () => {
  await target.dropAll();
  await impatient.dropAll();
});

const pools = (store: SqlStore) => store as unknown as { pool: pg.Pool; healthPool: pg.Pool };

describe('[A12] no wait on PostgreSQL without end', () => {
  it('[A12] the pool waits at most a minute for an answer, and keeps its idle connections checked (TCP keepalive); /healthz waits 2 s', async () => {
    const { store, raw } = await target.fresh();
    await raw.end();
    try {
      const { pool, healthPool } = pools(store as SqlStore);
      expect(QUERY_TIMEOUT_MS).toBe(60_000);
      expect(pool.options).toMatchObject({ query_timeout: QUERY_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS });
      expect(KEEP_ALIVE_DELAY_MS).toBeLessThanOrEqual(30_000);
      expect(HEALTH_TIMEOUT_MS).toBe(2_000);
      expect(healthPool.options).toMatchObject({ max: 1, connectionTimeoutMillis: HEALTH_TIMEOUT_MS, query_timeout: HEALTH_TIMEOUT_MS, statement_timeout: HEALTH_TIMEOUT_MS, keepAlive: true });
    } finally {
      await store.close();
    }
  });

  it('[S1] a migration that takes longer than the pool waits for an answer is not cut off', async () => {
    const { store, raw } = await impatient.fresh();
    await raw.end();
    try {
      const pool = pools(store as SqlStore).pool;
      await expect(pool.query('SELECT pg_sleep(1)')).rejects.toThrow('Query read timeout');
      expect(MIGRATION_QUERY_TIMEOUT_MS).toBeGreaterThanOrEqual(60 * 60_000);
      const slow = { version: 1, name: 'rewrites a large table', sql: 'SELECT pg_sleep(1.5); CREATE TABLE rewritten (id int)' };
      expect(await migrate(pool, [slow])).toEqual({ applied: [1], schemaVersion: 1 });
      expect((await pool.query("SELECT to_regclass('rewritten') IS NOT NULL AS made")).rows).toEqual([{ made: true }]);
    } finally {
      await store.close();
    }
  });

  it('[A12] a transaction whose statement got no answer in time fails at once, and its connection is dropped, not handed to the next request', async () => {
    const { store, raw } = await impatient.fresh();
    await raw.end();
    // One connection, so the next request would get the very one the transaction had.
    const { connectionString, options } = pools(store as SqlStore).pool.options as pg.PoolConfig;
    const pool = new pg.Pool({ connectionString, options, max: 1, query_timeout: 500 });
    try {
      const started = Date.now();
      await expect(inTransaction(pool, (client) => client.query('SELECT pg_sleep(3)'))).rejects.toThrow('Query read timeout');
      // no ROLLBACK queued behind the statement still running, for another wait (3 s): room for a busy machine
      expect(Date.now() - started).toBeLessThan(2_500);
      expect(pool.totalCount).toBe(0);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      await store.close();
    }
  });

  it('[A12] a connection whose ROLLBACK failed is closed, not handed on', async () => {
    const { store, raw } = await target.fresh();
    const { connectionString, options } = pools(store as SqlStore).pool.options as pg.PoolConfig;
    const pool = new pg.Pool({ connectionString, options, max: 1 });
    pool.on('error', () => undefined);
    const released: (Error | undefined)[] = [];
    pool.on('release', (error: Error | undefined) => released.push(error));
    try {
      // The work fails, and so does the ROLLBACK after it: the connection was ended under it.
      const work = async (client: pg.PoolClient) => {
        const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
        client.on('error', () => undefined);
        await raw.query('SELECT pg_terminate_backend($1)', [pid]);
        throw new Error('the work failed');
      };
      await expect(inTransaction(pool, work)).rejects.toThrow('the work failed');
      expect(released).toHaveLength(1);
      expect(released[0]).toBeInstanceOf(Error);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
      await raw.end();
      await store.close();
    }
  });
});

describe('/healthz: its own connection and limit, and a database that takes no writes', () => {
  it('answers at once while every connection of the pool is taken, without waiting for one', async () => {
    const { store, raw } = await target.fresh();
    await raw.end();
    try {
      await store.migrate();
      const pool = pools(store as SqlStore).pool;
      const held = await Promise.all(Array.from({ length: pool.options.max }, () => pool.connect()));
      try {
        const started = Date.now();
        expect(await store.health()).toMatchObject({ ok: true, readOnly: false });
        expect(Date.now() - started).toBeLessThan(HEALTH_TIMEOUT_MS);
      } finally {
        for (const client of held) client.release();
      }
    } finally {
      await store.close();
    }
  });

  it('says not ok within its limit when PostgreSQL does not answer its check (a table it reads locked), and ok again after', async () => {
    const { store, raw } = await target.fresh();
    try {
      await store.migrate();
      const locker = await raw.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE sync_heads IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        // Three checks at once share one: none waits behind another's limit.
        const checks = await Promise.all([store.health(), store.health(), store.health()]);
        expect(checks.map((c) => c.ok)).toEqual([false, false, false]);
        expect(Date.now() - started).toBeLessThan(HEALTH_TIMEOUT_MS + 1_500);
        await locker.query('ROLLBACK');
      } finally {
        locker.release();
      }
      expect(await store.health()).toMatchObject({ ok: true, readOnly: false });
    } finally {
      await raw.end();
      await store.close();
    }
  });

  it('says not ok, and read-only, when PostgreSQL takes no writes (default_transaction_read_only, as a standby after a failover)', async () => {
    const { store, raw } = await target.fresh();
    await store.migrate();
    const schema = (await raw.query<{ schema: string }>('SELECT current_schema() AS schema')).rows[0]!.schema;
    await raw.end();
    await store.close();
    const readOnly = await openPostgresStore({
      connectionString: url,
      connection: { connectionString: url, options: `-c default_transaction_read_only=on -c search_path=${schema}` },
    });
    try {
      expect(await readOnly.health()).toMatchObject({ ok: false, readOnly: true });
    } finally {
      await readOnly.close();
    }
  });
});

describe('a pull page read with COPY', () => {
  it("stops the pool's wait for an answer when the COPY ends: each pull's timer ran on, then told a connection serving another request that its query had timed out", async () => {
    const { store, raw } = await impatient.fresh();
    await raw.end();
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const clearTimer = vi.spyOn(globalThis, 'clearTimeout');
    try {
      const { pool } = pools(store as SqlStore);
      const before = setTimer.mock.results.length;
      expect(await copyJsonLines(pool, `SELECT '{"a":1}'::text`)).not.toHaveLength(0);
      // the timers pg started for the query's answer (the pool's query_timeout, 500 ms here)
      const started = setTimer.mock.calls.slice(before).flatMap((call, i) => (call[1] === 500 ? [setTimer.mock.results[before + i]!.value] : []));
      expect(started).not.toHaveLength(0);
      const cleared = new Set(clearTimer.mock.calls.map((call) => call[0]));
      for (const timer of started) expect(cleared.has(timer)).toBe(true);
    } finally {
      setTimer.mockRestore();
      clearTimer.mockRestore();
      await store.close();
    }
  });
});
