import { describe, expect, it } from 'vitest';
import { parseBonusRoute } from './route';

describe('parseBonusRoute', () => {
  it('opens in the first 10 days on the month before, as the claims screen does: the month being billed', () => {
    // 00:00 on 5 January in Japan (still the 4th in UTC)
    expect(parseBonusRoute('#/bonus', new Date('2027-01-04T15:00:00.000Z'))).toMatchObject({ tab: 'month', month: '2026-12', fiscalYear: 2026 });
    expect(parseBonusRoute('#/bonus', new Date('2027-01-11T00:00:00.000Z')).month).toBe('2027-01');
    // April's first days bill March: the fiscal year before
    expect(parseBonusRoute('#/bonus/year', new Date('2027-04-02T00:00:00.000Z')).fiscalYear).toBe(2026);
    expect(parseBonusRoute('#/bonus?month=2026-05', new Date('2027-01-04T15:00:00.000Z')).month).toBe('2026-05');
  });
});
