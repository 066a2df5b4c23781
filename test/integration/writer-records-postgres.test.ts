/**
 * [E6] beyond case entries, over HTTP against a real PostgreSQL: a 請求済み or its 取消 (month-close)
 * and a 閲覧記録 entry (access) name their writer, and the hub takes them only in the name of the
 * one who sends them, on the phone that sends them, as it takes a case entry. Otherwise a case
 * worker could cancel a coordinator's 請求済み in the coordinator's name (the app's history and the
 * evidence report show the record's name), or log what they opened in the admin's.
 * docs/sync-protocol.md E6, A9.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type ChangeResult, type PushResponse, type WireChange } from '../../src/protocol/sync';
import { DeviceClient, HUB, startApi, wireChange, type Answer, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/** Who a record names and the phone it says it was made on. */
interface Writer {
  readonly userId: string;
  readonly name: string;
  readonly deviceId: string;
}

/** The one on `phone`, as the app writes their records there. */
const on = (phone: DeviceClient, name: string): Writer => ({ userId: phone.vaultUserId, name, deviceId: phone.deviceId });

const OFFICE = { name: '相談支援センターA', officeNumber: '1210100001', updatedAt: '2026-11-01T00:00:00.000Z' };

/** November's 請求済み of office-a, as the app writes it (src/domain/claim-close.ts). */
function monthClose(id: string, by: Writer): Omit<WireChange, 'seq'> {
  const body = { type: 'close', sentOn: '2026-12-08', encoding: 'utf-8-bom', office: OFFICE, cases: [], summary: [], persons: 0, count: 0, units: 0, exports: [] };
  return monthRecord(id, by, body);
}

/** A 取消 of `cancels`, with its reason. */
function monthCancel(id: string, cancels: string, by: Writer, recordedAt?: string): Omit<WireChange, 'seq'> {
  return monthRecord(id, by, { type: 'cancel', cancels, reason: '別の月を誤って請求済みにした' }, recordedAt);
}

function monthRecord(id: string, by: Writer, body: Record<string, unknown>, recordedAt = '2026-12-08T01:00:00.000Z'): Omit<WireChange, 'seq'> {
  const record = { id, officeId: 'office-a', month: '2026-11', recordedAt, recordedBy: { userId: by.userId, name: by.name }, deviceId: by.deviceId, body };
  return wireChange('month-close', id, record, 'append');
}

/** A 閲覧記録 entry naming `userId` (vault/journal.ts prepareAccess). */
function access(id: string, userId: string, userName: string): Omit<WireChange, 'seq'> {
  return { ...wireChange('access', id, { id, at: '2026-11-30T15:00:00.000Z', userId, userName, action: 'open-household', householdId: 'hh-1' }, 'append'), at: '2026-11-30T15:00:00.000Z' };
}

const outcomes = (answer: Answer<PushResponse>) => answer.body.results.map((r: ChangeResult) => (r.status === 'refused' ? r.reason : r.status));

