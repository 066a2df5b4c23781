/**
 * Locks an unattended phone. Activity only stamps a time; a single timer compares against it, so
 * typing costs nothing. Background tabs get their timers throttled or frozen (iOS stops them
 * entirely), so on return to the page the elapsed time is checked again from the timestamp.
 *
 * One exception, bounded and explicit (docs/security.md, Locking): a facility call dialled from the
 * app. While the dialer is in front nothing counts as activity, and a coordinator making one call
 * after another at night should not retype the passphrase after each. So when the page goes to the
 * background within CALL_TAP_WINDOW_MS of a tap on a number (noteCallStarted), that one absence is
 * not idle time as long as it stays shorter than CALL_AWAY_LIMIT_MS. Once: the next absence counts
 * again unless another number is tapped; one that reaches the bound locks as any other would. Back
 * from such a call the idle minutes start again from the return, on both clocks: a phone that took
 * network time during the call (its clock put back) is not a clock put back by whoever holds it.
 *
 * Time is read from two clocks, and the longer reading counts: the wall clock (the only one that
 * moves while iOS has the page frozen) and the page's monotonic clock (which nobody can set). A phone
 * whose clock was put back, by someone holding it unlocked, would otherwise never lock; and a wall
 * clock gone back past the last activity locks at once (frozen, the monotonic clock saw nothing),
 * and the lock screen says that was why (the lock's reason), not that nobody touched the phone.
 *
 * A wall clock put forward is time passed (the lock only comes sooner): the monotonic clock cannot
 * overrule it, since it may stand still while a phone or laptop sleeps, and a frozen page has only
 * the wall clock to be judged by.
 */
import { useEffect, useRef } from 'react';
import { takeCallStartedAt } from '../state/phone-call';

// input and composition too: dictation (iOS, Android) and picking a conversion candidate send no key
export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'scroll', 'wheel', 'input', 'compositionupdate'] as const;

/** How long a facility call may keep the app in the background without it locking: a long call, not a night. */
export const CALL_AWAY_LIMIT_MS = 20 * 60_000;

/** The page must leave the screen this soon after the tap for the absence to be the call's (iOS asks to confirm first). */
export const CALL_TAP_WINDOW_MS = 60_000;

/** A moment on both clocks: the wall clock (Date.now) and the page's monotonic one (performance.now). */
interface Stamp {
  readonly wall: number;
  readonly mono: number;
}

const stamp = (): Stamp => ({ wall: Date.now(), mono: performance.now() });

/** Time since `from`, by whichever clock has seen more of it. */
const elapsedSince = (from: Stamp): number => Math.max(Date.now() - from.wall, performance.now() - from.mono);

/** A wall clock a minute or more before the last activity was set back (time zones do not move it). */
const CLOCK_BACK_MS = 60_000;
const clockPutBack = (lastActivity: Stamp): boolean => Date.now() <= lastActivity.wall - CLOCK_BACK_MS;

/** Why the idle lock fired: the idle minutes ran out, or the wall clock was found before the last activity. */
export type IdleLockCause = 'idle' | 'clock-put-back';

export function useIdleLock(minutes: number, onIdle: (cause: IdleLockCause) => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });

  useEffect(() => {
    const limitMs = Math.max(1, minutes) * 60_000;
    let lastActivity = stamp();
    /** When the page went to the background for a call dialled from the app; null otherwise. */
    let callAwaySince: Stamp | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let fired = false;

    const check = () => {
      clearTimeout(timer);
      if (fired) return;
      // A timer that still runs in the background (Android throttles rather than stops) must not
      // lock in the middle of the call; the call never locks sooner than the idle time would.
      const left = Math.max(limitMs - elapsedSince(lastActivity), callAwaySince === null ? 0 : CALL_AWAY_LIMIT_MS - elapsedSince(callAwaySince));
      if (left <= 0 || clockPutBack(lastActivity)) {
        fired = true;
        onIdleRef.current(left <= 0 ? 'idle' : 'clock-put-back');
      } else {
        timer = setTimeout(check, left);
      }
    };
    const onActivity = () => {
      lastActivity = stamp();
    };
    const onHidden = () => {
      // Read (and so spent) by every absence: a call tapped long ago, or used up, excuses nothing.
      const tappedAt = takeCallStartedAt();
      if (callAwaySince !== null || tappedAt === null) return;
      if (Date.now() - tappedAt <= CALL_TAP_WINDOW_MS) callAwaySince = stamp();
    };
    const onReturn = () => {
      if (document.visibilityState !== 'visible') return;
      if (callAwaySince !== null) {
        const awayMs = elapsedSince(callAwaySince);
        callAwaySince = null;
        // The call's time away is not idle time; a longer absence is judged as any other. Restarted
        // from now rather than moved on by the time away: that time is the longer clock's, and a
        // wall clock set back during the call (network time) left the moved stamp ahead of it.
        if (awayMs < CALL_AWAY_LIMIT_MS) lastActivity = stamp();
      }
      check();
    };
    const onVisibilityChange = () => {
      if (document.visibilityState === 'hidden') onHidden();
      else onReturn();
    };

    const options = { capture: true, passive: true } as const;
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, options);
    document.addEventListener('visibilitychange', onVisibilityChange);
    // A page restored from the back/forward cache comes back without a visibilitychange.
    window.addEventListener('pageshow', onReturn);
    timer = setTimeout(check, limitMs);

    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, options);
      document.removeEventListener('visibilitychange', onVisibilityChange);
      window.removeEventListener('pageshow', onReturn);
      // Locked (the shell unmounts) or restarted: a call noted before belongs to no absence of this one.
      takeCallStartedAt();
    };
  }, [minutes]);
}
