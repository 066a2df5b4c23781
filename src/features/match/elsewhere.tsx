/**
 * What other emergency cases did at a facility tonight, on its match card: its latest call there
 * (the 受入不可 at 01:40) and a 短期入所 admission there (the bed reported at 18:00, taken at 01:45
 * before this call at 02:10). Two emergencies in one night, or two coordinators, call the same short stays.
 */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import type { Facility } from '../../domain/facility';
import { formatJapanShortDateTime, isInstantText } from '../../domain/japan-time';
import type { FacilityMatch } from '../../domain/match';
import { admissionsElsewhere, type AdmissionElsewhere, type CallElsewhere } from '../../domain/open-case';
import { listedFacilityId } from '../../domain/past-stays';
import { T } from './text';

/**
 * How far back an admission is looked for: a week. A stay goes on for days, and a bed report for a
 * period (the weekend's, made on Tuesday) still holds; one admitted since it took one of its beds.
 */
const ADMISSIONS_ELSEWHERE_MS = 7 * 24 * 3_600_000;

/** An admission before the bed report is said only when it is the night's: the report counts it already. */
const ADMISSION_TONIGHT_MS = 12 * 3_600_000;

/**
 * The admissions of the last week whose stays go on, in cases other than `caseId` (admissionsElsewhere),
 * by the id the list knows the facility by (one admitted to a record since withdrawn counts for the
 * office's other record), at `now` (a minute clock).
 */
export function useAdmissionsElsewhere(caseId: string | null, now: Date, facilities: readonly Facility[]): ReadonlyMap<string, readonly AdmissionElsewhere[]> {
  const caseEntries = useApp((s) => s.caseEntries);
  const minute = Math.floor(now.getTime() / 60_000);
  const found = useMemo(() => admissionsElsewhere(caseEntries.values(), caseId, new Date(minute * 60_000), ADMISSIONS_ELSEWHERE_MS), [caseEntries, caseId, minute]);
  return useMemo(() => {
    if (found.size === 0) return found;
    const listed = new Map<string, AdmissionElsewhere[]>();
    for (const [id, list] of found) {
      const at = listedFacilityId(id, list[0]!.facilityName, facilities) ?? id;
      listed.set(at, [...(listed.get(at) ?? []), ...list].sort((a, b) => Date.parse(b.admittedAt) - Date.parse(a.admittedAt)));
    }
    return listed;
  }, [found, facilities]);
}

/**
 * The facility's latest call in another case, and its latest admission there: marked ⚠ when it came
 * after the bed report the card shows (that bed may be gone), said plainly when the report came after
 * it (the liaison counted it), and left out when it is older than the night and the report counts it.
 */
export function ElsewhereLines({ match, call, now }: { match: FacilityMatch; call: CallElsewhere | undefined; now: Date }) {
  const admission = match.admissionsElsewhere[0];
  const report = match.vacancy !== null && isInstantText(match.vacancy.asOf) ? match.vacancy.asOf : null;
  const afterReport = match.bedsTaken > 0;
  const shown = admission !== undefined && (afterReport || now.getTime() - Date.parse(admission.admittedAt) <= ADMISSION_TONIGHT_MS);
  return (
    <>
      {call ? (
        <p className={call.result === '受入不可' ? 'match-card__elsewhere match-card__elsewhere--refused' : 'match-card__elsewhere'}>
          {T.calledElsewhere(formatJapanShortDateTime(call.contactedAt), call.result)}
        </p>
      ) : null}
      {shown ? (
        <p className={afterReport ? 'match-card__elsewhere match-card__elsewhere--admitted' : 'match-card__elsewhere'}>
          {T.admittedElsewhere(
            formatJapanShortDateTime(admission.admittedAt),
            afterReport ? match.bedsTaken : 1,
            report === null ? null : { at: formatJapanShortDateTime(report), after: afterReport },
          )}
        </p>
      ) : null}
    </>
  );
}
