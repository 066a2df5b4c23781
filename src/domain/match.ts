/**
 * The night-time question of DOMAIN.md §3: who accepts this person — these disability types, 者 or 児
 * on the day of the call (Japan time, §5), this medical care — and who can claim the short-stay hub
 * bonus for them (§4). Facilities that miss a need are listed apart with the reason, never hidden:
 * at 2 a.m. a facility that "only" lacks one item may still say yes on the phone.
 */
import {
  DISABILITY_LABELS,
  DISABILITY_TYPES,
  MEDICAL_CARE_KINDS,
  MEDICAL_CARE_LABELS,
  type DisabilityType,
  type MedicalCareKind,
} from './disability';
import { closureAhead, closureAheadText, closureOn, closureText, type Facility, type FacilityClosure, type Vacancy } from './facility';
import { isShownOfItsOffice, officeTwins } from './facility-twins';
import type { IsoDate, IsoInstant, Person } from './household';
import { hubBonusEligible, HUB_BONUS_CHILD_BEHAVIOR_THRESHOLD, type HubBonusEligibility } from './household-rules';
import { AGE_CATEGORY_LABELS, ageIfKnown, ageOn, ADULT_AGE, isValidIsoDate, japanDateOf, type AgeCategory } from './japan-time';
import { bedsTakenSince, compareByAreaName, compareMatches, madeForTonight, MATCH_ORDER_EXPLANATION, reportForNight, vacancyStanding } from './match-order';
import { isNumberQuery, normalizeDigits, normalizeKana, normalizePhone, queryText } from './normalize';
import type { AdmissionElsewhere } from './open-case';

export { MATCH_ORDER_EXPLANATION } from './match-order';

const NO_TWINS: readonly Facility[] = [];
const NO_ADMISSIONS: readonly AdmissionElsewhere[] = [];

export interface MatchInput {
  readonly person: Person;
  /** 要請のあった時間: decides the day, hence 者/児 */
  readonly callAt: IsoInstant | Date;
  readonly facilities: readonly Facility[];
  /** Ids of facilities this person has stayed at before */
  readonly previousStays?: ReadonlySet<string>;
  /** When vacancy freshness is judged (the screen passes the clock); defaults to `callAt` */
  readonly now?: IsoInstant | Date;
  /**
   * 短期入所 admissions in other emergency cases whose stays go on, by facility id, latest first
   * (open-case.ts `admissionsElsewhere`): a bed taken since a report is not free any more.
   */
  readonly admissionsElsewhere?: ReadonlyMap<string, readonly AdmissionElsewhere[]>;
}

export interface FacilityMatch {
  readonly facility: Facility;
  /** Why it fits, e.g. 「知的（児）: 受入可」 */
  readonly reasons: readonly string[];
  /** What it lacks, e.g. 「医療的ケア（児）: 受入不可」; empty for a fit */
  readonly failures: readonly string[];
  /** 備考 on an accepted type, e.g. 「重症心身障害（児）: 条件あり — 要相談」 */
  readonly conditions: readonly string[];
  /** The bed report read for tonight: the current one, or one it replaced that holds tonight (reportForNight) */
  readonly vacancy: Vacancy | null;
  /**
   * A free bed reported within 24 hours, or for a period holding tonight, that the admissions since
   * (`bedsTaken`) have not all taken
   */
  readonly freshVacancy: boolean;
  /** The office's admissions in other emergency cases (on either record of one registered twice), latest first */
  readonly admissionsElsewhere: readonly AdmissionElsewhere[];
  /** How many of them came after the report read for tonight was made: its free beds they took */
  readonly bedsTaken: number;
  /** A fresh report made this night or for a period with tonight in it: before those from last night */
  readonly forTonight: boolean;
  /** 満床 said within the day: listed last */
  readonly fullVacancy: boolean;
  readonly stayedBefore: boolean;
  /** Whether the facility could claim the +200 unit short-stay hub bonus for this person */
  readonly hubBonus: HubBonusEligibility;
  /** how many of `failures` are 登録なし（電話で確認）, not a refusal: near misses are ordered by the rest first */
  readonly unconfirmed: number;
  /** 休止 or 廃止 on the night: the first failure, and the facility listed apart (`closed`) */
  readonly closure: FacilityClosure | null;
  /** The other records of its 事業所番号 (facility-twins.ts), not listed: a call to one is a call to this office */
  readonly twins: readonly Facility[];
}

