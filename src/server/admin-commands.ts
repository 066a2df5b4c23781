/**
 * `npm run admin -- <command>`: the hub's first admin and the accounts after it, from a shell on
 * the server. Kept apart from admin.ts (which opens the store and reads the terminal) so tests run
 * the commands against a store of their own.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { formatJapanTimestamp, isValidIsoDate } from '../domain/japan-time';
import { NO_ONE_BODY, type Office } from '../domain/office';
import { STORED_KINDS } from '../protocol/records';
import { ROLES } from '../protocol/sync';
import { runRecordCommand } from './record-commands';
import { runAuditCommand } from './audit-commands';
import { runAccessCommand } from './access-commands';
import { auditDetail, type AccountAudit } from './db/account-audit';
import { StoreError, type Store } from './db/store';
import { createAccounts } from './services/accounts';
import { MIN_PASSWORD_LENGTH, totpUri } from './services/credentials';
import { runRetirementCommand } from './retirement-commands';
import { terminalRow, terminalSafe } from './terminal-text';
import { runVerifyEvidence } from './services/verify-evidence-command';
import { openSecret } from './services/secret-box';
import type { HubKey } from './services/hub-key';
import { recordedOperator } from './os-user';

export interface AdminIo {
  out(line: string): void;
  /** the new user's password: from stdin with --password-stdin, else asked on the terminal */
  readPassword(fromStdin: boolean): Promise<string>;
  readonly now?: () => Date;
  /** the key TOTP secrets are sealed with (secret-box.ts), as the server has it */
  readonly secretKey?: Buffer | null;
  /** who runs the command (the OS user), for the audit table when --by is not given */
  readonly operator?: string;
  /** the hub's signing key as the server has it (verify-evidence without --public-key) */
  readonly hubKey?: () => Promise<HubKey>;
}

