/**
 * Each user's own key (docs/security.md, docs/sync-protocol.md A8): the records share one data key
 * wrapped in every user's key slot, so a secret that belongs to one person (their hub device
 * token) is sealed with a second key that only their passphrase opens: a random AES-GCM key
 * wrapped (AES-KW) by the same passphrase-derived KEK as their slot's data key, kept in the slot.
 * Another user who unlocks the same phone holds the data key, never this one.
 */
import { bindingOf, generateDataKey, seal, unseal, unwrapDataKey, wrapDataKey } from './crypto';
import type { KeySlotRow, VaultDatabase } from './db';

/** A fresh user key wrapped by `kek`, and the session's non-extractable copy of it. */
export async function newUserKey(kek: CryptoKey): Promise<{ wrapped: Uint8Array<ArrayBuffer>; key: CryptoKey }> {
  const wrapped = await wrapDataKey(await generateDataKey(), kek);
  return { wrapped, key: await unwrapDataKey(wrapped, kek, false) };
}

/**
 * The slot's user key, opened with the KEK the unlock just derived. A slot made before user keys
 * existed gets one now, while the passphrase is at hand.
 */
export async function openUserKey(db: VaultDatabase, slot: KeySlotRow, kek: CryptoKey): Promise<CryptoKey> {
  if (slot.userKey !== undefined) return unwrapDataKey(slot.userKey, kek, false);
  const { wrapped, key } = await newUserKey(kek);
  // put, not update: Dexie's update deep-clones typed arrays into ones WebCrypto refuses in tests.
  await db.keySlots.put({ ...slot, userKey: wrapped });
  return key;
}

/** The slot's user key wrapped again for a new KEK (passphrase change, slot upgrade); {} when it has none. */
export async function rewrapUserKey(slot: KeySlotRow, oldKek: CryptoKey, newKek: CryptoKey): Promise<Pick<KeySlotRow, 'userKey'>> {
  if (slot.userKey === undefined) return {};
  const key = await unwrapDataKey(slot.userKey, oldKek, true);
  return { userKey: await wrapDataKey(key, newKek) };
}

const bindingOfSecret = (userId: string, name: string) => bindingOf('userSecrets', userId, name);

export async function readUserSecret<T>(db: VaultDatabase, key: CryptoKey, userId: string, name: string): Promise<T | undefined> {
  const row = await db.userSecrets.get([userId, name]);
  return row === undefined ? undefined : unseal<T>(key, bindingOfSecret(userId, name), row);
}

export async function saveUserSecret(db: VaultDatabase, key: CryptoKey, userId: string, name: string, value: unknown): Promise<void> {
  const sealed = await seal(key, bindingOfSecret(userId, name), value);
  await db.userSecrets.put({ userId, name, ...sealed });
}

export async function clearUserSecret(db: VaultDatabase, userId: string, name: string): Promise<void> {
  await db.userSecrets.delete([userId, name]);
}
