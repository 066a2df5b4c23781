import { describe, expect, it } from 'vitest';
import { emptyFacility, type Facility } from './facility';
import { compareMatches, isFreshVacancy, reportForNight, reportsAhead, vacancyStanding } from './match-order';
import { futureReportError, reportVacancy, VACANCY_HISTORY_KEPT, VACANCY_HISTORY_MAX, type VacancyReportInput } from './vacancy-report';

const NOW = '2026-12-04T08:00:00.000Z'; // Friday 17:00 in Japan
const facility = (patch: Partial<Facility> = {}): Facility => ({ ...emptyFacility('f-1', '2026-01-01T00:00:00.000Z'), name: 'ひだまり', ...patch });
const input = { beds: '2', reportedBy: '田中', ranged: false, from: '' as const, until: '' as const, note: '' };

describe('空床の報告', () => {
  it('records beds now with the typed reporter and keeps the report before it as history', () => {
    const before = facility({ vacancy: { beds: 1, asOf: '2026-12-03T08:00:00.000Z', reportedBy: '佐藤' } });
    const r = reportVacancy(before, { ...input, beds: '０', note: ' 夜勤1名のため ' }, NOW);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.facility.vacancy).toEqual({ beds: 0, asOf: NOW, reportedBy: '田中', note: '夜勤1名のため' });
    expect(r.facility.vacancyHistory).toEqual([before.vacancy]);
  });

  it('records beds for a date range (the weekend) and keeps only the last reports', () => {
    const history = Array.from({ length: VACANCY_HISTORY_KEPT }, (_, i) => ({ beds: i, asOf: NOW, reportedBy: 'x' }));
    const r = reportVacancy(facility({ vacancy: { beds: 9, asOf: NOW, reportedBy: 'y' }, vacancyHistory: history }), { ...input, ranged: true, from: '2026-12-05', until: '2026-12-06' }, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.facility.vacancy).toMatchObject({ beds: 2, from: '2026-12-05', until: '2026-12-06' });
    expect(r.facility.vacancyHistory).toHaveLength(VACANCY_HISTORY_KEPT);
    expect(r.facility.vacancyHistory?.[0]).toMatchObject({ beds: 9 });
  });

  it('says what is wrong: beds, reporter, an upside-down or past period', () => {
    const r = reportVacancy(facility(), { beds: 'たくさん', reportedBy: ' ', ranged: true, from: '2026-12-06', until: '2026-12-05', note: '' }, NOW);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['beds', 'reportedBy', 'until']);
    const past = reportVacancy(facility(), { ...input, ranged: true, from: '2026-12-01', until: '2026-12-02' }, NOW);
    expect(past.ok ? null : past.errors.until).toBe('過ぎた期間の空床は報告できません。');
  });

  it('refuses a period over two weeks, or starting months ahead (a year typed wrong would head every match for a year)', () => {
    const year = reportVacancy(facility(), { ...input, ranged: true, from: '2026-12-05', until: '2027-12-06' }, NOW);
    expect(year.ok ? null : year.errors.until).toBe('期間は14日以内で報告してください（最終日の年・月を確かめてください）。');
    const far = reportVacancy(facility(), { ...input, ranged: true, from: '2027-12-05', until: '2027-12-06' }, NOW);
    expect(far.ok ? null : far.errors.from).toBe('初日が今日から28日より先になっています（年・月を確かめてください）。');
    expect(reportVacancy(facility(), { ...input, ranged: true, from: '2026-12-05', until: '2026-12-18' }, NOW).ok).toBe(true);
    // at 01:00 on Monday, Sunday night can still be reported (the match holds it until 06:00)
    expect(reportVacancy(facility(), { ...input, ranged: true, from: '2026-12-05', until: '2026-12-06' }, '2026-12-06T16:00:00.000Z').ok).toBe(true);
  });

  it('a period chosen with its dates left empty is refused with what to enter, never saved as beds now', () => {
    const before = facility({ vacancy: { beds: 0, asOf: '2026-12-03T08:00:00.000Z', reportedBy: '佐藤' } });
    const r = reportVacancy(before, { ...input, ranged: true }, NOW);
    expect(r.ok ? r.facility.vacancy : null).toBeNull();
    if (r.ok) return;
    expect(r.errors).toEqual({ from: '期間の初日（空きが始まる日）を入れてください。', until: '期間の最終日（空きが終わる日）を入れてください。' });
    const half = reportVacancy(before, { ...input, ranged: true, from: '2026-12-05' }, NOW);
    expect(half.ok ? null : half.errors).toEqual({ until: '期間の最終日（空きが終わる日）を入れてください。' });
  });

  it('dates typed before switching back to now are left out of a report for now', () => {
    const r = reportVacancy(facility(), { ...input, from: '2026-12-05', until: '2026-12-06' }, NOW);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.facility.vacancy).toEqual({ beds: 2, asOf: NOW, reportedBy: '田中' });
  });

  it('refuses a report dated in the future, beyond a few minutes of clock difference', () => {
    expect(futureReportError('2026-12-06T08:00:00.000Z', NOW)).toMatch(/^空床報告日時 2026-12-06 17:00 が未来になっています/);
    expect(futureReportError('2026-12-04T08:03:00.000Z', NOW)).toBeNull();
    expect(futureReportError('2026-12-04T07:00:00.000Z', NOW)).toBeNull();
  });

  it('holds a weekend report on its days only, and puts the newest fresh report first', () => {
    const weekend = { beds: 2, asOf: NOW, reportedBy: '田中', from: '2026-12-05', until: '2026-12-06' };
    expect(isFreshVacancy(weekend, Date.parse(NOW))).toBe(false); // Friday: not yet
    expect(isFreshVacancy(weekend, Date.parse('2026-12-06T13:00:00.000Z'))).toBe(true); // Sunday 22:00, 2 days later
    expect(isFreshVacancy(weekend, Date.parse('2026-12-06T15:30:00.000Z'))).toBe(true); // Monday 00:30: still Sunday's night
    expect(isFreshVacancy(weekend, Date.parse('2026-12-06T21:30:00.000Z'))).toBe(false); // Monday 06:30

    const at = (asOf: string, name: string) => ({ facility: facility({ name, area: name, vacancy: { beds: 1, asOf, reportedBy: '' } }), freshVacancy: true, stayedBefore: false });
    const older = at('2026-12-04T07:40:00.000Z', 'あ');
    const newer = at('2026-12-04T07:59:00.000Z', 'ん');
    expect([older, newer].sort(compareMatches)).toEqual([newer, older]);
  });
});

