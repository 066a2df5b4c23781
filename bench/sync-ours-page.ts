/**
 * Bench-only browser entry for our side of the sync figures: the app's real vault (IndexedDB,
 * AES-GCM) and real sync engine (src/sync), driven without the app's screens so that the figure is
 * the engine's, like the peer's bare PouchDB page. Bundled by bench/sync-ours.ts with esbuild and
 * served into the hub's origin by the browser (Playwright routes), never part of the app's dist.
 * It opens the vault that the app's setup screen created, with the same passphrase.
 *
 * Clocks: every request to the hub (sent → answer read) and every vault call of the sync
 * (applyRemote: sealing + IndexedDB; acknowledge) are timed, so the bench can say where time goes.
 */
import Dexie from 'dexie';
import { createSyncEngine, type JoinForm, type SyncEngine } from '../src/sync/engine';
import { setPullWorkerFactory } from '../src/sync/off-thread';
import { createVault } from '../src/vault/vault';
import type { VaultSession } from '../src/vault/types';

/** The app's pull worker as the bench's server serves it (bench/sync-ours.ts WORKER_PATH). */
const WORKER_URL = '/api/__bench/pull-worker.js';

interface Clocks {
  /** per API path: total ms from request sent to body read, how many requests, bytes on the wire (and as JSON, for pulls) */
  readonly requests: Record<string, { ms: number; count: number; bytes: number; json?: number }>;
  /** per vault sync call: total ms and count */
  readonly vault: Record<string, { ms: number; count: number }>;
  /** busy time of WebCrypto and IndexedDB writes (see busyTracker) */
  readonly busy: Record<string, number>;
}

const clocks: Clocks = { requests: {}, vault: {}, busy: {} };

function tally(into: Record<string, { ms: number; count: number; bytes?: number }>, key: string, ms: number, bytes?: number): void {
  const entry = (into[key] ??= { ms: 0, count: 0 });
  entry.ms += ms;
  entry.count += 1;
  if (bytes !== undefined) entry.bytes = (entry.bytes ?? 0) + bytes;
}

/**
 * What the sync pushed since the clocks were reset, kept so the floor (see floor()) moves the very
 * same bytes. The pull answers are kept by the bench's server (PULLS_PATH): the app pulls in its
 * worker, with the browser's own fetch.
 */
const wire: { pushed: (string | Uint8Array<ArrayBuffer>)[] } = { pushed: [] };
const PULLS_URL = '/api/__bench/pulls';

