/**
 * The emergency case still open for a registered person: where calls made for that person belong.
 * The household screen's 「受入先を探す」 and the match opened without a case ask it, so a call made
 * while a case is open is not lost to a match that records nothing (SCENARIOS.md 1).
 */
import { awaitingCallBack } from './call-backs';
import { CLOCK_TOLERANCE_MS, foldCase, standingOutcomes } from './case-fold';
import type { CaseEntry, ContactResult, EmergencyCase, EntryBody } from './emergency-case';
import type { IsoInstant } from './household';

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

/**
 * Every case still open that this device wrote in, whose request came within `withinMs` before
 * `now` (the night's cases, not one left open for weeks, nor a colleague's synced from another
 * phone), the latest request first: a call made from the facility screens records nothing, and the
 * coordinator is pointed to them. Closed chains, other phones' and old ones are not folded.
 */
export function recentOpenCases(chains: Iterable<readonly CaseEntry[]>, now: Date, withinMs: number, deviceId: string): EmergencyCase[] {
  const found: EmergencyCase[] = [];
  // a request time corrected later by more than a week is not looked for
  const oldest = now.getTime() - withinMs - 7 * 86_400_000;
  for (const entries of chains) {
    if (!entries.some((e) => e.deviceId === deviceId) || surelyClosed(entries)) continue;
    const opened = entries.find((e) => e.body.type === 'open');
    if (opened?.body.type === 'open' && Date.parse(opened.body.requestedAt) < oldest) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue;
    }
    const requested = Date.parse(kase.open.body.requestedAt);
    if (kase.closedAt === null && requested <= now.getTime() && now.getTime() - requested <= withinMs) found.push(kase);
  }
  return found.sort((a, b) => Date.parse(b.open.body.requestedAt) - Date.parse(a.open.body.requestedAt));
}

/**
 * The facilities this person was admitted to (短期入所) in an emergency this phone holds: the match
 * counts them as 以前に利用した事業所, as the interview's 利用歴 and the trial stays, so last month's
 * admission ranks the facility up tonight without anyone typing it into the form. Only the chains
 * that name the person are folded; a withdrawn outcome does not count. Each id with the facility's
 * name as the outcome recorded it (for a record since withdrawn, the list's record of that name:
 * `listedFacilityId`, past-stays.ts).
 */
export function admittedFacilityIds(chains: Iterable<readonly CaseEntry[]>, householdId: string, personId: string): Map<string, string> {
  const ids = new Map<string, string>();
  for (const entries of chains) {
    if (!entries.some((e) => e.body.type === 'outcome') || !entries.some((e) => namesPerson(e.body, personId))) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue;
    }
    if (kase.subject.householdId !== householdId || kase.subject.personId !== personId) continue;
    const outcome = kase.outcome?.body;
    if (outcome?.outcome === '短期入所' && outcome.facilityId) ids.set(outcome.facilityId, outcome.facilityName);
  }
  return ids;
}

/** A facility's latest call in another case: when, and what it answered (null: no result recorded yet). */
export interface CallElsewhere {
  readonly caseId: string;
  readonly contactedAt: string;
  readonly result: ContactResult | null;
}

/**
 * Each facility's latest call within `withinMs` before `now` in a case other than `caseId`, as this
 * phone holds them (a colleague's synced in): two emergencies in one night, or two coordinators, call
 * the same short stays, and the one that said 受入不可 at 01:40 is worth knowing before the second
 * call at 02:10. Only chains with an entry written in the window (and a day before it, for a call
 * time corrected back) are folded; withdrawn calls do not count.
 */
export function callsElsewhere(chains: Iterable<readonly CaseEntry[]>, caseId: string | null, now: Date, withinMs: number): Map<string, CallElsewhere> {
  const latest = new Map<string, CallElsewhere>();
  const from = now.getTime() - withinMs;
  for (const entries of chains) {
    // the chain's last entries are its latest written: a chain closed years ago is passed over on them
    if (entries[0]?.caseId === caseId || !entries.slice(-3).some((e) => Date.parse(e.recordedAt) >= from - 86_400_000)) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue;
    }
    for (const c of kase.contacts) {
      const at = Date.parse(c.body.contactedAt);
      // `now` is a minute clock: a call synced in this minute, or from a phone a little ahead, is tonight's
      if (c.body.facilityId === null || at < from || at > now.getTime() + CLOCK_TOLERANCE_MS) continue;
      const had = latest.get(c.body.facilityId);
      if (had === undefined || Date.parse(had.contactedAt) < at) latest.set(c.body.facilityId, { caseId: kase.id, contactedAt: c.body.contactedAt, result: c.body.result });
    }
  }
  return latest;
}