describe('[E6] a 請求済み, its 取消 and a 閲覧記録 entry are taken in the name of the one who sends them (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  let worker: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coordb', 'coordinator');
    worker = await api.user('aoba1', 'case-worker', { officeId: 'office-a' });
  });
  afterEach(() => api.close());

  /** A phone of `user`, signed in and enrolled, each sign-in at a TOTP step of its own (A4). */
  const join = (deviceId: string, user: TestUser) => {
    api.clock.advance(30_000);
    return new DeviceClient(api, deviceId).join(user);
  };
  const monthCloses = async (phone: DeviceClient) => (await phone.pullAll()).filter((r) => r.kind === 'month-close').map((r) => r.entityId);

  it("[E6] a case worker's 取消 or 請求済み naming a coordinator, or made on the coordinator's phone, is refused `writer` and kept for the admin; the coordinator's close stands, the worker's own 取消 goes", async () => {
    const coordPhone = await join('coord-phone', coord);
    const workerPhone = await join('worker-phone', worker);
    expect(outcomes(await coordPhone.push([monthClose('close-1', on(coordPhone, 'coordb さん'))]))).toEqual(['accepted']);

    const asCoordinator = { userId: coord.id, name: 'coordb さん', deviceId: workerPhone.deviceId };
    const answer = await workerPhone.push([
      // in the coordinator's hub id, or their id on their own phone
      monthCancel('cancel-forged', 'close-1', asCoordinator),
      monthCancel('cancel-forged-vault', 'close-1', { ...on(coordPhone, 'coordb さん'), deviceId: workerPhone.deviceId }),
      monthClose('close-forged', asCoordinator),
      // in the worker's own name, said to be made on the coordinator's phone
      monthCancel('cancel-other-phone', 'close-1', { ...on(workerPhone, '相談 一郎'), deviceId: coordPhone.deviceId }),
      monthCancel('cancel-own', 'close-1', on(workerPhone, '相談 一郎')),
    ]);
    expect(answer.status).toBe(200);
    expect(outcomes(answer)).toEqual(['writer', 'writer', 'writer', 'writer', 'accepted']);
    for (const r of answer.body.results.slice(0, 4)) expect(r.status === 'refused' && r.retryable).toBe(false);
    const details = answer.body.results.map((r) => (r.status === 'refused' ? r.detail : ''));
    expect(details[0]).toMatch(/recordedBy\.userId "u-coordb" is not the pushing user u-aoba1/);
    expect(details[3]).toMatch(/deviceId "coord-phone" is not the pushing device worker-phone/);

    // each refusal kept for the admin with the record as sent, under who sent it
    const refusals = await api.store.listRefusals(HUB);
    expect(refusals.map((r) => [r.kind, r.entityId, r.reason, r.userId]).sort()).toEqual([
      ['month-close', 'cancel-forged', 'writer', worker.id],
      ['month-close', 'cancel-forged-vault', 'writer', worker.id],
      ['month-close', 'cancel-other-phone', 'writer', worker.id],
      ['month-close', 'close-forged', 'writer', worker.id],
    ]);
    expect(JSON.parse(refusals.find((r) => r.entityId === 'cancel-forged')!.payloadJson)).toMatchObject({ recordedBy: { userId: coord.id } });
    // the office's phones hold the coordinator's close and the worker's own 取消 only
    expect((await monthCloses(coordPhone)).sort()).toEqual(['cancel-own', 'close-1']);
    // the worker's 取消 sent again from another phone (a restored backup) is answered as held, not refused
    const resent = await coordPhone.push([monthCancel('cancel-own', 'close-1', on(workerPhone, '相談 一郎'))]);
    expect(outcomes(resent)).toEqual(['duplicate']);
  });

  it("[E6][S15] a 請求済み another phone made, sent again from a colleague's phone after a restore, is taken when it names one who signed in on that phone; naming a phone the hub never had, or someone never on it, is refused `writer`", async () => {
    const other = await api.user('coordc', 'coordinator');
    const phoneA = await join('phone-a', coord);
    const phoneB = await join('phone-b', other);
    const workerPhone = await join('worker-phone', worker);
    // A closed November, and phone B pulled it; the hub was restored from a backup taken before the
    // close reached it, and phone A has been retired since: B sends A's record again (epoch-resend.ts)
    await api.accounts.disableDevice(phoneA.deviceId);
    const closeOnA = on(phoneA, 'coordb さん');
    // a hub never restored expects no re-send: a close naming another phone is refused
    const unexpected = await phoneB.push([monthClose('close-1', closeOnA)]);
    expect(outcomes(unexpected)).toEqual(['writer']);
    expect(unexpected.body.results[0]).toMatchObject({ detail: 'deviceId "phone-a" is not the pushing device phone-b: only a re-send after a restore names another phone, and this hub was never restored' });
    // the restore (db/epoch.ts renewHubEpoch), at 12/9 00:00, after A's close at 12/8 10:00 (Japan)
    await api.raw.query("UPDATE hub_epoch SET floors = jsonb_build_object($1::text, 0), started_at = '2026-12-09T00:00:00Z'", [HUB]);
    const resent = await phoneB.push([monthClose('close-1', closeOnA)]);
    expect(outcomes(resent)).toEqual(['accepted']);
    // in A's name as A made it, credited to B who sent it
    const credited = await api.raw.query<{ user_id: string; device_id: string }>("SELECT user_id, device_id FROM changes WHERE entity_id = 'close-1'");
    expect(credited.rows).toEqual([{ user_id: other.id, device_id: phoneB.deviceId }]);
    // the office's phones read November closed; another phone holding it sends it again: held
    expect(await monthCloses(workerPhone)).toEqual(['close-1']);
    expect(outcomes(await workerPhone.push([monthClose('close-1', closeOnA)]))).toEqual(['duplicate']);

    const answer = await phoneB.push([
      // A's coordinator, on a phone this hub never had
      monthCancel('cancel-no-phone', 'close-1', { userId: coord.id, name: 'coordb さん', deviceId: 'phone-never-joined' }),
      // B's coordinator (hub id, or their id on B), said to be on A, where they never signed in
      monthCancel('cancel-not-on-a', 'close-1', { userId: other.id, name: 'coordc さん', deviceId: phoneA.deviceId }),
      monthCancel('cancel-not-on-a-vault', 'close-1', { ...on(phoneB, 'coordc さん'), deviceId: phoneA.deviceId }),
    ]);
    expect(outcomes(answer)).toEqual(['writer', 'writer', 'writer']);
    // the case worker copies A's phone and maker from the pulled close into a 取消 of their own,
    // made after the restore: not a re-send, so refused
    const forged = await workerPhone.push([monthCancel('cancel-forged', 'close-1', closeOnA, '2026-12-10T00:00:00.000Z')]);
    expect(outcomes(forged)).toEqual(['writer']);
    expect(forged.body.results[0]).toMatchObject({ detail: 'deviceId "phone-a" is not the pushing device worker-phone: only a re-send of a record made before the restore (2026-12-09T00:00:00.000Z) names another phone' });
    const details = answer.body.results.map((r) => (r.status === 'refused' ? r.detail : ''));
    expect(details[0]).toBe('deviceId "phone-never-joined" is not the pushing device phone-b nor a device of this hub');
    expect(details[1]).toBe('deviceId "phone-a" is not the pushing device phone-b, and recordedBy.userId "u-coordc" never signed in on it');
    expect(details[2]).toMatch(/recordedBy\.userId "staff-on-phone-b" never signed in on it/);
    // November stays 請求済み
    expect(await monthCloses(workerPhone)).toEqual(['close-1']);
  });

  it('[E6] a 閲覧記録 entry naming another user is refused `writer`: not listed, not under them; a retiring phone\'s is quarantined for the admin', async () => {
    const kanri = await api.user('admin', 'admin');
    const coordPhone = await join('coord-phone', coord);
    const workerPhone = await join('worker-phone', worker);
    const answer = await workerPhone.push([
      access('acc-as-admin', kanri.id, '管理 太郎'),
      access('acc-as-colleague', coordPhone.vaultUserId, 'coordb さん'),
      access('acc-own', workerPhone.vaultUserId, '相談 一郎'),
    ]);
    expect(outcomes(answer)).toEqual(['writer', 'writer', 'accepted']);
    expect(answer.body.results[0]).toMatchObject({ detail: expect.stringMatching(/^userId "u-admin" is not the pushing user u-aoba1/) });
    expect((await api.store.listRefusals(HUB)).map((r) => [r.kind, r.entityId, r.reason]).sort()).toEqual([
      ['access', 'acc-as-admin', 'writer'],
      ['access', 'acc-as-colleague', 'writer'],
    ]);
    expect((await api.store.listAccessLog(HUB, { limit: 10 })).map((e) => [e.userId, e.authorLogin])).toEqual([[workerPhone.vaultUserId, 'aoba1']]);
    expect(await api.store.listAccessLog(HUB, { limit: 10, user: 'admin' })).toEqual([]);

    // the worker leaves; their phone's last entries: their own taken, the one naming the admin quarantined
    await api.accounts.disableUser(worker.id);
    workerPhone.cookie = undefined;
    const retire = await workerPhone.push([access('acc-last-as-admin', kanri.id, '管理 太郎'), access('acc-last', workerPhone.vaultUserId, '相談 一郎')], API.retirePush);
    expect(retire.status).toBe(200);
    expect(outcomes(retire)).toEqual(['writer', 'accepted']);
    expect((await api.store.listQuarantine(HUB)).map((q) => [q.kind, q.entityId, q.reason])).toEqual([['access', 'acc-last-as-admin', 'writer']]);
  });

  it("[E6][A9] on a shared phone each person's 請求済み, 取消 and 閲覧記録 go in their own name (hub id or their id on the phone); naming the other person signed in on it is refused `writer`", async () => {
    const shared = await join('shared-phone', coord);
    // the case worker unlocks the same phone with their own key slot and signs in on it
    const theirs = new (class extends DeviceClient {
      override get vaultUserId() {
        return 'aoba1-on-shared-phone';
      }
    })(api, 'shared-phone');
    theirs.secret = shared.secret;
    api.clock.advance(30_000);
    expect((await theirs.signIn(worker)).status).toBe(200);
    expect((await theirs.enrol()).status).toBe(200);
    const coordOnPhone = on(shared, 'coordb さん');
    const workerOnPhone = on(theirs, '相談 一郎');

    // the phone's queue, sent in the coordinator's session, each change with its author (A9)
    const answer = await shared.push([
      { ...monthClose('close-1', workerOnPhone), author: worker.id },
      { ...monthCancel('cancel-coord', 'close-1', coordOnPhone), author: coord.id },
      { ...monthClose('close-2', { ...coordOnPhone, userId: coord.id }), author: coord.id },
      { ...monthCancel('cancel-as-coord', 'close-2', coordOnPhone), author: worker.id },
      { ...access('acc-as-coord', coordOnPhone.userId, 'coordb さん'), author: worker.id },
      { ...access('acc-worker', workerOnPhone.userId, '相談 一郎'), author: worker.id },
      { ...access('acc-coord', coord.id, 'coordb さん'), author: coord.id },
    ]);
    expect(answer.status).toBe(200);
    expect(outcomes(answer)).toEqual(['accepted', 'accepted', 'accepted', 'writer', 'writer', 'accepted', 'accepted']);
    const credited = await api.raw.query<{ entity_id: string; user_id: string }>("SELECT entity_id, user_id FROM changes WHERE kind IN ('month-close', 'access') ORDER BY version");
    expect(credited.rows.map((r) => [r.entity_id, r.user_id])).toEqual([
      ['close-1', worker.id],
      ['cancel-coord', coord.id],
      ['close-2', coord.id],
      ['acc-worker', worker.id],
      ['acc-coord', coord.id],
    ]);
    // November stays 請求済み as the coordinator left it: close-2, not cancelled in their name
    expect((await monthCloses(shared)).sort()).toEqual(['cancel-coord', 'close-1', 'close-2']);
  });
});
