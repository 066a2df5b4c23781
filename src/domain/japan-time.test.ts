import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDaysToDate,
  addMonthsToDate,
  adultFrom,
  adultWithin,
  ageCategory,
  ageOn,
  formatJapanDate,
  formatJapanDateTime,
  formatJapanTimestamp,
  formatJapanShortDateTime,
  formatJapaneseEraDate,
  isValidIsoDate,
  japanDateOf,
  japanMonthOf,
} from './japan-time';

// The process zone is whatever the machine has; every case below sits on a boundary where
// reading the local zone instead of Japan time would give a different answer.
describe('japanDateOf', () => {
  it('moves to the next Japan day at 15:00 UTC', () => {
    expect(japanDateOf('2026-11-30T14:59:59.999Z')).toBe('2026-11-30');
    expect(japanDateOf('2026-11-30T15:00:00Z')).toBe('2026-12-01');
    expect(japanDateOf('2026-11-30T15:10:00Z')).toBe('2026-12-01');
  });

  it('crosses the year in Japan before it does in UTC', () => {
    expect(japanDateOf('2026-12-31T15:00:00.000Z')).toBe('2027-01-01');
    expect(japanDateOf(new Date(Date.UTC(2026, 11, 31, 14, 59)))).toBe('2026-12-31');
  });

  it('honours an explicit offset in the string', () => {
    expect(japanDateOf('2026-12-01T00:10:00+09:00')).toBe('2026-12-01');
    expect(japanDateOf('2026-11-30T10:10:00-05:00')).toBe('2026-12-01');
  });

  it('handles 29 February at the JST boundary', () => {
    expect(japanDateOf('2028-02-28T15:00:00Z')).toBe('2028-02-29');
    expect(japanDateOf('2028-02-29T15:00:00Z')).toBe('2028-03-01');
  });

  it('rejects instants without a zone, since they would be read in the device zone', () => {
    expect(() => japanDateOf('2026-11-30T15:10:00')).toThrow(RangeError);
    expect(() => japanDateOf('2026-11-30')).toThrow(RangeError);
    expect(() => japanDateOf(new Date(Number.NaN))).toThrow(RangeError);
  });

  it('matches Intl with the Asia/Tokyo zone for any instant', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(japanDateOf(new Date(ms))).toBe(intl.format(new Date(ms)));
      }),
    );
  });
});

describe('japanMonthOf', () => {
  it('gives the claim month of a night call after midnight on the 1st', () => {
    expect(japanMonthOf('2026-11-30T15:10:00Z')).toBe('2026-12');
  });
});

describe('ageOn', () => {
  it('goes up at the start of the birthday', () => {
    expect(ageOn('2010-04-01', '2026-03-31')).toBe(15);
    expect(ageOn('2010-04-01', '2026-04-01')).toBe(16);
  });

  it('counts a 29 February birthday on 1 March in non-leap years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-28')).toBe(19);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('is zero on the day of birth and negative before it', () => {
    expect(ageOn('2026-11-23', '2026-11-23')).toBe(0);
    expect(ageOn('2026-11-23', '2026-11-22')).toBe(-1);
  });

  it('rejects dates that do not exist', () => {
    expect(() => ageOn('2010-02-30', '2026-01-01')).toThrow(RangeError);
  });
});

describe('ageCategory', () => {
  it('makes the 18th birthday an adult (者)', () => {
    expect(ageCategory('2008-11-24', '2026-11-23')).toBe('child');
    expect(ageCategory('2008-11-23', '2026-11-23')).toBe('adult');
  });

  it('decides by the Japan date of a night call, not the UTC date', () => {
    // 02:10 JST on the 18th birthday is still the previous day in UTC.
    const call = '2026-11-22T17:10:00Z';
    expect(ageCategory('2008-11-23', japanDateOf(call))).toBe('adult');
  });
});

