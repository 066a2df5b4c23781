/**
 * What a restore takes back of the admin's account commands: the database it replaces may hold
 * account changes made after the backup was taken (a lost phone stopped, a leaver's account
 * stopped, a leaked password reset), which the restored one lacks, so the phone, the person or
 * the old password works again. The restore names each, with the command that makes it again.
 */
import type { AccountChange, DeviceSignIn } from './db/account-audit';
import type { KeptEvidence } from './db/store';
import { formatJapanTimestamp } from '../domain/japan-time';
import { terminalSafe } from './terminal-text';

const keyOf = (c: AccountChange) => `${c.hub}\u0000${c.action}\u0000${c.subject}\u0000${c.at.toISOString()}\u0000${c.by}`;

/** The changes in `before` (the database replaced) that `after` (the one restored) lacks, oldest first. */
export function changesLost(before: readonly AccountChange[], after: readonly AccountChange[]): AccountChange[] {
  const kept = new Set(after.map(keyOf));
  return before.filter((c) => !kept.has(keyOf(c)));
}

/** `detail`'s `key=value; …` (account_audit), read back. */
function detailOf(c: AccountChange): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const part of c.detail.split('; ')) {
    const at = part.indexOf('=');
    if (at > 0) out[part.slice(0, at)] = part.slice(at + 1);
  }
  return out;
}

