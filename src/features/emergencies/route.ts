/** The emergency-case routes, read from the hash the app shell already uses ('#/cases…'). */
export { navigate, useHash } from '../../state/router';

export type CaseRoute =
  | { readonly name: 'list' }
  /** a new case: for a registered person, or (both null) for an unknown caller */
  | { readonly name: 'new'; readonly householdId: string | null; readonly personId: string | null }
  | { readonly name: 'case'; readonly id: string };

export function parseCaseRoute(hash: string): CaseRoute {
  let parts: string[];
  try {
    parts = hash.replace(/^#\/?/, '').split('?')[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { name: 'list' }; // a malformed %-escape
  }
  if (parts[0] !== 'cases' || !parts[1]) return { name: 'list' };
  if (parts[1] === 'new') return { name: 'new', householdId: parts[2] ?? null, personId: parts[2] ? (parts[3] ?? null) : null };
  return { name: 'case', id: parts[1] };
}

const enc = encodeURIComponent;

export const casePaths = {
  list: () => '#/cases',
  newFor: (householdId: string, personId: string) => `#/cases/new/${enc(householdId)}/${enc(personId)}`,
  newUnknown: () => '#/cases/new',
  case: (id: string) => `#/cases/${enc(id)}`,
  /** the match, told which case to record calls in (served by the match feature) */
  match: (householdId: string, personId: string, caseId: string) =>
    `#/match/${enc(householdId)}/${enc(personId)}?case=${enc(caseId)}`,
  household: (householdId: string) => `#/households/${enc(householdId)}`,
  claims: () => '#/claims',
};
