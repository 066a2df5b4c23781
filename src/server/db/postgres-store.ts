/**
 * The Store over an external PostgreSQL (DATABASE_URL): production, and several stateless servers
 * over one database. Durability is the server's: keep fsync and synchronous_commit on.
 */
import pg from 'pg';
import { SqlStore } from './sql-store';
import type { StoreHealth } from './store';

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /**
   * A schema to keep every table in (created when missing); tests use one per run so runs never
   * collide. Default: the database's own search_path (public).
   */
  readonly schema?: string;
  /** pool size; default 10 */
  readonly maxConnections?: number;
  /** pg connection settings that a URL cannot carry (host as a socket directory, say) */
  readonly connection?: pg.PoolConfig;
  readonly engine?: StoreHealth['engine'];
  readonly onClose?: () => Promise<void>;
}

/** How a hub server's connections name themselves to PostgreSQL (pg_stat_activity): a restore looks for them. */
export const HUB_APPLICATION_NAME = 'kyoten-navi-hub';

/** The longest wait for a connection of the pool, or for PostgreSQL to take a new one. */
export const CONNECTION_TIMEOUT_MS = 10_000;

/**
 * The longest wait for a statement's answer (pg's query_timeout): a database that stops answering
 * without closing its connections (a machine hung, a network cut that sends no reset) would hold
 * every request, and its connection, without end. Past it the request is answered 503
 * (database-trouble.ts) and the connection is dropped. The hub's statements take milliseconds; the
 * migrations take longer, with a limit of their own (migrate.ts).
 */
export const QUERY_TIMEOUT_MS = 60_000;

/** TCP keepalive from 10 s of silence: a connection to a machine gone is noticed while idle too. */
export const KEEP_ALIVE_DELAY_MS = 10_000;

/**
 * /healthz's limit: its check has a connection of its own (a pool of one), so a pool all taken by
 * requests does not hold it for the 10 s wait, and a database that does not answer within this is
 * not ready.
 */
export const HEALTH_TIMEOUT_MS = 2_000;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new RangeError(`schema name must match ${SCHEMA_NAME}`);
  const { connectionString, urlOptions, urlApplicationName } = splitOptions(options.connectionString);
  const config: pg.PoolConfig = {
    connectionString,
    max: options.maxConnections ?? 10,
    // The name a restore finds the hub's connections by: an application_name in DATABASE_URL would
    // replace it (as `options` would), so the URL's own is added after it.
    application_name: urlApplicationName === '' ? HUB_APPLICATION_NAME : `${HUB_APPLICATION_NAME} ${urlApplicationName}`,
    // One connection kept open while idle: a restore looks for the hub's connections, and a server
    // with none open would not be seen.
    min: 1,
    // A push never waits for a person; a transaction left open would hold the version counter.
    idle_in_transaction_session_timeout: 60_000,
    // A wait for a connection (the pool's all taken, or PostgreSQL not answering) ends: the request
    // is answered 503 with Retry-After (api.ts) rather than held without bound. So does a wait for a
    // statement's answer, on this side (query_timeout): no statement_timeout, since the migrations
    // (at start, and after a restore) run on this pool with a longer limit (migrate.ts).
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_DELAY_MS,
    // No parallel plans: the hub's statements are small, and a pull's COPY relies on a UNION ALL
    // giving its parts in order (sql-store.ts pullAnswer), which a parallel append would not.
    // An `options` in DATABASE_URL would replace this one whole (pg reads the URL over the pool's
    // settings), so the URL's own are taken out of it and put first here.
    options: `${urlOptions}-c max_parallel_workers_per_gather=0${schema === undefined ? '' : ` -c search_path=${schema}`}`,
    ...options.connection,
  };
  const pool = logLostConnections(new pg.Pool(config));
  // /healthz's own connection, kept open once made (a check every few seconds), with the short
  // limit on every wait: for it, for PostgreSQL's answer, and on PostgreSQL's side too.
  const healthPool = logLostConnections(
    new pg.Pool({
      ...config,
      max: 1,
      min: 0,
      idleTimeoutMillis: 0,
      connectionTimeoutMillis: HEALTH_TIMEOUT_MS,
      query_timeout: HEALTH_TIMEOUT_MS,
      statement_timeout: HEALTH_TIMEOUT_MS,
    }),
  );
  try {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    await healthPool.end().catch(() => undefined);
    throw error;
  }
  return new SqlStore(pool, options.engine ?? 'postgres', options.onClose, healthPool);
}

function logLostConnections(pool: pg.Pool): pg.Pool {
  // An idle client whose server went away must not crash the process; the next query reports it.
  pool.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
  // The same for a client that is checked out but between queries (a push hashing evidence): the
  // query that follows fails and the request gets its 503; the process must not die of it.
  pool.on('connect', (client) => client.on('error', (error) => console.error('PostgreSQL connection lost:', error.message)));
  return pool;
}

/**
 * The connection string without its `options` and `application_name` parameters, the first's value
 * followed by a space ('' when there is none), and the second's ('' when none). A string that is
 * not a URL (a socket path) is kept as it is.
 */
export function splitOptions(connectionString: string): { connectionString: string; urlOptions: string; urlApplicationName: string } {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { connectionString, urlOptions: '', urlApplicationName: '' };
  }
  const given = url.searchParams.get('options')?.trim() ?? '';
  const name = url.searchParams.get('application_name')?.trim() ?? '';
  if (!url.searchParams.has('options') && !url.searchParams.has('application_name')) return { connectionString, urlOptions: '', urlApplicationName: '' };
  url.searchParams.delete('options');
  url.searchParams.delete('application_name');
  return { connectionString: url.toString(), urlOptions: given === '' ? '' : `${given} `, urlApplicationName: name };
}
