/**
 * Test data for the hub store (STYLE.md habit 7): a hub with two offices, users and devices, and
 * changes shaped like a device's outbox entries.
 */
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import { createHousehold } from '../factories/household';
import type { CaseEntry } from '../../src/domain/emergency-case';
import { chainNext, orderEntries } from '../../src/domain/case-chain';
import type { PushedChange, Store } from '../../src/server/db/store';

export const TENANT = 'hub-matsudo';
export const OFFICE_A = 'office-a';
export const OFFICE_B = 'office-b';

export interface Hub {
  readonly tenantId: string;
  /** device id → its user id */
  readonly devices: readonly { readonly deviceId: string; readonly userId: string }[];
}

/** A hub with offices A and B and `deviceCount` coordinators, one device each. */
export async function seedHub(store: Store, deviceCount = 2): Promise<Hub> {
  await store.createTenant({ id: TENANT, name: '松戸市 地域生活支援拠点' });
  await store.createOffice({ id: OFFICE_A, tenantId: TENANT, name: '相談支援事業所 あおば' });
  await store.createOffice({ id: OFFICE_B, tenantId: TENANT, name: '相談支援事業所 みどり' });
  const devices = [];
  for (let i = 1; i <= deviceCount; i++) {
    const userId = `user-${i}`;
    await store.createUser({ id: userId, tenantId: TENANT, role: 'coordinator', loginName: `coord${i}`, displayName: `夜勤 ${i}` });
    await store.registerDevice({ id: `device-${i}`, userId, name: `iPhone ${i}` });
    devices.push({ deviceId: `device-${i}`, userId });
  }
  return { tenantId: TENANT, devices };
}

/** A household change (create unless told otherwise) with a fresh mutation id. */
export function householdChange(seq: number, overrides: Partial<PushedChange> = {}): PushedChange {
  const entityId = overrides.entityId ?? `hh-${seq}`;
  return {
    seq,
    mutationId: globalThis.crypto.randomUUID(),
    kind: 'household',
    entityId,
    op: 'create',
    at: '2026-11-30T14:50:00.000Z',
    payload: createHousehold({ id: entityId }),
    officeId: OFFICE_A,
    ...overrides,
  };
}

/** The change that pushes one sealed case entry. */
export function evidenceChange(seq: number, entry: CaseEntry, overrides: Partial<PushedChange> = {}): PushedChange {
  return {
    seq,
    mutationId: globalThis.crypto.randomUUID(),
    kind: 'case-entry',
    entityId: entry.id,
    op: 'append',
    at: entry.recordedAt,
    payload: entry,
    officeId: OFFICE_A,
    ...overrides,
  };
}

/** A case of `count` sealed entries (an open, then contacts), hashed by the real chain code. */
export function caseEntries(caseId: string, count: number, note = ''): Promise<CaseEntry[]> {
  const bodies = [openBody(), ...Array.from({ length: count - 1 }, (_, i) => contactBody({ note: `${note}${i}` }))];
  return appendEntries([], bodies, caseId);
}

/**
 * The next entry of a case as device `who` writes it after the entries it holds (in read order),
 * `minutes` after the last one (or at `at`).
 */
export async function entryFrom(
  held: readonly CaseEntry[],
  body: CaseEntry['body'],
  who: { readonly deviceId: string; readonly userId: string },
  at?: string,
  caseId = held[0]?.caseId ?? 'case-1',
): Promise<CaseEntry> {
  const ordered = orderEntries(held);
  const recordedAt = at ?? new Date(Date.parse(ordered.at(-1)?.recordedAt ?? '2026-11-30T14:49:00.000Z') + 60_000).toISOString();
  return chainNext(ordered, {
    id: globalThis.crypto.randomUUID(),
    caseId,
    recordedAt,
    recordedBy: { userId: who.userId, name: `職員 ${who.userId}` },
    deviceId: who.deviceId,
    body,
  });
}
