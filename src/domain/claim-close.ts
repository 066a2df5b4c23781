/**
 * 請求済み (month close): an office marks a month's 相談強化加算 claim as sent to the 国保連, with the
 * date it was sent, and the claim is kept exactly as sent — each case's decision, the counts and
 * units, and the SHA-256 of the CSV files written at that moment. Later changes (a case synced
 * late, a correction, an office edit) never rewrite it: `claimChanges` lists, per case, what now
 * differs and why, and the units to claim additionally or to return (過誤調整). See
 * docs/claim-rules.md「請求済みの月」.
 *
 * Month-close records are append-only like case entries: a mistaken close is undone by a 'cancel'
 * record with a reason, never deleted. Pure, except `sha256OfBytes` (WebCrypto, async).
 */
import { foldCase } from './case-fold';
import type { ClaimCsvEncoding } from './claim-csv';
import { personKeyOf, summaryTotals } from './claim-rules';
import { CLAIM_STATUS_LABELS, type ClaimDecision, type ClaimServiceType, type ClaimStatus, type ClaimSummaryRow } from './claim-types';
import { SAME_EMERGENCY_WINDOW_MS, type Actor, type EmergencyCase, type Office } from './emergency-case';
import type { IsoDate, IsoInstant } from './household';
import { addMonthsToDate, formatJapanDate, isValidIsoDate } from './japan-time';

/** One case of the month as it was claimed. */
export interface KeptCase {
  readonly caseId: string;
  readonly name: string;
  readonly recipientNumber: string;
  readonly requestedAt: IsoInstant;
  /** the case's head hash when closed: names the exact record state claimed */
  readonly headHash: string;
  /** the case's entries when closed; an entry not among them came later */
  readonly entryIds: readonly string[];
  readonly status: ClaimStatus;
  readonly ordinal: number | null;
  readonly units: number;
  readonly reasons: readonly string[];
  /** the 給付 it was billed under, when claimed (absent in closes made before it was kept) */
  readonly serviceType?: ClaimServiceType;
}

/** A file written at the close: its name and the SHA-256 (hex) of its exact bytes. */
export interface KeptExport {
  readonly kind: 'summary' | 'detail';
  readonly fileName: string;
  readonly sha256: string;
  readonly size: number;
}

export interface MonthCloseBody {
  readonly type: 'close';
  /** 請求日: the Japan date the claim was sent */
  readonly sentOn: IsoDate;
  readonly encoding: ClaimCsvEncoding;
  /** the office as it was, so a later office edit is named as the cause of a change */
  readonly office: { readonly name: string; readonly officeNumber: string; readonly updatedAt: IsoInstant };
  readonly cases: readonly KeptCase[];
  readonly summary: readonly ClaimSummaryRow[];
  readonly persons: number;
  readonly count: number;
  readonly units: number;
  readonly exports: readonly KeptExport[];
}

/** 取消: undoes a mistaken close; the close stays recorded. */
export interface MonthCancelBody {
  readonly type: 'cancel';
  /** the close record's id */
  readonly cancels: string;
  readonly reason: string;
}

export interface MonthCloseRecord {
  readonly id: string;
  readonly officeId: string;
  /** 'YYYY-MM' */
  readonly month: string;
  readonly recordedAt: IsoInstant;
  readonly recordedBy: Actor;
  readonly deviceId: string;
  readonly body: MonthCloseBody | MonthCancelBody;
}

export type MonthClose = MonthCloseRecord & { readonly body: MonthCloseBody };

/** The month's close records, oldest first, and the close that stands (null when open or cancelled). */
export function monthCloseState(
  records: readonly MonthCloseRecord[],
  officeId: string,
  month: string,
): { readonly history: readonly MonthCloseRecord[]; readonly active: MonthClose | null } {
  const history = records
    .filter((r) => r.officeId === officeId && r.month === month)
    .sort((a, b) => Date.parse(a.recordedAt) - Date.parse(b.recordedAt) || (a.id < b.id ? -1 : 1));
  const cancelled = new Set(history.flatMap((r) => (r.body.type === 'cancel' ? [r.body.cancels] : [])));
  const active = history.filter((r): r is MonthClose => r.body.type === 'close' && !cancelled.has(r.id)).at(-1) ?? null;
  return { history, active };
}

