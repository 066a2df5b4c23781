/**
 * The 年次実績報告 at a large hub's size (issue 15; goal under 1 s), in Node: 10,000 households,
 * five years of night calls (25,000 cases, about 150,000 entries, most admitted, most of those with
 * a recorded end) and 20,000 trial stays. Timed as the screen does it: fold every stored chain into
 * its case, then count the year. Beside it, at the same size, the month's 相談強化加算 export: fold,
 * decide the claims over every case, check the month's chains, write both CSVs in both encodings.
 */
import { chainNext, verifyChain } from '../src/domain/case-chain';
import { foldCase } from '../src/domain/case-fold';
import { casesForMonth, claimDetailCsv, claimSummaryCsv, encodeClaimCsv } from '../src/domain/claim-csv';
import { decideClaims, summarizeClaims } from '../src/domain/claim-rules';
import { generateDemoHub } from '../src/domain/demo-data';
import { EXIT_KINDS, REQUEST_CATEGORIES, type CaseEntry, type EntryBody } from '../src/domain/emergency-case';
import { addDaysToDate } from '../src/domain/japan-time';
import type { TrialStay } from '../src/domain/trial-stay';
import { buildYearlyReport, fiscalYearRange } from '../src/domain/yearly-report';
import { yearlyReportCsv } from '../src/domain/yearly-report-rows';
import { encodeCsvBytes } from '../src/domain/csv-encoding';
import { median, ms, verdict } from './stats';

const NOW = '2026-11-30T03:00:00.000Z';
const CASES = 25_000;
const TRIAL_STAYS = 20_000;
const FIVE_YEARS_MIN = 5 * 365 * 24 * 60;
const START = Date.parse('2021-12-01T00:00:00.000Z');
const MONTH = '2026-10';

async function generateChain(i: number, people: readonly { householdId: string; personId: string; name: string; recipientNumber: string }[], facilities: readonly { id: string; name: string; officeNumber: string }[], officeId: string): Promise<CaseEntry[]> {
  const caseId = `bench-y-${i}`;
  const who = people[(i * 7919) % people.length]!;
  const t0 = START + ((i * 104_729) % FIVE_YEARS_MIN) * 60_000;
  const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();
  const yes = facilities[i % facilities.length]!;
  const admitted = i % 5 !== 0;
  const bodies: EntryBody[] = [
    { type: 'open', officeId, subject: { householdId: who.householdId, personId: who.personId, name: who.name, recipientNumber: who.recipientNumber }, requestedAt: at(0), requestedAtReason: '', category: REQUEST_CATEGORIES[i % REQUEST_CATEGORIES.length]!, detail: '主たる介護者が急病', caller: '叔母', callerPhone: '090-0000-0000' },
    { type: 'contact', facilityId: yes.id, facilityName: yes.name, facilityOfficeNumber: yes.officeNumber, shortStay: true, contactedAt: at(10), method: '電話', result: admitted ? '受入可' : '受入不可', note: '' },
    admitted
      ? { type: 'outcome', outcome: '短期入所', facilityId: yes.id, facilityName: yes.name, from: at(60), note: '' }
      : { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '親族が来訪' },
    { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' },
    { type: 'close', closedAt: at(75) },
  ];
  // Every stay has ended, but for the last few calls (people in emergency stay now).
  if (admitted && i < CASES - 20) bodies.push({ type: 'stay-end', endedAt: at(60 + (1 + (i % 9)) * 24 * 60), exit: EXIT_KINDS[i % EXIT_KINDS.length]!, note: 'ベンチ' });
  const entries: CaseEntry[] = [];
  for (const [n, body] of bodies.entries()) {
    entries.push(await chainNext(entries, { id: `${caseId}-${n}`, caseId, recordedAt: at(n), recordedBy: { userId: 'u-1', name: '夜間 太郎' }, deviceId: 'bench', body }));
  }
  return entries;
}

function timed<T>(rounds: number, work: () => T): { times: number[]; value: T } {
  const times: number[] = [];
  let value!: T;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    value = work();
    times.push(performance.now() - t0);
  }
  return { times, value };
}