export type MissingPersonField = 'birthDate' | 'disabilityTypes';

export type MatchResult =
  | {
      readonly kind: 'incomplete';
      readonly missing: readonly MissingPersonField[];
      /** What the coordinator should do, in Japanese */
      readonly message: string;
    }
  | {
      readonly kind: 'ok';
      readonly category: AgeCategory;
      readonly age: number;
      /** The Japan-time day of the call */
      readonly day: IsoDate;
      readonly needs: readonly DisabilityType[];
      /** Facilities accepting every need, in call order */
      readonly fits: readonly FacilityMatch[];
      /** Facilities missing at least one need, fewest refusals first (a 登録なし is asked, not refused) */
      readonly nearMisses: readonly FacilityMatch[];
      /** Facilities 休止 or 廃止 on the night (the call's day or today, whichever it holds on), by 地区 and name */
      readonly closed: readonly FacilityMatch[];
      readonly orderExplanation: string;
    };

export const INCOMPLETE_MESSAGES = {
  birthDate: '生年月日が未入力のため、者・児を判定できません。世帯の情報を編集して入力してください。',
  disabilityTypes: '障害の種類（医療的ケアを含む）が未入力のため、受入先を絞り込めません。世帯の情報を編集して入力してください。',
  both: '生年月日と障害の種類が未入力のため、受入先を判定できません。世帯の情報を編集して入力してください。',
  birthAfterCall: '生年月日が要請日より後になっています。世帯の情報を編集して生年月日を確かめてください。',
  birthInvalid: '生年月日の形式が正しくありません。世帯の情報を編集して生年月日を確かめてください。',
} as const;

/**
 * Every disability type of the person, plus 医療的ケア and 重症心身障害 from their own flags, and
 * 強度行動障害 from a behaviour score at the bonus's threshold on `day` (行動関連項目 ≥ 10 for 者,
 * 強度行動障害判定基準 ≥ 20 for 児, as hubBonusEligible reads them): a facility that takes no
 * 強度行動障害 must not be offered as a fit for him. A young adult whose 行動関連項目 is not
 * recorded yet (a child has no 区分 to score it) keeps the need his 強度行動障害判定基準 showed:
 * the behaviour does not end at midnight on the 18th birthday, though the bonus's rule does. In
 * form order.
 */
export function personNeeds(person: Person, day?: IsoDate): DisabilityType[] {
  const wanted = new Set<DisabilityType>(person.disabilityTypes);
  if (person.medicalCare.length > 0) wanted.add('medical-care');
  if (person.severeMultiple) wanted.add('severe-multiple');
  if (day !== undefined && hubBonusEligible(person, day).reasons.some((r) => r.startsWith('行動関連項目') || r.startsWith('強度行動障害判定基準'))) {
    wanted.add('severe-behavior');
  }
  const age = day === undefined ? null : ageIfKnown(person.birthDate, day);
  if (age !== null && age >= ADULT_AGE && person.behaviorScore === null && (person.childBehaviorScore ?? 0) >= HUB_BONUS_CHILD_BEHAVIOR_THRESHOLD) {
    wanted.add('severe-behavior');
  }
  return DISABILITY_TYPES.filter((t) => wanted.has(t));
}

/** The admissions to one office, whichever of its records they name, the latest first. */
function admissionsOf(
  byFacility: ReadonlyMap<string, readonly AdmissionElsewhere[]> | undefined,
  facility: Facility,
  twins: readonly Facility[],
): readonly AdmissionElsewhere[] {
  if (byFacility === undefined || byFacility.size === 0) return NO_ADMISSIONS;
  const own = byFacility.get(facility.id) ?? NO_ADMISSIONS;
  if (twins.length === 0) return own;
  return [own, ...twins.map((t) => byFacility.get(t.id) ?? NO_ADMISSIONS)].flat().sort((a, b) => Date.parse(b.admittedAt) - Date.parse(a.admittedAt));
}

