/**
 * The database's trouble that passes, told from a bug: a request it failed is answered 503
 * `unavailable` with a Retry-After, which the app takes as "come back" [A2][A12], not 500.
 */
import { ServiceError } from '../services/errors';

/** As the A12 gate's busy answer: the app's next run comes 2–4 s later. */
const BUSY_RETRY_SECONDS = 2;
/** A PostgreSQL restarting takes a few seconds. */
const DATABASE_GONE_RETRY_SECONDS = 5;
/**
 * A database that takes no writes, or is out of disk or memory, waits for its admin (a failover to
 * mend, a disk to free): the phones come back less often meanwhile, their changes kept queued.
 */
const DATABASE_STUCK_RETRY_SECONDS = 30;

export interface DatabaseTrouble {
  /**
   * 'gone': not reachable now; 'busy': there, but not for this request now; 'read-only': it takes
   * no writes; 'full': out of disk space or memory.
   */
  readonly kind: 'gone' | 'busy' | 'read-only' | 'full';
  /**
   * for the log (api.ts writes it as it is) and the answer's detail: a SQLSTATE, an errno code or
   * pg's own fixed words, with this module's plain words for what the admin must mend; never a
   * database message
   */
  readonly what: string;
}

/**
 * The database's trouble that passes, as the client is told to come back [A2][A12]: 'gone' when
 * the connection is lost or PostgreSQL is not taking connections (restarting, shutting down, its
 * connections all taken, its socket gone), 'busy' when it is there but could not do this request
 * now (no connection of the pool came in time, a statement ran out of time, a serialization
 * failure or deadlock that a retry clears), 'read-only' when it takes no writes (a standby after a
 * failover, default_transaction_read_only), 'full' when it is out of disk space or memory. Null for
 * anything else: a bug, 500.
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
    // 25006 read-only transaction: DATABASE_URL reaches a standby (the old primary after a
    // failover, a replica), or default_transaction_read_only is on. Every write fails until it is mended.
    if (code === '25006') {
      return { kind: 'read-only', what: 'PostgreSQL is read-only: a standby after a failover, or default_transaction_read_only is on; point DATABASE_URL at the primary (SQLSTATE 25006)' };
    }
    // Class 53, insufficient resources: 53100 disk full, 53200 out of memory, 53000 the class itself.
    if (['53000', '53100', '53200'].includes(code)) return { kind: 'full', what: `PostgreSQL is out of disk space or memory (SQLSTATE ${code})` };
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
  // A statement unanswered for the pool's query_timeout (postgres-store.ts): a database that stopped answering.
  'Query read timeout',
]);
/** pg-pool's answer when no connection of the pool came within connectionTimeoutMillis (postgres-store.ts). */
const PG_POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

const COME_BACK = 'しばらくしてからもう一度お試しください。';
const ASK_THE_ADMIN = '続くときは拠点の管理者に連絡してください。';

/** The database lost, busy, read-only or full: 503 with a Retry-After, in words the app shows [A2][A12]. */
export function databaseUnavailable(trouble: DatabaseTrouble): ServiceError {
  switch (trouble.kind) {
    case 'gone':
      return new ServiceError('unavailable', `サーバーに一時的に接続できません。${COME_BACK}`, `the database cannot be reached (${trouble.what})`, DATABASE_GONE_RETRY_SECONDS);
    case 'busy':
      return new ServiceError('unavailable', 'サーバーが混み合っています。しばらくしてから自動でもう一度送ります。', `the database is busy (${trouble.what})`, BUSY_RETRY_SECONDS);
    case 'read-only':
      return new ServiceError('unavailable', `サーバーのデータベースが今は書き込めない状態です。${COME_BACK}${ASK_THE_ADMIN}`, trouble.what, DATABASE_STUCK_RETRY_SECONDS);
    case 'full':
      return new ServiceError('unavailable', `サーバーのデータベースの空き容量かメモリが足りません。${COME_BACK}${ASK_THE_ADMIN}`, trouble.what, DATABASE_STUCK_RETRY_SECONDS);
  }
}
