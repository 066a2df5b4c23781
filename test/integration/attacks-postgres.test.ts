/** The attack suite against a real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432). */
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { ALL_ATTACKS } from './attacks/all';
import { attackSuite } from './attacks/attack-suite';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const DEBIAN_LOGS = '/var/log/postgresql';
const readable = (path: string) => {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Where the server the tests use writes its log, when this process may read it: $TEST_POSTGRES_LOG;
 * else the log collector's current file (pg_current_logfile, under the data directory); else where
 * Debian's pg_ctlcluster sends the cluster's stderr (/var/log/postgresql/postgresql-15-main.log for
 * cluster_name 15/main); else the newest /var/log/postgresql/postgresql-*-main.log.
 */
async function candidateLogs(db: pg.Client): Promise<string[]> {
  if (process.env['TEST_POSTGRES_LOG'] !== undefined) return [process.env['TEST_POSTGRES_LOG']];
  const found: string[] = [];
  const setting = async (sql: string) => ((await db.query<{ v: string | null }>(sql).catch(() => null))?.rows[0]?.v ?? '').trim();
  const current = await setting('SELECT pg_current_logfile() AS v');
  const dataDirectory = await setting("SELECT current_setting('data_directory') AS v");
  if (current !== '' && (isAbsolute(current) || dataDirectory !== '')) found.push(isAbsolute(current) ? current : join(dataDirectory, current));
  const cluster = await setting("SELECT current_setting('cluster_name') AS v");
  if (/^\d+\/[\w-]+$/.test(cluster)) found.push(join(DEBIAN_LOGS, `postgresql-${cluster.replace('/', '-')}.log`));
  if (existsSync(DEBIAN_LOGS)) {
    const debian = readdirSync(DEBIAN_LOGS)
      .filter((f) => /^postgresql-\d+-main\.log$/.test(f))
      .map((f) => join(DEBIAN_LOGS, f))
      .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    found.push(...debian);
  }
  return [...new Set(found)];
}

/**
 * The log file that is this server's: the first candidate that shows a line the server was just
 * told to log (RAISE LOG is written to the server log at the default log_min_messages).
 */
async function findPostgresLog(): Promise<string | undefined> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const candidates = (await candidateLogs(db)).filter((path) => existsSync(path) && readable(path));
    if (candidates.length === 0) return undefined;
    const marker = `kyoten-attacks-log-${globalThis.crypto.randomUUID()}`;
    const sizes = new Map(candidates.map((path) => [path, statSync(path).size]));
    await db.query(`DO $$ BEGIN RAISE LOG '${marker}'; END $$`);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      for (const path of candidates) {
        if (readFileSync(path).subarray(sizes.get(path)).toString('utf8').includes(marker)) return path;
      }
      await new Promise((done) => setTimeout(done, 100));
    }
    return undefined;
  } finally {
    await db.end();
  }
}

// PostgreSQL's own log, when the test can find this server's and may read it ([A2]: what a refused
// value leaves there). In CI it is always checked, never skipped: a log not found fails the file.
let log: string | undefined;
beforeAll(async () => {
  log = await findPostgresLog();
  if (log !== undefined) return;
  if (process.env['CI'] !== undefined) {
    throw new Error(`PostgreSQL's log was not found or not readable (set TEST_POSTGRES_LOG, or run as a user that may read ${DEBIAN_LOGS}): the attacks cannot check what reaches it`);
  }
  console.log(`PostgreSQL's log was not found or not readable here: the attacks do not check what reaches it`);
});
attackSuite('PostgreSQL', target, ALL_ATTACKS, () => log);
