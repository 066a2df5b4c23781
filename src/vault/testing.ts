/**
 * Helpers for the vault's own tests: a fresh database per test, a steppable clock, sample records
 * that look like personal data, and a raw dump of every table. Imported only by *.test.ts.
 */
import { generateDataKey } from './crypto';
import { VaultDatabase } from './db';
import { sessionKeyOf, wrapForPassphrase } from './key-slots';
import { openSession } from './session';
import { newUserKey } from './user-key';
import type { Vault, VaultSession, VaultUser } from './types';
import { openVault } from './vault';

export const PASSPHRASE = 'あおぞら拠点-当番用';
export const OTHER_PASSPHRASE = 'correct horse battery staple';
export const STAFF_NAME = '拠点 花子';

export function freshDatabaseName(): string {
  return `vault-test-${globalThis.crypto.randomUUID()}`;
}

export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function createClock(start = Date.parse('2025-04-01T09:00:00.000Z')): TestClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
  };
}

/** A record shaped like the personal parts of a household; the vault only sees JSON. */
export interface SampleRecord {
  readonly name: string;
  readonly address: string;
  readonly medications: string;
  readonly recipientNumber: string;
}

export function createSampleRecord(overrides: Partial<SampleRecord> = {}): SampleRecord {
  return {
    name: '山田 太郎',
    address: '東京都千代田区千代田1-1',
    medications: 'デパケンR 200mg 朝夕',
    recipientNumber: '1234567890',
    ...overrides,
  };
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

export interface TestVault {
  readonly db: VaultDatabase;
  readonly vault: Vault;
  readonly clock: TestClock;
}

export function createTestVault(name = freshDatabaseName()): TestVault {
  const db = new VaultDatabase(name);
  const clock = createClock();
  return { db, vault: openVault(db, { now: clock.now }), clock };
}

/** Set-up with a real key slot costs one PBKDF2 derivation; tests of everything else share one per file. */
let sharedSlot: ReturnType<typeof wrapForPassphrase> | undefined;

/**
 * A vault as setUp(STAFF_NAME, PASSPHRASE) leaves it, with an open session, but with a key slot
 * wrapped once per test file. The slot is real: unlock, addUser and changePassphrase work on it.
 * vault.close() does not know this session; tests of close() call setUp themselves.
 */
export async function setUpTestVault(): Promise<TestVault & { session: VaultSession }> {
  sharedSlot ??= generateDataKey().then((dataKey) => wrapForPassphrase(PASSPHRASE, dataKey));
  const { wrapping, kek } = await sharedSlot;
  const test = createTestVault();
  const createdAt = new Date(test.clock.now()).toISOString();
  const user: VaultUser = { id: newId(), displayName: STAFF_NAME, createdAt };
  const userKey = await newUserKey(kek);
  await test.db.keySlots.add({ userId: user.id, displayName: STAFF_NAME, createdAt, ...wrapping, userKey: userKey.wrapped });
  const session = await openSession(test.db, await sessionKeyOf(wrapping, kek), user, test.clock.now, userKey.key);
  return { ...test, session };
}

/** Every row of every table, read straight from IndexedDB without the vault. */
export async function dumpTables(db: VaultDatabase): Promise<Record<string, unknown[]>> {
  const tables = await Promise.all(db.tables.map(async (table) => [table.name, await table.toArray()] as const));
  return Object.fromEntries(tables);
}
