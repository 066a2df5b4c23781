/**
 * The case still open for one registered person, from the cases this phone holds (synced ones
 * included): the household screen and the match send calls there instead of recording nothing.
 */
import { useMemo } from 'react';
import type { EmergencyCase } from '../domain/emergency-case';
import { admittedFacilityIds, callsElsewhere, casesAwaitingCallBack, openCaseOfPerson, recentOpenCases, type CallElsewhere } from '../domain/open-case';
import { useApp } from './store';

export function useOpenCaseOf(householdId: string | null | undefined, personId: string | null | undefined): EmergencyCase | null {
  const caseEntries = useApp((s) => s.caseEntries);
  return useMemo(
    () => (householdId && personId ? openCaseOfPerson(caseEntries.values(), householdId, personId) : null),
    [caseEntries, householdId, personId],
  );
}

/** The facilities this person was admitted to in an emergency this phone holds (admittedFacilityIds). */
export function useAdmittedFacilities(householdId: string | null | undefined, personId: string | null | undefined): ReadonlyMap<string, string> {
  const caseEntries = useApp((s) => s.caseEntries);
  return useMemo(
    () => (householdId && personId ? admittedFacilityIds(caseEntries.values(), householdId, personId) : new Map<string, string>()),
    [caseEntries, householdId, personId],
  );
}

/** How far back an open case counts as tonight's: two days (a case opened at 02:00 yesterday is still worked on). */
const RECENT_OPEN_CASE_MS = 48 * 3_600_000;

/** The open cases of the last two days this device wrote in (recentOpenCases), at `now` (a minute clock). */
export function useRecentOpenCases(now: Date): readonly EmergencyCase[] {
  const caseEntries = useApp((s) => s.caseEntries);
  const deviceId = useApp((s) => s.session?.deviceId ?? null);
  const minute = Math.floor(now.getTime() / 60_000);
  return useMemo(
    () => (deviceId === null ? [] : recentOpenCases(caseEntries.values(), new Date(minute * 60_000), RECENT_OPEN_CASE_MS, deviceId)),
    [caseEntries, minute, deviceId],
  );
}

/** How far back a call in another case is told on the match: one night's emergencies. */
const CALLS_ELSEWHERE_MS = 12 * 3_600_000;

/** Each facility's latest call of the last 12 hours in a case other than `caseId` (callsElsewhere), at `now` (a minute clock). */
export function useCallsElsewhere(caseId: string | null, now: Date): ReadonlyMap<string, CallElsewhere> {
  const caseEntries = useApp((s) => s.caseEntries);
  const minute = Math.floor(now.getTime() / 60_000);
  return useMemo(() => callsElsewhere(caseEntries.values(), caseId, new Date(minute * 60_000), CALLS_ELSEWHERE_MS), [caseEntries, caseId, minute]);
}

/** The open cases waiting for a call back from the facility `ids` name (casesAwaitingCallBack). */
export function useCasesAwaitingCallBack(ids: readonly string[]): readonly EmergencyCase[] {
  const caseEntries = useApp((s) => s.caseEntries);
  const key = ids.join(' ');
  return useMemo(() => casesAwaitingCallBack(caseEntries.values(), new Set(key.split(' '))), [caseEntries, key]);
}
