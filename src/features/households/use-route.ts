/** The households sub-routes, read from the hash the app shell already uses ('#/', '#/households/…'). */
export { navigate, useHash } from '../../state/router';

export type HouseholdRoute =
  | { readonly name: 'list' }
  | { readonly name: 'new' }
  | { readonly name: 'reviews' }
  | { readonly name: 'detail'; readonly id: string }
  | { readonly name: 'edit'; readonly id: string }
  | { readonly name: 'print'; readonly id: string };

export function parseRoute(hash: string): HouseholdRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'households' || !parts[1]) return { name: 'list' };
  if (parts[1] === 'new') return { name: 'new' };
  if (parts[1] === 'reviews') return { name: 'reviews' };
  const id = parts[1];
  if (parts[2] === 'edit') return { name: 'edit', id };
  if (parts[2] === 'print') return { name: 'print', id };
  return { name: 'detail', id };
}

export const paths = {
  list: () => '#/',
  new: () => '#/households/new',
  /** 見直し予定: the review worklist */
  reviews: () => '#/households/reviews',
  detail: (id: string) => `#/households/${encodeURIComponent(id)}`,
  edit: (id: string) => `#/households/${encodeURIComponent(id)}/edit`,
  print: (id: string) => `#/households/${encodeURIComponent(id)}/print`,
  /** the emergency match for one person (served by the match feature) */
  match: (id: string, personId: string) => `#/match/${encodeURIComponent(id)}/${encodeURIComponent(personId)}`,
  /** the match recording its calls in the person's open case */
  matchForCase: (id: string, personId: string, caseId: string) =>
    `#/match/${encodeURIComponent(id)}/${encodeURIComponent(personId)}?case=${encodeURIComponent(caseId)}`,
  /**
   * starts an emergency case for a caller who is not registered (served by the emergencies feature);
   * the name searched for goes to its 「氏名（聞き取り）」 in memory (noteCarriedName), never in the address
   */
  startUnknown: () => '#/cases/new',
  /** starts an emergency case for one person, stamping the request time (served by the emergencies feature) */
  startCase: (id: string, personId: string) => `#/cases/new/${encodeURIComponent(id)}/${encodeURIComponent(personId)}`,
};
