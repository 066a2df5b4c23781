/**
 * Rules over a validated household that the form, the list and the match share: registration
 * status, review due, display name, age label, checks that need today's date, and the
 * person side of the short-stay hub bonus (DOMAIN.md §4).
 */
import type { Consent, Household, HouseholdReview, HouseholdStatus, IsoDate, Person } from './household';
import { AGE_CATEGORY_LABELS, ADULT_AGE, addMonthsToDate, ageIfKnown, ageOn, isValidIsoDate } from './japan-time';

/** A message for one form field; `path` is dotted, e.g. 'persons.0.recipientNumber' ('' for the whole form). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A household is registered only with a 同意書; a withdrawal (登録廃止) overrides both. */
/** What the status needs of a household: a summary (household-summary.ts) has just this of the consent. */
export type StatusFields = Pick<Household, 'withdrawal'> & { readonly consent: Pick<Consent, 'date'> | null };

export function householdStatus(h: StatusFields): HouseholdStatus {
  if (h.withdrawal !== null) return 'withdrawn';
  if (h.consent !== null) return 'registered';
  return 'draft';
}

/**
 * What the review rule needs: a full Household or a summary (household-summary.ts) will do. A
 * summary carries no review list: its lastReviewedOn is already the latest (lastReview below).
 */
export type ReviewFields = StatusFields &
  Pick<Household, 'lastReviewedOn'> & { readonly reviews?: readonly Pick<HouseholdReview, 'reviewedOn' | 'reviewedBy' | 'recordedAt'>[] };

/** The latest 見直し and who did it (null: a date typed in the form, whose reviewer is not known). */
export interface LastReview {
  readonly date: IsoDate;
  readonly by: string | null;
}

/**
 * The latest review: the later of the form's 最終見直し日 (typed, e.g. a review on paper) and the
 * reviews recorded with 「見直しを記録」. On the same day the recorded one wins, as it names the
 * reviewer; two recorded on one day, the later recorded.
 */
export function lastReview(h: Pick<ReviewFields, 'lastReviewedOn' | 'reviews'>): LastReview | null {
  let latest: LastReview | null = h.lastReviewedOn === null ? null : { date: h.lastReviewedOn, by: null };
  let latestAt = '';
  for (const r of h.reviews ?? []) {
    if (latest === null || r.reviewedOn > latest.date || (r.reviewedOn === latest.date && r.recordedAt >= latestAt)) {
      latest = { date: r.reviewedOn, by: r.reviewedBy };
      latestAt = r.recordedAt;
    }
  }
  return latest;
}

/** The day the 聞き取り票 is known to be from, and why: the last 見直し, else the 同意日. */
export interface ReviewBasis {
  readonly basis: 'review' | 'consent';
  readonly date: IsoDate;
}

/**
 * Where the review interval counts from: the last review (最終見直し日), else the consent (同意日),
 * since the form is taken when the 同意書 is signed. Null for a draft without 同意書 that was
 * never reviewed: nothing says how old its form is.
 */
export function reviewBasis(h: ReviewFields): ReviewBasis | null {
  const last = lastReview(h);
  if (last !== null) return { basis: 'review', date: last.date };
  if (h.consent !== null) return { basis: 'consent', date: h.consent.date };
  return null;
}

/**
 * Due for review (見直し) when the form is `reviewAfterMonths` months old, counted from
 * reviewBasis: reviewed (or, never reviewed, consented) 2025-11-23 with 12 months is due on
 * 2026-11-23. A household registered today is therefore not due for a year.
 * Not flagged:
 * - withdrawn households: nobody will review them again;
 * - a draft with neither a review nor a consent date: it has no date to count from, and it is
 *   already marked 仮登録 (no 同意書), which asks for the form to be completed. Flagging it as
 *   due from day one would put the badge on every household just entered and make it noise.
 */
export function needsReview(h: ReviewFields, today: IsoDate, reviewAfterMonths: number): boolean {
  const due = nextReviewDate(h, reviewAfterMonths);
  return due !== null && due <= today;
}

/**
 * 次回見直し日: reviewBasis + `reviewAfterMonths` months; null for a withdrawn household or a
 * draft with nothing to count from (see needsReview).
 */
export function nextReviewDate(h: ReviewFields, reviewAfterMonths: number): IsoDate | null {
  if (householdStatus(h) === 'withdrawn') return null;
  const from = reviewBasis(h);
  // a basis on a day that does not exist (held from before the hub checked days) counts as none
  return from === null || !isValidIsoDate(from.date) ? null : addMonthsToDate(from.date, reviewAfterMonths);
}

export const UNNAMED_HOUSEHOLD = '（氏名未入力）';

