/**
 * `npm run admin`: the first hub, office and admin, the account commands and their audit rows
 * (account_audit, `list-audit`), the clear message when the embedded store is held by a running
 * server, and backup and restore as an operator types them over DATABASE_URL (docs/hub-server.md,
 * "Backups that restore").
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { commandAgain } from '../../src/server/restore-changes';
import { openEmbeddedStore } from '../../src/server/db/embedded-store';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { Store } from '../../src/server/db/store';
import { createAccounts } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { osUserName } from '../../src/server/os-user';
import { schemaTarget } from './schema-target';
import { appendEntries, openBody, subjectYota } from '../factories/emergency-case';
import { createHousehold } from '../factories/household';
import { createTrialStay } from '../factories/trial-stay';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
const dirs: string[] = [];
afterAll(async () => {
  await target.dropAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PASSWORD = 'yoru-no-denwa-2026';

/** `operator`: the OS user admin.ts would pass (io.operator); absent, as when it has none. */
async function run(store: Store, argv: string[], password = PASSWORD, operator?: string): Promise<string[]> {
  const lines: string[] = [];
  const { command, options } = parseAdminArgs(argv);
  await runAdminCommand(store, command, options, { out: (l) => lines.push(l), readPassword: async () => password, ...(operator === undefined ? {} : { operator }) });
  return lines;
}

/** The account audit as an auditor reads the table, oldest first. */
async function auditRows(raw: pg.Pool): Promise<{ tenant_id: string; action: string; subject: string; detail: string; done_by: string }[]> {
  return (await raw.query('SELECT tenant_id, action, subject, detail, done_by FROM account_audit ORDER BY id')).rows;
}

/** The time list-audit prints for an instant: Japan time, as Intl has it (not the command's own arithmetic). */
const inJapan = (at: Date) => `${at.toLocaleString('sv-SE', { timeZone: 'Asia/Tokyo' }).replace(' ', 'T')}+09:00`;

const root = resolve(import.meta.dirname, '../..');

/**
 * `npm run admin -- <args>` over pipes: admin.ts in one Node with tsx's loader (`node --import
 * tsx`), not under the tsx command, which starts a second Node to run it (about 0.3 s more a
 * command, and this file runs two dozen). Nothing here sends the command a signal; the terminal
 * test (onTerminal) keeps the tsx command that `npm run admin` and docs/kyoten-admin.sh run.
 */
function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/admin.ts', ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(stdin);
    child.on('close', (code) => done({ code, out, err }));
  });
}

/**
 * The command on a terminal of its own (util-linux `script`): once `prompt` shows, `keys` are typed.
 * Resolves when it exits, with its exit code and everything the terminal showed.
 */
function onTerminal(args: string[], env: Record<string, string>, prompt: string, keys: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const line = [resolve(root, 'node_modules/.bin/tsx'), 'src/server/admin.ts', ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qfec', line, '/dev/null'], { cwd: root, env: { ...process.env, DATABASE_URL: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let sent = false;
    const read = (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes(prompt)) {
        sent = true;
        child.stdin.write(keys);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => done({ code, out }));
  });
}

