/**
 * What a pull under a user's session hands out [S10] (docs/sync-protocol.md, "What a pull hands
 * out"): every office for an admin or coordinator, their own office for a case worker, their one
 * facility for a facility liaison. The hub answers it with every pull page; the app checks each page
 * against the person its run signed in as (src/sync/engine.ts). One function for both, so they
 * cannot drift apart. No zod: the app's start bundle may read it.
 */
import type { Role, WireScope } from './sync';

export interface ScopedUser {
  readonly role: Role;
  readonly officeId: string | null;
  readonly facilityId: string | null;
}

export function wireScopeOf(user: ScopedUser): WireScope {
  switch (user.role) {
    case 'admin':
    case 'coordinator':
      return { role: user.role, officeIds: 'all', facilityId: null };
    case 'case-worker':
      return { role: user.role, officeIds: user.officeId === null ? [] : [user.officeId], facilityId: null };
    case 'facility-liaison':
      return { role: user.role, officeIds: [], facilityId: user.facilityId };
  }
}
