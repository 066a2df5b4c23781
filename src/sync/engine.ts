/**
 * The client sync engine (docs/sync-protocol.md): one run pushes the outbox, then pulls until the
 * hub has nothing more. One tab at a time (Web Locks), one run at a time per tab; never while the
 * vault is locked (the outbox payloads are sealed). Nothing is removed from the queue until the hub
 * has answered for it, so a lost answer only means the same changes go again (answered 'duplicate').
 */
import type { StoreApi } from 'zustand/vanilla';
import { isPulledKind, type Role, type SessionUser, type SignInRequest, type StaffMember, type WireChange, type WireConflict, type WireScope } from '../protocol/sync';
import { setAtPath, valueAtPath } from './conflict-path';
import { isDemoId } from '../domain/demo-id';
import { wireScopeOf } from '../protocol/scope';
import { formatCursor, parseCursor } from '../protocol/cursor';
import { toVaultError } from '../vault/errors';
import { lostRecordsWaiting } from '../vault/epoch-resend';
import type { EntityKind, HubLink, HubMember, OutboxEntry, PreparedPage, VaultSession, VaultUser } from '../vault/types';
import { HubClient, SyncError, type DeviceCredentials, type FetchLike, type SyncProblemCode } from './client';
import { initialSyncStatus, syncStatus, type SyncProblem, type SyncStatus } from './status';
import { countersignState, type CountersignState } from './countersign';
import { keepReceipts, loadCountersigns, withHubKey } from './receipts';
import { PullJobError, type PullHead } from './pull-job';
import { startPullJob } from './off-thread';
import { sendInBatches } from './push-batches';
import { clockOffsetOf } from './clock-offset';
import { S } from './text';

export const SYNC_LOCK_NAME = 'kyoten-sync';
/** Records per pull page: large pages make the first sync of 10,000 households a few requests. */
export const PULL_PAGE = 2000;
/** How many pull pages may be asked for beyond the one being written (each ~7 MB on a first sync). */
const PULL_AHEAD = 2;
/** A gap that stays after this many fresh starts is reported instead of retried in a loop. */
const GAP_RESTARTS = 3;
/** How long a retiring device waits for the hub to end its session before it wipes anyway. */
const RETIRE_SIGN_OUT_WAIT_MS = 5_000;

/** A pull page asked for, in the making: its next page's cursor, its head, then its sealed records. */
interface PullPage {
  readonly cursor: string;
  readonly next: Promise<string | null>;
  readonly head: Promise<PullHead>;
  readonly prepared: Promise<PreparedPage>;
}

/** What one call of run() came to. */
export type RunOutcome = 'done' | 'failed' | 'busy' | 'not-joined' | 'locked' | 'retired';

export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

export interface SyncEngineOptions {
  readonly session: VaultSession;
  /** defaults to the browser's fetch (same-origin relative URLs) */
  readonly fetch?: FetchLike;
  /** defaults to navigator.locks; null runs without (jsdom, old browsers): the in-tab guard still holds */
  readonly locks?: LockManagerLike | null;
  /**
   * Called after pulled records were written or dropped, so the screens show them: with the records
   * written, or 'all' when records were dropped (a narrower scope) or written here outside a pull.
   */
  readonly onRecordsChanged?: (changed: RecordsChanged) => Promise<void> | void;
  /**
   * Called after the device was wiped on retirement, with the hub's words: drop whatever the app
   * holds in memory, and tell the app's other tabs (their database is gone too).
   */
  readonly onRetired?: (serverMessage: string | null) => Promise<void> | void;
  /**
   * The phone's own storage failed during a run (a full disk, the database connection lost): the
   * app's banner with its 再試行 is where that is mended, which the sync section's words send the user to.
   */
  readonly onStorageError?: (error: unknown) => void;
  /**
   * [A10] People the hub has stopped were taken off this phone by a run: the app lists the people
   * again, and a tab one of them holds unlocked locks.
   */
  readonly onMembersRemoved?: (removed: readonly VaultUser[]) => void;
  /** unregisters the service worker and clears Cache Storage; replaceable in tests */
  readonly forgetInstall?: () => Promise<void>;
  readonly status?: StoreApi<SyncStatus>;
  /** the hub key and receipts the screens read; defaults to the app's countersignState */
  readonly countersign?: StoreApi<CountersignState>;
  readonly now?: () => number;
  readonly pullPage?: number;
  /** how long a request may go without a sign of life before it is given up (time-limit.ts); tests shorten it */
  readonly requestTimeLimitMs?: number;
  /**
   * Pull pages in a worker with the browser's own fetch even though `fetch` is given (the sync
   * bench times its other requests); without `fetch` they always are, where a worker can start.
   */
  readonly workerPulls?: boolean;
}

export type RecordsChanged = readonly (readonly [EntityKind, string])[] | 'all';

export interface JoinForm extends SignInRequest {
  /** shown to the hub's admin, e.g. 「拠点 花子の端末」 */
  readonly deviceName: string;
}

