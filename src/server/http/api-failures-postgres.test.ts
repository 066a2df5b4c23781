// @vitest-environment node
/**
 * The sync API when the database, or a client's data, fails in ways a client meets: over HTTP,
 * against a real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432), each test in a schema of its own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { API, DEVICE_ID_HEADER, DEVICE_SECRET_HEADER, MAX_PULL_LIMIT, type ErrorResponse, type PushResponse } from '../../protocol/sync';
import { DeviceClient, householdWire, pushHeldAtTheCounter, startApi, type ApiHarness } from '../../../test/integration/api-harness';
import { schemaTarget } from '../../../test/integration/schema-target';
import { startServer } from '../app-server';
import { CONNECTION_TIMEOUT_MS, openPostgresStore } from '../db/postgres-store';
import type { Store } from '../db/store';
import { createApiHandler } from './api';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

let api: ApiHarness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/**
 * Pushes household `entityId` with a field nested deeper than JSON.stringify can give back (JSON.parse
 * takes it), written as text since the test cannot stringify it either.
 */
function pushDeeplyNested(device: DeviceClient, entityId: string, path: string = API.push) {
  const change = { ...householdWire(entityId, { extra: 'NESTED' }), seq: device.nextSeq };
  const text = JSON.stringify({ changes: [change] }).replace('"NESTED"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  return device.request<PushResponse>('POST', path, text);
}

/** Makes PostgreSQL refuse the write of record `entityId` with `sqlState` and `message`, as a trigger of the test's own. */
async function refuseRecord(raw: pg.Pool, entityId: string, sqlState: string, message: string) {
  await raw.query(`CREATE OR REPLACE FUNCTION refuse_record() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.entity_id = '${entityId}' THEN RAISE EXCEPTION '${message}' USING ERRCODE = '${sqlState}'; END IF;
      RETURN NEW;
    END $$`);
  await raw.query('CREATE OR REPLACE TRIGGER refuse_record BEFORE INSERT OR UPDATE ON records FOR EACH ROW EXECUTE FUNCTION refuse_record()');
}

describe('[A2] bad data gets a 4xx, and no word of it back', () => {
  it('[A2] a body that is not UTF-8 is refused with 400, not stored with U+FFFD in place of the bytes', async () => {
    api = await startApi(target);
    const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
    const text = JSON.stringify({ changes: [{ ...householdWire('hh-1', { note: 'NOTE' }), seq: phone.nextSeq }] });
    // 「佐藤」 cut in the middle of its first character: what a broken client or line sends.
    const [before, after] = text.split('NOTE');
    const body = Buffer.concat([Buffer.from(before!), Buffer.from('佐藤').subarray(1), Buffer.from(after!)]);
    const res = await fetch(`${api.base}${API.push}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: phone.cookie!, [DEVICE_ID_HEADER]: phone.deviceId, [DEVICE_SECRET_HEADER]: phone.secret! },
      body,
    });
    expect(res.status).toBe(400);
    expect((await res.json()) as ErrorResponse).toMatchObject({ error: 'bad-request', detail: expect.stringMatching(/not valid UTF-8/) });
    expect(await phone.pullAll()).toEqual([]);
  });

  it("[A2][S11] a change PostgreSQL refuses is refused alone with its SQLSTATE; PostgreSQL's words, which can quote the data, are neither answered nor kept in its receipt", async () => {
    api = await startApi(target);
    const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
    await refuseRecord(api.raw, 'hh-poison', '22P02', 'invalid input syntax for type bigint: "佐藤 花子 090-1234-5678"');
    const push = await phone.push([householdWire('hh-ok'), householdWire('hh-poison')]);
    expect(push.status).toBe(200);
    expect(push.body.results).toMatchObject([{ status: 'accepted' }, { status: 'refused', reason: 'invalid', detail: 'not storable (SQLSTATE 22P02)' }]);
    expect(JSON.stringify(push.body)).not.toContain('佐藤');
    const receipts = await api.raw.query<{ detail: string }>("SELECT detail FROM receipts WHERE outcome = 'refused'");
    expect(receipts.rows).toEqual([{ detail: 'not storable (SQLSTATE 22P02)' }]);
  });

  it('[A2][S11] a payload nested deeper than JSON.stringify goes is refused on its own (scope), not a 500 on every retry that holds the queue', async () => {
    api = await startApi(target);
    const liaison = await new DeviceClient(api, 'liaison-phone').join(await api.user('liaison', 'facility-liaison', { facilityId: 'fac-1' }));
    const push = await pushDeeplyNested(liaison, 'hh-deep');
    expect(push.status).toBe(200);
    expect(push.body.results).toMatchObject([{ status: 'refused', reason: 'scope', retryable: false }]);
    expect((await api.raw.query("SELECT payload_json FROM receipts WHERE entity_id = 'hh-deep'")).rows).toEqual([{ payload_json: '"(not JSON)"' }]);
  });

  it('[retire] a retired device whose change is nested that deep still has it quarantined, and can wipe', async () => {
    api = await startApi(target);
    const coord = await api.user('coord', 'coordinator');
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    await api.accounts.disableUser(coord.id);
    phone.cookie = undefined; // the retire push needs no session
    const retire = await pushDeeplyNested(phone, 'hh-deep', API.retirePush);
    expect(retire.status).toBe(200);
    expect(retire.body.results).toMatchObject([{ status: 'refused', reason: 'scope' }]);
    const held = await api.raw.query<{ entity_id: string; change_json: string }>('SELECT entity_id, change_json FROM quarantine');
    expect(held.rows.map((r) => r.entity_id)).toEqual(['hh-deep']);
    expect(JSON.parse(held.rows[0]!.change_json)).toMatchObject({ entityId: 'hh-deep', kind: 'household', payload: '(not JSON)' });
  });
});

describe('[A2][A12] the database busy or out of reach: 503 with Retry-After, never 500', () => {
  it('[A12] a deadlock (40P01) is 503 unavailable with Retry-After; the same push sent again is taken', async () => {
    api = await startApi(target);
    const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
    await refuseRecord(api.raw, 'hh-1', '40P01', 'deadlock detected');
    const change = householdWire('hh-1');
    const busy = await phone.push([change]);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(busy.body as unknown as ErrorResponse).toMatchObject({ error: 'unavailable', retryAfterSeconds: 2 });
    await api.raw.query('DROP TRIGGER refuse_record ON records');
    const again = await phone.push([change]);
    expect(again.body.results).toMatchObject([{ status: 'accepted' }]);
  });

  it('[A12] waits for a connection of the pool at most CONNECTION_TIMEOUT_MS; one that runs out is 503 with Retry-After, not a request held without end', async () => {
    const { store: opened, raw } = await target.fresh();
    await raw.end();
    const poolOf = (s: Store) => (s as unknown as { pool: pg.Pool }).pool;
    expect(CONNECTION_TIMEOUT_MS).toBe(10_000);
    expect(poolOf(opened).options.connectionTimeoutMillis).toBe(CONNECTION_TIMEOUT_MS);
    await opened.close();

    // The same over HTTP with a pool of one and a wait of 300 ms, its one connection held.
    const schema = `kyoten_pool_${process.pid}_${Date.now().toString(36)}`;
    const store = await openPostgresStore({ connectionString: url, schema, maxConnections: 1, connection: { connectionString: url, connectionTimeoutMillis: 300 } });
    const dist = mkdtempSync(join(tmpdir(), 'kyoten-pool-'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html>');
    let server: Server | undefined;
    const held = await poolOf(store).connect();
    try {
      server = await startServer({
        port: 0,
        host: '127.0.0.1',
        distDir: dist,
        api: createApiHandler({ store: () => store, accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } }),
      });
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${API.session}`, { headers: { cookie: 'kyoten_session=abc' } });
      expect(res.status).toBe(503);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await res.json()) as ErrorResponse).toMatchObject({ error: 'unavailable', retryAfterSeconds: Number(res.headers.get('retry-after')) });
    } finally {
      held.release();
      if (server !== undefined) await new Promise((done) => server!.close(done));
      await poolOf(store).query(`DROP SCHEMA ${schema} CASCADE`);
      await store.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});

describe('[A2] a database that takes no writes, or is out of disk or memory: 503 with Retry-After 30, never 500', () => {
  it.each([
    ['25006', 'cannot execute INSERT in a read-only transaction', 'PostgreSQL is read-only'],
    ['53100', 'could not extend file: No space left on device', 'PostgreSQL is out of disk space or memory (SQLSTATE 53100)'],
    ['53200', 'out of memory', 'PostgreSQL is out of disk space or memory (SQLSTATE 53200)'],
  ])('[A2] a push PostgreSQL refuses with %s is 503 with Retry-After 30 and one plain log line; the same push sent again is taken', async (sqlState, words, line) => {
    api = await startApi(target);
    const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
    await refuseRecord(api.raw, 'hh-1', sqlState, words);
    const change = householdWire('hh-1');
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let refused: Awaited<ReturnType<DeviceClient['push']>>;
    let log: string[];
    try {
      refused = await phone.push([change]);
    } finally {
      log = logged.mock.calls.map((call) => call.join(' '));
      logged.mockRestore();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('30');
    expect(refused.body as unknown as ErrorResponse).toMatchObject({ error: 'unavailable', retryAfterSeconds: 30, message: expect.stringContaining('管理者に連絡') });
    expect(log).toHaveLength(1);
    expect(log[0]).toContain(line);
    expect(log[0]).not.toContain(words);
    await api.raw.query('DROP TRIGGER refuse_record ON records');
    expect((await phone.push([change])).body.results).toMatchObject([{ status: 'accepted' }]);
  });
});

describe('[A12] a database that stops answering, its connections left open', () => {
  it('[A12] a request waits for its answer at most the query limit, is answered 503, and once the database answers again the hub serves on new connections', async () => {
    const proxy = await silenceableProxy(new URL(url));
    const through = new URL(url);
    through.port = String(proxy.port);
    // The hub's query_timeout (a minute in production) made a second, so the test waits that long.
    const slow = schemaTarget(() => ({ connectionString: through.toString(), query_timeout: 1_000 }), 'postgres');
    try {
      api = await startApi(slow);
      const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
      expect((await phone.push([householdWire('hh-1')])).status).toBe(200);
      proxy.silence(true);
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      const started = Date.now();
      let held: Awaited<ReturnType<DeviceClient['push']>>;
      try {
        held = await phone.push([householdWire('hh-2')]);
      } finally {
        logged.mockRestore();
      }
      expect(held.status).toBe(503);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      // PostgreSQL answers again, but what was sent meanwhile is lost: a connection that waited for
      // it must not be handed to the next request.
      proxy.silence(false);
      const again = await phone.push([householdWire('hh-2')]);
      expect(again.status).toBe(200);
      expect(again.body.results).toMatchObject([{ status: 'accepted' }]);
    } finally {
      proxy.silence(false);
      await api?.close();
      api = undefined;
      await slow.dropAll();
      await proxy.close();
    }
  });
});

/**
 * A TCP relay to PostgreSQL that can fall silent: while silent it passes nothing either way and
 * closes nothing, as a database machine that hung, or a network that drops packets, does.
 */
async function silenceableProxy(target: URL) {
  let silent = false;
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => silent || upstream.write(chunk));
    upstream.on('data', (chunk) => silent || client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    silence(on: boolean) {
      silent = on;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}

describe('[A11] one push at a time for a device', () => {
  it('[A11] a second push of a device while its first is under way is turned away at once with 503, and taken once the first is answered', async () => {
    api = await startApi(target);
    const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
    const { pushed, release } = await pushHeldAtTheCounter(api, writer);
    let again: Awaited<ReturnType<DeviceClient['push']>>;
    try {
      again = await writer.push([householdWire('hh-again')]);
    } finally {
      await release();
    }
    expect(again.status).toBe(503);
    expect(again.headers.get('retry-after')).toBe('2');
    expect(again.body).toMatchObject({ error: 'unavailable', message: 'この端末からの送信がまだ続いています。少し待ってから自動でもう一度送ります。' });
    expect((await pushed).status).toBe(200);
    expect((await writer.push([householdWire('hh-again')])).status).toBe(200);
  });
});

describe('[A11] push bodies waiting for the database', () => {
  it('[A11] a push read while the bodies already read and unanswered are at the bound is turned away with 503, and taken once they are answered', async () => {
    // One body alone is always taken; a second is over a bound of 1.
    api = await startApi(target, { pushCharsHeld: 1 });
    const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
    const other = await new DeviceClient(api, 'phone-o').join(await api.user('coord2', 'coordinator'));
    const { pushed, release } = await pushHeldAtTheCounter(api, writer);
    let turnedAway: Awaited<ReturnType<DeviceClient['push']>>;
    try {
      turnedAway = await other.push([householdWire('hh-other')]);
    } finally {
      await release();
    }
    expect(turnedAway.status).toBe(503);
    expect(turnedAway.headers.get('retry-after')).toBe('2');
    expect(turnedAway.body).toMatchObject({ error: 'unavailable', message: expect.stringContaining('混み合っています') });
    expect((await pushed).status).toBe(200);
    // What the held push held is given back: the same push now goes through, nothing lost.
    const again = await other.push([householdWire('hh-other')]);
    expect(again.status).toBe(200);
    expect(again.body.results).toMatchObject([{ status: 'accepted' }]);
    expect((await writer.pullAll()).map((r) => r.entityId).sort()).toEqual(['hh-held', 'hh-other']);
  }, 60_000);
});

describe('[A12][S15] the pull query and the catch-up lane', () => {
  it('[A12][S15] a pull whose cursor is of another epoch (a device meeting a restored hub) starts from the beginning in the catch-up lane, beside a held gate slot', async () => {
    api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 3_000, catchUp: { inFlight: 1, waiting: 4, maxWaitMs: 10_000 } } });
    const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
    const restored = await new DeviceClient(api, 'phone-r').join(await api.user('coord2', 'coordinator'));
    expect((await writer.push([householdWire('hh-a'), householdWire('hh-b')])).status).toBe(200);
    const { pushed, release } = await pushHeldAtTheCounter(api, writer);
    let page: Awaited<ReturnType<DeviceClient['pull']>>;
    try {
      // At the gate it would wait behind the held push and be turned away after 3 s.
      page = await restored.pull('epoch-of-the-database-before:2');
    } finally {
      await release();
    }
    expect((await pushed).status).toBe(200);
    expect(page.status).toBe(200);
    expect(page.body.records.map((r) => r.entityId)).toEqual(['hh-a', 'hh-b']);
    expect(page.body.epochChange).toBeDefined();
  }, 60_000);

  it('[A2] the cursor or limit given twice is 400: the lane and the page cannot read different cursors', async () => {
    api = await startApi(target);
    const phone = await new DeviceClient(api, 'phone-1').join(await api.user('coord', 'coordinator'));
    expect((await phone.push([householdWire('hh-a')])).status).toBe(200);
    const head = (await phone.pull(0)).body.cursor;
    for (const query of [`cursor=0&cursor=${head}`, `cursor=${head}&cursor=0`, 'cursor=0&limit=10&limit=20']) {
      const answer = await phone.request<ErrorResponse>('GET', `${API.pull}?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body, query).toMatchObject({ error: 'bad-request', detail: expect.stringMatching(/given more than once/) });
    }
    expect((await phone.request('GET', `${API.pull}?cursor=0&limit=${MAX_PULL_LIMIT + 1}`)).status).toBe(400);
    expect((await phone.request('GET', `${API.pull}?cursor=0&limit=${MAX_PULL_LIMIT}`)).status).toBe(200);
    // Without a device's credentials the caller's check still comes first.
    expect((await fetch(`${api.base}${API.pull}?cursor=0&cursor=1`)).status).toBe(403);
  });
});
