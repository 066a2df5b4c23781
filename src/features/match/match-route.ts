/** The match route: '#/match/<householdId>/<personId>'. */
export interface MatchRoute {
  readonly householdId: string;
  readonly personId: string;
}

export function parseMatchRoute(hash: string): MatchRoute | null {
  const parts = hash.replace(/^#\/?/, '').split(/[?]/)[0]!.split('/').filter(Boolean);
  if (parts[0] !== 'match' || !parts[1] || !parts[2]) return null;
  try {
    return { householdId: decodeURIComponent(parts[1]), personId: decodeURIComponent(parts[2]) };
  } catch {
    return null; // a malformed %-escape
  }
}

export const matchPaths = {
  match: (householdId: string, personId: string) =>
    `#/match/${encodeURIComponent(householdId)}/${encodeURIComponent(personId)}`,
  edit: (householdId: string) => `#/households/${encodeURIComponent(householdId)}/edit`,
  detail: (householdId: string) => `#/households/${encodeURIComponent(householdId)}`,
  facilities: () => '#/facilities',
};
