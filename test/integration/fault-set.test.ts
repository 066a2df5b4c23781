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
// The app phones' vaults run over IndexedDB: fake-indexeddb gives Node one (before Dexie loads).
import 'fake-indexeddb/auto';
import pgModule from 'pg';
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
import { AppDevice } from './fault/app-device';
import { orderEntries, verifyChain } from '../../src/domain/case-chain';
import { foldCase } from '../../src/domain/case-fold';
import { decideClaims } from '../../src/domain/claim-rules';
import { CONTACT_RESULTS, type CaseEntry, type EntryBody, type Office } from '../../src/domain/emergency-case';
import type { Household } from '../../src/domain/household';
import { createHousehold } from '../factories/household';
import { openBody } from '../factories/emergency-case';
import { FaultProxy } from './fault/proxy';

/** simulated devices (the wire protocol by hand) and phones running the app's own engine and vault */
const SIM_DEVICES = 2;
const APP_DEVICES = 3;
const DEVICES = SIM_DEVICES + APP_DEVICES;
/** cases every app phone continues at once */
const SHARED_CASES = 3;
const FAULT_SECONDS = Number(process.env['FAULT_SECONDS'] ?? 20);
/** The fewest faults a run injects, past FAULT_SECONDS if it must (every kind at least once in the first round of six). */
const MIN_FAULTS = 10;
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

/**
 * Starts the hub on a port free now (the proxy follows `serverPort`). A port freed by a killed hub
 * may be taken meanwhile by any connection on the machine: a hub that exits before it is healthy
 * (EADDRINUSE) is started again on another port.
 */
async function startServer(): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    serverPort = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, DATABASE_URL: databaseUrl(), PORT: String(serverPort), HOST: '127.0.0.1', DIST_DIR: distDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => log.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
    server = child;
    if (await waitHealthy(child)) return;
    if (attempt === 3) throw new Error(`the hub exited before it was healthy, three times:\n${log.slice(-20).join('')}`);
  }
}

/** true once the hub answers /healthz; false when it exited first. */
async function waitHealthy(child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) return false;
    const ok = await fetch(`http://127.0.0.1:${serverPort}/healthz`).then((r) => r.status === 200, () => false);
    if (ok) return true;
    await sleep(100);
  }
  throw new Error(`the hub did not become healthy:\n${log.slice(-20).join('')}`);
}

/** Kills the hub; true when a push was on its way to it (forwarded, not answered) at that moment. */
async function killServer(): Promise<boolean> {
  const child = server!;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const midPush = proxy !== undefined && proxy.pushesInFlight > 0;
  child.kill('SIGKILL');
  await exited;
  return midPush;
}

