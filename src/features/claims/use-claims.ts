/**
 * The month's claim for one office, read from the store's chains: every case folded, the claim
 * decisions over all of them (the cap counts across the month), the office's cases of the month,
 * and each of those cases' chain check, run off the render path.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { useFoldedCases } from '../../state/folded-cases';
import { verifyChain, type ChainCheck } from '../../domain/case-chain';
import { claimedInOtherMonths } from '../../domain/claim-close';
import { casesForMonth } from '../../domain/claim-csv';
import { childLookupOf, decideClaims, personFactsLookupOf, summarizeClaims } from '../../domain/claim-rules';
import type { ClaimDecision, ClaimSummaryRow } from '../../domain/claim-types';
import { subjectShownName, type CaseEntry, type EmergencyCase, type Office } from '../../domain/emergency-case';
import type { CountersignLookup } from '../../domain/countersign-status';
import { useSameItems } from '../../state/use-same-items';
import { isDemoCase, isDemoId } from '../../domain/demo-id';
import { T } from './text';

/** How the case is named on the screen and the report (a heard name marked 「（聞き取り）」). */
export function subjectName(c: EmergencyCase): string {
  return subjectShownName(c.subject);
}

const byRequest = (a: EmergencyCase, b: EmergencyCase) =>
  Date.parse(a.open.body.requestedAt) - Date.parse(b.open.body.requestedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export interface MonthClaim {
  readonly office: Office | undefined;
  /** the office's cases listed under the month (claim-csv casesForMonth), oldest request first */
  readonly cases: readonly EmergencyCase[];
  readonly decisions: ReadonlyMap<string, ClaimDecision>;
  readonly summary: readonly ClaimSummaryRow[];
  readonly unreadable: readonly string[];
  /** every readable case (the decisions cover them all): where a case that left the month went */
  readonly all: readonly EmergencyCase[];
  /** the demo's cases left out of a phone that holds real ones (each is its own claim otherwise) */
  readonly demoLeftOut: number;
}

export function useMonthClaim(officeId: string | null, month: string): MonthClaim {
  const { cases: folded, unreadable } = useFoldedCases();
  const offices = useApp((s) => s.offices);
  const summaries = useApp((s) => s.summaries);
  const demoIds = useApp((s) => s.demoIds);
  // A real office claims real cases only: a case started on the demo household under the user's own
  // office went into the office's CSV and its 請求済み. The demo's offices keep the demo's claims to
  // try the screen with. Keyed on whether the demo's cases count, not on the office: moving from one
  // real office to another keeps the same cases, and the decisions below are not made again.
  const withDemo = officeId === null || isDemoId(officeId);
  const all = useMemo(() => (withDemo ? folded : folded.filter((c) => !isDemoCase(c, demoIds))), [folded, demoIds, withDemo]);
  const demoLeftOut = useMemo(
    () => (withDemo ? 0 : folded.filter((c) => isDemoCase(c, demoIds) && c.open.body.officeId === officeId).length),
    [folded, demoIds, officeId, withDemo],
  );
  // 障害児相談支援 wording for a child: the person's age on the day of the coordination
  const childAt = useMemo(() => childLookupOf(summaries), [summaries]);
  // Over every case, not the month's (the cap counts across months): with thousands of cases this is
  // the screen's heaviest step, so choosing another month or office reuses it.
  const decisions = useMemo(
    // rule e: the person's enrolment in a service the office runs as one body
    () => new Map(decideClaims(all, offices, childAt, personFactsLookupOf(summaries)).map((d) => [d.caseId, d] as const)),
    [all, offices, childAt, summaries],
  );
  return useMemo(() => {
    const office = officeId ? offices.get(officeId) : undefined;
    if (!office) return { office, cases: [], decisions, summary: [], unreadable, all, demoLeftOut };
    const cases = casesForMonth(all, decisions, office.id, month).sort(byRequest);
    const summary = summarizeClaims([...decisions.values()], all, office.id, month, childAt);
    return { office, cases, decisions, summary, unreadable, all, demoLeftOut };
  }, [all, decisions, childAt, offices, officeId, month, unreadable, demoLeftOut]);
}

// An entries array is never changed in place (the store replaces it on append), so its check is
// computed once and shared by the screen and the report.
const checks = new WeakMap<readonly CaseEntry[], Promise<ChainCheck>>();

function checkOf(entries: readonly CaseEntry[]): Promise<ChainCheck> {
  let check = checks.get(entries);
  if (!check) {
    check = verifyChain(entries).catch((): ChainCheck => ({ ok: false, brokenAt: 0, problem: T.chainUnreadable }));
    checks.set(entries, check);
  }
  return check;
}

/**
 * The cases of the month an earlier month (請求済み) claimed before a correction moved them here
 * (case id → that month), and how many of them are claimed here again: billed twice unless the
 * earlier month's claim is returned. For the screen and the evidence report alike.
 */
export function useClaimedBefore(officeId: string | null, month: string, claim: Pick<MonthClaim, 'cases' | 'decisions'>) {
  const closes = useApp((s) => s.monthCloses);
  const claimedIn = useMemo(() => (officeId === null ? new Map<string, string>() : claimedInOtherMonths([...closes.values()], officeId, month)), [closes, officeId, month]);
  const billedTwice = claim.cases.filter((c) => claimedIn.has(c.id) && claim.decisions.get(c.id)?.status === 'claimed').length;
  return { claimedIn, billedTwice };
}

export interface ChainChecks {
  /** by case id; a case is missing while its check runs */
  readonly byCase: ReadonlyMap<string, ChainCheck>;
  /** every listed case has been checked */
  readonly done: boolean;
}

/** Runs verifyChain for each listed case (again whenever a case gains an entry). */
export function useChainChecks(cases: readonly EmergencyCase[]): ChainChecks {
  // foldCase keeps the store's entries array as it is: its identity changes with every append.
  // The same cases with the same entries (the list rebuilt because summaries or offices changed)
  // keep their results: the report stays printable and the screen's exports stay enabled.
  const lists = useSameItems(
    useMemo(() => cases.map((c) => [c.id, c.entries] as const), [cases]),
    (a, b) => a[0] === b[0] && a[1] === b[1],
  );
  const [result, setResult] = useState<{ for: typeof lists; byCase: Map<string, ChainCheck> } | null>(null);
  useEffect(() => {
    let live = true;
    void Promise.all(lists.map(([id, entries]) => checkOf(entries).then((check) => [id, check] as const))).then((done) => {
      if (live) setResult({ for: lists, byCase: new Map(done) });
    });
    return () => {
      live = false;
    };
  }, [lists]);
  const current = result !== null && result.for === lists;
  return { byCase: current ? result.byCase : new Map(), done: current };
}

/**
 * The cases whose chain does not hold, with the problem, in list order; with the hub's receipts
 * (`countersign`, once checked), also those holding an entry the hub's signature does not match:
 * a chain rewritten on the phone with every hash recomputed still holds, and only the receipts
 * catch it (case-chain.ts). The exports and 請求済み wait for both.
 */
export function brokenCases(
  cases: readonly EmergencyCase[],
  chain: ChainChecks,
  countersign?: CountersignLookup,
): { kase: EmergencyCase; problem: string }[] {
  return cases.flatMap((kase) => {
    const check = chain.byCase.get(kase.id);
    if (check && !check.ok) return [{ kase, problem: check.problem }];
    const mismatch = countersign === undefined ? undefined : kase.entries.find((e) => countersign(e.id).status === 'invalid');
    return mismatch ? [{ kase, problem: T.signatureMismatch(mismatch.index + 1) }] : [];
  });
}
