/**
 * The peer of the sync figures: PouchDB replicating the same documents with a CouchDB-style server.
 * Server: express-pouchdb (the server half of pouchdb-server) over an in-memory PouchDB, on
 * loopback in this process. Browser: pouchdb-browser (IndexedDB adapter) in a bare page of our
 * own, bundled here with esbuild and served by the same server (same origin, so no CORS), never
 * part of the app's dist. PouchDB runs with its defaults (batch_size 100, batches_limit 10), as an
 * app that adopted it would, and again with batch_size set to our pull page (bench/sync.ts).
 *   (a) first sync: a fresh browser profile replicates the 11,000 documents down, until complete;
 *   (b) drain: 1,000 household edits made in the browser DB (not timed) replicate up, until complete.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { openBrowser } from '../test/e2e/browser';
import type { SyncFixture, SyncRound } from './sync-fixture';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const PAGE_PATH = '/__bench/peer.html';
const SCRIPT_PATH = '/__bench/pouchdb.js';

/** The little of PouchDB's Node API the bench uses (the packages ship no types). */
export interface NodePouch {
  put(doc: object): Promise<unknown>;
  get(id: string): Promise<{ _id: string; _rev: string } & Record<string, unknown>>;
  bulkDocs(docs: readonly object[]): Promise<readonly { ok?: boolean; error?: string }[]>;
  allDocs(options?: { include_docs?: boolean; keys?: readonly string[] }): Promise<{ total_rows: number; rows: readonly { id: string; doc?: { _rev: string; note?: string } }[] }>;
  destroy(): Promise<void>;
}
export type NodePouchClass = (new (name: string, options?: { adapter?: string }) => NodePouch) & {
  plugin(p: unknown): NodePouchClass;
  defaults(o: object): NodePouchClass;
  replicate(from: NodePouch, to: NodePouch): Promise<{ docs_written: number }>;
};

