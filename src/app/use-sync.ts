/**
 * Syncs while a session is unlocked (sync-wiring.ts); locking stops it: nothing syncs while the
 * outbox is sealed. The engine is fetched after unlock, off the cold start's critical path.
 */
import { useEffect } from 'react';
import { useApp } from '../state/store';

export function useSync(): void {
  const session = useApp((s) => s.session);
  useEffect(() => {
    if (session === null) return;
    let stop: (() => void) | null = null;
    let disposed = false;
    void import('./sync-wiring').then(({ startSync }) => {
      if (!disposed) stop = startSync(session);
    });
    return () => {
      disposed = true;
      stop?.();
    };
  }, [session]);
}
