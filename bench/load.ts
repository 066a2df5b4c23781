/**
 * The load figures (issue 16 point 3): simulated devices, each the app's own HubClient in this
 * process, against the hub server as `npm start` runs it (a child process, so its memory is its
 * own) over PostgreSQL; then the same workload against express-pouchdb (a child process too).
 *
 * Workload: LOAD_HUBS hubs × LOAD_HOUSEHOLDS households, LOAD_DEVICES devices per hub. A sync is a
 * push of 1–3 household edits, then pulls from the device's cursor until the page is not full.
 *   1. steady: syncs started at LOAD_RATES per second (open loop, e.g. 300 devices × 50 hubs every
 *      30 s is 500/s), each rate for LOAD_SECONDS; 20 devices do a first sync (from cursor 0) at
 *      once during the first one, in a worker thread (bench/load-first-syncs.ts);
 *   2. saturation: LOAD_WORKERS syncs back to back for LOAD_SECONDS: the most it delivers.
 * Before them, LOAD_WARMUP seconds (default 5) at 50/s (or the first rate if lower), not counted:
 * the figures are a running server's, not a restarted one's.
 * Printed: syncs, pushes and pulls per second, p50/p95/p99 latency of pushes and pulls, errors,
 * and the server's resident memory (peak), for ours and for the peer.
 *
 * Defaults are the (50 × 2,000, 300 devices), read as 300 devices a hub; LOAD_DEVICES=6 reads
 * them as 300 in all (docs/performance.md, Load). A quick run:
 *   LOAD_HUBS=5 LOAD_HOUSEHOLDS=200 LOAD_DEVICES=30 LOAD_SECONDS=8 npx tsx bench/load.ts
 * Needs PostgreSQL at 127.0.0.1:5432 database test, or BENCH_DATABASE_URL. LOAD_PG_DELAY_MS puts
 * PostgreSQL "on another machine" for our hub: a proxy holding each packet that long each way
 * (bench/pg-delay-proxy.ts).
 */
import pg from 'pg';
import { HUB_APPLICATION_NAME, openPostgresStore } from '../src/server/db/postgres-store';
import type { WireChange } from '../src/protocol/sync';
import { type HubClient } from '../src/sync/client';
import { schemaUrl, seedDevices, spawnHub, type SimDevice } from '../test/integration/hub-process';
import { loadHousehold } from './load-households';
import { startDelayProxy } from './pg-delay-proxy';
import { deviceHubClient } from './load-device-fetch';
import { startLoadPeer, type LoadPeer } from './load-peer';
import { countFailure, runFirstSyncs, type FirstSyncJob, type FirstSyncsDone } from './load-first-syncs';
import { cpuSeconds, percentile } from './stats';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
export const LOAD = {
  hubs: env('LOAD_HUBS', 50),
  households: env('LOAD_HOUSEHOLDS', 2_000),
  devices: env('LOAD_DEVICES', 300),
  seconds: env('LOAD_SECONDS', 20),
  warmup: env('LOAD_WARMUP', 5),
  // LOAD_RATES= (empty): the saturated phase alone, on a fresh hub and a fresh peer.
  rates: (process.env.LOAD_RATES ?? '100,200').split(',').filter((r) => r.trim() !== '').map(Number),
  workers: env('LOAD_WORKERS', 64),
  firstSyncs: env('LOAD_FIRST_SYNCS', 20),
  pgDelayMs: env('LOAD_PG_DELAY_MS', 0),
};
const PAGE = 1000;

/** What a target (ours or the peer) must do for one device. */
export interface LoadTarget {
  readonly name: string;
  /** pushes `edits` household edits of this device; resolves when answered */
  push(device: number, edits: readonly string[]): Promise<void>;
  /** one pull page from the device's cursor; true when there is more */
  pull(device: number): Promise<boolean>;
  /** the device's first sync, from nothing, as a job for bench/load-first-syncs.ts */
  firstSync(device: number): FirstSyncJob;
  /** the device's cursor after its first sync (its next incremental sync pulls from there) */
  firstSynced(device: number, cursor: string | number): void;
  /** every device's cursor `behind` changes short of its hub's head now (nothing is timed) */
  catchUp(behind: number): Promise<void>;
  rss(): number;
  /** CPU seconds used so far by the server process and by its database backends (0 when it has none) */
  cpu(): Promise<{ readonly server: number; readonly database: number }>;
  /** records and response bytes pulled so far, and what the bytes are ('on the wire', 'as JSON') */
  pulled(): { readonly records: number; readonly bytes: number; readonly counted: string };
  close(): Promise<void>;
}



