/**
 * 機能強化加算 records on the hub (docs/function-bonus.md [FB8]), against a real PostgreSQL: only an
 * admin writes the split table, the coordinators, the counts and the unit price; every staff role
 * reads them; a split that does not add up to 100% is refused as invalid even from an admin.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BonusSplit } from '../../src/domain/function-bonus';
import { DeviceClient, startApi, wireChange, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';
import { createBonusSplit } from '../factories/function-bonus';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const AT = '2026-04-01T00:00:00.000Z';
/** seeds/001 §5(3) 図2: 米原市 25% / 長浜市 75%, here over two offices. */
const split = (overrides: Partial<BonusSplit> = {}): BonusSplit => createBonusSplit({ note: '令和8年度の取り決め', ...overrides });
const splitWire = (payload: BonusSplit, op: 'create' | 'update' = 'create') => wireChange('bonus-split', payload.id, { ...payload }, op);
const outcome = (r: { status: string; reason?: string }) => (r.status === 'refused' ? r.reason : r.status);

describe('[FB8] the 機能強化加算 split table on the hub (PostgreSQL)', () => {
  let api: ApiHarness;
  let admin: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    admin = await api.user('kanri', 'admin');
  });
  afterEach(() => api.close());

  it('refuses the split table from a coordinator and a case worker (scope), stores nothing, and takes it from an admin', async () => {
    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord1', 'coordinator'));
    const worker = await new DeviceClient(api, 'worker-tablet').join(await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const before = (await api.store.health()).headVersion;

    const fromCoord = await coord.push([splitWire(split({ offices: [{ officeId: 'office-a', percent: 100 }] }))]);
    const fromWorker = await worker.push([
      splitWire(split({ offices: [{ officeId: 'office-a', percent: 100 }] })),
      wireChange('bonus-count', 'fbc-2026-05-office-a', { id: 'fbc-2026-05-office-a', officeId: 'office-a', month: '2026-05', count: 100, createdAt: AT, updatedAt: AT }, 'create'),
    ]);
    expect(fromCoord.body.results.map(outcome)).toEqual(['scope']);
    expect(fromWorker.body.results.map(outcome)).toEqual(['scope', 'scope']);
    expect(fromWorker.body.results[0]).toMatchObject({ retryable: false, detail: expect.stringContaining('only an admin writes bonus-split') });
    expect((await api.store.health()).headVersion).toBe(before);

    const office = await new DeviceClient(api, 'office-pc').join(admin);
    expect((await office.push([splitWire(split())])).body.results.map(outcome)).toEqual(['accepted']);

    // Every staff role reads the agreement (hub-wide); the case worker still may not change it.
    const held = (await worker.pullAll()).filter((r) => r.kind === 'bonus-split');
    expect(held.map((r) => [r.entityId, r.officeId, JSON.parse(r.payloadJson).offices])).toEqual([['split-2026-04', null, split().offices]]);
    const change = await worker.push([splitWire(split({ offices: [{ officeId: 'office-a', percent: 100 }] }), 'update')]);
    expect(change.body.results.map(outcome)).toEqual(['scope']);
    expect(JSON.parse((await coord.pullAll()).find((r) => r.kind === 'bonus-split')!.payloadJson).offices).toEqual(split().offices);
  });

  it('refuses a split whose offices or municipalities do not add up to 100%, even from an admin (invalid)', async () => {
    const office = await new DeviceClient(api, 'office-pc').join(admin);
    const answer = await office.push([
      splitWire(split({ id: 'split-95', offices: [{ officeId: 'office-a', percent: 60 }, { officeId: 'office-b', percent: 35 }] })),
      splitWire(split({ id: 'split-muni', municipalities: [{ name: '米原市', percent: 25 }, { name: '長浜市', percent: 70 }] })),
    ]);
    expect(answer.body.results.map(outcome)).toEqual(['invalid', 'invalid']);
    expect(answer.body.results[0]).toMatchObject({ detail: expect.stringContaining('office percents must add up to 100') });
    expect((await office.pullAll()).filter((r) => r.kind === 'bonus-split')).toEqual([]);
  });

  it('does not hand the agreement to a facility liaison', async () => {
    const office = await new DeviceClient(api, 'office-pc').join(admin);
    await office.push([splitWire(split())]);
    const liaison = await new DeviceClient(api, 'liaison-phone').join(await api.user('liaison', 'facility-liaison', { facilityId: 'fac-1' }));
    expect(await liaison.pullAll()).toEqual([]);
  });
});
