/**
 * One validation for every record on both sides (docs/sync-protocol.md [R1]-[R4], docs/hub-server.md
 * [R5]), against a real PostgreSQL: the hub refuses the poison id and a malformed household; a hub
 * whose old database already holds them still serves a fresh device, which sets them aside (the
 * app's own sync engine and vault, over HTTP); the admin lists and withdraws them, with an audit row.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { WireChange } from '../../src/protocol/sync';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { totpCode } from '../../src/server/services/credentials';
import type { FetchLike } from '../../src/sync/client';
import { createSyncEngine } from '../../src/sync/engine';
import { initialSyncStatus, type SyncStatus } from '../../src/sync/status';
import { setUpTestVault } from '../../src/vault/testing';
import { openBody } from '../factories/emergency-case';
import { createHousehold, createPerson } from '../factories/household';
import { DeviceClient, entryWire, facilityPayload, householdWire, HUB, PASSWORD, startApi, type ApiHarness, type TestUser, wireChange } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const POISON = 'poison.id with space';
const malformed = (id: string) => ({ ...createHousehold({ id }), persons: 'not-a-list' });

/** A change written straight into the records table, as a hub from before [R1]-[R2] could have stored it. */
async function insertOld(api: ApiHarness, byUser: string, entityId: string, payload: unknown, kind: 'household' | 'month-close' = 'household'): Promise<number> {
  const client = await api.raw.connect();
  try {
    await client.query('BEGIN');
    const version = Number(
      (await client.query<{ version: string }>(`INSERT INTO sync_heads AS h (tenant_id, version) VALUES ($1, 1)
           ON CONFLICT (tenant_id) DO UPDATE SET version = h.version + 1 RETURNING version`,
        [HUB],)).rows[0]!.version,
    );
    await client.query(
      `INSERT INTO records (tenant_id, kind, entity_id, version, office_id, withdrawn, payload_json, updated_by, received_at)
       VALUES ($1, $6, $2, $3, 'office-a', false, $4, $5, now())`,
      [HUB, entityId, version, JSON.stringify(payload), byUser, kind],
    );
    await client.query('COMMIT');
    return version;
  } finally {
    client.release();
  }
}

/** The app's own sync engine over its own (fake-IndexedDB) vault, talking HTTP to the hub with a cookie jar. */
async function appDevice(api: ApiHarness, user: TestUser) {
  const vault = await setUpTestVault();
  let cookie: string | undefined;
  const fetch: FetchLike = async (path, init) => {
    const headers = new Headers(init.headers);
    if (cookie !== undefined) headers.set('cookie', cookie);
    const res = await globalThis.fetch(`${api.base}${path}`, { ...init, headers });
    const set = res.headers.get('set-cookie');
    if (set !== null) cookie = set.split(';')[0];
    return res;
  };
  const status = createStore<SyncStatus>()(() => initialSyncStatus);
  const engine = createSyncEngine({ session: vault.session, fetch, locks: null, status, forgetInstall: async () => undefined });
  const join = () =>
    engine.join({ hub: HUB, loginName: user.loginName, password: PASSWORD, totp: totpCode(user.totpSecret, api.clock.now), deviceName: '当番の携帯' });
  return { ...vault, engine, status, join };
}

async function admin(api: ApiHarness, argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  const { command, options } = parseAdminArgs(argv);
  await runAdminCommand(api.store, command, options, { out: (l) => lines.push(l), readPassword: async () => PASSWORD, operator: 'kanri-taro' });
  return lines;
}

/** A 取消 of November's 請求済み (a month-close record), written on `phone`. */
function monthCancel(phone: DeviceClient, id: string, reason: string) {
  const close = {
    id,
    officeId: 'office-a',
    month: '2026-11',
    recordedAt: '2026-12-08T01:00:00.000Z',
    recordedBy: { userId: phone.vaultUserId, name: '鈴木 主任' },
    deviceId: phone.deviceId,
    body: { type: 'cancel', cancels: 'close-0', reason },
  };
  return wireChange('month-close', id, close, 'append');
}

