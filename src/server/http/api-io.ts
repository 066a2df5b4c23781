/**
 * Reading API requests and writing API answers: bodies capped (SMALL_BODY_BYTES, a push MAX_BODY_BYTES) before parsing,
 * JSON only, zod-checked; every answer JSON, never cached, with the security headers.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliCompressSync, constants as zlibConstants, createGunzip, gzipSync } from 'node:zlib';
import type { z } from 'zod';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE, type ErrorResponse } from '../../protocol/sync';
import { ServiceError } from '../services/errors';
import type { Gate } from '../services/gate';
import { unstorableText } from '../services/storable-text';
import { NO_STORE, SECURITY_HEADERS } from './security-headers';
import { preferredEncodings } from './static-files';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  sendJsonParts(res, status, [JSON.stringify(body)], headers);
}

/**
 * A JSON answer given in pieces (a pull page's records as PostgreSQL's bytes between its text),
 * written as they are, with the headers of every JSON answer.
 */
export function sendJsonParts(res: ServerResponse, status: number, parts: readonly (string | Buffer)[], headers: Record<string, string | string[]> = {}): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...NO_STORE,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(parts.reduce((n, part) => n + Buffer.byteLength(part), 0)),
    ...headers,
  });
  res.cork();
  for (const part of parts.slice(0, -1)) res.write(part);
  res.end(parts.at(-1));
}

/** Below this an answer goes as it is: compressing a few hundred bytes saves nothing on any line. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * sendJsonParts, compressed when the client accepts it and the answer is worth it: brotli at
 * quality 1, else gzip at level 1, both fast settings (a pull page of 2,000 households, 7.8 MB of
 * JSON, is ~0.7 MB in brotli and takes ~15 ms; docs/performance.md, Sync, "pull pages compressed").
 * For pull pages: a first sync of 10,000 households is ~41 MB as JSON, minutes on a phone line. It
 * runs here, on the event loop: in libuv's thread pool the answers waiting for a thread held their
 * pages, and the hub's memory under load nearly doubled for no less CPU. Answers that carry a
 * secret (a session, a device secret) are not sent through here: an attacker who can put text
 * beside a secret in a compressed answer can learn it from the answer's size (BREACH).
 */