/** The admin command that makes the change again (passwords and secrets are asked anew). */
export function commandAgain(c: AccountChange): string {
  const d = detailOf(c);
  const q = (value: string) => (/^[\w@.:/+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`);
  const hub = `--hub ${q(c.hub)}`;
  switch (c.action) {
    case 'create-hub':
      return `create-hub --hub ${q(c.subject)} --name ${q(d['name'] ?? '<名前>')}`;
    case 'create-office':
      return `create-office ${hub} --office ${q(c.subject)} --name ${q(d['name'] ?? '<名前>')}${d['number'] ? ` --number ${q(d['number'])}` : ''}${d['hub-from'] ? ` --hub-from ${q(d['hub-from'])}` : ''}`;
    case 'create-user':
      return `create-user ${hub} --login ${q(c.subject)} --name ${q(d['name'] ?? '<表示名>')} --role ${q(d['role'] ?? '<役割>')}${d['office'] ? ` --office ${q(d['office'])}` : ''}${d['facility'] ? ` --facility ${q(d['facility'])}` : ''}`;
    case 'reset-credentials':
      return `reset-credentials ${hub} --login ${q(c.subject)}`;
    case 'disable-user':
      return `disable-user ${hub} --login ${q(c.subject)} --yes`;
    case 'enable-user':
      return `enable-user ${hub} --login ${q(c.subject)}`;
    case 'disable-device':
      return `disable-device --device ${q(c.subject)} --yes`;
    case 'move-device':
      return `move-device ${hub} --device ${q(c.subject)} --login ${q(d['login'] ?? '<login>')}`;
    case 'revoke-device-user':
      return `revoke-device-user ${hub} --device ${q(c.subject)} --login ${q(d['login'] ?? '<login>')}`;
    case 'enable-device':
      return `enable-device --device ${q(c.subject)}`;
    case 'resolve-quarantine':
      return `resolve-quarantine ${hub} --id ${q(c.subject)} --note ${q(d['note'] ?? '<対応の内容>')}`;
    case 'withdraw-record': {
      // the reason is the detail's last part, whatever it holds (a 「; 」 too)
      const [, kind = '<kind>', reason = '<理由>'] = /^kind=([^;]*); reason=([^]*)$/.exec(c.detail) ?? [];
      return `withdraw-record ${hub} --kind ${q(kind)} --id ${q(c.subject)} --reason ${q(reason)} --yes`;
    }
  }
}

/** The restore's lines about them: none when the backup lacks nothing. */
/**
 * How an admin runs a command here: through kyoten-admin.sh on a production hub (it says so in
 * KYOTEN_OPERATOR), where `npm run admin` alone would open an empty embedded store; else npm's.
 */
export function adminCommandPrefix(env: Readonly<Record<string, string | undefined>> = process.env, appDir = process.cwd()): string {
  return env['KYOTEN_OPERATOR'] !== undefined ? `sudo sh ${appDir}/docs/kyoten-admin.sh` : 'npm run admin --';
}

export function lostChangesReport(lost: readonly AccountChange[], prefix = adminCommandPrefix()): string[] {
  if (lost.length === 0) return [];
  return [
    `注意：バックアップの後に行ったアカウントの操作や記録の取り下げ ${lost.length} 件は、復元したデータベースにありません。停止した職員や端末、変えたパスワード、取り下げた記録（次の同期で各端末に戻ります）が、バックアップの時点に戻っています。今も必要な操作は、もう一度実行してください（置き換えたデータベースの監査表にあったものです） / ` +
      `${lost.length} account change(s) or record withdrawal(s) made after this backup are not in the restored database (stopped users and devices, reset passwords, withdrawn records, which every phone gets back at its next sync, are as they were at the backup): run again those that still apply:`,
    ...lost.map((c) => `  ${formatJapanTimestamp(c.at)}  ${terminalSafe(c.action)} ${terminalSafe(c.subject)}（実行者 ${terminalSafe(c.by)}）→ ${prefix} ${terminalSafe(commandAgain(c))}`),
  ];
}

/**
 * How many of each kind of kept evidence the database replaced held and the restored one lacks. The
 * 閲覧記録 and the hub's own record of devices registered and full copies pulled by count (years of
 * them): a backup is an earlier state of the same database, so what it lacks is the difference.
 */
export function evidenceLost(
  before: KeptEvidence,
  after: KeptEvidence,
): { readonly caseEntries: number; readonly monthCloses: number; readonly accessEntries: number; readonly hubAccess: number } {
  const lacking = (was: readonly string[], now: readonly string[]) => {
    const held = new Set(now);
    return was.filter((k) => !held.has(k)).length;
  };
  return {
    caseEntries: lacking(before.caseEntries, after.caseEntries),
    monthCloses: lacking(before.monthCloses, after.monthCloses),
    accessEntries: Math.max(0, before.accessEntries - after.accessEntries),
    hubAccess: Math.max(0, before.hubAccess - after.hubAccess),
  };
}

/**
 * The restore's lines about evidence the backup lacks: the phones that wrote it send it again when
 * they sync (S15), but a phone replaced or wiped since cannot, and then the copy of the database
 * replaced is the only one left. None when nothing is lacking.
 */
export function evidenceLostReport(lost: ReturnType<typeof evidenceLost>, keptCopy: string | null): string[] {
  const fromPhones = lost.caseEntries + lost.monthCloses + lost.accessEntries;
  if (fromPhones + lost.hubAccess === 0) return [];
  const where = keptCopy ?? '（置き換えたデータベースの写し）';
  const ja = [
    ...(fromPhones === 0
      ? []
      : [
          `置き換えたデータベースにあった対応記録のエントリ ${lost.caseEntries} 件、請求済みの記録 ${lost.monthCloses} 件、閲覧記録 ${lost.accessEntries} 件が、復元したデータベースにありません。対応記録と請求済みは、持っている端末が同期すると送り直されます（その後に替えた・消した端末の分は戻りません）。閲覧記録は送り直されません。`,
        ]),
    // the hub's own record of who registered a device or copied a scope (migration 27): no phone has it
    ...(lost.hubAccess === 0 ? [] : [`拠点が記録した端末の登録と全件の受信 ${lost.hubAccess} 件（監査表 account_audit）${fromPhones === 0 ? 'が' : 'も'}、復元したデータベースにありません。これは送り直されません。`]),
  ];
  const en = [
    ...(fromPhones === 0
      ? []
      : [
          `the restored database lacks ${lost.caseEntries} case entr(ies), ${lost.monthCloses} 請求済み record(s) and ${lost.accessEntries} access-log entr(ies) the database replaced held: case entries and 請求済み are sent again by the phones holding them when they sync (not by a phone replaced or wiped since); access-log entries are never sent again.`,
        ]),
    ...(lost.hubAccess === 0 ? [] : [`the restored database lacks ${lost.hubAccess} row(s) of the hub's record of devices registered and full copies pulled (account_audit): they are never sent again.`]),
  ];
  return [
    `注意：${ja.join('')}${where} は削除せず、暗号化して保管してください（記録の保存期間の5年間） / ` +
      `${en.join(' ')} ${where} is then the only copy: do not delete it; keep it encrypted for the 5 years records are kept`,
  ];
}

const signInKey = (s: DeviceSignIn) => `${s.hub}\u0000${s.deviceId}\u0000${s.login}\u0000${s.token ?? ''}`;

/**
 * The sign-ins on phones the database replaced held and the restored one does not (a person who
 * first signed in on a phone after the backup, or signed in there again): the restored hub does not
 * credit their changes on that phone, and the phone holds its whole queue behind them
 * (「…さんのサインイン待ち」) until they sign in there again. A phone registered after the backup is
 * not known at all: everyone on it signs in again.
 */
export function signInsLost(before: readonly DeviceSignIn[], after: readonly DeviceSignIn[]): DeviceSignIn[] {
  const kept = new Set(after.map(signInKey));
  return before.filter((s) => !kept.has(signInKey(s)));
}

/** The restore's lines about them: none when no sign-in was lost. */
export function lostSignInsReport(lost: readonly DeviceSignIn[]): string[] {
  if (lost.length === 0) return [];
  return [
    `注意：次の ${lost.length} 人は、バックアップの後にその端末で拠点にサインインしたため、復元したデータベースではその端末の職員ではありません。その端末の未送信の記録は、この人が端末で「設定」の「拠点サーバーと同期」から「この端末で拠点にサインイン」するまで送られません。本人に連絡してください / ` +
      `${lost.length} sign-in(s) on phones made after this backup are not in the restored database: each phone holds its queue until the person signs in on it again (設定 → 拠点サーバーと同期 → この端末で拠点にサインイン):`,
    ...lost.map((s) => `  ${terminalSafe(s.hub)}  端末 ${terminalSafe(s.deviceId)}（${terminalSafe(s.deviceName || '-')}）  ${terminalSafe(s.login)}`),
  ];
}
