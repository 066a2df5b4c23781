import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useJapanToday, useMinuteClock } from './use-minute-clock';

afterEach(() => {
  vi.useRealTimers();
});

describe('useJapanToday', () => {
  it('moves to the new day at midnight in Japan with the screen left open, whatever the zone', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-30T14:58:30.000Z')); // 23:58:30 on 30 November in Japan
    let renders = 0;
    const { result } = renderHook(() => {
      renders += 1;
      return useJapanToday();
    });
    expect(result.current).toBe('2026-11-30');
    const before = renders;
    // a minute read within the day draws nothing again
    act(() => void vi.advanceTimersByTime(60_000)); // 23:59:30
    expect(result.current).toBe('2026-11-30');
    expect(renders).toBe(before);
    act(() => void vi.advanceTimersByTime(60_000)); // 00:00:30 on 1 December
    expect(result.current).toBe('2026-12-01');
  });
});

describe('useMinuteClock', () => {
  it('reads the time again when the page comes back from the back/forward cache (pageshow, no visibilitychange)', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T14:55:00.000Z')); // 23:55 in Japan
    const { result } = renderHook(() => useMinuteClock());
    vi.setSystemTime(new Date('2026-11-30T15:10:00.000Z')); // 00:10: the phone out of the pocket
    act(() => void window.dispatchEvent(new Event('pageshow')));
    expect(result.current.toISOString()).toBe('2026-11-30T15:10:00.000Z');
  });
});
