import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  PBKDF2_ITERATIONS,
  SALT_BYTES,
  SLOT_ALGORITHM_VERSION,
  bindingOf,
  deriveKek,
  generateDataKey,
  randomBytes,
  seal,
  wrapDataKey,
} from './crypto';
import { VaultError } from './errors';
import { throttleDelayMs } from './key-slots';
import {
  OTHER_PASSPHRASE,
  PASSPHRASE,
  STAFF_NAME,
  createSampleRecord,
  createTestVault,
  dumpTables,
  newId,
  setUpTestVault,
  type SampleRecord,
} from './testing';
import type { VaultErrorCode } from './types';

afterEach(() => {
  vi.restoreAllMocks();
});

async function rejection(promise: Promise<unknown>): Promise<VaultError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(error)}`);
  return error;
}

async function expectCode(promise: Promise<unknown>, code: VaultErrorCode): Promise<VaultError> {
  const error = await rejection(promise);
  expect(error.code).toBe(code);
  return error;
}

describe('set-up and unlock', () => {
  it('sets up the first user, locks, and unlocks to the same data', async () => {
    const { db, vault } = createTestVault();
    const session = await vault.setUp(STAFF_NAME, PASSPHRASE);
    const slot = await db.keySlots.get(session.user.id);
    expect(slot).toMatchObject({ algorithm: SLOT_ALGORITHM_VERSION, iterations: PBKDF2_ITERATIONS });
    expect(slot?.salt.byteLength).toBe(SALT_BYTES);
    expect((await session.accessLog()).map((e) => e.action)).toEqual(['unlock']);
    expect(await vault.isSetUp()).toBe(true);
    const users = await vault.listUsers();
    expect(users).toEqual([session.user]);
    expect(session.user.displayName).toBe(STAFF_NAME);

    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    session.lock();

    const again = await vault.unlock(session.user.id, PASSPHRASE);
    expect(again.deviceId).toBe(session.deviceId);
    expect((await again.get<SampleRecord>('household', id))?.data).toEqual(createSampleRecord());
    expect(await again.list('household')).toHaveLength(1);
  });

  it('refuses a second set-up, a short passphrase and an unknown user', async () => {
    const fresh = createTestVault();
    expect(await fresh.vault.isSetUp()).toBe(false);
    await expectCode(fresh.vault.setUp(STAFF_NAME, '1234567'), 'weak-passphrase');
    await expectCode(fresh.vault.unlock(newId(), PASSPHRASE), 'not-set-up');

    const { vault } = await setUpTestVault();
    await expectCode(vault.setUp('別の 職員', PASSPHRASE), 'already-set-up');
    await expectCode(vault.unlock(newId(), PASSPHRASE), 'unknown-user');
  });

  it('answers a passphrase shorter than any slot allows without deriving or counting it', async () => {
    const { vault, session } = await setUpTestVault();
    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveKey');
    await expectCode(vault.unlock(session.user.id, ''), 'wrong-passphrase');
    await expectCode(vault.unlock(session.user.id, 'short'), 'wrong-passphrase');
    expect(derive).not.toHaveBeenCalled();
    expect(await vault.throttle(session.user.id)).toEqual({ failures: 0, retryAt: null });
  });

  it('rejects a wrong passphrase cleanly and changes nothing but the throttle counter', async () => {
    const { db, vault, session, clock } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    await session.saveDraft('household:new', createSampleRecord({ name: '入力途中' }));
    const before = await dumpTables(db);

    await expectCode(vault.unlock(session.user.id, OTHER_PASSPHRASE), 'wrong-passphrase');

    const after = await dumpTables(db);
    // the count, and the attempt's time for the 閲覧記録 (failed-unlocks.ts)
    expect(after.throttles).toEqual([{ userId: session.user.id, failures: 1, retryAt: null, failedAt: [clock.now()] }]);
    expect({ ...after, throttles: [] }).toEqual({ ...before, throttles: [] });
  });
});

describe('users and passphrases', () => {
  it('enrols a second user whose slot wraps the same data key, and both unlock to the same data', async () => {
    const { vault, session, clock } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    clock.advance(60_000);

    await expectCode(session.addUser(PASSPHRASE, '当番 次郎', 'short'), 'weak-passphrase');
    await expectCode(session.addUser(OTHER_PASSPHRASE, '当番 次郎', 'よる-の-当番-2026'), 'wrong-passphrase');
    const jiro = await session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    expect((await vault.listUsers()).map((u) => u.displayName)).toEqual([STAFF_NAME, '当番 次郎']);
    session.lock();

    const asJiro = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    expect(asJiro.user).toEqual(jiro);
    expect((await asJiro.get('household', id))?.data).toEqual(createSampleRecord());
    await asJiro.put('household', id, createSampleRecord({ address: '転居先' }), 'update');
    asJiro.lock();

    const asHanako = await vault.unlock(session.user.id, PASSPHRASE);
    expect((await asHanako.get<SampleRecord>('household', id))?.data.address).toBe('転居先');
    // One user's passphrase does not open another's slot.
    await expectCode(vault.unlock(jiro.id, PASSPHRASE), 'wrong-passphrase');
  });

  it('changes a passphrase: the old one stops working, the data stays readable', async () => {
    const { db, vault, session } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    const recordsBefore = await db.records.toArray();
    const saltBefore = (await db.keySlots.get(session.user.id))?.salt;

    await session.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE);

    const slot = await db.keySlots.get(session.user.id);
    expect(slot?.salt).not.toEqual(saltBefore);
    expect(slot?.iterations).toBe(PBKDF2_ITERATIONS);
    expect(await db.records.toArray()).toEqual(recordsBefore); // no re-encryption needed
    session.lock();
    await expectCode(vault.unlock(session.user.id, PASSPHRASE), 'wrong-passphrase');
    const again = await vault.unlock(session.user.id, OTHER_PASSPHRASE);
    expect((await again.get('household', id))?.data).toEqual(createSampleRecord());
  });

  it('raises a slot written with fewer iterations to the current count on unlock', async () => {
    const { db, vault } = createTestVault();
    // A slot and a record as an older release with 100,000 iterations would have written them.
    const dataKey = await generateDataKey();
    const oldSalt = randomBytes(SALT_BYTES);
    const userId = newId();
    const id = newId();
    await db.keySlots.add({
      userId,
      displayName: STAFF_NAME,
      createdAt: '2024-04-01T00:00:00.000Z',
      algorithm: 1,
      iterations: 100_000,
      salt: oldSalt,
      wrappedKey: await wrapDataKey(dataKey, await deriveKek(PASSPHRASE, oldSalt, 100_000)),
    });
    const sealed = await seal(dataKey, bindingOf('records', 'household', id), createSampleRecord());
    await db.records.add({ kind: 'household', id, demo: 0, updatedAt: '2024-04-01T00:00:00.000Z', ...sealed });

    const session = await vault.unlock(userId, PASSPHRASE);
    const slot = await db.keySlots.get(userId);
    expect(slot).toMatchObject({ iterations: PBKDF2_ITERATIONS, algorithm: SLOT_ALGORITHM_VERSION });
    expect(slot?.salt).not.toEqual(oldSalt);
    expect((await session.get('household', id))?.data).toEqual(createSampleRecord());
    session.lock();
    const again = await vault.unlock(userId, PASSPHRASE);
    expect((await again.get('household', id))?.data).toEqual(createSampleRecord());
  });
});

describe('lock', () => {
  it('rejects every call after lock() with VaultError("locked")', async () => {
    const { session } = await setUpTestVault();
    session.lock();
    expect(session.isLocked).toBe(true);
    const id = newId();
    const calls: Promise<unknown>[] = [
      session.list('household'),
      session.get('household', id),
      session.put('household', id, createSampleRecord(), 'create'),
      session.putDemo('household', [{ id, data: createSampleRecord() }]),
      session.clearDemo(),
      session.logAccess('open-household', id),
      session.accessLog(),
      session.outbox(),
      session.pendingChanges(),
      session.saveDraft('household:new', {}),
      session.loadDraft('household:new'),
      session.deleteDraft('household:new'),
      session.listDraftKeys(),
      session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE),
      session.changePassphrase(PASSPHRASE, OTHER_PASSPHRASE),
    ];
    for (const call of calls) await expectCode(call, 'locked');
  });

  it('does not hand out data decrypted after lock() was called', async () => {
    const { session } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    const listing = session.list('household');
    session.lock();
    await expectCode(listing, 'locked');
  });

  it('keeps drafts across lock and unlock', async () => {
    const { vault, session } = await setUpTestVault();
    const typing = createSampleRecord({ name: '入力途中の 名前' });
    await session.saveDraft('household:new', typing);
    await session.saveDraft('household:abc', { step: 2 });
    session.lock();

    const again = await vault.unlock(session.user.id, PASSPHRASE);
    expect((await again.listDraftKeys()).sort()).toEqual(['household:abc', 'household:new']);
    expect(await again.loadDraft('household:new')).toEqual(typing);
    await again.deleteDraft('household:new');
    expect(await again.loadDraft('household:new')).toBeUndefined();
    await expect(again.saveDraft('山田さんの下書き', {})).rejects.toThrow(TypeError);
  });

  it('locks every open session when the vault is closed, and opens again on the next call', async () => {
    const { vault } = createTestVault();
    const session = await vault.setUp(STAFF_NAME, PASSPHRASE);
    vault.close();
    expect(session.isLocked).toBe(true);
    expect(await vault.isSetUp()).toBe(true);
  });
});

describe('unlock throttle', () => {
  it('waits 5 s, 10 s, 20 s … up to 15 minutes once three attempts have failed', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 11, 30].map(throttleDelayMs)).toEqual([
      0, 0, 5_000, 10_000, 20_000, 40_000, 640_000, 900_000, 900_000,
    ]);
  });

  it('after three failures refuses attempts until retryAt without deriving a key; a success resets', async () => {
    const { vault, session, clock } = await setUpTestVault();
    const userId = session.user.id;
    session.lock();

    for (let i = 0; i < 2; i += 1) {
      const error = await expectCode(vault.unlock(userId, OTHER_PASSPHRASE), 'wrong-passphrase');
      expect(error.retryAt).toBeUndefined();
    }
    const third = await expectCode(vault.unlock(userId, OTHER_PASSPHRASE), 'wrong-passphrase');
    const firstWait = new Date(clock.now() + 5_000).toISOString();
    expect(third.retryAt).toBe(firstWait);
    expect(await vault.throttle(userId)).toEqual({ failures: 3, retryAt: firstWait });

    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveKey');
    clock.advance(4_999);
    const throttled = await expectCode(vault.unlock(userId, PASSPHRASE), 'throttled');
    expect(throttled.retryAt).toBe(firstWait);
    expect(derive).not.toHaveBeenCalled();

    clock.advance(1);
    const fourth = await expectCode(vault.unlock(userId, OTHER_PASSPHRASE), 'wrong-passphrase');
    expect(fourth.retryAt).toBe(new Date(clock.now() + 10_000).toISOString());
    expect(derive).toHaveBeenCalledTimes(1);

    clock.advance(10_000);
    expect(await vault.throttle(userId)).toEqual({ failures: 4, retryAt: null });
    await vault.unlock(userId, PASSPHRASE);
    expect(await vault.throttle(userId)).toEqual({ failures: 0, retryAt: null });
  });

  it('counts guesses made at once (several tabs) before deriving: only the free three are tried', async () => {
    const { vault, session } = await setUpTestVault();
    const userId = session.user.id;
    session.lock();
    const codes = await Promise.all(Array.from({ length: 8 }, () => vault.unlock(userId, OTHER_PASSPHRASE).then(() => 'opened', (e: VaultError) => e.code)));
    expect(codes.filter((c) => c === 'wrong-passphrase')).toHaveLength(3);
    expect(codes.filter((c) => c === 'throttled')).toHaveLength(5);
    expect((await vault.throttle(userId)).failures).toBe(3);
  });

  it('waits at most 15 minutes from now, whatever the clock did since the failures', async () => {
    const { vault, session, clock } = await setUpTestVault();
    const userId = session.user.id;
    session.lock();
    for (let i = 0; i < 3; i += 1) await expectCode(vault.unlock(userId, OTHER_PASSPHRASE), 'wrong-passphrase');
    clock.advance(-24 * 3_600_000); // the phone's clock corrected a day back
    const wait = Date.parse((await vault.throttle(userId)).retryAt!) - clock.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(15 * 60_000);
  });
});

describe('device settings', () => {
  it('defaults to a 5-minute idle lock and a 12-month review, and validates ranges', async () => {
    const { vault } = createTestVault();
    expect(await vault.settings()).toEqual({ idleLockMinutes: 5, reviewAfterMonths: 12 });
    expect(await vault.updateSettings({ idleLockMinutes: 1 })).toEqual({ idleLockMinutes: 1, reviewAfterMonths: 12 });
    const updated = await vault.updateSettings({ reviewAfterMonths: 60 });
    expect(updated).toEqual({ idleLockMinutes: 1, reviewAfterMonths: 60 });
    for (const bad of [0, 61, 2.5, Number.NaN]) {
      await expect(vault.updateSettings({ idleLockMinutes: bad })).rejects.toThrow(RangeError);
      await expect(vault.updateSettings({ reviewAfterMonths: bad })).rejects.toThrow(RangeError);
    }
    expect(await vault.settings()).toEqual({ idleLockMinutes: 1, reviewAfterMonths: 60 });
  });
});