/**
 * The cases an office claimed (算定) in a month closed as 請求済み other than `month`, by case id →
 * that month. A correction can move a case to another month after its month was sent: shown in
 * its new month as claimed, it would be billed twice unless the first month's claim is returned
 * (that month's 請求後の変更 lists the return).
 */
export function claimedInOtherMonths(records: readonly MonthCloseRecord[], officeId: string, month: string): ReadonlyMap<string, string> {
  const claimed = new Map<string, string>();
  const months = new Set(records.filter((r) => r.officeId === officeId && r.month !== month).map((r) => r.month));
  for (const other of months) {
    const { active } = monthCloseState(records, officeId, other);
    for (const k of active?.body.cases ?? []) if (k.status === 'claimed') claimed.set(k.caseId, other);
  }
  return claimed;
}

/** What the screen hands over to close a month. */
export interface CloseRequest {
  readonly id: string;
  readonly office: Office;
  readonly month: string;
  /** the office's cases listed under the month (casesForMonth) */
  readonly cases: readonly EmergencyCase[];
  readonly decisions: ReadonlyMap<string, ClaimDecision>;
  readonly summary: readonly ClaimSummaryRow[];
  readonly sentOn: string;
  readonly encoding: ClaimCsvEncoding;
  readonly exports: readonly KeptExport[];
  readonly recordedAt: IsoInstant;
  readonly recordedBy: Actor;
  readonly deviceId: string;
}

export const CLOSE_MESSAGES = {
  alreadyClosed: (sentOn: IsoDate) => `この月はすでに請求済みです（請求日 ${formatJapanDate(sentOn)}）。やり直すには、先に請求済みを取り消してください。`,
  noCases: 'この月の記録がないため、請求済みにできません。',
  sentOn: '請求日を入力してください。',
  sentOnBeforeMonthEnd: (earliest: IsoDate) => `請求日は対象月の翌月（${formatJapanDate(earliest)}）以降の日付にしてください。`,
  sentOnFuture: '請求日に未来の日付は入力できません。',
  cancelReason: '取消の理由を入力してください。',
  notClosed: 'この月は請求済みではありません。',
} as const;

/** Japanese messages for everything that stops the close; empty when the month may be closed. */
export function closeProblems(records: readonly MonthCloseRecord[], request: Pick<CloseRequest, 'office' | 'month' | 'cases' | 'sentOn'>, today: IsoDate): string[] {
  const { active } = monthCloseState(records, request.office.id, request.month);
  if (active !== null) return [CLOSE_MESSAGES.alreadyClosed(active.body.sentOn)];
  const problems: string[] = [];
  if (request.cases.length === 0) problems.push(CLOSE_MESSAGES.noCases);
  const earliest = addMonthsToDate(`${request.month}-01`, 1);
  if (!isValidIsoDate(request.sentOn)) problems.push(CLOSE_MESSAGES.sentOn);
  else if (request.sentOn < earliest) problems.push(CLOSE_MESSAGES.sentOnBeforeMonthEnd(earliest));
  else if (request.sentOn > today) problems.push(CLOSE_MESSAGES.sentOnFuture);
  return problems;
}