describe("tonight's report and the weekend's, made one after the other", () => {
  // Japan time: Tuesday 12-01, Friday 12-04, Saturday 12-05, Sunday 12-06
  const at = (iso: string) => Date.parse(iso);
  const TUESDAY_10 = '2026-12-01T01:00:00.000Z';
  const TUESDAY_12 = '2026-12-01T03:00:00.000Z';
  const TUESDAY_23 = '2026-12-01T14:00:00.000Z';
  const SATURDAY_22 = '2026-12-05T13:00:00.000Z';
  const weekend = { ...input, ranged: true, from: '2026-12-05' as const, until: '2026-12-06' as const };
  const report = (f: Facility, patch: Partial<VacancyReportInput>, now: string): Facility => {
    const r = reportVacancy(f, { ...input, ...patch }, now);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.facility;
  };

  it("a report for tonight made after the weekend's leaves the weekend's beds on the weekend", () => {
    const f = report(report(facility(), weekend, '2026-11-30T03:00:00.000Z'), { beds: '0' }, TUESDAY_10);
    expect(f.vacancy?.beds).toBe(0); // the current report is Tuesday's 満床
    expect(reportForNight(f, at(TUESDAY_23))).toMatchObject({ beds: 0 });
    expect(reportForNight(f, at(SATURDAY_22))).toMatchObject({ beds: 2, from: '2026-12-05' });
    expect(vacancyStanding(reportForNight(f, at(SATURDAY_22))!, at(SATURDAY_22))).toBe('fresh');
  });

  it("the weekend's report made after tonight's leaves tonight's beds for tonight", () => {
    const f = report(report(facility(), { beds: '1' }, TUESDAY_10), weekend, TUESDAY_12);
    expect(f.vacancy?.from).toBe('2026-12-05'); // the current report is the weekend's
    expect(reportForNight(f, at(TUESDAY_23))).toMatchObject({ beds: 1, asOf: TUESDAY_10 });
    expect(reportForNight(f, at(SATURDAY_22))).toMatchObject({ beds: 2 });
    // on Wednesday afternoon nothing holds: the weekend's is shown as for nights to come
    expect(reportForNight(f, at('2026-12-02T06:00:00.000Z'))).toMatchObject({ beds: 2, from: '2026-12-05' });
  });

  it("last night's 満床 does not hide the weekend's beds on Saturday night; a 満床 said on Saturday ends them", () => {
    const fridayFull = report(report(facility(), weekend, TUESDAY_12), { beds: '0' }, '2026-12-04T13:00:00.000Z'); // Friday 22:00
    expect(reportForNight(fridayFull, at('2026-12-04T16:00:00.000Z'))).toMatchObject({ beds: 0 }); // Saturday 01:00 is Friday's night
    expect(reportForNight(fridayFull, at(SATURDAY_22))).toMatchObject({ beds: 2 }); // 23 hours on: Saturday's night
    const saturdayFull = report(fridayFull, { beds: '0' }, '2026-12-05T11:00:00.000Z'); // Saturday 20:00
    expect(reportForNight(saturdayFull, at(SATURDAY_22))).toMatchObject({ beds: 0, asOf: '2026-12-05T11:00:00.000Z' });
    // and it ends the weekend's beds: on Sunday night nothing holds (古い情報), not 空き 2床
    expect(vacancyStanding(reportForNight(saturdayFull, at('2026-12-06T13:00:00.000Z'))!, at('2026-12-06T13:00:00.000Z'))).toBe('old');
  });

  it("a 満床 said on one of a period's nights ends the period's beds from that night, beyond its 24 hours", () => {
    const week = { ...input, ranged: true, from: '2026-11-30' as const, until: '2026-12-06' as const };
    const f = report(report(facility(), week, '2026-11-30T01:00:00.000Z'), { beds: '0' }, '2026-12-03T06:00:00.000Z'); // Thursday 15:00
    expect(reportForNight(f, at('2026-12-03T22:00:00.000Z'))).toMatchObject({ beds: 0 }); // Friday 07:00
    expect(vacancyStanding(reportForNight(f, at('2026-12-04T13:00:00.000Z'))!, at('2026-12-04T13:00:00.000Z'))).toBe('old'); // Friday 22:00: not 空き 2床
    expect(reportForNight(f, at('2026-12-02T13:00:00.000Z'))).toMatchObject({ beds: 2 }); // Wednesday: the week's report still held
  });

  it("a correction of the weekend's count replaces it, and only the correction is listed ahead", () => {
    const f = report(report(report(facility(), weekend, '2026-11-30T03:00:00.000Z'), { beds: '1' }, TUESDAY_10), { ...weekend, beds: '0' }, TUESDAY_12);
    expect(reportForNight(f, at(SATURDAY_22))).toMatchObject({ beds: 0, asOf: TUESDAY_12 });
    expect(reportsAhead(f, at(TUESDAY_23)).map((v) => v.beds)).toEqual([0]);
    // Sunday alone reported again later: both stand, by their first night
    const sunday = report(f, { ...weekend, from: '2026-12-06', beds: '3' }, '2026-12-02T03:00:00.000Z');
    expect(reportsAhead(sunday, at('2026-12-02T04:00:00.000Z')).map((v) => [v.from, v.beds])).toEqual([
      ['2026-12-05', 0],
      ['2026-12-06', 3],
    ]);
  });

  it('keeps a report for nights to come past the last ten reports, within a bound', () => {
    let f = report(facility(), weekend, '2026-11-30T03:00:00.000Z');
    for (let i = 0; i < VACANCY_HISTORY_KEPT + 5; i++) f = report(f, { beds: String(i % 3) }, new Date(at(TUESDAY_10) + i * 60_000).toISOString());
    expect(f.vacancyHistory).toHaveLength(VACANCY_HISTORY_KEPT + 1);
    expect(reportForNight(f, at(SATURDAY_22))).toMatchObject({ beds: 2, from: '2026-12-05' });
    // once its nights are gone it goes with the rest
    const after = report(f, { beds: '1' }, '2026-12-07T01:00:00.000Z');
    expect(after.vacancyHistory).toHaveLength(VACANCY_HISTORY_KEPT);
    let many = facility();
    for (let i = 0; i < VACANCY_HISTORY_MAX + 5; i++) many = report(many, weekend, new Date(at(TUESDAY_10) + i * 60_000).toISOString());
    expect(many.vacancyHistory).toHaveLength(VACANCY_HISTORY_MAX);
  });
});