describe('npm run admin: the record commands refuse wrong arguments with a message', () => {
  it('[R5] needs a reason to withdraw, a known kind, and a hub', () => {
    expect(() => parseAdminArgs(['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', 'hh-1'])).toThrow(/--reason/);
    expect(() => parseAdminArgs(['withdraw-record', '--hub', HUB, '--kind', 'person', '--id', 'hh-1', '--reason', 'x'])).toThrow(/--kind/);
    expect(() => parseAdminArgs(['list-records', '--kind', 'household'])).toThrow(/--hub/);
    expect(parseAdminArgs(['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', POISON, '--reason', '不正', '--by', '山田'])).toEqual({
      command: 'withdraw-record',
      options: { hub: HUB, kind: 'household', id: POISON, reason: '不正', by: '山田' },
    });
  });
});

describe('records the app cannot read (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
  });
  afterEach(() => api.close());

  it('[R1][R2] the hub refuses the poison id, a household whose persons is not a list and one born on a day that does not exist, naming the rule, stores none, and takes what follows', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    const before = (await api.store.health()).headVersion;
    const noSuchDay = createHousehold({ id: 'hh-no-such-day', persons: [createPerson({ birthDate: '2024-02-31' })] });
    const answer = await phone.push([
      householdWire(POISON),
      { ...householdWire('hh-bad'), payload: malformed('hh-bad') } as Omit<WireChange, 'seq'>,
      { ...householdWire('hh-no-such-day'), payload: noSuchDay as unknown as Record<string, unknown> },
      householdWire('hh-good'),
    ]);
    expect(answer.status).toBe(200);
    const [poison, bad, day, good] = answer.body.results;
    expect(poison).toMatchObject({ status: 'refused', reason: 'invalid', retryable: false, detail: expect.stringContaining('entityId must match') });
    expect(bad).toMatchObject({ status: 'refused', reason: 'invalid', detail: expect.stringContaining('persons') });
    expect(day).toMatchObject({ status: 'refused', reason: 'invalid', detail: expect.stringContaining('persons.0.birthDate') });
    expect(good).toMatchObject({ status: 'accepted' });
    expect((await api.store.health()).headVersion).toBe(before + 1);
    expect((await phone.pullAll()).map((r) => r.entityId)).toEqual(['hh-good']);
    // Nothing the device sent is lost: the admin sees every refusal with its reason.
    const lines = await admin(api, ['list-refusals', '--hub', HUB]);
    expect(lines).toHaveLength(3);
    // when the hub received it, in Japan time as every admin listing
    for (const line of lines) expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00\t/);
    // who sent it by the login every other command takes, not the hub's internal id
    for (const line of lines) expect(line.split('\t')[3]).toBe('coord1');
    expect(lines.join('\n')).toContain(JSON.stringify(POISON));
    expect(lines.join('\n')).toContain('内容が不正です');
    expect(lines.join('\n')).toContain('persons');
  });

  it("list-records names each facility, and create-user takes a liaison only for a facility the hub holds", async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    expect((await phone.push([wireChange('facility', 'fac-1', facilityPayload('fac-1', { name: 'ひだまり', officeNumber: '1210000001' }), 'create')])).body.results[0]).toMatchObject({ status: 'accepted' });
    expect(await admin(api, ['list-records', '--hub', HUB, '--kind', 'facility'])).toContainEqual(expect.stringMatching(/^facility\t"fac-1"\t\d+\t.*\tOK\tひだまり（1210000001）$/));
    const liaison = (facility: string) => ['create-user', '--hub', HUB, '--login', 'liaison', '--name', '連携 花子', '--role', 'facility-liaison', '--facility', facility];
    await expect(admin(api, liaison('fac-l'))).rejects.toThrow(/事業所（短期入所） fac-l はありません.*list-records/s);
    expect((await api.store.listUsers(HUB)).map((u) => u.loginName)).not.toContain('liaison');
    await admin(api, liaison('fac-1'));
    expect((await api.store.listUsers(HUB)).find((u) => u.loginName === 'liaison')).toMatchObject({ facilityId: 'fac-1' });
  });

  it('[R2] the hub refuses a change larger than a record can be (128 KB of JSON), storing none of it, and takes the next', async () => {
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    const huge = createHousehold({ id: 'hh-huge', note: 'あ'.repeat(50_000) }); // 150 KB of UTF-8
    const answer = await phone.push([{ ...householdWire('hh-huge'), payload: huge as unknown as Record<string, unknown> }, householdWire('hh-next')]);
    expect(answer.body.results[0]).toMatchObject({ status: 'refused', reason: 'invalid', retryable: false, detail: expect.stringMatching(/^payload is \d+ bytes: a change holds at most 131072$/) });
    expect(answer.body.results[1]).toMatchObject({ status: 'accepted' });
    expect((await phone.pullAll()).map((r) => r.entityId)).toEqual(['hh-next']);
    // A month's 請求済み record is built by the app, a line a case (500 cases are ~450 KB): not bounded.
    expect((await phone.push([monthCancel(phone, 'close-big', 'あ'.repeat(50_000))])).body.results[0]).toMatchObject({ status: 'accepted' });
  });

  it('[R3] a fresh device of a hub whose old database holds both sets them aside, receives every later record and says how many', async () => {
    const early = await new DeviceClient(api, 'phone-early').join(coord);
    await early.push([householdWire('hh-before')]);
    await insertOld(api, coord.id, POISON, createHousehold({ id: POISON }));
    await insertOld(api, coord.id, 'hh-malformed', malformed('hh-malformed'));
    // a day that does not exist: read by the list, it stopped the app on every phone that took it
    await insertOld(api, coord.id, 'hh-no-such-day', createHousehold({ id: 'hh-no-such-day', persons: [createPerson({ birthDate: '2024-02-31' })] }));
    await early.push([householdWire('hh-after')]);

    const app = await appDevice(api, await api.user('coord2', 'coordinator'));
    expect(await app.join()).toBe('done');
    await early.push([householdWire('hh-later')]);
    expect(await app.engine.run()).toBe('done');

    expect((await app.session.list('household')).map((h) => h.id).sort()).toEqual(['hh-after', 'hh-before', 'hh-later']);
    expect((await app.session.sync.hubLink())?.cursor).toBe((await api.store.health()).headVersion);
    expect(app.status.getState()).toMatchObject({ problem: null, setAside: { total: 3, byReason: { id: 1, json: 0, shape: 2 } } });
  });

  it('[R5][R4] the admin lists both as unreadable and withdraws them: devices drop them, the audit keeps who, when and why; evidence is never withdrawn', async () => {
    const early = await new DeviceClient(api, 'phone-early').join(coord);
    await early.push([householdWire('hh-good')]);
    await insertOld(api, coord.id, POISON, createHousehold({ id: POISON }));
    await insertOld(api, coord.id, 'hh-malformed', malformed('hh-malformed'));
    const [entry] = await early.caseEntries('case-1', [openBody({ officeId: 'office-a' })]);
    expect((await early.push([entryWire(entry!)])).body.results[0]).toMatchObject({ status: 'accepted' });
    const app = await appDevice(api, await api.user('coord2', 'coordinator'));
    await app.join();
    expect(app.status.getState().setAside.total).toBe(2);

    const listed = await admin(api, ['list-records', '--hub', HUB, '--invalid']);
    expect(listed.filter((l) => l.startsWith('household'))).toEqual([
      expect.stringMatching(new RegExp(`^household\\t${JSON.stringify(POISON)}\\t.*（id）`)),
      expect.stringMatching(/^household\t"hh-malformed"\t.*persons/),
    ]);
    expect(listed).toContainEqual(expect.stringContaining('4 件中 2 件'));

    // without --yes it shows the record and withdraws nothing: no command brings one back
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', 'hh-malformed', '--reason', '不正な記録（issue 11）'])).rejects.toThrow(/まだ取り下げていません.*--yes/);
    expect(await admin(api, ['list-records', '--hub', HUB, '--invalid'])).toContainEqual(expect.stringMatching(/^household\t"hh-malformed"\t\d+\t.*\t有効\t/));
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', 'hh-typo', '--reason', 'x'])).rejects.toThrow(/no household "hh-typo"/);
    for (const id of [POISON, 'hh-malformed']) {
      const out = await admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', id, '--reason', '不正な記録（issue 11）', '--yes']);
      expect(out.join('\n')).toContain('取り下げました');
    }
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'case-entry', '--id', entry!.id, '--reason', 'x'])).rejects.toThrow(/never withdrawn/);
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'household', '--id', 'hh-none', '--reason', 'x', '--yes'])).rejects.toThrow(/not found/);
    // a 請求済み (the claim as sent) is not taken back behind the app's 取消 either
    expect((await early.push([monthCancel(early, 'close-1', '別の月を誤って請求済みにした')])).body.results[0]).toMatchObject({ status: 'accepted' });
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'month-close', '--id', 'close-1', '--reason', 'x'])).rejects.toThrow(/請求済みの記録は取り下げられません/);
    // one no device can read is withdrawn, but shown first like any record: never without --yes
    await insertOld(api, coord.id, 'close-poison', { id: 'close-poison', body: 'not a close' }, 'month-close');
    await expect(admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'month-close', '--id', 'close-poison', '--reason', '読めない記録'])).rejects.toThrow(/まだ取り下げていません.*--yes/);
    expect((await admin(api, ['withdraw-record', '--hub', HUB, '--kind', 'month-close', '--id', 'close-poison', '--reason', '読めない記録', '--yes'])).join('\n')).toContain('取り下げました');

    // An edit of a withdrawn record from a device that still had it is refused, not merged into nothing.
    const late = await early.push([householdWire('hh-malformed', { note: '直しました' }, 'update')]);
    expect(late.body.results[0]).toMatchObject({ status: 'refused', reason: 'invalid', detail: expect.stringContaining('withdrawn by the hub') });

    expect(await app.engine.run()).toBe('done');
    expect(app.status.getState().setAside.total).toBe(0);
    expect((await app.session.list('household')).map((h) => h.id)).toEqual(['hh-good']);
    expect((await app.session.get('case-entry', entry!.id))?.data).toEqual(entry);
    expect(await admin(api, ['list-records', '--hub', HUB, '--invalid'])).toContainEqual(expect.stringContaining('6 件中 0 件'));

    const audit = await api.store.listAudit(HUB);
    expect(audit.map((a) => [a.action, a.kind, a.entityId, a.reason, a.by])).toEqual([
      ['withdraw-record', 'household', POISON, '不正な記録（issue 11）', 'kanri-taro'],
      ['withdraw-record', 'household', 'hh-malformed', '不正な記録（issue 11）', 'kanri-taro'],
      ['withdraw-record', 'month-close', 'close-poison', '読めない記録', 'kanri-taro'],
    ]);
    const kept = await api.raw.query<{ previous_payload_json: string }>('SELECT previous_payload_json FROM admin_audit WHERE entity_id = $1', ['hh-malformed']);
    expect(JSON.parse(kept.rows[0]!.previous_payload_json)).toMatchObject({ persons: 'not-a-list' });
    // A pull from the start hands the withdrawn records out as removals only.
    const fresh = await new DeviceClient(api, 'phone-fresh').join(await api.user('coord3', 'coordinator'));
    const removals = (await fresh.pullAll()).filter((r) => r.kind === 'household' && r.entityId !== 'hh-good');
    expect(removals.map((r) => [r.entityId, r.withdrawn, r.payloadJson])).toEqual([
      [POISON, true, 'null'],
      ['hh-malformed', true, 'null'],
    ]);
  });
});
