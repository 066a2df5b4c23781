/**
 * Chooses the Store from the environment: DATABASE_URL → that PostgreSQL; otherwise the embedded
 * PostgreSQL in KYOTEN_DATA_DIR (default ./data); DATABASE_POOL_SIZE connections to the former.
 * Migrations run before the store is handed out.
 */
import { resolve } from 'node:path';
import { openEmbeddedStore } from './embedded-store';
import { openPostgresStore } from './postgres-store';
import type { SqlStore } from './sql-store';
import { SettingError } from '../setting-error';

export interface StoreEnv {
  readonly DATABASE_URL?: string | undefined;
  readonly KYOTEN_DATA_DIR?: string | undefined;
  readonly DATABASE_POOL_SIZE?: string | undefined;
}

/** The hub's connections to PostgreSQL, when DATABASE_POOL_SIZE does not say. */
export const DEFAULT_POOL_SIZE = 10;

/**
 * DATABASE_POOL_SIZE: how many connections the hub keeps to the PostgreSQL of DATABASE_URL. More
 * pay when PostgreSQL is on another machine (each round trip then holds a connection for the
 * network's latency); the default suits one machine. A bad value stops the start, said in words.
 * Without DATABASE_URL the embedded store's pool is DEFAULT_POOL_SIZE whatever it says, and so is
 * the answer: the A12 gate is sized from it (a gate wider than the pool would queue requests in
 * the pool, where nothing times them out).
 */
export function poolSizeFromEnv(env: StoreEnv): number {
  const raw = env.DATABASE_POOL_SIZE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_POOL_SIZE;
  // Digits only: Number() would also take "0x14", "1e1" or "10.0".
  const value = /^\d{1,3}$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!(value >= 1 && value <= 100)) {
    throw new SettingError(`DATABASE_POOL_SIZE must be a whole number from 1 to 100, got "${raw}"`);
  }
  // The embedded store keeps its own pool of DEFAULT_POOL_SIZE: the value is checked all the same.
  return env.DATABASE_URL ? value : DEFAULT_POOL_SIZE;
}

/**
 * The store in words for the admin: which database a start opens, or a restore would replace. A
 * DATABASE_URL is named by its database, host and port, never its password; one that is not a URL
 * (libpq's "key=value" form) is named by its variable alone.
 */
/** The embedded store's folder (its cluster in `pg/`, beside the key files): KYOTEN_DATA_DIR, or `data`. */
export function dataDirOf(env: StoreEnv): string {
  return resolve(env.KYOTEN_DATA_DIR ?? 'data');
}

export function describeStore(env: StoreEnv): string {
  if (!env.DATABASE_URL) return `embedded PostgreSQL in ${dataDirOf(env)}`;
  const parsed = parseDatabaseUrl(env.DATABASE_URL);
  if (parsed === null) return 'PostgreSQL (DATABASE_URL)';
  const url = parsed.url;
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'PostgreSQL (DATABASE_URL)';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || url.searchParams.get('dbname') || '(the user\'s own)';
  const host = url.hostname !== '' && !parsed.socketForm ? url.hostname : (url.searchParams.get('host') ?? 'the local socket');
  const port = url.port !== '' ? `:${url.port}` : '';
  return `PostgreSQL database "${database}" on ${host}${port} (DATABASE_URL)`;
}

// Stands in for the host the recipe's socket URL leaves out, so that Node reads the rest as a URL.
const NO_HOST = 'no-host.invalid';

/**
 * DATABASE_URL read as a URL: also the recipe's socket form, which has no host
 * (`postgres://kyoten:pw@/kyoten?host=/run/postgresql`) and is not a URL to Node though libpq and
 * node-pg take it. `databaseUrlText` writes it back in the form it came in. Null for anything
 * else (libpq's key=value form).
 */
export function parseDatabaseUrl(databaseUrl: string): { readonly url: URL; readonly socketForm: boolean } | null {
  try {
    return { url: new URL(databaseUrl), socketForm: false };
  } catch {
    const withHost = databaseUrl.replace(/^(postgres(?:ql)?:\/\/(?:[^@/?#]*@)?)(?=[/?#]|$)/, `$1${NO_HOST}`);
    if (withHost === databaseUrl) return null;
    try {
      return { url: new URL(withHost), socketForm: true };
    } catch {
      return null;
    }
  }
}

export function databaseUrlText(parsed: { readonly url: URL; readonly socketForm: boolean }): string {
  const text = parsed.url.toString();
  return parsed.socketForm ? text.replace(NO_HOST, '') : text;
}

/**
 * `onEmbeddedExit`: told if the embedded PostgreSQL exits while the store is open (its line says
 * how); a PostgreSQL of DATABASE_URL is its own service's to start again.
 */
export async function openStoreFromEnv(env: StoreEnv, log: (line: string) => void = () => undefined, onEmbeddedExit?: (line: string) => void): Promise<SqlStore> {
  const store = env.DATABASE_URL
    ? await openPostgresStore({ connectionString: env.DATABASE_URL, maxConnections: poolSizeFromEnv(env) })
    : await openEmbeddedStore({ dataDir: dataDirOf(env), log, onExit: onEmbeddedExit });
  try {
    const { applied, schemaVersion } = await store.migrate();
    log(applied.length > 0 ? `database migrated to schema ${schemaVersion}` : `database schema ${schemaVersion} is up to date`);
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
