/**
 * `npm run admin -- backup --file <path>` and `restore --file <path> --yes` (docs/hub-server.md,
 * "Backups that restore"). Over DATABASE_URL: pg_dump's custom format, restored by pg_restore
 * through psql, the tools of the PostgreSQL installed beside the server (PG_DUMP / PG_RESTORE /
 * PSQL name others); the URL's password goes to them as PGPASSWORD, never on a command line that
 * `ps` shows. The embedded store is copied whole while no server runs (its PostgreSQL 18 is newer
 * than a system pg_dump can read). A restore never destroys what it replaces (the database is
 * dumped beside the backup first; the embedded cluster is moved aside) and ends by giving the
 * database a new epoch [S15], so every device notices, pulls again and sends what was lost.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { liveHolder } from './db/embedded-postgres';
import { openEmbeddedStore } from './db/embedded-store';
import { CONNECTION_TIMEOUT_MS, HUB_APPLICATION_NAME, openPostgresStore } from './db/postgres-store';
import type { KeptEvidence, Store } from './db/store';
import { unreadable } from './readable';
import { dataDirOf, databaseUrlText, parseDatabaseUrl, type StoreEnv } from './db/open-store';
import type { AccountChange, DeviceSignIn } from './db/account-audit';
import { changesLost, evidenceLost, evidenceLostReport, lostChangesReport, lostSignInsReport, signInsLost } from './restore-changes';

export interface BackupEnv extends StoreEnv {
  readonly PG_DUMP?: string | undefined;
  readonly PG_RESTORE?: string | undefined;
  readonly PSQL?: string | undefined;
}

type Log = (line: string) => void;

const notFound = (tool: string) =>
  new Error(`${tool} が見つかりません。PostgreSQL のクライアント（postgresql-client）を入れてください / ${tool} was not found: install the PostgreSQL client tools`);

/**
 * DATABASE_URL as the PostgreSQL tools take it: the URL without its password, which goes into
 * their environment instead (PGPASSWORD): any account on the machine reads a command line.
 */
function connection(databaseUrl: string): { readonly dbname: string; readonly env: NodeJS.ProcessEnv } {
  // The recipe's socket form (`postgres://kyoten:pw@/kyoten?host=/run/postgresql`) is read too.
  const parsed = parseDatabaseUrl(databaseUrl);
  // libpq's key=value form: libpq reads it as it is (a password there belongs in PGPASSWORD or ~/.pgpass)
  if (parsed === null) return { dbname: databaseUrl, env: process.env };
  const password = decodeURIComponent(parsed.url.password);
  parsed.url.password = '';
  return { dbname: databaseUrlText(parsed), env: password === '' ? process.env : { ...process.env, PGPASSWORD: password } };
}

