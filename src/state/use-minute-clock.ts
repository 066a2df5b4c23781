import { useEffect, useState } from 'react';
import type { IsoDate } from '../domain/household';
import { japanDateOf } from '../domain/japan-time';

/**
 * `read()`, read again every minute (and when the page is shown again after being hidden, or back
 * from the back/forward cache). when-heard.tsx's useShownNow reads at each minute's turn instead:
 * a button that saves the time it shows must turn with the minute.
 */
function useReadEveryMinute<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const tick = () => setValue(read());
    const timer = setInterval(tick, 60_000);
    const onShow = () => {
      if (document.visibilityState === 'visible') tick();
    };
    document.addEventListener('visibilitychange', onShow);
    // a page back from the back/forward cache is shown without a visibilitychange
    window.addEventListener('pageshow', onShow);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onShow);
      window.removeEventListener('pageshow', onShow);
    };
    // `read` is a module constant: one timer per screen
  }, [read]);
  return value;
}

const readNow = () => new Date();
const readJapanToday = () => japanDateOf(new Date());

/** The time now, read again every minute (and when the page is shown again after being hidden). */
export function useMinuteClock(): Date {
  return useReadEveryMinute(readNow);
}

/**
 * Today's calendar day in Japan (DOMAIN.md §5), read again every minute: a screen left open past
 * midnight moves to the new day (a person whose 18th birthday it is reads 者 from 00:00, and a
 * 同意日 of today is no longer refused as a day to come). The screen draws again only when the day changes.
 */
export function useJapanToday(): IsoDate {
  return useReadEveryMinute(readJapanToday);
}
