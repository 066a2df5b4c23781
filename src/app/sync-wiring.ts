/**
 * The sync engine wired to an unlocked session: one engine per session, its triggers (unlock,
 * online, back to the app, every 60 s while visible), a change made here counted and sent soon,
 * and the store refreshed when records arrive. Loaded after unlock (use-sync.ts), so the engine,
 * the wire schemas and zod stay out of the JavaScript a cold start waits for.
 */
import { resetCountersignState } from '../sync/countersign';
import { createSyncEngine } from '../sync/engine';
import { resetSyncStatus, runEventsOf, syncStatus } from '../sync/status';
import { changeNotifier, installSyncTriggers } from '../sync/triggers';
import type { VaultSession } from '../vault/types';
import { toVaultError } from '../vault/errors';
import { useApp } from '../state/store';
import { forgetCaseOffice } from '../state/case-office';
import { forgetLiaison } from '../state/liaison-hint';
import { tellRemoved } from '../state/lock-channel';
import { tellRecordsWritten } from './records-tabs';
import { retiredHere } from './retired-tabs';

/**
 * The run of the session stopped last, while it is still under way: a lock does not cut a run's
 * requests short, and the run keeps the sync lock until they end (up to a minute). The next
 * person's unlock run meets it and is 'busy'; their sync goes as soon as it is over, not at the
 * next minute's tick.
 */
let stoppedRun: Promise<void> | null = null;

/** Starts syncing for `session`; the returned function stops it (on lock). */
export function startSync(session: VaultSession): () => void {
  let stopped = false;
  const engine = createSyncEngine({
    session,
    // Just the records a pull wrote; everything when records were dropped or there are many. The
    // other tabs of the app read them too: the pull moved on the cursor they share, and their own
    // syncs would never bring them (records-tabs.ts).
    onRecordsChanged: (changed) => {
      tellRecordsWritten(session.deviceId, changed);
      return (changed === 'all' ? useApp.getState().reload({ tellOtherTabs: false }) : useApp.getState().refreshRecords(changed)).catch(() => undefined);
    },
    // The vault is gone: the other tabs are told (theirs is gone too), every decrypted record is
    // dropped from memory, and the app shows the retired notice.
    onRetired: (serverMessage) => retiredHere(serverMessage),
    // A full disk or a lost database connection met by a run: the app's banner says so and offers
    // 再試行, which the sync section's message asks for (it had no such button).
    // The hub stopped someone on this phone (A10): the lock screen no longer offers them, a tab of
    // theirs still unlocked locks at once, and so does this one when they are the one unlocked here.
    onMembersRemoved: (removed) => {
      for (const user of removed) {
        tellRemoved(user.id);
        // nothing of theirs stays on the phone, as when a colleague removes them here
        forgetCaseOffice(user.id);
        forgetLiaison(user.id);
      }
      const self = removed.some((user) => user.id === session.user.id);
      void (self ? useApp.getState().lock('removed') : Promise.resolve())
        .then(() => useApp.getState().refreshUsers())
        .catch(() => undefined);
    },
    onStorageError: (e) => {
      const error = toVaultError(e);
      // 'erased': the database emptied under the page, met first by a sync: said at once, with 再読み込み
      if (error.code === 'connection-lost' || error.code === 'quota-exceeded' || error.code === 'erased') useApp.setState({ error });
    },
  });
  syncStatus.setState({ engine });
  // A busy hub's Retry-After brings the next run forward, whoever started the one it refused.
  const dispose = installSyncTriggers(engine, { runs: runEventsOf(syncStatus) });
  const before = stoppedRun;
  if (before !== null) {
    void before.then(() => {
      if (!stopped) void engine.run();
    });
  }
  // A record written here (a save, an evidence entry, a trial stay, a month marked 請求済み, an
  // import) changes one of these: count it as waiting at once and send it soon. A pull's reload changes them too; the run that follows
  // finds nothing to send and ends after one small pull (no loop: an empty pull reloads nothing).
  const changes = changeNotifier(engine);
  const unsubscribe = useApp.subscribe((state, before) => {
    if (state.session !== session) return;
    if (
      state.households !== before.households ||
      state.caseEntries !== before.caseEntries ||
      state.facilities !== before.facilities ||
      state.offices !== before.offices ||
      state.trialStays !== before.trialStays ||
      state.bonus !== before.bonus ||
      state.monthCloses !== before.monthCloses
    ) {
      changes.notify();
    }
  });
  // Every 閲覧記録 entry waits to be sent too (a household opened or printed, a claim file, a person
  // added to the phone…), and most are written by the session itself, not through the store.
  const logAccess = session.logAccess;
  session.logAccess = async (...args) => {
    await logAccess.apply(session, args);
    changes.notify();
  };
  return () => {
    stopped = true;
    const left = engine.settled();
    if (left !== null) {
      const over: Promise<void> = left.then(() => {
        if (stoppedRun === over) stoppedRun = null;
      });
      stoppedRun = over;
    }
    session.logAccess = logAccess;
    unsubscribe();
    changes.dispose();
    dispose();
    resetSyncStatus();
    resetCountersignState();
  };
}
