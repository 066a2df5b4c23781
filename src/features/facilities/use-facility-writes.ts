/**
 * What the unlocked person may change in the facility list, as the hub decides it (src/server/
 * services/sync.ts): on a phone joined to a hub a 相談支援専門員 writes no facility, and a facility's
 * liaison only their own (the one their phone holds), never a new one or an import. Offered anyway,
 * the change stayed on the phone, in its own match, refused by the hub. Alone, without a hub, all.
 */
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { useLinkSaysLiaison, wasLiaison } from '../../state/liaison-hint';
import { syncStatus } from '../../sync/status';

export interface FacilityWrites {
  /** edit some existing facility and report its beds (a liaison: their own only, see mayEdit) */
  readonly edit: boolean;
  /** register a new one, import the city's CSV */
  readonly create: boolean;
  /** a facility's liaison: their own facility only */
  readonly liaison: boolean;
  /** whether this facility may be edited and its beds reported (編集, 空床を報告) */
  readonly mayEdit: (facilityId: string) => boolean;
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
  // the hub's last pull under this liaison's scope names their facility (none before it: nothing offered)
  const facilityId = useStore(syncStatus, (s) => s.facilityId);
  if (!joined || (role === null && !liaison)) return { edit: true, create: true, liaison: false, mayEdit: all };
  if (liaison) return { edit: facilityId !== null, create: false, liaison: true, mayEdit: facilityId === null ? none : (id) => id === facilityId };
  const edit = role !== 'case-worker';
  return { edit, create: role === 'admin' || role === 'coordinator', liaison: false, mayEdit: edit ? all : none };
}
