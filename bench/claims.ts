/**
 * Exporting a month of evidence for the 相談強化加算 claim (issue 4; goal under 1 s for 500 cases):
 * check every case's hash chain, read the cases, decide the claims, and write both CSVs in both
 * encodings. The cases are generated here: 500 emergencies in one month for 200 people, each with
 * a request, claim facts, 1-4 calls with results, an outcome and a close (about 4,000 entries).
 */
import { chainNext, verifyChain } from '../src/domain/case-chain';
import { foldCase } from '../src/domain/case-fold';
import { claimDetailCsv, claimSummaryCsv, casesForMonth, encodeClaimCsv } from '../src/domain/claim-csv';
import { decideClaims, summarizeClaims } from '../src/domain/claim-rules';
import type { CaseEntry, EntryBody, Office } from '../src/domain/emergency-case';
import { median, ms, verdict } from './stats';

const OFFICE: Office = {
  id: 'bench-office',
  name: 'ベンチ相談支援センター',
  officeNumber: '9900000001',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};
const MONTH = '2026-11';
const FACILITIES = ['あおば短期入所センター', 'みどり荘ショートステイ', 'ひだまり', 'さくら園', 'つばさの家'];

async function generateCase(i: number): Promise<CaseEntry[]> {
  const caseId = `bench-case-${i}`;
  const person = i % 200;
  // spread over November (Japan time), from 1 Nov 00:00 JST = 31 Oct 15:00Z
  const start = Date.parse('2026-10-31T15:00:00.000Z') + ((i * 7919) % (29 * 24 * 60)) * 60_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000).toISOString();
  const calls = 1 + (i % 4);
  const bodies: EntryBody[] = [
    {
      type: 'open',
      officeId: OFFICE.id,
      subject: { householdId: `hh-${person}`, personId: `p-${person}`, name: `利用者 ${person}`, recipientNumber: String(1_000_000_000 + person) },
      requestedAt: at(0),
      requestedAtReason: '',
      category: '介護者の急病・けが',
      detail: '主たる介護者が救急搬送。本人は自宅に一人、夜間の見守りが必要。',
      caller: '叔母',
      callerPhone: '090-0000-0000',
    },
    { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' },
  ];
  for (let c = 0; c < calls; c++) {
    bodies.push({
      type: 'contact',
      facilityId: `fac-${c}`,
      facilityName: FACILITIES[c % FACILITIES.length]!,
      facilityOfficeNumber: `12100000${String(c).padStart(2, '0')}`,
      shortStay: true,
      contactedAt: at(5 + c * 7),
      method: '電話',
      result: c === calls - 1 ? '受入可' : '受入不可',
      note: c === calls - 1 ? '22時から受入可、経管栄養の物品持参' : '満床',
    });
  }
  bodies.push(
    { type: 'outcome', outcome: '短期入所', facilityId: `fac-${calls - 1}`, facilityName: FACILITIES[(calls - 1) % FACILITIES.length]!, from: at(60), note: '' },
    { type: 'close', closedAt: at(90) },
  );
  const entries: CaseEntry[] = [];
  for (const [n, body] of bodies.entries()) {
    entries.push(
      await chainNext(entries, {
        id: `${caseId}-${n}`,
        caseId,
        recordedAt: at(n),
        recordedBy: { userId: 'u-1', name: '夜間 太郎' },
        deviceId: 'bench-device',
        body,
      }),
    );
  }
  return entries;
}

/** What the claim screen does for one office and month, from the stored chains to four files. */
async function exportMonth(chains: readonly (readonly CaseEntry[])[]): Promise<number> {
  const checks = await Promise.all(chains.map((entries) => verifyChain(entries)));
  if (checks.some((c) => !c.ok)) throw new Error('bench: a generated chain does not verify');
  const cases = chains.map((entries) => foldCase(entries));
  const decisionList = decideClaims(cases, new Map([[OFFICE.id, OFFICE]]));
  const decisions = new Map(decisionList.map((d) => [d.caseId, d]));
  const month = casesForMonth(cases, decisions, OFFICE.id, MONTH);
  const summary = claimSummaryCsv(summarizeClaims(decisionList, cases, OFFICE.id, MONTH), OFFICE, MONTH);
  const detail = claimDetailCsv({ office: OFFICE, month: MONTH, cases: month, decisions });
  let bytes = 0;
  for (const text of [summary, detail]) {
    for (const encoding of ['utf-8-bom', 'shift_jis'] as const) bytes += encodeClaimCsv(text, encoding).length;
  }
  return bytes;
}

export async function benchClaimExport(cases = 500): Promise<void> {
  const chains = await Promise.all(Array.from({ length: cases }, (_, i) => generateCase(i)));
  const entries = chains.reduce((n, c) => n + c.length, 0);
  const times: number[] = [];
  let bytes = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    bytes = await exportMonth(chains);
    times.push(performance.now() - t0);
  }
  const med = median(times);
  console.log(
    `\n相談強化加算 month export, ${cases} cases (${entries.toLocaleString()} entries): chains checked, claims decided, summary + detail CSV in UTF-8 and Shift_JIS (${(bytes / 1024).toFixed(0)} KB)` +
      `\n  median ${ms(med)} of 5, slowest ${ms(Math.max(...times))}  ${verdict(Math.max(...times), 1000)}`,
  );
}
