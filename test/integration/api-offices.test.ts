/**
 * Offices are one record, kept by the hub (issue 14), over HTTP against a real PostgreSQL: the
 * office record devices pull is the office scope decides with; only an admin changes it; the
 * command line's create-office writes it too.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { readOffice, type Office } from '../../src/domain/office';
import { API, ConflictList, type StaffList } from '../../src/protocol/sync';
import { createOffice } from '../factories/office';
import { DeviceClient, HUB, householdWire, startApi, wireChange, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const officeWire = (office: Office, op: 'create' | 'update') => wireChange('office', office.id, { ...office }, op);

describe('offices kept by the hub (PostgreSQL)', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  it("refuses a coordinator's office change with a reason a person can read, and stores nothing", async () => {
    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator'));
    const head = (await api.store.health()).headVersion;
    const answer = await coord.push([officeWire(createOffice({ id: 'office-new', hubPeriods: [{ from: '2020-01-01', to: null, note: '' }] }), 'create')]);
    expect(answer.body.results[0]).toMatchObject({ status: 'refused', reason: 'scope' });
    expect((answer.body.results[0] as { detail?: string }).detail).toContain('事業所の情報は拠点の管理者だけが変更できます');
    expect((await api.store.health()).headVersion).toBe(head);
    expect(await coord.pullAll()).toEqual([]);
    expect((await api.raw.query('SELECT id FROM offices WHERE id = $1', ['office-new'])).rows).toEqual([]);
  });

  it("syncs an admin's new office and its ended period to a coordinator, and makes it an office scope knows", async () => {
    const admin = await new DeviceClient(api, 'admin-pc').join(await api.user('admin', 'admin'));
    const office = createOffice({ id: 'office-new', name: '相談支援 みなと' });
    expect((await admin.push([officeWire(office, 'create')])).body.results[0]).toMatchObject({ status: 'accepted' });
    const ended = { ...office, hubPeriods: [{ from: '2024-04-01', to: '2026-09-30', note: '廃止届' }], updatedAt: '2026-10-01T00:00:00.000Z' };
    expect((await admin.push([{ ...officeWire(ended, 'update'), baseVersion: (await admin.pullAll()).find((r) => r.entityId === 'office-new')!.version }])).body.results[0]).toMatchObject({
      status: 'accepted',
    });

    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator'));
    const pulled = (await coord.pullAll()).filter((r) => r.kind === 'office');
    expect(pulled).toHaveLength(1);
    expect(readOffice(JSON.parse(pulled[0]!.payloadJson))).toMatchObject({ name: '相談支援 みなと', hubPeriods: [{ from: '2024-04-01', to: '2026-09-30', note: '廃止届' }] });

    // the same office decides scope: a case worker placed under it writes its households
    const worker = await new DeviceClient(api, 'worker-tablet').join(await api.user('worker', 'case-worker', { officeId: 'office-new' }));
    expect((await worker.push([householdWire('hh-new', { officeId: 'office-new' })])).body.results[0]).toMatchObject({ status: 'accepted' });
    expect((await worker.pullAll()).map((r) => [r.kind, r.entityId]).sort()).toEqual([
      ['household', 'hh-new'],
      ['office', 'office-new'],
    ]);
  });

  it("create-office on the command line writes the record every device pulls, with its first hub period", async () => {
    const { command, options } = parseAdminArgs(['create-office', '--hub', HUB, '--office', 'office-cli', '--name', '相談支援 ひかり', '--number', '1210000009', '--hub-from', '2026-04-01']);
    const lines: string[] = [];
    await runAdminCommand(api.store, command, options, { out: (l) => lines.push(l), readPassword: async () => '', now: () => new Date('2026-11-30T00:00:00Z') });
    expect(lines[0]).toContain('各端末の次の同期で届きます');
    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator'));
    const [record] = (await coord.pullAll()).filter((r) => r.kind === 'office');
    expect(JSON.parse(record!.payloadJson)).toEqual({
      id: 'office-cli',
      name: '相談支援 ひかり',
      officeNumber: '1210000009',
      hubPeriods: [{ from: '2026-04-01', to: null, note: '' }],
      oneBody: { settlement: false, independentLiving: false },
      createdAt: '2026-11-30T00:00:00.000Z',
      updatedAt: '2026-11-30T00:00:00.000Z',
    });
    // the admin ends its period from a device, on top of the version the command line wrote
    const admin = await new DeviceClient(api, 'admin-pc').join(await api.user('admin', 'admin'));
    const ended = { ...readOffice(JSON.parse(record!.payloadJson)), hubPeriods: [{ from: '2026-04-01', to: '2026-12-31', note: '廃止届' }] };
    expect((await admin.push([{ ...officeWire(ended, 'update'), baseVersion: record!.version }])).body.results[0]).toMatchObject({ status: 'accepted' });
    expect((await api.raw.query('SELECT name FROM offices WHERE id = $1', ['office-cli'])).rows).toEqual([{ name: '相談支援 ひかり' }]);
    // a second admin's phone, offline since the command line wrote it, renames it on that same version:
    // the hub holds no state at that version to merge on, so the edit goes as a conflict to settle, not refused for good
    const phone = await new DeviceClient(api, 'admin-phone').join(await api.user('admin2', 'admin'));
    const renamed = { ...readOffice(JSON.parse(record!.payloadJson)), name: '相談支援センター ひかり' };
    expect((await phone.push([{ ...officeWire(renamed, 'update'), baseVersion: record!.version }])).body.results[0]).toMatchObject({ status: 'accepted' });
    const conflicts = ConflictList.parse((await phone.request('GET', API.conflicts)).body).conflicts.filter((c) => c.entityId === 'office-cli');
    expect(conflicts.map((c) => [c.field, c.keptValue, c.lostValue])).toEqual([
      ['name', '相談支援 ひかり', '相談支援センター ひかり'],
      ['hubPeriods', [{ from: '2026-04-01', to: '2026-12-31', note: '廃止届' }], [{ from: '2026-04-01', to: null, note: '' }]],
    ]);
    expect(() => parseAdminArgs(['create-office', '--hub', HUB, '--office', 'x', '--name', 'x', '--hub-from', '2026-02-30'])).toThrow(/--hub-from/);
    await expect(runAdminCommand(api.store, command, options, { out: () => undefined, readPassword: async () => '' })).rejects.toThrow(/already exists/);
  });
});

describe('the hub staff list (PostgreSQL)', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  it('lists the active users with name, role and office (never a login name) for the 担当 picker; a liaison gets none', async () => {
    const coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator'));
    await api.user('aoba1', 'case-worker', { officeId: 'office-a' });
    await api.user('gone', 'case-worker', { officeId: 'office-b' });
    await api.accounts.disableUser('u-gone');
    const answer = await coord.request<StaffList>('GET', API.staff);
    expect(answer.status).toBe(200);
    expect(answer.body.staff).toEqual([
      { userId: 'u-aoba1', displayName: 'aoba1 さん', role: 'case-worker', officeId: 'office-a' },
      { userId: 'u-coord', displayName: 'coord さん', role: 'coordinator', officeId: null },
    ]);
    expect(JSON.stringify(answer.body)).not.toContain('"loginName"');
    const liaison = await new DeviceClient(api, 'liaison-phone').join(await api.user('liaison', 'facility-liaison', { facilityId: 'fac-1' }));
    expect((await liaison.request<StaffList>('GET', API.staff)).body).toEqual({ staff: [] });
    expect([401, 403]).toContain((await new DeviceClient(api, 'nobody').request('GET', API.staff)).status); // no session, no device: nothing listed
  });
});
