/**
 * When the engine runs: now (the app was just unlocked), on regaining the network, on coming back
 * to the app, and every minute while it is visible. iOS has no background sync, so this is all
 * there is there: the app syncs whenever it is open. A trigger during a run is a no-op (engine.run).
 */
import type { SyncEngine } from './engine';

export const SYNC_INTERVAL_MS = 60_000;
/** After a change made here, how long to wait for more before sending (a form saves several records). */
export const CHANGE_DEBOUNCE_MS = 1_500;

/**
 * Call after something was written to the vault: the waiting count is updated at once, and when
 * the device is online the change is sent shortly after (changes close together go in one run).
 */
export function changeNotifier(engine: Pick<SyncEngine, 'run' | 'refresh'>, debounceMs = CHANGE_DEBOUNCE_MS): { notify(): void; dispose(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    notify() {
      void engine.refresh().catch(() => undefined);
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (navigator.onLine !== false) void engine.run();
      }, debounceMs);
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}

export function installSyncTriggers(engine: Pick<SyncEngine, 'run' | 'refresh'>, intervalMs = SYNC_INTERVAL_MS): () => void {
  const run = () => void engine.run();
  const visible = () => document.visibilityState === 'visible';
  const onVisibility = () => {
    if (visible()) run();
  };
  const timer = setInterval(() => {
    if (visible()) run();
  }, intervalMs);
  window.addEventListener('online', run);
  document.addEventListener('visibilitychange', onVisibility);
  void engine.refresh().catch(() => undefined).then(run);
  return () => {
    clearInterval(timer);
    window.removeEventListener('online', run);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
