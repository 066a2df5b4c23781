/**
 * Failed unlocks in the 閲覧記録 (failed-unlocks.ts): at the time they happened, written by
 * whoever next holds the key, naming the person whose slot was tried.
 */
import { describe, expect, it } from 'vitest';
import { MAX_FAILURE_TIMES, throttleDelayMs } from './key-slots';
import { createTestVault, OTHER_PASSPHRASE, PASSPHRASE, STAFF_NAME } from './testing';
import type { AccessLogEntry } from './types';

const A = '日勤 A';
const B = '夜勤 B';
const iso = (ms: number) => new Date(ms).toISOString();
const failed = (log: readonly AccessLogEntry[]) => log.filter((e) => e.action === 'unlock-failed');

describe('failed unlocks in the 閲覧記録', () => {
  it("a wrong guess on A's slot at the handover is written by B's unlock, at the guess's own time, naming A's slot; A's next unlock writes nothing more", async () => {
    const { vault, clock } = createTestVault();
    const a = await vault.setUp(A, PASSPHRASE);
    const b = await a.addUser(PASSPHRASE, B, OTHER_PASSPHRASE);
    a.lock();

    // 18:05: A is still selected on the lock screen; B types their own passphrase into it.
    clock.advance(9 * 3600_000);
    const guessedAt = clock.now();
    await expect(vault.unlock(a.user.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    clock.advance(60_000);
    const asB = await vault.unlock(b.id, OTHER_PASSPHRASE);

    const written = failed(await asB.accessLog());
    expect(written).toEqual([
      expect.objectContaining({ at: iso(guessedAt), userId: b.id, userName: B, reason: `${A}（${a.user.id}）として解錠を試みた` }),
    ]);
    // queued for the hub as it reads here
    expect((await asB.outbox()).find((e) => e.entityId === written[0]!.id)?.payload).toEqual(written[0]);
    // B's unlock did not reset A's wait: the guesses were on A's slot
    expect((await vault.throttle(a.user.id)).failures).toBe(1);
    asB.lock();

    clock.advance(15 * 3600_000);
    const asA = await vault.unlock(a.user.id, PASSPHRASE);
    expect(failed(await asA.accessLog())).toEqual(written);
    expect(await vault.throttle(a.user.id)).toEqual({ failures: 0, retryAt: null });
  });

  it('keeps the times of the last 20 failures; the ones before go in one entry with their count', async () => {
    const { db, vault, clock } = createTestVault();
    const a = await vault.setUp(A, PASSPHRASE);
    a.lock();
    const times: number[] = [];
    for (let i = 1; i <= MAX_FAILURE_TIMES + 5; i += 1) {
      times.push(clock.now());
      await expect(vault.unlock(a.user.id, `wrong-guess-${i}`)).rejects.toMatchObject({ code: 'wrong-passphrase' });
      clock.advance(throttleDelayMs(i) + 1);
    }
    expect((await db.throttles.get(a.user.id))?.failedAt).toEqual(times.slice(5));

    const session = await vault.unlock(a.user.id, PASSPHRASE);
    const written = failed(await session.accessLog());
    expect(written.filter((e) => e.reason === `${A}（${a.user.id}）として解錠を試みた`).map((e) => e.at)).toEqual(times.slice(5).map(iso));
    expect(written.filter((e) => e.reason?.includes('5回'))).toHaveLength(1);
    expect(written).toHaveLength(MAX_FAILURE_TIMES + 1);
    expect(await db.throttles.count()).toBe(0);
  });

  it('a right passphrase re-entered in 職員を追加 writes the failures before clearing them', async () => {
    const { db, vault, clock } = createTestVault();
    const a = await vault.setUp(STAFF_NAME, PASSPHRASE);
    clock.advance(60_000);
    const mistypedAt = clock.now();
    await expect(a.addUser('not-my-passphrase', B, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'wrong-passphrase' });
    expect(failed(await a.accessLog())).toEqual([]);
    clock.advance(60_000);
    await a.addUser(PASSPHRASE, B, OTHER_PASSPHRASE);
    expect(failed(await a.accessLog())).toEqual([expect.objectContaining({ at: iso(mistypedAt), userId: a.user.id, reason: `${STAFF_NAME}（${a.user.id}）として解錠を試みた` })]);
    expect(await db.throttles.count()).toBe(0);
  });

  it('a count left by an earlier version (no times) is written once, its time unknown', async () => {
    const { db, vault } = createTestVault();
    const a = await vault.setUp(A, PASSPHRASE);
    a.lock();
    await db.throttles.put({ userId: a.user.id, failures: 2, retryAt: null });
    const session = await vault.unlock(a.user.id, PASSPHRASE);
    expect(failed(await session.accessLog()).map((e) => e.reason)).toEqual([`${A}（${a.user.id}）として解錠を試みた（2回。時刻は記録されていません。この記録より前）`]);
    expect(await db.throttles.count()).toBe(0);
  });
});
