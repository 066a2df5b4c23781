/** The facilities sub-routes, read from the same hash the app shell uses ('#/facilities/…'). */
export { navigate, useHash } from '../../state/router';

export type FacilityRoute =
  | { readonly name: 'list' }
  | { readonly name: 'new' }
  | { readonly name: 'import' }
  | { readonly name: 'detail'; readonly id: string }
  | { readonly name: 'edit'; readonly id: string }
  | { readonly name: 'vacancy'; readonly id: string };

export function parseRoute(hash: string): FacilityRoute {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'facilities' || !parts[1]) return { name: 'list' };
  if (parts[1] === 'new') return { name: 'new' };
  if (parts[1] === 'import') return { name: 'import' };
  const id = parts[1];
  if (parts[2] === 'vacancy') return { name: 'vacancy', id };
  return parts[2] === 'edit' ? { name: 'edit', id } : { name: 'detail', id };
}

export const paths = {
  list: () => '#/facilities',
  new: () => '#/facilities/new',
  import: () => '#/facilities/import',
  detail: (id: string) => `#/facilities/${encodeURIComponent(id)}`,
  edit: (id: string) => `#/facilities/${encodeURIComponent(id)}/edit`,
  /** 空床を報告: the liaison's one step */
  vacancy: (id: string) => `#/facilities/${encodeURIComponent(id)}/vacancy`,
  /** the match recording its calls in an open case (served by the match feature) */
  matchForCase: (householdId: string, personId: string, caseId: string) =>
    `#/match/${encodeURIComponent(householdId)}/${encodeURIComponent(personId)}?case=${encodeURIComponent(caseId)}`,
  /** the case screen (served by the emergencies feature) */
  case: (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`,
};
