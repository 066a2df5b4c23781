/** The composition root: opens the vault, then shows setup, lock, or the app by the store's phase. */
import { Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../sync/status';
import type { Vault } from '../vault/types';
import { Busy } from '../ui/status';
import { Button } from '../ui/button';
import { ErrorBoundary } from './error-boundary';
import { Gate } from './gate';
import { LockScreen } from './lock-screen';
import { RetiredScreen } from './retired-screen';
import { appShell, mustChangeScreen } from './screens';
import { SetupScreen } from './setup-screen';
import { FailedContent } from './storage-error';
import { useApp } from '../state/store';
import { T } from './text';

export function App({ openVault }: { openVault: () => Vault }) {
  return (
    <ErrorBoundary>
      <Root openVault={openVault} />
    </ErrorBoundary>
  );
}

/**
 * Opens the vault and reads what the first screen needs, once per page. boot.tsx calls it before
 * React's first render, so IndexedDB opens while the splash is being laid out; Root calls it in
 * case nobody did (tests render <App> alone).
 */
export function startApp(openVault: () => Vault): void {
  if (useApp.getState().vault) return;
  // A fresh page holds no key and its URL shows no record; the one who unlocks is then returned to
  // their own place (place.ts), anyone else starts from the list.
  if (window.location.hash) window.history.replaceState(null, '', window.location.pathname + window.location.search);
  void useApp.getState().start(openVault());
}

function Root({ openVault }: { openVault: () => Vault }) {
  const phase = useApp((s) => s.phase);
  const locking = useApp((s) => s.locking);
  const mustChangePassphrase = useApp((s) => s.mustChangePassphrase);
  const start = useApp((s) => s.start);
  const started = useRef(false);
  const retired = useStore(syncStatus, (s) => s.retired !== null);

  // A lost connection cannot be revived: close the old handle, open a fresh one, start over. The
  // session ends as a lock ends it first: drafts saved and its 'lock' in the 閲覧記録, each as far as
  // the storage answers within the lock's bounds (an unlock with no lock after it read as still
  // open). The start forgets which forms were open: a draft comes back when its form is opened.
  const reopen = useCallback(async () => {
    if (useApp.getState().session) await useApp.getState().lock('manual').catch(() => undefined);
    try {
      useApp.getState().vault?.close();
    } catch {
      // Already closed.
    }
    await start(openVault());
  }, [openVault, start]);

  useEffect(() => {
    // Once per page (StrictMode runs effects twice in development).
    if (started.current) return;
    started.current = true;
    startApp(openVault);
  }, [openVault]);

  // The hub retired this device and its data was wiped: nothing else is shown until a reload.
  if (retired) return <RetiredScreen />;
  switch (phase) {
    case 'starting':
      return <StartingScreen />;
    case 'failed':
      return (
        <Gate title={T.failedTitle}>
          <FailedContent onRetry={reopen} />
        </Gate>
      );
    case 'setup':
      return <SetupScreen />;
    case 'locked':
    case 'unlocking':
      return <LockScreen />;
    case 'unlocked':
      // Fetched while the lock or set-up screen was shown; offline the service worker has it.
      // While a lock saves the drafts and logs itself, the screens stay mounted (their forms are
      // what is saved) but hidden and inert under the lock's own frame.
      // A person added by someone else first replaces the passphrase that person typed: no record is
      // read, and nothing of the app shown, until then (must-change-screen.tsx).
      return (
        <>
          <div className="app-frame" hidden={locking} inert={locking}>
            {/* a screen's code loading after the unlock: not the start, so not its 「ほかのタブ」 advice */}
            <Suspense fallback={<StartingScreen advise={false} />}>
              {mustChangePassphrase ? <mustChangeScreen.Screen /> : <appShell.Screen onReconnect={reopen} />}
            </Suspense>
          </div>
          {locking ? (
            // Not a Gate: it would scroll to the top, and the place to return to is the scroll kept below.
            <div className="lock-cover">
              <div className="splash">
                <Busy>{T.locking}</Busy>
              </div>
            </div>
          ) : null}
        </>
      );
  }
}

/** How long a start may take before the screen says what may hold it (another tab, a frozen old one). */
export const SLOW_START_MS = 10_000;

/**
 * 起動しています…, and after SLOW_START_MS what to do: the storage can be held by another tab of the
 * app (an old version open in a frozen tab keeps the new one from opening its data), and a start that
 * never ends showed the splash forever, with no word and no button.
 */
function StartingScreen({ advise = true }: { advise?: boolean }) {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!advise) return;
    const timer = setTimeout(() => setSlow(true), SLOW_START_MS);
    return () => clearTimeout(timer);
  }, [advise]);
  return (
    <Gate title={T.appName}>
      <div className="splash">
        <Busy>{T.starting}</Busy>
        {slow ? (
          <>
            <p role="alert">{T.startingSlow}</p>
            <Button variant="primary" onClick={() => window.location.reload()}>
              {T.reload}
            </Button>
          </>
        ) : null}
      </div>
    </Gate>
  );
}
