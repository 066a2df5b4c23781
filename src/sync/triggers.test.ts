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
});
