/**
 * Serves the built app (dist/). Hashed assets are cached for a year; index.html, the service
 * worker and the manifest are revalidated on every load so a new version is noticed.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
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

  async function resolveFile(urlPath: string): Promise<{ path: string; served: string } | null> {
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
      if (info.isFile()) return { path: candidate, served: decoded };
      if (info.isDirectory()) {
        const index = join(candidate, 'index.html');
        if ((await stat(index)).isFile()) return { path: index, served: '/index.html' };
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
    if (!file) {
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('見つかりません (404)');
      return;
    }
    const type = TYPES[extname(file.path)] ?? 'application/octet-stream';
    const cache = ALWAYS_REVALIDATE.has(file.served) || !file.served.startsWith('/assets/')
      ? 'no-cache'
      : 'public, max-age=31536000, immutable';
    res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': cache });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file.path).pipe(res);
  };
}
