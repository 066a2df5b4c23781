/**
 * A hub in a PostgreSQL database of its own (created and dropped by the test), with coordinators
 * who sign in with a password and TOTP, and phones that run the app's own vault and sync engine:
 * what the backup and restore tests stop, put back and start again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { expect } from 'vitest';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import { hashPassword, newTotpSecret, totpCode } from '../../src/server/services/credentials';
import { startHub, type Hub } from '../../src/server/services/hub';
import type { Household } from '../../src/domain/household';
import { AppDevice } from './fault/app-device';

const admin = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const PASSWORD = 'restore-test-password-1';

export interface OwnDatabaseHub {
  readonly hubId: string;
  readonly databaseUrl: string;
  /** a scratch folder (the hub serves it; dumps go there) */
  readonly dir: string;
  /** the environment the hub and the admin commands read */
  readonly env: { readonly DATABASE_URL: string };
  base(): string;
  /** creates the database, its hub and one coordinator per login, and starts the hub */
  setUp(): Promise<void>;
  /** stops the hub and drops the database */
  tearDown(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  credentials(login: string): { hub: string; loginName: string; password: string; totp: () => string };
  /** a new phone, joined as `login` */
  phone(label: string, login: string): Promise<AppDevice>;
  /** one sync run that must end 'done' (it names what was refused otherwise) */
  synced(device: AppDevice): Promise<void>;
  sql<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>;
  /** what the hub holds: case entries (id → JSON text, and how many accepted changes carried it), households, conflicts, epoch */
  held(): Promise<{
    evidence: Map<string, { text: string; rows: number }>;
    households: Map<string, Household>;
    conflicts: number;
    epoch: string;
  }>;
}

export function ownDatabaseHub(name: string, hubId: string, hubName: string, logins: readonly string[]): OwnDatabaseHub {
  const database = `kyoten_${name}_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), `kyoten-${name}-`));
  const env = { DATABASE_URL: databaseUrl };
  const secrets = new Map<string, string>();
  let hub: Hub | undefined;
  let base = '';

  const start = async () => {
    hub = await startHub({ port: 0, host: '127.0.0.1', distDir: dir, env });
    await hub.store;
    base = `http://127.0.0.1:${(hub.server.address() as AddressInfo).port}`;
  };
  const stop = async () => {
    await hub?.close();
    hub = undefined;
  };
  const sql = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    try {
      return (await pool.query<T>(text, values)).rows;
    } finally {
      await pool.end();
    }
  };
  const credentials = (login: string) => ({ hub: hubId, loginName: login, password: PASSWORD, totp: () => totpCode(secrets.get(login)!, new Date()) });

  return {
    hubId,
    databaseUrl,
    dir,
    env,
    base: () => base,
    start,
    stop,
    sql,
    credentials,
    async setUp() {
      writeFileSync(join(dir, 'index.html'), `<!doctype html><title>${name}</title>`);
      const pool = new pg.Pool({ connectionString: admin, max: 1 });
      await pool.query(`CREATE DATABASE ${database}`);
      await pool.end();
      const store = await openPostgresStore({ connectionString: databaseUrl });
      await store.migrate();
      await store.createTenant({ id: hubId, name: hubName });
      const hash = await hashPassword(PASSWORD);
      for (const [i, login] of logins.entries()) {
        await store.createUser({ id: `u-${i}`, tenantId: hubId, role: 'coordinator', loginName: login, displayName: `夜勤 ${login}` });
        const totpSecret = newTotpSecret();
        secrets.set(login, totpSecret);
        await store.setCredentials(`u-${i}`, { passwordHash: hash, totpSecret });
      }
      await store.close();
      await start();
    },
    async tearDown() {
      await stop();
      const pool = new pg.Pool({ connectionString: admin, max: 1 });
      await pool.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await pool.end();
      rmSync(dir, { recursive: true, force: true });
    },
    async phone(label, login) {
      const device = await AppDevice.create(label, () => base);
      await device.join(credentials(login));
      return device;
    },
    async synced(device) {
      const outcome = await device.sync();
      expect(outcome, `${device.label}: ${JSON.stringify((await device.session.outbox()).map((e) => e.refusal))}`).toBe('done');
    },
    async held() {
      const evidence = await sql<{ id: string; payload_json: string; n: string }>(
        `SELECT e.id, r.payload_json, (SELECT count(*) FROM changes c WHERE c.kind = 'case-entry' AND c.entity_id = e.id) AS n
           FROM evidence e JOIN records r ON r.kind = 'case-entry' AND r.entity_id = e.id AND r.tenant_id = e.tenant_id`,
      );
      const households = await sql<{ entity_id: string; payload_json: string }>(`SELECT entity_id, payload_json FROM records WHERE kind = 'household'`);
      const conflicts = await sql<{ n: string }>('SELECT count(*) AS n FROM conflicts');
      const epoch = await sql<{ epoch: string }>('SELECT epoch FROM hub_epoch');
      return {
        evidence: new Map(evidence.map((r) => [r.id, { text: r.payload_json, rows: Number(r.n) }])),
        households: new Map(households.map((r) => [r.entity_id, JSON.parse(r.payload_json) as Household])),
        conflicts: Number(conflicts[0]!.n),
        epoch: epoch[0]!.epoch,
      };
    },
  };
}
