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

/**
 * `retryAfterSeconds`: after a failed run, when the hub asked to be tried again (a busy hub's 503
 * with Retry-After; null otherwise). The next run then comes that much later, not at the next
 * minute: what was saved at 2 a.m. reaches the hub seconds after the rush, as the hub's message
 * promises ("自動でもう一度送ります"). Each busy answer in a row doubles the wait, and each wait is
 * stretched by up to as much again at random, so the phones a hub turned away together do not come
 * back together and a hub that stays busy is not asked more often than by the minute's runs.
 */
export function installSyncTriggers(
  engine: Pick<SyncEngine, 'run' | 'refresh'>,
  intervalMs = SYNC_INTERVAL_MS,
  retryAfterSeconds: () => number | null = () => null,
): () => void {
  const visible = () => document.visibilityState === 'visible';
  let retry: ReturnType<typeof setTimeout> | undefined;
  let busyInARow = 0;
  let disposed = false;
  const run = () => {
    clearTimeout(retry);
    retry = undefined;
    void engine.run().then((outcome) => {
      const after = outcome === 'failed' ? retryAfterSeconds() : null;
      if (outcome !== 'failed' || after === null) {
        if (outcome !== 'busy') busyInARow = 0;
        return;
      }
      const waitMs = after * 1000 * 2 ** busyInARow * (1 + Math.random());
      busyInARow += 1;
      if (disposed || waitMs >= intervalMs) return;
      clearTimeout(retry);
      retry = setTimeout(() => {
        if (visible()) run();
      }, waitMs);
    });
  };
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
    disposed = true;
    clearTimeout(retry);
    clearInterval(timer);
    window.removeEventListener('online', run);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
