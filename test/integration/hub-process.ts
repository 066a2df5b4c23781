/**
 * Hub servers as separate processes (`src/server/main.ts`, as `npm start` runs it) over one
 * PostgreSQL schema, and simulated devices that talk to them with the app's own HubClient: for
 * the two-server test and the load bench. Devices, users and sessions are written straight into
 * the database (a session per device, as if each had signed in), so thousands of devices need no
 * thousands of argon2 sign-ins.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type pg from 'pg';
import { SESSION_COOKIE } from '../../src/protocol/sync';
import { HubClient, type DeviceCredentials } from '../../src/sync/client';

const root = resolve(import.meta.dirname, '../..');

/** DATABASE_URL for one schema of the server at `url`. */
export function schemaUrl(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export interface HubProcess {
  readonly child: ChildProcess;
  readonly base: string;
  /** the process's resident memory now, in bytes (Linux /proc) */
  rss(): number;
  /** everything the process wrote to stdout and stderr */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `src/server/main.ts` on port 0 over DATABASE_URL and resolves once it has said its port and /healthz is ready. */
export async function spawnHub(databaseUrl: string, env: Record<string, string> = {}, nodeArgs: readonly string[] = []): Promise<HubProcess> {
  // A shell page is all these servers need to serve; the API is what is under test.
  const dist = mkdtempSync(join(tmpdir(), 'kyoten-hub-dist-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', resolve(root, 'src/server/main.ts')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', DIST_DIR: dist, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      rmSync(dist, { recursive: true, force: true });
      done();
    }),
  );
  const port = await new Promise<number>((found, failed) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      output += `${line}\n`;
      const m = /PORT=(\d+)/.exec(line);
      if (m !== null) found(Number(m[1]));
    });
    child.once('exit', (code) => failed(new Error(`the hub exited (${code}) before it said its port:\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  for (;;) {
    const res = await fetch(`${base}/healthz`).catch(() => null);
    if (res?.status === 200) break;
    if (child.exitCode !== null) throw new Error(`the hub exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child,
    base,
    rss() {
      try {
        const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m === null ? 0 : Number(m[1]) * 1024;
      } catch {
        return 0;
      }
    },
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export interface SimDevice extends DeviceCredentials {
  readonly tenantId: string;
  readonly userId: string;
  readonly sessionToken: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * `hubs` hubs (tenant `${prefix}${h}`, one office each) with `devices` devices each, one
 * coordinator per device, each signed in (a session valid for 12 hours). Bulk SQL: seconds for
 * thousands of devices.
 */
export async function seedDevices(raw: pg.Pool, prefix: string, hubs: number, devices: number): Promise<SimDevice[]> {
  const out: SimDevice[] = [];
  for (let h = 0; h < hubs; h++) {
    const tenantId = `${prefix}${h}`;
    await raw.query('INSERT INTO tenants (id, name) VALUES ($1, $1)', [tenantId]);
    await raw.query('INSERT INTO offices (id, tenant_id, name) VALUES ($1, $2, $1)', [`${tenantId}-office`, tenantId]);
    const ids = Array.from({ length: devices }, (_, d) => `${tenantId}-d${d}`);
    const users = ids.map((id) => `${id}-u`);
    const secrets = ids.map((id) => `secret-${id}`);
    const tokens = ids.map((id) => `token-${id}-${Math.random().toString(36).slice(2)}`);
    await raw.query(
      `INSERT INTO users (id, tenant_id, role, login_name, display_name) SELECT u, $1, 'coordinator', u, u FROM unnest($2::text[]) AS u`,
      [tenantId, users],
    );
    // Phones that have synced before (first_pull_at set, migration 27): their pulls from a cursor
    // are incremental, and write no 'full-pull' audit row; one from cursor 0 still does.
    await raw.query(
      `INSERT INTO devices (id, tenant_id, user_id, name, secret_hash, first_pull_at) SELECT d, $1, u, d, s, now() FROM unnest($2::text[], $3::text[], $4::text[]) AS t (d, u, s)`,
      [tenantId, ids, users, secrets.map(sha256)],
    );
    await raw.query(`INSERT INTO device_users (device_id, user_id) SELECT d, u FROM unnest($1::text[], $2::text[]) AS t (d, u)`, [ids, users]);
    await raw.query(
      `INSERT INTO sessions (id, tenant_id, user_id, created_at, last_seen_at, expires_at)
       SELECT t, $1, u, now(), now(), now() + interval '12 hours' FROM unnest($2::text[], $3::text[]) AS x (t, u)`,
      [tenantId, tokens.map(sha256), users],
    );
    ids.forEach((deviceId, d) => out.push({ deviceId, deviceSecret: secrets[d]!, tenantId, userId: users[d]!, sessionToken: tokens[d]! }));
  }
  return out;
}

/** The app's HubClient for one simulated device, talking to `base` (which may change between calls). */
export function deviceClient(device: SimDevice, base: () => string): HubClient {
  return new HubClient((path, init) =>
    fetch(`${base()}${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), cookie: `${SESSION_COOKIE}=${device.sessionToken}` } }),
  );
}