export interface SyncEngine {
  /** push then pull; resolves whatever happens (the outcome and the status store say how it went) */
  run(): Promise<RunOutcome>;
  /** sign in, enrol this device, then a first run; rejects with SyncError when sign-in or enrolment fails */
  join(form: JoinForm): Promise<RunOutcome>;
  /** ends the session on the hub; the link and every queued change stay for the next sign-in */
  signOut(): Promise<void>;
  /** re-reads the queue counts and the link into the status store */
  refresh(): Promise<void>;
  /** sets a refused change aside, with the 閲覧記録 entry that says why (SyncStore.dismissRefused) */
  dismissRefused(seq: number, logReason: string): Promise<void>;
  /**
   * Runs once from the cursor held (so a restore of the hub not yet met is met as in any run, S15),
   * then pulls everything in scope again from the start (after the admin mended records the app set
   * aside, R3, say): the records are written again; unsent changes here are left as they are.
   */
  pullAgain(): Promise<RunOutcome>;
  /** the hub's open same-field conflicts on records this user may hold */
  conflicts(): Promise<readonly WireConflict[]>;
  /**
   * Settles a conflict: 'kept' leaves the hub's value; 'lost' first writes the other value back
   * into the record here and sends it, then settles. Rejects with SyncError when that cannot be
   * done (offline, the record or the place in it is gone); nothing is settled then.
   */
  settleConflict(conflict: WireConflict, choice: 'kept' | 'lost'): Promise<void>;
  /**
   * Resolves once this engine's run under way (and the one asked after it) is over, and with it its
   * hold of the sync lock; null when none is. A session locked under a run (a handover) leaves it
   * to finish its requests, up to a minute: the next person's sync follows it (sync-wiring.ts).
   */
  settled(): Promise<void> | null;
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

/** localStorage, shared by the app's tabs: the hub user id the browser's session cookie was last opened for. */
const BROWSER_SESSION_KEY = 'kyoten:hub-session-user';

/** Who the browser's session is for, as the tabs noted it; null when unknown or no storage (Node, blocked). */
function browserSessionUser(): string | null {
  try {
    return globalThis.localStorage?.getItem(BROWSER_SESSION_KEY) ?? null;
  } catch {
    return null;
  }
}

function noteBrowserSession(userId: string | null): void {
  try {
    if (userId === null) globalThis.localStorage?.removeItem(BROWSER_SESSION_KEY);
    else globalThis.localStorage?.setItem(BROWSER_SESSION_KEY, userId);
  } catch {
    // Storage blocked: each tab knows only its own sign-ins (as before tabs were told).
  }
}

/** Without a service worker or Cache Storage there is nothing to forget. */
export async function forgetAppInstall(): Promise<void> {
  const sw = typeof navigator === 'undefined' ? undefined : navigator.serviceWorker;
  if (sw && typeof sw.getRegistrations === 'function') {
    await Promise.all((await sw.getRegistrations()).map((r) => r.unregister()));
  }
  if (typeof caches !== 'undefined') {
    await Promise.all((await caches.keys()).map((k) => caches.delete(k)));
  }
  try {
    localStorage.clear();
    sessionStorage.clear();
  } catch {
    // Storage disabled: nothing held there.
  }
}

/** Whether a queued, unrefused edit of the conflict's record writes `value` into its field. */
function writesValue(e: OutboxEntry, conflict: WireConflict, value: unknown): boolean {
  if (e.refusal !== null || e.kind !== conflict.kind || e.entityId !== conflict.entityId) return false;
  return JSON.stringify(valueAtPath(e.payload, conflict.field)) === JSON.stringify(value);
}

function toWire(e: OutboxEntry, author?: string): WireChange {
  return {
    ...(author === undefined ? {} : { author }),
    seq: e.seq,
    mutationId: e.mutationId,
    kind: e.kind,
    entityId: e.entityId,
    op: e.op,
    at: e.at,
    payload: e.payload as Record<string, unknown>,
    baseVersion: e.baseVersion,
  };
}

/** The link's cursor as it travels (protocol/cursor.ts): a link from before epochs sends a bare version. */
function wireCursor(link: HubLink): string {
  return formatCursor({ epoch: link.epoch ?? null, version: link.cursor, mark: link.mark ?? null });
}

function sameScope(a: WireScope | null, b: WireScope): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a pull page's scope is what a pull under `user`'s session hands out (protocol/scope.ts). */
function isScopeOf(user: SessionUser, scope: WireScope): boolean {
  const own = wireScopeOf(user);
  return own.role === scope.role && JSON.stringify(own.officeIds) === JSON.stringify(scope.officeIds) && own.facilityId === scope.facilityId;
}

/** A 413 from the hub or its proxy: the batch goes again as two halves (push-batches.ts). */
const isTooLarge = (e: unknown) => e instanceof SyncError && e.code === 'too-large';

/** Push-and-pull rounds a run makes after its first pull, for what a restore lost or a chain refusal waited on. */
const RESEND_ROUNDS = 3;

/** A push failure after which the run still pulls: the problem is reported at the run's end. */
const blocksOnlyThePush = (e: unknown): e is SyncError => e instanceof SyncError && (e.code === 'gap' || e.code === 'too-large');

/** A run's failure as the status shows it, with what the admin needs to find it (its detail and the hub's request id). */
function problemOf(error: SyncError, code: SyncProblemCode = error.code): SyncProblem {
  return {
    code,
    message: error.message,
    serverMessage: error.serverMessage,
    ...(code === 'server' && error.retryAfterSeconds !== null ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    ...(error.detail === '' ? {} : { detail: error.detail }),
    ...(error.requestId === null ? {} : { requestId: error.requestId }),
  };
}

/** Anything thrown during a run, as a SyncError (storage failures included). */
function asSyncError(e: unknown): SyncError {
  if (e instanceof SyncError) return e;
  if (e instanceof TypeError) return new SyncError('bad-response', e.message);
  // The vault's message says what failed and what to do (full storage: free some space, then 再試行).
  const vault = toVaultError(e);
  return new SyncError('storage', vault.detail ?? vault.code, null, null, `${S.problem.storage}${vault.message}`);
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { session } = options;
  const status = options.status ?? syncStatus;
  const receipts = options.countersign ?? countersignState;
  const now = options.now ?? Date.now;
  // Pull jobs use the browser's fetch in a worker unless a fetch was injected (see workerPulls).
  // Each answer that tells the hub's time measures this device's clock against it [E7]: the last
  // measure stays in the status (across runs) until a newer one replaces it.
  // A request that stalls is given up after options.requestTimeLimitMs (time-limit.ts).
  const client = new HubClient(
    options.fetch ?? defaultFetch,
    options.fetch !== undefined && options.workerPulls !== true,
    {
      now: () => now(),
      onReading: (reading) => {
        const clockOffset = clockOffsetOf(reading);
        if (clockOffset !== null) status.setState({ clockOffset });
      },
    },
    options.requestTimeLimitMs,
  );
  const pullPage = options.pullPage ?? PULL_PAGE;
  const locks = options.locks === undefined ? (globalThis.navigator?.locks as LockManagerLike | undefined) ?? null : options.locks;
  const forgetInstall = options.forgetInstall ?? forgetAppInstall;
  let running: Promise<RunOutcome> | null = null;
  /**
   * What the pulls of the run under way wrote and the screens have not yet been told of. Told as
   * soon as a pull is through (before the run's other requests: the staff list may take a minute),
   * and when a run fails after a page was written: the cursor is past those records, no later run
   * brings them again, and a form saved from the screen's older copy would send that copy on the
   * newer version (a colleague's correction undone). Each record once: merged until told.
   */
  let untold: Map<string, readonly [EntityKind, string]> | 'all' | null = null;
  const noteWritten = (more: RecordsChanged | null): void => {
    if (more === null || untold === 'all') return;
    if (more === 'all') {
      untold = 'all';
      return;
    }
    untold ??= new Map();
    for (const key of more) untold.set(`${key[0]}/${key[1]}`, key);
  };
  async function tellWritten(): Promise<void> {
    const changed = untold;
    untold = null;
    if (changed === null || (changed !== 'all' && changed.size === 0)) return;
    await options.onRecordsChanged?.(changed === 'all' ? 'all' : [...changed.values()]);
  }

  const set = (patch: Partial<SyncStatus>) => status.setState(patch);
  const device = (link: HubLink): DeviceCredentials => ({ deviceId: session.deviceId, deviceSecret: link.deviceSecret });
  /** A8: the unlocked user's identity on the hub, once they signed in on this device. */
  const memberOf = (link: HubLink | undefined): HubMember | undefined => link?.members?.[session.user.id];
  /** The hub user whose session this engine's browser holds (opened by join or a device token). */
  let sessionFor: string | null = null;
  /** Who the hub said that session is for when it opened it: what a pull under it must hand out. */
  let sessionUser: SessionUser | null = null;

  /**
   * Marks the unlocked user as needing to sign in again on this device, in the link as the vault
   * holds it now: a copy read before a pull would put back the cursor and epoch the pull moved on
   * from, and the next pull would meet the epoch change again [S15].
   */
  async function markSignedOut(): Promise<void> {
    if (session.isLocked) return;
    const link = await session.sync.hubLink().catch(() => undefined);
    const me = memberOf(link);
    if (link === undefined || me === undefined) return;
    sessionFor = null;
    await session.sync.saveHubLink({ ...link, members: { ...link.members, [session.user.id]: { ...me, signedOut: true } } }).catch(() => undefined);
  }

  /** The browser holds a session for `user` now, opened by this engine (every tab is told). */
  function opened(user: SessionUser): void {
    sessionFor = user.id;
    sessionUser = user;
    noteBrowserSession(user.id);
  }

  /**
   * A8: opens the unlocked user's session with their device token unless this engine holds it. The
   * cookie is the browser's, one for every tab: when another tab opened a session for someone else
   * since, this one opens its user's again (pulling under another person's scope would drop what
   * this user holds, and show them as signed in). Returns who the hub said the session is for.
   */
  async function ensureSession(link: HubLink, me: HubMember): Promise<SessionUser> {
    const inBrowser = browserSessionUser();
    if (sessionUser !== null && sessionFor === me.userId && (inBrowser === null || inBrowser === me.userId)) return sessionUser;
    const token = await session.sync.userToken();
    if (token === undefined) throw new SyncError('signed-out', 'no device token for this user');
    const info = await client.deviceSession(device(link), token);
    opened(info.user);
    return info.user;
  }

  /**
   * A9: the queue in seq order, each change with its author's hub id, up to the first change whose
   * author has not signed in on this device: nothing after it is sent (seq order), and the status
   * names who is awaited.
   */
  async function sendable(link: HubLink, queue: readonly OutboxEntry[], retiring = false): Promise<WireChange[]> {
    const wire: WireChange[] = [];
    for (const e of queue) {
      const author = link.members?.[e.userId];
      if (author === undefined && retiring) {
        // A retiring phone sends everything: the hub keeps a change nobody here can be credited
        // with (its vault user id as author) for the admin, refused 'author', and credits no one.
        wire.push(toWire(e, e.userId));
        continue;
      }
      // A retiring phone sends a revoked person's changes too: the hub takes a retiring device's
      // evidence from them, and the phone must not be kept from wiping.
      if (author === undefined || author.userId === undefined || (author.authorRefused === true && !retiring)) {
        const names = await session.sync.userNames();
        set({ heldFor: names[e.userId] ?? '' });
        return wire;
      }
      wire.push(toWire(e, author.userId));
    }
    set({ heldFor: null });
    return wire;
  }

  async function refresh(): Promise<void> {
    if (session.isLocked) return;
    const [link, counts, setAside, evidenceMismatches] = await Promise.all([
      session.sync.hubLink(),
      session.sync.queueCounts(),
      session.sync.setAsideCounts(),
      session.sync.evidenceMismatches(),
    ]);
    const me = memberOf(link);
    await loadCountersigns(receipts, session, link);
    set({
      joined: link !== undefined,
      // A8: each person who unlocks syncs as themselves: whoever has not signed in here is asked to.
      signedOut: link !== undefined && (me === undefined || me.signedOut),
      needsSignIn: link !== undefined && me === undefined,
      hub: link?.hub ?? null,
      loginName: me?.loginName ?? null,
      displayName: me?.displayName ?? null,
      role: me?.role ?? null,
      facilityId: me?.role === 'facility-liaison' && link?.scope?.role === 'facility-liaison' ? link.scope.facilityId : null,
      hubUserId: me?.userId ?? null,
      // the hub's users as of the last sync (kept with the link): a registration offline still knows them
      ...(link?.staff !== undefined && status.getState().staff === null ? { staff: link.staff } : {}),
      lastSyncAt: link?.lastSyncAt ?? null,
      openConflicts: link?.openConflicts ?? 0,
      unknownKinds: link?.unknownKinds ?? [],
      pending: counts.pending,
      refused: counts.refused,
      setAside,
      evidenceMismatches,
    });
  }

  function report(error: SyncError): void {
    set({ problem: problemOf(error) });
  }

  /**
   * Sends the queue in seq order; returns how many the hub took. A lasting gap is thrown.
   * `pullFirst`: handed the pull's first page, asked for as soon as the hub has answered the last
   * batch (what it took is committed then), so the hub's read and the worker's sealing of the
   * changes coming back overlap this device's acknowledgement of them. The page is written only
   * after the acknowledgement (pull() runs after push()), so what it brings back is not taken for an
   * unsent change. Not asked when the answer holds the queue (a gap, an author awaited).
   */
  async function push(link: HubLink, pullFirst?: (page: PullPage) => void): Promise<HubLink> {
    let sent = 0;
    for (let restart = 0; ; restart += 1) {
      const outbox = (await session.outbox()).filter((e) => e.refusal === null);
      const queue = await sendable(link, outbox);
      // Whose each change is (A9): a change the hub takes is noted in their name until pulled back [S15].
      const authorOf = new Map(outbox.map((e) => [e.seq, e.userId]));
      const sentOf = (batch: readonly WireChange[]) => batch.map((c) => ({ seq: c.seq, kind: c.kind, entityId: c.entityId, userId: authorOf.get(c.seq) }));
      let gap = false;
      await sendInBatches(
        queue,
        async (batch, last) => {
          // [K4] An entry sent again after a restore [S15] carries the receipt held for it, which
          // the hub keeps in place of signing it anew: exports made before keep holding.
          const kept = receipts.getState().receipts;
          const carried = batch.flatMap((c) => (c.kind === 'case-entry' && kept.has(c.entityId) ? [kept.get(c.entityId)!] : []));
          const answer = await client.push(device(link), batch, carried);
          // A9: the hub holds the queue at a change whose author it does not credit on this device.
          const held = answer.results.find((r) => r.status === 'refused' && r.reason === 'author');
          const gapped = answer.results.some((r) => r.status === 'refused' && r.reason === 'gap');
          if (pullFirst !== undefined && last && held === undefined && !gapped) pullFirst(askPage(link, wireCursor(link), pullPage));
          const ack = await session.sync.acknowledge(answer.results, sentOf(batch));
          await keepReceipts(receipts, session, link, answer.receipts);
          sent += ack.sent;
          set({ progress: { sent, received: status.getState().progress?.received ?? 0 } });
          // [S3] Nothing after a gap was taken: start again from the first change still queued. A gap
          // at that very first change is no loss in this run that a fresh start mends (a hub restored
          // from an older backup knows none of the later numbers): the run goes on to the pull, which
          // finds out why, rather than sending the whole queue up three more times to be refused.
          if (ack.gapAt !== null) {
            if (ack.gapAt === queue[0]?.seq) throw new SyncError('gap', `the hub answered gap at the first change queued (seq ${ack.gapAt})`);
            gap = true;
            return false;
          }
          // A9, the author signed out of this device by an admin: say whose sign-in the queue waits
          // for, and send no more now.
          if (held !== undefined) {
            const author = (await session.outbox()).find((e) => e.seq === held.seq)?.userId;
            set({ heldFor: author === undefined ? '' : ((await session.sync.userNames())[author] ?? '') });
            // Kept with the member: the next runs hold their changes here instead of sending the
            // same queue up again, and the phone does not let them be removed with it unsent.
            const member = author === undefined ? undefined : link.members?.[author];
            if (member !== undefined && member.authorRefused !== true) {
              link = { ...link, members: { ...link.members, [author!]: { ...member, authorRefused: true } } };
              await session.sync.saveHubLink(link);
            }
            return false;
          }
          return true;
        },
        isTooLarge,
      );
      if (!gap) return link;
      if (restart >= GAP_RESTARTS) throw new SyncError('gap', 'the hub keeps answering gap');
    }
  }

  /**
   * One pull page asked for: fetched, checked and sealed by a pull job (a worker when it can),
   * its errors kept until it is awaited (a page asked ahead and not used drops them).
   */
  function askPage(link: HubLink, cursor: string, limit: number): PullPage {
    const { url, init, timeLimitMs, fetch } = client.pullJob(device(link), cursor, limit);
    const job = session.sync.sealPulled((key, now) => startPullJob({ url, init, key, now, timeLimitMs }, fetch));
    const failed = (e: unknown): never => {
      throw e instanceof PullJobError ? HubClient.pullFailure(cursor, limit, e.failure) : e;
    };
    const head = job.head.catch(failed);
    const prepared = job.prepared.catch(failed);
    head.catch(() => undefined);
    prepared.catch(() => undefined);
    return { cursor, next: job.next, head, prepared };
  }

  /**
   * Pulls page after page; each page and the cursor after it are written in one transaction.
   * `as`: who the run's session is for (ensureSession). `early`: a page already asked for (push's
   * pullFirst), used if it is at the cursor to pull from.
   */
  async function pull(
    start: HubLink,
    as: SessionUser,
    early?: PullPage,
  ): Promise<{ link: HubLink; epochChanged: boolean; evidenceIds: readonly string[] }> {
    let link = start;
    let epochChanged = false;
    /** the case entries the pages held, written or already here (for chain-retry.ts) */
    const evidenceIds: string[] = [];
    let received = 0;
    let mismatches: readonly string[] = status.getState().evidenceMismatches;
    // Each page is a pull job (pull-job.ts): fetched, checked and sealed in a worker when it can, so
    // this thread only writes. The next page is asked for as soon as the hub names its cursor (in
    // the answer's headers, before the body: PULL_NEXT_HEADER; else in the body), up to PULL_AHEAD
    // pages beyond the one being written, so the hub's reads, the transfer, the sealing and the
    // vault's IndexedDB writes overlap. A page asked ahead is used only if the cursor it was asked
    // at is still the one (the body has the last word); pages are written one after the other, in
    // cursor order.
    /** the pages asked for beyond the one being written, in cursor order */
    const ahead: PullPage[] = [];
    let current: PullPage | null = null;
    /** The page after this one, asked for once the hub names it, if this is still the last page asked for. */
    const chained = (fetched: PullPage): PullPage => {
      void fetched.next.then((hint) => {
        if (hint === null || hint === fetched.cursor || current === null || ahead.length >= PULL_AHEAD) return;
        if ((ahead.at(-1) ?? current) !== fetched) return;
        try {
          ahead.push(fetchPage(hint));
        } catch {
          // locked meanwhile: the page being written fails the run on its own
        }
      });
      return fetched;
    };
    const fetchPage = (cursor: string): PullPage => chained(askPage(link, cursor, pullPage));
    if (early !== undefined) ahead.push(chained(early));
    try {
      for (;;) {
        const asked = wireCursor(link);
        const queued = ahead.shift();
        // A page asked ahead at another cursor (the scope or the epoch changed) is dropped, with those after it.
        if (queued !== undefined && queued.cursor !== asked) ahead.length = 0;
        const ask: PullPage = queued !== undefined && queued.cursor === asked ? queued : fetchPage(asked);
        current = ask;
        const page: PullHead = await ask.head;
        if (!isScopeOf(as, page.scope)) {
          // [A8] Not this user's scope: the browser's one session cookie was switched to another
          // person's by another tab (a sign-in, its conflict list) since this run opened it, or this
          // user's scope changed since their session was opened. Nothing of the page is written,
          // dropped or kept as the scope: their session is opened again (the run does it once).
          sessionFor = null;
          throw new SyncError('session-switched', `pull: scope ${JSON.stringify(page.scope)} is not ${as.id}'s`);
        }
        const at = parseCursor(page.cursor);
        if (at === null) throw new SyncError('bad-response', `pull: not a cursor: ${page.cursor.slice(0, 80)}`);
        if (page.epochChange !== undefined) {
          // [S15] The hub's database was restored from a backup (or replaced, or put back by hand and
          // caught by the cursor's mark): what this device holds above the floor is kept aside before
          // this page, which starts from the beginning, is written.
          await session.sync.keepLostRecords(page.epochChange.floor, page.epochChange.lastSeq);
          link = { ...link, cursor: 0, epoch: at.epoch };
          await session.sync.saveHubLink(link);
          epochChanged = true;
        }
        // Without the hub's hint (or against it), the next page is asked for now.
        if (ahead[0]?.cursor !== page.cursor && page.hasMore && at.version > link.cursor && sameScope(link.scope, page.scope)) {
          ahead.length = 0;
          ahead.push(fetchPage(page.cursor));
        }
        if (!sameScope(link.scope, page.scope)) {
          // The scope changed (or is known for the first time): drop what this user may no longer hold.
          if ((await session.sync.dropOutOfScope(page.scope)) > 0) noteWritten('all');
          if (link.scope !== null && link.cursor > 0) {
            // Records it now covers may lie below the cursor: pull everything again from the start
            // (writing a record again is harmless; those with unsent changes are left alone).
            link = { ...link, cursor: 0, scope: page.scope };
            await session.sync.saveHubLink(link);
            continue;
          }
        }
        const next: HubLink = {
          ...link,
          cursor: at.version,
          epoch: at.epoch,
          mark: at.mark ?? null,
          scope: page.scope,
          openConflicts: page.openConflicts,
          // [V2] Kept until an update knows them: the cursor moves past these records now.
          ...(page.unknownKinds !== undefined && page.unknownKinds.length > 0 ? { unknownKinds: [...new Set([...(link.unknownKinds ?? []), ...page.unknownKinds])] } : {}),
        };
        // Receipts first: once the page moves the cursor, they would not come again.
        await keepReceipts(receipts, session, next, page.receipts);
        const applied = await session.sync.applyRemote(await ask.prepared, next);
        // Noted page by page: a later page that fails leaves these told all the same (tellWritten).
        noteWritten(applied.removed > 0 ? 'all' : applied.writtenKeys.length > 0 ? applied.writtenKeys : null);
        evidenceIds.push(...applied.evidenceIds);
        // Kept in the vault across locks, until a copy that matches comes (sync-store.ts).
        if (applied.evidenceMismatches.length > 0 || mismatches.length > 0) mismatches = await session.sync.evidenceMismatches();
        received += page.count;
        set({ progress: { sent: status.getState().progress?.sent ?? 0, received }, evidenceMismatches: mismatches });
        if (page.hasMore && at.version <= link.cursor) throw new SyncError('bad-response', `pull: hasMore without progress at cursor ${page.cursor}`);
        link = next;
        if (!page.hasMore) return { link, epochChanged, evidenceIds };
      }
    } finally {
      // no page is asked for once this pull is over
      current = null;
      ahead.length = 0;
    }
  }

  /**
   * [retire] Sends every change still queued, in seq order, under the device secret alone. The hub
   * answers each: it takes the evidence and the access log and keeps what it refuses (any other
   * kind, a case out of scope...) in its quarantine for an admin, so no seq is skipped and nothing
   * is lost when this device wipes. Wipes only when every queued change was answered; a change
   * with no answer yet (a gap, a lost connection) keeps everything for the next contact.
   */
  async function retire(link: HubLink, serverMessage: string | null): Promise<RunOutcome> {
    // Nothing new from here on: what is sent now is all there is (a call recorded between the push
    // and the wipe was wiped unsent: the fault test).
    session.sync.stopWrites();
    const outbox = await session.outbox();
    // Told before, and nothing written since: straight to the wipe. Written since (the hub's answer
    // to 「消去します」 was lost, the run failed, and the phone was used meanwhile: a call recorded),
    // it goes first, as any other: wiping it unsent lost it (the fault test, twice).
    if (link.retireReported === true && !outbox.some((e) => e.refusal === null)) return wipeRetired(link, serverMessage, outbox.length);
    // A link from before per-user sign-in names no authors: its last evidence goes as it always
    // did, credited to the device's user, so a retired phone is never kept from wiping.
    const queue = link.members === undefined ? outbox.map((e) => toWire(e)) : await sendable(link, outbox, true);
    try {
      await sendInBatches(
        queue,
        async (batch) => {
          const answer = await client.retirePush(device(link), batch);
          const ack = await session.sync.acknowledge(answer.results, batch);
          if (ack.gapAt !== null) throw new SyncError('gap', `retire: gap at seq ${ack.gapAt}`);
          return true;
        },
        isTooLarge,
      );
    } catch (error) {
      // The hub heard 「消去します」 (only its answer was lost) and takes nothing more: what was
      // written since cannot go, and the phone must not be kept from wiping by it.
      if (link.retireReported === true && error instanceof SyncError && error.code === 'forbidden') {
        return wipeRetired(link, serverMessage, (await session.outbox()).length);
      }
      throw error;
    }
    const left = await session.outbox();
    const unanswered = left.filter((e) => e.refusal === null);
    if (unanswered.length > 0) throw new SyncError('retired', `retire: ${unanswered.length} changes not answered`);
    // Kept before the hub is told: from its answer on, the hub takes no more retire pushes from
    // this device, and a wipe stopped after it (a lock, the app closed) goes straight on next time.
    await session.sync.saveHubLink({ ...link, retireReported: true });
    return wipeRetired(link, serverMessage, left.length);
  }

  /** Tells the hub (again, if its answer was lost) that this device erases its data, then erases it. */
  async function wipeRetired(link: HubLink, serverMessage: string | null, refused: number): Promise<RunOutcome> {
    await client.retireDone(device(link), refused);
    // The wipe cannot clear the HttpOnly session cookie, and whoever holds the browser next must
    // not find a session in it: the hub ends it (and clears the cookie). Best effort, and never for
    // long: the hub ended it already when the device was disabled (A5); the wipe must not wait.
    await endHubSession();
    await session.sync.wipe();
    await forgetInstall().catch(() => undefined);
    set({ ...clearedStatus(), retired: { serverMessage } });
    await options.onRetired?.(serverMessage);
    return 'retired';
  }

  /** DELETE /api/session, waited for at most RETIRE_SIGN_OUT_WAIT_MS; whatever the answer, the browser forgets whose it was. */
  async function endHubSession(): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((done) => {
      timer = setTimeout(done, RETIRE_SIGN_OUT_WAIT_MS);
    });
    await Promise.race([client.signOut().catch(() => undefined), waited]);
    clearTimeout(timer);
    sessionFor = null;
    noteBrowserSession(null);
  }

  /**
   * [A10] Takes off this phone whoever of its people the hub has stopped, so that nobody who has
   * left can still unlock it offline; their queued evidence still goes under their name (A9). Asked
   * with the device's secret alone: the person unlocked may be the one stopped (their token is
   * refused), and then they leave too, last. Best effort: a hub from before it (404), a cut or a
   * storage failure leaves everyone as they were until the next run. Each removal is told to the
   * app as it commits. `staff`: the hub's active users as this run just read them; when they name
   * everyone who signed in here and still has a key slot, nobody here is stopped, and the hub is
   * not asked (a sync's requests stay push, pull and the staff list).
   */
  /** Whether this unlock asked the hub who is stopped: a phone signed out asks once, not every run. */
  let askedWhoIsStopped = false;

  async function leaveStopped(link: HubLink, staff?: readonly StaffMember[]): Promise<void> {
    if (staff !== undefined && staff.length > 0) {
      const active = new Set(staff.map((s) => s.userId));
      const here = await session.sync.userNames().catch(() => null);
      if (here !== null && Object.entries(link.members ?? {}).every(([id, m]) => !(id in here) || active.has(m.userId))) return;
    }
    // A phone the admin disabled answers 410 here too: thrown, so that it retires whoever unlocked
    // it (someone who never signed in here sends nothing else, and would keep using it). Asked again
    // at the next run when no answer came (offline at the unlock).
    const stopped = await client.members(device(link)).then(
      (answer) => {
        askedWhoIsStopped = true;
        return answer.stopped;
      },
      (e: unknown) => {
        if (e instanceof SyncError && e.code === 'retired') throw e;
        // a hub that answered (a hub from before A10: 404) is not asked again this unlock
        if (!(e instanceof SyncError && (e.code === 'offline' || e.code === 'unreachable'))) askedWhoIsStopped = true;
        return [];
      },
    );
    if (stopped.length === 0) return;
    // A stopped person's changes held here as refused 'author' (their sign-in revoked first) now go:
    // the hub takes a stopped author's evidence (A9), and nobody could ever clear the mark by signing
    // in as them. In the link as the vault holds it now (a pull may have moved the cursor on).
    const named = new Set(stopped);
    const current = await session.sync.hubLink().catch(() => undefined);
    if (current?.members !== undefined && Object.values(current.members).some((m) => named.has(m.userId) && m.authorRefused === true)) {
      const members = Object.fromEntries(Object.entries(current.members).map(([id, m]) => [id, named.has(m.userId) ? { ...m, authorRefused: false } : m]));
      await session.sync.saveHubLink({ ...current, members }).catch(() => undefined);
    }
    const names: string[] = [];
    await session.sync
      .removeStopped(stopped, (user) => {
        names.push(user.displayName);
        options.onMembersRemoved?.([user]);
      })
      .catch(() => undefined);
    if (names.length > 0) set({ stoppedRemoved: [...status.getState().stoppedRemoved, ...names] });
  }

  /** Retires the phone the hub said is (`error`); a retirement that cannot finish now is reported and tried again at the next contact. */
  async function retireReporting(link: HubLink, error: SyncError): Promise<RunOutcome> {
    try {
      return await retire(link, error.serverMessage);
    } catch (retireError) {
      report(asSyncError(retireError));
      set({ problem: problemOf(error, 'retired') });
      return 'failed';
    }
  }

  let recheckedSetAside = false;

  /**
   * When the run's link (`finished`) names kinds this app now knows [V2]: the cursor back to 0 and
   * those kinds forgotten, in the link as held now (the run's end may have changed its members);
   * true if so. A run whose link names none reads nothing more.
   */
  async function startOverForKnownKinds(finished: HubLink): Promise<boolean> {
    if (!(finished.unknownKinds ?? []).some(isPulledKind)) return false;
    const link = await session.sync.hubLink();
    const kinds = link?.unknownKinds ?? [];
    const unknown = kinds.filter((k) => !isPulledKind(k));
    if (link === undefined || unknown.length === kinds.length) return false;
    const { unknownKinds: _known, ...rest } = link;
    await session.sync.saveHubLink({ ...rest, cursor: 0, ...(unknown.length > 0 ? { unknownKinds: unknown } : {}) });
    return true;
  }

  async function runLocked(): Promise<RunOutcome> {
    if (session.isLocked) return 'locked';
    let link: HubLink | undefined;
    try {
      link = await session.sync.hubLink();
      if (link === undefined) {
        await refresh();
        return 'not-joined';
      }
      // [R3][V2] Once an unlock, offline too: what was set aside is checked again by this app, which
      // may read it since an update (a newer hub's new code in a case entry: its case read as broken).
      if (!recheckedSetAside) {
        recheckedSetAside = true;
        const rechecked = await session.sync.recheckSetAside();
        if (rechecked !== null && rechecked.written > 0) await options.onRecordsChanged?.(rechecked.writtenKeys);
      }
      const me = memberOf(link);
      if (me === undefined || me.signedOut) {
        // A link from before per-user sign-in: nobody on it has a device token yet, but its phone
        // must still learn that it was retired (the hub answers 410 before any session, A7).
        if (link.members === undefined) {
          await client.pull(device(link), wireCursor(link), 1).catch((e: unknown) => {
            if (e instanceof SyncError && e.code === 'retired') throw e;
          });
        }
        // [A10] Signed out before the hub stopped them: asked once an unlock (the device's secret
        // alone), so a stopped person who holds the phone leaves it without a colleague's run. Asked
        // for someone who never signed in here too: the answer is also how a disabled phone learns
        // it is retired when nobody unlocking it has a session (the lost phone, docs/security.md).
        if (!askedWhoIsStopped) await leaveStopped(link);
        await refresh();
        return 'failed';
      }
      set({ running: true, progress: { sent: 0, received: 0 } });
      let pushProblem: SyncError | null = null;
      // A session that ended (idle, 30 min) is opened again once with the device token (A8). The run
      // is through only when an attempt got to its end: one that ended after its first pull has not
      // yet sent what a restored hub lost [S15].
      let finished: HubLink | undefined;
      /** the hub's active users as this run read them (A10 asks the hub only when one here is missing) */
      let freshStaff: readonly StaffMember[] | undefined;
      for (let attempt = 0; finished === undefined; attempt += 1) {
        try {
          // The link as the vault holds it now: an attempt cut off after it wrote pages (or met an
          // epoch change) moved the cursor and epoch on, and the next must not pull from the old ones.
          if (attempt > 0) link = (await session.sync.hubLink()) ?? link;
          pushProblem = null;
          const as = await ensureSession(link, me);
          // The hub's key, once (kept in the link): asked with the session, like a pull.
          link = await withHubKey(receipts, session, link, () => client.hubKey(device(link!)));
          // [S15] Records kept aside at an epoch change wait for the pull from the start to end (a run
          // cut off after it): pull, queue them again, and only then push, or what was queued
          // meanwhile would go first (an entry continuing one the restore lost is refused, E2).
          const resendFirst = await lostRecordsWaiting(session);
          let first: PullPage | undefined;
          if (!resendFirst) {
            try {
              link = await push(link, (page) => (first = page));
            } catch (e) {
              // A lasting gap, or a change too large for the hub, blocks only the push: records still
              // come in (the problem is reported at the run's end).
              if (!blocksOnlyThePush(e)) throw e;
              pushProblem = e;
            }
          }
          let pulled = await pull(link, as, first);
          // [S15] What the restored hub lost goes back into the queue (also after a run that was cut
          // off between the two steps), then out at once, and the pull brings back its new versions.
          // Those records were written back here too: the screens read everything again.
          const resent = (await session.sync.resendLostRecords()) > 0;
          if (resent || pulled.epochChanged) noteWritten('all');
          let more = resent || pulled.epochChanged || resendFirst;
          // Entries queued again go ahead of what is not yet sent, under its numbers: only once this
          // run's push has had every change answered. A change sent in a run whose answer was lost
          // holds its number at the hub, and an entry given it would be refused (seq-conflict) for good.
          if (!resendFirst) {
            // [E7] Entries refused for being dated ahead of the hub (this phone's clock is fast) go
            // again once the hub's clock, as its answers measured it, has caught up with them.
            const offset = status.getState().clockOffset;
            if (offset !== null && (await session.sync.retryClockRefusals(now() - offset.offsetMs)) > 0) more = true;
            // [E2] So do this device's entries refused as `chain` in a case the pull has just brought
            // entries of (another phone sent them again after a restore); after each pull, since an
            // entry refused in the push before it may continue one that pull brought. The queued ones
            // go at the next run past a few rounds.
            if ((await session.sync.retryChainRefusals(pulled.evidenceIds)) > 0) more = true;
          }
          // Told now unless a round follows at once (it tells them with its own, each record once).
          if (!more) await tellWritten();
          for (let round = 0; more && round < RESEND_ROUNDS; round += 1) {
            link = pulled.link;
            try {
              link = await push(link);
              pushProblem = null;
            } catch (e) {
              if (!blocksOnlyThePush(e)) throw e;
              pushProblem = e;
            }
            pulled = await pull(link, as);
            more = (await session.sync.retryChainRefusals(pulled.evidenceIds)) > 0;
            await tellWritten();
          }
          // The hub's users, for the 担当 picker and one's own office on a new 聞き取り票: a hub that does
          // not answer it leaves the list as it was. Kept with the link, so it is there offline too.
          const staffLink = link;
          const staff = await client.staff(device(staffLink)).then(
            (answer) => answer.staff,
            () => undefined,
          );
          if (staff !== undefined) set({ staff });
          freshStaff = staff;
          finished = staff === undefined ? pulled.link : { ...pulled.link, staff };
        } catch (e) {
          // An ended session, or a page under another scope (the cookie switched, or this user's scope
          // changed since): the user's session is opened again once. A second page under another
          // scope fails the run as 'session-switched'; the next run tries again.
          const reopen = e instanceof SyncError && attempt === 0 && ((e.code === 'signed-out' && sessionFor !== null) || e.code === 'session-switched');
          if (!reopen) throw e;
          sessionFor = null;
        }
      }
      await session.sync.saveHubLink({ ...finished, lastSyncAt: new Date(now()).toISOString() });
      set({ problem: null });
      if (pushProblem) report(pushProblem);
      await tellWritten();
      await refresh();
      await leaveStopped(finished, freshStaff);
      // [V2] This app knows a kind of record it once left out (it was updated since): the cursor
      // went past those records, so everything is pulled again from the start, in this same run.
      // Only now that this run got through from the cursor held: a restore is told from there alone.
      if (!pushProblem && (await startOverForKnownKinds(finished))) return await runLocked();
      return pushProblem ? 'failed' : 'done';
    } catch (e) {
      // Pages written before the failure are in the vault, and the cursor past them: told now.
      await tellWritten().catch(() => undefined);
      const error = asSyncError(e);
      if (error.code === 'retired' && link !== undefined) return retireReporting(link, error);
      if ((error.code === 'signed-out' || error.code === 'unknown-device' || error.code === 'forbidden') && link !== undefined && !session.isLocked) {
        await markSignedOut();
        // [A10] The hub may have stopped the person unlocked: they leave the phone at once (a phone
        // signed out sends nothing more until a sign-in, so it is asked now or at a colleague's run).
        if (error.code === 'signed-out' && memberOf(link) !== undefined) {
          const retired = await leaveStopped(link).then(
            () => null,
            (stop: unknown) => asSyncError(stop),
          );
          if (retired?.code === 'retired') return retireReporting(link, retired);
        }
      }
      // The app locked under the run (a handover, the idle lock): what failed for that is no problem
      // to show, least of all to the next person to unlock, whose status starts clean.
      if (session.isLocked) return 'locked';
      if (error.code === 'storage') options.onStorageError?.(e);
      report(error);
      await refresh().catch(() => undefined);
      return 'failed';
    } finally {
      set({ running: false, progress: null });
    }
  }

  /** A run asked for while one is under way: it follows that one, shared by every such ask. */
  let again: Promise<RunOutcome> | null = null;

  function run(): Promise<RunOutcome> {
    if (running) {
      // 今すぐ同期 pressed during a timer's run: what changed on the hub meanwhile must not wait for
      // the next trigger, so one more run follows (however many asked), never two at once.
      again ??= running.then(() => {
        again = null;
        return run();
      });
      return again;
    }
    return start(runLocked);
  }

  /** Starts `locked` as this tab's run, under the Web Lock when there is one. */
  function start(locked: () => Promise<RunOutcome>): Promise<RunOutcome> {
    const work = async (): Promise<RunOutcome> => {
      if (locks === null) return locked();
      // Another tab holding the lock is syncing this same database: nothing to add to it.
      return locks.request(SYNC_LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? locked() : 'busy'));
    };
    running = work().finally(() => {
      running = null;
    });
    return running;
  }

