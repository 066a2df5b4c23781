/**
 * The sync API under /api (docs/sync-protocol.md): parse, call a service, answer. Bad data from a
 * client always gets a 4xx with a reason; a 5xx means the server itself failed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { CURSOR_MARK_HEADER, PULL_NEXT_HEADER, formatCursor, parseCursor, type Cursor } from '../../protocol/cursor';
import {
  API,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  DeviceSessionRequest,
  EnrolRequest,
  MAX_BODY_BYTES,
  MAX_PULL_LIMIT,
  PushRequest,
  ResolveConflictRequest,
  RetireDoneRequest,
  RetirePushRequest,
  type ConflictList,
  type StaffList,
  type DeviceMembers,
  SignInRequest,
  type EnrolResponse,
  type PullResponse,
  type PushResponse,
  type SessionInfo,
} from '../../protocol/sync';
import { HUB_KEY_PATH, RECEIPTS_HEADER, type HubKeyInfo } from '../../protocol/countersign';
import { StoreError, type Store, type StoreErrorCode } from '../db/store';
import { createAccounts, type Accounts, type AccountsConfig } from '../services/accounts';
import { createDevices, type Devices } from '../services/device-users';
import { createGate, type StandingQueue } from '../services/gate';
import { unstorableText } from '../services/storable-text';
import { retirePush } from '../services/retirement';
import { carriedReceipts, hubKeyInfo, pushReceipts } from '../services/countersign';
import { ServiceError } from '../services/errors';
import type { HubKey } from '../services/hub-key';
import { listConflicts, listStaff, pullAnswer, stoppedMembers, pushChanges, resolveConflict } from '../services/sync';
import { fullPullStart, recordFullPull } from '../services/hub-access';
import { databaseUnavailable, passingDatabaseTrouble } from './database-trouble';
import { everyTenSeconds, failureLogLine } from './edge';
import { NO_STORE, SECURITY_HEADERS } from './security-headers';
import {
  clearedCookie,
  clientAddress,
  HeldBodies,
  header,
  loggedDetail,
  parse,
  readJson,
  requestIdOf,
  sendError,
  sendJson,
  sendJsonPartsCompressed,
  sessionCookie,
  sessionToken,
  SMALL_BODY_BYTES,
  startRequest,
} from './api-io';
import { CatchUpMemory } from './catch-up';
import { PullsUnderWay, PushesUnderWay } from './under-way';

export interface ApiOptions {
  /** the store once it is open; undefined while it opens (503 unavailable) */
  readonly store: () => Store | undefined;
  readonly accounts: AccountsConfig;
  /** a TLS proxy in front adds X-Forwarded-For (TRUST_PROXY=1): the sign-in throttle reads it */
  readonly trustProxy?: boolean;
  /** the hub's signing key once loaded; without it nothing is countersigned and /api/hub-key is 404 */
  readonly hubKey?: () => HubKey | undefined;
  /** characters of push bodies read and not yet answered (default PUSH_CHARS_HELD) */
  readonly pushCharsHeld?: number;
  /** push bodies read at once, and waiting for a slot (default PUSH_BODIES_IN_FLIGHT, PUSH_BODIES_WAITING) */
  readonly pushBodiesInFlight?: number;
  readonly pushBodiesWaiting?: number;
  /** database work in flight, waiting, and the longest wait (default DB_WORK) */
  readonly dbWork?: DbWork;
}

export interface DbWork {
  readonly inFlight: number;
  readonly waiting: number;
  readonly maxWaitMs: number;
  /** a queue that stands is shed (gate.ts); none when absent */
  readonly standing?: StandingQueue;
  /** pulls that catch a device up, in a lane of their own (below); when absent they share the gate */
  readonly catchUp?: CatchUpLane;
}

