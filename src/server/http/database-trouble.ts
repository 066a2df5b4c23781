/**
 * The database's trouble that passes, told from a bug: a request it failed is answered 503
 * `unavailable` with a short Retry-After, which the app takes as "come back" [A2][A12], not 500.
 */
import { ServiceError } from '../services/errors';

/** As the A12 gate's busy answer: the app's next run comes 2–4 s later. */
const BUSY_RETRY_SECONDS = 2;
/** A PostgreSQL restarting takes a few seconds. */
const DATABASE_GONE_RETRY_SECONDS = 5;

export interface DatabaseTrouble {
  readonly kind: 'gone' | 'busy';
  /** for the log and the answer's detail: a SQLSTATE, an errno code or pg's own fixed words, never a database message */
  readonly what: string;
}

/**
 * The database's trouble that passes, as the client is told to come back [A2][A12]: 'gone' when
 * the connection is lost or PostgreSQL is not taking connections (restarting, shutting down, its
 * connections all taken, its socket gone), 'busy' when it is there but could not do this request
 * now (no connection of the pool came in time, a statement ran out of time, a serialization
 * failure or deadlock that a retry clears). Null for anything else: a bug, 500.
 */
export function passingDatabaseTrouble(error: unknown): DatabaseTrouble | null {
  if (!(error instanceof Error)) return null;
  const { code, syscall } = error as { code?: unknown; syscall?: unknown };
  if (typeof code === 'string') {
    // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now (starting, stopping);
    // 53300 too many connections (several hubs' pools over max_connections, a role's limit);
    // class 08, the connection; a socket refused, reset or gone (the embedded store's Unix socket).
    if (code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code)) return { kind: 'gone', what: `SQLSTATE ${code}` };
    // A database on another machine that cannot be reached now: no route, no network, a name not resolved.
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND'].includes(code) || (code === 'ENOENT' && syscall === 'connect')) {
      return { kind: 'gone', what: code };
    }
    // 40001 serialization failure, 40P01 deadlock, 57014 statement timeout or cancel.
    if (code === '40001' || code === '40P01' || code === '57014') return { kind: 'busy', what: `SQLSTATE ${code}` };
    return null;
  }
  // pg's own errors carry no code: they are told by their words (node-postgres 8, pg-pool 3).
  if (PG_CONNECTION_GONE.has(error.message)) return { kind: 'gone', what: error.message };
  if (error.message === PG_POOL_WAIT_TIMEOUT) return { kind: 'busy', what: error.message };
  return null;
}

const PG_CONNECTION_GONE = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'Client has encountered a connection error and is not queryable',
  'Client was closed and is not queryable',
  'Query read timeout',
]);
/** pg-pool's answer when no connection of the pool came within connectionTimeoutMillis (postgres-store.ts). */
const PG_POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

/** The database lost or busy: 503 with a short Retry-After, in words the app shows [A2][A12]. */
export function databaseUnavailable(trouble: DatabaseTrouble): ServiceError {
  return trouble.kind === 'gone'
    ? new ServiceError('unavailable', 'サーバーに一時的に接続できません。しばらくしてからもう一度お試しください。', `the database cannot be reached (${trouble.what})`, DATABASE_GONE_RETRY_SECONDS)
    : new ServiceError('unavailable', 'サーバーが混み合っています。しばらくしてから自動でもう一度送ります。', `the database is busy (${trouble.what})`, BUSY_RETRY_SECONDS);
}
