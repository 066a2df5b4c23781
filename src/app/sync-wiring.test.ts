/**
 * What counts as a change waiting to be sent: every kind of record written here, and the 閲覧記録;
 * and what the app does when the hub stops people on this phone (A10).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { lastCaseOffice, rememberCaseOffice } from '../state/case-office';
import { rememberLiaison, wasLiaison } from '../state/liaison-hint';
import { LOCK_CHANNEL_NAME } from '../state/lock-channel';
import { useApp } from '../state/store';
import { isClockOff } from '../sync/clock-offset';
import type { SyncEngineOptions } from '../sync/engine';
import { syncStatus } from '../sync/status';
import type { Vault, VaultUser } from '../vault/types';
import { VaultError } from '../vault/errors';

const engine = vi.hoisted(() => ({ run: vi.fn(async () => undefined), refresh: vi.fn(async () => undefined), settled: vi.fn((): Promise<void> | null => null) }));
/** The options each createSyncEngine call was given, in order: the wiring's callbacks, to call as the engine would. */
const engineOptions = vi.hoisted(() => [] as SyncEngineOptions[]);
vi.mock('../sync/engine', () => ({
  createSyncEngine: (options: SyncEngineOptions) => {
    engineOptions.push(options);
    return engine;
  },
}));

const { startSync } = await import('./sync-wiring');
const initial = useApp.getState();

afterEach(() => {
  useApp.setState(initial, true);
  vi.clearAllMocks();
  engineOptions.length = 0;
  localStorage.clear();
});

const person = (id: string, displayName: string): VaultUser => ({ id, displayName, createdAt: '2024-04-01T00:00:00.000Z' });
const me = person('user-1', 'テスト 太郎');
const colleague = person('user-2', '同僚 花子');
const another = person('user-3', '別の 次郎');

/**
 * This tab unlocked as `me`, syncing, with the phone's three people on the lock screen's list; the
 * vault lists `remaining` once the engine has taken the stopped ones off the phone. Each person has
 * an office remembered for their next case and is remembered as a liaison.
 */
function unlockedAndSyncing(remaining: readonly VaultUser[]) {
  const session = createFakeSession(me);
  const vault = { listUsers: async () => [...remaining] } as unknown as Vault;
  useApp.setState({ vault, session, phase: 'unlocked', users: [me, colleague, another] });
  for (const user of [me, colleague, another]) {
    rememberCaseOffice(user.id, `office-of-${user.id}`);
    rememberLiaison(user.id, true);
  }
  const stop = startSync(session);
  const options = engineOptions.at(-1);
  if (options?.session !== session || options.onMembersRemoved === undefined) throw new Error('startSync gave the engine no onMembersRemoved');
  return { session, stop, membersRemoved: options.onMembersRemoved };
}

/** What the app's other tabs hear on the lock channel (a tab does not hear its own messages; this is another end). */
function otherTab() {
  const heard: unknown[] = [];
  const channel = new BroadcastChannel(LOCK_CHANNEL_NAME);
  channel.addEventListener('message', (e) => heard.push(e.data));
  return { heard, close: () => channel.close() };
}

