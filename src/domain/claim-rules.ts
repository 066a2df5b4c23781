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
  type ClaimStatus,
  type ClaimSummaryRow,
} from './claim-types';
import type { CaseSubject, ContactBody, Current, EmergencyCase, Office, Planning } from './emergency-case';
import type { IsoInstant } from './household';
import { formatJapanDate, formatJapanDateTime, japanDateOf, japanMonthOf } from './japan-time';
import { normalizeDigits } from './normalize';

/** The reasons the app shows, one per rule (docs/claim-rules.md lists them with their sources). */
export const CLAIM_REASONS = {
  coordinated: (at: IsoInstant) => `短期入所事業所への連絡・調整あり（${formatJapanDateTime(at)}）`,
  noShortStayContact: '短期入所事業所への連絡・調整の記録がありません（相談強化加算は短期入所の利用に関する連絡・調整が要件です）',
  noRecipientNumber: '受給者証番号が未登録です。世帯の情報に受給者証番号を入力し、対応記録の対象者を結び付け直すと算定されます',
  noPerson: '対象者が特定されていません（受給者証番号の入力または登録者との紐づけが必要です）',
  unknownOffice: '対応した相談支援事業所が登録されていません（拠点として位置付けられていることを確認できません）',
  notHub: '当事業所は運営規程で地域生活支援拠点等として位置付けられていません',
  beforeHub: (hubSince: string) =>
    `連絡・調整の日が、当事業所が地域生活支援拠点等として位置付けられた日（${formatJapanDate(hubSince)}）より前です`,
  planning: {
    'this-office': '当事業所が計画相談支援を担当しています',
    'none-this-office-writes':
      'サービス未利用の方で、当事業所がサービス等利用計画を作成するため、計画相談支援給付費（サービス利用支援費）と併せて算定します',
    'other-office': '他の指定特定相談支援事業所が計画相談支援を担当しているため算定できません',
    unknown: '計画相談支援をどの事業所が担当しているか未確認です。確認して記録すると算定の可否が決まります',
  } satisfies Readonly<Record<Planning, string>>,
  independentLiving:
    '同じ緊急事態について、自立生活援助の緊急時支援加算または地域定着支援サービス費を算定するため算定できません',
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

function firstShortStayContact(c: EmergencyCase): Current<ContactBody> | null {
  const shortStay = c.contacts.filter((k) => k.body.shortStay);
  const sorted = [...shortStay].sort((a, b) => instantOrder(a.body.contactedAt, b.body.contactedAt));
  return sorted[0] ?? null;
}

/**
 * The claim month: the Japan-time month of the FIRST short-stay contact (連絡・調整を行った時刻),
 * not of the request. DOMAIN.md §5: the claim month follows the date of the coordination, so a
 * request at 23:50 on 30 November coordinated at 00:20 on 1 December counts in December. When the
 * contacts of one emergency span a month end, the first one fixes the month (open question in
 * docs/claim-rules.md). Null when the case has no short-stay contact: then there is nothing to claim.
 */
export function claimMonthOf(c: EmergencyCase): { month: string; coordinatedAt: string } | null {
  const first = firstShortStayContact(c);
  if (!first) return null;
  return { month: japanMonthOf(first.body.contactedAt), coordinatedAt: first.body.contactedAt };
}

/** The outcome of rules a–e for one case, before the cap. */
interface Verdict {
  readonly status: Exclude<ClaimStatus, 'over-cap'>;
  readonly reasons: readonly string[];
}

/** Rule c: the office must be a hub (運営規程) on the Japan day of the coordination. */
function hubFailure(office: Office | undefined, coordinatedAt: IsoInstant): string | null {
  if (!office) return CLAIM_REASONS.unknownOffice;
  if (office.hubSince === null) return CLAIM_REASONS.notHub;
  if (japanDateOf(coordinatedAt) < office.hubSince) return CLAIM_REASONS.beforeHub(office.hubSince);
  return null;
}

/** Rules a–e. Every exclusion that applies is listed, so the coordinator can fix them all at once. */
function verdictOf(c: EmergencyCase, offices: ReadonlyMap<string, Office>, coordinatedAt: IsoInstant | null): Verdict {
  if (coordinatedAt === null) return { status: 'not-claimable', reasons: [CLAIM_REASONS.noShortStayContact] };
  const { planning, independentLivingClaimed } = c.claimFacts;
  const failures = [
    personKeyOf(c.subject) === null ? CLAIM_REASONS.noPerson : null,
    hubFailure(offices.get(c.open.body.officeId), coordinatedAt),
    planning === 'other-office' ? CLAIM_REASONS.planning['other-office'] : null,
    independentLivingClaimed ? CLAIM_REASONS.independentLiving : null,
  ].filter((r): r is string => r !== null);
  if (failures.length > 0) return { status: 'not-claimable', reasons: failures };
  const reasons = [CLAIM_REASONS.coordinated(coordinatedAt), CLAIM_REASONS.planning[planning]];
  // A linked person without a 受給者証番号 cannot be billed yet: it holds its cap slot until entered.
  const noNumber = normalizeDigits(c.subject.recipientNumber) === '';
  if (noNumber) reasons.push(CLAIM_REASONS.noRecipientNumber);
  return { status: planning === 'unknown' || noNumber ? 'pending' : 'claimed', reasons };
}

function baseDecision(c: EmergencyCase, offices: ReadonlyMap<string, Office>): ClaimDecision {
  const claimMonth = claimMonthOf(c);
  const verdict = verdictOf(c, offices, claimMonth?.coordinatedAt ?? null);
  return {
    caseId: c.id,
    officeId: c.open.body.officeId,
    personKey: personKeyOf(c.subject),
    month: claimMonth?.month ?? null,
    coordinatedAt: claimMonth?.coordinatedAt ?? null,
    status: verdict.status,
    ordinal: null,
    units: 0,
    reasons: verdict.reasons,
  };
}

function countsTowardCap(d: ClaimDecision): boolean {
  return d.status === 'claimed' || d.status === 'pending';
}

function capGroupKey(d: ClaimDecision): string {
  return JSON.stringify([d.officeId, d.personKey, d.month]);
}

/** Rule f: number each person's counting cases of the month per office: by coordinatedAt, then case id. */
function ordinalsByIndex(decisions: readonly ClaimDecision[]): ReadonlyMap<number, number> {
  const groups = new Map<string, number[]>();
  decisions.forEach((d, i) => {
    if (!countsTowardCap(d)) return;
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

/**
 * One decision per case, in input order. A case is one emergency, however many facilities were
 * contacted for it (問74), so it is numbered once under the cap.
 */
export function decideClaims(cases: readonly EmergencyCase[], offices: ReadonlyMap<string, Office>): ClaimDecision[] {
  const base = cases.map((c) => baseDecision(c, offices));
  const ordinals = ordinalsByIndex(base);
  return base.map((d, i) => {
    const ordinal = ordinals.get(i);
    return ordinal === undefined ? d : withOrdinal(d, ordinal);
  });
}

function compareRows(a: ClaimSummaryRow, b: ClaimSummaryRow): number {
  if (a.recipientNumber !== b.recipientNumber) return a.recipientNumber < b.recipientNumber ? -1 : 1;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.personKey < b.personKey ? -1 : a.personKey > b.personKey ? 1 : 0;
}

/**
 * The month's claim for one office: one row per person with at least one claimed emergency.
 * Name and 受給者証番号 come from the person's latest claimed case (by coordination time), as the
 * evidence recorded them.
 */
export function summarizeClaims(
  decisions: readonly ClaimDecision[],
  cases: readonly EmergencyCase[],
  officeId: string,
  month: string,
): ClaimSummaryRow[] {
  const caseById = new Map(cases.map((c) => [c.id, c] as const));
  const claimed = decisions
    .filter((d) => d.status === 'claimed' && d.officeId === officeId && d.month === month && d.personKey !== null)
    .sort(compareForCap);
  const byPerson = new Map<string, { count: number; subject: CaseSubject | undefined }>();
  for (const d of claimed) {
    const previous = byPerson.get(d.personKey!);
    const subject = caseById.get(d.caseId)?.subject ?? previous?.subject;
    byPerson.set(d.personKey!, { count: (previous?.count ?? 0) + 1, subject });
  }
  const rows = [...byPerson].map(([personKey, { count, subject }]) => ({
    personKey,
    recipientNumber: subject?.recipientNumber ?? '',
    name: subject?.name ?? '',
    count,
    units: CONSULTATION_BONUS_UNITS * count,
  }));
  return rows.sort(compareRows);
}

/**
 * How many of this person's emergencies in the Japan month of `at` already count toward the
 * office's cap (claimed + pending), for 「今月はすでに4回」 on a new call. 0 for an unidentified person.
 */
export function countThisMonth(
  cases: readonly EmergencyCase[],
  offices: ReadonlyMap<string, Office>,
  subject: CaseSubject,
  officeId: string,
  at: IsoInstant,
): number {
  const personKey = personKeyOf(subject);
  if (personKey === null) return 0;
  const month = japanMonthOf(at);
  return decideClaims(cases, offices).filter(
    (d) => countsTowardCap(d) && d.officeId === officeId && d.personKey === personKey && d.month === month,
  ).length;
}
