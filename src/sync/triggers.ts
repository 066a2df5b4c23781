/**
 * When the engine runs: now (the app was just unlocked), on regaining the network, on coming back
 * to the app, and every minute while it is visible. iOS has no background sync, so this is all
 * there is there: the app syncs whenever it is open. A trigger during a run is a no-op (engine.run).
 */
import type { SyncEngine } from './engine';

export const SYNC_INTERVAL_MS = 60_000;

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
