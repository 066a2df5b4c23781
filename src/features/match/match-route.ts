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

/** '?case=<id>': the emergency case the calls made from this match are recorded in. */
export function parseCaseParam(hash: string): string | null {
  const query = hash.split('?')[1];
  if (!query) return null;
  const id = new URLSearchParams(query).get('case');
  return id && id.trim() !== '' ? id : null;
}

export const matchPaths = {
  match: (householdId: string, personId: string) =>
    `#/match/${encodeURIComponent(householdId)}/${encodeURIComponent(personId)}`,
  /** the match recording its calls in a case */
  matchForCase: (householdId: string, personId: string, caseId: string) =>
    `#/match/${encodeURIComponent(householdId)}/${encodeURIComponent(personId)}?case=${encodeURIComponent(caseId)}`,
  /** 「緊急対応を開始」 for the person (served by the emergencies feature) */
  startCase: (householdId: string, personId: string) => `#/cases/new/${encodeURIComponent(householdId)}/${encodeURIComponent(personId)}`,
  edit: (householdId: string) => `#/households/${encodeURIComponent(householdId)}/edit`,
  detail: (householdId: string) => `#/households/${encodeURIComponent(householdId)}`,
  facilities: () => '#/facilities',
  /** the case screen (served by the emergencies feature) */
  case: (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`,
};
