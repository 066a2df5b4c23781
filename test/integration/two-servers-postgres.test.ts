/**
 * Two hub servers over one PostgreSQL (issue 16 point 4): the sync state (device seqs, the change
 * log, receipts, the hub's version counter) is in the database, so devices may send each sync to
 * either server. Two `src/server/main.ts` processes start together on one schema (port 0, the
 * port read from stdout); each device sends its syncs alternately to both, keeping unanswered
 * changes queued as the app does; one server is killed with SIGKILL in the middle of pushes and
 * started again. Afterwards nothing is lost, doubled or out of order. The devices' sessions are
 * written straight into the database (hub-process.ts seedDevices), so of sessions this shows only
 * that both servers read them; a real sign-in, sign-out and the sign-in throttle across two
 * servers are in two-servers-sessions-postgres.test.ts. Real PostgreSQL ($TEST_DATABASE_URL or
 * 127.0.0.1:5432).
 */
import { parseCursor } from '../../src/protocol/cursor';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import type { WireChange } from '../../src/protocol/sync';
import { SyncError } from '../../src/sync/client';
import { createHousehold } from '../factories/household';
import { deviceClient, schemaUrl, seedDevices, spawnHub, type HubProcess, type SimDevice } from './hub-process';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `kyoten_two_${process.pid}_${Date.now().toString(36)}`;
const admin = new pg.Pool({ connectionString: url, max: 2 });
const raw = new pg.Pool({ connectionString: url, max: 2, options: `-c search_path=${schema}` });
const servers: HubProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop('SIGKILL')));
  await raw.end();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

const DEVICES = 4;
const ROUNDS = 6;
const SECRET_KEY = Buffer.alloc(32, 3).toString('base64');

/** One phone: an outbox of changes sent until the hub answers them, and its pull cursor. */
class Phone {
  private seq = 0;
  private readonly outbox: WireChange[] = [];
  /** entity id → the note of this phone's last edit of it */
  readonly lastNote = new Map<string, string>();
  /** every change this phone made, by mutation id */
  readonly made: WireChange[] = [];
  cursor = '0';
  readonly pulledVersions: number[] = [];
  constructor(readonly device: SimDevice) {}

  edit(entityId: string, op: 'create' | 'update', note: string): void {
    const change: WireChange = {
      seq: ++this.seq,
      mutationId: globalThis.crypto.randomUUID(),
      kind: 'household',
      entityId,
      op,
      at: new Date().toISOString(),
      payload: createHousehold({ id: entityId, note }) as unknown as Record<string, unknown>,
      baseVersion: null,
    };
    this.outbox.push(change);
    this.made.push(change);
    this.lastNote.set(entityId, note);
  }

  /** A sync against `hub`: push what is queued, then pull. False when the hub could not be reached. */
  async sync(hub: HubProcess): Promise<boolean> {
    const client = deviceClient(this.device, () => hub.base);
    try {
      if (this.outbox.length > 0) {
        const { results } = await client.push(this.device, this.outbox);
        const refused = results.filter((r) => r.status === 'refused');
        expect(refused).toEqual([]);
        const answered = new Set(results.map((r) => r.mutationId));
        this.outbox.splice(0, this.outbox.length, ...this.outbox.filter((c) => !answered.has(c.mutationId)));
      }
      for (;;) {
        const page = await client.pull(this.device, this.cursor, 50);
        this.pulledVersions.push(...page.records.map((r) => r.version));
        this.cursor = page.cursor;
        if (!page.hasMore) return true;
      }
    } catch (error) {
      // The app's rule: a hub that cannot be reached (or fails) leaves everything queued.
      if (error instanceof SyncError && (error.code === 'unreachable' || error.code === 'server')) return false;
      throw error;
    }
  }

  get queued(): number {
    return this.outbox.length;
  }
}

