/**
 * The load bench's peer target: express-pouchdb (bench/load-peer-server.ts, a child process) doing
 * the same work as a PouchDB replication of each device: a push is one `_bulk_docs` with
 * `new_edits: false` (how replication writes), a pull one `_changes?include_docs=true` page from
 * the device's `since`. Replication also asks `_revs_diff` and `_bulk_get`; leaving them out makes
 * the peer's figures, if anything, better than an app's would be.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { changesPath, deviceFetch } from './load-device-fetch';
import { loadHousehold } from './load-households';
import type { LoadTarget } from './load';
import { cpuSeconds } from './stats';

export interface LoadPeer {
  readonly target: LoadTarget;
  readonly devices: number;
  households(device: number): readonly string[];
}

const PAGE = 1000;

export async function startLoadPeer(hubs: number, households: number, devicesPerHub: number): Promise<LoadPeer> {
  const root = resolve(import.meta.dirname, '..');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'bench/load-peer-server.ts'), String(hubs), String(households)], {
    cwd: root,
    // express-pouchdb warns of listeners on every request under load; its stderr is noise here.
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const port = await new Promise<number>((found, failed) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /PORT=(\d+)/.exec(line);
      if (m !== null) found(Number(m[1]));
    });
    child.once('exit', (code) => failed(new Error(`the peer exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const devices = hubs * devicesPerHub;
  // Interleaved across hubs, as bench/load.ts orders ours.
  const hubOf = (d: number) => d % hubs;
  const since = Array.from({ length: devices }, () => '0' as string | number);
  let generation = 1;
  const names = Array.from({ length: hubs }, (_, h) => Array.from({ length: households }, (_, k) => `load-hub-${h}-hh-${k}`));
  const pulled = { records: 0, bytes: 0 };
  const call = async (path: string, init?: RequestInit) => {
    const res = await deviceFetch(`${base}${path}`, init);
    const text = await res.text();
    if (path.includes('/_changes')) pulled.bytes += Buffer.byteLength(text);
    if (!res.ok) throw new Error(`${path} → ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as unknown;
  };
  // Every device has synced before: its `since` is its hub's last update (a first sync is reset()).
  // `behind`: that many changes short of it (the memory adapter's update_seq is a number).
  const catchUp = async (behind = 0) => {
    for (let h = 0; h < hubs; h++) {
      const info = (await call(`/load-hub-${h}`)) as { update_seq: string | number };
      if (behind > 0 && typeof info.update_seq !== 'number') throw new Error(`update_seq ${String(info.update_seq)} is not a number: cannot stand ${behind} behind it`);
      for (let d = h; d < devices; d += hubs) since[d] = typeof info.update_seq === 'number' ? Math.max(0, info.update_seq - behind) : info.update_seq;
    }
  };
  await catchUp();
  const target: LoadTarget = {
    name: 'express-pouchdb',
    async push(d, edits) {
      const docs = edits.map((id) => ({
        _id: `household:${id}`,
        _rev: `${++generation}-${randomBytes(16).toString('hex')}`,
        kind: 'household',
        ...loadHousehold(id, households, `edit from device ${d}`),
      }));
      await call(`/load-hub-${hubOf(d)}/_bulk_docs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs, new_edits: false }) });
    },
    async pull(d) {
      const page = (await call(changesPath(`/load-hub-${hubOf(d)}`, PAGE, since[d]!))) as {
        results: unknown[];
        last_seq: string | number;
      };
      since[d] = page.last_seq;
      pulled.records += page.results.length;
      return page.results.length === PAGE;
    },
    firstSync: (d) => ({ kind: 'peer', database: `${base}/load-hub-${hubOf(d)}`, page: PAGE }),
    firstSynced(d, cursor) {
      since[d] = cursor;
    },
    catchUp,
    cpu: async () => ({ server: cpuSeconds(child.pid), database: 0 }),
    pulled: () => ({ ...pulled, counted: 'as JSON (compressed on the wire)' }),
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m === null ? 0 : Number(m[1]) * 1024;
      } catch {
        return 0;
      }
    },
    async close() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  return { target, devices, households: (d) => names[hubOf(d)]! };
}
