/**
 * What the hub records of who reads it (migration 27, docs/security.md "What the hub keeps"): a
 * device's registration and a pull that copies a scope from the beginning each leave an
 * account_audit row that list-audit prints; incremental pulls leave none (issue 16); a copy whose
 * row cannot be written is not served. And the admin's view of it: list-devices with when each
 * device was registered and last in touch, list-access over the 閲覧記録 the phones sent.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type PullResponse, type WireChange } from '../../src/protocol/sync';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { DeviceClient, HUB, householdWire, startApi, wireChange, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

/** An instant as the admin listings print it: Japan time, as Intl has it (not the command's own arithmetic). */
const inJapan = (at: Date) => `${at.toLocaleString('sv-SE', { timeZone: 'Asia/Tokyo' }).replace(' ', 'T')}+09:00`;

/** A 閲覧記録 entry on the wire as an app writes it (vault/journal.ts prepareAccess): the change's time is the entry's. */
function accessEntry(
  id: string,
  entry: { readonly at: string; readonly userId: string; readonly userName: string; readonly action: string; readonly householdId: string | null; readonly reason?: string },
): Omit<WireChange, 'seq'> {
  return { ...wireChange('access', id, { id, ...entry }, 'append'), at: entry.at };
}

describe('[audit] what the hub records of who reads it (PostgreSQL)', () => {
  let api: ApiHarness;
  let coord: TestUser;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
  });
  afterEach(() => api.close());

  const admin = async (...argv: string[]) => {
    const lines: string[] = [];
    const { command, options } = parseAdminArgs(argv);
    await runAdminCommand(api.store, command, options, { out: (l) => lines.push(l), readPassword: async () => '', now: () => api.clock.now });
    return lines;
  };
  /** A phone of `user` signed in and enrolled; each sign-in at a TOTP step of its own (a code opens one session, A4). */
  const join = (deviceId: string, user: TestUser) => {
    api.clock.advance(30_000);
    return new DeviceClient(api, deviceId).join(user);
  };
  const rows = async (action: string) =>
    (await api.raw.query<{ subject: string; detail: string; done_by: string; done_at: Date }>('SELECT subject, detail, done_by, done_at FROM account_audit WHERE action = $1 ORDER BY id', [action])).rows;
  /** A coordinator's phone with `n` households on the hub. */
  const hubWith = async (n: number) => {
    const writer = await join('writer-phone', coord);
    expect((await writer.push(Array.from({ length: n }, (_, i) => householdWire(`hh-${i + 1}`)))).status).toBe(200);
    return writer;
  };

  it('[audit] registering a device leaves a row naming who, the device, its name and how, that list-audit prints', async () => {
    const phone = new DeviceClient(api, 'oncall-phone');
    expect((await phone.signIn(coord)).status).toBe(200);
    expect((await phone.enrol('オンコール携帯 1')).status).toBe(200);
    // another person of the same phone, with its secret: the device re-registered for them
    const coord2 = await api.user('coord2', 'coordinator');
    const second = new (class extends DeviceClient {
      override get vaultUserId() {
        return 'coord2-on-oncall-phone';
      }
    })(api, 'oncall-phone');
    second.secret = phone.secret;
    expect((await second.signIn(coord2)).status).toBe(200);
    expect((await second.enrol('オンコール携帯 1')).status).toBe(200);

    const made = await rows('register-device');
    expect(made.map((r) => [r.subject, r.detail, r.done_by])).toEqual([
      ['oncall-phone', 'device-name=オンコール携帯 1; how=registered', 'coord1'],
      ['oncall-phone', 'device-name=オンコール携帯 1; how=added', 'coord2'],
    ]);
    const listed = await admin('list-audit', '--hub', HUB);
    expect(listed).toContain(`${inJapan(made[1]!.done_at)}\tregister-device\toncall-phone\tdevice-name=オンコール携帯 1; how=added\tcoord2`);
    expect(listed).toContain(`${inJapan(made[0]!.done_at)}\tregister-device\toncall-phone\tdevice-name=オンコール携帯 1; how=registered\tcoord1`);
    // a restore names no command to make them again; it counts them with the evidence it lacks
    expect((await api.store.listAccountChanges()).map((c) => c.action)).not.toContain('register-device');
    expect((await api.store.listKeptEvidence()).hubAccess).toBe(2);

    // A registration whose row cannot be written does not happen.
    await api.raw.query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$;
                         CREATE TRIGGER refuse_audit BEFORE INSERT ON account_audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    const other = new DeviceClient(api, 'unrecorded-phone');
    api.clock.advance(30_000);
    expect((await other.signIn(coord)).status).toBe(200);
    expect((await other.enrol('私物')).status).toBe(500);
    expect(await api.store.findDevice('unrecorded-phone')).toBeNull();
  });

  it('[audit] a pull from 0 leaves exactly one row over all its pages; its later pages and incremental pulls leave none', async () => {
    const writer = await hubWith(5);
    const before = (await rows('full-pull')).length;
    const reader = await join('reader-phone', coord);
    // the first sync, page by page as the app asks for them
    let cursor = '0';
    let pages = 0;
    for (let more = true; more; pages++) {
      const page = await reader.pull(cursor, 2);
      expect(page.status).toBe(200);
      cursor = page.body.cursor;
      more = page.body.hasMore;
    }
    expect(pages).toBe(3);
    const copies = (await rows('full-pull')).slice(before);
    expect(copies.map((r) => [r.subject, r.detail, r.done_by])).toEqual([['reader-phone', 'from=cursor-0; scope=all; records=2; more=yes', 'coord1']]);

    // incremental syncs, with something new and with nothing: no row
    expect((await writer.push([householdWire('hh-6')])).status).toBe(200);
    const next = await reader.pull(cursor);
    expect(next.body.records.map((r) => r.entityId)).toEqual(['hh-6']);
    expect((await reader.pull(next.body.cursor)).body.records).toEqual([]);
    expect((await rows('full-pull')).slice(before)).toHaveLength(1);
    // list-audit prints it beside the registrations
    expect((await admin('list-audit', '--hub', HUB)).filter((l) => l.includes('\tfull-pull\treader-phone\t'))).toEqual([
      `${inJapan(copies[0]!.done_at)}\tfull-pull\treader-phone\tfrom=cursor-0; scope=all; records=2; more=yes\tcoord1`,
    ]);
  });

  it('[audit] a pull from the beginning that copies nothing (a hub with no records yet) leaves a row only as the device\'s first pull', async () => {
    const reader = await join('reader-phone', coord);
    // a new hub: its cursor stays at 0, and every sync asks from 0
    for (let i = 0; i < 3; i++) {
      const page = await reader.pull('0');
      expect(page.status).toBe(200);
      expect(page.body.records).toEqual([]);
    }
    expect((await rows('full-pull')).map((r) => [r.subject, r.detail])).toEqual([['reader-phone', 'from=cursor-0; scope=all; records=0; more=no']]);
  });

  it('[audit] every way a pull starts from the beginning is recorded: no cursor, 「最初から受信し直す」 (<epoch>:0), a device\'s first pull whatever its cursor', async () => {
    await hubWith(3);
    const start = (await rows('full-pull')).length;
    const reader = await join('reader-phone', coord);
    // a device that never pulled, starting at version 1 (a script skipping the first record): recorded
    const skipping = await reader.pull(1);
    expect(skipping.status).toBe(200);
    expect(skipping.body.records).toHaveLength(2);
    // then from where it is: nothing
    expect((await reader.pull(skipping.body.cursor)).status).toBe(200);
    // no cursor at all (read as 0)
    expect((await reader.request<PullResponse>('GET', API.pull)).status).toBe(200);
    // the app's 「最初から受信し直す」: the cursor back to 0, in its epoch
    const epoch = skipping.body.cursor.split(':')[0]!;
    expect((await reader.pull(`${epoch}:0`)).status).toBe(200);
    // a cursor of another epoch (a restore this phone has not met yet): answered from the beginning [S15]
    const restored = await reader.pull('0f0f0f0f-0000-4000-8000-000000000000:2');
    expect(restored.body.epochChange).toBeDefined();
    expect((await rows('full-pull')).slice(start).map((r) => r.detail)).toEqual([
      'from=first-pull; scope=all; records=2; more=no',
      'from=cursor-0; scope=all; records=3; more=no',
      'from=cursor-0; scope=all; records=3; more=no',
      'from=new-epoch; scope=all; records=3; more=no',
    ]);
  });

  it('[audit] a full copy whose row cannot be written answers 5xx and sends nothing; the device\'s first pull stays unrecorded until one is', async () => {
    await hubWith(2);
    const reader = await join('reader-phone', coord);
    // the audit table refuses the copy's row (a full disk, a broken grant), and only that row
    await api.raw.query(`CREATE FUNCTION refuse_copy() RETURNS trigger LANGUAGE plpgsql AS $$
                           BEGIN IF NEW.action = 'full-pull' THEN RAISE EXCEPTION 'audit refused'; END IF; RETURN NEW; END $$;
                         CREATE TRIGGER refuse_copy BEFORE INSERT ON account_audit FOR EACH ROW EXECUTE FUNCTION refuse_copy()`);
    const refused = await reader.pull(0);
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.body).toMatchObject({ error: 'internal' });
    expect(JSON.stringify(refused.body)).not.toContain('hh-1');
    // from a made-up cursor as a device's first pull: refused alike
    expect((await reader.pull(1)).status).toBeGreaterThanOrEqual(500);
    expect((await api.raw.query('SELECT first_pull_at FROM devices WHERE id = $1', ['reader-phone'])).rows).toEqual([{ first_pull_at: null }]);

    await api.raw.query('DROP TRIGGER refuse_copy ON account_audit');
    const served = await reader.pull(1);
    expect(served.status).toBe(200);
    expect((await rows('full-pull')).filter((r) => r.subject === 'reader-phone').map((r) => r.detail)).toEqual(['from=first-pull; scope=all; records=1; more=no']);
  });

  it('list-devices prints when each device was registered and last in touch, in Japan time; a pull moves the last without a write of its own', async () => {
    const phone = await join('oncall-phone', coord);
    await api.store.registerDevice({ id: 'unused-phone', userId: coord.id, name: '予備' });
    const registered = async (id: string) => (await api.raw.query<{ registered_at: Date }>('SELECT registered_at FROM devices WHERE id = $1', [id])).rows[0]!.registered_at;
    const row = async (id: string) => (await admin('list-devices', '--hub', HUB)).find((l) => l.startsWith(`${id}\t`))!.split('\t');

    // joined at the harness's clock (its sign-in's session, tied to the phone), never pushed
    expect(await row('oncall-phone')).toEqual(['oncall-phone', '端末', 'coord1', inJapan(await registered('oncall-phone')), inJapan(api.clock.now), 'seq 0', '有効']);
    // registered from the command line and never used: no last seen
    expect(await row('unused-phone')).toEqual(['unused-phone', '予備', 'coord1', inJapan(await registered('unused-phone')), '-', 'seq 0', '有効']);

    // two minutes on, an incremental pull: the session's last use slides (at most once a minute, A5), and so does last seen
    const first = await phone.pull(0);
    api.clock.advance(120_000);
    expect((await phone.pull(first.body.cursor)).status).toBe(200);
    expect((await row('oncall-phone'))[4]).toBe(inJapan(api.clock.now));
  });

  describe('list-access', () => {
    /**
     * Four phones of two people, their 閲覧記録 around midnight in Japan between 30 November and 1
     * December: two with their clocks right, one set to 2030 and one to 2025. Each entry is given
     * the time the hub took it (its own clock, which the test cannot move: set afterwards), 20
     * seconds after the phone's time, or, for the two wrong clocks, at 00:10 and 00:20 on 1 December.
     * One of the case worker's entries names the admin, as a hub took it before it checked whose an
     * entry was (E6): the stored payload is rewritten so.
     */
    const logged = async () => {
      const worker = await api.user('aoba1', 'case-worker', { officeId: 'office-a' });
      const kanri = await api.user('kanri', 'admin');
      const coordPhone = await join('coord-phone', coord);
      const workerPhone = await join('worker-phone', worker);
      const fastPhone = await join('fast-phone', coord);
      const slowPhone = await join('slow-phone', coord);
      const asCoord = (phone: DeviceClient) => ({ userId: phone.vaultUserId, userName: '夜勤 花子' });
      const asWorker = { userId: workerPhone.vaultUserId, userName: '相談 一郎' };
      const pushed = [
        await coordPhone.push([
          accessEntry('acc-1', { ...asCoord(coordPhone), at: '2026-11-30T14:00:00.000Z', action: 'unlock', householdId: null }),
          accessEntry('acc-2', { ...asCoord(coordPhone), at: '2026-11-30T14:59:30.000Z', action: 'open-household', householdId: 'hh-1' }),
          accessEntry('acc-4', { ...asCoord(coordPhone), at: '2026-11-30T15:30:00.000Z', action: 'print-household', householdId: 'hh-1', reason: 'ショートステイ先へ\u001b[2J' }),
        ]),
        await workerPhone.push([
          accessEntry('acc-3', { ...asWorker, at: '2026-11-30T15:00:00.000Z', action: 'open-household', householdId: 'hh-2' }),
          accessEntry('acc-5', { ...asWorker, at: '2026-11-30T16:00:00.000Z', action: 'open-household', householdId: 'hh-1' }),
        ]),
        await fastPhone.push([accessEntry('acc-6', { ...asCoord(fastPhone), at: '2030-12-01T15:10:00.000Z', action: 'open-household', householdId: 'hh-3' })]),
        await slowPhone.push([accessEntry('acc-7', { ...asCoord(slowPhone), at: '2025-11-30T15:20:00.000Z', action: 'open-household', householdId: 'hh-3' })]),
      ];
      for (const p of pushed) expect(p.body.results.map((r) => r.status)).toEqual(p.body.results.map(() => 'accepted'));
      const received = { 'acc-6': '2026-11-30T15:10:20.000Z', 'acc-7': '2026-11-30T15:20:20.000Z' };
      await api.raw.query(
        `UPDATE changes SET received_at = coalesce(($1::jsonb ->> entity_id)::timestamptz, device_at + interval '20 seconds') WHERE kind = 'access'`,
        [JSON.stringify(received)],
      );
      await api.raw.query(`UPDATE changes SET payload = payload || $1::jsonb WHERE kind = 'access' AND entity_id = 'acc-5'`, [JSON.stringify({ userId: kanri.id, userName: '管理 太郎' })]);
      return { worker, workerPhone };
    };

    it('prints the entries newest received first: the phone\'s time and the hub\'s 受付 (Japan time), a wrong clock said, who with their login, what, household, reason, device', async () => {
      await logged();
      expect(await admin('list-access', '--hub', HUB)).toEqual([
        // under who sent it, the admin it named said beside it
        '2026-12-01T01:00:00+09:00\t2026-12-01T01:00:20+09:00\t-\taoba1 さん（aoba1）※記録上の名前は 管理 太郎（u-kanri）：送信した職員と異なります\topen-household\thh-1\t-\tworker-phone',
        '2026-12-01T00:30:00+09:00\t2026-12-01T00:30:20+09:00\t-\t夜勤 花子（coord1）\tprint-household\thh-1\tショートステイ先へ\\x1b[2J\tcoord-phone',
        // the phone set to 2025: in its place by the hub's time, its own time said to be off (or sent late)
        '2025-12-01T00:20:00+09:00\t2026-12-01T00:20:20+09:00\t受付の約1年前の時刻（送信が遅れたか、端末の時計が遅れていた）\t夜勤 花子（coord1）\topen-household\thh-3\t-\tslow-phone',
        // the phone set to 2030: not at the head of the list for years
        '2030-12-02T00:10:00+09:00\t2026-12-01T00:10:20+09:00\t端末の時計が約4年進んでいた（受付より後の時刻）\t夜勤 花子（coord1）\topen-household\thh-3\t-\tfast-phone',
        '2026-12-01T00:00:00+09:00\t2026-12-01T00:00:20+09:00\t-\t相談 一郎（aoba1）\topen-household\thh-2\t-\tworker-phone',
        '2026-11-30T23:59:30+09:00\t2026-11-30T23:59:50+09:00\t-\t夜勤 花子（coord1）\topen-household\thh-1\t-\tcoord-phone',
        '2026-11-30T23:00:00+09:00\t2026-11-30T23:00:20+09:00\t-\t夜勤 花子（coord1）\tunlock\t-\t-\tcoord-phone',
      ]);
      expect(await admin('list-access', '--hub', HUB, '--limit', '2')).toHaveLength(2);
    });

    it('filters by household, by user (login, hub id or vault id) and since a Japan date of the hub\'s 受付, together', async () => {
      const { worker, workerPhone } = await logged();
      /** the phone's time, who, what */
      const ids = async (...argv: string[]) =>
        (await admin('list-access', '--hub', HUB, ...argv)).map((l) => {
          const [phoneAt, , , who, action] = l.split('\t');
          return `${phoneAt} ${who} ${action}`;
        });
      const named = 'aoba1 さん（aoba1）※記録上の名前は 管理 太郎（u-kanri）：送信した職員と異なります';
      expect(await ids('--household', 'hh-1')).toEqual([
        `2026-12-01T01:00:00+09:00 ${named} open-household`,
        '2026-12-01T00:30:00+09:00 夜勤 花子（coord1） print-household',
        '2026-11-30T23:59:30+09:00 夜勤 花子（coord1） open-household',
      ]);
      // by who sent it, the entry naming the admin among the case worker's, not the admin's
      expect(await ids('--user', 'aoba1')).toEqual([`2026-12-01T01:00:00+09:00 ${named} open-household`, '2026-12-01T00:00:00+09:00 相談 一郎（aoba1） open-household']);
      expect(await ids('--user', worker.id)).toEqual(await ids('--user', 'aoba1'));
      expect(await ids('--user', workerPhone.vaultUserId)).toEqual(await ids('--user', 'aoba1'));
      expect(await admin('list-access', '--hub', HUB, '--user', 'kanri')).toEqual([`拠点 ${HUB} に該当する閲覧記録はありません。`]);
      // 1 December in Japan starts at 15:00 UTC on 30 November; by the hub's 受付, the phone set to
      // 2025 is in it and the one set to 2030 is not in 2 December
      expect(await ids('--since', '2026-12-01')).toEqual([
        `2026-12-01T01:00:00+09:00 ${named} open-household`,
        '2026-12-01T00:30:00+09:00 夜勤 花子（coord1） print-household',
        '2025-12-01T00:20:00+09:00 夜勤 花子（coord1） open-household',
        '2030-12-02T00:10:00+09:00 夜勤 花子（coord1） open-household',
        '2026-12-01T00:00:00+09:00 相談 一郎（aoba1） open-household',
      ]);
      expect(await admin('list-access', '--hub', HUB, '--since', '2026-12-02')).toEqual([`拠点 ${HUB} に該当する閲覧記録はありません。`]);
      expect(await ids('--since', '2026-12-01', '--user', 'coord1', '--household', 'hh-1')).toEqual(['2026-12-01T00:30:00+09:00 夜勤 花子（coord1） print-household']);
      expect(await admin('list-access', '--hub', HUB, '--household', 'hh-9')).toEqual([`拠点 ${HUB} に該当する閲覧記録はありません。`]);
      expect(() => parseAdminArgs(['list-access', '--hub', HUB, '--since', '2026-12-32'])).toThrow(/--since/);
      expect(() => parseAdminArgs(['list-access', '--hub', HUB, '--limit', '0'])).toThrow(/--limit/);
    });

    it('says how far a phone\'s time is from the hub\'s in minutes, hours or days, and nothing within a sync\'s few minutes', async () => {
      const phone = await join('coord-phone', coord);
      const who = { userId: phone.vaultUserId, userName: '夜勤 花子' };
      const at = (minutesBefore: number) => new Date(Date.parse('2026-12-01T03:00:00.000Z') - minutesBefore * 60_000).toISOString();
      const pushed = await phone.push([
        accessEntry('acc-late-3d', { ...who, at: at(3 * 24 * 60), action: 'open-household', householdId: 'hh-1' }),
        accessEntry('acc-late-6h', { ...who, at: at(6 * 60), action: 'open-household', householdId: 'hh-1' }),
        accessEntry('acc-late-30m', { ...who, at: at(30), action: 'open-household', householdId: 'hh-1' }),
        accessEntry('acc-late-4m', { ...who, at: at(4), action: 'open-household', householdId: 'hh-1' }),
        accessEntry('acc-ahead-4m', { ...who, at: at(-4), action: 'open-household', householdId: 'hh-1' }),
        accessEntry('acc-ahead-10m', { ...who, at: at(-10), action: 'open-household', householdId: 'hh-1' }),
      ]);
      expect(pushed.body.results.map((r) => r.status)).toEqual(pushed.body.results.map(() => 'accepted'));
      // all received at noon in Japan on 1 December (one push, one time)
      await api.raw.query(`UPDATE changes SET received_at = '2026-12-01T03:00:00.000Z' WHERE kind = 'access'`);
      expect((await admin('list-access', '--hub', HUB)).map((l) => l.split('\t')[2])).toEqual([
        '端末の時計が約10分進んでいた（受付より後の時刻）',
        '-',
        '-',
        '受付の約30分前の時刻（送信が遅れたか、端末の時計が遅れていた）',
        '受付の約6時間前の時刻（送信が遅れたか、端末の時計が遅れていた）',
        '受付の約3日前の時刻（送信が遅れたか、端末の時計が遅れていた）',
      ]);
    });
  });
});
