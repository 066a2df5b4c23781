/**
 * The first sync's pull pages at the hub, in Node alone (issue 16 points 2a and 3): the sync bench's
 * 10,000 households and 1,000 facilities held by a hub over PostgreSQL, pulled from cursor 0 in
 * pages of PULL_PAGE (a) through the HTTP API (GET /api/sync/pull, each answer read whole as bytes,
 * the next page asked on its `x-kyoten-pull-next` header, nothing parsed) and (b) by the store's
 * `pullAnswer` alone. No browser, no parse, no check: the hub's part of a first sync.
 *
 *   npx tsx bench/pull-node.ts (or BENCH_ONLY=pull npm run bench)   PULL_ROUNDS (5) rounds of each, medians printed
 *
 * Beside wall time, the CPU of this process and of the store's PostgreSQL backends. PostgreSQL at
 * 127.0.0.1:5432, database `test` (BENCH_DATABASE_URL for another), in a fresh schema.
 */
import { loadavg } from 'node:os';
import { CURSOR_MARK_HEADER, PULL_NEXT_HEADER } from '../src/protocol/cursor';
import { API, DEVICE_ID_HEADER, DEVICE_SECRET_HEADER, MAX_PUSH_CHANGES, SESSION_COOKIE } from '../src/protocol/sync';
import { PULL_PAGE } from '../src/sync/engine';
import { seedDevices } from '../test/integration/hub-process';
import { withNodeHub } from './node-hub';
import { cpuMeter, median } from './stats';
import { seedChanges, syncFixture } from './sync-fixture';

const ROUNDS = Number(process.env.PULL_ROUNDS ?? 5);

interface Side {
  /** milliseconds per round, all pages */
  readonly wall: number[];
  readonly nodeCpu: number[];
  readonly pgCpu: number[];
}

export interface PullFigures {
  readonly api: Side;
  readonly store: Side;
  readonly pages: number;
  readonly bytes: number;
  readonly records: number;
}

export async function benchPull(): Promise<PullFigures> {
  return withNodeHub('pull', async ({ store, raw, application, serve }) => {
    const [device] = await seedDevices(raw, 'pull-hub-', 1, 1);
    const fixture = syncFixture();
    const seed = seedChanges(fixture.records);
    for (let i = 0; i < seed.length; i += MAX_PUSH_CHANGES) {
      const results = await store.applyPush(device!.deviceId, device!.userId, seed.slice(i, i + MAX_PUSH_CHANGES));
      if (results.some((r) => r.status !== 'accepted')) throw new Error('bench: the hub refused a seed record');
    }
    // A hub's tables carry statistics (autovacuum analyzes a table within a minute of such a
    // seed); without them the page's plan is one no hub runs.
    await raw.query('ANALYZE');
    const base = await serve();
    const headers = {
      cookie: `${SESSION_COOKIE}=${device!.sessionToken}`,
      [DEVICE_ID_HEADER]: device!.deviceId,
      [DEVICE_SECRET_HEADER]: device!.deviceSecret,
      [CURSOR_MARK_HEADER]: '1',
    };
    const meter = cpuMeter(raw, application);
    const figures = { api: { wall: [], nodeCpu: [], pgCpu: [] } as Side, store: { wall: [], nodeCpu: [], pgCpu: [] } as Side, pages: 0, bytes: 0, records: 0 };
    const scope = { tenantId: device!.tenantId, officeIds: 'all' as const };
    for (let round = 0; round < ROUNDS; round++) {
      let since = await meter.start();
      let start = performance.now();
      let cursor: string | null = '0';
      let pages = 0;
      let bytes = 0;
      while (cursor !== null) {
        const res: Response = await fetch(`${base}${API.pull}?cursor=${encodeURIComponent(cursor)}&limit=${PULL_PAGE}`, { headers });
        const body = await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`bench: pull answered ${res.status}: ${Buffer.from(body).toString().slice(0, 300)}`);
        pages += 1;
        bytes += body.byteLength;
        cursor = res.headers.get(PULL_NEXT_HEADER);
      }
      record(figures.api, performance.now() - start, await meter.used(since));
      figures.pages = pages;
      figures.bytes = bytes;

      since = await meter.start();
      start = performance.now();
      let at = { epoch: null as string | null, version: 0 };
      let records = 0;
      for (;;) {
        const answer = await store.pullAnswer(at, scope, PULL_PAGE);
        records += answer.count;
        if (!answer.hasMore) break;
        at = { epoch: answer.epoch, version: answer.cursor };
      }
      record(figures.store, performance.now() - start, await meter.used(since));
      if (records !== fixture.records.length) throw new Error(`bench: pulled ${records} records of ${fixture.records.length}`);
      figures.records = records;
    }
    return figures;
  });
}

function record(side: Side, wall: number, used: { node: number; pg: number }): void {
  side.wall.push(wall);
  side.nodeCpu.push(used.node);
  side.pgCpu.push(used.pg);
}

/** Runs benchPull and prints its medians with the load average (`BENCH_ONLY=pull npm run bench`, or this file alone). */
export async function printPullFigures(): Promise<void> {
  const before = loadavg().map((l) => l.toFixed(2)).join(' ');
  const f = await benchPull();
  const show = (xs: readonly number[]) => `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(
    `first sync's pull at the hub: ${f.records} records in ${f.pages} pages of ${PULL_PAGE} (${(f.bytes / 1e6).toFixed(1)} MB), ${ROUNDS} rounds; load average ${before} → ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
  );
  for (const [label, side] of [['through the HTTP API', f.api], ['pullAnswer alone    ', f.store]] as const) {
    console.log(`  ${label}: ${show(side.wall)}; Node CPU ${show(side.nodeCpu)}; PostgreSQL CPU ${show(side.pgCpu)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await printPullFigures();
