import { describe, expect, it } from 'vitest';
import { emptyFacility, type Facility } from './facility';
import { compareMatches, isFreshVacancy } from './match-order';
import { futureReportError, reportVacancy, VACANCY_HISTORY_KEPT } from './vacancy-report';

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
