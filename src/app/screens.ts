/**
 * Screens loaded after unlock, kept out of the start bundle. The lock screen starts fetching the
 * households screen while the passphrase is typed, so unlocking does not wait for it.
 *
 * A screen whose module has already arrived renders at once. Through React.lazy alone it would
 * still suspend once on its first render, and React holds a revealed Suspense boundary back for
 * up to ~300 ms (its fallback throttling): at a cold start that was most of the first paint.
 */
import { createElement, lazy, useState, type ComponentType } from 'react';

export interface LazyScreen<P extends object = Record<never, never>> {
  readonly Screen: ComponentType<P>;
  /** starts loading the module (once); a failed load may be tried again */
  preload(): Promise<unknown>;
}

export function lazyComponent<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyScreen<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<{ default: ComponentType<P> }> | undefined;
  const preload = () =>
    (pending ??= load().then(
      (m) => {
        loaded = m.default;
        return m;
      },
      (error: unknown) => {
        pending = undefined;
        // React keeps a lazy component's failure for good: the screen failed again at every visit
        // even where the browser would fetch it again. The next mount tries afresh. Browsers that
        // keep a failed module fetch until the page reloads (whatwg/html#10327 is not in all of them
        // yet) fail it again, and the screen's crash notice offers 再読み込み, as before.
        Lazy = lazy(preload);
        throw error;
      },
    ));
  let Lazy = lazy(preload);
  function Screen(props: P) {
    // Chosen once per mount: switching from Lazy to the loaded component on a later render would
    // be another element type, and React would remount the screen and lose what it holds.
    const [component] = useState<ComponentType<P>>(() => loaded ?? (Lazy as unknown as ComponentType<P>));
    return createElement(component, props);
  }
  return { Screen, preload };
}

export function lazyScreen(load: () => Promise<{ default: ComponentType }>): LazyScreen {
  return lazyComponent(load);
}

/**
 * The unlocked app's frame (bar, navigation, sync status, idle lock), not needed to paint the set-up
 * or lock screen; those two start fetching it.
 */
export const appShell = lazyComponent<{ onReconnect: () => Promise<void> }>(() => import('./app-shell').then((m) => ({ default: m.AppShell })));

/** An added person's first unlock, before anything opens (rare: not fetched ahead). */
export const mustChangeScreen = lazyScreen(() => import('./must-change-screen').then((m) => ({ default: m.MustChangePassphraseScreen })));

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