function run(tool: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): void {
  try {
    execFileSync(tool, [...args], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw notFound(tool);
    throw new Error(`${tool} failed:\n${(e.stderr ?? e.message).trim()}`);
  }
}

/**
 * The backup's SQL (pg_restore to standard output) run by psql in one transaction, after the
 * database's schema is emptied: `pg_restore --clean` drops only what the backup holds, so a table
 * a later migration added (and its foreign keys) stopped the restore of a backup taken before an
 * upgrade, the documented way back. Any error rolls the whole of it back: the database stays as it was.
 */
async function restoreIntoEmptySchema(env: BackupEnv, databaseUrl: string, source: string): Promise<void> {
  const { dbname, env: toolEnv } = connection(databaseUrl);
  const restoreTool = env.PG_RESTORE ?? 'pg_restore';
  const psqlTool = env.PSQL ?? 'psql';
  const dump = spawn(restoreTool, ['--no-owner', '--file=-', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  const psql = spawn(psqlTool, ['--no-psqlrc', '--quiet', '--set=ON_ERROR_STOP=1', `--dbname=${dbname}`], {
    stdio: ['pipe', 'ignore', 'pipe'],
    env: toolEnv,
  });
  const ended = (child: ReturnType<typeof spawn>, tool: string) =>
    new Promise<string | null>((done) => {
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('error', (error: NodeJS.ErrnoException) => done(error.code === 'ENOENT' ? notFound(tool).message : error.message));
      child.on('close', (code) => done(code === 0 ? null : `${tool} failed:\n${stderr.trim()}`));
    });
  const dumped = ended(dump, restoreTool);
  const applied = ended(psql, psqlTool);
  // psql may stop first (an error, or no psql at all): what is still piped to it is not wanted,
  // and pg_restore, its pipe full, would wait for ever.
  psql.stdin.on('error', () => undefined);
  psql.on('close', () => dump.kill());
  psql.on('error', () => dump.kill());
  psql.stdin.write('BEGIN;\nDROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n');
  dump.stdout.pipe(psql.stdin, { end: false });
  // COMMIT only once the whole backup was read: a file pg_restore cannot read must not leave the
  // schema emptied (psql would commit what it got).
  const dumpFailure = await dumped;
  psql.stdin.end(dumpFailure === null ? 'COMMIT;\n' : 'ROLLBACK;\n');
  const psqlFailure = await applied;
  const failure = psqlFailure ?? dumpFailure;
  if (failure !== null) {
    throw new Error(`復元できませんでした。データベースは元のままです / the restore failed and was rolled back; the database is as it was:\n${failure}`);
  }
}

/**
 * The embedded cluster may be copied only while nothing has it open: no hub server (its lock,
 * embedded-postgres.ts) and no PostgreSQL left running by a server killed with SIGKILL (which
 * goes on writing: a copy taken under it may not start). A pid reused by another program is no holder.
 */
function assertStopped(dataDir: string): void {
  const server = liveHolder(join(dataDir, 'server.pid'), 'node');
  if (server !== null) {
    throw new Error(`拠点サーバー（pid ${server}）が ${dataDir} を使っています。止めてからもう一度実行してください / The hub server (pid ${server}) is using ${dataDir}: stop it first.`);
  }
  const postgres = liveHolder(join(dataDir, 'pg', 'postmaster.pid'), 'postgres');
  if (postgres !== null) {
    throw new Error(
      `拠点サーバーの PostgreSQL（pid ${postgres}）が、サーバーなしで ${join(dataDir, 'pg')} を使い続けています（サーバーが強制終了されたとき）。拠点サーバーを一度起動して止めてから（npm start のあと Ctrl+C、または systemctl stop）、もう一度実行してください / ` +
        `the embedded PostgreSQL (pid ${postgres}) still runs on ${join(dataDir, 'pg')} without its server (the server was killed): start the hub once and stop it, then run this again`,
    );
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

/**
 * How long pg_dump waits for each table's lock. It takes a shared lock on every table; a session
 * holding a stronger one (a migration under way, an ALTER or a LOCK in a psql left open) would make
 * it, and the nightly job, wait for ever. Past this the backup fails, in words (lockWaitExplained).
 */
export const BACKUP_LOCK_WAIT_SECONDS = 60;

/** pg_dump's failure when a table's lock did not come within BACKUP_LOCK_WAIT_SECONDS, said with what to do; any other as it is. */
function lockWaitExplained(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  // pg_dump 15 waits with statement_timeout, later ones with lock_timeout; both name the LOCK TABLE.
  if (!/canceling statement due to (?:statement|lock) timeout/.test(message) || !message.includes('LOCK TABLE')) return error;
  return new Error(
    `別の接続がテーブルをロックしていて、${BACKUP_LOCK_WAIT_SECONDS} 秒待ってもバックアップを始められませんでした（移行中の拠点サーバー、トランザクションを開いたままの psql など）。それが終わってから、もう一度実行してください / ` +
      `another session holds a lock on a table, and pg_dump waited ${BACKUP_LOCK_WAIT_SECONDS} s for it (a hub server migrating, a psql left in a transaction, a long ALTER TABLE): ` +
      "find it with SELECT pid, application_name, state, xact_start FROM pg_stat_activity WHERE xact_start < now() - interval '1 minute'; and run the backup again once it has ended (or end it with SELECT pg_terminate_backend(pid)):\n" +
      message,
  );
}

export async function backupDatabase(env: BackupEnv, file: string, log: Log): Promise<void> {
  const target = resolve(file);
  if (existsSync(target)) throw new Error(`${target} exists already: a backup never overwrites another`);
  if (env.DATABASE_URL) {
    // Without the columns' lz4 setting (migration 15): the backup restores on a PostgreSQL built without lz4.
    // pg_dump truncates the file it is given and keeps its mode: 0600, made here.
    const { dbname, env: toolEnv } = connection(env.DATABASE_URL);
    createPrivateFile(target);
    try {
      run(
        env.PG_DUMP ?? 'pg_dump',
        ['--format=custom', '--no-owner', '--no-toast-compression', `--lock-wait-timeout=${BACKUP_LOCK_WAIT_SECONDS}s`, `--file=${target}`, `--dbname=${dbname}`],
        toolEnv,
      );
    } catch (error) {
      // Neither an empty file nor a partial dump is a backup, and either would block the next try.
      rmSync(target, { force: true });
      throw lockWaitExplained(error);
    }
    log(`backed up the database to ${target} (pg_dump custom format)`);
    return;
  }
  const dataDir = dataDirOf(env);
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

/** How long a restore waits for the connections of a hub server that has just stopped to go. */
const CLOSING_GRACE_MS = 3_000;

/**
 * Over DATABASE_URL, the hub servers (and admin commands) connected to the database, by the name
 * their connections give (HUB_APPLICATION_NAME): a restore must wait until there are none. A
 * server still running would take pushes between pg_restore and the new epoch, at versions the
 * epoch's floor then counts as restored, and the phones would never send them again [S15].
 */
async function assertNoHubConnected(databaseUrl: string): Promise<void> {
  const client = await connectedClient(databaseUrl);
  try {
    const connected = async () =>
      (
        await client.query<{ n: number; from: string | null }>(
          `SELECT count(*)::int AS n, string_agg(DISTINCT coalesce(host(client_addr), 'local'), ', ') AS from
             FROM pg_stat_activity WHERE datname = current_database() AND (application_name = $1 OR application_name LIKE $1 || ' %') AND pid <> pg_backend_pid()`,
          [HUB_APPLICATION_NAME],
        )
      ).rows[0]!;
    // A server (or admin command) that has just stopped leaves its connections' backends for a
    // moment after it closed them: they are waited for a few seconds, not counted at once.
    let { n, from } = await connected();
    for (const deadline = Date.now() + CLOSING_GRACE_MS; n > 0 && Date.now() < deadline; ) {
      await new Promise((done) => setTimeout(done, 200));
      ({ n, from } = await connected());
    }
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
 * A connection of its own to the database of DATABASE_URL, for the restore's checks and its
 * ANALYZE (no query limit: ANALYZE of a large hub takes minutes). A database that does not answer
 * is given up after CONNECTION_TIMEOUT_MS, as the hub does, rather than waited for without end.
 */
async function connectedClient(databaseUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS });
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new Error(
      `DATABASE_URL のデータベースに ${CONNECTION_TIMEOUT_MS / 1000} 秒以内に接続できませんでした。PostgreSQL が動いているか、DATABASE_URL が正しいかを確かめてください / ` +
        `could not connect to the database of DATABASE_URL within ${CONNECTION_TIMEOUT_MS / 1000} s (is PostgreSQL running, is DATABASE_URL right?): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Restores `file` over the database and gives it a new epoch. Every hub server on that database
 * must be stopped first: checked by its pid file for the embedded store, by the connections the
 * database holds over DATABASE_URL.
 */
export async function restoreDatabase(env: BackupEnv, file: string, log: Log): Promise<{ readonly epoch: string }> {
  const source = resolve(file);
  unreadable(source, 'バックアップ', 'backup');
  let store: Store;
  // How to put back what was replaced, should the restored database not migrate (a backup from a newer server)
  let putBack: () => Promise<void> = async () => undefined;
  // The account changes of the database replaced, and who is signed in on which phone: those the
  // backup lacks are named at the end.
  let accountsBefore: readonly AccountChange[] | null = null;
  let signInsBefore: readonly DeviceSignIn[] | null = null;
  // And its evidence (case entries, 請求済み, 閲覧記録): how much of it the backup lacks is said at the end.
  let evidenceBefore: KeptEvidence | null = null;
  const readBefore = async (open: () => Promise<Store>) => {
    try {
      const current = await open();
      try {
        accountsBefore = await current.listAccountChanges();
        signInsBefore = await current.listDeviceSignIns();
        evidenceBefore = await current.listKeptEvidence();
      } finally {
        await current.close();
      }
    } catch (error) {
      log(`いまのデータベースの監査表を読めませんでした。バックアップの後のアカウントの操作（停止など）は、復元の後に list-audit で確かめてください / could not read the account changes of the database it replaces: ${(error as Error).message}`);
    }
  };
  // The copy of the database replaced: every household in clear, outside the backups' rotation.
  let keptCopy: string | null = null;
  if (env.DATABASE_URL) {
    await assertNoHubConnected(env.DATABASE_URL);
    const url = env.DATABASE_URL;
    await readBefore(() => openPostgresStore({ connectionString: url }));
    // What it replaces is kept first, beside the backup: what phones wrote since the backup and
    // never send again (case entries, once their writer's phone is wiped), the access log, the
    // admin's audit, the accounts. Without that copy nothing is replaced.
    const before = join(dirname(source), `before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
    try {
      await backupDatabase(env, before, () => undefined);
    } catch (error) {
      throw new Error(
        `いまのデータベースを ${before} に保存できなかったため、復元していません（バックアップのあるフォルダーに書き込めるか、空きがあるかを確かめてください） / ` +
          `the database was not replaced: keeping it in ${before} failed (can this user write that folder, is there room?):\n${(error as Error).message}`,
      );
    }
    log(`the database it replaces is kept in ${before} (pg_dump custom format; keep it until the restore is checked)`);
    keptCopy = before;
    await restoreIntoEmptySchema(env, env.DATABASE_URL, source);
    // pg_restore brings no planner statistics, and the new epoch sends every device to pull again
    // at once: without them each pull page's plan read every remaining row of the hub.
    const analyze = async () => {
      const client = await connectedClient(url);
      try {
        await client.query('ANALYZE');
      } finally {
        await client.end();
      }
    };
    putBack = async () => {
      await restoreIntoEmptySchema(env, url, before);
      await analyze();
    };
    await analyze();
    store = await openPostgresStore({ connectionString: env.DATABASE_URL });
  } else {
    const dataDir = dataDirOf(env);
    assertStopped(dataDir);
    // A backup of the embedded store is its data directory (`backup` copies data/pg): checked before
    // anything is moved, since a dump file or a wrong folder copied in would open as no database.
    if (!existsSync(join(source, 'PG_VERSION'))) {
      throw new Error(
        `${source} は組み込みデータベースのバックアップではありません（backup が作るフォルダーを指定してください。何も変えていません） / ` +
          `${source} is not a backup of the embedded database (a folder backup made, holding PG_VERSION): nothing was changed`,
      );
    }
    const current = join(dataDir, 'pg');
    let aside: string | null = null;
    if (existsSync(current)) await readBefore(() => openEmbeddedStore({ dataDir, log: () => undefined }));
    if (existsSync(current)) {
      aside = join(dataDir, `pg.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      renameSync(current, aside);
      log(`the database it replaces is kept in ${aside} (remove it once the restore is checked)`);
      keptCopy = aside;
    }
    const moveBack = () => {
      rmSync(current, { recursive: true, force: true });
      if (aside !== null) renameSync(aside, current);
    };
    try {
      execFileSync('cp', ['-a', source, current]);
      store = await openEmbeddedStore({ dataDir, log });
    } catch (error) {
      // The copy or its start failed: the database it was to replace goes back where it was.
      moveBack();
      throw error;
    }
    putBack = async () => moveBack();
  }
  let closed = false;
  try {
    // A backup from an older server is brought up to this one's schema before it is served.
    try {
      await store.migrate();
    } catch (error) {
      // A backup a newer server made (or a migration that failed): this server cannot serve it,
      // and the database it replaced goes back, so the hub is as it was.
      closed = true;
      await store.close();
      try {
        await putBack();
      } catch (back) {
        throw new Error(
          `復元したデータベースをこのサーバーの版にできず、元のデータベースにも戻せませんでした。置き換える前の写し（上に表示した before-restore）から戻してください / ` +
            `the restored database could not be migrated (${(error as Error).message}), and putting back the database it replaced failed too: restore the before-restore copy named above:\n${(back as Error).message}`,
        );
      }
      throw new Error(
        `復元したデータベースをこのサーバーの版にできなかったため、元のデータベースに戻しました（何も変わっていません） / ` +
          `the restored database could not be brought to this server's schema, so the database it replaced was put back (nothing changed):\n${(error as Error).message}`,
      );
    }
    const epoch = await store.renewEpoch();
    log(`restored ${source}; the database's new epoch is ${epoch}: every device will pull again and send what this backup lacks`);
    // (a failure to compare is said, and the restore still succeeds; then the copy is kept, as when evidence is lacking)
    let lacking: string[] | null = null;
    if (evidenceBefore !== null) {
      try {
        lacking = evidenceLostReport(evidenceLost(evidenceBefore, await store.listKeptEvidence()), keptCopy);
      } catch (error) {
        log(`置き換えたデータベースの記録と比べられなかったため、写しは削除せず保管してください / could not compare the evidence with the database replaced, so keep its copy: ${(error as Error).message}`);
      }
    }
    if (keptCopy !== null) {
      log(
        lacking !== null && lacking.length === 0
          ? `置き換えたデータベースの写し ${keptCopy} には、すべての記録が暗号化されずに残っています。夜間のバックアップの整理では消えません。復元を確かめたら、削除してください（対応記録・請求済み・閲覧記録は、復元したデータベースにすべてあります） / ` +
              `${keptCopy} holds every record of the database replaced, in clear, and the nightly rotation does not remove it: delete it once the restore is checked (every case entry, 請求済み and access entry it holds is in the restored database)`
          : `置き換えたデータベースの写し ${keptCopy} には、すべての記録が暗号化されずに残っています。夜間のバックアップの整理では消えません / ` +
              `${keptCopy} holds every record of the database replaced, in clear, and the nightly rotation does not remove it`,
      );
    }
    for (const line of lacking ?? []) log(line);
    // (the restore is done: a failure to compare is said, and the restore still succeeds)
    if (accountsBefore !== null) {
      try {
        for (const line of lostChangesReport(changesLost(accountsBefore, await store.listAccountChanges()))) log(line);
        if (signInsBefore !== null) for (const line of lostSignInsReport(signInsLost(signInsBefore, await store.listDeviceSignIns()))) log(line);
      } catch (error) {
        log(`復元したデータベースの監査表を読めませんでした。バックアップの後のアカウントの操作（停止など）は list-audit で確かめてください / could not compare the account changes: ${(error as Error).message}`);
      }
    }
    return { epoch };
  } finally {
    if (!closed) await store.close();
  }
}
