/**
 * The hub server's HTTP API as the app calls it (src/protocol/sync.ts): same-origin relative URLs
 * (the PWA is served by the hub), the session cookie, the device headers, and every response
 * validated with the protocol's zod schemas. Failures come back as SyncError with Japanese words.
 */
import type { z } from 'zod';
import {
  API,
  ConflictList,
  StaffList,
  DeviceMembers,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  EnrolResponse,
  ErrorAnswer,
  PullResponse,
  PushResponse,
  SignInResponse,
  type DeviceSessionRequest,
  type EnrolRequest,
  type ResolveConflictRequest,
  type RetireDoneRequest,
  type SignInRequest,
  type WireChange,
} from '../protocol/sync';
import { HUB_KEY_PATH, RECEIPTS_HEADER, type EvidenceReceipt } from '../protocol/countersign';
import { CURSOR_MARK_HEADER } from '../protocol/cursor';
import { HubKeyInfo } from '../protocol/countersign-schema';
import { S } from './text';
import type { PullFailure } from './pull-job';
import { hubTimeOfDateHeader, type HubTimeReading } from './clock-offset';
import { fetchWithTimeLimit, REQUEST_TIME_LIMIT_MS, timeLimitFor, type TimedAnswer } from './time-limit';

export type SyncProblemCode =
  /** the browser says it has no network */
  | 'offline'
  /** the request did not reach the hub or its answer was lost */
  | 'unreachable'
  /** 5xx: the hub failed; nothing was lost, the next run sends again */
  | 'server'
  /** 401 signed-out: sign in again; queued changes stay */
  | 'signed-out'
  /** 401 on sign-in */
  | 'bad-credentials'
  /** 429 on sign-in */
  | 'throttled'
  /** 403 */
  | 'forbidden'
  | 'unknown-device'
  /** 409: the device id is enrolled in another hub */
  | 'exists'
  /** 410: the device or its user was disabled */
  | 'retired'
  /** a response that does not match the protocol: nothing of it was applied */
  | 'bad-response'
  /** 4xx to a request this app built: a bug to report */
  | 'rejected'
  /** 413: a single change larger than the hub (or its proxy) takes; it stays queued */
  | 'too-large'
  /** the hub keeps refusing a change as out of order */
  | 'gap'
  /** the device's own storage failed */
  | 'storage'
  /** settling a conflict with the other value: the record, or the place in it, is no longer there */
  | 'conflict-gone'
  /**
   * a pull page came under another scope than the run's user's: the browser's one session cookie
   * was switched by another tab's sign-in during the run; nothing of it was applied, the next run
   * tries again
   */
  | 'session-switched'
  /** another tab of this app holds the sync lock: this tab's run did not go */
  | 'busy'
  /** the queue waits at another person's change until they sign in on this device (A9) */
  | 'held'
  /**
   * the sync engine's own code could not be loaded (a tab left open while another applied an
   * update that took the old version's files away): nothing syncs until the app is reloaded
   */
  | 'not-loaded';

