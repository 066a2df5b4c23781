import { describe, expect, it } from 'vitest';
import { ACCOUNT_ACTIONS, type AccountChange } from './db/account-audit';
import { parseAdminArgs } from './admin-commands';
import { adminCommandPrefix, changesLost, commandAgain, evidenceLost, evidenceLostReport, lostChangesReport } from './restore-changes';

const at = new Date('2026-12-05T01:00:00.000Z');
const change = (action: AccountChange['action'], subject: string, detail = ''): AccountChange => ({ hub: 'aozora', at, action, subject, detail, by: 'root' });

/** How the shell splits the line the restore prints (single quotes only, as commandAgain writes them). */
function words(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replaceAll(`'\\''`, "'") : m[2]!));
}

describe('the account changes a restore takes back', () => {
  it('gives each action a command the admin parser takes, with what the audit row kept', () => {
    const changes: Record<AccountChange['action'], AccountChange> = {
      'create-hub': change('create-hub', 'aozora', 'name=あおぞら 拠点'),
      'create-office': change('create-office', 'office-1', 'name=相談室 あおば; number=1234567890; hub-from=2026-04-01'),
      'create-user': change('create-user', 'kato', "role=case-worker; name=加藤 'ゆう'; office=office-1"),
      'reset-credentials': change('reset-credentials', 'kato'),
      'disable-user': change('disable-user', 'kato'),
      'enable-user': change('enable-user', 'kato'),
      'disable-device': change('disable-device', 'dev-1'),
      'move-device': change('move-device', 'dev-1', 'login=kato'),
      'revoke-device-user': change('revoke-device-user', 'dev-1', 'login=kato'),
      'enable-device': change('enable-device', 'dev-1'),
      'resolve-quarantine': change('resolve-quarantine', '3', 'note=case-2 の記録として確認済み'),
      'withdraw-record': change('withdraw-record', 'hh-9', 'kind=household; reason=別の家族を登録; 本人の申し出'),
    };
    for (const action of [...ACCOUNT_ACTIONS, 'withdraw-record'] as const) {
      const parsed = parseAdminArgs(words(commandAgain(changes[action])));
      expect(parsed.command, action).toBe(action);
    }
    expect(parseAdminArgs(words(commandAgain(changes['create-user'])))).toMatchObject({
      options: { hub: 'aozora', login: 'kato', role: 'case-worker', name: "加藤 'ゆう'", office: 'office-1' },
    });
    expect(parseAdminArgs(words(commandAgain(changes['disable-device'])))).toMatchObject({ options: { device: 'dev-1', yes: true } });
    // a withdrawal lost with the restore puts the record back on every phone: its command, reason whole
    expect(parseAdminArgs(words(commandAgain(changes['withdraw-record'])))).toMatchObject({
      options: { hub: 'aozora', kind: 'household', id: 'hh-9', reason: '別の家族を登録; 本人の申し出', yes: true },
    });
  });

  it('names only what the restored database lacks, oldest first', () => {
    const stop = change('disable-user', 'kato');
    const made = change('create-user', 'kato', 'role=coordinator; name=加藤');
    expect(changesLost([made, stop], [made])).toEqual([stop]);
    expect(lostChangesReport(changesLost([made], [made]))).toEqual([]);
    const report = lostChangesReport([stop]);
    expect(report[0]).toMatch(/^注意：バックアップの後に行ったアカウントの操作や記録の取り下げ 1 件は/);
    expect(report[1]).toBe('  2026-12-05T10:00:00+09:00  disable-user kato（実行者 root）→ npm run admin -- disable-user --hub aozora --login kato --yes');
  });
});

describe('the evidence a restore lacks', () => {
  it('counts per kind what the database replaced held and the restored one does not, and says to keep the copy only then', () => {
    const before = { caseEntries: ['h\u0001e1', 'h\u0001e2', 'h\u0001e3'], monthCloses: ['h\u0001c1'], accessEntries: 5, hubAccess: 3 };
    const after = { caseEntries: ['h\u0001e1'], monthCloses: ['h\u0001c1'], accessEntries: 4, hubAccess: 3 };
    const lost = evidenceLost(before, after);
    expect(lost).toEqual({ caseEntries: 2, monthCloses: 0, accessEntries: 1, hubAccess: 0 });
    expect(evidenceLostReport(lost, '/backups/before-restore-x.dump')[0]).toMatch(/^注意：置き換えたデータベースにあった対応記録のエントリ 2 件、請求済みの記録 0 件、閲覧記録 1 件が.*\/backups\/before-restore-x\.dump は削除せず/);
    expect(evidenceLostReport(lost, '/backups/before-restore-x.dump')[0]).not.toContain('端末の登録');
    expect(evidenceLostReport(evidenceLost(before, before), '/backups/before-restore-x.dump')).toEqual([]);
  });

  it('counts the hub\'s own record of devices registered and full copies pulled: no phone sends it again, so the copy is kept for it alone too', () => {
    const before = { caseEntries: [], monthCloses: [], accessEntries: 5, hubAccess: 7 };
    const lost = evidenceLost(before, { ...before, hubAccess: 4 });
    expect(lost).toEqual({ caseEntries: 0, monthCloses: 0, accessEntries: 0, hubAccess: 3 });
    const [line] = evidenceLostReport(lost, '/backups/before-restore-x.dump');
    expect(line).toMatch(/^注意：拠点が記録した端末の登録と全件の受信 3 件（監査表 account_audit）が、復元したデータベースにありません。.*\/backups\/before-restore-x\.dump は削除せず/);
    expect(line).not.toContain('対応記録のエントリ');
    expect(line).toContain('lacks 3 row(s) of the hub\'s record of devices registered and full copies pulled');
  });
});

describe('the commands a restore prints to run again', () => {
  it('go through kyoten-admin.sh on a production hub, where npm run admin alone opens no database of the hub', () => {
    expect(adminCommandPrefix({ KYOTEN_OPERATOR: 'suzuki' }, '/opt/kyoten-navi')).toBe('sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh');
    expect(adminCommandPrefix({}, '/opt/kyoten-navi')).toBe('npm run admin --');
    const stop = { hub: 'aozora', action: 'disable-user', subject: 'kato', detail: '', by: 'root', at: new Date('2026-12-05T01:00:00.000Z') } as Parameters<typeof commandAgain>[0];
    expect(lostChangesReport([stop], 'sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh')[1]).toMatch(/→ sudo sh \/opt\/kyoten-navi\/docs\/kyoten-admin\.sh disable-user --hub aozora --login kato --yes$/);
  });
});