/** A 短期入所 admission in another case whose stay goes on: a bed of the facility taken. */
export interface AdmissionElsewhere {
  readonly caseId: string;
  /** 入所の日時, as the outcome that stands in its case says */
  readonly admittedAt: IsoInstant;
  /** the facility's name as the outcome recorded it (its record may have been withdrawn since) */
  readonly facilityName: string;
}

/**
 * Each facility's 短期入所 admissions in cases other than `caseId`, admitted within `withinMs`
 * before `now` and not ended (退所) by then, the latest first: the bed a liaison reported free at
 * 18:00 and another emergency took at 01:45 is not free at 02:10, though the report still says so,
 * and the match counts it against the report (match.ts). Only the outcomes standing in its case
 * count (`standingOutcomes`): one withdrawn (取消) or replaced by a later outcome does not; two
 * recorded at once each do, until settled. Only chains with
 * an outcome and an entry written in the window (a day before it, for a time corrected back) are folded.
 */
export function admissionsElsewhere(chains: Iterable<readonly CaseEntry[]>, caseId: string | null, now: Date, withinMs: number): Map<string, AdmissionElsewhere[]> {
  const byFacility = new Map<string, AdmissionElsewhere[]>();
  const from = now.getTime() - withinMs;
  for (const entries of chains) {
    // an admission is written after its time (case-fold's checkNotAhead): the chain's last entries are as late
    if (entries[0]?.caseId === caseId || !entries.slice(-3).some((e) => Date.parse(e.recordedAt) >= from - 86_400_000)) continue;
    if (!entries.some((e) => e.body.type === 'outcome')) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue;
    }
    // Two outcomes recorded at once (standingOutcomes): each admission among them counts as a bed
    // taken until someone settles it, whatever the read order, on every phone alike.
    for (const { outcome, stay } of standingOutcomes(kase).outcomes) {
      const facilityId = outcome.body.facilityId ?? null;
      if (stay === null || facilityId === null) continue;
      const at = Date.parse(stay.from);
      if (Number.isNaN(at) || at < from || at > now.getTime() + CLOCK_TOLERANCE_MS) continue;
      // left already (退所): the bed is free again
      if (stay.endedAt !== null && Date.parse(stay.endedAt) <= now.getTime()) continue;
      const list = byFacility.get(facilityId) ?? [];
      list.push({ caseId: kase.id, admittedAt: stay.from, facilityName: outcome.body.facilityName });
      byFacility.set(facilityId, list);
    }
  }
  for (const list of byFacility.values()) list.sort((a, b) => Date.parse(b.admittedAt) - Date.parse(a.admittedAt));
  return byFacility;
}

/**
 * The open cases (any phone's, synced in) that wait for a call back from one of `facilityIds` (an
 * office registered twice is one facility): a 折り返し待ち with no call to it, nor call back, since.
 * When the facility rings the on-call phone, its screen points to them, the latest request first.
 * Closed chains are not folded.
 */
export function casesAwaitingCallBack(chains: Iterable<readonly CaseEntry[]>, facilityIds: ReadonlySet<string>): EmergencyCase[] {
  const found: EmergencyCase[] = [];
  for (const entries of chains) {
    if (!entries.some((e) => e.body.type === 'contact' && e.body.facilityId !== null && facilityIds.has(e.body.facilityId)) || surelyClosed(entries)) continue;
    let kase: EmergencyCase;
    try {
      kase = foldCase(entries);
    } catch {
      continue;
    }
    if (kase.closedAt === null && awaitingCallBack(kase.contacts).some((c) => c.body.facilityId !== null && facilityIds.has(c.body.facilityId))) found.push(kase);
  }
  return found.sort((a, b) => Date.parse(b.open.body.requestedAt) - Date.parse(a.open.body.requestedAt));
}
