/**
 * Two hub servers over one PostgreSQL (issue 16 point 4), as a coordinator meets them behind a
 * load balancer that sends each request to either: sessions and sign-in throttles are kept in the
 * database, not in a server's memory. A session opened by a real sign-in (password + TOTP) on one
 * server enrols, pushes and pulls on the other, and signing out on one ends it on both. Failed
 * sign-ins spread over both servers are counted together, per login and per client address, and
 * the lock they earn is answered alike by both. two-servers-postgres.test.ts covers the sync state
 * (device seqs, receipts). Real PostgreSQL ($TEST_DATABASE_URL or 127.0.0.1:5432).
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  API,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  type EnrolResponse,
  type ErrorResponse,
  type PullResponse,
  type PushResponse,
  type SessionInfo,
  type WireChange,
} from '../../src/protocol/sync';
import { openPostgresStore } from '../../src/server/db/postgres-store';
import type { SqlStore } from '../../src/server/db/sql-store';
import { ADDRESS_THROTTLE, createAccounts, MAX_SIGN_IN_FAILURES, MAX_SIGN_IN_FAILURES_PER_ADDRESS } from '../../src/server/services/accounts';
import { totpCode } from '../../src/server/services/credentials';
import { secretKeyFromEnv } from '../../src/server/services/secret-box';
import { createHousehold } from '../factories/household';
import { schemaUrl, spawnHub, type HubProcess } from './hub-process';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `kyoten_two_sessions_${process.pid}_${Date.now().toString(36)}`;
const HUB = 'hub-two-sessions';
const PASSWORD = 'yoru-no-denwa-2026';
const SECRET_KEY = Buffer.alloc(32, 5).toString('base64');

const admin = new pg.Pool({ connectionString: url, max: 2 });
let store: SqlStore | undefined;
/** [A, B]: two processes over one schema, as two machines behind one load balancer. */
const servers: HubProcess[] = [];
const A = () => servers[0]!;
const B = () => servers[1]!;

