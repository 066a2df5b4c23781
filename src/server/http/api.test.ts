// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { API, DEVICE_ID_HEADER, DEVICE_SECRET_HEADER, type ErrorResponse } from '../../protocol/sync';
import { startServer } from '../app-server';
import type { DeviceRecord, SessionRecord, SyncCallerFacts, UserRecord } from '../db/account-store';
import type { Store } from '../db/store';
import { sha256Hex } from '../services/credentials';
import { createApiHandler } from './api';

let server: Server;
let base: string;
const dist = mkdtempSync(join(tmpdir(), 'kyoten-api-unit-'));

beforeAll(async () => {
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  const api = createApiHandler({ store: () => undefined, accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } });
  server = await startServer({ port: 0, host: '127.0.0.1', distDir: dist, api });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(dist, { recursive: true, force: true });
});

describe('the API while the store opens', () => {
  it('answers 503 unavailable with Retry-After, as JSON, never cached', async () => {
    const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toMatchObject({ error: 'unavailable', retryAfterSeconds: 2 });
  });

  it('writes no line for each 503 (they come in floods), yet each carries its request id', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const ids = new Set<string | null>();
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${base}/api/session`);
        expect(res.status).toBe(503);
        const id = res.headers.get('x-request-id');
        expect(((await res.json()) as ErrorResponse).requestId).toBe(id);
        ids.add(id);
      }
      expect(ids.size).toBe(3);
      expect(warned).not.toHaveBeenCalled();
    } finally {
      warned.mockRestore();
    }
  });

  it('still refuses methods other than GET and HEAD outside /api/', async () => {
    expect((await fetch(`${base}/`, { method: 'POST', body: 'x' })).status).toBe(405);
  });
});

/** A store each of whose calls fails with `failure()`, as a database lost or busy makes it. */
function failingStore(failure: () => unknown): Store {
  return new Proxy({} as Store, {
    // not a thenable: `await` must not take it for a promise
    get: (_, name) => (name === 'then' ? undefined : () => Promise.reject(failure())),
  });
}

const pgError = (message: string, code?: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(message), code === undefined ? {} : { code }, extra);

describe('the API when the database fails', () => {
  let failure: unknown;
  let failing: Server;
  let url: string;
  beforeAll(async () => {
    const api = createApiHandler({ store: () => failingStore(() => failure), accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } });
    failing = await startServer({ port: 0, host: '127.0.0.1', distDir: dist, api });
    url = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/api/session`;
  });
  afterAll(() => new Promise((done) => failing.close(done)));
  const ask = async (error: unknown) => {
    failure = error;
    const res = await fetch(url, { headers: { cookie: 'kyoten_session=abc' } });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), requestId: res.headers.get('x-request-id'), body: (await res.json()) as Record<string, unknown> };
  };

  it('[A2][A12] a database lost, restarting, out of connections or briefly busy is 503 unavailable with a short Retry-After, as the app already understands', async () => {
    const passing = [
      pgError('Connection terminated unexpectedly'),
      pgError('Connection terminated due to connection timeout'),
      pgError('timeout exceeded when trying to connect'),
      pgError('Client has encountered a connection error and is not queryable'),
      pgError('connect ENOENT /run/kyoten/.s.PGSQL.5432', 'ENOENT', { syscall: 'connect' }),
      pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      pgError('read ECONNRESET', 'ECONNRESET'),
      pgError('connect EHOSTUNREACH 10.0.0.5:5432', 'EHOSTUNREACH'),
      pgError('getaddrinfo EAI_AGAIN db.internal', 'EAI_AGAIN'),
      pgError('connection failure', '08006'),
      pgError('terminating connection due to administrator command', '57P01'),
      pgError('terminating connection because of crash of another server process', '57P02'),
      pgError('the database system is starting up', '57P03'),
      pgError('sorry, too many clients already', '53300'),
      pgError('could not serialize access due to concurrent update', '40001'),
      pgError('deadlock detected', '40P01'),
      pgError('canceling statement due to statement timeout', '57014'),
    ];
    for (const error of passing) {
      const answer = await ask(error);
      expect(answer, (error as Error).message).toMatchObject({ status: 503, body: { error: 'unavailable', message: expect.any(String), retryAfterSeconds: expect.any(Number) } });
      expect(Number(answer.retryAfter), (error as Error).message).toBe(answer.body['retryAfterSeconds']);
      expect(answer.body['retryAfterSeconds'], (error as Error).message).toBeLessThanOrEqual(5);
    }
  });

  it('[A11] a genuine bug is still 500, with a generic message', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (const error of [new TypeError('x is undefined'), pgError('relation "sessions" does not exist', '42P01'), pgError('open ENOENT /etc/x', 'ENOENT', { syscall: 'open' }), pgError('Connection lost?')]) {
        const answer = await ask(error);
        expect(answer, (error as Error).message).toMatchObject({ status: 500, body: { error: 'internal', requestId: answer.requestId } });
        // the admin finds the 500 a phone shows by the id it carried
        expect(log.mock.calls.at(-1)?.join(' ')).toContain(`[request ${answer.requestId}] API GET /api/session failed:`);
      }
    } finally {
      log.mockRestore();
    }
  });

  it("[A2] PostgreSQL's words never reach the client: a data exception is 400 with its SQLSTATE, logged without them", async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const answer = await ask(pgError('invalid input syntax for type bigint: "佐藤 花子 090-1234-5678"', '22P02'));
      expect(answer).toMatchObject({ status: 400, body: { error: 'bad-request', detail: 'not storable (SQLSTATE 22P02)' } });
      expect(JSON.stringify(answer.body)).not.toContain('佐藤');
      expect(log.mock.calls.flat().join(' ')).toContain('22P02');
      expect(log.mock.calls.flat().join(' ')).not.toContain('佐藤');
    } finally {
      log.mockRestore();
    }
  });
});

