/**
 * The one-line sync status in the app bar: changes waiting, the last successful sync (Japan time)
 * or the problem in words, led by a device clock off the hub's; tapping it opens 「拠点サーバーと同期」
 * in the settings.
 */
import { useStore } from 'zustand';
import { isClockOff } from '../../sync/clock-offset';
import { S } from '../../sync/text';
import { syncStatus, type SyncStatus } from '../../sync/status';
import { ST } from './sync-text';

export const SYNC_SETTINGS_HASH = '#/settings/sync';

/** The hub shedding load (503 with Retry-After): a wait the engine sees out by itself, not a problem. */
const hubBusy = (s: SyncStatus) => s.problem?.code === 'server' && s.problem.retryAfterSeconds !== undefined;

export function syncLineText(s: SyncStatus): { text: string; problem: boolean } {
  if (!s.joined) return { text: ST.lineAlone, problem: false };
  const parts: string[] = [];
  // First, where the narrow line still shows it: evidence dated by a clock this far off is refused [E7].
  const clockOff = isClockOff(s.clockOffset);
  if (clockOff) parts.push(S.clock.short(s.clockOffset.offsetMs));
  // Then the count of changes waiting, before the words of why: cut short on a narrow phone, the
  // line must still say how many wait (the handover's question).
  if (s.pending > 0) parts.push(ST.linePending(s.pending));
  if (s.running) parts.push(ST.lineRunning);
  else if (s.needsSignIn) parts.push(ST.lineNeedsSignIn);
  else if (s.signedOut) parts.push(S.short['signed-out']);
  else if (s.problem) parts.push(hubBusy(s) ? S.shortHubBusy : S.short[s.problem.code]);
  if (s.refused > 0) parts.push(ST.lineRefused(s.refused));
  // A field of one's own edit that lost to someone else's waits to be settled.
  if (s.openConflicts > 0) parts.push(ST.lineConflicts(s.openConflicts));
  if (s.setAside.total > 0) parts.push(ST.lineSetAside(s.setAside.total));
  if (s.evidenceMismatches.length > 0) parts.push(ST.lineEvidenceMismatch(s.evidenceMismatches.length));
  if (s.heldFor !== null && !s.signedOut) parts.push(ST.lineHeld(s.heldFor));
  if (!s.running && !s.problem && !s.signedOut) parts.push(s.lastSyncAt ? ST.lineSynced(s.lastSyncAt) : ST.lineNever);
  return {
    text: parts.join('・'),
    problem: clockOff || s.signedOut || (s.problem !== null && !hubBusy(s)) || s.refused > 0 || s.setAside.total > 0 || s.openConflicts > 0 || s.evidenceMismatches.length > 0,
  };
}

export function SyncStatusLine() {
  const status = useStore(syncStatus);
  const { text, problem } = syncLineText(status);
  return (
    <a
      className={['sync-line', problem ? 'sync-line--problem' : ''].filter(Boolean).join(' ')}
      href={SYNC_SETTINGS_HASH}
      aria-label={`${ST.lineLabel}：${text}`}
      role="status"
    >
      <span>{text}</span>
    </a>
  );
}
