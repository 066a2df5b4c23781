/**
 * What the unlocked person may change in the facility list, as the hub decides it (src/server/
 * services/sync.ts): on a phone joined to a hub a 相談支援専門員 writes no facility, and a facility's
 * liaison only their own (the one their phone holds), never a new one or an import. Offered anyway,
 * the change stayed on the phone, in its own match, refused by the hub. Alone, without a hub, all.
 */
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';

export interface FacilityWrites {
  /** edit an existing facility and report its beds */
  readonly edit: boolean;
  /** register a new one, import the city's CSV */
  readonly create: boolean;
  /** a facility's liaison: their own facility only */
  readonly liaison: boolean;
}

export function useFacilityWrites(): FacilityWrites {
  const joined = useStore(syncStatus, (s) => s.joined);
  const role = useStore(syncStatus, (s) => s.role);
  if (!joined || role === null) return { edit: true, create: true, liaison: false };
  return { edit: role !== 'case-worker', create: role === 'admin' || role === 'coordinator', liaison: role === 'facility-liaison' };
}
