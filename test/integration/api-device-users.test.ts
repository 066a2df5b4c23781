/**
 * The users of a shared phone over HTTP against a real PostgreSQL (docs/sync-protocol.md A6,
 * A8-A10): no device takeover, a second user joins a phone by proving its secret, per-user device
 * tokens open sessions (and stop when revoked or the user is disabled), and every pushed change is
 * credited to the user who wrote it on the phone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API, type ChangeResult, type DeviceMembers, type ErrorResponse, type SessionInfo, type WireChange } from '../../src/protocol/sync';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { MAX_TOKEN_FAILURES, TOKEN_LOCK_SECONDS } from '../../src/server/db/device-users';
import { appendEntries, coordinator, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, HUB, householdWire, startApi, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/**
 * One person's browser on a phone. Each person who unlocks a phone has their own key slot in its
 * vault, so their own vault user id, sent with their enrolment [A9] (DeviceClient's is the same for
 * everyone on the phone, and a vault user id is one person's: a second user enrolling with it is
 * refused).
 */
class StaffClient extends DeviceClient {
  constructor(api: ApiHarness, deviceId: string, private readonly staff: TestUser) {
    super(api, deviceId);
  }
  override get vaultUserId(): string {
    return `${this.staff.loginName}-on-${this.deviceId}`;
  }
}

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
  const staffDevice = (id: string, user: TestUser) => new StaffClient(api, id, user);
  const admin = async (...argv: string[]) => {
    const lines: string[] = [];
    const { command, options } = parseAdminArgs(argv);
    await runAdminCommand(api.store, command, options, { out: (l) => lines.push(l), readPassword: async () => '', now: () => api.clock.now });
    return lines.join('\n');
  };
  const head = async () => (await api.store.health()).headVersion;
  /** The phone as a second user finds it: the same secret, a browser signed in as that user. */
  const secondUser = async (phone: DeviceClient, user: TestUser) => {
    const other = staffDevice(phone.deviceId, user);
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
    const coord3 = await api.user('coord3', 'coordinator');
    const other = staffDevice('phone-1', coord3);
    await other.signIn(coord3);
    expect((await other.enrol()).status).toBe(403);
    const heir = staffDevice('phone-1', coord2);
    await heir.signIn(coord2);
    const enrol = await heir.enrol();
    expect(enrol.status).toBe(200);
    expect(enrol.body.lastSeq).toBe(1);
    expect(enrol.body.deviceSecret).not.toBe(lost.secret);
    expect((await heir.push([householdWire('hh-2')])).body.results[0]).toMatchObject({ seq: 2, status: 'accepted' });
    // the hand-over is used up, and the old secret no longer opens the device
    const late = staffDevice('phone-1', coord2);
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
    const evening = staffDevice('oncall-phone', coord2);
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

    // by login and name, as revoke-device-user takes them, not the account's internal id
    const listed = await admin('device-users', '--device', 'oncall-phone');
    expect(listed).toMatch(new RegExp(`^coord2\tcoord2 さん\t有効\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+09:00\t`, 'm'));
    expect(listed).not.toContain(coord2.id);
    await expect(admin('device-users', '--device', 'no-such-phone')).rejects.toThrow(/no device no-such-phone/);
    await admin('revoke-device-user', '--hub', HUB, '--device', 'oncall-phone', '--login', 'coord2');
    expect(await admin('device-users', '--device', 'oncall-phone')).toMatch(new RegExp(`^coord2\t[^\t]*\t取り消し済み`, 'm'));
    const revoked = await evening.request<ErrorResponse>('POST', API.deviceSession, { token: second.token });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toBe('signed-out');
    // the revocation ended the revoked user's open session: it no longer syncs this device, nor
    // can it enrol the user on the phone again (with the phone's own secret) without a password
    expect((await evening.pull(0)).status).toBe(401);
    const again = await evening.enrol();
    expect(again.status).toBe(401);
    expect(await admin('device-users', '--device', 'oncall-phone')).toMatch(new RegExp(`^coord2\t[^\t]*\t取り消し済み`, 'm'));

    // signing in again on the phone gives a new token; disabling the user ends it
    api.clock.advance(30_000);
    const back = await secondUser(phone, coord2);
    expect((await evening.request('POST', API.deviceSession, { token: back.token })).status).toBe(200);
    await api.accounts.disableUser(coord2.id);
    expect((await evening.request('POST', API.deviceSession, { token: back.token })).status).toBe(401);
    // the phone is not retired: its other user carries on
    expect((await phone.pull(0)).status).toBe(200);
    // enabled again (stopped by mistake), the phone that still holds their token syncs as them again
    await api.accounts.enableUser(coord2.id);
    expect((await evening.request('POST', API.deviceSession, { token: back.token })).status).toBe(200);

    // guesses are counted per device, reserved before the check
    const guesses = await Promise.all(
      Array.from({ length: MAX_TOKEN_FAILURES + 20 }, () => evening.request('POST', API.deviceSession, { token: 'G'.repeat(43) })),
    );
    const statuses = guesses.map((g) => g.status);
    // at most MAX_TOKEN_FAILURES are checked; the rest are refused: 429, or 503 from the overload
    // gate when the machine is too busy to answer 30 requests at once (none is ever let through)
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    expect(statuses.filter((s) => s !== 401 && s !== 429 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 429 || s === 503).length).toBeGreaterThanOrEqual(20);
    expect(statuses).toContain(429);
    const firstToken = (await phone.enrol()).body.userToken;
    expect((await evening.request('POST', API.deviceSession, { token: firstToken })).status).toBe(429);
    api.clock.advance(10 * 60_000);
    expect((await evening.request('POST', API.deviceSession, { token: firstToken })).status).toBe(200);
  });

  it('[A8] attempts that took their place and never finished (the process killed, the database failing) lock the phone for one lock period at most, never for good', async () => {
    const phone = device('oncall-phone');
    await phone.signIn(coord);
    const token = (await phone.enrol()).body.userToken;
    const tab = device('oncall-phone');
    tab.secret = phone.secret;
    const signIn = () => tab.request<ErrorResponse & SessionInfo>('POST', API.deviceSession, { token });
    const state = async () => (await api.raw.query('SELECT token_failures, token_locked_until FROM devices WHERE id = $1', ['oncall-phone'])).rows[0];

    // every place reserved by an attempt that died before its token was checked
    for (let i = 0; i < MAX_TOKEN_FAILURES; i++) expect((await api.store.reserveTokenAttempt('oncall-phone', api.clock.now)).ok).toBe(true);
    const locked = await signIn();
    expect(locked.status).toBe(429);
    expect(locked.body.retryAfterSeconds).toBe(TOKEN_LOCK_SECONDS);
    // the lock holds for its whole period, even for the right token
    api.clock.advance((TOKEN_LOCK_SECONDS - 1) * 1000);
    expect((await signIn()).status).toBe(429);
    api.clock.advance(1000);
    const opened = await signIn();
    expect(opened.status).toBe(200);
    expect(opened.body.user.id).toBe(coord.id);
    expect(await state()).toEqual({ token_failures: 0, token_locked_until: null });

    // the same when the database fails under every attempt after its place was taken
    const failing = vi.spyOn(api.store, 'useDeviceToken').mockRejectedValue(new Error('connection lost'));
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      for (let i = 0; i < MAX_TOKEN_FAILURES; i++) expect((await signIn()).status).toBe(500);
    } finally {
      failing.mockRestore();
      quiet.mockRestore();
    }
    expect((await signIn()).status).toBe(429);
    api.clock.advance(TOKEN_LOCK_SECONDS * 1000);
    expect((await signIn()).status).toBe(200);
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

  it("[A9] a second person of the phone cannot sign in with a hub account the first one uses on it: their queued entries would stop matching their writer", async () => {
    const phone = await device('oncall-phone').join(coord);
    const jiro = device('oncall-phone');
    jiro.secret = phone.secret;
    api.clock.advance(30_000); // a TOTP code is taken once
    expect((await jiro.signIn(coord)).status).toBe(200);
    const refused = await jiro.request<ErrorResponse>('POST', API.devices, { deviceId: 'oncall-phone', name: '当番携帯', vaultUserId: 'vault-jiro' });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('この端末では別の人');
    expect((await api.store.listDeviceUsers('oncall-phone')).map((u) => [u.userId, u.vaultUserId])).toEqual([[coord.id, phone.vaultUserId]]);
    // the first one carries on as before
    expect((await phone.push([householdWire('hh-1')])).body.results[0]).toMatchObject({ status: 'accepted' });
    // the way out when it is the same person on a new vault: the admin revokes the old sign-in
    await admin('revoke-device-user', '--hub', HUB, '--device', 'oncall-phone', '--login', coord.loginName);
    api.clock.advance(30_000);
    expect((await jiro.signIn(coord)).status).toBe(200);
    expect((await jiro.request('POST', API.devices, { deviceId: 'oncall-phone', name: '当番携帯', vaultUserId: 'vault-jiro' })).status).toBe(200);
  });

  it("[A9] a vault user id stays one person's: they enrol it again, on the phone or another; a new id is taken; enrolments racing for one id bind it once", async () => {
    const phone = await device('oncall-phone').join(coord);
    const enrol = (client: DeviceClient, vaultUserId: string) =>
      client.request<ErrorResponse>('POST', API.devices, { deviceId: client.deviceId, name: '端末', vaultUserId });
    // the same person signs in on the same phone once more (its secret in hand), with the same id
    api.clock.advance(30_000); // a TOTP code is taken once
    expect((await phone.signIn(coord)).status).toBe(200);
    expect((await phone.enrol()).status).toBe(200);
    // ...and on a tablet their vault was restored to, with that id, or with their own hub id
    const tablet = device('tablet-1');
    api.clock.advance(30_000);
    expect((await tablet.signIn(coord)).status).toBe(200);
    expect((await enrol(tablet, phone.vaultUserId)).status).toBe(200);
    const other = device('tablet-2');
    api.clock.advance(30_000);
    expect((await other.signIn(coord)).status).toBe(200);
    expect((await enrol(other, coord.id)).status).toBe(200);
    // a colleague with a new id of their own
    const fresh = randomUUID();
    const theirs = device('phone-2');
    expect((await theirs.signIn(coord2)).status).toBe(200);
    expect((await enrol(theirs, fresh)).status).toBe(200);
    // but not with coord's: refused in words the app shows, and nothing of it is registered
    const taken = device('phone-3');
    api.clock.advance(30_000);
    expect((await taken.signIn(coord2)).status).toBe(200);
    for (const id of [coord.id, phone.vaultUserId]) {
      const refused = await enrol(taken, id);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('forbidden');
      expect(refused.body.message).toContain('別のアカウント');
    }
    expect(await api.store.listDeviceUsers('phone-3')).toEqual([]);
    // nor coord with coord2's
    expect((await enrol(tablet, fresh)).status).toBe(403);
    const bindings = await api.raw.query<{ user_id: string; vault_user_id: string }>('SELECT user_id, vault_user_id FROM device_users ORDER BY device_id');
    expect(bindings.rows).toEqual([
      { user_id: coord.id, vault_user_id: phone.vaultUserId },
      { user_id: coord2.id, vault_user_id: fresh },
      { user_id: coord.id, vault_user_id: phone.vaultUserId },
      { user_id: coord.id, vault_user_id: coord.id },
    ]);

    // users on phones of their own enrolling one new id at the same moment: one of them gets it
    const racers = await Promise.all(
      ['racer1', 'racer2', 'racer3', 'racer4', 'racer5'].map(async (login) => {
        const client = device(`${login}-phone`);
        expect((await client.signIn(await api.user(login, 'coordinator'))).status).toBe(200);
        return client;
      }),
    );
    const contested = randomUUID();
    const answers = await Promise.all(racers.map((c) => enrol(c, contested)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 403, 403, 403, 403]);
    const holders = await api.raw.query('SELECT user_id FROM device_users WHERE vault_user_id = $1', [contested]);
    expect(holders.rows).toHaveLength(1);
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

  it('[A9] a stopped author whose sign-in on the phone was revoked before: their evidence still arrives (nobody will sign in for them again), and the queue behind it goes', async () => {
    const phone = await device('oncall-phone').join(coord);
    const { client: evening } = await secondUser(phone, coord2);
    const entries = await appendEntries([], [{ body: openBody({ officeId: 'office-a' }), at: '2026-11-30T11:50:00.000Z', by: { userId: coord.id, name: 'coord1 さん' } }], 'case-1', { by: coordinator, deviceId: phone.deviceId });
    await admin('revoke-device-user', '--hub', HUB, '--device', 'oncall-phone', '--login', 'coord1');
    const queue = [by(coord)(entryWire(entries[0]!)), by(coord)(householdWire('hh-1')), by(coord2)(householdWire('hh-2'))];
    const push = () => evening.request<{ results: ChangeResult[] }>('POST', API.push, { changes: queue.map((c, i) => ({ ...c, seq: i + 1 })) });
    // revoked only: held until they sign in on the phone again
    expect((await push()).body.results.map(outcome)).toEqual(['author', 'author', 'author']);
    await api.accounts.disableUser(coord.id);
    expect((await push()).body.results.map(outcome)).toEqual(['accepted', 'scope', 'accepted']);
    const changes = await api.raw.query<{ entity_id: string; user_id: string }>('SELECT entity_id, user_id FROM changes ORDER BY version');
    expect(changes.rows).toEqual([
      { entity_id: entries[0]!.id, user_id: coord.id },
      { entity_id: 'hh-2', user_id: coord2.id },
    ]);
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
    // [A10] the phone learns who of its own people the hub stopped (it takes their key slots off); another phone learns nothing of them
    expect(await evening.request<DeviceMembers>('GET', API.members)).toMatchObject({ status: 200, body: { stopped: [coord.id] } });
    const dayPhone = await device('day-phone').join(await api.user('coord3', 'coordinator'));
    expect(await dayPhone.request<DeviceMembers>('GET', API.members)).toMatchObject({ status: 200, body: { stopped: [] } });
    // the device's secret alone answers it (the person unlocked may be the one stopped); without it, nothing
    dayPhone.cookie = undefined;
    expect((await dayPhone.request<DeviceMembers>('GET', API.members)).body).toEqual({ stopped: [] });
    expect((await device('day-phone').request('GET', API.members)).status).toBe(403);
    // and the admin sees it as the hub treats it: still in use, though the user who registered it left
    const listed = async () => (await admin('list-devices', '--hub', HUB)).split('\n').find((l) => l.startsWith('oncall-phone\t'))!;
    expect(await listed()).toMatch(/\t有効$/);
    // when its last user is disabled too, the phone retires (410) and sends its evidence by retire-push
    await api.accounts.disableUser(coord2.id);
    expect((await phone.pull(0)).status).toBe(410);
    expect(await listed()).toContain('停止（端末からの送信待ち）');
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