/** Kills the hub's PostgreSQL and starts it again; true when a push was at the hub at that moment. */
async function killPostgres(): Promise<boolean> {
  const postmaster = Number(readFileSync(join(dir, 'pg-data', 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const midPush = proxy.pushesInFlight > 0;
  process.kill(postmaster, 'SIGKILL');
  await sleep(200);
  await pg.stop();
  pg = await EmbeddedPostgres.start({ dataDir: join(dir, 'pg-data') });
  return midPush;
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
  await startServer();
  proxy = new FaultProxy(() => serverPort);
});

afterAll(async () => {
  await proxy?.close();
  if (server && server.exitCode === null) await killServer();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const PgPool = pgModule.Pool;

const OFFICE: Office = {
  id: 'office-fault',
  name: '相談支援事業所 障害試験',
  officeNumber: '1210100001',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};

function callBody(n: number): EntryBody {
  const at = new Date().toISOString();
  return {
    type: 'contact',
    facilityId: null,
    facilityName: `短期入所 ${n % 5}`,
    facilityOfficeNumber: '',
    shortStay: true,
    contactedAt: at,
    method: '電話',
    result: CONTACT_RESULTS[n % CONTACT_RESULTS.length]!,
    note: `#${n}`,
  };
}

/**
 * Waits (briefly) until a push is on its way to the server, so the fault lands mid-push. Whether it
 * did is what the kill itself saw (killServer, killPostgres), not this.
 */
async function whilePushing(): Promise<void> {
  const until = Date.now() + 400;
  while (Date.now() < until) {
    if (proxy.pushesInFlight > 0) return;
    await sleep(2);
  }
}

/**
 * The faults after the time is up: the ones the test has not yet seen land where they matter, until
 * they have, and the phone retired. On a busy machine a kill can fall between two pushes every time
 * in the time given; this gives up only after FAULT_DEADLINE_SECONDS.
 */
const FAULT_DEADLINE_SECONDS = Number(process.env['FAULT_DEADLINE_SECONDS'] ?? Math.max(120, FAULT_SECONDS * 6));

describe('fault test ("set" of evidence entries, and app phones continuing shared cases)', () => {
  it('every acknowledged entry ends up on the server and on every device exactly once, byte for byte; shared cases and households converge', async () => {
    const proxyPort = await proxy.listen();
    const base = () => `http://127.0.0.1:${proxyPort}`;
    const sims = Array.from({ length: SIM_DEVICES }, (_, i) => new SimDevice(`fault-device-${i + 1}`, base));
    const phones: AppDevice[] = [];
    for (let i = 0; i < APP_DEVICES; i++) phones.push(await AppDevice.create(`phone-${i + 1}`, base));
    const store = await openPostgresStore({ connectionString: databaseUrl() });
    const users = await store.listUsers(HUB);
    const credentials = (i: number) => {
      const user = users.find((u) => u.loginName === `coord${i + 1}`)!;
      return { hub: HUB, loginName: user.loginName, password: PASSWORD, totp: () => totpCode(user.totpSecret!, new Date()) };
    };
    for (const [i, device] of sims.entries()) await device.join(credentials(i));
    for (const [i, p] of phones.entries()) await p.join(credentials(SIM_DEVICES + i));

    // Before the faults: phone 1 opens the shared cases and a shared household, each phone its own
    // household; every phone receives them.
    const caseIds: string[] = [];
    for (let c = 0; c < SHARED_CASES; c++) {
      const caseId = globalThis.crypto.randomUUID();
      caseIds.push(caseId);
      await phones[0]!.append(caseId, openBody({ officeId: OFFICE.id, detail: `共有の対応 ${c}`, requestedAt: new Date().toISOString() }));
    }
    const shared = createHousehold({ id: 'hh-shared', address: '最初の住所' });
    await phones[0]!.saveHousehold(shared, 'create');
    for (const p of phones) await p.saveHousehold(createHousehold({ id: `hh-${p.label}`, phone: '03-0000-0000' }), 'create');
    for (const p of [...phones, ...phones]) expect(await p.sync()).toBe('done');
    // the retiring phone: disabled by the admin part way through the faults
    const retiring = phones[APP_DEVICES - 1]!;

    let running = true;
    let syncFailures = 0;
    let edits = 0;
    const simWorkers = sims.map(async (device) => {
      while (running) {
        await device.write(rand(1, 3));
        await device.sync().catch(() => (syncFailures += 1));
        await sleep(rand(10, 60));
      }
    });
    const phoneWorkers = phones.map(async (p) => {
      while (running && !p.wiped) {
        for (let k = rand(1, 3); k > 0; k--) {
          const roll = Math.random();
          if (roll < 0.6) await p.append(caseIds[rand(0, SHARED_CASES - 1)]!, callBody(rand(0, 99)));
          else if (p !== retiring) {
            const id = roll < 0.8 ? `hh-${p.label}` : shared.id;
            const held = (await p.household(id))!;
            edits += 1;
            await p.saveHousehold(id === shared.id ? { ...held, address: `${p.label} の住所 ${edits}` } : { ...held, phone: `03-${String(edits).padStart(4, '0')}-0000` }, 'update');
          }
        }
        if ((await p.sync()) === 'failed') syncFailures += 1;
        await sleep(rand(20, 80));
      }
    });

    const faults: Record<string, number> = { 'server SIGKILL': 0, 'PostgreSQL SIGKILL': 0, 'responses dropped after commit': 0, 'network cut': 0, 'pushes replayed': 0, 'pushes reordered': 0 };
    const midPush = { 'server SIGKILL': 0, 'PostgreSQL SIGKILL': 0 };
    const started = Date.now();
    const until = started + FAULT_SECONDS * 1000;
    const deadline = started + FAULT_DEADLINE_SECONDS * 1000;
    let retiredAt: number | null = null;
    // What the faults must have done before they stop: each kind of kill landed while a push was at
    // the hub, and an answer to a push the hub committed was thrown away; and the phone retired.
    const missing = () => [
      ...(midPush['server SIGKILL'] === 0 ? ['a server SIGKILL while a push was in flight'] : []),
      ...(midPush['PostgreSQL SIGKILL'] === 0 ? ['a PostgreSQL SIGKILL while a push was in flight'] : []),
      ...(proxy.pushAnswersDropped === 0 ? ['a push answer dropped after the server committed'] : []),
      ...(retiredAt === null ? ['the phone retired'] : []),
    ];
    // Every kind of fault, in a fresh random order each round, until the time is up; then only the
    // ones still missing above, until none is (on a busy machine one fault's recovery can outlast
    // the time left, and a kill can fall between pushes).
    // At least MIN_FAULTS in all, whatever the time: a busy machine fits fewer in FAULT_SECONDS.
    const injectedSoFar = () => Object.values(faults).reduce((a, b) => a + b, 0);
    let round: number[] = [];
    while (Date.now() < until || missing().length > 0 || injectedSoFar() < MIN_FAULTS) {
      if (Date.now() > deadline) {
        running = false;
        const few = injectedSoFar() < MIN_FAULTS ? [`only ${injectedSoFar()} faults of ${MIN_FAULTS}`] : [];
        throw new Error(`after ${FAULT_DEADLINE_SECONDS} s of faults, still never saw: ${[...missing(), ...few].join('; ')}\n${log.slice(-20).join('')}`);
      }
      await sleep(rand(150, 500));
      if (retiredAt === null && Date.now() > started + FAULT_SECONDS * 600) {
        const admin = await openPostgresStore({ connectionString: databaseUrl() }).catch(() => null);
        if (admin !== null) {
          await admin.setDisabled('device', retiring.deviceId, true).then(() => (retiredAt = Date.now()), () => undefined);
          await admin.close();
        }
      }
      if (round.length === 0) {
        round = [0, 1, 2, 3, 4, 5].sort(() => Math.random() - 0.5);
        if (Date.now() >= until && injectedSoFar() >= MIN_FAULTS) {
          round = round.filter(
            (kind) =>
              (kind === 0 && midPush['server SIGKILL'] === 0) ||
              (kind === 1 && midPush['PostgreSQL SIGKILL'] === 0) ||
              (kind === 2 && proxy.pushAnswersDropped === 0),
          );
          // only the phone's retirement is missing: it comes at the top of the loop
          if (round.length === 0) continue;
        }
      }
      switch (round.pop()) {
        case 0:
          await whilePushing();
          if (await killServer()) midPush['server SIGKILL'] += 1;
          faults['server SIGKILL']! += 1;
          await sleep(rand(50, 300));
          await startServer();
          break;
        case 1:
          await whilePushing();
          if (await killPostgres()) midPush['PostgreSQL SIGKILL'] += 1;
          faults['PostgreSQL SIGKILL']! += 1;
          // the hub rides out its database's crash: it must not exit
          if (!(await waitHealthy(server!))) throw new Error(`the hub exited when PostgreSQL was killed:\n${log.slice(-20).join('')}`);
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
    await Promise.all([...simWorkers, ...phoneWorkers]);
    proxy.cut = false;
    proxy.dropResponses = 0;
    for (let round = 0; round < 50; round++) {
      const queued = sims.some((d) => d.queue.length > 0) || (await Promise.all(phones.map((p) => p.queued()))).some((n) => n > 0);
      if (!queued) break;
      for (const d of sims) await d.sync().catch(() => undefined);
      for (const p of phones) await p.sync();
    }
    for (const d of sims) await d.sync();
    for (const p of phones) await p.sync();
    for (const p of phones) await p.sync();

    const injected = Object.values(faults).reduce((a, b) => a + b, 0);
    const simWritten = sims.reduce((n, d) => n + d.writtenCount, 0);
    const phoneEvidence = new Map(phones.flatMap((p) => [...p.evidence]));
    console.log(
      `fault test: ${injected} faults injected (${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')}); ` +
        `confirmed mid-push: server SIGKILL ${midPush['server SIGKILL']}, PostgreSQL SIGKILL ${midPush['PostgreSQL SIGKILL']}, push answers dropped after commit ${proxy.pushAnswersDropped}; ` +
        `${simWritten} entries by ${SIM_DEVICES} simulated devices, ${phoneEvidence.size} case entries and ${edits} household edits by ${APP_DEVICES} app phones on ${SHARED_CASES} shared cases; ` +
        `${retiring.label} retired ${retiredAt === null ? 'never' : `after ${Math.round((retiredAt - started) / 1000)} s`}; ${syncFailures} syncs failed and were retried`,
    );

    // On the server: every record once, at its latest state.
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
    const raw = new PgPool({ connectionString: databaseUrl() });
    const evidenceRows = Number((await raw.query<{ count: string }>("SELECT count(*) FROM changes WHERE kind = 'case-entry'")).rows[0]!.count);
    // What the hub refused from the retiring phone is kept for the admin, not among the records: a
    // phone entry missing below names its quarantine row, if any (a failure said why, once).
    const quarantined = new Map(
      (await raw.query<{ entity_id: string; reason: string; detail: string }>('SELECT entity_id, reason, detail FROM quarantine')).rows.map((r) => [r.entity_id, `${r.reason}: ${r.detail}`]),
    );
    await raw.end();
    await check.close();
    await store.close();

    expect(injected).toBeGreaterThanOrEqual(MIN_FAULTS);
    expect(Object.entries(faults).filter(([, n]) => n === 0)).toEqual([]);
    expect(retiredAt).not.toBeNull();
    // the faults that matter landed where they matter: not only between pushes
    expect(midPush['server SIGKILL'], 'server SIGKILLs while a push was in flight').toBeGreaterThan(0);
    expect(midPush['PostgreSQL SIGKILL'], 'PostgreSQL SIGKILLs while a push was in flight').toBeGreaterThan(0);
    expect(proxy.pushAnswersDropped, 'push answers dropped after the server committed').toBeGreaterThan(0);

    // The simulated devices: each entry acknowledged, on the server and on every device once.
    expect(sims.map((d) => d.refusals)).toEqual(sims.map(() => []));
    expect(sims.map((d) => d.queue.length)).toEqual(sims.map(() => 0));
    const acknowledged = new Map(sims.flatMap((d) => [...d.acknowledged]));
    expect(acknowledged.size).toBe(simWritten);
    for (const [id, text] of acknowledged) expect(held.get(id), id).toBe(text);
    for (const d of sims) {
      expect([...d.received.values()].filter((texts) => texts.length !== 1)).toEqual([]);
      for (const [id, text] of acknowledged) expect(d.received.get(id)?.[0], `${d.deviceId} ${id}`).toBe(text);
    }

    // The app phones: nothing lost (every case entry on the server as written), nothing doubled
    // (one change row per entry), nothing altered; the retired phone sent everything, then wiped.
    expect(retiring.wiped).toBe(true);
    for (const p of phones.filter((q) => !q.wiped)) expect(await p.queued(), p.label).toBe(0);
    const writer = new Map(phones.flatMap((p) => [...p.evidence.keys()].map((id) => [id, p === retiring ? `${p.label}, the retired phone` : p.label] as const)));
    for (const [id, text] of phoneEvidence) {
      const why = quarantined.has(id) ? `quarantined (${quarantined.get(id)})` : 'not in the quarantine either';
      expect(held.get(id), `${id} written by ${writer.get(id)}: ${why}`).toBe(text);
    }
    expect(evidenceRows).toBe(simWritten + phoneEvidence.size);
    const onHub = [...held.values()].map((t) => JSON.parse(t) as { caseId?: string }).filter((e) => caseIds.includes(e.caseId ?? '')) as CaseEntry[];
    const claims = new Set<string>();
    for (const p of phones.filter((q) => !q.wiped)) {
      const cases = [];
      for (const caseId of caseIds) {
        const entries = await p.caseEntries(caseId);
        expect(entries, `${p.label} ${caseId}`).toEqual(orderEntries(onHub.filter((e) => e.caseId === caseId)));
        const verdict = await verifyChain(entries);
        expect(verdict.ok, verdict.ok ? '' : verdict.problem).toBe(true);
        cases.push(foldCase(entries));
      }
      claims.add(JSON.stringify(decideClaims(cases, new Map([[OFFICE.id, OFFICE]]))));
      // households: the same as the hub on every phone, and each phone's own last edit kept
      for (const id of [shared.id, ...phones.map((q) => `hh-${q.label}`)]) {
        expect(await p.household(id), `${p.label} ${id}`).toEqual(JSON.parse(held.get(id)!) as Household);
      }
      expect((JSON.parse(held.get(`hh-${p.label}`)!) as Household).phone).toBe(p.households.get(`hh-${p.label}`)!.phone);
    }
    expect(claims.size).toBe(1);
  }, 300_000);
});
