// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer } from '../app-server';
import type { Store } from '../db/store';
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
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Record<string, unknown> };
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
        expect(answer, (error as Error).message).toMatchObject({ status: 500, body: { error: 'internal' } });
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
