/**
 * Our side of the sync figures: the real hub server (the HTTP server and sync API that startHub
 * mounts, over PostgreSQL at 127.0.0.1:5432 database `test`, in a fresh schema per round; set
 * BENCH_DATABASE_URL for another) seeded with the same 11,000 records pushed through the store
 * (applyPush, kinds household and facility), and in Chromium the app's real vault and sync engine.
 *   (a) first sync: a fresh browser profile, its vault set up through the app's setup screen, joins
 *       the hub (sign-in with password + TOTP, enrolment) and syncs until the vault holds all
 *       11,000, sealed with AES-GCM as the app stores them;
 *   (b) drain: 1,000 household edits made offline in the vault (not timed), then one sync run:
 *       push all, then pull until the hub has nothing more (it brings the 1,000 back at their new
 *       versions, as every run of ours does).
 * The engine is driven by a bench-only page (bench/sync-ours-page.ts), served into the hub's
 * origin by the browser itself, so the figure is the engine's, not the screens'.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import inspector from 'node:inspector/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { API, HUB_ONLY_OFFICE, MAX_PULL_LIMIT, MAX_PUSH_CHANGES } from '../src/protocol/sync';
import { startServer } from '../src/server/app-server';
import { openPostgresStore } from '../src/server/db/postgres-store';
import type { PushedChange, Store } from '../src/server/db/store';
import { createApiHandler } from '../src/server/http/api';
import { createAccounts } from '../src/server/services/accounts';
import { totpCode } from '../src/server/services/credentials';
import { PULL_PAGE } from '../src/sync/engine';
import { openBrowser } from '../test/e2e/browser';
import { PASSPHRASE, setUpFirstUser } from '../test/e2e/app-flows';
import { seedChanges, type SyncFixture, type SyncRound } from './sync-fixture';

const root = resolve(import.meta.dirname, '..');
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HUB = 'hub-bench';
const LOGIN = 'yakin1';
const PASSWORD = 'yoru-no-denwa-2026';
const PAGE_PATH = '/__bench/sync.html';
const SCRIPT_PATH = '/__bench/sync-ours.js';

interface Clocks {
  readonly requests: Record<string, { ms: number; count: number; bytes?: number; json?: number }>;
  readonly vault: Record<string, { ms: number; count: number }>;
  readonly busy: Record<string, number>;
}

interface Bundled {
  readonly page: string;
  /** the app's pull worker (src/sync/pull-worker.ts), served at WORKER_PATH */
  readonly worker: string;
}

async function bundleOursPage(): Promise<Bundled> {
  const [page, worker] = await Promise.all([bundle('sync-ours-page.ts'), bundle('../src/sync/pull-worker.ts')]);
  return { page, worker };
}

