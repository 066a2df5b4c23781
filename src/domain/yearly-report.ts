/**
 * 年次実績報告: the figures a city asks of its hub once a year (seeds/003 基本指針: 「支援の実績等を
 * 踏まえ運用状況を検証及び検討」; seeds/002 現状報告), counted from what the app holds, for a fiscal
 * year (April–March) or any range of Japan dates. Pure: the same records and range always give the
 * same figures, in any device zone. Each figure is defined in docs/yearly-report.md.
 */
import { stayDays, standingOutcomes, type Stay } from './case-fold';
import { childLookupOf, claimMonthOf, claimPersonKey, decideClaims, personFactsLookupOf, sameEmergencyAnswer } from './claim-rules';
import { EXIT_KINDS, REQUEST_CATEGORIES, type EmergencyCase, type ExitKind, type Office, type RequestCategory } from './emergency-case';
import { HUB_FUNCTIONS, type Facility, type HubFunction } from './facility';
import { officeNumberKey } from './facility-twins';
import type { Household, IsoDate, Person } from './household';
import { ADULT_AGE, addDaysToDate, isInstantText, isValidIsoDate, japanDateOf } from './japan-time';
import { municipalityKeysOf } from './normalize';
import { isLiveStay, type TrialStay } from './trial-stay';
import { isDemoId } from './demo-id';

