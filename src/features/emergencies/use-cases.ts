/**
 * The cases as they stand, read from the store's chains, and each chain's check. The check runs
 * whenever a case is opened (and again after every new entry), off the render path.
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { foldOnce, useFoldedCases } from '../../state/folded-cases';
import { verifyChainOnce, type ChainCheck } from '../../domain/case-chain';
import { capGroupKeyLookupOf, personFactsLookupOf, type PersonFactsLookup, type SubjectKeyOf } from '../../domain/claim-rules';
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

type Held = Parameters<typeof personFactsLookupOf>[0];
const factsLookups = new WeakMap<Held, PersonFactsLookup>();

/** The persons' claim facts over the held households: one lookup per version of them, so that what is built on it is kept. */
export function personFactsOf(households: Held): PersonFactsLookup {
  let factsOf = factsLookups.get(households);
  if (factsOf === undefined) factsLookups.set(households, (factsOf = personFactsLookupOf(households)));
  return factsOf;
}

const keyLookups = new WeakMap<readonly EmergencyCase[], WeakMap<PersonFactsLookup, SubjectKeyOf>>();

/**
 * Persons as the claim groups them, over every case: built once for a list of cases and a facts
 * lookup, and shared by the screen's sections (the claim line and 同じ緊急事態 each built it, 10 ms
 * apiece at 6,000 cases, at every entry added).
 */
export function capGroupKeyOf(cases: readonly EmergencyCase[], factsOf: PersonFactsLookup): SubjectKeyOf {
  let byFacts = keyLookups.get(cases);
  if (byFacts === undefined) keyLookups.set(cases, (byFacts = new WeakMap()));
  let keyOf = byFacts.get(factsOf);
  if (keyOf === undefined) byFacts.set(factsOf, (keyOf = capGroupKeyLookupOf(cases, factsOf)));
  return keyOf;
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
    void verifyChainOnce(entries).then((check) => {
      if (live) setChain({ for: entries, check });
    });
    return () => {
      live = false;
    };
  }, [entries]);
  return { entries, kase, chain: chain && chain.for === entries ? chain.check : null };
}
