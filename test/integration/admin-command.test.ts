/**
 * `npm run admin`: the first hub, office and admin, the account commands, the clear message
 * when the embedded store is held by a running server, and backup and restore as an operator
 * types them over DATABASE_URL (docs/hub-server.md, "Backups that restore").
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAdminArgs, runAdminCommand } from '../../src/server/admin-commands';
import { openEmbeddedStore } from '../../src/server/db/embedded-store';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { Store } from '../../src/server/db/store';
import { createAccounts } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
const dirs: string[] = [];
afterAll(async () => {
  await target.dropAll();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PASSWORD = 'yoru-no-denwa-2026';

async function run(store: Store, argv: string[], password = PASSWORD): Promise<string[]> {
  const lines: string[] = [];
  const { command, options } = parseAdminArgs(argv);
  await runAdminCommand(store, command, options, { out: (l) => lines.push(l), readPassword: async () => password });
  return lines;
}

function cli(args: string[], env: Record<string, string>, stdin = ''): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(resolve('node_modules/.bin/tsx'), ['src/server/admin.ts', ...args], {
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

describe('npm run admin', () => {
  let store: Store;
  beforeEach(async () => {
    ({ store } = await target.fresh());
    await store.migrate();
    return () => store.close();
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

  it('disables a user: their open sessions end at once', async () => {
    await run(store, ['create-hub', '--hub', 'h1', '--name', '拠点']);
    const lines = await run(store, ['create-user', '--hub', 'h1', '--login', 'coord', '--name', '夜勤', '--role', 'coordinator']);
    const secret = lines.find((l) => l.startsWith('TOTP secret: '))!.slice(13);
    const now = new Date('2026-11-30T12:00:00Z');
    const accounts = createAccounts(store, { idleMinutes: 30, maxHours: 12, now: () => now });
    const { token } = await accounts.signIn({ hub: 'h1', loginName: 'coord', password: PASSWORD, totp: totpCode(secret, now) });
    await accounts.authenticate(token);
    // without --yes it names whom it would stop, and stops no one
    await expect(run(store, ['disable-user', '--hub', 'h1', '--login', 'coord'])).rejects.toThrow(/まだ停止していません/);
    await accounts.authenticate(token);
    expect((await run(store, ['list-users', '--hub', 'h1']))[0]).toContain('有効');
    await run(store, ['disable-user', '--hub', 'h1', '--login', 'coord', '--yes']);
    await expect(accounts.authenticate(token)).rejects.toMatchObject({ code: 'signed-out' });
    expect((await run(store, ['list-users', '--hub', 'h1']))[0]).toContain('停止中');
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
      expect(typo.out).not.toContain('利用者はいません');
      // each command names the database it acts on first
      expect(typo.err).toContain(`対象のデータベース / database: PostgreSQL database`);
      expect(typo.err).not.toContain('新しい空の内蔵データベース');
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('says clearly that the server must be stopped when it holds the embedded store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-admin-'));
    dirs.push(dataDir);
    const running = await openEmbeddedStore({ dataDir });
    try {
      const answer = await cli(['list-users', '--hub', 'h1'], { KYOTEN_DATA_DIR: dataDir });
      expect(answer.code).toBe(1);
      expect(answer.err).toContain('拠点サーバーが内蔵データベースを使っています');
      expect(answer.err).toContain('The hub server is running');
      expect(answer.err).toContain('Stop the server');
    } finally {
      await running.close();
    }
    // Run where no database is (a root shell without the service's DATABASE_URL): it says it made an empty one.
    const elsewhere = mkdtempSync(join(tmpdir(), 'kyoten-admin-fresh-'));
    dirs.push(elsewhere);
    const fresh = await cli(['list-users', '--hub', 'h1'], { KYOTEN_DATA_DIR: elsewhere });
    expect(fresh.err).toContain(`対象のデータベース / database: embedded PostgreSQL in ${elsewhere}`);
    expect(fresh.err).toContain('新しい空の内蔵データベースを作りました');
    expect(fresh.err).toContain('kyoten-admin.sh');
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
  });
});
