/**
 * Small rules of the night call that screens share: whether it is night in Japan (a 夜間 number
 * goes first), phone numbers written as Japanese numbers are written, and how long ago something
 * was reported, in words. Pure functions; every time is read in Japan time.
 */
import type { IsoInstant } from './household';
import { formatJapanDateTime, isInstantText, japanDateOf, addDaysToDate } from './japan-time';
import { firstPhoneDigits, normalizePhone, withoutInvisible } from './normalize';

const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The hour (0–23) on the wall clock in Japan at that instant. */
export function japanHourOf(at: Date | IsoInstant): number {
  return Math.floor(japanMinuteOfDay(at) / 60);
}

/** The minute of the day (0–1439) on the wall clock in Japan at that instant. */
function japanMinuteOfDay(at: Date | IsoInstant): number {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  const wall = new Date(ms + JST_OFFSET_MS);
  return wall.getUTCHours() * 60 + wall.getUTCMinutes();
}

/** 夜間: from 20:00 to 07:00 Japan time, when a contact's night number is the one that answers. */
export const NIGHT_FROM_HOUR = 20;
export const NIGHT_UNTIL_HOUR = 7;

export function isJapanNight(at: Date | IsoInstant): boolean {
  const h = japanHourOf(at);
  return h >= NIGHT_FROM_HOUR || h < NIGHT_UNTIL_HOUR;
}

/**
 * Words that limit or deny the night in an entry that mentions 夜: 「夜は出られません」「夜9時まで」
 * 「夜勤あり」「夜間は留守電」「夜間つながりにくい」「夜間不可」「夜×」「夜間NG」. Such an entry is
 * not the night number, however it is worded; it is the one least likely to answer at 02:10.
 */
const NIGHT_LIMIT =
  /ません|ない|無い|不在|留守|まで|にくい|難い|づらい|夜勤|不可|不通|×|✕|✖|(?<![a-z])ng(?![a-z])|だめ|ダメ|駄目|無理|以外|避け|控え|禁止|断り|なし|無し/i;
/**
 * 「夜9時まで不在」「夜8時まで仕事」: the evening hour someone is away till, after which they answer;
 * not a limit of the night (「夜9時まで」 alone still is one).
 */
const AWAY_TILL_NIGHT =
  /夜\s*間?\s*(\d{1,2})\s*(?:時\s*(?:(\d{1,2})\s*分|(半))?|:(\d{2}))\s*(?:まで|迄)\s*(?:は)?\s*(?:不在|仕事|勤務|留守|外出|出勤|通院|いない|居ない|出られない|出れない|つながらない|繋がらない)/g;

/** The evening minute (Japan time) 「夜9時まで不在」 says someone is away till (21:00 = 1260); null without one. */
function awayTillNightMinute(t: string): number | null {
  for (const m of t.matchAll(AWAY_TILL_NIGHT)) {
    // 夜9時 is 21:00
    const minute = eveningMinute(m, Number(m[1]) < 12 ? 12 : 0);
    if (minute !== null) return minute;
  }
  return null;
}

/**
 * The evening minute of the day a 「N時」「N時M分」「N時半」「N:MM」 match names (groups 1–4 as the
 * two patterns here write them), `plus` hours added; null outside 12:00–24:00.
 */
function eveningMinute(m: RegExpMatchArray, plus = 0): number | null {
  const hour = Number(m[1]) + plus;
  const minute = m[3] ? 30 : Number(m[2] ?? m[4] ?? 0);
  return hour >= 12 && hour <= 24 && minute < 60 ? hour * 60 + minute : null;
}
/** Phrases that hold a limiting word but say the night is fine: 「夜間でも構いません」「朝まで可」「遠慮なしに」「気にしないで」. */
const NIGHT_ALLOWED = /(構わ|かまわ|構い|かまい|差し?支え|さしつかえ|問題|制限|遠慮|気に(し|せ)?)(ない|無い|ありません|ません|なし|無し|なく|無く)|朝まで/g;

/** Where one statement of a note ends: 「夜間はこちら。それ以外は自宅へ」「夜間専用・日中は出られません」. */
const CLAUSE_BREAK = /[、。，,・（）()［］\[\]「」／/;；;:：\n]/;

/**
 * A statement of the entry that mentions 夜 limits it: when in doubt, a number is not promised for
 * the night. Only the statements about the night count: 「夜間専用・日中は出られません」 and
 * 「夜間は携帯へ（固定電話はつながりにくい）」 limit the day or another phone, not the night.
 */