/** '佐藤 陽太・佐藤 結菜', or '（氏名未入力）' for a fresh draft. */
export function householdDisplayName(h: Household): string {
  const names = h.persons.map((p) => p.name.trim()).filter((n) => n !== '');
  return names.length > 0 ? names.join('・') : UNNAMED_HOUSEHOLD;
}

/** '16歳（児）' on `today`; '年齢不明' without a birth date. */
export function personAgeLabel(p: Pick<Person, 'birthDate'>, today: IsoDate): string {
  if (p.birthDate === null) return '年齢不明';
  // A day that does not exist (a record from before the hub checked days) reads as one to check.
  const age = ageIfKnown(p.birthDate, today);
  if (age === null || age < 0) return '年齢不明（生年月日を確認）';
  return `${age}歳（${AGE_CATEGORY_LABELS[age >= ADULT_AGE ? 'adult' : 'child']}）`;
}

/**
 * Checks the schema cannot make because they need the date: nothing dated after today, and no
 * 障害支援区分 for a 障害児. A withdrawal dated before the consent is allowed (the form may have
 * been entered after the fact).
 */
const OLDEST_BIRTH_DATE = '1900-01-01';

export function validateAgainstToday(h: Household, today: IsoDate): FieldError[] {
  const errors: FieldError[] = [];
  h.persons.forEach((p, i) => {
    if (p.birthDate === null) return;
    if (p.birthDate > today) {
      errors.push({ path: `persons.${i}.birthDate`, message: '生年月日が今日より後になっています' });
    } else if (p.birthDate < OLDEST_BIRTH_DATE) {
      // A year typed short (0215 for 2015) would make a child 者 in the match, and a claim 計画相談支援.
      errors.push({ path: `persons.${i}.birthDate`, message: '生年月日の年を確かめてください（1900年より前になっています）' });
    } else if (p.supportLevel !== null && ageOn(p.birthDate, today) < ADULT_AGE) {
      errors.push({ path: `persons.${i}.supportLevel`, message: '障害児には障害支援区分はありません' });
    }
  });
  if (h.consent !== null && h.consent.date > today) {
    errors.push({ path: 'consent.date', message: '同意日が今日より後になっています' });
  }
  if (h.lastReviewedOn !== null && h.lastReviewedOn > today) {
    errors.push({ path: 'lastReviewedOn', message: '最終見直し日が今日より後になっています' });
  }
  // A future withdrawal would already hide the household as 'withdrawn' while it is still active.
  if (h.withdrawal !== null && h.withdrawal.date > today) {
    errors.push({ path: 'withdrawal.date', message: '登録廃止日が今日より後になっています' });
  }
  return errors;
}

export const HUB_BONUS_BEHAVIOR_THRESHOLD = 10;
export const HUB_BONUS_CHILD_BEHAVIOR_THRESHOLD = 20;

export interface HubBonusEligibility {
  readonly eligible: boolean;
  /** Japanese reasons, ready to show beside the match */
  readonly reasons: readonly string[];
}

/**
 * The person side of the short-stay hub bonus (+200 units, seeds/004 §12): 医療的ケア児者,
 * 重症心身障害児者, or 行動関連項目 ≥10 (children: 強度行動障害判定基準 ≥20). The facility side
 * (a liaison, hub status) is checked by the match. Behaviour scores count only when the birth date
 * tells which score applies on `today`; a wrong guess would feed a wrong claim.
 */
export function hubBonusEligible(p: Person, today: IsoDate): HubBonusEligibility {
  const reasons: string[] = [];
  if (p.medicalCare.length > 0 || p.disabilityTypes.includes('medical-care')) reasons.push('医療的ケア児者');
  if (p.severeMultiple || p.disabilityTypes.includes('severe-multiple')) reasons.push('重症心身障害児者');
  const age = ageIfKnown(p.birthDate, today);
  if (age !== null && age >= ADULT_AGE && p.behaviorScore !== null && p.behaviorScore >= HUB_BONUS_BEHAVIOR_THRESHOLD) {
    reasons.push(`行動関連項目 ${p.behaviorScore}点（${HUB_BONUS_BEHAVIOR_THRESHOLD}点以上）`);
  }
  if (
    age !== null &&
    age >= 0 &&
    age < ADULT_AGE &&
    p.childBehaviorScore !== null &&
    p.childBehaviorScore >= HUB_BONUS_CHILD_BEHAVIOR_THRESHOLD
  ) {
    reasons.push(`強度行動障害判定基準 ${p.childBehaviorScore}点（${HUB_BONUS_CHILD_BEHAVIOR_THRESHOLD}点以上）`);
  }
  return { eligible: reasons.length > 0, reasons };
}
