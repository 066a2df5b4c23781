/**
 * Applies the versioned migrations (migrations/index.ts) to the schema the pool points at.
 * All pending migrations apply in one transaction, so a failure leaves the schema as it was [S1].
 */
import type pg from 'pg';
import { inTransaction } from './transaction';
import { MIGRATIONS, type Migration } from './migrations/index';
import { StoreError } from './store';

export async function migrate(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<{ applied: number[]; schemaVersion: number }> {
  return inTransaction(pool, async (client) => {
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
