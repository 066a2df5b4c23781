/**
 * An in-memory hub server for the sync engine's tests: the protocol's push, pull, enrolment and
 * retire semantics (src/protocol/sync.ts) kept simple, every request body checked with the same zod
 * schemas the real server uses, reached through an injected `fetch` (one per simulated browser,
 * each with its own session cookie). Switches make it fail, expire sessions, retire devices and
 * lose answers after committing. Last writer wins on merged kinds: no field merge here.
 */
import { PULL_NEXT_HEADER, formatCursor, parseCursor } from '../../src/protocol/cursor';
import {
  API,
  DEVICE_ID_HEADER,
  DEVICE_SECRET_HEADER,
  EnrolRequest,
  HUB_ONLY_OFFICE,
  PushRequest,
  SignInRequest,
  type ChangeResult,
  type EnrolResponse,
  type ErrorCode,
  type PullResponse,
  type RefusalReason,
  type Role,
  type SessionInfo,
  type WireChange,
  type WireRecord,
  type WireScope,
} from '../../src/protocol/sync';
import type { FetchLike } from '../../src/sync/client';
import { checkAppend, type HeldEntry } from '../../src/protocol/evidence-rules';
import { checkAccessEntry } from '../../src/protocol/records';
import type { CaseEntry } from '../../src/domain/emergency-case';
import { HUB_KEY_PATH, RECEIPTS_HEADER, type EvidenceReceipt, type HubKeyInfo } from '../../src/protocol/countersign';
import { createTestHubKey, type TestHubKey } from './receipts';
import { wireScopeOf } from '../../src/protocol/scope';

/** The fake hub's database never changes: one epoch for its life (protocol/cursor.ts). */
const FAKE_EPOCH = 'fake-hub';

export interface FakeHubUser {
  readonly id: string;
  readonly hub: string;
  readonly loginName: string;
  readonly password: string;
  readonly totp: string;
  readonly displayName: string;
  readonly role: Role;
  officeId: string | null;
  readonly facilityId: string | null;
  disabled: boolean;
}

interface Device {
  readonly id: string;
  userId: string;
  /** A6/A8: the users who signed in on it → their device token (null: revoked) */
  readonly users: Map<string, string | null>;
  secret: string;
  lastSeq: number;
  disabled: boolean;
  readonly receipts: Map<number, ChangeResult>;
}

interface Held {
  readonly kind: WireRecord['kind'];
  readonly entityId: string;
  version: number;
  officeId: string | null;
  withdrawn: boolean;
  payloadJson: string;
}

/** One request as the hub saw it (after the switches): for asserting what was sent, and in what order. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
}

type Fault =
  | { readonly type: 'status'; readonly status: number }
  /** an error answer as the hub words it */
  | { readonly type: 'error'; readonly status: number; readonly code: ErrorCode; readonly message: string; readonly retryAfterSeconds?: number }
  | { readonly type: 'network' }
  | { readonly type: 'drop-after-commit' }
  | { readonly type: 'malformed' };

