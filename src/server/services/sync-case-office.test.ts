/**
 * [S10] The office a new case is held under. A case opened 「本人未特定で開始」 has no household the hub
 * holds: it goes under the office its open entry names (the office that claims it), so that office's
 * 相談支援専門員 pull it and can link it to the household registered the next morning.
 */
import { describe, expect, it } from 'vitest';
import type { WireChange } from '../../protocol/sync';
import { HUB_ONLY_OFFICE } from '../../protocol/sync';
import type { ScopeFacts, UserRecord } from '../db/account-store';
import { decideChanges } from './sync';

const user = (role: UserRecord['role'], officeId: string | null): UserRecord => ({
  id: `u-${role}-${officeId ?? 'none'}`,
  tenantId: 't',
  role,
  loginName: role,
  displayName: role,
  officeId,
  facilityId: null,
  disabled: false,
  passwordHash: null,
  totpSecret: null,
  totpLastStep: null,
});

const facts: ScopeFacts = {
  officeIds: new Set(['office-a', 'office-b']),
  households: new Map([['hh-a', 'office-a']]),
  cases: new Map(),
  trialStays: new Map(),
};

const nobody = { householdId: null, personId: null, name: '', recipientNumber: '' };

const entry = (caseId: string, body: Record<string, unknown>, n = 1): WireChange => ({
  seq: n,
  mutationId: `00000000-0000-4000-8000-00000000000${n}`,
  kind: 'case-entry',
  entityId: `${caseId}-e${n}`,
  op: 'append',
  at: '2026-12-08T01:00:00.000Z',
  payload: { id: `${caseId}-e${n}`, caseId, body },
  baseVersion: null,
});

const open = (caseId: string, officeId: string, subject: Record<string, unknown> = nobody) => entry(caseId, { type: 'open', officeId, subject });
const link = (caseId: string) => entry(caseId, { type: 'link', subject: { householdId: 'hh-b', personId: 'p-b', name: '佐藤 一郎', recipientNumber: '' } }, 2);

describe('[S10] a new case with no household: held under the office its open entry names', () => {
  it("[S10] a coordinator's unlinked case for office B is held under B, not the coordinator's own office; an admin's under B, not (hub); nothing else moves", () => {
    expect(decideChanges(user('coordinator', 'office-a'), [open('case-1', 'office-b')], facts)).toEqual([{ ok: true, officeId: 'office-b' }]);
    expect(decideChanges(user('admin', null), [open('case-2', 'office-b')], facts)).toEqual([{ ok: true, officeId: 'office-b' }]);
    // an office the hub does not know (a device-only office) falls back as before: the user's office, else (hub)
    expect(decideChanges(user('coordinator', 'office-a'), [open('case-3', 'device-office')], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
    expect(decideChanges(user('coordinator', null), [open('case-4', 'device-office')], facts)).toEqual([{ ok: true, officeId: HUB_ONLY_OFFICE }]);
    // a case for a household the hub holds still follows the household's office
    const registered = { householdId: 'hh-a', personId: 'p-a', name: '山田 花子', recipientNumber: '' };
    expect(decideChanges(user('coordinator', null), [open('case-5', 'office-b', registered)], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
    // a case worker's is held under their own office, whichever office it names (never refused: it is the night's evidence)
    expect(decideChanges(user('case-worker', 'office-a'), [open('case-6', 'office-b')], facts)).toEqual([{ ok: true, officeId: 'office-a' }]);
  });

  it("[S10] office B's case worker may then link it (結び付け), where before it was refused as scope; office A's may not", () => {
    const [opened] = decideChanges(user('coordinator', 'office-a'), [open('case-1', 'office-b')], facts);
    const held: ScopeFacts = { ...facts, cases: new Map([['case-1', opened!.ok ? opened!.officeId : null]]) };
    expect(decideChanges(user('case-worker', 'office-b'), [link('case-1')], held)).toEqual([{ ok: true, officeId: 'office-b' }]);
    expect(decideChanges(user('case-worker', 'office-a'), [link('case-1')], held)[0]).toMatchObject({ ok: false, reason: 'scope' });
    // in one push, the open and the link after it
    expect(decideChanges(user('coordinator', null), [open('case-3', 'office-b'), link('case-3')], facts)).toEqual([
      { ok: true, officeId: 'office-b' },
      { ok: true, officeId: 'office-b' },
    ]);
  });
});
