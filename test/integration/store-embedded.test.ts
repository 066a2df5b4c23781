/**
 * The store contract against the embedded PostgreSQL (one cluster for the file, a schema per
 * test), then what only the embedded store must show: it restarts on its data, refuses a second
 * server on the same directory, and keeps every acknowledged write through SIGKILL [S12].
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { openEmbeddedStore } from '../../src/server/db/embedded-store';
import { MIGRATIONS } from '../../src/server/db/migrations/index';
import { openStoreFromEnv } from '../../src/server/db/open-store';
import type { PulledRecord, Store } from '../../src/server/db/store';
import { householdChange, seedHub, TENANT } from './factories';
import { spawnHub } from './hub-process';
import { schemaTarget } from './schema-target';
import { storeContract } from './store-contract';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kyoten-embedded-'));
  dirs.push(dir);
  return dir;
};

let cluster: EmbeddedPostgres;
beforeAll(async () => {
  cluster = await EmbeddedPostgres.start({ dataDir: tempDir() });
});
const target = schemaTarget(() => cluster.connection, 'embedded-postgres');
afterAll(async () => {
  await target.dropAll();
  await cluster.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

storeContract('embedded PostgreSQL', target);

const LATEST = Math.max(...MIGRATIONS.map((m) => m.version));

async function drainAll(store: Store): Promise<PulledRecord[]> {
  const out: PulledRecord[] = [];
  let cursor = 0;
  for (;;) {
    const page = await store.pullSince(cursor, { tenantId: TENANT, officeIds: 'all' }, 1000);
    out.push(...page.records);
    cursor = page.cursor;
    if (!page.hasMore) return out;
  }
}

describe('embedded store on its own data directory', () => {
  it('[S1] restarts on its data: migrations apply once, the data and the counter carry on', async () => {
    const dataDir = tempDir();
    const first = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir });
    const hub = await seedHub(first, 1);
    const { deviceId, userId } = hub.devices[0]!;
    await first.applyPush(deviceId, userId, [householdChange(1)]);
    await first.close();
    const again = await openEmbeddedStore({ dataDir });
    try {
      expect(await again.migrate()).toEqual({ applied: [], schemaVersion: LATEST });
      expect(await again.applyPush(deviceId, userId, [householdChange(2)])).toMatchObject([{ status: 'accepted', version: 2 }]);
      expect((await drainAll(again)).map((r) => r.entityId)).toEqual(['hh-1', 'hh-2']);
      expect(await again.health()).toMatchObject({ ok: true, engine: 'embedded-postgres', schemaVersion: LATEST, headVersion: 2 });
    } finally {
      await again.close();
    }
  });

  it('a data directory too deep for a socket path gets a socket folder in /tmp, removed at the stop', async () => {
    const parent = tempDir();
    chmodSync(parent, 0o711); // under root, PostgreSQL runs as "postgres" and must pass through it
    const dataDir = join(parent, 'd'.repeat(90));
    const server = await EmbeddedPostgres.start({ dataDir });
    const { socketDir } = server;
    expect(socketDir.startsWith(join(tmpdir(), 'kyoten-pg-'))).toBe(true);
    expect(existsSync(socketDir)).toBe(true);
    await server.stop();
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
  });

  it('refuses a second server on the same data directory', async () => {
    const dataDir = tempDir();
    const store = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir });
    try {
      await expect(openEmbeddedStore({ dataDir })).rejects.toThrow(/Another hub server/);
      expect((await store.health()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });

  describe('its PostgreSQL gone while the hub runs (the OOM killer, a crash)', () => {
    const postmasterOf = (dataDir: string) => Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);

    it('tells the store\'s opener how PostgreSQL exited and where its log is; a close asked for tells nothing', async () => {
      const dataDir = tempDir();
      const told: string[] = [];
      const store = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir }, () => undefined, (line) => told.push(line));
      try {
        process.kill(postmasterOf(dataDir), 'SIGKILL');
        await expect.poll(() => told, { timeout: 20_000 }).toEqual([`embedded PostgreSQL exited (signal SIGKILL); see ${join(dataDir, 'postgres.log')}`]);
        expect((await store.health()).ok).toBe(false);
      } finally {
        await store.close();
      }
      // Started again on the same folder (the cluster taken over), then stopped as asked: not told.
      const again = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir }, () => undefined, (line) => told.push(line));
      expect((await again.health()).ok).toBe(true);
      await again.close();
      expect(told).toHaveLength(1);
    });

    it('the hub server (npm start) ends with exit 1 and says why, so that systemd starts it again, instead of answering 503 for ever', async () => {
      const dataDir = tempDir();
      const hub = await spawnHub('', { KYOTEN_DATA_DIR: dataDir });
      try {
        process.kill(postmasterOf(dataDir), 'SIGKILL');
        const code = await new Promise<number | null>((done) => {
          if (hub.child.exitCode !== null) done(hub.child.exitCode);
          else hub.child.once('exit', (exitCode) => done(exitCode));
        });
        expect(code).toBe(1);
        expect(hub.output()).toContain(`embedded PostgreSQL exited (signal SIGKILL); see ${join(dataDir, 'postgres.log')}`);
      } finally {
        await hub.stop();
      }
      // The next start takes the folder over: nothing is left holding it.
      const next = await spawnHub('', { KYOTEN_DATA_DIR: dataDir });
      expect((await fetch(`${next.base}/healthz`)).status).toBe(200);
      await next.stop();
      expect(next.child.exitCode).toBe(0);
    });
  });

  describe('[S12] durability', () => {
    const child = fileURLToPath(new URL('./durability-child.ts', import.meta.url));

    /** Runs the child until it has `acks` acknowledged pushes, then kills it (and maybe its PostgreSQL) with SIGKILL. */
    async function killAfterAcks(dataDir: string, acks: number, killPostgres: boolean) {
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const acked = new Map<string, string>();
      const exited = new Promise<void>((done) => proc.once('exit', () => done()));
      for await (const line of createInterface({ input: proc.stdout })) {
        const [word, , , id, hash] = line.split(' ');
        if (word === 'ack') acked.set(id!, hash!);
        if (acked.size >= acks) {
          // Read the postmaster's pid first: the kill must hit both mid-write.
          const postmaster = Number(readFileSync(join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
          proc.kill('SIGKILL');
          if (killPostgres) process.kill(postmaster, 'SIGKILL');
          break;
        }
      }
      await exited;
      if (acked.size < acks) throw new Error(`child stopped after ${acked.size} acks:\n${stderr}`);
      return acked;
    }

    async function expectAllAcked(dataDir: string, acked: Map<string, string>) {
      const store = await openStoreFromEnv({ KYOTEN_DATA_DIR: dataDir });
      try {
        const held = new Map(
          (await drainAll(store)).filter((r) => r.kind === 'case-entry').map((r) => [r.entityId, (JSON.parse(r.payloadJson) as { hash: string }).hash]),
        );
        const missing = [...acked].filter(([id, hash]) => held.get(id) !== hash);
        expect(missing).toEqual([]);
        return held.size;
      } finally {
        await store.close();
      }
    }

    it('[S12] every acknowledged write survives SIGKILL of the hub server (its PostgreSQL is taken over at restart)', async () => {
      const dataDir = tempDir();
      const acked = await killAfterAcks(dataDir, 200, false);
      const held = await expectAllAcked(dataDir, acked);
      console.log(`durability (server killed): ${acked.size} acknowledged, ${held} held after restart`);
    });

    it('[S12] every acknowledged write survives SIGKILL of the hub server and its PostgreSQL together (WAL recovery), twice over', async () => {
      const dataDir = tempDir();
      const acked = await killAfterAcks(dataDir, 150, true);
      for (const [id, hash] of await killAfterAcks(dataDir, 150, true)) acked.set(id, hash);
      const held = await expectAllAcked(dataDir, acked);
      console.log(`durability (server and PostgreSQL killed twice): ${acked.size} acknowledged, ${held} held after restart`);
    });
  });
});
