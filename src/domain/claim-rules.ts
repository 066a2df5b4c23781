/**
 * The 地域生活支援拠点等相談強化加算 claim rules (DOMAIN.md §4-5; seeds/004 §24, Q&A R6 問74).
 *
 * Reads recorded emergency cases and decides, for each, whether the handling 相談支援事業所 can
 * claim the 700-unit bonus, and why — in Japanese sentences the screens and exports show as they
 * are. Everything here is pure: the same cases and offices always give the same decisions, in any
 * time zone (every date is read in Japan time through japan-time.ts). See docs/claim-rules.md.
 *
 * Order of the rules: a–e decide a case on its own facts; f (4 per person per month per office)
 * then numbers the cases that passed, so a case is never over the cap because of a case that does
 * not count.
 */
import {
  CONSULTATION_BONUS_UNITS,
  MONTHLY_CAP,
  type ClaimDecision,
  type ClaimServiceType,
  type ClaimStatus,
  type ClaimSummaryRow,
} from './claim-types';
import {
  SAME_EMERGENCY_WINDOW_MS,
  type CaseSubject,
  type ContactBody,
  type Current,
  type EmergencyCase,
  type Office,
  type OutcomeBody,
  type OutcomeKind,
  type Planning,
  type SameEmergencyBody,
} from './emergency-case';
import { concurrentOutcomes } from './case-fold';
import { UNKNOWN_ENROLMENTS, type EnrolmentPeriod, type IsoDate, type IsoInstant, type OfficeMove, type ServiceEnrolments } from './household';
import { ADULT_AGE, ageIfKnown, formatJapanDate, formatJapanDateTime, japanDateOf, japanMonthOf } from './japan-time';
import { normalizeDigits } from './normalize';
import {
  designationsOf,
  firstClaimableDay,
  formatPeriod,
  ONE_BODY_LABELS,
  periodOn,
  periodTouchesMonth,
  type HubPeriod,
  type OfficeDesignations,
  type OneBodyServices,
} from './office';

/** 'YYYY-MM' as 2026年12月. */
function formatMonth(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}

/** The reasons the app shows, one per rule (docs/claim-rules.md lists them with their sources). */
export const CLAIM_REASONS = {
  coordinated: (at: IsoInstant) => `短期入所事業所への連絡・調整あり（${formatJapanDateTime(at)}）`,
  noShortStayContact: '短期入所事業所への連絡・調整の記録がありません（相談強化加算は短期入所の利用に関する連絡・調整が要件です）',
  notReached:
    '短期入所事業所と連絡がついた記録がありません（「不在」「折り返し待ち」だけでは連絡・調整に当たりません。結果を記録すると判定されます）',
  noOutcome: '対応結果が未記録です（指定短期入所の利用に至った場合に算定します）',
  notAdmitted: (outcome: OutcomeKind) => `対応結果が「${outcome}」のため算定できません（指定短期入所の利用に至った場合に算定します）`,
  admitted: '指定短期入所の利用に至りました',
  /** two phones recorded different outcomes at once, neither seeing the other's (case-fold.ts concurrentOutcomes) */
  outcomesDiffer: (lines: readonly string[]) =>
    `2台の端末で、異なる対応結果が同じころに記録されています（${lines.map((l) => `「${l}」`).join('と')}）。記録の画面で正しい対応結果を記録し直すか、誤っている方を取り消すと判定されます（終了した記録は、先に「対応を再開」を押します）`,
  noRecipientNumber: '受給者証番号が未登録です。世帯の情報に受給者証番号を入力し、記録の画面で「世帯の受給者証番号を記録に入れる」を押すと算定されます',
  noBirthDate: '生年月日が未登録のため、障害児相談支援か計画相談支援かを判断できません。世帯の情報に生年月日を入力すると算定されます',
  notLinkedAge: '登録者と結び付いていないため、障害児相談支援か計画相談支援かを判断できません。記録の画面の「登録者と結び付ける」で結び付けると算定されます',
  householdNotHeld: 'この方の世帯の情報がこの端末にないため、年齢を確かめられません。計画相談支援として請求します（18歳未満なら障害児相談支援です。世帯の情報のある端末で確かめてください）',
  numberDiffers: (household: string) =>
    `記録の受給者証番号が世帯の情報（${household}）と違います。記録の番号で請求し、上限4回は両方の番号の記録を合わせて数えています。記録の番号が誤りでないか確かめてください`,
  /**
   * b: a caller neither linked nor giving a 受給者証番号. It waits (要確認) rather than failing: the
   * person is often registered the next morning, and linking the case decides it.
   */
  noPerson:
    '対象者が特定されていません。記録の画面の「登録者と結び付ける」で、この方の登録者と結び付けると判定されます（世帯がまだ登録されていないときは、先に「世帯を登録」で登録してください）',
  unknownOffice: '対応した相談支援事業所が登録されていません（拠点として位置付けられていることを確認できません）',
  notHub: '当事業所は運営規程で地域生活支援拠点等として位置付けられていません',
  outsideHub: (day: IsoDate, periods: readonly HubPeriod[]) =>
    `連絡・調整の日（${formatJapanDate(day)}）は当事業所が拠点として位置付けられていた期間（${periods.map(formatPeriod).join('、')}）の外です`,
  /** names the period by its first day only, so ending it later (廃止届) does not reword a decided claim */
  inHub: (period: HubPeriod) => `拠点として位置付けられていた期間（${formatJapanDate(period.from)}から）の連絡・調整です`,
  /** in the period, before the month its 届出 lets the office claim from (firstClaimableDay) */
  beforeClaimStart: (day: IsoDate, period: HubPeriod) => {
    const start = firstClaimableDay(period);
    const when = Number(start.notifiedOn.slice(8, 10)) <= 15 ? '15日以前' : '16日以降';
    const rule = `加算の届出（${formatJapanDate(start.notifiedOn)}）が${when}のため、${formatMonth(start.day.slice(0, 7))}のサービス提供分からの算定です（届出が15日以前なら翌月、16日以降なら翌々月から：留意事項通知 第一の1(4)）`;
    const head = `連絡・調整の日（${formatJapanDate(day)}）は相談強化加算の算定開始の前です。`;
    return start.notifiedRecorded
      ? `${head}${rule}`
      : `${head}加算の届出日が記録されていないため、拠点の期間の開始日を届出日としています。${rule}。届出日が違うときは、設定の「事業所（相談強化加算）」で届出日を記録してください`;
  },
  /** the office's recorded designations lack the one the claim's 給付 needs */
  notDesignated: (service: ClaimServiceType) =>
    service === '障害児相談支援'
      ? '当事業所は指定障害児相談支援事業所の指定がないため、障害児相談支援（18歳未満の方）の相談強化加算は算定できません。指定を受けているときは、設定の「事業所（相談強化加算）」で指定を記録してください'
      : '当事業所は指定特定相談支援事業所の指定がないため、計画相談支援（18歳以上の方）の相談強化加算は算定できません。指定を受けているときは、設定の「事業所（相談強化加算）」で指定を記録してください',
  planning: {
    'this-office': '当事業所が計画相談支援を担当しています',
    'none-this-office-writes':
      'サービス未利用の方で、当事業所がサービス等利用計画を作成するため、計画相談支援給付費（サービス利用支援費）と併せて算定します',
    'other-office': '他の指定特定相談支援事業所が計画相談支援を担当しているため算定できません',
    unknown: '計画相談支援をどの事業所が担当しているか未確認です。確認して記録すると算定の可否が決まります',
  } satisfies Readonly<Record<Planning, string>>,
  /** for a child (児, under 18 on the day of the coordination): 障害児相談支援 and its 給付費 (seeds/004 §24: 障害児相談支援費 の同加算) */
  planningChild: {
    'this-office': '当事業所が障害児相談支援を担当しています',
    'none-this-office-writes':
      'サービス未利用の児童で、当事業所が障害児支援利用計画を作成するため、障害児相談支援給付費（障害児支援利用援助費）と併せて算定します',
    'other-office': '他の指定障害児相談支援事業所が障害児相談支援を担当しているため算定できません',
    unknown: '障害児相談支援をどの事業所が担当しているか未確認です。確認して記録すると算定の可否が決まります',
  } satisfies Readonly<Record<Planning, string>>,
  independentLiving:
    '同じ緊急事態について、自立生活援助の緊急時支援加算または地域定着支援サービス費を算定するため算定できません',
  /** Q&A R6 問74: a pair of cases for one person within 24 hours, not yet answered */
  sameEmergencyUnanswered: (otherRequestedAt: IsoInstant) =>
    `${formatJapanDateTime(otherRequestedAt)}の要請の記録と同じ緊急事態か未確認です（要請が24時間以内。1つの緊急事態につき算定は1回：Q&A R6 問74）。記録の画面で「同じ緊急事態ですか？」に答えると判定されます`,
  /** a case answered 'same' by a later request's case that reached a facility first: the emergency's first coordination */
  firstInSameEmergency: (otherRequestedAt: IsoInstant, at: IsoInstant) =>
    `同じ緊急事態と記録された${formatJapanDateTime(otherRequestedAt)}の要請の記録で、${formatJapanDateTime(at)}に短期入所事業所と連絡・調整しています。この緊急事態の最初の連絡・調整のため、算定月はその月です`,
  sameEmergency: (otherRequestedAt: IsoInstant) =>
    `${formatJapanDateTime(otherRequestedAt)}の要請の記録と同じ緊急事態のため算定しません（1つの緊急事態につき算定は1回：Q&A R6 問74）`,
  separateEmergency: (otherRequestedAt: IsoInstant, reason: string) =>
    `${formatJapanDateTime(otherRequestedAt)}の要請の記録とは別の緊急事態と記録されています（理由: ${reason}）`,
  /** rule e by enrolment: the office runs the service as one body and the person uses it in the claim month */
  enrolled: (service: keyof OneBodyServices, month: string, periods: readonly EnrolmentPeriod[]) =>
    `当事業所が一体的に運営する${ONE_BODY_LABELS[service]}を、本人が${formatMonth(month)}に利用しています（利用期間 ${periods.map(formatPeriod).join('、')}）。${ONE_BODY_MONTH[service]}、相談強化加算は算定できません`,
  enrolmentUnknown: (service: keyof OneBodyServices) =>
    `当事業所は${ONE_BODY_LABELS[service]}を一体的に運営していますが、本人の${ONE_BODY_LABELS[service]}の利用状況が未確認です。世帯の情報に利用期間（または利用なし）を記録すると算定の可否が決まります`,
  /** rule d's default: the case did not record it, was opened for a registered person, and the household is placed under this office */
  planningDefault: '世帯が当事業所に登録されているため、当事業所の担当として判定しています（この記録で別の担当を記録できます）',
  /**
   * Rule d across offices: the person counts (算定・要確認) at another office in the same month too.
   * Only the office that provides the person's 計画相談支援 (障害児相談支援) claims, and that is one office.
   */
  otherOfficeClaims: (offices: readonly string[], child: boolean) => {
    const service = child ? '障害児相談支援' : '計画相談支援';
    return `同じ方の同じ月の記録が、ほかの事業所（${offices.map((o) => `「${o}」`).join('、')}）でも算定または要確認になっています。相談強化加算を算定できるのは、この方の${service}を提供している事業所だけです（担当は1つの事業所です）。担当を確かめ、担当でない事業所の記録で「他の事業所が${service}を担当」を記録すると判定されます`;
  },
  ordinal: (n: number) => `この月の${n}回目`,
  overCap: (n: number) => `この月の${n}回目：上限${MONTHLY_CAP}回を超えるため算定しません`,
} as const;