/** A store answering `methods` as given, and failing every other call (a test that reaches one is wrong). */
function storeAnswering(methods: Record<string, (...args: never[]) => unknown>): Store {
  return new Proxy({} as Store, {
    get: (_, name) => {
      if (name === 'then') return undefined;
      const method = methods[String(name)];
      return method === undefined ? () => Promise.reject(new Error(`the test store has no ${String(name)}`)) : async (...args: never[]) => method(...args);
    },
  });
}

describe('the log line of a refused answer, tied to the phone by its request id', () => {
  const now = new Date();
  const user: UserRecord = {
    id: 'u-1',
    tenantId: 'hub-1',
    role: 'coordinator',
    loginName: 'coordinator-1',
    displayName: '当番',
    officeId: null,
    facilityId: null,
    disabled: false,
    passwordHash: null,
    totpSecret: null,
    totpLastStep: null,
  };
  const device: DeviceRecord = { id: '5f0c8a52-4c2e-4b8e-9a43-0d1a7c2b9e11', tenantId: 'hub-1', userId: 'u-1', name: 'phone', disabled: false, userDisabled: false, secretHash: sha256Hex('secret'), lastSeq: 0 };
  const session: SessionRecord = { id: sha256Hex('token'), tenantId: 'hub-1', userId: 'u-1', createdAt: now, lastSeenAt: now, expiresAt: new Date(now.getTime() + 3_600_000), endedAt: null, deviceId: device.id, deviceDisabled: false };
  const facts: SyncCallerFacts = { device, session, user, member: { deviceId: device.id, userId: 'u-1', revoked: false, userDisabled: false, createdAt: now, lastUsedAt: null, vaultUserId: null } };
  let hub: Server;
  let base: string;
  let warned: MockInstance<typeof console.warn>;
  beforeAll(async () => {
    const store = storeAnswering({
      findSyncCaller: () => facts,
      touchSession: () => undefined,
      forgetSignInFailures: () => 0,
      reserveSignIn: () => ({ allowed: true, attempts: 1 }),
      refundSignIn: () => undefined,
      findUserByLogin: () => null,
    });
    const api = createApiHandler({ store: () => store, accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } });
    hub = await startServer({ port: 0, host: '127.0.0.1', distDir: dist, api });
    base = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((done) => hub.close(done)));
  beforeAll(() => {
    warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warned.mockClear());
  afterAll(() => warned.mockRestore());

  /** The answer's request id, the same in its header and its body. */
  const answered = async (res: Response) => {
    const body = (await res.json()) as ErrorResponse;
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(body.requestId).toBe(id);
    return { status: res.status, body, id: id! };
  };
  const lines = () => warned.mock.calls.map((call) => call.join(' '));

  it('[A2] a push refused (400) is one line with its request id, the field and what was expected, never the value sent', async () => {
    const change = { seq: 1, mutationId: '0b6c1f1e-8f5e-4d7a-9c1b-2f3e4d5a6b7c', kind: '佐藤花子', entityId: 'h-1', op: 'create', at: now.toISOString(), payload: { name: '佐藤花子' }, baseVersion: null };
    const res = await fetch(`${base}${API.push}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'kyoten_session=token', [DEVICE_ID_HEADER]: device.id, [DEVICE_SECRET_HEADER]: 'secret' },
      body: JSON.stringify({ changes: [change] }),
    });
    const { status, body, id } = await answered(res);
    expect(status).toBe(400);
    expect(body.detail).toMatch(/^changes\.0\.kind: Invalid option: expected one of "household"/);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toContain(`[request ${id}, device ${device.id}] API POST ${API.push} answered 400 bad-request: changes.0.kind: Invalid option`);
    expect(lines()[0]).not.toContain('佐藤');
  });

  it('a 401 (no session) is one line with the request id the answer carried', async () => {
    const { status, body, id } = await answered(await fetch(`${base}${API.session}`));
    expect(status).toBe(401);
    expect(body.error).toBe('signed-out');
    expect(lines()).toEqual([`[request ${id}] API GET ${API.session} answered 401 signed-out: no session cookie`]);
  });

  it('[A4] a sign-in refused is logged without telling an unknown login from a wrong password or code, and never with what was typed', async () => {
    const typed = { hub: 'hub-1', loginName: 'yamada-taro-1975', password: 'hanako-no-himitsu', totp: '246813' };
    const res = await fetch(`${base}${API.session}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(typed) });
    const { status, body, id } = await answered(res);
    expect(status).toBe(401);
    expect(body.error).toBe('bad-credentials');
    // the whole line: a log that said 「unknown login」 alone would tell an attacker reading it which logins exist
    expect(lines()).toEqual([`[request ${id}] API POST ${API.session} answered 401 bad-credentials: unknown login, wrong password or wrong code (not told apart)`]);
    for (const word of Object.values(typed).slice(1)) expect(lines()[0]).not.toContain(word);
  });

  it('[A2] a body that is not JSON is answered with its parser\'s words, and logged without them: they quote the body', async () => {
    const res = await fetch(`${base}${API.session}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '佐藤花子 090-1234-5678' });
    const { status, body, id } = await answered(res);
    expect(status).toBe(400);
    expect(body.detail).toContain('is not valid JSON');
    expect(lines()).toEqual([`[request ${id}] API POST ${API.session} answered 400 bad-request: the body is not JSON`]);
  });
});
