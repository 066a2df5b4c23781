/**
 * The emergency case still open for a registered person: where calls made for that person belong.
 * The household screen's 「受入先を探す」 and the match opened without a case ask it, so a call made
 * while a case is open is not lost to a match that records nothing (SCENARIOS.md 1).
 */
import { foldCase } from './case-fold';
import type { CaseEntry, EmergencyCase, EntryBody } from './emergency-case';

/** Whether an entry could make the chain about this person: its request, a link, or a correction of either. */
function namesPerson(body: EntryBody, personId: string): boolean {
  const fact = body.type === 'correction' ? body.replacement : body;
  return (fact?.type === 'open' || fact?.type === 'link') && fact.subject.personId === personId;
}

/** Whether the chain stands closed without folding it: a close entry no 取消 (対応を再開) withdrew. */
function surelyClosed(entries: readonly CaseEntry[]): boolean {
  const withdrawn = new Set(entries.flatMap((e) => (e.body.type === 'correction' && e.body.replacement === null ? [e.body.corrects] : [])));
  return entries.some((e) => e.body.type === 'close' && !withdrawn.has(e.id));
}

/**
 * The open case (not closed) about this household's person, the latest request first when there
 * are several; null when there is none. Chains are folded only when an entry names the person and
 * a close no 取消 withdrew does not close it (a case reopened with 対応を再開 is open again), so a
 * phone holding years of closed cases does not fold them all at every render.
 */
export function openCaseOfPerson(
  chains: Iterable<readonly CaseEntry[]>,
  householdId: string,
  personId: string,
): EmergencyCase | null {
  let found: EmergencyCase | null = null;
  for (const entries of chains) {
    if (!entries.some((e) => namesPerson(e.body, personId)) || surelyClosed(entries)) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue; // a chain without its request: the case screen reports it
    }
    if (kase.closedAt !== null || kase.subject.householdId !== householdId || kase.subject.personId !== personId) continue;
    if (found === null || Date.parse(kase.open.body.requestedAt) > Date.parse(found.open.body.requestedAt)) found = kase;
  }
  return found;
}