  /**
   * [A6b] A liaison joining a phone that holds another role's member, or anyone else joining one
   * that holds a liaison: the other member's role (the one already here). The joining person's own
   * entry (signing in again, or as another login) is theirs to replace, not a mix; a member removed
   * from the phone since (their key slot gone, their entry kept to credit what they queued) reads
   * nothing here any more. Unable to tell who has a key slot, every member counts.
   */
  async function mixedRoles(link: HubLink | undefined, role: Role): Promise<Role | null> {
    const liaison = role === 'facility-liaison';
    const here = link?.members === undefined ? null : await session.sync.userNames().catch(() => null);
    const other = Object.entries(link?.members ?? {}).find(
      ([id, m]) => id !== session.user.id && (here === null || id in here) && (m.role === 'facility-liaison') !== liaison,
    );
    if (other !== undefined) return other[1].role;
    if (!liaison || link?.members?.[session.user.id] !== undefined) return null;
    // A liaison new to this phone: what it holds of its own (never the hub's, which a pull drops out
    // of scope) and the people who can unlock it are no member's to tell by. A household or a case
    // written here, or a colleague's key slot with no liaison's entry, is another role's.
    const slots = await session.sync.userNames().catch(() => ({}));
    const colleague = Object.keys(slots).some((id) => id !== session.user.id && link?.members?.[id]?.role !== 'facility-liaison');
    const held = await Promise.all((['household', 'case-entry'] as const).map((kind) => session.recordIds(kind)));
    return colleague || held.flat().some((id) => !isDemoId(id)) ? 'coordinator' : null;
  }