/**
 * [A12] A pull that catches a device up (a first sync, from version 0, or the next page of a pull
 * that left more to come) reads a page of up to MAX_PULL_LIMIT records: ~130 ms of the database
 * and the hub for 1,000 households here, where an incremental sync takes a few. Such pulls go in
 * a lane of their own, `inFlight` at once, and take none of the gate's slots (each still takes a
 * connection of the pool while it runs); and each yields to the coordinators' syncs: it starts
 * only when no request waits at the gate. Twenty phones set up
 * at once, or every phone after a restore, are served when the hub has room, and no longer turn
 * the others' syncs away (docs/performance.md, Load, "Latest (2026-12-05 morning)"). A device
 * catching up is told by its cursor (version 0, or another epoch: S15), by the page it asks for,
 * and, in memory per server process, by its last page and its hub's head (CatchUpMemory): a device
 * that asks for a page larger than the app's, or from far behind the head, cannot take the gate's
 * slots with full-scope pages in place of the coordinators' syncs.
 */
export interface CatchUpLane {
  readonly inFlight: number;
  readonly waiting: number;
  /** from arrival to its start, the yield included: a phone being set up can wait, a coordinator's sync cannot */
  readonly maxWaitMs: number;
  /** a pull asking for more records than this, or from more versions than this behind its hub's head, catches up (default CATCH_UP_PAGE) */
  readonly page?: number;
}

/**
 * The app asks for pages of 2,000 records (src/sync/engine.ts PULL_PAGE): a pull asking for more
 * is not its incremental sync, and one starting more versions than that behind the head reads a
 * full page of it, as a first sync does.
 */
export const CATCH_UP_PAGE = 2_000;

/** 8 × MAX_BODY_BYTES (64 MiB) at most being read; the next 16 wait for a slot, the rest get 503. */
export const PUSH_BODIES_IN_FLIGHT = 8;
export const PUSH_BODIES_WAITING = 16;
/** Characters of push bodies read and not yet answered, at most (HeldBodies): 8 bodies of the largest. */
export const PUSH_CHARS_HELD = 8 * MAX_BODY_BYTES;

/**
 * [A12] Requests doing database work at once (the pool has 10 connections; a few more keep it
 * busy while answers are written), how many wait, and for how long. Past that the hub is
 * overloaded: 503 with Retry-After rather than a queue that grows until answers come too late
 * to matter, or memory runs out. A body is read outside this gate (PUSH_BODIES_* bound that), so a
 * slow client holds no database slot.
 *
 * A queue that has not been empty for half a second stands: the hub is being offered more than it
 * answers, not a burst. Then a request that waited over 100 ms is turned away at its turn. Without
 * this, a hub that fell behind stayed behind: its answers came seconds late, each device's next
 * pull carried more changes gathered meanwhile, and that work kept the queue standing
 * (docs/performance.md, Load, "Latest (2026-12-05 night)": 143 syncs/s answered at 200 offered,
 * push p99 2.8 s; with it 200 syncs/s, p99 131–191 ms).
 */
const CATCH_UP: CatchUpLane = { inFlight: 1, waiting: 1_024, maxWaitMs: 30_000 };
export const DB_WORK: DbWork = { inFlight: 16, waiting: 512, maxWaitMs: 5_000, standing: { afterMs: 500, maxWaitMs: 100 }, catchUp: CATCH_UP };

/** Devices remembered by the lane (CatchUpMemory), per server process; past this the longest unseen is forgotten. */
const DEVICES_REMEMBERED = 10_000;

/**
 * DB_WORK for a pool of `poolSize` connections (DATABASE_POOL_SIZE): the same 1.6 requests a
 * connection, and a catch-up pull for every 10 connections, never fewer than DB_WORK's.
 */
export function dbWorkFor(poolSize: number): DbWork {
  return {
    ...DB_WORK,
    inFlight: Math.max(DB_WORK.inFlight, Math.ceil(poolSize * 1.6)),
    catchUp: { ...CATCH_UP, inFlight: Math.max(CATCH_UP.inFlight, Math.floor(poolSize / 10)) },
  };
}
const BUSY_RETRY_SECONDS = 2;

/** A path segment, percent-decoded; a broken encoding is the client's 400, not a URIError. */
function decodedSegment(segment: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    throw new ServiceError('bad-request', '送信された内容が正しくありません。', 'malformed percent-encoding in the path');
  }
  // Refused here, not by PostgreSQL (which would log the failed statement) [A2].
  if (unstorableText(decoded) !== null) throw new ServiceError('bad-request', '送信された内容が正しくありません。', 'the path holds a NUL');
  return decoded;
}

