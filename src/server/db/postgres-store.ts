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

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openPostgresStore(options: PostgresStoreOptions): Promise<SqlStore> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new RangeError(`schema name must match ${SCHEMA_NAME}`);
  const { connectionString, urlOptions, urlApplicationName } = splitOptions(options.connectionString);
  const pool = new pg.Pool({
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
    // is answered 503 with Retry-After (api.ts) rather than held without bound. No statement_timeout:
    // migrations (at start, and after a restore) run on this pool and must not be cut off.
    connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
    // No parallel plans: the hub's statements are small, and a pull's COPY relies on a UNION ALL
    // giving its parts in order (sql-store.ts pullAnswer), which a parallel append would not.
    // An `options` in DATABASE_URL would replace this one whole (pg reads the URL over the pool's
    // settings), so the URL's own are taken out of it and put first here.
    options: `${urlOptions}-c max_parallel_workers_per_gather=0${schema === undefined ? '' : ` -c search_path=${schema}`}`,
    ...options.connection,
  });
  // An idle client whose server went away must not crash the process; the next query reports it.
  pool.on('error', (error) => console.error('PostgreSQL connection lost:', error.message));
  // The same for a client that is checked out but between queries (a push hashing evidence): the
  // query that follows fails and the request gets its 503; the process must not die of it.
  pool.on('connect', (client) => client.on('error', (error) => console.error('PostgreSQL connection lost:', error.message)));
  try {
    if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  return new SqlStore(pool, options.engine ?? 'postgres', options.onClose);
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
