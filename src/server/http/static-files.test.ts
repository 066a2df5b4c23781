// @vitest-environment node
import { mkdtemp, writeFile, mkdir, rename, rm, utimes } from 'node:fs/promises';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../app-server';
import { precompressDir } from './precompress';
import { acceptedEncodings } from './static-files';

let server: Server;
let port: number;
let dist: string;
const script = `export const text = ${JSON.stringify('拠点ナビ '.repeat(400))};\n`;
const shell = `<!doctype html><title>shell</title><main>${'<p>起動しています…</p>'.repeat(40)}</main>`;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** node:http, not fetch: fetch decodes bodies itself and hides what went over the wire. */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', fail);
    req.end();
  });
}

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'kyoten-static-'));
  await writeFile(join(dist, 'index.html'), shell);
  await mkdir(join(dist, 'assets'));
  await writeFile(join(dist, 'assets', 'app-abc123.js'), script);
  await writeFile(join(dist, 'assets', 'tiny-abc123.js'), 'x');
  await writeFile(join(dist, 'sw.js'), `self.addEventListener("fetch", () => {}); // ${'sw '.repeat(200)}`);
  precompressDir(dist);
  server = await startServer({ port: 0, host: '127.0.0.1', distDir: dist });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await rm(dist, { recursive: true, force: true });
});

describe('static files: compressed at build, chosen by Accept-Encoding', () => {
  it('sends brotli to a browser that takes it, and the bytes decode to the file', async () => {
    const res = await get('/assets/app-abc123.js', { 'Accept-Encoding': 'gzip, deflate, br, zstd' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.headers['content-type']).toContain('javascript');
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
    expect(res.body.length).toBeLessThan(Buffer.byteLength(script) / 4);
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
  });

  it('sends gzip when brotli is not accepted (or refused with q=0)', async () => {
    for (const accept of ['gzip', 'br;q=0, gzip;q=0.8']) {
      const res = await get('/assets/app-abc123.js', { 'Accept-Encoding': accept });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(res.body).toString()).toBe(script);
    }
  });

  it('sends the file as it is without Accept-Encoding, still marked Vary', async () => {
    const res = await get('/assets/app-abc123.js');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.body.toString()).toBe(script);
  });

  it('leaves a file too small to gain from compression as it is, without Vary', async () => {
    const res = await get('/assets/tiny-abc123.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBeUndefined();
    expect(res.body.toString()).toBe('x');
  });

  it('caches hashed assets for a year, immutable; revalidates the shell and the service worker', async () => {
    const asset = await get('/assets/app-abc123.js', { 'Accept-Encoding': 'br' });
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/sw.js', '/households/deep-link']) {
      const res = await get(path, { 'Accept-Encoding': 'br' });
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-encoding']).toBe('br');
    }
    const html = await get('/', { 'Accept-Encoding': 'br' });
    expect(brotliDecompressSync(html.body).toString()).toBe(shell);
    expect(html.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('answers a revalidation with 304 and no body while the file is the same, per encoding', async () => {
    const first = await get('/', { 'Accept-Encoding': 'br' });
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/".+"$/);
    const again = await get('/', { 'Accept-Encoding': 'br', 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    expect(again.headers['cache-control']).toBe('no-cache');
    // The gzip copy is another representation: the brotli tag does not validate it.
    const gzip = await get('/', { 'Accept-Encoding': 'gzip', 'If-None-Match': etag });
    expect(gzip.status).toBe(200);
    expect(gunzipSync(gzip.body).toString()).toBe(shell);
  });

  it('answers HEAD with the headers of the chosen copy and no body', async () => {
    const res = await get('/assets/app-abc123.js', { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.body.length).toBe(0);
  });
});

describe('a file changed after the build', () => {
  it('is sent as it now is, never as its older compressed copy', async () => {
    const path = join(dist, 'assets', 'edited-abc123.js');
    await writeFile(path, script);
    precompressDir(dist);
    const later = `${script}// edited by hand after the build\n`;
    // An mtime after the copies': the edit happened later.
    await writeFile(path, later);
    const future = new Date(Date.now() + 60_000);
    await utimes(path, future, future);
    const res = await get('/assets/edited-abc123.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(later);
  });
});

describe('files replaced while they are served (an upgrade rebuilding dist/)', () => {
  it('answers each request with a whole file or 404, never a cut one, and goes on serving', async () => {
    const path = join(dist, 'assets', 'rebuilt-abc123.js');
    const versions = [script, `${script}// the next build\n`];
    await writeFile(path, versions[0]!);
    for (let round = 0; round < 40; round++) {
      // The old file removed, then a new one put in its place whole (written aside, renamed).
      const replace = (async () => {
        await rm(path, { force: true });
        await writeFile(`${path}.tmp`, versions[(round + 1) % 2]!);
        await rename(`${path}.tmp`, path);
      })();
      const answers = await Promise.all(Array.from({ length: 8 }, () => get('/assets/rebuilt-abc123.js', { 'Accept-Encoding': 'identity' })));
      await replace;
      for (const a of answers) {
        if (a.status === 404) continue;
        expect(a.status).toBe(200);
        expect(versions).toContain(a.body.toString());
        expect(a.body.length).toBe(Number(a.headers['content-length']));
      }
    }
    expect((await get('/assets/app-abc123.js')).status).toBe(200);
  });
});

describe('a download the phone gives up midway', () => {
  it('closes the file it was reading (an open descriptor per aborted download would pile up)', async () => {
    const path = join(dist, 'assets', 'big-abc123.js');
    await writeFile(path, Buffer.alloc(20 * 1024 * 1024, 0x61));
    // The kernel names the file by its real path (a tmpdir behind a symlink included).
    const real = realpathSync(path);
    const openOnIt = () => readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === real;
      } catch {
        return false; // closed while we looked
      }
    }).length;
    // The phone reads the first bytes, then goes away.
    await new Promise<void>((done) => {
      const req = request({ host: '127.0.0.1', port, path: '/assets/big-abc123.js', headers: { 'Accept-Encoding': 'identity' } }, (res) => {
        res.once('data', () => req.destroy());
      });
      req.on('error', () => undefined); // the abort is ours
      req.on('close', () => done());
      req.end();
    });
    await expect.poll(openOnIt, { timeout: 10_000 }).toBe(0);
    expect((await get('/assets/app-abc123.js')).status).toBe(200);
  });
});

describe('acceptedEncodings', () => {
  it('reads names, q=0 and the wildcard', () => {
    expect([...acceptedEncodings('gzip, deflate, br')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('br;q=0,gzip')]).toEqual(['gzip']);
    expect([...acceptedEncodings('*')].sort()).toEqual(['br', 'gzip']);
    expect([...acceptedEncodings('identity')]).toEqual([]);
    expect([...acceptedEncodings(undefined)]).toEqual([]);
  });
});
