import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSyncTriggers, type RunEvents } from './triggers';

function fakeEngine() {
  return { run: vi.fn(async () => 'done' as const), refresh: vi.fn(async () => undefined) };
}

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

afterEach(() => {
  vi.useRealTimers();
  setVisibility('visible');
});

describe('sync triggers', () => {
  it('run at once (after unlock), on regaining the network, on coming back, and every minute while visible', async () => {
    vi.useFakeTimers();
    const engine = fakeEngine();
    const dispose = installSyncTriggers(engine, { intervalMs: 60_000 });
    await vi.waitFor(() => expect(engine.run).toHaveBeenCalledTimes(1));

    window.dispatchEvent(new Event('online'));
    expect(engine.run).toHaveBeenCalledTimes(2);
    setVisibility('hidden');
    expect(engine.run).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(180_000);
    expect(engine.run).toHaveBeenCalledTimes(2);
    setVisibility('visible');
    expect(engine.run).toHaveBeenCalledTimes(3);
    vi.advanceTimersByTime(60_000);
    expect(engine.run).toHaveBeenCalledTimes(4);

    dispose();
    window.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(120_000);
    expect(engine.run).toHaveBeenCalledTimes(4);
  });

  it("after a busy hub's 503, runs again when its Retry-After says (stretched at random, doubled while it stays busy), not at the next minute", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5); // each wait stretched by half
    const { engine, runs, ends } = busyEngine([2, 2, null]);
    dispose = installSyncTriggers(engine, { intervalMs: 60_000, runs });
    await vi.advanceTimersByTimeAsync(0); // the first run, after the counts are read
    expect(engine.run).toHaveBeenCalledTimes(1);
    // 2 s × 1.5 = 3 s after the first busy answer; busy again: 2 s × 2 × 1.5 = 6 s
    await runsAfter(engine.run, 3_000);
    await runsAfter(engine.run, 6_000);
    // that run went through: nothing before the minute's run (60 s after the start, 51 s on)
    await runsAfter(engine.run, 51_000);

    // A failure without Retry-After (offline, say) waits for the minute as before.
    ends.push(null);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(engine.run).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(engine.run).toHaveBeenCalledTimes(5);
  });

  it("coming back from the dialler during a busy hub's wait does not ask it again before the wait is out; after it, it does", async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const { engine, runs } = busyEngine([20]);
    dispose = installSyncTriggers(engine, { intervalMs: 60_000, runs });
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.run).toHaveBeenCalledTimes(1);
    // 20 s × 1.5 = 30 s asked; back from a call 10 s on: no run
    await vi.advanceTimersByTimeAsync(10_000);
    setVisibility('hidden');
    setVisibility('visible');
    expect(engine.run).toHaveBeenCalledTimes(1);
    // nor when the phone's clock jumped meanwhile (network time): the wait is on the page's own clock
    vi.setSystemTime(Date.now() + 10 * 60_000);
    setVisibility('hidden');
    setVisibility('visible');
    expect(engine.run).toHaveBeenCalledTimes(1);
    // the wait's own run comes at 30 s, and goes through; back from a call after it: a run
    await vi.advanceTimersByTimeAsync(20_000);
    expect(engine.run).toHaveBeenCalledTimes(2);
    setVisibility('hidden');
    setVisibility('visible');
    expect(engine.run).toHaveBeenCalledTimes(3);
  });

  it('a run started elsewhere (a save, the 今すぐ同期 button) that meets a busy hub is followed up too; a run meanwhile takes the waiting one\'s place', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { engine, runs, ends } = busyEngine([null]);
    dispose = installSyncTriggers(engine, { intervalMs: 60_000, runs });
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.run).toHaveBeenCalledTimes(1);
    ends.push(2, 2, null);
    await engine.run(); // the button, busy: again 2 s later
    await runsAfter(engine.run, 2_000);
    // busy again, 4 s to wait; a save's run a second later goes through: nothing follows it
    await vi.advanceTimersByTimeAsync(1_000);
    await engine.run();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(engine.run).toHaveBeenCalledTimes(4);
  });

  it('a hub that stays busy is not asked more often than the minute runs once the doubled wait reaches it; a wait of 0 is a second', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { engine, runs } = busyEngine([], 0);
    dispose = installSyncTriggers(engine, { intervalMs: 60_000, runs });
    await vi.advanceTimersByTimeAsync(0);
    expect(engine.run).toHaveBeenCalledTimes(1);
    // Again after 1, 2, 4, 8, 16 and 32 s (at 1, 3, 7, 15, 31 and 63 s: the minute's run at 60 s
    // takes the last one's place), then the wait after it (64 s) is past the minute: the minute alone.
    await vi.advanceTimersByTimeAsync(61_000);
    const early = engine.run.mock.calls.length;
    expect(early).toBe(7);
    await vi.advanceTimersByTimeAsync(240_000);
    expect(engine.run.mock.calls.length - early).toBe(4); // at 120, 180, 240 and 300 s
  });
});

/** No run for `ms` less a millisecond, then one more at `ms`. */
async function runsAfter(run: { mock: { calls: unknown[] } }, ms: number): Promise<void> {
  const before = run.mock.calls.length;
  await vi.advanceTimersByTimeAsync(ms - 1);
  expect(run.mock.calls.length).toBe(before);
  await vi.advanceTimersByTimeAsync(1);
  expect(run.mock.calls.length).toBe(before + 1);
}

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  dispose = undefined;
  vi.restoreAllMocks();
});

/**
 * An engine whose runs end with the Retry-After each `ends` gives (null: through), or `always`
 * once `ends` is spent, telling its run events as the real status does.
 */
function busyEngine(first: (number | null)[], always: number | null = null) {
  type Listener = Parameters<RunEvents['subscribe']>[0];
  const listeners = new Set<Listener>();
  const runs: RunEvents = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const ends = [...first];
  const engine = {
    run: vi.fn(async () => {
      for (const l of listeners) l({ type: 'started' });
      const retryAfterSeconds = ends.length > 0 ? ends.shift()! : always;
      for (const l of listeners) l({ type: 'ended', retryAfterSeconds });
      return retryAfterSeconds === null ? ('done' as const) : ('failed' as const);
    }),
    refresh: vi.fn(async () => undefined),
  };
  return { engine, runs, ends };
}
