/**
 * Each entry's countersign status (src/sync/countersign.ts) for the case screen and the evidence
 * report: the receipts held are checked against the hub key again for what is on screen, off the
 * render path, whenever the entries or the receipts change.
 */
import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { CountersignLookup, EntryCountersign } from '../domain/countersign-status';
import type { CaseEntry } from '../domain/emergency-case';
import type { HubKeyInfo } from '../protocol/countersign';
import { countersignState, entryCountersigns, lookupOf } from '../sync/countersign';
import { useSameItems } from './use-same-items';

export interface Countersigns {
  /** every entry's status (entries still being checked read as pending) */
  readonly lookup: CountersignLookup;
  /** every listed entry has been checked */
  readonly done: boolean;
  readonly joined: boolean;
  /** the hub key this device took at join, or null */
  readonly hubKey: HubKeyInfo | null;
}

export function useCountersigns(listed: readonly CaseEntry[]): Countersigns {
  // the same entries, gathered again because something else changed, keep their results
  const entries = useSameItems(listed);
  const state = useStore(countersignState);
  const [checked, setChecked] = useState<{ for: unknown; byEntry: Map<string, EntryCountersign> } | null>(null);
  const key = useMemo(() => ({ entries, state }), [entries, state]);
  useEffect(() => {
    let live = true;
    void entryCountersigns(entries, state).then((byEntry) => {
      if (live) setChecked({ for: key, byEntry });
    });
    return () => {
      live = false;
    };
  }, [key, entries, state]);
  const current = checked !== null && checked.for === key && state.loaded;
  const lookup = useMemo(() => lookupOf(current ? checked.byEntry : new Map(), state.joined || state.receipts.size > 0), [current, checked, state]);
  return { lookup, done: current, joined: state.joined, hubKey: state.hubKey };
}