/**
 * Who a claim is for. The 受給者証番号 when there is one (digits only, so full-width input matches):
 * the claim is billed by it, and a linked case and an unlinked one for the same number must share
 * one cap of 4. Else the linked person's id, else null. Prefixed so an id can never equal a number.
 */
export function personKeyOf(subject: CaseSubject): string | null {
  const recipient = normalizeDigits(subject.recipientNumber);
  if (recipient !== '') return `recipient:${recipient}`;
  return subject.personId ? `person:${subject.personId}` : null;
}

function instantOrder(a: IsoInstant, b: IsoInstant): number {
  return Date.parse(a) - Date.parse(b);
}

/**
 * A short-stay facility was reached: the call had an answer (受入可 or 受入不可). A call nobody
 * answered (不在) or one still waiting for a call back (折り返し待ち) is not 連絡・調整 on its own
 * (the product owner's reading of seeds/004 §24 「…調整を行った場合」, docs/claim-rules.md).
 */
export function reachedShortStay(k: Current<ContactBody>): boolean {
  return k.body.shortStay && (k.body.result === '受入可' || k.body.result === '受入不可');
}

function firstCoordination(c: EmergencyCase): Current<ContactBody> | null {
  const reached = c.contacts.filter(reachedShortStay);
  const sorted = [...reached].sort((a, b) => instantOrder(a.body.contactedAt, b.body.contactedAt));
  return sorted[0] ?? null;
}

/**
 * The claim month: the Japan-time month of the FIRST short-stay coordination (the first call that
 * reached a short-stay facility, 連絡・調整を行った時刻), not of the request. DOMAIN.md §5: the
 * claim month follows the date of the coordination, so a request at 23:50 on 30 November
 * coordinated at 00:20 on 1 December counts in December. Null when no short-stay facility was
 * reached: then there is nothing to claim.
 */
export function claimMonthOf(c: EmergencyCase): { month: string; coordinatedAt: string } | null {
  const first = firstCoordination(c);
  if (!first) return null;
  return { month: japanMonthOf(first.body.contactedAt), coordinatedAt: first.body.contactedAt };
}

/**
 * Whether the case's person is a child (児: under 18 on the Japan day of the coordination), for the
 * wording of 障害児相談支援; null when not known (the case does not say, the household is gone).
 */
