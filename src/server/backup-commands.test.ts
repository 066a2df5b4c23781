// @vitest-environment node
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { backupDatabase, createPrivateFile, restoreDatabase } from './backup-commands';
import { CONNECTION_TIMEOUT_MS } from './db/postgres-store';
import { describeStore } from './db/open-store';

const dir = mkdtempSync(join(tmpdir(), 'kyoten-backup-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Stands in for pg_dump as it writes --file: under a permissive umask (022), opening the file for
 * writing (creating it, or truncating it and keeping its mode, as pg_dump's fopen does).
 */
function fakePgDump(name: string, body = 'printf "PGDMP fake dump" > "$file"'): string {
  const script = join(dir, name);
  writeFileSync(
    script,
    `#!/bin/sh
umask 022
for arg in "$@"; do case "$arg" in --file=*) file="\${arg#--file=}";; esac; done
${body}
`,
  );
  chmodSync(script, 0o755);
  return script;
}

const mode = (file: string) => statSync(file).mode & 0o777;

describe('backup over DATABASE_URL: the dump holds the whole hub, so only its owner may read it', () => {
  it('the dump file is written with mode 0600 whatever the umask', async () => {
    const file = join(dir, 'nightly.dump');
    const lines: string[] = [];
    await backupDatabase({ DATABASE_URL: 'postgres://kyoten@127.0.0.1:1/none', PG_DUMP: fakePgDump('pg_dump-ok') }, file, (l) => lines.push(l));
    expect(readFileSync(file, 'utf8')).toBe('PGDMP fake dump');
    expect(mode(file)).toBe(0o600);
    expect(lines).toEqual([`backed up the database to ${file} (pg_dump custom format)`]);
  });

  it('a pg_dump that fails leaves no file behind, so the next try is not refused', async () => {
    const file = join(dir, 'failed.dump');
    const env = { DATABASE_URL: 'postgres://kyoten@127.0.0.1:1/none', PG_DUMP: fakePgDump('pg_dump-fails', 'printf partial > "$file"; echo "connection refused" >&2; exit 1') };
    await expect(backupDatabase(env, file, () => undefined)).rejects.toThrow(/pg_dump-fails failed:\nconnection refused/);
    expect(existsSync(file)).toBe(false);
    await expect(backupDatabase({ ...env, PG_DUMP: join(dir, 'no-such-pg_dump') }, file, () => undefined)).rejects.toThrow(/was not found/);
    expect(existsSync(file)).toBe(false);
  });

  it('createPrivateFile makes an empty 0600 file and never opens one that exists', () => {
    const file = join(dir, 'private');
    createPrivateFile(file);
    expect(mode(file)).toBe(0o600);
    expect(statSync(file).size).toBe(0);
    writeFileSync(file, 'an older backup');
    expect(() => createPrivateFile(file)).toThrow(/exists already: a backup never overwrites another/);
    expect(readFileSync(file, 'utf8')).toBe('an older backup');
  });
});

describe('backup over DATABASE_URL: what pg_dump is given', () => {
  /** A pg_dump that writes down its arguments and PGPASSWORD, then a dump. */
  const recording = () => fakePgDump(`pg_dump-args-${Math.random().toString(36).slice(2)}`, 'printf "%s\\n" "$@" "PGPASSWORD=${PGPASSWORD:-}" > "$file.args"; printf "PGDMP" > "$file"');

  it('takes the password out of the command line (any account reads it there) and gives it as PGPASSWORD', async () => {
    const file = join(dir, 'with-password.dump');
    await backupDatabase({ DATABASE_URL: 'postgres://kyoten:s3cr%40t@db.example.jp:5432/kyoten', PG_DUMP: recording() }, file, () => undefined);
    const lines = readFileSync(`${file}.args`, 'utf8').trim().split('\n');
    const password = lines.pop();
    expect(password).toBe('PGPASSWORD=s3cr@t');
    expect(lines.join(' ')).not.toContain('s3cr');
    expect(lines).toContain('--dbname=postgres://kyoten@db.example.jp:5432/kyoten');
  });

  it('takes the recipe\'s socket URL (no host: not a URL to Node) as it is, its password moved to PGPASSWORD too', async () => {
    const file = join(dir, 'socket.dump');
    const url = 'postgres://kyoten@/kyoten?host=/run/postgresql';
    await backupDatabase({ DATABASE_URL: url, PG_DUMP: recording() }, file, () => undefined);
    expect(readFileSync(`${file}.args`, 'utf8')).toContain(`--dbname=${url}`);
    expect(readFileSync(file, 'utf8')).toBe('PGDMP');
    const withPassword = join(dir, 'socket-password.dump');
    await backupDatabase({ DATABASE_URL: 'postgres://kyoten:S3cret%21Pw@/kyoten?host=/run/postgresql', PG_DUMP: recording() }, withPassword, () => undefined);
    const lines = readFileSync(`${withPassword}.args`, 'utf8').trim().split('\n');
    expect(lines.pop()).toBe('PGPASSWORD=S3cret!Pw');
    expect(lines).toContain(`--dbname=${url}`);
    expect(describeStore({ DATABASE_URL: 'postgres://kyoten:S3cret@/kyoten?host=/run/postgresql' })).toBe('PostgreSQL database "kyoten" on /run/postgresql (DATABASE_URL)');
  });
});

describe('backup and restore over DATABASE_URL: no wait without end', () => {
  it('pg_dump waits at most 60 s for a table\'s lock, and its failure then says another session holds one and what to do', async () => {
    const recorded = join(dir, 'lock-wait.dump');
    await backupDatabase(
      { DATABASE_URL: 'postgres://kyoten@/kyoten?host=/run/postgresql', PG_DUMP: fakePgDump('pg_dump-lock-args', 'printf "%s\\n" "$@" > "$file.args"; printf "PGDMP" > "$file"') },
      recorded,
      () => undefined,
    );
    expect(readFileSync(`${recorded}.args`, 'utf8').split('\n')).toContain('--lock-wait-timeout=60s');
    // pg_dump 15's own words when the wait runs out (it waits with statement_timeout)
    const locked = fakePgDump(
      'pg_dump-locked',
      'echo "pg_dump: error: query failed: ERROR:  canceling statement due to statement timeout" >&2; echo "pg_dump: detail: Query was: LOCK TABLE public.records IN ACCESS SHARE MODE" >&2; exit 1',
    );
    const file = join(dir, 'locked.dump');
    const failure = backupDatabase({ DATABASE_URL: 'postgres://kyoten@/kyoten?host=/run/postgresql', PG_DUMP: locked }, file, () => undefined);
    await expect(failure).rejects.toThrow(/別の接続がテーブルをロックしていて、60 秒待っても.*もう一度実行してください/s);
    await expect(failure).rejects.toThrow(/another session holds a lock on a table.*pg_stat_activity.*run the backup again.*LOCK TABLE public\.records/s);
    expect(existsSync(file)).toBe(false);
  });

  it('a restore gives up on a database that takes the connection but never answers, after 10 s, in words, and changes nothing', async () => {
    // A port that accepts and stays silent: a database machine that hung.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((done) => silent.listen(0, '127.0.0.1', done));
    const backup = join(dir, 'for-a-silent-database.dump');
    writeFileSync(backup, 'PGDMP fake dump');
    try {
      const started = Date.now();
      const url = `postgres://kyoten@127.0.0.1:${(silent.address() as AddressInfo).port}/kyoten`;
      await expect(restoreDatabase({ DATABASE_URL: url }, backup, () => undefined)).rejects.toThrow(
        /10 秒以内に接続できませんでした.*could not connect to the database of DATABASE_URL within 10 s/s,
      );
      expect(Date.now() - started).toBeLessThan(CONNECTION_TIMEOUT_MS + 5_000);
      expect(readdirSync(dir).filter((name) => name.startsWith('before-restore'))).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => silent.close(done));
    }
  });
});

describe('the embedded store: copied and replaced only while nothing has it open', () => {
  /** A data directory as the embedded store leaves it (data/pg with PG_VERSION), its PostgreSQL's lock naming `pid`. */
  function dataDir(name: string, postmasterPid?: number): string {
    const data = join(dir, name);
    mkdirSync(join(data, 'pg'), { recursive: true });
    writeFileSync(join(data, 'pg', 'PG_VERSION'), '18\n');
    if (postmasterPid !== undefined) writeFileSync(join(data, 'pg', 'postmaster.pid'), `${postmasterPid}\n${join(data, 'pg')}\n`);
    return data;
  }

  it('refuses to copy a cluster whose PostgreSQL a killed server left running, and copies one whose lock is stale', async () => {
    // A live process whose command line names postgres, as the orphaned postmaster's does.
    const orphan = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)', 'postgres'], { stdio: 'ignore' });
    try {
      await new Promise((ready) => orphan.once('spawn', ready));
      const running = dataDir('orphaned', orphan.pid);
      const file = join(dir, 'orphaned.backup');
      await expect(backupDatabase({ KYOTEN_DATA_DIR: running }, file, () => undefined)).rejects.toThrow(/PostgreSQL（pid \d+）が、サーバーなしで/);
      expect(existsSync(file)).toBe(false);
    } finally {
      orphan.kill();
    }
    // a lock whose process is gone (the machine rebooted): the copy goes ahead
    const stale = dataDir('stale', 2 ** 22 + 12345);
    const copy = join(dir, 'stale.backup');
    await backupDatabase({ KYOTEN_DATA_DIR: stale }, copy, () => undefined);
    expect(readFileSync(join(copy, 'PG_VERSION'), 'utf8')).toBe('18\n');
  });

  it('a restore from something that is not such a copy is refused before the database is moved aside', async () => {
    const data = dataDir('restore-target');
    const dump = join(dir, 'a-pg_dump-file.dump');
    writeFileSync(dump, 'PGDMP fake dump');
    await expect(restoreDatabase({ KYOTEN_DATA_DIR: data }, dump, () => undefined)).rejects.toThrow(/組み込みデータベースのバックアップではありません/);
    expect(readdirSync(data)).toEqual(['pg']);
    expect(readFileSync(join(data, 'pg', 'PG_VERSION'), 'utf8')).toBe('18\n');
  });
});
