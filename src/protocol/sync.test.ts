import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../test/factories/household';
import { createTestHubKey } from '../../test/factories/receipts';
import { ChangeResult, ConflictList, PullResponse, PushRequest, PushResponse, StaffList, UNKNOWN_REFUSAL_AS, WireChange } from './sync';
import { EvidenceReceipt } from './countersign-schema';

const household = createHousehold();
const record = (kind: string, entityId: string) => ({ kind, entityId, version: 7, officeId: null, withdrawn: false, payloadJson: JSON.stringify({ id: entityId }) });
const page = (records: readonly unknown[]) => ({
  records,
  cursor: 'e1:7',
  hasMore: false,
  scope: { role: 'coordinator', officeIds: 'all', facilityId: null },
  openConflicts: 0,
});
const change = {
  seq: 1,
  mutationId: '0b7c2a3e-8f14-4c55-9d2b-3a6f0e9c1d42',
  kind: 'household',
  entityId: household.id,
  op: 'update',
  at: '2026-12-04T05:00:00.000Z',
  payload: { id: household.id },
  baseVersion: 3,
} as const;

describe('[V2] a newer hub is read; what this app sends stays strict', () => {
  it('[V2] ignores answer fields this app does not know, at the top, in the scope, the epoch change and each record', () => {
    const answer = {
      ...page([{ ...record('household', household.id), author: 'u-1' }]),
      scope: { ...page([]).scope, facilityIds: ['f-1'] },
      epochChange: { floor: 3, lastSeq: 2, restoredAt: '2027-01-03T00:00:00.000Z' },
      hubVersion: '2027.1',
    };
    const parsed = PullResponse.parse(answer);
    expect(parsed.records).toEqual([record('household', household.id)]);
    expect(parsed.scope).toEqual(page([]).scope);
    expect(parsed.epochChange).toEqual({ floor: 3, lastSeq: 2 });
    expect(parsed).not.toHaveProperty('hubVersion');

    const pushed = PushResponse.parse({
      results: [{ seq: 1, mutationId: change.mutationId, status: 'accepted', version: 8, mergedFields: ['note'] }],
      serverTime: '2026-12-04T05:00:01.000Z',
      quota: { left: 10 },
    });
    expect(pushed).toEqual({ results: [{ seq: 1, mutationId: change.mutationId, status: 'accepted', version: 8 }], serverTime: '2026-12-04T05:00:01.000Z' });

    // What this app sends is checked as strictly as before: a key it does not know is a bug here.
    expect(PushRequest.safeParse({ changes: [change], extra: 1 }).success).toBe(false);
    expect(WireChange.safeParse({ ...change, extra: 1 }).success).toBe(false);
    expect(WireChange.safeParse({ ...change, kind: 'future-kind' }).success).toBe(false);
  });

  it('[V2] leaves a pulled record of a kind this app does not know out of the page, and names its kind; the rest is read', () => {
    const known = record('household', household.id);
    const parsed = PullResponse.parse(page([record('care-plan', 'cp-1'), known, record('care-plan', 'cp-2')]));
    expect(parsed.records).toEqual([known]);
    expect(parsed.unknownKinds).toEqual(['care-plan']);
    expect(PullResponse.parse(page([known])).unknownKinds).toEqual([]);
    // The names are the app's, never the hub's.
    expect(PullResponse.parse({ ...page([known]), unknownKinds: ['household'] }).unknownKinds).toEqual([]);
    // A record of a known kind that is broken still fails the page: that hub is broken, not newer.
    expect(PullResponse.safeParse(page([{ ...known, version: 'seven' }])).success).toBe(false);
    expect(PullResponse.safeParse(page([{ ...known, kind: 42 }])).success).toBe(false);
  });
});

