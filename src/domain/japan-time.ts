/**
 * Japan-time calendar arithmetic (DOMAIN.md §5). Every domain date is a day in Asia/Tokyo,
 * whatever zone the device is set to, so nothing here reads the process zone: Japan has
 * been UTC+9 without daylight saving since 1952, and a fixed offset is exact and faster
 * than Intl.DateTimeFormat on every call.
 */
import type { IsoDate, IsoInstant } from './household';

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// An instant must carry its zone: a bare '2026-11-30T15:10' would be read in the device's zone.
const ISO_INSTANT_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True for a real calendar day written 'YYYY-MM-DD' (rejects '2026-02-30', '2026-2-3'). */
export function isValidIsoDate(s: unknown): s is IsoDate {
  if (typeof s !== 'string') return false;
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

interface YearMonthDay {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

function parseIsoDate(date: IsoDate): YearMonthDay {
  if (!isValidIsoDate(date)) throw new RangeError(`Not a valid ISO calendar date: ${JSON.stringify(date)}`);
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function toIsoDate({ year, month, day }: YearMonthDay): IsoDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** Milliseconds since the epoch; strings must be ISO instants with an explicit zone. */
function instantMs(instant: Date | IsoInstant): number {
  let ms: number;
  if (instant instanceof Date) {
    ms = instant.getTime();
  } else {
    if (!ISO_INSTANT_WITH_ZONE.test(instant)) {
      throw new RangeError(`Not an ISO instant with a zone (e.g. 2026-11-23T17:10:00Z): ${JSON.stringify(instant)}`);
    }
    ms = Date.parse(instant);
  }
  if (Number.isNaN(ms)) throw new RangeError(`Invalid instant: ${String(instant)}`);
  return ms;
}

/** The wall clock in Japan, read through the UTC getters of a shifted Date. */
function japanWallClock(instant: Date | IsoInstant): Date {
  return new Date(instantMs(instant) + JST_OFFSET_MS);
}

/**
 * The instant at a wall-clock time in Japan: (2026, 12, 1, 0, 10) → '2026-11-30T15:10:00.000Z'.
 * The fields must already be a real date and time (Date.UTC would roll 31 February into March).
 */
export function instantAtJapanWallClock(year: number, month: number, day: number, hour: number, minute: number, second = 0): IsoInstant {
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second) - JST_OFFSET_MS).toISOString();
}

/** The calendar day in Japan at that instant: 2026-11-30T15:10:00Z → '2026-12-01'. */
export function japanDateOf(instant: Date | IsoInstant): IsoDate {
  const w = japanWallClock(instant);
  return toIsoDate({ year: w.getUTCFullYear(), month: w.getUTCMonth() + 1, day: w.getUTCDate() });
}

/** The claim month ('YYYY-MM') follows the Japan date of the coordination (DOMAIN.md §5). */
export function japanMonthOf(instant: Date | IsoInstant): string {
  return japanDateOf(instant).slice(0, 7);
}

/**
 * Full years of age on `day`. Age goes up at the start of the birthday; someone born on
 * 29 February goes up on 1 March in non-leap years (the practical reading of 年齢計算ニ関スル法律,
 * under which the year completes at the end of 28 February).
 * Returns a negative number when `day` is before the birth date; callers treat that as invalid data.
 */
export function ageOn(birthDate: IsoDate, day: IsoDate): number {
  const b = parseIsoDate(birthDate);
  const d = parseIsoDate(day);
  let birthdayMonth = b.month;
  let birthdayDay = b.day;
  if (b.month === 2 && b.day === 29 && !isLeapYear(d.year)) {
    birthdayMonth = 3;
    birthdayDay = 1;
  }
  const beforeBirthday = d.month < birthdayMonth || (d.month === birthdayMonth && d.day < birthdayDay);
  return d.year - b.year - (beforeBirthday ? 1 : 0);
}

/** 18歳以上 = 者 (adult), 18歳未満 = 児 (child); the 18th birthday itself is 者 (DOMAIN.md §3, §5). */
export type AgeCategory = 'adult' | 'child';

/**
 * The age on `day`, or null when the birth date is unknown or is not a day that exists (a record
 * held from before the hub checked days): screens that show an age must not stop on it.
 */
export function ageIfKnown(birthDate: string | null | undefined, day: IsoDate): number | null {
  return birthDate && isValidIsoDate(birthDate) ? ageOn(birthDate, day) : null;
}

export const ADULT_AGE = 18;

export function ageCategory(birthDate: IsoDate, day: IsoDate): AgeCategory {
  return ageOn(birthDate, day) >= ADULT_AGE ? 'adult' : 'child';
}

export const AGE_CATEGORY_LABELS: Readonly<Record<AgeCategory, string>> = { adult: '者', child: '児' };

/**
 * The 18th birthday, the first day as 者 (ageOn reads it so): someone born on 29 February turns 18 on
 * 1 March, since 18 years on is never a leap year.
 */
export function adultFrom(birthDate: IsoDate): IsoDate {
  const b = parseIsoDate(birthDate);
  const year = b.year + ADULT_AGE;
  if (b.month === 2 && b.day === 29 && !isLeapYear(year)) return toIsoDate({ year, month: 3, day: 1 });
  return toIsoDate({ year, month: b.month, day: b.day });
}

/**
 * How far ahead a coming 18th birthday is said on the match: a short stay (短期入所) that begins as 児
 * runs a few nights, and a facility that takes only 児 stops taking the person on that day.
 */
export const ADULT_SOON_DAYS = 7;

/**
 * The 18th birthday when it comes within `days` days after `day` (the day after to the `days`th day
 * after, Japan calendar days), else null: already 者 on `day`, or 18 later than that.
 */
export function adultWithin(birthDate: IsoDate, day: IsoDate, days: number = ADULT_SOON_DAYS): IsoDate | null {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be a whole number of days, 0 or more: ${days}`);
  const from = adultFrom(birthDate);
  // 'YYYY-MM-DD' with a 4-digit year sorts as the calendar does
  return from > day && from <= addDaysToDate(day, days) ? from : null;
}

/** '2026年11月23日 02:10' in Japan time; month and day unpadded as Japanese print them, time zero-padded. */
export function formatJapanDateTime(instant: Date | IsoInstant): string {
  const w = japanWallClock(instant);
  const date = `${w.getUTCFullYear()}年${w.getUTCMonth() + 1}月${w.getUTCDate()}日`;
  return `${date} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

/**
 * formatJapanDateTime for a time another device wrote, which may not be an instant: the text as
 * it is then, rather than a thrown error that would stop the whole screen (one bad bed report
 * must not stop the night's match).
 */
export function formatJapanDateTimeOrText(text: string): string {
  return isInstantText(text) ? formatJapanDateTime(text) : text;
}

/** An ISO instant with its zone that is a real time ('2026-11-30 02:10' would be read in the device's zone). */
export function isInstantText(text: string): boolean {
  return ISO_INSTANT_WITH_ZONE.test(text) && !Number.isNaN(Date.parse(text));
}

/** '2026-11-30T21:00:05+09:00': Japan time to the second with its offset, sortable as text (the admin's listings). */
export function formatJapanTimestamp(instant: Date | IsoInstant): string {
  return `${japanWallClock(instant).toISOString().slice(0, 19)}+09:00`;
}

/** '11/23 02:10' in Japan time: the short form of a status line. */
export function formatJapanShortDateTime(instant: Date | IsoInstant): string {
  const w = japanWallClock(instant);
  return `${w.getUTCMonth() + 1}/${w.getUTCDate()} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

/**
 * '2026-11-23 02:10' in Japan time: the sortable form the CSV exports use (Excel reads it as a
 * date and time). Unlike formatJapanDateTime, it sorts as text.
 */
export function formatJapanDateTimeCsv(instant: Date | IsoInstant): string {
  const w = japanWallClock(instant);
  return `${pad(w.getUTCFullYear(), 4)}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}`;
}

/** '2026-11-28' → '11/28': a period's days where the year goes without saying (a bed report). */
export function formatMonthDay(date: IsoDate): string {
  return date.slice(5).replace('-', '/');
}

/** '2026-11-23' → '2026年11月23日'. */
export function formatJapanDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return `${year}年${month}月${day}日`;
}

const ERA_DATE = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });

/**
 * '1970-04-01' → '昭和45年4月1日': a 受給者証 or a 手帳 writes a birth date in 和暦, the form takes it
 * in 西暦, and the two are compared by eye when it is typed.
 */
export function formatJapaneseEraDate(date: IsoDate): string {
  const { year, month, day } = parseIsoDate(date);
  return ERA_DATE.format(new Date(Date.UTC(year, month - 1, day)));
}

/** Calendar months later (or earlier when negative); the day is clamped to the month end (1/31 + 1 → 2/28). */
export function addMonthsToDate(date: IsoDate, months: number): IsoDate {
  if (!Number.isInteger(months)) throw new RangeError(`months must be an integer: ${months}`);
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = index - newYear * 12 + 1;
  return toIsoDate({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** Calendar days later (or earlier when negative). */
export function addDaysToDate(date: IsoDate, days: number): IsoDate {
  if (!Number.isInteger(days)) throw new RangeError(`days must be an integer: ${days}`);
  const { year, month, day } = parseIsoDate(date);
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day + days); // setUTCFullYear, unlike Date.UTC, keeps years below 100
  return toIsoDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
}
