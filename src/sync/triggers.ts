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
 * How long to wait before asking a busy hub (503) again: its Retry-After (at least a second),
 * doubled for each busy answer in a row before this one, and stretched by up to as much again at
 * random, so the phones a hub turned away together do not come back together.
 */
export function busyWaitMs(retryAfterSeconds: number, busyInARow: number, random = Math.random()): number {
  return Math.max(1, retryAfterSeconds) * 1000 * 2 ** busyInARow * (1 + random);
}

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

/** Every run's start and end, whoever asked for it (these triggers, a save, the 今すぐ同期 button). */
export interface RunEvents {
  /** an end carries the hub's Retry-After when it was busy (503), else null; returns the unsubscribe */
  subscribe(listener: (event: { readonly type: 'started' } | { readonly type: 'ended'; readonly retryAfterSeconds: number | null }) => void): () => void;
}

/**
 * `runs`: when a run ends with a busy hub's Retry-After, the next run comes that much later, not at
 * the next minute: what was saved at 2 a.m. reaches the hub seconds after the rush, as the hub's
 * message promises ("自動でもう一度送ります"). Each busy answer in a row doubles the wait (at least
 * a second), and each wait is stretched by up to as much again at random, so the phones a hub
 * turned away together do not come back together, and a hub that stays busy is asked no more often
 * than by the minute's runs once the wait reaches a minute. Any run that starts meanwhile takes the
 * waiting one's place.
 */
export function installSyncTriggers(
  engine: Pick<SyncEngine, 'run' | 'refresh'>,
  { intervalMs = SYNC_INTERVAL_MS, runs }: { readonly intervalMs?: number; readonly runs?: RunEvents } = {},
): () => void {
  const visible = () => document.visibilityState === 'visible';
  const run = () => void engine.run();
  let retry: ReturnType<typeof setTimeout> | undefined;
  let busyInARow = 0;
  /**
   * Until when a busy hub asked not to be asked again, on the page's monotonic clock (network time
   * putting the wall clock back would stretch it); 0 when it did not.
   */
  let busyUntil = 0;
  let disposed = false;
  const stopListening = runs?.subscribe((event) => {
    clearTimeout(retry);
    retry = undefined;
    if (event.type === 'started') return;
    if (event.retryAfterSeconds === null) {
      busyInARow = 0;
      busyUntil = 0;
      return;
    }
    const waitMs = busyWaitMs(event.retryAfterSeconds, busyInARow);
    busyInARow += 1;
    busyUntil = performance.now() + waitMs;
    if (waitMs >= intervalMs) return;
    retry = setTimeout(() => {
      if (visible()) run();
    }, waitMs);
  });
  // Back from the dialler, at each facility called during a night call: not before a busy hub's wait is out.
  const onVisibility = () => {
    if (visible() && performance.now() >= busyUntil) run();
  };
  const timer = setInterval(() => {
    if (visible()) run();
  }, intervalMs);
  window.addEventListener('online', run);
  document.addEventListener('visibilitychange', onVisibility);
  void engine
    .refresh()
    .catch(() => undefined)
    .then(() => {
      if (!disposed) run();
    });
  return () => {
    disposed = true;
    stopListening?.();
    clearTimeout(retry);
    clearInterval(timer);
    window.removeEventListener('online', run);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
