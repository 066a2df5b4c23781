/**
 * The drain's push in Node alone (issue 16 point 2b): 1,000 offline household edits (the sync
 * bench's: every tenth demo household's note rewritten, based on the version the device pulled)
 * taken by the hub over PostgreSQL, (a) through the HTTP API (one POST /api/sync/push, from the
 * body sent to the answer read; the body is stringified before the clock starts) and (b) by the
 * store's `applyPush` alone. Each round edits the same households again, on the versions the
 * round before left, so every round takes the same path (no merge: the base is the held version).
 *
 *   npx tsx bench/push-node.ts (or BENCH_ONLY=push npm run bench)  PUSH_ROUNDS (8) rounds of each, medians printed; past
 *                                                                   the fifth, PostgreSQL may plan the API's prepared statements generically
 *   PUSH_HOUSEHOLDS=10000 PUSH_EDITS=1000 the fixture's size
 *   node --cpu-prof --import tsx bench/push-node.ts                  to profile it
 *
 * Beside wall time, the CPU of this process and of the store's PostgreSQL backends, steadier on a
 * busy machine. PostgreSQL at 127.0.0.1:5432, database `test` (BENCH_DATABASE_URL for another), in a fresh schema.
 */
import { loadavg } from 'node:os';
import { DEVICE_ID_HEADER, DEVICE_SECRET_HEADER, HUB_ONLY_OFFICE, MAX_PUSH_CHANGES, SESSION_COOKIE, type WireChange } from '../src/protocol/sync';
import type { PushedChange } from '../src/server/db/store';
import { seedDevices } from '../test/integration/hub-process';
import { withNodeHub } from './node-hub';
import { cpuMeter, median } from './stats';
import { seedChanges, syncFixture } from './sync-fixture';

const ROUNDS = Number(process.env.PUSH_ROUNDS ?? 8);
const HOUSEHOLDS = Number(process.env.PUSH_HOUSEHOLDS ?? 10_000);
const EDITS = Number(process.env.PUSH_EDITS ?? 1_000);

export interface PushFigures {
  /** milliseconds per round: POST of the edits to the answer read */
  readonly api: readonly number[];
  /** milliseconds per round: `applyPush` of the same edits */
  readonly store: readonly number[];
  /** this process's CPU milliseconds (user + system) per round, for each: steadier than wall time on a busy machine */
  readonly apiCpu: readonly number[];
  readonly storeCpu: readonly number[];
  /** CPU milliseconds of the store's PostgreSQL backends per round (found by application_name) */
  readonly apiPgCpu: readonly number[];
  readonly storePgCpu: readonly number[];
  readonly bodyBytes: number;
}

