/**
 * A hub over PostgreSQL for the benches that run in Node alone (push-node.ts, pull-node.ts): a
 * store in a fresh schema whose connections carry `application` (so their backends' CPU can be
 * read), a raw pool on the same schema, and the API on loopback when asked. Dropped afterwards.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { startServer } from '../src/server/app-server';
import { openPostgresStore } from '../src/server/db/postgres-store';
import type { SqlStore } from '../src/server/db/sql-store';
import { createApiHandler } from '../src/server/http/api';
import { schemaUrl } from '../test/integration/hub-process';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface NodeHub {
  readonly store: SqlStore;
  readonly raw: pg.Pool;
  /** the application_name of the store's connections */
  readonly application: string;
  /** Serves the API on loopback; returns its base URL. */
  serve(): Promise<string>;
}

export async function withNodeHub<T>(name: string, work: (hub: NodeHub) => Promise<T>): Promise<T> {
  const schema = `bench_${name}_${process.pid}_${Date.now()}`;
  const application = `bench-${name}-${process.pid}`;
  const store = await openPostgresStore({ connectionString: DATABASE_URL, schema, connection: { application_name: application } });
  const raw = new pg.Pool({ connectionString: schemaUrl(DATABASE_URL, schema), max: 2 });
  let server: Server | undefined;
  try {
    await store.migrate();
    return await work({
      store,
      raw,
      application,
      async serve() {
        const api = createApiHandler({ store: () => store, accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } });
        server = await startServer({ port: 0, host: '127.0.0.1', distDir: import.meta.dirname, api });
        return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      },
    });
  } finally {
    if (server !== undefined) {
      server.closeAllConnections();
      server.close();
    }
    await raw.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await raw.end();
    await store.close();
  }
}
