// @vitest-environment node
/**
 * [S14] A household edited on an app from before 見直し were recorded, against a real PostgreSQL
 * ($TEST_DATABASE_URL or 127.0.0.1:5432), each test in a schema of its own: its form drops the
 * `reviews` key it does not know, and the reviews the hub holds stay (src/protocol/older-apps.ts).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createHousehold } from '../../../test/factories/household';
import { householdChange, seedHub, TENANT, type Hub } from '../../../test/integration/factories';
import { schemaTarget } from '../../../test/integration/schema-target';
import type { HouseholdReview } from '../../domain/household';
import type { ChangeResult, PushedChange, Store } from './store';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const ALL = { tenantId: TENANT, officeIds: 'all' as const };
const base = createHousehold({ id: 'hh-r', address: '松戸市本町1-1', reviews: [] });
const review: HouseholdReview = { id: 'rv-1', reviewedOn: '2026-05-01', reviewedBy: '小野 恵美', reviewedByUserId: 'user-1', note: '変更なし', recordedAt: '2026-05-01T03:00:00.000Z' };

let store: Store;
let raw: pg.Pool;
let hub: Hub;
beforeEach(async () => {
  ({ store, raw } = await target.fresh());
  await store.migrate();
  hub = await seedHub(store, 2);
});
afterEach(async () => {
  await store.close();
  await raw.end();
});

const push = (i: number, changes: PushedChange[]) => store.applyPush(hub.devices[i]!.deviceId, hub.devices[i]!.userId, changes);
const versionOf = (r: ChangeResult | undefined) => (r as { version: number }).version;
/** An edit of the household; from the older app, without the `reviews` key. */
function edit(seq: number, baseVersion: number, patch: Record<string, unknown>, older = false): PushedChange {
  const payload: Record<string, unknown> = { ...base, ...patch };
  if (older) delete payload['reviews'];
  return householdChange(seq, { entityId: 'hh-r', op: 'update', baseVersion, payload });
}
async function held(): Promise<Record<string, unknown>> {
  const page = await store.pullSince(0, ALL, 1000);
  return JSON.parse(page.records.find((r) => r.entityId === 'hh-r')!.payloadJson) as Record<string, unknown>;
}
/** Created, then a 見直し recorded on a newer phone (device 0): that version. */
async function reviewed(): Promise<{ v1: number; v2: number }> {
  const v1 = versionOf((await push(0, [householdChange(1, { entityId: 'hh-r', payload: base })]))[0]);
  const v2 = versionOf((await push(0, [edit(2, v1, { reviews: [review] })]))[0]);
  return { v1, v2 };
}

describe("[S14] an older app's household edit keeps the hub's reviews", () => {
  it('[S14] on the version with the review: its edit lands and the review stays', async () => {
    const { v2 } = await reviewed();
    const [older] = await push(1, [edit(1, v2, { address: '松戸市本町3-3' }, true)]);
    expect(older!.status).toBe('accepted');
    expect(await held()).toMatchObject({ address: '松戸市本町3-3', reviews: [review] });
    expect(await store.countOpenConflicts(ALL)).toBe(0);
  });

  it('[S14] on the version before it: merged, the review kept, no conflict to settle', async () => {
    const { v1 } = await reviewed();
    const [older] = await push(1, [edit(1, v1, { address: '松戸市本町3-3' }, true)]);
    expect(older!.status).toBe('accepted');
    expect(await held()).toMatchObject({ address: '松戸市本町3-3', reviews: [review] });
    expect(await store.countOpenConflicts(ALL)).toBe(0);
  });
});

describe('[S14] a household first stored without `reviews`, edited by a phone that reads it with the defaults', () => {
  it('[S14] sends [] for the reviews it never touched: no conflict, and a colleague’s 見直し since stays', async () => {
    // stored by an app from before 見直し (no key), then reviewed on a newer phone
    const { reviews: _none, ...beforeReviews } = base;
    const v1 = versionOf((await push(0, [householdChange(1, { entityId: 'hh-r', payload: beforeReviews })]))[0]);
    await push(0, [edit(2, v1, { reviews: [review] })]);
    // this phone read v1 as having no reviews (readHousehold) and sends the list it holds: []
    const [later] = await push(1, [edit(1, v1, { address: '松戸市本町3-3', reviews: [] })]);
    expect(later!.status).toBe('accepted');
    expect(await held()).toMatchObject({ address: '松戸市本町3-3', reviews: [review] });
    expect(await store.countOpenConflicts(ALL)).toBe(0);
  });
});