/** The browser's fetch, timed to the end of the body (the client reads it as text or JSON). */
async function timedFetch(input: string, init: RequestInit): Promise<Response> {
  const started = performance.now();
  const response = await fetch(input, init);
  const body = await response.arrayBuffer();
  const path = new URL(input, location.href).pathname;
  tally(clocks.requests, path, performance.now() - started, body.byteLength);
  // as sent (gzipped past a few KB); the floor posts them as JSON (see floor())
  if (path === '/api/sync/push' && (typeof init.body === 'string' || init.body instanceof Uint8Array)) wire.pushed.push(init.body as string | Uint8Array<ArrayBuffer>);
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The session with its sync calls timed; everything else passes through. */
function timedSession(session: VaultSession): VaultSession {
  const sync = new Proxy(session.sync, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      // Hands back its promises at once; the pull worker's work is timed at the hub (PULLS_PATH).
      if (prop === 'sealPulled') return (value as () => unknown).bind(target);
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        } finally {
          tally(clocks.vault, String(prop), performance.now() - started);
        }
      };
    },
  });
  return new Proxy(session, {
    get(target, prop) {
      if (prop === 'sync') return sync;
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'outbox') {
        // The queue read (and unsealed) before each push.
        return async () => {
          const started = performance.now();
          try {
            return await (value as () => Promise<unknown>).call(target);
          } finally {
            tally(clocks.vault, 'outbox', performance.now() - started);
          }
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Busy time of a kind of work: the time during which at least one call was in flight. The vault
 * seals a page with many encrypt calls at once, so their sum would say nothing; this does.
 */
const busy: Record<string, number> = {};
function busyTracker(key: string): { start(): void; end(): void } {
  let inFlight = 0;
  let since = 0;
  busy[key] = 0;
  return {
    start() {
      if (inFlight++ === 0) since = performance.now();
    },
    end() {
      if (--inFlight === 0) busy[key] = (busy[key] ?? 0) + performance.now() - since;
    },
  };
}

// AES-GCM sealing (WebCrypto encrypt) and unsealing.
for (const op of ['encrypt', 'decrypt'] as const) {
  const original = crypto.subtle[op].bind(crypto.subtle);
  const tracker = busyTracker(`WebCrypto ${op}`);
  crypto.subtle[op] = ((...args: Parameters<SubtleCrypto['encrypt']>) => {
    tracker.start();
    return original(...args).finally(() => tracker.end());
  }) as SubtleCrypto['encrypt'];
}

// IndexedDB read-write transactions, from opening to 'complete' (or abort).
{
  const original = IDBDatabase.prototype.transaction;
  const tracker = busyTracker('IndexedDB read-write transactions');
  IDBDatabase.prototype.transaction = function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = original.apply(this, args);
    if (args[1] === 'readwrite') {
      tracker.start();
      let ended = false;
      const end = () => {
        if (!ended) tracker.end();
        ended = true;
      };
      tx.addEventListener('complete', end);
      tx.addEventListener('abort', end);
      tx.addEventListener('error', end);
    }
    return tx;
  } as IDBDatabase['transaction'];
}

let session: VaultSession | undefined;
let engine: SyncEngine | undefined;

function started(): { session: VaultSession; engine: SyncEngine } {
  if (session === undefined || engine === undefined) throw new Error('bench: open() first');
  return { session, engine };
}

async function resetClocks(): Promise<void> {
  for (const k of Object.keys(clocks.requests)) delete clocks.requests[k];
  for (const k of Object.keys(clocks.vault)) delete clocks.vault[k];
  for (const k of Object.keys(busy)) busy[k] = 0;
  wire.pushed = [];
  await fetch(PULLS_URL, { method: 'DELETE' });
}

/** The clocks, with the pulls as the bench's server timed them. */
async function snapshot(): Promise<Clocks> {
  const pulls = (await (await fetch(PULLS_URL)).json()) as { ms: number; count: number; bytes: number; json: number };
  return structuredClone({ ...clocks, requests: { ...clocks.requests, '/api/sync/pull': pulls }, busy });
}

const bench = {
  /** Unlocks the vault the setup screen made (its only user) and builds the engine on it. */
  async open(passphrase: string): Promise<void> {
    const vault = createVault();
    const [user] = await vault.listUsers();
    if (user === undefined) throw new Error('bench: the vault has no user; set it up through the setup screen first');
    session = timedSession(await vault.unlock(user.id, passphrase));
    // The app's pull worker, bundled and served by the bench (this page is not built by Vite).
    setPullWorkerFactory(() => new Worker(WORKER_URL, { name: 'pull' }));
    // The app's service worker is not needed here; a retirement would not happen in the bench.
    // Pulls go through the worker with the browser's fetch, as in the app; the rest is timed here.
    engine = createSyncEngine({ session, fetch: timedFetch, workerPulls: true, forgetInstall: async () => undefined });
  },

  /** Sign-in, enrolment and the first sync, as one join: milliseconds and what the vault holds. */
  async join(form: JoinForm) {
    const { session, engine } = started();
    await resetClocks();
    const t0 = performance.now();
    const outcome = await engine.join(form);
    const ms = performance.now() - t0;
    const timed = await snapshot();
    const [households, facilities] = await Promise.all([session.list('household'), session.list('facility')]);
    return { ms, outcome, households: households.length, facilities: facilities.length, clocks: timed };
  },

  /** Offline edits, one vault write each as a form save makes them; not timed by the bench. */
  async edit(edits: readonly { id: string; note: string; updatedAt: string }[]) {
    const { session } = started();
    for (const e of edits) {
      const held = await session.get<Record<string, unknown>>('household', e.id);
      if (held === undefined) throw new Error(`bench: household ${e.id} is not in the vault`);
      await session.put('household', e.id, { ...held.data, note: e.note, updatedAt: e.updatedAt }, 'update');
    }
    return session.pendingChanges();
  },

  /** One sync run with the edits queued: push them all, then pull until the hub has nothing more. */
  async drain() {
    const { session, engine } = started();
    await resetClocks();
    const t0 = performance.now();
    const outcome = await engine.run();
    const ms = performance.now() - t0;
    return { ms, outcome, pending: await session.pendingChanges(), clocks: await snapshot() };
  },
};

const request = <T>(r: IDBRequest<T>): Promise<T> =>
  new Promise((done, fail) => {
    r.onsuccess = () => done(r.result);
    r.onerror = () => fail(r.error);
  });
const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((done, fail) => {
    tx.oncomplete = () => done();
    tx.onabort = () => fail(tx.error);
  });

/**
 * This browser's floor for the vault's writes: the sealed record rows the first sync wrote, read
 * back raw and written again into a scratch database in pages of the engine's size, into a store
 * with no index and into one with the vault's indexes. No sealing, no reads, no sync metadata.
 */
async function idbFloor(pageSize: number) {
  const vault = await request(indexedDB.open('kyoten-vault'));
  const store = vault.transaction('records').objectStore('records');
  const keyPath = store.keyPath;
  const indexes = [...store.indexNames].map((name) => {
    const index = store.index(name);
    return { name, keyPath: index.keyPath, multiEntry: index.multiEntry, unique: index.unique };
  });
  const rows = (await request(store.getAll())).filter((r: { kind: string }) => r.kind === 'household' || r.kind === 'facility');
  vault.close();
  const name = 'kyoten-bench-floor';
  await request(indexedDB.deleteDatabase(name));
  const open = indexedDB.open(name, 1);
  open.onupgradeneeded = () => {
    open.result.createObjectStore('plain', { keyPath });
    const indexed = open.result.createObjectStore('indexed', { keyPath });
    for (const i of indexes) indexed.createIndex(i.name, i.keyPath, { multiEntry: i.multiEntry, unique: i.unique });
  };
  const scratch = await request(open);
  const times: Record<string, number> = {};
  for (const target of ['plain', 'indexed']) {
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += pageSize) {
      const tx = scratch.transaction(target, 'readwrite');
      const os = tx.objectStore(target);
      for (const row of rows.slice(i, i + pageSize)) os.put(row);
      await committed(tx);
    }
    times[target] = performance.now() - t0;
  }
  scratch.close();
  await request(indexedDB.deleteDatabase(name));
  return { rows: rows.length, plain: times['plain']!, indexed: times['indexed']!, indexes: indexes.map((i) => i.name) };
}

const FLOOR_URL = '/api/__bench/floor';
const FLOOR_DB = 'kyoten-bench-raw-floor';
let floorDb: Dexie | undefined;

/**
 * The raw floor of the last sync figure (issue 16 point 2), in this browser, now: one fetch of the
 * same bytes the sync moved, plus one Dexie bulkPut of the same number of rows into a scratch
 * database (primary key only, no index, no sealing, no reads, no parse).
 *   'first': one GET answered with the first sync's pull answers, concatenated; then the 11,000
 *            sealed record rows the vault now holds, read back raw, put into an empty scratch table;
 *   'drain': one POST carrying the push's request bodies, answered with the drain's pull answers;
 *            then the vault rows of the edited records put into the scratch table that already
 *            holds the first sync's rows (as the drain writes over a full vault).
 * The bytes are handed to the bench's server untimed first (a PUT), so the timed fetch is one
 * round trip of exactly those bytes through the hub's own HTTP server.
 */
async function floor(which: 'first' | 'drain', editedIds: readonly string[] = []) {
  // The push's bodies as JSON (on loopback the cheapest way to move them), unpacked before the clock starts.
  const unpack = (body: string | Uint8Array<ArrayBuffer>) =>
    typeof body === 'string' ? body : new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  const pushed = (await Promise.all(wire.pushed.map(unpack))).join('');
  // The bench's server holds the pull answers it sent since the clocks were reset.
  const stage = await fetch(FLOOR_URL, { method: 'PUT' });
  if (!stage.ok) throw new Error(`bench: the floor server said ${stage.status}`);
  // The rows, read raw from the vault (sealed as they are stored), before the clock starts.
  const vault = await request(indexedDB.open('kyoten-vault'));
  const all = (await request(vault.transaction('records').objectStore('records').getAll())) as { kind: string; id: string }[];
  vault.close();
  const edited = new Set(editedIds);
  const rows = which === 'first' ? all.filter((r) => r.kind === 'household' || r.kind === 'facility') : all.filter((r) => r.kind === 'household' && edited.has(r.id));
  if (which === 'first') {
    floorDb?.close();
    await Dexie.delete(FLOOR_DB);
    floorDb = new Dexie(FLOOR_DB);
    floorDb.version(1).stores({ records: '[kind+id]' });
    await floorDb.open();
  }
  const db = floorDb;
  if (db === undefined) throw new Error("bench: floor('first') first");
  const t0 = performance.now();
  const response = await fetch(FLOOR_URL, which === 'first' ? { method: 'GET' } : { method: 'POST', body: pushed, headers: { 'Content-Type': 'application/json' } });
  const bytes = (await response.arrayBuffer()).byteLength;
  const fetched = performance.now();
  await db.table('records').bulkPut(rows);
  const ms = performance.now() - t0;
  return { ms, fetchMs: fetched - t0, putMs: ms - (fetched - t0), rows: rows.length, down: bytes, up: new Blob([pushed]).size };
}

(globalThis as unknown as { __ours: typeof bench & { idbFloor: typeof idbFloor; floor: typeof floor } }).__ours = { ...bench, idbFloor, floor };
