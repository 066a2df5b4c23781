/** The server's edge: headers on every answer, malformed targets, bodies, and what reaches the logs [A2][A11]. */
import { expect } from 'vitest';
import { API, MAX_BODY_BYTES, type ErrorResponse, type PushResponse } from '../../../src/protocol/sync';
import { openBody } from '../../factories/emergency-case';
import { PUSH_BODIES_IN_FLIGHT, PUSH_BODIES_WAITING } from '../../../src/server/http/api';
import { accessWire, DeviceClient, entryWire, householdWire, HUB, type Answer, type ApiHarness } from '../api-harness';
import type { AttackGroup } from './attack-suite';
import { rawRequest, slowBody, type RawAnswer } from './raw-http';

/** What every answer carries, whatever its status [A11]. */
function expectSecurityHeaders(headers: { get(name: string): string | null | undefined }, what: string): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("default-src 'self'");
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(headers.get('referrer-policy'), what).toBe('no-referrer');
}
/** A request whose answer may not be JSON (the static files). */
async function plain(base: string, method: string, path: string, headers: Record<string, string> = {}): Promise<Answer<string>> {
  const res = await fetch(`${base}${path}`, { method, headers, ...(method === 'POST' ? { body: '{}' } : {}) });
  return { status: res.status, body: await res.text(), headers: res.headers };
}
const mapHeaders = (m: ReadonlyMap<string, string>) => ({ get: (n: string) => m.get(n) ?? null });

const MEDICATION = 'インスリン注射 朝夕 8単位';

async function joined(hub: ApiHarness, id = 'phone-1') {
  const coord = await hub.user(`c-${id}`, 'coordinator');
  return new DeviceClient(hub, id).join(coord);
}

