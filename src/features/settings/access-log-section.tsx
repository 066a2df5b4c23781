/** 閲覧記録 (read-only): who unlocked and which household they opened, newest first, in Japan time. */
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
  const log = useAsync(async () => latestEntries((await session?.accessLog()) ?? []), session);

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

export function PendingChangesSection() {
  const session = useApp((s) => s.session);
  const pending = useAsync(async () => (await session?.pendingChanges()) ?? 0, session);
  return (
    <Section title={T.pendingTitle} id="settings-pending">
      {pending.status === 'loading' ? <p className="muted">{T.loading}</p> : null}
      {pending.status === 'error' ? <Notice kind="error">{vaultErrorMessage(toVaultError(pending.error).code)}</Notice> : null}
      {pending.status === 'done' ? <p>{T.pendingCount(pending.value)}</p> : null}
      <p className="muted">{T.pendingNote}</p>
    </Section>
  );
}
