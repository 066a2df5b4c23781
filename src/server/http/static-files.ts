/**
 * Serves the built app (dist/). Hashed assets are cached for a year; index.html, the service
 * worker and the manifest are revalidated on every load (ETag, 304) so a new version is noticed.
 * Text files go compressed when the browser takes it: the brotli or gzip copy made at build time
 * (precompress.ts) beside the file, never compressed per request.
 */
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { extname, join, normalize, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from './security-headers';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const ALWAYS_REVALIDATE = new Set(['/index.html', '/sw.js', '/manifest.webmanifest', '/registerSW.js']);

export function createStaticHandler(root: string) {
  const rootWithSep = root.endsWith(sep) ? root : root + sep;

  async function resolveFile(urlPath: string): Promise<{ path: string; served: string; info: Stats } | null> {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    const candidate = normalize(join(root, decoded));
    if (!candidate.startsWith(rootWithSep) && candidate !== root) return null;
    try {
      const info = await stat(candidate);
      if (info.isFile()) return { path: candidate, served: decoded, info };
      if (info.isDirectory()) {
        const index = join(candidate, 'index.html');
        const indexInfo = await stat(index);
        if (indexInfo.isFile()) return { path: index, served: '/index.html', info: indexInfo };
      }
    } catch {
      // fall through to the SPA fallback below
    }
    return null;
  }

  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let file = await resolveFile(url.pathname);
    // The app routes with the hash, but any unknown path without an extension gets the shell.
    if (!file && extname(url.pathname) === '') file = await resolveFile('/index.html');
    if (!file) return notFound(res);
    const type = TYPES[extname(file.path)] ?? 'application/octet-stream';
    const cache = ALWAYS_REVALIDATE.has(file.served) || !file.served.startsWith('/assets/')
      ? 'no-cache'
      : 'public, max-age=31536000, immutable';
    const variant = await pickVariant(file.path, file.info, req.headers['accept-encoding']);
    const etag = entityTag(variant.info, variant.encoding);
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache, ETag: etag };
    // Every file that has compressed copies is answered by encoding: caches must keep them apart.
    if (variant.compressible) headers.Vary = 'Accept-Encoding';
    if (variant.encoding !== null) headers['Content-Encoding'] = variant.encoding;
    if (matches(req.headers['if-none-match'], etag)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'Content-Length': String(variant.info.size) });
      res.end();
      return;
    }
    // Opened before the answer starts: a file removed since it was found (a build emptying dist/)
    // is a 404, and one replaced while it is sent is still sent whole from its descriptor. No more than the length said is read, even of a file still being written (a
    // longer body would be read as the start of the next answer on a kept-alive connection). The
    // descriptor is closed however the answer ends (a phone that goes away midway included); a
    // read that fails midway ends the connection, as an unheard stream error would stop the server.
    const handle = await open(variant.path).catch(() => null);
    if (handle === null) return notFound(res);
    let size: number;
    try {
      size = (await handle.stat()).size;
    } catch (error) {
      await handle.close();
      throw error;
    }
    res.writeHead(200, { ...headers, 'Content-Length': String(size) });
    if (size === 0) {
      await handle.close();
      res.end();
      return;
    }
    pipeline(handle.createReadStream({ start: 0, end: size - 1 }), res, () => undefined);
  };
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('見つかりません (404)');
}

type Encoding = 'br' | 'gzip';
const SUFFIX: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };

interface Variant {
  readonly path: string;
  readonly info: Stats;
  readonly encoding: Encoding | null;
  /** a compressed copy of the file exists (so the answer depends on Accept-Encoding) */
  readonly compressible: boolean;
}

/**
 * The smallest copy the browser accepts: brotli, then gzip, then the file itself. A copy older than
 * its file (the file was edited or replaced after the build) is never sent: it would be stale.
 */
async function pickVariant(path: string, original: Stats, acceptEncoding: string | string[] | undefined): Promise<Variant> {
  const accepted = acceptedEncodings(acceptEncoding);
  let compressible = false;
  let chosen: Variant | null = null;
  for (const encoding of ['br', 'gzip'] as const) {
    const info = await stat(path + SUFFIX[encoding]).catch(() => null);
    if (info === null || !info.isFile() || info.mtimeMs < original.mtimeMs) continue;
    compressible = true;
    if (chosen === null && accepted.has(encoding)) chosen = { path: path + SUFFIX[encoding], info, encoding, compressible: true };
  }
  return chosen ?? { path, info: original, encoding: null, compressible };
}

/** Encodings named in Accept-Encoding without q=0 (`*` counts for both). */
export function acceptedEncodings(header: string | string[] | undefined): Set<Encoding> {
  const out = new Set<Encoding>();
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const part of text.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (q !== undefined && Number(q) === 0) continue;
    if (name === 'br' || name === '*') out.add('br');
    if (name === 'gzip' || name === 'x-gzip' || name === '*') out.add('gzip');
  }
  return out;
}

/** Weak validator from size and time: cheap, and it changes with every build of the file. */
function entityTag(info: Stats, encoding: Encoding | null): string {
  return `W/"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}${encoding === null ? '' : `-${encoding}`}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const strip = (t: string) => t.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || strip(t) === strip(etag));
}
