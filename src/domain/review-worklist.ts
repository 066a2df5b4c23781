/**
 * The review worklist (見直し予定一覧, issue 15 point 3): the households whose 聞き取り票 review is
 * overdue or due within a window (30 days), with the due date and the last reviewer, for one case
 * worker's own households or for a whole office. Dates are Japan calendar days (DOMAIN.md §5);
 * the due date is household-rules nextReviewDate, the same rule as the list's 要見直し badge.
 */
import type { Household, HouseholdReview, IsoDate } from './household';
import { householdStatus, lastReview, nextReviewDate, type FieldError, type ReviewFields } from './household-rules';
import { addDaysToDate, isValidIsoDate } from './japan-time';
import { recordTooLarge } from './record-limits';

/** Days ahead the worklist looks: due within 30 days (today + 30 included, + 31 not). */
export const REVIEW_WINDOW_DAYS = 30;

/** What the worklist reads of a household: a summary (household-summary.ts) will do. */
export type WorklistHousehold = ReviewFields & {
  readonly id: string;
  readonly caseWorker: string;
  readonly caseWorkerUserId?: string | null;
  readonly registeringOffice?: string;
  readonly lastReviewedBy?: string | null;
};

/** overdue: due before today; today: due today; soon: due within the window. */
export type ReviewUrgency = 'overdue' | 'today' | 'soon';

export interface WorklistItem<H extends WorklistHousehold = WorklistHousehold> {
  readonly household: H;
  /** 次回見直し日 */
  readonly dueOn: IsoDate;
  readonly urgency: ReviewUrgency;
  /** days from today to the due date: negative when overdue */
  readonly daysLeft: number;
  /** 前回見直し日 (or the 同意日 when never reviewed: basis says which) */
  readonly lastReviewedOn: IsoDate | null;
  /** 前回見直し者, null when the date was typed in the form or the household was never reviewed */
  readonly lastReviewedBy: string | null;
}

/** Days between two Japan dates (b − a), exact for any calendar dates. */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * Households due for review on or before today + windowDays, most overdue first (then by id, so
 * the order is stable). Left out: withdrawn households, and drafts with neither a 同意日 nor a
 * review date (nothing to count from; they show as 仮登録 instead, see household-rules needsReview).
 */
export function reviewWorklist<H extends WorklistHousehold>(
  households: Iterable<H>,
  today: IsoDate,
  reviewAfterMonths: number,
  windowDays: number = REVIEW_WINDOW_DAYS,
): WorklistItem<H>[] {
  const until = addDaysToDate(today, windowDays);
  const items: WorklistItem<H>[] = [];
  for (const h of households) {
    if (householdStatus(h) === 'withdrawn') continue;
    const dueOn = nextReviewDate(h, reviewAfterMonths);
    if (dueOn === null || dueOn > until) continue;
    const last = lastReview(h);
    items.push({
      household: h,
      dueOn,
      urgency: dueOn < today ? 'overdue' : dueOn === today ? 'today' : 'soon',
      daysLeft: daysBetween(today, dueOn),
      lastReviewedOn: last?.date ?? null,
      // A summary has no review list: it carries the reviewer itself.
      lastReviewedBy: h.reviews === undefined ? (h.lastReviewedBy ?? null) : (last?.by ?? null),
    });
  }
  return items.sort((a, b) => (a.dueOn === b.dueOn ? (a.household.id < b.household.id ? -1 : 1) : a.dueOn < b.dueOn ? -1 : 1));
}

/** Names compared as people write them: without spaces (full- or half-width) and case. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
  return norm(a) !== '' && norm(a) === norm(b);
}

/** Who "自分" is for 自分の担当: the name on this device, and the ids this person may be known by. */
export interface Me {
  readonly name: string;
  /** their user id on the hub, when signed in there */
  readonly hubUserId?: string | null;
  /** their user id on this phone (a 担当 picked before the phone joined a hub holds this one) */
  readonly deviceUserId?: string | null;
  /** whether an id is a hub user's (the hub's staff list), when known */
  readonly isHubUser?: (id: string) => boolean;
}

/**
 * A case worker's own households: those whose 担当の相談支援専門員 is this person by id (their hub
 * user, or their user on this phone from before it joined), or by name where the 担当's id is none
 * of those and no other hub user's (a 担当 typed by name, or picked on another phone alone). The
 * name on the device need not be the one on the hub.
 */
export function ownedBy<H extends WorklistHousehold>(items: readonly WorklistItem<H>[], me: Me): WorklistItem<H>[] {
  return items.filter(({ household: h }) => {
    const id = h.caseWorkerUserId;
    if (id) {
      if (id === me.hubUserId || id === me.deviceUserId) return true;
      if (me.isHubUser?.(id) === true) return false;
    }
    return sameName(h.caseWorker, me.name);
  });
}

/** Items grouped by a key (担当者 or 事業所), groups in name order, '' (未設定) last. */
export function groupWorklist<H extends WorklistHousehold>(
  items: readonly WorklistItem<H>[],
  keyOf: (h: H) => string,
): { readonly key: string; readonly items: readonly WorklistItem<H>[] }[] {
  const groups = new Map<string, WorklistItem<H>[]>();
  for (const item of items) {
    const key = keyOf(item.household).trim();
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b, 'ja')))
    .map(([key, list]) => ({ key, items: list }));
}

export interface ReviewInput {
  readonly id: string;
  /** 見直し日, as typed ('' when missing) */
  readonly reviewedOn: string;
  readonly reviewedBy: string;
  readonly reviewedByUserId: string;
  readonly note: string;
}

export type AddReviewResult =
  | { readonly ok: true; readonly household: Household }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/**
 * 「見直しを記録」: the household with one more review, appended (never replacing one), and its
 * updatedAt moved to `now`. Refused with a message naming the field: no date, a date that does not
 * exist or is after today, a withdrawn household, no reviewer name.
 */
export function addReview(h: Household, input: ReviewInput, today: IsoDate, now: string): AddReviewResult {
  const errors: FieldError[] = [];
  const date = input.reviewedOn.trim();
  if (householdStatus(h) === 'withdrawn') errors.push({ path: '', message: '登録廃止された世帯は見直しできません' });
  if (date === '') errors.push({ path: 'reviewedOn', message: '見直し日を入力してください' });
  else if (!isValidIsoDate(date)) errors.push({ path: 'reviewedOn', message: '見直し日は 2026-04-01 の形式で、存在する日付を入力してください' });
  else if (date > today) errors.push({ path: 'reviewedOn', message: '見直し日が今日より後になっています' });
  if (input.reviewedBy.trim() === '') errors.push({ path: 'reviewedBy', message: '見直した人の氏名がありません' });
  if (errors.length > 0) return { ok: false, errors };
  const review: HouseholdReview = {
    id: input.id,
    reviewedOn: date,
    reviewedBy: input.reviewedBy.trim(),
    reviewedByUserId: input.reviewedByUserId,
    note: input.note.trim(),
    recordedAt: now,
  };
  const household = { ...h, reviews: [...h.reviews, review], updatedAt: now };
  // The hub takes no record above its bound: said here, not found refused after the save; at the
  // note when it is what takes the household over, else for the whole (the household's own text).
  const tooLarge = recordTooLarge(household);
  if (tooLarge === null) return { ok: true, household };
  if (recordTooLarge(h) === null) return { ok: false, errors: [{ path: 'note', message: tooLarge }] };
  return { ok: false, errors: [{ path: '', message: recordTooLarge(household, '世帯の「編集」で長い文章を短くしてから、見直しを記録してください。')! }] };
}
