/**
 * The vault: first-use set-up, unlock into a Session, users, throttle state and device settings.
 * Everything is on the device; IndexedDB failures reach callers as VaultError ('quota-exceeded', 'connection-lost').
 */
import { generateDataKey } from './crypto';
import { countAccessQueued, countQueue, markSetUpInThisBrowser, VaultDatabase, withStorage } from './db';
import { VaultError } from './errors';
import { isoAt } from './journal';
import {
  assertDisplayName,
  assertStrongPassphrase,
  findSlot,
  openSlot,
  sessionKeyOf,
  slotNeedsUpgrade,
  throttleOf,
  userOf,
  wrapForPassphrase,
} from './key-slots';
import type { Session } from './session';
import { newUserKey, openUserKey, rewrapUserKey } from './user-key';
import { readSettings, updateSettings } from './settings';
import type { DeviceSettings, UnlockThrottle, Vault, VaultSession, VaultUser } from './types';

export interface VaultOptions {
  /** The clock, in epoch ms; tests inject one to step through the unlock throttle. */
  readonly now?: () => number;
}

/**
 * The unlocked session's code (records, the sync store, backups, the lost-record resend) is not
 * needed to show the set-up or lock screen, so it is a chunk of its own: a first visit paints the
 * set-up screen without it. Set-up and unlock start fetching it before the key derivation, which
 * takes longer; offline the service worker has it.
 */
let sessionCode: Promise<typeof import('./session')> | undefined;
export function loadSessionCode(): Promise<typeof import('./session')> {
  const loading = (sessionCode ??= import('./session'));
  // A failed fetch (an update half-deployed, the line dropped) is tried again next time.
  loading.catch(() => {
    if (sessionCode === loading) sessionCode = undefined;
  });
  return loading;
}

export function createVault(dbName = 'kyoten-vault', options: VaultOptions = {}): Vault {
  return openVault(new VaultDatabase(dbName), options);
}

/** Like createVault, over a database the caller holds (tests use it to reach the raw tables). */
export function openVault(db: VaultDatabase, options: VaultOptions = {}): Vault {
  const now = options.now ?? Date.now;
  const sessions = new Set<Session>();

  async function startSession(key: CryptoKey, user: VaultUser, userKey: CryptoKey, mustChangePassphrase = false): Promise<VaultSession> {
    const { openSession } = await loadSessionCode();
    const session = await openSession(db, key, user, now, userKey, { mustChangePassphrase });
    db.noteSession(session.deviceId);
    for (const old of sessions) if (old.isLocked) sessions.delete(old);
    sessions.add(session);
    return session;
  }

  return {
    isSetUp: () => withStorage(db, async () => (await db.keySlots.count()) > 0),

    listUsers: () =>
      withStorage(db, async () => (await db.keySlots.toArray()).map(userOf).sort(byCreatedAt)),

    waiting: () =>
      withStorage(db, () =>
        db.transaction('r', [db.hubLink, db.outbox], async () => {
          const { pending, refused } = await countQueue(db);
          return { joined: (await db.hubLink.count()) > 0, pending, refused, accessLog: await countAccessQueued(db) };
        }),
      ),

    async setUp(displayName: string, passphrase: string): Promise<VaultSession> {
      const name = assertDisplayName(displayName);
      assertStrongPassphrase(passphrase);
      void loadSessionCode().catch(() => undefined);
      return withStorage(db, async () => {
        if ((await db.keySlots.count()) > 0) throw new VaultError('already-set-up');
        const dataKey = await generateDataKey();
        const { wrapping, kek } = await wrapForPassphrase(passphrase, dataKey);
        // The session keeps a non-extractable copy; the extractable `dataKey` goes out of scope here.
        const key = await sessionKeyOf(wrapping, kek);
        const userKey = await newUserKey(kek);
        const user: VaultUser = { id: globalThis.crypto.randomUUID(), displayName: name, createdAt: isoAt(now) };
        await db.transaction('rw', db.keySlots, async () => {
          // A second tab may have finished its set-up while this one was deriving.
          if ((await db.keySlots.count()) > 0) throw new VaultError('already-set-up');
          const { id: userId, displayName, createdAt } = user;
          await db.keySlots.add({ userId, displayName, createdAt, ...wrapping, userKey: userKey.wrapped });
        });
        markSetUpInThisBrowser(user.createdAt);
        return startSession(key, user, userKey.key);
      });
    },

    unlock(userId: string, passphrase: string): Promise<VaultSession> {
      void loadSessionCode().catch(() => undefined);
      return withStorage(db, async () => {
        const slot = await findSlot(db, userId);
        const upgrade = slotNeedsUpgrade(slot);
        const derived: { kek?: CryptoKey } = {};
        let key = await openSlot(db, slot, passphrase, now, upgrade, derived);
        let kek = derived.kek!;
        let current = slot;
        if (upgrade) {
          // The slot predates the current iteration count or scheme: re-wrap while the passphrase is at hand.
          const rewrapped = await wrapForPassphrase(passphrase, key);
          current = { ...slot, ...rewrapped.wrapping, ...(await rewrapUserKey(slot, kek, rewrapped.kek)) };
          await db.keySlots.put(current);
          key = await sessionKeyOf(rewrapped.wrapping, rewrapped.kek);
          kek = rewrapped.kek;
        }
        const userKey = await openUserKey(db, current, kek);
        return startSession(key, userOf(slot), userKey, slot.mustChangePassphrase === true);
      });
    },

    throttle: (userId: string): Promise<UnlockThrottle> =>
      withStorage(db, async () => throttleOf(await db.throttles.get(userId), now())),

    settings: (): Promise<DeviceSettings> => withStorage(db, () => readSettings(db)),

    updateSettings: (patch: Partial<DeviceSettings>): Promise<DeviceSettings> =>
      withStorage(db, () => updateSettings(db, patch)),

    /** Locks every session and closes the connection; a later call opens it again. */
    close(): void {
      for (const session of sessions) session.lock();
      sessions.clear();
      db.close();
    },

    markWiped(): void {
      for (const session of sessions) session.lock();
      sessions.clear();
      db.markDeleted();
    },
  };
}

/** Enrolment order; same-instant enrolments by name, so the lock screen never reshuffles. */
const byCreatedAt = (a: VaultUser, b: VaultUser): number =>
  a.createdAt.localeCompare(b.createdAt) || a.displayName.localeCompare(b.displayName, 'ja');