export function sendJsonPartsCompressed(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  parts: readonly (string | Buffer)[],
  headers: Record<string, string | string[]> = {},
): void {
  const varied = { ...headers, Vary: 'Accept-Encoding' };
  // The request's best coding by its q values (brotli first at equal q), as for the app's files.
  const best = preferredEncodings(req.headers['accept-encoding'])[0];
  const encoding = best === 'br' || best === 'gzip' ? best : null;
  const size = parts.reduce((n, part) => n + Buffer.byteLength(part), 0);
  if (encoding === null || size < COMPRESS_MIN_BYTES) return sendJsonParts(res, status, parts, varied);
  const body = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : part)), size);
  const compressed =
    encoding === 'br'
      ? brotliCompressSync(body, {
          params: {
            [zlibConstants.BROTLI_PARAM_QUALITY]: 1,
            [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
            [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        })
      : gzipSync(body, { level: 1 });
  sendJsonParts(res, status, [compressed], { ...varied, 'Content-Encoding': encoding });
}

/** The header every API answer carries its request id in (docs/sync-protocol.md, Errors). */
export const REQUEST_ID_HEADER = 'X-Request-Id';

const requestIds = new WeakMap<IncomingMessage, string>();

/**
 * Gives an API request its id: 8 hex characters, sent in X-Request-Id on whatever answers it and
 * in an error's body (`requestId`), and written in the hub's log line for a refusal or a failure.
 * The phone shows it as 問い合わせ番号, which the admin finds in the log. Random, not counted: it says
 * nothing of how many requests the hub has had, and two processes behind one proxy do not repeat
 * each other's ids from their start (a repeat among 4 billion only costs a second look at the time).
 */
export function startRequest(req: IncomingMessage, res: ServerResponse): string {
  const id = randomBytes(4).toString('hex');
  requestIds.set(req, id);
  // set now, so every answer written later carries it (writeHead merges headers set before)
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The request's id (startRequest), for an error body; undefined for a request that got none. */
export const requestIdOf = (req: IncomingMessage): string | undefined => requestIds.get(req);

/** The detail an error answer carries: a refused session cookie (sessionToken) says why it was refused. */
function answeredDetail(req: IncomingMessage, error: ServiceError): string | undefined {
  // A session cookie refused (sessionToken) is what signed the request out: say so, not "no session cookie".
  return (error.code === 'signed-out' ? refusedCookies.get(req) : undefined) ?? error.detail;
}

/**
 * Refusals whose detail quotes what the client sent (JSON.parse quotes the body's first
 * characters: `Unexpected token '佐', "佐藤花子…" is not valid JSON`), with the words the log
 * writes in its place. The client is answered with the detail as it is: the text is its own.
 */
const quotesClient = new WeakMap<ServiceError, string>();

/** badRequest whose detail quotes the client's text: logged as `logged` alone. */
function badRequestQuoting(detail: string, logged: string): ServiceError {
  const error = badRequest(detail);
  quotesClient.set(error, logged);
  return error;
}

/**
 * The detail of an error answer as the hub's log writes it: the answer's own, except where it can
 * quote what the client sent (quotesClient), never a record's value or a login typed. Every other
 * detail the hub builds names fields, ids, limits, SQLSTATEs and headers' names; zod's messages
 * name a field and the type or values expected, never the value received (api.test.ts holds it).
 */
export function loggedDetail(req: IncomingMessage, error: ServiceError): string | undefined {
  return quotesClient.get(error) ?? answeredDetail(req, error);
}

export function sendError(res: ServerResponse, error: ServiceError, headers: Record<string, string | string[]> = {}): void {
  const detail = answeredDetail(res.req, error);
  const requestId = requestIdOf(res.req);
  const body: ErrorResponse = {
    error: error.code,
    message: error.message,
    ...(detail === undefined ? {} : { detail }),
    ...(error.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    ...(requestId === undefined ? {} : { requestId }),
  };
  const retry: Record<string, string> = error.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(error.retryAfterSeconds) };
  sendJson(res, error.status, body, { ...retry, ...headers });
}

export const badRequest = (detail: string) => new ServiceError('bad-request', '送信された内容が正しくありません。', detail);
const tooLarge = (max: number) => new ServiceError('too-large', '送信する内容が大きすぎます。', `the body is over ${max} bytes`);

/**
 * The cap of a body that is not a push: sign-in, enrolment, conflict resolution are a few hundred
 * bytes, and sign-in is read before anyone is known, so it may not make the server hold megabytes.
 */
export const SMALL_BODY_BYTES = 16 * 1024;

export interface BodyLimits {
  /** default SMALL_BODY_BYTES; a push or retire push: MAX_BODY_BYTES */
  readonly maxBytes?: number;
  /**
   * A push: a NUL or a lone surrogate in one change is refused with that change alone by the sync
   * service. Anything else refuses the whole body with 400, before it reaches the database [A2].
   */
  readonly perChangeText?: boolean;
  /** bodies read at once (a large body waits for a slot, or gets 503 when the queue is full) */
  readonly gate?: Gate;
  /**
   * A push: the body may come gzipped (`Content-Encoding: gzip`, the app's pushes over a few KB),
   * `maxBytes` then bounding it both as sent and as unpacked. Any other body must come as it is.
   */
  readonly gzip?: boolean;
  /** a push: what the body holds once read counts against this until its request is answered */
  readonly held?: HeldBodies;
}

/**
 * The characters of bodies read and not yet answered. A push's body slot (the gate above) is given
 * back once it is read, and the parsed body then waits for the database; a few kilobytes of gzip
 * unpack to 8 MiB, so the bodies waiting there, not the ones being read, are what memory must bound.
 * A body past the bound is turned away with 503 (the device sends it again); one body alone is
 * always taken.
 */
export class HeldBodies {
  private used = 0;
  private readonly byRequest = new WeakMap<IncomingMessage, number>();
  constructor(readonly limit: number) {}
  /** false when `size` more would pass the bound */
  take(req: IncomingMessage, size: number): boolean {
    if (this.used > 0 && this.used + size > this.limit) return false;
    this.used += size;
    this.byRequest.set(req, (this.byRequest.get(req) ?? 0) + size);
    return true;
  }
  /** gives back what the request held, once it is answered (or failed) */
  release(req: IncomingMessage): void {
    const size = this.byRequest.get(req);
    if (size === undefined) return;
    this.used -= size;
    this.byRequest.delete(req);
  }
  get size(): number {
    return this.used;
  }
}

const busyReading = () =>
  new ServiceError('unavailable', 'サーバーが混み合っています。少し待ってからもう一度お試しください。', 'too many request bodies being read', 2);

/**
 * Bytes that are not UTF-8 are refused, not read as U+FFFD: a name or a note would be stored
 * garbled, and answered as accepted [A2]. A BOM is kept, so JSON.parse refuses it as before.
 */
const utf8Text = (bytes: Uint8Array): string => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);

/**
 * The body as text (UTF-8, else 400), refused with 413 past `max` bytes (by Content-Length or as it arrives, and
 * unpacked when it comes gzipped: a small body that unpacks to gigabytes stops at `max`).
 */
function readBody(req: IncomingMessage, max: number, gzipTaken: boolean): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.reject(tooLarge(max));
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const gzipped = encoding === 'gzip';
  if (encoding !== 'identity' && !(gzipped && gzipTaken)) {
    return Promise.reject(badRequest(`Content-Encoding "${encoding}" is not taken here (${gzipTaken ? 'gzip or none' : 'none'})`));
  }
  // A body that waited for a slot may have lost its client meanwhile: its 'close' has been and gone.
  if (req.destroyed) return Promise.reject(badRequest('the connection closed'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let sent = 0;
    let failed = false;
    const gunzip = gzipped ? createGunzip() : null;
    const stop = (error: ServiceError) => {
      failed = true;
      chunks.length = 0;
      gunzip?.destroy();
      reject(error);
    };
    const take = (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > max) return stop(tooLarge(max));
      chunks.push(chunk);
    };
    const done = () => {
      if (failed) return;
      let text: string;
      try {
        text = utf8Text(Buffer.concat(chunks));
      } catch {
        return stop(badRequest('the body is not valid UTF-8 (JSON text must be UTF-8)'));
      }
      failed = true;
      resolve(text);
    };
    const broken = (why: string) => {
      if (!failed) stop(badRequest(`the body could not be read: ${why}`));
    };
    if (gunzip === null) {
      req.on('data', take);
      req.on('end', done);
    } else {
      gunzip.on('data', take);
      gunzip.on('end', done);
      gunzip.on('error', (error) => {
        if (!failed) stop(badRequest(`the body is not valid gzip: ${error.message}`));
      });
      req.on('data', (chunk: Buffer) => {
        if (failed) return;
        sent += chunk.length;
        if (sent > max) return stop(tooLarge(max));
        gunzip.write(chunk);
      });
      req.on('end', () => {
        if (!failed) gunzip.end();
      });
    }
    req.on('error', (error) => broken(error.message));
    // A client that goes away mid-body frees its slot now, not when a timeout notices. (A body
    // read to its end may still be unpacking when the request closes.)
    req.on('close', () => {
      if (!req.complete) broken('the connection closed');
    });
  });
}

