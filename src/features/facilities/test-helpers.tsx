/** Mounts the facilities screen over a given store state. Imported only by this feature's *.test.tsx. */
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import type { Facility } from '../../domain/facility';
import type { VaultSession } from '../../vault/types';
import { createFakeSession } from '../../../test/factories/fake-session';
import { FacilitiesScreen } from './facilities-screen';

const initial = useApp.getState();

export function resetStore(): void {
  useApp.setState(initial, true);
}

export function mountFacilities({
  hash = '#/facilities',
  facilities = [],
  session = createFakeSession(),
}: { hash?: string; facilities?: readonly Facility[]; session?: VaultSession } = {}) {
  useApp.setState({
    session,
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    facilities: new Map(facilities.map((f) => [f.id, f])),
    error: null,
    unsaved: new Set(),
    beforeLock: new Set(),
  });
  window.location.hash = hash;
  const user = userEvent.setup();
  const view = render(<FacilitiesScreen />);
  return { user, session, ...view };
}
