/**
 * Locks an unattended phone. Activity only stamps a time; a single timer compares against it, so
 * typing costs nothing. Background tabs get their timers throttled or frozen (iOS stops them
 * entirely), so on return to the page the elapsed time is checked again from the timestamp.
 */
import { useEffect, useRef } from 'react';

export const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart', 'scroll', 'wheel'] as const;

export function useIdleLock(minutes: number, onIdle: () => void): void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });

  useEffect(() => {
    const limitMs = Math.max(1, minutes) * 60_000;
    let lastActivity = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let fired = false;

    const check = () => {
      clearTimeout(timer);
      if (fired) return;
      const idleMs = Date.now() - lastActivity;
      if (idleMs >= limitMs) {
        fired = true;
        onIdleRef.current();
      } else {
        timer = setTimeout(check, limitMs - idleMs);
      }
    };
    const onActivity = () => {
      lastActivity = Date.now();
    };
    const onReturn = () => {
      if (document.visibilityState === 'visible') check();
    };

    const options = { capture: true, passive: true } as const;
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, onActivity, options);
    document.addEventListener('visibilitychange', onReturn);
    // A page restored from the back/forward cache comes back without a visibilitychange.
    window.addEventListener('pageshow', onReturn);
    timer = setTimeout(check, limitMs);

    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, onActivity, options);
      document.removeEventListener('visibilitychange', onReturn);
      window.removeEventListener('pageshow', onReturn);
    };
  }, [minutes]);
}
