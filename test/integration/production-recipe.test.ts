/**
 * The production recipe of docs/hub-server.md, file by file (issue 16 point 6): the systemd units
 * pass `systemd-analyze verify` (where systemd is installed) and start what exists in this repo;
 * every environment variable the server reads is in the documented table; the backup job writes a
 * pg_dump a restore can read, prunes old ones and says what to do when it cannot write its folder;
 * the admin script runs a command as the service's user with the service's environment file. The
 * nginx file is checked by reverse-proxy.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { firstAdminHint, parseAdminArgs } from '../../src/server/admin-commands';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import { StoreError } from '../../src/server/db/store';
import { CONFIGURATION_EXIT_CODE, exitCodeFor } from '../../src/server/exit-code';

const root = resolve(import.meta.dirname, '../..');
const docs = (name: string) => join(root, 'docs', name);
const hubServerMd = readFileSync(docs('hub-server.md'), 'utf8');
const UNITS = ['kyoten-navi.service', 'kyoten-navi-backup.service', 'kyoten-navi-backup.timer'];
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** `Key=value` lines of a unit file, by section. */
function unitFile(name: string): Map<string, Map<string, string[]>> {
  const sections = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const raw of readFileSync(docs(name), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      current = new Map();
      sections.set(header[1]!, current);
      continue;
    }
    const pair = /^([A-Za-z]+)=(.*)$/.exec(line);
    expect(pair, `${name}: "${line}"`).not.toBeNull();
    expect(current, `${name}: a key before any section`).toBeDefined();
    current!.set(pair![1]!, [...(current!.get(pair![1]!) ?? []), pair![2]!]);
  }
  return sections;
}

/** Every environment variable the server's code reads (src/server, tests left out). */
function variablesRead(): Set<string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9_]+)/g)) names.add(m[1]!);
        // The typed environments (StoreEnv, AccountsEnv...) list what they read as readonly fields.
        for (const m of text.matchAll(/readonly ([A-Z][A-Z0-9_]+)\?: string/g)) names.add(m[1]!);
      }
    }
  };
  walk(join(root, 'src/server'));
  // The OS user's name, for the audit table's "who" (admin.ts): not a setting.
  names.delete('USER');
  names.delete('USERNAME');
  return names;
}

/** A fresh database of its own, migrated, for `use`; dropped afterwards whatever happens. */
async function withHubDatabase(prefix: string, use: (url: string) => Promise<void>): Promise<void> {
  const admin = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const database = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const pool = new pg.Pool({ connectionString: admin, max: 1 });
  await pool.query(`CREATE DATABASE ${database}`);
  try {
    const store = await openPostgresStore({ connectionString: url.toString() });
    await store.migrate();
    await store.close();
    await use(url.toString());
  } finally {
    await pool.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await pool.end();
  }
}