export type ChildLookup = (c: EmergencyCase, at: IsoInstant) => boolean | null;

/** Everyone 者: the lookup for tests and tools that bill adults only. */
const ADULTS: ChildLookup = () => false;

/**
 * The ChildLookup for households as the app holds them (their summaries will do): the linked
 * person's age in Japan time on the day of the coordination. Null for an unlinked caller, a person
 * no longer held, or a birth date that is not a date.
 */
export function childLookupOf(
  households: ReadonlyMap<string, { readonly persons: readonly { readonly id: string; readonly birthDate: string | null }[] }>,
): ChildLookup {
  return (c, at) => {
    const { householdId, personId } = c.subject;
    if (householdId === null || personId === null) return null;
    const person = households.get(householdId)?.persons.find((p) => p.id === personId);
    const age = ageIfKnown(person?.birthDate, japanDateOf(at));
    return age === null || age < 0 ? null : age < ADULT_AGE;
  };
}

/**
 * The outcome rule: claimable only when the person began to use 指定短期入所 (seeds/004 §24
 * 「指定短期入所を利用する場合において」). A case with no outcome yet is not excluded by it: it waits
 * (要確認) until the outcome is recorded.
 */
function admissionFailure(c: EmergencyCase): string | null {
  if (c.outcome === null || c.outcome.body.outcome === '短期入所') return null;
  return CLAIM_REASONS.notAdmitted(c.outcome.body.outcome);
}

/**
 * What the app knows of the case's household and person: the person's enrolment in 地域定着支援 /
 * 自立生活援助 (rule e) and the office the household is placed under (rule d's default), or null
 * when it cannot know (an unlinked caller, a household or person no longer held).
 */
export interface PersonFacts {
  readonly enrolments: ServiceEnrolments;
  /** the office the household is placed under now */
  readonly householdOfficeId: string | null;
  /** the household's moves between offices, oldest first: where it was placed on an earlier day */
  readonly officeMoves?: readonly Pick<OfficeMove, 'at' | 'from' | 'to'>[] | undefined;
  /** the person's 受給者証番号 as the household holds it now ('' or absent: none) */
  readonly recipientNumber?: string | undefined;
  /** the person's 生年月日 as the household holds it: null when not entered (absent: not read) */
  readonly birthDate?: string | null | undefined;
}
export type PersonFactsLookup = (subject: CaseSubject) => PersonFacts | null;

type HeldHousehold = {
  readonly officeId?: string | null | undefined;
  readonly officeMoves?: readonly Pick<OfficeMove, 'at' | 'from' | 'to'>[] | undefined;
  readonly persons: readonly {
    readonly id: string;
    readonly enrolments?: ServiceEnrolments | undefined;
    readonly recipientNumber?: string | undefined;
    readonly birthDate?: string | null | undefined;
  }[];
};

/** The PersonFactsLookup for households as the app holds them (summaries will do); absent enrolments are 未確認. */
export function personFactsLookupOf(households: ReadonlyMap<string, HeldHousehold>): PersonFactsLookup {
  return ({ householdId, personId }) => {
    if (householdId === null || personId === null) return null;
    const household = households.get(householdId);
    const person = household?.persons.find((p) => p.id === personId);
    if (household === undefined || person === undefined) return null;
    return {
      enrolments: person.enrolments ?? UNKNOWN_ENROLMENTS,
      householdOfficeId: household.officeId ?? null,
      officeMoves: household.officeMoves,
      recipientNumber: person.recipientNumber,
      birthDate: person.birthDate,
    };
  };
}

/**
 * The office the household was placed under at `at` (rule d's default is the placement on the
 * day of the coordination, not today's): the office a later move left, else where it is now.
 */
