import { describe, expect, it } from 'vitest';
import { vacancyStanding } from './match-order';

// Tuesday 2026-11-24 21:00 Japan time
const TUESDAY_NIGHT = Date.parse('2026-11-24T12:00:00.000Z');
const weekend = { beds: 2, asOf: '2026-11-24T00:00:00.000Z', reportedBy: '連携担当', from: '2026-11-28', until: '2026-11-29' };

describe('vacancyStanding', () => {
  it('tells a weekend report seen on Tuesday (later) from one seen on Saturday night (fresh) and on Monday (old)', () => {
    expect(vacancyStanding(weekend, TUESDAY_NIGHT)).toBe('later');
    expect(vacancyStanding(weekend, Date.parse('2026-11-28T13:00:00.000Z'))).toBe('fresh');
    expect(vacancyStanding(weekend, Date.parse('2026-11-30T13:00:00.000Z'))).toBe('old');
  });

  it('reads a period as nights: Sunday\'s beds still hold at 00:30 on Monday; Saturday\'s not yet at 00:30 on Saturday (Friday\'s night)', () => {
    expect(vacancyStanding(weekend, Date.parse('2026-11-29T15:30:00.000Z'))).toBe('fresh'); // Mon 00:30 JST
    expect(vacancyStanding(weekend, Date.parse('2026-11-29T21:30:00.000Z'))).toBe('old'); // Mon 06:30 JST
    expect(vacancyStanding(weekend, Date.parse('2026-11-27T15:30:00.000Z'))).toBe('later'); // Sat 00:30 JST
    expect(vacancyStanding(weekend, Date.parse('2026-11-27T21:30:00.000Z'))).toBe('fresh'); // Sat 06:30 JST
  });

  it('says 満床 reported within the day is news (full), not old; any report over a day old is old', () => {
    expect(vacancyStanding({ beds: 0, asOf: '2026-11-24T11:50:00.000Z', reportedBy: '' }, TUESDAY_NIGHT)).toBe('full');
    expect(vacancyStanding({ beds: 1, asOf: '2026-11-24T11:50:00.000Z', reportedBy: '' }, TUESDAY_NIGHT)).toBe('fresh');
    expect(vacancyStanding({ beds: 1, asOf: '2026-11-23T11:50:00.000Z', reportedBy: '' }, TUESDAY_NIGHT)).toBe('old');
    expect(vacancyStanding({ beds: 1, asOf: 'not a time', reportedBy: '' }, TUESDAY_NIGHT)).toBe('old');
  });
});
