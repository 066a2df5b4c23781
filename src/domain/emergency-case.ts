/**
 * The emergency case (緊急対応記録): what the coordinator records during a night call, as the
 * evidence for the 地域生活支援拠点等相談強化加算 (DOMAIN.md §4-5; seeds/004 §24-3 (3)).
 *
 * A case is a chain of append-only entries. Nothing is edited in place: a correction is a new
 * entry that names the entry it corrects, with a reason, who and when. `foldCase` reads the chain
 * into the case as it stands now, keeping what was corrected visible.
 */
import type { IsoDate, IsoInstant } from './household';

/** 要請の内容: the category of what was asked (plus free text). */
export const REQUEST_CATEGORIES = [
  '介護者の急病・けが',
  '介護者の入院',
  '介護者の死亡',
  '本人の状態悪化',
  '虐待・権利侵害',
  '災害',
  'その他',
] as const;
export type RequestCategory = (typeof REQUEST_CATEGORIES)[number];

export const CONTACT_METHODS = ['電話', 'FAX', '訪問', 'その他'] as const;
export type ContactMethod = (typeof CONTACT_METHODS)[number];

export const CONTACT_RESULTS = ['受入可', '受入不可', '折り返し待ち', '不在'] as const;
export type ContactResult = (typeof CONTACT_RESULTS)[number];

/** How the emergency ended: admitted to a short stay, or another outcome. */
export const OUTCOME_KINDS = ['短期入所', '入院', '在宅で対応', 'その他'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];

/** 出口: where the person went when an emergency stay ended (出口支援, seeds/000). */
export const EXIT_KINDS = ['自宅に戻った', '別の事業所', '入院', '施設入所', 'その他'] as const;
export type ExitKind = (typeof EXIT_KINDS)[number];

/**
 * Who provides the person's 計画相談支援 (seeds/004 §24: not claimable when another office does,
 * unless the person uses no services and this office writes the サービス等利用計画).
 * 'unknown' is the honest default at 2 a.m.; the claim waits until it is recorded.
 */
export const PLANNING_VALUES = ['unknown', 'this-office', 'other-office', 'none-this-office-writes'] as const;
export type Planning = (typeof PLANNING_VALUES)[number];

export const PLANNING_LABELS: Readonly<Record<Planning, string>> = {
  unknown: '未確認',
  'this-office': '当事業所が計画相談支援を担当',
  'other-office': '他の事業所が計画相談支援を担当',
  'none-this-office-writes': 'サービス未利用で、当事業所がサービス等利用計画を作成',
};

/** A member of staff, as the case records them (the name is kept as it was at the time). */
export interface Actor {
  readonly userId: string;
  readonly name: string;
}

/**
 * Who the case is about. A registered person (household + person ids), or an unknown caller
 * (both ids null) linked to a household later by a 'link' entry. Name and 受給者証番号 are
 * copied at the time, so the evidence does not change when the household record does.
 */
export interface CaseSubject {
  readonly householdId: string | null;
  readonly personId: string | null;
  readonly name: string;
  /** 受給者証番号 (10 digits), or '' when not known */
  readonly recipientNumber: string;
}

/**
 * A case's person as every screen and the evidence report name it: a registered person by their
 * record (（氏名未入力） when it has none), an unknown caller's by the name heard on the phone, marked
 * so (it is no registered person's until linked), and 本人未特定 when none was heard.
 */
export function subjectShownName(subject: Pick<CaseSubject, 'name' | 'personId'>): string {
  const name = subject.name.trim();
  if (subject.personId !== null) return name || '（氏名未入力）';
  return name ? `${name}（聞き取り）` : '本人未特定';
}

/** 相談支援事業所: the office that handles the case and claims the bonus (office.ts). */
export type { Office } from './office';

// ─── Entry bodies ───────────────────────────────────────────────────────────

/** The first entry of every case: 要請のあった時間 and 要請の内容. */
export interface OpenBody {
  readonly type: 'open';
  readonly officeId: string;
  readonly subject: CaseSubject;
  /** 要請のあった時間 as stated; equals the entry's recordedAt unless set back */
  readonly requestedAt: IsoInstant;
  /** why requestedAt differs from the time of entry ('' when it does not) */
  readonly requestedAtReason: string;
  readonly category: RequestCategory;
  readonly detail: string;
  /** who called (e.g. 「叔母 佐藤花子」) and from which number */
  readonly caller: string;
  readonly callerPhone: string;
}