/**
 * The pull's query, checked once: the lane is chosen by the same cursor the page is read from. A
 * parameter given twice is refused (which of the two counts would be anyone's guess) [A2].
 */
function pullQuery(target: string): z.infer<typeof PullQuery> | ServiceError {
  const params = new URL(target, 'http://localhost').searchParams;
  const given = new Map<string, string>();
  for (const [name, value] of params) {
    if (given.has(name)) return badQuery(`${name}: given more than once`);
    given.set(name, value);
  }
  try {
    return parse(PullQuery, Object.fromEntries(given));
  } catch (error) {
    if (error instanceof ServiceError) return error;
    throw error;
  }
}
const badQuery = (detail: string) => new ServiceError('bad-request', '送信された内容が正しくありません。', detail);

const PullQuery = z.strictObject({
  cursor: z
    .string()
    .default('0')
    .transform((text, ctx) => parseCursor(text) ?? (ctx.addIssue({ code: 'custom', message: 'cursor must be <epoch>:<version>[:<mark>] or a version' }), z.NEVER)),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(1000),
});

const STORE_ERRORS: Readonly<Record<StoreErrorCode, () => ServiceError>> = {
  'bad-request': () => new ServiceError('bad-request', '送信された内容が正しくありません。'),
  'unknown-device': () => new ServiceError('unknown-device', 'この端末はまだ登録されていません。'),
  // A7: the user has not signed in on this device, or an enrolment without the device's secret (A6).
  forbidden: () => new ServiceError('forbidden', 'この端末で拠点へのサインインが確認できません。'),
  'device-disabled': () => new ServiceError('retired', 'この端末は停止されました。'),
  'user-disabled': () => new ServiceError('retired', 'この職員は停止されました。'),
  exists: () => new ServiceError('exists', '既に登録されています。'),
  'not-found': () => new ServiceError('not-found', '見つかりません。'),
  'schema-too-new': () => new ServiceError('unavailable', 'サーバーの準備ができていません。しばらくしてからもう一度お試しください。', undefined, 30),
};