async function bundle(entry: string): Promise<string> {
  const out = await build({
    entryPoints: [resolve(import.meta.dirname, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    // not minified for BENCH_SYNC_PROFILE: its profiles name the functions
    minify: process.env.BENCH_SYNC_PROFILE === undefined,
    write: false,
    // pull-job.ts names its worker by import.meta.url, which an iife has not: the page sets its own
    define: { 'process.env.NODE_ENV': '"production"', 'import.meta.url': 'location.href' },
    logLevel: 'warning',
    absWorkingDir: root,
  });
  return out.outputFiles[0]!.text;
}

interface OurHub {
  readonly baseUrl: string;
  readonly store: Store;
  readonly totpSecret: string;
  readonly seedMs: number;
  close(): Promise<void>;
}

/** A hub in a fresh schema, seeded through the store as other devices' pushes would have. */
async function startOurHub(fixture: SyncFixture, distDir: string, worker: string): Promise<OurHub> {
  const schema = `bench_sync_${process.pid}_${Date.now()}`;
  const store = await openPostgresStore({ connectionString: DATABASE_URL, schema });
  let server: Server | undefined;
  try {
    await store.migrate();
    await store.createTenant({ id: HUB, name: 'ベンチ 拠点' });
    const config = { idleMinutes: 30, maxHours: 12, now: () => new Date() };
    const accounts = createAccounts(store, config);
    const { totpSecret } = await accounts.createUser({
      id: 'u-yakin1',
      tenantId: HUB,
      role: 'coordinator',
      loginName: LOGIN,
      displayName: '夜勤 一郎',
      officeId: null,
      facilityId: null,
      password: PASSWORD,
    });
    // The records arrive from another coordinator's device, a thousand changes per push.
    await store.createUser({ id: 'u-seed', tenantId: HUB, role: 'coordinator', loginName: 'seed', displayName: '登録 担当' });
    await store.registerDevice({ id: 'device-seed', userId: 'u-seed', name: '事務所PC' });
    const changes = seedChanges(fixture.records);
    const seedStart = performance.now();
    for (let i = 0; i < changes.length; i += MAX_PUSH_CHANGES) {
      const results = await store.applyPush('device-seed', 'u-seed', changes.slice(i, i + MAX_PUSH_CHANGES));
      const refused = results.find((r) => r.status === 'refused');
      if (refused !== undefined) throw new Error(`bench: the hub refused a seed record: ${JSON.stringify(refused)}`);
    }
    const seedMs = performance.now() - seedStart;
    const api = createApiHandler({ store: () => store, accounts: config });
    const pulls = pullRecorder();
    const floor = floorHandler(pulls);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      distDir,
      // The floor's one fetch goes through the same HTTP server as the sync (bench-only paths).
      api: async (req, res) => {
        const path = req.url?.split('?')[0];
        if (path === FLOOR_PATH) return floor(req, res);
        if (path === PULLS_PATH) {
          pulls.answer(req, res);
          return;
        }
        if (path === WORKER_PATH) {
          res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store' });
          res.end(worker);
          return;
        }
        if (path === API.pull) pulls.record(res);
        return api(req, res);
      },
    });
    const opened = server;
    return {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      store,
      totpSecret,
      seedMs,
      async close() {
        opened.closeAllConnections();
        await new Promise((done) => opened.close(done));
        await dropSchema(store, schema);
      },
    };
  } catch (error) {
    if (server !== undefined) server.close();
    await dropSchema(store, schema);
    throw error;
  }
}

const FLOOR_PATH = '/api/__bench/floor';
const PULLS_PATH = '/api/__bench/pulls';
const WORKER_PATH = '/api/__bench/pull-worker.js';

/**
 * The pull answers as the hub sent them: the app pulls in a worker, out of the page's clocks, so
 * the bench times each pull here (request in to last byte handed to the socket) and keeps its
 * bytes for the floor. GET PULLS_PATH reads the clock, DELETE resets it.
 */
function pullRecorder() {
  // each answer as sent (compressed for a browser), decoded only when asked for, out of the clocks
  let answers: { wire: Buffer; encoding: unknown; json?: Buffer }[] = [];
  let clock = { ms: 0, count: 0, bytes: 0 };
  // decoded once, when first asked for (the clock's JSON size, then the floor's body)
  const plain = (a: { wire: Buffer; encoding: unknown; json?: Buffer }) =>
    (a.json ??= a.encoding === 'br' ? brotliDecompressSync(a.wire) : a.encoding === 'gzip' ? gunzipSync(a.wire) : a.wire);
  return {
    record(res: ServerResponse) {
      const started = performance.now();
      const sent: Buffer[] = [];
      const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      const keep = (chunk: unknown) => {
        if (typeof chunk === 'string' || chunk instanceof Uint8Array) sent.push(Buffer.from(chunk as string));
      };
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        keep(chunk);
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((...args: unknown[]) => {
        if (typeof args[0] !== 'function') keep(args[0]);
        return end(...args);
      }) as typeof res.end;
      res.on('finish', () => {
        const wire = Buffer.concat(sent);
        answers.push({ wire, encoding: res.getHeader('content-encoding') });
        clock = { ms: clock.ms + performance.now() - started, count: clock.count + 1, bytes: clock.bytes + wire.length };
      });
    },
    /** the answers as JSON: the floor fetches them so (on loopback the cheapest way to move them) */
    body: () => Buffer.concat(answers.map(plain)),
    answer(req: IncomingMessage, res: ServerResponse) {
      if (req.method === 'DELETE') {
        answers = [];
        clock = { ms: 0, count: 0, bytes: 0 };
      }
      const json = answers.reduce((n, a) => n + plain(a).length, 0);
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ ...clock, json }));
    },
  };
}