  async function join(form: JoinForm): Promise<RunOutcome> {
    const { deviceName, ...signIn } = form;
    const info = await client.signIn(signIn);
    opened(info.user);
    const old = await session.sync.hubLink();
    // Everyone who unlocks this phone reads all its vault holds: a facility's liaison never shares
    // one with the people whose households and cases it holds (either joining second is refused).
    const mixed = await mixedRoles(old, info.user.role);
    if (mixed !== null) {
      // The liaison's (or colleague's) session just opened is ended: nothing runs under it here.
      await client.signOut().catch(() => undefined);
      noteBrowserSession(null);
      sessionFor = null;
      sessionUser = null;
      throw new SyncError('forbidden', `role ${info.user.role} refused on a phone with a ${mixed} member`, null, null, mixed === 'facility-liaison' ? S.join.liaisonHere : S.join.liaisonRefused);
    }
    // A6: a device already in this hub proves its secret, so its new user is added to it.
    const same = old !== undefined && old.hub === info.user.hub;
    const enrolled = await client.enrol({ deviceId: session.deviceId, name: deviceName, vaultUserId: session.user.id }, same ? device(old) : undefined).catch((e: unknown) => {
      // [A6] Registered in this hub, and no secret held here to prove it (a join cut short before
      // this kept it, the app's data cleared): only the hub's admin can hand the device over.
      throw e instanceof SyncError && e.code === 'forbidden' && !same ? new SyncError('forbidden', e.detail, e.serverMessage, null, S.enrolForbidden, e.requestId) : e;
    });
    const member: HubMember = { userId: info.user.id, loginName: form.loginName, displayName: info.user.displayName, role: info.user.role, signedOut: false };
    // The device's cursor and scope are kept on the same hub; the pull drops what this user may not hold.
    const link: HubLink = {
      hub: info.user.hub,
      loginName: form.loginName,
      userId: info.user.id,
      displayName: info.user.displayName,
      role: info.user.role,
      members: { ...(same ? old.members : {}), [session.user.id]: member },
      deviceSecret: enrolled.deviceSecret,
      cursor: same ? old.cursor : 0,
      // [S15] the cursor keeps its epoch: a device that must enrol again after a restore (it was
      // registered after the backup) still notices the restore at its next pull.
      epoch: same ? (old.epoch ?? null) : null,
      mark: same ? (old.mark ?? null) : null,
      scope: same ? old.scope : null,
      lastSyncAt: same ? old.lastSyncAt : null,
      openConflicts: same ? old.openConflicts : 0,
      signedOut: false,
    };
    // The hub has enrolled the device: its secret is kept before anything else is written, so a join
    // cut short after this (storage full, the app closed) can be tried again, proving it (A6). Until
    // the queue follows the hub's seq and the token is kept, this user counts as signed out here:
    // no run sends under the link meanwhile.
    await session.sync.saveHubLink({ ...link, members: { ...link.members, [session.user.id]: { ...member, signedOut: true } } });
    // The queue goes on from the seq the hub has of this device: none is stranded behind it.
    await session.sync.followServerSeq(enrolled.lastSeq);
    await session.sync.saveUserToken(enrolled.userToken);
    await session.sync.saveHubLink(link);
    set({ problem: null });
    await refresh();
    // A run already under way (a timer) must not swallow the first sync: wait for it, then run.
    if (running) await running;
    return run();
  }

