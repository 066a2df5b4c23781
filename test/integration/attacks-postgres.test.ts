/** The attack suite against a real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432). */
import { afterAll } from 'vitest';
import { ALL_ATTACKS } from './attacks/all';
import { attackSuite } from './attacks/attack-suite';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

// PostgreSQL's own log, when this machine's cluster writes it where Debian puts it and we may read it.
const log = process.env['TEST_POSTGRES_LOG'] ?? '/var/log/postgresql/postgresql-15-main.log';
attackSuite('PostgreSQL', target, ALL_ATTACKS, () => log);