describe('npm run admin', () => {
  let store: Store;
  let raw: pg.Pool;
  beforeEach(async () => {
    ({ store, raw } = await target.fresh());
    await store.migrate();
    return async () => {
      await raw.end();
      await store.close();
    };
  });

  it('creates the hub, an office and the first admin, who signs in with the password and the printed TOTP secret', async () => {
    expect(await store.countUsers()).toBe(0);
    await run(store, ['create-hub', '--hub', 'hub-matsudo', '--name', '松戸市 地域生活支援拠点']);
    await run(store, ['create-office', '--hub', 'hub-matsudo', '--office', 'office-a', '--name', 'あおば']);
    const lines = await run(store, ['create-user', '--hub', 'hub-matsudo', '--login', 'admin', '--name', '管理者', '--role', 'admin']);
    const secret = lines.find((l) => l.startsWith('TOTP secret: '))!.slice('TOTP secret: '.length);
    expect(lines.find((l) => l.startsWith('otpauth URI: '))).toContain(`secret=${secret}`);
    const now = new Date('2026-11-30T12:00:00Z');
    const accounts = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => now });
    const { info } = await accounts.signIn({ hub: 'hub-matsudo', loginName: 'admin', password: PASSWORD, totp: totpCode(secret, now) });
    expect(info.user).toMatchObject({ role: 'admin', displayName: '管理者' });
    await run(store, ['create-user', '--hub', 'hub-matsudo', '--login', 'aoba1', '--name', '相談 一郎', '--role', 'case-worker', '--office', 'office-a']);
    expect(await run(store, ['list-users', '--hub', 'hub-matsudo'])).toEqual(['admin\tadmin\t管理者\t-\t-\t有効', 'aoba1\tcase-worker\t相談 一郎\toffice-a\t-\t有効']);
  });

  it('refuses wrong arguments, a short password, a taken login and an unknown office with a message', async () => {
    expect(() => parseAdminArgs(['create-user', '--hub', 'h', '--login', 'x', '--name', 'n', '--role', 'boss'])).toThrow(/--role/);
    expect(() => parseAdminArgs(['drop-hub'])).toThrow(/unknown command "drop-hub"/);
    expect(() => parseAdminArgs(['create-hub', '--hub', 'h', '--name', 'n', '--force'])).toThrow(/force/);
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    const user = ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator'];
    await expect(run(store, user, 'short')).rejects.toThrow(/at least 10/);
    await run(store, user);
    await expect(run(store, user)).rejects.toThrow(/already exists.*reset-credentials/);
    await expect(run(store, ['create-user', '--hub', 'h1', '--login', 'w', '--name', 'w', '--role', 'case-worker'])).rejects.toThrow(/needs --office/);
    await expect(run(store, ['create-user', '--hub', 'h1', '--login', 'w', '--name', 'w', '--role', 'case-worker', '--office', 'nowhere'])).rejects.toThrow(/not found/);
    expect((await store.listUsers('h1')).map((u) => u.loginName)).toEqual(['coord']);
  });

  it('seals the TOTP secret with the hub key; says when there is none, and refuses a key that does not open the secrets already there', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    const withKey = async (key: Buffer | null, login: string) => {
      const lines: string[] = [];
      const { command, options } = parseAdminArgs(['create-user', '--hub', 'h1', '--login', login, '--name', login, '--role', 'coordinator']);
      await runAdminCommand(store, command, options, { out: (l) => lines.push(l), readPassword: async () => PASSWORD, secretKey: key });
      return lines;
    };
    // no key (DATABASE_URL from a plain shell): stored in clear, and said so
    expect((await withKey(null, 'clear'))[0]).toMatch(/^注意：KYOTEN_SECRET_KEY が設定されていないため/);
    const key = Buffer.alloc(32, 7);
    expect((await withKey(key, 'sealed')).join('\n')).not.toContain('注意：');
    expect((await store.findUserByLogin('h1', 'sealed'))?.totpSecret).toMatch(/^v1:/);
    // the hub's secrets are sealed now: another key, or none, makes no one
    await expect(withKey(Buffer.alloc(32, 8), 'other-key')).rejects.toThrow(/別の鍵で暗号化されています.*何も変えていません/s);
    await expect(withKey(null, 'no-key')).rejects.toThrow(/鍵が設定されていません/);
    expect((await store.listUsers('h1')).map((u) => u.loginName)).toEqual(['clear', 'sealed']);
    // the server has one key for every hub: a new hub's first user is checked against the others'
    await run(store, ['create-hub', '--hub', 'h2', '--name', '新しい拠点']);
    const first = async (k: Buffer) => {
      const { command, options } = parseAdminArgs(['create-user', '--hub', 'h2', '--login', 'first', '--name', '最初', '--role', 'admin']);
      await runAdminCommand(store, command, options, { out: () => undefined, readPassword: async () => PASSWORD, secretKey: k });
    };
    await expect(first(Buffer.alloc(32, 8))).rejects.toThrow(/別の鍵で暗号化されています/);
    await first(key);
    expect((await store.listUsers('h2')).map((u) => u.loginName)).toEqual(['first']);
  });

  it('disables a user: their open sessions end at once', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    const lines = await run(store, ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator']);
    const secret = lines.find((l) => l.startsWith('TOTP secret: '))!.slice(13);
    const now = new Date('2026-11-30T12:00:00Z');
    const accounts = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => now });
    const { token } = await accounts.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(secret, now) });
    await accounts.authenticate(token);
    // without --yes it names whom it would stop, and which of their phones would wipe, and stops no one
    const coordId = (await store.findUserByLogin('h1', 'coord'))!.id;
    await store.registerDevice({ id: 'own-phone', userId: coordId, name: '個人の携帯' });
    const said: string[] = [];
    const preview = parseAdminArgs(['disable-user', '--hub', 'h1', '--login', 'coord']);
    await expect(runAdminCommand(store, preview.command, preview.options, { out: (l) => said.push(l), readPassword: async () => PASSWORD })).rejects.toThrow(/まだ停止していません/);
    expect(said).toContain('  端末 own-phone（個人の携帯）：次の同期で未送信の記録を送ってから、データを消去します');
    await accounts.authenticate(token);
    expect((await run(store, ['list-users', '--hub', 'h1']))[0]).toContain('有効');
    await run(store, ['disable-user', '--hub', 'h1', '--login', 'coord', '--yes']);
    await expect(accounts.authenticate(token)).rejects.toMatchObject({ code: 'signed-out' });
    expect((await run(store, ['list-users', '--hub', 'h1']))[0]).toContain('停止中');
    const later = new Date('2026-11-30T12:01:00Z');
    const after = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => later });
    await expect(after.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(secret, later) })).rejects.toThrow();

    // stopped by mistake: enable-user brings them back; they sign in again, the old sign-in stays ended
    expect(await run(store, ['enable-user', '--hub', 'h1', '--login', 'coord'])).toContain(
      '職員 coord を有効に戻しました。本人は、パスワードと認証アプリのコードで、端末からもう一度サインインしてください。すでにデータを消去した端末は、拠点サーバーに参加し直します。',
    );
    expect((await run(store, ['list-users', '--hub', 'h1']))[0]).toContain('有効');
    await expect(accounts.authenticate(token)).rejects.toMatchObject({ code: 'signed-out' });
    expect((await after.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(secret, later) })).info.user.displayName).toBe('夜勤');
    expect(await run(store, ['enable-user', '--hub', 'h1', '--login', 'coord'])).toContain('職員 coord は停止されていません。何も変えていません（監査表にも記録していません）。');
  });

  it('resets a user who lost their authenticator: a new password and TOTP secret; the old ones and their sign-ins end', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    const lines = await run(store, ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator']);
    const oldSecret = lines.find((l) => l.startsWith('TOTP secret: '))!.slice(13);
    const now = new Date('2026-11-30T12:00:00Z');
    const accounts = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => now });
    const { token } = await accounts.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(oldSecret, now) });
    // the authenticator is lost: wrong codes until the login is locked
    for (let i = 0; i < 12; i++) await accounts.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: '000000' }).catch(() => undefined);
    await expect(accounts.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(oldSecret, now) })).rejects.toMatchObject({ code: 'throttled' });

    const NEW_PASSWORD = 'atarashii-pass-2026';
    const reset = await run(store, ['reset-credentials', '--hub', 'h1', '--login', 'coord'], NEW_PASSWORD);
    const newSecret = reset.find((l) => l.startsWith('TOTP secret: '))!.slice(13);
    expect(newSecret).not.toBe(oldSecret);
    expect(reset.find((l) => l.startsWith('otpauth URI: '))).toContain(`secret=${newSecret}`);
    await expect(accounts.authenticate(token)).rejects.toMatchObject({ code: 'signed-out' });
    const later = new Date('2026-11-30T12:01:00Z');
    const after = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => later });
    await expect(after.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(newSecret, later) })).rejects.toThrow();
    const { info } = await after.signIn({ hub: 'h1', loginName: 'coord', password: NEW_PASSWORD, totp: totpCode(newSecret, later) });
    expect(info.user).toMatchObject({ displayName: '夜勤' });
    await expect(run(store, ['reset-credentials', '--hub', 'h1', '--login', 'nobody'], NEW_PASSWORD)).rejects.toThrow('no user "nobody"');
  });

  it('names whose password and TOTP reset-credentials replaces before it asks for the password: a mistyped --login is seen at the prompt', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    await run(store, ['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば']);
    await run(store, ['create-user', '--hub', 'h1', '--login', 'aoba1', '--name', '相談 一郎', '--role', 'case-worker', '--office', 'aoba']);
    for (const stdin of [false, true]) {
      const lines: string[] = [];
      let atPrompt: string[] = [];
      const { command, options } = parseAdminArgs(['reset-credentials', '--hub', 'h1', '--login', 'aoba1', ...(stdin ? ['--password-stdin'] : [])]);
      await runAdminCommand(store, command, options, {
        out: (l) => lines.push(l),
        readPassword: async (fromStdin) => {
          expect(fromStdin).toBe(stdin);
          atPrompt = [...lines];
          return 'atarashii-pass-2026';
        },
      });
      expect(atPrompt.at(-1)).toBe('職員 aoba1（相談 一郎、case-worker、aoba）のパスワードと認証コードを新しくします。');
      expect(lines.some((l) => l.startsWith('TOTP secret: '))).toBe(true);
    }
  });

  it('[audit] each account command writes one account_audit row: action, subject, detail and who, never a password or TOTP secret', async () => {
    const by = (name: string) => ['--by', name];
    const made: string[][] = [];
    const step = async (argv: string[], password = PASSWORD) => {
      const lines = await run(store, argv, password, 'sato');
      made.push(lines);
      return lines;
    };
    await step(['create-hub', '--hub', 'h1', '--name', '拠点']);
    await step(['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば', '--number', '1210000001', '--hub-from', '2024-04-01', ...by('鈴木')]);
    await step(['create-user', '--hub', 'h1', '--login', 'admin', '--name', '管理者', '--role', 'admin']);
    await step(['create-user', '--hub', 'h1', '--login', 'aoba1', '--name', '相談 一郎', '--role', 'case-worker', '--office', 'aoba']);
    const NEW_PASSWORD = 'atarashii-pass-2026';
    await step(['reset-credentials', '--hub', 'h1', '--login', 'aoba1'], NEW_PASSWORD);
    await store.registerDevice({ id: 'phone-1', userId: (await store.findUserByLogin('h1', 'aoba1'))!.id, name: '当番の電話' });
    await step(['move-device', '--hub', 'h1', '--device', 'phone-1', '--login', 'admin', ...by('鈴木')]);
    await step(['revoke-device-user', '--hub', 'h1', '--device', 'phone-1', '--login', 'aoba1']);
    // disable-device names no hub: its row is under the device's
    await step(['disable-device', '--device', 'phone-1', '--yes']);
    // a stopped device never enrols again: handing it over is refused, and leaves no row
    await expect(run(store, ['move-device', '--hub', 'h1', '--device', 'phone-1', '--login', 'admin'], PASSWORD, 'sato')).rejects.toThrow(/停止されているため、移行できません/);
    // stopped by mistake and brought back before it was in touch; stopped again
    await step(['enable-device', '--device', 'phone-1']);
    expect((await store.findDevice('phone-1'))?.disabled).toBe(false);
    await step(['disable-device', '--device', 'phone-1', '--yes']);
    await step(['disable-user', '--hub', 'h1', '--login', 'aoba1', '--yes']);
    // stopped by mistake, brought back, and stopped again: each a row
    await step(['enable-user', '--hub', 'h1', '--login', 'aoba1']);
    await step(['disable-user', '--hub', 'h1', '--login', 'aoba1', '--yes']);

    const rows = await auditRows(raw);
    expect(rows.map((r) => [r.tenant_id, r.action, r.subject, r.detail, r.done_by])).toEqual([
      ['h1', 'create-hub', 'h1', 'name=拠点', 'sato'],
      ['h1', 'create-office', 'aoba', 'name=あおば; number=1210000001; hub-from=2024-04-01', '鈴木 (run by sato)'],
      ['h1', 'create-user', 'admin', 'role=admin; name=管理者', 'sato'],
      ['h1', 'create-user', 'aoba1', 'role=case-worker; name=相談 一郎; office=aoba', 'sato'],
      ['h1', 'reset-credentials', 'aoba1', '', 'sato'],
      ['h1', 'move-device', 'phone-1', 'login=admin', '鈴木 (run by sato)'],
      ['h1', 'revoke-device-user', 'phone-1', 'login=aoba1', 'sato'],
      ['h1', 'disable-device', 'phone-1', '', 'sato'],
      ['h1', 'enable-device', 'phone-1', '', 'sato'],
      ['h1', 'disable-device', 'phone-1', '', 'sato'],
      ['h1', 'disable-user', 'aoba1', '', 'sato'],
      ['h1', 'enable-user', 'aoba1', '', 'sato'],
      ['h1', 'disable-user', 'aoba1', '', 'sato'],
    ]);
    // Each command says so, naming who it recorded.
    for (const [i, lines] of made.entries()) {
      expect(lines.filter((l) => l.includes('監査表 account_audit に記録しました')), `command ${i}`).toEqual([
        `この操作は監査表 account_audit に記録しました（実行者 ${rows[i]!.done_by}）。`,
      ]);
    }
    // What create-user and reset-credentials printed once is in no row, nor the passwords.
    const secrets = made.flatMap((lines) => lines.filter((l) => l.startsWith('TOTP secret: ')).map((l) => l.slice('TOTP secret: '.length)));
    expect(secrets).toHaveLength(3);
    const stored = JSON.stringify(await raw.query('SELECT * FROM account_audit'));
    for (const secret of [...secrets, PASSWORD, NEW_PASSWORD, 'otpauth']) expect(stored).not.toContain(secret);
    // Run again, they change nothing: each says so, and no second row gives the stop a later date.
    const done = await auditRows(raw);
    expect(await run(store, ['revoke-device-user', '--hub', 'h1', '--device', 'phone-1', '--login', 'aoba1'], PASSWORD, 'sato')).toContain(
      '端末 phone-1 での aoba1 のサインインはすでに取り消されています。何も変えていません（監査表にも記録していません）。',
    );
    expect(await run(store, ['disable-device', '--device', 'phone-1', '--yes'], PASSWORD, 'sato')).toContain(
      '端末 phone-1 はすでに停止しています。何も変えていません（監査表にも記録していません）。',
    );
    expect(await run(store, ['disable-user', '--hub', 'h1', '--login', 'aoba1', '--yes'], PASSWORD, 'sato')).toContain(
      '職員 aoba1 はすでに停止しています。何も変えていません（監査表にも記録していません）。',
    );
    expect(await auditRows(raw)).toEqual(done);
    // Without --by and without an OS user the row still names someone.
    await run(store, ['create-office', '--hub', 'h1', '--office', 'kaede', '--name', 'かえで']);
    expect((await auditRows(raw)).at(-1)).toMatchObject({ action: 'create-office', subject: 'kaede', done_by: 'unknown' });
  });

  it('[audit] a refused command writes no audit row, and a change whose row cannot be written is not made', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点'], PASSWORD, 'sato');
    await run(store, ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator'], PASSWORD, 'sato');
    const coord = (await store.findUserByLogin('h1', 'coord'))!;
    await store.registerDevice({ id: 'phone-1', userId: coord.id });
    const before = await auditRows(raw);
    expect(before.map((r) => r.action)).toEqual(['create-hub', 'create-user']);

    const refused: [string[], RegExp, string?][] = [
      [['disable-user', '--hub', 'h1', '--login', 'coord'], /まだ停止していません/],
      [['disable-device', '--device', 'phone-1'], /まだ停止していません/],
      [['disable-user', '--hub', 'h1', '--login', 'nobody', '--yes'], /no user "nobody"/],
      [['reset-credentials', '--hub', 'h1', '--login', 'nobody'], /no user "nobody"/],
      [['reset-credentials', '--hub', 'h1', '--login', 'coord'], /at least 10/, 'short'],
      [['disable-device', '--device', 'phone-9', '--yes'], /not found/],
      [['move-device', '--hub', 'h1', '--device', 'phone-9', '--login', 'coord'], /not found/],
      [['revoke-device-user', '--hub', 'h1', '--device', 'phone-9', '--login', 'coord'], /not found/],
      [['create-hub', '--hub', 'h1', '--name', '同じID'], /already exists/],
      [['create-user', '--hub', 'h1', '--login', 'coord', '--name', '二人目', '--role', 'coordinator'], /already exists/],
      [['create-user', '--hub', 'h1', '--login', 'cw', '--name', 'w', '--role', 'case-worker', '--office', 'nowhere'], /not found/],
    ];
    for (const [argv, error, password] of refused) await expect(run(store, [...argv, '--by', '鈴木'], password ?? PASSWORD, 'sato'), argv.join(' ')).rejects.toThrow(error);
    expect(await auditRows(raw)).toEqual(before);

    // The row is written in the change's transaction: when it cannot be, nothing changes.
    await raw.query(`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$;
                     CREATE TRIGGER refuse_audit BEFORE INSERT ON account_audit FOR EACH ROW EXECUTE FUNCTION refuse_audit()`);
    await expect(run(store, ['disable-user', '--hub', 'h1', '--login', 'coord', '--yes'], PASSWORD, 'sato')).rejects.toThrow('audit refused');
    await expect(run(store, ['disable-device', '--device', 'phone-1', '--yes'], PASSWORD, 'sato')).rejects.toThrow('audit refused');
    await expect(run(store, ['create-user', '--hub', 'h1', '--login', 'later', '--name', '後', '--role', 'coordinator'], PASSWORD, 'sato')).rejects.toThrow('audit refused');
    await expect(run(store, ['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば'], PASSWORD, 'sato')).rejects.toThrow('audit refused');
    await expect(run(store, ['move-device', '--hub', 'h1', '--device', 'phone-1', '--login', 'coord'], PASSWORD, 'sato')).rejects.toThrow('audit refused');
    expect(await run(store, ['list-users', '--hub', 'h1'])).toEqual(['coord\tcoordinator\t夜勤\t-\t-\t有効']);
    expect(await store.findDevice('phone-1')).toMatchObject({ disabled: false });
    expect((await raw.query('SELECT handover_to FROM devices')).rows).toEqual([{ handover_to: null }]);
    expect((await raw.query('SELECT id FROM offices')).rows).toEqual([]);
  });

  it('[R4] lists what names a household, refuses to withdraw one a case or a trial stay names, and withdraws one nothing names', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    await run(store, ['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば']);
    let version = 100;
    const put = <R extends { readonly id: string }>(kind: string, record: R) =>
      raw.query(
        `INSERT INTO records (tenant_id, kind, entity_id, version, office_id, payload_json, updated_by, received_at)
         VALUES ('h1', $1, $2, $3, 'aoba', $4, NULL, now())`,
        [kind, record.id, (version += 1), JSON.stringify(record)],
      );
    const withdrawn = async (id: string) => (await raw.query(`SELECT withdrawn FROM records WHERE kind = 'household' AND entity_id = $1`, [id])).rows;
    const withdraw = (id: string) => run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'household', '--id', id, '--reason', '重複', '--yes']);
    const named = createHousehold({ id: 'hh-case' });
    const stayed = createHousehold({ id: 'hh-stay' });
    const nobodys = createHousehold({ id: 'hh-none' });
    for (const h of [named, stayed, nobodys]) await put('household', h);
    // a case opened for someone else, then linked to hh-case: its subject as it stands names it
    const subject = { ...subjectYota, householdId: named.id, personId: named.persons[0]!.id };
    const entries = await appendEntries([], [openBody({ subject: { ...subject, householdId: null, personId: null }, requestedAt: '2026-11-30T14:50:00.000Z' }), { type: 'link', subject }], 'case-7');
    for (const e of entries) await put('case-entry', e);
    await put('trial-stay', createTrialStay({ id: 'ts-1', householdId: stayed.id, from: '2026-05-10', to: '2026-05-11' }));

    await put('month-close', { id: 'mc-1', officeId: 'aoba', month: '2026-11', body: { type: 'close', cases: [{ caseId: 'case-7' }] } });
    await expect(withdraw(named.id)).rejects.toThrow(/この世帯は取り下げられません。緊急対応の記録 1件（case-7）がこの世帯を指しています/);
    await expect(withdraw(stayed.id)).rejects.toThrow(/体験利用 1件.*先に取り下げてください: npm run admin -- withdraw-record --hub h1 --kind trial-stay --id 'ts-1'/);
    expect(await withdrawn(named.id)).toEqual([{ withdrawn: false }]);
    expect(await withdrawn(stayed.id)).toEqual([{ withdrawn: false }]);
    expect((await raw.query('SELECT count(*)::int AS n FROM admin_audit')).rows).toEqual([{ n: 0 }]);

    // without --yes: the case with the day it was opened, the trial stay with its days and its command
    const lines: string[] = [];
    const preview = async (id: string) => {
      lines.length = 0;
      const { command, options } = parseAdminArgs(['withdraw-record', '--hub', 'h1', '--kind', 'household', '--id', id, '--reason', '重複']);
      await expect(runAdminCommand(store, command, options, { out: (l) => lines.push(l), readPassword: async () => PASSWORD })).rejects.toThrow(/まだ取り下げていません/);
      return lines.join('\n');
    };
    expect(await preview(named.id)).toMatch(/緊急対応の記録 "case-7"（受付 2026-11-30T23:50:00\+09:00）\n  請求済みの記録 "mc-1"（2026-11分、上の対応を含む）[\s\S]*--yes を付けても取り下げられません/);
    expect(await preview(stayed.id)).toMatch(/体験利用 "ts-1"（2026-05-10〜2026-05-11）：先に取り下げるには npm run admin -- withdraw-record --hub h1 --kind trial-stay --id 'ts-1'/);
    expect(await preview(nobodys.id)).toMatch(/この世帯を指している体験利用・緊急対応の記録・請求済みの記録はありません/);

    // once its trial stay is withdrawn, the household goes; one nothing names goes at once
    await run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'trial-stay', '--id', 'ts-1', '--reason', '重複', '--yes']);
    await withdraw(stayed.id);
    await withdraw(nobodys.id);
    expect(await withdrawn(stayed.id)).toEqual([{ withdrawn: true }]);
    expect(await withdrawn(nobodys.id)).toEqual([{ withdrawn: true }]);
    expect(await withdrawn(named.id)).toEqual([{ withdrawn: false }]);
  });

  it('[R4] refuses to withdraw an office a user (or a case, a 請求済み, a household) names, and says to end its 拠点 period', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    await run(store, ['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば']);
    await run(store, ['create-user', '--hub', 'h1', '--login', 'cw1', '--name', '相談 一郎', '--role', 'case-worker', '--office', 'aoba']);
    await expect(run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'office', '--id', 'aoba', '--reason', '廃止', '--yes'])).rejects.toThrow(
      /取り下げられません（有効な職員 1件がこの事業所を指しています）.*拠点の期間に終了日/,
    );
    expect((await raw.query(`SELECT withdrawn FROM records WHERE kind = 'office' AND entity_id = 'aoba'`)).rows).toEqual([{ withdrawn: false }]);
    expect((await raw.query('SELECT count(*)::int AS n FROM admin_audit')).rows).toEqual([{ n: 0 }]);
    // nor while a case claimed under it is held under another office (a household of みどり's)
    await run(store, ['disable-user', '--hub', 'h1', '--login', 'cw1', '--yes']);
    await run(store, ['create-office', '--hub', 'h1', '--office', 'midori', '--name', 'みどり']);
    const author = (await raw.query<{ id: string }>(`SELECT id FROM users WHERE login_name = 'cw1'`)).rows[0]!.id;
    await raw.query(
      `INSERT INTO records (tenant_id, kind, entity_id, version, office_id, payload_json, updated_by, received_at)
       VALUES ('h1', 'case-entry', 'e-1', (SELECT coalesce(max(version), 0) + 1000 FROM records), 'midori', $1, $2, now())`,
      [JSON.stringify({ id: 'e-1', caseId: 'case-1', body: { type: 'open', officeId: 'aoba' } }), author],
    );
    await expect(run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'office', '--id', 'aoba', '--reason', '廃止', '--yes'])).rejects.toThrow(/対応記録のエントリ 1件/);
    await raw.query(`DELETE FROM records WHERE kind = 'case-entry'`);
    // once nobody and nothing names it, it goes
    await run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'office', '--id', 'aoba', '--reason', '試験の事業所', '--yes']);
    expect((await raw.query(`SELECT withdrawn FROM records WHERE kind = 'office' AND entity_id = 'aoba'`)).rows).toEqual([{ withdrawn: true }]);
  });

  it('[audit] list-audit prints the account changes and the withdrawals, newest first, in Japan time', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点'], PASSWORD, 'sato');
    await run(store, ['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば'], PASSWORD, 'sato');
    // a display name typed with a terminal escape in it
    await run(store, ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤\u001b[2J', '--role', 'coordinator'], PASSWORD, 'sato');
    await run(store, ['withdraw-record', '--hub', 'h1', '--kind', 'office', '--id', 'aoba', '--reason', '試験の事業所', '--yes', '--by', '鈴木'], PASSWORD, 'sato');
    await run(store, ['disable-user', '--hub', 'h1', '--login', 'coord', '--yes', '--by', '鈴木'], PASSWORD, 'sato');

    const listed = await run(store, ['list-audit', '--hub', 'h1']);
    const times = (await raw.query<{ done_at: Date }>('SELECT done_at FROM account_audit UNION ALL SELECT done_at FROM admin_audit ORDER BY done_at DESC')).rows.map((r) =>
      inJapan(r.done_at),
    );
    expect(listed).toEqual([
      `${times[0]}\tdisable-user\tcoord\t-\t鈴木 (run by sato)`,
      `${times[1]}\twithdraw-record\toffice "aoba"\tversion 1 → 2; reason: 試験の事業所\t鈴木 (run by sato)`,
      `${times[2]}\tcreate-user\tcoord\trole=coordinator; name=夜勤\\x1b[2J\tsato`,
      `${times[3]}\tcreate-office\taoba\tname=あおば\tsato`,
      `${times[4]}\tcreate-hub\th1\tname=拠点\tsato`,
    ]);
    expect(await run(store, ['list-audit', '--hub', 'h1', '--limit', '2'])).toEqual(listed.slice(0, 2));
    // what a restore compares, in time order: the withdrawal too, with the command that makes it again
    const compared = await store.listAccountChanges();
    expect(compared.map((c) => c.action)).toEqual(['create-hub', 'create-office', 'create-user', 'withdraw-record', 'disable-user']);
    expect(commandAgain(compared[3]!)).toBe("withdraw-record --hub h1 --kind office --id aoba --reason '試験の事業所' --yes");
    // A hub made before migration 22 (no create-hub row) has nothing to list, and says so.
    await store.createTenant({ id: 'h-old', name: '前からの拠点' });
    expect(await run(store, ['list-audit', '--hub', 'h-old'])).toEqual(['拠点 h-old の監査記録はありません。']);
    expect(() => parseAdminArgs(['list-audit', '--hub', 'h1', '--limit', '0'])).toThrow(/--limit/);
  });
});