/** One contact or coordination (連絡・調整) with a facility. */
export interface ContactBody {
  readonly type: 'contact';
  /** the facility's record id, or null for a place typed in by hand */
  readonly facilityId: string | null;
  readonly facilityName: string;
  /** 事業所番号 as it was at the time ('' when unknown) */
  readonly facilityOfficeNumber: string;
  /** true when the place is a 短期入所 (the bonus needs at least one such contact) */
  readonly shortStay: boolean;
  /** 連絡・調整を行った時刻 */
  readonly contactedAt: IsoInstant;
  readonly method: ContactMethod;
  /**
   * null while the call is under way: tapping 「電話」 in the match records the attempt at once,
   * and the result follows in a 'result' entry.
   */
  readonly result: ContactResult | null;
  readonly note: string;
}

/**
 * The note a call back carries (stored with the contact). The contact methods (電話・FAX・訪問・その他)
 * have no "incoming call", and the entry's shape is the hub's: 電話 it is, and the note says who called.
 */
export const CALL_BACK_NOTE = '事業所からの折り返し';

/**
 * The facility calling back after a 折り返し待ち: a new contact at `at`, its result then asked for
 * like a call made (never a result on the old call: a 23:50 call answered at 00:30 was reached at
 * 00:30, and the claim's month reads it so). The 事業所番号 as held now when given.
 */
export function callBackOf(call: ContactBody, at: IsoInstant, facilityOfficeNumber = call.facilityOfficeNumber): ContactBody {
  return {
    type: 'contact',
    facilityId: call.facilityId,
    facilityName: call.facilityName,
    facilityOfficeNumber,
    shortStay: call.shortStay,
    contactedAt: at,
    method: '電話',
    result: null,
    note: CALL_BACK_NOTE,
  };
}

/**
 * How long after a call its 受入可 or 受入不可 is taken, without asking, as heard on that call. A
 * result is chosen back from the dialer, a few minutes on (a long talk about the person included);
 * later than this, it more often came on the facility's call back (dialled at 23:50, nobody there,
 * a call back at 00:30 with 受入可), and the coordinator is asked when it was heard: the time the
 * facility was reached is 連絡・調整を行った時刻 and decides the claim's month (claim-rules.ts).
 */
export const ASK_WHEN_HEARD_AFTER_MS = 10 * 60_000;

/** The results that say the facility was reached (連絡・調整; claim-rules.ts reachedShortStay). */
const reachedResult = (r: ContactResult | null) => r === '受入可' || r === '受入不可';

/**
 * Whether choosing `result` for `call` at `now` asks when it was heard (on the call, or now on
 * the facility's call back): a 受入可 or 受入不可 for a call not reached before, over ten minutes old.
 */
export function asksWhenHeard(call: ContactBody, result: ContactResult, now: Date): boolean {
  return reachedResult(result) && !reachedResult(call.result) && now.getTime() - Date.parse(call.contactedAt) > ASK_WHEN_HEARD_AFTER_MS;
}

/**
 * The note on a call whose result was never chosen, made 折り返し待ち when its answer came on the
 * facility's call back (heardOnCallBack): nobody chose 折り返し待ち at the time, and the note says so.
 */
export const ANSWERED_ON_CALL_BACK_NOTE = '結果は折り返しの電話で記録';

/**
 * A result heard now, on the facility's call back, chosen on `call`: the call back at `at` with the
 * result (callBackOf), then, for a call still without a result, 折り返し待ち on it (a case is not
 * closed on a call without one; it was answered by the call back). The call's own result, if it has
 * one (a 23:50 不在), stands: nothing is corrected. Written in this order: if the second fails, the
 * time the facility was reached is already kept.
 */
export function heardOnCallBack(
  call: { readonly entryId: string; readonly body: ContactBody },
  result: ContactResult,
  at: IsoInstant,
  facilityOfficeNumber?: string,
): [ContactBody] | [ContactBody, ResultBody] {
  const callBack: ContactBody = { ...callBackOf(call.body, at, facilityOfficeNumber), result };
  if (call.body.result !== null) return [callBack];
  return [callBack, { type: 'result', contact: call.entryId, result: '折り返し待ち', note: ANSWERED_ON_CALL_BACK_NOTE }];
}

/**
 * The result of the call back heardOnCallBack wrote for `call` when its second entry (the call's
 * 折り返し待ち) failed: `call` still has no result, and the facility's next contact after it is a call
 * back (CALL_BACK_NOTE) with a 受入可 or 受入不可. Null for any other call. Read from the case, not
 * from a screen's memory, so after a lock, a reload or another screen only the missing 折り返し待ち
 * is offered: a result chosen again would answer the facility twice (受入可 on the 23:50 call moves
 * the claim month back), and 「いま」 again would write a second call back.
 */
