// @vitest-environment node
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../test/factories/household';
import { createTestHubKey } from '../../test/factories/receipts';
import type { WireChange } from '../protocol/sync';
import { GZIP_PUSH_BYTES, HubClient, SyncError } from './client';
import { goodReceipts } from './countersign';
import { runPullJob, type PullHead } from './pull-job';
import { timeLimitFor } from './time-limit';
import type { HubTimeReading } from './clock-offset';

const device = { deviceId: 'phone-1', deviceSecret: 'A'.repeat(43) };
const change = (i: number, note = ''): WireChange => ({
  mutationId: `m-${i}`,
  seq: i + 1,
  kind: 'household',
  entityId: `hh-${i}`,
  op: 'update',
  at: '2026-12-04T05:00:00.000Z',
  payload: { id: `hh-${i}`, note },
  baseVersion: 3,
});

/** A hub that keeps each request's headers and body as they were sent, and answers every push. */
function recordingHub() {
  const sent: { headers: Record<string, string>; body: unknown }[] = [];
  const client = new HubClient(async (_path, init) => {
    sent.push({ headers: init?.headers as Record<string, string>, body: init?.body });
    return new Response(JSON.stringify({ results: [], serverTime: '2026-12-04T05:00:00.000Z' }), { status: 200 });
  });
  return { client, sent };
}

describe('pushes on the wire', () => {
  it('sends a small push as JSON text, as it is', async () => {
    const { client, sent } = recordingHub();
    await client.push(device, [change(0)]);
    expect(typeof sent[0]!.body).toBe('string');
    expect(sent[0]!.headers['content-encoding']).toBeUndefined();
  });

  it('gzips a push past GZIP_PUSH_BYTES: the same JSON, a fraction of the bytes', async () => {
    const { client, sent } = recordingHub();
    const note = '夜間は母親が一人で介護。本人は大きな音が苦手。';
    const changes = Array.from({ length: 200 }, (_, i) => change(i, note));
    const plain = JSON.stringify({ changes });
    expect(plain.length).toBeGreaterThan(GZIP_PUSH_BYTES);
    await client.push(device, changes);
    const { headers, body } = sent[0]!;
    expect(headers['content-encoding']).toBe('gzip');
    expect(headers['content-type']).toBe('application/json');
    expect(body).toBeInstanceOf(Uint8Array);
    const bytes = body as Uint8Array;
    expect(bytes.byteLength).toBeLessThan(Buffer.byteLength(plain) / 4);
    expect(gunzipSync(bytes).toString('utf8')).toBe(plain);
  });
});

describe('what a failed answer is taken for', () => {
  const answering = (status: number, body: string) => new HubClient(async () => new Response(body, { status }));

  it("a 413, the hub's or a proxy's page, is too large (the engine halves the batch), and a 408 is the line's trouble, not a bug", async () => {
    await expect(answering(413, '<html>413 Request Entity Too Large</html>').push(device, [change(0)])).rejects.toMatchObject({ code: 'too-large' });
    await expect(
      answering(413, JSON.stringify({ error: 'too-large', message: '送信する内容が大きすぎます。' })).push(device, [change(0)]),
    ).rejects.toMatchObject({ code: 'too-large', serverMessage: '送信する内容が大きすぎます。' });
    await expect(
      answering(408, JSON.stringify({ error: 'bad-request', message: '送信に時間がかかりすぎました。' })).push(device, [change(0)]),
    ).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('変更はこの端末に保存されています') });
    await expect(answering(400, JSON.stringify({ error: 'bad-request', message: '送信された内容が正しくありません。' })).push(device, [change(0)])).rejects.toMatchObject({
      code: 'rejected',
    });
  });

  it("a 401 or 410 that is not the hub's own answer (a Wi-Fi's login page) is the line's trouble: it neither signs the phone out nor retires it", async () => {
    const portal = '<html><body>ご利用には、ログインしてください</body></html>';
    await expect(answering(401, portal).push(device, [change(0)])).rejects.toMatchObject({ code: 'unreachable' });
    await expect(answering(410, portal).pull(device, 'e1:0', 100)).rejects.toMatchObject({ code: 'unreachable' });
    await expect(answering(410, '').push(device, [change(0)])).rejects.toMatchObject({ code: 'unreachable' });
    // the hub's own answers mean what they say
    await expect(answering(401, JSON.stringify({ error: 'signed-out', message: '再度サインインしてください' })).push(device, [change(0)])).rejects.toMatchObject({ code: 'signed-out' });
    await expect(answering(410, JSON.stringify({ error: 'retired', message: '端末は停止されました' })).pull(device, 'e1:0', 100)).rejects.toMatchObject({ code: 'retired' });
    // [V2] a newer hub's error body, with a field or an error code this app does not know, is still the hub's
    await expect(answering(410, JSON.stringify({ error: 'retired', message: '端末は停止されました', requestId: 'r-1' })).pull(device, 'e1:0', 100)).rejects.toMatchObject({ code: 'retired' });
    await expect(answering(401, JSON.stringify({ error: 'session-expired', message: '再度サインインしてください' })).push(device, [change(0)])).rejects.toMatchObject({ code: 'signed-out' });
  });
});

