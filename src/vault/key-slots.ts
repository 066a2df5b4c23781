/**
 * Key slots (one per user, each wrapping the same data key) and the unlock throttle, both in clear.
 * Works offline; a full disk can stop a slot or a failure count being written, reported as 'quota-exceeded'.
 */
import {
  PBKDF2_ITERATIONS,
  SALT_BYTES,
  SLOT_ALGORITHM_VERSION,
  deriveKek,
  randomBytes,
  unwrapDataKey,
  wrapDataKey,
} from './crypto';
import type { KeySlotRow, ThrottleRow, VaultDatabase } from './db';
import { VaultError } from './errors';
import { isGuessablePassphrase } from './passphrase-rule';
import type { UnlockThrottle, VaultUser } from './types';

export const MIN_PASSPHRASE_LENGTH = 8;
/** Failures allowed before each further attempt has to wait. */
export const FREE_ATTEMPTS = 3;
const BASE_DELAY_MS = 5_000;
const MAX_DELAY_MS = 15 * 60_000;

/** Counts characters as the user sees them, so a Japanese passphrase is not measured in UTF-16 units. */
export function assertStrongPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH || isGuessablePassphrase(passphrase)) throw new VaultError('weak-passphrase');
}

export function assertDisplayName(displayName: string): string {
  const name = displayName.trim();
  if (name.length === 0 || name.length > 100) {
    throw new RangeError('vault: a user display name must have 1 to 100 characters');
  }
  return name;
}

type SlotWrapping = Pick<KeySlotRow, 'algorithm' | 'iterations' | 'salt' | 'wrappedKey'>;

/**
 * Wraps the data key for a passphrase with a fresh salt and the current parameters. Returns the KEK
 * too, so the caller can unwrap a non-extractable copy without deriving again.
 */
export async function wrapForPassphrase(
  passphrase: string,
  dataKey: CryptoKey,
): Promise<{ wrapping: SlotWrapping; kek: CryptoKey }> {
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKek(passphrase, salt, PBKDF2_ITERATIONS);
  const wrappedKey = await wrapDataKey(dataKey, kek);
  return { wrapping: { algorithm: SLOT_ALGORITHM_VERSION, iterations: PBKDF2_ITERATIONS, salt, wrappedKey }, kek };
}

/** The session's copy of the data key: usable for encrypt/decrypt, never exportable. */
export function sessionKeyOf(wrapping: SlotWrapping, kek: CryptoKey): Promise<CryptoKey> {
  return unwrapDataKey(wrapping.wrappedKey, kek, false);
}

export function slotNeedsUpgrade(slot: KeySlotRow): boolean {
  return slot.algorithm < SLOT_ALGORITHM_VERSION || slot.iterations < PBKDF2_ITERATIONS;
}

export function userOf(slot: KeySlotRow): VaultUser {
  return { id: slot.userId, displayName: slot.displayName, createdAt: slot.createdAt };
}

/** Milliseconds to wait after `failures` consecutive failures: 0, 0, 5 s, 10 s, 20 s … 15 min. */
export function throttleDelayMs(failures: number): number {
  if (failures < FREE_ATTEMPTS) return 0;
  return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_MS);
}

export function throttleOf(row: ThrottleRow | undefined, now: number): UnlockThrottle {
  if (row === undefined) return { failures: 0, retryAt: null };
  const waiting = row.retryAt !== null && row.retryAt > now;
  return { failures: row.failures, retryAt: waiting ? new Date(row.retryAt as number).toISOString() : null };
}

async function recordFailure(db: VaultDatabase, userId: string, now: number): Promise<number | null> {
  return db.transaction('rw', db.throttles, async () => {
    const failures = ((await db.throttles.get(userId))?.failures ?? 0) + 1;
    const delay = throttleDelayMs(failures);
    const retryAt = delay > 0 ? now + delay : null;
    await db.throttles.put({ userId, failures, retryAt });
    return retryAt;
  });
}

export async function findSlot(db: VaultDatabase, userId: string): Promise<KeySlotRow> {
  const slot = await db.keySlots.get(userId);
  if (slot !== undefined) return slot;
  throw new VaultError((await db.keySlots.count()) === 0 ? 'not-set-up' : 'unknown-user');
}

/**
 * Checks a user's passphrase against their slot and returns the data key. While throttled it
 * rejects before deriving anything; a wrong passphrase writes the failure count and nothing else;
 * a right one resets the count. `extractable` only for re-wrapping (enrolment, passphrase change).
 */
export async function openSlot(
  db: VaultDatabase,
  slot: KeySlotRow,
  passphrase: string,
  now: () => number,
  extractable: boolean,
  /** receives the KEK derived from the passphrase (to open or re-wrap the user's own key, user-key.ts) */
  out?: { kek?: CryptoKey },
): Promise<CryptoKey> {
  const throttle = throttleOf(await db.throttles.get(slot.userId), now());
  if (throttle.retryAt !== null) throw new VaultError('throttled', { retryAt: throttle.retryAt });
  // Shorter than any slot was ever made with: a mis-tap, not a guess worth counting or deriving for.
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) throw new VaultError('wrong-passphrase');
  let dataKey: CryptoKey;
  try {
    const kek = await deriveKek(passphrase, slot.salt, slot.iterations);
    dataKey = await unwrapDataKey(slot.wrappedKey, kek, extractable);
    if (out !== undefined) out.kek = kek;
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'wrong-passphrase')) throw e;
    const retryAt = await recordFailure(db, slot.userId, now());
    throw new VaultError('wrong-passphrase', {
      cause: e.cause,
      ...(retryAt === null ? {} : { retryAt: new Date(retryAt).toISOString() }),
    });
  }
  if (throttle.failures > 0) await db.throttles.delete(slot.userId);
  return dataKey;
}
