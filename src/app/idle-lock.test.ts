/**
 * The idle lock's clock, without the vault: the hook alone with fake timers. The page's time in the
 * background is played both ways a phone does it: timers that keep running (Android, throttled) and
 * timers that do not (iOS: only the wall clock moves). app.test.tsx checks the lock itself.
 */
import { renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { noteCallStarted, takeCallStartedAt } from '../state/phone-call';
import { CALL_AWAY_LIMIT_MS, CALL_TAP_WINDOW_MS, useIdleLock } from './idle-lock';

const MINUTE = 60_000;
const DEFAULT_MINUTES = 5;

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

type Background = 'timers run' | 'timers frozen';
const BACKGROUNDS: readonly Background[] = ['timers run', 'timers frozen'];

/** The app out of sight for `ms` (the dialer, another app, the screen off), then back. */
function away(ms: number, background: Background) {
  setVisibility('hidden');
  if (background === 'timers run') vi.advanceTimersByTime(ms);
  else vi.setSystemTime(Date.now() + ms);
  setVisibility('visible');
}

function idleLock(minutes = DEFAULT_MINUTES) {
  const onIdle = vi.fn();
  const hook = renderHook(() => useIdleLock(minutes, onIdle));
  return { onIdle, unmount: hook.unmount };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  setVisibility('visible');
  takeCallStartedAt();
  vi.useRealTimers();
});

