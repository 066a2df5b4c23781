/**
 * Every figure of the 年次実績報告 on one small hub whose right answers are worked out by hand in
 * the comments (docs/yearly-report.md defines each figure). Fiscal year 2026: 2026-04-01 to
 * 2027-03-31, Japan time; today is 2027-04-10, so a stay still going on counts to the year's end.
 */
import { describe, expect, it } from 'vitest';
import { appendEntries, buildCase, contactBody, openBody } from '../../test/factories/emergency-case';
import { forkedOutcomes } from '../../test/factories/forked-outcomes';
import { foldCase } from './case-fold';
import { createFacility } from '../../test/factories/facility';
import { createHousehold, createPerson } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';
import type { CaseSubject, EmergencyCase, EntryBody, Office } from './emergency-case';
import { buildYearlyReport, fiscalYearOf, fiscalYearRange } from './yearly-report';
import { demoLeftOutNote, yearlyReportRows } from './yearly-report-rows';

const FY2026 = fiscalYearRange(2026);
const TODAY = '2027-04-10';

const office = (id: string, hubSince: string | null, officeNumber: string): Office => ({
  id,
  name: `相談支援事業所 ${id}`,
  officeNumber,
  hubPeriods: hubSince === null ? [] : [{ from: hubSince, to: null, note: '' }],
  oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
});
const offices = new Map([
  ['office-1', office('office-1', '2024-04-01', '1200000001')],
  ['office-2', office('office-2', null, '1200000002')],
  ['office-3', office('office-3', '2027-04-01', '1200000003')],
]);

// A turns 18 on the year's last day (者 then), but was 17 (児) at her admissions and trial stays.
const A = createPerson({ id: 'p-a', birthDate: '2009-03-31', municipality: 'みなと市', recipientNumber: '1111111111' });
// B is 16 on the last day (17 only on 1 April 2027): 児.
const B = createPerson({ id: 'p-b', birthDate: '2010-04-01', municipality: 'みなと市', recipientNumber: '2222222222' });
const C = createPerson({ id: 'p-c', birthDate: '1980-01-01', municipality: 'あさひ市', recipientNumber: '3333333333' });
const D = createPerson({ id: 'p-d', birthDate: '2015-01-01', municipality: 'みなと市' });
const E = createPerson({ id: 'p-e', birthDate: '1990-01-01' });
const F = createPerson({ id: 'p-f', birthDate: '1990-01-01' });
const G = createPerson({ id: 'p-g', birthDate: null, municipality: '' });
const consent = (date: string) => ({ date, consentedBy: '家族', scope: '緊急時' });

const households = [
  createHousehold({ id: 'h1', persons: [A, B], consent: consent('2025-06-01') }),
  createHousehold({ id: 'h2', persons: [C], consent: consent('2026-05-10') }), // new in the year
  createHousehold({ id: 'h3', persons: [D], consent: consent('2024-01-01'), withdrawal: { date: '2026-10-01', reason: '転居' } }),
  createHousehold({ id: 'h4', persons: [E], consent: consent('2027-04-05') }), // after the year
  createHousehold({ id: 'h5', persons: [F], consent: null }), // a draft
  createHousehold({ id: 'h6', persons: [G], consent: consent('2026-12-01'), withdrawal: { date: '2027-06-01', reason: '死亡' } }),
];

const subject = (householdId: string, p: typeof A): CaseSubject => ({ householdId, personId: p.id, name: p.name, recipientNumber: p.recipientNumber });
const facts = (planning: 'this-office' | 'other-office' = 'this-office'): EntryBody => ({ type: 'claim-facts', planning, independentLivingClaimed: false, note: '' });
const admit = (from: string): EntryBody => ({ type: 'outcome', outcome: '短期入所', facilityId: 'f1', facilityName: 'あおぞら', from, note: '' });
const close = (closedAt: string): EntryBody => ({ type: 'close', closedAt });
const stayEnd = (endedAt: string, exit: '自宅に戻った' | '入院' | '別の事業所', note = ''): EntryBody => ({ type: 'stay-end', endedAt, exit, note });

