/**
 * Applies the versioned migrations (migrations/index.ts) to the schema the pool points at.
 * All pending migrations apply in one transaction, so a failure leaves the schema as it was [S1].
 */
import type pg from 'pg';
import { inTransaction } from './transaction';
import { MIGRATIONS, type Migration } from './migrations/index';
import { StoreError } from './store';

/**
 * A migration's statement may rewrite a table of years of records, and a server starting beside
 * another waits for that one's migrations (the lock below): neither is cut off at the pool's
 * query_timeout of a minute (postgres-store.ts). Six hours is for a database that stopped answering.
 */
export const MIGRATION_QUERY_TIMEOUT_MS = 6 * 60 * 60_000;

export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: number[]; schemaVersion: number }> {
  return inTransaction(pool, async (pooled) => {
    const client = withLongLimit(pooled);
    // Several servers may start at once over one database (docs/hub-server.md, scaling): the
    // first to take this lock migrates, the others wait and then find nothing to do.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.schema_migrations'))`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version     integer PRIMARY KEY,
        name        text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const known = new Set(migrations.map((m) => m.version));
    const unknown = [...done].filter((v) => !known.has(v));
    if (unknown.length > 0) {
      throw new StoreError(
        'schema-too-new',
        `このデータベースは、より新しいバージョンの拠点サーバーで更新されています。そのバージョン以降で起動してください / ` +
          `The database has migration(s) ${unknown.join(', ')} that this server does not know: it was written by a newer server. Run that version (or newer).`,
      );
    }
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    const schemaVersion = Math.max(0, ...done, ...applied);
    return { applied, schemaVersion };
  });
}

/** The client's query() with MIGRATION_QUERY_TIMEOUT_MS on every statement (pg takes a query's own; its types do not say so). */
function withLongLimit(client: pg.PoolClient): { query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>> } {
  return {
    query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
      const config: pg.QueryConfig & { readonly query_timeout: number } = { text, values, query_timeout: MIGRATION_QUERY_TIMEOUT_MS };
      return client.query<R>(config);
    },
  };
}