export const ADMIN_USAGE = `使い方: npm run admin -- <command> [options]

  create-hub     --hub <id> --name <拠点名> [--by <名前>]
  create-office  --hub <id> --office <id> --name <事業所名> [--number <事業所番号>] [--hub-from <YYYY-MM-DD>] [--by <名前>]
                 (the office every device pulls at its next sync, and the office users and households
                  are placed under; --hub-from: the first day it is positioned as a hub in its 運営規程.
                  Later changes, ending a period with a 廃止届 among them: the admin, in 設定 → 事業所)
  create-user    --hub <id> --login <login> --name <表示名> --role admin|coordinator|case-worker|facility-liaison
                 [--office <office id>] [--facility <facility id>] [--password-stdin] [--by <名前>]
                 (asks for the password, or reads it from stdin with --password-stdin;
                  prints the TOTP secret and the otpauth:// URI for the authenticator app)
  reset-credentials --hub <id> --login <login> [--password-stdin] [--by <名前>]
                 (a new password and a new TOTP secret, e.g. the authenticator phone was lost; the
                  user's sign-ins end, their devices keep syncing with their device secret)
  disable-user   --hub <id> --login <login> --yes [--by <名前>]  (ends the user's sessions; a device no one else
                  active uses retires and wipes at its next sync; without --yes it only says whom it would stop
                  and which of their devices would wipe)
  enable-user    --hub <id> --login <login> [--by <名前>]  (a user stopped by mistake: they sign in again with
                  their password and code; a device of theirs that already wiped stays wiped)
  disable-device --device <device id> --yes [--by <名前>]  (ends the sessions opened through it; the device retires;
                  without --yes it only says which device it would stop)
  enable-device  --device <device id> [--by <名前>]  (a device stopped by mistake, while it has not been in touch
                  since: once it has begun to retire or wiped, it joins again as a new device)
  list-users     --hub <id>
  list-records   --hub <id> [--kind <kind>] [--invalid]   (kind: as withdraw-record below)
                 (every record with its version and office, a facility's or office's name last;
                  --invalid: only those the app cannot read, and why)
  withdraw-record --hub <id> --kind <kind> --id <record id> --reason <理由> --yes [--by <名前>]
                 (kind: household|facility|office|trial-stay|month-close|bonus-coordinator|bonus-split|
                  bonus-count|bonus-price|case-entry. Removes the record from every device at its next
                  sync; the hub keeps it in the audit table with who, when and why. Case entries are
                  evidence and are never withdrawn, nor a readable 請求済み (month-close), nor an office
                  or a household a case names; a household a trial stay names once the stay is withdrawn
                  (--kind trial-stay). Without --yes it only shows the record it would withdraw and, for
                  a household, the trial stays, cases and 請求済み records that name it.)
  list-refusals  --hub <id> [--limit <n>]   (changes the hub refused, newest first, with the reason)
  list-audit     --hub <id> [--limit <n>]   (what the account commands changed and withdraw-record withdrew,
                  and which devices were registered (register-device) and copied the hub from the beginning
                  (full-pull), newest first: time (Japan), action, subject, detail or reason, who)
  list-access    --hub <id> [--household <世帯ID>] [--user <ログインIDまたはID>] [--since <YYYY-MM-DD>] [--limit <n>]
                 (端末から届いた閲覧記録を、拠点が受け付けた新しい順に表示します（既定 100 件）：端末の日時と拠点の受付日時
                  （どちらも日本時間）、その差が数分を超えるときの注記（端末の時計の進み・遅れ、送信の遅れ）、誰が（名前とログインID）、
                  何をしたか（開いた・印刷した・書き出した…）、世帯、理由・内容、端末。--since は受付が日本時間のその日から)
  list-devices   --hub <id>                      (each device: id, name, login, registered and last seen (Japan time), seq,
                  state: 有効, or retired: 未送信 / 送信済み / 隔離 n件 / 消去済み)
  list-quarantine --hub <id> [--id <n> --show-content]
                 (what retired devices sent that the hub refused; nothing is lost. The change itself,
                  要配慮個人情報, only for one row asked by --id with --show-content)
  resolve-quarantine --hub <id> --id <n> --note <how it was dealt with> [--by <名前>]
  move-device    --hub <id> --device <device id> --login <login> [--by <名前>]
                 (the device's secret is lost, e.g. the app was reinstalled: this user's next
                  sign-in on that device id is taken without it, once; a new secret is issued)
  device-users   --device <device id>          (who has signed in on the device: login, name, state, first and last use)
  revoke-device-user --hub <id> --device <device id> --login <login> [--by <名前>]
                 (the user's sign-in on that device no longer opens a session)
  backup         --file <path>
                 (pg_dump of DATABASE_URL in custom format; for the embedded store, with the server
                  stopped, a copy of data/pg. Never overwrites a file.)
  restore        --file <path> --yes
                 (stop every hub server first. Puts the backup back, migrates it, and gives the
                  database a new epoch: each device pulls again and sends what the backup lacks.
                  The embedded store's current database is moved aside, not deleted.)
  verify-evidence <FILE> [--public-key <base64> --fingerprint <hex>]
                 (checks each countersigned row of an exported detail CSV against the hub's key:
                  the server's own, or the public key given, which runs only when its SHA-256 is the
                  --fingerprint taken from the hub admin's records (the start log's "hub signing key …",
                  GET /api/hub-key), never from the report or file checked; exit 1 when a row fails)

Each command that changes an account or withdraws a record is recorded in the audit table, under
--by <名前> beside the OS user who runs it, never instead of it (docs/kyoten-admin.sh: the person behind sudo).

The store is the server's: DATABASE_URL, or the embedded one in KYOTEN_DATA_DIR (default ./data),
which only one process may open at a time: stop the server first.`;

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'use a-z, 0-9, - and _ (at most 63)');
const text = z.string().trim().min(1).max(100);
/** who ran it, for the audit table, when the OS user is not the person (docs/hub-server.md) */
const by = z.string().trim().min(1).max(100).optional();
const schemas = {
  'create-hub': z.strictObject({ hub: slug, name: text, by }),
  'create-office': z.strictObject({
    hub: slug,
    office: slug,
    name: text,
    number: z.string().regex(/^\d{10}$/, '事業所番号 is 10 digits').optional(),
    'hub-from': z.string().refine(isValidIsoDate, 'a day written YYYY-MM-DD').optional(),
    by,
  }),
  'create-user': z.strictObject({
    hub: slug,
    login: z.string().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'letters, digits and . _ @ -'),
    name: text,
    role: z.enum(ROLES),
    office: slug.optional(),
    facility: z.string().min(1).max(200).optional(),
    'password-stdin': z.boolean().optional(),
    by,
  }),
  'reset-credentials': z.strictObject({ hub: slug, login: z.string().min(1), 'password-stdin': z.boolean().optional(), by }),
  'disable-user': z.strictObject({ hub: slug, login: z.string().min(1), yes: z.boolean().optional(), by }),
  'enable-user': z.strictObject({ hub: slug, login: z.string().min(1), by }),
  'disable-device': z.strictObject({ device: z.string().min(1).max(200), yes: z.boolean().optional(), by }),
  'enable-device': z.strictObject({ device: z.string().min(1).max(200), by }),
  'list-users': z.strictObject({ hub: slug }),
  'list-records': z.strictObject({ hub: slug, kind: z.enum(STORED_KINDS).optional(), invalid: z.boolean().optional() }),
  'withdraw-record': z.strictObject({
    hub: slug,
    kind: z.enum(STORED_KINDS),
    // Any id the hub may hold, the poison ones included: that is what this command is for.
    id: z.string().min(1).max(200),
    reason: z.string().trim().min(1).max(500),
    yes: z.boolean().optional(),
    by,
  }),
  'list-refusals': z.strictObject({ hub: slug, limit: z.coerce.number().int().min(1).max(10_000).optional() }),
  'list-audit': z.strictObject({ hub: slug, limit: z.coerce.number().int().min(1).max(10_000).optional() }),
  'list-access': z.strictObject({
    hub: slug,
    household: z.string().min(1).max(256).optional(),
    user: z.string().min(1).max(200).optional(),
    since: z.string().refine(isValidIsoDate, 'a day written YYYY-MM-DD (Japan time)').optional(),
    limit: z.coerce.number().int().min(1).max(10_000).optional(),
  }),
  'list-devices': z.strictObject({ hub: slug }),
  'list-quarantine': z
    .strictObject({ hub: slug, id: z.coerce.number().int().positive().optional(), 'show-content': z.boolean().optional() })
    .refine((o) => o['show-content'] !== true || o.id !== undefined, { message: '--show-content は --id <n> と一緒に指定します（1件ずつ表示します） / --show-content needs --id <n>: one row at a time' }),
  'resolve-quarantine': z.strictObject({ hub: slug, id: z.coerce.number().int().positive(), note: text, by }),
  'move-device': z.strictObject({ hub: slug, device: z.string().min(1).max(200), login: z.string().min(1), by }),
  'device-users': z.strictObject({ device: z.string().min(1).max(200) }),
  'revoke-device-user': z.strictObject({ hub: slug, device: z.string().min(1).max(200), login: z.string().min(1), by }),
  backup: z.strictObject({ file: z.string().min(1, 'give the file to write') }),
  restore: z.strictObject({
    file: z.string().min(1, 'give the backup to restore'),
    yes: z.literal(true, { message: 'a restore replaces the database: add --yes once every hub server is stopped' }),
  }),
  'verify-evidence': z.strictObject({ file: z.string().min(1, 'give the CSV file to check'), 'public-key': z.string().min(1).optional(), fingerprint: z.string().min(1).optional() }),
} as const;
export type AdminCommand = keyof typeof schemas;

