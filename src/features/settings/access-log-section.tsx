/** 閲覧記録 (read-only): who unlocked and which household they opened, newest first, in Japan time. */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';
import { useApp } from '../../state/store';
import type { HouseholdSummary } from '../../domain/household-summary';
import { formatJapanDateTime } from '../../domain/japan-time';
import type { AccessLogEntry } from '../../vault/types';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import { Notice, Section } from '../../ui/layout';
import { T } from './text';
import { useAsync } from './use-async';

export const ACCESS_LOG_LIMIT = 100;

/** The newest `limit` entries, newest first (ISO instants sort as strings). */
export function latestEntries(entries: readonly AccessLogEntry[], limit = ACCESS_LOG_LIMIT): AccessLogEntry[] {
  return [...entries].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}

/** A household is known by its registered persons' names. */
export function householdName(household: HouseholdSummary | undefined): string {
  if (!household) return T.unknownHousehold;
  const names = household.persons.map((p) => p.name.trim()).filter(Boolean);
  return names.length > 0 ? names.join('・') : T.unnamedHousehold;
}

export function AccessLogSection() {
  const session = useApp((s) => s.session);
  const households = useApp((s) => s.summaries);
  // read again when a section of this screen writes to it (a backup made, a restore, a person added)
  const version = useApp((s) => s.accessLogVersion);
  // the newest written, a page or so (the log holds years of entries), then sorted by their time
  const log = useAsync(async () => {
    const newest: AccessLogEntry[] = [];
    await session?.scanAccessLog((page) => {
      newest.push(...page);
      return newest.length >= ACCESS_LOG_LIMIT;
    });
    return latestEntries(newest);
  }, session);
  const { reload } = log;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  return (
    <Section title={T.accessLogTitle} id="settings-access-log">
      <p className="muted">{T.accessLogIntro(ACCESS_LOG_LIMIT)}</p>
      {log.status === 'loading' ? <p className="muted">{T.loading}</p> : null}
      {log.status === 'error' ? <Notice kind="error">{vaultErrorMessage(toVaultError(log.error).code)}</Notice> : null}
      {log.status === 'done' && log.value.length === 0 ? <p>{T.accessLogEmpty}</p> : null}
      {log.status === 'done' && log.value.length > 0 ? (
        <ol className="plain-list" aria-labelledby="settings-access-log">
          {log.value.map((entry) => (
            <li key={entry.id}>
              <time className="log-entry__when" dateTime={entry.at}>
                {formatJapanDateTime(entry.at)}
              </time>
              <span>
                <strong>{entry.userName}</strong>　{T.action[entry.action] ?? entry.action}
                {entry.householdId ? <>：{householdName(households.get(entry.householdId))}</> : null}
                {entry.reason ? <>（{entry.reason}）</> : null}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </Section>
  );
}

/**
 * The same counts as the app bar's sync line (the engine's, refreshed on every change and run): the
 * changes waiting to be sent, and apart, those the hub refused. Read once, it disagreed with the
 * bar after the first save or sync.
 */
export function PendingChangesSection() {
  const session = useApp((s) => s.session);
  const engine = useStore(syncStatus, (s) => s.engine);
  const pending = useStore(syncStatus, (s) => s.pending);
  const refused = useStore(syncStatus, (s) => s.refused);
  // Before the engine's first count (just after the unlock), the vault's own total.
  const first = useAsync(async () => (engine ? null : ((await session?.pendingChanges()) ?? 0)), `${session === null}:${engine === null}`);
  return (
    <Section title={T.pendingTitle} id="settings-pending">
      {engine ? (
        <p>
          {T.pendingCount(pending)}
          {refused > 0 ? ` ${T.refusedCount(refused)}` : null}
        </p>
      ) : first.status === 'done' && first.value !== null ? (
        <p>{T.pendingCount(first.value)}</p>
      ) : first.status === 'error' ? (
        <Notice kind="error">{vaultErrorMessage(toVaultError(first.error).code)}</Notice>
      ) : (
        <p className="muted">{T.loading}</p>
      )}
      <p className="muted">{T.pendingNote}</p>
    </Section>
  );
}