/** The close record: every listed case's decision as it stands now, the summary and the files' hashes. */
export function buildMonthClose(r: CloseRequest): MonthClose {
  const cases = r.cases.map((c): KeptCase => {
    const d = r.decisions.get(c.id);
    if (d === undefined) throw new RangeError(`month-close: case ${c.id} has no decision`);
    return {
      caseId: c.id,
      name: c.subject.name,
      recipientNumber: c.subject.recipientNumber,
      requestedAt: c.open.body.requestedAt,
      headHash: c.headHash,
      entryIds: c.entries.map((e) => e.id),
      status: d.status,
      ordinal: d.ordinal,
      units: d.units,
      reasons: d.reasons,
      ...(d.status === 'claimed' && d.serviceType !== undefined ? { serviceType: d.serviceType } : {}),
    };
  });
  // persons, not rows: one who turned 18 in the month has a row per サービス種別
  const { persons, count, units } = summaryTotals(r.summary);
  return {
    id: r.id,
    officeId: r.office.id,
    month: r.month,
    recordedAt: r.recordedAt,
    recordedBy: r.recordedBy,
    deviceId: r.deviceId,
    body: {
      type: 'close',
      sentOn: r.sentOn,
      encoding: r.encoding,
      office: { name: r.office.name, officeNumber: r.office.officeNumber, updatedAt: r.office.updatedAt },
      cases,
      summary: r.summary,
      persons,
      count,
      units,
      exports: r.exports,
    },
  };
}

/** The record that undoes `close`, or the Japanese problems. */
export function buildMonthCancel(
  close: MonthClose,
  input: { id: string; reason: string; recordedAt: IsoInstant; recordedBy: Actor; deviceId: string },
): MonthCloseRecord | string[] {
  if (input.reason.trim() === '') return [CLOSE_MESSAGES.cancelReason];
  const { id, recordedAt, recordedBy, deviceId } = input;
  return { id, officeId: close.officeId, month: close.month, recordedAt, recordedBy, deviceId, body: { type: 'cancel', cancels: close.id, reason: input.reason.trim() } };
}

// ─── 請求後の変更 ────────────────────────────────────────────────────────────

/**
 * Why a case's decision differs from the claim as sent:
 * - new-case: a case listed under the month now that was not when it was closed (synced late, or moved here)
 * - corrected: the case has a correction entry made after the close
 * - added: the case has other entries made after the close (a result, claim facts, an answer…)
 * - office: the office record changed after the close (e.g. its hub period)
 * - other-cases: the case itself did not change; another case of the person in the month did
 *   (entries after the close, or it joined or left the month): its place under the cap, or its
 *   「同じ緊急事態ですか？」 pairing, moved with it
 * - household: neither the case, the office nor another case of the person in the month changed:
 *   what the rules read from the household did (the person's 地域定着支援 / 自立生活援助 enrolment,
 *   受給者証番号 or birth date, the office the household is placed under). The close does not keep
 *   the household, so this is what is left once the others are ruled out.
 * - household-or-other-cases: as household, but a case of the person outside the month or the office
 *   is joined to it by 「同じ緊急事態ですか？」 (requests less than 24 hours apart): the close does not
 *   keep that case, so which of the two changed cannot be told
 * - other-office: as household, but the same person counts (算定・要確認) at another office in the
 *   month: rule d's one office (claim-rules withOnePlanningOffice) holds the case; a case of that
 *   office synced since, or an app updated to check across offices (the close keeps only its own
 *   office's cases, so which of the two cannot be told)
 * - rules: as household, for a case linked to no household, nor sharing its person with a case that
 *   is: nothing the app reads changed, so the app's rules did (the December 2026 update: a caller
 *   with only a 受給者証番号 waits for 児 or 者)
 */
export type ChangeCause =
  | 'new-case'
  | 'corrected'
  | 'added'
  | 'office'
  | 'other-cases'
  | 'household'
  | 'household-or-other-cases'
  | 'other-office'
  | 'rules'
  | 'recipient-number'
  | 'service-type'
  | 'not-held'
  | 'entries-missing'
  | 'other-cases-unknown';

