/**
 * A8: each user's hub device token is sealed with a key only their own passphrase opens, so on a
 * shared phone one user's unlock never yields another's hub sign-in.
 */
import { describe, expect, it } from 'vitest';
import { createTestVault, OTHER_PASSPHRASE, PASSPHRASE, setUpTestVault, STAFF_NAME } from './testing';

const TOKEN_A = 'token-of-hanako-0123456789abcdefghijklmnopq';
const THIRD = 'よる-の-当番-2026';

describe('per-user secrets (A8)', () => {
  it("a token sealed for one user is not readable by another user's unlock, nor with the shared data key", async () => {
    const { db, vault } = createTestVault();
    const hanako = await vault.setUp(STAFF_NAME, PASSPHRASE);
    await hanako.sync.saveUserToken(TOKEN_A);
    const jiro = await hanako.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    hanako.lock();

    const asJiro = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    // the records are shared; the token is not
    expect(await asJiro.sync.userToken()).toBeUndefined();
    await asJiro.sync.saveUserToken('token-of-jiro-0123456789abcdefghijklmnopqr');
    // the shared data key (which Jiro's session holds) does not open Hanako's sealed token
    const row = await db.userSecrets.get([hanako.user.id, 'hub-device-token']);
    expect(row).toBeDefined();
    const slots = await db.keySlots.toArray();
    expect(slots.every((s) => (s.userKey?.byteLength ?? 0) === 40)).toBe(true);
    expect(JSON.stringify(await db.userSecrets.toArray())).not.toContain('token-of');
    asJiro.lock();

    const again = await vault.unlock(hanako.user.id, PASSPHRASE);
    expect(await again.sync.userToken()).toBe(TOKEN_A);
    // a passphrase change keeps the token (the user key is wrapped again, not replaced)
    await again.changePassphrase(PASSPHRASE, THIRD);
    again.lock();
    const after = await vault.unlock(hanako.user.id, THIRD);
    expect(await after.sync.userToken()).toBe(TOKEN_A);
    await after.sync.clearUserToken();
    expect(await after.sync.userToken()).toBeUndefined();
    after.lock();
    await expect(after.sync.userToken()).rejects.toMatchObject({ code: 'locked' });
  });

  it('a ciphertext moved to another user fails to open instead of handing over their sign-in', async () => {
    const { db, vault } = createTestVault();
    const hanako = await vault.setUp(STAFF_NAME, PASSPHRASE);
    await hanako.sync.saveUserToken(TOKEN_A);
    const jiro = await hanako.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    const row = (await db.userSecrets.get([hanako.user.id, 'hub-device-token']))!;
    await db.userSecrets.put({ ...row, userId: jiro.id });
    hanako.lock();
    const asJiro = await vault.unlock(jiro.id, OTHER_PASSPHRASE);
    await expect(asJiro.sync.userToken()).rejects.toMatchObject({ code: 'corrupt' });
  });

  it('a slot made before user keys gets one at its next unlock', async () => {
    const { db, vault, session } = await setUpTestVault();
    const { userKey: _made, ...before } = (await db.keySlots.get(session.user.id))!;
    await db.keySlots.put(before);
    session.lock();
    const opened = await vault.unlock(session.user.id, PASSPHRASE);
    expect((await db.keySlots.get(session.user.id))!.userKey?.byteLength).toBe(40);
    await opened.sync.saveUserToken(TOKEN_A);
    opened.lock();
    expect(await (await vault.unlock(session.user.id, PASSPHRASE)).sync.userToken()).toBe(TOKEN_A);
  });
});

describe('who was added to the phone, and passphrase changes, in the 閲覧記録', () => {
  it('writes add-user (naming the person added) and change-passphrase under whoever did it', async () => {
    const { vault } = createTestVault();
    const hanako = await vault.setUp(STAFF_NAME, PASSPHRASE);
    const jiro = await hanako.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    await hanako.changePassphrase(PASSPHRASE, THIRD);
    const log = (await hanako.accessLog()).filter((e) => e.action === 'add-user' || e.action === 'change-passphrase');
    expect(log.map((e) => [e.action, e.userId, e.reason ?? ''])).toEqual(
      expect.arrayContaining([
        ['add-user', hanako.user.id, `当番 次郎（${jiro.id}）`],
        ['change-passphrase', hanako.user.id, ''],
      ]),
    );
    expect(log).toHaveLength(2);
  });
});
