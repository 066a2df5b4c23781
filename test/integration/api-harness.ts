/**
 * A hub server with the sync API on a free port, over a fresh schema of a contract target, with
 * a clock the test moves; and a client per device that keeps its session cookie, device secret
 * and next seq, speaking the wire protocol with real fetch.
 */
import { expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { startServer } from '../../src/server/app-server';
import type { Store } from '../../src/server/db/store';
import { createApiHandler, type ApiOptions } from '../../src/server/http/api';
import { createAccounts, type Accounts, type AccountsConfig } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { generateHubKey, type HubKey } from '../../src/server/services/hub-key';
import {
  API,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  type PullResponse,
  type PushResponse,
  type Role,
  type WireChange,
  type WireRecord,
} from '../../src/protocol/sync';
import type { ContractTarget } from './store-contract';
import { appendEntries } from '../factories/emergency-case';
import type { CaseEntry } from '../../src/domain/emergency-case';
import type { Facility } from '../../src/domain/facility';
import type { Household } from '../../src/domain/household';
import { createFacility } from '../factories/facility';
import { createHousehold, createPerson } from '../factories/household';

export const HUB = 'hub-matsudo';
export const OFFICES = ['office-a', 'office-b', 'office-c'] as const;
export const PASSWORD = 'yoru-no-denwa-2026';

export interface Clock {
  now: Date;
  advance(ms: number): void;
}

export interface ApiHarness {
  readonly base: string;
  readonly store: Store;
  readonly raw: pg.Pool;
  readonly clock: Clock;
  readonly accounts: Accounts;
  /** the hub's signing key (a fresh one per harness) */
  readonly hubKey: HubKey;
  /** the API's database gate: requests running, and waiting in its queue */
  dbLoad(): { readonly running: number; readonly waiting: number };
  /** the API's push bodies: being read, and waiting for a slot */
  bodyLoad(): { readonly running: number; readonly waiting: number };
  /** creates a user with PASSWORD; returns its id and TOTP secret */
  user(loginName: string, role: Role, extra?: { officeId?: string; facilityId?: string }): Promise<TestUser>;
  close(): Promise<void>;
}

export interface TestUser {
  readonly id: string;
  readonly loginName: string;
  readonly totpSecret: string;
}

export interface ApiHarnessOptions {
  readonly secretKey?: Buffer;
  /** the accounts' and the API's other settings (onCheck, maxSignInChecks, trustProxy, …) */
  readonly accounts?: Partial<AccountsConfig>;
  readonly trustProxy?: boolean;
  /** the API's bound on database work (default DB_WORK) */
  readonly dbWork?: ApiOptions['dbWork'];
  /** the API's bound on push bodies read and not yet answered (default PUSH_CHARS_HELD) */
  readonly pushCharsHeld?: number;
  /** push bodies read at once and waiting (default PUSH_BODIES_IN_FLIGHT, PUSH_BODIES_WAITING) */
  readonly pushBodiesInFlight?: number;
  readonly pushBodiesWaiting?: number;
}

export async function startApi(target: ContractTarget, options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const { store, raw } = await target.fresh();
  await store.migrate();
  await store.createTenant({ id: HUB, name: '松戸市 地域生活支援拠点' });
  for (const id of OFFICES) await store.createOffice({ id, tenantId: HUB, name: `相談支援事業所 ${id}` });
  const clock: Clock = {
    now: new Date('2026-11-30T12:00:00.000Z'),
    advance(ms) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const config: AccountsConfig = { idleMinutes: 30, maxHours: 12, now: () => clock.now, secretKey: options.secretKey ?? null, ...options.accounts };
  const accounts = createAccounts(store, config);
  const hubKey = generateHubKey();
  const dist = mkdtempSync(join(tmpdir(), 'kyoten-api-'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shell</title>');
  const api = createApiHandler({
    store: () => store,
    accounts: config,
    trustProxy: options.trustProxy === true,
    hubKey: () => hubKey,
    ...(options.dbWork === undefined ? {} : { dbWork: options.dbWork }),
    ...(options.pushCharsHeld === undefined ? {} : { pushCharsHeld: options.pushCharsHeld }),
    ...(options.pushBodiesInFlight === undefined ? {} : { pushBodiesInFlight: options.pushBodiesInFlight }),
    ...(options.pushBodiesWaiting === undefined ? {} : { pushBodiesWaiting: options.pushBodiesWaiting }),
  });
  const server: Server = await startServer({
    port: 0,
    host: '127.0.0.1',
    distDir: dist,
    trustProxy: options.trustProxy === true,
    api,
  });
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    raw,
    clock,
    accounts,
    hubKey,
    dbLoad: api.dbLoad,
    bodyLoad: api.bodyLoad,
    async user(loginName, role, extra = {}) {
      const id = `u-${loginName}`;
      const { totpSecret } = await accounts.createUser({
        id,
        tenantId: HUB,
        role,
        loginName,
        displayName: `${loginName} さん`,
        officeId: extra.officeId ?? null,
        facilityId: extra.facilityId ?? null,
        password: PASSWORD,
      });
      return { id, loginName, totpSecret };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await store.close();
      await raw.end();
      rmSync(dist, { recursive: true, force: true });
    },
  };
}

export interface Answer<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** One device of one user, as the app would drive it. */
export class DeviceClient {
  cookie: string | undefined;
  secret: string | undefined;
  nextSeq = 1;
  /** as it travels: `<epoch>:<version>` (protocol/cursor.ts) */
  cursor = '0';

  constructor(
    readonly api: ApiHarness,
    readonly deviceId: string,
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
    const res = await fetch(`${this.api.base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
        ...(this.secret === undefined ? {} : { [DEVICE_ID_HEADER]: this.deviceId, [DEVICE_SECRET_HEADER]: this.secret }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: res.headers };
  }

  signIn(user: TestUser, overrides: Partial<{ hub: string; loginName: string; password: string; totp: string }> = {}) {
    return this.request('POST', API.session, {
      hub: HUB,
      loginName: user.loginName,
      password: PASSWORD,
      totp: totpCode(user.totpSecret, this.api.clock.now),
      ...overrides,
    });
  }

  /** The vault user on this device (what its case entries carry as recordedBy.userId), bound at enrolment [E6]. */
  get vaultUserId(): string {
    return `staff-on-${this.deviceId}`;
  }

  /** A new case's entries as this device's staff write them [E6]. */
  caseEntries(caseId: string, bodies: Parameters<typeof appendEntries>[1], held: readonly CaseEntry[] = [], idPrefix = `${caseId}-${this.deviceId}`): Promise<CaseEntry[]> {
    return appendEntries(held, bodies, caseId, { by: { userId: this.vaultUserId, name: '夜勤 職員' }, deviceId: this.deviceId, idPrefix });
  }

  async enrol(name = '端末'): Promise<Answer<{ deviceId: string; deviceSecret: string; lastSeq: number; userToken: string }>> {
    const answer = await this.request<{ deviceId: string; deviceSecret: string; lastSeq: number; userToken: string }>('POST', API.devices, {
      deviceId: this.deviceId,
      name,
      vaultUserId: this.vaultUserId,
    });
    if (answer.status === 200) {
      this.secret = answer.body.deviceSecret;
      this.nextSeq = answer.body.lastSeq + 1;
    }
    return answer;
  }

  /** Signs in and enrols; throws unless both succeed. */
  async join(user: TestUser): Promise<this> {
    const signIn = await this.signIn(user);
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${JSON.stringify(signIn.body)}`);
    const enrol = await this.enrol();
    if (enrol.status !== 200) throw new Error(`enrol failed: ${JSON.stringify(enrol.body)}`);
    return this;
  }

  /** Numbers the changes from the device's next seq, pushes them, and moves the seq on when answered. */
  async push(changes: readonly Omit<WireChange, 'seq'>[], path: string = API.push): Promise<Answer<PushResponse>> {
    const numbered = changes.map((c, i) => ({ ...c, seq: this.nextSeq + i }));
    const answer = await this.request<PushResponse>('POST', path, { changes: numbered });
    if (answer.status === 200) this.nextSeq += changes.length;
    return answer;
  }

  pull(cursor: string | number = this.cursor, limit = 1000) {
    return this.request<PullResponse>('GET', `${API.pull}?cursor=${cursor}&limit=${limit}`);
  }

  /** Every record in scope from cursor 0. */
  async pullAll(): Promise<WireRecord[]> {
    const records: WireRecord[] = [];
    let cursor = '0';
    for (;;) {
      const page = await this.pull(cursor);
      if (page.status !== 200) throw new Error(`pull failed: ${page.status} ${JSON.stringify(page.body)}`);
      records.push(...page.body.records);
      cursor = page.body.cursor;
      if (!page.body.hasMore) return records;
    }
  }
}

/** A whole household (the hub refuses anything less [R2]), the same for the same id, so edits differ only where a test says. */
function wireHousehold(entityId: string): Household {
  return createHousehold({ id: entityId, address: '松戸市根本1-1', note: '', persons: [createPerson({ id: `${entityId}-p1` })] });
}

/** A whole facility under `entityId`, with the fields a test cares about. */
export function facilityPayload(entityId: string, overrides: Partial<Facility> = {}): Record<string, unknown> {
  return { ...createFacility({ id: entityId }), ...overrides };
}

/** A household create on the wire. */
export function householdWire(entityId: string, payload: Record<string, unknown> = {}, op: WireChange['op'] = 'create'): Omit<WireChange, 'seq'> {
  return {
    mutationId: globalThis.crypto.randomUUID(),
    kind: 'household',
    entityId,
    op,
    at: '2026-11-30T14:50:00.000Z',
    payload: { ...wireHousehold(entityId), ...payload },
    baseVersion: null,
  };
}

export function wireChange(kind: WireChange['kind'], entityId: string, payload: Record<string, unknown>, op: WireChange['op']): Omit<WireChange, 'seq'> {
  return { mutationId: globalThis.crypto.randomUUID(), kind, entityId, op, at: '2026-11-30T14:50:00.000Z', payload, baseVersion: null };
}

/**
 * A 閲覧記録 entry on the wire, as an app writes it (vault/journal.ts prepareAccess): in the name of
 * the person on `by`'s phone, its vault user (the hub refuses an entry naming anyone else, E6).
 */
export function accessWire(entityId: string, householdId: string, at: string, by: { readonly vaultUserId: string }): Omit<WireChange, 'seq'> {
  return wireChange('access', entityId, { id: entityId, at, userId: by.vaultUserId, userName: '山田', action: 'open-household', householdId }, 'append');
}

/** A sealed case entry on the wire. */
export function entryWire(entry: { id: string }): Omit<WireChange, 'seq'> {
  return wireChange('case-entry', entry.id, entry as unknown as Record<string, unknown>, 'append');
}

/**
 * The writer's push of household `entityId` takes a database slot and waits there: another
 * transaction holds the hub's counter. Resolves once the push is seen blocked on it; `release`
 * rolls that transaction back.
 */
export function pushHeldAtTheCounter(harness: ApiHarness, writer: DeviceClient, entityId = 'hh-held') {
  return heldAtTheCounter(harness, () => writer.push([householdWire(entityId)]));
}

/**
 * `send`'s push waits at the hub's counter, which another transaction holds. Resolves once the
 * push is seen blocked on it; `holderNow` reads the database's clock from the holding
 * transaction; `release` rolls that transaction back.
 */
export async function heldAtTheCounter<T>(harness: ApiHarness, send: () => Promise<T>) {
  const { answer, ...held } = await heldBehind(
    harness,
    (holder) => holder.query('INSERT INTO sync_heads AS h (tenant_id, version) VALUES ($1, 0) ON CONFLICT (tenant_id) DO UPDATE SET version = h.version', [HUB]),
    send,
  );
  return { pushed: answer, ...held };
}

/** The reader's pull from `cursor` waits in its page's statement: another transaction holds the records locked. As heldAtTheCounter. */
export async function pullHeldAtTheRecords(harness: ApiHarness, reader: DeviceClient, cursor: string | number) {
  const { answer, release } = await heldBehind(harness, (holder) => holder.query('LOCK TABLE records IN ACCESS EXCLUSIVE MODE'), () => reader.pull(cursor));
  return { pulled: answer, release };
}

/** `send` waits on what `hold` takes in a transaction of its own; resolves once it is seen blocked there. */
async function heldBehind<T>(harness: ApiHarness, hold: (holder: pg.PoolClient) => Promise<unknown>, send: () => Promise<T>) {
  const holder = await harness.raw.connect();
  const release = async () => {
    await holder.query('ROLLBACK').catch(() => undefined);
    holder.release();
  };
  const holderNow = async () => (await holder.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0]!.now;
  try {
    await holder.query('BEGIN');
    await hold(holder);
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const answer = send();
    await expect
      .poll(async () => (await harness.raw.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [holderPid])).rows[0]!.n, {
        timeout: 20_000,
      })
      .toBe(1);
    return { answer, release, holderNow };
  } catch (error) {
    await release();
    throw error;
  }
}
