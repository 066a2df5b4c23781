import { describe, expect, it } from 'vitest';
import type { UserRecord } from '../db/account-store';
import { CHANGE_KINDS, KINDS_A_ROLE_WRITES, ROLES, type ChangeKind, type Role, type WireChange } from '../../protocol/sync';
import { decideChanges } from './sync';

const user = (role: Role, placed: boolean): UserRecord => ({
  id: `u-${role}`,
  tenantId: 'hub',
  role,
  loginName: role,
  displayName: role,
  officeId: placed ? 'office-a' : null,
  facilityId: placed ? 'fac-1' : null,
  disabled: false,
  passwordHash: null,
  totpSecret: null,
  totpLastStep: null,
});
const facts = {
  officeIds: new Set(['office-a', 'office-b']),
  households: new Map<string, string | null>([['hh-a', 'office-a']]),
  cases: new Map<string, string | null>([['case-a', 'office-a']]),
  trialStays: new Map(),
};

/** Changes of one kind, each as likely to be taken as a user of office-a and fac-1 can make it. */
function attempts(kind: ChangeKind): WireChange[] {
  const payloads: Record<string, unknown>[] = [
    {},
    { officeId: 'office-a' },
    { householdId: 'hh-a', facilityId: 'fac-1' },
    { caseId: 'case-a', body: { type: 'contact' } },
    { caseId: 'case-new', body: { type: 'open', subject: { householdId: 'hh-a' } } },
  ];
  return ['fac-1', 'hh-a', 'office-a', 'x-1'].flatMap((entityId) =>
    payloads.map((payload, i) => ({
      seq: i + 1,
      mutationId: '00000000-0000-4000-8000-000000000000',
      kind,
      entityId,
      op: 'create' as const,
      at: '2026-06-01T00:00:00.000Z',
      payload,
      baseVersion: null,
    })),
  );
}

describe('[S10] the kinds a role writes at all, as the hub decides them', () => {
  for (const role of ROLES) {
    it(`${role}: every kind outside KINDS_A_ROLE_WRITES is refused whatever the record; every kind in it is taken for some record`, () => {
      for (const kind of CHANGE_KINDS) {
        const decided = [true, false].flatMap((placed) => attempts(kind).map((c) => decideChanges(user(role, placed), [c], facts)[0]!));
        if (KINDS_A_ROLE_WRITES[role].has(kind)) {
          expect(decided.some((d) => d.ok), `${role} writes some ${kind}`).toBe(true);
        } else {
          expect(decided.filter((d) => d.ok || d.reason !== 'scope'), `${role} writes no ${kind}`).toEqual([]);
        }
      }
    });
  }
});