interface Tally {
  push: number[];
  pull: number[];
  errors: number;
  /** answered 503 (overloaded, A12) */
  busy: number;
  firstErrors: string[];
  syncs: number;
}
const tally = (): Tally => ({ push: [], pull: [], errors: 0, busy: 0, firstErrors: [], syncs: 0 });

const busyDevices = new Set<number>();

async function oneSync(target: LoadTarget, device: number, households: readonly string[], t: Tally): Promise<void> {
  busyDevices.add(device);
  try {
    const n = 1 + Math.floor(Math.random() * 3);
    const edits = Array.from({ length: n }, () => households[Math.floor(Math.random() * households.length)]!);
    const started = performance.now();
    await target.push(device, [...new Set(edits)]);
    t.push.push(performance.now() - started);
    for (;;) {
      const started = performance.now();
      const more = await target.pull(device);
      t.pull.push(performance.now() - started);
      if (!more) break;
    }
    t.syncs++;
  } catch (error) {
    countFailure(t, error);
  } finally {
    busyDevices.delete(device);
  }
}

/**
 * `seconds`: from the phase's first sync until its last one answered. A server that queues takes
 * longer than LOAD_SECONDS to answer what was offered in it: its rate is what it delivered in the
 * time it took, not what was offered.
 */
function line(label: string, t: Tally, seconds: number, peakRss: number): string {
  const p = (v: readonly number[]) => `p50 ${percentile(v, 50).toFixed(0)} / p95 ${percentile(v, 95).toFixed(0)} / p99 ${percentile(v, 99).toFixed(0)} ms`;
  return (
    `  ${label.padEnd(26)} ${(t.syncs / seconds).toFixed(0).padStart(4)} syncs/s (${t.syncs} in ${seconds.toFixed(0)} s)  pushes ${(t.push.length / seconds).toFixed(0)}/s ${p(t.push)}  ` +
    `pulls ${(t.pull.length / seconds).toFixed(0)}/s ${p(t.pull)}  errors ${t.errors}  503s ${t.busy}  server RSS peak ${(peakRss / 2 ** 20).toFixed(0)} MB` +
    (t.firstErrors.length > 0 ? `\n      first errors: ${t.firstErrors.join(' | ')}` : '')
  );
}

/**
 * Samples the target's RSS while `work` runs; returns the peak, and where the CPU went. `elsewhere`:
 * what the work's value says was pulled outside the target's count (the first syncs' worker).
 */
async function withPeak<T>(
  target: LoadTarget,
  work: () => Promise<T>,
  elsewhere: (value: T) => { readonly records: number; readonly bytes: number } = () => ({ records: 0, bytes: 0 }),
): Promise<{ value: T; peak: number; cpu: string; wall: number }> {
  let peak = target.rss();
  const timer = setInterval(() => (peak = Math.max(peak, target.rss())), 200);
  const before = { bench: process.cpuUsage(), target: await target.cpu(), pulled: target.pulled(), at: performance.now() };
  try {
    const value = await work();
    const after = await target.cpu();
    const bench = process.cpuUsage(before.bench);
    const pulled = target.pulled();
    const wall = (performance.now() - before.at) / 1000;
    const records = pulled.records - before.pulled.records + elsewhere(value).records;
    const bytes = pulled.bytes - before.pulled.bytes + elsewhere(value).bytes;
    const share = (s: number) => `${s.toFixed(1)} s (${((s / wall) * 100).toFixed(0)}% of a core)`;
    const cpu =
      `    CPU over ${wall.toFixed(0)} s: bench ${share((bench.user + bench.system) / 1e6)}, server ${share(after.server - before.target.server)}, ` +
      `its database ${share(after.database - before.target.database)}; pulled ${records} records, ${(bytes / 2 ** 20).toFixed(0)} MB ${pulled.counted}`;
    return { value, peak, cpu, wall };
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, target.rss());
  }
}

