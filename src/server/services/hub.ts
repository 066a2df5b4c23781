/**
 * Starts the hub: the HTTP server first (so /healthz can say "starting" while a first start
 * creates the embedded cluster), then the store from the environment (DATABASE_URL, or the
 * embedded PostgreSQL in KYOTEN_DATA_DIR), migrated. /healthz answers ready once both are up.
 */
import type { Server } from 'node:http';
import { startServer, type Readiness } from '../app-server';
import { openStoreFromEnv, poolSizeFromEnv, type StoreEnv } from '../db/open-store';
import type { Store } from '../db/store';
import { createApiHandler, dbWorkFor } from '../http/api';
import { formatFingerprint } from '../../protocol/countersign';
import { accountsConfigFromEnv, type AccountsEnv } from './accounts';
import { hubKeyFromEnv, type HubKey, type SigningKeyEnv } from './hub-key';

export interface HubOptions {
  readonly port: number;
  readonly host: string;
  readonly distDir: string;
  readonly env: StoreEnv & AccountsEnv & SigningKeyEnv;
  readonly log?: (line: string) => void;
  /** the clock of sessions and sign-in throttling; tests move it */
  readonly now?: () => Date;
}

export interface Hub {
  readonly server: Server;
  /** resolves once the store is open and migrated; rejects if it cannot be opened */
  readonly store: Promise<Store>;
  /** stops taking requests, then closes the store (and stops an embedded PostgreSQL) */
  close(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<Hub> {
  let opened: Store | undefined;
  let hubKey: HubKey | undefined;
  let failed = false;
  const readiness = async (): Promise<Readiness> => {
    if (opened === undefined) return { ok: false, status: failed ? 'store-unavailable' : 'starting' };
    return (await opened.health()).ok ? { ok: true, status: 'ready' } : { ok: false, status: 'store-unavailable' };
  };
  // Checked before anything starts: a bad DATABASE_POOL_SIZE stops the start, said in words.
  const poolSize = poolSizeFromEnv(options.env);
  const api = createApiHandler({
    store: () => opened,
    dbWork: dbWorkFor(poolSize),
    accounts: accountsConfigFromEnv(options.env, options.now),
    trustProxy: options.env.TRUST_PROXY === '1',
    hubKey: () => hubKey,
  });
  const trustProxy = options.env.TRUST_PROXY === '1';
  const server = await startServer({ port: options.port, host: options.host, distDir: options.distDir, readiness, api, trustProxy });
  // The signing key may live in the database (DATABASE_URL without KYOTEN_SIGNING_KEY): the hub is
  // ready only once it is loaded, so no entry is ever answered without its receipt.
  const store = openStoreFromEnv(options.env, options.log)
    .then(async (s) => {
      try {
        hubKey = await hubKeyFromEnv(options.env, s);
      } catch (error) {
        await s.close().catch(() => undefined);
        throw error;
      }
      options.log?.(`hub signing key ${formatFingerprint(hubKey.fingerprint)} (${hubKey.source})`);
      if (hubKey.source === 'database-clear') {
        options.log?.('KYOTEN_SECRET_KEY is not set: the hub signing key is stored in clear in the database. Set KYOTEN_SIGNING_KEY or KYOTEN_SECRET_KEY (docs/hub-server.md).');
      }
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
      await new Promise<void>((done) => server.close(() => done()));
      if (opened !== undefined) await opened.close();
      else await store.then((s) => s.close(), () => undefined);
    },
  };
}
