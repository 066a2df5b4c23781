import { afterEach, describe, expect, it } from 'vitest';
import { createVault } from '../vault/vault';
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
});
