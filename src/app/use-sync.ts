/**
 * Wires the sync engine to the unlocked session: one engine per session, the triggers (unlock,
 * online, back to the app, every 60 s while visible), and the store refreshed when records arrive.
 * Locking disposes of it: nothing syncs while the outbox is sealed.
 */
import { useEffect } from 'react';
import { createSyncEngine } from '../sync/engine';
import { resetSyncStatus, syncStatus } from '../sync/status';
import { changeNotifier, installSyncTriggers } from '../sync/triggers';
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
    // A record written here (a save, an evidence entry, an import) changes one of these maps:
    // count it as waiting at once and send it soon. A pull's reload changes them too; the run that
    // follows finds nothing to send and ends after one small pull (no loop: an empty pull reloads nothing).
    const changes = changeNotifier(engine);
    const unsubscribe = useApp.subscribe((state, before) => {
      if (state.session !== session) return;
      if (
        state.households !== before.households ||
        state.caseEntries !== before.caseEntries ||
        state.facilities !== before.facilities ||
        state.offices !== before.offices
      ) {
        changes.notify();
      }
    });
    return () => {
      unsubscribe();
      changes.dispose();
      dispose();
      resetSyncStatus();
    };
  }, [session]);
}