it('two servers on one database: syncs alternate between them, one is SIGKILLed mid-push; nothing is lost, doubled or out of order', async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  const databaseUrl = schemaUrl(url, schema);
  // Both start together: the migrations run once (advisory lock), and both come up.
  servers.push(...(await Promise.all([spawnHub(databaseUrl, { KYOTEN_SECRET_KEY: SECRET_KEY }), spawnHub(databaseUrl, { KYOTEN_SECRET_KEY: SECRET_KEY })])));
  const phones = (await seedDevices(raw, 'two-hub-', 1, DEVICES)).map((d) => new Phone(d));

  const round = async (r: number) =>
    Promise.all(
      phones.map(async (phone, p) => {
        phone.edit(`hh-${p}-${r}-a`, 'create', `r${r} a`);
        phone.edit(`hh-${p}-${r}-b`, 'create', `r${r} b`);
        if (r > 0) phone.edit(`hh-${p}-${r - 1}-a`, 'update', `r${r} edit of r${r - 1} a`);
        // Alternately to each server: phone p's round r goes to server (p + r) % 2.
        return phone.sync(servers[(p + r) % 2]!);
      }),
    );
  for (let r = 0; r < 2; r++) expect(await round(r)).toEqual(phones.map(() => true));

  // A burst of big pushes to server 0 only, and SIGKILL while one holds the hub's counter.
  for (const [p, phone] of phones.entries()) for (let k = 0; k < 300; k++) phone.edit(`hh-${p}-burst-${k}`, 'create', `burst ${k}`);
  const burst = Promise.all(phones.map((phone) => phone.sync(servers[0]!)));
  await expect
    .poll(
      async () =>
        (
          await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname = $1 AND c.relname = 'sync_heads' AND l.mode = 'RowExclusiveLock'`,
            [schema],
          )
        ).rows[0]!.n,
      { timeout: 30_000, interval: 5 },
    )
    .toBeGreaterThan(0);
  await servers[0]!.stop('SIGKILL');
  const reached = await burst;
  expect(reached.filter((ok) => !ok).length).toBeGreaterThan(0);

  // Server 0 comes back (a new process, a new port); the phones go on alternating.
  servers[0] = await spawnHub(databaseUrl, { KYOTEN_SECRET_KEY: SECRET_KEY });
  for (let r = 2; r < ROUNDS; r++) expect(await round(r)).toEqual(phones.map(() => true));
  // One last sync each, so every queued change is answered and every phone is up to date.
  expect(await Promise.all(phones.map((phone, p) => phone.sync(servers[p % 2]!)))).toEqual(phones.map(() => true));
  for (const phone of phones) expect(phone.queued).toBe(0);

  for (const phone of phones) {
    // Lost or doubled: the log holds each change the phone made exactly once, under its own seq.
    const log = await raw.query<{ device_seq: string; mutation_id: string; version: string }>(
      'SELECT device_seq, mutation_id, version FROM changes WHERE device_id = $1 ORDER BY device_seq',
      [phone.device.deviceId],
    );
    expect(log.rows.map((r) => r.mutation_id)).toEqual(phone.made.map((c) => c.mutationId));
    expect(log.rows.map((r) => Number(r.device_seq))).toEqual(phone.made.map((c) => c.seq));
    // Out of order: versions follow the phone's own order, and the last edit is what is held.
    const versions = log.rows.map((r) => Number(r.version));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const held = await raw.query<{ entity_id: string; payload_json: string }>(
      `SELECT entity_id, payload_json FROM records WHERE entity_id = ANY ($1::text[])`,
      [[...phone.lastNote.keys()]],
    );
    expect(new Map(held.rows.map((r) => [r.entity_id, (JSON.parse(r.payload_json) as { note: string }).note]))).toEqual(phone.lastNote);
    // Each pull handed out versions in increasing order, none twice.
    expect(phone.pulledVersions).toEqual([...new Set(phone.pulledVersions)].sort((a, b) => a - b));
    const receipts = await raw.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts WHERE device_id = $1', [phone.device.deviceId]);
    expect(receipts.rows[0]!.n).toBe(phone.made.length);
  }
  // Every phone holds what every phone wrote: its cursor reached the head and nothing is left to pull.
  const head = Number((await raw.query<{ version: string }>('SELECT version FROM sync_heads')).rows[0]!.version);
  for (const phone of phones) expect(parseCursor(phone.cursor)?.version).toBe(head);
}, 120_000);