/** A target's printed lines, and the syncs a second it answered in each phase (the offered rates, then saturated). */
export async function runLoad(
  target: LoadTarget,
  deviceCount: number,
  households: (device: number) => readonly string[],
): Promise<{ lines: string[]; rates: number[] }> {
  const out: string[] = [];
  const rates: number[] = [];
  let next = 0;
  // A device syncs once at a time, as the app does (its seqs stay in order).
  const busy = busyDevices;
  const pick = () => {
    for (let tries = 0; tries < deviceCount; tries++) {
      const d = next++ % deviceCount;
      if (!busy.has(d)) return d;
    }
    return next++ % deviceCount;
  };
  // Syncs started at `rate` a second for `seconds` (open loop); `firstSyncs` devices do a first
  // sync at once at its start, in a worker thread (bench/load-first-syncs.ts says why).
  const openLoop = async (rate: number, seconds: number, t: Tally, firstSyncs: number): Promise<FirstSyncsDone | null> => {
    const running = new Set<Promise<void>>();
    const start = performance.now();
    let started = 0;
    const firstDevices = Array.from({ length: firstSyncs }, () => {
      const d = pick();
      busy.add(d);
      return d;
    });
    const firsts =
      firstSyncs === 0
        ? Promise.resolve(null)
        : runFirstSyncs(firstDevices.map((d) => target.firstSync(d))).then(
            (done) => {
              firstDevices.forEach((d, k) => {
                const cursor = done.cursors[k];
                if (cursor !== null && cursor !== undefined) target.firstSynced(d, cursor);
                busy.delete(d);
              });
              return done;
            },
            // The worker itself failed: every first sync counts as an error, and the phase goes on.
            (error: unknown): FirstSyncsDone => {
              for (const d of firstDevices) busy.delete(d);
              return { syncs: 0, pages: [], errors: firstSyncs, busy: 0, firstErrors: [String(error).slice(0, 200)], records: 0, bytes: 0, cursors: [] };
            },
          );
    while (performance.now() - start < seconds * 1000) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      for (; started < due; started++) {
        const device = pick();
        const p = oneSync(target, device, households(device), t);
        running.add(p);
        void p.finally(() => running.delete(p));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(running);
    return firsts;
  };
  // A server just started answers its first seconds slowly (its code not yet optimized, its
  // database connections opened and their statements planned one by one): at 100/s, the first
  // 3 s of a phase took 290–555 ms a push (p50) and the rest 8–13 ms. That is a restart, not the
  // steady state the goals are about, so both targets first run LOAD_WARMUP seconds uncounted.
  if (LOAD.warmup > 0) {
    const t = tally();
    const rate = Math.min(LOAD.rates[0] ?? 50, 50);
    await openLoop(rate, LOAD.warmup, t, 0);
    out.push(`  ${target.name} warm-up, not counted: ${LOAD.warmup} s at ${rate}/s, ${t.syncs} syncs, errors ${t.errors}, 503s ${t.busy}`);
    console.log(out.at(-1));
  }
  for (const [i, rate] of LOAD.rates.entries()) {
    const t = tally();
    const { value: firsts, peak, cpu, wall } = await withPeak(
      target,
      () => openLoop(rate, LOAD.seconds, t, i === 0 ? LOAD.firstSyncs : 0),
      (done) => done ?? { records: 0, bytes: 0 },
    );
    out.push(line(`${target.name} at ${rate}/s offered`, t, wall, peak));
    rates.push(t.syncs / wall);
    console.log(out.at(-1));
    if (firsts !== null) {
      const pages = (v: readonly number[]) => `p50 ${percentile(v, 50).toFixed(0)} / p99 ${percentile(v, 99).toFixed(0)} ms`;
      out.push(
        `    ${LOAD.firstSyncs} first syncs at once alongside (a thread of their own): ${firsts.syncs} done, ${firsts.pages.length} pages (${pages(firsts.pages)}), ` +
          `${firsts.records} records, ${(firsts.bytes / 2 ** 20).toFixed(0)} MB, errors ${firsts.errors}, 503s ${firsts.busy}` +
          (firsts.firstErrors.length > 0 ? `\n      first errors: ${firsts.firstErrors.join(' | ')}` : ''),
      );
      console.log(out.at(-1));
    }
    out.push(cpu);
    console.log(cpu);
  }
  // The saturated phase starts from the same state on both sides, the steady state: each
  // device last synced one round ago (every device of its hub syncing once, 2 edits on average),
  // so its cursor is 2 × LOAD_DEVICES changes short of its hub's head. Left where the offered rates
  // left them, a device's first pull held whatever its hub gathered since that device's last
  // answered sync (266 to 578 records a sync between runs of the same code, and the peer's own),
  // and the phase's syncs a second followed that, not the server.
  await target.catchUp(2 * LOAD.devices);
  const t = tally();
  const { peak, cpu, wall } = await withPeak(target, async () => {
    const end = performance.now() + LOAD.seconds * 1000;
    await Promise.all(
      Array.from({ length: LOAD.workers }, async () => {
        while (performance.now() < end) {
          const device = pick();
          await oneSync(target, device, households(device), t);
        }
      }),
    );
  });
  out.push(line(`${target.name} saturated (${LOAD.workers} at once)`, t, wall, peak));
  rates.push(t.syncs / wall);
  console.log(out.at(-1));
  out.push(cpu);
  console.log(cpu);
  return { lines: out, rates };
}

/** Our hub: a schema of its own, seeded; the server a child process. */
async function ours(url: string): Promise<{ target: LoadTarget; households: (d: number) => readonly string[]; devices: number; cleanup(): Promise<void> }> {
  const schema = `kyoten_load_${process.pid}`;
  const admin = new pg.Pool({ connectionString: url, max: 1 });
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const store = await openPostgresStore({ connectionString: url, schema });
  await store.migrate();
  const raw = new pg.Pool({ connectionString: url, max: 4, options: `-c search_path=${schema}` });
  console.log(`  seeding ${LOAD.hubs} hubs × ${LOAD.households} households, ${LOAD.devices} devices each…`);
  const devices = await seedDevices(raw, 'load-hub-', LOAD.hubs, LOAD.devices + 1);
  const seeders = devices.filter((d) => d.deviceId.endsWith('-d0'));
  // Interleaved across hubs (device k of every hub, then k + 1): consecutive syncs are of different
  // hubs, as a city's phones are, not 300 of one hub queueing on its counter in turn.
  const number = (d: SimDevice) => Number(/-d(\d+)$/.exec(d.deviceId)![1]);
  const sims = devices.filter((d) => !d.deviceId.endsWith('-d0')).sort((a, b) => number(a) - number(b) || a.tenantId.localeCompare(b.tenantId));
  const names = (tenantId: string) => Array.from({ length: LOAD.households }, (_, k) => `${tenantId}-hh-${k}`);
  for (const s of seeders) {
    const ids = names(s.tenantId);
    for (let k = 0; k < ids.length; k += 1000) {
      const changes = ids.slice(k, k + 1000).map((id, j) => ({
        seq: k + j + 1,
        mutationId: globalThis.crypto.randomUUID(),
        kind: 'household' as const,
        entityId: id,
        op: 'create' as const,
        at: new Date().toISOString(),
        payload: loadHousehold(id, LOAD.households),
        officeId: `${s.tenantId}-office`,
      }));
      await store.applyPush(s.deviceId, s.userId, changes);
    }
  }
  await store.close();
  // A hub's tables carry statistics and visibility maps (autovacuum sees to a table within a
  // minute of such a seed), and its seed is on disk: without this, the first phase ran on plans no
  // hub runs and shared the machine with the seed's vacuum and checkpoint.
  const tables = await raw.query<{ name: string }>('SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = $1', [schema]);
  await raw.query(`VACUUM (ANALYZE) ${tables.rows.map((t) => t.name).join(', ')}`);
  await raw.query('CHECKPOINT').catch(() => undefined); // a superuser's (or pg_checkpoint's) right
  // Every device has synced before: its cursor is at its hub's head (a first sync is reset()).
  const readHeads = async () =>
    new Map((await raw.query<{ tenant_id: string; version: string }>('SELECT tenant_id, version FROM sync_heads')).rows.map((r) => [r.tenant_id, Number(r.version)]));
  const heads = await readHeads();
  // The hub's connections carry a name of their own, so their backends' CPU can be told apart.
  const application = `kyoten_load_hub_${process.pid}`;
  // LOAD_PG_DELAY_MS: the hub reaches PostgreSQL through a proxy holding each packet that long
  // each way, as if on another machine (the seed and the bench's own queries go direct).
  const proxy = LOAD.pgDelayMs > 0 ? await startDelayProxy(url, LOAD.pgDelayMs) : null;
  const hubUrl = `${schemaUrl(proxy?.url ?? url, schema)}&application_name=${application}`;
  // LOAD_CPU_PROF=dir: the hub writes a V8 CPU profile there when it stops.
  const profile = process.env.LOAD_CPU_PROF;
  const hub = await spawnHub(hubUrl, { KYOTEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }, profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : []).catch(async (error: unknown) => {
    // The schema is this run's: leave nothing behind when the hub cannot start.
    await proxy?.stop();
    await raw.end();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    throw error;
  });
  const pulled = { records: 0, bytes: 0 };
  // The app's HubClient for each device; pulls counted on the wire (brotli), the peer's as JSON
  // (its compressed answers carry no length).
  const clients: HubClient[] = sims.map((d) => deviceHubClient(hub.base, d.sessionToken, (bytes) => (pulled.bytes += bytes)));
  // The hub's backends: the pool's connections, looked up and read every second. One that closed
  // (the pool closes a connection idle for 10 s) counts with the CPU last read from it: reading it
  // as 0 made a phase's database CPU come out negative.
  const backends = new Map<number, number>();
  const database = async () => {
    // The hub names its connections HUB_APPLICATION_NAME, then the URL's application_name.
    const rows = await raw.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [`${HUB_APPLICATION_NAME} ${application}`]);
    for (const r of rows.rows) if (!backends.has(r.pid)) backends.set(r.pid, 0);
    let total = 0;
    for (const [pid, last] of backends) {
      const now = Math.max(last, cpuSeconds(pid));
      backends.set(pid, now);
      total += now;
    }
    return total;
  };
  const seen = setInterval(() => void database().catch(() => undefined), 1000);
  const seqs = sims.map(() => 0);
  const cursors: string[] = sims.map((d) => String(heads.get(d.tenantId) ?? 0));
  const target: LoadTarget = {
    name: 'ours',
    async push(d, edits) {
      const device = sims[d]!;
      const changes: WireChange[] = edits.map((id) => ({
        seq: ++seqs[d]!,
        mutationId: globalThis.crypto.randomUUID(),
        kind: 'household',
        entityId: id,
        op: 'update',
        at: new Date().toISOString(),
        payload: loadHousehold(id, LOAD.households, `edit ${seqs[d]} from ${device.deviceId}`) as unknown as Record<string, unknown>,
        baseVersion: null,
      }));
      await clients[d]!.push(device, changes);
    },
    async pull(d) {
      const page = await clients[d]!.pull(sims[d]!, cursors[d]!, PAGE);
      cursors[d] = page.cursor;
      pulled.records += page.records.length;
      return page.hasMore;
    },
    firstSync: (d) => ({ kind: 'ours', base: hub.base, device: sims[d]!, page: PAGE }),
    firstSynced(d, cursor) {
      cursors[d] = String(cursor);
    },
    async catchUp(behind) {
      const now = await readHeads();
      sims.forEach((d, k) => (cursors[k] = String(Math.max(0, (now.get(d.tenantId) ?? 0) - behind))));
    },
    rss: () => hub.rss(),
    cpu: async () => ({ server: cpuSeconds(hub.child.pid), database: await database() }),
    pulled: () => ({ ...pulled, counted: 'on the wire (brotli)' }),
    close: async () => {
      clearInterval(seen);
      await hub.stop();
      await proxy?.stop();
    },
  };
  return {
    target,
    devices: sims.length,
    households: (d) => names(sims[d]!.tenantId),
    async cleanup() {
      await raw.end();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}

export async function benchLoad(): Promise<string[]> {
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  console.log(
    `load: ${LOAD.hubs} hubs × ${LOAD.households} households, ${LOAD.devices} devices each; rates ${LOAD.rates.join(', ')}/s for ${LOAD.seconds} s each, then ${LOAD.workers} at once` +
      (LOAD.pgDelayMs > 0 ? `; our hub reaches PostgreSQL through a proxy holding each packet ${LOAD.pgDelayMs} ms each way` : ''),
  );
  const results: string[] = [];
  // LOAD_TARGETS=ours or =peer runs one side alone (for profiling); the figures need both.
  const targets = (process.env.LOAD_TARGETS ?? 'ours,peer').split(',');
  let ourRates: number[] | undefined;
  let peerRates: number[] | undefined;
  if (targets.includes('ours')) {
    const o = await ours(url);
    try {
      const run = await runLoad(o.target, o.devices, o.households);
      results.push(...run.lines);
      ourRates = run.rates;
    } finally {
      await o.target.close();
      await o.cleanup();
    }
  }
  if (targets.includes('peer')) {
    let peer: LoadPeer | undefined;
    try {
      peer = await startLoadPeer(LOAD.hubs, LOAD.households, LOAD.devices);
      const run = await runLoad(peer.target, peer.devices, peer.households);
      results.push(...run.lines);
      peerRates = run.rates;
    } finally {
      await peer?.target.close();
    }
  }
  if (ourRates !== undefined && peerRates !== undefined) {
    const phases = [...LOAD.rates.map((r) => `${r}/s offered`), 'saturated'];
    const ratios = phases.map((phase, i) => `${phase} ${(ourRates[i]! / peerRates[i]!).toFixed(2)}×`);
    const saturated = ourRates.at(-1)! / peerRates.at(-1)!;
    results.push(`  syncs a second, ours ÷ express-pouchdb: ${ratios.join(', ')}  ${saturated >= 2 ? 'OK' : 'UNDER GOAL'} (goal ≥ 2× saturated)`);
    console.log(results.at(-1));
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const lines = await benchLoad();
  console.log('\nload figures:');
  for (const l of lines) console.log(l);
}