/**
 * The floor's server side, bench-only: a PUT leaves the pull answers recorded since the last reset
 * here (untimed); a GET is answered with them, and a POST too once its whole body is read. No
 * parse, no store, no check.
 */
function floorHandler(pulls: { body(): Buffer }): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  let held: Buffer = Buffer.alloc(0);
  return async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'PUT') {
      held = pulls.body();
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': held.byteLength, 'Cache-Control': 'no-store' });
    res.end(held);
  };
}

async function dropSchema(store: Store, schema: string): Promise<void> {
  await store.close();
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
  try {
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await pool.end();
  }
}

async function evaluate<T>(page: Page, script: string): Promise<T> {
  return (await page.evaluate(script)) as T;
}

/** Whether the vault's record rows are sealed: no clear field, no household name in the raw row. */
async function checkSealed(page: Page, name: string): Promise<void> {
  const raw = await evaluate<{ count: number; clear: number }>(
    page,
    `new Promise((done, fail) => {
      const open = indexedDB.open('kyoten-vault');
      open.onerror = () => fail(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction('records').objectStore('records').getAll();
        all.onsuccess = () => {
          const text = (row) => JSON.stringify(row, (k, v) => (v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? '[bytes]' : v));
          const rows = all.result;
          done({ count: rows.length, clear: rows.filter((r) => 'data' in r || text(r).includes(${JSON.stringify(name)})).length });
          open.result.close();
        };
        all.onerror = () => fail(all.error);
      };
    })`,
  );
  if (raw.clear > 0) throw new Error(`bench: ${raw.clear} of ${raw.count} vault rows hold clear data`);
}

interface Floor {
  readonly ms: number;
  readonly fetchMs: number;
  readonly putMs: number;
  readonly rows: number;
  readonly down: number;
  readonly up: number;
}

/**
 * BENCH_SYNC_PROFILE=<dir>: the page's main thread is profiled (CDP Profiler) while the sync runs;
 * the .cpuprofile is written there (open it in Chromium's DevTools), with the hub's (this process). Off by default: the profiler
 * slows the page.
 */
async function profileOf(page: Page, label: string): Promise<(() => Promise<void>) | null> {
  const dir = process.env.BENCH_SYNC_PROFILE;
  if (dir === undefined || dir === '') return null;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
  await cdp.send('Profiler.start');
  // The hub runs in this process: its profile is taken too.
  const hub = new inspector.Session();
  hub.connect();
  await hub.post('Profiler.enable');
  await hub.post('Profiler.start');
  return async () => {
    const { profile } = await cdp.send('Profiler.stop');
    const at = Date.now();
    writeFileSync(join(dir, `ours-${label}-${at}.cpuprofile`), JSON.stringify(profile));
    await cdp.detach();
    const { profile: hubProfile } = await hub.post('Profiler.stop');
    writeFileSync(join(dir, `hub-${label}-${at}.cpuprofile`), JSON.stringify(hubProfile));
    hub.disconnect();
  };
}

const sum = (o: Record<string, { ms: number }>, keys: readonly string[]) => keys.reduce((t, k) => t + (o[k]?.ms ?? 0), 0);

