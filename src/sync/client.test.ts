// @vitest-environment node
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { WireChange } from '../protocol/sync';
import { GZIP_PUSH_BYTES, HubClient } from './client';
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