export function halfWrittenCallBack(
  contacts: readonly { readonly body: ContactBody }[],
  call: { readonly body: ContactBody },
): ContactResult | null {
  if (call.body.result !== null) return null;
  const after = Date.parse(call.body.contactedAt);
  const sameFacility = (c: ContactBody) =>
    call.body.facilityId !== null ? c.facilityId === call.body.facilityId : c.facilityId === null && c.facilityName === call.body.facilityName;
  // the facility's next contact after the call, and only that one: a later call of its own (a
  // second try at 23:55) answered by a call back leaves this one to be answered as it was
  let next: ContactBody | undefined;
  for (const { body: c } of contacts) {
    const at = Date.parse(c.contactedAt);
    if (at > after && sameFacility(c) && (next === undefined || at < Date.parse(next.contactedAt))) next = c;
  }
  return next !== undefined && next.note.startsWith(CALL_BACK_NOTE) && reachedResult(next.result) ? next.result : null;
}

/** The result of a contact recorded as an attempt (its `result` was null). */
export interface ResultBody {
  readonly type: 'result';
  /** the contact entry's id */
  readonly contact: string;
  readonly result: ContactResult;
  readonly note: string;
}

/** Links an unknown caller's case to a registered person (or changes who it is about). */
export interface LinkBody {
  readonly type: 'link';
  readonly subject: CaseSubject;
}

/** Facts the claim depends on, recorded on the case (seeds/004 §24 exclusions). */
export interface ClaimFactsBody {
  readonly type: 'claim-facts';
  readonly planning: Planning;
  /** this office claims 自立生活援助's 緊急時支援加算 or 地域定着支援サービス費 for this person and emergency */
  readonly independentLivingClaimed: boolean;
  readonly note: string;
}

export interface OutcomeBody {
  readonly type: 'outcome';
  readonly outcome: OutcomeKind;
  /** for 短期入所: which facility (id, or null if typed by hand) */
  readonly facilityId: string | null;
  readonly facilityName: string;
  /** for 短期入所: admitted from when */
  readonly from: IsoInstant | null;
  readonly note: string;
}

/**
 * The end of the stay a 短期入所 outcome began: when the person left, and where they went. Written
 * after the case closed (a stay outlasts the night call), so it is taken by a closed case. It names
 * no outcome: it ends the stay of the outcome that stood when it was written (case-fold.ts).
 */
export interface StayEndBody {
  readonly type: 'stay-end';
  /** 退所の日時 */
  readonly endedAt: IsoInstant;
  readonly exit: ExitKind;
  /** which office, hospital or facility, or what else happened (required for 別の事業所 and その他) */
  readonly note: string;
}

export interface CloseBody {
  readonly type: 'close';
  readonly closedAt: IsoInstant;
}

/** How far apart two requests for one person may be and still be asked 「同じ緊急事態ですか？」 (Q&A R6 問74). */
export const SAME_EMERGENCY_WINDOW_MS = 24 * 60 * 60_000;

/**
 * The answer to 「同じ緊急事態ですか？」 for this case and another case of the same person whose
 * request came within 24 hours (Q&A R6 問74: one emergency, one claim). 'separate' needs a reason:
 * the evidence says why two cases were claimed. 'same' is recorded when the pair is found later
 * (both cases already open); at the start, 'same' opens the existing case instead of a second one.
 */
export interface SameEmergencyBody {
  readonly type: 'same-emergency';
  readonly otherCaseId: string;
  /** the other case's 要請のあった時間 when answered, so the answer reads on its own */
  readonly otherRequestedAt: IsoInstant;
  readonly answer: 'same' | 'separate';
  readonly reason: string;
}

/** Every body that states a fact; a correction replaces one of these. */
export type FactBody = OpenBody | ContactBody | ResultBody | LinkBody | ClaimFactsBody | OutcomeBody | CloseBody | SameEmergencyBody | StayEndBody;

/**
 * A correction names the entry it corrects and gives a reason. `replacement` is a body of the same
 * type that stands from now on; null withdraws the corrected entry (only contacts and outcomes:
 * 「誤って記録」). The corrected entry stays in the chain and on every report.
 */
export interface CorrectionBody {
  readonly type: 'correction';
  readonly corrects: string;
  readonly reason: string;
  readonly replacement: FactBody | null;
}

export type EntryBody = FactBody | CorrectionBody;
export type EntryType = EntryBody['type'];

