/**
 * An in-memory VaultSession for component tests: same contract as src/vault, no encryption, no IndexedDB.
 * `failNext(code)` makes the next write reject with that VaultError, to test retry paths; `damage`
 * makes a record read as damaged on the disk.
 */
import type {
  AccessAction,
  AccessLogEntry,
  ChangeOp,
  EntityKind,
  HubLink,
  OutboxEntry,
  StoredEntity,
  VaultErrorCode,
  VaultSession,
  VaultUser,
} from '../../src/vault/types';
import { VaultError } from '../../src/vault/errors';

export interface FakeSession extends VaultSession {
  /** the next put/putMany/putDemo/saveDraft/deleteDraft rejects with this code */
  failNext(code: VaultErrorCode): void;
  readonly drafts: Map<string, unknown>;
  /** the record reads as damaged on the disk: `list` fails, `listReadable` sets it aside */
  damage(kind: EntityKind, id: string): void;
}

export interface FakeSessionOptions {
  /** as an added person's first unlock: cleared by changePassphrase */
  readonly mustChangePassphrase?: boolean;
}

export function createFakeSession(user: Partial<VaultUser> = {}, options: FakeSessionOptions = {}): FakeSession {
  const me: VaultUser = { id: 'user-1', displayName: 'テスト 太郎', createdAt: '2024-04-01T00:00:00.000Z', ...user };
  const records = new Map<string, StoredEntity<unknown>>();
  const drafts = new Map<string, unknown>();
  const caches = new Map<string, unknown>();
  const damaged = new Set<string>();
  const log: AccessLogEntry[] = [];
  const out: OutboxEntry[] = [];
  let locked = false;
  let mustChangePassphrase = options.mustChangePassphrase === true;
  let failure: VaultErrorCode | null = null;
  let seq = 0;
  let hubLink: HubLink | undefined;
  let userToken: string | undefined;

  const key = (kind: EntityKind, id: string) => `${kind}:${id}`;
  const clone = <T>(v: T): T => structuredClone(v);
  function check() {
    if (locked) throw new VaultError('locked');
    if (failure) {
      const code = failure;
      failure = null;
      throw new VaultError(code);
    }
  }
  const now = () => new Date().toISOString();

  return {
    user: me,
    deviceId: 'device-1',
    get mustChangePassphrase() {
      return mustChangePassphrase;
    },
    drafts,
    failNext(code) {
      failure = code;
    },
    async list<T>(kind: EntityKind) {
      if (locked) check();
      const all = [...records.values()].filter((r) => r.kind === kind);
      if (all.some((r) => damaged.has(key(kind, r.id)))) throw new VaultError('corrupt');
      return all.map((r) => clone(r) as StoredEntity<T>);
    },
    async listReadable<T>(kind: EntityKind) {
      if (locked) check();
      const all = [...records.values()].filter((r) => r.kind === kind);
      return {
        records: all.filter((r) => !damaged.has(key(kind, r.id))).map((r) => clone(r) as StoredEntity<T>),
        unreadable: all.filter((r) => damaged.has(key(kind, r.id))).map((r) => r.id),
      };
    },
    async recordIds(kind: EntityKind) {
      if (locked) check();
      return [...records.values()].filter((r) => r.kind === kind).map((r) => r.id);
    },
    damage(kind: EntityKind, id: string) {
      damaged.add(key(kind, id));
    },
    async get<T>(kind: EntityKind, id: string) {
      if (locked) check();
      const r = records.get(key(kind, id));
      return r ? (clone(r) as StoredEntity<T>) : undefined;
    },
    async getMany<T>(keys: readonly (readonly [EntityKind, string])[]) {
      if (locked) check();
      return keys.map(([kind, id]) => {
        const r = records.get(key(kind, id));
        return r ? (clone(r) as StoredEntity<T>) : undefined;
      });
    },
    async put<T>(kind: EntityKind, id: string, data: T, op: ChangeOp) {
      check();
      const at = now();
      records.set(key(kind, id), { id, kind, data: clone(data), updatedAt: at, demo: false });
      out.push({ seq: ++seq, mutationId: crypto.randomUUID(), deviceId: 'device-1', kind, entityId: id, op, at, userId: me.id, payload: clone(data), baseVersion: null, refusal: null });
    },
    async putMany<T>(kind: EntityKind, items: readonly { id: string; data: T; op: ChangeOp }[]) {
      check();
      const at = now();
      for (const { id, data, op } of items) {
        records.set(key(kind, id), { id, kind, data: clone(data), updatedAt: at, demo: false });
        out.push({ seq: ++seq, mutationId: crypto.randomUUID(), deviceId: 'device-1', kind, entityId: id, op, at, userId: me.id, payload: clone(data), baseVersion: null, refusal: null });
      }
    },
    async append<T>(kind: EntityKind, id: string, data: T, options: { demo?: boolean; dropDraft?: string } = {}) {
      check();
      if (records.has(key(kind, id))) throw new VaultError('duplicate');
      if (options.dropDraft !== undefined) drafts.delete(options.dropDraft);
      const at = now();
      records.set(key(kind, id), { id, kind, data: clone(data), updatedAt: at, demo: options.demo === true });
      if (options.demo !== true) out.push({ seq: ++seq, mutationId: crypto.randomUUID(), deviceId: 'device-1', kind, entityId: id, op: 'append', at, userId: me.id, payload: clone(data), baseVersion: null, refusal: null });
    },
    async saveCache(key: string, value: unknown) {
      check();
      caches.set(key, clone(value));
    },
    async loadCache<T>(key: string) {
      if (locked) check();
      return clone(caches.get(key)) as T | undefined;
    },
    async putDemo<T>(kind: EntityKind, items: readonly { id: string; data: T }[]) {
      check();
      const at = now();
      for (const { id, data } of items) records.set(key(kind, id), { id, kind, data: clone(data), updatedAt: at, demo: true });
    },
    async clearDemo() {
      if (locked) check();
      let n = 0;
      for (const [k, r] of records) if (r.demo && records.delete(k)) n += 1;
      return n;
    },
    async logAccess(action: AccessAction, householdId: string | null, reason?: string) {
      if (locked) check();
      log.push({ id: crypto.randomUUID(), at: now(), userId: me.id, userName: me.displayName, action, householdId, ...(reason ? { reason } : {}) });
    },
    async accessLog() {
      return [...log];
    },
    async scanAccessLog(visit: (page: AccessLogEntry[]) => boolean | void) {
      if (locked) check();
      const newestFirst = [...log].reverse();
      for (let i = 0; i < newestFirst.length; i += 500) if (visit(newestFirst.slice(i, i + 500)) === true) return;
    },
    async outbox() {
      return [...out];
    },
    async pendingChanges() {
      return out.length;
    },
    // The hub link is kept in memory; what moves records (acknowledge, applyRemote, scope, wipe)
    // needs the real vault (src/vault/sync-store.ts), as backups do: UI tests stub it with vi.spyOn.
    sync: {
      stopWrites() {
        // the UI tests' phones are never retired
      },
      async hubLink() {
        if (locked) check();
        return clone(hubLink);
      },
      async saveHubLink(link: HubLink) {
        check();
        hubLink = clone(link);
      },
      async clearHubLink() {
        check();
        hubLink = undefined;
      },
      async acknowledge() {
        throw new VaultError('unexpected');
      },
      async applyRemote() {
        throw new VaultError('unexpected');
      },
      sealPulled() {
        throw new VaultError('unexpected');
      },
      async dropOutOfScope() {
        throw new VaultError('unexpected');
      },
      async dismissRefused(s: number) {
        check();
        const i = out.findIndex((e) => e.seq === s && e.refusal !== null);
        if (i < 0) throw new RangeError(`fake session: outbox entry ${s} was not refused`);
        out.splice(i, 1);
        // No pulls here, so no copy is ever held back for it [R4].
        return null;
      },
      async wipe() {
        throw new VaultError('unexpected');
      },
      async removeStopped() {
        throw new VaultError('unexpected');
      },
      async saveReceipts() {
        throw new VaultError('unexpected');
      },
      async receipts() {
        check();
        return [];
      },
      async evidenceMismatches() {
        check();
        return [];
      },
      async queueCounts() {
        check();
        const refused = out.filter((e) => e.refusal !== null).length;
        return { pending: out.length - refused, refused };
      },
      async refusedOf(kind: EntityKind | 'access') {
        check();
        return new Map(out.filter((e) => e.kind === kind && e.refusal !== null).map((e) => [e.entityId, e.refusal!.reason]));
      },
      async setAsideCounts() {
        check();
        return { total: 0, byReason: { id: 0, json: 0, shape: 0 } };
      },
      async userToken() {
        check();
        return userToken;
      },
      async saveUserToken(token: string) {
        check();
        userToken = token;
      },
      async clearUserToken() {
        check();
        userToken = undefined;
      },
      async userNames() {
        return { [me.id]: me.displayName };
      },
      async followServerSeq() {
        check();
      },
      async keepLostRecords() {
        check();
        return 0;
      },
      async resendLostRecords() {
        check();
        return 0;
      },
      async retryChainRefusals() {
        check();
        return 0;
      },
      async retryClockRefusals() {
        check();
        return 0;
      },
      async recheckSetAside() {
        check();
        return null;
      },
    },
    async saveDraft(k: string, value: unknown) {
      check();
      drafts.set(k, clone(value));
    },
    async loadDraft<T>(k: string) {
      if (locked) check();
      return drafts.has(k) ? (clone(drafts.get(k)) as T) : undefined;
    },
    async deleteDraft(k: string) {
      check();
      drafts.delete(k);
    },
    async listDraftKeys() {
      return [...drafts.keys()];
    },
    async addUser(_current: string, displayName: string) {
      return { id: crypto.randomUUID(), displayName, createdAt: now() };
    },
    // Removal needs the real vault (key slots, the re-check of the passphrase); UI tests stub it with vi.spyOn.
    async removeUser(_currentPassphrase: string, _userId: string): Promise<VaultUser> {
      throw new VaultError('unexpected');
    },
    // No passphrase is checked here: the real vault's own tests do that (src/vault).
    async changePassphrase(current: string, next: string) {
      check();
      if (next.normalize('NFC') === current.normalize('NFC')) throw new VaultError('unchanged-passphrase');
      mustChangePassphrase = false;
    },
    // Backups need the real vault (src/vault/backup.ts, including the re-check of the current
    // passphrase and the access entries); UI tests stub these with vi.spyOn.
    async exportBackup(_currentPassphrase: string, _backupPassphrase: string) {
      throw new VaultError('unexpected');
    },
    async restoreBackup(_bytes: Uint8Array, _backupPassphrase: string) {
      throw new VaultError('unexpected');
    },
    lock() {
      locked = true;
    },
    get isLocked() {
      return locked;
    },
  };
}