/**
 * `read` through the gate. A request whose client goes away while it waits (a phone whose line
 * died, one closed to make way for its device's next push) leaves the queue then, so the places
 * it held are not kept for the dead until their turn.
 */
async function readInTurn<T>(req: IncomingMessage, gate: Gate, read: () => Promise<T>): Promise<{ readonly value: T } | null> {
  const gone = new AbortController();
  const abandon = () => gone.abort();
  req.once('close', abandon);
  try {
    return await gate.run(read, gone.signal);
  } finally {
    req.off('close', abandon);
  }
}

/** The JSON body checked against a schema: 400 with the failing path in `detail`. */
export async function readJson<T extends z.ZodType>(req: IncomingMessage, schema: T, limits: BodyLimits = {}): Promise<z.infer<T>> {
  const type = String(req.headers['content-type'] ?? '');
  // JSON only: a form posted from another site (which SameSite=Strict already stops) cannot be JSON.
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw badRequest(`Content-Type must be application/json, got "${type}"`);
  }
  const max = limits.maxBytes ?? SMALL_BODY_BYTES;
  let text: string;
  const gzipTaken = limits.gzip === true;
  if (limits.gate === undefined) text = await readBody(req, max, gzipTaken);
  else {
    const read = await readInTurn(req, limits.gate, () => readBody(req, max, gzipTaken));
    if (read === null) throw busyReading();
    text = read.value;
  }
  if (limits.held !== undefined && !limits.held.take(req, text.length)) throw busyReading();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequestQuoting(`the body is not JSON: ${(error as Error).message}`, 'the body is not JSON');
  }
  if (limits.perChangeText !== true) {
    const bad = unstorableText(value);
    if (bad !== null) throw badRequest(`${bad}: text contains a NUL or a lone surrogate`);
  }
  return parse(schema, value);
}

