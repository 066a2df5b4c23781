/**
 * Syncs while a session is unlocked (sync-wiring.ts); locking stops it: nothing syncs while the
 * outbox is sealed. The engine is fetched after unlock, off the cold start's critical path.
 */
import { useEffect } from 'react';
import { useApp } from '../state/store';
import { syncStatus } from '../sync/status';
import { S } from '../sync/text';

export function useSync(): void {
  const session = useApp((s) => s.session);
  useEffect(() => {
    if (session === null) return;
    let stop: (() => void) | null = null;
    let disposed = false;
    import('./sync-wiring').then(
      ({ startSync }) => {
        if (!disposed) stop = startSync(session);
      },
      // The engine's file could not be fetched (a tab left open while another applied an update
      // that took the old version's files away): a joined phone's line says that nothing syncs
      // and to reload, instead of a last sync that no longer moves. One working alone has nothing to say.
      async () => {
        const link = await session.sync.hubLink().catch(() => undefined);
        if (disposed || link === undefined) return;
        syncStatus.setState({ joined: true, hub: link.hub, problem: { code: 'not-loaded', message: S.problem['not-loaded'], serverMessage: null } });
      },
    );
    return () => {
      disposed = true;
      stop?.();
    };
  }, [session]);
}
