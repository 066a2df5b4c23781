/**
 * The fault test, in the style of a Jepsen "set" test (issue 5): several simulated devices write
 * numbered evidence entries and sync them through a network that misbehaves, while the test
 * kills the hub server with SIGKILL, kills its PostgreSQL with SIGKILL, throws responses away
 * after the server committed, replays and reorders earlier pushes, and cuts the network. Then it
 * heals everything, lets every device drain, and checks that every entry the server acknowledged
 * is on the server and on every device exactly once, byte for byte.
 *
 * The hub runs as `npm run serve` does (src/server/main.ts) over its own PostgreSQL cluster (the
 * embedded binaries, on a socket in a temp directory), so both can be killed without touching the
 * machine's PostgreSQL that other tests use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import { hashPassword, newTotpSecret, totpCode } from '../../src/server/services/credentials';
import { SimDevice } from './fault/device';
import { FaultProxy } from './fault/proxy';

const DEVICES = 4;
const FAULT_SECONDS = Number(process.env['FAULT_SECONDS'] ?? 20);
const HUB = 'hub-fault';
const PASSWORD = 'fault-test-password-1';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-fault-'));
chmodSync(dir, 0o711); // the embedded PostgreSQL runs as the user postgres under root
const distDir = join(dir, 'dist');
let pg: EmbeddedPostgres;
let server: ChildProcess | undefined;
let serverPort = 0;
let proxy: FaultProxy;
const log: string[] = [];

const databaseUrl = () => `postgres://postgres@${encodeURIComponent(pg.socketDir)}:5432/postgres`;

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((done) => s.close(() => done()));
  return port;
}

async function startServer(): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl(), PORT: String(serverPort), HOST: '127.0.0.1', DIST_DIR: distDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  server = child;
  await waitHealthy();
}

async function waitHealthy(): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${serverPort}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`the hub did not become healthy:\n${log.slice(-20).join('')}`);
}

async function killServer(): Promise<void> {
  const child = server!;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGKILL');
  await exited;
}

async function killPostgres(): Promise<void> {
  const postmaster = Number(readFileSync(join(dir, 'pg-data', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.kill(postmaster, 'SIGKILL');
  await sleep(200);
  await pg.stop();
  pg = await EmbeddedPostgres.start({ dataDir: join(dir, 'pg-data') });
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const rand = (lo: number, hi: number) => lo + Math.floor(Math.random() * (hi - lo + 1));

beforeAll(async () => {
  mkdirSync(distDir);
  writeFileSync(join(distDir, 'index.html'), '<!doctype html><title>fault test</title>');
  pg = await EmbeddedPostgres.start({ dataDir: join(dir, 'pg-data') });
  const store = await openPostgresStore({ connectionString: databaseUrl() });
  await store.migrate();
  await store.createTenant({ id: HUB, name: 'fault test hub' });
  const hash = await hashPassword(PASSWORD);
  for (let i = 1; i <= DEVICES; i++) {
    await store.createUser({ id: `u${i}`, tenantId: HUB, role: 'coordinator', loginName: `coord${i}`, displayName: `夜勤 ${i}` });
    await store.setCredentials(`u${i}`, { passwordHash: hash, totpSecret: newTotpSecret() });
  }
  await store.close();
  serverPort = await freePort();
  await startServer();
  proxy = new FaultProxy(() => serverPort);
});

afterAll(async () => {
  await proxy?.close();
  if (server && server.exitCode === null) await killServer();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('fault test ("set" of evidence entries)', () => {
  it('every acknowledged entry ends up on the server and on every device exactly once, byte for byte', async () => {
    const proxyPort = await proxy.listen();
    const base = () => `http://127.0.0.1:${proxyPort}`;
    const devices = Array.from({ length: DEVICES }, (_, i) => new SimDevice(`fault-device-${i + 1}`, base));
    const store = await openPostgresStore({ connectionString: databaseUrl() });
    const users = await store.listUsers(HUB);
    await store.close();
    for (const [i, device] of devices.entries()) {
      const user = users.find((u) => u.loginName === `coord${i + 1}`)!;
      await device.join({ hub: HUB, loginName: user.loginName, password: PASSWORD, totp: () => totpCode(user.totpSecret!, new Date()) });
    }

    // Devices write and sync for as long as faults are injected; a failed sync is simply retried later.
    let running = true;
    let syncFailures = 0;
    const workers = devices.map(async (device) => {
      while (running) {
        await device.write(rand(1, 3));
        await device.sync().catch(() => (syncFailures += 1));
        await sleep(rand(10, 60));
      }
    });

    const faults: Record<string, number> = { 'server SIGKILL': 0, 'PostgreSQL SIGKILL': 0, 'responses dropped after commit': 0, 'network cut': 0, 'pushes replayed': 0, 'pushes reordered': 0 };
    const until = Date.now() + FAULT_SECONDS * 1000;
    // Every kind of fault, in a fresh random order each round, until the time is up.
    let round: number[] = [];
    while (Date.now() < until) {
      await sleep(rand(150, 500));
      if (round.length === 0) round = [0, 1, 2, 3, 4, 5].sort(() => Math.random() - 0.5);
      switch (round.pop()) {
        case 0:
          await killServer();
          faults['server SIGKILL']! += 1;
          await sleep(rand(50, 300));
          await startServer();
          break;
        case 1:
          await killPostgres();
          faults['PostgreSQL SIGKILL']! += 1;
          await waitHealthy();
          break;
        case 2:
          proxy.dropResponses = 0.5;
          await sleep(rand(300, 800));
          proxy.dropResponses = 0;
          faults['responses dropped after commit']! += 1;
          break;
        case 3:
          proxy.cut = true;
          await sleep(rand(200, 800));
          proxy.cut = false;
          faults['network cut']! += 1;
          break;
        case 4:
          faults['pushes replayed']! += await proxy.replay(rand(1, 4), false);
          break;
        default:
          faults['pushes reordered']! += await proxy.replay(rand(2, 5), true);
      }
    }

    // Heal, stop writing, drain: every device syncs until its queue is empty, then once more.
    running = false;
    await Promise.all(workers);
    proxy.cut = false;
    proxy.dropResponses = 0;
    for (let round = 0; devices.some((d) => d.queue.length > 0) && round < 50; round++) {
      for (const d of devices) await d.sync().catch(() => undefined);
    }
    for (const d of devices) await d.sync();

    const injected = Object.values(faults).reduce((a, b) => a + b, 0);
    const written = devices.reduce((n, d) => n + d.writtenCount, 0);
    console.log(`fault test: ${injected} faults injected (${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')}); ${written} entries written by ${DEVICES} devices; ${syncFailures} syncs failed and were retried`);

    // On the server: every entry, once, as written.
    const check = await openPostgresStore({ connectionString: databaseUrl() });
    const held = new Map<string, string>();
    let cursor = 0;
    for (;;) {
      const page = await check.pullSince(cursor, { tenantId: HUB, officeIds: 'all' }, 1000);
      for (const r of page.records) {
        expect(held.has(r.entityId), `${r.entityId} pulled twice`).toBe(false);
        held.set(r.entityId, r.payloadJson);
      }
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const evidenceRows = (await check.health()).headVersion;
    await check.close();

    expect(injected).toBeGreaterThanOrEqual(10);
    expect(Object.entries(faults).filter(([, n]) => n === 0)).toEqual([]);
    expect(devices.map((d) => d.refusals)).toEqual(devices.map(() => []));
    expect(devices.map((d) => d.queue.length)).toEqual(devices.map(() => 0));
    const acknowledged = new Map(devices.flatMap((d) => [...d.acknowledged]));
    // every entry written was acknowledged once the network healed
    expect(acknowledged.size).toBe(written);
    // the version counter moved once per entry: no entry was stored twice
    expect(evidenceRows).toBe(written);
    for (const [id, text] of acknowledged) expect(held.get(id), id).toBe(text);
    expect(held.size).toBe(written);
    for (const d of devices) {
      expect([...d.received.values()].filter((texts) => texts.length !== 1)).toEqual([]);
      expect(d.received.size).toBe(written);
      for (const [id, text] of acknowledged) expect(d.received.get(id)?.[0], `${d.deviceId} ${id}`).toBe(text);
    }
  }, 240_000);
});