export async function benchYearlyReport(): Promise<void> {
  const hub = generateDemoHub({ households: 10_000, facilities: 1_000, now: NOW });
  const office = hub.offices[0]!;
  const offices = new Map([[office.id, office]]);
  const people = hub.households.flatMap((h) => h.persons.map((p) => ({ householdId: h.id, personId: p.id, name: p.name, recipientNumber: p.recipientNumber })));
  const chains: CaseEntry[][] = [];
  for (let i = 0; i < CASES; i += 1000) {
    chains.push(...(await Promise.all(Array.from({ length: Math.min(1000, CASES - i) }, (_, k) => generateChain(i + k, people, hub.facilities, office.id)))));
  }
  const entries = chains.reduce((n, c) => n + c.length, 0);
  const trialStays: TrialStay[] = Array.from({ length: TRIAL_STAYS }, (_, i) => {
    const who = people[(i * 6151) % people.length]!;
    const from = addDaysToDate('2021-12-01', (i * 97) % (5 * 365));
    const f = hub.facilities[i % hub.facilities.length]!;
    return { id: `bench-ts-${i}`, householdId: who.householdId, personId: who.personId, facilityId: f.id, facilityName: f.name, from, to: addDaysToDate(from, i % 4), purpose: '体験', howItWent: '', nextTime: '', recordedBy: 'ベンチ', createdAt: NOW, updatedAt: NOW };
  });

  // The chains folded into cases, as the store's screens hold them (every case screen needs them).
  const folded = timed(5, () => chains.map((c) => foldCase(c)));
  const report = timed(5, () => {
    const cases = folded.value;
    const r = buildYearlyReport({ range: fiscalYearRange(2025), today: '2026-11-30', households: hub.households, cases, trialStays, facilities: hub.facilities, offices });
    return { r, bytes: encodeCsvBytes(yearlyReportCsv(r, { on: '2026-11-30' }), 'shift_jis').length };
  });
  const r = report.value.r;
  console.log(
    `\n年次実績報告, ${hub.households.length.toLocaleString()} households, ${CASES.toLocaleString()} cases (${entries.toLocaleString()} entries), ${TRIAL_STAYS.toLocaleString()} trial stays, in Node: FY2025 counted from the cases, CSV written` +
      ` (${r.emergencies.cases.toLocaleString()} cases, ${r.emergencies.stayDays.toLocaleString()} stay days, ${r.trialStays.count.total.toLocaleString()} trial stays, ${r.claims.total.count.toLocaleString()} claims in the year)` +
      `\n  median ${ms(median(report.times))} of 5, slowest ${ms(Math.max(...report.times))}  ${verdict(Math.max(...report.times), 1000)}` +
      `\n  with folding the ${CASES.toLocaleString()} chains first (as after an unlock): median ${ms(median(report.times) + median(folded.times))}  ${verdict(median(report.times) + median(folded.times), 1000)}`,
  );

  const exportTimes: number[] = [];
  let monthCases = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    const cases = chains.map((c) => foldCase(c));
    const decisionList = decideClaims(cases, offices);
    const decisions = new Map(decisionList.map((d) => [d.caseId, d]));
    const month = casesForMonth(cases, decisions, office.id, MONTH);
    const checks = await Promise.all(month.map((c) => verifyChain(c.entries)));
    if (checks.some((c) => !c.ok)) throw new Error('bench: a generated chain does not verify');
    const summary = claimSummaryCsv(summarizeClaims(decisionList, cases, office.id, MONTH), office, MONTH);
    const detail = claimDetailCsv({ office, month: MONTH, cases: month, decisions });
    for (const text of [summary, detail]) for (const encoding of ['utf-8-bom', 'shift_jis'] as const) encodeClaimCsv(text, encoding);
    exportTimes.push(performance.now() - t0);
    monthCases = month.length;
  }
  console.log(
    `相談強化加算 month export at the same size (${MONTH}: ${monthCases} of ${CASES.toLocaleString()} cases), in Node: chains folded, claims decided, the month's chains checked, both CSVs in both encodings` +
      `\n  median ${ms(median(exportTimes))} of 5, slowest ${ms(Math.max(...exportTimes))}  ${verdict(Math.max(...exportTimes), 1000)}`,
  );
}