describe('[V2] what a newer hub adds to the answers besides records', () => {
  const hubKey = createTestHubKey('aozora');
  const receipt = hubKey.sign({ hub: 'aozora', caseId: 'case-1', entryId: 'entry-1', entryHash: 'ab'.repeat(32), position: 12, receivedAt: '2026-12-04T05:00:01.000Z' });

  it('[V2][K4] reads a receipt with a key id it does not know, and sends it back as it knows it, which the hub takes; one sent with the key id is refused', () => {
    const pulled = PullResponse.parse({ ...page([]), receipts: [{ ...receipt, keyId: 'key-2027' }] }).receipts!;
    expect(pulled).toEqual([receipt]);
    const pushed = PushResponse.parse({ results: [], serverTime: '2026-12-04T05:00:01.000Z', receipts: [{ ...receipt, keyId: 'key-2027' }] }).receipts!;
    expect(pushed).toEqual([receipt]);
    // After a restore the phone sends its receipts again [K4]: with the keys it read, the hub's check takes them.
    expect(PushRequest.safeParse({ changes: [change], receipts: pulled }).success).toBe(true);
    // What comes to the hub stays strict.
    expect(PushRequest.safeParse({ changes: [change], receipts: [{ ...receipt, keyId: 'key-2027' }] }).success).toBe(false);
    expect(EvidenceReceipt.safeParse({ ...receipt, keyId: 'key-2027' }).success).toBe(false);
  });

  const conflict = (kind: string, id: string) => ({
    id,
    kind,
    entityId: `${kind}-1`,
    field: 'note',
    baseVersion: 3,
    keptVersion: 4,
    keptValue: 'a',
    lostVersion: 4,
    lostValue: 'b',
    keptBy: '夜間 太郎',
    lostBy: '相談 花子',
    createdAt: '2026-12-04T05:00:00.000Z',
  });

  it('[V2] leaves a conflict on a record of a kind this app does not know out of the list, counted; the rest is listed', () => {
    const listed = ConflictList.parse({ conflicts: [conflict('care-plan', 'c-1'), conflict('household', 'c-2'), conflict('care-plan', 'c-3')] });
    expect(listed.conflicts.map((c) => c.id)).toEqual(['c-2']);
    expect(listed.leftOut).toBe(2);
    expect(ConflictList.parse({ conflicts: [conflict('household', 'c-2')], leftOut: 5 }).leftOut).toBe(0);
    // A conflict of a known kind that is broken still fails the list: that hub is broken, not newer.
    expect(ConflictList.safeParse({ conflicts: [{ ...conflict('household', 'c-2'), keptVersion: 'four' }] }).success).toBe(false);
  });

  it('[V2] lists a staff member of a role this app does not know, as no role: never offered as a case worker (担当)', () => {
    const staff = StaffList.parse({
      staff: [
        { userId: 'u-1', displayName: '監査 一郎', role: 'auditor', officeId: 'office-1' },
        { userId: 'u-2', displayName: '相談 花子', role: 'case-worker', officeId: 'office-1' },
      ],
    }).staff;
    expect(staff).toEqual([
      { userId: 'u-1', displayName: '監査 一郎', role: null, officeId: 'office-1' },
      { userId: 'u-2', displayName: '相談 花子', role: 'case-worker', officeId: 'office-1' },
    ]);
  });
});

describe('[V3] a refusal for a reason this app does not know', () => {
  const refused = (reason: string, retryable: boolean) => ({ seq: 4, mutationId: change.mutationId, status: 'refused', reason, detail: 'quota of the office reached', retryable });

  it(`[V3] is kept as '${UNKNOWN_REFUSAL_AS}' with the hub's reason and detail, so the change stays listed; retryable as the hub says`, () => {
    for (const retryable of [false, true]) {
      // retryable: the hub did not take the seq, and the change must go again under it
      expect(ChangeResult.parse(refused('quota', retryable))).toEqual({
        seq: 4,
        mutationId: change.mutationId,
        status: 'refused',
        reason: 'invalid',
        detail: 'refused "quota" (a reason this app does not know): quota of the office reached',
        retryable,
      });
    }
    const answer = PushResponse.parse({ results: [refused('quota', false)], serverTime: '2026-12-04T05:00:01.000Z' });
    expect(answer.results[0]).toMatchObject({ status: 'refused', reason: 'invalid', retryable: false });
    // A reason this app knows is read as it came.
    expect(ChangeResult.parse(refused('gap', true))).toEqual(refused('gap', true));
    expect(ChangeResult.parse(refused('scope', false))).toEqual(refused('scope', false));
  });
});
