/**
 * [S10] A case opened 「本人未特定で開始」 by a coordinator for office B, against a real PostgreSQL over
 * HTTP: it was held under the coordinator's own office (or the hub's), so office B's 相談支援専門員,
 * who claims it, never pulled it and their 結び付け to the household registered the next morning
 * was refused `scope`. It is now held under the office its open entry names (docs/sync-protocol.md).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contactBody, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, householdWire, startApi, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const nobody = { householdId: null, personId: null, name: '', recipientNumber: '' };

describe('[S10] an unlinked case is held under the office that claims it (PostgreSQL)', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  it("[S10] a coordinator of office A opens it for office B at night; B's case worker pulls it and links it to the household registered next morning", async () => {
    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator', { officeId: 'office-a' }));
    const workerB = await new DeviceClient(api, 'tablet-b').join(await api.user('worker-b', 'case-worker', { officeId: 'office-b' }));
    const workerA = await new DeviceClient(api, 'tablet-a').join(await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));

    const night = await coord.caseEntries('case-night', [
      { body: openBody({ officeId: 'office-b', subject: nobody }), at: '2026-11-30T14:51:00.000Z' },
      { body: contactBody(), at: '2026-11-30T15:21:00.000Z' },
    ]);
    const pushed = await coord.push(night.map(entryWire));
    expect(pushed.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);

    // office B's case worker holds the night's entries, under office B; office A's does not
    const heldB = (await workerB.pullAll()).filter((r) => r.kind === 'case-entry');
    expect(heldB.map((r) => [r.entityId, r.officeId]).sort()).toEqual(night.map((e) => [e.id, 'office-b']).sort());
    expect((await workerA.pullAll()).filter((r) => r.kind === 'case-entry')).toEqual([]);

    // the next morning: B registers the household and links the case to its person
    const linked = await workerB.caseEntries(
      'case-night',
      [{ body: { type: 'link', subject: { householdId: 'hh-b', personId: 'hh-b-p1', name: '佐藤 一郎', recipientNumber: '' } }, at: '2026-12-01T00:30:00.000Z' }],
      night,
    );
    const morning = await workerB.push([householdWire('hh-b', { officeId: 'office-b' }), entryWire(linked.at(-1)!)]);
    expect(morning.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['accepted', 'accepted']);
  });
});
