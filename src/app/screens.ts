/**
 * Screens loaded after unlock, kept out of the start bundle. The lock screen starts fetching the
 * households screen while the passphrase is typed, so unlocking does not wait for it.
 *
 * A screen whose module has already arrived renders at once. Through React.lazy alone it would
 * still suspend once on its first render, and React holds a revealed Suspense boundary back for
 * up to ~300 ms (its fallback throttling): at a cold start that was most of the first paint.
 */
import { createElement, lazy, useState, type ComponentType } from 'react';

export interface LazyScreen {
  readonly Screen: ComponentType;
  /** starts loading the module (once); a failed load may be tried again */
  preload(): Promise<unknown>;
}

export function lazyScreen(load: () => Promise<{ default: ComponentType }>): LazyScreen {
  let loaded: ComponentType | undefined;
  let pending: Promise<{ default: ComponentType }> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (m) => {
        loaded = m.default;
        return m;
      },
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  function Screen() {
    // Chosen once per mount: switching from Lazy to the loaded component on a later render would
    // be another element type, and React would remount the screen and lose what it holds.
    const [component] = useState<ComponentType>(() => loaded ?? Lazy);
    return createElement(component);
  }
  return { Screen, preload };
}

export const householdsScreen = lazyScreen(() =>
  import('../features/households/households-screen').then((m) => ({ default: m.HouseholdsScreen })),
);
export const settingsScreen = lazyScreen(() => import('../features/settings/settings-screen').then((m) => ({ default: m.SettingsScreen })));
export const facilitiesScreen = lazyScreen(() =>
  import('../features/facilities/facilities-screen').then((m) => ({ default: m.FacilitiesScreen })),
);
export const matchScreen = lazyScreen(() => import('../features/match/match-screen').then((m) => ({ default: m.MatchScreen })));
export const casesScreen = lazyScreen(() => import('../features/emergencies/cases-screen').then((m) => ({ default: m.CasesScreen })));
export const bonusScreen = lazyScreen(() =>
  import('../features/function-bonus/function-bonus-screen').then((m) => ({ default: m.FunctionBonusScreen })),
);
export const reportsScreen = lazyScreen(() => import('../features/reports/reports-screen').then((m) => ({ default: m.ReportsScreen })));
export const claimsScreen = lazyScreen(() => import('../features/claims/claims-screen').then((m) => ({ default: m.ClaimsScreen })));
