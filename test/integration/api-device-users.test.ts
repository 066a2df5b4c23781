/**
 * The users of a shared phone over HTTP against a real PostgreSQL (docs/sync-protocol.md A6,
 * A8-A10): no device takeover, a second user joins a phone by proving its secret, per-user device
 * tokens open sessions (and stop when revoked or the user is disabled), and every pushed change is
 * credited to the user who wrote it on the phone.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type ChangeResult, type ErrorResponse, type SessionInfo, type WireChange } from '../../src/protocol/sync';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { MAX_TOKEN_FAILURES } from '../../src/server/db/device-users';
import { appendEntries, coordinator, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, HUB, householdWire, startApi, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const by = (author: TestUser) => (c: Omit<WireChange, 'seq'>): Omit<WireChange, 'seq'> => ({ ...c, author: author.id });
const outcome = (r: ChangeResult) => (r.status === 'refused' ? r.reason : r.status);

describe('device users (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  let coord2: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
    coord2 = await api.user('coord2', 'coordinator');
  });
  afterEach(() => api.close());

  const device = (id: string) => new DeviceClient(api, id);
  const admin = async (...argv: string[]) => {
    const lines: string[] = [];
    const { command, options } = parseAdminArgs(argv);
    await runAdminCommand(api.store, command, options, { out: (l) => lines.push(l), readPassword: async () => '', now: () => api.clock.now });
    return lines.join('\n');
  };
  const head = async () => (await api.store.health()).headVersion;
  /** The phone as a second user finds it: the same secret, a browser signed in as that user. */
  const secondUser = async (phone: DeviceClient, user: TestUser) => {
    const other = device(phone.deviceId);
    other.secret = phone.secret;
    expect((await other.signIn(user)).status).toBe(200);
    const enrol = await other.enrol();
    expect(enrol.status).toBe(200);
    return { client: other, token: enrol.body.userToken };
  };

  it("[A6] enrolling a victim's device id is refused: the victim keeps syncing from where it was, and its queue is not stranded", async () => {
    const victim = await device('oncall-phone').join(coord);
    expect((await victim.push([householdWire('hh-1')])).body.results[0]).toMatchObject({ seq: 1, status: 'accepted' });

    const attacker = device('oncall-phone');
    await attacker.signIn(coord2);
    const takeover = await attacker.request<ErrorResponse>('POST', API.devices, { deviceId: 'oncall-phone', name: '乗っ取り' });
    expect(takeover.status).toBe(403);
    expect(takeover.body.error).toBe('forbidden');
    expect(takeover.body.message).toContain('既に登録されています');
    // a guessed secret is no proof
    const guessed = await attacker.request('POST', API.devices, { deviceId: 'oncall-phone', name: '乗っ取り' }, {
      'x-kyoten-device-secret': 'A'.repeat(43),
    });
    expect(guessed.status).toBe(403);
    expect((await api.store.listDeviceUsers('oncall-phone')).map((u) => u.userId)).toEqual([coord.id]);

    // the victim's next change goes on at seq 2, and nothing of theirs is refused
    const next = await victim.push([householdWire('hh-2')]);
    expect(next.status).toBe(200);
    expect(next.body.results[0]).toMatchObject({ seq: 2, status: 'accepted' });
    // re-enrolling (a new sign-in on the phone) resumes from the server's lastSeq, with the same secret
    const again = await victim.enrol();
    expect(again.body).toMatchObject({ lastSeq: 2, deviceSecret: victim.secret });
    expect((await victim.push([householdWire('hh-3')])).body.results[0]).toMatchObject({ seq: 3, status: 'accepted' });
    const users = await api.raw.query<{ user_id: string }>('SELECT DISTINCT user_id FROM changes');
    expect(users.rows.map((r) => r.user_id)).toEqual([coord.id]);
  });

  it('[A6] an admin hand-over (move-device) lets one named user enrol the id without its secret, once; the seq goes on', async () => {
    const lost = await device('phone-1').join(coord);
    await lost.push([householdWire('hh-1')]);
    expect(await admin('move-device', '--hub', HUB, '--device', 'phone-1', '--login', 'coord2')).toContain('移行');
    // someone else still cannot take it
    const other = device('phone-1');
    await other.signIn(await api.user('coord3', 'coordinator'));
    expect((await other.enrol()).status).toBe(403);
    const heir = device('phone-1');
    await heir.signIn(coord2);
    const enrol = await heir.enrol();
    expect(enrol.status).toBe(200);
    expect(enrol.body.lastSeq).toBe(1);
    expect(enrol.body.deviceSecret).not.toBe(lost.secret);
    expect((await heir.push([householdWire('hh-2')])).body.results[0]).toMatchObject({ seq: 2, status: 'accepted' });
    // the hand-over is used up, and the old secret no longer opens the device
    const late = device('phone-1');
    api.clock.advance(30_000); // a TOTP code is taken once
    await late.signIn(coord2);
    expect((await late.enrol()).status).toBe(403);
    expect((await lost.push([householdWire('hh-3')])).status).toBe(403);
  });

  it('[A8] a device token opens a session for its user on that device only, throttled; revoked or disabled, it is refused', async () => {
    const phone = await device('oncall-phone').join(coord);
    const second = await secondUser(phone, coord2);
    expect(second.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // the token is stored only as its hash
    const hashes = await api.raw.query<{ token_hash: string }>('SELECT token_hash FROM device_users');
    expect(hashes.rows.map((r) => r.token_hash)).not.toContain(second.token);

    // 18:00: the phone is handed over; no password, no code
    const evening = device('oncall-phone');
    evening.secret = phone.secret;
    const session = await evening.request<SessionInfo>('POST', API.deviceSession, { token: second.token });
    expect(session.status).toBe(200);
    expect(session.body.user.id).toBe(coord2.id);
    expect(session.headers.get('set-cookie')).toContain('HttpOnly');
    expect((await evening.push([householdWire('hh-1')])).body.results[0]).toMatchObject({ status: 'accepted' });

    // on another device, or without the device's secret, the token is worth nothing
    api.clock.advance(30_000); // a TOTP code is taken once
    const elsewhere = await device('tablet-9').join(coord);
    expect((await elsewhere.request('POST', API.deviceSession, { token: second.token })).status).toBe(401);
    const noSecret = device('oncall-phone');
    expect((await noSecret.request('POST', API.deviceSession, { token: second.token })).status).toBe(403);

    expect(await admin('device-users', '--device', 'oncall-phone')).toMatch(new RegExp(`${coord2.id}\t有効`));
    await admin('revoke-device-user', '--hub', HUB, '--device', 'oncall-phone', '--login', 'coord2');
    expect(await admin('device-users', '--device', 'oncall-phone')).toMatch(new RegExp(`${coord2.id}\t取り消し済み`));
    const revoked = await evening.request<ErrorResponse>('POST', API.deviceSession, { token: second.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('signed-out');
    // the revoked user's open session no longer syncs this device either
    expect((await evening.pull(0)).status).toBe(403);

    // signing in again on the phone gives a new token; disabling the user ends it
    api.clock.advance(30_000);
    const back = await secondUser(phone, coord2);
    expect((await evening.request('POST', API.deviceSession, { token: back.token })).status).toBe(200);
    await api.accounts.disableUser(coord2.id);
    expect((await evening.request('POST', API.deviceSession, { token: back.token })).status).toBe(401);
    // the phone is not retired: its other user carries on
    expect((await phone.pull(0)).status).toBe(200);

    // guesses are counted per device, reserved before the check
    const guesses = await Promise.all(
      Array.from({ length: MAX_TOKEN_FAILURES + 20 }, () => evening.request('POST', API.deviceSession, { token: 'G'.repeat(43) })),
    );
    const statuses = guesses.map((g) => g.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20);
    const firstToken = (await phone.enrol()).body.userToken;
    expect((await evening.request('POST', API.deviceSession, { token: firstToken })).status).toBe(429);
    api.clock.advance(10 * 60_000);
    expect((await evening.request('POST', API.deviceSession, { token: firstToken })).status).toBe(200);
  });

  it("[A9] each change is credited to its author, decided with the author's role and office", async () => {
    const worker = await api.user('worker1', 'case-worker', { officeId: 'office-a' });
    const phone = await device('oncall-phone').join(coord);
    const { client: workerPhone } = await secondUser(phone, worker);
    const entries = await appendEntries([], [{ body: openBody({ officeId: 'office-a', subject: { householdId: 'hh-a', personId: null, name: '佐藤', recipientNumber: '' } }), at: '2026-11-30T11:50:00.000Z', by: { userId: worker.id, name: 'worker1 さん' } }], 'case-1', { by: coordinator, deviceId: phone.deviceId });
    // the case worker's session sends the whole queue: the coordinator's edits made earlier, then their own
    const pushed = await workerPhone.push([
      by(coord)(householdWire('hh-b', { officeId: 'office-b' })),
      by(worker)(householdWire('hh-a', { officeId: 'office-a' })),
      by(worker)(householdWire('hh-b2', { officeId: 'office-b' })),
      by(worker)(entryWire(entries[0]!)),
      householdWire('hh-a2', { officeId: 'office-a' }),
    ]);
    expect(pushed.status).toBe(200);
    // the coordinator may write office-b; the case worker may not
    expect(pushed.body.results.map(outcome)).toEqual(['accepted', 'accepted', 'scope', 'accepted', 'accepted']);
    const changes = await api.raw.query<{ entity_id: string; user_id: string }>('SELECT entity_id, user_id FROM changes ORDER BY version');
    expect(changes.rows).toEqual([
      { entity_id: 'hh-b', user_id: coord.id },
      { entity_id: 'hh-a', user_id: worker.id },
      { entity_id: entries[0]!.id, user_id: worker.id },
      { entity_id: 'hh-a2', user_id: worker.id },
    ]);
    const receipts = await api.raw.query<{ device_seq: string; user_id: string }>('SELECT device_seq, user_id FROM receipts ORDER BY device_seq');
    expect(receipts.rows.map((r) => r.user_id)).toEqual([coord.id, worker.id, worker.id, worker.id, worker.id]);
    const households = await api.raw.query<{ entity_id: string; updated_by: string }>("SELECT entity_id, updated_by FROM records WHERE kind = 'household' ORDER BY entity_id");
    expect(households.rows).toEqual([
      { entity_id: 'hh-a', updated_by: worker.id },
      { entity_id: 'hh-a2', updated_by: worker.id },
      { entity_id: 'hh-b', updated_by: coord.id },
    ]);
  });

  it("[A9] keeps the id each person has in the phone's vault (what their case entries carry as recordedBy)", async () => {
    const phone = await device('oncall-phone').join(coord);
    const other = device('oncall-phone');
    other.secret = phone.secret;
    await other.signIn(coord2);
    const enrol = await other.request('POST', API.devices, { deviceId: 'oncall-phone', name: '当番携帯', vaultUserId: 'vault-jiro' });
    expect(enrol.status).toBe(200);
    const users = await api.store.listDeviceUsers('oncall-phone');
    expect(users.map((u) => [u.userId, u.vaultUserId])).toEqual([[coord.id, phone.vaultUserId], [coord2.id, 'vault-jiro']]);
  });

  it('[A9] a change whose author has not signed in on the phone is not taken, nor anything after it, until they do', async () => {
    const phone = await device('oncall-phone').join(coord);
    const before = await head();
    const queue = [by(coord2)(householdWire('hh-1')), by(coord)(householdWire('hh-2'))];
    const held = await phone.push(queue);
    expect(held.status).toBe(200);
    expect(held.body.results).toEqual([
      expect.objectContaining({ seq: 1, status: 'refused', reason: 'author', retryable: true }),
      expect.objectContaining({ seq: 2, status: 'refused', reason: 'author', retryable: true }),
    ]);
    expect(await head()).toBe(before);
    // a user of another hub, or a made-up id, is no author either
    expect((await phone.request<{ results: ChangeResult[] }>('POST', API.push, { changes: [{ ...householdWire('hh-1'), author: 'u-nobody', seq: 1 }] })).body.results[0]).toMatchObject({ reason: 'author' });
    // once coord2 signs in on the phone, the same seqs are taken, each under its author
    await secondUser(phone, coord2);
    const sent = await phone.request<{ results: ChangeResult[] }>('POST', API.push, { changes: queue.map((c, i) => ({ ...c, seq: i + 1 })) });
    expect(sent.body.results.map(outcome)).toEqual(['accepted', 'accepted']);
    const changes = await api.raw.query<{ user_id: string }>('SELECT user_id FROM changes ORDER BY version');
    expect(changes.rows.map((r) => r.user_id)).toEqual([coord2.id, coord.id]);
  });

  it("[A9] a disabled author's evidence still arrives through the phone's other user; their edits are refused, and the phone is not retired", async () => {
    const phone = await device('oncall-phone').join(coord);
    const { client: evening } = await secondUser(phone, coord2);
    const entries = await appendEntries([], [{ body: openBody({ officeId: 'office-a' }), at: '2026-11-30T11:50:00.000Z', by: { userId: coord.id, name: 'coord1 さん' } }], 'case-1', { by: coordinator, deviceId: phone.deviceId });
    await api.accounts.disableUser(coord.id);
    const pushed = await evening.push([by(coord)(entryWire(entries[0]!)), by(coord)(householdWire('hh-1')), by(coord2)(householdWire('hh-2'))]);
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.map(outcome)).toEqual(['accepted', 'scope', 'accepted']);
    const changes = await api.raw.query<{ entity_id: string; user_id: string }>('SELECT entity_id, user_id FROM changes ORDER BY version');
    expect(changes.rows).toEqual([
      { entity_id: entries[0]!.id, user_id: coord.id },
      { entity_id: 'hh-2', user_id: coord2.id },
    ]);
    expect((await evening.pull(0)).status).toBe(200);
    // when its last user is disabled too, the phone retires (410) and sends its evidence by retire-push
    await api.accounts.disableUser(coord2.id);
    expect((await phone.pull(0)).status).toBe(410);
    // a case entry by someone who never signed in on the phone is kept for the admin, credited to nobody
    const stranger = await appendEntries([], [{ body: openBody({ officeId: 'office-a' }), at: '2026-11-30T11:55:00.000Z', by: { userId: 'vault-saburo', name: '三郎' } }], 'case-2', { by: coordinator, deviceId: phone.deviceId });
    phone.cookie = undefined;
    phone.nextSeq = evening.nextSeq;
    const retired = await phone.push([{ ...entryWire(stranger[0]!), author: 'vault-saburo' }, by(coord2)(entryWire((await appendEntries([], [{ body: openBody({ officeId: 'office-a' }), at: '2026-11-30T11:56:00.000Z', by: { userId: coord2.id, name: 'coord2 さん' } }], 'case-3', { by: coordinator, deviceId: phone.deviceId }))[0]!))], API.retirePush);
    expect(retired.status).toBe(200);
    expect(retired.body.results.map(outcome)).toEqual(['author', 'accepted']);
    expect(retired.body.results[0]).toMatchObject({ retryable: false });
    const refusals = await api.store.listRefusals('hub-matsudo');
    expect(refusals.find((r) => r.entityId === stranger[0]!.id)).toMatchObject({ reason: 'author', payloadJson: JSON.stringify(stranger[0]) });
    const credited = await api.raw.query<{ entity_id: string }>('SELECT entity_id FROM changes');
    expect(credited.rows.map((r) => r.entity_id)).not.toContain(stranger[0]!.id);
  });
});