export const CHANGE_CAUSE_LABELS: Readonly<Record<ChangeCause, string>> = {
  'new-case': '請求後に追加（同期）された記録',
  corrected: '記録の訂正',
  added: '記録への追記',
  office: '事業所の情報の変更',
  'other-cases': '同じ人のほかの記録の変更',
  household: '世帯の情報（利用状況・受給者証番号・担当事業所など）の変更',
  'household-or-other-cases': '世帯の情報、または同じ人のほかの月・事業所の記録の変更',
  'other-office': 'ほかの事業所にある同じ方の記録（請求の後に同期されたか、アプリが事業所をまたいで確かめるようになったため）',
  rules: 'アプリの判定方法の更新（この記録・事業所・同じ人のほかの記録に変更はありません）',
  'recipient-number': '受給者証番号の変更（請求した番号の分を返還し、いまの番号で請求し直す）',
  'service-type': 'サービス種別の変更（生年月日の訂正などで児・者が変わった。請求した種別の分を返還し、いまの種別で請求し直す）',
  'not-held':
    'この端末にない記録（同期が終わっていないか、古いバックアップから戻した端末です。すべてを同期した端末で確かめるまで、返還しないでください）',
  'entries-missing':
    '請求したときにあった記録の一部がこの端末にありません（拠点サーバーの復元などで失われた可能性があります。すべてを持つ端末で確かめるまで、追加請求も返還もしないでください。戻らないときは拠点の管理者に連絡してください）',
  'other-cases-unknown':
    '同じ人の記録のうち、この端末で判定できないもの（この端末にない記録）があるため、回数などが変わって見えます（すべてを同期した端末で確かめるまで、追加請求も返還もしないでください）',
};

/** A change this phone cannot judge: what the claim stood on is not all here, so it proposes no units. */
export function unknowable(c: Pick<ClaimChange, 'cause'>): boolean {
  return c.cause === 'not-held' || c.cause === 'entries-missing' || c.cause === 'other-cases-unknown';
}

/** A change whose billed row is returned whole and billed again whole (another number, or another 給付). */
export function rebills(c: Pick<ClaimChange, 'cause'>): boolean {
  return c.cause === 'recipient-number' || c.cause === 'service-type';
}

export interface DecisionAt {
  readonly status: ClaimStatus;
  readonly ordinal: number | null;
  readonly units: number;
  readonly reasons: readonly string[];
}

export interface ClaimChange {
  readonly caseId: string;
  readonly name: string;
  readonly recipientNumber: string;
  readonly cause: ChangeCause;
  /** for 'corrected': the corrections' reasons */
  readonly detail: string;
  /** as claimed; null for a case not in the claim */
  readonly before: DecisionAt | null;
  /** as it would be claimed in this month now; null when the case is no longer listed under it */
  readonly after: DecisionAt | null;
  /** when no longer listed under the month: the month it is listed under now */
  readonly movedTo: string | null;
  /** after.units − before.units: positive to claim additionally, negative to return (過誤調整) */
  readonly difference: number;
}

const sameDecision = (a: DecisionAt, b: DecisionAt) =>
  a.status === b.status && a.ordinal === b.ordinal && a.units === b.units && a.reasons.join('\n') === b.reasons.join('\n');

const decisionAt = (d: ClaimDecision): DecisionAt => ({ status: d.status, ordinal: d.ordinal, units: d.units, reasons: d.reasons });

/** The month's cases as claimed and as listed now, to tell which of the person's other cases changed since. */
interface MonthNow {
  readonly office: Office | undefined;
  readonly all: readonly EmergencyCase[];
  readonly decisions: ReadonlyMap<string, ClaimDecision>;
  /** the close's cases and the cases listed under the month now */
  readonly inMonth: ReadonlySet<string>;
  /** per case of the month changed since the close, whom it was about then and now */
  readonly changed: ReadonlyMap<string, ReadonlySet<string>>;
}

/** Whom `c` is about: as the rules group it now (the household's number may join cases), and as its own record says. */
function personKeysOf(c: EmergencyCase, decisions: ReadonlyMap<string, ClaimDecision>): string[] {
  return [decisions.get(c.id)?.personKey ?? null, personKeyOf(c.subject)].filter((k): k is string => k !== null);
}

/**
 * The cases of the month that changed since the close, as far as the close can tell: a kept case
 * with entries it did not keep, gone from the month or no longer held, and a case listed now that
 * it did not keep. Each with the persons it was about when closed (its kept entries folded) and now.
 */
