/**
 * Whether a person of a household is named by records that read them from it: a case whose subject
 * is them now (after any 登録者との結び付け), or a trial stay. The claim (者 or 児, the 計画相談
 * office) and the yearly report read such a person from the household, so they are not removed.
 */
import { foldCase } from '../../domain/case-fold';
import type { CaseEntry } from '../../domain/emergency-case';
import type { TrialStay } from '../../domain/trial-stay';

export function personHasRecords(
  householdId: string,
  personId: string,
  caseEntries: ReadonlyMap<string, readonly CaseEntry[]>,
  trialStays: ReadonlyMap<string, TrialStay>,
): boolean {
  for (const t of trialStays.values()) if (t.householdId === householdId && t.personId === personId) return true;
  for (const entries of caseEntries.values()) {
    // cheap first: only a case some entry of which names the person is folded
    if (!entries.some((e) => (e.body.type === 'open' || e.body.type === 'link') && e.body.subject.personId === personId)) continue;
    try {
      const { subject } = foldCase(entries);
      if (subject.householdId === householdId && subject.personId === personId) return true;
    } catch {
      // a case that cannot be read names no one here; the case screen says why
    }
  }
  return false;
}
