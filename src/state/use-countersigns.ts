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
import { REFUSAL_LABELS } from '../protocol/constants';
import { countersignState, entryCountersigns, lookupOf } from '../sync/countersign';
import { syncStatus } from '../sync/status';
import { useApp } from './store';
import { useSameItems } from './use-same-items';

const NONE_REFUSED: ReadonlyMap<string, string> = new Map();

/**
 * The case entries the hub refused for good, by id (the refusal in words): read again whenever a
 * sync ends or the count of refused changes changes (one set aside in the settings, say).
 */
function useRefusedEntries(): ReadonlyMap<string, string> {
  const session = useApp((s) => s.session);
  const key = useStore(syncStatus, (s) => `${s.refused}|${s.lastSyncAt ?? ''}|${s.running}`);
  const [refused, setRefused] = useState<{ for: unknown; byEntry: ReadonlyMap<string, string> }>({ for: null, byEntry: NONE_REFUSED });
  useEffect(() => {
    if (session === null) return;
    let live = true;
    void session.sync
      .refusedOf('case-entry')
      .then((byId) => {
        if (live) setRefused({ for: session, byEntry: new Map([...byId].map(([id, reason]) => [id, REFUSAL_LABELS[reason]])) });
      })
      // a read that fails leaves the entries as they read before (pending): the settings still list them
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session, key]);
  return refused.for === session ? refused.byEntry : NONE_REFUSED;
}

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
  const refused = useRefusedEntries();
  const current = checked !== null && checked.for === key && state.loaded;
  const lookup = useMemo(
    () => lookupOf(current ? checked.byEntry : new Map(), state.joined || state.receipts.size > 0, refused),
    [current, checked, state, refused],
  );
  return { lookup, done: current, joined: state.joined, hubKey: state.hubKey };
}
