/**
 * An unlocked session: holds the non-extractable data key in memory and nothing decrypted besides
 * what it hands back. Locking drops the key; every later call rejects with VaultError('locked').
 */
import { keepLostRecords, resendLostRecords } from './epoch-resend';
import { retryChainRefusals, retryClockRefusals } from './chain-retry';
import { assertDisplayName, assertStrongPassphrase, findSlot, openSlot, userOf, wrapForPassphrase } from './key-slots';
import { logFailedUnlocks } from './failed-unlocks';
import { exportBackup, restoreBackup } from './backup';
import { clearUserSecret, newUserKey, readUserSecret, rewrapUserKey, saveUserSecret } from './user-key';
import Dexie from 'dexie';
import { ensureDeviceId, readMeta, recordsOfKind, withStorage, type VaultDatabase } from './db';
import * as cache from './cache';
import * as drafts from './drafts';
import * as syncStore from './sync-store';
import { countSetAside } from './set-aside';
import * as receiptStore from './receipts';
import { VaultError } from './errors';
import {
  appendAccess,
  clearRetiring,
  isoAt,
  markRetiring,
  prepareAccess,
  readAccessLog,
  readOutbox,
  scanAccessLog,
  writeAccess,
  type SessionContext,
} from './journal';
import {
  appendRecord,
  assertOpaqueId,
  clearDemoRecords,
  getRecord,
  getRecords,
  listRecords,
  listReadableRecords,
  putDemoRecords,
  putRecord,
  putRecords,
} from './records';
import type {
  AccessAction,
  AccessLogEntry,
  ChangeOp,
  EntityKind,
  OutboxEntry,
  RestoreResult,
  StoredEntity,
  SyncStore,
  VaultSession,
  VaultUser,
} from './types';

/**
 * Opens a session for a user whose key has just been unwrapped, and writes the 'unlock' entry of
 * the access log. The audit trail must not miss an unlock: if the entry cannot be written, the
 * session is locked again and the error goes to the caller. Then the failed unlocks made on this
 * phone since the key was last at hand, on anyone's slot (failed-unlocks.ts); if they cannot be
 * written now, they stay for the next unlock.
 */
export async function openSession(
  db: VaultDatabase,
  key: CryptoKey,
  user: VaultUser,
  now: () => number,
  /** the user's own key (user-key.ts); null: their per-user secrets cannot be read in this session */
  userKey: CryptoKey | null = null,
  /** their slot says so (KeySlotRow.mustChangePassphrase): they were added by someone who knows their passphrase */
  options: { readonly mustChangePassphrase?: boolean } = {},
): Promise<Session> {
  // [retire] A new session starts writable (clearRetiring says why); a phone still stopped is
  // marked again by the retire its first sync runs, before the last read of what it sends.
  const deviceId = await db.transaction('rw', db.meta, async () => {
    await clearRetiring(db);
    return ensureDeviceId(db);
  });
  const session = new Session(db, key, user, deviceId, now, userKey, options.mustChangePassphrase === true);
  try {
    await session.logAccess('unlock', null);
  } catch (e) {
    session.lock();
    throw e;
  }
  await session.writeFailedUnlocks();
  return session;
}

/** The name of the hub device token among the user's own secrets. */
const HUB_TOKEN = 'hub-device-token';

/** What a person's key slot takes with it when it goes. */
const SLOT_TABLES = (db: VaultDatabase) => [db.keySlots, db.throttles, db.userSecrets, db.drafts];

/**
 * Deletes a person's key slot, their throttle row, their own secrets (their hub device token) and
 * their personal drafts (`<key>:<their id>`), inside a transaction holding SLOT_TABLES. The outbox
 * is not touched: their unsent changes are evidence, and are sent as before.
 */
async function deleteSlot(db: VaultDatabase, userId: string): Promise<void> {
  await db.keySlots.delete(userId);
  await db.throttles.delete(userId);
  await db.userSecrets.where('[userId+name]').between([userId, Dexie.minKey], [userId, Dexie.maxKey]).delete();
  const personal = `:${userId}`;
  const drafts = (await db.drafts.toCollection().primaryKeys()).filter((key) => key.endsWith(personal));
  await db.drafts.bulkDelete(drafts);
}