// A process of its own over DATABASE_URL or KYOTEN_DATA_DIR: no schema of the file's (beforeEach above).
describe('npm run admin, as a command', () => {
  it('runs as a command over DATABASE_URL, reading the password from stdin', async () => {
    const schema = `kyoten_admin_${process.pid}`;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    const env = { DATABASE_URL: `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
    try {
      expect(await cli(['create-hub', '--hub', 'h1', '--name', '拠点'], env)).toMatchObject({ code: 0 });
      const made = await cli(['create-user', '--hub', 'h1', '--login', 'admin', '--name', '管理者', '--role', 'admin', '--password-stdin'], env, `${PASSWORD}\n`);
      expect(made.code).toBe(0);
      expect(made.out).toMatch(/TOTP secret: [A-Z2-7]{32}/);
      const hash = await admin.query<{ password_hash: string }>(`SELECT password_hash FROM ${schema}.users WHERE login_name = 'admin'`);
      expect(hash.rows[0]!.password_hash).toMatch(/^\$argon2id\$/);
      // [audit] Without --by, the rows name the OS user the command ran as.
      expect((await admin.query(`SELECT action, done_by FROM ${schema}.account_audit ORDER BY id`)).rows).toEqual([
        { action: 'create-hub', done_by: osUserName() ?? 'unknown' },
        { action: 'create-user', done_by: osUserName() ?? 'unknown' },
      ]);
      const bad = await cli(['create-user', '--hub', 'h1'], env);
      expect(bad.code).toBe(2);
      expect(bad.err).toContain('--login');
      // A mistyped hub is named as unknown and fails, instead of listing an empty hub with success.
      // An office of another hub is not this hub's user's office.
      expect(await cli(['create-office', '--hub', 'h1', '--office', 'aoba', '--name', 'あおば'], env)).toMatchObject({ code: 0 });
      expect(await cli(['create-hub', '--hub', 'h3', '--name', '別の拠点'], env)).toMatchObject({ code: 0 });
      const elsewhere = await cli(['create-user', '--hub', 'h3', '--login', 'cw1', '--name', '相談 一郎', '--role', 'case-worker', '--office', 'aoba', '--password-stdin'], env, `${PASSWORD}\n`);
      expect(elsewhere.code).toBe(1);
      expect(elsewhere.err).toContain('no office aoba in hub h3');
      const typo = await cli(['list-users', '--hub', 'h2'], env);
      expect(typo.code).toBe(1);
      expect(typo.err).toContain('no hub "h2"');
      expect(typo.out).not.toContain('職員はいません');
      // each command names the database it acts on first
      expect(typo.err).toContain(`対象のデータベース / database: PostgreSQL database`);
      expect(typo.err).not.toContain('新しい空の内蔵データベース');

      // Ctrl+C at the password prompt (a terminal: script gives it one) ends the command with 130,
      // makes no one, and nothing typed after it shows on the screen
      const typed = await onTerminal(['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator'], env, 'パスワード: ', 'abc\u0003himitsu-xyz\r');
      expect(typed.code).toBe(130);
      expect(typed.out).toContain('中断しました');
      expect(typed.out).not.toContain('himitsu');
      expect((await admin.query(`SELECT login_name FROM ${schema}.users ORDER BY login_name`)).rows).toEqual([{ login_name: 'admin' }]);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('says clearly that the server must be stopped when it holds the embedded store', async () => {
    // Run where no database is (a root shell without the service's DATABASE_URL): it says it made an empty one.
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-admin-'));
    dirs.push(dataDir);
    const fresh = await cli(['list-users', '--hub', 'h1'], { KYOTEN_DATA_DIR: dataDir });
    expect(fresh.err).toContain(`対象のデータベース / database: embedded PostgreSQL in ${dataDir}`);
    expect(fresh.err).toContain('新しい空の内蔵データベースを作りました');
    expect(fresh.err).toContain('kyoten-admin.sh');
    // The server started on that database (one initdb for the test, not two) holds it: the command says to stop it.
    const running = await openEmbeddedStore({ dataDir });
    try {
      const answer = await cli(['list-users', '--hub', 'h1'], { KYOTEN_DATA_DIR: dataDir });
      expect(answer.code).toBe(1);
      expect(answer.err).toContain('拠点サーバーが内蔵データベースを使っています');
      expect(answer.err).toContain('The hub server is running');
      expect(answer.err).toContain('Stop the server');
      expect(answer.err).not.toContain('新しい空の内蔵データベース');
    } finally {
      await running.close();
    }
  });
});

describe('npm run admin -- backup / restore over DATABASE_URL [S15]', () => {
  /** One query on a connection of its own, closed before the next command runs. */
  async function query<T extends pg.QueryResultRow>(connectionString: string, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('backs up without overwriting, restores only with --yes and an existing file, and the restored database has a new epoch', async () => {
    // A database of its own: pg_restore --clean replaces every table in it.
    const database = `kyoten_backupcli_${process.pid}_${Date.now().toString(36)}`;
    const own = new URL(url);
    own.pathname = `/${database}`;
    const env = { DATABASE_URL: own.toString() };
    const hubs = async () => (await query<{ id: string }>(env.DATABASE_URL, 'SELECT id FROM tenants ORDER BY id')).map((r) => r.id);
    const epoch = async () => (await query<{ epoch: string }>(env.DATABASE_URL, 'SELECT epoch FROM hub_epoch'))[0]!.epoch;
    const admin = new pg.Pool({ connectionString: url, max: 1 });
    await admin.query(`CREATE DATABASE ${database}`);
    const dir = mkdtempSync(join(tmpdir(), 'kyoten-backup-cli-'));
    dirs.push(dir);
    const file = join(dir, 'nightly.dump');
    try {
      expect(await cli(['create-hub', '--hub', 'hub-early', '--name', 'バックアップ前の拠点'], env)).toMatchObject({ code: 0 });
      const epochBefore = await epoch();

      const backup = await cli(['backup', '--file', file], env);
      expect(backup.code, backup.err).toBe(0);
      expect(backup.out).toContain(`backed up the database to ${file}`);
      expect(existsSync(file)).toBe(true);
      // the whole hub's health data: its owner's alone, whatever the umask
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = readFileSync(file);

      // Written after the backup: the restore must take it away.
      expect(await cli(['create-hub', '--hub', 'hub-late', '--name', 'バックアップ後の拠点'], env)).toMatchObject({ code: 0 });
      expect(await hubs()).toEqual(['hub-early', 'hub-late']);

      // Had this overwritten the file, the dump would hold hub-late and the restore below would keep it.
      const again = await cli(['backup', '--file', file], env);
      expect(again.code).toBe(1);
      expect(again.err).toContain(`${file} exists already: a backup never overwrites another`);
      expect(readFileSync(file).equals(written)).toBe(true);

      // Without --yes the arguments are refused before anything is opened: no question on a
      // terminal, so a child without one ends at once instead of waiting.
      const unconfirmed = await cli(['restore', '--file', file], env);
      expect(unconfirmed.code).toBe(2);
      expect(unconfirmed.err).toContain('--yes: a restore replaces the database: add --yes once every hub server is stopped');
      expect(unconfirmed.err).toContain(`The database a restore would replace: PostgreSQL database "${database}" on ${own.host} (DATABASE_URL)`);
      expect(await hubs()).toEqual(['hub-early', 'hub-late']);
      expect(await epoch()).toBe(epochBefore);

      const missingFile = join(dir, 'no-such.dump');
      const missing = await cli(['restore', '--file', missingFile, '--yes'], env);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain(`no backup at ${missingFile}`);
      expect(await hubs()).toEqual(['hub-early', 'hub-late']);
      expect(await epoch()).toBe(epochBefore);

      // A hub server still connected would take pushes the new epoch's floor then counts as restored.
      // (its URL naming its connections: the hub's name stays in front)
      const running = await openPostgresStore({ connectionString: `${env.DATABASE_URL}?application_name=kyoten-prod` });
      try {
        await running.health();
        const refused = await cli(['restore', '--file', file, '--yes'], env);
        expect(refused.code).toBe(1);
        expect(refused.err).toContain('connection(s) of hub servers are still open on this database');
        expect(refused.err).toContain('すべての拠点サーバーを止めてから');
        expect(await hubs()).toEqual(['hub-early', 'hub-late']);
        expect(await epoch()).toBe(epochBefore);
      } finally {
        await running.close();
      }

      // A file that is no backup: refused, and the database is as it was (not emptied, not half restored).
      const notADump = join(dir, 'notes.txt');
      writeFileSync(notADump, 'これはバックアップではありません\n');
      const wrong = await cli(['restore', '--file', notADump, '--yes'], env);
      expect(wrong.code).toBe(1);
      expect(wrong.err).toContain('復元できませんでした。データベースは元のままです');
      expect(await hubs()).toEqual(['hub-early', 'hub-late']);
      expect(await epoch()).toBe(epochBefore);

      // Without the copy of what it replaces, nothing is replaced.
      const noCopy = await cli(['restore', '--file', file, '--yes'], { ...env, PG_DUMP: 'false' });
      expect(noCopy.code).toBe(1);
      expect(noCopy.err).toContain('保存できなかったため、復元していません');
      expect(await hubs()).toEqual(['hub-early', 'hub-late']);

      // A later migration's table that refers to the hubs (as 21's record_departures does): the
      // backup taken before the upgrade must still restore, the documented way back.
      await query(env.DATABASE_URL, 'CREATE TABLE later_migration (tenant_id text NOT NULL REFERENCES tenants (id))');
      await query(env.DATABASE_URL, "INSERT INTO later_migration VALUES ('hub-late')");
      const asides = () => readdirSync(dir).filter((f) => f.startsWith('before-restore-'));
      expect(asides()).toHaveLength(1); // the refused file's try kept one too, before it was refused

      const restore = await cli(['restore', '--file', file, '--yes'], env);
      expect(restore.code, restore.err).toBe(0);
      const epochAfter = await epoch();
      expect(epochAfter).not.toBe(epochBefore);
      expect(restore.out).toContain(`restored ${file}; the database's new epoch is ${epochAfter}`);
      expect(await hubs()).toEqual(['hub-early']);
      expect(await query(env.DATABASE_URL, "SELECT to_regclass('later_migration') IS NULL AS gone")).toEqual([{ gone: true }]);
      // What it replaced is kept beside the backup, its owner's alone: hub-late is in it.
      const kept = asides().map((f) => join(dir, f)).find((f) => restore.out.includes(f));
      expect(kept).toBeDefined();
      expect(statSync(kept!).mode & 0o777).toBe(0o600);
      expect(execFileSync('pg_restore', ['--data-only', '--table=tenants', '--file=-', kept!], { encoding: 'utf8' })).toContain('hub-late');
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  }, 300_000); // a dozen CLI processes, each starting tsx, and four dumps and restores: 120 s ran out on a machine at load 20
});