function incomplete(missing: MissingPersonField[], message: string): MatchResult {
  return { kind: 'incomplete', missing, message };
}

const HUB_NOT_PERSON = '本人が加算の対象（医療的ケア児者・重症心身障害児者・行動関連項目10点以上等）に当たらない';
const HUB_NO_LIAISON = '連携担当者が登録されていない';
const HUB_NO_FUNCTION = '地域生活支援拠点の機能を持たない';

/**
 * The facility side of the +200 unit bonus combined with the person side. There are only four
 * facility cases, so they are built once per match instead of once per facility.
 */
function hubBonusTable(person: HubBonusEligibility): (f: Facility) => HubBonusEligibility {
  const build = (liaison: boolean, hub: boolean): HubBonusEligibility => {
    const eligible = person.eligible && liaison && hub;
    if (eligible) return { eligible, reasons: [...person.reasons, '連携担当者あり', '拠点の機能あり'] };
    const reasons: string[] = [];
    if (!person.eligible) reasons.push(HUB_NOT_PERSON);
    if (!liaison) reasons.push(HUB_NO_LIAISON);
    if (!hub) reasons.push(HUB_NO_FUNCTION);
    return { eligible, reasons };
  };
  const withLiaison = { hub: build(true, true), notHub: build(true, false) };
  const withoutLiaison = { hub: build(false, true), notHub: build(false, false) };
  return (f) => {
    const row = f.liaison.trim() !== '' ? withLiaison : withoutLiaison;
    return f.hubFunctions.length > 0 ? row.hub : row.notHub;
  };
}

/** Match one person against the facility list, for the day of the call in Japan. */
/** Takes every one of `needs` as 児 but one of them not as 者: no fit from the person's 18th birthday on. */
export function takesOnlyChild(facility: Facility, needs: readonly DisabilityType[]): boolean {
  const acceptance = facility.acceptance;
  return needs.every((t) => acceptance[t]?.child === true) && needs.some((t) => acceptance[t]?.adult !== true);
}

