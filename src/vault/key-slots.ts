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
import { MAX_DISPLAY_NAME, VaultError } from './errors';
import { isGuessablePassphrase } from '../domain/passphrase-rule';
import type { UnlockThrottle, VaultUser } from './types';

export const MIN_PASSPHRASE_LENGTH = 8;
/**
 * How many failure times a slot keeps until they are written to the 閲覧記録 (each becomes one
 * entry); older ones are counted in `untimed` instead. The throttle's count is not capped.
 */
export const MAX_FAILURE_TIMES = 20;
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
  if (name.length === 0 || name.length > MAX_DISPLAY_NAME) {
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
  // Never longer than the longest wait from now: a clock put back a day after the failures (a
  // phone's time corrected) locked its coordinator out for the day.
  const until = waiting ? Math.min(row.retryAt as number, now + MAX_DELAY_MS) : null;
  return { failures: row.failures, retryAt: until === null ? null : new Date(until).toISOString() };
}

/** Failed attempts on one slot not yet written to the 閲覧記録: their times, and how many more with no time known. */
export interface PendingFailures {
  /** epoch ms, oldest first */
  readonly times: readonly number[];
  readonly untimed: number;
}

export function pendingFailures(row: ThrottleRow | undefined): PendingFailures {
  if (row === undefined) return { times: [], untimed: 0 };
  // A row written before times were kept: every failure it counts is unwritten (a success deleted the row then).
  if (row.failedAt === undefined) return { times: [], untimed: row.failures };
  return { times: row.failedAt, untimed: row.untimed ?? 0 };
}

export function hasPendingFailures(pending: PendingFailures): boolean {
  return pending.times.length > 0 || pending.untimed > 0;
}

/** The row with these pending failures, the oldest times past the cap counted as untimed; null when nothing is left to keep. */
export function throttleRowWith(throttle: Pick<ThrottleRow, 'userId' | 'failures' | 'retryAt'>, pending: PendingFailures): ThrottleRow | null {
  if (throttle.failures === 0 && throttle.retryAt === null && !hasPendingFailures(pending)) return null;
  const dropped = Math.max(0, pending.times.length - MAX_FAILURE_TIMES);
  const untimed = pending.untimed + dropped;
  return { ...throttle, failedAt: pending.times.slice(dropped), ...(untimed > 0 ? { untimed } : {}) };
}

/**
 * Counts an attempt as failed before its key is derived, in one transaction with the check of the
 * wait (IndexedDB orders them across tabs): attempts made at once in several tabs were all derived,
 * however many, before any was counted. Refused 'throttled' while a wait runs; returns when the
 * attempt was made and the wait it starts should it fail. A right passphrase takes it back
 * (passedAttempt), anything but a wrong one too (notAnAttempt).
 */
async function claimAttempt(db: VaultDatabase, userId: string, now: number): Promise<{ readonly at: number; readonly retryAt: number | null }> {
  return db.transaction('rw', db.throttles, async () => {
    const row = await db.throttles.get(userId);
    const throttle = throttleOf(row, now);
    if (throttle.retryAt !== null) throw new VaultError('throttled', { retryAt: throttle.retryAt });
    const failures = (row?.failures ?? 0) + 1;
    const delay = throttleDelayMs(failures);
    const retryAt = delay > 0 ? now + delay : null;
    // (its time goes to the 閲覧記録's list only once it has failed: failedAttempt)
    await db.throttles.put(throttleRowWith({ userId, failures, retryAt }, pendingFailures(row))!);
    return { at: now, retryAt };
  });
}

/** The attempt claimed at `at` failed: its time joins those the next unlock writes to the 閲覧記録. */
async function failedAttempt(db: VaultDatabase, userId: string, at: number): Promise<void> {
  await db.transaction('rw', db.throttles, async () => {
    const row = await db.throttles.get(userId);
    const pending = pendingFailures(row);
    await db.throttles.put(throttleRowWith({ userId, failures: row?.failures ?? 1, retryAt: row?.retryAt ?? null }, { times: [...pending.times, at], untimed: pending.untimed })!);
  });
}

/** Something other than a wrong passphrase stopped the attempt: it was no guess, and is not counted. */
async function notAnAttempt(db: VaultDatabase, userId: string, at: number): Promise<void> {
  await db.transaction('rw', db.throttles, async () => {
    const row = await db.throttles.get(userId);
    if (row === undefined) return;
    const failures = Math.max(0, row.failures - 1);
    const delay = throttleDelayMs(failures);
    const kept = throttleRowWith({ userId, failures, retryAt: delay > 0 ? at + delay : null }, pendingFailures(row));
    if (kept === null) await db.throttles.delete(userId);
    else await db.throttles.put(kept);
  });
}

/**
 * The right passphrase: the wait starts over, but the failures not yet written stay (a session
 * writes them, failed-unlocks.ts), so that opening the slot never wipes the trace of guesses on it.
 */
async function passedAttempt(db: VaultDatabase, userId: string): Promise<void> {
  await db.transaction('rw', db.throttles, async () => {
    const row = await db.throttles.get(userId);
    if (row === undefined) return;
    const kept = throttleRowWith({ userId, failures: 0, retryAt: null }, pendingFailures(row));
    if (kept === null) await db.throttles.delete(userId);
    else await db.throttles.put(kept);
  });
}

export async function findSlot(db: VaultDatabase, userId: string): Promise<KeySlotRow> {
  const slot = await db.keySlots.get(userId);
  if (slot !== undefined) return slot;
  throw new VaultError((await db.keySlots.count()) === 0 ? 'not-set-up' : 'unknown-user');
}

/**
 * Checks a user's passphrase against their slot and returns the data key. While throttled it
 * rejects before deriving anything; a wrong passphrase writes the failure count and time and
 * nothing else; a right one resets the count, leaving the times for the session to write to the
 * 閲覧記録 (failed-unlocks.ts). `extractable` only for re-wrapping (enrolment, passphrase change).
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
  const attempt = await claimAttempt(db, slot.userId, now());
  let dataKey: CryptoKey;
  try {
    const kek = await deriveKek(passphrase, slot.salt, slot.iterations);
    dataKey = await unwrapDataKey(slot.wrappedKey, kek, extractable);
    if (out !== undefined) out.kek = kek;
  } catch (e) {
    if (!(e instanceof VaultError && e.code === 'wrong-passphrase')) {
      await notAnAttempt(db, slot.userId, attempt.at).catch(() => undefined);
      throw e;
    }
    await failedAttempt(db, slot.userId, attempt.at);
    throw new VaultError('wrong-passphrase', {
      cause: e.cause,
      ...(attempt.retryAt === null ? {} : { retryAt: new Date(attempt.retryAt).toISOString() }),
    });
  }
  await passedAttempt(db, slot.userId);
  return dataKey;
}