describe('what a failed answer keeps for the admin', () => {
  const answering = (status: number, body: string, headers: Record<string, string> = {}) => new HubClient(async () => new Response(body, { status, headers }));

  it("keeps the hub's detail and its request id, from the body, or from X-Request-Id when the body has none", async () => {
    const refused = { error: 'bad-request', message: '送信された内容が正しくありません。', detail: 'changes.0.seq: Invalid input: expected number, received string', requestId: '3f9a0c1e' };
    await expect(answering(400, JSON.stringify(refused), { 'x-request-id': '3f9a0c1e' }).push(device, [change(0)])).rejects.toMatchObject({
      code: 'rejected',
      detail: 'POST /api/sync/push → 400 bad-request: changes.0.seq: Invalid input: expected number, received string',
      requestId: '3f9a0c1e',
    });
    // a 500 before its body carried the id, and a proxy's page in front of the hub
    await expect(answering(500, JSON.stringify({ error: 'internal', message: 'サーバーで問題が起きました。' }), { 'x-request-id': '0d4e5f6a' }).push(device, [change(0)])).rejects.toMatchObject({
      code: 'server',
      requestId: '0d4e5f6a',
    });
    // an older hub: neither
    await expect(answering(401, JSON.stringify({ error: 'signed-out', message: '再度サインインしてください' })).push(device, [change(0)])).rejects.toMatchObject({ requestId: null });
  });
});

