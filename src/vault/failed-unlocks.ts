/**
 * Failed unlocks in the 閲覧記録. A wrong passphrase has no key to seal an entry with, so the
 * throttle row keeps the time of each failure (key-slots.ts), and the next time anyone on the
 * phone holds the key (an unlock, or a right passphrase re-entered in 設定) this writes them: one
 * 'unlock-failed' entry per failure, at the time it happened, in the name of the person who holds
 * the key now (they only found it), naming the person whose slot was tried. Then the times are
 * cleared; the throttle's count (the wait) is the slot's own business and stays.
 */
import { hasPendingFailures, pendingFailures, throttleRowWith, type PendingFailures } from './key-slots';
import { prepareAccess, writeAccess, type PreparedAccess, type SessionContext } from './journal';

/** What is written about a failure on `who`'s slot (shown in brackets after 「解錠の失敗」). */
export function failedUnlockReason(who: string, untimed = 0): string {
  const tried = `${who}として解錠を試みた`;
  return untimed === 0 ? tried : `${tried}（${untimed}回。時刻は記録されていません。この記録より前）`;
}

interface Planned {
  readonly userId: string;
  /** the failure's time, or null for the untimed ones (all in one entry) */
  readonly time: number | null;
  readonly untimed: number;
  readonly access: PreparedAccess;
}

/**
 * Writes every failed unlock still pending on this phone (all slots) and clears them. Returns how
 * many failures were written. The entries are sealed first (WebCrypto cannot run inside an
 * IndexedDB transaction), then written with the rows' update in one transaction that writes only
 * what is still pending then: another tab that wrote them meanwhile is not doubled.
 */
export async function logFailedUnlocks(ctx: SessionContext): Promise<number> {
  const { db } = ctx;
  const rows = (await db.throttles.toArray()).filter((row) => hasPendingFailures(pendingFailures(row)));
  if (rows.length === 0) return 0;
  const names = new Map((await db.keySlots.toArray()).map((slot) => [slot.userId, slot.displayName]));
  const planned = await Promise.all(
    rows.flatMap((row) => {
      const pending = pendingFailures(row);
      const who = `${names.get(row.userId) ?? 'この端末にない職員'}（${row.userId}）`;
      const plan = (time: number | null, untimed: number): Promise<Planned> =>
        prepareAccess(ctx, 'unlock-failed', null, failedUnlockReason(who, untimed), time === null ? undefined : new Date(time).toISOString()).then(
          (access) => ({ userId: row.userId, time, untimed, access }),
        );
      return [...pending.times.map((t) => plan(t, 0)), ...(pending.untimed > 0 ? [plan(null, pending.untimed)] : [])];
    }),
  );
  return db.transaction('rw', [db.throttles, db.accessLog, db.outbox, db.meta], async () => {
    let written = 0;
    for (const row of rows) {
      const current = await db.throttles.get(row.userId);
      if (current === undefined) continue;
      const left = pendingFailures(current);
      const times = [...left.times];
      let untimed = left.untimed;
      for (const p of planned.filter((x) => x.userId === row.userId)) {
        if (p.time === null) {
          if (untimed < p.untimed) continue;
          untimed -= p.untimed;
        } else {
          const i = times.indexOf(p.time);
          if (i < 0) continue;
          times.splice(i, 1);
        }
        await writeAccess(db, p.access);
        written += p.time === null ? p.untimed : 1;
      }
      const remaining: PendingFailures = { times, untimed };
      const next = throttleRowWith({ userId: current.userId, failures: current.failures, retryAt: current.retryAt }, remaining);
      if (next === null) await db.throttles.delete(current.userId);
      else await db.throttles.put(next);
    }
    return written;
  });
}
