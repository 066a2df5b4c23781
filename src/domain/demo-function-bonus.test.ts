import { describe, expect, it } from 'vitest';
import { generateDemoHub } from './demo-data';
import { demoFunctionBonus } from './demo-function-bonus';
import { openPeriod } from './office';
import { addMonths, fiscalYearOf, monthSummary, yearSummary, type BonusRecords } from './function-bonus';

describe('the demo hub’s 機能強化加算 (#/bonus opens on figures)', () => {
  const hub = generateDemoHub({ households: 30, facilities: 10, now: '2026-12-03T03:00:00.000Z' });

  it('last month shows a cap, every office’s share and claim, units and yen, never over a share', () => {
    const bonus: BonusRecords = demoFunctionBonus(hub.offices, '2026-12-03T03:00:00.000Z');
    const m = monthSummary(bonus, '2026-11');
    expect(m.cap).toBe(200);
    expect(m.claimed).toBeGreaterThan(0);
    expect(m.yen).toBeGreaterThan(0);
    expect(m.municipalities.map((x) => x.units).every((u) => u > 0)).toBe(true);
    for (const o of m.offices) expect(o.overShare).toBe(0);
    // only hub offices share the cap
    const hubs = new Set(hub.offices.filter((o) => openPeriod(o) !== null).map((o) => o.id));
    expect(m.offices.length).toBeGreaterThan(0);
    for (const o of m.offices) expect(hubs.has(o.officeId)).toBe(true);
    const year = yearSummary(bonus, fiscalYearOf('2026-11'));
    expect(year.units).toBeGreaterThan(m.units);
  });

  it('in April it shows the whole last fiscal year, so there is always a month before this one', () => {
    const bonus = demoFunctionBonus(hub.offices, '2027-04-05T03:00:00.000Z');
    expect(bonus.counts.some((c) => c.month === '2027-03')).toBe(true);
    expect(bonus.counts.some((c) => c.month === addMonths('2027-04', 0))).toBe(false);
    expect(monthSummary(bonus, '2027-03').claimed).toBeGreaterThan(0);
  });
});
