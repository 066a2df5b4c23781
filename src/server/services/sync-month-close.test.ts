import { describe, expect, it } from 'vitest';
import type { WireChange } from '../../protocol/sync';
import type { ScopeFacts, UserRecord } from '../db/account-store';
import { decideChanges } from './sync';

const user = (role: UserRecord['role'], officeId: string | null): UserRecord => ({
  id: `u-${role}`,
  tenantId: 't',
  role,
  loginName: role,
  displayName: role,
  officeId,
  facilityId: role === 'facility-liaison' ? 'fac-1' : null,
  disabled: false,
  passwordHash: null,
  totpSecret: null,
  totpLastStep: null,
});
const facts: ScopeFacts = { officeIds: new Set(['office-a', 'office-b']), households: new Map(), cases: new Map(), trialStays: new Map() };
const close = (officeId: string): WireChange =>
  ({ seq: 1, mutationId: '00000000-0000-4000-8000-000000000001', kind: 'month-close', entityId: 'close-1', op: 'append', at: '2027-01-08T01:00:00.000Z', payload: { id: 'close-1', officeId }, baseVersion: null }) as WireChange;

describe('[S10] month-close (請求済み): held under the office it closes', () => {
  it('an admin or a coordinator closes any office; a case worker only their own; a facility liaison none', () => {
    expect(decideChanges(user('admin', null), [close('office-b')], facts)).toEqual([{ ok: true, officeId: 'office-b' }]);
    expect(decideChanges(user('coordinator', 'office-a'), [close('office-b')], facts)).toEqual([{ ok: true, officeId: 'office-b' }]);
    expect(decideChanges(user('case-worker', 'office-a'), [close('office-a')], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
    expect(decideChanges(user('case-worker', 'office-a'), [close('office-b')], facts)[0]).toMatchObject({ ok: false, reason: 'scope' });
    expect(decideChanges(user('facility-liaison', null), [close('office-a')], facts)[0]).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('an office id the hub does not know falls back to the writer\'s office, as a household does', () => {
    expect(decideChanges(user('case-worker', 'office-a'), [close('device-office')], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
  });
});