export class SyncError extends Error {
  override readonly name = 'SyncError';
  constructor(
    readonly code: SyncProblemCode,
    /** for the developer: status, field, what was expected */
    readonly detail = '',
    /** the hub's own Japanese words, when it sent any */
    readonly serverMessage: string | null = null,
    readonly retryAfterSeconds: number | null = null,
    /** the words shown, when more is known than the code's own (a storage failure's cause) */
    message: string = S.problem[code],
    /** the hub's id of the request (its 問い合わせ番号): the hub's log line for the answer carries it */
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

/** The header the hub sends each API request's id in, as ErrorResponse's `requestId` (docs/sync-protocol.md). */
const REQUEST_ID_HEADER = 'x-request-id';
/** Longer is not the hub's id (8 hex characters): not kept, not shown. */
const REQUEST_ID_MAX = 64;

export interface DeviceCredentials {
  readonly deviceId: string;
  readonly deviceSecret: string;
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

function codeOfError(status: number, error: ErrorAnswer | null): SyncProblemCode {
  // A 502 or 504 in a proxy's HTML (nginx with the hub process stopped, an upgrade that failed) is the
  // hub out of reach, not a fault of the hub's: the bar read 「サーバーエラー」 in red all day.
  if (status >= 500) return error === null && status !== 500 ? 'unreachable' : 'server';
  // The hub's own 413 and a proxy's (nginx answers its client_max_body_size in HTML) alike.
  if (status === 413) return 'too-large';
  // 408: the request came too slowly (A11), the line's trouble, not a bug: the next run sends again.
  if (status === 408) return 'unreachable';
  switch (error?.error) {
    case 'signed-out':
    case 'bad-credentials':
    case 'throttled':
    case 'forbidden':
    case 'unknown-device':
    case 'retired':
    case 'exists':
      return error.error;
    default:
      // A 401 or 410 without the hub's own error body is not the hub's (a hotel's or hospital's
      // Wi-Fi login page, a proxy): signing out (the password and code asked again) or wiping the
      // phone on it would be wrong. The line is the trouble; the next run asks again.
      if (status === 401 || status === 410) return error === null ? 'unreachable' : status === 401 ? 'signed-out' : 'retired';
      return 'rejected';
  }
}

const pullPath = (cursor: string, limit: number) => `${API.pull}?cursor=${encodeURIComponent(cursor)}&limit=${limit}`;

function requestInit(method: 'GET' | 'POST' | 'DELETE', body: unknown, device: DeviceCredentials | undefined): RequestInit {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (device) {
    headers[DEVICE_ID_HEADER] = device.deviceId;
    headers[DEVICE_SECRET_HEADER] = device.deviceSecret;
    // This app keeps the hub's receipts: push and pull answer with them [K5].
    headers[RECEIPTS_HEADER] = '1';
    // ...and reads the hub's mark on a pull cursor [S15].
    headers[CURSOR_MARK_HEADER] = '1';
  }
  return { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}

/**
 * A push body of this many characters or more goes gzipped (`Content-Encoding: gzip`, which the
 * hub takes on pushes): a drain after a night offline can be megabytes of JSON (1,000 household
 * edits are ~3.6 MB) on a phone's uplink. A small push is sent as it is.
 */
export const GZIP_PUSH_BYTES = 16 * 1024;

/** The text gzipped by the browser's own CompressionStream, or null where there is none. */
async function gzipped(text: string): Promise<Uint8Array<ArrayBuffer> | null> {
  if (typeof CompressionStream === 'undefined') return null;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function compressedInit(init: RequestInit): Promise<RequestInit> {
  if (typeof init.body !== 'string' || init.body.length < GZIP_PUSH_BYTES) return init;
  // A compression that fails sends the body as it is.
  const body = await gzipped(init.body).catch(() => null);
  return body === null ? init : { ...init, body, headers: { ...(init.headers as Record<string, string>), 'content-encoding': 'gzip' } };
}

const networkError = (method: string, path: string, detail: string) => new SyncError(isOffline() ? 'offline' : 'unreachable', `${method} ${path}: ${detail}`);

/**
 * An error answer as a SyncError. `headerId`: the answer's X-Request-Id, for when its body has no
 * `requestId` (an answer not in the hub's error shape); a pull job's answer brings its body alone.
 */
function statusError(method: string, path: string, status: number, text: string, headerId: string | null = null): SyncError {
  const parsed = ErrorAnswer.safeParse(safeJson(text));
  const error = parsed.success ? parsed.data : null;
  const requestId = [error?.requestId, headerId].find((id) => id !== undefined && id !== null && id !== '' && id.length <= REQUEST_ID_MAX) ?? null;
  return new SyncError(
    codeOfError(status, error),
    `${method} ${path} → ${status}${error ? ` ${error.error}: ${error.detail ?? ''}` : ''}`,
    error?.message ?? null,
    error?.retryAfterSeconds ?? null,
    undefined,
    requestId,
  );
}

/** Where the client tells what the hub's answers said its clock was (clock-offset.ts). */
export interface HubClockWatch {
  /** the device's clock, ms since the epoch */
  readonly now: () => number;
  readonly onReading: (reading: HubTimeReading) => void;
}

export class HubClient {
  /**
   * `fetchImpl`: how requests are made. `injected`: it is not the browser's own fetch (a test's
   * hub, the bench's timing), so pull jobs make their requests with it on this thread. `clock`:
   * told the hub's time from every answer that carries it (pull jobs' answers are not seen here).
   * `timeLimitMs`: how long a request may go without a sign of life (time-limit.ts), pull jobs too.
   */
  constructor(
    private readonly fetchImpl: FetchLike,
    private readonly injected = true,
    private readonly clock: HubClockWatch | null = null,
    private readonly timeLimitMs = REQUEST_TIME_LIMIT_MS,
  ) {}

  /**
   * `gzip`: a push body (compressed past GZIP_PUSH_BYTES). `hubTime`: where the answer says the
   * hub's time to the millisecond (a push's serverTime); the answer's Date header otherwise.
   */
  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S | null,
    body?: unknown,
    device?: DeviceCredentials,
    { gzip = false, hubTime }: { readonly gzip?: boolean; readonly hubTime?: (answer: z.infer<S>) => string } = {},
  ): Promise<z.infer<S>> {
    let answer: TimedAnswer;
    let sentAt = 0;
    try {
      const init = requestInit(method, body, device);
      const sent = gzip ? await compressedInit(init) : init;
      sentAt = this.clock?.now() ?? 0;
      // A request that stalls is given up, and taken for an unreachable hub (time-limit.ts).
      answer = await fetchWithTimeLimit(this.fetchImpl, path, sent, timeLimitFor(this.timeLimitMs, sent.body));
    } catch (e) {
      throw networkError(method, path, String(e));
    }
    const { response } = answer;
    const receivedAt = this.clock?.now() ?? 0;
    const dated = () => this.read(hubTimeOfDateHeader(response.headers.get('date')), 1000, sentAt, receivedAt);
    const text = await answer.text().catch(() => null);
    if (text === null) throw new SyncError('unreachable', `${method} ${path}: the answer was cut off`);
    if (!response.ok) {
      // An error answer tells the time as well as any (a busy hub's 503, an ended session's 401).
      dated();
      throw statusError(method, path, response.status, text, response.headers.get(REQUEST_ID_HEADER));
    }
    if (schema === null) {
      dated();
      return undefined as z.infer<S>;
    }
    const parsed = schema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new SyncError('bad-response', `${method} ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    if (hubTime === undefined) dated();
    else this.read(Date.parse(hubTime(parsed.data)), 0, sentAt, receivedAt);
    return parsed.data;
  }

  private read(hubTime: number | null, resolutionMs: number, sentAt: number, receivedAt: number): void {
    if (this.clock === null || hubTime === null || !Number.isFinite(hubTime)) return;
    this.clock.onReading({ hubTime, resolutionMs, sentAt, receivedAt });
  }

  signIn(request: SignInRequest) {
    return this.request('POST', API.session, SignInResponse, request);
  }

  signOut() {
    return this.request('DELETE', API.session, null);
  }

  /** A6: `proof`, the device's current secret, when it is already enrolled (a second user signs in on it). */
  enrol(request: EnrolRequest, proof?: DeviceCredentials) {
    return this.request('POST', API.devices, EnrolResponse, request, proof);
  }

  /** A8: a session for the user whose device token this is, without password or code. */
  deviceSession(device: DeviceCredentials, token: string) {
    return this.request('POST', API.deviceSession, SignInResponse, { token } satisfies DeviceSessionRequest, device);
  }

  /** `receipts`: the hub's receipts this device holds for case entries of `changes` [K4] */
  push(device: DeviceCredentials, changes: readonly WireChange[], receipts: readonly EvidenceReceipt[] = []) {
    const body = receipts.length === 0 ? { changes } : { changes, receipts };
    return this.request('POST', API.push, PushResponse, body, device, { gzip: true, hubTime: (answer) => answer.serverTime });
  }

  /** `cursor` as it travels, `<epoch>:<version>` (protocol/cursor.ts) */
  pull(device: DeviceCredentials, cursor: string, limit: number) {
    return this.request('GET', pullPath(cursor, limit), PullResponse, undefined, device);
  }

  /**
   * The same pull as a job (pull-job.ts: fetched, checked and sealed, in a worker when it can): the
   * request to make, and `fetch`, the injected fetch to make it with (none: the browser's own).
   */
  pullJob(device: DeviceCredentials, cursor: string, limit: number): { url: string; init: RequestInit; timeLimitMs: number; fetch: FetchLike | undefined } {
    return { url: pullPath(cursor, limit), init: requestInit('GET', undefined, device), timeLimitMs: this.timeLimitMs, fetch: this.injected ? this.fetchImpl : undefined };
  }

  /** A pull job's failure as the SyncError the same pull would have thrown. */
  static pullFailure(cursor: string, limit: number, failure: PullFailure): SyncError {
    const path = pullPath(cursor, limit);
    switch (failure.type) {
      case 'network':
        return networkError('GET', path, failure.detail);
      case 'http':
        return statusError('GET', path, failure.status, failure.text);
      case 'bad-response':
        return new SyncError('bad-response', `GET ${path}: ${failure.detail}`);
      case 'storage':
        return new SyncError('storage', failure.detail);
    }
  }

  retirePush(device: DeviceCredentials, changes: readonly WireChange[]) {
    return this.request('POST', API.retirePush, PushResponse, { changes }, device, { gzip: true, hubTime: (answer) => answer.serverTime });
  }

  /** The retire push answered everything: this device wipes now (the hub shows it 'wiped'). */
  retireDone(device: DeviceCredentials, refused: number) {
    return this.request('POST', API.retireDone, null, { refused } satisfies RetireDoneRequest, device);
  }

  /** The hub's public key (its receipts are checked against it); 404 from a hub that signs nothing. */
  hubKey(device: DeviceCredentials) {
    return this.request('GET', HUB_KEY_PATH, HubKeyInfo, undefined, device);
  }

  /** The hub's users to pick a household's 担当 from (names, roles, offices). */
  staff(device: DeviceCredentials) {
    return this.request('GET', API.staff, StaffList, undefined, device);
  }

  /** [A10] Who of this device's people the hub has stopped; 404 from a hub from before it. */
  members(device: DeviceCredentials) {
    return this.request('GET', API.members, DeviceMembers, undefined, device);
  }

  conflicts(device: DeviceCredentials) {
    return this.request('GET', API.conflicts, ConflictList, undefined, device);
  }

  resolveConflict(device: DeviceCredentials, id: string, choice: ResolveConflictRequest['choice']) {
    return this.request('POST', `${API.conflicts}/${encodeURIComponent(id)}/resolve`, null, { choice } satisfies ResolveConflictRequest, device);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