beforeAll(async () => {
  await admin.query(`CREATE SCHEMA ${schema}`);
  // TRUST_PROXY: each test's phone sends its own X-Forwarded-For, as through the TLS proxy, so
  // the tests do not share one address's sign-in allowance.
  const env = { KYOTEN_SECRET_KEY: SECRET_KEY, TRUST_PROXY: '1' };
  servers.push(...(await Promise.all([spawnHub(schemaUrl(url, schema), env), spawnHub(schemaUrl(url, schema), env)])));
  store = await openPostgresStore({ connectionString: url, schema, maxConnections: 2 });
  await store.createTenant({ id: HUB, name: '二台構成の拠点' });
  await store.createOffice({ id: `${HUB}-office`, tenantId: HUB, name: '相談支援事業所' });
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await store?.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

interface Coordinator {
  readonly id: string;
  readonly loginName: string;
  readonly totpSecret: string;
}

/** A coordinator with PASSWORD and a TOTP secret sealed with the servers' key, as the admin command makes one. */
async function coordinator(loginName: string): Promise<Coordinator> {
  const accounts = createAccounts(store!, { idleMinutes: 30, maxHours: 12, now: () => new Date(), secretKey: secretKeyFromEnv({ KYOTEN_SECRET_KEY: SECRET_KEY }) });
  const id = `u-${loginName}`;
  const { totpSecret } = await accounts.createUser({ id, tenantId: HUB, role: 'coordinator', loginName, displayName: `${loginName} さん`, password: PASSWORD });
  return { id, loginName, totpSecret };
}

interface Answer<T> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** One phone as the app drives it: its cookie and device secret go with every request, to whichever server. */
class Phone {
  cookie: string | undefined;
  secret: string | undefined;
  nextSeq = 1;

  constructor(
    readonly deviceId: string,
    /** where its requests come from, as the proxy in front says (X-Forwarded-For) */
    readonly address: string,
  ) {}

  async request<T>(hub: HubProcess, method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${hub.base}${path}`, {
      method,
      headers: {
        'x-forwarded-for': this.address,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.cookie === undefined ? {} : { cookie: this.cookie }),
        ...(this.secret === undefined ? {} : { [DEVICE_ID_HEADER]: this.deviceId, [DEVICE_SECRET_HEADER]: this.secret }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie !== null) this.cookie = setCookie.split(';')[0];
    const text = await res.text();
    return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: res.headers };
  }

  signIn(hub: HubProcess, user: Pick<Coordinator, 'loginName' | 'totpSecret'>, password = PASSWORD) {
    return this.request<SessionInfo | ErrorResponse>(hub, 'POST', API.session, { hub: HUB, loginName: user.loginName, password, totp: totpCode(user.totpSecret, new Date()) });
  }

  async enrol(hub: HubProcess) {
    const answer = await this.request<EnrolResponse>(hub, 'POST', API.devices, { deviceId: this.deviceId, name: '当番の携帯', vaultUserId: `staff-on-${this.deviceId}` });
    if (answer.status === 200) {
      this.secret = answer.body.deviceSecret;
      this.nextSeq = answer.body.lastSeq + 1;
    }
    return answer;
  }

  async pushHouseholds(hub: HubProcess, ids: readonly string[]) {
    const changes: WireChange[] = ids.map((entityId, i) => ({
      seq: this.nextSeq + i,
      mutationId: globalThis.crypto.randomUUID(),
      kind: 'household',
      entityId,
      op: 'create',
      at: new Date().toISOString(),
      payload: createHousehold({ id: entityId, note: `${entityId} の記録` }) as unknown as Record<string, unknown>,
      baseVersion: null,
    }));
    const answer = await this.request<PushResponse>(hub, 'POST', API.push, { changes });
    if (answer.status === 200) this.nextSeq += changes.length;
    return answer;
  }

  pull(hub: HubProcess) {
    return this.request<PullResponse>(hub, 'GET', `${API.pull}?cursor=0&limit=1000`);
  }
}

async function throttleRow(tenantId: string, name: string): Promise<{ failures: number; lockedUntil: Date | null } | null> {
  const { rows } = await admin.query<{ failures: number; locked_until: Date | null }>(
    `SELECT failures, locked_until FROM ${schema}.login_throttle WHERE tenant_id = $1 AND login_name = $2`,
    [tenantId, name],
  );
  return rows[0] === undefined ? null : { failures: rows[0].failures, lockedUntil: rows[0].locked_until };
}

/**
 * A refused sign-in on each server, one after the other: both must say "locked" the same way, and
 * each must count the seconds down to the one lock in the database (not a lock of its own).
 */
async function expectLockedOnBoth(phone: Phone, user: Pick<Coordinator, 'loginName' | 'totpSecret'>, lockedUntil: Date): Promise<void> {
  const answers: Answer<ErrorResponse>[] = [];
  for (const hub of [A(), B()]) {
    const before = Date.now();
    const answer = (await phone.signIn(hub, user)) as Answer<ErrorResponse>;
    const after = Date.now();
    expect(answer.status, JSON.stringify(answer.body)).toBe(429);
    expect(answer.body.error).toBe('throttled');
    expect(answer.body.message).toMatch(/^失敗が続いたため、しばらくサインインできません。\d+秒後にもう一度お試しください。$/);
    const seconds = answer.body.retryAfterSeconds!;
    expect(answer.headers.get('retry-after')).toBe(String(seconds));
    expect(answer.body.message).toContain(`${seconds}秒後`);
    expect(seconds).toBeGreaterThanOrEqual(Math.max(1, Math.floor((lockedUntil.getTime() - after) / 1000)));
    expect(seconds).toBeLessThanOrEqual(Math.ceil((lockedUntil.getTime() - before) / 1000));
    answers.push(answer);
  }
  // The same words from both, apart from the seconds counting down between the two requests.
  const shown = answers.map((a) => [a.status, a.body.error, a.body.message.replace(/\d+秒後/, 'N秒後')]);
  expect(shown[1]).toEqual(shown[0]);
}

it('a coordinator signs in and enrols on server A, pushes and pulls on server B, signs out on B: A refuses the session too', async () => {
  const coord = await coordinator('coord-roaming');
  const phone = new Phone('phone-roaming', '192.0.2.10');

  const signIn = await phone.signIn(A(), coord);
  expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
  expect(phone.cookie).toMatch(/^kyoten_session=.+/);
  // B knows the session A opened: nothing of it was kept in A's memory.
  const onB = await phone.request<SessionInfo>(B(), 'GET', API.session);
  expect(onB.status).toBe(200);
  expect(onB.body.user.id).toBe(coord.id);

  const enrol = await phone.enrol(A());
  expect(enrol.status, JSON.stringify(enrol.body)).toBe(200);

  // The same cookie and device secret sync on B.
  const ids = ['hh-roaming-1', 'hh-roaming-2'];
  const push = await phone.pushHouseholds(B(), ids);
  expect(push.status, JSON.stringify(push.body)).toBe(200);
  expect(push.body.results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
  const pull = await phone.pull(B());
  expect(pull.status, JSON.stringify(pull.body)).toBe(200);
  expect(pull.body.records.map((r) => r.entityId).filter((id) => ids.includes(id)).sort()).toEqual(ids);
  // And on A, which learns of the push only through the database.
  expect((await phone.pull(A())).body.records.map((r) => r.entityId).filter((id) => ids.includes(id)).sort()).toEqual(ids);

  const signOut = await phone.request<undefined>(B(), 'DELETE', API.session);
  expect(signOut.status).toBe(204);
  // The app drops the cleared cookie; a stolen copy of it, sent to A, must find the session ended.
  const stolen = new Phone(phone.deviceId, phone.address);
  stolen.cookie = signIn.headers.get('set-cookie')!.split(';')[0];
  stolen.secret = phone.secret;
  for (const hub of [A(), B()]) {
    const session = await stolen.request<ErrorResponse>(hub, 'GET', API.session);
    expect(session.status).toBe(401);
    expect(session.body.error).toBe('signed-out');
    const pushAfter = await stolen.pushHouseholds(hub, ['hh-roaming-after']);
    expect(pushAfter.status).toBe(401);
    expect((pushAfter.body as unknown as ErrorResponse).error).toBe('signed-out');
    const pullAfter = await stolen.pull(hub);
    expect(pullAfter.status).toBe(401);
    expect((pullAfter.body as unknown as ErrorResponse).error).toBe('signed-out');
  }
  const ended = await admin.query<{ end_reason: string | null }>(`SELECT end_reason FROM ${schema}.sessions WHERE user_id = $1`, [coord.id]);
  expect(ended.rows).toEqual([{ end_reason: 'signed-out' }]);
}, 60_000);

it(`wrong passwords for one login, alternately on A and B, lock it after ${MAX_SIGN_IN_FAILURES} in all; both then refuse even the right password alike`, async () => {
  const coord = await coordinator('coord-guessed');
  const phone = new Phone('phone-guessed', '192.0.2.20');
  for (let i = 0; i < MAX_SIGN_IN_FAILURES; i++) {
    const answer = await phone.signIn(servers[i % 2]!, coord, `wrong-password-${i}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    expect((answer.body as ErrorResponse).error).toBe('bad-credentials');
    // One count for the login, whichever server took the attempt.
    expect((await throttleRow(HUB, coord.loginName))?.failures).toBe(i + 1);
  }
  // Per process, neither server has seen MAX_SIGN_IN_FAILURES; together they have, so it is locked.
  const { lockedUntil } = (await throttleRow(HUB, coord.loginName))!;
  expect(lockedUntil).not.toBeNull();
  await expectLockedOnBoth(phone, coord, lockedUntil!);
  // The refused attempts were not checked, so they neither counted nor lengthened the lock.
  expect(await throttleRow(HUB, coord.loginName)).toEqual({ failures: MAX_SIGN_IN_FAILURES, lockedUntil });
}, 60_000);

it(`wrong passwords for one login sent at once to both servers: exactly ${MAX_SIGN_IN_FAILURES} are checked, the rest refused as locked`, async () => {
  const coord = await coordinator('coord-burst');
  const tries = MAX_SIGN_IN_FAILURES + 3;
  const answers = await Promise.all(
    Array.from({ length: tries }, (_, i) => new Phone(`phone-burst-${i}`, '192.0.2.25').signIn(servers[i % 2]!, coord, `wrong-password-${i}`)),
  );
  const statuses = answers.map((a) => a.status);
  expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_SIGN_IN_FAILURES);
  expect(statuses.filter((s) => s === 429)).toHaveLength(tries - MAX_SIGN_IN_FAILURES);
  expect((await throttleRow(HUB, coord.loginName))?.failures).toBe(MAX_SIGN_IN_FAILURES);
}, 60_000);

