/**
 * The shapes the 相談強化加算 claim rules (claim-rules.ts) hand to the exports and the screens.
 * Kept apart so exports and screens can be written against them without the rules' internals.
 */
import type { IsoDate, IsoInstant } from './household';
import { addMonthsToDate } from './japan-time';

/** 700 units per emergency (seeds/004 §24). */
export const CONSULTATION_BONUS_UNITS = 700;
/** at most 4 per person per month (seeds/004 §24) */
export const MONTHLY_CAP = 4;

/** Claims are made early in the next month: in the first 10 days, the month before is the default. */
export const CLAIM_DAYS = 10;

/**
 * The month a coordinator most likely wants on `today` (a Japan date): the claims screen, the
 * 機能強化加算 screen (billed with them) and the demo's cases open on it.
 */
export function defaultClaimMonth(today: IsoDate): string {
  const day = Number(today.slice(8, 10));
  return (day <= CLAIM_DAYS ? addMonthsToDate(today, -1) : today).slice(0, 7);
}

/**
 * - claimed: counts in the month's claim
 * - pending: would count, but a fact the claim depends on is not recorded yet (e.g. who provides
 *   計画相談支援); it holds its place under the cap, and is not exported as claimed
 * - over-cap: a 5th or later emergency for the person in the month: recorded, not claimed
 * - not-claimable: excluded by a rule (no short-stay contact, another office's plan, …)
 */
export type ClaimStatus = 'claimed' | 'pending' | 'over-cap' | 'not-claimable';

export const CLAIM_STATUS_LABELS: Readonly<Record<ClaimStatus, string>> = {
  claimed: '算定',
  pending: '要確認',
  'over-cap': '算定上限超過',
  'not-claimable': '算定不可',
};

export interface ClaimDecision {
  readonly caseId: string;
  /** the office that handled the case */
  readonly officeId: string;
  /** who the claim is for: the person id, or the 受給者証番号, or null when nobody is identified */
  readonly personKey: string | null;
  /** the claim month, 'YYYY-MM' in Japan time: the month of the first short-stay contact; null without one */
  readonly month: string | null;
  /** when the coordination that fixes the month was made (the first short-stay contact) */
  readonly coordinatedAt: IsoInstant | null;
  readonly status: ClaimStatus;
  /** 1-based position among the person's emergencies of that month that count toward the cap, else null */
  readonly ordinal: number | null;
  readonly units: number;
  /** Japanese, one sentence per rule that decided it; never empty */
  readonly reasons: readonly string[];
  /**
   * The 給付 it is billed under when claimed: 障害児相談支援 when the person was a child on the day
   * of the coordination (absent when not claimed, and in the records of closes made before it was kept)
   */
  readonly serviceType?: ClaimServiceType;
}

/** The 給付 a claim belongs to: 計画相談支援 (者), or 障害児相談支援 for a child (seeds/004 §24). */
export type ClaimServiceType = '計画相談支援' | '障害児相談支援';

/** One row of the month's summary: a person and how many emergencies are claimed. */
export interface ClaimSummaryRow {
  readonly personKey: string;
  /** 障害児相談支援 for the claims whose coordination fell on a day the person was a child (児) */
  readonly serviceType: ClaimServiceType;
  readonly recipientNumber: string;
  readonly name: string;
  /** 1-4 */
  readonly count: number;
  /** 700 × count */
  readonly units: number;
}
