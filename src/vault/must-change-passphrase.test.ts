/**
 * A person added on a shared phone got a passphrase the one who added them typed, and so knows
 * (KeySlotRow.mustChangePassphrase): their session says so until they change it, and only then.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { KeySlotRow } from './db';
import { createSampleRecord, createTestVault, OTHER_PASSPHRASE, PASSPHRASE, STAFF_NAME } from './testing';

afterEach(() => {
  vi.restoreAllMocks();
});

const JIRO = '当番 次郎';
const JIRO_OWN = 'じろう-だけが-知る-文';

/** Hanako sets the phone up (her own passphrase) and adds Jiro with the one she typed for him. */
async function phoneWithJiro() {
  const test = createTestVault();
  const hanako = await test.vault.setUp(STAFF_NAME, PASSPHRASE);
  await hanako.put('household', 'hh_1', createSampleRecord(), 'create');
  const jiro = await hanako.addUser(PASSPHRASE, JIRO, OTHER_PASSPHRASE);
  return { ...test, hanako, jiro };
}

describe('a passphrase chosen by someone else', () => {
  it('an added person unlocks with mustChangePassphrase until they change it, and stays clear of it after lock and unlock; the first person never has it', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    expect(hanako.mustChangePassphrase).toBe(false);
    expect((await db.keySlots.get(hanako.user.id))?.mustChangePassphrase).toBeUndefined();
    expect((await db.keySlots.get(jiro.id))?.mustChangePassphrase).toBe(true);
    hanako.lock();

    const first = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    expect(first.mustChangePassphrase).toBe(true);
    await first.changePassphrase(OTHER_PASSPHRASE, JIRO_OWN);
    expect(first.mustChangePassphrase).toBe(false);
    expect(await db.keySlots.get(jiro.id)).not.toHaveProperty('mustChangePassphrase');
    first.lock();

    await expect(vault.unlock(jiro.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    const again = await vault.unlock(jiro.id, JIRO_OWN);
    expect(again.mustChangePassphrase).toBe(false);
    expect((await again.get('household', 'hh_1'))?.data).toEqual(createSampleRecord());
    expect((await again.accessLog()).filter((e) => e.action === 'change-passphrase').map((e) => e.userName)).toEqual([JIRO]);
    again.lock();

    const hanakoAgain = await vault.unlock(hanako.user.id, PASSPHRASE);
    expect(hanakoAgain.mustChangePassphrase).toBe(false);
  });

  it('refuses the received passphrase as the new one, before counting an attempt: the flag stays', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    hanako.lock();
    const first = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    await expect(first.changePassphrase(OTHER_PASSPHRASE, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'unchanged-passphrase' });
    expect(first.mustChangePassphrase).toBe(true);
    expect((await db.keySlots.get(jiro.id))?.mustChangePassphrase).toBe(true);
    expect(await vault.throttle(jiro.id)).toEqual({ failures: 0, retryAt: null });
    await expect(first.changePassphrase('not-what-he-got', JIRO_OWN)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    expect(first.mustChangePassphrase).toBe(true);
  });

  it('keeps the flag when an unlock rewrites the slot (a user key made for an older slot)', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    hanako.lock();
    const { userKey: _made, ...olderSlot } = (await db.keySlots.get(jiro.id))!;
    await db.keySlots.put(olderSlot);

    const first = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    expect((await db.keySlots.get(jiro.id))?.userKey).toBeDefined();
    expect(first.mustChangePassphrase).toBe(true);
    first.lock();
    expect((await vault.unlock(jiro.id, OTHER_PASSPHRASE)).mustChangePassphrase).toBe(true);
  });

  it('does not bring back a slot removed in another tab while the new passphrase was being wrapped', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    hanako.lock();
    const first = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    // Read for the passphrase check, then gone (removeUser in another tab) before the new wrapping is written.
    const read = db.keySlots.get.bind(db.keySlots) as (key: string) => Promise<KeySlotRow | undefined>;
    vi.spyOn(db.keySlots, 'get').mockImplementationOnce((async (key: string) => {
      const slot = await read(key);
      await db.keySlots.delete(jiro.id);
      return slot;
    }) as typeof db.keySlots.get);
    await expect(first.changePassphrase(OTHER_PASSPHRASE, JIRO_OWN)).rejects.toMatchObject({ code: 'unknown-user' });
    expect(await db.keySlots.get(jiro.id)).toBeUndefined();
  });
});

describe('an access entry that cannot be written', () => {
  const fullDisk = (db: { accessLog: { add: (...args: never[]) => unknown } }) =>
    vi.spyOn(db.accessLog as never as { add: () => Promise<unknown> }, 'add').mockRejectedValue(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));

  it('adds nobody: no one can unlock unlogged', async () => {
    const { db, vault, hanako } = await phoneWithJiro();
    const slots = await db.keySlots.count();
    fullDisk(db);
    await expect(hanako.addUser(PASSPHRASE, '夜勤 三郎', 'さぶろう-の-ため-の-文')).rejects.toMatchObject({ code: 'quota-exceeded' });
    vi.restoreAllMocks();
    expect(await db.keySlots.count()).toBe(slots);
    expect((await vault.listUsers()).map((u) => u.displayName)).not.toContain('夜勤 三郎');
  });

  it('changes no passphrase: the old one still opens, and the flag stays', async () => {
    const { db, vault, hanako, jiro } = await phoneWithJiro();
    hanako.lock();
    const first = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    fullDisk(db);
    await expect(first.changePassphrase(OTHER_PASSPHRASE, JIRO_OWN)).rejects.toMatchObject({ code: 'quota-exceeded' });
    vi.restoreAllMocks();
    expect(first.mustChangePassphrase).toBe(true);
    first.lock();
    const again = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    expect(again.mustChangePassphrase).toBe(true);
    expect((await again.accessLog()).some((e) => e.action === 'change-passphrase')).toBe(false);
  });
});
