/**
 * [A12] A load the hub cannot take is answered 503 with Retry-After at once, never queued without
 * bound: the database work in flight and waiting is capped, a waiter past the longest wait is
 * turned away, and the slots come back. Real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432).
 */
import { afterAll, afterEach, expect, it } from 'vitest';
import { API, DEVICE_SECRET_HEADER, type ErrorResponse } from '../../src/protocol/sync';
import { HubClient } from '../../src/sync/client';
import { CATCH_UP_PAGE } from '../../src/server/http/api';
import { DeviceClient, householdWire, pullHeldAtTheRecords, pushHeldAtTheCounter, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

let api: ApiHarness | undefined;
afterEach(async () => api?.close());

it('[A12] with the database slot taken and the queue full, pulls get 503 with Retry-After at once; a waiter past the longest wait too; then all is served again', async () => {
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 1, maxWaitMs: 400 } });
  const coord = await api.user('coord', 'coordinator');
  const writer = await new DeviceClient(api, 'phone-w').join(coord);
  const readers: DeviceClient[] = [];
  for (let i = 0; i < 5; i++) readers.push(await new DeviceClient(api, `phone-${i}`).join(await api.user(`coord${i}`, 'coordinator')));
  // A phone of its own: a second pull of a reader's device would be turned away as its device's second.
  const app = await new DeviceClient(api, 'phone-app').join(await api.user('coord-app', 'coordinator'));

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  try {
    const started = Date.now();
    // The app's own client meets the same 503 as a retryable server problem, with the wait.
    const appClient = new HubClient((path, init) => fetch(`${api!.base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: app.cookie! } }));
    const appPull = appClient.pull({ deviceId: app.deviceId, deviceSecret: app.secret! }, '0', 100).then(
      () => null,
      (error: unknown) => error,
    );
    const answers = await Promise.all(readers.map((r) => r.pull(0)));
    expect(await appPull).toMatchObject({ name: 'SyncError', code: 'server', retryAfterSeconds: 2 });
    // Four were turned away at once, the fifth after waiting its longest wait; none waited for the lock.
    expect(answers.map((a) => a.status)).toEqual([503, 503, 503, 503, 503]);
    for (const a of answers) {
      expect(a.headers.get('retry-after')).toBe('2');
      expect(a.body as unknown as ErrorResponse).toMatchObject({ error: 'unavailable', retryAfterSeconds: 2 });
      expect((a.body as unknown as ErrorResponse).message).toMatch(/混み合っています/);
    }
    // The staff list each device asks for after its pull goes through the same gate (it took a
    // connection of its own, unqueued and unshed, in every sync).
    const staff = await readers[1]!.request('GET', API.staff);
    expect(staff.status).toBe(503);
    expect(staff.headers.get('retry-after')).toBe('2');
    expect(Date.now() - started).toBeLessThan(15_000);
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  expect((await pushed).body.results).toMatchObject([{ status: 'accepted' }]);
  for (const r of readers) expect((await r.pullAll()).map((x) => x.entityId)).toEqual(['hh-1']);
}, 60_000);

it('[A12] a queue that stands is shed: waiters past the standing wait get 503 at their turn, not an answer seconds late; the next request is served at once', async () => {
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 60_000, standing: { afterMs: 300, maxWaitMs: 200 } } });
  const coord = await api.user('coord', 'coordinator');
  const writer = await new DeviceClient(api, 'phone-w').join(coord);
  const readers: DeviceClient[] = [];
  for (let i = 0; i < 3; i++) readers.push(await new DeviceClient(api, `phone-${i}`).join(await api.user(`coord${i}`, 'coordinator')));

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  let pulls: ReturnType<DeviceClient['pull']>[];
  try {
    // The readers queue behind the push; the longest wait (60 s) is far off. Once all three wait
    // (however long they took to get there), they wait past both the standing queue's 300 ms and
    // its 200 ms wait before the push lets go.
    pulls = readers.map((r) => r.pull(0));
    await expect.poll(() => api!.dbLoad().waiting, { timeout: 30_000 }).toBe(3);
    await new Promise((r) => setTimeout(r, 600));
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  const answers = await Promise.all(pulls);
  expect(answers.map((a) => a.status)).toEqual([503, 503, 503]);
  for (const a of answers) {
    expect(a.headers.get('retry-after')).toBe('2');
    expect((a.body as unknown as ErrorResponse).message).toMatch(/混み合っています/);
  }
  // The queue is empty again: the next pull is served, and sees the push.
  const again = await readers[0]!.pull(0);
  expect(again.status).toBe(200);
  for (const r of readers) expect((await r.pullAll()).map((x) => x.entityId)).toEqual(['hh-1']);
}, 60_000);

it('[A12] a pull that catches a device up has a lane of its own and yields to the others: served beside a held slot, turned away while others wait past its longest wait, its next page too; then all is served', async () => {
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 60_000, catchUp: { inFlight: 1, waiting: 4, maxWaitMs: 800 } } });
  const coord = await api.user('coord', 'coordinator');
  const writer = await new DeviceClient(api, 'phone-w').join(coord);
  const [syncing, settingUp, paging, late] = await Promise.all(
    ['phone-sync', 'phone-new', 'phone-paged', 'phone-late'].map(async (id, i) => new DeviceClient(api!, id).join(await api!.user(`coord${i}`, 'coordinator'))),
  );
  expect((await writer.push([householdWire('hh-a'), householdWire('hh-b')])).status).toBe(200);
  // One device has synced (its cursor is the head); another has a first page of one of two records.
  const head = (await syncing!.pull(0)).body.cursor;
  const firstPage = await paging!.pull(0, 1);
  expect(firstPage.body.hasMore).toBe(true);

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  let caughtUpLater: Awaited<ReturnType<DeviceClient['pull']>>;
  let incremental: ReturnType<DeviceClient['pull']>;
  let anonymous: Promise<{ status: number; body: ErrorResponse }>;
  try {
    // The gate's one slot is held and no one waits: a first sync does not need that slot.
    const setUp = await settingUp!.pull(0);
    expect(setUp.status).toBe(200);
    expect(setUp.body.records.map((r) => r.entityId)).toEqual(['hh-a', 'hh-b']);
    // A coordinator's sync now waits at the gate, behind the held push. A first sync gives way to
    // it: within its longest wait (800 ms) it never starts, and is told to come back.
    incremental = syncing!.pull(head);
    await expect.poll(async () => (await late!.pull(0)).status, { timeout: 30_000 }).toBe(503);
    const busy = await late!.pull(0);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('2');
    expect(busy.body as unknown as ErrorResponse).toMatchObject({ message: expect.stringMatching(/混み合っています/), detail: expect.stringMatching(/catching up/) });
    // A pull without a device's credentials is no phone being set up: it goes through the gate,
    // behind the waiting sync, and is refused there (not kept in the lane for its longest wait).
    anonymous = fetch(`${api.base}${API.pull}?cursor=0`).then(async (res) => ({ status: res.status, body: (await res.json()) as ErrorResponse }));
    // So does the next page of a pull that left more to come (its cursor is not 0).
    caughtUpLater = await paging!.pull(firstPage.body.cursor, 1);
    expect(caughtUpLater.status).toBe(503);
    expect((caughtUpLater.body as unknown as ErrorResponse).detail).toMatch(/catching up/);
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  // The waiting sync is answered, with the push it waited behind; then the first syncs are.
  const answered = await incremental;
  expect(answered.status).toBe(200);
  expect(answered.body.records.map((r) => r.entityId)).toEqual(['hh-1']);
  expect(await anonymous).toMatchObject({ status: 403, body: { error: 'forbidden', message: expect.stringMatching(/端末の認証情報がありません/) } });
  expect((await late!.pullAll()).map((r) => r.entityId)).toEqual(['hh-a', 'hh-b', 'hh-1']);
  const rest = await paging!.pull(firstPage.body.cursor);
  expect(rest.status).toBe(200);
  expect(rest.body.records.map((r) => r.entityId)).toEqual(['hh-b', 'hh-1']);
}, 90_000);

it('[A12] a device whose pull reached its last page is caught up: its next pull waits at the gate like any sync, not in the lane', async () => {
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 60_000, catchUp: { inFlight: 1, waiting: 4, maxWaitMs: 800 } } });
  const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
  const [paging, settingUp] = await Promise.all(
    ['phone-paged', 'phone-new'].map(async (id, i) => new DeviceClient(api!, id).join(await api!.user(`coord${i}`, 'coordinator'))),
  );
  expect((await writer.push([householdWire('hh-a'), householdWire('hh-b')])).status).toBe(200);
  // Two pages: the first leaves more to come (the device is catching up), the second does not.
  const first = await paging!.pull(0, 1);
  expect(first.body.hasMore).toBe(true);
  const last = await paging!.pull(first.body.cursor, 1);
  expect(last.status).toBe(200);
  expect(last.body.hasMore).toBe(false);

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  let next: ReturnType<DeviceClient['pull']>;
  try {
    // In the lane its next pull would start at once beside the held push (no one waits at the
    // gate) and come back without the push's record. At the gate it waits behind the push, and a
    // first sync, which gives way to whoever waits there, is turned away meanwhile.
    next = paging!.pull(last.body.cursor);
    await expect.poll(async () => (await settingUp!.pull(0)).status, { timeout: 30_000 }).toBe(503);
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  const answered = await next;
  expect(answered.status).toBe(200);
  expect(answered.body.records.map((r) => r.entityId)).toEqual(['hh-1']);
}, 90_000);

/** The answer, or null when it has not come within `ms`: a test that fails is not left hanging on a held lock. */
const within = <T>(ms: number, answer: Promise<T>) => Promise.race([answer, new Promise<null>((done) => setTimeout(() => done(null), ms))]);

it('[A12] a pull asking for more than the app’s page catches up whatever its cursor (the review’s cursor=1&limit=10000): it is served in the lane beside a held slot; the app’s page from the head waits at the gate', async () => {
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 5_000, catchUp: { inFlight: 1, waiting: 4, maxWaitMs: 10_000 } } });
  const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
  const reader = await new DeviceClient(api, 'phone-r').join(await api.user('coord0', 'coordinator'));
  expect((await writer.push([householdWire('hh-a'), householdWire('hh-b')])).status).toBe(200);
  const head = (await reader.pull(0)).body.cursor;

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  let incremental: ReturnType<DeviceClient['pull']>;
  try {
    // At the gate it would wait behind the held push, and be turned away after 5 s.
    const large = await within(8_000, reader.pull(1, 10_000));
    expect(large?.status).toBe(200);
    expect(large!.body.records.map((r) => r.entityId)).toEqual(['hh-b']);
    incremental = reader.pull(head, CATCH_UP_PAGE);
    await expect.poll(() => api!.dbLoad().waiting, { timeout: 10_000 }).toBe(1);
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  const answered = await incremental;
  expect(answered.status).toBe(200);
  expect(answered.body.records.map((r) => r.entityId)).toEqual(['hh-1']);
}, 60_000);

it('[A12] a pull from more than a page behind its hub’s head catches up: it is served in the lane beside a held slot; one from near the head waits at the gate', async () => {
  // Pages of 2 here, so that four households put a device far behind.
  api = await startApi(target, { dbWork: { inFlight: 1, waiting: 10, maxWaitMs: 5_000, catchUp: { inFlight: 1, waiting: 4, maxWaitMs: 10_000, page: 2 } } });
  const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
  const [reader, near] = await Promise.all(['phone-r', 'phone-n'].map(async (id, i) => new DeviceClient(api!, id).join(await api!.user(`coord${i}`, 'coordinator'))));
  expect((await writer.push(['hh-a', 'hh-b', 'hh-c', 'hh-d'].map((id) => householdWire(id)))).status).toBe(200);
  // Both have synced to the head, page by page: the hub knows their hub's head.
  const heads = await Promise.all([reader!, near!].map(async (device) => {
    let page = await device.pull(0, 2);
    while (page.body.hasMore) page = await device.pull(page.body.cursor, 2);
    return page.body.cursor;
  }));

  const { pushed, release } = await pushHeldAtTheCounter(api, writer, 'hh-1');
  let incremental: ReturnType<DeviceClient['pull']>;
  try {
    // Three versions behind, a page of 2: at the gate it would wait behind the held push.
    const behind = await within(8_000, reader!.pull(1, 2));
    expect(behind?.status).toBe(200);
    expect(behind!.body.records.map((r) => r.entityId)).toEqual(['hh-b', 'hh-c']);
    incremental = near!.pull(heads[1]!, 2);
    await expect.poll(() => api!.dbLoad().waiting, { timeout: 10_000 }).toBe(1);
  } finally {
    await release();
  }
  expect((await pushed).status).toBe(200);
  expect((await incremental).body.records.map((r) => r.entityId)).toEqual(['hh-1']);
}, 60_000);

it('[A12] one pull at a time a device: its second while its first reads a page is 503 with Retry-After, in words (one naming it with a made-up secret is not, and takes no place of it); then it is served', async () => {
  api = await startApi(target);
  const writer = await new DeviceClient(api, 'phone-w').join(await api.user('coord', 'coordinator'));
  const reader = await new DeviceClient(api, 'phone-r').join(await api.user('coord0', 'coordinator'));
  expect((await writer.push([householdWire('hh-a')])).status).toBe(200);
  const head = (await reader.pull(0)).body.cursor;

  const { pulled, release } = await pullHeldAtTheRecords(api, reader, head);
  try {
    const second = await within(8_000, reader.pull(head));
    expect(second?.status).toBe(503);
    expect(second!.headers.get('retry-after')).toBe('2');
    expect(second!.body as unknown as ErrorResponse).toMatchObject({ error: 'unavailable', message: 'この端末の受信がまだ続いています。少し待ってから自動でもう一度受け取ります。' });
    const forged = await within(8_000, reader.request<ErrorResponse>('GET', `${API.pull}?cursor=${head}`, undefined, { [DEVICE_SECRET_HEADER]: 'made-up' }));
    expect(forged?.status).toBe(403);
  } finally {
    await release();
  }
  expect((await pulled).status).toBe(200);
  expect((await reader.pull(head)).status).toBe(200);
}, 60_000);
