/**
 * Serves the built app (dist/). Hashed assets are cached for a year; index.html, the service
 * worker and the manifest are revalidated on every load (ETag, 304) so a new version is noticed.
 * Text files go compressed when the browser takes it: the brotli or gzip copy made at build time
 * (precompress.ts) beside the file, never compressed per request, and only once it is known to
 * decode to the file as it now is.
 */
import type { Stats } from 'node:fs';
import { open, readFile, realpath, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip } from 'node:zlib';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import Negotiator from 'negotiator';
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

/** Paths relative to the root, '/' between folders. */
const ALWAYS_REVALIDATE = new Set(['index.html', 'sw.js', 'manifest.webmanifest', 'registerSW.js']);
const IMMUTABLE_FOLDER = 'assets/';

interface Found {
  /** the file's real path (symlinks followed), which is opened */
  readonly path: string;
  /** its path as the URL names it, relative to the root: the cache policy and the type go by it */
  readonly served: string;
  readonly info: Stats;
}

export function createStaticHandler(root: string) {
  const base = resolve(root);
  const isCopyOf = createCopyCheck();

  /**
   * The file at a path relative to the root, or the index.html of the folder there, or null. Only a file
   * whose real path is inside the root's real path is served: a symlink in dist/ pointing out of
   * it (to /etc, to the hub's data folder) must not publish what it points at. The root's real
   * path is read each time, so a dist/ that is a symlink switched to a new release is followed.
   */
  async function find(rel: string): Promise<{ readonly file: Found; readonly folder: boolean } | null> {
    const candidate = join(base, rel);
    try {
      const [realRoot, real] = await Promise.all([realpath(base), realpath(candidate)]);
      if (!inside(realRoot, real)) return null;
      const info = await stat(real);
      if (info.isFile()) return { file: { path: real, served: rel, info }, folder: false };
      if (info.isDirectory()) {
        const index = await find(rel === '' ? 'index.html' : `${rel}/index.html`);
        return index === null || index.folder ? null : { file: index.file, folder: true };
      }
    } catch {
      // missing, or not readable: the SPA fallback below
    }
    return null;
  }

  return async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const target = relativeTarget(url.pathname);
    if (target === null) return notFound(res);
    let found = await find(target.rel);
    // A folder's page is served at the path ending in '/', so its relative links resolve inside it
    // (/guide/guide.css, not /guide.css). The Location is built from the checked segments, never
    // from the raw path: a '//host' there would send the browser to another site.
    if (found?.folder === true && !target.folder) return redirect(res, `/${encodePath(target.rel)}/${url.search}`);
    // The app routes with the hash, but any unknown path without an extension gets the shell.
    if (found === null && extname(target.rel) === '') found = await find('index.html');
    if (found === null) return notFound(res);
    const { file } = found;
    const type = TYPES[extname(file.served)] ?? 'application/octet-stream';
    // Decided on the path served, relative to the root, which is the URL's own path once refused
    // paths are out; a folder's page is never a hashed name, wherever the folder is.
    const hashed = file.served.startsWith(IMMUTABLE_FOLDER) && !ALWAYS_REVALIDATE.has(file.served) && !found.folder;
    const cache = hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
    const variant = await pickVariant(file, req.headers['accept-encoding'], isCopyOf);
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

/**
 * The path a request names, relative to the root ('' for the root itself), and whether it ended in
 * '/'. Null when it is refused: an encoded '/' or '\' (%2F, %5C), or a '..' left after URL parsing
 * (only an encoded one survives it). Such a path names a file other than the one its segments show,
 * so a caching decision made on the URL would apply to another file (`/assets/..%2Fsw.js` is sw.js,
 * which must never be cached for a year). No browser asks for one; they are answered 404, as a
 * name no file has.
 */
function relativeTarget(pathname: string): { readonly rel: string; readonly folder: boolean } | null {
  if (/%2f|%5c|%00/i.test(pathname)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '.' || s === '..')) return null;
  return { rel: segments.join('/'), folder: decoded.endsWith('/') };
}