export interface FakeHub {
  addUser(overrides?: Partial<FakeHubUser>): FakeHubUser;
  /** a browser: its own cookie jar; every tab of one browser shares it */
  browser(): FetchLike;
  /** the next request to `path` (or any path) meets this fault */
  fail(fault: Fault, path?: string): void;
  /** every request fails as if the network were down, until set back to false */
  down: boolean;
  expireSessions(): void;
  disableDevice(deviceId: string): void;
  disableUser(userId: string): void;
  /** the next change to this entity is refused with this reason */
  refuseEntity(entityId: string, reason: Exclude<RefusalReason, 'gap'>, detail?: string): void;
  /** a record written by someone else (another device) */
  write(record: Omit<WireRecord, 'version'>): number;
  openConflicts: number;
  /**
   * Whether a pull answer with more to come names the next cursor in its headers
   * (PULL_NEXT_HEADER), as the real hub does: 'right', 'wrong' (a cursor its body does not
   * confirm) or 'none' (the default: an older hub).
   */
  pullHint: 'none' | 'right' | 'wrong';
  readonly records: ReadonlyMap<string, Held>;
  /** every change the hub took, in version order: (device, seq) appears once at most */
  readonly taken: readonly { readonly deviceId: string; readonly seq: number; readonly mutationId: string; readonly kind: string; readonly entityId: string; readonly author: string }[];
  /** access entries taken (they are not records) */
  readonly access: ReadonlyMap<string, unknown>;
  readonly requests: readonly SeenRequest[];
  /** what the hub refused from retiring devices and keeps for an admin [retire] */
  readonly quarantine: readonly { readonly deviceId: string; readonly seq: number; readonly entityId: string; readonly reason: string }[];
  /** devices that said they wipe now (API.retireDone) */
  readonly wiped: ReadonlySet<string>;
  device(deviceId: string): Device | undefined;
  /** A8: the user's device token no longer opens a session (the admin's revoke-device-user) */
  revokeDeviceUser(deviceId: string, userId: string): void;
  /** with createFakeHub({ signs: true }): the hub's key (GET /api/hub-key) and its receipts by entry id */
  readonly hubKey: HubKeyInfo | null;
  readonly receipts: ReadonlyMap<string, EvidenceReceipt>;
  /** from now on the hub signs with another key (receipts made before keep the old signature) */
  replaceKey(): void;
}


const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const error = (status: number, code: ErrorCode, message: string, detail?: string) =>
  json(status, { error: code, message, ...(detail === undefined ? {} : { detail }) });

class Reply extends Error {
  constructor(readonly response: Response) {
    super('reply');
  }
}