  async function signOut(): Promise<void> {
    const link = await session.sync.hubLink();
    if (link === undefined) return;
    // Offline, the hub's session simply expires; this device stops using it either way, and the
    // user's device token is forgotten here: they sign in with password and code next time.
    // The cookie may be another tab's person's by now: their session is theirs to end.
    const inBrowser = browserSessionUser();
    if (inBrowser === null || inBrowser === memberOf(link)?.userId) {
      await client.signOut().catch(() => undefined);
      noteBrowserSession(null);
    }
    await session.sync.clearUserToken();
    await markSignedOut();
    set({ problem: null });
    await refresh();
  }

  async function dismissRefused(seq: number, logReason: string): Promise<void> {
    // [R4] The hub's copy held back for the change is the record now (or its withdrawal took it): the screens follow.
    const applied = await session.sync.dismissRefused(seq, logReason);
    if (applied !== null) await options.onRecordsChanged?.(applied.removed ? 'all' : [[applied.kind, applied.id]]);
    await refresh();
  }

  async function joinedLink(): Promise<HubLink> {
    const link = await session.sync.hubLink();
    const me = memberOf(link);
    if (link === undefined || me === undefined || me.signedOut) throw new SyncError('signed-out', 'not joined or signed out');
    await ensureSession(link, me);
    return link;
  }

