/**
 * The iOS 7-day eviction warning: always on the settings screen, and as a banner on the main
 * screen that can be dismissed for a week (dismissing it forever would hide a real risk).
 */
import { useMemo, useState } from 'react';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { needsHomeScreenWarning, readPlatform } from './platform';
import { T } from './text';

const DISMISS_KEY = 'kyoten:ios-warning-dismissed-at';
const DISMISS_FOR_MS = 7 * 24 * 60 * 60 * 1000;

export function useNeedsHomeScreenWarning(): boolean {
  return useMemo(() => needsHomeScreenWarning(readPlatform()), []);
}

export function HomeScreenWarning() {
  return useNeedsHomeScreenWarning() ? <Notice kind="warn">{T.iosWarning}</Notice> : null;
}

function dismissedRecently(now: number): boolean {
  try {
    const at = Number(localStorage.getItem(DISMISS_KEY));
    return Number.isFinite(at) && at > 0 && now - at < DISMISS_FOR_MS;
  } catch {
    return false;
  }
}

export function HomeScreenBanner() {
  const needed = useNeedsHomeScreenWarning();
  const [dismissed, setDismissed] = useState(() => dismissedRecently(Date.now()));
  if (!needed || dismissed) return null;
  const dismiss = () => {
    try {
      localStorage.setItem(DISMISS_KEY, String(Date.now()));
    } catch {
      // Private mode: the banner simply comes back next time.
    }
    setDismissed(true);
  };
  return (
    <Notice kind="warn" action={<Button onClick={dismiss}>{T.dismiss}</Button>}>
      {T.iosWarning}
    </Notice>
  );
}