describe('startSync', () => {
  it('counts again at once when a trial stay, a month marked 請求済み, or any 閲覧記録 entry is written, as for a household', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const stop = startSync(session);
    try {
      const refreshes = () => engine.refresh.mock.calls.length;
      let before = refreshes();
      useApp.setState({ trialStays: new Map() });
      expect(refreshes()).toBe(before + 1);
      before = refreshes();
      useApp.setState({ monthCloses: new Map() });
      expect(refreshes()).toBe(before + 1);
      before = refreshes();
      await useApp.getState().openHousehold('hh-1');
      expect(refreshes()).toBe(before + 1);
      // an entry the session writes itself (a print, a claim file, a person added…)
      before = refreshes();
      await session.logAccess('print-household', 'hh-1');
      expect(refreshes()).toBe(before + 1);
      before = refreshes();
      useApp.setState({ error: null });
      expect(refreshes()).toBe(before);
    } finally {
      stop();
    }
  });

  it('what a pull wrote is read here and told to the other tabs of the app, whose syncs would never bring it (the cursor moved on for them too)', async () => {
    const heard: unknown[] = [];
    const channel = new BroadcastChannel('kyoten-records');
    channel.addEventListener('message', (e) => heard.push(e.data));
    const session = createFakeSession();
    const refreshRecords = vi.fn(async () => undefined);
    const reload = vi.fn(async () => undefined);
    useApp.setState({ session, phase: 'unlocked', refreshRecords, reload });
    const stop = startSync(session);
    try {
      const { onRecordsChanged } = engineOptions.at(-1)!;
      await onRecordsChanged?.([['household', 'hh-1'], ['case-entry', 'entry-1']]);
      expect(refreshRecords).toHaveBeenCalledWith([['household', 'hh-1'], ['case-entry', 'entry-1']]);
      // a pull that brought everything (a first sync): read whole here, said once (this tab's reload says nothing more)
      await onRecordsChanged?.('all');
      expect(reload).toHaveBeenCalledWith({ tellOtherTabs: false });
      await vi.waitFor(() =>
        expect(heard).toEqual([
          { type: 'records', deviceId: session.deviceId, written: [['household', 'hh-1'], ['case-entry', 'entry-1']] },
          { type: 'records', deviceId: session.deviceId, written: 'all' },
        ]),
      );
    } finally {
      stop();
      channel.close();
    }
  });

  it('a lock forgets what the session knew of the hub, but not how far the phone\'s clock is off: the next person is warned at once', () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const stop = startSync(session);
    const clockOffset = { offsetMs: 4 * 60_000, uncertaintyMs: 50, measuredAt: '2026-12-05T17:00:00.000Z' };
    syncStatus.setState({ joined: true, hub: 'hub-1', pending: 3, refused: 1, clockOffset });
    stop();
    expect(syncStatus.getState()).toMatchObject({ joined: false, hub: null, pending: 0, refused: 0, clockOffset });
    expect(isClockOff(syncStatus.getState().clockOffset)).toBe(true);
  });

  it('when the hub stops other people on this phone: the other tabs are told, nothing of theirs stays, and this tab stays unlocked with its list read again', async () => {
    const tabs = otherTab();
    const { session, stop, membersRemoved } = unlockedAndSyncing([me]);
    try {
      membersRemoved([colleague, another]);
      // the lock screen no longer offers them
      await vi.waitFor(() => expect(useApp.getState().users).toEqual([me]));
      // a tab either of them holds unlocked locks
      await vi.waitFor(() =>
        expect(tabs.heard).toEqual([
          { type: 'removed', userId: colleague.id },
          { type: 'removed', userId: another.id },
        ]),
      );
      // nothing of theirs stays on the phone: no office for their next case, no liaison's screens
      for (const user of [colleague, another]) {
        expect(lastCaseOffice(user.id)).toBeNull();
        expect(wasLiaison(user.id)).toBe(false);
      }
      // the person unlocked here keeps working, with what the phone remembers of them
      expect(useApp.getState()).toMatchObject({ phase: 'unlocked', session, lockedBy: null });
      expect(session.isLocked).toBe(false);
      expect(lastCaseOffice(me.id)).toBe(`office-of-${me.id}`);
      expect(wasLiaison(me.id)).toBe(true);
    } finally {
      stop();
      tabs.close();
    }
  });

  it('when the hub stops the person unlocked here: the app locks at once, says why, forgets what the phone held of them, and no longer offers them', async () => {
    const tabs = otherTab();
    const { session, stop, membersRemoved } = unlockedAndSyncing([colleague, another]);
    try {
      membersRemoved([me]);
      await vi.waitFor(() => expect(useApp.getState()).toMatchObject({ phase: 'locked', session: null, lockedBy: 'removed' }));
      expect(session.isLocked).toBe(true);
      // the lock screen lists only the people still on the phone
      await vi.waitFor(() => expect(useApp.getState().users).toEqual([colleague, another]));
      // their other tabs lock too
      await vi.waitFor(() => expect(tabs.heard).toEqual([{ type: 'removed', userId: me.id }]));
      expect(lastCaseOffice(me.id)).toBeNull();
      expect(wasLiaison(me.id)).toBe(false);
      // the colleagues who stay keep theirs
      expect(lastCaseOffice(colleague.id)).toBe(`office-of-${colleague.id}`);
      expect(wasLiaison(colleague.id)).toBe(true);
    } finally {
      stop();
      tabs.close();
    }
  });
});

describe('a storage failure a sync meets', () => {
  it('shows the banner at once when the database was emptied under the page, as for a full disk; not for anything else', async () => {
    const session = createFakeSession(me);
    useApp.setState({ session, phase: 'unlocked' });
    const stop = startSync(session);
    const options = engineOptions.at(-1)!;
    options.onStorageError?.(new VaultError('erased'));
    expect(useApp.getState().error?.code).toBe('erased');
    useApp.setState({ error: null });
    options.onStorageError?.(new VaultError('corrupt'));
    expect(useApp.getState().error).toBeNull();
    stop();
  });
});

describe('a handover while a sync is under way', () => {
  it("runs the next person's sync as soon as the locked session's run is over, not at the next minute", async () => {
    let over = () => {};
    // The day person's run is still waiting on the hub (the staff list, up to a minute) when the phone locks.
    engine.settled.mockReturnValueOnce(new Promise<void>((done) => (over = done)));
    const day = createFakeSession(me);
    useApp.setState({ session: day, phase: 'unlocked' });
    const stopDay = startSync(day);
    stopDay();
    const night = createFakeSession(colleague);
    useApp.setState({ session: night, phase: 'unlocked' });
    const stopNight = startSync(night);
    try {
      // The unlock's own run meets the lock the old run holds ('busy'), and nothing follows it yet.
      await vi.waitFor(() => expect(engine.run).toHaveBeenCalledTimes(1));
      await new Promise((done) => setTimeout(done, 10));
      expect(engine.run).toHaveBeenCalledTimes(1);
      over();
      await vi.waitFor(() => expect(engine.run).toHaveBeenCalledTimes(2));
    } finally {
      stopNight();
    }
  });

  it('runs nothing more when no run was under way, or when the next session was locked too before it ended', async () => {
    const tick = () => new Promise((done) => setTimeout(done, 10));
    const first = createFakeSession(me);
    useApp.setState({ session: first, phase: 'unlocked' });
    startSync(first)();
    const second = createFakeSession(colleague);
    useApp.setState({ session: second, phase: 'unlocked' });
    let over = () => {};
    engine.settled.mockReturnValueOnce(new Promise<void>((done) => (over = done)));
    const stopSecond = startSync(second);
    await tick();
    // Only the second session's unlock run: the first left no run under way.
    expect(engine.run).toHaveBeenCalledTimes(1);
    stopSecond();
    const third = createFakeSession(another);
    useApp.setState({ session: third, phase: 'unlocked' });
    startSync(third)();
    over();
    await tick();
    // The third session, locked before the second's run ended, runs nothing.
    expect(engine.run).toHaveBeenCalledTimes(1);
  });
});
