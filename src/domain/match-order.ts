/**
 * The order in which the match lists facilities (DOMAIN.md §3): the coordinator calls from the top
 * at night, so a facility that has just reported a free bed comes first, then one the person knows,
 * then the rest by 地区 and name so that the list reads the same way every night, and last those
 * that said 満床 within the day (a call there at 02:10 is the least likely to find a bed).
 */
import type { Facility, Vacancy } from './facility';
import { isInstantText, japanDateOf } from './japan-time';

/** A bed report older than this no longer says anything about tonight. */
export const FRESH_VACANCY_MS = 24 * 60 * 60 * 1000;

/**
 * Reports are stamped by other devices whose clocks may run a little ahead; a report a few minutes
 * "in the future" is still the freshest news there is, so it is not thrown away.
 */
export const CLOCK_SKEW_TOLERANCE_MS = 5 * 60 * 1000;

/** A night on the wall clock in Japan ends at this hour of the next morning. */
export const NIGHT_ENDS_HOUR = 6;

export const MATCH_ORDER_EXPLANATION =
  '空きの報告がある事業所（今夜した報告と今夜を含む期間の報告、前の夜の24時間以内の報告の順に、新しい報告から。報告の後の入所で埋まった事業所を除く） → 以前に利用した事業所 → 地区・名前順 → 満床の報告が24時間以内にある事業所';

/**
 * What a bed report says about `nowMs`: 'fresh' (free beds now: reported within 24 hours, or a
 * period that holds today), 'full' (満床 said as recently), 'later' (a period still to come: the
 * weekend's beds seen on Tuesday), 'old' (anything else: too old, a period gone, a report from
 * the future beyond the clocks' tolerance). A malformed `asOf` counts as old rather than throwing:
 * one bad report must not stop the whole night-time search.
 */
export type VacancyStanding = 'fresh' | 'full' | 'later' | 'old';

export function vacancyStanding(vacancy: Vacancy, nowMs: number): VacancyStanding {
  const asOfMs = reportedMs(vacancy);
  if (asOfMs === 0 || asOfMs > nowMs + CLOCK_SKEW_TOLERANCE_MS) return 'old';
  const free = vacancy.beds > 0;
  // A report for a period (the weekend) holds on its days, however long ago it was made. Its days
  // are nights: a day's night lasts until 06:00 the next morning (Sunday's beds still hold at 00:30
  // on Monday, Saturday's do not yet at 00:30 on Saturday, which is Friday's night).
  if (vacancy.from && vacancy.until) {
    const today = nightOf(nowMs);
    if (today < vacancy.from) return 'later';
    if (today > vacancy.until) return 'old';
    return free ? 'fresh' : 'full';
  }
  if (asOfMs < nowMs - FRESH_VACANCY_MS) return 'old';
  return free ? 'fresh' : 'full';
}

/** The Japan date whose night `ms` falls in: until 06:00 it is still the day before's night. */
export function japanNightOf(ms: number): string {
  return japanDateOf(new Date(ms - NIGHT_ENDS_HOUR * 3_600_000));
}

// One match asks for the same night a thousand times (its clock for each facility): the last is kept.
let lastNightMs = Number.NaN;
let lastNight = '';

function nightOf(ms: number): string {
  if (ms !== lastNightMs) {
    lastNight = japanNightOf(ms);
    lastNightMs = ms;
  }
  return lastNight;
}

// The night a report was made in, read once per report (a sort and the night rule ask again).
const madeInNight = new WeakMap<Vacancy, string>();
function nightMadeIn(v: Vacancy): string {
  let night = madeInNight.get(v);
  if (night === undefined) {
    night = japanNightOf(reportedMs(v));
    madeInNight.set(v, night);
  }
  return night;
}

/**
 * The report that speaks for the night of `nowMs`, out of the facility's current report and the
 * ones it replaced: a report for tonight and one for the weekend replace each other as the current
 * figure, but each still holds on its own nights (Tuesday's 「空き 1床」 made after the weekend's
 * report, the weekend's on Saturday after Tuesday's). Of the reports that hold tonight, one made
 * for tonight (a period with tonight in it, or a report made this night) goes before one left
 * from last night's 24 hours, then the newer; a period's report no longer holds once a report for
 * now was made on one of its nights after it. With none holding, the newest for nights to come
 * (今夜は対象外), else the current report (古い情報), else null.
 */
