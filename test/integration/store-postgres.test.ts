/**
 * The store contract against a real PostgreSQL server: $TEST_DATABASE_URL, or the machine's
 * own at 127.0.0.1:5432 (.ci/run starts it when it is down). Each test gets its own schema.
 */
import { afterAll } from 'vitest';
import { schemaTarget } from './schema-target';
import { storeContract } from './store-contract';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

storeContract(`PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')}`, target);