async function oursRound(fixture: SyncFixture, distDir: string, { page: script, worker }: Bundled): Promise<SyncRound> {
  const hub = await startOurHub(fixture, distDir, worker);
  const browser = await openBrowser();
  try {
    const { page, context } = browser;
    // A fresh device: the vault set up through the app's own setup screen.
    await setUpFirstUser(page, hub.baseUrl, 'ベンチ 同期');
    // The app's service worker would answer the bench page's navigation with the app shell.
    await evaluate(page, `navigator.serviceWorker.getRegistrations().then((rs) => Promise.all(rs.map((r) => r.unregister())))`);
    await context.route(`${hub.baseUrl}/__bench/**`, (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === PAGE_PATH) return route.fulfill({ contentType: 'text/html; charset=utf-8', body: `<!doctype html><meta charset="utf-8"><title>sync bench</title><script src="${SCRIPT_PATH}"></script>` });
      if (path === SCRIPT_PATH) return route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: script });
      return route.fulfill({ status: 404 });
    });
    await page.goto(hub.baseUrl + PAGE_PATH);
    // While a route is set, Playwright intercepts every request of the context (its body included)
    // and passes it on through this process: the sync's own requests must not pay for that.
    await context.unrouteAll();
    await evaluate(page, `__ours.open(${JSON.stringify(PASSPHRASE)})`);

    const form = { hub: HUB, loginName: LOGIN, password: PASSWORD, totp: totpCode(hub.totpSecret, new Date()), deviceName: 'ベンチ端末' };
    const profiling = await profileOf(page, 'first-sync');
    const down = await evaluate<{ ms: number; outcome: string; households: number; facilities: number; clocks: Clocks }>(page, `__ours.join(${JSON.stringify(form)})`);
    await profiling?.();
    const expected = { households: fixture.records.filter((r) => r.kind === 'household').length, facilities: fixture.records.filter((r) => r.kind === 'facility').length };
    if (down.outcome !== 'done' || down.households !== expected.households || down.facilities !== expected.facilities) {
      throw new Error(`bench: our first sync ended '${down.outcome}' with ${down.households} households and ${down.facilities} facilities in the vault`);
    }
    const firstHousehold = fixture.records.find((r) => r.kind === 'household')!;
    await checkSealed(page, String((firstHousehold.data['persons'] as { name: string }[])[0]!.name));
    const floorFirst = await evaluate<Floor>(page, `__ours.floor('first')`);
    if (floorFirst.rows !== fixture.records.length) throw new Error(`bench: the floor wrote ${floorFirst.rows} rows, not ${fixture.records.length}`);

    await context.setOffline(true);
    const queued = await evaluate<number>(page, `__ours.edit(${JSON.stringify(fixture.edits)})`);
    await context.setOffline(false);
    if (queued !== fixture.edits.length) throw new Error(`bench: ${queued} changes queued, not ${fixture.edits.length}`);
    const profilingDrain = await profileOf(page, 'drain');
    const up = await evaluate<{ ms: number; outcome: string; pending: number; clocks: Clocks }>(page, '__ours.drain()');
    await profilingDrain?.();
    if (up.outcome !== 'done' || up.pending !== 0) throw new Error(`bench: our drain ended '${up.outcome}' with ${up.pending} changes still queued`);
    const floorDrain = await evaluate<Floor>(page, `__ours.floor('drain', ${JSON.stringify(fixture.edits.map((e) => e.id))})`);
    if (floorDrain.rows !== fixture.edits.length) throw new Error(`bench: the drain's floor wrote ${floorDrain.rows} rows, not ${fixture.edits.length}`);
    const floor = await evaluate<{ rows: number; plain: number; indexed: number; indexes: string[] }>(page, `__ours.idbFloor(${PULL_PAGE})`);
    // The hub holds every edit.
    const notes = new Map<string, string | undefined>();
    for (let cursor = 0, more = true; more; ) {
      const held = await hub.store.pullSince(cursor, { tenantId: HUB, officeIds: 'all' }, MAX_PULL_LIMIT);
      for (const r of held.records) if (r.kind === 'household') notes.set(r.entityId, (JSON.parse(r.payloadJson) as { note?: string }).note);
      ({ cursor, hasMore: more } = held);
    }
    const arrived = fixture.edits.filter((e) => notes.get(e.id) === e.note).length;
    if (arrived !== fixture.edits.length) throw new Error(`bench: ${arrived} of ${fixture.edits.length} of our edits reached the hub`);

    const d = down.clocks;
    const u = up.clocks;
    return {
      firstSync: down.ms,
      drain: up.ms,
      floor: { firstSync: floorFirst.ms, drain: floorDrain.ms },
      detail:
        `hub seeded in ${(hub.seedMs / 1000).toFixed(1)} s; ${down.households + down.facilities} records sealed in the vault from ` +
        `${d.requests['/api/sync/pull']?.count ?? 0} pull pages (${((d.requests['/api/sync/pull']?.json ?? 0) / 1048576).toFixed(1)} MB of JSON, ${((d.requests['/api/sync/pull']?.bytes ?? 0) / 1048576).toFixed(1)} MB on the wire); ` +
        `${arrived} edits on the hub in ${u.requests['/api/sync/push']?.count ?? 0} push(es); ` +
        `the floor moved ${(floorFirst.down / 1048576).toFixed(1)} MB for (a), ${(floorDrain.up / 1048576).toFixed(1)} MB up and ${(floorDrain.down / 1048576).toFixed(1)} MB down for (b)`,
      parts: {
        'first sync: sign-in + enrol requests': sum(d.requests, ['/api/session', '/api/devices']),
        'first sync: pull requests at the hub (in to last byte sent; fetched, checked and sealed in the pull worker)': sum(d.requests, ['/api/sync/pull']),
        'first sync: vault applyRemote (evidence read + IndexedDB)': sum(d.vault, ['applyRemote']),
        '  of which WebCrypto encrypt busy': d.busy['WebCrypto encrypt'] ?? 0,
        '  of which IndexedDB read-write transactions busy': d.busy['IndexedDB read-write transactions'] ?? 0,
        'raw floor (a): one GET of the first sync\'s pull bytes': floorFirst.fetchMs,
        'raw floor (a): one Dexie bulkPut of the 11,000 sealed rows into a scratch database': floorFirst.putMs,
        'raw floor (b): one POST of the push\'s bytes answered with the pull\'s': floorDrain.fetchMs,
        'raw floor (b): one Dexie bulkPut of the 1,000 rows over the first\'s': floorDrain.putMs,
        [`IndexedDB: the same ${floor.rows} sealed rows written raw, ${PULL_PAGE} per transaction, no index`]: floor.plain,
        [`IndexedDB: the same, with the vault's indexes (${floor.indexes.join(', ')})`]: floor.indexed,
        'drain: push request (hub + transfer)': sum(u.requests, ['/api/sync/push']),
        'drain: vault outbox read (unseal the queue)': sum(u.vault, ['outbox']),
        'drain: vault acknowledge': sum(u.vault, ['acknowledge']),
        'drain: pull requests at the hub': sum(u.requests, ['/api/sync/pull']),
        'drain: vault applyRemote': sum(u.vault, ['applyRemote']),
        'drain: the rest': up.ms - sum(u.requests, Object.keys(u.requests)) - sum(u.vault, Object.keys(u.vault)),
      },
    };
  } finally {
    await browser.dispose();
    await hub.close();
  }
}

let bundled: Promise<Bundled> | undefined;

/** One round on a fresh device against a freshly seeded hub. */
export async function benchOurSync(fixture: SyncFixture, distDir: string): Promise<SyncRound> {
  bundled ??= bundleOursPage();
  return oursRound(fixture, distDir, await bundled);
}
