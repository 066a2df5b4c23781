import { afterEach, describe, expect, it, vi } from 'vitest';
import { installSyncTriggers } from './triggers';

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
    const dispose = installSyncTriggers(engine, 60_000);
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
    const outcomes: ('failed' | 'done')[] = ['failed', 'failed', 'done'];
    const engine = { run: vi.fn(async () => outcomes.shift() ?? ('done' as const)), refresh: vi.fn(async () => undefined) };
    let retryAfter: number | null = 2;
    const dispose = installSyncTriggers(engine, 60_000, () => retryAfter);
    await vi.advanceTimersByTimeAsync(0); // the first run, after the counts are read
    expect(engine.run).toHaveBeenCalledTimes(1);
    // 2 s × 1.5 = 3 s after the first busy answer
    await vi.advanceTimersByTimeAsync(2_999);
    expect(engine.run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.run).toHaveBeenCalledTimes(2);
    // busy again: 2 s × 2 × 1.5 = 6 s
    await vi.advanceTimersByTimeAsync(5_999);
    expect(engine.run).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.run).toHaveBeenCalledTimes(3);
    // that run went through: nothing before the minute's run (60 s after the start)
    await vi.advanceTimersByTimeAsync(50_999);
    expect(engine.run).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(engine.run).toHaveBeenCalledTimes(4);

    // A failure without Retry-After (offline, say) waits for the minute as before.
    retryAfter = null;
    outcomes.push('failed');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(engine.run).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(engine.run).toHaveBeenCalledTimes(5);
    dispose();
    vi.restoreAllMocks();
  });

  it('a hub that stays busy is not asked more often than the minute runs once the doubled wait reaches it', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const engine = { run: vi.fn(async () => 'failed' as const), refresh: vi.fn(async () => undefined) };
    const dispose = installSyncTriggers(engine, 60_000, () => 2);
    await vi.advanceTimersByTimeAsync(0); // the first run, after the counts are read
    expect(engine.run).toHaveBeenCalledTimes(1);
    // Again after 2, 4, 8 and 16 s (at 2, 6, 14 and 30 s); the one due at 62 s gives way to the
    // minute's run at 60 s, and the wait after it (64 s) is past the minute: from then on, the minute alone.
    await vi.advanceTimersByTimeAsync(62_000);
    const early = engine.run.mock.calls.length;
    expect(early).toBe(6);
    await vi.advanceTimersByTimeAsync(240_000);
    expect(engine.run.mock.calls.length - early).toBe(4); // at 120, 180, 240 and 300 s
    dispose();
    vi.restoreAllMocks();
  });
});
