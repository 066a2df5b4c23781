/**
 * The zone projects (vitest.config.ts: tz-los-angeles, tz-kiritimati) run every domain test with
 * the process in another zone, and unit-pure runs it in UTC. They prove something only if the
 * process really is in that zone: this checks that the zone they set (process.env.TZ) is the one
 * Intl and Date use.
 */
import { describe, expect, it } from 'vitest';

/** The hour of `at` in `zone`, as Intl reads it (h23: 0-23). */
function hourIn(zone: string | undefined, at: Date): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(at));
}

// instants either side of Los Angeles' daylight saving change and of midnight in Kiritimati (UTC+14)
const INSTANTS = ['2026-01-15T12:00:00.000Z', '2026-07-15T12:00:00.000Z', '2026-11-30T10:30:00.000Z'].map((s) => new Date(s));

describe('the zone the domain tests run in', () => {
  it('is the zone the project set: Intl resolves it and Date reads the local hour in it', ({ task }) => {
    const project = task.file.projectName ?? '';
    const tz = process.env['TZ'];
    if (project.startsWith('tz-') || project === 'unit-pure') {
      // a zone project always names its zone (inZone in vitest.config.ts), unit-pure UTC
      expect(tz, `${project} sets no TZ`).toMatch(/\S/);
    }
    const resolved = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz !== undefined && tz !== '') expect(resolved).toBe(tz);
    // the device's local calendar (what the domain rules must not lean on) is in the same zone
    for (const at of INSTANTS) expect(at.getHours(), at.toISOString()).toBe(hourIn(resolved, at));
  });
});
