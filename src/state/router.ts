/**
 * A tiny hash router (no library): the hash survives offline reloads and needs no server rewrite.
 * The shell only decides between the top-level areas; the households screen reads its own
 * sub-routes ('#/households/…') from the same hash.
 */
import { useSyncExternalStore } from 'react';

export type AppArea = 'households' | 'facilities' | 'match' | 'cases' | 'claims' | 'bonus' | 'reports' | 'settings';

export const appPaths: Readonly<Record<AppArea, string>> = {
  households: '#/',
  facilities: '#/facilities',
  match: '#/',
  cases: '#/cases',
  claims: '#/claims',
  bonus: '#/bonus',
  reports: '#/reports',
  settings: '#/settings',
};

const AREAS: ReadonlySet<string> = new Set(['facilities', 'match', 'cases', 'claims', 'bonus', 'reports', 'settings']);

/** The first path segment names the area ('#/settings/…', '#/facilities/…', '#/match/…'); anything else is households. */
export function parseArea(hash: string): AppArea {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return AREAS.has(first) ? (first as AppArea) : 'households';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHash(): string {
  return useSyncExternalStore(subscribe, () => window.location.hash, () => '');
}

/**
 * Goes to `hash`, a new entry in the history (the back button returns here). With `replace`, the
 * current entry is replaced: after a form is saved, back must not reopen the form.
 */
export function navigate(hash: string, options: { replace?: boolean } = {}): void {
  if (window.location.hash === hash) return;
  if (options.replace) window.location.replace(hash);
  else window.location.hash = hash;
}

/** The place a hash names, without its query ('#/claims?month=…' → '#/claims'): a new place opens at its top. */
export function placeOf(hash: string): string {
  const path = hash.split('?')[0] ?? '';
  return path === '' || path === '#' ? '#/' : path;
}
