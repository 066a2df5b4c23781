/**
 * The default Store when DATABASE_URL is not set: the same SQL as production, on an embedded
 * PostgreSQL in KYOTEN_DATA_DIR (default ./data). Nothing to install beyond `npm ci`.
 */
import { EmbeddedPostgres } from './embedded-postgres';
import { openPostgresStore } from './postgres-store';
import type { SqlStore } from './sql-store';

export interface EmbeddedStoreOptions {
  readonly dataDir: string;
  readonly log?: (line: string) => void;
  /** PostgreSQL exited while the store was open (EmbeddedPostgresOptions.onExit): the line says how, and where its log is */
  readonly onExit?: (line: string) => void;
}

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<SqlStore> {
  const server = await EmbeddedPostgres.start(options);
  try {
    return await openPostgresStore({
      connectionString: '',
      connection: server.connection,
      engine: 'embedded-postgres',
      onClose: () => server.stop(),
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
}
