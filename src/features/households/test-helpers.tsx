/** Mounts the households screen over a given store state. Imported only by this feature's *.test.tsx. */
import { render } from '@testing-library/react';
import { resetDemoTask } from './demo-controls';
import userEvent from '@testing-library/user-event';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import type { Household } from '../../domain/household';
import { buildHouseholdIndex } from '../../domain/search';
import type { VaultSession } from '../../vault/types';
import { createFakeSession } from '../../../test/factories/fake-session';
import { HouseholdsScreen } from './households-screen';
import { summarizeHousehold } from '../../domain/household-summary';

const initial = useApp.getState();

/** Back to the store as the app starts (zustand's testing guide: reset between tests). */
export function resetStore(): void {
  useApp.setState(initial, true);
  resetDemoTask();
  // the form's folded sections remember their state per tab (form-sections.tsx)
  sessionStorage.clear();
}

export function setUnlocked(session: VaultSession, households: readonly Household[] = [], demo: readonly string[] = []): void {
  useApp.setState({
    session,
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    households: new Map(households.map((h) => [h.id, h])),
    householdsLoaded: true,
    summaries: new Map(households.map((h) => [h.id, summarizeHousehold(h)])),
    demoIds: new Set(demo),
    index: buildHouseholdIndex(households),
    error: null,
    unsaved: new Set(),
    beforeLock: new Set(),
  });
}

export function mountScreen({
  hash = '#/',
  households = [],
  session = createFakeSession(),
}: { hash?: string; households?: readonly Household[]; session?: VaultSession } = {}) {
  setUnlocked(session, households);
  window.location.hash = hash;
  const user = userEvent.setup();
  const view = render(<HouseholdsScreen />);
  return { user, session, ...view };
}
