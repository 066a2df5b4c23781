/**
 * Two devices edit the same household offline and converge [S14]: edits to different fields both
 * land, a same-field conflict is recorded, counted in every pull, listed for the people who may
 * hold the household, and settled once for everyone. Over HTTP, against real PostgreSQL.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, ConflictList, PullResponse, type WireRecord } from '../../src/protocol/sync';
import { DeviceClient, facilityPayload, householdWire, startApi, wireChange, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('[S14] two devices edit one household offline', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  const find = (records: readonly WireRecord[], id: string) => JSON.parse(records.find((r) => r.entityId === id)!.payloadJson) as Record<string, unknown>;

  it('converge: different fields both land; the same field keeps one value and the conflict is listed until settled', async () => {
    const caseWorker = await api.user('sato', 'case-worker', { officeId: 'office-a' });
    const night = await api.user('yoru', 'coordinator');
    const elsewhere = await api.user('suzuki', 'case-worker', { officeId: 'office-b' });
    const day = await new DeviceClient(api, 'phone-day').join(caseWorker);
    const oncall = await new DeviceClient(api, 'phone-oncall').join(night);
    const other = await new DeviceClient(api, 'phone-other').join(elsewhere);

    // The case worker registers the household; both devices pull it (version v1).
    const created = await day.push([householdWire('hh-1', { phone: '047-111-1111', caregiverHealth: '', note: '' })]);
    expect(created.body.results[0]).toMatchObject({ status: 'accepted' });
    const v1 = (created.body.results[0] as { version: number }).version;
    expect(find(await oncall.pullAll(), 'hh-1')['phone']).toBe('047-111-1111');

    // Offline, both edit: the same field (phone) and one field each.
    const base = { phone: '047-111-1111', caregiverHealth: '', note: '' };
    const edit = (patch: Record<string, unknown>) => ({ ...householdWire('hh-1', { ...base, ...patch }, 'update'), baseVersion: v1 });
    expect((await day.push([edit({ phone: '047-222-2222', note: '鍵は隣家に預けている' })])).body.results[0]).toMatchObject({ status: 'accepted' });
    expect((await oncall.push([edit({ phone: '090-3333-3333', caregiverHealth: '母 2:10 救急搬送' })])).body.results[0]).toMatchObject({
      status: 'accepted',
    });

    // Both devices pull and hold the same record: the first phone, both other edits.
    const [onDay, onCall] = [find(await day.pullAll(), 'hh-1'), find(await oncall.pullAll(), 'hh-1')];
    expect(onDay).toEqual(onCall);
    expect(onDay).toMatchObject({ phone: '047-222-2222', note: '鍵は隣家に預けている', caregiverHealth: '母 2:10 救急搬送' });

    // The conflict is counted in pulls and listed with both values and who made them.
    const pulled = PullResponse.parse((await oncall.pull(0)).body);
    expect(pulled.openConflicts).toBe(1);
    const listed = ConflictList.parse((await day.request('GET', API.conflicts)).body);
    expect(listed.conflicts).toEqual([
      expect.objectContaining({ kind: 'household', entityId: 'hh-1', field: 'phone', keptValue: '047-222-2222', lostValue: '090-3333-3333', keptBy: 'sato さん', lostBy: 'yoru さん' }),
    ]);
    // A case worker of another office neither sees nor settles it.
    expect(ConflictList.parse((await other.request('GET', API.conflicts)).body).conflicts).toEqual([]);
    const id = listed.conflicts[0]!.id;
    expect((await other.request('POST', `${API.conflicts}/${id}/resolve`, { choice: 'kept' })).status).toBe(404);
    // A malformed settle is a 400 and settles nothing.
    expect((await oncall.request('POST', `${API.conflicts}/${id}/resolve`, { choice: 'maybe' })).status).toBe(400);
    expect(PullResponse.parse((await oncall.pull(0)).body).openConflicts).toBe(1);

    // The household moves to office B with the conflict open: the conflict goes with it.
    const held = (await oncall.pullAll()).find((r) => r.entityId === 'hh-1')!;
    const moved = await oncall.push([{ ...householdWire('hh-1', { ...onCall, officeId: 'office-b' }, 'update'), baseVersion: held.version }]);
    expect(moved.body.results[0]).toMatchObject({ status: 'accepted' });
    expect(ConflictList.parse((await day.request('GET', API.conflicts)).body).conflicts).toEqual([]);
    expect(PullResponse.parse((await day.pull(0)).body).openConflicts).toBe(0);
    expect(ConflictList.parse((await other.request('GET', API.conflicts)).body).conflicts.map((c) => c.id)).toEqual([id]);
    expect((await day.request('POST', `${API.conflicts}/${id}/resolve`, { choice: 'kept' })).status).toBe(404);

    // The coordinator settles it: gone for everyone.
    expect((await oncall.request('POST', `${API.conflicts}/${id}/resolve`, { choice: 'kept' })).status).toBe(204);
    expect(ConflictList.parse((await other.request('GET', API.conflicts)).body).conflicts).toEqual([]);
    expect(PullResponse.parse((await other.pull(0)).body).openConflicts).toBe(0);
  });

  it('a conflict over a record a role does not write is settled only by someone who writes it: a case worker is answered 404 and it stays open', async () => {
    const caseWorker = await new DeviceClient(api, 'phone-day').join(await api.user('sato', 'case-worker', { officeId: 'office-a' }));
    const night = await new DeviceClient(api, 'phone-night').join(await api.user('yoru', 'coordinator'));
    const lead = await new DeviceClient(api, 'phone-lead').join(await api.user('kanri', 'admin'));
    const created = await night.push([wireChange('facility', 'fac-1', facilityPayload('fac-1', { phone: '047-111-1111' }), 'create')]);
    const v1 = (created.body.results[0] as { version: number }).version;
    const edit = (phone: string) => ({ ...wireChange('facility', 'fac-1', facilityPayload('fac-1', { phone }), 'update'), baseVersion: v1 });
    expect((await night.push([edit('047-222-2222')])).body.results[0]).toMatchObject({ status: 'accepted' });
    expect((await lead.push([edit('047-333-3333')])).body.results[0]).toMatchObject({ status: 'accepted' });
    const [conflict] = ConflictList.parse((await lead.request('GET', API.conflicts)).body).conflicts;
    expect(conflict).toMatchObject({ kind: 'facility', field: 'phone' });

    expect((await caseWorker.request('POST', `${API.conflicts}/${conflict!.id}/resolve`, { choice: 'kept' })).status).toBe(404);
    expect(ConflictList.parse((await lead.request('GET', API.conflicts)).body).conflicts.map((c) => c.id)).toEqual([conflict!.id]);
    expect((await night.request('POST', `${API.conflicts}/${conflict!.id}/resolve`, { choice: 'kept' })).status).toBe(204);
    expect(ConflictList.parse((await lead.request('GET', API.conflicts)).body).conflicts).toEqual([]);
  });
});
