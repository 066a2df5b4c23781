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
      // pool.end() resolves before its connections have closed: an embedded cluster stopped right
      // after (the file's end) tells a closing connection so, and an idle connection's error is the
      // pool's to emit. A query in flight still fails its test.
      raw.on('error', () => undefined);
      return { store, raw, reopen: () => open(schema) };
    },
    async dropAll() {
      // A client, not a pool: its end() resolves once the connection has closed, so an embedded
      // cluster stopped next (afterAll) finds nothing open. With a pool, end() resolved first and a
      // backend told to stop mid-close raised 57P01 as an uncaught error (CI, 2026-12-04).
      const client = new pg.Client(connection());
      await client.connect();
      try {
        for (const schema of made.splice(0)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
