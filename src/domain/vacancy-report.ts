/**
 * 空床の報告: a facility liaison says how many beds are free, now or for a period (the weekend),
 * with an optional word and their own name. The report replaces the current figure; the ones before
 * it are kept as history. A report is never dated in the future (CSV imports are checked the same way).
 */
import type { Facility, Vacancy } from './facility';
import type { IsoDate, IsoInstant } from './household';
import { addDaysToDate, formatJapanDateTimeCsv, isValidIsoDate, japanDateOf } from './japan-time';

/** A dated report holds for at most two weeks: beds are known days ahead, not months. */
export const MAX_PERIOD_DAYS = 14;
import { CLOCK_SKEW_TOLERANCE_MS, japanNightOf } from './match-order';

/** how many earlier reports a facility keeps (beyond these, only reports for nights still to come) */
export const VACANCY_HISTORY_KEPT = 10;
/** and at most this many in all: a bound on the record, whatever is reported ahead */
export const VACANCY_HISTORY_MAX = 30;
export const MAX_BEDS = 999;

export interface VacancyReportInput {
  /** as typed (full-width digits are fine) */
  readonly beds: string;
  readonly reportedBy: string;
  /**
   * 「期間を指定」 chosen: both dates are then required. Without it the report is for now and the
   * dates (perhaps typed before switching back) are ignored.
   */
  readonly ranged: boolean;
  /** YYYY-MM-DD, Japan; '' until typed */
  readonly from: IsoDate | '';
  readonly until: IsoDate | '';
  readonly note: string;
}

export type VacancyReportErrors = Partial<Record<'beds' | 'reportedBy' | 'from' | 'until', string>>;

/** The facility with the new report as its vacancy and the old one first in its history; or what is wrong. */
export function reportVacancy(
  facility: Facility,
  input: VacancyReportInput,
  now: IsoInstant,
): { ok: true; facility: Facility } | { ok: false; errors: VacancyReportErrors } {
  const errors: VacancyReportErrors = {};
  const bedsText = input.beds.normalize('NFKC').trim();
  const beds = /^\d{1,3}$/.test(bedsText) ? Number(bedsText) : null;
  if (beds === null || beds > MAX_BEDS) errors.beds = '空床数を0以上の整数で入れてください（満床は0）。';
  const reportedBy = input.reportedBy.trim();
  if (reportedBy === '') errors.reportedBy = '報告者（あなたの名前）を入れてください。';
  // Nights, as the match reads a period (match-order.ts): at 01:00 on Monday, Sunday night still holds.
  const today = japanNightOf(Date.parse(now));
  // The choice, not the dates, says whether there is a period: empty dates must not turn a weekend into "now".
  const period = input.ranged;
  if (period) {
    if (!isValidIsoDate(input.from)) errors.from = '期間の初日（空きが始まる日）を入れてください。';
    if (!isValidIsoDate(input.until)) errors.until = '期間の最終日（空きが終わる日）を入れてください。';
    else if (isValidIsoDate(input.from) && input.until < input.from) errors.until = '最終日が初日より前になっています。';
    else if (input.until < today) errors.until = '過ぎた期間の空床は報告できません。';
    else if (isValidIsoDate(input.from) && input.until > addDaysToDate(input.from, MAX_PERIOD_DAYS - 1)) {
      // A year typed for a month (2027-11-29 for 2026-11-29) would head every match for a year.
      errors.until = `期間は${MAX_PERIOD_DAYS}日以内で報告してください（最終日の年・月を確かめてください）。`;
    } else if (isValidIsoDate(input.from) && input.from > addDaysToDate(today, MAX_PERIOD_DAYS * 2)) {
      errors.from = `初日が今日から${MAX_PERIOD_DAYS * 2}日より先になっています（年・月を確かめてください）。`;
    }
  }
  if (Object.keys(errors).length > 0 || beds === null) return { ok: false, errors };
  const note = input.note.trim();
  const vacancy: Vacancy = {
    beds,
    asOf: now,
    reportedBy,
    ...(period ? { from: input.from as IsoDate, until: input.until as IsoDate } : {}),
    ...(note ? { note } : {}),
  };
  return { ok: true, facility: { ...facility, vacancy, vacancyHistory: historyAfter(facility, now), updatedAt: now } };
}

/**
 * The history once a new report replaces `facility.vacancy`: the replaced report first, the last
 * ten, and beyond them any report whose nights are still to come, so that a weekend's beds reported
 * days ahead still hold on the weekend after a week of reports for each night (the match reads
 * them all, reportForNight).
 */
export function historyAfter(facility: Pick<Facility, 'vacancy' | 'vacancyHistory'>, now: IsoInstant): Vacancy[] {
  const all = facility.vacancy ? [facility.vacancy, ...(facility.vacancyHistory ?? [])] : [...(facility.vacancyHistory ?? [])];
  const today = japanNightOf(Date.parse(now));
  return all.filter((v, i) => i < VACANCY_HISTORY_KEPT || (v.until !== undefined && v.until >= today)).slice(0, VACANCY_HISTORY_MAX);
}

/**
 * The refusal of a report dated after `now` (beyond a few minutes of clock difference), for an
 * import row or an entry; null when the time is fine.
 */
export function futureReportError(asOf: IsoInstant, now: IsoInstant): string | null {
  const at = Date.parse(asOf);
  if (Number.isNaN(at) || at <= Date.parse(now) + CLOCK_SKEW_TOLERANCE_MS) return null;
  return `空床報告日時 ${formatJapanDateTimeCsv(asOf)} が未来になっています（今は ${formatJapanDateTimeCsv(now)}）。日時を確認してください`;
}