export function reportForNight(facility: Pick<Facility, 'vacancy' | 'vacancyHistory'>, nowMs: number): Vacancy | null {
  const current = facility.vacancy;
  const history = facility.vacancyHistory ?? EMPTY;
  // the usual facility: one report, nothing it replaced
  if (history.length === 0) return current;
  const tonight = nightOf(nowMs);
  // A report for now made on one of a period's nights, after the period's report, ends that report
  // from its night on: 「満床」 said on Thursday of a week reported free stands for the rest of the week.
  const endsPeriod = (u: Vacancy, v: Vacancy, ms: number) => u.from === undefined && reportedMs(u) > ms && nightMadeIn(u) >= v.from! && nightMadeIn(u) <= tonight;
  const ended = (v: Vacancy, ms: number) => (current !== null && endsPeriod(current, v, ms)) || history.some((u) => endsPeriod(u, v, ms));
  let best: Vacancy | null = null;
  let bestTier = -1;
  let bestMs = 0;
  for (let i = current === null ? 0 : -1; i < history.length; i++) {
    const v = i < 0 ? current! : history[i]!;
    const standing = vacancyStanding(v, nowMs);
    if (standing === 'old') continue;
    const ms = reportedMs(v);
    if (v.from !== undefined && standing !== 'later' && ended(v, ms)) continue;
    const tier = standing === 'later' ? 0 : v.from !== undefined || nightMadeIn(v) === tonight ? 2 : 1;
    // newest first in the list: on equal tier and time the earlier in the list (the later report) stays
    if (tier > bestTier || (tier === bestTier && ms > bestMs)) {
      best = v;
      bestTier = tier;
      bestMs = ms;
    }
  }
  return best ?? current;
}

const EMPTY: readonly Vacancy[] = [];

/**
 * The reports for nights still to come (the weekend's, seen on Tuesday), by their first night,
 * leaving out one whose nights a newer report for nights to come covers whole (the weekend's 2床
 * corrected to 満床 the next day).
 */
export function reportsAhead(facility: Pick<Facility, 'vacancy' | 'vacancyHistory'>, nowMs: number): Vacancy[] {
  const reports = facility.vacancy ? [facility.vacancy, ...(facility.vacancyHistory ?? [])] : (facility.vacancyHistory ?? []);
  const ahead = reports.filter((v) => vacancyStanding(v, nowMs) === 'later');
  const covered = (v: Vacancy) =>
    ahead.some((w) => w !== v && reportedMs(w) > reportedMs(v) && w.from! <= v.from! && w.until! >= v.until!);
  return ahead.filter((v) => !covered(v)).sort((a, b) => (a.from! < b.from! ? -1 : a.from! > b.from! ? 1 : reportedMs(b) - reportedMs(a)));
}

/**
 * How many of a report's free beds the admissions recorded since took (短期入所 in other emergency
 * cases, open-case.ts `admissionsElsewhere`): each admitted after the report was made. One admitted
 * before it is in the liaison's figure already. A report whose time is not an instant loses no bed
 * (it is 'old' anyway).
 */
export function bedsTakenSince(vacancy: Vacancy, admittedAt: readonly string[]): number {
  const reported = reportedMs(vacancy);
  if (reported === 0) return 0;
  return admittedAt.filter((at) => Date.parse(at) > reported).length;
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
  /** the report read for tonight (reportForNight); the facility's current report when absent */
  readonly vacancy?: Vacancy | null;
  /** its free beds were reported for tonight (madeForTonight), not left from last night's 24 hours */
  readonly forTonight?: boolean;
}

function rank(m: Orderable): number {
  if (m.freshVacancy) return 0;
  if (m.fullVacancy === true) return 3;
  if (m.stayedBefore) return 1;
  return 2;
}

/**
 * A report for tonight first (made this night, or a period with tonight in it: the weekend's beds
 * reported on Tuesday, on Saturday night), then one left from last night's 24 hours; of each, the
 * newer first (a liaison's update from a minute ago above one from 20 minutes before).
 */
function newerReportFirst(a: Orderable, b: Orderable): number {
  if (!a.freshVacancy || !b.freshVacancy) return 0;
  return (b.forTonight === true ? 1 : 0) - (a.forTonight === true ? 1 : 0) || reportedMs(reportOf(b)) - reportedMs(reportOf(a));
}

/** Whether a report holding tonight was made for it: during this night, or for a period with tonight in it. */
export function madeForTonight(v: Vacancy, nowMs: number): boolean {
  return v.from !== undefined || nightMadeIn(v) === nightOf(nowMs);
}

function reportOf(m: Orderable): Vacancy | null {
  return m.vacancy !== undefined ? m.vacancy : m.facility.vacancy;
}

// A sort compares each report many times: its time is read once.
const reportedAt = new WeakMap<Vacancy, number>();
function reportedMs(v: Vacancy | null): number {
  if (v === null) return 0;
  let ms = reportedAt.get(v);
  if (ms === undefined) {
    // an instant with its zone only: '2026-11-30 02:10' would be read in the device's own zone
    ms = isInstantText(v.asOf) ? Date.parse(v.asOf) : 0;
    reportedAt.set(v, ms);
  }
  return ms;
}

/** Fresh vacancy (for tonight first, then the newest report) → stayed before → 地区・名前順 → 満床 said within the day. */
export function compareMatches(a: Orderable, b: Orderable): number {
  return rank(a) - rank(b) || newerReportFirst(a, b) || compareByAreaName(a.facility, b.facility);
}
