/**
 * The attack suite's sign-in throttling and edge groups against the embedded PostgreSQL (one cluster
 * for the file, a schema per attack): the throttle's row locks and the database's own log (what a
 * refused request leaves in it), which only this cluster's log file shows. The access and retirement
 * groups run on the system PostgreSQL alone (attacks-postgres.test.ts): the same SQL through the same
 * store, whose contract runs on both (store-embedded.test.ts), and half the file's time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { edgeAttacks } from './attacks/edge';
import { throttleAttacks } from './attacks/throttle';
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

attackSuite('embedded PostgreSQL', target, { 'sign-in throttling': throttleAttacks, 'the edge': edgeAttacks }, () => join(dir, 'postgres.log'));
