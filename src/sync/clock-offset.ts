/**
 * How far this device's clock is from the hub's, read off the answers that tell the hub's time (a
 * push's `serverTime`, any answer's HTTP `Date`). A case entry is stamped with the device's clock,
 * and the hub refuses one dated past its own clock by more than EVIDENCE_CLOCK_TOLERANCE_MS [E7]
 * for good (and every later entry of the case with it): a phone whose clock was set by hand is
 * told so before its evidence is refused, not after. Pure: no store, no clock of its own.
 */

/**
 * The app warns once the device's clock is this far off the hub's, either way: well inside the
 * hub's EVIDENCE_CLOCK_TOLERANCE_MS (5 min, src/protocol/evidence-rules.ts), so the warning comes
 * while entries are still taken, and well above what a kept reading can be wrong by
 * (MAX_READING_UNCERTAINTY_MS). clock-offset.test.ts holds it inside the tolerance.
 */
export const CLOCK_WARNING_MS = 2 * 60_000;

/**
 * A reading less certain than this (a round trip over a minute, a request that waited in a busy
 * hub's queue) says too little to warn or to clear a warning on: it is not kept.
 */
export const MAX_READING_UNCERTAINTY_MS = 30_000;

/** One answer that told the hub's time, with when this device sent the request and got the answer (its own clock). */
export interface HubTimeReading {
  /** the hub's clock as it answered, ms since the epoch; for an HTTP Date, the start of its second */
  readonly hubTime: number;
  /** how coarse hubTime is: 1,000 for an HTTP Date (whole seconds), 0 for a push's serverTime */
  readonly resolutionMs: number;
  /** the device's clock just before the request went */
  readonly sentAt: number;
  /** the device's clock as the answer came */
  readonly receivedAt: number;
}

/** The device clock's offset from the hub's (端末の時計のずれ), as last measured. */
export interface ClockOffset {
  /** device minus hub, ms: above 0 the device's clock runs ahead (進んでいる), below 0 behind (遅れている) */
  readonly offsetMs: number;
  /** how far the true offset may lie from offsetMs: half the round trip, plus the reading's resolution */
  readonly uncertaintyMs: number;
  /** when it was measured, by the hub's clock (ISO, UTC) */
  readonly measuredAt: string;
}

/**
 * The offset one reading gives, or null when it gives none (a time that is not one, an answer
 * before its request, a reading too uncertain). The hub answered somewhere between send and
 * receipt: taken at the midpoint, the estimate is off by at most half the round trip. A Date
 * header names the second its time fell in, so its middle is taken.
 */
export function clockOffsetOf(reading: HubTimeReading): ClockOffset | null {
  const { hubTime, resolutionMs, sentAt, receivedAt } = reading;
  if (![hubTime, resolutionMs, sentAt, receivedAt].every(Number.isFinite) || receivedAt < sentAt || resolutionMs < 0) return null;
  const uncertaintyMs = (receivedAt - sentAt) / 2 + resolutionMs / 2;
  if (uncertaintyMs > MAX_READING_UNCERTAINTY_MS) return null;
  const hubMid = hubTime + resolutionMs / 2;
  const deviceMid = sentAt + (receivedAt - sentAt) / 2;
  return { offsetMs: Math.round(deviceMid - hubMid), uncertaintyMs: Math.round(uncertaintyMs), measuredAt: new Date(hubMid).toISOString() };
}

/** Whether the device's clock is far enough off to warn about (more than CLOCK_WARNING_MS, either way). */
export function isClockOff(offset: ClockOffset | null): offset is ClockOffset {
  return offset !== null && Math.abs(offset.offsetMs) > CLOCK_WARNING_MS;
}

/** The hub's time in an HTTP `Date` header (IMF-fixdate, whole seconds), or null when there is none to read. */
export function hubTimeOfDateHeader(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}