export function createApiHandler(options: ApiOptions) {
  // [A11] One push at a time for a device, two for a user: a device sends its batches in turn, so
  // more at once is a fault or an attack, and one account trickling bodies slowly must not hold
  // every body slot while the city's other phones are answered 503. A retire push counts here too:
  // a disabled phone's secret alone would otherwise take every slot of the hub.
  const pushing = new PushesUnderWay(2);
  // [A12] One pull at a time for a device: pages asked for at once by one device would take the
  // gate's slots, or the lane's turns, from the others.
  const pulling = new PullsUnderWay();
  // Push bodies (up to MAX_BODY_BYTES) read at once, and waiting; beyond that 503 [A11].
  const heldPushBodies = new HeldBodies(options.pushCharsHeld ?? PUSH_CHARS_HELD);
  const pushBody = {
    maxBytes: MAX_BODY_BYTES,
    perChangeText: true,
    gzip: true,
    gate: createGate(options.pushBodiesInFlight ?? PUSH_BODIES_IN_FLIGHT, options.pushBodiesWaiting ?? PUSH_BODIES_WAITING),
    held: heldPushBodies,
  };
  const dbWork = options.dbWork ?? DB_WORK;
  const dbGate = createGate(dbWork.inFlight, dbWork.waiting, dbWork.maxWaitMs, dbWork.standing);
  const overloaded = (detail: string) =>
    new ServiceError('unavailable', 'サーバーが混み合っています。しばらくしてから自動でもう一度送ります。', `overloaded: ${detail}`, BUSY_RETRY_SECONDS);
  /** Database work through the gate; 503 with Retry-After when the hub is overloaded [A12]. */
  async function db<T>(work: () => Promise<T>): Promise<T> {
    const done = await dbGate.run(work);
    if (done === null) {
      throw overloaded(
        `${dbWork.inFlight} requests at the database and ${dbWork.waiting} waiting, or waited over ${dbWork.maxWaitMs} ms` +
          (dbWork.standing === undefined ? '' : `, or over ${dbWork.standing.maxWaitMs} ms in a queue standing ${dbWork.standing.afterMs} ms`),
      );
    }
    return done.value;
  }
  const lane = dbWork.catchUp === undefined ? undefined : { ...dbWork.catchUp, gate: createGate(dbWork.catchUp.inFlight, dbWork.catchUp.waiting, dbWork.catchUp.maxWaitMs) };
  /** A pull that catches a device up, in its own lane once no one waits at the gate (CatchUpLane), or through the gate when there is no lane. */
  async function catchUpWork<T>(work: () => Promise<T>): Promise<T> {
    if (lane === undefined) return db(work);
    const arrived = performance.now();
    // null: its slot came, but requests still waited at the gate when its longest wait ran out
    const slot = await lane.gate.run(async () => ((await dbGate.noneWaiting(lane.maxWaitMs - (performance.now() - arrived))) ? { value: await work() } : null));
    const done = slot?.value ?? null;
    if (done === null) throw overloaded(`${lane.inFlight} pulls catching up and ${lane.waiting} waiting, or not started within ${lane.maxWaitMs} ms (the gate's requests go first)`);
    return done.value;
  }
  const remembered = new CatchUpMemory(dbWork.catchUp?.page ?? CATCH_UP_PAGE, DEVICES_REMEMBERED);
  // One line every 10 s at most: a database that is down fails every request.
  // `what` names the trouble (database-trouble.ts): unreachable, busy, read-only or out of space.
  const databaseTroubleLog = everyTenSeconds((what, more) => console.error(`API: database trouble (${what}); answered 503${more > 0 ? `, and ${more} more since the last line` : ''}`));
  /**
   * The database's epoch, as the last pull here answered it or as read once (one for the whole
   * database; a restore, done with the hub stopped, renews it). Undefined until known.
   */
  let epochHere: string | undefined;
  let epochRead: Promise<void> | undefined;
  /**
   * [A12][S15] Whether a pull from this cursor starts from the beginning: version 0, or a cursor of
   * another epoch (a device meeting a restored hub). Read without the gate: one small statement
   * the first time, then from memory. Unknown (the store not open, the read failed): no.
   */
  async function startsOver(cursor: Cursor): Promise<boolean> {
    if (cursor.version === 0) return true;
    if (cursor.epoch === null) return false;
    if (epochHere === undefined) {
      const store = options.store();
      if (store === undefined) return false;
      epochRead ??= store.hubEpoch('').then(
        (read) => void (epochHere ??= read.epoch),
        () => void (epochRead = undefined),
      );
      await epochRead;
    }
    return epochHere !== undefined && cursor.epoch !== epochHere;
  }
  let bound: { store: Store; accounts: Accounts; devices: Devices } | undefined;
  const services = () => {
    const store = options.store();
    if (store === undefined) {
      throw new ServiceError('unavailable', 'サーバーの準備中です。しばらくしてからもう一度お試しください。', 'the store is opening', 2);
    }
    if (bound?.store !== store) bound = { store, accounts: createAccounts(store, options.accounts), devices: createDevices(store, options.accounts) };
    return bound;
  };

  /** Device first (its secret, then retired → 410), then the session, then that they belong together. */
  async function syncCaller(req: IncomingMessage) {
    const { store, accounts, devices } = services();
    const { device, user, member } = await accounts.checkSyncCaller(header(req, DEVICE_ID_HEADER), header(req, DEVICE_SECRET_HEADER), sessionToken(req));
    await devices.requireMember(device, user, member);
    return { store, device, user, member };
  }

  /** [K5] Receipts go only to a device that asks for them: an app from before them reads the answer strictly. */
  const receiptKey = (req: IncomingMessage): HubKey | undefined => (header(req, RECEIPTS_HEADER) === '1' ? options.hubKey?.() : undefined);

  /** A pull's page for a checked caller, read with its receipts; what the lane remembers is noted. */
  async function pullPage(req: IncomingMessage, { store, device, user }: Awaited<ReturnType<typeof syncCaller>>, query: z.infer<typeof PullQuery>) {
    // [S15] A cursor of another epoch counts nothing here: the page starts from the beginning.
    // So does a marked cursor of this epoch that is not of this timeline (a database put back
    // by hand keeps its epoch): the device handles both alike. The timeline check, the mark and the
    // hub's head are read in the page's own statement; the mark goes only to an app that reads marks.
    const { cursor: asked } = query;
    const marked = asked.epoch !== null && asked.mark !== undefined && asked.mark !== null ? { version: asked.version, mark: asked.mark } : undefined;
    const wantsMark = header(req, CURSOR_MARK_HEADER) === '1';
    const { answer, scope } = await pullAnswer(store, user, asked, query.limit, { marked });
    // The first page of a full copy is recorded before anything is sent; a row that cannot be
    // written fails the pull (5xx). Incremental pulls write nothing (services/hub-access.ts).
    const start = fullPullStart(asked, answer, device);
    if (start !== null) await recordFullPull(store, user, device, start, scope, answer);
    const diverged = answer.timeline?.diverged ?? null;
    if (diverged !== null) {
      // The operator should know: the database was put back without `admin restore`.
      console.warn(
        `[S15] hub ${user.tenantId}: device ${device.id} pulled with cursor ${asked.version}, which is not of this database's timeline (was it restored by hand?); it pulls again from the start and sends what it holds above version ${diverged.floor}`,
      );
    }
    const key = receiptKey(req);
    const receipts = key === undefined ? {} : { receipts: [...(await store.countersign(user.tenantId, answer.caseEntryIds, key))] };
    // The hub's mark goes only on a cursor every version of which it had when it read its clock,
    // and only to an app that reads marks (an older one reads the cursor strictly).
    const timeline = answer.timeline;
    const mark = wantsMark && timeline !== undefined && answer.cursor <= timeline.head ? timeline.mark : null;
    remembered.answered(device.id, user.tenantId, { hasMore: answer.hasMore, head: timeline?.head });
    epochHere = answer.epoch;
    return { answer, scope, receipts, lastSeq: device.lastSeq, diverged, mark };
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string, method: string): Promise<void> {
    if (path === API.session) {
      const { accounts } = services();
      if (method === 'POST') {
        const body = await readJson(req, SignInRequest);
        const { token, info } = await accounts.signIn(body, clientAddress(req, options.trustProxy === true));
        const maxAge = Math.max(0, Math.floor((Date.parse(info.expiresAt) - options.accounts.now().getTime()) / 1000));
        sendJson(res, 200, info satisfies SessionInfo, { 'Set-Cookie': sessionCookie(req, token, maxAge) });
        return;
      }
      if (method === 'GET') {
        sendJson(res, 200, (await db(() => accounts.authenticate(sessionToken(req)))).info satisfies SessionInfo);
        return;
      }
      if (method === 'DELETE') {
        await db(() => accounts.signOut(sessionToken(req)));
        res.writeHead(204, { ...NO_STORE, 'Set-Cookie': clearedCookie(req) });
        res.end();
        return;
      }
      return methodNotAllowed(res, 'GET, POST, DELETE');
    }
    if (path === API.deviceSession) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { accounts, devices } = services();
      const device = await db(() => accounts.checkDevice(header(req, DEVICE_ID_HEADER), header(req, DEVICE_SECRET_HEADER)));
      const body = await readJson(req, DeviceSessionRequest);
      const { token, info } = await db(() => devices.openSession(device, body.token));
      const maxAge = Math.max(0, Math.floor((Date.parse(info.expiresAt) - options.accounts.now().getTime()) / 1000));
      sendJson(res, 200, info satisfies SessionInfo, { 'Set-Cookie': sessionCookie(req, token, maxAge) });
      return;
    }
    if (path === API.devices) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { accounts, devices } = services();
      const { user, sessionId } = await db(() => accounts.authenticate(sessionToken(req)));
      const body = await readJson(req, EnrolRequest);
      // A6: a registered device id takes another user only with the device's current secret; the
      // session is tied to the device it enrols, and enrols no other.
      const enrolled = await db(() => devices.enrol(user, body, header(req, DEVICE_SECRET_HEADER), sessionId));
      sendJson(res, 200, enrolled satisfies EnrolResponse);
      return;
    }
    if (path === API.push) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { store, device, user, member } = await db(() => syncCaller(req));
      const release = pushing.take(device.id, user.id, req);
      try {
        const body = await readJson(req, PushRequest, pushBody);
        const carried = await carriedReceipts(body.receipts, options.hubKey?.(), user.tenantId);
        const { results, receipts } = await db(async () => {
          // A stopped author's evidence from a shared phone is weighed against their stop, at the hub's time.
          const clock = { now: options.accounts.now(), deviceStoppedAt: null };
          const results = await pushChanges(store, device, user, body.changes, carried.length === 0 ? {} : { carriedReceipts: carried }, member, clock);
          const key = receiptKey(req);
          return { results, receipts: key === undefined ? {} : { receipts: [...(await pushReceipts(store, key, user.tenantId, body.changes, results))] } };
        });
        sendJson(res, 200, { results, serverTime: options.accounts.now().toISOString(), ...receipts } satisfies PushResponse);
      } finally {
        release();
      }
      return;
    }
    if (path === API.pull) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      // The lane is chosen before the caller is checked, by the query as it is checked, but a
      // query that fails is refused after the caller's check (which comes first, as for every sync
      // request). A request without a device's credentials and a session is refused through the
      // gate, at once: it cannot fill the lane's long queue ahead of phones being set up. One with
      // made-up credentials does queue in the lane, and is refused at its turn in a statement or
      // two; the caller is not checked before the lane, since the lane exists to let a device
      // catch up while the gate is busy. A flood of such requests is a flood like any other (the
      // gate's queue meets it too): the reverse proxy's to limit (docs/security.md, Floods).
      const checked = pullQuery(req.url ?? '/');
      const deviceId = header(req, DEVICE_ID_HEADER);
      const secret = header(req, DEVICE_SECRET_HEADER);
      const credentialed = deviceId !== undefined && secret !== undefined && sessionToken(req) !== undefined;
      // [A12] Asked for a larger page than the app's, or from far behind its hub's head, it catches
      // up whatever its cursor: such pages are what the lane keeps out of the gate.
      const catchingUpNow =
        credentialed &&
        !(checked instanceof ServiceError) &&
        (remembered.catchesUp(deviceId, checked.cursor.version, checked.limit) || (await startsOver(checked.cursor)));
      const read = () =>
        (catchingUpNow ? catchUpWork : db)(async () => {
          const caller = await syncCaller(req);
          if (checked instanceof ServiceError) throw checked;
          return pullPage(req, caller, checked);
        });
      // The device's one pull from its arrival until its page is read, before the answer is written.
      const { answer, scope, receipts, lastSeq, diverged, mark } = await (credentialed ? pulling.run(deviceId, secret, read) : read());
      const changed = answer.epochChanged || diverged !== null;
      const floor = diverged !== null ? diverged.floor : answer.floor;
      const epochChange = changed ? { epochChange: { floor, lastSeq } } : {};
      const cursor = formatCursor({ epoch: answer.epoch, version: answer.cursor, mark });
      const rest = { cursor, ...epochChange, hasMore: answer.hasMore, scope, openConflicts: answer.openConflicts, ...receipts } satisfies Omit<PullResponse, 'records'>;
      // The records are PostgreSQL's bytes (Store.pullAnswer), spliced in as they are.
      // Compressed for the line (a first sync is ~41 MB of JSON): it carries records, no secret.
      sendJsonPartsCompressed(req, res, 200, ['{"records":[', ...answer.records, `],${JSON.stringify(rest).slice(1)}`], answer.hasMore ? { [PULL_NEXT_HEADER]: cursor } : {});
      return;
    }
    if (path === HUB_KEY_PATH) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      const { user } = await db(() => syncCaller(req));
      const key = options.hubKey?.();
      if (key === undefined) throw new ServiceError('not-found', 'この拠点は記録に署名していません。', 'no signing key is loaded');
      sendJson(res, 200, hubKeyInfo(key, user.tenantId) satisfies HubKeyInfo);
      return;
    }
    if (path === API.retirePush) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { store, accounts } = services();
      const device = await accounts.checkRetiringDevice(header(req, DEVICE_ID_HEADER), header(req, DEVICE_SECRET_HEADER));
      const user = await store.findUser(device.userId);
      if (user === null) throw new ServiceError('unknown-device', 'この端末はまだ登録されていません。');
      // [A11] Held to one at a time with the device's pushes: the device's secret alone, which whoever
      // holds a stopped phone may know, must not take the body slots of every phone of the hub. A
      // push of its own still under way gives way (its body unread) or ends in moments (503 and
      // Retry-After: the phone sends again), so it is not kept from wiping.
      const release = pushing.take(device.id, user.id, req);
      try {
        const body = await readJson(req, RetirePushRequest, pushBody);
        const results = await retirePush(store, device, user, body.changes, options.accounts.now());
        sendJson(res, 200, { results, serverTime: options.accounts.now().toISOString() } satisfies PushResponse);
      } finally {
        release();
      }
      return;
    }
    if (path === API.retireDone) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { store, accounts } = services();
      const device = await accounts.checkRetiringDevice(header(req, DEVICE_ID_HEADER), header(req, DEVICE_SECRET_HEADER), 'done');
      await readJson(req, RetireDoneRequest);
      await store.markRetirement(device.id, 'wiped', options.accounts.now());
      res.writeHead(204, NO_STORE);
      res.end();
      return;
    }
    if (path === API.conflicts) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      const conflicts = await db(async () => {
        const { store, user } = await syncCaller(req);
        return listConflicts(store, user);
      });
      sendJson(res, 200, conflicts satisfies ConflictList);
      return;
    }
    if (path === API.staff) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      // Through the gate as every sync's other requests: each device asks for it after its pull.
      const staff = await db(async () => {
        const { store, user } = await syncCaller(req);
        return listStaff(store, user);
      });
      sendJson(res, 200, staff satisfies StaffList);
      return;
    }
    if (path === API.members) {
      if (method !== 'GET') return methodNotAllowed(res, 'GET');
      // [A10] Who of this phone's people the hub has stopped. The device's secret alone, no session:
      // the person unlocked may be the one stopped (their token refused), and must learn it too.
      const members = await db(async () => {
        const { store, accounts } = services();
        const device = await accounts.checkDevice(header(req, DEVICE_ID_HEADER), header(req, DEVICE_SECRET_HEADER));
        return stoppedMembers(store, device.id);
      });
      sendJson(res, 200, members satisfies DeviceMembers);
      return;
    }
    const resolve = /^\/api\/conflicts\/([^/]+)\/resolve$/.exec(path);
    if (resolve !== null) {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const { store, user } = await db(() => syncCaller(req));
      await readJson(req, ResolveConflictRequest);
      await db(() => resolveConflict(store, user, decodedSegment(resolve[1]!)));
      res.writeHead(204, { ...SECURITY_HEADERS, ...NO_STORE });
      res.end();
      return;
    }
    throw new ServiceError('not-found', '見つかりません。', `no API at ${method} ${path}`);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    const method = req.method ?? 'GET';
    startRequest(req, res);
    try {
      await route(req, res, path, method);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // Past a refused body the rest is not read: close the connection rather than drain it.
      // So is a body never read (refused before it, or turned away while the server was busy),
      // unless it is small: closing over unread bytes resets the connection, and the client would
      // see the reset instead of the answer (a push turned away with 503 looked like a failure).
      const refusedBody = error instanceof ServiceError && error.code === 'too-large';
      const close: Record<string, string> = refusedBody || !(req.complete || (await drainedSmall(req))) ? { Connection: 'close' } : {};
      const refuse = (refusal: ServiceError) => {
        logRefusal(req, refusal);
        sendError(res, refusal, close);
      };
      if (error instanceof ServiceError) return refuse(error);
      if (error instanceof StoreError) {
        const mapped = STORE_ERRORS[error.code]();
        return refuse(new ServiceError(mapped.code, mapped.message, error.message, mapped.retryAfterSeconds));
      }
      // Class 22 is PostgreSQL's "data exception" (a NUL in text, a value out of range): it was
      // the client's data that could not be stored, so it is a 400, not a server fault.
      // The detail names the SQLSTATE, never PostgreSQL's words: they can quote what was sent
      // (`invalid input syntax for type bigint: "…"`). The log has where and which SQLSTATE; the
      // statement and its data are in PostgreSQL's own log [A2][A11]. Its line is an error, with
      // the stack, not a refusal's warning: data the hub should have refused before the database.
      const sqlState = (error as { code?: unknown }).code;
      if (typeof sqlState === 'string' && sqlState.startsWith('22')) {
        const refusal = new ServiceError('bad-request', '送信された内容が正しくありません。', `not storable (SQLSTATE ${sqlState})`);
        console.error(failureLogLine(`${requestHead(req)} (answered 400 ${refusal.code}: ${refusal.detail})`, error));
        return sendError(res, refusal, close);
      }
      const trouble = passingDatabaseTrouble(error);
      if (trouble !== null) {
        databaseTroubleLog(trouble.what);
        return sendError(res, databaseUnavailable(trouble), close);
      }
      // Never the error itself: a database error's message can quote what the client sent.
      console.error(failureLogLine(requestHead(req), error));
      sendJson(res, 500, { error: 'internal', message: 'サーバーで問題が起きました。しばらくしてからもう一度お試しください。', requestId: requestIdOf(req) });
    } finally {
      heldPushBodies.release(req);
    }
  }
  // The database gate's and the push bodies' load (running, waiting), for a test to wait on a queue it built, not on time.
  return Object.assign(handleApi, { dbLoad: () => dbGate.load(), bodyLoad: () => pushBody.gate.load() });
}

