/**
 * A trial stay (体験の機会・場, the hub's third function; DOMAIN.md §1): a registered person tries a
 * short stay or a group home for some days before they need one. What the coordinator wants to know
 * at night ("has she stayed anywhere?") and what the yearly report counts (seeds/002: 体験利用者数).
 *
 * A record of its own (not a field of the household), so a facility's liaison can enter one without
 * rewriting the household, and two people entering stays for one family do not conflict.
 */
import { z } from 'zod';
import type { IsoDate, IsoInstant } from './household';
import type { FieldError } from './household-rules';
import { isValidIsoDate, japanDateOf } from './japan-time';

export interface TrialStay {
  readonly id: string;
  readonly householdId: string;
  readonly personId: string;
  /** the facility's record id: it must exist when the stay is entered */
  readonly facilityId: string;
  /** the facility's name as it was when entered, shown if the facility is later removed */
  readonly facilityName: string;
  /** first day, Japan date */
  readonly from: IsoDate;
  /** last day, Japan date (the same as `from` for a day visit) */
  readonly to: IsoDate;
  /** 利用の目的, e.g. 「親元からの自立に向けた体験」 */
  readonly purpose: string;
  /** 利用の様子 */
  readonly howItWent: string;
  /** 次回への申し送り */
  readonly nextTime: string;
  /** who entered it (display name at the time) */
  readonly recordedBy: string;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
  /**
   * 取消: entered by mistake (another person, a stay that did not happen). The record stays, with
   * why, who and when; it no longer counts in the match, the overlap check or the yearly report.
   * Absent on stays recorded before 取消 existed.
   */
  readonly cancelled?: TrialStayCancellation | null;
}

export interface TrialStayCancellation {
  readonly reason: string;
  /** who cancelled it (display name at the time) */
  readonly by: string;
  readonly at: IsoInstant;
}

/** A stay that counts: not cancelled. */
export const isLiveStay = (s: TrialStay): boolean => !s.cancelled;

/** The stay cancelled with `reason` (required, in Japanese when missing), or the message saying why not. */
export function cancelTrialStay(
  stay: TrialStay,
  reason: string,
  by: string,
  now: IsoInstant,
): { readonly ok: true; readonly value: TrialStay } | { readonly ok: false; readonly message: string } {
  if (stay.cancelled) return { ok: false, message: 'この体験利用は取り消し済みです' };
  const why = reason.trim();
  if (why === '') return { ok: false, message: '取り消す理由を入力してください' };
  return { ok: true, value: { ...stay, cancelled: { reason: why, by, at: now }, updatedAt: now } };
}

/** What the form edits: every field as typed. */
export interface TrialStayDraft {
  readonly facilityId: string;
  readonly from: string;
  readonly to: string;
  readonly purpose: string;
  readonly howItWent: string;
  readonly nextTime: string;
}

export const EMPTY_TRIAL_STAY_DRAFT: TrialStayDraft = { facilityId: '', from: '', to: '', purpose: '', howItWent: '', nextTime: '' };

function dateField(required: string, format: string, label: string) {
  return z
    .string({ error: required })
    .trim()
    .min(1, { error: required, abort: true })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: format, abort: true })
    .refine(isValidIsoDate, { error: `${label}に存在しない日付が入力されています` });
}

const draftSchema = z.object({
  facilityId: z.string({ error: '利用した事業所を選んでください' }).trim().min(1, { error: '利用した事業所を選んでください' }),
  from: dateField('利用開始日を入力してください', '利用開始日は 2026-04-01 の形式で入力してください', '利用開始日'),
  to: dateField('利用終了日を入力してください', '利用終了日は 2026-04-01 の形式で入力してください', '利用終了日'),
  purpose: z.string().trim(),
  howItWent: z.string().trim(),
  nextTime: z.string().trim(),
});

/** Whether two stays share a day (both ends count: a stay ending on the 5th and one starting on the 5th overlap). */
export function staysOverlap(a: Pick<TrialStay, 'from' | 'to'>, b: Pick<TrialStay, 'from' | 'to'>): boolean {
  return a.from <= b.to && b.from <= a.to;
}

