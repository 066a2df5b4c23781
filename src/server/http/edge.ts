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

/** What a client's request Node could not take is answered, by Node's error code. */
function clientErrorAnswer(code: string | undefined): { readonly status: string; readonly body: string } {
  // Node's requestTimeout (the whole request) and headersTimeout (its headers): a slow line, not a broken request.
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: '408 Request Timeout', body: REQUEST_TIMEOUT };
  if (code === 'HPE_HEADER_OVERFLOW') return { status: '431 Request Header Fields Too Large', body: HEADERS_TOO_LARGE };
  return { status: '400 Bad Request', body: UNPARSABLE };
}

const REQUEST_TIMEOUT = JSON.stringify({
  error: 'bad-request',
  message: '送信に時間がかかりすぎたため、受け付けられませんでした。通信の良いところでもう一度お試しください。',
  detail: 'the request (its headers or its body) did not arrive within the server\'s time limit',
});
const HEADERS_TOO_LARGE = JSON.stringify({ error: 'bad-request', message: '送信された内容が正しくありません。', detail: 'the request headers are too large' });
const UNPARSABLE = JSON.stringify({ error: 'bad-request', message: '送信された内容が正しくありません。', detail: 'malformed HTTP request' });

/**
 * What Node's HTTP server could not take (a broken request line, headers too large, a request
 * that did not arrive in time): 400, 431 or 408 with the security headers, or nothing when the
 * socket is gone or an answer was already begun on it (as Node's own default does). Never
 * logged: it is the client's trouble, and its bytes may be anything.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  const answering = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || error.code === 'ECONNRESET' || answering?.headersSent === true) {
    socket.destroy();
    return;
  }
  const { status, body } = clientErrorAnswer(error.code);
  const headers = Object.entries({ ...SECURITY_HEADERS, ...NO_STORE, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  socket.end(`HTTP/1.1 ${status}\r\n${headers}\r\n${body}`);
}

/**
 * A log that says a thing at most once every 10 s, with how many times it came meanwhile: what
 * fails every request (a database down, a process out of file descriptors) must not flood the log.
 */
export function everyTenSeconds(log: (what: string, more: number) => void, now: () => number = () => performance.now()): (what: string) => void {
  let last = -Infinity;
  let more = 0;
  return (what) => {
    if (now() - last < 10_000) {
      more += 1;
      return;
    }
    log(what, more);
    last = now();
    more = 0;
  };
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