/** The page's script: pouchdb-browser on window, nothing else; the bench drives it with strings. */
async function bundlePouchdbBrowser(): Promise<string> {
  const out = await build({
    stdin: { contents: "import PouchDB from 'pouchdb-browser'; window.PouchDB = PouchDB;", resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    minify: true,
    write: false,
    define: { global: 'globalThis', 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
  return out.outputFiles[0]!.text;
}

export interface PeerServer {
  readonly origin: string;
  /** the database's name on the server */
  readonly name: string;
  readonly db: NodePouch;
  close(): Promise<void>;
}

let memoryPouch: NodePouchClass | undefined;
/** PouchDB over memory (and http) with its plugins, once: a plugin cannot be added to the class twice. */
export function memoryPouchClass(): NodePouchClass {
  memoryPouch ??= (require('pouchdb-core') as NodePouchClass)
    .plugin(require('pouchdb-adapter-memory'))
    .plugin(require('pouchdb-adapter-http'))
    .plugin(require('pouchdb-replication'))
    .plugin(require('pouchdb-mapreduce'))
    .defaults({ adapter: 'memory' });
  return memoryPouch;
}

let servers = 0;

/** express-pouchdb over a fresh in-memory database holding the fixture's records, on loopback. */
export async function startPeerServer(fixture: SyncFixture): Promise<PeerServer> {
  const MemoryPouch = memoryPouchClass();
  const logDir = await mkdtemp(join(tmpdir(), 'kyoten-bench-pouch-'));
  const expressPouchDB = require('express-pouchdb') as (p: unknown, o: object) => (req: IncomingMessage, res: ServerResponse) => void;
  const couch = expressPouchDB(MemoryPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(logDir, 'log.txt') });
  const script = await bundlePouchdbBrowser();
  const page = '<!doctype html><meta charset="utf-8"><title>PouchDB peer</title><script src="' + SCRIPT_PATH + '"></script>';

  // A new name per server: the memory adapter keeps its stores by name for the whole process.
  const name = `hub-${++servers}`;
  const db = new MemoryPouch(name);
  // The same documents as ours: one JSON document per record, its id the record's id.
  for (let i = 0; i < fixture.records.length; i += 1000) {
    const results = await db.bulkDocs(fixture.records.slice(i, i + 1000).map((r) => ({ _id: `${r.kind}:${r.id}`, kind: r.kind, ...r.data })));
    const failed = results.find((r) => r.error !== undefined);
    if (failed !== undefined) throw new Error(`bench: the peer refused a seed document: ${failed.error}`);
  }

  const server: Server = createServer((req, res) => {
    if (req.url === PAGE_PATH || req.url === SCRIPT_PATH) {
      const [type, body] = req.url === PAGE_PATH ? ['text/html', page] : ['text/javascript', script];
      res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    couch(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    name,
    db,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await db.destroy();
      await rm(logDir, { recursive: true, force: true });
    },
  };
}

/** One fresh browser profile: the first sync down, then 1,000 offline edits drained up. */
async function peerRound(fixture: SyncFixture, server: PeerServer, batchSize: number | undefined): Promise<SyncRound> {
  const options = JSON.stringify(batchSize === undefined ? {} : { batch_size: batchSize });
  const browser = await openBrowser();
  try {
    const { page } = browser;
    await page.goto(server.origin + PAGE_PATH);
    const remote = JSON.stringify(`${server.origin}/${server.name}`);
    // Strings, not functions: tsx would wrap functions in a helper the page does not have.
    const down = (await page.evaluate(`(async () => {
      const local = new PouchDB('device');
      const remote = new PouchDB(${remote});
      const t0 = performance.now();
      const result = await PouchDB.replicate(remote, local, ${options});
      const ms = performance.now() - t0;
      const info = await local.info();
      return { ms, written: result.docs_written, held: info.doc_count, adapter: local.adapter };
    })()`)) as { ms: number; written: number; held: number; adapter: string };
    if (down.held !== fixture.records.length) throw new Error(`bench: the peer device holds ${down.held} documents, not ${fixture.records.length}`);

    const editIds = JSON.stringify(fixture.edits.map((e) => `household:${e.id}`));
    const edits = JSON.stringify(fixture.edits.map((e) => ({ note: e.note, updatedAt: e.updatedAt })));
    const up = (await page.evaluate(`(async () => {
      const local = new PouchDB('device');
      const remote = new PouchDB(${remote});
      const ids = ${editIds};
      const edits = ${edits};
      // Offline edits, one write each as an app saves a form: not timed.
      const docs = (await local.allDocs({ keys: ids, include_docs: true })).rows.map((r) => r.doc);
      for (let i = 0; i < docs.length; i++) await local.put({ ...docs[i], ...edits[i] });
      const t0 = performance.now();
      const result = await PouchDB.replicate(local, remote, ${options});
      return { ms: performance.now() - t0, written: result.docs_written };
    })()`)) as { ms: number; written: number };
    if (up.written !== fixture.edits.length) throw new Error(`bench: the peer pushed ${up.written} documents, not ${fixture.edits.length}`);
    // The server holds every edit.
    const held = await server.db.allDocs({ keys: fixture.edits.map((e) => `household:${e.id}`), include_docs: true });
    const arrived = held.rows.filter((r, i) => r.doc?.note === fixture.edits[i]!.note).length;
    if (arrived !== fixture.edits.length) throw new Error(`bench: ${arrived} of ${fixture.edits.length} peer edits reached the server`);
    const batch = batchSize === undefined ? 'default replication settings (batch_size 100)' : `batch_size ${batchSize}`;
    return { firstSync: down.ms, drain: up.ms, detail: `${batch}; IndexedDB adapter '${down.adapter}', ${down.written} documents down, ${up.written} up` };
  } finally {
    await browser.dispose();
  }
}

/**
 * One round on a fresh device against a freshly seeded server, so every drain lands on the same
 * state. `batchSize`: PouchDB's batch_size for both replications (its default, 100, when undefined).
 */
export async function benchPeerSync(fixture: SyncFixture, batchSize?: number): Promise<SyncRound> {
  const server = await startPeerServer(fixture);
  try {
    return await peerRound(fixture, server, batchSize);
  } finally {
    await server.close();
  }
}