  async function conflicts(): Promise<readonly WireConflict[]> {
    return (await client.conflicts(device(await joinedLink()))).conflicts;
  }

  async function settleConflict(conflict: WireConflict, choice: 'kept' | 'lost'): Promise<void> {
    const link = await joinedLink();
    // A period's two dates are one statement (protocol/merge.ts PERIOD_PAIRS): of a pair both sides
    // changed, each differing date of the other is its own conflict, and one of them settled alone
    // could write 11/05〜11/03, which the hub takes. 「戻す」 on one takes the other phone's pair whole
    // when its other date is still a conflict; a settled record whose 開始日 is after its 終了日 is refused.
    const period = /^((?:.*\.)?)(fromMonth|toMonth|from|to)$/.exec(conflict.field);
    const month = period?.[2]?.endsWith('Month') ? 'Month' : '';
    const pair: readonly string[] | null = period === null ? null : [`${period[1] ?? ''}from${month}`, `${period[1] ?? ''}to${month}`];
    const sibling =
      pair === null || choice !== 'lost'
        ? undefined
        : (await client.conflicts(device(link))).conflicts.find(
            (c) =>
              c.id !== conflict.id &&
              c.kind === conflict.kind &&
              c.entityId === conflict.entityId &&
              c.field !== conflict.field &&
              pair.includes(c.field) &&
              c.lostVersion === conflict.lostVersion &&
              c.lostValue !== undefined,
          );
    // A 「もう一方の値に戻す」 whose run could not send it is still queued. Keeping the hub's value
    // then writes that value back after it: closing the conflict alone left the queued edit to set,
    // at the next run, the very value the user had just turned down.
    const queuedBack = (await session.outbox()).filter((e) => writesValue(e, conflict, conflict.lostValue));
    if (choice === 'lost' || queuedBack.length > 0) {
      const before = new Set((await session.outbox()).map((e) => e.mutationId));
      if (choice === 'kept' || queuedBack.length === 0) {
        const held = await session.get<Record<string, unknown>>(conflict.kind, conflict.entityId);
        const one = held === undefined ? null : setAtPath(held.data, conflict.field, choice === 'lost' ? conflict.lostValue : conflict.keptValue);
        const updated = one === null || sibling === undefined ? one : setAtPath(one, sibling.field, sibling.lostValue);
        if (held === undefined || updated === null) throw new SyncError('conflict-gone', `${conflict.kind} ${conflict.entityId} ${conflict.field}`);
        const [start, end] = pair === null ? [] : pair.map((path) => valueAtPath(updated, path));
        if (typeof start === 'string' && typeof end === 'string' && start !== '' && end !== '' && start > end) {
          throw new SyncError(
            'conflict-gone',
            `${conflict.kind} ${conflict.entityId} ${conflict.field}: ${start} after ${end}`,
            null,
            null,
            S.settle.periodInverted,
          );
        }
        // The other value may come from a newer app (a 障害種別 this one does not know): written as
        // it is, this phone would hold a record its own pull sets aside. Refused here instead.
        const settled = { ...updated, updatedAt: new Date(now()).toISOString() };
        const { checkRecord } = await import('../protocol/records');
        const problem = checkRecord(conflict.kind, conflict.entityId, settled);
        if (problem !== null) {
          throw new SyncError('conflict-gone', `${conflict.kind} ${conflict.entityId} ${conflict.field}: ${problem.message}`, null, null, S.settle.unreadable);
        }
        await session.put(conflict.kind, conflict.entityId, settled, 'update');
      }
      // This edit, by its mutation id: another change of the record still listed (one the hub
      // refused before) is not it. 「戻す」 pressed again after a run that could not send it is
      // the edit already queued, not a second one.
      const fresh = (await session.outbox()).filter((e) => !before.has(e.mutationId) && e.kind === conflict.kind && e.entityId === conflict.entityId);
      const edit = new Set((fresh.length > 0 ? fresh : queuedBack).map((e) => e.mutationId));
      await options.onRecordsChanged?.([[conflict.kind, conflict.entityId]]);
      // The edit must reach the hub before the conflict is closed for everyone.
      if (running) await running;
      const outcome = await run();
      const left = (await session.outbox()).find((e) => edit.has(e.mutationId));
      if (left !== undefined) throw stillQueued(left, outcome);
    }
    await client.resolveConflict(device(link), conflict.id, choice);
    // the other date of the pair, written with it, is settled the same way
    if (sibling !== undefined) await client.resolveConflict(device(link), sibling.id, 'lost');
    if (running) await running;
    await run();
  }

