/**
 * The client sync engine (docs/sync-protocol.md): one run pushes the outbox, then pulls until the
 * hub has nothing more. One tab at a time (Web Locks), one run at a time per tab; never while the
 * vault is locked (the outbox payloads are sealed). Nothing is removed from the queue until the hub
 * has answered for it, so a lost answer only means the same changes go again (answered 'duplicate').
 */
import type { StoreApi } from 'zustand/vanilla';
import { MAX_PUSH_CHANGES, type SignInRequest, type WireChange, type WireConflict, type WireScope } from '../protocol/sync';
import { setAtPath } from './conflict-path';
import { toVaultError } from '../vault/errors';
import type { EntityKind, HubLink, OutboxEntry, VaultSession } from '../vault/types';
import { HubClient, SyncError, type DeviceCredentials, type FetchLike } from './client';
import { initialSyncStatus, syncStatus, type SyncStatus } from './status';
import { countersignState, type CountersignState } from './countersign';
import { keepReceipts, loadCountersigns, withHubKey } from './receipts';

export const SYNC_LOCK_NAME = 'kyoten-sync';
/** Records per pull page: large pages make the first sync of 10,000 households a few requests. */
export const PULL_PAGE = 2000;
/** A gap that stays after this many fresh starts is reported instead of retried in a loop. */
const GAP_RESTARTS = 3;
/** Kinds the hub takes from a retired device: evidence and the access log, never editable records. */
const RETIRE_KINDS: ReadonlySet<OutboxEntry['kind']> = new Set(['case-entry', 'access']);

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
  /** called after the device was wiped on retirement (drop whatever the app holds in memory) */
  readonly onRetired?: () => Promise<void> | void;
  /** unregisters the service worker and clears Cache Storage; replaceable in tests */
  readonly forgetInstall?: () => Promise<void>;
  readonly status?: StoreApi<SyncStatus>;
  /** the hub key and receipts the screens read; defaults to the app's countersignState */
  readonly countersign?: StoreApi<CountersignState>;
  readonly now?: () => number;
  readonly pullPage?: number;
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
  dismissRefused(seq: number): Promise<void>;
  /**
   * Pulls everything in scope again from the start (after the hub's database was restored from a
   * backup, say): the records are written again; unsent changes here are left as they are.
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
}

const defaultFetch: FetchLike = (input, init) => globalThis.fetch(input, init);

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

function toWire(e: OutboxEntry): WireChange {
  return {
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

function sameScope(a: WireScope | null, b: WireScope): boolean {
  return a !== null && JSON.stringify(a) === JSON.stringify(b);
}

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Anything thrown during a run, as a SyncError (storage failures included). */
function asSyncError(e: unknown): SyncError {
  if (e instanceof SyncError) return e;
  if (e instanceof TypeError) return new SyncError('bad-response', e.message);
  return new SyncError('storage', toVaultError(e).code);
}

