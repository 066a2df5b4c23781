/**
 * The order in which the match lists facilities (DOMAIN.md §3): the coordinator calls from the top
 * at night, so a facility that has just reported a free bed comes first, then one the person knows,
 * then the rest by 地区 and name so that the list reads the same way every night, and last those
 * that said 満床 within the day (a call there at 02:10 is the least likely to find a bed).
 */
import type { Facility, Vacancy } from './facility';
import { japanDateOf } from './japan-time';

/** A bed report older than this no longer says anything about tonight. */
export const FRESH_VACANCY_MS = 24 * 60 * 60 * 1000;

/**
 * Reports are stamped by other devices whose clocks may run a little ahead; a report a few minutes
 * "in the future" is still the freshest news there is, so it is not thrown away.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/** A night on the wall clock in Japan ends at this hour of the next morning. */
export const NIGHT_ENDS_HOUR = 6;

export const MATCH_ORDER_EXPLANATION = '空きの報告が24時間以内にある事業所（新しい報告から） → 以前に利用した事業所 → 地区・名前順 → 満床の報告が24時間以内にある事業所';

/**
 * What a bed report says about `nowMs`: 'fresh' (free beds now: reported within 24 hours, or a
 * period that holds today), 'full' (満床 said as recently), 'later' (a period still to come: the
 * weekend's beds seen on Tuesday), 'old' (anything else: too old, a period gone, a report from
 * the future beyond the clocks' tolerance). A malformed `asOf` counts as old rather than throwing:
 * one bad report must not stop the whole night-time search.
 */
export type VacancyStanding = 'fresh' | 'full' | 'later' | 'old';

export function vacancyStanding(vacancy: Vacancy, nowMs: number): VacancyStanding {
  const asOfMs = Date.parse(vacancy.asOf);
  if (Number.isNaN(asOfMs) || asOfMs > nowMs + CLOCK_SKEW_TOLERANCE_MS) return 'old';
  const free = vacancy.beds > 0;
  // A report for a period (the weekend) holds on its days, however long ago it was made. Its days
  // are nights: a day's night lasts until 06:00 the next morning (Sunday's beds still hold at 00:30
  // on Monday, Saturday's do not yet at 00:30 on Saturday, which is Friday's night).
  if (vacancy.from && vacancy.until) {
    const today = japanDateOf(new Date(nowMs - NIGHT_ENDS_HOUR * 3_600_000));
    if (today < vacancy.from) return 'later';
    if (today > vacancy.until) return 'old';
    return free ? 'fresh' : 'full';
  }
  if (asOfMs < nowMs - FRESH_VACANCY_MS) return 'old';
  return free ? 'fresh' : 'full';
}

/** A free bed (beds > 0) reported within 24 hours before `nowMs`, or for a period holding today. */
export function isFreshVacancy(vacancy: Vacancy | null, nowMs: number): boolean {
  return vacancy !== null && vacancyStanding(vacancy, nowMs) === 'fresh';
}

// One collator for all comparisons: same result as localeCompare(…, 'ja'), without rebuilding it per call.
const JA = new Intl.Collator('ja');

/** By 地区 then name (facilities with no 地区 last), then id so that equal names keep a stable order. */
export function compareByAreaName(a: Facility, b: Facility): number {
  const aNoArea = a.area.trim() === '';
  const bNoArea = b.area.trim() === '';
  if (aNoArea !== bNoArea) return aNoArea ? 1 : -1;
  return JA.compare(a.area, b.area) || JA.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** What the order needs to know about one matched facility. */
export interface Orderable {
  readonly facility: Facility;
  readonly freshVacancy: boolean;
  readonly stayedBefore: boolean;
  /** 満床 said within the day (vacancyStanding 'full') */
  readonly fullVacancy?: boolean;
}

function rank(m: Orderable): number {
  if (m.freshVacancy) return 0;
  if (m.fullVacancy === true) return 3;
  if (m.stayedBefore) return 1;
  return 2;
}

/** The newer report first (a liaison's update from a minute ago above one from 20 minutes before). */
function newerReportFirst(a: Orderable, b: Orderable): number {
  if (!a.freshVacancy || !b.freshVacancy) return 0;
  return reportedMs(b.facility.vacancy) - reportedMs(a.facility.vacancy);
}

// A sort compares each report many times: its time is read once.
const reportedAt = new WeakMap<Vacancy, number>();
function reportedMs(v: Vacancy | null): number {
  if (v === null) return 0;
  let ms = reportedAt.get(v);
  if (ms === undefined) {
    ms = Date.parse(v.asOf) || 0;
    reportedAt.set(v, ms);
  }
  return ms;
}

/** Fresh vacancy (newest report first) → stayed before → 地区・名前順 → 満床 said within the day. */
export function compareMatches(a: Orderable, b: Orderable): number {
  return rank(a) - rank(b) || newerReportFirst(a, b) || compareByAreaName(a.facility, b.facility);
}
