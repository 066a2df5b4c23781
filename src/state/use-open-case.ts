/**
 * The case still open for one registered person, from the cases this phone holds (synced ones
 * included): the household screen and the match send calls there instead of recording nothing.
 */
import { useMemo } from 'react';
import type { EmergencyCase } from '../domain/emergency-case';
import { admittedFacilityIds, openCaseOfPerson, recentOpenCases } from '../domain/open-case';
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
