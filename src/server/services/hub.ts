/**
 * Starts the hub: the HTTP server first (so /healthz can say "starting" while a first start
 * creates the embedded cluster), then the store from the environment (DATABASE_URL, or the
 * embedded PostgreSQL in KYOTEN_DATA_DIR), migrated. /healthz answers ready once both are up.
 */
import type { Server } from 'node:http';
import { startServer, type Readiness } from '../app-server';
import { openStoreFromEnv, poolSizeFromEnv, type StoreEnv } from '../db/open-store';
import type { Store } from '../db/store';
import type { SqlStore, SqlStoreHealth } from '../db/sql-store';
import { createApiHandler, dbWorkFor } from '../http/api';
import { MIGRATIONS } from '../db/migrations/index';
import { formatFingerprint } from '../../protocol/countersign';
import { accountsConfigFromEnv, type AccountsEnv } from './accounts';
import type { SealedCount } from '../db/countersign';
import { hubKeyFromEnv, sealClearSecrets, type HubKey, type SigningKeyEnv } from './hub-key';

export interface HubOptions {
  readonly port: number;
  readonly host: string;
  readonly distDir: string;
  readonly env: StoreEnv & AccountsEnv & SigningKeyEnv;
  readonly log?: (line: string) => void;
  /** the clock of sessions and sign-in throttling; tests move it */
  readonly now?: () => Date;
  /**
   * The embedded PostgreSQL exited while the hub ran (the OOM killer, a crash): the line says how
   * and where its log is. Without PostgreSQL the hub could only answer 503; main.ts ends the process.
   */
  readonly onStoreLost?: (line: string) => void;
}

export interface Hub {
  readonly server: Server;
  /** resolves once the store is open and migrated; rejects if it cannot be opened */
  readonly store: Promise<Store>;
  /** stops taking requests, then closes the store (and stops an embedded PostgreSQL) */
  close(): Promise<void>;
}

/** The newest migration this server knows. */
const KNOWN_SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));
/** How often a running server looks whether a newer server has migrated its database. */
export const SCHEMA_CHECK_MS = 10_000;

/** What a start with a secret key sealed, and what it did not reach: the dumps taken before. */
function sealedLine({ signingKey, totpSecrets }: SealedCount): string {
  const all = signingKey + totpSecrets;
  const what = [signingKey > 0 ? 'the hub signing key' : '', totpSecrets > 0 ? `${totpSecrets} TOTP secret${totpSecrets === 1 ? '' : 's'}` : ''].filter((w) => w !== '');
  return (
    `sealed ${all} secret${all === 1 ? '' : 's'} the database held in clear (${what.join(', ')}) with the secret key. ` +
    'Database dumps taken before this start still hold them in clear: keep those dumps encrypted or delete them (docs/hub-server.md).'
  );
}

