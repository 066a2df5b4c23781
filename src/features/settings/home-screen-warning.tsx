/**
 * The warnings that this phone's data may be lost: the iOS 7-day eviction warning (always on the
 * settings screen, and as a banner on the main screen that can be dismissed for a week: dismissing
 * it forever would hide a real risk); on iOS, before setting up, to set up from the Home Screen
 * (its app has storage of its own); and after unlock, when the browser still will not protect the
 * data from eviction.
 */
import { useEffect, useMemo, useState } from 'react';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { ensurePersistence, formatMegabytes, lowOnSpace, needsHomeScreenWarning, readPlatform, readStorageStatus, type StorageApi } from './platform';
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

/** On the setup screen, before anything is typed: on iOS outside the Home Screen, set up from the icon instead. */
export function SetupHomeScreenWarning() {
  return useNeedsHomeScreenWarning() ? <Notice kind="warn">{T.setupHomeScreenFirst}</Notice> : null;
}

const PERSIST_DISMISS_KEY = 'kyoten:persist-warning-dismissed';

function persistWarningDismissed(): boolean {
  try {
    return sessionStorage.getItem(PERSIST_DISMISS_KEY) !== null;
  } catch {
    return false;
  }
}

/**
 * Mounted with each unlock: asks the browser once more to protect the data when it does not yet
 * (Android grants it once the app is on the Home Screen), and says so when it still refuses.
 * Shown on the main screen only (`show`), as the iOS banner is: the night call's screens keep
 * their room. Dismissed for this tab's session. Nothing where the browser cannot ask, nor on iOS
 * outside the Home Screen, where HomeScreenBanner already names the remedy that works there.
 */
export function StorageProtectionBanner({ show }: { readonly show: boolean }) {
  const iosWarned = useNeedsHomeScreenWarning();
  const [refused, setRefused] = useState(false);
  const [dismissed, setDismissed] = useState(persistWarningDismissed);
  useEffect(() => {
    let current = true;
    void ensurePersistence().then((granted) => {
      if (current) setRefused(granted === false);
    });
    return () => {
      current = false;
    };
  }, []);
  if (!show || !refused || dismissed || iosWarned) return null;
  const dismiss = () => {
    try {
      sessionStorage.setItem(PERSIST_DISMISS_KEY, '1');
    } catch {
      // Storage blocked: dismissed until the next unlock.
    }
    setDismissed(true);
  };
  return (
    <Notice kind="warn" action={<Button onClick={dismiss}>{T.dismiss}</Button>}>
      {T.notProtected}
    </Notice>
  );
}

/**
 * Mounted with each unlock, on the main screen: says when the room left for the app runs out
 * (lowOnSpace), while there is still time to free some. Not dismissible: it goes once there is room.
 */
export function StorageSpaceBanner({ show, storage }: { readonly show: boolean; readonly storage?: StorageApi }) {
  const [low, setLow] = useState<ReturnType<typeof lowOnSpace>>(null);
  useEffect(() => {
    let current = true;
    void readStorageStatus(storage).then((status) => {
      if (current) setLow(lowOnSpace(status));
    });
    return () => {
      current = false;
    };
  }, [storage]);
  return show ? <LowSpaceNotice low={low} /> : null;
}

/** The words of lowOnSpace, here and in 設定 › 保存領域. */
export function LowSpaceNotice({ low }: { readonly low: ReturnType<typeof lowOnSpace> }) {
  return low === null ? null : <Notice kind="warn">{T.lowSpace(low.usedPercent, formatMegabytes(low.leftBytes))}</Notice>;
}
