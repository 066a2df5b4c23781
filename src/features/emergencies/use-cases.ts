/**
 * The cases as they stand, read from the store's chains, and each chain's check. The check runs
 * whenever a case is opened (and again after every new entry), off the render path.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { verifyChain, type ChainCheck } from '../../domain/case-chain';
import { foldCase } from '../../domain/case-fold';
import type { CaseEntry, EmergencyCase } from '../../domain/emergency-case';

/** A chain whose first entry is missing cannot be read at all: it is reported, never hidden. */
export function tryFold(entries: readonly CaseEntry[]): EmergencyCase | null {
  try {
    return foldCase(entries);
  } catch {
    return null;
  }
}

/** Every readable case, newest request first. */
export function useAllCases(): readonly EmergencyCase[] {
  const caseEntries = useApp((s) => s.caseEntries);
  return useMemo(() => {
    const cases: EmergencyCase[] = [];
    for (const entries of caseEntries.values()) {
      const c = tryFold(entries);
      if (c) cases.push(c);
    }
    return cases.sort((a, b) => Date.parse(b.open.body.requestedAt) - Date.parse(a.open.body.requestedAt));
  }, [caseEntries]);
}

export interface OpenedCase {
  readonly entries: readonly CaseEntry[] | undefined;
  readonly kase: EmergencyCase | null;
  /** null while the check runs */
  readonly chain: ChainCheck | null;
}

export function useCase(id: string): OpenedCase {
  const entries = useApp((s) => s.caseEntries.get(id));
  const kase = useMemo(() => (entries ? tryFold(entries) : null), [entries]);
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
