/**
 * `npm run admin -- backup --file <path>` and `restore --file <path> --yes` (docs/hub-server.md,
 * "Backups that restore"). Over DATABASE_URL: pg_dump's custom format and pg_restore, the tools of
 * the PostgreSQL installed beside the server (PG_DUMP / PG_RESTORE name others). The embedded store
 * is copied whole while no server runs (its PostgreSQL 18 is newer than a system pg_dump can read).
 * A restore never destroys what it replaces (the embedded cluster is moved aside) and ends by giving
 * the database a new epoch [S15], so every device notices, pulls again and sends what was lost.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openEmbeddedStore } from './db/embedded-store';
import { HUB_APPLICATION_NAME, openPostgresStore } from './db/postgres-store';
import type { Store } from './db/store';
import type { StoreEnv } from './db/open-store';

export interface BackupEnv extends StoreEnv {
  readonly PG_DUMP?: string | undefined;
  readonly PG_RESTORE?: string | undefined;
}

type Log = (line: string) => void;

function run(tool: string, args: readonly string[]): void {
  try {
    execFileSync(tool, [...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${tool} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください / ${tool} was not found: install the PostgreSQL client tools`);
    throw new Error(`${tool} failed:\n${(e.stderr ?? e.message).trim()}`);
  }
}

/** The embedded cluster may be copied only while no hub server has it open (its lock, embedded-postgres.ts). */
function assertStopped(dataDir: string): void {
  const lock = join(dataDir, 'server.pid');
  if (!existsSync(lock)) return;
  const pid = Number(readFileSync(lock, 'utf8').trim());
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch (error) {
    alive = (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (Number.isInteger(pid) && pid > 0 && alive) {
    throw new Error(`拠点サーバー（pid ${pid}）が ${dataDir} を使っています。止めてからもう一度実行してください / The hub server (pid ${pid}) is using ${dataDir}: stop it first.`);
  }
}

/**
 * Creates the dump's file, empty and readable by its owner alone (0600, whatever the umask), for
 * pg_dump to write into: it holds every hub's records, health data among them, which the usual
 * umask (022, a file of mode 0644) would open to every account on the machine. Refuses a file that exists
 * (O_EXCL: a backup never overwrites another, even one written meanwhile).
 */
export function createPrivateFile(target: string): void {
  let fd: number;
  try {
    fd = openSync(target, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`${target} exists already: a backup never overwrites another`);
    throw error;
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

export async function backupDatabase(env: BackupEnv, file: string, log: Log): Promise<void> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists already: a backup never overwrites another`);
  if (env.DATABASE_URL) {
    // Without the columns' lz4 setting (migration 15): the backup restores on a PostgreSQL built without lz4.
    // pg_dump truncates the file it is given and keeps its mode: 0600, made here.
    createPrivateFile(target);
    try {
      run(env.PG_DUMP ?? 'pg_dump', ['--format=custom', '--no-owner', '--no-toast-compression', `--file=${target}`, `--dbname=${env.DATABASE_URL}`]);
    } catch (error) {
      // Neither an empty file nor a partial dump is a backup, and either would block the next try.
      rmSync(target, { force: true });
      throw error;
    }
    log(`backed up the database to ${target} (pg_dump custom format)`);
    return;
  }
  const dataDir = resolve(env.KYOTEN_DATA_DIR ?? 'data');
  assertStopped(dataDir);
  // cp -a keeps owners and modes: under root the cluster belongs to "postgres" and must stay so.
  execFileSync('cp', ['-a', join(dataDir, 'pg'), target]);
  log(`backed up the embedded database ${join(dataDir, 'pg')} to ${target} (a copy taken while the server was stopped)`);
  // The key files stay out of the copy (a stolen backup opens no TOTP secret), so the admin must
  // keep them elsewhere: a hub restored on a new machine without secret.key lets no one sign in.
  const keys = ['secret.key', 'signing.key'].filter((name) => existsSync(join(dataDir, name)));
  if (keys.length > 0) {
    log(
      `鍵ファイル ${keys.join('、')} はこのバックアップに含まれません。別の安全な場所に保管してください（secret.key がないと、復元した拠点では誰もサインインできません） / ` +
        `the key files ${keys.map((k) => join(dataDir, k)).join(' and ')} are not in this backup: keep a copy somewhere else, apart from the backups (without secret.key no one can sign in to a restored hub)`,
    );
  }
}

/**
 * Over DATABASE_URL, the hub servers (and admin commands) connected to the database, by the name
 * their connections give (HUB_APPLICATION_NAME): a restore must wait until there are none. A
 * server still running would take pushes between pg_restore and the new epoch, at versions the
 * epoch's floor then counts as restored, and the phones would never send them again [S15].
 */
async function assertNoHubConnected(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number; from: string | null }>(
      `SELECT count(*)::int AS n, string_agg(DISTINCT coalesce(host(client_addr), 'local'), ', ') AS from
         FROM pg_stat_activity WHERE datname = current_database() AND (application_name = $1 OR application_name LIKE $1 || ' %') AND pid <> pg_backend_pid()`,
      [HUB_APPLICATION_NAME],
    );
    const { n, from } = rows[0]!;
    if (n > 0) {
      throw new Error(
        `拠点サーバーがまだこのデータベースに接続しています（${n} 本、接続元 ${from ?? '不明'}）。すべての拠点サーバーを止めてから、もう一度実行してください / ` +
          `${n} connection(s) of hub servers are still open on this database (from ${from ?? 'unknown'}): stop every hub server (systemctl stop kyoten-navi on each machine), then run the restore again`,
      );
    }
  } finally {
    await client.end();
  }
}

/**
 * Restores `file` over the database and gives it a new epoch. Every hub server on that database
 * must be stopped first: checked by its pid file for the embedded store, by the connections the
 * database holds over DATABASE_URL.
 */
export async function restoreDatabase(env: BackupEnv, file: string, log: Log): Promise<{ readonly epoch: string }> {
  const source = resolve(file);
  if (!existsSync(source)) throw new Error(`no backup at ${source}`);
  let store: Store;
  if (env.DATABASE_URL) {
    await assertNoHubConnected(env.DATABASE_URL);
    run(env.PG_RESTORE ?? 'pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--exit-on-error', `--dbname=${env.DATABASE_URL}`, source]);
    // pg_restore brings no planner statistics, and the new epoch sends every device to pull again
    // at once: without them each pull page's plan read every remaining row of the hub.
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('ANALYZE');
    } finally {
      await client.end();
    }
    store = await openPostgresStore({ connectionString: env.DATABASE_URL });
  } else {
    const dataDir = resolve(env.KYOTEN_DATA_DIR ?? 'data');
    assertStopped(dataDir);
    const current = join(dataDir, 'pg');
    if (existsSync(current)) {
      const aside = join(dataDir, `pg.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      renameSync(current, aside);
      log(`the database it replaces is kept in ${aside} (remove it once the restore is checked)`);
    }
    execFileSync('cp', ['-a', source, current]);
    store = await openEmbeddedStore({ dataDir, log });
  }
  try {
    // A backup from an older server is brought up to this one's schema before it is served.
    await store.migrate();
    const epoch = await store.renewEpoch();
    log(`restored ${source}; the database's new epoch is ${epoch}: every device will pull again and send what this backup lacks`);
    return { epoch };
  } finally {
    await store.close();
  }
}