  /** Why the edit settling a conflict is still here after the run that was to send it, in words. */
  function stillQueued(edit: OutboxEntry, outcome: RunOutcome): SyncError {
    const detail = `the edit ${edit.mutationId} is still queued (run: ${outcome})`;
    const { heldFor, problem } = status.getState();
    if (edit.refusal !== null) return new SyncError('rejected', `${detail}, refused: ${edit.refusal.reason}`, null, null, S.settle.refused);
    if (outcome === 'busy') return new SyncError('busy', detail, null, null, S.settle.busy);
    if (outcome !== 'done' && problem !== null) return new SyncError(problem.code, detail, problem.serverMessage, problem.retryAfterSeconds ?? null, problem.message);
    if (heldFor !== null) return new SyncError('held', detail, null, null, S.settle.heldFor(heldFor));
    return new SyncError('unreachable', detail);
  }

  async function pullAgain(): Promise<RunOutcome> {
    if (running) await running;
    // [S15] First an ordinary run from the cursor held, with its epoch and mark: the hub can tell a
    // restore (another epoch, or a database put back by hand that a marked cursor catches) only
    // from that cursor, never from version 0, which every timeline shares. A restore met there is
    // handled as always (what it lost is kept aside, pulled from the start, sent again); started
    // over from 0 unmet, the restore's older copies would overwrite this device's later edits and
    // nothing would be sent again. A run that did not get through leaves the cursor as it is.
    const first = await run();
    if (first !== 'done') return first;
    // Then the cursor goes back to 0 inside the run that pulls from it, once no run is under way or
    // asked for: a run asked meanwhile (a save, the minute) would have read the old cursor and
    // written it back over the 0, and this one, merged into it, would have pulled nothing again.
    for (let busy = again ?? running; busy !== null; busy = again ?? running) await busy.catch(() => undefined);
    return start(async () => {
      if (session.isLocked) return 'locked';
      try {
        const link = await session.sync.hubLink();
        if (link !== undefined) await session.sync.saveHubLink({ ...link, cursor: 0 });
      } catch (e) {
        // Locked meanwhile, or storage full: said as a run's failure is, and nothing is pulled.
        report(asSyncError(e));
        return 'failed';
      }
      return runLocked();
    });
  }

  function settled(): Promise<void> | null {
    const busy = again ?? running;
    return busy === null ? null : busy.then(
      () => undefined,
      () => undefined,
    );
  }

  return { run, join, signOut, refresh, dismissRefused, conflicts, settleConflict, pullAgain, settled };
}

/** Everything the status held about the hub, forgotten (the device was wiped); a run in progress keeps its flags. */
function clearedStatus(): Partial<SyncStatus> {
  const { running: _running, progress: _progress, retired: _retired, ...cleared } = initialSyncStatus;
  return cleared;
}
