/**
 * What every request meets first, whatever its path and whatever becomes of it: the security
 * headers (HSTS too when it came over TLS, directly or through a proxy we trust), and a check
 * of the request target, so a malformed URL or percent-encoding is a 400, never a 500 [A11].
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { NO_STORE, SECURITY_HEADERS } from './security-headers';

/** One year, and the hub's subdomains: a hub that has TLS keeps it. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000; includeSubDomains';

/** Over TLS to this process, or (TRUST_PROXY=1) to the proxy in front, as its X-Forwarded-Proto says. */
export function cameOverTls(req: IncomingMessage, trustProxy: boolean): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted === true) return true;
  if (!trustProxy) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

/** Sets the security headers before anything else answers, so every status carries them. */
export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  if (cameOverTls(req, trustProxy)) res.setHeader('Strict-Transport-Security', STRICT_TRANSPORT_SECURITY);
}

/**
 * The request's path, checked: origin-form ("/…"), or an absolute URL (rewritten to its path),
 * that parses and whose percent-encoding decodes. Null when it does not: the caller answers 400.
 */
export function checkedTarget(req: IncomingMessage): string | null {
  const raw = req.url ?? '';
  let url: URL;
  try {
    if (raw.startsWith('/')) url = new URL(raw, 'http://localhost');
    else if (/^https?:\/\//i.test(raw)) url = new URL(raw);
    else return null;
    decodeURIComponent(url.pathname);
    decodeURIComponent(url.search);
  } catch {
    return null;
  }
  if (!raw.startsWith('/')) req.url = url.pathname + url.search;
  return url.pathname;
}

const BAD_TARGET = JSON.stringify({ error: 'bad-request', message: '送信された内容が正しくありません。', detail: 'malformed request target or percent-encoding' });

export function answerBadTarget(res: ServerResponse): void {
  res.writeHead(400, { ...NO_STORE, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(BAD_TARGET)), Connection: 'close' });
  res.end(BAD_TARGET);
}

/**
 * What Node's HTTP parser could not read (a broken request line, a header too large): a 400 with
 * the security headers, or nothing when the socket is already gone. Never logged: it is the
 * client's trouble, and its bytes may be anything.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable || error.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const headers = Object.entries({ ...SECURITY_HEADERS, ...NO_STORE, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(BAD_TARGET)), Connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status}\r\n${headers}\r\n${BAD_TARGET}`);
}

/**
 * A line for the server's log about a failure it did not expect: where, the error's class and
 * code and its stack frames, never its message (a database error can quote the data it choked on).
 */
export function failureLogLine(where: string, error: unknown): string {
  if (!(error instanceof Error)) return `${where} failed: ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  const frames = (error.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 8).join('\n');
  return `${where} failed: ${error.name}${typeof code === 'string' ? ` (${code})` : ''}\n${frames}`;
}