export const edgeAttacks: AttackGroup = (attack, ctx) => {
  attack('[A11] GET http://[::1/ as the raw request target: 400 with the headers, nothing on stderr', async () => {
    const hub = await ctx.hub();
    const answer = await rawRequest(hub.base, 'GET http://[::1/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(400);
    expectSecurityHeaders(mapHeaders(answer.headers), 'bad target');
    expect(ctx.serverLog()).toBe('');
  });

  attack('[A11] POST /api/conflicts/%E0%A4%A/resolve (a broken percent-encoding): 400, never a URIError 500', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    const answer = await phone.request<ErrorResponse>('POST', '/api/conflicts/%E0%A4%A/resolve', { outcome: 'kept' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('bad-request');
    // a NUL, which decodes, is refused before it reaches PostgreSQL
    const nul = await phone.request<ErrorResponse>('POST', '/api/conflicts/c%001/resolve', { choice: 'kept' });
    expect(nul.status).toBe(400);
    expect(ctx.dbErrors()).toEqual([]);
    // the API's refusal is one line (docs/hub-server.md, "Refusals in the log"), never a failure;
    // the broken encoding is answered before the API (edge.ts), which writes nothing
    expect(ctx.serverLog()).toBe('[request ' + nul.headers.get('x-request-id') + ', device phone-1] API POST /api/conflicts/c%001/resolve answered 400 bad-request: the path holds a NUL\n');
  });

  attack('[A11] broken encodings in a static path, a query, and a request line Node cannot parse: 400 with the headers', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    for (const path of ['/%E0%A4%A', '/assets/%ZZ.js', `${API.pull}?cursor=%E0%A4%A`]) {
      const answer = await phone.request('GET', path);
      expect(answer.status, path).toBe(400);
      expectSecurityHeaders(answer.headers, path);
    }
    const garbage = await rawRequest(hub.base, 'GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(garbage.status).toBe(400);
    expectSecurityHeaders(mapHeaders(garbage.headers), 'unparsable');
    const huge = await rawRequest(hub.base, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(ctx.serverLog()).toBe('');
  });

  attack('[A11] an absolute-form target of this server is served like its path; one that does not parse is 400', async () => {
    const hub = await ctx.hub();
    const ok = await rawRequest(hub.base, 'GET http://127.0.0.1/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(ok.status).toBe(200);
    const bad = await rawRequest(hub.base, 'GET http://%zz/ HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(bad.status).toBe(400);
  });

  attack('[A11] every status the server gives carries the security headers, the 204 of DELETE /api/session included', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    const stranger = new DeviceClient(hub, 'stranger');
    const answers: [string, number, Answer][] = [
      ['static 200', 200, await plain(hub.base, 'GET', '/')],
      ['static 404', 404, await plain(hub.base, 'GET', '/missing.js')],
      ['static 405', 405, await plain(hub.base, 'POST', '/')],
      ['healthz 200', 200, await plain(hub.base, 'GET', '/healthz')],
      ['pull 200', 200, await phone.pull(0)],
      ['bad 400', 400, await phone.request('POST', API.push, { changes: 'nope' })],
      ['no session 401', 401, await stranger.request('GET', API.session)],
      ['no device 403', 403, await stranger.request('GET', API.pull)],
      ['api 404', 404, await stranger.request('GET', '/api/nothing')],
      ['api 405', 405, await stranger.request('PUT', API.session, {})],
      ['too large 413', 413, await stranger.request('POST', API.session, { hub: HUB, loginName: 'x'.repeat(20_000), password: 'p', totp: '123456' })],
      ['sign-out 204', 204, await phone.request('DELETE', API.session)],
    ];
    for (let i = 0; i < 5; i++) await stranger.signIn({ id: 'x', loginName: 'nobody', totpSecret: 'JBSWY3DPEHPK3PXP' }, { password: `wrong-${i}-xxxx` });
    answers.push(['throttled 429', 429, await stranger.signIn({ id: 'x', loginName: 'nobody', totpSecret: 'JBSWY3DPEHPK3PXP' })]);
    await hub.accounts.disableDevice('phone-1');
    const retired = new DeviceClient(hub, 'phone-1');
    retired.secret = phone.secret;
    answers.push(['retired 410', 410, await retired.pull(0)]);
    for (const [what, status, answer] of answers) {
      expect(answer.status, what).toBe(status);
      expectSecurityHeaders(answer.headers, what);
      expect(answer.headers.get('strict-transport-security'), what).toBeNull();
    }
  });

  attack('[A11] HSTS only over TLS: with TRUST_PROXY and X-Forwarded-Proto https on every status; never when a client claims it without a trusted proxy', async () => {
    const behindProxy = await ctx.hub({ trustProxy: true });
    for (const [path, method] of [['/', 'GET'], ['/missing.js', 'GET'], [API.session, 'DELETE'], ['/api/nothing', 'GET'], ['/%E0%A4%A', 'GET']] as const) {
      const answer = await plain(behindProxy.base, method, path, { 'x-forwarded-proto': 'https' });
      expect(answer.headers.get('strict-transport-security'), `${method} ${path}`).toBe('max-age=31536000; includeSubDomains');
    }
    expect((await plain(behindProxy.base, 'GET', '/')).headers.get('strict-transport-security')).toBeNull();
    const direct = await ctx.hub();
    const liar = await plain(direct.base, 'GET', '/', { 'x-forwarded-proto': 'https' });
    expect(liar.headers.get('strict-transport-security')).toBeNull();
  });

  attack('[A2] a sign-in body is capped small: 1 MB (declared or not) is refused with 413 before it is buffered', async () => {
    const hub = await ctx.hub();
    const declared = await rawRequest(hub.base, `POST ${API.session} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES}\r\n\r\n`, '{"hub":"');
    expect(declared.status).toBe(413);
    expect(declared.headers.get('connection')).toBe('close');
    const chunked = await new DeviceClient(hub, 'p').request('POST', API.session, `{"hub":"${'a'.repeat(1024 * 1024)}"}`);
    expect(chunked.status).toBe(413);
    expect(hub.checks.password).toBe(0);
  });

  attack('[A2] 300 unauthenticated 8 MB bodies at once: all turned away without reading them, memory stays flat', async () => {
    const hub = await ctx.hub();
    const before = process.memoryUsage();
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        rawRequest(
          hub.base,
          `POST ${i % 2 === 0 ? API.push : API.session} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${MAX_BODY_BYTES}\r\n\r\n`,
          chunk,
        ),
      ),
    );
    const after = process.memoryUsage();
    for (const a of answers) expect([403, 413]).toContain(a.status);
    expect(answers.every((a) => a.headers.get('connection') === 'close')).toBe(true);
    expect(after.arrayBuffers + after.heapUsed - before.arrayBuffers - before.heapUsed).toBeLessThan(200 * 1024 * 1024);
  });

  attack('[A11] push bodies in flight are bounded: past the slots being read and waiting, 503 with Retry-After; the slots come back when they end', async () => {
    // The hub's slots made small (2 read, 2 waiting): seven phones of seven people, one push each
    // (one device or one person cannot take more than one or two: PushesUnderWay).
    const hub = await ctx.hub({ pushBodiesInFlight: 2, pushBodiesWaiting: 2 });
    const phones: DeviceClient[] = [];
    for (let i = 0; i < 7; i++) phones.push(await joined(hub, `phone-${i}`));
    const auth = (p: DeviceClient) => ({ Cookie: p.cookie!, 'x-kyoten-device': p.deviceId, 'x-kyoten-device-secret': p.secret! });
    const held = phones.map((p) => slowBody(hub.base, API.push, auth(p), 4 * 1024 * 1024));
    const answered: RawAnswer[] = [];
    for (const h of held) void h.answer.then((a) => answered.push(a));
    await expect.poll(() => answered.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    for (const a of answered) {
      expect(a.status).toBe(503);
      expect(Number(a.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(a.headers.get('connection')).toBe('close');
    }
    for (const h of held) h.close();
    // the freed slots take a real push again
    await expect.poll(async () => (await phones[0]!.push([householdWire('hh-1')])).status, { timeout: 30_000 }).toBe(200);
  });

  attack('[A11] one person cannot take more than two push slots; a push whose line died mid-upload gives way to its device’s next one', async () => {
    const hub = await ctx.hub();
    const sato = await hub.user('c-sato', 'coordinator');
    const phones: DeviceClient[] = [];
    for (const id of ['phone-a', 'phone-b', 'phone-c']) {
      phones.push(await new DeviceClient(hub, id).join(sato));
      hub.clock.advance(30_000); // a TOTP code is taken once: the next sign-in waits for the next one
    }
    const [a, b, c] = phones;
    const auth = (p: DeviceClient) => ({ Cookie: p.cookie!, 'x-kyoten-device': p.deviceId, 'x-kyoten-device-secret': p.secret! });
    // two phones of one person upload slowly (or have lost their line mid-upload)
    const stall = (p: DeviceClient) => {
      const body = slowBody(hub.base, API.push, auth(p), 1024 * 1024);
      const upload: { close(): void; answered?: number } = { close: body.close };
      void body.answer.then((r) => (upload.answered = r.status));
      return upload;
    };
    const stalled = [stall(a!), stall(b!)];
    try {
      // C's probe may be under way as a stalled upload arrives, which then is the person's third
      // and is turned away (503, nothing else): it is started again, until both hold their place
      // and C is the third.
      await expect
        .poll(
          async () => {
            stalled.forEach((upload, i) => {
              if (upload.answered === undefined) return;
              expect(upload.answered).toBe(503);
              upload.close();
              stalled[i] = stall([a!, b!][i]!);
            });
            return (await c!.push([householdWire('hh-c')])).status;
          },
          { timeout: 30_000 },
        )
        .toBe(503);
      // both uploads still hold their place: C was turned away as the third, not by a bound of one
      expect(stalled.map((u) => u.answered)).toEqual([undefined, undefined]);
      const third = await c!.push([householdWire('hh-c')]);
      expect(third.headers.get('retry-after')).toBe('2');
      expect((third.body as unknown as ErrorResponse).message).toBe('この職員のほかの端末からの送信がまだ続いています。少し待ってから自動でもう一度送ります。');
      // phone A comes back and pushes again: its stalled upload gives way, not minutes later
      expect((await a!.push([householdWire('hh-a')])).status).toBe(200);
      // and that freed the person's place for phone C
      expect((await c!.push([householdWire('hh-c')])).status).toBe(200);
    } finally {
      for (const s of stalled) s.close();
    }
  });

  attack('[A11] a stopped phone’s secret cannot take the body slots: its retire pushes trickled on every slot hold one, and another phone’s push is answered', async () => {
    const hub = await ctx.hub();
    const stopped = await joined(hub, 'phone-stopped');
    const other = await joined(hub, 'phone-other');
    await hub.accounts.disableDevice(stopped.deviceId);
    // As the review did: a connection for every body slot and place in the queue, each declaring
    // 1,000,000 bytes and sending a few, under the stopped phone's secret alone.
    const auth = { 'x-kyoten-device': stopped.deviceId, 'x-kyoten-device-secret': stopped.secret! };
    const trickles = Array.from({ length: PUSH_BODIES_IN_FLIGHT + PUSH_BODIES_WAITING }, () => slowBody(hub.base, API.retirePush, auth, 1_000_000));
    let closed = 0;
    for (const t of trickles) void t.closed.then(() => closed++);
    try {
      // Each has reached the hub: it holds a body slot, waits for one, or was closed to make way for the phone's next.
      await expect.poll(() => hub.bodyLoad().running + hub.bodyLoad().waiting + closed, { timeout: 30_000 }).toBe(trickles.length);
      expect((await other.push([householdWire('hh-1')])).status).toBe(200);
      expect(hub.bodyLoad()).toEqual({ running: 1, waiting: 0 });
    } finally {
      for (const t of trickles) t.close();
    }
    // The stopped phone's own retire push, sent whole, is answered once its trickles are gone.
    await expect.poll(async () => (await stopped.push([accessWire('acc-1', 'hh-1', '2026-11-30T15:00:00.000Z', stopped)], API.retirePush)).status, { timeout: 30_000 }).toBe(200);
  });

  attack('[A2] a household with a NUL in its medication is refused before SQL: PostgreSQL refuses no statement and logs nothing of it', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    const answer = await phone.push([
      householdWire('hh-1', { persons: [{ id: 'p-1', name: '佐藤 花子', medication: `${MEDICATION}\u0000` }] }),
      householdWire('hh-2', { persons: [{ id: 'p-2', name: '田中', medication: `${MEDICATION}\ud800` }] }),
      householdWire('hh-3'),
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['invalid', 'invalid', 'accepted']);
    expect(ctx.dbErrors()).toEqual([]);
    expect(ctx.postgresLog() ?? '').not.toContain('インスリン');
    expect(ctx.serverLog()).not.toContain('インスリン');
  });

  attack('[A2] a NUL in a sign-in, an enrolment or a case entry is refused before SQL', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    expect((await new DeviceClient(hub, 'x').request('POST', API.session, { hub: HUB, loginName: '佐藤\u0000', password: 'p', totp: '123456' })).status).toBe(400);
    expect((await phone.request('POST', API.devices, { deviceId: 'tab', name: `${MEDICATION}\u0000` })).status).toBe(400);
    const entries = await phone.caseEntries('case-1', [openBody({ subject: { householdId: 'hh-1', personId: null, name: `佐藤\u0000${MEDICATION}`, recipientNumber: '' } })]);
    const push = await phone.push([entryWire(entries[0]!)]);
    expect(push.body.results[0]).toMatchObject({ status: 'refused', reason: 'invalid' });
    expect(ctx.dbErrors()).toEqual([]);
    expect(ctx.postgresLog() ?? '').not.toContain('インスリン');
  });

  attack('[A11] an unexpected server failure logs where and what kind, never the error text (which can quote data)', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    // The statement a pull is answered with (Store.pullAnswer) fails, quoting a row.
    const store = hub.store as { pullAnswer: unknown };
    store.pullAnswer = () => Promise.reject(new Error(`row of 佐藤 花子: ${MEDICATION}`));
    const answer = await phone.pull(0);
    expect(answer.status).toBe(500);
    expectSecurityHeaders(answer.headers, '500');
    expect(JSON.stringify(answer.body)).not.toContain('インスリン');
    const log = ctx.serverLog();
    expect(log).toContain('API GET /api/sync/pull failed: Error');
    expect(log).not.toContain('インスリン');
    expect(log).not.toContain('佐藤');
  });

  attack('[A2] a payload nested a hundred thousand deep is refused or stored, never a 5xx', async () => {
    const hub = await ctx.hub();
    const phone = await joined(hub);
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const body = `{"changes":[{"seq":1,"mutationId":"${globalThis.crypto.randomUUID()}","kind":"household","entityId":"hh-1","op":"create","at":"2026-11-30T14:50:00.000Z","payload":{"id":"hh-1","x":${deep}},"baseVersion":null}]}`;
    const answer = await phone.request<PushResponse>('POST', API.push, body, { 'content-type': 'application/json' });
    expect(answer.status).toBeLessThan(500);
  });
};