export function matchFacilities(input: MatchInput): MatchResult {
  const { person, callAt, facilities } = input;
  const day = japanDateOf(callAt);
  const birthOk = person.birthDate !== null && isValidIsoDate(person.birthDate) && person.birthDate <= day;
  const needs = personNeeds(person, birthOk ? day : undefined);
  const missing: MissingPersonField[] = [];
  if (person.birthDate === null) missing.push('birthDate');
  if (needs.length === 0) missing.push('disabilityTypes');
  if (missing.length > 0) {
    const key = missing.length === 2 ? 'both' : missing[0]!;
    return incomplete(missing, INCOMPLETE_MESSAGES[key]);
  }
  const birthDate = person.birthDate!;
  if (!isValidIsoDate(birthDate)) return incomplete(['birthDate'], INCOMPLETE_MESSAGES.birthInvalid);

  const age = ageOn(birthDate, day);
  if (age < 0) return incomplete(['birthDate'], INCOMPLETE_MESSAGES.birthAfterCall);
  const category: AgeCategory = age >= ADULT_AGE ? 'adult' : 'child';
  const cat = AGE_CATEGORY_LABELS[category];

  // Validates `now` the way the call time is validated (a zone is required), then reads it. Its day
  // judges a closure too: a case matched again after midnight, or days on, meets a 休止 begun since.
  const nowInstant = input.now ?? callAt;
  const today = japanDateOf(nowInstant);
  const nowMs = nowInstant instanceof Date ? nowInstant.getTime() : Date.parse(nowInstant);
  const aheadFrom = today > day ? today : day;

  // Every string a facility can show is built once here; the loop only picks them.
  const typeTexts = needs.map((t) => ({
    type: t,
    accepted: `${DISABILITY_LABELS[t]}（${cat}）: 受入可`,
    refused: `${DISABILITY_LABELS[t]}（${cat}）: 受入不可`,
    conditionPrefix: `${DISABILITY_LABELS[t]}（${cat}）: 条件あり — `,
  }));
  const careKinds = MEDICAL_CARE_KINDS.filter((k) => person.medicalCare.includes(k));
  const careTexts = careKinds.map((k) => ({
    kind: k,
    handled: `医療的ケア ${MEDICAL_CARE_LABELS[k]}: 対応可`,
    notHandled: `医療的ケア ${MEDICAL_CARE_LABELS[k]}: 対応不可`,
    // a facility that recorded no kinds at all (a city list has only the 医療的ケア row) has not said it cannot
    notRecorded: `医療的ケア ${MEDICAL_CARE_LABELS[k]}: 登録なし（電話で確認）`,
  }));
  const hubBonusFor = hubBonusTable(hubBonusEligible(person, day));
  const previousStays = input.previousStays;
  // One office registered twice is listed once, as the record its liaison reports on.
  const twinsOf = officeTwins(facilities);

  const fits: FacilityMatch[] = [];
  const nearMisses: FacilityMatch[] = [];
  const closed: FacilityMatch[] = [];
  for (const facility of facilities) {
    const twins = twinsOf.get(facility.id) ?? NO_TWINS;
    if (!isShownOfItsOffice(facility, twins, nowMs)) continue;
    const reasons: string[] = [];
    const failures: string[] = [];
    const conditions: string[] = [];
    // failures that are only 登録なし (a city list without care kinds): asked on the phone, not refused
    let unconfirmed = 0;
    // Closed tonight: said first, whatever else it takes. Closing later: said, for a stay that runs into it.
    const closure = closureOn(facility, day) ?? closureOn(facility, today);
    if (closure) failures.push(closureText(closure));
    const ahead = closure ? null : closureAhead(facility, aheadFrom);
    if (ahead) conditions.push(closureAheadText(ahead));
    for (const t of typeTexts) {
      const row = facility.acceptance[t.type];
      // A row's 備考 is said whether it accepts or not: on a near miss it is what the call may
      // turn on (「経管栄養は要相談」 beside 「医療的ケア（児）: 受入不可」).
      const note = row?.note.trim() ?? '';
      if (note !== '') conditions.push(t.conditionPrefix + note);
      if (row !== undefined && row[category]) reasons.push(t.accepted);
      else failures.push(t.refused);
    }
    for (const c of careTexts) {
      if (facility.medicalCare.includes(c.kind)) reasons.push(c.handled);
      else if (facility.medicalCare.length === 0) {
        failures.push(c.notRecorded);
        unconfirmed += 1;
      } else failures.push(c.notHandled);
    }
    const vacancy = reportForNight(facility, nowMs);
    const standing = vacancy === null ? null : vacancyStanding(vacancy, nowMs);
    const admitted = admissionsOf(input.admissionsElsewhere, facility, twins);
    const bedsTaken = vacancy === null || admitted.length === 0 ? 0 : bedsTakenSince(vacancy, admitted.map((a) => a.admittedAt));
    // Its beds all taken since the report: as good as no report for the order (not 満床: nobody said so).
    const fresh = standing === 'fresh' && bedsTaken < vacancy!.beds;
    const match: FacilityMatch = {
      facility,
      vacancy,
      reasons,
      failures,
      conditions,
      freshVacancy: fresh,
      admissionsElsewhere: admitted,
      bedsTaken,
      forTonight: fresh && madeForTonight(vacancy!, nowMs),
      fullVacancy: standing === 'full',
      stayedBefore: previousStays !== undefined && (previousStays.has(facility.id) || twins.some((t) => previousStays.has(t.id))),
      hubBonus: hubBonusFor(facility),
      unconfirmed,
      closure,
      twins,
    };
    (closure ? closed : failures.length === 0 ? fits : nearMisses).push(match);
  }
  fits.sort(compareMatches);
  // refusals first counted: a facility that takes 医療的ケア（児） but lists no kinds (登録なし) is
  // likelier than one that refuses the child outright, and goes before it
  const refusals = (m: FacilityMatch) => m.failures.length - m.unconfirmed;
  nearMisses.sort((a, b) => refusals(a) - refusals(b) || a.unconfirmed - b.unconfirmed || compareMatches(a, b));
  closed.sort((a, b) => compareByAreaName(a.facility, b.facility));
  return { kind: 'ok', category, age, day, needs, fits, nearMisses, closed, orderExplanation: MATCH_ORDER_EXPLANATION };
}