describe('adultFrom and adultWithin: the coming 18th birthday', () => {
  it('is the 18th birthday, the first day ageCategory reads 者', () => {
    expect(adultFrom('2008-12-10')).toBe('2026-12-10');
    expect(ageCategory('2008-12-10', '2026-12-09')).toBe('child');
    expect(ageCategory('2008-12-10', adultFrom('2008-12-10'))).toBe('adult');
  });

  it('moves a 29 February birthday to 1 March, as ageOn does', () => {
    expect(adultFrom('2008-02-29')).toBe('2026-03-01');
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(adultWithin('2008-02-29', '2026-02-28')).toBe('2026-03-01');
    expect(adultWithin('2008-02-29', '2026-02-22')).toBe('2026-03-01'); // 7 days before 1 March
    expect(adultWithin('2008-02-29', '2026-02-21')).toBeNull();
    expect(adultWithin('2008-02-29', '2026-03-01')).toBeNull(); // 18 (者) that day
  });

  it('says the birthday from the day after `day` to the 7th day after, and nothing on it or after it', () => {
    expect(adultWithin('2008-12-10', '2026-12-09')).toBe('2026-12-10');
    expect(adultWithin('2008-12-10', '2026-12-07')).toBe('2026-12-10');
    expect(adultWithin('2008-12-10', '2026-12-03')).toBe('2026-12-10');
    expect(adultWithin('2008-12-10', '2026-12-02')).toBeNull(); // 8 days ahead
    expect(adultWithin('2008-12-10', '2026-11-10')).toBeNull(); // 30 days ahead
    expect(adultWithin('2008-12-10', '2026-12-10')).toBeNull(); // the birthday: already 者
    expect(adultWithin('2008-12-10', '2026-12-11')).toBeNull();
    expect(adultWithin('2007-12-10', '2026-12-09')).toBeNull(); // turning 19
  });

  it('crosses a month and a year end', () => {
    expect(adultWithin('2009-01-02', '2026-12-28')).toBe('2027-01-02');
    expect(adultWithin('2008-03-03', '2026-02-26')).toBe('2026-03-03');
  });

  it('takes another window, and refuses one that is not a whole number of days', () => {
    expect(adultWithin('2008-12-10', '2026-11-10', 30)).toBe('2026-12-10');
    expect(adultWithin('2008-12-10', '2026-12-09', 0)).toBeNull();
    expect(() => adultWithin('2008-12-10', '2026-12-09', 1.5)).toThrow(RangeError);
    expect(() => adultWithin('2008-12-10', '2026-12-09', -1)).toThrow(RangeError);
    expect(() => adultWithin('2008-02-30', '2026-12-09')).toThrow(RangeError);
  });

  it('counts from the Japan day of a night call, whatever the device zone', () => {
    // 00:10 on 3 December in Japan, still 2 December in UTC and in Los Angeles: the birthday is 7 Japan days on
    const call = new Date('2026-12-02T15:10:00Z');
    expect(adultWithin('2008-12-10', japanDateOf(call))).toBe('2026-12-10');
    // 23:50 on 2 December in Japan, already 3 December in Kiritimati: 8 Japan days on
    expect(adultWithin('2008-12-10', japanDateOf(new Date('2026-12-02T14:50:00Z')))).toBeNull();
  });

  it('is the first day ageOn reads 18, when that day is 1 to 7 days after `day`', () => {
    const isoDay = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 11, 31) }).map((ms) => new Date(ms).toISOString().slice(0, 10));
    fc.assert(
      fc.property(isoDay, fc.integer({ min: -20, max: 20 }), (birthDate, offset) => {
        const day = addDaysToDate(adultFrom(birthDate), offset);
        const firstAdult = Array.from({ length: 8 }, (_, k) => addDaysToDate(day, k)).find((d) => ageOn(birthDate, d) >= 18);
        const expected = firstAdult !== undefined && firstAdult !== day ? firstAdult : null;
        expect(adultWithin(birthDate, day)).toBe(expected);
      }),
    );
  });
});

describe('formatting', () => {
  it('writes an instant as Japan time to the second with its offset, across the day and year line', () => {
    expect(formatJapanTimestamp(new Date('2026-12-31T15:00:05.900Z'))).toBe('2027-01-01T00:00:05+09:00');
    expect(formatJapanTimestamp('2026-11-30T12:00:00Z')).toBe('2026-11-30T21:00:00+09:00');
  });
  it('prints an instant in Japan time', () => {
    expect(formatJapanDateTime('2026-11-22T17:10:00Z')).toBe('2026年11月23日 02:10');
    expect(formatJapanDateTime('2026-12-31T15:05:00Z')).toBe('2027年1月1日 00:05');
    expect(formatJapanShortDateTime('2026-12-31T15:05:00Z')).toBe('1/1 00:05');
  });

  it('prints a calendar date', () => {
    expect(formatJapanDate('2026-11-23')).toBe('2026年11月23日');
    expect(formatJapanDate('2027-01-05')).toBe('2027年1月5日');
  });
});

describe('addMonthsToDate', () => {
  it('clamps to the end of a shorter month', () => {
    expect(addMonthsToDate('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsToDate('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonthsToDate('2028-02-29', 12)).toBe('2029-02-28');
  });

  it('crosses years both ways', () => {
    expect(addMonthsToDate('2026-11-23', 12)).toBe('2027-11-23');
    expect(addMonthsToDate('2026-03-31', -13)).toBe('2025-02-28');
    expect(addMonthsToDate('2026-01-15', -1)).toBe('2025-12-15');
  });
});

describe('addDaysToDate', () => {
  it('crosses month and year ends', () => {
    expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDate('2028-03-01', -1)).toBe('2028-02-29');
  });
});

describe('isValidIsoDate', () => {
  it('accepts real days only', () => {
    expect(isValidIsoDate('2028-02-29')).toBe(true);
    expect(isValidIsoDate('2026-02-29')).toBe(false);
    expect(isValidIsoDate('2026-04-31')).toBe(false);
    expect(isValidIsoDate('2026-4-1')).toBe(false);
    expect(isValidIsoDate('２０２６-０４-０１')).toBe(false);
    expect(isValidIsoDate('2026-04-01T00:00:00Z')).toBe(false);
    expect(isValidIsoDate(null)).toBe(false);
  });
});

describe('formatJapaneseEraDate', () => {
  it('writes a date as a 受給者証 does, with the era changing on its day, whatever the zone', () => {
    expect(formatJapaneseEraDate('1970-04-01')).toBe('昭和45年4月1日');
    expect(formatJapaneseEraDate('1989-01-07')).toBe('昭和64年1月7日');
    expect(formatJapaneseEraDate('1989-01-08')).toBe('平成元年1月8日');
    expect(formatJapaneseEraDate('2019-05-01')).toBe('令和元年5月1日');
  });
});