function changedSinceClose(
  close: MonthClose,
  listed: readonly EmergencyCase[],
  byId: ReadonlyMap<string, EmergencyCase>,
  decisions: ReadonlyMap<string, ClaimDecision>,
  missing: ReadonlyMap<string, number>,
): Map<string, ReadonlySet<string>> {
  const listedIds = new Set(listed.map((c) => c.id));
  const changed = new Map<string, ReadonlySet<string>>();
  for (const k of close.body.cases) {
    const c = byId.get(k.caseId);
    const known = new Set(k.entryIds);
    if (c !== undefined && listedIds.has(c.id) && c.entries.every((e) => known.has(e.id)) && missing.get(c.id) === 0) continue;
    const keptEntries = c?.entries.filter((e) => known.has(e.id)) ?? [];
    const subjectThen =
      keptEntries[0]?.body.type === 'open' ? foldCase(keptEntries).subject : { householdId: null, personId: null, name: k.name, recipientNumber: k.recipientNumber };
    changed.set(k.caseId, new Set([personKeyOf(subjectThen), ...(c ? personKeysOf(c, decisions) : [])].filter((p): p is string => p !== null)));
  }
  const kept = new Set(close.body.cases.map((k) => k.caseId));
  for (const c of listed) if (!kept.has(c.id)) changed.set(c.id, new Set(personKeysOf(c, decisions)));
  return changed;
}

/**
 * The person's cases that 「同じ緊急事態ですか？」 may join to `c`: those reached from it by requests
 * less than 24 hours apart, one after another (an answer 'same' chains them into one emergency).
 */
function sameEmergencyReach(c: EmergencyCase, all: readonly EmergencyCase[], decisions: ReadonlyMap<string, ClaimDecision>): EmergencyCase[] {
  const keys = new Set(personKeysOf(c, decisions));
  if (keys.size === 0) return [];
  const at = (o: EmergencyCase) => Date.parse(o.open.body.requestedAt);
  const person = all.filter((o) => personKeysOf(o, decisions).some((k) => keys.has(k))).sort((a, b) => at(a) - at(b));
  const i = person.findIndex((o) => o.id === c.id);
  let from = i;
  let to = i;
  while (from > 0 && at(person[from]!) - at(person[from - 1]!) < SAME_EMERGENCY_WINDOW_MS) from -= 1;
  while (to < person.length - 1 && at(person[to + 1]!) - at(person[to]!) < SAME_EMERGENCY_WINDOW_MS) to += 1;
  return person.slice(from, to + 1).filter((o) => o.id !== c.id);
}

/** How many of the entries the close kept for the case this phone does not hold (a hub restore lost them, and this phone pulled since). */
function missingEntries(c: EmergencyCase, kept: KeptCase): number {
  const held = new Set(c.entries.map((e) => e.id));
  return kept.entryIds.filter((id) => !held.has(id)).length;
}

function causeOf(c: EmergencyCase | undefined, kept: KeptCase, close: MonthClose, now: MonthNow): { cause: ChangeCause; detail: string } {
  const known = new Set(kept.entryIds);
  const later = c?.entries.filter((e) => !known.has(e.id)) ?? [];
  const corrections = later.flatMap((e) => (e.body.type === 'correction' ? [e.body.reason] : []));
  if (corrections.length > 0) return { cause: 'corrected', detail: corrections.join('／') };
  if (later.length > 0) return { cause: 'added', detail: '' };
  if (now.office !== undefined && now.office.updatedAt !== close.body.office.updatedAt) return { cause: 'office', detail: '' };
  if (c === undefined) return { cause: 'not-held', detail: '' };
  const keys = personKeysOf(c, now.decisions);
  const otherChanged = [...now.changed].some(([id, persons]) => id !== c.id && keys.some((k) => persons.has(k)));
  if (otherChanged) return { cause: 'other-cases', detail: '' };
  const outside = sameEmergencyReach(c, now.all, now.decisions).some((o) => !now.inMonth.has(o.id));
  if (outside) return { cause: 'household-or-other-cases', detail: '' };
  // The same person counting at another office in the month (rule d across offices): not the household.
  const d = now.decisions.get(c.id);
  const counts = (x: ClaimDecision) => x.status === 'claimed' || x.status === 'pending';
  const elsewhere =
    d !== undefined && d.personKey !== null && d.month !== null &&
    [...now.decisions.values()].some((o) => o.officeId !== d.officeId && o.personKey === d.personKey && o.month === d.month && counts(o));
  if (elsewhere) return { cause: 'other-office', detail: '' };
  // No household of its own, nor one of a case sharing its person (a number entered on a household
  // since joins their cap): what is left is the app's own rules.
  const householdHeld = now.all.some((o) => o.subject.householdId !== null && personKeysOf(o, now.decisions).some((k) => keys.includes(k)));
  return { cause: c.subject.householdId === null && !householdHeld ? 'rules' : 'household', detail: '' };
}

