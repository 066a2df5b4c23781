/**
 * A contract target that gives every test its own schema on one PostgreSQL, so tests and
 * concurrent runs never see each other's rows; the schemas are dropped when the file ends.
 */
import pg from 'pg';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { StoreHealth } from '../../src/server/db/store';
import type { ContractTarget } from './store-contract';

export function schemaTarget(
  connection: () => pg.PoolConfig,
  engine: StoreHealth['engine'],
): ContractTarget & { dropAll(): Promise<void> } {
  const made: string[] = [];
  const run = `${process.pid}_${Date.now().toString(36)}`;
  const open = (schema: string) =>
    openPostgresStore({ connectionString: connection().connectionString ?? '', connection: connection(), schema, engine });
  return {
    async fresh() {
      const schema = `kyoten_test_${run}_${made.length}`;
      made.push(schema);
      const store = await open(schema);
      const raw = new pg.Pool({ ...connection(), max: 3, options: `-c search_path=${schema}` });
      return { store, raw, reopen: () => open(schema) };
    },
    async dropAll() {
      const pool = new pg.Pool({ ...connection(), max: 1 });
      try {
        for (const schema of made.splice(0)) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await pool.end();
      }
    },
  };
}
