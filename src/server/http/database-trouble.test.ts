// @vitest-environment node
/**
 * What the API answers, and logs, when the database takes no writes or has run out of disk or
 * memory: trouble an admin mends, not a bug. The errors are made as pg hands them over (a SQLSTATE
 * in `code`); api-failures-postgres.test.ts and hub-start.test.ts meet them from a real PostgreSQL.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startServer } from '../app-server';
import type { Store } from '../db/store';
import { createApiHandler } from './api';
import { databaseUnavailable, passingDatabaseTrouble } from './database-trouble';

const pgError = (message: string, code: string) => Object.assign(new Error(message), { code });

const dist = mkdtempSync(join(tmpdir(), 'kyoten-trouble-'));
writeFileSync(join(dist, 'index.html'), '<!doctype html>');
afterAll(() => rmSync(dist, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/**
 * A sign-in to a server whose store fails every call with `error`: the answer, and what the server
 * logged. A server each time: its log of database trouble says one line every 10 s at most.
 */
async function signInFailing(error: unknown) {
  const store = new Proxy({} as Store, { get: (_, name) => (name === 'then' ? undefined : () => Promise.reject(error)) });
  const api = createApiHandler({ store: () => store, accounts: { idleMinutes: 30, maxHours: 12, now: () => new Date() } });
  const server: Server = await startServer({ port: 0, host: '127.0.0.1', distDir: dist, api });
  const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hub: 'hub-matsudo', loginName: 'suzuki', password: 'yoru-no-denwa-2026', totp: '123456' }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body, log: logged.mock.calls.map((call) => call.join(' ')) };
  } finally {
    logged.mockRestore();
    await new Promise((done) => server.close(done));
  }
}

describe('[A2] a database that takes no writes: 503 with Retry-After, not 500', () => {
  it('[A2] a standby after a failover (25006) is 503 unavailable, Retry-After 30, with one plain log line saying the database is read-only', async () => {
    const answer = await signInFailing(pgError('cannot execute INSERT in a read-only transaction', '25006'));
    expect(answer).toMatchObject({ status: 503, retryAfter: '30', body: { error: 'unavailable', retryAfterSeconds: 30 } });
    expect(answer.body['message']).toBe('サーバーのデータベースが今は書き込めない状態です。しばらくしてからもう一度お試しください。続くときは拠点の管理者に連絡してください。');
    expect(answer.log).toHaveLength(1);
    expect(answer.log[0]).toContain('PostgreSQL is read-only: a standby after a failover, or default_transaction_read_only is on; point DATABASE_URL at the primary (SQLSTATE 25006)');
    // neither the 500's failure line nor PostgreSQL's own words
    expect(answer.log[0]).not.toMatch(/failed:|cannot execute/);
  });
});

describe('[A2] a database out of disk space or memory: 503 with a longer Retry-After, not 500', () => {
  it.each([
    ['53100', 'could not extend file "base/16384/16385": No space left on device'],
    ['53200', 'out of memory'],
    ['53000', 'insufficient resources'],
  ])('[A2] SQLSTATE %s is 503 unavailable, Retry-After 30, logged as out of disk space or memory', async (code, words) => {
    const answer = await signInFailing(pgError(words, code));
    expect(answer).toMatchObject({ status: 503, retryAfter: '30', body: { error: 'unavailable', retryAfterSeconds: 30 } });
    expect(answer.body['message']).toBe('サーバーのデータベースの空き容量かメモリが足りません。しばらくしてからもう一度お試しください。続くときは拠点の管理者に連絡してください。');
    expect(answer.body['detail']).toBe(`PostgreSQL is out of disk space or memory (SQLSTATE ${code})`);
    expect(answer.log).toHaveLength(1);
    expect(answer.log[0]).toContain(`PostgreSQL is out of disk space or memory (SQLSTATE ${code})`);
    expect(answer.log[0]).not.toMatch(/failed:|No space|out of memory$|insufficient resources$/);
  });

  it('[A2] each is told apart from the trouble that passes in seconds, and from too many connections (53300), which stays a short wait', () => {
    expect(passingDatabaseTrouble(pgError('disk full', '53100'))).toEqual({ kind: 'full', what: 'PostgreSQL is out of disk space or memory (SQLSTATE 53100)' });
    expect(passingDatabaseTrouble(pgError('read-only', '25006'))).toMatchObject({ kind: 'read-only' });
    expect(passingDatabaseTrouble(pgError('sorry, too many clients already', '53300'))).toEqual({ kind: 'gone', what: 'SQLSTATE 53300' });
    // 53400, a statement over a configured limit (temp_file_limit): not the database's state, still a 500 to be seen
    expect(passingDatabaseTrouble(pgError('temporary file size exceeds temp_file_limit', '53400'))).toBeNull();
    expect(databaseUnavailable({ kind: 'full', what: 'x' }).retryAfterSeconds).toBe(30);
    expect(databaseUnavailable({ kind: 'gone', what: 'x' }).retryAfterSeconds).toBe(5);
  });
});
