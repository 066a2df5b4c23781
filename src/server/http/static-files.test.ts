// @vitest-environment node
import { mkdtemp, writeFile, mkdir, rename, rm, symlink, utimes } from 'node:fs/promises';
import { readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../app-server';
import { precompressDir } from './precompress';
import { preferredEncodings } from './static-files';

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

/** The build's two copies of one file (precompressDir on all of dist/ takes a second). */
async function compressBeside(path: string, body: string): Promise<void> {
  await writeFile(`${path}.br`, brotliCompressSync(body));
  await writeFile(`${path}.gz`, gzipSync(body));
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
  it('answers an Expect it cannot meet with 417 carrying the security headers every answer has', async () => {
    const res = await get('/', { Expect: 'foo' });
    expect(res.status).toBe(417);
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['cache-control']).toBe('no-store');
  });

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

describe('preferredEncodings (RFC 9110 §12.5.3)', () => {
  it('orders by q, brotli before gzip before the file at equal q', () => {
    // identity, not named, ranks with the lowest q named (negotiator's reading; the RFC gives it none).
    expect(preferredEncodings('gzip;q=1, br;q=0.1')).toEqual(['gzip', 'br', 'identity']);
    expect(preferredEncodings('gzip, br')).toEqual(['br', 'gzip', 'identity']);
    expect(preferredEncodings('gzip, deflate, br, zstd')).toEqual(['br', 'gzip', 'identity']);
    expect(preferredEncodings('*')).toEqual(['br', 'gzip', 'identity']);
    expect(preferredEncodings('br;q=0, *')).toEqual(['gzip', 'identity']);
    expect(preferredEncodings('gzip;q=0.5')).toEqual(['gzip', 'identity']);
  });

  it('takes the file as it is unless refused, and only it without a header', () => {
    expect(preferredEncodings(undefined)).toEqual(['identity']);
    expect(preferredEncodings('')).toEqual(['identity']);
    expect(preferredEncodings('br, identity;q=0')).toEqual(['br']);
    expect(preferredEncodings('br, *;q=0')).toEqual(['br']);
    expect(preferredEncodings('br, *;q=0, identity')).toEqual(['br', 'identity']);
    expect(preferredEncodings('gzip, br', ['gzip'])).toEqual(['gzip', 'identity']);
  });
});

describe('Accept-Encoding refusals and preferences on the wire', () => {
  it('sends gzip to `br;q=0, *` and to `gzip;q=1, br;q=0.1`', async () => {
    for (const accept of ['br;q=0, *', 'gzip;q=1, br;q=0.1']) {
      const res = await get('/assets/app-abc123.js', { 'Accept-Encoding': accept });
      expect(res.headers['content-encoding'], accept).toBe('gzip');
      expect(gunzipSync(res.body).toString()).toBe(script);
    }
  });

  it('never sends gzip to `gzip;q=0, *;q=0.5`, even when gzip is the only copy', async () => {
    const path = join(dist, 'assets', 'gzip-only-abc123.js');
    await writeFile(path, script);
    await writeFile(`${path}.gz`, gzipSync(script));
    const res = await get('/assets/gzip-only-abc123.js', { 'Accept-Encoding': 'gzip;q=0, *;q=0.5' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.headers['vary']).toBe('Accept-Encoding');
    expect(res.body.toString()).toBe(script);
  });
});

describe('compressed copies are used by what they hold, not by their timestamps', () => {
  it('sends the copy of a file copied after it (fs.cp, scp -r write the .br first)', async () => {
    const path = join(dist, 'assets', 'copied-abc123.js');
    await writeFile(path, script);
    await compressBeside(path, script);
    // The file's mtime after its copies', as a copy of dist/ that wrote the .br and .gz first leaves it.
    const later = new Date(Date.now() + 60_000);
    await utimes(path, later, later);
    for (const encoding of ['br', 'gzip']) {
      const res = await get('/assets/copied-abc123.js', { 'Accept-Encoding': encoding });
      expect(res.headers['content-encoding']).toBe(encoding);
      const body = encoding === 'br' ? brotliDecompressSync(res.body) : gunzipSync(res.body);
      expect(body.toString()).toBe(script);
    }
  });

  it('never sends a copy newer than a file that was replaced since (cp -p of an older file)', async () => {
    const path = join(dist, 'assets', 'restored-abc123.js');
    await writeFile(path, script);
    await compressBeside(path, script);
    // Asked once, so a verdict on the old pair is kept; then the file replaced, its mtime older than the copies'.
    expect((await get('/assets/restored-abc123.js', { 'Accept-Encoding': 'br' })).headers['content-encoding']).toBe('br');
    const replaced = `${script}// restored from another build\n`;
    await writeFile(path, replaced);
    const earlier = new Date(Date.now() - 3_600_000);
    await utimes(path, earlier, earlier);
    const res = await get('/assets/restored-abc123.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.toString()).toBe(replaced);
  });

  it('falls back to gzip when only the brotli copy is stale', async () => {
    const path = join(dist, 'assets', 'half-abc123.js');
    await writeFile(path, script);
    await compressBeside(path, script);
    await writeFile(`${path}.br`, Buffer.from('not brotli at all'));
    const res = await get('/assets/half-abc123.js', { 'Accept-Encoding': 'br, gzip' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).toString()).toBe(script);
  });
});

describe('the cache policy follows the file served', () => {
  it('refuses paths whose encoded slashes or dot-dots name a file other than their segments show', async () => {
    for (const path of ['/assets/..%2Fsw.js', '/assets%2F..%2Findex.html', '/assets/..%5Csw.js', '/assets/%2e%2e%2Fsw.js', '/a%00.js']) {
      const res = await get(path, { 'Accept-Encoding': 'br' });
      expect(res.status, path).toBe(404);
      expect(res.headers['cache-control'], path).toBe('no-store');
    }
  });

  it('revalidates the page of a folder, even one inside assets/', async () => {
    await mkdir(join(dist, 'assets', 'docs'), { recursive: true });
    await writeFile(join(dist, 'assets', 'docs', 'index.html'), '<title>docs</title>');
    const res = await get('/assets/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('revalidates a non-hashed file reached through dot segments', async () => {
    for (const path of ['/assets/../sw.js', '/assets/%2e%2e/sw.js', '/assets/./../index.html']) {
      const res = await get(path, { 'Accept-Encoding': 'br' });
      expect(res.status, path).toBe(200);
      expect(res.headers['cache-control'], path).toBe('no-cache');
    }
  });
});

describe('a folder asked without its trailing slash', () => {
  it('is redirected to the path with the slash, the query kept', async () => {
    await mkdir(join(dist, 'guide'), { recursive: true });
    await writeFile(join(dist, 'guide', 'index.html'), '<!doctype html><link rel="stylesheet" href="guide.css"><title>guide</title>');
    const res = await get('/guide?from=menu&x=%E6%8B%A0');
    expect(res.status).toBe(301);
    expect(res.headers['location']).toBe('/guide/?from=menu&x=%E6%8B%A0');
    const page = await get('/guide/?from=menu');
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>guide</title>');
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('is never redirected to another host (a leading "//" in the Location)', async () => {
    const res = await get('/.//guide');
    expect(res.status).toBe(301);
    expect(res.headers['location']).toBe('/guide/');
  });
});

describe('symlinks inside the served folder', () => {
  it('serves nothing whose real path is outside it', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'kyoten-outside-'));
    try {
      await writeFile(join(outside, 'secret.txt'), 'the hub signing key');
      await writeFile(join(outside, 'index.html'), '<title>outside</title>');
      await symlink(join(outside, 'secret.txt'), join(dist, 'leak.txt'));
      await symlink(outside, join(dist, 'elsewhere'));
      expect((await get('/leak.txt')).status).toBe(404);
      expect((await get('/elsewhere/secret.txt')).status).toBe(404);
      // A folder outside is not one of the app's: the unknown path gets the shell, not its page.
      const folder = await get('/elsewhere/');
      expect(folder.body.toString()).not.toContain('outside');
    } finally {
      await rm(join(dist, 'leak.txt'), { force: true });
      await rm(join(dist, 'elsewhere'), { force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('still serves one pointing at a file inside it', async () => {
    await symlink(join(dist, 'assets', 'app-abc123.js'), join(dist, 'alias.js'));
    try {
      const res = await get('/alias.js');
      expect(res.status).toBe(200);
      expect(res.body.toString()).toBe(script);
      // Cached by the URL's path, not the target's: /alias.js is not a hashed name.
      expect(res.headers['cache-control']).toBe('no-cache');
    } finally {
      await rm(join(dist, 'alias.js'), { force: true });
    }
  });
});
