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

/** A hub shedding load (503 with Retry-After): the next run comes when it asked. */
export const hubBusy = (s: SyncStatus) => s.problem?.code === 'server' && s.problem.retryAfterSeconds !== undefined;

export function syncLineText(s: SyncStatus): { text: string; problem: boolean } {
  if (!s.joined) return { text: ST.lineAlone, problem: false };
  const parts: string[] = [];
  // First the count of changes waiting: cut to two short lines at 360 px, the line must still say
  // how many wait (the handover's question); a clock put first hid it.
  if (s.pending > 0) parts.push(ST.linePending(s.pending));
  // Then, before the rest, a clock this far off: evidence dated by it is refused [E7] (the line is red).
  const clockOff = isClockOff(s.clockOffset);
  if (clockOff) parts.push(S.clock.short(s.clockOffset.offsetMs));
  if (s.running) parts.push(ST.lineRunning);
  else if (s.needsSignIn) parts.push(ST.lineNeedsSignIn);
  else if (s.signedOut) parts.push(S.short['signed-out']);
  else if (s.problem) parts.push(hubBusy(s) ? S.shortHubBusy : S.short[s.problem.code]);
  if (s.refused > 0) parts.push(ST.lineRefused(s.refused));
  // A field of one's own edit that lost to someone else's waits to be settled.
  if (s.openConflicts > 0) parts.push(ST.lineConflicts(s.openConflicts));
  if (s.setAside.total > 0) parts.push(ST.lineSetAside(s.setAside.total));
  if (s.evidenceMismatches.length > 0) parts.push(ST.lineEvidenceMismatch(s.evidenceMismatches.length));
  if (s.unknownKinds.length > 0) parts.push(ST.lineUnknownKinds);
  if (s.heldFor !== null && !s.signedOut) parts.push(ST.lineHeld(s.heldFor));
  // The last sync stays beside a problem: after days without the hub, how old the colleagues' calls
  // and beds on this phone are is what the night needs to know.
  if (!s.running && !s.signedOut) {
    if (s.lastSyncAt) parts.push(ST.lineSynced(s.lastSyncAt));
    else if (!s.problem) parts.push(ST.lineNever);
  }
  return {
    text: parts.join('・'),
    problem: clockOff || s.signedOut || (s.problem !== null && !hubBusy(s)) || s.refused > 0 || s.setAside.total > 0 || s.openConflicts > 0 || s.evidenceMismatches.length > 0 || s.unknownKinds.length > 0,
  };
}

/**
 * What a screen reader says of its own accord: the changes waiting and a problem, when they change.
 * Not 「同期中…」 and the time of each run: the line changed every minute, and a status role on the
 * link itself hid that it is a link.
 */
function announcedText(s: SyncStatus, problem: boolean, text: string): string {
  if (problem) return text.replace(/・?最終同期 .*$/, '');
  return s.joined && s.pending > 0 ? ST.linePending(s.pending) : '';
}

export function SyncStatusLine() {
  const status = useStore(syncStatus);
  const { text, problem } = syncLineText(status);
  return (
    <>
      <a
        className={['sync-line', problem ? 'sync-line--problem' : ''].filter(Boolean).join(' ')}
        href={SYNC_SETTINGS_HASH}
        aria-label={`${ST.lineLabel}：${text}`}
        onClick={(e) => {
          // already there, scrolled away: the same address changes nothing, so the tap brings the section back
          if (window.location.hash !== SYNC_SETTINGS_HASH) return;
          e.preventDefault();
          document.getElementById('settings-sync')?.closest('.scroll-target')?.scrollIntoView?.({ block: 'start' });
        }}
      >
        <span>{text}</span>
      </a>
      <span className="visually-hidden" role="status">
        {announcedText(status, problem, text)}
      </span>
    </>
  );
}