describe('idle lock', () => {
  it('locks after the minutes without activity; activity pushes the deadline back', () => {
    const { onIdle } = idleLock();
    vi.advanceTimersByTime(4 * MINUTE);
    window.dispatchEvent(new Event('pointerdown'));
    vi.advanceTimersByTime(4 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('counts dictation and a conversion candidate picked (input, composition, no key) as activity', () => {
    const { onIdle } = idleLock();
    const field = document.body.appendChild(document.createElement('textarea'));
    vi.advanceTimersByTime(4 * MINUTE);
    field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText', data: '家族が迎えに来た' }));
    vi.advanceTimersByTime(4 * MINUTE);
    field.dispatchEvent(new CompositionEvent('compositionupdate', { bubbles: true, data: 'むかえ' }));
    vi.advanceTimersByTime(4 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
    field.remove();
  });

  it.each(BACKGROUNDS)('12 minutes away without a call locks, as idle (%s)', (background) => {
    const { onIdle } = idleLock();
    away(12 * MINUTE, background);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(onIdle).toHaveBeenCalledWith('idle');
  });
});

describe('idle lock around a facility call dialled from the app', () => {
  it.each(BACKGROUNDS)('a call, then 12 minutes in the dialer: still unlocked on return, and idle from there (%s)', (background) => {
    const { onIdle } = idleLock();
    noteCallStarted();
    away(12 * MINUTE, background);
    expect(onIdle).not.toHaveBeenCalled();

    // Back in the app, the usual rule: the minutes count from the return.
    vi.advanceTimersByTime(DEFAULT_MINUTES * MINUTE - 1_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it.each(BACKGROUNDS)('a call, then 25 minutes away: locked (%s)', (background) => {
    const { onIdle } = idleLock();
    noteCallStarted();
    away(25 * MINUTE, background);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('a call still in front at the bound locks there, if the background lets timers run', () => {
    const { onIdle } = idleLock();
    noteCallStarted();
    setVisibility('hidden');
    vi.advanceTimersByTime(CALL_AWAY_LIMIT_MS - 1_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it.each(BACKGROUNDS)('excuses that one absence only: the next, without a new call, follows the usual rule (%s)', (background) => {
    const { onIdle } = idleLock();
    noteCallStarted();
    away(12 * MINUTE, background);
    expect(onIdle).not.toHaveBeenCalled();

    away(2 * MINUTE, background);
    expect(onIdle).not.toHaveBeenCalled();
    away(4 * MINUTE, background);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it.each(BACKGROUNDS)('each call excuses its own absence (%s)', (background) => {
    const { onIdle } = idleLock();
    noteCallStarted();
    away(12 * MINUTE, background);
    window.dispatchEvent(new Event('pointerdown'));
    noteCallStarted();
    away(15 * MINUTE, background);
    expect(onIdle).not.toHaveBeenCalled();
  });

  it.each(BACKGROUNDS)('a tap long before the app leaves the screen excuses nothing (%s)', (background) => {
    const { onIdle } = idleLock();
    noteCallStarted();
    vi.advanceTimersByTime(CALL_TAP_WINDOW_MS + 1_000);
    away(12 * MINUTE, background);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it.each(BACKGROUNDS)('a call never locks sooner than the idle time would (30 minutes set, %s)', (background) => {
    const { onIdle } = idleLock(30);
    noteCallStarted();
    away(25 * MINUTE, background);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('a call noted before a lock is not carried into the next unlock', () => {
    const first = idleLock();
    noteCallStarted();
    first.unmount(); // the lock unmounts the shell
    const { onIdle } = idleLock();
    away(12 * MINUTE, 'timers frozen');
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

/** The page's monotonic clock, moved by the test alone: nobody can set it, and it runs while timers are held back. */
function monotonicClock() {
  let ms = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => ms);
  return { pass: (more: number) => (ms += more) };
}

describe('idle lock against a phone clock put back (someone holding the phone unlocked)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('an hour away with the clock put back 59 minutes still locks: the monotonic clock saw the hour', () => {
    const mono = monotonicClock();
    const { onIdle } = idleLock();
    setVisibility('hidden');
    mono.pass(60 * MINUTE);
    vi.setSystemTime(Date.now() + MINUTE);
    setVisibility('visible');
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('putting the clock back a little at a time while the page is in front does not keep it open', () => {
    const mono = monotonicClock();
    const { onIdle } = idleLock();
    // every 4 minutes, 4 minutes back: the wall clock never reaches the deadline
    for (let i = 0; i < 3; i += 1) {
      mono.pass(4 * MINUTE);
      vi.advanceTimersByTime(4 * MINUTE);
      vi.setSystemTime(Date.now() - 4 * MINUTE);
    }
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('a clock put back before the last activity locks on return, even when the page saw no time pass, and says that was why', () => {
    monotonicClock();
    const { onIdle } = idleLock();
    setVisibility('hidden');
    vi.setSystemTime(Date.now() - 10 * MINUTE);
    setVisibility('visible');
    expect(onIdle).toHaveBeenCalledTimes(1);
    // not 「一定時間操作がなかった」: the phone was away for a moment
    expect(onIdle).toHaveBeenCalledWith('clock-put-back');
  });

  it('a clock put forward is time passed, as before (the lock only comes sooner)', () => {
    monotonicClock();
    const { onIdle } = idleLock();
    away(6 * MINUTE, 'timers frozen');
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

describe('idle lock when the phone takes network time during a facility call (its clock was fast)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([2, 9])('a 2-minute call while the clock is put back %i minutes: unlocked on return, and idle from there', (backMinutes) => {
    const mono = monotonicClock();
    const { onIdle } = idleLock();
    noteCallStarted();
    setVisibility('hidden');
    mono.pass(2 * MINUTE);
    vi.advanceTimersByTime(2 * MINUTE);
    vi.setSystemTime(Date.now() - backMinutes * MINUTE);
    setVisibility('visible');
    expect(onIdle).not.toHaveBeenCalled();

    // Back in the app, the usual rule on both clocks: the minutes count from the return.
    mono.pass(DEFAULT_MINUTES * MINUTE - 1_000);
    vi.advanceTimersByTime(DEFAULT_MINUTES * MINUTE - 1_000);
    expect(onIdle).not.toHaveBeenCalled();
    mono.pass(1_000);
    vi.advanceTimersByTime(1_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(onIdle).toHaveBeenCalledWith('idle');
  });

  it('a call that lasts past the bound on the monotonic clock still locks, whatever the wall clock says', () => {
    const mono = monotonicClock();
    const { onIdle } = idleLock();
    noteCallStarted();
    setVisibility('hidden');
    mono.pass(CALL_AWAY_LIMIT_MS + MINUTE);
    vi.setSystemTime(Date.now() - 30 * MINUTE);
    setVisibility('visible');
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});
