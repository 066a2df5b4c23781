/**
 * What the unlocked person may change in the facility list, as the hub decides it (src/server/
 * services/sync.ts): on a phone joined to a hub a 相談支援専門員 writes no facility, and a facility's
 * liaison only their own (the one their phone holds), never a new one or an import. Offered anyway,
 * the change stayed on the phone, in its own match, refused by the hub. Alone, without a hub, all.
 */
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { useLinkSaysLiaison, wasLiaison } from '../../state/liaison-hint';
import { syncStatus } from '../../sync/status';
import type { VaultSession } from '../../vault/types';

export interface FacilityWrites {
  /** edit some existing facility and report its beds (a liaison: their own only, see mayEdit) */
  readonly edit: boolean;
  /** register a new one, import the city's CSV */
  readonly create: boolean;
  /** a facility's liaison: their own facility only */
  readonly liaison: boolean;
  /** a liaison whose facility is still being read from the phone: their screens wait a moment */
  readonly pending: boolean;
  /** whether this facility may be edited and its beds reported (編集, 空床を報告) */
  readonly mayEdit: (facilityId: string) => boolean;
}

/**
 * The liaison's facility, as the hub's last pull said it (the link's scope): kept per session so a
 * screen opened again knows it at once. A scope that is not a liaison's (a colleague pulled last on a
 * shared phone, or none yet) gives no facility: nothing is offered until this person's sync says which.
 */
let known: { readonly session: VaultSession; readonly at: string | null; readonly facilityId: string | null } | null = null;
// gone at the lock, as match/tonight.tsx's: nothing of a session outlives it
useApp.subscribe((state) => {
  if (state.session === null) known = null;
});

function useLiaisonFacility(liaison: boolean): { readonly facilityId: string | null; readonly pending: boolean } {
  const session = useApp((s) => s.session);
  // a sync moves the scope (a first pull, a scope changed by the hub's admin): read again after one
  const at = useStore(syncStatus, (s) => s.lastSyncAt);
  const cached = known !== null && known.session === session && known.at === at ? known : null;
  const [read, setRead] = useState<{ readonly session: VaultSession | null; readonly at: string | null; readonly facilityId: string | null } | null>(cached);
  useEffect(() => {
    if (!liaison || session === null) return;
    let live = true;
    session.sync
      .hubLink()
      .catch(() => undefined)
      .then((link) => {
        const facilityId = link?.scope?.role === 'facility-liaison' ? link.scope.facilityId : null;
        known = { session, at, facilityId };
        if (live) setRead({ session, at, facilityId });
      });
    return () => {
      live = false;
    };
  }, [liaison, session, at]);
  if (!liaison) return { facilityId: null, pending: false };
  const current = read !== null && read.session === session ? read : cached;
  return current === null ? { facilityId: null, pending: session !== null } : { facilityId: current.facilityId, pending: false };
}

const all = () => true;
const none = () => false;

export function useFacilityWrites(): FacilityWrites {
  const joined = useStore(syncStatus, (s) => s.joined);
  const role = useStore(syncStatus, (s) => s.role);
  const userId = useApp((s) => s.session?.user.id ?? '');
  // joined with no role read (the engine's file failed to load): the last unlock's hint, as the shell reads it
  const linkSays = useLinkSaysLiaison();
  const liaison = joined && (linkSays ?? wasLiaison(userId));
  const own = useLiaisonFacility(liaison);
  if (!joined || (role === null && !liaison)) return { edit: true, create: true, liaison: false, pending: false, mayEdit: all };
  if (liaison) {
    const { facilityId, pending } = own;
    return { edit: facilityId !== null, create: false, liaison: true, pending, mayEdit: facilityId === null ? none : (id) => id === facilityId };
  }
  const edit = role !== 'case-worker';
  return { edit, create: role === 'admin' || role === 'coordinator', liaison: false, pending: false, mayEdit: edit ? all : none };
}
