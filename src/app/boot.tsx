/**
 * The app proper, loaded by main.tsx once index.html's first frame is painted: opens the vault,
 * renders the app, and (in production) registers the service worker that keeps it working offline.
 */
import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { createVault } from '../vault/vault';
import { App, startApp } from './app';
import { InsecureScreen } from './insecure-screen';
import { missingFeatures, OldBrowserScreen } from './old-browser';
import { shareLocks } from './lock-tabs';
import { shareRecords } from './records-tabs';
import { listenForRetirement } from './retired-tabs';
import { registerServiceWorker } from './service-worker';
import { useApp } from '../state/store';
import { prepareAnnouncer } from '../ui/announce';

// zod's first object schema tries `new Function('')` to learn whether it may compile its parsers:
// the CSP refuses it (no 'unsafe-eval'), and the browser reported a violation at every start. Told
// not to try, before any of the app's schemas is built (none is while boot's imports load: the
// first-visit e2e would see the violation); the parsers work the same either way.
z.config({ jitless: true });

const openVault = () => createVault();

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

const missing = missingFeatures();
if (!window.isSecureContext) {
  // No WebCrypto, no service worker: say why and how, before anything asks for a passphrase.
  createRoot(container).render(
    <StrictMode>
      <InsecureScreen origin={window.location.origin} />
    </StrictMode>,
  );
} else if (missing.length > 0) {
  // A browser too old for the evidence's canonical JSON says so instead, before anything is typed.
  createRoot(container).render(<OldBrowserScreen missing={missing} />);
} else {
  start(container);
}

function start(container: HTMLElement): void {
  // The screen reader's live region is there before the first thing is said in it (announce.ts).
  prepareAnnouncer();
  // Open IndexedDB now: it opens in the browser while React renders.
  startApp(openVault);
  // A retirement wipe in another tab closes this one's vault too, and locks it (retired-tabs.ts).
  listenForRetirement();
  // The handover's lock, and an unlock by someone else, lock the other tabs too (lock-tabs.ts).
  shareLocks();
  // What one tab writes, or its sync brings, the others show too (records-tabs.ts).
  shareRecords();

  // index.html's frame is on screen already: React's first render may yield to the browser (a
  // transition renders in slices) instead of holding the main thread in one long task.
  const root = createRoot(container);
  startTransition(() => {
    root.render(
      <StrictMode>
        <App openVault={openVault} />
      </StrictMode>,
    );
  });

  // The service worker is registered once the first screen (set-up, lock, or a storage error) is
  // painted: its install fetches every file of the app for offline use, ~2 MB, which on a slow line
  // must not share the connection with the first screen's own files.
  const unsubscribe = useApp.subscribe((s) => {
    if (s.phase === 'starting') return;
    unsubscribe();
    requestAnimationFrame(() => setTimeout(registerServiceWorker, 0));
  });
}