function limitsTheNight(t: string): boolean {
  return t
    .replace(NIGHT_ALLOWED, '')
    .replace(AWAY_TILL_NIGHT, '')
    .split(CLAUSE_BREAK)
    .some((clause) => /夜/.test(clause) && NIGHT_LIMIT.test(clause.replace(/夜勤(なし|無し)/g, '')));
}

/**
 * A phone entry the family marked as not answering at night: 「夜間不可」「夜×」「夜は出ない」
 * 「日中のみ」「昼間のみ」, and any entry that mentions 夜 with a limit (「夜9時まで」「夜勤あり」).
 */
export function isDaytimeOnlyPhone(entry: string): boolean {
  const t = entry.normalize('NFKC');
  return saysNotAtNight(t) || /(日中|昼|昼間|平日|勤務中|営業時間)\s*(の)?\s*(のみ|だけ|限り)/.test(t);
}

/**
 * What says the night itself is out: 「夜間不可」「夜は出ない」, any 夜 with a limit. Alone for a
 * contact's note, where 「日中のみ仕事」「平日のみ勤務」 say when the person is away, not the phone.
 */
function saysNotAtNight(t: string): boolean {
  return /夜(間)?\s*(は|の)?\s*(不可|x|×|✕|✖|ng|だめ|ダメ|出ない|出られない|出れない|つながらない|繋がらない|不通|通じない|なし|無し)/i.test(t) || limitsTheNight(t);
}

/**
 * A phone entry the family marked as the night one: 「夜間 090-…」「090-…（夜間）」「夜: …」「夜間可」
 * 「夜間はこちら」; not one that limits the night (「夜間不可」「夜は出られません」「夜9時まで」).
 */
export function isNightPhone(entry: string): boolean {
  // 「夜9時まで不在」 says when someone is away, not that this is the number for the night
  return /夜/.test(entry.normalize('NFKC').replace(AWAY_TILL_NIGHT, '')) && !isDaytimeOnlyPhone(entry);
}

/** 「21時まで」「22:00まで」「21時30分まで」「21時半迄」, and what the same statement says after it. */
const UNTIL = /(\d{1,2})\s*(?:時\s*(?:(\d{1,2})\s*分|(半))?|:(\d{2}))\s*(?:まで|迄)([^、。，,・（）()［］\[\]「」／/;；;\n]*)/g;
/** After 「…時まで」, words that make it the time someone is away till, not the time they answer till. */
const AWAY_TILL = /不在|仕事|勤務|留守|外出|出勤|通学|学校|通院|いない|居ない|出られない|出れない|つながらない|繋がらない/;

/**
 * The minute of the day (Japan time) an entry says it answers until, 「21時まで」「22:00まで」
 * 「21時半まで」, when it is an evening one (12:00–24:00); null otherwise. 「20時まで仕事」「21時まで不在」
 * say when someone is away, not when they stop answering. An earlier hour is left alone: 「9時まで」
 * may be the morning (and then the night is fine) or 夜9時, which the night rule above reads.
 */
function answersUntilMinute(t: string): number | null {
  for (const m of t.matchAll(UNTIL)) {
    if (AWAY_TILL.test(m[5] ?? '')) continue;
    const minute = eveningMinute(m);
    if (minute !== null) return minute;
  }
  return null;
}

/**
 * Whether an entry says no one answers at `at`: at night a phone marked 「夜間不可」「日中のみ」, a
 * note that says 「夜勤のため夜間は不在」, or either saying 「21時まで」 once it is past 21:00. A
 * note's 「日中のみ仕事」 says when the person is away and is not read as the phone's hours (`note`).
 * By day nothing is ruled out: the day's limits are not read.
 */
export function saysNoAnswerAt(entry: string, at: Date | IsoInstant, what: 'phone' | 'note' = 'phone'): boolean {
  if (!isJapanNight(at)) return false;
  const t = entry.normalize('NFKC');
  if (what === 'phone' ? isDaytimeOnlyPhone(t) : saysNotAtNight(t)) return true;
  // 「夜9時まで不在」: away from the night's start till then, reachable after it
  const away = awayTillNightMinute(t);
  const minute = japanMinuteOfDay(at);
  if (away !== null && minute >= NIGHT_FROM_HOUR * 60 && minute < away) return true;
  const until = answersUntilMinute(t);
  if (until === null) return false;
  const now = japanMinuteOfDay(at);
  return now >= until || now < NIGHT_UNTIL_HOUR * 60;
}

/**
 * The phones in the order to try them at `at`: at night the 夜間 ones first and those that say no
 * one answers now (「夜間不可」「日中のみ」「21時まで」 after 21:00) last; by day as written.
 */