/** Both days included, Japan dates. */
export interface ReportRange {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

/** 年度 N: 1 April N to 31 March N+1 (令和6年度 = 2024). */
export function fiscalYearRange(year: number): ReportRange {
  return { from: `${String(year).padStart(4, '0')}-04-01`, to: `${String(year + 1).padStart(4, '0')}-03-31` };
}

/** The fiscal year a Japan date falls in: 2027-03-31 → 2026. */
export function fiscalYearOf(day: IsoDate): number {
  const year = Number(day.slice(0, 4));
  return day.slice(5) < '04-01' ? year - 1 : year;
}

/** A count split into 者 (18+), 児 and 不明 (no birth date, or the person is no longer held). */
export interface AgeSplit {
  readonly adult: number;
  readonly child: number;
  readonly unknown: number;
  readonly total: number;
}

export interface MunicipalityRow extends AgeSplit {
  /** 支給決定市町村 as entered; '' when not recorded */
  readonly municipality: string;
}

export interface OfficeClaimRow {
  readonly officeId: string;
  readonly officeName: string;
  readonly officeNumber: string;
  /** 相談強化加算 claimed (算定) in the range */
  readonly count: number;
  readonly units: number;
}

export interface YearlyReport {
  readonly range: ReportRange;
  readonly registration: {
    /** the day the registration figures are read on: the range's last day, or today while the range runs on */
    readonly asOf: IsoDate;
    /** registered persons on that day, 者/児 by age on that day */
    readonly onLastDay: AgeSplit;
    /** households registered on the last day */
    readonly households: number;
    /** persons whose household's 同意日 falls in the range */
    readonly newlyRegistered: AgeSplit;
    /** persons whose household's 登録廃止日 falls in the range */
    readonly withdrawn: AgeSplit;
    /** registered persons on the last day, per 支給決定市町村 (most first) */
    readonly byMunicipality: readonly MunicipalityRow[];
  };
  readonly emergencies: {
    /** cases whose 要請のあった時間 falls in the range */
    readonly cases: number;
    /** distinct persons of those cases */
    readonly persons: number;
    readonly byCategory: readonly { readonly category: RequestCategory; readonly count: number }[];
    /** of those cases, the ones that ended in a 短期入所 admission */
    readonly admitted: number;
    /** distinct persons admitted, 者/児 by age on the day of the emergency's first short-stay coordination (as the claim bills 児 or 者), else of its request */
    readonly admittedPersons: AgeSplit;
    /** days of emergency stay inside the range (a stay crossing a boundary counts only its days inside) */
    readonly stayDays: number;
    /** stays counted in stayDays with no 退所 recorded: their days run to today or the range's end */
    readonly staysWithoutEnd: number;
    /**
     * emergencies with an admission among outcomes two phones recorded at once that nobody has
     * settled (要確認): of the range, or with days of that admission inside it. Such an admission is
     * in none of the figures above until settled, whichever outcome read order put last.
     */
    readonly admissionsInDoubt: number;
    /** stays that ended in the range, by where the person went */
    readonly exits: readonly { readonly exit: ExitKind; readonly count: number }[];
  };
  readonly trialStays: {
    /** stays whose first day falls in the range, 者/児 by age on that day */
    readonly count: AgeSplit;
    /** distinct persons of those stays, 者/児 by age on their first such stay */
    readonly persons: AgeSplit;
    /** days of trial stay inside the range, every stay that overlaps it */
    readonly days: number;
  };
  readonly members: {
    /** 相談支援事業所 positioned as a hub (運営規程) on or before the last day */
    readonly hubOffices: number;
    /** registered facilities per hub function they carry */
    readonly byFunction: readonly { readonly fn: HubFunction; readonly count: number }[];
    /** facilities carrying at least one hub function */
    readonly facilities: number;
  };
  readonly claims: {
    readonly byOffice: readonly OfficeClaimRow[];
    readonly total: { readonly count: number; readonly units: number };
    /** 要確認 in the range: not yet decided (an outcome, the plan's office…); 700 units each if they become 算定 */
    readonly pending: number;
  };
  /** demo records given but not counted (`leaveOutDemo`): all 0 when none were, or when not asked */
  readonly demoLeftOut: DemoLeftOut;
}

/** How many demo records of each kind a report left out. */
export interface DemoLeftOut {
  readonly households: number;
  readonly cases: number;
  readonly trialStays: number;
  readonly facilities: number;
  readonly offices: number;
  readonly total: number;
}

export interface YearlyReportInput {
  readonly range: ReportRange;
  /** today in Japan: a stay still going on counts up to here (or the range's end, if earlier) */
  readonly today: IsoDate;
  readonly households: Iterable<Household>;
  readonly cases: readonly EmergencyCase[];
  readonly trialStays: Iterable<TrialStay>;
  readonly facilities: Iterable<Facility>;
  readonly offices: ReadonlyMap<string, Office>;
  /**
   * Leave the demo hub's records out of every figure, counting them in `demoLeftOut` (the screen
   * always asks; a report of the records given, demo or not, without it). `householdIds`: the
   * households stored as demo (the store's demoIds).
   */
  readonly leaveOutDemo?: { readonly householdIds: ReadonlySet<string> };
}

/**
 * The records of the input that are real, and how many demo ones were set aside. Demo: a household
 * stored as demo; a case about a demo household, or about no registered household handled at a
 * demo office (the demo's unnamed caller); a trial stay made by the demo or of a demo household (the
 * store keeps both as demo); a facility or office made by the demo.
 */
function withoutDemo(input: YearlyReportInput): { input: YearlyReportInput; leftOut: DemoLeftOut } {
  const demoIds = input.leaveOutDemo?.householdIds;
  const households = [...input.households];
  const trialStays = [...input.trialStays];
  const facilities = [...input.facilities];
  if (demoIds === undefined) {
    return { input: { ...input, households, trialStays, facilities }, leftOut: { households: 0, cases: 0, trialStays: 0, facilities: 0, offices: 0, total: 0 } };
  }
  const demoHousehold = (id: string | null) => id !== null && (demoIds.has(id) || isDemoId(id));
  const real = {
    households: households.filter((h) => !demoHousehold(h.id)),
    cases: input.cases.filter((c) => !(isDemoId(c.id) || demoHousehold(c.subject.householdId) || (c.subject.householdId === null && isDemoId(c.open.body.officeId)))),
    trialStays: trialStays.filter((s) => !isDemoId(s.id) && !demoHousehold(s.householdId)),
    facilities: facilities.filter((f) => !isDemoId(f.id)),
    offices: new Map([...input.offices].filter(([id]) => !isDemoId(id))),
  };
  const counts = {
    households: households.length - real.households.length,
    cases: input.cases.length - real.cases.length,
    trialStays: trialStays.length - real.trialStays.length,
    facilities: facilities.length - real.facilities.length,
    offices: input.offices.size - real.offices.size,
  };
  const total = counts.households + counts.cases + counts.trialStays + counts.facilities + counts.offices;
  return { input: { ...input, ...real }, leftOut: { ...counts, total } };
}

type Category = 'adult' | 'child' | 'unknown';

class Split {
  adult = 0;
  child = 0;
  unknown = 0;
  add(c: Category): void {
    this[c] += 1;
  }
  done(): AgeSplit {
    return { adult: this.adult, child: this.child, unknown: this.unknown, total: this.adult + this.child + this.unknown };
  }
}

// A report asks the age of every registered person on the same few days: each birth date is checked
// once per report (a cache that lives no longer than the report, so no birth date outlives a lock),
// and the age read from the dates' digits (the same rule as ageOn, 29 February included).
type BirthDateCheck = (date: string) => boolean;
function birthDateCheck(): BirthDateCheck {
  const valid = new Map<string, boolean>();
  return (date) => {
    let ok = valid.get(date);
    if (ok === undefined) {
      ok = isValidIsoDate(date);
      valid.set(date, ok);
    }
    return ok;
  };
}

function categoryOn(person: Pick<Person, 'birthDate'> | undefined, day: IsoDate, isValidBirthDate: BirthDateCheck): Category {
  const birth = person?.birthDate;
  if (birth == null || !isValidBirthDate(birth)) return 'unknown';
  if (birth > day) return 'unknown';
  const year = Number(day.slice(0, 4));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const birthday = birth.slice(5) === '02-29' && !leap ? '03-01' : birth.slice(5);
  const age = year - Number(birth.slice(0, 4)) - (day.slice(5) < birthday ? 1 : 0);
  return age >= ADULT_AGE ? 'adult' : 'child';
}

const inRange = (day: IsoDate, r: ReportRange) => r.from <= day && day <= r.to;

/** Days of [first, last] that lie inside the range, both ends counted. */
function daysInside(first: IsoDate, last: IsoDate, r: ReportRange): number {
  const a = first > r.from ? first : r.from;
  const b = last < r.to ? last : r.to;
  return stayDays(a, b);
}

/** The Japan days of [first, last] that lie inside the range. */
function daysBetween(first: IsoDate, last: IsoDate, r: ReportRange): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = first > r.from ? first : r.from; day <= last && day <= r.to; day = addDaysToDate(day, 1)) days.push(day);
  return days;
}

