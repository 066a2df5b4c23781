/**
 * Service-worker registration (production builds only). A new version never applies itself:
 * the app learns that one is waiting and the user chooses when to switch (update-prompt.tsx),
 * because reloading mid-call would throw away whatever is typed but not yet saved.
 */
import type { Workbox } from 'workbox-window';
import { create } from 'zustand';

export interface UpdateState {
  /** a new version is installed and waiting for the user's go-ahead */
  readonly waiting: boolean;
  /** the user said go; the page reloads once the new worker controls it */
  readonly applying: boolean;
  /** tells the waiting worker to take over; null until one is waiting */
  readonly apply: (() => void) | null;
}

export const useUpdate = create<UpdateState>()(() => ({ waiting: false, applying: false, apply: null }));

const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // workbox-window is a chunk of its own, fetched when boot.tsx calls this (once the first screen
  // is shown): the worker's install downloads the whole app for offline use, which must not compete
  // with the first screen on a slow line.
  import('workbox-window')
    .then(({ Workbox }) => register(new Workbox('/sw.js')))
    .catch((e: unknown) => console.error('Service worker registration failed', e));
}

function register(wb: Workbox): void {

  wb.addEventListener('waiting', () => {
    useUpdate.setState({
      waiting: true,
      apply: () => {
        useUpdate.setState({ applying: true });
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    });
  });

  const checkForUpdate = () => {
    // Offline is the normal case at night: a failed check is not an error.
    wb.update().catch(() => undefined);
  };
  wb.register()
    .then(() => {
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') checkForUpdate();
      });
      setInterval(checkForUpdate, UPDATE_CHECK_INTERVAL_MS);
    })
    .catch((e: unknown) => {
      // Without a worker the app still runs while online; the next load tries again.
      console.error('Service worker registration failed', e);
    });
}
