/**
 * The cases as they stand, folded once per chain. A chain is replaced (never changed in place)
 * when an entry is written or pulled, so a fold is kept against the chain's array: after a call is
 * recorded only that case is folded again, not five years of them (6,000 cases took 1–2 s on this
 * machine, on every screen that read them, at every entry).
 */
import { foldCase } from '../domain/case-fold';
import type { CaseEntry, EmergencyCase } from '../domain/emergency-case';
import { useApp } from './store';

export interface FoldedCases {
  /** every readable case, in the store's order */
  readonly cases: readonly EmergencyCase[];
  /** ids of stored chains that cannot be read as a case at all (no open entry): reported, never hidden */
  readonly unreadable: readonly string[];
}

const folds = new WeakMap<readonly CaseEntry[], EmergencyCase | null>();
const all = new WeakMap<ReadonlyMap<string, readonly CaseEntry[]>, FoldedCases>();

/** The case of one chain, folded once; null for a chain that cannot be read as a case. */
export function foldOnce(entries: readonly CaseEntry[]): EmergencyCase | null {
  let kase = folds.get(entries);
  if (kase === undefined) {
    try {
      kase = foldCase(entries);
    } catch {
      kase = null;
    }
    folds.set(entries, kase);
  }
  return kase;
}

export function foldedCasesOf(caseEntries: ReadonlyMap<string, readonly CaseEntry[]>): FoldedCases {
  let folded = all.get(caseEntries);
  if (folded === undefined) {
    const cases: EmergencyCase[] = [];
    const unreadable: string[] = [];
    for (const [id, entries] of caseEntries) {
      const kase = foldOnce(entries);
      if (kase) cases.push(kase);
      else unreadable.push(id);
    }
    folded = { cases, unreadable: unreadable.sort() };
    all.set(caseEntries, folded);
  }
  return folded;
}

/** Every case of the store, folded (the same object for every screen until a chain changes). */
export function useFoldedCases(): FoldedCases {
  return foldedCasesOf(useApp((s) => s.caseEntries));
}
