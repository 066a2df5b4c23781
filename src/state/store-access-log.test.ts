import { afterEach, describe, expect, it } from 'vitest';
import { createVault } from '../vault/vault';
import { createTestVault } from '../vault/testing';
import { useApp } from './store';

const PASSPHRASE = 'yoru-no-denwa-2026';

afterEach(() => {
  useApp.getState().vault?.close();
  useApp.setState(useApp.getInitialState(), true);
});

describe('閲覧記録 of locks and failed unlocks', () => {
  it('writes the wrong passphrases (at the next unlock of that person) and every lock', async () => {
    const vault = createVault(`access-log-${crypto.randomUUID()}`);
    await useApp.getState().start(vault);
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const userId = useApp.getState().session!.user.id;
    await useApp.getState().lock('manual');
    for (let i = 0; i < 2; i++) await expect(useApp.getState().unlock(userId, 'not-the-passphrase')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    await useApp.getState().unlock(userId, PASSPHRASE);
    await useApp.getState().lock('idle');
    await useApp.getState().unlock(userId, PASSPHRASE);
    const actions = (await useApp.getState().session!.accessLog()).map((e) => e.action);
    // newest first or oldest first, the same entries: one lock each time, two failures, three unlocks
    expect([...actions].sort()).toEqual(['lock', 'lock', 'unlock', 'unlock', 'unlock', 'unlock-failed', 'unlock-failed']);
  }, 60_000);

  it("a wrong guess on one person's name at the handover shows at its own time, found by the next person to unlock, naming whose name was tried", async () => {
    const { vault, clock } = createTestVault();
    const a = await vault.setUp('日勤 A', PASSPHRASE);
    const b = await a.addUser(PASSPHRASE, '夜勤 B', 'night-coordinator-pass');
    a.lock();
    await useApp.getState().start(vault);

    // 18:05: A is still selected on the lock screen; B types their own passphrase into it, then picks their name.
    clock.advance(9 * 3600_000);
    const guessedAt = new Date(clock.now()).toISOString();
    await expect(useApp.getState().unlock(a.user.id, 'night-coordinator-pass')).rejects.toMatchObject({ code: 'wrong-passphrase' });
    clock.advance(60_000);
    await useApp.getState().unlock(b.id, 'night-coordinator-pass');
    const seenByB = (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'unlock-failed');
    expect(seenByB).toEqual([expect.objectContaining({ at: guessedAt, userName: '夜勤 B', reason: `日勤 A（${a.user.id}）として解錠を試みた` })]);
    await useApp.getState().lock();

    // next morning A unlocks: nothing more is written in A's name
    clock.advance(15 * 3600_000);
    await useApp.getState().unlock(a.user.id, PASSPHRASE);
    const log = await useApp.getState().session!.accessLog();
    expect(log.filter((e) => e.action === 'unlock-failed')).toEqual(seenByB);
  }, 60_000);
});