export function createFakeHub(options: { readonly signs?: boolean; /** the hub's clock (the real one unless set) */ readonly now?: () => number } = {}): FakeHub {
  const hubDate = () => new Date(options.now?.() ?? Date.now());
  let signer: TestHubKey | null = options.signs === true ? createTestHubKey('aozora') : null;
  const receipts = new Map<string, EvidenceReceipt>();
  /** [K4] one receipt per entry, signed when first asked for, from what the hub recorded on acceptance */
  function receiptOf(entityId: string): EvidenceReceipt[] {
    const held = records.get(keyOf('case-entry', entityId));
    if (signer === null || held === undefined) return [];
    let r = receipts.get(entityId);
    if (r === undefined) {
      const facts = {
        hub: signer.info.hub,
        caseId: (JSON.parse(held.payloadJson) as { caseId: string }).caseId,
        entryId: entityId,
        entryHash: (JSON.parse(held.payloadJson) as { hash: string }).hash,
        position: held.version,
        receivedAt: acceptedAt.get(entityId) ?? hubDate().toISOString(),
      };
      r = signer.sign(facts);
      receipts.set(entityId, r);
    }
    return [r];
  }
  const acceptedAt = new Map<string, string>();
  const users = new Map<string, FakeHubUser>();
  const sessions = new Map<string, string>();
  const devices = new Map<string, Device>();
  const records = new Map<string, Held>();
  const mutations = new Map<string, { version: number; content: string }>();
  const access = new Map<string, unknown>();
  const taken: { deviceId: string; seq: number; mutationId: string; kind: string; entityId: string; author: string }[] = [];
  const requests: SeenRequest[] = [];
  const quarantine: { deviceId: string; seq: number; entityId: string; reason: string }[] = [];
  const wiped = new Set<string>();
  const faults: { fault: Fault; path: string | null }[] = [];
  const refusals = new Map<string, { reason: Exclude<RefusalReason, 'gap'>; detail: string }>();
  /** case id → its entries held [E1]-[E7] */
  const cases = new Map<string, HeldEntry[]>();
  /** device id → the vault user ids bound at enrolment → hub user id [E6] */
  const bindings = new Map<string, Map<string, string>>();
  let version = 0;
  let userSeq = 0;

  const keyOf = (kind: string, id: string) => `${kind}/${id}`;

  const scopeOf = (user: FakeHubUser): WireScope => wireScopeOf(user);

  function inScope(scope: WireScope, held: Held): boolean {
    if (scope.role === 'facility-liaison') return held.kind === 'facility' && held.entityId === scope.facilityId;
    if (held.officeId === null || scope.officeIds === 'all') return true;
    return held.officeId !== HUB_ONLY_OFFICE && scope.officeIds.includes(held.officeId);
  }

  function officeFor(change: WireChange, user: FakeHubUser): string | null {
    const held = records.get(keyOf(change.kind, change.entityId));
    if (held) return held.officeId;
    if (change.kind === 'household') return user.officeId ?? HUB_ONLY_OFFICE;
    if (change.kind === 'case-entry') {
      const body = (change.payload as { body?: { type?: string; officeId?: string } }).body;
      return body?.type === 'open' ? (body.officeId ?? null) : null;
    }
    return null;
  }

  function bodyOf(init: RequestInit): unknown {
    if (typeof init.body !== 'string') return undefined;
    try {
      return JSON.parse(init.body) as unknown;
    } catch {
      throw new Reply(error(400, 'bad-request', '要求が正しくありません', 'not JSON'));
    }
  }

  function header(init: RequestInit, name: string): string | undefined {
    return (init.headers as Record<string, string> | undefined)?.[name];
  }

  /** The device first: a retired device hears 410 even after its sessions ended. */
  function authDevice(init: RequestInit, jar: { token: string | null }, needSession = true): { device: Device; user: FakeHubUser } {
    const device = devices.get(header(init, DEVICE_ID_HEADER) ?? '');
    if (!device) throw new Reply(error(403, 'unknown-device', 'この端末は登録されていません'));
    if (device.secret !== header(init, DEVICE_SECRET_HEADER)) throw new Reply(error(403, 'forbidden', '端末の認証に失敗しました'));
    const allDisabled = [...device.users.keys()].every((id) => users.get(id)!.disabled);
    if (device.disabled || allDisabled) {
      throw new Reply(error(410, 'retired', device.disabled ? 'この端末は管理者により無効にされました' : '職員が無効にされました'));
    }
    let user = users.get(device.userId)!;
    if (needSession) {
      const sessionUser = jar.token === null ? undefined : sessions.get(jar.token);
      if (sessionUser === undefined) throw new Reply(error(401, 'signed-out', '再度サインインしてください'));
      if (typeof device.users.get(sessionUser) !== 'string') throw new Reply(error(403, 'forbidden', 'この端末でサインインしていない職員です'));
      user = users.get(sessionUser)!;
    }
    return { device, user };
  }

  function take(device: Device, user: FakeHubUser, change: WireChange, appendOnlyOnly: boolean): ChangeResult {
    const base = { seq: change.seq, mutationId: change.mutationId };
    const appendOnly = change.kind === 'case-entry' || change.kind === 'access';
    if (appendOnlyOnly && !appendOnly) return { ...base, status: 'refused', reason: 'scope', detail: 'a retired device sends evidence only', retryable: false };
    if (appendOnly !== (change.op === 'append')) return { ...base, status: 'refused', reason: 'append-only', detail: 'op', retryable: false };
    const content = JSON.stringify([change.kind, change.entityId, change.op, change.payload]);
    const prior = mutations.get(change.mutationId);
    if (prior) {
      return prior.content === content
        ? { ...base, status: 'duplicate', version: prior.version }
        : { ...base, status: 'refused', reason: 'mutation-conflict', detail: 'other content', retryable: false };
    }
    const forced = refusals.get(change.entityId);
    if (forced) {
      refusals.delete(change.entityId);
      return { ...base, status: 'refused', reason: forced.reason, detail: forced.detail, retryable: false };
    }
    if (change.kind === 'access') {
      // The hub's check of a 閲覧記録 entry (src/protocol/records.ts)
      const problem = checkAccessEntry(change.entityId, change.payload);
      if (problem) return { ...base, status: 'refused', reason: 'invalid', detail: problem.message, retryable: false };
    }
    const key = keyOf(change.kind, change.entityId);
    const held = records.get(key);
    if (change.kind === 'case-entry' && held) {
      const hash = (change.payload as { hash?: unknown }).hash;
      return (JSON.parse(held.payloadJson) as { hash?: unknown }).hash === hash
        ? { ...base, status: 'duplicate', version: held.version }
        : { ...base, status: 'refused', reason: 'evidence-conflict', detail: 'held with another hash', retryable: false };
    }
    if (change.kind === 'case-entry') {
      // The same rules as the hub's push (src/protocol/evidence-rules.ts).
      const entry = change.payload as unknown as CaseEntry;
      const bound = [...(bindings.get(device.id) ?? new Map<string, string>())].filter(([, u]) => u === user.id).map(([local]) => local);
      const check = checkAppend(entry, { held: cases.get(entry.caseId) ?? [], authorId: user.id, authorIds: bound, deviceId: device.id, receivedAt: hubDate() });
      if (!check.ok) return { ...base, status: 'refused', reason: check.reason, detail: check.detail, retryable: false };
      cases.set(entry.caseId, [...(cases.get(entry.caseId) ?? []), { id: entry.id, hash: entry.hash, index: entry.index, recordedAt: entry.recordedAt }]);
    }
    version += 1;
    mutations.set(change.mutationId, { version, content });
    taken.push({ deviceId: device.id, seq: change.seq, mutationId: change.mutationId, kind: change.kind, entityId: change.entityId, author: user.id });
    if (change.kind === 'access') {
      access.set(change.entityId, change.payload);
    } else {
      const officeId = officeFor(change, user);
      if (change.kind === 'case-entry') acceptedAt.set(change.entityId, hubDate().toISOString());
      records.set(key, {
        kind: change.kind,
        entityId: change.entityId,
        version,
        officeId,
        withdrawn: change.op === 'withdraw',
        payloadJson: JSON.stringify(change.payload),
      });
    }
    return { ...base, status: 'accepted', version };
  }

  function push(device: Device, user: FakeHubUser, body: unknown, retire: boolean, asks = false): Response {
    const parsed = PushRequest.safeParse(body);
    if (!parsed.success) return error(400, 'bad-request', '要求が正しくありません', parsed.error.message);
    const results: ChangeResult[] = [];
    let heldAt: number | null = null;
    for (const change of parsed.data.changes) {
      // A9: credited to its author, who must have signed in on this device; else held with the rest.
      const authorId = change.author ?? user.id;
      // A stopped author's evidence is taken even when revoked here first, as the real hub does (authorsOf).
      const stopped = users.get(authorId)?.disabled === true;
      // Retiring, an author who never signed in here is credited to nobody: refused, kept for the admin.
      const unattributed = retire && !device.users.has(authorId);
      if (heldAt === null && !unattributed && !(device.users.has(authorId) && (retire || stopped || device.users.get(authorId) !== null))) heldAt = change.seq;
      if (heldAt !== null) {
        results.push({ seq: change.seq, mutationId: change.mutationId, status: 'refused', reason: 'author', detail: `held at ${heldAt}`, retryable: true });
        continue;
      }
      const author = unattributed ? user : users.get(authorId)!;
      const receipt = device.receipts.get(change.seq);
      if (receipt) {
        const again: ChangeResult = receipt.mutationId === change.mutationId ? receipt : { seq: change.seq, mutationId: change.mutationId, status: 'refused', reason: 'seq-conflict', detail: 'seq used', retryable: false };
        // A change refused before, sent again at retirement, is kept too (once).
        if (retire && again.status === 'refused' && !quarantine.some((q) => q.deviceId === device.id && q.seq === change.seq)) {
          quarantine.push({ deviceId: device.id, seq: change.seq, entityId: change.entityId, reason: again.reason });
        }
        results.push(again);
        continue;
      }
      // Retirement keeps the order rules too: the device sends its edits as well, to be refused.
      if (change.seq > device.lastSeq + 1) {
        results.push({ seq: change.seq, mutationId: change.mutationId, status: 'refused', reason: 'gap', detail: `expected ${device.lastSeq + 1}`, retryable: true });
        continue;
      }
      const result: ChangeResult = unattributed
        ? { seq: change.seq, mutationId: change.mutationId, status: 'refused', reason: 'author', detail: `author ${authorId} has not signed in on this device`, retryable: false }
        : take(device, author, change, retire || author.disabled);
      if (retire && result.status === 'refused') quarantine.push({ deviceId: device.id, seq: change.seq, entityId: change.entityId, reason: result.reason });
      device.receipts.set(change.seq, result);
      device.lastSeq = Math.max(device.lastSeq, change.seq);
      results.push(result);
    }
    const changes = parsed.data.changes;
    const signed = asks && signer !== null && !retire
      ? { receipts: results.flatMap((r, i) => (r.status !== 'refused' && changes[i]!.kind === 'case-entry' ? receiptOf(changes[i]!.entityId) : [])) }
      : {};
    return json(200, { results, serverTime: hubDate().toISOString(), ...signed });
  }

  function pull(user: FakeHubUser, url: URL, asks = false): Response {
    const cursor = parseCursor(url.searchParams.get('cursor') ?? '0')?.version ?? 0;
    const limit = Number(url.searchParams.get('limit') ?? '1000');
    const scope = scopeOf(user);
    const after = [...records.values()].filter((r) => r.version > cursor).sort((a, b) => a.version - b.version);
    const page: WireRecord[] = [];
    let next = Math.max(cursor, version);
    let hasMore = false;
    for (const [i, held] of after.entries()) {
      if (page.length === limit) {
        hasMore = true;
        next = after[i - 1]!.version;
        break;
      }
      if (inScope(scope, held)) page.push({ ...held });
    }
    const signed = asks && signer !== null ? { receipts: page.filter((r) => r.kind === 'case-entry').flatMap((r) => receiptOf(r.entityId)) } : {};
    const answer: PullResponse = { records: page, cursor: formatCursor({ epoch: FAKE_EPOCH, version: next }), hasMore, scope, openConflicts: hub.openConflicts, ...signed };
    const response = json(200, answer);
    if (hasMore && hub.pullHint !== 'none') {
      response.headers.set(PULL_NEXT_HEADER, hub.pullHint === 'right' ? answer.cursor : formatCursor({ epoch: FAKE_EPOCH, version: next + 1000 }));
    }
    return response;
  }

  async function handle(path: string, init: RequestInit, jar: { token: string | null }): Promise<Response> {
    const url = new URL(path, 'https://hub.example');
    const method = init.method ?? 'GET';
    const body = bodyOf(init);
    requests.push({ method, path: url.pathname, body });
    if (url.pathname === API.session && method === 'POST') {
      const parsed = SignInRequest.safeParse(body);
      if (!parsed.success) return error(400, 'bad-request', '要求が正しくありません', parsed.error.message);
      const { hub: hubId, loginName, password, totp } = parsed.data;
      const user = [...users.values()].find((u) => u.hub === hubId && u.loginName === loginName && u.password === password && u.totp === totp && !u.disabled);
      if (!user) return error(401, 'bad-credentials', 'サインインできませんでした');
      jar.token = crypto.randomUUID();
      sessions.set(jar.token, user.id);
      const { id, hub, displayName, role, officeId, facilityId } = user;
      const info: SessionInfo = { user: { id, hub, displayName, role, officeId, facilityId }, expiresAt: new Date(Date.now() + 3600_000).toISOString(), idleTimeoutSeconds: 1800 };
      return json(200, info);
    }
    if (url.pathname === API.session && method === 'DELETE') {
      if (jar.token !== null) sessions.delete(jar.token);
      jar.token = null;
      return new Response(null, { status: 204 });
    }
    if (url.pathname === API.devices && method === 'POST') {
      const userId = jar.token === null ? undefined : sessions.get(jar.token);
      if (userId === undefined) return error(401, 'signed-out', '再度サインインしてください');
      const parsed = EnrolRequest.safeParse(body);
      if (!parsed.success) return error(400, 'bad-request', '要求が正しくありません', parsed.error.message);
      const existing = devices.get(parsed.data.deviceId);
      const userToken = `${crypto.randomUUID()}${crypto.randomUUID()}`;
      if (existing) {
        // A6: a registered device takes another user only when it proves its secret.
        if (existing.secret !== header(init, DEVICE_SECRET_HEADER)) return error(403, 'forbidden', 'この端末IDは既に登録されています');
        if (existing.disabled) return error(410, 'retired', 'この端末は停止されました');
        existing.users.set(userId, userToken);
      } else {
        const secret = `${crypto.randomUUID()}${crypto.randomUUID()}`;
        devices.set(parsed.data.deviceId, { id: parsed.data.deviceId, userId, users: new Map([[userId, userToken]]), secret, lastSeq: 0, disabled: false, receipts: new Map() });
      }
      if (parsed.data.vaultUserId !== undefined) {
        const bound = bindings.get(parsed.data.deviceId) ?? new Map<string, string>();
        bindings.set(parsed.data.deviceId, bound.set(parsed.data.vaultUserId, userId));
      }
      const enrolled = devices.get(parsed.data.deviceId)!;
      const answer: EnrolResponse = { deviceId: parsed.data.deviceId, deviceSecret: enrolled.secret, lastSeq: enrolled.lastSeq, userToken };
      return json(200, answer);
    }
    if (url.pathname === API.deviceSession && method === 'POST') {
      const { device } = authDevice(init, jar, false);
      const token = (body as { token?: unknown } | undefined)?.token;
      const userId = [...device.users].find(([, t]) => t !== null && t === token)?.[0];
      const user = userId === undefined ? undefined : users.get(userId);
      if (user === undefined || user.disabled) return error(401, 'signed-out', 'この端末でのサインインが無効になりました');
      jar.token = crypto.randomUUID();
      sessions.set(jar.token, user.id);
      const { id, hub, displayName, role, officeId, facilityId } = user;
      const info: SessionInfo = { user: { id, hub, displayName, role, officeId, facilityId }, expiresAt: new Date(Date.now() + 3600_000).toISOString(), idleTimeoutSeconds: 1800 };
      return json(200, info);
    }
    if (url.pathname === API.push && method === 'POST') {
      const { device, user } = authDevice(init, jar);
      return push(device, user, body, false, header(init, RECEIPTS_HEADER) === '1');
    }
    if (url.pathname === API.retirePush && method === 'POST') {
      const device = devices.get(header(init, DEVICE_ID_HEADER) ?? '');
      if (!device || device.secret !== header(init, DEVICE_SECRET_HEADER)) return error(403, 'forbidden', '端末の認証に失敗しました');
      if (!device.disabled && ![...device.users.keys()].every((id) => users.get(id)!.disabled)) return error(403, 'forbidden', 'この端末は無効にされていません');
      // as the hub does: once the device said it wipes, its secret adds nothing more
      if (wiped.has(device.id)) return error(403, 'forbidden', 'この端末はデータの消去を報告済みです。これ以上の記録は受け取れません。');
      return push(device, users.get(device.userId)!, body, true);
    }
    if (url.pathname === API.retireDone && method === 'POST') {
      const device = devices.get(header(init, DEVICE_ID_HEADER) ?? '');
      if (!device || device.secret !== header(init, DEVICE_SECRET_HEADER)) return error(403, 'forbidden', '端末の認証に失敗しました');
      wiped.add(device.id);
      return json(204, undefined);
    }
    if (url.pathname === API.pull && method === 'GET') {
      const { user } = authDevice(init, jar);
      return pull(user, url, header(init, RECEIPTS_HEADER) === '1');
    }
    if (url.pathname === API.staff && method === 'GET') {
      const { user } = authDevice(init, jar);
      const staff = user.role === 'facility-liaison' ? [] : [...users.values()].filter((u) => u.hub === user.hub && !u.disabled);
      return json(200, { staff: staff.map((u) => ({ userId: u.id, displayName: u.displayName, role: u.role, officeId: u.officeId })) });
    }
    if (url.pathname === API.members && method === 'GET') {
      const { device } = authDevice(init, jar, false);
      return json(200, { stopped: [...device.users.keys()].filter((id) => users.get(id)!.disabled) });
    }
    if (url.pathname === HUB_KEY_PATH && method === 'GET' && signer !== null) {
      authDevice(init, jar);
      return json(200, signer.info);
    }
    return error(404, 'not-found', '見つかりません');
  }

  const hub: FakeHub = {
    quarantine,
    wiped,
    down: false,
    openConflicts: 0,
    pullHint: 'none',
    records,
    taken,
    access,
    requests,
    addUser(overrides = {}) {
      userSeq += 1;
      const user: FakeHubUser = {
        id: `user-${userSeq}`,
        hub: 'aozora',
        loginName: `staff${userSeq}`,
        password: 'correct horse battery staple',
        totp: '123456',
        displayName: `職員 ${userSeq}`,
        role: 'coordinator',
        officeId: null,
        facilityId: null,
        disabled: false,
        ...overrides,
      };
      users.set(user.id, user);
      return user;
    },
    browser() {
      const jar = { token: null as string | null };
      return async (input, init) => {
        if (hub.down) throw new TypeError('Failed to fetch');
        const path = new URL(input, 'https://hub.example').pathname;
        const at = faults.findIndex((f) => f.path === null || f.path === path);
        const fault = at >= 0 ? faults.splice(at, 1)[0]!.fault : null;
        if (fault?.type === 'network') throw new TypeError('Failed to fetch');
        if (fault?.type === 'status') return error(fault.status, 'unavailable', 'サーバーの準備ができていません');
        if (fault?.type === 'error') {
          const { status, code, message, retryAfterSeconds } = fault;
          return json(status, { error: code, message, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
        }
        let response: Response;
        try {
          response = await handle(input, init, jar);
        } catch (e) {
          if (e instanceof Reply) response = e.response;
          else throw e;
        }
        // Committed, then the answer is lost on the way back.
        if (fault?.type === 'drop-after-commit') throw new TypeError('Failed to fetch');
        if (fault?.type === 'malformed' && response.ok) {
          const body = (await response.json()) as Record<string, unknown>;
          return json(200, { ...body, cursor: -1 });
        }
        return response;
      };
    },
    fail(fault, path) {
      faults.push({ fault, path: path ?? null });
    },
    expireSessions() {
      sessions.clear();
    },
    disableDevice(deviceId) {
      devices.get(deviceId)!.disabled = true;
    },
    disableUser(userId) {
      users.get(userId)!.disabled = true;
      for (const [token, id] of sessions) if (id === userId) sessions.delete(token);
    },
    refuseEntity(entityId, reason, detail = `refused: ${reason}`) {
      refusals.set(entityId, { reason, detail });
    },
    write(record) {
      version += 1;
      records.set(keyOf(record.kind, record.entityId), { ...record, version });
      return version;
    },
    device(deviceId) {
      return devices.get(deviceId);
    },
    revokeDeviceUser(deviceId, userId) {
      devices.get(deviceId)!.users.set(userId, null);
    },
    get hubKey() {
      return signer?.info ?? null;
    },
    receipts,
    replaceKey() {
      signer = createTestHubKey('aozora');
      receipts.clear();
    },
  };
  return hub;
}
