/** What the 機能強化加算 views share: the records, office names, and whether this user may change them. */
import { useCallback, useMemo, useRef, useState } from 'react';
import { isDemoId } from '../../domain/demo-id';
import { withoutDemoBonus } from '../../domain/function-bonus';
import type { BonusCsvOffice } from '../../domain/function-bonus-csv';
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

/** An office's name and 事業所番号 for the CSV ('' when the office is not registered here). */
export function useCsvOffice(): BonusCsvOffice {
  const offices = useApp((s) => s.offices);
  const officeName = useOfficeName();
  return useCallback((id: string) => ({ name: officeName(id), number: offices.get(id)?.officeNumber ?? '' }), [offices, officeName]);
}

/**
 * One save at a time for a form: a second tap while the first is being written made a second
 * record (a coordinator's new id on each tap) or a second create of the same count, refused beside
 * the first one's 「保存しました」. The ref turns the second tap away at once; `busy` greys the button.
 */
export function useOneSave(): { readonly busy: boolean; readonly run: (save: () => Promise<void>) => Promise<void> } {
  const saving = useRef(false);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (save: () => Promise<void>) => {
    if (saving.current) return;
    saving.current = true;
    setBusy(true);
    try {
      await save();
    } finally {
      saving.current = false;
      setBusy(false);
    }
  }, []);
  return { busy, run };
}

/** The records the figures count: the demo's left out once real ones are held (withoutDemoBonus). */
export function useCountedBonus() {
  const bonus = useApp((s) => s.bonus);
  return useMemo(() => withoutDemoBonus(bonus, isDemoId), [bonus]);
}
