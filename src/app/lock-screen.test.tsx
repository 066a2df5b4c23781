/**
 * What the lock screen says of an idle lock: that nobody touched the phone, or that its clock was
 * put back (network time too). The idle lock's hook is run with fake timers, as in
 * idle-lock.test.ts; the lock itself (the vault, the drafts) is app.test.tsx's.
 */
import { render, renderHook, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useApp } from '../state/store';
import { useIdleLock } from './idle-lock';
import { LockScreen } from './lock-screen';
import { T } from './text';

const MINUTE = 60_000;

function setVisibility(state: 'visible' | 'hidden') {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => state });
  document.dispatchEvent(new Event('visibilitychange'));
}

/** The shell's idle lock, locking the store as app-shell.tsx does (with its cause); unmounted as the lock unmounts the shell. */
function idleLockedShell() {
  const hook = renderHook(() => useIdleLock(5, (cause) => useApp.setState({ phase: 'locked', lockedBy: cause })));
  return { unmount: hook.unmount };
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  vi.useFakeTimers();
  // the page's monotonic clock stands still: only the wall clock is moved
  vi.spyOn(performance, 'now').mockReturnValue(0);
});

afterEach(() => {
  setVisibility('visible');
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('the lock screen after an idle lock', () => {
  it('says nobody touched the phone when the idle minutes ran out', () => {
    const shell = idleLockedShell();
    setVisibility('hidden');
    vi.setSystemTime(Date.now() + 6 * MINUTE);
    setVisibility('visible');
    shell.unmount();
    expect(useApp.getState().lockedBy).toBe('idle');
    render(<LockScreen />);
    expect(screen.getByText(T.idleLocked)).toBeVisible();
    expect(screen.queryByText(T.clockPutBackLocked)).toBeNull();
  });

  it('says the clock was put back when that was why, not that nobody touched the phone', () => {
    const shell = idleLockedShell();
    setVisibility('hidden');
    vi.setSystemTime(Date.now() - 10 * MINUTE);
    setVisibility('visible');
    shell.unmount();
    expect(useApp.getState().lockedBy).toBe('clock-put-back');
    render(<LockScreen />);
    expect(screen.getByText(T.clockPutBackLocked)).toBeVisible();
    expect(screen.queryByText(T.idleLocked)).toBeNull();
  });
});