/** What each kind of entry is called in a case's history, on the screen and the printed report. */
export const ENTRY_TYPE_LABELS: Readonly<Record<EntryType, string>> = {
  open: '要請',
  contact: '連絡・調整',
  result: '連絡の結果',
  link: '登録者との結び付け',
  'claim-facts': '算定に関する事項',
  outcome: '対応結果',
  close: '終了',
  'same-emergency': '同じ緊急事態かの確認',
  'stay-end': '退所・出口',
  correction: '訂正・取消',
};

/**
 * One link of a case's chain. `hash` is SHA-256 (hex) over the canonical form of every other field
 * (see case-chain.ts); `prevHash` is the hash of the entry the writer appended after (the last in
 * read order on its device), '' for the open entry.
 */
export interface CaseEntry {
  readonly id: string;
  readonly caseId: string;
  /**
   * 0 for the open entry; otherwise how many entries of the case the writer's device held when
   * it wrote this one (one line: 1, 2, … with no gaps; two phones continuing at once: siblings
   * with the same index). See case-chain.ts.
   */
  readonly index: number;
  /** when the entry was written on the device (UTC) */
  readonly recordedAt: IsoInstant;
  readonly recordedBy: Actor;
  readonly deviceId: string;
  readonly body: EntryBody;
  readonly prevHash: string;
  readonly hash: string;
}

/** An entry before it is hashed. */
export type UnsealedEntry = Omit<CaseEntry, 'hash'>;

/** Evidence is kept 5 years (seeds/004 §24-3 (3)). */
export const RETENTION_YEARS = 5;

// ─── The case as it stands ──────────────────────────────────────────────────

/**
 * One correction of a fact, as every report shows it (issue 14 point 4): the value before, the value
 * after, the reason, who and when. `before` is the fact as it was shown just before the correction
 * (for a contact: with the result recorded after the call); `after` is the replacement, null when
 * the correction withdrew the entry. correction-changes.ts lists the fields that differ.
 */
export interface Superseded {
  readonly byEntryId: string;
  readonly reason: string;
  readonly at: IsoInstant;
  readonly by: Actor;
  /** true when the correction withdrew the entry instead of replacing it */
  readonly withdrawn: boolean;
  readonly before: FactBody;
  readonly after: FactBody | null;
}

/** A fact as it stands, with the entry that first stated it and any corrections since. */
export interface Current<B extends FactBody> {
  /** the entry that first stated this fact (a contact keeps its id through corrections) */
  readonly entryId: string;
  readonly body: B;
  readonly recordedAt: IsoInstant;
  readonly recordedBy: Actor;
  /** the corrections applied, oldest first */
  readonly corrections: readonly Superseded[];
  /** a contact's result recorded after the call, by an entry of its own: who recorded it, and when */
  readonly resultBy?: { readonly recordedAt: IsoInstant; readonly recordedBy: Actor };
}

export interface EmergencyCase {
  readonly id: string;
  readonly entries: readonly CaseEntry[];
  /** the open entry as it stands */
  readonly open: Current<OpenBody>;
  readonly subject: CaseSubject;
  /** contacts in the order they were made (contactedAt), withdrawn ones left out */
  readonly contacts: readonly Current<ContactBody>[];
  /** contacts withdrawn by a correction, still shown on reports */
  readonly withdrawnContacts: readonly Current<ContactBody>[];
  readonly claimFacts: ClaimFactsBody;
  readonly outcome: Current<OutcomeBody> | null;
  /** outcomes withdrawn by a correction (「誤って記録」), still shown on every report as 取消 */
  readonly withdrawnOutcomes: readonly Current<OutcomeBody>[];
  /** 「同じ緊急事態ですか？」 answers, the latest per other case */
  readonly sameEmergency: readonly Current<SameEmergencyBody>[];
  readonly closedAt: IsoInstant | null;
  /**
   * when the 短期入所 stay ended and where the person went; null while the stay goes on (or there
   * was none). Only a stay-end written after the standing outcome was (case-fold.ts): one written
   * for an outcome since replaced ends no stay, and stays in `entries`. foldCase always sets it;
   * optional only so hand-built cases in older tests still type.
   */
  readonly stayEnd?: Current<StayEndBody> | null;
  /** who opened the case */
  readonly handler: Actor;
  /** the last entry's hash: names this exact state of the case */
  readonly headHash: string;
}

export const DEFAULT_CLAIM_FACTS: ClaimFactsBody = {
  type: 'claim-facts',
  planning: 'unknown',
  independentLivingClaimed: false,
  note: '',
};