export interface TrialStayContext {
  readonly id: string;
  readonly householdId: string;
  readonly personId: string;
  /** the facilities that exist now, by id */
  readonly facilities: ReadonlyMap<string, { readonly name: string }>;
  /** every trial stay held (this person's are picked out; the one being edited is skipped by id) */
  readonly stays: Iterable<TrialStay>;
  readonly recordedBy: string;
  readonly now: IsoInstant;
  /** when editing: the stay as it was (keeps createdAt, who entered it, its 取消 and the fields this app does not know) */
  readonly previous?: TrialStay;
  /** the household's 登録廃止日, when withdrawn: a stay from before it is still entered (year-end tidying), none after */
  readonly withdrawnOn?: IsoDate | null;
}

export type TrialStayResult = { readonly ok: true; readonly value: TrialStay } | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * Checks a trial stay before anything is saved: dates that are dates, a start not after today (Japan
 * time), an end not before the start, a facility that exists, and no other stay of the same person on any of its days. Every message is
 * Japanese and keyed by the field it is about ('facilityId', 'from', 'to').
 */
export function validateTrialStay(draft: TrialStayDraft, ctx: TrialStayContext): TrialStayResult {
  const parsed = draftSchema.safeParse(draft);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  const add = (path: string, message: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    errors.push({ path, message });
  };
  if (!parsed.success) for (const issue of parsed.error.issues) add(issue.path.map(String).join('.'), issue.message);
  const facilityId = draft.facilityId.trim();
  const facility = facilityId === '' ? undefined : ctx.facilities.get(facilityId);
  if (facilityId !== '' && facility === undefined) add('facilityId', '選んだ事業所は登録されていません。事業所の一覧を確かめてください');
  if (!parsed.success || facility === undefined) return { ok: false, errors };
  const d = parsed.data;
  // A stay is recorded once it has begun: a planned one would count as done in the yearly report.
  if (d.from > japanDateOf(ctx.now)) add('from', '利用開始日が今日より後です。体験利用は、利用が始まってから記録してください（予定は記録できません）');
  else if (d.to < d.from) add('to', '利用終了日が利用開始日より前になっています');
  else if (ctx.withdrawnOn != null && d.from > ctx.withdrawnOn) add('from', `登録廃止日（${ctx.withdrawnOn}）より後の体験利用は記録できません`);
  else if (ctx.withdrawnOn != null && d.to > ctx.withdrawnOn) add('to', `利用終了日が登録廃止日（${ctx.withdrawnOn}）より後です。登録廃止日までの日を記録してください`);
  else {
    for (const other of ctx.stays) {
      if (other.id === ctx.id || other.householdId !== ctx.householdId || other.personId !== ctx.personId || !isLiveStay(other)) continue;
      if (staysOverlap(d, other)) {
        add('from', `同じ方の別の体験利用（${other.facilityName}、${other.from}〜${other.to}）と期間が重なっています`);
        break;
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      // [V1] what a newer app wrote on the stay (fields this app does not know) is saved back as it
      // was: left out, the hub reads it as removed and it is gone from every phone. Its 取消 too.
      ...ctx.previous,
      id: ctx.id,
      householdId: ctx.householdId,
      personId: ctx.personId,
      facilityId,
      facilityName: facility.name,
      from: d.from,
      to: d.to,
      purpose: d.purpose,
      howItWent: d.howItWent,
      nextTime: d.nextTime,
      recordedBy: ctx.previous?.recordedBy ?? ctx.recordedBy,
      createdAt: ctx.previous?.createdAt ?? ctx.now,
      updatedAt: ctx.now,
    },
  };
}

/** Stays in the order lists show them: the latest first. */
export const latestStayFirst = (a: TrialStay, b: TrialStay): number => (a.from < b.from ? 1 : a.from > b.from ? -1 : 0);

/** One person's stays, the latest first. */
export function staysOfPerson(stays: Iterable<TrialStay>, householdId: string, personId: string): TrialStay[] {
  const out: TrialStay[] = [];
  for (const s of stays) if (s.householdId === householdId && s.personId === personId) out.push(s);
  return out.sort(latestStayFirst);
}

/**
 * One person's trial stays grouped by facility, the latest first: the match ranks these facilities
 * as 以前に利用した事業所 and shows 「体験利用あり」 with the dates.
 */
export function trialStaysByFacility(stays: Iterable<TrialStay>, householdId: string, personId: string): Map<string, TrialStay[]> {
  const byFacility = new Map<string, TrialStay[]>();
  for (const s of staysOfPerson(stays, householdId, personId)) {
    if (!isLiveStay(s)) continue;
    const list = byFacility.get(s.facilityId);
    if (list) list.push(s);
    else byFacility.set(s.facilityId, [s]);
  }
  return byFacility;
}