/**
 * The cases grouped into emergencies: cases joined by a standing 同じ answer (either side, at any
 * remove) are one, earliest request first; every other case is one on its own.
 */
function emergencies(cases: Iterable<EmergencyCase>): EmergencyCase[][] {
  const byId = new Map<string, EmergencyCase>();
  for (const c of cases) byId.set(c.id, c);
  const parent = new Map<string, string>();
  const root = (id: string): string => {
    const up = parent.get(id);
    return up === undefined || up === id ? id : root(up);
  };
  for (const c of byId.values()) {
    for (const answer of c.sameEmergency) {
      const other = byId.get(answer.body.otherCaseId);
      if (other === undefined || sameEmergencyAnswer(c, other)?.body.answer !== 'same') continue;
      const [a, b] = [root(c.id), root(other.id)];
      if (a !== b) parent.set(b, a);
    }
  }
  const groups = new Map<string, EmergencyCase[]>();
  for (const c of byId.values()) {
    const group = groups.get(root(c.id));
    if (group) group.push(c);
    else groups.set(root(c.id), [c]);
  }
  const byRequest = (a: EmergencyCase, b: EmergencyCase) =>
    Date.parse(a.open.body.requestedAt) - Date.parse(b.open.body.requestedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return [...groups.values()].map((g) => g.sort(byRequest));
}

export function buildYearlyReport(given: YearlyReportInput): YearlyReport {
  const { range, today } = given;
  if (!isValidIsoDate(range.from) || !isValidIsoDate(range.to) || range.to < range.from) {
    throw new RangeError(`yearly-report: not a range of dates: ${range.from}..${range.to}`);
  }
  const { input, leftOut } = withoutDemo(given);
  const households = new Map<string, Household>();
  for (const h of input.households) households.set(h.id, h);
  const factsOf = personFactsLookupOf(households);
  const validBirth = birthDateCheck();
  const personOf = (householdId: string | null, personId: string | null) =>
    householdId === null || personId === null ? undefined : households.get(householdId)?.persons.find((p) => p.id === personId);

  // 事前登録者
  // A year still running is read on today: as of 31 March next year, a child turning 18 by then
  // would already be counted 者 and a withdrawal dated ahead would already count.
  const asOf = range.to > today ? (today < range.from ? range.from : today) : range.to;
  const onLastDay = new Split();
  const newly = new Split();
  const withdrawn = new Split();
  const byMunicipality = new Map<string, Split>();
  const municipalityOf = municipalityKeysOf([...households.values()].flatMap((h) => h.persons.map((p) => p.municipality ?? '')));
  let registeredHouseholds = 0;
  for (const h of households.values()) {
    if (h.consent === null) continue;
    const registered = h.consent.date <= asOf && (h.withdrawal === null || h.withdrawal.date > asOf);
    const isNew = inRange(h.consent.date, range);
    const isWithdrawn = h.withdrawal !== null && inRange(h.withdrawal.date, range);
    if (registered) registeredHouseholds += 1;
    for (const p of h.persons) {
      const c = categoryOn(p, asOf, validBirth);
      if (registered) {
        onLastDay.add(c);
        const key = municipalityOf(p.municipality ?? '');
        const row = byMunicipality.get(key) ?? new Split();
        row.add(c);
        byMunicipality.set(key, row);
      }
      if (isNew) newly.add(c);
      if (isWithdrawn) withdrawn.add(c);
    }
  }

  // 緊急対応: one emergency opened as several cases (answered 同じ, Q&A R6 問74) is one 件, with
  // one stay and one exit; a person's days in short stay are counted once however many cases
  // record them (docs/yearly-report.md).
  const categories = new Map<RequestCategory, number>(REQUEST_CATEGORIES.map((c) => [c, 0]));
  const exits = new Map<ExitKind, number>(EXIT_KINDS.map((e) => [e, 0]));
  const persons = new Set<string>();
  const admittedPersons = new Map<string, { first: IsoDate; category: Category }>();
  const stayDaysOf = new Map<string, Set<IsoDate>>();
  let caseCount = 0;
  let admitted = 0;
  let staysWithoutEnd = 0;
  let admissionsInDoubt = 0;
  for (const group of emergencies(input.cases)) {
    const first = group[0]!;
    const key = claimPersonKey(first.subject, factsOf(first.subject)) ?? `case:${first.id}`;
    // Two phones' outcomes not settled: read order alone chose which stands, so the admission among
    // them is counted on its own line (要確認), not as admitted in one order and not in the other.
    const readings = group.map((c) => ({ c, ...standingOutcomes(c) }));
    const stays = readings.flatMap(({ c, outcomes, unsettled }) => {
      const stay = unsettled ? null : (outcomes[0]?.stay ?? null);
      return stay === null ? [] : [{ c, stay }];
    });
    const inDoubt = readings.flatMap(({ outcomes, unsettled }) => (unsettled ? outcomes.flatMap((o): Stay[] => (o.stay === null ? [] : [o.stay])) : []));
    const requestedInRange = inRange(japanDateOf(first.open.body.requestedAt), range);
    if (inDoubt.length > 0 && (requestedInRange || inDoubt.some((stay) => daysBetween(stay.fromDay, stay.endDay ?? today, range).length > 0))) {
      admissionsInDoubt += 1;
    }
    const days = stayDaysOf.get(key) ?? new Set<IsoDate>();
    for (const { stay } of stays) {
      const counted = daysBetween(stay.fromDay, stay.endDay ?? today, range);
      for (const day of counted) days.add(day);
      if (stay.endDay === null && counted.length > 0) staysWithoutEnd += 1;
    }
    stayDaysOf.set(key, days);
    // the emergency's stay ends when its last recorded end does
    let last: { c: EmergencyCase; endDay: IsoDate } | null = null;
    for (const { c, stay } of stays) if (stay.endDay !== null && (last === null || stay.endDay > last.endDay)) last = { c, endDay: stay.endDay };
    if (last !== null && inRange(last.endDay, range)) {
      const exit = last.c.stayEnd!.body.exit;
      exits.set(exit, (exits.get(exit) ?? 0) + 1);
    }
    if (!requestedInRange) continue;
    caseCount += 1;
    persons.add(key);
    categories.set(first.open.body.category, (categories.get(first.open.body.category) ?? 0) + 1);
    if (stays.length === 0) continue;
    admitted += 1;
    // the person's first admission of the range, whatever order the records come in; 者/児 on the
    // day of the emergency's first short-stay coordination, the day the claim bills 児 or 者 by (the
    // call that reached a facility at 23:50 on the eve of a birthday is a 児's), else of its request
    const firstDay = stays.map(({ stay }) => stay.fromDay).sort()[0]!;
    const seen = admittedPersons.get(key);
    if (seen === undefined || firstDay < seen.first) {
      const coordinated = group.flatMap((c) => claimMonthOf(c)?.coordinatedAt ?? []).sort((a, b) => Date.parse(a) - Date.parse(b))[0];
      const ageDay = japanDateOf(coordinated ?? first.open.body.requestedAt);
      admittedPersons.set(key, { first: firstDay, category: categoryOn(personOf(first.subject.householdId, first.subject.personId), ageDay, validBirth) });
    }
  }
  let emergencyDays = 0;
  for (const days of stayDaysOf.values()) emergencyDays += days.size;
  const admittedSplit = new Split();
  for (const p of admittedPersons.values()) admittedSplit.add(p.category);

  // 体験の機会・場
  const trialCount = new Split();
  const trialPersons = new Map<string, { first: IsoDate; category: Category }>();
  let trialDays = 0;
  for (const s of input.trialStays) {
    if (!isLiveStay(s)) continue;
    // up to today, as an emergency stay still going on is: a stay recorded as it began counts no night to come
    trialDays += daysInside(s.from, s.to < today ? s.to : today, range);
    if (!inRange(s.from, range)) continue;
    const category = categoryOn(personOf(s.householdId, s.personId), s.from, validBirth);
    trialCount.add(category);
    const key = JSON.stringify([s.householdId, s.personId]);
    const seen = trialPersons.get(key);
    if (seen === undefined || s.from < seen.first) trialPersons.set(key, { first: s.from, category });
  }
  const trialPersonSplit = new Split();
  for (const p of trialPersons.values()) trialPersonSplit.add(p.category);

  // 登録事業所
  // One office registered twice (two phones offline, facility-twins.ts) is one member: its records
  // count once per 事業所番号, with the functions either of them carries.
  const memberOffices = new Map<string, Set<HubFunction>>();
  for (const f of input.facilities) {
    if (f.hubFunctions.length === 0) continue;
    // registered after the range: not a member then (a past year read again reads as it did)
    if (isInstantText(f.createdAt) && japanDateOf(new Date(f.createdAt)) > range.to) continue;
    // 廃止 before the range began: no longer a member (a 休止 stays one, as its registration does)
    if (f.closure?.kind === 'closed' && f.closure.from <= range.from) continue;
    const office = officeNumberKey(f.officeNumber) || `id:${f.id}`;
    const functions = memberOffices.get(office) ?? new Set<HubFunction>();
    for (const fn of f.hubFunctions) functions.add(fn);
    memberOffices.set(office, functions);
  }
  const byFunction = new Map<HubFunction, number>(HUB_FUNCTIONS.map((f) => [f, 0]));
  for (const functions of memberOffices.values()) for (const fn of functions) byFunction.set(fn, (byFunction.get(fn) ?? 0) + 1);
  const memberFacilities = memberOffices.size;
  // a hub for some day of the range (its periods are kept with history)
  const hubOffices = [...input.offices.values()].filter((o) => o.hubPeriods.some((p) => p.from <= range.to && (p.to === null || p.to >= range.from))).length;

  // 相談強化加算: decided over every case, as the claims screen decides them, kept when the
  // coordination that fixes the claim month falls in the range. Not only the cases of the range's
  // months: 問74's pairs (requests within 24 hours) and an emergency's first coordination cross a
  // month's end, so a case of the range may be decided by one outside it.
  const decisions = decideClaims(input.cases, input.offices, childLookupOf(households), factsOf);
  const claimed = new Map<string, { count: number; units: number }>();
  let pending = 0;
  for (const d of decisions) {
    if (d.coordinatedAt === null || !inRange(japanDateOf(d.coordinatedAt), range)) continue;
    if (d.status === 'pending') pending += 1;
    if (d.status !== 'claimed') continue;
    const row = claimed.get(d.officeId) ?? { count: 0, units: 0 };
    claimed.set(d.officeId, { count: row.count + 1, units: row.units + d.units });
  }
  const officeIds = new Set([...input.offices.keys(), ...claimed.keys()]);
  const byOffice = [...officeIds]
    .map((id): OfficeClaimRow => {
      const office = input.offices.get(id);
      const { count, units } = claimed.get(id) ?? { count: 0, units: 0 };
      return { officeId: id, officeName: office?.name ?? id, officeNumber: office?.officeNumber ?? '', count, units };
    })
    .sort((a, b) => b.count - a.count || (a.officeNumber < b.officeNumber ? -1 : a.officeNumber > b.officeNumber ? 1 : 0));
  const total = byOffice.reduce((t, r) => ({ count: t.count + r.count, units: t.units + r.units }), { count: 0, units: 0 });

  return {
    range,
    registration: {
      asOf,
      onLastDay: onLastDay.done(),
      households: registeredHouseholds,
      newlyRegistered: newly.done(),
      withdrawn: withdrawn.done(),
      byMunicipality: [...byMunicipality]
        .map(([municipality, split]): MunicipalityRow => ({ municipality, ...split.done() }))
        .sort((a, b) => b.total - a.total || (a.municipality === '' ? 1 : b.municipality === '' ? -1 : a.municipality < b.municipality ? -1 : 1)),
    },
    emergencies: {
      cases: caseCount,
      persons: persons.size,
      byCategory: REQUEST_CATEGORIES.map((category) => ({ category, count: categories.get(category) ?? 0 })),
      admitted,
      admittedPersons: admittedSplit.done(),
      stayDays: emergencyDays,
      staysWithoutEnd,
      admissionsInDoubt,
      exits: EXIT_KINDS.map((exit) => ({ exit, count: exits.get(exit) ?? 0 })),
    },
    trialStays: { count: trialCount.done(), persons: trialPersonSplit.done(), days: trialDays },
    members: { hubOffices, byFunction: HUB_FUNCTIONS.map((fn) => ({ fn, count: byFunction.get(fn) ?? 0 })), facilities: memberFacilities },
    claims: { byOffice, total, pending },
    demoLeftOut: leftOut,
  };
}
