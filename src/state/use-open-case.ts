/**
 * The case still open for one registered person, from the cases this phone holds (synced ones
 * included): the household screen and the match send calls there instead of recording nothing.
 */
import { useMemo } from 'react';
import type { EmergencyCase } from '../domain/emergency-case';
import { openCaseOfPerson } from '../domain/open-case';
import { useApp } from './store';

export function useOpenCaseOf(householdId: string | null | undefined, personId: string | null | undefined): EmergencyCase | null {
  const caseEntries = useApp((s) => s.caseEntries);
  return useMemo(
    () => (householdId && personId ? openCaseOfPerson(caseEntries.values(), householdId, personId) : null),
    [caseEntries, householdId, personId],
  );
}