/**
 * What differs between the claim as sent and the claim as it would be made now, per case, in
 * request order. `listed` is the office's cases listed under the month now (casesForMonth),
 * `all` every case (to find where a case that left the month went), `decisions` over all cases.
 */
export function claimChanges(
  close: MonthClose,
  now: {
    readonly office: Office | undefined;
    readonly listed: readonly EmergencyCase[];
    readonly all: readonly EmergencyCase[];
    readonly decisions: ReadonlyMap<string, ClaimDecision>;
    readonly monthOf: (c: EmergencyCase) => string;
  },
): ClaimChange[] {
  const kept = new Map(close.body.cases.map((k) => [k.caseId, k] as const));
  const byId = new Map(now.all.map((c) => [c.id, c] as const));
  // per kept case this phone holds, how many of the entries the close kept it lacks
  const missing = new Map(close.body.cases.flatMap((k) => {
    const c = byId.get(k.caseId);
    return c === undefined ? [] : [[k.caseId, missingEntries(c, k)] as const];
  }));
  const month: MonthNow = {
    office: now.office,
    all: now.all,
    decisions: now.decisions,
    inMonth: new Set([...kept.keys(), ...now.listed.map((c) => c.id)]),
    changed: changedSinceClose(close, now.listed, byId, now.decisions, missing),
  };
  const changes: ClaimChange[] = [];
  for (const c of now.listed) {
    const d = now.decisions.get(c.id);
    if (d === undefined) continue;
    const after = decisionAt(d);
    const k = kept.get(c.id);
    const base = { caseId: c.id, name: c.subject.name, recipientNumber: c.subject.recipientNumber, movedTo: null, after };
    if (k === undefined) {
      changes.push({ ...base, cause: 'new-case', detail: '', before: null, difference: after.units });
    } else if (missing.get(c.id)! > 0) {
      // Judged now from less than was claimed on: no units proposed, whatever the decision says.
      changes.push({ ...base, cause: 'entries-missing', detail: `ない記録 ${missing.get(c.id)!}件`, before: k, difference: 0 });
    } else if (k.status === 'claimed' && k.recipientNumber !== c.subject.recipientNumber) {
      // Billed under another 受給者証番号 (the case linked to another person since): the row billed
      // is returned whole and the case billed again as it stands, whatever else changed with it.
      const number = (n: string) => n || '（番号なし）';
      changes.push({ ...base, cause: 'recipient-number', detail: `${number(k.recipientNumber)} → ${number(c.subject.recipientNumber)}`, before: k, difference: after.units - k.units });
    } else if (k.status === 'claimed' && d.status === 'claimed' && k.serviceType !== undefined && d.serviceType !== undefined && k.serviceType !== d.serviceType) {
      // Billed under the other 給付 (a birth date corrected since: the person was 児, not 者, that
      // day, or the reverse): the same units, but the row billed is returned and billed again.
      // A correction that moved it (a call's time corrected across the birthday) keeps its reasons.
      const { cause, detail } = causeOf(c, k, close, month);
      const why = cause === 'corrected' ? `（${detail}）` : '';
      changes.push({ ...base, cause: 'service-type', detail: `${k.serviceType} → ${d.serviceType}${why}`, before: k, difference: after.units - k.units });
    } else if (!sameDecision(k, after)) {
      changes.push({ ...base, ...causeOf(c, k, close, month), before: k, difference: after.units - k.units });
    }
  }
  const listedIds = new Set(now.listed.map((c) => c.id));
  for (const k of close.body.cases) {
    if (listedIds.has(k.caseId)) continue;
    const c = byId.get(k.caseId);
    const lacking = missing.get(k.caseId) ?? 0;
    changes.push({
      caseId: k.caseId,
      name: c?.subject.name ?? k.name,
      recipientNumber: c?.subject.recipientNumber ?? k.recipientNumber,
      // A case not held here, or held with less than was claimed on: nothing to tell, no return proposed.
      ...(c === undefined ? { cause: 'not-held' as const, detail: '' } : lacking > 0 ? { cause: 'entries-missing' as const, detail: `ない記録 ${lacking}件` } : causeOf(c, k, close, month)),
      before: k,
      after: null,
      movedTo: c ? now.monthOf(c) : null,
      difference: c === undefined || lacking > 0 ? 0 : -k.units,
    });
  }
  // A person's other cases re-judged without one this phone cannot judge (5 cases capped at 4, the
  // first not held here: the fifth reads claimed): what they seem to change is not known either.
  const unknownPersons = new Set(
    changes.filter(unknowable).flatMap((x) => {
      const c = byId.get(x.caseId);
      const recorded = personKeyOf({ householdId: null, personId: null, name: x.name, recipientNumber: x.recipientNumber });
      return [...(c ? personKeysOf(c, now.decisions) : []), ...(recorded === null ? [] : [recorded])];
    }),
  );
  // Only what the missing case could explain: where the case falls under the cap (claimed or over it,
  // its place among the person's cases), whatever else moved it; a status the rules a–e gave (算定不可,
  // 要確認) is the case's own, and its units stand.
  const underTheCap = (d: DecisionAt | null) => d !== null && (d.status === 'claimed' || d.status === 'over-cap');
  const judged = changes.map((x): ClaimChange => {
    if (unknowable(x) || rebills(x) || !underTheCap(x.after) || !(x.before === null || underTheCap(x.before))) return x;
    const c = byId.get(x.caseId);
    return c !== undefined && personKeysOf(c, now.decisions).some((k) => unknownPersons.has(k)) ? { ...x, cause: 'other-cases-unknown', detail: '', difference: 0 } : x;
  });
  const requested = (x: ClaimChange) => Date.parse(byId.get(x.caseId)?.open.body.requestedAt ?? kept.get(x.caseId)?.requestedAt ?? '');
  return judged.sort((a, b) => requested(a) - requested(b) || (a.caseId < b.caseId ? -1 : 1));
}

