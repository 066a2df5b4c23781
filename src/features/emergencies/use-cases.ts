/**
 * The cases as they stand, read from the store's chains, and each chain's check. The check runs
 * whenever a case is opened (and again after every new entry), off the render path.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { foldOnce, useFoldedCases } from '../../state/folded-cases';
import { verifyChain, type ChainCheck } from '../../domain/case-chain';
import type { CaseEntry, EmergencyCase } from '../../domain/emergency-case';

const newestFirst = new WeakMap<readonly EmergencyCase[], readonly EmergencyCase[]>();

/** Every readable case, newest request first. */
export function useAllCases(): readonly EmergencyCase[] {
  const { cases } = useFoldedCases();
  let sorted = newestFirst.get(cases);
  if (sorted === undefined) {
    // each time read once: parsing two per comparison took 16 ms at 6,000 cases, at every entry added
    sorted = cases
      .map((c) => ({ c, at: Date.parse(c.open.body.requestedAt) }))
      .sort((a, b) => b.at - a.at)
      .map(({ c }) => c);
    newestFirst.set(cases, sorted);
  }
  return sorted;
}

export interface OpenedCase {
  readonly entries: readonly CaseEntry[] | undefined;
  readonly kase: EmergencyCase | null;
  /** null while the check runs */
  readonly chain: ChainCheck | null;
}

export function useCase(id: string): OpenedCase {
  const entries = useApp((s) => s.caseEntries.get(id));
  const kase = useMemo(() => (entries ? foldOnce(entries) : null), [entries]);
  const [chain, setChain] = useState<{ for: readonly CaseEntry[]; check: ChainCheck } | null>(null);
  useEffect(() => {
    if (!entries) return;
    let live = true;
    void verifyChain(entries).then((check) => {
      if (live) setChain({ for: entries, check });
    });
    return () => {
      live = false;
    };
  }, [entries]);
  return { entries, kase, chain: chain && chain.for === entries ? chain.check : null };
}
