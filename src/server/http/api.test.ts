// @vitest-environment node
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../app-server';
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