/** 「算定（2回目・700単位）」, for a decision before or after. */
export function decisionLabel(d: DecisionAt | null): string {
  if (d === null) return '（この月の請求になし）';
  const parts = [d.ordinal !== null ? `${d.ordinal}回目` : null, `${d.units}単位`].filter((p) => p !== null);
  return `${CLAIM_STATUS_LABELS[d.status]}（${parts.join('・')}）`;
}

/**
 * The units a change asks to claim and to return: the difference's sign, except for a case billed
 * under another 受給者証番号 or another 給付, whose row is returned whole and billed again whole.
 */
export function unitsToClaim(c: ClaimChange): number {
  return rebills(c) ? (c.after?.units ?? 0) : Math.max(c.difference, 0);
}

export function unitsToReturn(c: ClaimChange): number {
  return rebills(c) ? (c.before?.units ?? 0) : Math.max(-c.difference, 0);
}

/**
 * The units to claim additionally and to return through 過誤調整, each summed apart: a case billed
 * again under another 受給者証番号 claims and returns its whole row, a difference of 0.
 */
export function changeTotals(changes: readonly ClaimChange[]): { readonly claim: number; readonly ret: number } {
  return {
    claim: changes.reduce((n, c) => n + unitsToClaim(c), 0),
    ret: changes.reduce((n, c) => n + unitsToReturn(c), 0),
  };
}

/** SHA-256 of exact bytes, lower-case hex (the hash kept for each file written at the close). */
export async function sha256OfBytes(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