export async function benchPush(): Promise<PushFigures> {
  return withNodeHub('push', async ({ store, raw, application, serve }) => {
    // Two devices of one hub: one pushes through the API, the other to the store directly.
    const [viaApi, viaStore] = await seedDevices(raw, 'push-hub-', 1, 2);
    const tenantId = viaApi!.tenantId;
    const fixture = syncFixture(new Date(), { households: HOUSEHOLDS, facilities: 10, edits: EDITS });
    const seed = seedChanges(fixture.records);
    await raw.query('INSERT INTO devices (id, tenant_id, user_id, name, secret_hash) VALUES ($1, $2, $3, $1, $4)', ['push-seed', tenantId, viaStore!.userId, 'x']);
    await raw.query('INSERT INTO device_users (device_id, user_id) VALUES ($1, $2)', ['push-seed', viaStore!.userId]);
    const versions = new Map<string, number>();
    for (let i = 0; i < seed.length; i += MAX_PUSH_CHANGES) {
      const batch = seed.slice(i, i + MAX_PUSH_CHANGES);
      const results = await store.applyPush('push-seed', viaStore!.userId, batch);
      results.forEach((r, j) => {
        if (r.status !== 'accepted') throw new Error(`bench: the seed was refused: ${JSON.stringify(r)}`);
        versions.set(batch[j]!.entityId, r.version);
      });
    }
    const byId = new Map(fixture.records.map((r) => [r.id, r.data]));
    const seqs = new Map<string, number>([[viaApi!.deviceId, 0], [viaStore!.deviceId, 0]]);
    // The edits of one round, as the device sends them: each on the version it holds.
    const edits = (deviceId: string, round: number): WireChange[] =>
      fixture.edits.map((e) => {
        const seq = seqs.get(deviceId)! + 1;
        seqs.set(deviceId, seq);
        return {
          seq,
          mutationId: globalThis.crypto.randomUUID(),
          kind: 'household',
          entityId: e.id,
          op: 'update',
          at: e.updatedAt,
          payload: { ...byId.get(e.id)!, note: `${e.note} (${deviceId} ${round})`, updatedAt: e.updatedAt },
          baseVersion: versions.get(e.id)!,
        } as WireChange;
      });
    const taken = (results: readonly { status: string; version?: number }[], changes: readonly WireChange[]) => {
      results.forEach((r, j) => {
        if (r.status !== 'accepted') throw new Error(`bench: an edit was not taken: ${JSON.stringify(r)}`);
        versions.set(changes[j]!.entityId, r.version!);
      });
    };

    const base = await serve();
    const figures = { api: [] as number[], store: [] as number[], apiCpu: [] as number[], storeCpu: [] as number[], apiPgCpu: [] as number[], storePgCpu: [] as number[], bodyBytes: 0 };
    const meter = cpuMeter(raw, application);
    for (let round = 0; round < ROUNDS; round++) {
      const changes = edits(viaApi!.deviceId, round);
      const body = JSON.stringify({ changes });
      figures.bodyBytes = Buffer.byteLength(body);
      let since = await meter.start();
      let start = performance.now();
      const res = await fetch(`${base}/api/sync/push`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          cookie: `${SESSION_COOKIE}=${viaApi!.sessionToken}`,
          [DEVICE_ID_HEADER]: viaApi!.deviceId,
          [DEVICE_SECRET_HEADER]: viaApi!.deviceSecret,
        },
        body,
      });
      const text = await res.text();
      figures.api.push(performance.now() - start);
      let used = await meter.used(since);
      figures.apiCpu.push(used.node);
      figures.apiPgCpu.push(used.pg);
      if (res.status !== 200) throw new Error(`bench: push answered ${res.status}: ${text.slice(0, 300)}`);
      taken((JSON.parse(text) as { results: { status: string; version?: number }[] }).results, changes);

      const direct = edits(viaStore!.deviceId, round);
      const pushed: PushedChange[] = direct.map((c) => ({ ...c, officeId: HUB_ONLY_OFFICE, baseVersion: c.baseVersion ?? null }));
      since = await meter.start();
      start = performance.now();
      const results = await store.applyPush(viaStore!.deviceId, viaStore!.userId, pushed);
      figures.store.push(performance.now() - start);
      used = await meter.used(since);
      figures.storeCpu.push(used.node);
      figures.storePgCpu.push(used.pg);
      taken(results as readonly { status: string; version?: number }[], direct);
    }
    return figures;
  });
}

/** Runs benchPush and prints its medians with the load average (`BENCH_ONLY=push npm run bench`, or this file alone). */
export async function printPushFigures(): Promise<void> {
  const before = loadavg().map((l) => l.toFixed(2)).join(' ');
  const f = await benchPush();
  const show = (xs: readonly number[]) => `median ${median(xs).toFixed(0)} ms (${xs.map((x) => x.toFixed(0)).join(', ')})`;
  console.log(`push of ${EDITS} household edits (${(f.bodyBytes / 1e6).toFixed(2)} MB body), ${HOUSEHOLDS} held, ${ROUNDS} rounds; load average ${before} → ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  // Each device pushes every round: a round's time should not grow with what it sent before.
  console.log(`  (the pushing device had sent ${Array.from({ length: ROUNDS }, (_, r) => (r * EDITS).toLocaleString('en')).join(', ')} changes before each round)`);
  console.log(`  through the HTTP API: ${show(f.api)}; Node CPU ${show(f.apiCpu)}; PostgreSQL CPU ${show(f.apiPgCpu)}`);
  console.log(`  applyPush alone:      ${show(f.store)}; Node CPU ${show(f.storeCpu)}; PostgreSQL CPU ${show(f.storePgCpu)}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await printPushFigures();