describe('production recipe', () => {
  const hasSystemd = spawnSync('systemd-analyze', ['--version']).status === 0;

  it.each(UNITS)('%s is a unit systemd accepts, running what this repo holds', (name) => {
    const unit = unitFile(name);
    expect(unit.get('Unit')?.get('Description')?.[0]).toMatch(/拠点ナビ/);
    const service = unit.get('Service');
    if (service !== undefined) {
      expect(service.get('User')).toEqual(['kyoten']);
      expect(service.get('EnvironmentFile')).toEqual(['/etc/kyoten-navi/env']);
      const exec = service.get('ExecStart')![0]!;
      // What it runs, relative to the install directory, exists here.
      const script = exec.split(' ').find((part) => /^(src|docs)\//.test(part) || part.startsWith('/opt/kyoten-navi/'))!;
      expect(existsSync(join(root, script.replace('/opt/kyoten-navi/', ''))), exec).toBe(true);
    }
    if (name === 'kyoten-navi.service') {
      // A start that fails is tried again for ever (a database not up yet), but a hub that exits on
      // its configuration (schema-too-new, a signing key mismatch) is not (the recipe's step 3).
      expect(unit.get('Unit')?.get('StartLimitIntervalSec')).toEqual(['0']);
      expect(service?.get('Restart')).toEqual(['on-failure']);
      expect(service?.get('RestartPreventExitStatus')).toEqual([String(CONFIGURATION_EXIT_CODE)]);
      expect(exitCodeFor(new StoreError('schema-too-new', 'newer'))).toBe(CONFIGURATION_EXIT_CODE);
      expect(exitCodeFor(new Error('connect ECONNREFUSED 127.0.0.1:5432'))).toBe(1);
      expect(hubServerMd).toContain('RestartPreventExitStatus=78');
    }
    // In CI the units are always verified, never only read (the machine has systemd's tools).
    if (!hasSystemd && process.env['CI'] !== undefined) throw new Error('systemd-analyze is missing: the units cannot be verified');
    if (hasSystemd) {
      // verify reads the unit beside its siblings (the timer names its service).
      const dir = mkdtempSync(join(tmpdir(), 'kyoten-units-'));
      made.push(dir);
      for (const u of UNITS) writeFileSync(join(dir, u), readFileSync(docs(u)));
      const result = spawnSync('systemd-analyze', ['verify', join(dir, name)], { encoding: 'utf8' });
      // An unknown key is only a warning: any output at all fails the check.
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    }
  });

  it('every environment variable the server reads is in the documented table', () => {
    const table = hubServerMd.slice(hubServerMd.indexOf('### Environment variables'));
    const documented = new Set([...table.slice(0, table.indexOf('\n## ')).matchAll(/^\| `([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]!));
    const read = variablesRead();
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !documented.has(name)).sort()).toEqual([]);
    // and the table names nothing the server ignores (NODE_ENV is read by the build, KYOTEN_BACKUP_* by the job, KYOTEN_ENV_FILE and KYOTEN_USER by the admin script)
    const extra = [...documented].filter((name) => !read.has(name) && !['NODE_ENV', 'KYOTEN_BACKUP_DIR', 'KYOTEN_BACKUP_DAYS', 'KYOTEN_APP_DIR', 'KYOTEN_ENV_FILE', 'KYOTEN_USER'].includes(name));
    expect(extra).toEqual([]);
    // The service's own Environment= line sets only documented variables.
    for (const line of unitFile('kyoten-navi.service').get('Service')!.get('Environment')!) {
      for (const pair of line.split(' ')) expect(documented.has(pair.split('=')[0]!), pair).toBe(true);
    }
  });

  it('the backup job writes a dump pg_restore can read and removes the ones past their days, never the newest 35', async () => {
    await withHubDatabase('kyoten_backupjob', async (url) => {
      const store = await openPostgresStore({ connectionString: url });
      await store.createTenant({ id: 'hub-job', name: 'バックアップ拠点' });
      await store.close();
      const dir = mkdtempSync(join(tmpdir(), 'kyoten-backups-'));
      made.push(dir);
      // 40 nights of dumps that all look old to the clock (one jumped forward, say): by their ages
      // alone every one would go. The 34 newest of them are kept beside tonight's (35 in all).
      const farPast = new Date('2001-01-01T00:00:00Z');
      const nights = Array.from({ length: 40 }, (_, i) => `kyoten-${new Date(Date.UTC(2020, 0, 1 + i)).toISOString().slice(0, 10).replaceAll('-', '')}T031500Z.dump`);
      for (const name of nights) {
        writeFileSync(join(dir, name), 'old');
        utimesSync(join(dir, name), farPast, farPast);
      }
      // Beyond the newest 35 but young: kept (only a dump past both the count and the days goes).
      const young = 'kyoten-20191231T031500Z.dump';
      writeFileSync(join(dir, young), 'young');
      const out = execFileSync('sh', [docs('kyoten-backup.sh')], {
        // KYOTEN_BACKUP_DAYS left out: its default, 35, as the unit sets it.
        env: { ...process.env, DATABASE_URL: url, KYOTEN_BACKUP_DIR: dir, KYOTEN_BACKUP_DAYS: undefined, KYOTEN_APP_DIR: root },
        encoding: 'utf8',
      });
      const dumps = readdirSync(dir).sort();
      const tonight = dumps.at(-1)!;
      expect(tonight).toMatch(/^kyoten-\d{8}T\d{6}Z\.dump$/);
      expect(out).toContain(`backup written: ${join(dir, tonight)}`);
      expect(dumps).toEqual([young, ...nights.slice(6), tonight]);
      // pg_restore lists what the dump holds: the hub's tables, the epoch among them.
      const listing = execFileSync('pg_restore', ['--list', join(dir, tonight)], { encoding: 'utf8' });
      expect(listing).toMatch(/TABLE DATA \S+ hub_epoch/);
      expect(listing).toMatch(/TABLE DATA \S+ evidence/);
    });
  });

  it('the backup job says what to do when it cannot write its folder, and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyoten-backups-'));
    made.push(dir);
    const blocked = join(dir, 'a-file');
    writeFileSync(blocked, '');
    const result = spawnSync('sh', [docs('kyoten-backup.sh')], {
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', KYOTEN_BACKUP_DIR: join(blocked, 'backups'), KYOTEN_APP_DIR: root },
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`cannot write backups into ${join(blocked, 'backups')}`);
    expect(result.stderr).toContain('install -d -o kyoten -g kyoten -m 0700');
    // and the unit makes the folder for kyoten before the job runs
    expect(unitFile('kyoten-navi-backup.service').get('Service')!.get('ExecStartPre')).toEqual([
      '+/usr/bin/install -d -o kyoten -g kyoten -m 0700 /var/backups/kyoten-navi',
    ]);
  });

  it('the start-up hint names the admin script the recipe gives when DATABASE_URL is set, npm run admin otherwise', () => {
    const script = 'sudo sh /opt/kyoten-navi/docs/kyoten-admin.sh';
    expect(readFileSync(join(root, 'docs/guide/hub-admin.md'), 'utf8')).toContain(script);
    const commands = (hint: string, prefix: string) =>
      hint.split('\n').filter((line) => line.trimStart().startsWith(prefix)).map((line) => line.trimStart().slice(prefix.length + 1));
    const production = firstAdminHint({ DATABASE_URL: 'postgres://kyoten@/kyoten?host=/run/postgresql' });
    expect(production).not.toContain('npm run admin');
    const tried = firstAdminHint({});
    expect(tried).not.toContain('kyoten-admin.sh');
    for (const [hint, prefix] of [[production, script], [tried, 'npm run admin --']] as const) {
      const shown = commands(hint, prefix);
      expect(shown.map((c) => c.split(' ')[0])).toEqual(['create-hub', 'create-user']);
      // each is a command the admin script takes (placeholders filled in, quotes as a shell takes them)
      for (const c of shown) parseAdminArgs([...c.replace(/<[^>]+>/g, 'x').matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!));
    }
  });

  it('kyoten-admin.sh runs an admin command as the service user with its environment file, and says when that user cannot read it', async () => {
    if (process.getuid?.() !== 0) {
      // It switches users, which only root can: anyone else is told so (CI runs as root, and does the rest).
      const result = spawnSync('sh', [docs('kyoten-admin.sh'), 'list-users', '--hub', 'x'], { encoding: 'utf8' });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('kyoten-admin: run this as root');
      return;
    }
    await withHubDatabase('kyoten_adminsh', async (url) => {
      const dir = mkdtempSync(join(tmpdir(), 'kyoten-env-'));
      made.push(dir);
      const envFile = join(dir, 'env');
      writeFileSync(envFile, `# as /etc/kyoten-navi/env\nDATABASE_URL=${url}\nKYOTEN_SECRET_KEY=${Buffer.alloc(32, 3).toString('base64')}\n`, { mode: 0o600 });
      // A DATABASE_URL left in the root shell that calls it does not win over the file's.
      const callerEnv = { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/elsewhere', SUDO_USER: 'suzuki-admin' };
      const run = (user: string, ...args: string[]) =>
        spawnSync('sh', [docs('kyoten-admin.sh'), ...args], { env: { ...callerEnv, KYOTEN_USER: user, KYOTEN_ENV_FILE: envFile, KYOTEN_APP_DIR: root }, encoding: 'utf8' });
      const made1 = run('root', 'create-hub', '--hub', 'hub-admin-sh', '--name', '管理コマンドの拠点');
      expect(made1.status, made1.stderr).toBe(0);
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        expect((await check.query('SELECT name FROM tenants WHERE id = $1', ['hub-admin-sh'])).rows).toEqual([{ name: '管理コマンドの拠点' }]);
        // The admin's audit names the person who ran it through sudo, not only the service user.
        expect(run('root', 'create-office', '--hub', 'hub-admin-sh', '--office', 'aoba', '--name', 'あおば')).toMatchObject({ status: 0 });
        const withdrawn = run('root', 'withdraw-record', '--hub', 'hub-admin-sh', '--kind', 'office', '--id', 'aoba', '--reason', '試験', '--yes');
        expect(withdrawn.status, withdrawn.stderr).toBe(0);
        expect((await check.query('SELECT done_by FROM admin_audit WHERE entity_id = $1', ['aoba'])).rows).toEqual([{ done_by: 'suzuki-admin (as root)' }]);
        expect((await check.query('SELECT action, done_by FROM account_audit ORDER BY id')).rows).toEqual([
          { action: 'create-hub', done_by: 'suzuki-admin (as root)' },
          { action: 'create-office', done_by: 'suzuki-admin (as root)' },
        ]);
      } finally {
        await check.end();
      }
      // A file named relative to where the admin stands is theirs, not the app folder's.
      const backups = mkdtempSync(join(tmpdir(), 'kyoten-backups-'));
      made.push(backups);
      const backup = spawnSync('sh', [docs('kyoten-admin.sh'), 'backup', '--file', 'nightly.dump'], {
        cwd: backups,
        env: { ...callerEnv, KYOTEN_USER: 'root', KYOTEN_ENV_FILE: envFile, KYOTEN_APP_DIR: root },
        encoding: 'utf8',
      });
      expect(backup.status, backup.stderr).toBe(0);
      expect(existsSync(join(backups, 'nightly.dump'))).toBe(true);
      expect(existsSync(join(root, 'nightly.dump'))).toBe(false);
      // The file is root's, mode 0600: the service user must be let read it (the recipe's step 2).
      const refused = run('nobody', 'list-users', '--hub', 'hub-admin-sh');
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`nobody cannot read ${envFile}: chgrp nobody ${envFile} && chmod 0640 ${envFile}`);
      const noUser = run('kyoten-no-such-user', 'list-users', '--hub', 'hub-admin-sh');
      expect(noUser.status).toBe(1);
      expect(noUser.stderr).toContain('there is no user kyoten-no-such-user: make it first');
    });
  });
});