export class Session implements VaultSession {
  #key: CryptoKey | null;
  #userKey: CryptoKey | null;
  #mustChangePassphrase: boolean;

  constructor(
    private readonly db: VaultDatabase,
    key: CryptoKey,
    readonly user: VaultUser,
    readonly deviceId: string,
    private readonly now: () => number,
    userKey: CryptoKey | null = null,
    mustChangePassphrase = false,
  ) {
    this.#key = key;
    this.#userKey = userKey;
    this.#mustChangePassphrase = mustChangePassphrase;
  }

  get mustChangePassphrase(): boolean {
    return this.#mustChangePassphrase;
  }

  get isLocked(): boolean {
    return this.#key === null;
  }

  lock(): void {
    this.#key = null;
    this.#userKey = null;
  }

  /** The user's own key, for what is theirs alone (A8); 'locked' without it. */
  private userKey(): CryptoKey {
    if (this.#key === null || this.#userKey === null) throw new VaultError('locked');
    return this.#userKey;
  }

  private async run<T>(work: (ctx: SessionContext) => Promise<T>): Promise<T> {
    if (this.#key === null) throw new VaultError('locked');
    const { db, user, deviceId, now } = this;
    const ctx: SessionContext = { db, key: this.#key, user, deviceId, now };
    return withStorage(db, () => work(ctx));
  }

  /** Like run, but decrypted data that finishes after a lock() is dropped instead of handed back. */
  private async read<T>(work: (ctx: SessionContext) => Promise<T>): Promise<T> {
    const result = await this.run(work);
    if (this.#key === null) throw new VaultError('locked');
    return result;
  }

  list<T>(kind: EntityKind): Promise<StoredEntity<T>[]> {
    return this.read((ctx) => listRecords<T>(ctx, kind));
  }

  listReadable<T>(kind: EntityKind): Promise<{ records: StoredEntity<T>[]; unreadable: string[] }> {
    return this.read((ctx) => listReadableRecords<T>(ctx, kind));
  }

  get<T>(kind: EntityKind, id: string): Promise<StoredEntity<T> | undefined> {
    return this.read((ctx) => getRecord<T>(ctx, kind, id));
  }

  getMany<T>(keys: readonly (readonly [EntityKind, string])[]): Promise<(StoredEntity<T> | undefined)[]> {
    return this.read((ctx) => getRecords<T>(ctx, keys));
  }

  /**
   * The ids of every record of a kind, from the keys alone (nothing decrypted): a tab about to append
   * to a case finds what another tab of the app wrote since, and decrypts only that (state/store.ts).
   */
  recordIds(kind: EntityKind): Promise<string[]> {
    return this.read(async ({ db }) => (await recordsOfKind(db, kind).primaryKeys()).map(([, id]) => id));
  }

  /** Set by sync.stopWrites: a retiring phone queues nothing more (it would be wiped unsent). */
  #writesStopped = false;
  /**
   * The same stop, said in the vault for every tab (journal.ts markRetiring); the retire's read of
   * the outbox waits for it, so that nothing another tab writes can land after that read.
   */
  #retiringMarked: Promise<void> | null = null;

  private writable(): void {
    if (this.#writesStopped) throw new VaultError('retiring');
  }

  put<T>(kind: EntityKind, id: string, data: T, op: ChangeOp): Promise<void> {
    return this.run((ctx) => (this.writable(), putRecord(ctx, kind, id, data, op)));
  }

  putMany<T>(kind: EntityKind, items: readonly { id: string; data: T; op: ChangeOp }[]): Promise<void> {
    return this.run((ctx) => (this.writable(), putRecords(ctx, kind, items)));
  }

  append<T>(kind: EntityKind, id: string, data: T, options: { readonly demo?: boolean; readonly dropDraft?: string } = {}): Promise<void> {
    return this.run((ctx) => (this.writable(), appendRecord(ctx, kind, id, data, options.demo === true, options.dropDraft)));
  }

  putDemo<T>(kind: EntityKind, items: readonly { id: string; data: T }[]): Promise<void> {
    return this.run((ctx) => putDemoRecords(ctx, kind, items));
  }

  clearDemo(): Promise<number> {
    return this.run(clearDemoRecords);
  }

  async logAccess(action: AccessAction, householdId: string | null, reason?: string): Promise<void> {
    if (householdId !== null) assertOpaqueId(householdId);
    await this.run((ctx) => (this.writable(), appendAccess(ctx, action, householdId, reason)));
  }

  /**
   * Writes the failed unlocks waiting in the throttle rows (failed-unlocks.ts): after an unlock and
   * after each passphrase re-entered right in 設定. Never fails the caller: what is not written
   * now stays for the next time.
   */
  async writeFailedUnlocks(): Promise<void> {
    await this.run(logFailedUnlocks).catch(() => undefined);
  }

  accessLog(): Promise<AccessLogEntry[]> {
    return this.read(readAccessLog);
  }

  scanAccessLog(visit: (page: AccessLogEntry[]) => boolean | void): Promise<void> {
    // a page decrypted after a lock is not handed over: the scan stops, and read() says 'locked'
    return this.read((ctx) => scanAccessLog(ctx, (page) => (this.#key === null ? true : visit(page))));
  }

  async outbox(): Promise<OutboxEntry[]> {
    await this.#retiringMarked;
    return this.read(readOutbox);
  }

  pendingChanges(): Promise<number> {
    return this.run((ctx) => ctx.db.outbox.count());
  }

  readonly sync: SyncStore = {
    stopWrites: () => {
      this.#writesStopped = true;
      // Needs no key, as the wipe, and is said again each time a retire starts. A mark that cannot be
      // written (a full disk) leaves this tab's own stop: the retire goes on, or the phone never wipes.
      this.#retiringMarked = withStorage(this.db, () => markRetiring(this.db)).catch(() => undefined);
    },
    hubLink: () => this.read(syncStore.readHubLink),
    saveHubLink: (link) => this.run((ctx) => syncStore.saveHubLink(ctx, link)),
    clearHubLink: () => this.run(syncStore.clearHubLink),
    acknowledge: (results, changes) => this.run((ctx) => syncStore.acknowledge(ctx, results, changes)),
    applyRemote: (records, link) => this.run((ctx) => syncStore.applyRemote(ctx, records, link)),
    sealPulled: (start) => {
      const key = this.#key;
      if (key === null) throw new VaultError('locked');
      const { sealed, ...rest } = start(key, this.now());
      return { ...rest, prepared: sealed.then((page) => syncStore.preparedFrom(key, page)) };
    },
    dropOutOfScope: (scope) => this.run((ctx) => syncStore.dropOutOfScope(ctx, scope)),
    dismissRefused: (seq, logReason) => this.run((ctx) => (this.writable(), syncStore.dismissRefused(ctx, seq, logReason))),
    queueCounts: () => this.read(syncStore.queueCounts),
    refusedOf: (kind) => this.read((ctx) => syncStore.refusedOf(ctx, kind)),
    evidenceMismatches: () => this.read(async ({ db }) => (await readMeta(db, 'evidenceMismatches')) ?? []),
    setAsideCounts: () => this.read(countSetAside),
    userToken: () => this.read(({ db, user }) => readUserSecret<string>(db, this.userKey(), user.id, HUB_TOKEN)),
    saveUserToken: (token) => this.run(({ db, user }) => saveUserSecret(db, this.userKey(), user.id, HUB_TOKEN, token)),
    clearUserToken: () => this.run(({ db, user }) => clearUserSecret(db, user.id, HUB_TOKEN)),
    userNames: () => this.run(async ({ db }) => Object.fromEntries((await db.keySlots.toArray()).map((s) => [s.userId, s.displayName]))),
    removeStopped: (hubUserIds, onRemoved) => this.removeStopped(hubUserIds, onRemoved),
    followServerSeq: (lastSeq) => this.run((ctx) => syncStore.followServerSeq(ctx, lastSeq)),
    keepLostRecords: (floor, lastSeq) => this.run((ctx) => keepLostRecords(ctx, floor, lastSeq)),
    resendLostRecords: () => this.run(resendLostRecords),
    retryChainRefusals: (arrivedIds) => this.run((ctx) => retryChainRefusals(ctx, arrivedIds)),
    retryClockRefusals: (hubNowMs) => this.run((ctx) => retryClockRefusals(ctx, hubNowMs)),
    recheckSetAside: () => this.run(syncStore.recheckSetAside),
    saveReceipts: (list) => this.run((ctx) => receiptStore.saveReceipts(ctx, list)),
    receipts: () => this.read(receiptStore.readReceipts),
    wipe: async () => {
      // Not through withStorage: it would reopen the database it is deleting. Marked first, so that
      // nothing in this tab opens it again meanwhile or after (it would be created anew, empty of key slots).
      // Needs no key: a retiring phone that locked while the hub was told (idle, ロック, the app
      // sent to the background) still erases everything.
      this.lock();
      this.db.markDeleted();
      await this.db.delete();
    },
  };

  saveDraft(key: string, value: unknown): Promise<void> {
    return this.run((ctx) => drafts.saveDraft(ctx, key, value));
  }

  loadDraft<T>(key: string): Promise<T | undefined> {
    return this.read((ctx) => drafts.loadDraft<T>(ctx, key));
  }

  deleteDraft(key: string): Promise<void> {
    return this.run((ctx) => drafts.deleteDraft(ctx, key));
  }

  saveCache(key: string, value: unknown): Promise<void> {
    return this.run((ctx) => cache.saveCache(ctx, key, value));
  }

  loadCache<T>(key: string): Promise<T | undefined> {
    return this.read((ctx) => cache.loadCache<T>(ctx, key));
  }

  listDraftKeys(): Promise<string[]> {
    return this.run(drafts.listDraftKeys);
  }

  /**
   * The session's key cannot be exported, so the current user's passphrase re-derives their KEK
   * and unwraps an extractable copy that lives only until it is wrapped for the new slot.
   * The re-entered passphrase goes through the same throttle as unlock.
   */
  async addUser(currentPassphrase: string, displayName: string, newPassphrase: string): Promise<VaultUser> {
    return this.run(async (ctx) => {
      const { db, now } = ctx;
      const name = assertDisplayName(displayName);
      assertStrongPassphrase(newPassphrase);
      // Each person's own passphrase is what attributes an unlock, and every record opened, to them.
      if (newPassphrase.normalize('NFC') === currentPassphrase.normalize('NFC')) throw new VaultError('same-passphrase');
      const slot = await findSlot(db, this.user.id);
      const extractable = await openSlot(db, slot, currentPassphrase, now, true);
      await this.writeFailedUnlocks();
      const { wrapping, kek } = await wrapForPassphrase(newPassphrase, extractable);
      const { wrapped: userKey } = await newUserKey(kek);
      const user: VaultUser = { id: globalThis.crypto.randomUUID(), displayName: name, createdAt: isoAt(now) };
      // Every person added can read every household on the phone: who added whom is in the 閲覧記録,
      // written with the slot in one transaction (a full disk left an unlogged person who could unlock).
      const logged = await prepareAccess(ctx, 'add-user', null, `${user.displayName}（${user.id}）`);
      await db.transaction('rw', [db.keySlots, db.accessLog, db.outbox, db.meta], async () => {
        // Typed on this screen, so known to the one enrolling: the new person replaces it before anything opens.
        await db.keySlots.add({ userId: user.id, displayName: user.displayName, createdAt: user.createdAt, ...wrapping, userKey, mustChangePassphrase: true });
        await writeAccess(db, logged);
      });
      return user;
    });
  }

  /**
   * Takes a person off this phone: their key slot goes (they can no longer unlock it, offline or
   * not), with their own secrets (their hub device token), their throttle row and their personal
   * drafts (personalDraftKey: `<key>:<their id>`). What they made stays: records, the 閲覧記録, and
   * their changes not yet sent, which stay queued under their name and go to the hub as before
   * (the hub link keeps them as a member, A9). The unlocked person re-enters their own passphrase,
   * through the same throttle as addUser ('wrong-passphrase', 'throttled'); they cannot remove
   * themselves ('remove-self') nor the last person ('last-user'). The 'remove-user' entry, naming
   * the person, is written in the same transaction as the removal: no removal goes unlogged.
   */
  async removeUser(currentPassphrase: string, userId: string): Promise<VaultUser> {
    return this.run(async (ctx) => {
      const { db, now } = ctx;
      // Refused before the passphrase is checked: such a request costs no attempt. With one person
      // left, they are the one asking: the phone would be left with no one who can open it.
      if ((await db.keySlots.count()) <= 1) throw new VaultError('last-user');
      if (userId === this.user.id) throw new VaultError('remove-self');
      const target = await db.keySlots.get(userId);
      if (target === undefined) throw new VaultError('unknown-user');
      // [A9] Their unsent changes go under their name; the hub takes them only from a person who has
      // signed in on this phone. Without that, nobody could ever send them, nor anything queued after.
      const unsent = await db.outbox.filter((row) => row.userId === userId && (row.refusedReason === undefined || row.refusedReason === null)).count();
      // A member signed out of this phone (their sign-in revoked) holds the queue the same way.
      const member = (await syncStore.readHubLink(ctx))?.members?.[userId];
      if (unsent > 0 && (member === undefined || member.signedOut || member.authorRefused === true)) throw new VaultError('remove-unsent');
      const slot = await findSlot(db, this.user.id);
      await openSlot(db, slot, currentPassphrase, now, false);
      // Guesses on the slot that goes are written before its throttle row goes with it.
      await this.writeFailedUnlocks();
      const removed = userOf(target);
      const logged = await prepareAccess(ctx, 'remove-user', null, `${removed.displayName}（${removed.id}）`);
      await db.transaction('rw', [...SLOT_TABLES(db), db.accessLog, db.outbox, db.meta], async () => {
        // Another tab may have removed them, or this person, meanwhile.
        if ((await db.keySlots.get(this.user.id)) === undefined) throw new VaultError('unknown-user');
        if ((await db.keySlots.get(userId)) === undefined) throw new VaultError('unknown-user');
        if ((await db.keySlots.count()) <= 1) throw new VaultError('last-user');
        await deleteSlot(db, userId);
        await writeAccess(db, logged);
      });
      return removed;
    });
  }

  /** SyncStore.removeStopped: the hub stopped them (A10), so no passphrase is asked. */
  private async removeStopped(hubUserIds: readonly string[], onRemoved?: (user: VaultUser) => void): Promise<readonly VaultUser[]> {
    return this.run(async (ctx) => {
      const { db } = ctx;
      const stopped = new Set(hubUserIds);
      const members = (await syncStore.readHubLink(ctx))?.members ?? {};
      // The unlocked person last: their own removal ends what this session may write.
      const targets = Object.entries(members)
        .filter(([, member]) => stopped.has(member.userId))
        .sort(([a], [b]) => Number(a === this.user.id) - Number(b === this.user.id));
      const removed: VaultUser[] = [];
      for (const [userId] of targets) {
        const slot = await db.keySlots.get(userId);
        if (slot === undefined) continue;
        // Guesses on the slot that goes are written before its throttle row goes with it.
        await logFailedUnlocks(ctx).catch(() => undefined);
        const logged = await prepareAccess(ctx, 'remove-user', null, `${slot.displayName}（${userId}）：拠点で利用停止`);
        const gone = await db.transaction('rw', [...SLOT_TABLES(db), db.accessLog, db.outbox, db.meta], async () => {
          // Another tab may have removed them meanwhile; the last slot never goes (the unlocked person's stays).
          if ((await db.keySlots.get(userId)) === undefined || (await db.keySlots.count()) <= 1) return false;
          await deleteSlot(db, userId);
          await writeAccess(db, logged);
          return true;
        });
        if (gone) {
          removed.push(userOf(slot));
          onRemoved?.(userOf(slot));
        }
      }
      return removed;
    });
  }

  /**
   * Re-wraps the same data key under the new passphrase (fresh salt); no record is re-encrypted.
   * The slot is rewritten whole, without mustChangePassphrase: the flag goes with the passphrase
   * someone else knew, in the same write, never before it nor after.
   */
  async changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<void> {
    await this.run(async (ctx) => {
      const { db, now } = ctx;
      assertStrongPassphrase(newPassphrase);
      // Refused before the passphrase is checked: costs no attempt. Kept, it would stay known to whoever knew it.
      if (newPassphrase.normalize('NFC') === currentPassphrase.normalize('NFC')) throw new VaultError('unchanged-passphrase');
      const slot = await findSlot(db, this.user.id);
      const derived: { kek?: CryptoKey } = {};
      const extractable = await openSlot(db, slot, currentPassphrase, now, true, derived);
      await this.writeFailedUnlocks();
      const { wrapping, kek } = await wrapForPassphrase(newPassphrase, extractable);
      // The user's own key follows the passphrase, or their hub sign-in would be lost with the old one.
      const userKey = await rewrapUserKey(slot, derived.kek!, kek);
      // logged in the same transaction: a change that failed to log was made all the same, its error
      // shown, and the old passphrase, tried again, counted as a failed unlock
      const logged = await prepareAccess(ctx, 'change-passphrase', null);
      await db.transaction('rw', [db.keySlots, db.accessLog, db.outbox, db.meta], async () => {
        // Removed from this phone in another tab meanwhile: a put would bring the slot back.
        const current = await db.keySlots.get(slot.userId);
        if (current === undefined) throw new VaultError('unknown-user');
        // put, not update: Dexie's update deep-clones typed arrays, and drops no field as plainly.
        const { mustChangePassphrase: _known, ...kept } = current;
        await db.keySlots.put({ ...kept, ...wrapping, ...userKey });
        await writeAccess(db, logged);
      });
    });
    this.#mustChangePassphrase = false;
  }

  /**
   * The file holds every household, so an unlocked phone alone must not be enough to take it: the
   * current user's passphrase is checked again first, through the same throttle as unlock
   * ('wrong-passphrase', 'throttled'); nothing is produced before it passes. A weak backup
   * passphrase is refused before that, so a mis-typed backup passphrase costs no attempt.
   * The 'export-backup' access entry is written before the bytes are handed back: if it cannot be
   * written, the caller gets the error and no file (as with the unlock entry in openSession).
   */
  async exportBackup(currentPassphrase: string, backupPassphrase: string): Promise<Uint8Array> {
    const file = await this.read(async (ctx) => {
      assertStrongPassphrase(backupPassphrase);
      // Told to whoever restores the file, it would open this phone as this person.
      if (backupPassphrase.normalize('NFC') === currentPassphrase.normalize('NFC')) throw new VaultError('backup-same-passphrase');
      const slot = await findSlot(ctx.db, this.user.id);
      await openSlot(ctx.db, slot, currentPassphrase, ctx.now, false);
      await this.writeFailedUnlocks();
      return exportBackup(ctx, backupPassphrase);
    });
    // Which file left: the start of its SHA-256, as the claim files' entries name theirs, so that a
    // backup found later (a lost USB stick) can be matched to who made it and when.
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', file));
    const hash = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
    await this.logAccess('export-backup', null, `SHA-256 ${hash}`);
    return file;
  }

  /** Restores, with the 'restore-backup' access entry in the same transaction (backup.ts). */
  restoreBackup(bytes: Uint8Array, backupPassphrase: string): Promise<RestoreResult> {
    return this.run((ctx) => restoreBackup(ctx, bytes, backupPassphrase));
  }
}