/** Reads and drops the rest of a body of at most SMALL_BODY_BYTES (Content-Length), for a second at most; false when it is larger or does not end. */
async function drainedSmall(req: IncomingMessage): Promise<boolean> {
  const length = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(length) || length > SMALL_BODY_BYTES || req.destroyed) return false;
  return new Promise<boolean>((done) => {
    const timer = setTimeout(() => finish(false), 1_000);
    const finish = (ended: boolean) => {
      clearTimeout(timer);
      req.off('end', onEnd).off('error', onError);
      done(ended);
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    req.on('end', onEnd).on('error', onError);
    req.resume();
  });
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  const detail = `allowed: ${allow}`;
  console.warn(refusalLine(res.req, 405, 'bad-request', detail));
  sendJson(res, 405, { error: 'bad-request', message: '許可されていないメソッドです。', detail, requestId: requestIdOf(res.req) }, { Allow: allow });
}

/**
 * The head of the log line for an answer the hub refused or failed: the request's id (the app's
 * 問い合わせ番号) and the device its header named (not checked: no query is added to find out more),
 * then the method and path (never the query). grep the log for the id a phone shows.
 */
function requestHead(req: IncomingMessage): string {
  const path = (req.url ?? '/').split('?')[0]!;
  const deviceId = header(req, DEVICE_ID_HEADER);
  const device = deviceId === undefined ? '' : `, device ${LOGGABLE_ID.test(deviceId) ? deviceId : '(not an id)'}`;
  return `[request ${requestIdOf(req) ?? '-'}${device}] API ${req.method ?? 'GET'} ${path}`;
}

