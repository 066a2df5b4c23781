/**
 * Date-time form fields in Japan time, whatever the device's zone (DOMAIN.md §5).
 * `<input type="datetime-local">` holds a wall-clock value with no zone; these read and write it
 * as Japan time (UTC+9 all year: Japan has no daylight saving time).
 */
import type { IsoInstant } from './household';
import { formatJapanDateTimeCsv, instantAtJapanWallClock } from './japan-time';

const LOCAL_VALUE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/** 2026-11-30T14:50:00Z → '2026-11-30T23:50' (the value of a datetime-local field). */
export function toJapanInputValue(instant: IsoInstant | Date): string {
  return formatJapanDateTimeCsv(instant).replace(' ', 'T');
}

/** '2026-11-30T23:50' (Japan time) → '2026-11-30T14:50:00.000Z'; null for anything else. */
export function fromJapanInputValue(value: string): IsoInstant | null {
  const m = LOCAL_VALUE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const instant = instantAtJapanWallClock(y, mo, d, h, mi);
  // Date.UTC rolls 31 February over into March: refuse instead of moving the time.
  if (toJapanInputValue(instant) !== value.trim()) return null;
  return instant;
}
