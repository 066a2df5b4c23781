/** What counts as a change waiting to be sent: every kind of record written here, and the 閲覧記録. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { useApp } from '../state/store';
import { isClockOff } from '../sync/clock-offset';
import { syncStatus } from '../sync/status';

const engine = vi.hoisted(() => ({ run: vi.fn(async () => undefined), refresh: vi.fn(async () => undefined) }));
vi.mock('../sync/engine', () => ({ createSyncEngine: () => engine }));

const { startSync } = await import('./sync-wiring');
const initial = useApp.getState();

afterEach(() => {
  useApp.setState(initial, true);
  vi.clearAllMocks();
});

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
});