export function placementAt(facts: PersonFacts, at: IsoInstant): string | null {
  const t = Date.parse(at);
  // In time order: moves made on two phones may have been merged in the order they arrived.
  const moves = [...(facts.officeMoves ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  const later = moves.find((m) => Date.parse(m.at) > t);
  return later === undefined ? facts.householdOfficeId : later.from;
}

/**
 * Who a case is about, as 「同じ緊急事態ですか？」 groups cases: for a linked person, the
 * 受給者証番号 the household holds now, else personKeyOf the case's subject. So a case recorded
 * before the number was entered joins that person's later cases (it still waits for the number to
 * be linked before it is billed). The cap of 4 joins this key with the recorded number's
 * (withCapKeys): each case is billed by the number its evidence names.
 */
export function claimPersonKey(subject: CaseSubject, facts: PersonFacts | null): string | null {
  const number = normalizeDigits(facts?.recipientNumber ?? '');
  return number === '' ? personKeyOf(subject) : `recipient:${number}`;
}

/**
 * Why the person's month at a one-body office is excluded (§24 注, 留意事項通知 第四19 (2)). 地域定着支援
 * サービス費 (体制確保費) is claimed by the month, so the month is its; 自立生活援助's 緊急時支援加算
 * is claimed by the day of a visit, so excluding the whole month is the hub's own rule (the product
 * owner's decision: the office may claim it any night of the month, and the claim must not lean to a
 * fee it may pay back), and the words say so.
 */
const ONE_BODY_MONTH: Readonly<Record<keyof OneBodyServices, string>> = {
  settlement: '地域定着支援サービス費の対象となる月のため',
  independentLiving: '一体的に運営する自立生活援助を利用している月のため（拠点の運用による判断）',
};

const ONE_BODY_SERVICES = ['settlement', 'independentLiving'] as const satisfies readonly (keyof OneBodyServices)[];

/**
 * Rule e by enrolment (product owner, issue 14): an office running 地域定着支援 or 自立生活援助 as
 * one body does not claim for a person enrolled in that service at it in the claim month (it
 * claims the service's fee for them: seeds/004 留意事項通知 第四19 (2)); an enrolment recorded at
 * another office (of the hub, or 拠点外) excludes nothing. A period whose office is not recorded
 * (every period before 2026-12-06, or one a phone on an older app saved) or names an office not
 * held here is taken as at this office, as before: the claim never leans to a fee the office may
 * have to pay back. When the enrolment is not known, the claim asks (要確認), except for a child
 * (児 on the day of the coordination): neither service is for children. An office running neither
 * is not asked.
 */
function enrolmentFindings(
  office: Office | undefined,
  enrolments: ServiceEnrolments | null,
  month: string,
  offices: ReadonlyMap<string, Office>,
  child: boolean,
): { excluded: string[]; unknown: string[] } {
  const excluded: string[] = [];
  const unknown: string[] = [];
  if (!office) return { excluded, unknown };
  for (const service of ONE_BODY_SERVICES) {
    if (!office.oneBody[service]) continue;
    const periods = enrolments?.[service] ?? null;
    // Both services are for 障害者 (seeds/004 地域相談支援, 自立生活援助): a child's use is not asked
    // about. A period recorded for one all the same still excludes, as for anyone.
    if (periods === null) {
      if (!child) unknown.push(CLAIM_REASONS.enrolmentUnknown(service));
    } else {
      const inMonth = periods.filter((p) => periodTouchesMonth(p, month));
      const elsewhere = (p: EnrolmentPeriod) => p.officeId === null || (p.officeId !== undefined && p.officeId !== office.id && offices.has(p.officeId));
      const here = inMonth.filter((p) => !elsewhere(p));
      if (here.length > 0) excluded.push(CLAIM_REASONS.enrolled(service, month, here));
    }
  }
  return { excluded, unknown };
}

/** An outcome as the reasons name it: 「短期入所（ふじ短期入所）」, 「在宅で対応」. */
const outcomeLine = (o: OutcomeBody) => (o.facilityName.trim() === '' ? o.outcome : `${o.outcome}（${o.facilityName.trim()}）`);

/** The outcome of rules a–e for one case, before the cap. */
interface Verdict {
  readonly status: Exclude<ClaimStatus, 'over-cap'>;
  readonly reasons: readonly string[];
}

/**
 * Rule c: the office must be a hub (運営規程) on the Japan day of the coordination: the period in
 * force that day decides, so ending a period or adding a later one never moves an earlier claim.
 * Within it, the claim starts with the month its 届出 allows (firstClaimableDay: the month after a
 * 届出 on or before the 15th, else the one after that).
 */
function hubFailure(office: Office | undefined, coordinatedAt: IsoInstant): string | null {
  if (!office) return CLAIM_REASONS.unknownOffice;
  if (office.hubPeriods.length === 0) return CLAIM_REASONS.notHub;
  const day = japanDateOf(coordinatedAt);
  const period = periodOn(office.hubPeriods, day);
  if (period === null) return CLAIM_REASONS.outsideHub(day, office.hubPeriods);
  return day < firstClaimableDay(period).day ? CLAIM_REASONS.beforeClaimStart(day, period) : null;
}

/** The designation each 給付 is billed under. */
const DESIGNATION_OF: Readonly<Record<ClaimServiceType, keyof OfficeDesignations>> = {
  計画相談支援: 'specifiedConsultation',
  障害児相談支援: 'childConsultation',
};

/**
 * Rule c by designation: the office bills the claim under the 給付 of the person's age that day
 * (障害児相談支援 for a child, else 計画相談支援), which needs the matching 指定. Only when the office's
 * designations are recorded; not while the age is not known (the claim waits for it anyway).
 */
function designationFailure(office: Office | undefined, service: ClaimServiceType | null): string | null {
  const held = office === undefined ? null : designationsOf(office);
  if (held === null || service === null || held[DESIGNATION_OF[service]]) return null;
  return CLAIM_REASONS.notDesignated(service);
}

/** The hub period the claim stands on, named among its reasons (the audit asks which one). */
function hubPeriodOf(office: Office | undefined, coordinatedAt: IsoInstant): HubPeriod | null {
  return office ? periodOn(office.hubPeriods, japanDateOf(coordinatedAt)) : null;
}

/** Rules a–e. Every exclusion that applies is listed, so the coordinator can fix them all at once. */
function verdictOf(
  c: EmergencyCase,
  offices: ReadonlyMap<string, Office>,
  coordinatedAt: IsoInstant | null,
  childAt: ChildLookup,
  facts: PersonFacts | null,
  personKey: string | null,
): Verdict {
  if (coordinatedAt === null) {
    // a: no short-stay facility reached; with no day of coordination, only the outcome can be judged too
    const anyShortStay = c.contacts.some((k) => k.body.shortStay);
    const reasons = [anyShortStay ? CLAIM_REASONS.notReached : CLAIM_REASONS.noShortStayContact, anyShortStay ? admissionFailure(c) : null];
    if (anyShortStay && c.outcome === null) reasons.push(CLAIM_REASONS.noOutcome);
    return { status: 'not-claimable', reasons: reasons.filter((r): r is string => r !== null) };
  }
  // Two phones recorded different outcomes at once: which stands was read order's choice, not anyone's.
  // The claim waits only when they disagree on what it reads, whether the person began a short stay
  // (在宅で対応 against 入院 fails either way; two records of one office admit either way).
  const admittedBy = (o: OutcomeBody) => o.outcome === '短期入所';
  const rivals = c.outcome === null ? [] : concurrentOutcomes(c).filter((o) => admittedBy(o.body) !== admittedBy(c.outcome!.body));
  const { independentLivingClaimed } = c.claimFacts;
  // Rule d's default: not yet recorded for this case, but the household was placed under this
  // office on the day of the coordination. Only for a case opened for a registered person: one
  // opened for a caller nobody had registered (本人未特定) and linked later may be linked to a
  // household registered after the call, whose placement says nothing of who provided 計画相談支援
  // that night (the household's creation time is not in what the screens hold: household-summary.ts).
  const openedForRegistered = c.open.body.subject.personId !== null;
  const placedHere =
    c.claimFacts.planning === 'unknown' && openedForRegistered && facts !== null && placementAt(facts, coordinatedAt) === c.open.body.officeId;
  const planning = placedHere ? 'this-office' : c.claimFacts.planning;
  // A person whose age on the day is not known cannot be told 児 from 者, which decides the 給付
  // billed (障害児相談支援 or 計画相談支援): a registered person without a birth date, or a caller
  // with a 受給者証番号 not linked to anyone, waits rather than billed as 者 by default (a child billed
  // as 者 comes back 返戻). A household this phone does not hold (moved to another office since) is
  // billed as 者, saying so: holding it would stop the claim on every phone of this office.
  const age = childAt(c, coordinatedAt);
  const linked = c.subject.householdId !== null && c.subject.personId !== null;
  const registered = facts !== null && facts.birthDate !== undefined;
  const ageUnknown = age === null && (registered || !linked);
  const service: ClaimServiceType | null = ageUnknown ? null : age === true ? '障害児相談支援' : '計画相談支援';
  const wording = age === true ? CLAIM_REASONS.planningChild : CLAIM_REASONS.planning;
  const office = offices.get(c.open.body.officeId);
  const enrolment = enrolmentFindings(office, facts?.enrolments ?? null, japanMonthOf(coordinatedAt), offices, age === true);
  const failures = [
    rivals.length > 0 ? null : admissionFailure(c),
    hubFailure(office, coordinatedAt),
    designationFailure(office, service),
    planning === 'other-office' ? wording['other-office'] : null,
    independentLivingClaimed ? CLAIM_REASONS.independentLiving : null,
    ...enrolment.excluded,
  ].filter((r): r is string => r !== null);
  if (failures.length > 0) return { status: 'not-claimable', reasons: failures };
  const admitted = c.outcome !== null && rivals.length === 0;
  const period = hubPeriodOf(office, coordinatedAt);
  const reasons = [
    CLAIM_REASONS.coordinated(coordinatedAt),
    ...(period ? [CLAIM_REASONS.inHub(period)] : []),
    admitted ? CLAIM_REASONS.admitted : rivals.length > 0 ? CLAIM_REASONS.outcomesDiffer([c.outcome!, ...rivals].map((o) => outcomeLine(o.body))) : CLAIM_REASONS.noOutcome,
    wording[planning],
    ...(placedHere ? [CLAIM_REASONS.planningDefault] : []),
  ];
  // Rule b: nobody identified (no one linked, no 受給者証番号) waits for the link, which names the
  // person, their number and their age at once; it holds no cap slot, being nobody's yet (ordinalsByIndex).
  const nobody = personKey === null;
  if (nobody) reasons.push(CLAIM_REASONS.noPerson);
  // A linked person without a 受給者証番号 cannot be billed yet: it holds its cap slot until entered.
  const ownNumber = normalizeDigits(c.subject.recipientNumber);
  const noNumber = ownNumber === '';
  if (noNumber && !nobody) reasons.push(CLAIM_REASONS.noRecipientNumber);
  // Billed by the number the evidence names. The household's differing is told, not held against
  // the claim: it may be a new 受給者証 since (a move), as well as a typo corrected.
  const householdNumber = normalizeDigits(facts?.recipientNumber ?? '');
  if (!noNumber && householdNumber !== '' && householdNumber !== ownNumber) reasons.push(CLAIM_REASONS.numberDiffers(householdNumber));
  // (nobody identified: the link tells the age too, and noPerson says so)
  if (!nobody && ageUnknown) reasons.push(registered ? CLAIM_REASONS.noBirthDate : CLAIM_REASONS.notLinkedAge);
  else if (!nobody && age === null) reasons.push(CLAIM_REASONS.householdNotHeld);
  reasons.push(...enrolment.unknown);
  const waiting = nobody || planning === 'unknown' || noNumber || ageUnknown || !admitted || enrolment.unknown.length > 0;
  return { status: waiting ? 'pending' : 'claimed', reasons };
}

/**
 * The cap's groups (rule f): a case counts under the number it was recorded with (the number it is
 * billed by) and under the number the person's household holds now, and any two cases sharing
 * either are one group. So a person whose number was corrected on the household keeps one cap of 4
 * across the old and the new number, and a number recorded by mistake for a sibling still takes at
 * most 4 claims in all. Each group is named by one of its keys (a 受給者証番号 first).
 */
function withCapKeys(cases: readonly { readonly c: EmergencyCase; readonly facts: PersonFacts | null }[]): Known[] {
  const { rootOf, keyOf } = capRoots(cases.map(({ c, facts }) => ({ subject: c.subject, facts })));
  return cases.map(({ c, facts }) => {
    const key = keyOf(c.subject, facts);
    return { c, facts, personKey: key === null ? null : rootOf(key) };
  });
}

/**
 * The union-find behind the cap's groups: each subject joins the number it was recorded with and
 * the one its household holds now. `rootOf` names a key's group (a 受給者証番号 first); `keyOf` is
 * the key a subject counts under before grouping (the recorded one, else the household's).
 */
function capRoots(subjects: readonly { readonly subject: CaseSubject; readonly facts: PersonFacts | null }[]): {
  rootOf: (key: string) => string;
  keyOf: (subject: CaseSubject, facts: PersonFacts | null) => string | null;
} {
  const parent = new Map<string, string>();
  const rank = (k: string) => (k.startsWith('recipient:') ? `0${k}` : `1${k}`);
  const find = (k: string): string => {
    let root = k;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    for (let at = k; at !== root; ) {
      const next = parent.get(at)!;
      parent.set(at, root);
      at = next;
    }
    return root;
  };
  const join = (a: string, b: string) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra === rb) return;
    if (rank(ra) < rank(rb)) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const keyOf = (subject: CaseSubject, facts: PersonFacts | null) => personKeyOf(subject) ?? claimPersonKey(subject, facts);
  for (const { subject, facts } of subjects) {
    const recorded = personKeyOf(subject);
    const held = claimPersonKey(subject, facts);
    if (recorded !== null && held !== null) join(recorded, held);
  }
  return { rootOf: find, keyOf };
}

/** What decideClaims knows of one case before deciding it. */
interface Known {
  readonly c: EmergencyCase;
  readonly facts: PersonFacts | null;
  readonly personKey: string | null;
}

/** Rules a–e for one case, at its own first coordination or (`at`) its emergency's. */
function baseDecision(k: Known, offices: ReadonlyMap<string, Office>, childAt: ChildLookup, at: IsoInstant | null = claimMonthOf(k.c)?.coordinatedAt ?? null): ClaimDecision {
  const verdict = verdictOf(k.c, offices, at, childAt, k.facts, k.personKey);
  return {
    caseId: k.c.id,
    officeId: k.c.open.body.officeId,
    personKey: k.personKey,
    month: at === null ? null : japanMonthOf(at),
    coordinatedAt: at,
    status: verdict.status,
    ordinal: null,
    units: 0,
    reasons: verdict.reasons,
  };
}

/** 算定不可 for its outcome alone: the person did not begin a short stay from this case. */
function failsOnlyOnOutcome(d: ClaimDecision, c: EmergencyCase): boolean {
  const outcome = admissionFailure(c);
  return d.status === 'not-claimable' && outcome !== null && d.reasons.length === 1 && d.reasons[0] === outcome;
}

function countsTowardCap(d: ClaimDecision): boolean {
  return d.status === 'claimed' || d.status === 'pending';
}

function capGroupKey(d: ClaimDecision): string {
  return JSON.stringify([d.officeId, d.personKey, d.month]);
}

/**
 * Rule f: number each person's counting cases of the month per office: by coordinatedAt, then case
 * id. A case of nobody identified (rule b, 要確認) is numbered under no one: two unknown callers
 * are not one person's cap. Linked, it is numbered with that person's cases.
 */
function ordinalsByIndex(decisions: readonly ClaimDecision[]): ReadonlyMap<number, number> {
  const groups = new Map<string, number[]>();
  decisions.forEach((d, i) => {
    if (!countsTowardCap(d) || d.personKey === null) return;
    const key = capGroupKey(d);
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  const ordinals = new Map<number, number>();
  for (const indexes of groups.values()) {
    const sorted = [...indexes].sort((i, j) => compareForCap(decisions[i]!, decisions[j]!));
    sorted.forEach((i, n) => ordinals.set(i, n + 1));
  }
  return ordinals;
}

function compareForCap(a: ClaimDecision, b: ClaimDecision): number {
  const byTime = instantOrder(a.coordinatedAt!, b.coordinatedAt!);
  if (byTime !== 0) return byTime;
  return a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0;
}

function withOrdinal(d: ClaimDecision, ordinal: number): ClaimDecision {
  if (ordinal > MONTHLY_CAP) {
    return { ...d, status: 'over-cap', ordinal, units: 0, reasons: [...d.reasons, CLAIM_REASONS.overCap(ordinal)] };
  }
  const units = d.status === 'claimed' ? CONSULTATION_BONUS_UNITS : 0;
  return { ...d, ordinal, units, reasons: [...d.reasons, CLAIM_REASONS.ordinal(ordinal)] };
}

const requestOrder = (a: EmergencyCase, b: EmergencyCase) =>
  instantOrder(a.open.body.requestedAt, b.open.body.requestedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Who a case is about, as the claim groups cases (claimPersonKey); null for an unidentified caller. */
export type CaseKeyOf = (c: EmergencyCase) => string | null;

/** The key of the case's own subject, for callers that hold no households. */
export const subjectKeyOf: CaseKeyOf = (c) => personKeyOf(c.subject);

/**
 * Persons exactly as the claim groups them (capRoots, over `cases`): besides claimPersonKey, the
 * number a case was recorded with joins the number its household holds now, so an unlinked caller's
 * case under the old number is this person's too. The screens that ask 「同じ緊急事態ですか？」 must
 * find every pair the claim waits on (要確認), or the month end holds a question nobody can answer.
 * For a subject not among the cases (a case being started), its own keys as they stand.
 */
export function capGroupKeyLookupOf(cases: readonly EmergencyCase[], factsOf: PersonFactsLookup): SubjectKeyOf {
  const { rootOf, keyOf } = capRoots(cases.map((c) => ({ subject: c.subject, facts: factsOf(c.subject) })));
  return (subject) => {
    const key = keyOf(subject, factsOf(subject));
    return key === null ? null : rootOf(key);
  };
}

/** Who a case's subject is, as a lookup groups persons. */
export type SubjectKeyOf = (subject: CaseSubject) => string | null;

/**
 * The other cases of the same person whose request came within 24 hours of this one's
 * (SAME_EMERGENCY_WINDOW_MS, strictly), oldest request first: the cases 「同じ緊急事態ですか？」 asks about.
 * Persons are matched as the claim matches them (`keyOf`); an unidentified caller has none.
 */
export function casesWithin24Hours(c: EmergencyCase, cases: readonly EmergencyCase[], keyOf: CaseKeyOf = subjectKeyOf): EmergencyCase[] {
  return near(keyOf(c), c.open.body.requestedAt, cases, keyOf).filter((o) => o.id !== c.id);
}

/**
 * The cases of this person requested less than 24 hours from `requestedAt`: asked about when a case is
 * started. With `subjectKey` (capGroupKeyLookupOf), the person is found as the claim groups them.
 */
export function casesNear(subject: CaseSubject, requestedAt: IsoInstant, cases: readonly EmergencyCase[], subjectKey?: SubjectKeyOf): EmergencyCase[] {
  return subjectKey === undefined
    ? near(personKeyOf(subject), requestedAt, cases, subjectKeyOf)
    : near(subjectKey(subject), requestedAt, cases, (c) => subjectKey(c.subject));
}

function near(key: string | null, requestedAt: IsoInstant, cases: readonly EmergencyCase[], keyOf: CaseKeyOf): EmergencyCase[] {
  if (key === null) return [];
  const at = Date.parse(requestedAt);
  return cases.filter((o) => keyOf(o) === key && Math.abs(Date.parse(o.open.body.requestedAt) - at) < SAME_EMERGENCY_WINDOW_MS).sort(requestOrder);
}

/** The answer recorded for a pair, on either case; the later recorded one stands if both were answered. */
export function sameEmergencyAnswer(a: EmergencyCase, b: EmergencyCase): Current<SameEmergencyBody> | null {
  const answers = [...a.sameEmergency.filter((x) => x.body.otherCaseId === b.id), ...b.sameEmergency.filter((x) => x.body.otherCaseId === a.id)];
  return answers.sort((x, y) => instantOrder(x.recordedAt, y.recordedAt)).at(-1) ?? null;
}

/** What 問74 says of one case against the earlier requests of its person within 24 hours. */
interface Pairs {
  /** the earlier case it was answered 'same' with (the first, by request): that case holds the claim */
  readonly sameAs: number | null;
  /** earlier cases not yet answered, and those answered 'separate' */
  readonly unanswered: readonly number[];
  readonly separate: readonly { readonly other: number; readonly reason: string }[];
}

/**
 * Q&A R6 問74 across cases: two cases of one person whose requests came within 24 hours may be one
 * emergency opened twice. For each case that passes rules a–e (it would count), its earlier such
 * cases that count too, and how each pair was answered. A case within 24 hours (requested before
 * or after) that reached a short-stay facility and failed only on its outcome is asked about too when
 * its call came in another month first: answered 'same', that call dates the claim (emergencyFirstCoordination), so unanswered the
 * claim's month is not known (11/30 23:30 reached, 在宅で対応; 12/1 00:40 opened again and admitted:
 * November, if one emergency). Not when the two are one emergency already through other answers.
 */
function pairsOf(base: readonly ClaimDecision[], known: readonly Known[], people: SameEmergencyPeople): ReadonlyMap<number, Pairs> {
  const { byPerson, oneEmergency } = people;
  const pairs = new Map<number, Pairs>();
  for (const inOrder of byPerson) {
    const monthOf = (j: number) => japanMonthOf(base[j]!.coordinatedAt!);
    inOrder.forEach((i, n) => {
      if (!countsTowardCap(base[i]!)) return;
      const c = known[i]!.c;
      const at = Date.parse(c.open.body.requestedAt);
      const unanswered: number[] = [];
      const separate: { other: number; reason: string }[] = [];
      for (const [m, j] of inOrder.entries()) {
        const counts = countsTowardCap(base[j]!);
        // the counting cases requested before it; one that failed on its outcome only, before or after
        if (m === n || (m > n && counts)) continue;
        const o = known[j]!.c;
        if (Math.abs(at - Date.parse(o.open.body.requestedAt)) >= SAME_EMERGENCY_WINDOW_MS) continue;
        const answer = sameEmergencyAnswer(c, o);
        if (answer?.body.answer === 'same') {
          // the earlier counting case holds the claim; one that failed on its outcome only dates it
          if (!counts) continue;
          pairs.set(i, { sameAs: j, unanswered: [], separate: [] });
          return;
        }
        // one that failed on its outcome only is asked about when the answer could move the month
        if (!counts && answer === null) {
          const dates = base[i]!.coordinatedAt !== null && instantOrder(base[j]!.coordinatedAt!, base[i]!.coordinatedAt!) < 0 && monthOf(j) !== monthOf(i);
          if (!dates || oneEmergency(i) === oneEmergency(j)) continue;
        }
        if (answer === null) unanswered.push(j);
        else separate.push({ other: j, reason: answer.body.reason });
      }
      pairs.set(i, { sameAs: null, unanswered, separate });
    });
  }
  return pairs;
}

/**
 * The cases 「同じ緊急事態ですか？」 is about: those that count, and those that fail only on their
 * outcome (their call may date the emergency), per person in request order; and which of them are
 * one emergency through 'same' answers at any remove (a key per case). Read once for the pairs and
 * for the emergency's first call.
 */
interface SameEmergencyPeople {
  readonly byPerson: readonly (readonly number[])[];
  readonly oneEmergency: (i: number) => number;
}

function sameEmergencyPeople(base: readonly ClaimDecision[], known: readonly Known[]): SameEmergencyPeople {
  const persons = new Map<string, number[]>();
  known.forEach((k, i) => {
    if (k.personKey === null || !(countsTowardCap(base[i]!) || failsOnlyOnOutcome(base[i]!, k.c))) return;
    persons.set(k.personKey, [...(persons.get(k.personKey) ?? []), i]);
  });
  const byPerson = [...persons.values()].map((indexes) => indexes.sort((i, j) => requestOrder(known[i]!.c, known[j]!.c)));
  const parent = new Map<number, number>();
  const find = (i: number): number => {
    const up = parent.get(i);
    return up === undefined || up === i ? i : find(up);
  };
  for (const indexes of byPerson) {
    for (const [n, i] of indexes.entries()) {
      for (const j of indexes.slice(0, n)) {
        const a = known[i]!.c;
        const b = known[j]!.c;
        if (Math.abs(Date.parse(a.open.body.requestedAt) - Date.parse(b.open.body.requestedAt)) >= SAME_EMERGENCY_WINDOW_MS) continue;
        if (sameEmergencyAnswer(a, b)?.body.answer === 'same') parent.set(find(i), find(j));
      }
    }
  }
  return { byPerson, oneEmergency: find };
}

/**
 * One emergency opened as several cases (answered 'same') is claimed once, by the earliest request's
 * case, in the month of the emergency's first short-stay coordination, whichever of its cases made
 * it (DOMAIN.md §5; the product owner: the claim month is that of the first coordination). For each
 * such holding case, the earliest coordination among the cases answered 'same' with it (at any
 * remove), when it came before the holder's own; with the request of the case that made it. A case
 * that fails only on its outcome (not 短期入所: nobody could take him at 23:00, and the case opened
 * again at 01:00 found the bed) still made that emergency's first coordination when it reached a
 * short-stay facility: answered 'same' with a counting case, its call dates the claim. One that
 * fails on anything else (outside the hub's period, another office's planning) stays out, as before.
 */
function emergencyFirstCoordination(
  base: readonly ClaimDecision[],
  known: readonly Known[],
  pairs: ReadonlyMap<number, Pairs>,
  { oneEmergency }: SameEmergencyPeople,
): ReadonlyMap<number, { at: IsoInstant; requestedAt: IsoInstant }> {
  const holderOf = (i: number): number => {
    const to = pairs.get(i)?.sameAs ?? null;
    return to === null ? i : holderOf(to);
  };
  const first = new Map<number, { at: IsoInstant; requestedAt: IsoInstant }>();
  const offer = (holder: number, i: number) => {
    const at = base[i]!.coordinatedAt!;
    const best = first.get(holder)?.at ?? base[holder]!.coordinatedAt!;
    if (Date.parse(at) < Date.parse(best)) first.set(holder, { at, requestedAt: known[i]!.c.open.body.requestedAt });
  };
  for (const [i, p] of pairs) if (p.sameAs !== null) offer(holderOf(i), i);
  // The cases that fail only on their outcome join the 'same' groups too (a chain of them, each
  // answered with its neighbour, is one emergency); each one's call is offered to its group's holders.
  const outcomeOnly = known.flatMap((k, i) => (k.personKey !== null && failsOnlyOnOutcome(base[i]!, k.c) ? [i] : []));
  if (outcomeOnly.length === 0) return first;
  const holdersOf = new Map<number, Set<number>>();
  for (const j of pairs.keys()) holdersOf.set(oneEmergency(j), (holdersOf.get(oneEmergency(j)) ?? new Set<number>()).add(holderOf(j)));
  for (const i of outcomeOnly) {
    if (base[i]!.coordinatedAt === null) continue;
    for (const holder of holdersOf.get(oneEmergency(i)) ?? []) offer(holder, i);
  }
  return first;
}

/**
 * The 問74 rule on each decision: a case answered 'same' with an earlier one is 算定不可 (the earlier
 * holds the claim); one with an unanswered pair is 要確認 until someone answers 「同じ緊急事態ですか？」;
 * 'separate' decides it normally, with the answer's reason among its reasons.
 */
function withSameEmergencyRule(decisions: readonly ClaimDecision[], known: readonly Known[], pairs: ReadonlyMap<number, Pairs>): ClaimDecision[] {
  const requestOf = (j: number) => known[j]!.c.open.body.requestedAt;
  return decisions.map((d, i) => {
    const p = pairs.get(i);
    if (p === undefined || !countsTowardCap(d)) return d;
    if (p.sameAs !== null) return { ...d, status: 'not-claimable', reasons: [CLAIM_REASONS.sameEmergency(requestOf(p.sameAs))] };
    // in request order, as the pairs were read
    const notes = [
      ...p.unanswered.map((j) => ({ j, reason: CLAIM_REASONS.sameEmergencyUnanswered(requestOf(j)) })),
      ...p.separate.map(({ other, reason }) => ({ j: other, reason: CLAIM_REASONS.separateEmergency(requestOf(other), reason) })),
    ].sort((a, b) => requestOrder(known[a.j]!.c, known[b.j]!.c));
    return { ...d, status: p.unanswered.length > 0 ? 'pending' : d.status, reasons: [...d.reasons, ...notes.map((n) => n.reason)] };
  });
}

/**
 * One decision per case, in input order. A case is one emergency, however many facilities were
 * contacted for it (問74), so it is numbered once under the cap; two cases of one person within
 * 24 hours wait for 「同じ緊急事態ですか？」, and cases answered 'same' are claimed once, in the month
 * of their first coordination. Without `factsOf`, a person's enrolment is 未確認 (only an office
 * running 地域定着支援 / 自立生活援助 as one body asks for it) and no household gives rule d a default.
 * Without `childAt`, every person is taken as 者 (the rules' own tests and tools); the app always
 * passes the households' lookup (childLookupOf), and a person it cannot age waits as 要確認.
 */
export function decideClaims(
  cases: readonly EmergencyCase[],
  offices: ReadonlyMap<string, Office>,
  childAt: ChildLookup = ADULTS,
  factsOf: PersonFactsLookup = () => null,
): ClaimDecision[] {
  const known = withCapKeys(cases.map((c) => ({ c, facts: factsOf(c.subject) })));
  const own = known.map((k) => baseDecision(k, offices, childAt));
  const people = sameEmergencyPeople(own, known);
  const pairs = pairsOf(own, known, people);
  const first = emergencyFirstCoordination(own, known, pairs, people);
  const atFirst = own.map((d, i) => {
    const earlier = first.get(i);
    if (earlier === undefined) return d;
    const again = baseDecision(known[i]!, offices, childAt, earlier.at);
    return { ...again, reasons: [...again.reasons, CLAIM_REASONS.firstInSameEmergency(earlier.requestedAt, earlier.at)] };
  });
  const base = withSameEmergencyRule(atFirst, known, pairs);
  const ordinals = ordinalsByIndex(base);
  const numbered = base.map((d, i) => {
    const ordinal = ordinals.get(i);
    return ordinal === undefined ? d : withOrdinal(d, ordinal);
  });
  return withOnePlanningOffice(numbered, known, offices, childAt).map((d, i) => {
    if (d.status !== 'claimed') return d;
    const child = childAt(known[i]!.c, d.coordinatedAt!) === true;
    return { ...d, serviceType: child ? '障害児相談支援' : '計画相談支援' };
  });
}

/**
 * Rule d across offices. Each case reads its own planning answer, and the cap of 4 is per office:
 * two offices that each recorded 「当事業所が計画相談支援を担当」 for one person would bill up to 8 in
 * a month. Only the office that provides the person's 計画相談支援 claims (留意事項通知 第四19 (2)),
 * and that is one office: a person counting (算定・要確認) at two offices in one claim month waits at
 * both, naming the other, until one of them records that another office provides it. Run after the
 * cap (a case waiting still holds its slot, so no ordinal moves); the person as the cap groups them.
 */
function withOnePlanningOffice(
  decisions: readonly ClaimDecision[],
  known: readonly Known[],
  offices: ReadonlyMap<string, Office>,
  childAt: ChildLookup,
): ClaimDecision[] {
  const personMonth = (d: ClaimDecision) => JSON.stringify([d.personKey, d.month]);
  const officesOf = new Map<string, Set<string>>();
  for (const d of decisions) {
    if (!countsTowardCap(d) || d.personKey === null || d.month === null) continue;
    officesOf.set(personMonth(d), (officesOf.get(personMonth(d)) ?? new Set<string>()).add(d.officeId));
  }
  return decisions.map((d, i) => {
    if (!countsTowardCap(d) || d.personKey === null || d.month === null) return d;
    const others = [...(officesOf.get(personMonth(d)) ?? [])].filter((id) => id !== d.officeId);
    if (others.length === 0) return d;
    // by name, so the input's order does not reword it
    const names = others.map((id) => offices.get(id)?.name ?? id).sort();
    const child = childAt(known[i]!.c, d.coordinatedAt!) === true;
    return { ...d, status: 'pending', units: 0, reasons: [...d.reasons, CLAIM_REASONS.otherOfficeClaims(names, child)] };
  });
}

function compareRows(a: ClaimSummaryRow, b: ClaimSummaryRow): number {
  if (a.recipientNumber !== b.recipientNumber) return a.recipientNumber < b.recipientNumber ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.personKey !== b.personKey) return a.personKey < b.personKey ? -1 : 1;
  // a person who turned 18 in the month: the 児 row (earlier claims) before the 者 row
  return a.serviceType === b.serviceType ? 0 : a.serviceType === '障害児相談支援' ? -1 : 1;
}

/**
 * The month's claim for one office: one row per person and サービス種別 with at least one claimed
 * emergency. Each claim belongs to the 給付 of the day of its coordination (障害児相談支援 while
 * the person is 児), as its detail row says: a person who turns 18 in the month has a 児 row and
 * a 者 row. Name and 受給者証番号 come from the latest claimed case of the row (by coordination
 * time), as the evidence recorded them.
 */
export function summarizeClaims(
  decisions: readonly ClaimDecision[],
  cases: readonly EmergencyCase[],
  officeId: string,
  month: string,
  childAt: ChildLookup = () => null,
): ClaimSummaryRow[] {
  const caseById = new Map(cases.map((c) => [c.id, c] as const));
  const claimed = decisions
    .filter((d) => d.status === 'claimed' && d.officeId === officeId && d.month === month && d.personKey !== null)
    .sort(compareForCap);
  const rows = new Map<string, { personKey: string; count: number; subject: CaseSubject | undefined; child: boolean }>();
  for (const d of claimed) {
    const kase = caseById.get(d.caseId);
    // the 給付 decided with the claim (and kept when the month is 請求済み); one read here for a decision made without it
    const child = d.serviceType !== undefined ? d.serviceType === '障害児相談支援' : kase !== undefined && childAt(kase, d.coordinatedAt!) === true;
    // one row per number billed: a person whose number was corrected mid-month has two (one cap)
    const key = `${child ? '児' : '者'}\u0000${d.personKey!}\u0000${normalizeDigits(kase?.subject.recipientNumber ?? '')}`;
    const previous = rows.get(key);
    rows.set(key, { personKey: d.personKey!, count: (previous?.count ?? 0) + 1, subject: kase?.subject ?? previous?.subject, child });
  }
  return [...rows.values()]
    .map(({ personKey, count, subject, child }): ClaimSummaryRow => ({
      personKey,
      serviceType: child ? '障害児相談支援' : '計画相談支援',
      recipientNumber: subject?.recipientNumber ?? '',
      name: subject?.name ?? '',
      count,
      units: CONSULTATION_BONUS_UNITS * count,
    }))
    .sort(compareRows);
}

/**
 * The 合計 of a month's rows: persons (not rows: one who turned 18 has two) as the billing counts
 * them, by 受給者証番号 (a person billed under two numbers in one month is two), claims and units.
 */
export function summaryTotals(rows: readonly ClaimSummaryRow[]): { persons: number; count: number; units: number } {
  return {
    persons: new Set(rows.map((r) => r.recipientNumber || r.personKey)).size,
    count: rows.reduce((n, r) => n + r.count, 0),
    units: rows.reduce((n, r) => n + r.units, 0),
  };
}

/**
 * How many of this person's emergencies in the Japan month of `at` already count toward the
 * office's cap (claimed + pending), for 「今月はすでに4回」 on a new call: decided as the claims
 * screen decides them (with the households, `factsOf`), the person found as the claim finds them.
 * 0 for an unidentified person.
 */
export function countThisMonth(
  cases: readonly EmergencyCase[],
  offices: ReadonlyMap<string, Office>,
  subject: CaseSubject,
  officeId: string,
  at: IsoInstant,
  factsOf: PersonFactsLookup = () => null,
  childAt: ChildLookup = () => null,
): number {
  const facts = factsOf(subject);
  const ownKey = claimPersonKey(subject, facts);
  if (ownKey === null) return 0;
  const month = japanMonthOf(at);
  // The person's cap group as the claim forms it, the new call's own numbers in it: four cases under
  // a number the household has since corrected are this person's too (the warning read 「1回目」, the
  // claim went over the cap once a facility was reached).
  const { rootOf } = capRoots([...cases.map((c) => ({ subject: c.subject, facts: factsOf(c.subject) })), { subject, facts }]);
  const group = rootOf(ownKey);
  return decideClaims(cases, offices, childAt, factsOf).filter(
    (d) => countsTowardCap(d) && d.officeId === officeId && d.personKey !== null && rootOf(d.personKey) === group && d.month === month,
  ).length;
}
