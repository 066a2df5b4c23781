/** The sync API over HTTP against a real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432). */
import { afterAll } from 'vitest';
import { apiSuite } from './api-suite';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

apiSuite('PostgreSQL', target);
