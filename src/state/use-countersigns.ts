/**
 * Each entry's countersign status (src/sync/countersign.ts) for the case screen and the evidence
 * report: the receipts held are checked against the hub key again for what is on screen, off the
 * render path, whenever the entries or the receipts change; and the entries the hub refused.
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
 * sync ends or the count of refused changes changes (one set aside in the settings, say). `loaded`
 * only once read for the current session and key: until then the CSV and the report wait, so a
 * refused entry never goes out as 未署名. A read that fails stays not loaded until the next key.
 */
function useRefusedEntries(): { readonly byEntry: ReadonlyMap<string, string>; readonly loaded: boolean } {
  const session = useApp((s) => s.session);
  const key = useStore(syncStatus, (s) => `${s.refused}|${s.lastSyncAt ?? ''}`);
  const [read, setRead] = useState<{ session: unknown; key: string; byEntry: ReadonlyMap<string, string> } | null>(null);
  useEffect(() => {
    if (session === null) return;
    let live = true;
    void session.sync
      .refusedOf('case-entry')
      .then((byId) => {
        if (live) setRead({ session, key, byEntry: new Map([...byId].map(([id, reason]) => [id, REFUSAL_LABELS[reason]])) });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [session, key]);
  if (session === null) return { byEntry: NONE_REFUSED, loaded: true };
  const mine = read !== null && read.session === session;
  return { byEntry: mine ? read.byEntry : NONE_REFUSED, loaded: mine && read.key === key };
}

export interface Countersigns {
  /** every entry's status (entries still being checked read as pending) */
  readonly lookup: CountersignLookup;
  /** every listed entry has been checked, and the hub's refusals read */
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
    () => lookupOf(current ? checked.byEntry : new Map(), state.joined || state.receipts.size > 0, refused.byEntry),
    [current, checked, state, refused.byEntry],
  );
  return { lookup, done: current && refused.loaded, joined: state.joined, hubKey: state.hubKey };
}
