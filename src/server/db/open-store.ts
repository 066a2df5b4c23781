/**
 * Chooses the Store from the environment: DATABASE_URL → that PostgreSQL; otherwise the embedded
 * PostgreSQL in KYOTEN_DATA_DIR (default ./data). Migrations run before the store is handed out.
 */
import { resolve } from 'node:path';
import { openEmbeddedStore } from './embedded-store';
import { openPostgresStore } from './postgres-store';
import type { Store } from './store';

export interface StoreEnv {
  readonly DATABASE_URL?: string | undefined;
  readonly KYOTEN_DATA_DIR?: string | undefined;
}

export function describeStore(env: StoreEnv): string {
  return env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded PostgreSQL in ${resolve(env.KYOTEN_DATA_DIR ?? 'data')}`;
}

export async function openStoreFromEnv(env: StoreEnv, log: (line: string) => void = () => undefined): Promise<Store> {
  const store = env.DATABASE_URL
    ? await openPostgresStore({ connectionString: env.DATABASE_URL })
    : await openEmbeddedStore({ dataDir: resolve(env.KYOTEN_DATA_DIR ?? 'data'), log });
  try {
    const { applied, schemaVersion } = await store.migrate();
    log(applied.length > 0 ? `database migrated to schema ${schemaVersion}` : `database schema ${schemaVersion} is up to date`);
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}