export function createSyncEngine(options: SyncEngineOptions): SyncEngine {
  const { session } = options;
  const client = new HubClient(options.fetch ?? defaultFetch);
  const status = options.status ?? syncStatus;
  const receipts = options.countersign ?? countersignState;
  const now = options.now ?? Date.now;
  const pullPage = options.pullPage ?? PULL_PAGE;
  const locks = options.locks === undefined ? (globalThis.navigator?.locks as LockManagerLike | undefined) ?? null : options.locks;
  const forgetInstall = options.forgetInstall ?? forgetAppInstall;
  let running: Promise<RunOutcome> | null = null;

  const set = (patch: Partial<SyncStatus>) => status.setState(patch);
  const device = (link: HubLink): DeviceCredentials => ({ deviceId: session.deviceId, deviceSecret: link.deviceSecret });

  async function refresh(): Promise<void> {
    if (session.isLocked) return;
    const [link, counts] = await Promise.all([session.sync.hubLink(), session.sync.queueCounts()]);
    await loadCountersigns(receipts, session, link);
    set({
      joined: link !== undefined,
      signedOut: link?.signedOut ?? false,
      hub: link?.hub ?? null,
      loginName: link?.loginName ?? null,
      displayName: link?.displayName ?? null,
      role: link?.role ?? null,
      lastSyncAt: link?.lastSyncAt ?? null,
      openConflicts: link?.openConflicts ?? 0,
      pending: counts.pending,
      refused: counts.refused,
    });
  }

  function report(error: SyncError): void {
    set({ problem: { code: error.code, message: error.message, serverMessage: error.serverMessage } });
  }

  /** Sends the queue in seq order; returns how many the hub took. A lasting gap is thrown. */
  async function push(link: HubLink): Promise<number> {
    let sent = 0;
    for (let restart = 0; ; restart += 1) {
      const queue = (await session.outbox()).filter((e) => e.refusal === null);
      let gap = false;
      for (const batch of chunks(queue, MAX_PUSH_CHANGES)) {
        const answer = await client.push(device(link), batch.map(toWire));
        const ack = await session.sync.acknowledge(answer.results);
        await keepReceipts(receipts, session, link, answer.receipts);
        sent += ack.sent;
        set({ progress: { sent, received: status.getState().progress?.received ?? 0 } });
        // [S3] Nothing after a gap was taken: start again from the first change still queued.
        if (ack.gapAt !== null) {
          gap = true;
          break;
        }
      }
      if (!gap) return sent;
      if (restart >= GAP_RESTARTS) throw new SyncError('gap', 'the hub keeps answering gap');
    }
  }

  /** Pulls page after page; each page and the cursor after it are written in one transaction. */
  async function pull(start: HubLink): Promise<{ link: HubLink; changed: RecordsChanged | null }> {
    let link = start;
    let dropped = false;
    const written: (readonly [EntityKind, string])[] = [];
    const changedOf = (): RecordsChanged | null => (dropped ? 'all' : written.length > 0 ? written : null);
    let received = 0;
    const mismatches = new Set(status.getState().evidenceMismatches);
    // The next page is asked for while this one is sealed and written: the network and the vault
    // overlap. A prefetched page is used only if the cursor it was asked at is still the one.
    let prefetched: { cursor: number; page: ReturnType<HubClient['pull']> } | null = null;
    const fetchPage = (cursor: number) => {
      const page = client.pull(device(link), cursor, pullPage);
      page.catch(() => undefined); // awaited below, or dropped with its error when not used
      return { cursor, page };
    };
    for (;;) {
      const ask = prefetched !== null && prefetched.cursor === link.cursor ? prefetched : fetchPage(link.cursor);
      prefetched = null;
      const page = await ask.page;
      if (page.hasMore && page.cursor > link.cursor && sameScope(link.scope, page.scope)) prefetched = fetchPage(page.cursor);
      if (!sameScope(link.scope, page.scope)) {
        // The scope changed (or is known for the first time): drop what this user may no longer hold.
        if ((await session.sync.dropOutOfScope(page.scope)) > 0) dropped = true;
        if (link.scope !== null && link.cursor > 0) {
          // Records it now covers may lie below the cursor: pull everything again from the start
          // (writing a record again is harmless; those with unsent changes are left alone).
          link = { ...link, cursor: 0, scope: page.scope };
          await session.sync.saveHubLink(link);
          continue;
        }
      }
      const next: HubLink = { ...link, cursor: page.cursor, scope: page.scope, openConflicts: page.openConflicts };
      // Receipts first: once the page moves the cursor, they would not come again.
      await keepReceipts(receipts, session, next, page.receipts);
      const applied = await session.sync.applyRemote(page.records, next);
      written.push(...applied.writtenKeys);
      for (const id of applied.evidenceMismatches) mismatches.add(id);
      received += page.records.length;
      set({ progress: { sent: status.getState().progress?.sent ?? 0, received }, evidenceMismatches: [...mismatches] });
      if (page.hasMore && page.cursor <= link.cursor) throw new SyncError('bad-response', `pull: hasMore without progress at cursor ${page.cursor}`);
      link = next;
      if (!page.hasMore) return { link, changed: changedOf() };
    }
  }

  /**
   * [retire] Sends every change still queued, in seq order, under the device secret alone: the hub
   * takes the evidence and the access log and refuses the rest ('scope'), so no seq is skipped and
   * nothing after a refused edit waits on a gap. Wipes only when every evidence and access entry
   * was acknowledged; otherwise nothing is wiped and the next contact tries again.
   */
  async function retire(link: HubLink, serverMessage: string | null): Promise<RunOutcome> {
    const queue = await session.outbox();
    for (const batch of chunks(queue, MAX_PUSH_CHANGES)) {
      const answer = await client.retirePush(device(link), batch.map(toWire));
      const ack = await session.sync.acknowledge(answer.results);
      if (ack.gapAt !== null) throw new SyncError('gap', `retire: gap at seq ${ack.gapAt}`);
    }
    const unsent = (await session.outbox()).filter((e) => RETIRE_KINDS.has(e.kind));
    if (unsent.length > 0) throw new SyncError('retired', `retire: ${unsent.length} evidence or access entries not acknowledged`);
    await session.sync.wipe();
    await forgetInstall().catch(() => undefined);
    set({ ...clearedStatus(), retired: { serverMessage } });
    await options.onRetired?.();
    return 'retired';
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
      if (link.signedOut) {
        await refresh();
        return 'failed';
      }
      set({ running: true, progress: { sent: 0, received: 0 } });
      link = await withHubKey(receipts, session, link, () => client.hubKey(device(link!)));
      let gapError: SyncError | null = null;
      try {
        await push(link);
      } catch (e) {
        // A lasting gap blocks only the push: records still come in.
        if (!(e instanceof SyncError && e.code === 'gap')) throw e;
        gapError = e;
      }
      const pulled = await pull(link);
      const finished: HubLink = { ...pulled.link, lastSyncAt: new Date(now()).toISOString() };
      await session.sync.saveHubLink(finished);
      set({ problem: null });
      if (gapError) report(gapError);
      if (pulled.changed !== null) await options.onRecordsChanged?.(pulled.changed);
      await refresh();
      return gapError ? 'failed' : 'done';
    } catch (e) {
      const error = asSyncError(e);
      if (error.code === 'retired' && link !== undefined) {
        try {
          return await retire(link, error.serverMessage);
        } catch (retireError) {
          report(asSyncError(retireError));
          set({ problem: { code: 'retired', message: error.message, serverMessage: error.serverMessage } });
          return 'failed';
        }
      }
      if ((error.code === 'signed-out' || error.code === 'unknown-device') && link !== undefined && !session.isLocked) {
        await session.sync.saveHubLink({ ...link, signedOut: true }).catch(() => undefined);
      }
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
    const work = async (): Promise<RunOutcome> => {
      if (locks === null) return runLocked();
      // Another tab holding the lock is syncing this same database: nothing to add to it.
      return locks.request(SYNC_LOCK_NAME, { ifAvailable: true }, async (lock) => (lock ? runLocked() : 'busy'));
    };
    running = work().finally(() => {
      running = null;
    });
    return running;
  }

  async function join(form: JoinForm): Promise<RunOutcome> {
    const { deviceName, ...signIn } = form;
    const info = await client.signIn(signIn);
    const enrolled = await client.enrol({ deviceId: session.deviceId, name: deviceName });
    const old = await session.sync.hubLink();
    // Signing in again as the same user on the same hub keeps the cursor; anyone else starts over.
    const same = old !== undefined && old.hub === info.user.hub && old.userId === info.user.id;
    await session.sync.saveHubLink({
      hub: info.user.hub,
      loginName: form.loginName,
      userId: info.user.id,
      displayName: info.user.displayName,
      role: info.user.role,
      deviceSecret: enrolled.deviceSecret,
      cursor: same ? old.cursor : 0,
      scope: same ? old.scope : null,
      lastSyncAt: same ? old.lastSyncAt : null,
      openConflicts: same ? old.openConflicts : 0,
      signedOut: false,
    });
    set({ problem: null });
    await refresh();
    // A run already under way (a timer) must not swallow the first sync: wait for it, then run.
    if (running) await running;
    return run();
  }

  async function signOut(): Promise<void> {
    const link = await session.sync.hubLink();
    if (link === undefined) return;
    // Offline, the hub's session simply expires; this device stops using it either way.
    await client.signOut().catch(() => undefined);
    await session.sync.saveHubLink({ ...link, signedOut: true });
    set({ problem: null });
    await refresh();
  }

  async function dismissRefused(seq: number): Promise<void> {
    await session.sync.dismissRefused(seq);
    await refresh();
  }

  async function joinedLink(): Promise<HubLink> {
    const link = await session.sync.hubLink();
    if (link === undefined || link.signedOut) throw new SyncError('signed-out', 'not joined or signed out');
    return link;
  }

  async function conflicts(): Promise<readonly WireConflict[]> {
    return (await client.conflicts(device(await joinedLink()))).conflicts;
  }

  async function settleConflict(conflict: WireConflict, choice: 'kept' | 'lost'): Promise<void> {
    const link = await joinedLink();
    if (choice === 'lost') {
      const held = await session.get<Record<string, unknown>>(conflict.kind, conflict.entityId);
      const updated = held === undefined ? null : setAtPath(held.data, conflict.field, conflict.lostValue);
      if (held === undefined || updated === null) throw new SyncError('conflict-gone', `${conflict.kind} ${conflict.entityId} ${conflict.field}`);
      await session.put(conflict.kind, conflict.entityId, { ...updated, updatedAt: new Date(now()).toISOString() }, 'update');
      await options.onRecordsChanged?.([[conflict.kind, conflict.entityId]]);
      // The edit must reach the hub before the conflict is closed for everyone.
      if (running) await running;
      await run();
      const queued = (await session.outbox()).some((e) => e.kind === conflict.kind && e.entityId === conflict.entityId);
      if (queued) throw status.getState().problem !== null ? new SyncError(status.getState().problem!.code, 'the edit is still queued') : new SyncError('unreachable', 'the edit is still queued');
    }
    await client.resolveConflict(device(link), conflict.id, choice);
    if (running) await running;
    await run();
  }

  async function pullAgain(): Promise<RunOutcome> {
    if (running) await running;
    const link = await joinedLink();
    await session.sync.saveHubLink({ ...link, cursor: 0 });
    return run();
  }

  return { run, join, signOut, refresh, dismissRefused, conflicts, settleConflict, pullAgain };
}

/** Everything the status held about the hub, forgotten (the device was wiped); a run in progress keeps its flags. */
function clearedStatus(): Partial<SyncStatus> {
  const { running: _running, progress: _progress, retired: _retired, ...cleared } = initialSyncStatus;
  return cleared;
}
