import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../db/account-store';
import type { WireChange } from '../../protocol/sync';
import { decideChanges } from './sync';

const user = (role: UserRecord['role'], extra: Partial<UserRecord> = {}): UserRecord => ({
  id: `u-${role}`,
  tenantId: 'hub',
  role,
  loginName: role,
  displayName: role,
  officeId: null,
  facilityId: null,
  disabled: false,
  passwordHash: null,
  totpSecret: null,
  totpLastStep: null,
  ...extra,
});
const facts = {
  officeIds: new Set(['office-a', 'office-b']),
  households: new Map<string, string | null>([
    ['hh-a', 'office-a'],
    ['hh-b', 'office-b'],
  ]),
  cases: new Map<string, string | null>(),
  trialStays: new Map([
    ['ts-held-b', { householdId: 'hh-b', householdOffice: 'office-b', facilityId: 'fac-2' }],
    ['ts-moved-to-a', { householdId: 'hh-moved', householdOffice: 'office-a', facilityId: 'fac-2' }],
  ]),
};
let seq = 0;
const stay = (householdId: string, facilityId = 'fac-1'): WireChange => ({
  seq: ++seq,
  mutationId: '00000000-0000-4000-8000-000000000000',
  kind: 'trial-stay',
  entityId: `ts-${seq}`,
  op: 'create',
  at: '2026-06-01T00:00:00.000Z',
  payload: { householdId, facilityId },
  baseVersion: null,
});

describe('[S10] who may write a trial stay: the household’s scope', () => {
  it('holds a stay under its household’s office, for a coordinator', () => {
    expect(decideChanges(user('coordinator'), [stay('hh-b')], facts)).toEqual([{ ok: true, officeId: 'office-b' }]);
  });

  it('lets a case worker write stays for their own office’s households only', () => {
    const worker = user('case-worker', { officeId: 'office-a' });
    const [own, other] = decideChanges(worker, [stay('hh-a'), stay('hh-b')], facts);
    expect(own).toEqual({ ok: true, officeId: 'office-a' });
    expect(other).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('lets a facility liaison write stays at their own facility only, for a household the hub holds', () => {
    const liaison = user('facility-liaison', { facilityId: 'fac-1' });
    const [own, elsewhere, unknown] = decideChanges(liaison, [stay('hh-a', 'fac-1'), stay('hh-a', 'fac-2'), stay('hh-x', 'fac-1')], facts);
    expect(own).toEqual({ ok: true, officeId: 'office-a' });
    expect(elsewhere).toMatchObject({ ok: false, reason: 'scope' });
    expect(unknown).toMatchObject({ ok: false, reason: 'scope' });
  });

  it('judges a stay the hub holds as held: naming an own household does not take another office\'s stay, nor another facility\'s', () => {
    const update = (entityId: string, householdId: string, facilityId = 'fac-1'): WireChange => ({ ...stay(householdId, facilityId), entityId, op: 'update' });
    const worker = user('case-worker', { officeId: 'office-a' });
    const [taken, followed, created, createdThenEdited] = decideChanges(worker, [update('ts-held-b', 'hh-a'), update('ts-moved-to-a', 'hh-a'), stay('hh-a'), update(`ts-${seq}`, 'hh-a')], facts);
    expect(taken).toMatchObject({ ok: false, reason: 'scope', detail: expect.stringContaining('another office') });
    // its household moved to office A: A's case worker writes it (and so moves it to A)
    expect(followed).toEqual({ ok: true, officeId: 'office-a' });
    expect([created, createdThenEdited]).toEqual([{ ok: true, officeId: 'office-a' }, { ok: true, officeId: 'office-a' }]);
    const liaison = user('facility-liaison', { facilityId: 'fac-1' });
    expect(decideChanges(liaison, [update('ts-held-b', 'hh-b', 'fac-1')], facts)).toEqual([expect.objectContaining({ ok: false, reason: 'scope', detail: expect.stringContaining('another facility') })]);
    expect(decideChanges(user('coordinator'), [update('ts-held-b', 'hh-a')], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
  });

  it('counts a household moved earlier in the same push where it went: a shared phone\'s coordinator moves hh-b to A, then A\'s case worker edits its stay', () => {
    const coordinator = user('coordinator');
    const worker = user('case-worker', { officeId: 'office-a' });
    const move: WireChange = { ...stay('hh-b'), kind: 'household', entityId: 'hh-b', op: 'update', payload: { officeId: 'office-a' } };
    const edit: WireChange = { ...stay('hh-b'), entityId: 'ts-held-b', op: 'update' };
    const [moved, edited] = decideChanges((i) => (i === 0 ? coordinator : worker), [move, edit], facts);
    expect(moved).toEqual({ ok: true, officeId: 'office-a' });
    expect(edited).toEqual({ ok: true, officeId: 'office-a' });
  });
});
