/**
 * [R3] Households a pull brought that this app could not read (a newer app's new code, say), set
 * aside in the vault (docs/sync-protocol.md R3). One held here keeps its old copy, and its screens
 * show the old 服薬 and contacts: they say so. Read from the sync status, which the engine refreshes
 * after every run (its pulls and the recheck of what was set aside): the keys are clear columns,
 * nothing is decrypted (vault/set-aside.ts countSetAside).
 */
import { useMemo } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../sync/status';
import { useApp } from './store';

const NONE: readonly string[] = [];

/** Whether a newer version of this household was received and set aside: what is shown here is the old one. */
export function useNewerVersionSetAside(householdId: string): boolean {
  return useStore(syncStatus, (s) => (s.setAside.households ?? NONE).includes(householdId));
}

/** How many households were received and set aside with no copy held here: the list and the search lack them. */
export function useSetAsideHouseholdsNotHeld(): number {
  const keys = useStore(syncStatus, (s) => s.setAside.households ?? NONE);
  const summaries = useApp((s) => s.summaries);
  return useMemo(() => keys.filter((key) => !summaries.has(key)).length, [keys, summaries]);
}
