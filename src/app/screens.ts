/**
 * Screens loaded after unlock, kept out of the start bundle. The lock screen starts fetching the
 * households screen while the passphrase is typed, so unlocking does not wait for it.
 */
export const loadHouseholdsScreen = () =>
  import('../features/households/households-screen').then((m) => ({ default: m.HouseholdsScreen }));

export const loadSettingsScreen = () =>
  import('../features/settings/settings-screen').then((m) => ({ default: m.SettingsScreen }));

export const loadFacilitiesScreen = () =>
  import('../features/facilities/facilities-screen').then((m) => ({ default: m.FacilitiesScreen }));

export const loadMatchScreen = () => import('../features/match/match-screen').then((m) => ({ default: m.MatchScreen }));

export const loadCasesScreen = () =>
  import('../features/emergencies/cases-screen').then((m) => ({ default: m.CasesScreen }));

export const loadClaimsScreen = () =>
  import('../features/claims/claims-screen').then((m) => ({ default: m.ClaimsScreen }));
