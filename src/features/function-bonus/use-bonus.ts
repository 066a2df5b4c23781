/** What the 機能強化加算 views share: the records, office names, and whether this user may change them. */
import { useCallback, useMemo } from 'react';
import { isDemoId } from '../../domain/demo-id';
import { withoutDemoBonus } from '../../domain/function-bonus';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { syncStatus } from '../../sync/status';
import { B } from './text';

/** An admin on a hub, or anyone on a device that works alone (the hub refuses others' changes [FB8]). */
export function useCanEdit(): boolean {
  const joined = useStore(syncStatus, (s) => s.joined);
  const role = useStore(syncStatus, (s) => s.role);
  return !joined || role === 'admin';
}

export function useOfficeName(): (id: string) => string {
  const offices = useApp((s) => s.offices);
  return useCallback((id: string) => offices.get(id)?.name ?? B.unknownOffice(id), [offices]);
}

/** The records the figures count: the demo's left out once real ones are held (withoutDemoBonus). */
export function useCountedBonus() {
  const bonus = useApp((s) => s.bonus);
  return useMemo(() => withoutDemoBonus(bonus, isDemoId), [bonus]);
}