export interface FacilitySearchFilter {
  /** Disability-type chips: the facility must accept all of them */
  readonly types?: readonly DisabilityType[];
  /** 者, 児, or either (default) */
  readonly category?: AgeCategory | 'any';
  /** 医療的ケア the facility must handle (implies it accepts 医療的ケア) */
  readonly medicalCare?: readonly MedicalCareKind[];
  /** 地区, exactly as registered */
  readonly area?: string;
  /**
   * Free text over name, address, 地区 and 連携担当者, every word must appear; or a number (≥3
   * digits) found in the phone, night phone, FAX or 事業所番号, in any format
   */
  readonly text?: string;
}

function acceptsAll(f: Facility, types: readonly DisabilityType[], category: AgeCategory): boolean {
  return types.every((t) => f.acceptance[t]?.[category] === true);
}

// Separates fields in the search key so a word cannot match across two of them.
const FIELD_SEPARATOR = '\u0000';

/** Fewer digits would find almost every facility. */
const MIN_NUMBER_QUERY_DIGITS = 3;

/**
 * Whether the facility's phone, night phone, FAX or 事業所番号 holds `digits`: a facility calling
 * back at night shows only its number, and the coordinator asks which of them it is.
 */
function holdsNumber(f: Facility, digits: string): boolean {
  return [f.phone, f.nightPhone, f.fax].some((n) => normalizePhone(n).includes(digits)) || normalizeDigits(f.officeNumber).includes(digits);
}

/** The manual search: chips, 者/児, medical care, 地区 and free text. Sorted by 地区 then name. */
export function searchFacilities(facilities: readonly Facility[], filter: FacilitySearchFilter): Facility[] {
  const care = filter.medicalCare ?? [];
  const types = new Set<DisabilityType>(filter.types ?? []);
  if (care.length > 0) types.add('medical-care');
  const typeList = [...types];
  const category = filter.category ?? 'any';
  const area = filter.area?.trim() ?? '';
  const typed = queryText(filter.text ?? '');
  const number = isNumberQuery(typed) && normalizeDigits(typed).length >= MIN_NUMBER_QUERY_DIGITS ? normalizePhone(typed) : null;
  const words = typed
    .split(/\s+/)
    .map(normalizeKana)
    .filter((w) => w !== '');

  const result = facilities.filter((f) => {
    if (typeList.length > 0) {
      // A person is either 者 or 児, so "any" means all chips for 者, or all chips for 児.
      const ok =
        category === 'any'
          ? acceptsAll(f, typeList, 'adult') || acceptsAll(f, typeList, 'child')
          : acceptsAll(f, typeList, category);
      if (!ok) return false;
    } else if (category !== 'any' && !DISABILITY_TYPES.some((t) => f.acceptance[t]?.[category] === true)) {
      return false; // 者 or 児 alone: the facility must take someone of that age
    }
    if (care.some((k) => !f.medicalCare.includes(k))) return false;
    if (area !== '' && f.area.trim() !== area) return false;
    if (words.length > 0 && !(number !== null && holdsNumber(f, number))) {
      // a number is looked for in the address too (「2-14」 of 本町2-14-3)
      const haystack = [f.name, f.address, f.area, f.liaison].map(normalizeKana).join(FIELD_SEPARATOR);
      if (!words.every((w) => haystack.includes(w))) return false;
    }
    return true;
  });
  return result.sort(compareByAreaName);
}
