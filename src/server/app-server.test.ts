// @vitest-environment node
import { mkdtemp, writeFile, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startServer } from './app-server';

let server: Server;
let base: string;
let dist: string;

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'kyoten-dist-'));
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'assets', 'app-abc123.js'), 'console.log(1)');
  await writeFile(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  await writeFile(join(tmpdir(), 'secret.txt'), 'outside dist');
  server = await startServer({ port: 0, host: '127.0.0.1', distDir: dist });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(dist, { recursive: true, force: true });
});

describe('app server', () => {
  it('answers /healthz, never cached', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the shell with a strict Content-Security-Policy and security headers', async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>shell</title>');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('caches hashed assets for a long time but revalidates the service worker', async () => {
    const asset = await fetch(`${base}/assets/app-abc123.js`);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-type')).toContain('javascript');
    const sw = await fetch(`${base}/sw.js`);
    expect(sw.headers.get('cache-control')).toBe('no-cache');
  });

  it('never serves files outside dist, even with encoded dot segments', async () => {
    const res = await fetch(`${base}/..%2fsecret.txt`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside dist');
  });

  it('refuses methods other than GET and HEAD', async () => {
    const res = await fetch(`${base}/`, { method: 'POST', body: 'x' });
    expect(res.status).toBe(405);
  });
});

describe('app server, once listening', () => {
  it('keeps serving after accept errors (out of file descriptors): each is logged, none ends the process', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // What Node's net server emits when accept(2) fails; with no 'error' listener it would throw
      // (an uncaught exception: the process ends). The first and every later one.
      for (const code of ['EMFILE', 'ENFILE', 'EMFILE']) {
        expect(() => server.emit('error', Object.assign(new Error(`accept ${code}`), { code, syscall: 'accept' }))).not.toThrow();
      }
      expect(log.mock.calls.flat().join('\n')).toMatch(/HTTP server failed: Error \(EMFILE\)[\s\S]*out of file descriptors/);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
    } finally {
      log.mockRestore();
    }
  });
});
