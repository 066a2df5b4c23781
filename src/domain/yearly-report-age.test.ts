import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { buildYearlyReport } from './yearly-report';

/** 者/児 on the range's last day for one person born on `birthDate`. */
function split(birthDate: string, lastDay: string) {
  const h = createHousehold({ persons: [createPerson({ birthDate })], consent: { date: '2000-01-01', consentedBy: '本人', scope: '緊急時' } });
  return buildYearlyReport({ range: { from: '2000-01-01', to: lastDay }, today: lastDay, households: [h], cases: [], trialStays: [], facilities: [], offices: new Map() }).registration.onLastDay;
}

describe('者/児 on the last day of the range', () => {
  it('turns 者 on the 18th birthday, not the day before', () => {
    expect(split('2009-03-31', '2027-03-31')).toMatchObject({ adult: 1, child: 0 });
    expect(split('2009-04-01', '2027-03-31')).toMatchObject({ adult: 0, child: 1 });
  });

  it('a 29 February birthday comes on 1 March in a common year', () => {
    expect(split('2008-02-29', '2026-02-28')).toMatchObject({ adult: 0, child: 1 });
    expect(split('2008-02-29', '2026-03-01')).toMatchObject({ adult: 1, child: 0 });
    expect(split('2010-02-29', '2028-02-29')).toMatchObject({ adult: 0, child: 0, unknown: 1 }); // not a date
  });

  it('a birth date after the last day is 不明, not a negative age', () => {
    expect(split('2030-01-01', '2027-03-31')).toMatchObject({ unknown: 1 });
  });
});