it(`wrong sign-ins from one address over many logins, alternately on A and B, lock the address after ${MAX_SIGN_IN_FAILURES_PER_ADDRESS} in all`, async () => {
  const coord = await coordinator('coord-office');
  const address = '192.0.2.30';
  const guesser = new Phone('phone-guesser', address);
  // Logins that do not exist, a different one each time, so no login's own limit is reached.
  for (let i = 0; i < MAX_SIGN_IN_FAILURES_PER_ADDRESS; i++) {
    const answer = await guesser.signIn(servers[i % 2]!, { loginName: `nobody-${i}`, totpSecret: coord.totpSecret }, `wrong-password-${i}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    expect((await throttleRow(ADDRESS_THROTTLE, address))?.failures).toBe(i + 1);
  }
  const { lockedUntil } = (await throttleRow(ADDRESS_THROTTLE, address))!;
  expect(lockedUntil).not.toBeNull();
  // A coordinator behind the same address, with the right password and code, is refused on both alike.
  const colleague = new Phone('phone-office', address);
  await expectLockedOnBoth(colleague, coord, lockedUntil!);
  expect(colleague.cookie).toBeUndefined();
  // The login itself was never locked: from another address the same coordinator signs in.
  const elsewhere = new Phone('phone-elsewhere', '192.0.2.31');
  const signIn = await elsewhere.signIn(B(), coord);
  expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
}, 60_000);
