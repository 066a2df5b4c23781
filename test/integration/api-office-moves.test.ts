/**
 * [S10] A record that leaves an office leaves the phones of that office's 相談支援専門員, against a
 * real PostgreSQL, over HTTP: a household moved from office A to office B stayed on office A's case
 * workers' phones for good (the pull filtered on the record's office now and never told a phone
 * that a record had left its scope). The hub now keeps each departure (migration 21) and a case
 * worker's pull hands it out as a removal (docs/sync-protocol.md, Scope); the phones here run the
 * app's own sync engine and vault.
 */
import 'fake-indexeddb/auto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Household } from '../../src/domain/household';
import type { PullResponse, WireRecord } from '../../src/protocol/sync';
import { totpCode } from '../../src/server/services/credentials';
import { createTrialStay } from '../factories/trial-stay';
import { AppDevice } from './fault/app-device';
import { DeviceClient, heldAtTheCounter, householdWire, HUB, PASSWORD, startApi, wireChange, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/** What a case worker's pull hands out for a record that left their office: R4's removal, under the office it left. */
const removal = (kind: WireRecord['kind'], entityId: string, version: number, officeId: string): WireRecord => ({
  kind,
  entityId,
  version,
  officeId,
  withdrawn: true,
  payloadJson: 'null',
});

const short = (records: readonly WireRecord[]) => records.map((r) => [r.kind, r.entityId, r.version, r.officeId, r.withdrawn]);

describe('[S10] records that move between offices (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: DeviceClient;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await new DeviceClient(api, 'coord-phone').join(await api.user('coord', 'coordinator'));
  });
  afterEach(() => api.close());

  /** The coordinator writes a household (whole, as the app does) on the version the hub holds. */
  async function write(id: string, fields: Partial<Household>): Promise<number> {
    const held = (await coord.pullAll()).find((r) => r.kind === 'household' && r.entityId === id);
    const change = held === undefined ? householdWire(id, fields) : { ...householdWire(id, fields, 'update'), baseVersion: held.version };
    const [result] = (await coord.push([change])).body.results;
    expect(result).toMatchObject({ status: 'accepted' });
    return (result as { version: number }).version;
  }

  /** A phone running the app, joined by a new user of `role` (its first sync done). */
  async function phone(login: string, role: 'case-worker' | 'coordinator', officeId?: string): Promise<AppDevice> {
    const user: TestUser = await api.user(login, role, officeId === undefined ? {} : { officeId });
    const app = await AppDevice.create(`${login}-phone`, () => api.base);
    await app.join({ hub: HUB, loginName: user.loginName, password: PASSWORD, totp: () => totpCode(user.totpSecret, api.clock.now) });
    return app;
  }

  const households = async (app: AppDevice) => (await app.session.list<Household>('household')).map((h) => h.id).sort();

  /** A device that has pulled everything in its scope (its cursor at the hub's head). */
  async function caughtUp(deviceId: string, user: TestUser): Promise<DeviceClient> {
    const device = await new DeviceClient(api, deviceId).join(user);
    const page = await device.pull();
    expect(page.body.hasMore).toBe(false);
    device.cursor = page.body.cursor;
    return device;
  }

  it("[S10] a household moved from office A to B leaves the phone of A's case worker (the app's engine and vault), with its draft; B's case worker receives it", async () => {
    await write('hh-1', { officeId: 'office-a' });
    await write('hh-2', { officeId: 'office-a' });
    const workerA = await phone('worker-a', 'case-worker', 'office-a');
    expect(await households(workerA)).toEqual(['hh-1', 'hh-2']);
    await workerA.session.saveDraft('household:hh-1', { note: '書きかけ' });
    const workerB = await phone('worker-b', 'case-worker', 'office-b');
    expect(await households(workerB)).toEqual([]);

    await write('hh-1', { officeId: 'office-b', note: '事業所Bへ移管' });
    expect(await workerA.sync()).toBe('done');
    expect(await households(workerA)).toEqual(['hh-2']);
    expect(await workerA.session.listDraftKeys()).toEqual([]);
    expect(await workerB.sync()).toBe('done');
    expect(await households(workerB)).toEqual(['hh-1']);
    expect((await workerB.household('hh-1'))?.note).toBe('事業所Bへ移管');

    // Its later edits at office B do not come back to A's phone.
    await write('hh-1', { officeId: 'office-b', note: '服薬の変更' });
    expect(await workerA.sync()).toBe('done');
    expect(await households(workerA)).toEqual(['hh-2']);
    expect(await workerA.session.outbox()).toEqual([]);
  });

  it('[S10] the removal is R4\'s wire form under the office it left, for a case worker of that office only: the scope stays, a coordinator\'s pull is as before, a first sync gets none', async () => {
    await write('hh-1', { officeId: 'office-a' });
    await write('hh-2', { officeId: 'office-a' });
    const workerAUser = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', workerAUser);
    const workerB = await caughtUp('worker-b-phone', await api.user('worker-b', 'case-worker', { officeId: 'office-b' }));
    const workerC = await caughtUp('worker-c-phone', await api.user('worker-c', 'case-worker', { officeId: 'office-c' }));
    const lead = await caughtUp('lead-phone', await api.user('lead', 'coordinator'));

    const moved = await write('hh-1', { officeId: 'office-b' });
    const a = await workerA.pull();
    expect(a.status).toBe(200);
    expect(a.body.records).toEqual([removal('household', 'hh-1', moved, 'office-a')]);
    expect(a.body).toMatchObject({ hasMore: false, scope: { role: 'case-worker', officeIds: ['office-a'], facilityId: null } });
    const b = await workerB.pull();
    expect(short(b.body.records)).toEqual([['household', 'hh-1', moved, 'office-b', false]]);
    expect((await workerC.pull()).body.records).toEqual([]);
    const l = await lead.pull();
    expect(short(l.body.records)).toEqual([['household', 'hh-1', moved, 'office-b', false]]);
    expect(l.body.scope).toMatchObject({ officeIds: 'all' });
    // Every one of them ends at the hub's head.
    expect(new Set([a, b, l].map((p) => p.body.cursor)).size).toBe(1);

    // A first sync of A's case worker holds nothing to remove: it gets office A's household alone.
    api.clock.advance(30_000); // the next TOTP code: the first one was taken
    const fresh = await new DeviceClient(api, 'worker-a-tablet').join(workerAUser);
    expect(short(await fresh.pullAll())).toEqual([['household', 'hh-2', expect.any(Number), 'office-a', false]]);
  });

  it('[S10] a household moved A→B→A comes back to the phone of A\'s case worker, with its latest edit; moved there and back between two syncs it simply stays', async () => {
    await write('hh-1', { officeId: 'office-a' });
    const workerA = await phone('worker-a', 'case-worker', 'office-a');
    await write('hh-1', { officeId: 'office-b' });
    expect(await workerA.sync()).toBe('done');
    expect(await households(workerA)).toEqual([]);

    await write('hh-1', { officeId: 'office-a', note: 'Aに戻りました' });
    expect(await workerA.sync()).toBe('done');
    expect(await households(workerA)).toEqual(['hh-1']);
    expect((await workerA.household('hh-1'))?.note).toBe('Aに戻りました');

    await write('hh-1', { officeId: 'office-b', note: 'もう一度Bへ' });
    await write('hh-1', { officeId: 'office-a', note: 'またAへ' });
    expect(await workerA.sync()).toBe('done');
    expect(await households(workerA)).toEqual(['hh-1']);
    expect((await workerA.household('hh-1'))?.note).toBe('またAへ');
  });

  it('[S2][S10] removals come within the page\'s versions and in version order with the records, page by page', async () => {
    await write('hh-1', { officeId: 'office-a' });
    await write('hh-2', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const from = workerA.cursor;
    const v1 = await write('hh-1', { officeId: 'office-b' });
    const v2 = await write('hh-3', { officeId: 'office-a' });
    const v3 = await write('hh-2', { officeId: 'office-c' });
    await write('hh-4', { officeId: 'office-b' });

    const whole = await workerA.pull(from);
    expect(short(whole.body.records)).toEqual([
      ['household', 'hh-1', v1, 'office-a', true],
      ['household', 'hh-3', v2, 'office-a', false],
      ['household', 'hh-2', v3, 'office-a', true],
    ]);
    expect(whole.body.hasMore).toBe(false);

    const pages: (readonly unknown[])[] = [];
    let cursor = from;
    for (;;) {
      const page = await workerA.pull(cursor, 1);
      expect(page.status).toBe(200);
      pages.push(short(page.body.records));
      cursor = page.body.cursor;
      if (!page.body.hasMore) break;
    }
    expect(pages).toEqual([
      [['household', 'hh-1', v1, 'office-a', true]],
      [['household', 'hh-3', v2, 'office-a', false]],
      [['household', 'hh-2', v3, 'office-a', true]],
    ]);
    expect(cursor).toBe(whole.body.cursor);
  });

  it('[S2][S10] a pull alongside a move held at the hub\'s counter skips neither the move nor its removal', async () => {
    await write('hh-1', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const held = (await coord.pullAll()).find((r) => r.entityId === 'hh-1')!;
    const { pushed, release } = await heldAtTheCounter(api, () => coord.push([{ ...householdWire('hh-1', { officeId: 'office-b' }, 'update'), baseVersion: held.version }]));
    const during = await workerA.pull();
    expect(during.body.records).toEqual([]);
    workerA.cursor = during.body.cursor;
    await release();
    const [result] = (await pushed).body.results;
    expect(result).toMatchObject({ status: 'accepted' });
    expect((await workerA.pull()).body.records).toEqual([removal('household', 'hh-1', (result as { version: number }).version, 'office-a')]);
  });

  it("[S10] a coordinator's edit made on a copy from before a move keeps the household where it moved: B's case worker keeps it, with the edit; A's gets nothing back", async () => {
    const before = await write('hh-1', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const workerB = await caughtUp('worker-b-phone', await api.user('worker-b', 'case-worker', { officeId: 'office-b' }));
    const moved = await write('hh-1', { officeId: 'office-b' });
    // A second coordinator's phone had not pulled since: its copy still says office A.
    const other = await new DeviceClient(api, 'coord2-phone').join(await api.user('coord2', 'coordinator'));
    const stale = { ...householdWire('hh-1', { officeId: 'office-a', note: '夜間は長女の携帯へ' }, 'update'), baseVersion: before };
    const [result] = (await other.push([stale])).body.results;

    expect(result).toMatchObject({ status: 'accepted' });
    const edited = (result as { version: number }).version;

    expect((await workerA.pull()).body.records).toEqual([removal('household', 'hh-1', moved, 'office-a')]);
    const b = (await workerB.pull()).body.records;
    expect(short(b)).toEqual([['household', 'hh-1', edited, 'office-b', false]]);
    expect(JSON.parse(b[0]!.payloadJson)).toMatchObject({ officeId: 'office-b', note: '夜間は長女の携帯へ' });
    // B's case worker can go on writing it; A's cannot
    const [next] = (await workerB.push([{ ...householdWire('hh-1', { officeId: 'office-b', note: '確認済み' }, 'update'), baseVersion: edited }])).body.results;
    expect(next).toMatchObject({ status: 'accepted' });
  });

  it("[S2][S10] a case worker's edit decided while the household was still their office's, and written after its move, is refused, not written into the office the family moved to", async () => {
    const before = await write('hh-1', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const workerB = await caughtUp('worker-b-phone', await api.user('worker-b', 'case-worker', { officeId: 'office-b' }));
    // The case worker's push is decided on what the hub held (office A), then waits for its device's row...
    const holder = await api.raw.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM devices WHERE id = $1 FOR UPDATE', ['worker-a-phone']);
      const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const edit = workerA.push([{ ...householdWire('hh-1', { officeId: 'office-a', note: '事業所Aの記入' }, 'update'), baseVersion: before }]);
      await expect
        .poll(async () => (await api.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [holderPid])).rows[0]!.n, {
          timeout: 20_000,
        })
        .toBe(1);
      // ...while a coordinator moves the family to office B.
      const [move] = (await coord.push([{ ...householdWire('hh-1', { officeId: 'office-b' }, 'update'), baseVersion: before }])).body.results;
      expect(move).toMatchObject({ status: 'accepted' });
      await holder.query('ROLLBACK');
      expect((await edit).body.results[0]).toMatchObject({ status: 'refused', reason: 'scope' });
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      holder.release();
    }
    const b = (await workerB.pull()).body.records;
    expect(short(b)).toEqual([['household', 'hh-1', expect.any(Number), 'office-b', false]]);
    expect(JSON.parse(b[0]!.payloadJson).note).not.toBe('事業所Aの記入');
    expect((await workerA.pull()).body.records).toMatchObject([{ entityId: 'hh-1', withdrawn: true, officeId: 'office-a' }]);
  });

  it('[S10] a trial stay held under its household\'s office (decided at its push) leaves office A when written again after its household moved', async () => {
    await write('hh-1', { officeId: 'office-a' });
    const stay = createTrialStay({ householdId: 'hh-1' });
    const pushStay = async (op: 'create' | 'update', baseVersion: number | null) => {
      const [result] = (await coord.push([{ ...wireChange('trial-stay', stay.id, { ...stay }, op), baseVersion }])).body.results;
      expect(result).toMatchObject({ status: 'accepted' });
      return (result as { version: number }).version;
    };
    const first = await pushStay('create', null);
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const moved = await write('hh-1', { officeId: 'office-b' });
    // The stay does not follow its household by itself: it is still office A's until it is written again.
    expect((await workerA.pull()).body.records).toEqual([removal('household', 'hh-1', moved, 'office-a')]);
    const again = await pushStay('update', first);
    const page = await workerA.pull();
    expect(page.body.records).toEqual([removal('household', 'hh-1', moved, 'office-a'), removal('trial-stay', stay.id, again, 'office-a')]);
  });

  it('[S10] a case worker cannot take another office\'s trial stay by naming a household of their own; once the family moves to them, they write it', async () => {
    await write('hh-a', { officeId: 'office-a' });
    await write('hh-b', { officeId: 'office-b' });
    const stay = createTrialStay({ householdId: 'hh-b', purpose: '夜間の様子をみる' });
    const [created] = (await coord.push([wireChange('trial-stay', stay.id, { ...stay }, 'create')])).body.results;
    const held = (created as { version: number }).version;
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    const taken = { ...stay, householdId: 'hh-a', purpose: '書き換え' };
    for (const [op, baseVersion] of [['update', null], ['update', held], ['withdraw', held]] as const) {
      const [result] = (await workerA.push([{ ...wireChange('trial-stay', stay.id, taken, op), baseVersion }])).body.results;
      expect(result).toMatchObject({ status: 'refused', reason: 'scope' });
      // the refusal says nothing of the stay's version
      expect(JSON.stringify(result)).not.toContain(`version ${held}`);
    }
    expect((await workerA.pull()).body.records).toEqual([]);
    const still = (await coord.pullAll()).find((r) => r.kind === 'trial-stay' && r.entityId === stay.id)!;
    expect([still.version, still.officeId, JSON.parse(still.payloadJson)]).toEqual([held, 'office-b', expect.objectContaining({ householdId: 'hh-b', purpose: '夜間の様子をみる' })]);

    await write('hh-b', { officeId: 'office-a' });
    const [moved] = (await workerA.push([{ ...wireChange('trial-stay', stay.id, { ...stay, purpose: '移管後に追記' }, 'update'), baseVersion: held }])).body.results;
    expect(moved).toMatchObject({ status: 'accepted' });
  });

  it('[S10][R4] a phone with an unsent edit of the moved household keeps it until the refused edit is set aside; then it goes', async () => {
    await write('hh-1', { officeId: 'office-a' });
    const workerA = await phone('worker-a', 'case-worker', 'office-a');
    const mine = (await workerA.household('hh-1'))!;
    await workerA.saveHousehold({ ...mine, note: '電話で確認' }, 'update');
    await write('hh-1', { officeId: 'office-b' });

    expect(await workerA.sync()).toBe('done');
    const [refused] = await workerA.session.outbox();
    expect(refused?.refusal).toMatchObject({ reason: 'scope' });
    expect(await households(workerA)).toEqual(['hh-1']);
    await workerA.engine.dismissRefused(refused!.seq, '送信不可の変更（テスト）');
    expect(await households(workerA)).toEqual([]);
  });

  it('[S15][S10] a case worker\'s pull from the start after a restore removes what left office A above the floor', async () => {
    await write('hh-1', { officeId: 'office-a' });
    await write('hh-2', { officeId: 'office-a' });
    const workerA = await caughtUp('worker-a-phone', await api.user('worker-a', 'case-worker', { officeId: 'office-a' }));
    await api.store.renewEpoch();
    const moved = await write('hh-1', { officeId: 'office-b' });
    const page = await workerA.pull();
    expect((page.body as PullResponse).epochChange).toBeDefined();
    expect(short(page.body.records)).toEqual([
      ['household', 'hh-2', expect.any(Number), 'office-a', false],
      ['household', 'hh-1', moved, 'office-a', true],
    ]);
  });
});
