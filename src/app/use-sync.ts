/**
 * Wires the sync engine to the unlocked session: one engine per session, the triggers (unlock,
 * online, back to the app, every 60 s while visible), and the store refreshed when records arrive.
 * Locking disposes of it: nothing syncs while the outbox is sealed.
 */
import { useEffect } from 'react';
import { createSyncEngine } from '../sync/engine';
import { resetSyncStatus, syncStatus } from '../sync/status';
import { installSyncTriggers } from '../sync/triggers';
import { useApp } from './store';

export function useSync(): void {
  const session = useApp((s) => s.session);
  useEffect(() => {
    if (session === null) return;
    const engine = createSyncEngine({
      session,
      onRecordsChanged: () => useApp.getState().reload().catch(() => undefined),
      // The vault is gone: drop every decrypted record from memory; the app shows the retired notice.
      onRetired: () => useApp.getState().lock('manual'),
    });
    syncStatus.setState({ engine });
    const dispose = installSyncTriggers(engine);
    return () => {
      dispose();
      resetSyncStatus();
    };
  }, [session]);
}
