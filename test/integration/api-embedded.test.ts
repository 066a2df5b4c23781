/** The sync API over HTTP against the embedded PostgreSQL (one cluster for the file, a schema per test). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { apiSuite } from './api-suite';
import { schemaTarget } from './schema-target';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-api-embedded-'));
let cluster: EmbeddedPostgres;
beforeAll(async () => {
  cluster = await EmbeddedPostgres.start({ dataDir: dir });
});
const target = schemaTarget(() => cluster.connection, 'embedded-postgres');
// The cluster and its directory go as a whole: no schemas to drop one by one (and no pool left
// closing while the cluster shuts down).
afterAll(async () => {
  await cluster.stop();
  rmSync(dir, { recursive: true, force: true });
});

apiSuite('embedded PostgreSQL', target);
