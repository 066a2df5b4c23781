/** The attack suite against the embedded PostgreSQL (one cluster for the file, a schema per attack). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { ALL_ATTACKS } from './attacks/all';
import { attackSuite } from './attacks/attack-suite';
import { schemaTarget } from './schema-target';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-attacks-embedded-'));
let cluster: EmbeddedPostgres;
beforeAll(async () => {
  cluster = await EmbeddedPostgres.start({ dataDir: dir });
});
const target = schemaTarget(() => cluster.connection, 'embedded-postgres');
afterAll(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

attackSuite('embedded PostgreSQL', target, ALL_ATTACKS, () => join(dir, 'postgres.log'));