/** A refusal's line: the head, the status and code, and the detail as loggedDetail gives it. */
function refusalLine(req: IncomingMessage, status: number, code: string, detail?: string): string {
  const said = detail === undefined || detail === '' ? '' : `: ${detail.length > LOGGED_DETAIL_CHARS ? `${detail.slice(0, LOGGED_DETAIL_CHARS)}…` : detail}`;
  return `${requestHead(req)} answered ${status} ${code}${said}`;
}

/** A device id as the app makes them (a UUID), or any short id without spaces: written as it is. */
const LOGGABLE_ID = /^[\w.:-]{1,100}$/;
/** Five zod issues with an enum's values listed fit; a longer detail is cut in the log, not in the answer. */
const LOGGED_DETAIL_CHARS = 1_000;

/**
 * A refusal (4xx) as one warning line, so the admin can tie what a phone shows to the log. A 503
 * is not written a line each: the hub sheds load with it (a gate full, a body slot taken, the store
 * still opening), and it comes in floods of hundreds a second exactly when the log matters; the
 * database's trouble has its own line every ten seconds (databaseTroubleLog), the rest show in the
 * load's figures. A sign-in refused says no more than the answer did: the hub does not tell an
 * unknown login from a wrong password or code, and never writes the login typed.
 */
function logRefusal(req: IncomingMessage, refusal: ServiceError): void {
  if (refusal.status === 503) return;
  const detail = loggedDetail(req, refusal) ?? (refusal.code === 'bad-credentials' ? 'unknown login, wrong password or wrong code (not told apart)' : undefined);
  console.warn(refusalLine(req, refusal.status, refusal.code, detail));
}