async function cases(): Promise<EmergencyCase[]> {
  return Promise.all([
    // K1: A, 1 May 2026 12:00 JST, admitted 1 May 15:00, left 4 May: 4 days; claimed (700).
    buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', A), requestedAt: '2026-05-01T03:00:00.000Z', category: '介護者の入院' }),
      contactBody({ contactedAt: '2026-05-01T03:30:00.000Z' }),
      admit('2026-05-01T06:00:00.000Z'),
      facts(),
      close('2026-05-01T06:30:00.000Z'),
      stayEnd('2026-05-04T01:00:00.000Z', '自宅に戻った'),
    ], 'k1'),
    // K2: C, requested 29 March 2026 (the year before), admitted that night, left 2 April:
    // only 1 and 2 April are in the year (2 days); the exit (入院) is in the year; the claim is March's.
    buildCase([
      openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt: '2026-03-29T12:00:00.000Z' }),
      contactBody({ contactedAt: '2026-03-29T12:30:00.000Z' }),
      admit('2026-03-29T14:00:00.000Z'),
      facts(),
      close('2026-03-29T14:30:00.000Z'),
      stayEnd('2026-04-02T01:00:00.000Z', '入院'),
    ], 'k2'),
    // K3: B, 30 March 2027 09:00 JST, admitted 10:00, still there: 30 and 31 March (2 days); claimed.
    buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', B), requestedAt: '2027-03-30T00:00:00.000Z', category: '本人の状態悪化' }),
      contactBody({ contactedAt: '2027-03-30T00:20:00.000Z' }),
      admit('2027-03-30T01:00:00.000Z'),
      facts(),
      close('2027-03-30T01:30:00.000Z'),
    ], 'k3'),
    // K4: an unknown caller at 00:00 JST on 11 August, handled at home: a case and a person, no stay, no claim.
    buildCase([
      openBody({ officeId: 'office-1', subject: { householdId: null, personId: null, name: '不明', recipientNumber: '' }, requestedAt: '2026-08-10T15:00:00.000Z', category: 'その他', detail: '本人から' }),
      { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '電話で助言' },
      close('2026-08-10T15:40:00.000Z'),
    ], 'k4'),
    // K5: A again, 1 September 21:00 JST, left 2 September 11:00: 2 days; another office plans her services: not claimed.
    buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', A), requestedAt: '2026-09-01T10:00:00.000Z', category: '介護者の入院' }),
      contactBody({ contactedAt: '2026-09-01T10:30:00.000Z' }),
      admit('2026-09-01T12:00:00.000Z'),
      facts('other-office'),
      close('2026-09-01T12:30:00.000Z'),
      stayEnd('2026-09-02T02:00:00.000Z', '別の事業所', 'グループホームへ'),
    ], 'k5'),
    // K6: C, 31 March 2027 15:30 UTC = 1 April 00:30 JST: the next year, its stay and its claim too.
    buildCase([
      openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt: '2027-03-31T15:30:00.000Z', category: '介護者の急病・けが' }),
      contactBody({ contactedAt: '2027-03-31T15:40:00.000Z' }),
      admit('2027-03-31T16:00:00.000Z'),
      facts(),
      close('2027-03-31T16:30:00.000Z'),
    ], 'k6'),
  ]);
}

const trialStays = [
  createTrialStay({ householdId: 'h1', personId: 'p-a', from: '2026-04-10', to: '2026-04-12' }), // A 17: 児, 3 days
  createTrialStay({ householdId: 'h1', personId: 'p-a', from: '2026-10-01', to: '2026-10-01' }), // A again: 1 day
  createTrialStay({ householdId: 'h2', personId: 'p-c', from: '2027-03-30', to: '2027-04-02' }), // C 者: 30, 31 March = 2 days
  createTrialStay({ householdId: 'h2', personId: 'p-c', from: '2026-03-30', to: '2026-04-01' }), // began before: not a 件; 1 April = 1 day
  createTrialStay({ householdId: 'h-gone', personId: 'p-x', from: '2026-07-01', to: '2026-07-02' }), // household no longer held: 不明, 2 days
  // entered by mistake and cancelled: not counted at all
  createTrialStay({ householdId: 'h2', personId: 'p-c', from: '2026-06-01', to: '2026-06-05', cancelled: { reason: '別の方の記録', by: '相談 一郎', at: '2026-06-06T00:00:00.000Z' } }),
];

const facilities = [
  createFacility({ id: 'f1', hubFunctions: ['emergency-acceptance', 'experience'] }),
  createFacility({ id: 'f2', hubFunctions: ['experience'] }),
  createFacility({ id: 'f3', hubFunctions: [] }),
  createFacility({ id: 'f4', hubFunctions: ['consultation', 'specialists'] }),
];

