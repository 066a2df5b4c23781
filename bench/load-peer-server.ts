/**
 * The load bench's peer server, run as a child process of bench/load.ts: express-pouchdb over
 * in-memory PouchDB, one database per hub holding its households. Prints `PORT=n` when ready.
 * Args: hubs households.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadHousehold } from './load-households';
import { KEEP_ALIVE_MS, LISTEN_BACKLOG } from '../src/server/app-server';
import { memoryPouchClass } from './sync-peer';

const [hubs, households] = process.argv.slice(2).map(Number) as [number, number];
const require = createRequire(import.meta.url);
const MemoryPouch = memoryPouchClass();
const expressPouchDB = require('express-pouchdb') as (p: unknown, o: object) => (req: IncomingMessage, res: ServerResponse) => void;
const couch = expressPouchDB(MemoryPouch, { mode: 'minimumForPouchDB', inMemoryConfig: true, logPath: join(mkdtempSync(join(tmpdir(), 'kyoten-load-pouch-')), 'log.txt') });
for (let h = 0; h < hubs; h++) {
  const db = new MemoryPouch(`load-hub-${h}`);
  for (let k = 0; k < households; k += 1000) {
    const ids = Array.from({ length: Math.min(1000, households - k) }, (_, j) => `load-hub-${h}-hh-${k + j}`);
    await db.bulkDocs(ids.map((id) => ({ _id: `household:${id}`, kind: 'household', ...loadHousehold(id, households) })));
  }
}
const server = createServer((req, res) => couch(req, res));
// As the hub keeps them (src/server/app-server.ts), so both sides meet the same client behaviour.
server.keepAliveTimeout = KEEP_ALIVE_MS;
server.headersTimeout = KEEP_ALIVE_MS + 1_000;
server.listen({ port: 0, host: '127.0.0.1', backlog: LISTEN_BACKLOG }, () => console.log(`PORT=${(server.address() as AddressInfo).port}`));