/** Parses argv (after the script name); an Error with a message for the admin when it is wrong. */
export function parseAdminArgs(argv: readonly string[]): { command: AdminCommand; options: Record<string, unknown> } {
  const [command, ...rest] = argv;
  if (command === undefined || !(command in schemas)) throw new Error(command === undefined ? ADMIN_USAGE : `unknown command "${command}"\n\n${ADMIN_USAGE}`);
  const str = { type: 'string' } as const;
  const { values, positionals } = parseArgs({
    args: [...rest],
    strict: true,
    // Only verify-evidence takes a positional argument (the file).
    allowPositionals: command === 'verify-evidence',
    options: {
      hub: str,
      name: str,
      office: str,
      login: str,
      role: str,
      facility: str,
      device: str,
      'password-stdin': { type: 'boolean' },
      'show-content': { type: 'boolean' },
      kind: str,
      id: str,
      reason: str,
      by: str,
      invalid: { type: 'boolean' },
      limit: str,
      note: str,
      'public-key': str,
      fingerprint: str,
      file: str,
      yes: { type: 'boolean' },
      number: str,
      'hub-from': str,
      household: str,
      user: str,
      since: str,
    },
  });
  if (positionals.length > 1) throw new Error(`one file at a time, got ${positionals.length}`);
  // verify-evidence takes its file as the other commands do (--file) or as it is shown (<FILE>), not both
  if (command === 'verify-evidence' && positionals.length > 0 && values.file !== undefined) throw new Error('give the CSV file once: verify-evidence <FILE> (or --file <FILE>)');
  const parsed = schemas[command as AdminCommand].safeParse(command === 'verify-evidence' ? { ...values, file: positionals[0] ?? values.file ?? '' } : values);
  if (!parsed.success) {
    throw new Error(parsed.error.issues.map((i) => `--${i.path.join('.') || command}: ${i.message}`).join('\n'));
  }
  return { command: command as AdminCommand, options: parsed.data as Record<string, unknown> };
}