describe("what the answers say of the hub's clock [E7]", () => {
  /** A client whose device clock reads 1,000 as a request goes and 3,000 as its answer comes. */
  function watched(answer: () => Response) {
    const readings: HubTimeReading[] = [];
    const times = [1000, 3000];
    const client = new HubClient(async () => answer(), true, { now: () => times.shift() ?? 9999, onReading: (r) => readings.push(r) });
    return { client, readings };
  }
  const dated = (status: number, body: unknown, date?: string) =>
    new Response(JSON.stringify(body), { status, headers: date === undefined ? {} : { date } });

  it('reads a proxy\'s 502 or 504 page (the hub process stopped behind nginx) as the hub out of reach, not a fault of the hub', async () => {
    for (const status of [502, 504]) {
      const proxy = watched(() => new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', { status, headers: { 'content-type': 'text/html' } }));
      await expect(proxy.client.staff(device), String(status)).rejects.toMatchObject({ code: 'unreachable' });
    }
    // the hub's own fault, in its words, is still the server's
    const own = watched(() => dated(500, { error: 'internal', message: 'サーバーで問題が起きました' }));
    await expect(own.client.staff(device)).rejects.toMatchObject({ code: 'server' });
  });

  it("[E7] a push's serverTime, to the millisecond, with when the request went and the answer came", async () => {
    const { client, readings } = watched(() => dated(200, { results: [], serverTime: '2026-12-05T10:00:00.250Z' }, 'Sat, 05 Dec 2026 09:00:00 GMT'));
    await client.push(device, [change(0)]);
    expect(readings).toEqual([{ hubTime: Date.parse('2026-12-05T10:00:00.250Z'), resolutionMs: 0, sentAt: 1000, receivedAt: 3000 }]);
  });

  it('[E7] any other answer\'s Date header, to the second, error answers too; an answer without one tells nothing', async () => {
    const staff = watched(() => dated(200, { staff: [] }, 'Sat, 05 Dec 2026 10:00:00 GMT'));
    await staff.client.staff(device);
    expect(staff.readings).toEqual([{ hubTime: Date.parse('2026-12-05T10:00:00Z'), resolutionMs: 1000, sentAt: 1000, receivedAt: 3000 }]);

    const busy = watched(() => dated(503, { error: 'unavailable', message: '混み合っています', retryAfterSeconds: 2 }, 'Sat, 05 Dec 2026 10:00:01 GMT'));
    await expect(busy.client.staff(device)).rejects.toMatchObject({ code: 'server' });
    expect(busy.readings).toMatchObject([{ hubTime: Date.parse('2026-12-05T10:00:01Z'), resolutionMs: 1000 }]);

    const undated = watched(() => dated(200, { staff: [] }));
    await undated.client.staff(device);
    expect(undated.readings).toEqual([]);
  });
});

describe('a request that stalls', () => {
  /** A 200 whose body comes in `parts`, `gapMs` apart; after them it ends, or never does (`stall`). */
  function trickling(parts: readonly string[], gapMs: number, stall = false): Response {
    const bytes = new TextEncoder();
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, gapMs));
        if (i < parts.length) controller.enqueue(bytes.encode(parts[i++]!));
        else if (stall) await new Promise(() => undefined);
        else controller.close();
      },
    });
    return new Response(body, { status: 200 });
  }
  const staffJson = JSON.stringify({ staff: [{ userId: 'u-1', displayName: '夜間 太郎', role: 'coordinator', officeId: null }] });

  it('gives a request up when no answer begins within the time limit, as an unreachable hub, and aborts it', async () => {
    let signal: AbortSignal | undefined;
    const client = new HubClient(
      async (_path, init) => {
        signal = init.signal ?? undefined;
        return new Promise<Response>(() => undefined);
      },
      true,
      null,
      100,
    );
    await expect(client.push(device, [change(0)])).rejects.toMatchObject({ code: 'unreachable', message: expect.stringContaining('変更はこの端末に保存されています') });
    expect(signal?.aborted).toBe(true);
  });

  it('gives a large push the time to be sent on a slow line before its answer is awaited', () => {
    expect(timeLimitFor(60_000, undefined)).toBe(60_000);
    // 1 MB of gzipped changes at 64 kbit/s: 125 s of sending, then the limit for the answer
    expect(timeLimitFor(60_000, new Uint8Array(1_000_000))).toBe(185_000);
    expect(timeLimitFor(60_000, 'あ'.repeat(8_000))).toBe(63_000);
  });

  it('reads an answer that keeps coming to its end however long it takes, and gives one up once its body stops', async () => {
    const parts = staffJson.match(/.{1,12}/g)!;
    const slow = new HubClient(async () => trickling(parts, 30), true, null, 100);
    expect(parts.length * 30).toBeGreaterThan(100);
    expect((await slow.staff(device)).staff[0]?.displayName).toBe('夜間 太郎');

    const stalled = new HubClient(async () => trickling(parts.slice(0, 2), 10, true), true, null, 100);
    await expect(stalled.staff(device)).rejects.toMatchObject({ code: 'unreachable' });
  });
});

