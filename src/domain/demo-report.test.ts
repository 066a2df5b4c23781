/**
 * The demo hub must show a 年次実績報告 worth looking at: every figure of the year non-zero
 * (issue 15). Built as the demo button builds it: the hub, its month of night calls (chained and
 * checked by the case rules), and its trial stays. This is the report of the records given: the
 * 年次実績報告 screen leaves demo records out (leaveOutDemo, yearly-report.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { chainNext } from './case-chain';
import { foldCase, validateEntry } from './case-fold';
import { demoClaimMonth } from './demo-cases';
import { generateDemoHub } from './demo-data';
import { demoTrialStays } from './demo-trial-stays';
import type { CaseEntry } from './emergency-case';
import { validateTrialStay } from './trial-stay';
import { buildYearlyReport, fiscalYearRange } from './yearly-report';

const NOW = '2026-12-03T06:00:00.000Z';

async function demoReport() {
  const hub = generateDemoHub({ households: 40, facilities: 8, now: NOW });
  const plan = demoClaimMonth(hub.households, hub.facilities, hub.offices[0]!.id, NOW, new Set([hub.households[0]!.id]));
  const held: CaseEntry[][] = [];
  for (const [n, demo] of [...plan.beforeClose, ...plan.afterClose].entries()) {
    const entries: CaseEntry[] = [];
    const other = demo.answer ? held[demo.answer.other]?.[0]?.body : undefined;
    const answer = demo.answer && other?.type === 'open'
      ? [{ type: 'same-emergency' as const, otherCaseId: `c${demo.answer.other}`, otherRequestedAt: other.requestedAt, answer: demo.answer.answer, reason: demo.answer.reason }]
      : [];
    for (const body of [...demo.bodies, ...answer]) {
      expect(validateEntry(entries.length === 0 ? null : foldCase(entries), body, NOW)).toEqual([]);
      entries.push(await chainNext(entries, { id: `c${n}-e${entries.length}`, caseId: `c${n}`, recordedAt: NOW, recordedBy: { userId: 'u', name: 'デモ' }, deviceId: 'd', body }));
    }
    held.push(entries);
  }
  const cases = held.map((entries) => foldCase(entries));
  const trialStays = demoTrialStays(hub.households, hub.facilities, NOW);
  const report = buildYearlyReport({
    range: fiscalYearRange(2026),
    today: '2026-12-03',
    households: hub.households,
    cases,
    trialStays,
    facilities: hub.facilities,
    offices: new Map([...hub.offices, ...plan.offices].map((o) => [o.id, o])),
  });
  return { hub, trialStays, report };
}

describe('the demo hub’s yearly report', () => {
  it('has every figure of the year above zero', async () => {
    const { report } = await demoReport();
    const r = report.registration;
    expect([r.onLastDay.adult, r.onLastDay.child, r.households, r.newlyRegistered.total, r.withdrawn.total]).not.toContain(0);
    expect(r.byMunicipality.length).toBeGreaterThan(1);
    expect(r.byMunicipality.every((m) => m.total > 0 && m.municipality !== '')).toBe(true);
    const e = report.emergencies;
    expect([e.cases, e.persons, e.admitted, e.admittedPersons.total, e.stayDays]).not.toContain(0);
    expect(e.byCategory.filter((c) => c.count > 0).length).toBeGreaterThan(1);
    expect(e.exits.filter((x) => x.count > 0).length).toBeGreaterThan(1);
    const t = report.trialStays;
    expect([t.count.adult, t.count.child, t.persons.adult, t.persons.child, t.days]).not.toContain(0);
    expect(report.members.hubOffices).toBeGreaterThan(0);
    expect(report.members.facilities).toBeGreaterThan(0);
    expect(report.members.byFunction.filter((f) => f.count > 0).length).toBeGreaterThan(1);
    expect(report.claims.total.count).toBeGreaterThan(0);
    expect(report.claims.total.units).toBe(report.claims.total.count * 700);
  });

  it('makes trial stays the form would accept: known facilities, no overlap for one person', async () => {
    const { hub, trialStays } = await demoReport();
    const facilities = new Map(hub.facilities.map((f) => [f.id, f]));
    for (const s of trialStays) {
      const draft = { facilityId: s.facilityId, from: s.from, to: s.to, purpose: s.purpose, howItWent: s.howItWent, nextTime: s.nextTime };
      const ctx = { id: s.id, householdId: s.householdId, personId: s.personId, facilities, stays: trialStays, recordedBy: s.recordedBy, now: s.createdAt };
      expect(validateTrialStay(draft, ctx)).toEqual({ ok: true, value: s });
    }
  });
});
