/**
 * The hub process as `npm start` runs it: /healthz says 503 "starting" until the store is open
 * and migrated, then 200 "ready"; with DATABASE_URL it opens that PostgreSQL instead.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { MIGRATIONS } from '../../src/server/db/migrations/index';
import { SCHEMA_CHECK_MS, startHub, type Hub } from '../../src/server/services/hub';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kyoten-hub-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function distDir(): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>shell</title>');
  return dir;
}

async function healthz(hub: Hub) {
  const res = await fetch(`http://127.0.0.1:${(hub.server.address() as AddressInfo).port}/healthz`);
  return { status: res.status, body: (await res.json()) as { ok: boolean; status: string }, cache: res.headers.get('cache-control') };
}

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of the test's own on the test PostgreSQL, the DATABASE_URL into it (`query`: more parameters), a pool to look in, and `drop`. */
async function ownSchema(prefix: string, query = '') {
  const schema = `${prefix}_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  const databaseUrl = `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}${query}`;
  const drop = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
  return { schema, databaseUrl, admin, drop };
}

/**
 * A hub started over a PostgreSQL role and schema of this run's own (roles belong to the whole
 * server), with a password so that the role signs in whatever pg_hba.conf asks of it (trust, md5 or
 * scram), console.error caught into `errors`; `signIn` posts a sign-in that is refused (401) when
 * the database works; `end` stops the hub and drops the role and schema.
 */
async function hubOfOwnRole(prefix: string, log?: (line: string) => void) {
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const schema = `kyoten_hub${prefix}_${run}`;
  const role = `kyoten_${prefix}_${run}`;
  const password = randomBytes(18).toString('base64url');
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  const errors: string[] = [];
  const logged = console.error;
  let hub: Hub | undefined;
  const end = async () => {
    console.error = logged;
    await hub?.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  };
  try {
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE SCHEMA ${schema} AUTHORIZATION ${role}`);
    const asRole = new URL(url);
    asRole.username = role;
    asRole.password = password;
    asRole.searchParams.set('options', `-c search_path=${schema}`);
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { DATABASE_URL: asRole.toString() }, ...(log === undefined ? {} : { log }) });
  } catch (error) {
    await end();
    throw error;
  }
  const started = hub;
  const port = (started.server.address() as AddressInfo).port;
  const signIn = () =>
    fetch(`http://127.0.0.1:${port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hub: 'no-such-hub', loginName: 'nobody', password: 'wrong', totp: '123456' }),
    });
  const pool = ((await started.store) as unknown as { pool: pg.Pool }).pool;
  return { hub: started, role, admin, errors, signIn, pool, end };
}

describe('hub start', () => {
  it('answers /healthz 503 while the embedded store opens, then 200 ready', async () => {
    const dataDir = tempDir();
    const hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { KYOTEN_DATA_DIR: dataDir } });
    try {
      expect(await healthz(hub)).toEqual({ status: 503, body: { ok: false, status: 'starting' }, cache: 'no-store' });
      await hub.store;
      expect(await healthz(hub)).toEqual({ status: 200, body: { ok: true, status: 'ready' }, cache: 'no-store' });
      expect(await (await hub.store).health()).toMatchObject({ engine: 'embedded-postgres', schemaVersion: Math.max(...MIGRATIONS.map((m) => m.version)) });
      expect(statSync(join(dataDir, 'signing.key')).mode & 0o777).toBe(0o600);
    } finally {
      await hub.close();
    }
  });

  it('opens the PostgreSQL of DATABASE_URL when it is set', async () => {
    const { schema, databaseUrl: withSchema, admin, drop } = await ownSchema('kyoten_hub');
    const hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { DATABASE_URL: withSchema } });
    try {
      await hub.store;
      expect(await healthz(hub)).toMatchObject({ status: 200, body: { ok: true } });
      expect(await (await hub.store).health()).toMatchObject({ engine: 'postgres', schemaVersion: Math.max(...MIGRATIONS.map((m) => m.version)) });
      // The URL's own options (its schema) and the hub's (no parallel plans: a pull page's parts
      // come in order only without them) both hold: pg would let the URL's replace the hub's.
      const pool = ((await hub.store) as unknown as { pool: pg.Pool }).pool;
      const setting = async (name: string) => Object.values((await pool.query(`SHOW ${name}`)).rows[0] as Record<string, string>)[0];
      expect(await setting('search_path')).toBe(schema);
      expect(await setting('max_parallel_workers_per_gather')).toBe('0');
    } finally {
      await hub.close();
      await drop();
    }
  });

  it('a server left running while a newer one migrated its database stops being ready and answers the API 503, and says why', async () => {
    const { schema, databaseUrl: withSchema, admin, drop } = await ownSchema('kyoten_hubold');
    const lines: string[] = [];
    // The server's own check runs every SCHEMA_CHECK_MS (10 s): its clock is the test's, moved on
    // below instead of waited out. Only setInterval is the test's (the check's alone in the hub).
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { DATABASE_URL: withSchema }, log: (l) => lines.push(l) }).catch((error: unknown) => {
      vi.useRealTimers();
      throw error;
    });
    try {
      await hub.store;
      const base = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
      expect(await healthz(hub)).toMatchObject({ status: 200, body: { ok: true, status: 'ready' } });
      expect((await fetch(`${base}/api/session`)).status).not.toBe(503);
      // The newer server's migration, as it commits it.
      await admin.query(`INSERT INTO ${schema}.schema_migrations (version, name) VALUES (${Math.max(...MIGRATIONS.map((m) => m.version)) + 1}, 'from a newer server')`);
      // Seen by the server's own check, with nobody asking /healthz (once SCHEMA_CHECK_MS has passed)...
      // Moved on past SCHEMA_CHECK_MS, and on by each poll's interval (expect.poll does so under fake timers).
      vi.advanceTimersByTime(SCHEMA_CHECK_MS);
      await expect.poll(async () => (await fetch(`${base}/api/session`)).status, { timeout: 30_000, interval: 100 }).toBe(503);
      const api = await fetch(`${base}/api/session`);
      expect(api.status).toBe(503);
      // ...and by /healthz.
      expect(await healthz(hub)).toEqual({ status: 503, body: { ok: false, status: 'schema-too-new' }, cache: 'no-store' });
      expect(api.headers.get('retry-after')).not.toBeNull();
      expect(lines.join('\n')).toContain('the database was migrated by a newer server');
    } finally {
      await hub.close();
      vi.useRealTimers();
      await drop();
    }
  });

  it('keeps DATABASE_POOL_SIZE connections to PostgreSQL at most, and one for /healthz, which answers at once while they are all taken; refuses to start on a value that is not a pool size', async () => {
    const application = `kyoten_pool_test_${process.pid}`;
    const { schema, databaseUrl: withSchema, admin, drop } = await ownSchema('kyoten_hubpool', `&application_name=${application}`);
    for (const bad of ['0', 'many', '2.5', '1000', '0x14', '1e1', '10.0']) {
      await expect(startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { DATABASE_URL: withSchema, DATABASE_POOL_SIZE: bad } })).rejects.toThrow(
        `DATABASE_POOL_SIZE must be a whole number from 1 to 100, got "${bad}"`,
      );
    }
    const hub = await startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: { DATABASE_URL: withSchema, DATABASE_POOL_SIZE: '2' } });
    const locker = await admin.connect();
    try {
      const store = await hub.store;
      // Twenty reads at once, each held up by a lock on the table it reads: the hub opens its two
      // connections and queues the other eighteen.
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${schema}.tenants IN ACCESS EXCLUSIVE MODE`);
      const answers = Promise.all(Array.from({ length: 20 }, () => store.hubExists('hub-matsudo')));
      const pool = (store as unknown as { pool: pg.Pool }).pool;
      const open = async () =>
        (await locker.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'kyoten-navi-hub ' || $1`, [application])).rows[0]!.n;
      for (let tries = 0; pool.waitingCount < 18 || pool.totalCount < 2; tries++) {
        if (tries > 600) throw new Error(`the pool never filled: ${pool.totalCount} open, ${pool.waitingCount} waiting`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // /healthz does not wait for a connection of the pool (10 s): it has its own.
      const started = Date.now();
      expect(await healthz(hub)).toMatchObject({ status: 200, body: { ok: true, status: 'ready' } });
      // (the pool's wait it must not make is 10 s: room for a busy machine)
      expect(Date.now() - started).toBeLessThan(5_000);
      expect({ open: await open(), pool: pool.totalCount, waiting: pool.waitingCount }).toEqual({ open: 3, pool: 2, waiting: 18 });
      await locker.query('COMMIT');
      expect(await answers).toEqual(Array.from({ length: 20 }, () => false));
    } finally {
      locker.release();
      await hub.close();
      await drop();
    }
  });

  it('a database that takes no writes (a standby after a failover) makes /healthz say store-read-only and every write 503 with Retry-After 30, said in the log; ready again once it takes writes', async () => {
    // The hub's connections are cut and come back to a database that takes no writes, as after a
    // failover to the wrong side: a role of this run's own whose sessions default to read-only.
    const lines: string[] = [];
    const { hub, role, admin, errors, signIn, pool, end } = await hubOfOwnRole('ro', (l) => lines.push(l));
    const reconnect = async () => {
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      await expect.poll(() => pool.totalCount, { timeout: 20_000 }).toBe(0);
    };
    try {
      expect(await healthz(hub)).toMatchObject({ status: 200, body: { status: 'ready' } });
      expect((await signIn()).status).toBe(401);

      await admin.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
      await reconnect();
      expect(await healthz(hub)).toEqual({ status: 503, body: { ok: false, status: 'store-read-only' }, cache: 'no-store' });
      // A sign-in writes (its throttle): refused by the database, answered 503 and not 500.
      const refused = await signIn();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('30');
      expect(await refused.json()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/書き込めない状態です.*管理者に連絡/) });
      expect(errors.filter((e) => e.includes('failed:'))).toEqual([]);
      expect(errors.filter((e) => e.includes('PostgreSQL is read-only: a standby after a failover, or default_transaction_read_only is on'))).toHaveLength(1);
      expect(lines.filter((l) => l.startsWith('the database is read-only'))).toHaveLength(1);

      await admin.query(`ALTER ROLE ${role} RESET default_transaction_read_only`);
      await reconnect();
      expect(await healthz(hub)).toMatchObject({ status: 200, body: { ok: true, status: 'ready' } });
      expect((await signIn()).status).toBe(401);
      expect(lines).toContain('the database takes writes again: /healthz answers ready');
    } finally {
      await end();
    }
  });

  it('answers 503 with Retry-After, not 500, while PostgreSQL refuses the hub more connections (53300), then serves again', async () => {
    // Several hubs' pools over PostgreSQL's max_connections meet this; a role's connection limit
    // is the same refusal (too_many_connections) without restarting the test's PostgreSQL.
    const { role, admin, errors, signIn, pool, end } = await hubOfOwnRole('full');
    try {
      expect((await signIn()).status).toBe(401);
      // No connection more for the hub's role, and the ones it holds closed (and dropped by its pool).
      await admin.query(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [role]);
      await expect.poll(() => pool.totalCount, { timeout: 20_000 }).toBe(0);
      const refused = await signIn();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ error: 'unavailable', message: expect.stringMatching(/一時的に接続できません/) });
      expect(errors.filter((e) => e.includes('API POST'))).toEqual([]);
      await admin.query(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
      expect((await signIn()).status).toBe(401);
    } finally {
      await end();
    }
  });

  it('with DATABASE_URL, every server signs with the one key kept in the database, sealed with KYOTEN_SECRET_KEY; another secret key refuses to start', async () => {
    const { schema, databaseUrl: withSchema, admin, drop } = await ownSchema('kyoten_hubkey');
    const env = { DATABASE_URL: withSchema, KYOTEN_SECRET_KEY: Buffer.alloc(32, 5).toString('base64') };
    const logs: string[] = [];
    const start = (e: typeof env) => startHub({ port: 0, host: '127.0.0.1', distDir: distDir(), env: e, log: (l) => logs.push(l) });
    const [one, two] = await Promise.all([start(env), start(env)]);
    try {
      await Promise.all([one.store, two.store]);
      const fingerprints = logs.filter((l) => l.startsWith('hub signing key'));
      expect(fingerprints).toHaveLength(2);
      expect(fingerprints[0]).toBe(fingerprints[1]);
      expect(fingerprints[0]).toMatch(/^hub signing key [0-9a-f]{4}( [0-9a-f]{4}){15} \(database\)$/);
      const stored = await admin.query<{ private_key: string }>(`SELECT private_key FROM ${schema}.hub_signing_key`);
      expect(stored.rows).toHaveLength(1);
      expect(stored.rows[0]!.private_key).toMatch(/^v1:/);
      const wrong = await start({ ...env, KYOTEN_SECRET_KEY: Buffer.alloc(32, 6).toString('base64') });
      await expect(wrong.store).rejects.toThrow(/does not open/);
      await wrong.close();
    } finally {
      await one.close();
      await two.close();
      await drop();
    }
  });
});