export async function runAdminCommand(store: Store, command: AdminCommand, options: Record<string, unknown>, io: AdminIo): Promise<void> {
  const accounts = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: io.now ?? (() => new Date()), secretKey: io.secretKey ?? null });
  const o = options as Record<string, string | boolean | undefined>;
  const hub = o['hub'] as string;
  const userOf = async (login: string) => {
    const user = await store.findUserByLogin(hub, login);
    if (user === null) throw new Error(`拠点 ${terminalSafe(hub)} に職員 ${terminalSafe(login)} はいません。--login を確かめてください（list-users で一覧が出ます） / no user "${terminalSafe(login)}" in hub "${terminalSafe(hub)}"`);
    return user;
  };
  // Who ran it, as withdraw-record has it (record-commands.ts): the OS user, with --by beside it.
  const doneBy = recordedOperator(o['by'] as string | undefined, io.operator);
  const audit = (action: AccountAudit['action'], subject: string, detail: Readonly<Record<string, string | null | undefined>> = {}): AccountAudit => ({
    action,
    subject,
    detail: auditDetail(detail),
    by: doneBy,
  });
  // The TOTP secret a new password comes with is sealed with the hub's key: a key that does not
  // open the secrets already there (another KYOTEN_SECRET_KEY) would make one no one signs in with,
  // and no key at all (DATABASE_URL from a plain shell) stores it in clear. Checked before the password is asked.
  const checkSecretKey = async () => {
    const key = io.secretKey ?? null;
    // any hub's: the server has one key for all (a new hub's first user sealed with another key
    // could never sign in)
    const sealed = await store.anySealedSecret();
    if (sealed !== null) {
      try {
        openSecret(key, sealed.stored, sealed.userId);
      } catch {
        throw new Error(
          `この拠点の認証アプリの秘密鍵は、${key === null ? 'KYOTEN_SECRET_KEY で暗号化されていますが、鍵が設定されていません' : '別の鍵で暗号化されています（KYOTEN_SECRET_KEY が違います）'}。何も変えていません。本番の拠点では sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh で実行してください / ` +
            `nothing was changed: this hub's TOTP secrets are sealed with ${key === null ? 'a key this shell does not set (KYOTEN_SECRET_KEY)' : 'another KYOTEN_SECRET_KEY'}; run the command with the server's key (docs/kyoten-admin.sh)`,
        );
      }
    } else if (key === null) {
      io.out('注意：KYOTEN_SECRET_KEY が設定されていないため、認証アプリの秘密鍵を暗号化せずにデータベースに保存します（本番の拠点では鍵を設定し、kyoten-admin.sh で実行してください） / warning: no KYOTEN_SECRET_KEY: the TOTP secret is stored in clear');
    }
  };
  const recorded = () => io.out(`この操作は監査表 account_audit に記録しました（実行者 ${terminalSafe(doneBy)}）。`);
  // A listing or a change for a hub that does not exist says so (a mistyped --hub listed
  // 「職員はいません」 and exited 0, as if the hub were empty).
  if (command !== 'create-hub' && typeof o['hub'] === 'string' && !(await store.hubExists(hub))) {
    throw new Error(`拠点 ${terminalSafe(hub)} はありません。--hub を確かめてください / no hub "${terminalSafe(hub)}": check --hub (a hub is made with: npm run admin -- create-hub --hub <id> --name <名前>)`);
  }
  try {
    switch (command) {
      case 'create-hub':
        await store.createTenant({ id: hub, name: o['name'] as string }, audit('create-hub', hub, { name: o['name'] as string }));
        io.out(`拠点 ${hub}（${o['name']}）を作成しました。次は管理者: npm run admin -- create-user --hub ${hub} --login <login> --name <表示名> --role admin`);
        recorded();
        return;
      case 'create-office': {
        const at = (io.now?.() ?? new Date()).toISOString();
        const from = o['hub-from'] as string | undefined;
        const office: Office = {
          id: o['office'] as string,
          name: o['name'] as string,
          officeNumber: (o['number'] as string | undefined) ?? '',
          hubPeriods: from === undefined ? [] : [{ from, to: null, note: '' }],
          oneBody: NO_ONE_BODY,
          createdAt: at,
          updatedAt: at,
        };
        await store.putHubOffice(hub, office, audit('create-office', office.id, { name: office.name, number: o['number'] as string | undefined, 'hub-from': from }));
        io.out(`事業所 ${office.id}（${office.name}）を拠点 ${hub} に作成しました。各端末の次の同期で届きます。`);
        recorded();
        if (from === undefined) io.out('拠点として位置付けられた期間はまだありません。管理者が端末の「設定」の「事業所（相談強化加算）」で追加すると、相談強化加算の判定に使われます。');
        return;
      }
      case 'create-user': {
        const role = o['role'] as (typeof ROLES)[number];
        if (role === 'case-worker' && o['office'] === undefined) throw new Error('a case-worker needs --office');
        if (role === 'facility-liaison' && o['facility'] === undefined) throw new Error('a facility-liaison needs --facility');
        if (role === 'facility-liaison') {
          // A liaison sees and reports for their own facility only: a mistyped id made an account
          // that received nothing. Checked before the password is asked.
          const facility = (await store.listRecords(hub, 'facility')).find((r) => r.entityId === o['facility'] && !r.withdrawn);
          if (facility === undefined) {
            throw new Error(
              `拠点 ${hub} に事業所（短期入所） ${terminalSafe(o['facility'] as string)} はありません。事業所のIDは list-records --hub ${hub} --kind facility で確かめてください（事業所名が最後の列に出ます。端末で登録した事業所は、同期のあとに出ます） / ` +
                `no facility ${terminalSafe(o['facility'] as string)} in hub ${hub}: list-records --hub ${hub} --kind facility lists the ids with their names`,
            );
          }
        }
        await checkSecretKey();
        const password = await io.readPassword(o['password-stdin'] === true);
        if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください / the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
        const login = o['login'] as string;
        const officeId = (o['office'] as string | undefined) ?? null;
        const facilityId = (o['facility'] as string | undefined) ?? null;
        const { totpSecret } = await accounts.createUser(
          { id: randomUUID(), tenantId: hub, role, loginName: login, displayName: o['name'] as string, officeId, facilityId, password },
          audit('create-user', login, { role, name: o['name'] as string, office: officeId, facility: facilityId }),
        );
        io.out(`職員 ${login}（${o['name']}、${role}）を拠点 ${hub} に作成しました。`);
        recorded();
        printTotp(io, totpSecret, hub, login);
        return;
      }
      case 'reset-credentials': {
        const user = await userOf(o['login'] as string);
        await checkSecretKey();
        // Whose password and TOTP are replaced, said before the password is asked: a mistyped
        // --login replaced a colleague's, who then could not sign in (Ctrl+C at the prompt changes nothing).
        io.out(`職員 ${terminalSafe(user.loginName)}（${terminalSafe(user.displayName)}、${user.role}${user.officeId ? `、${terminalSafe(user.officeId)}` : ''}${user.disabled ? '、停止中' : ''}）のパスワードと認証コードを新しくします。`);
        const password = await io.readPassword(o['password-stdin'] === true);
        if (password.length < MIN_PASSWORD_LENGTH) throw new Error(`パスワードは${MIN_PASSWORD_LENGTH}文字以上にしてください / the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
        const { totpSecret } = await accounts.resetCredentials(user, password, audit('reset-credentials', user.loginName));
        io.out(`職員 ${terminalSafe(user.loginName)} のパスワードと認証アプリの秘密鍵を新しくしました。前のパスワードとコードは使えません。サインイン中のブラウザーは次の操作でサインインし直しになります（参加済みの端末はそのまま同期します）。`);
        recorded();
        printTotp(io, totpSecret, hub, user.loginName);
        return;
      }
      case 'disable-user': {
        const user = await userOf(o['login'] as string);
        // Its phones send what they hold and wipe themselves at their next sync, and no command
        // brings the account back: a mistyped login is shown first, and stops nothing.
        if (o['yes'] !== true) {
          io.out(`停止する職員：${terminalSafe(user.loginName)}（${terminalSafe(user.displayName)}、${user.role}${user.officeId ? `、${terminalSafe(user.officeId)}` : ''}）`);
          // each phone they signed in on, and whether it wipes: a phone retires once no one on it is active
          for (const device of await store.listDevices(hub)) {
            if (device.retired) continue;
            const people = await store.listDeviceUsers(device.id);
            if (!people.some((p) => p.userId === user.id)) continue;
            const othersActive = people.some((p) => p.userId !== user.id && !p.userDisabled);
            io.out(`  端末 ${terminalSafe(device.id)}（${terminalSafe(device.name || '-')}）：${othersActive ? 'ほかに有効な職員がいるため、消去しません（この人は次の同期でこの端末の職員から外れ、解錠できなくなります）' : '次の同期で未送信の記録を送ってから、データを消去します'}`);
          }
          throw new Error('まだ停止していません。停止すると、その人だけが使っていた端末は次の同期でデータを消去します（ほかに有効な職員がいる共有の端末は消去せず、次の同期でその人をその端末の職員から外します。職員は enable-user で戻せますが、消去された端末のデータは戻りません）。上の職員で正しければ --yes を付けて実行してください / nothing was changed: add --yes to stop this user (phones only they use wipe at their next sync; a shared phone keeps working for its other users)');
        }
        if (!(await accounts.disableUser(user.id, audit('disable-user', user.loginName)))) {
          io.out(`職員 ${terminalSafe(user.loginName)} はすでに停止しています。何も変えていません（監査表にも記録していません）。`);
          return;
        }
        io.out(`職員 ${terminalSafe(user.loginName)} を停止しました。サインイン中のセッションは終了しました。その人だけが使っていた端末は、次の接続で未送信の記録を送ってからデータを消去します（ほかに有効な職員がいる共有の端末はそのまま使えます。どの端末かは list-devices で確かめられます）。`);
        recorded();
        return;
      }
      case 'enable-user': {
        const user = await userOf(o['login'] as string);
        if (!(await accounts.enableUser(user.id, audit('enable-user', user.loginName)))) {
          io.out(`職員 ${terminalSafe(user.loginName)} は停止されていません。何も変えていません（監査表にも記録していません）。`);
          return;
        }
        io.out(`職員 ${terminalSafe(user.loginName)} を有効に戻しました。本人は、パスワードと認証アプリのコードで、端末からもう一度サインインしてください。すでにデータを消去した端末は、拠点サーバーに参加し直します。`);
        recorded();
        return;
      }
      case 'disable-device': {
        if (o['yes'] !== true) {
          const device = await store.findDevice(o['device'] as string);
          if (device === null) throw new Error(`端末 ${terminalSafe(o['device'] as string)} はありません。--device を確かめてください（list-devices --hub <id> で一覧が出ます） / no device ${terminalSafe(o['device'] as string)}`);
          io.out(`停止する端末：${terminalSafe(device.id)}（${terminalSafe(device.name)}、拠点 ${terminalSafe(device.tenantId)}${device.disabled ? '、停止済み' : ''}）`);
          throw new Error(
            'まだ停止していません。停止すると、端末は次の同期で未送信の記録を送ってからデータを消去します（enable-device で戻せるのは、端末がまだ拠点に接続していない間だけです）。上の端末で正しければ --yes を付けて実行してください / ' +
              'nothing was changed: add --yes to stop this device (enable-device undoes it only until the device next reaches the hub, which then erases its data)',
          );
        }
        if (!(await accounts.disableDevice(o['device'] as string, audit('disable-device', o['device'] as string)))) {
          io.out(`端末 ${terminalSafe(o['device'] as string)} はすでに停止しています。何も変えていません（監査表にも記録していません）。`);
          return;
        }
        io.out(`端末 ${terminalSafe(o['device'] as string)} を停止しました。この端末で開かれたセッションは終了し、端末は次の接続で未送信の記録を送ってからデータを消去します。`);
        recorded();
        return;
      }
      case 'enable-device': {
        const device = o['device'] as string;
        if (!(await store.enableDevice(device, audit('enable-device', device)))) {
          io.out(`端末 ${terminalSafe(device)} は停止されていません。何も変えていません（監査表にも記録していません）。`);
          return;
        }
        io.out(`端末 ${terminalSafe(device)} を有効に戻しました。端末は次の同期からそのまま使えます（データは消去されません）。`);
        recorded();
        return;
      }
      case 'list-users': {
        const users = await store.listUsers(hub);
        if (users.length === 0) io.out(`拠点 ${hub} に職員はいません。`);
        for (const u of users) {
          io.out(terminalRow([u.loginName, u.role, u.displayName, u.officeId ?? '-', u.facilityId ?? '-', u.disabled ? '停止中' : '有効']));
        }
        return;
      }
      case 'list-records':
      case 'withdraw-record':
      case 'list-refusals':
        await runRecordCommand(store, command, options, io);
        return;
      case 'list-audit':
        await runAuditCommand(store, hub, (o['limit'] as unknown as number | undefined) ?? 100, io.out);
        return;
      case 'list-access':
        await runAccessCommand(
          store,
          {
            hub,
            limit: (o['limit'] as unknown as number | undefined) ?? 100,
            ...(o['household'] === undefined ? {} : { household: o['household'] as string }),
            ...(o['user'] === undefined ? {} : { user: o['user'] as string }),
            ...(o['since'] === undefined ? {} : { since: o['since'] as string }),
          },
          io.out,
        );
        return;
      case 'list-devices':
      case 'list-quarantine':
      case 'resolve-quarantine':
        return await runRetirementCommand(
          store,
          command,
          {
            hub,
            id: o['id'] as unknown as number,
            note: o['note'] as string,
            showContent: o['show-content'] === true,
            ...(command === 'resolve-quarantine' ? { audit: audit('resolve-quarantine', String(o['id']), { note: o['note'] as string }) } : {}),
          },
          io.out,
          io.now ?? (() => new Date()),
        );
      case 'move-device': {
        const user = await userOf(o['login'] as string);
        await store.handOverDevice(o['device'] as string, user.id, audit('move-device', o['device'] as string, { login: user.loginName }));
        const [device, login] = [terminalSafe(o['device'] as string), terminalSafe(user.loginName)];
        io.out(`端末 ${device} を ${login} に移行できるようにしました。その端末で ${login} がサインインすると登録されます（一度だけ）。`);
        recorded();
        return;
      }
      case 'device-users': {
        const device = await store.findDevice(o['device'] as string);
        if (device === null) throw new Error(`端末 ${terminalSafe(o['device'] as string)} はありません。--device を確かめてください（list-devices --hub <id> で一覧が出ます） / no device ${terminalSafe(o['device'] as string)}: check --device (list-devices --hub <id> lists them)`);
        const users = await store.listDeviceUsers(device.id);
        if (users.length === 0) io.out(`端末 ${terminalSafe(device.id)} でサインインした職員はいません。`);
        // by login and name, as revoke-device-user and move-device take them (not the account's internal id)
        const accounts = new Map((await store.listUsers(device.tenantId)).map((u) => [u.id, u]));
        for (const u of users) {
          const state = u.userDisabled ? '停止中' : u.revoked ? '取り消し済み' : '有効';
          const account = accounts.get(u.userId);
          io.out(terminalRow([account?.loginName ?? u.userId, account?.displayName ?? '-', state, formatJapanTimestamp(u.createdAt), u.lastUsedAt ? formatJapanTimestamp(u.lastUsedAt) : '-']));
        }
        return;
      }
      case 'revoke-device-user': {
        const user = await userOf(o['login'] as string);
        if (!(await store.revokeDeviceUser(o['device'] as string, user.id, io.now?.() ?? new Date(), audit('revoke-device-user', o['device'] as string, { login: user.loginName })))) {
          io.out(`端末 ${terminalSafe(o['device'] as string)} での ${terminalSafe(user.loginName)} のサインインはすでに取り消されています。何も変えていません（監査表にも記録していません）。`);
          return;
        }
        io.out(`端末 ${terminalSafe(o['device'] as string)} での ${terminalSafe(user.loginName)} のサインインを取り消しました。この職員の未送信の変更は、再びサインインするまで端末に残ります。`);
        recorded();
        return;
      }
      case 'verify-evidence':
        await runVerifyEvidence(o['file'] as string, { publicKey: o['public-key'] as string | undefined, fingerprint: o['fingerprint'] as string | undefined }, io, store);
        return;
      case 'backup':
      case 'restore':
        // They work on the database itself, not through an open store: admin.ts runs them first.
        throw new Error(`${command} runs before the store is opened (backup-commands.ts)`);
    }
  } catch (error) {
    if (error instanceof StoreError && error.code === 'bad-request') throw new Error(error.message);
    if (error instanceof StoreError && error.code === 'exists') {
      // A login that is taken (by a create-user that stopped between the account and its password,
      // before the two were written in one statement) gets a new password from reset-credentials.
      const hint = command === 'create-user' ? '（パスワードと認証コードを作り直すには reset-credentials / to give it a new password and TOTP secret: reset-credentials）' : '';
      throw new Error(`already exists: ${error.message}${hint}`);
    }
    if (error instanceof StoreError && error.code === 'not-found') throw new Error(`not found (is the hub, office or device id right?): ${error.message}`);
    throw error;
  }
}

/** The TOTP secret a new or reset user registers in their authenticator app, shown once. */
function printTotp(io: AdminIo, totpSecret: string, hub: string, login: string): void {
  io.out('認証アプリ（Google Authenticator など）に次の秘密鍵を登録してください。表示はこの一度だけです。');
  io.out(`TOTP secret: ${totpSecret}`);
  io.out(`otpauth URI: ${totpUri(totpSecret, hub, login)}`);
}

/**
 * What the server prints at start while nobody can sign in yet. With DATABASE_URL set it is the
 * production hub of docs/hub-server.md, whose admin commands run as root through kyoten-admin.sh
 * (the recipe's step 2): `npm run admin` there would not read the service's environment file.
 */
export function firstAdminHint(env: { readonly DATABASE_URL?: string }): string {
  const args = [
    'create-hub --hub <hub-id> --name "<拠点名>"',
    'create-user --hub <hub-id> --login <login> --name "<表示名>" --role admin',
  ];
  const last = 'The second command asks for a password and prints the TOTP secret for an authenticator app.';
  if (env.DATABASE_URL) {
    return [
      'No accounts yet. Create the hub and its first admin as root, through the admin script (it runs them as the service\'s user with /etc/kyoten-navi/env: docs/hub-server.md, "Production recipe", step 2):',
      ...args.map((a) => `  sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh ${a}`),
      last,
    ].join('\n');
  }
  return [
    'No accounts yet. Create the hub and its first admin (with the server stopped when it uses the embedded store):',
    ...args.map((a) => `  npm run admin -- ${a}`),
    last,
  ].join('\n');
}