function inside(realRoot: string, real: string): boolean {
  const rel = relative(realRoot, real);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function encodePath(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}

function redirect(res: ServerResponse, location: string): void {
  // Permanent: the folder's address is the one with '/'. No body a browser would show.
  res.writeHead(301, { ...SECURITY_HEADERS, Location: location, 'Cache-Control': 'no-cache', 'Content-Length': '0' });
  res.end();
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

type CopyCheck = (copy: string, copyInfo: Stats, encoding: Encoding, original: Found) => Promise<boolean>;

/**
 * The copy the browser prefers (RFC 9110 §12.5.3; brotli before gzip before the file at equal q)
 * among those that decode to the file as it now is. A copy that does not (the file edited or
 * replaced after the build) is skipped for the next one: it would be stale. When the browser
 * refuses even the file itself (`identity;q=0`) and no copy it takes is good, the file goes as it
 * is, which RFC 9110 allows and which every client can read.
 */
async function pickVariant(file: Found, acceptEncoding: string | string[] | undefined, isCopyOf: CopyCheck): Promise<Variant> {
  const copies = new Map<Encoding, Stats>();
  for (const encoding of ['br', 'gzip'] as const) {
    const info = await stat(file.path + SUFFIX[encoding]).catch(() => null);
    if (info !== null && info.isFile()) copies.set(encoding, info);
  }
  const compressible = copies.size > 0;
  for (const encoding of preferredEncodings(acceptEncoding, [...copies.keys()])) {
    if (encoding === 'identity') break;
    const info = copies.get(encoding)!;
    const path = file.path + SUFFIX[encoding];
    if (await isCopyOf(path, info, encoding, file)) return { path, info, encoding, compressible };
  }
  return { path: file.path, info: file.info, encoding: null, compressible };
}

/**
 * The codings of `available` (and 'identity', the file as it is) that an Accept-Encoding header
 * accepts, best first: by q; a coding named in the header counts over `*`; q=0 refuses; identity
 * is acceptable unless refused; at equal q brotli, then gzip, then identity. No header: identity
 * only. Negotiation is negotiator's (express's), which follows RFC 9110 §12.5.3.
 */
export function preferredEncodings(
  header: string | string[] | undefined,
  available: readonly Encoding[] = ['br', 'gzip'],
): (Encoding | 'identity')[] {
  const text = Array.isArray(header) ? header.join(', ') : header;
  const negotiator = new Negotiator({ headers: { 'accept-encoding': text } });
  // negotiator 1.x takes { preferred } to order codings of equal q; its types (@types/negotiator
  // 0.6) predate that argument.
  const encodings = negotiator.encodings as (this: Negotiator, offered: readonly string[], options: { preferred: readonly string[] }) => string[];
  return encodings.call(negotiator, [...available, 'identity'], { preferred: PREFERENCE }) as (Encoding | 'identity')[];
}

const PREFERENCE = ['br', 'gzip', 'identity'] as const;


const DECOMPRESS: Readonly<Record<Encoding, (body: Buffer, options: { maxOutputLength: number }) => Promise<Buffer>>> = {
  br: promisify(brotliDecompress),
  gzip: promisify(gunzip),
};

/** Kept verdicts; dist/ holds a few hundred files, and this bounds what years of rebuilds leave. */
const MAX_VERDICTS = 10_000;

/**
 * Whether a compressed copy decodes to its file, checked once per pair of file versions (their
 * inode, size, mtime and ctime) by decompressing it in libuv's pool and comparing the bytes: a
 * few ms for the app's largest chunk, paid by the first request for it. Timestamps alone cannot
 * tell: a copy made by fs.cp or `scp -r` may be written before or after its file, whatever the
 * order of the build. A verdict reached while either file changed is not kept (a build writing
 * dist/ in place), and such a copy is not used that time.
 */
function createCopyCheck(): CopyCheck {
  const verdicts = new Map<string, { readonly key: string; readonly verdict: Promise<boolean> }>();
  return (copy, copyInfo, encoding, original) => {
    const key = `${version(original.info)} ${version(copyInfo)}`;
    const known = verdicts.get(copy);
    if (known !== undefined && known.key === key) return known.verdict;
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    const verdict = decodesTo(copy, encoding, original).then(async (same) => {
      const [copyNow, originalNow] = await Promise.all([stat(copy), stat(original.path)]).catch(() => [null, null]);
      const unchanged = copyNow !== null && originalNow !== null && `${version(originalNow)} ${version(copyNow)}` === key;
      if (!unchanged && verdicts.get(copy)?.verdict === verdict) verdicts.delete(copy);
      return same && unchanged;
    });
    verdicts.set(copy, { key, verdict });
    return verdict;
  };
}

async function decodesTo(copy: string, encoding: Encoding, original: Found): Promise<boolean> {
  try {
    const [compressed, body] = await Promise.all([readFile(copy), readFile(original.path)]);
    // One byte more than the file is enough to tell a longer copy, and stops a copy that would
    // inflate without end.
    const decoded = await DECOMPRESS[encoding](compressed, { maxOutputLength: body.length + 1 });
    return decoded.equals(body);
  } catch {
    return false; // unreadable, removed, or not valid brotli/gzip: not a copy of the file
  }
}

function version(info: Stats): string {
  return `${info.dev}:${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
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
