// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../protocol/evidence-rules';
import { CLOCK_WARNING_MS, MAX_READING_UNCERTAINTY_MS, clockOffsetOf, hubTimeOfDateHeader, isClockOff, type ClockOffset } from './clock-offset';

/** The hub's clock at 2026-12-05 10:00:00 UTC (19:00 in Japan). */
const HUB = Date.parse('2026-12-05T10:00:00.000Z');
const MIN = 60_000;
const offset = (offsetMs: number): ClockOffset => ({ offsetMs, uncertaintyMs: 0, measuredAt: new Date(HUB).toISOString() });

describe('the device clock against the hub [E7]', () => {
  it("[E7] takes the hub's time at the midpoint of send and receipt: a slow round trip does not pass for skew", () => {
    // Sent at the hub's 10:00:00 by a right clock, answered 4 s later: the hub stamped its answer
    // 2 s in, at the midpoint.
    expect(clockOffsetOf({ hubTime: HUB + 2000, resolutionMs: 0, sentAt: HUB, receivedAt: HUB + 4000 })).toEqual({
      offsetMs: 0,
      uncertaintyMs: 2000,
      measuredAt: '2026-12-05T10:00:02.000Z',
    });
  });

  it('[E7] gives the sign: above 0 the device runs ahead, below 0 behind', () => {
    const ahead = clockOffsetOf({ hubTime: HUB, resolutionMs: 0, sentAt: HUB + 10 * MIN - 100, receivedAt: HUB + 10 * MIN + 100 });
    expect(ahead).toMatchObject({ offsetMs: 10 * MIN, uncertaintyMs: 100 });
    const behind = clockOffsetOf({ hubTime: HUB, resolutionMs: 0, sentAt: HUB - 3 * MIN - 100, receivedAt: HUB - 3 * MIN + 100 });
    expect(behind).toMatchObject({ offsetMs: -3 * MIN, uncertaintyMs: 100 });
    expect(isClockOff(ahead)).toBe(true);
    expect(isClockOff(behind)).toBe(true);
  });

  it("[E7] reads an HTTP Date (whole seconds) as the middle of its second, and counts the second in the uncertainty", () => {
    const date = hubTimeOfDateHeader('Sat, 05 Dec 2026 10:00:00 GMT');
    expect(date).toBe(HUB);
    // The hub answered somewhere within 10:00:00.000–10:00:00.999.
    expect(clockOffsetOf({ hubTime: date!, resolutionMs: 1000, sentAt: HUB + 500, receivedAt: HUB + 500 })).toMatchObject({ offsetMs: 0, uncertaintyMs: 500 });
    expect(hubTimeOfDateHeader(null)).toBeNull();
    expect(hubTimeOfDateHeader('')).toBeNull();
    expect(hubTimeOfDateHeader('not a date')).toBeNull();
  });

  it('[E7] warns past CLOCK_WARNING_MS either way, not at it', () => {
    expect(isClockOff(null)).toBe(false);
    expect(isClockOff(offset(0))).toBe(false);
    expect(isClockOff(offset(CLOCK_WARNING_MS))).toBe(false);
    expect(isClockOff(offset(-CLOCK_WARNING_MS))).toBe(false);
    expect(isClockOff(offset(CLOCK_WARNING_MS + 1))).toBe(true);
    expect(isClockOff(offset(-CLOCK_WARNING_MS - 1))).toBe(true);
  });

  it("[E7] warns well inside the hub's tolerance: a clock a kept reading calls right is never one the hub refuses", () => {
    expect(CLOCK_WARNING_MS).toBe(2 * MIN);
    expect(CLOCK_WARNING_MS + MAX_READING_UNCERTAINTY_MS).toBeLessThan(EVIDENCE_CLOCK_TOLERANCE_MS);
  });

  it('[E7] keeps no reading it cannot trust: too slow a round trip, an answer before its request, a time that is none', () => {
    const slow = 2 * MAX_READING_UNCERTAINTY_MS;
    expect(clockOffsetOf({ hubTime: HUB, resolutionMs: 0, sentAt: HUB - slow / 2, receivedAt: HUB + slow / 2 + 2 })).toBeNull();
    expect(clockOffsetOf({ hubTime: HUB, resolutionMs: 0, sentAt: HUB - slow / 2, receivedAt: HUB + slow / 2 })).not.toBeNull();
    expect(clockOffsetOf({ hubTime: HUB, resolutionMs: 0, sentAt: HUB + 1, receivedAt: HUB })).toBeNull();
    expect(clockOffsetOf({ hubTime: Number.NaN, resolutionMs: 0, sentAt: HUB, receivedAt: HUB })).toBeNull();
  });
});