export function phonesInCallOrder(phones: readonly string[], at: Date | IsoInstant): string[] {
  const list = phones.filter((p) => p.trim() !== '');
  if (!isJapanNight(at)) return list;
  const night = list.filter(isNightPhone);
  const dayOnly = list.filter((p) => !isNightPhone(p) && saysNoAnswerAt(p, at));
  return [...night, ...list.filter((p) => !night.includes(p) && !dayOnly.includes(p)), ...dayOnly];
}

/** A contact with the number to try first now, and whether its entry or note says no one answers now. */
export interface ContactToCall<C> {
  readonly contact: C;
  readonly phone: string;
  readonly noAnswerNow: boolean;
}

/**
 * The contacts with a number, in the order to call them at `at`: as the family wrote them (their
 * order is their priority), except that at night those whose number or note says no one answers
 * then go last: 「夜勤のため夜間は不在」「21時まで」 written in the note, not in the number, no longer
 * keeps the first button at 02:10. Each with the number to try first now (a 夜間 one at night).
 */
export function contactsInCallOrder<C extends { readonly phones: readonly string[]; readonly note: string }>(
  contacts: readonly C[],
  at: Date | IsoInstant,
): ContactToCall<C>[] {
  const all = contacts.flatMap((contact) => {
    const phone = phonesInCallOrder(contact.phones, at)[0];
    return phone ? [{ contact, phone, noAnswerNow: saysNoAnswerAt(phone, at) || saysNoAnswerAt(contact.note, at, 'note') }] : [];
  });
  return [...all.filter((c) => !c.noAnswerNow), ...all.filter((c) => c.noAnswerNow)];
}

/**
 * A Japanese number as it is usually written: 090-1234-5678, 03-1234-5678, 0120-123-456,
 * 045-123-4567. The area code table is long; two-digit areas (03 東京, 06 大阪) and the non-geographic
 * prefixes are told apart, other ten-digit numbers get the common three-digit area form. Anything
 * that is not a domestic number of 10–11 digits is returned as written (trimmed).
 */
export function formatJapanesePhone(written: string): string {
  // A dash typed with the Japanese IME between digits (ー, −, –, a full stop) is the number's own,
  // not a word of the label; ー elsewhere is a word's (センター).
  // A direction override (U+202E) showed 「0570-01-2340」 as 「0432-100-750」 beside the tel: link
  // that dials the first: what is shown is the digits dialled, and a label without such marks.
  const clean = withoutInvisible(written);
  const label = clean
    .normalize('NFKC')
    .replace(/(?<=\d)\s*[ー−–—―‒‑.・]\s*(?=\d)/g, '-')
    .replace(/[\d\s()+\-‐]+/g, ' ')
    .trim();
  const digits = normalizePhone(clean);
  // Digits beyond the first number's (「03-1234 内線5678」 held from before the form's rule) are
  // not dialled (tel:031234): formatted together they would show a number that is not the one rung.
  if (digits !== firstPhoneDigits(clean)) return clean.trim();
  let formatted: string | null = null;
  if (/^0[5789]0\d{8}$/.test(digits)) formatted = `${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`;
  else if (/^0120\d{6}$/.test(digits) || /^0800\d{6}$/.test(digits)) formatted = `${digits.slice(0, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  else if (/^0[36]\d{8}$/.test(digits)) formatted = `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6)}`;
  else if (/^0\d{9}$/.test(digits)) formatted = `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (formatted === null) return clean.trim();
  return label ? `${label} ${formatted}` : formatted;
}

const MINUTE_MS = 60_000;

/**
 * How long ago, in words a tired reader takes in at once: 「たった今」「12分前」「3時間前」 within
 * 6 hours, then 「今日 08:10」「昨日 22:10」, then the date. Null for an instant in the future
 * (a report from the future is refused where it is entered).
 */
export function agoInWords(at: IsoInstant, now: Date): string | null {
  const ms = Date.parse(at);
  // not an instant with its zone (another device's bad text): no words rather than a thrown error
  if (!isInstantText(at)) return null;
  const diff = now.getTime() - ms;
  if (diff < -MINUTE_MS) return null;
  const minutes = Math.max(0, Math.floor(diff / MINUTE_MS));
  if (minutes < 1) return 'たった今';
  if (minutes < 60) return `${minutes}分前`;
  if (minutes < 6 * 60) return `${Math.floor(minutes / 60)}時間前`;
  const time = formatJapanDateTime(at).slice(-5);
  const day = japanDateOf(at);
  const today = japanDateOf(now);
  if (day === today) return `今日 ${time}`;
  if (day === addDaysToDate(today, -1)) return `昨日 ${time}`;
  return formatJapanDateTime(at);
}