export async function startHub(options: HubOptions): Promise<Hub> {
  let opened: SqlStore | undefined;
  let hubKey: HubKey | undefined;
  let failed = false;
  // An older server left running while a newer one migrated the database (an upgrade of several
  // machines done one at a time) would write and read the new schema with the old code: from the
  // moment it sees a migration it does not know, it is not ready (the load balancer stops sending
  // it requests) and answers every API request 503, until it is stopped and upgraded.
  let outdated = false;
  // A database that takes no writes (a standby after a failover) is said once when it is seen, and
  // again once it takes them: the load balancer stops sending this server requests meanwhile.
  let readOnly = false;
  const checked = async (store: SqlStore): Promise<SqlStoreHealth> => {
    const health = await store.health();
    if (health.ok && health.schemaVersion > KNOWN_SCHEMA && !outdated) {
      outdated = true;
      options.log?.(
        `the database was migrated by a newer server (schema ${health.schemaVersion}; this server knows ${KNOWN_SCHEMA}): ` +
          'this server now answers 503 until it is stopped; upgrade it to the version that migrated the database (docs/hub-server.md, "Production recipe", step 6 "Upgrade")',
      );
    }
    if (health.readOnly !== readOnly && (health.readOnly || health.ok)) {
      readOnly = health.readOnly;
      options.log?.(
        readOnly
          ? 'the database is read-only (a standby after a failover, or default_transaction_read_only is on): /healthz answers 503 store-read-only and every write 503 until DATABASE_URL reaches a primary that takes writes'
          : 'the database takes writes again: /healthz answers ready',
      );
    }
    return health;
  };
  const schemaCheck = setInterval(() => {
    if (opened !== undefined && !outdated) void checked(opened).catch(() => undefined);
  }, SCHEMA_CHECK_MS);
  schemaCheck.unref();
  const readiness = async (): Promise<Readiness> => {
    if (opened === undefined) return { ok: false, status: failed ? 'store-unavailable' : 'starting' };
    const health = await checked(opened);
    if (outdated) return { ok: false, status: 'schema-too-new' };
    if (health.readOnly) return { ok: false, status: 'store-read-only' };
    return health.ok ? { ok: true, status: 'ready' } : { ok: false, status: 'store-unavailable' };
  };
  // Checked before anything starts: a bad DATABASE_POOL_SIZE stops the start, said in words.
  const poolSize = poolSizeFromEnv(options.env);
  const api = createApiHandler({
    store: () => (outdated ? undefined : opened),
    dbWork: dbWorkFor(poolSize),
    accounts: accountsConfigFromEnv(options.env, options.now),
    trustProxy: options.env.TRUST_PROXY === '1',
    hubKey: () => hubKey,
  });
  const trustProxy = options.env.TRUST_PROXY === '1';
  const server = await startServer({ port: options.port, host: options.host, distDir: options.distDir, readiness, api, trustProxy });
  // The signing key may live in the database (DATABASE_URL without KYOTEN_SIGNING_KEY): the hub is
  // ready only once it is loaded, so no entry is ever answered without its receipt.
  const store = openStoreFromEnv(options.env, options.log, options.onStoreLost)
    .then(async (s) => {
      let sealed: SealedCount;
      try {
        hubKey = await hubKeyFromEnv(options.env, s);
        // A secret key set after a start without one: what that start stored in clear is sealed now.
        sealed = await sealClearSecrets(options.env, s);
      } catch (error) {
        await s.close().catch(() => undefined);
        throw error;
      }
      options.log?.(`hub signing key ${formatFingerprint(hubKey.fingerprint)} (${hubKey.source})`);
      if (options.env.KYOTEN_ACCEPT_NEW_SIGNING_KEY === '1') {
        options.log?.(
          'KYOTEN_ACCEPT_NEW_SIGNING_KEY=1: this key is used even if the receipts so far were signed with another (a lost key). The phones will not keep the new key’s receipts (they check them against the key taken at join): their entries read 未署名 until the phones are set up again; remove the variable once this key has signed a receipt (the next entry a phone sends): from then on the hub starts with this key alone, and refuses any other (docs/hub-server.md).',
        );
      }
      if (hubKey.source === 'database-clear') {
        options.log?.('KYOTEN_SECRET_KEY is not set: the hub signing key is stored in clear in the database. Set KYOTEN_SIGNING_KEY or KYOTEN_SECRET_KEY (docs/hub-server.md).');
      }
      if (sealed.signingKey + sealed.totpSecrets > 0) options.log?.(sealedLine(sealed));
      return (opened = s);
    })
    .catch((error: unknown) => {
      failed = true;
      throw error;
    });
  store.catch(() => undefined); // the caller decides what a failed open means
  return {
    server,
    store,
    async close() {
      clearInterval(schemaCheck);
      await new Promise<void>((done) => server.close(() => done()));
      if (opened !== undefined) await opened.close();
      else await store.then((s) => s.close(), () => undefined);
    },
  };
}