describe('[V2] the answers of a hub newer than this app', () => {
  const answering = (body: unknown) => new HubClient(async () => new Response(JSON.stringify(body), { status: 200 }));
  const household = createHousehold();
  const known = { kind: 'household', entityId: household.id, version: 9, officeId: null, withdrawn: false, payloadJson: JSON.stringify(household) };
  /** A page as a newer hub sends it: a field of its own, and a record of a kind this app does not know. */
  const newerPage = {
    records: [{ kind: 'care-plan', entityId: 'cp-1', version: 8, officeId: null, withdrawn: false, payloadJson: '{"id":"cp-1"}' }, known],
    cursor: 'e1:9',
    hasMore: false,
    scope: { role: 'coordinator', officeIds: 'all', facilityId: null },
    openConflicts: 0,
    hubVersion: '2027.1',
  };

  it("[V2][V3] reads a push's answer with a field it does not know and a refusal for a reason it does not know, kept listed", async () => {
    const answer = await answering({
      results: [
        { seq: 1, mutationId: 'm-0', status: 'accepted', version: 4 },
        { seq: 2, mutationId: 'm-1', status: 'refused', reason: 'quota', detail: 'office quota reached', retryable: true },
      ],
      serverTime: '2026-12-04T05:00:00.000Z',
      quota: { left: 0 },
    }).push(device, [change(0), change(1)]);
    expect(answer.results).toEqual([
      { seq: 1, mutationId: 'm-0', status: 'accepted', version: 4 },
      { seq: 2, mutationId: 'm-1', status: 'refused', reason: 'invalid', detail: 'refused "quota" (a reason this app does not know): office quota reached', retryable: true },
    ]);
  });

  it('[V2] reads a pull page with a field it does not know, leaving out and naming the kind of a record it does not know', async () => {
    const page = await answering(newerPage).pull(device, 'e1:0', 2000);
    expect(page.records).toEqual([known]);
    expect(page.unknownKinds).toEqual(['care-plan']);
  });

  it('[V2] pulls such a page as a job too (what the engine runs): the known record sealed, the other named in the head', async () => {
    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    let head: PullHead | undefined;
    const job = new HubClient(async () => new Response(JSON.stringify(newerPage), { status: 200 })).pullJob(device, 'e1:0', 2000);
    const sealed = await runPullJob(job.fetch!, { url: job.url, init: job.init, key, now: 0 }, (h) => (head = h));
    expect(head).toMatchObject({ count: 1, unknownKinds: ['care-plan'], cursor: 'e1:9' });
    expect(sealed.page.map((r) => r.entityId)).toEqual([household.id]);
    expect(sealed.setAsideRows).toEqual([]);
  });

  /** A receipt as a hub that names its key at rotation sends it: signed as before, with a key id beside. */
  const hubKey = createTestHubKey('aozora');
  const receipt = hubKey.sign({ hub: 'aozora', caseId: 'case-1', entryId: 'entry-1', entryHash: 'ab'.repeat(32), position: 12, receivedAt: '2026-12-04T05:00:01.000Z' });
  const newerReceipt = { ...receipt, keyId: 'key-2027' };

  it("[V2][K5] reads a push answer's receipts with a field it does not know: the push's results and receipts are read", async () => {
    const pushed = await answering({ results: [{ seq: 1, mutationId: 'm-0', status: 'accepted', version: 4 }], serverTime: '2026-12-04T05:00:01.000Z', receipts: [newerReceipt] }).push(device, [
      change(0),
    ]);
    expect(pushed.results).toEqual([{ seq: 1, mutationId: 'm-0', status: 'accepted', version: 4 }]);
    expect(pushed.receipts).toEqual([receipt]);
  });

  it("[V2][K5] reads a pull page's receipts with a field it does not know, in a pull job too: the page written, each receipt still verifying", async () => {
    const page = await answering({ ...newerPage, receipts: [newerReceipt] }).pull(device, 'e1:0', 2000);
    expect(page.records).toEqual([known]);
    expect(page.receipts).toEqual([receipt]);
    // what keepReceipts holds on to: the hub's signature covers what this app reads of it
    expect(await goodReceipts(page.receipts!, 'aozora', hubKey.info)).toEqual([receipt]);

    const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    let head: PullHead | undefined;
    const job = answering({ ...newerPage, receipts: [newerReceipt] }).pullJob(device, 'e1:0', 2000);
    await runPullJob(job.fetch!, { url: job.url, init: job.init, key, now: 0 }, (h) => (head = h));
    expect(head?.receipts).toEqual([receipt]);
  });

  const user = { id: 'u-1', hub: 'aozora', displayName: '夜間 太郎', role: 'coordinator', officeId: null, facilityId: null };
  const session = { user, expiresAt: '2026-12-04T17:00:00.000Z', idleTimeoutSeconds: 1800 };
  const signIn = { hub: 'aozora', loginName: 'yakan', password: 'correct horse', totp: '123456' };
  const enrolled = { deviceId: 'phone-1', deviceSecret: 'S'.repeat(43), lastSeq: 0, userToken: 'T'.repeat(43) };
  const member = { userId: 'u-2', displayName: '相談 花子', role: 'case-worker', officeId: 'office-1' };
  const conflict = {
    id: 'c-1',
    kind: 'household',
    entityId: household.id,
    field: 'note',
    baseVersion: 3,
    keptVersion: 4,
    keptValue: '夜間は母が対応',
    lostVersion: 4,
    lostValue: '夜間は叔母が対応',
    keptBy: '夜間 太郎',
    lostBy: '相談 花子',
    createdAt: '2026-12-04T05:00:00.000Z',
  };
  /** Each answer a newer hub may send with a field of its own, what this app asks, and what it reads of it. */
  const answers: readonly (readonly [string, unknown, (client: HubClient) => Promise<unknown>, unknown])[] = [
    ['a sign-in (the session)', { ...session, mfaUntil: '2026-12-05T00:00:00.000Z' }, (c) => c.signIn(signIn), session],
    ['an enrolment', { ...enrolled, enrolledAt: '2026-12-04T05:00:00.000Z' }, (c) => c.enrol({ deviceId: 'phone-1', name: 'オンコール携帯 1' }), enrolled],
    ['the staff list (a member)', { staff: [{ ...member, phoneExtension: '201' }] }, (c) => c.staff(device), { staff: [member] }],
    ['the stopped members', { stopped: ['u-3'], checkedAt: '2026-12-04T05:00:00.000Z' }, (c) => c.members(device), { stopped: ['u-3'] }],
    ['the conflict list (a conflict)', { conflicts: [{ ...conflict, mergedFields: ['note'] }] }, (c) => c.conflicts(device).then((l) => l.conflicts), [conflict]],
    ['the hub key', { ...hubKey.info, keyId: 'key-2027' }, (c) => c.hubKey(device), hubKey.info],
  ];

  it.each(answers)('[V2] reads %s with a field it does not know', async (_name, body, ask, read) => {
    expect(await ask(answering(body))).toEqual(read);
  });

  it("[V2] reads a device session with a field it does not know in its user; not one for a role it does not know, as no role it knows", async () => {
    expect(await answering({ ...session, user: { ...user, email: 'yakan@example.jp' } }).deviceSession(device, 'T'.repeat(43))).toEqual(session);
    // The role decides what the phone holds and writes, and each pull page is checked against it:
    // that person's sync waits for the app's update, and the words say so.
    const unknownRole = await answering({ ...session, user: { ...user, role: 'auditor' } })
      .deviceSession(device, 'T'.repeat(43))
      .catch((e: unknown) => e);
    expect(unknownRole).toMatchObject({ code: 'bad-response', message: expect.stringContaining('アプリを最新にしてください') });
  });

  it("[V2] says of an answer it cannot read what is true: nothing is lost here; update the app, then ask the admin", async () => {
    const error = await answering({ results: 'later' })
      .push(device, [change(0)])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SyncError);
    expect(error).toMatchObject({ code: 'bad-response' });
    const words = (error as SyncError).message;
    expect(words).toContain('変更はこの端末に保存されていて、失われていません');
    expect(words).not.toContain('何も反映していません');
    expect(words.indexOf('アプリを最新にしてください')).toBeGreaterThanOrEqual(0);
    expect(words.indexOf('アプリを最新にしてください')).toBeLessThan(words.indexOf('管理者に連絡してください'));
  });
});