export function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const detail = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length === 0 ? '(body)' : i.path.join('.')}: ${i.message}`)
    .join('; ');
  throw badRequest(detail);
}

/**
 * The session cookie's name for this request (A5). Over https, `__Host-kyoten_session`: a browser
 * takes a cookie of that name only from the hub's own host, never with a Domain, so another host of
 * the same domain (one of the city's other sites, with a hole in it) cannot plant one beside the
 * phone's, and sign it out at every call until it ran out (two are refused, sessionToken). Over
 * plain http the prefix cannot be had (it needs Secure): `kyoten_session`, on localhost and in tests.
 */
function sessionCookieName(req: IncomingMessage): string {
  return isHttps(req) ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The values of the cookies named `name` in a Cookie header, in the order sent. */
function cookieValues(header: string | undefined, name: string): string[] {
  const values: string[] = [];
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) values.push(part.slice(eq + 1).trim());
  }
  return values;
}

/**
 * Why the session cookie a request sent was not taken, for its 401's detail (sendError): the
 * account service, which sees no cookie, would say "no session cookie", and the operator reading
 * the answer of a phone that keeps failing would look for the wrong fault.
 */
const refusedCookies = new WeakMap<IncomingMessage, string>();

/**
 * The session cookie's token: the one cookie of the name that fits the request (sessionCookieName).
 * Two of that name mean one was planted beside the one set at sign-in (over http, from a sibling
 * host or a page altered in transit, with a narrower Path; the browser sends it first): neither is
 * taken, so a planted session is never used (session fixation). Over https a `kyoten_session`
 * cookie is not read at all, whoever set it: a phone signed in before the hub named its cookie
 * `__Host-` is answered 401 once, and the app opens its session again with its device token (A8),
 * which sets the new name and clears the old.
 */
export function sessionToken(req: IncomingMessage): string | undefined {
  const name = sessionCookieName(req);
  const tokens = cookieValues(req.headers.cookie, name);
  if (tokens.length > 1) {
    refusedCookies.set(req, `two session cookies were sent (${name}): neither is taken, one may have been planted by another site (A5)`);
  } else if (tokens.length === 0 && name !== SESSION_COOKIE && cookieValues(req.headers.cookie, SESSION_COOKIE).length > 0) {
    const why = 'one from before the hub named it so, or planted by another site: A5';
    refusedCookies.set(req, `over https the session cookie is ${name}; the ${SESSION_COOKIE} cookie sent is not read (${why})`);
  }
  return tokens.length === 1 ? tokens[0] : undefined;
}

/**
 * Secure when the request came over https, directly or through a TLS proxy in front. The proxy's
 * X-Forwarded-Proto is read whether or not TRUST_PROXY is set (which governs HSTS and the client's
 * address): a Secure cookie over plain http is never set by a browser anyway, so a client that
 * claims https there only fails its own sign-in.
 */
function isHttps(req: IncomingMessage): boolean {
  const forwarded = String(req.headers['x-forwarded-proto'] ?? '').split(',')[0]!.trim().toLowerCase();
  return (req.socket as { encrypted?: boolean }).encrypted === true || forwarded === 'https';
}

const cookieAttributes = (req: IncomingMessage, maxAgeSeconds: number): string[] => [
  'HttpOnly',
  'SameSite=Strict',
  'Path=/',
  `Max-Age=${maxAgeSeconds}`,
  ...(isHttps(req) ? ['Secure'] : []),
];

/**
 * Over https, the cookie of the old name cleared beside the new one: a phone signed in before the
 * hub named its cookie `__Host-` would otherwise keep sending it, unread, until it ran out.
 */
const oldNameCleared = (req: IncomingMessage): string[] =>
  isHttps(req) ? [[`${SESSION_COOKIE}=`, ...cookieAttributes(req, 0)].join('; ')] : [];

/** The Set-Cookie headers of a session opened (sign-in, a device-token session). */
export function sessionCookie(req: IncomingMessage, token: string, maxAgeSeconds: number): string[] {
  return [[`${sessionCookieName(req)}=${token}`, ...cookieAttributes(req, maxAgeSeconds)].join('; '), ...oldNameCleared(req)];
}

/** The Set-Cookie headers of a sign-out: the session cookie cleared, under both names over https. */
export function clearedCookie(req: IncomingMessage): string[] {
  return [[`${sessionCookieName(req)}=`, ...cookieAttributes(req, 0)].join('; '), ...oldNameCleared(req)];
}

export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The client's network address for the sign-in throttle. Behind a TLS proxy (TRUST_PROXY=1) it is
 * the last address the proxy added to X-Forwarded-For; otherwise the socket's (a client could
 * write any X-Forwarded-For it likes, so it is not read then).
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    const forwarded = header(req, 'x-forwarded-for');
    const last = forwarded?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? undefined;
}