async function report() {
  return buildYearlyReport({ range: FY2026, today: TODAY, households, cases: await cases(), trialStays, facilities, offices });
}

describe('年次実績報告 on a hand-worked hub, fiscal year 2026', () => {
  it('fiscal years run April to March in Japan dates', () => {
    expect(FY2026).toEqual({ from: '2026-04-01', to: '2027-03-31' });
    expect(fiscalYearOf('2027-03-31')).toBe(2026);
    expect(fiscalYearOf('2027-04-01')).toBe(2027);
  });

  it('事前登録者: registered on the last day, 者/児 by age on that day; new; withdrawn; per municipality', async () => {
    const { registration } = await report();
    // h1 (A 者 — 18 on 31 March —, B 児), h2 (C 者), h6 (G 不明, withdrawn only after the year); not h3 (withdrawn), h4 (later), h5 (draft)
    expect(registration.onLastDay).toEqual({ adult: 2, child: 1, unknown: 1, total: 4 });
    expect(registration.households).toBe(3);
    // h2 (C) and h6 (G) gave consent in the year
    expect(registration.newlyRegistered).toEqual({ adult: 1, child: 0, unknown: 1, total: 2 });
    // h3 (D, 12 on the last day)
    expect(registration.withdrawn).toEqual({ adult: 0, child: 1, unknown: 0, total: 1 });
    expect(registration.byMunicipality).toEqual([
      { municipality: 'みなと市', adult: 1, child: 1, unknown: 0, total: 2 },
      { municipality: 'あさひ市', adult: 1, child: 0, unknown: 0, total: 1 },
      { municipality: '', adult: 0, child: 0, unknown: 1, total: 1 },
    ]);
  });

  it('事前登録者 per municipality: one municipality however it was typed (prefecture, spaces, full width)', async () => {
    const typed = (h: (typeof households)[number], municipality: string) => ({ ...h, persons: h.persons.map((p) => ({ ...p, municipality })) });
    const [h1, h2, ...rest] = households as [(typeof households)[number], (typeof households)[number], ...typeof households];
    const { registration } = buildYearlyReport({
      range: FY2026, today: TODAY, cases: [], trialStays: [], facilities, offices,
      households: [typed(h1, '千葉県みなと市'), typed(h2, ' みなと市　'), ...rest],
    });
    expect(registration.byMunicipality).toEqual([
      { municipality: 'みなと市', adult: 2, child: 1, unknown: 0, total: 3 },
      { municipality: '', adult: 0, child: 0, unknown: 1, total: 1 },
    ]);
  });

  it('緊急対応: cases and persons of the year, by category, admitted, days inside the year and exits', async () => {
    const { emergencies } = await report();
    expect(emergencies.cases).toBe(4); // K1, K3, K4, K5 (K2 is March 2026, K6 is 1 April 2027 in Japan)
    expect(emergencies.persons).toBe(3); // A (twice), B, the unknown caller
    expect(Object.fromEntries(emergencies.byCategory.map((r) => [r.category, r.count]))).toEqual({
      '介護者の急病・けが': 0,
      '介護者の入院': 2,
      '介護者の死亡': 0,
      '本人の状態悪化': 1,
      '虐待・権利侵害': 0,
      '災害': 0,
      'その他': 1,
    });
    expect(emergencies.admitted).toBe(3); // K1, K3, K5
    expect(emergencies.admittedPersons).toEqual({ adult: 0, child: 2, unknown: 0, total: 2 }); // A was 17 on 1 May 2026, B 16
    // K1 4 + K2 2 (1–2 April only) + K3 2 (30–31 March, still there) + K5 2 + K6 0
    expect(emergencies.stayDays).toBe(10);
    expect(Object.fromEntries(emergencies.exits.map((r) => [r.exit, r.count]))).toEqual({ 自宅に戻った: 1, 別の事業所: 1, 入院: 1, 施設入所: 0, その他: 0 });
  });

  it('体験の機会・場: stays begun in the year, persons, 者/児 at the stay, days inside the year; a cancelled stay not at all', async () => {
    const { trialStays: t } = await report();
    expect(t.count).toEqual({ adult: 1, child: 2, unknown: 1, total: 4 });
    expect(t.persons).toEqual({ adult: 1, child: 1, unknown: 1, total: 3 });
    expect(t.days).toBe(9); // 3 + 1 + 2 + 1 + 2
  });

  it('体験利用日数 read mid-year counts a stay going on up to today, not the nights still to come', () => {
    const going = [createTrialStay({ householdId: 'h1', personId: 'p-a', from: '2026-12-05', to: '2027-01-10' })];
    const r = buildYearlyReport({ range: FY2026, today: '2026-12-06', households, cases: [], trialStays: going, facilities, offices });
    expect(r.trialStays.days).toBe(2); // 5 and 6 December
    expect(buildYearlyReport({ range: FY2026, today: '2027-04-10', households, cases: [], trialStays: going, facilities, offices }).trialStays.days).toBe(37);
  });

  it('登録事業所: hub offices on the last day, facilities per hub function', async () => {
    const { members } = await report();
    expect(members.hubOffices).toBe(1); // office-2 is not a hub, office-3 only from April 2027
    expect(members.facilities).toBe(3);
    expect(Object.fromEntries(members.byFunction.map((r) => [r.fn, r.count]))).toEqual({
      consultation: 1,
      'emergency-acceptance': 1,
      'emergency-response': 0,
      experience: 2,
      specialists: 1,
    });
  });

  it('登録事業所: an office registered twice (two phones offline) counts once, with the functions of both records', async () => {
    const f1 = facilities.find((f) => f.id === 'f1')!;
    const twin = createFacility({ id: 'f1-twin', officeNumber: ` ${f1.officeNumber} `, hubFunctions: ['emergency-response'] });
    const { members } = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: await cases(), trialStays, facilities: [...facilities, twin], offices });
    expect(members.facilities).toBe(3);
    expect(members.byFunction.find((r) => r.fn === 'emergency-response')!.count).toBe(1);
    expect(members.byFunction.find((r) => r.fn === 'experience')!.count).toBe(2);
  });

  it('登録事業所: a facility 廃止 before the year is no longer counted; one 廃止 during it, or on 休止, still is', async () => {
    const member = facilities.find((f) => f.hubFunctions.length > 0)!;
    const count = async (closure: (typeof member)['closure']) =>
      buildYearlyReport({ range: FY2026, today: TODAY, households, cases: await cases(), trialStays, facilities: facilities.map((f) => (f === member ? { ...f, closure } : f)), offices }).members.facilities;
    expect(await count({ kind: 'closed', from: '2026-03-31', until: null, note: '' })).toBe(2);
    expect(await count({ kind: 'closed', from: '2026-10-01', until: null, note: '' })).toBe(3);
    expect(await count({ kind: 'suspended', from: '2026-03-01', until: null, note: '' })).toBe(3);
  });

  it('相談強化加算: claims whose coordination falls in the year, per office, 700 units each', async () => {
    const { claims } = await report();
    expect(claims.byOffice.map((r) => [r.officeNumber, r.count, r.units])).toEqual([
      ['1200000001', 2, 1400], // K1 and K3
      ['1200000002', 0, 0],
      ['1200000003', 0, 0],
    ]);
    expect(claims.total).toEqual({ count: 2, units: 1400 });
    expect(claims.pending).toBe(0);
  });

  it('相談強化加算: a case of the year still undecided (no outcome yet on 20 March) is counted apart as 要確認, not lost', async () => {
    const undecided = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt: '2027-03-20T03:00:00.000Z' }),
      contactBody({ contactedAt: '2027-03-20T03:20:00.000Z' }),
      facts(),
    ], 'k-open');
    const r = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: [...(await cases()), undecided], trialStays, facilities, offices });
    expect(r.claims.total).toEqual({ count: 2, units: 1400 });
    expect(r.claims.pending).toBe(1);
    expect(yearlyReportRows(r).find((row) => row.label.startsWith('要確認'))).toMatchObject({ section: '相談強化加算', total: 1, units: null });
  });

  it('緊急対応: a stay with no 退所 recorded is said, its days counted to the year’s end', async () => {
    const r = await report();
    expect(r.emergencies.staysWithoutEnd).toBe(1); // K3, still there on 31 March
    expect(yearlyReportRows(r).find((row) => row.label.startsWith('うち退所が未記録の入所'))?.total).toBe(1);
  });

  it('緊急一時利用者数: 者/児 on the day of the first short-stay coordination, as the claim bills it, not of the admission after midnight', async () => {
    // A turns 18 on 31 March 2027: a facility reached at 23:40 on 30 March (17, 児), admitted at 00:20 on the 31st
    const eve = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', A), requestedAt: '2027-03-30T14:30:00.000Z' }),
      contactBody({ contactedAt: '2027-03-30T14:40:00.000Z' }),
      admit('2027-03-30T15:20:00.000Z'),
    ], 'k-eve');
    const r = buildYearlyReport({ range: fiscalYearRange(2026), today: TODAY, households, cases: [eve], trialStays: [], facilities, offices });
    expect(r.emergencies.admittedPersons).toMatchObject({ adult: 0, child: 1 });
    // called at 23:50 on the 30th, the facility reached at 00:10 on the 31st: 者 that day, as billed
    const past = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', A), requestedAt: '2027-03-30T14:50:00.000Z' }),
      contactBody({ contactedAt: '2027-03-30T15:10:00.000Z' }),
      admit('2027-03-30T15:40:00.000Z'),
    ], 'k-past');
    const later = buildYearlyReport({ range: fiscalYearRange(2026), today: TODAY, households, cases: [past], trialStays: [], facilities, offices });
    expect(later.emergencies.admittedPersons).toMatchObject({ adult: 1, child: 0 });
  });

  it('登録事業所: a facility registered after the year is no member of it (last year read again reads as it did)', async () => {
    const later = createFacility({ id: 'f-late', hubFunctions: ['experience'], createdAt: '2027-04-02T00:00:00.000Z' });
    const r = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: await cases(), trialStays, facilities: [...facilities, later], offices });
    expect(r.members.facilities).toBe(3);
  });

  it('相談強化加算: a case of the year answered 同じ with one of the year before claims nothing in the year (the claims screen’s decision)', async () => {
    // C again: 31 March 2026 23:00 JST, coordinated 23:30 (March's claim); 1 April 01:00, coordinated 01:10, the same emergency.
    const march = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt: '2026-03-31T14:00:00.000Z' }),
      contactBody({ contactedAt: '2026-03-31T14:30:00.000Z' }),
      admit('2026-03-31T15:00:00.000Z'),
      facts(),
    ], 'march');
    const april = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt: '2026-03-31T16:00:00.000Z' }),
      contactBody({ contactedAt: '2026-03-31T16:10:00.000Z' }),
      admit('2026-03-31T16:30:00.000Z'),
      facts(),
      { type: 'same-emergency', otherCaseId: 'march', otherRequestedAt: '2026-03-31T14:00:00.000Z', answer: 'same', reason: '' },
    ], 'april');
    const r = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: [march, april], trialStays: [], facilities: [], offices });
    expect(r.claims.total).toEqual({ count: 0, units: 0 });
  });

  it('緊急対応: one emergency opened as two cases (answered 同じ) is one 件, one stay of 11 days and one exit (問74)', async () => {
    // C, 10 May 2026: a second coordinator opened a case for the same call; both recorded the stay 10–20 May.
    const stay = (id: string, requestedAt: string, extra: EntryBody[] = []) =>
      buildCase([
        openBody({ officeId: 'office-1', subject: subject('h2', C), requestedAt, category: '介護者の入院' }),
        contactBody({ contactedAt: '2026-05-10T01:00:00.000Z' }),
        admit('2026-05-10T03:00:00.000Z'),
        facts(),
        close('2026-05-10T04:00:00.000Z'),
        stayEnd('2026-05-20T01:00:00.000Z', '自宅に戻った'),
        ...extra,
      ], id);
    const one = await stay('one', '2026-05-10T00:00:00.000Z');
    const two = await stay('two', '2026-05-10T00:20:00.000Z', [{ type: 'same-emergency', otherCaseId: 'one', otherRequestedAt: '2026-05-10T00:00:00.000Z', answer: 'same', reason: '' }]);
    for (const order of [[one, two], [two, one]]) {
      const { emergencies } = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: order, trialStays: [], facilities: [], offices });
      expect(emergencies.cases).toBe(1);
      expect(emergencies.admitted).toBe(1);
      expect(emergencies.stayDays).toBe(11);
      expect(emergencies.exits.find((r) => r.exit === '自宅に戻った')!.count).toBe(1);
    }
    // answered 別 (separate): two 件, and still 11 days, as the person was in one short stay
    const separate = await stay('three', '2026-05-10T00:20:00.000Z', [{ type: 'same-emergency', otherCaseId: 'one', otherRequestedAt: '2026-05-10T00:00:00.000Z', answer: 'separate', reason: '別の依頼' }]);
    const apart = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: [one, separate], trialStays: [], facilities: [], offices }).emergencies;
    expect([apart.cases, apart.stayDays]).toEqual([2, 11]);
  });

  it('緊急対応: an admission two phones recorded at once with another outcome (在宅で対応) is counted apart as 要確認 in either read order, and counted once settled', async () => {
    // 30 November 2026: phone 2 admits the person to ふじ at 17:50, phone 1 records 在宅で対応; nobody has settled which
    const hub = await cases();
    const before = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: hub, trialStays: [], facilities: [], offices }).emergencies;
    for (const last of ['home', 'admission'] as const) {
      const fork = foldCase((await forkedOutcomes({ last, caseId: 'fork' })).entries);
      const r = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: [...hub, fork], trialStays: [], facilities: [], offices });
      // a 件 of the year, but neither admitted nor left out silently: its own line says it waits
      expect(r.emergencies).toMatchObject({ cases: before.cases + 1, admitted: before.admitted, admittedPersons: before.admittedPersons, stayDays: before.stayDays, staysWithoutEnd: before.staysWithoutEnd, admissionsInDoubt: 1 });
      expect(yearlyReportRows(r).find((row) => row.label.startsWith('短期入所が要確認'))).toMatchObject({ section: '緊急対応', total: 1 });
    }
    // settled (the admission recorded again by a phone holding both): admitted, 30 November to 31 March = 122 days
    const { entries, phone1, admission } = await forkedOutcomes({ last: 'home', caseId: 'fork' });
    const settled = foldCase(await appendEntries(entries, [{ body: admission, at: '2026-11-30T09:10:00.000Z' }], 'fork', phone1));
    const r = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: [...hub, settled], trialStays: [], facilities: [], offices });
    expect(r.emergencies).toMatchObject({ admitted: before.admitted + 1, stayDays: before.stayDays + 122, staysWithoutEnd: before.staysWithoutEnd + 1, admissionsInDoubt: 0 });
  });

  it('緊急対応: 者/児 of a person admitted twice is read on the first admission of the range, whatever the order of the records', async () => {
    // A is 17 (児) on 1 May 2026 and 18 (者) on 31 March 2027, her birthday
    const may = (await cases()).find((c) => c.id === 'k1')!;
    const birthday = await buildCase([
      openBody({ officeId: 'office-1', subject: subject('h1', A), requestedAt: '2027-03-31T00:00:00.000Z' }),
      contactBody({ contactedAt: '2027-03-31T00:20:00.000Z' }),
      admit('2027-03-31T01:00:00.000Z'),
      facts(),
      close('2027-03-31T01:30:00.000Z'),
    ], 'birthday');
    for (const order of [[may, birthday], [birthday, may]]) {
      const { emergencies } = buildYearlyReport({ range: FY2026, today: TODAY, households, cases: order, trialStays: [], facilities: [], offices });
      expect(emergencies.admittedPersons).toEqual({ adult: 0, child: 1, unknown: 0, total: 1 });
    }
  });

  it('事前登録者 of a year still running are read on today, not on a 31 March to come', async () => {
    const r = buildYearlyReport({ range: FY2026, today: '2026-12-06', households, cases: [], trialStays: [], facilities: [], offices });
    // A is 17 today (18 only on 31 March 2027): 児 now
    expect(r.registration.asOf).toBe('2026-12-06');
    expect(r.registration.onLastDay).toEqual({ adult: 1, child: 2, unknown: 1, total: 4 });
    expect(yearlyReportRows(r)[0]!.label).toBe('登録者数（2026年12月6日時点）');
  });

  it('a stay still going on counts only to today when the range runs past it', async () => {
    const r = buildYearlyReport({ range: FY2026, today: '2027-03-30', households, cases: await cases(), trialStays: [], facilities: [], offices });
    expect(r.emergencies.stayDays).toBe(9); // K3 counts 30 March only
  });

  it('leaves the demo hub’s records out of every figure when asked, and counts what it left out', async () => {
    // the demo: a household made by the generator and one stored as demo under another id, each with a
    // case and a trial stay; a case of its unnamed caller at its office; its facility and its office
    const demoPerson = createPerson({ id: 'p-demo', birthDate: '1995-01-01', municipality: 'みなと市', recipientNumber: '9999999999' });
    const demoHouseholds = [
      createHousehold({ id: 'demo-h-00001', persons: [demoPerson], consent: consent('2026-06-01') }),
      createHousehold({ id: 'h-stored-as-demo', persons: [createPerson({ id: 'p-demo2', birthDate: '2012-01-01' })], consent: consent('2026-07-01') }),
    ];
    const demoOffice = office('demo-office-1', '2024-04-01', '9912345678');
    const demoCases = await Promise.all([
      buildCase([
        openBody({ officeId: 'demo-office-1', subject: subject('demo-h-00001', demoPerson), requestedAt: '2026-06-10T03:00:00.000Z', category: '災害' }),
        contactBody({ contactedAt: '2026-06-10T03:30:00.000Z' }),
        admit('2026-06-10T06:00:00.000Z'),
        facts(),
        close('2026-06-10T06:30:00.000Z'),
      ], 'demo-k1'),
      buildCase([
        openBody({ officeId: 'office-1', subject: { householdId: 'h-stored-as-demo', personId: 'p-demo2', name: 'デモ', recipientNumber: '' }, requestedAt: '2026-07-10T03:00:00.000Z', category: '災害' }),
        close('2026-07-10T03:30:00.000Z'),
      ], 'demo-k2'),
      buildCase([
        openBody({ officeId: 'demo-office-1', subject: { householdId: null, personId: null, name: '（デモ）名乗らなかった相談者', recipientNumber: '' }, requestedAt: '2026-08-10T03:00:00.000Z', category: '災害' }),
        close('2026-08-10T03:30:00.000Z'),
      ], 'demo-k3'),
    ]);
    const demoStays = [
      createTrialStay({ id: 'demo-ts-demo-h-00001-p-demo-1', householdId: 'demo-h-00001', personId: 'p-demo', from: '2026-06-01', to: '2026-06-03' }),
      createTrialStay({ householdId: 'h-stored-as-demo', personId: 'p-demo2', from: '2026-08-01', to: '2026-08-01' }),
    ];
    const demoFacility = createFacility({ id: 'demo-f-00001', hubFunctions: ['emergency-acceptance', 'consultation'] });
    const all = {
      range: FY2026,
      today: TODAY,
      households: [...households, ...demoHouseholds],
      cases: [...(await cases()), ...demoCases],
      trialStays: [...trialStays, ...demoStays],
      facilities: [...facilities, demoFacility],
      offices: new Map([...offices, ['demo-office-1', demoOffice]]),
    };
    const { demoLeftOut, ...figures } = buildYearlyReport({ ...all, leaveOutDemo: { householdIds: new Set(['h-stored-as-demo']) } });
    const { demoLeftOut: none, ...real } = await report();
    // the same figures as the hub without its demo: 4 emergencies, not 7; 4 registered, not 6
    expect(figures).toEqual(real);
    expect(figures.emergencies.cases).toBe(4);
    expect(figures.registration.onLastDay.total).toBe(4);
    expect(figures.claims.byOffice.map((o) => o.officeId)).not.toContain('demo-office-1');
    expect(demoLeftOut).toEqual({ households: 2, cases: 3, trialStays: 2, facilities: 1, offices: 1, total: 9 });
    expect(none.total).toBe(0);
    expect(demoLeftOutNote(demoLeftOut)).toBe('デモデータ 9件は含めていません（世帯 2件・緊急対応の記録 3件・体験利用 2件・短期入所事業所 1件・相談支援事業所 1件）。');
    expect(demoLeftOutNote(none)).toBeNull();
    // not asked: the records given are counted, demo or not (the demo hub's own report, demo-report.test.ts)
    expect(buildYearlyReport(all).emergencies.cases).toBe(7);
  });

  it('refuses a range that ends before it starts', () => {
    expect(() => buildYearlyReport({ range: { from: '2027-01-02', to: '2027-01-01' }, today: TODAY, households: [], cases: [], trialStays: [], facilities: [], offices })).toThrow(RangeError);
  });
});
