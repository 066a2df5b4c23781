/**
 * 重なった変更（同期の競合）: the hub kept one value of a field two people changed (docs/hub-server.md
 * S14) and recorded the other. Here someone sees both, with who wrote each, and settles it: keep
 * the hub's value, or write the other one back (a new edit, sent before the conflict is closed).
 */
import { useState } from 'react';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import type { BonusRecords } from '../../domain/function-bonus';
import type { TrialStay } from '../../domain/trial-stay';
import { KINDS_A_ROLE_WRITES, type WireConflict } from '../../protocol/sync';
import { SyncError } from '../../sync/client';
import { syncStatus } from '../../sync/status';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { Busy } from '../../ui/status';
import { useLogOpen } from '../../state/use-log-open';
import { householdName } from './access-log-section';
import { CT, fieldLabel, valueLines, type ValueNames } from '../../state/record-words';
import { useAsync } from './use-async';
import { toVaultError } from '../../vault/errors';

export function SyncConflicts() {
  const engine = useStore(syncStatus, (s) => s.engine);
  const open = useStore(syncStatus, (s) => s.openConflicts);
  // read again after each sync while there are conflicts: a list that failed to load (offline when
  // the settings opened) is not left in its error while the count stays the same; none, no request
  const lastSyncAt = useStore(syncStatus, (s) => s.lastSyncAt);
  const list = useAsync(async () => (engine ? await engine.conflicts() : []), `${open}:${engine === null}:${open > 0 ? (lastSyncAt ?? '') : ''}`);
  const [settling, setSettling] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  if (open === 0 && (list.status !== 'done' || list.value.length === 0)) return null;
  const settle = async (conflict: WireConflict, choice: 'kept' | 'lost') => {
    setSettling(conflict.id);
    setError(null);
    try {
      await engine?.settleConflict(conflict, choice);
      list.reload();
    } catch (e) {
      setError(e instanceof SyncError ? (e.serverMessage ?? e.message) : CT.settleFailed(toVaultError(e).message));
    } finally {
      setSettling(null);
    }
  };

  return (
    <div className="conflicts">
      <h3 id="settings-sync-conflicts">{CT.title(open)}</h3>
      <p className="muted">{CT.intro}</p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {list.status === 'loading' ? <Busy>{CT.loading}</Busy> : null}
      {list.status === 'error' ? <Notice kind="error">{list.error instanceof SyncError ? list.error.message : CT.failed}</Notice> : null}
      {list.status === 'done' ? (
        <ul className="plain-list" aria-labelledby="settings-sync-conflicts">
          {list.value.map((c) => (
            <ConflictItem key={c.id} conflict={c} busy={settling !== null} onSettle={(choice) => void settle(c, choice)} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A 機能強化加算 record by what it is about: the coordinator's name, the month and office of a count, a table's first month. */
function bonusRecordName(bonus: BonusRecords, id: string, officeName: (id: string) => string): string {
  const coordinator = bonus.coordinators.find((c) => c.id === id);
  if (coordinator) return coordinator.name;
  const count = bonus.counts.find((c) => c.id === id);
  if (count) return `${count.month} ${officeName(count.officeId)}`;
  const table = bonus.splits.find((s) => s.id === id) ?? bonus.prices.find((p) => p.id === id);
  return table ? CT.validFrom(table.validFrom) : CT.unknownRecord;
}

/** A 体験利用 by whom, where and when: 「佐藤 陽太 あおば荘 2026-11-01〜2026-11-03」. */
function trialStayName(stay: TrialStay | undefined, personName: (householdId: string, personId: string) => string | undefined): string {
  if (!stay) return CT.unknownRecord;
  return [personName(stay.householdId, stay.personId) ?? '', stay.facilityName, `${stay.from}〜${stay.to}`].filter(Boolean).join(' ');
}

function ConflictItem({ conflict, busy, onSettle }: { conflict: WireConflict; busy: boolean; onSettle: (choice: 'kept' | 'lost') => void }) {
  const summaries = useApp((s) => s.summaries);
  const households = useApp((s) => s.households);
  const facilities = useApp((s) => s.facilities);
  const offices = useApp((s) => s.offices);
  const bonus = useApp((s) => s.bonus);
  const trialStays = useApp((s) => s.trialStays);
  const staff = useStore(syncStatus, (s) => s.staff);
  // Settled only by someone whose role writes the record (the hub refuses anyone else).
  const role = useStore(syncStatus, (s) => s.role);
  const canSettle = role !== null && KINDS_A_ROLE_WRITES[role].has(conflict.kind);
  // Both values of a household's field (a medication, a diagnosis) are its record shown: in the 閲覧記録.
  // A 体験利用's values (how the stay went, what to pass on) are its household's record too.
  useLogOpen(conflict.kind === 'household' ? conflict.entityId : conflict.kind === 'trial-stay' ? (trialStays.get(conflict.entityId)?.householdId ?? null) : null);
  const record =
    conflict.kind === 'household'
      ? householdName(summaries.get(conflict.entityId))
      : conflict.kind === 'facility'
        ? (facilities.get(conflict.entityId)?.name ?? CT.unknownRecord)
        : conflict.kind === 'office'
          ? (offices.get(conflict.entityId)?.name ?? CT.unknownRecord)
          : conflict.kind === 'trial-stay'
            ? trialStayName(trialStays.get(conflict.entityId), (hid, pid) => summaries.get(hid)?.persons.find((p) => p.id === pid)?.name)
            : bonusRecordName(bonus, conflict.entityId, (id) => offices.get(id)?.name ?? id);
  const persons = households.get(conflict.entityId)?.persons ?? summaries.get(conflict.entityId)?.persons ?? [];
  const field = fieldLabel(conflict.field, (id) => persons.find((p) => p.id === id)?.name, conflict.kind);
  const names: ValueNames = { office: (id) => offices.get(id)?.name, staff: (id) => staff?.find((m) => m.userId === id)?.displayName };
  const value = (v: unknown) => valueLines(v, conflict.field, names).map((line, i) => <div key={i}>{line}</div>);
  return (
    <li className="conflict" aria-label={`${record} ${field}`}>
      <p>
        <strong>
          {CT.kind[conflict.kind]}：{record}
        </strong>
        <br />
        {CT.field(field)}
      </p>
      <dl className="conflict__values">
        <dt>{CT.kept(conflict.keptBy)}</dt>
        <dd>{value(conflict.keptValue)}</dd>
        <dt>{CT.lost(conflict.lostBy)}</dt>
        <dd>{value(conflict.lostValue)}</dd>
      </dl>
      {canSettle ? (
        <div className="form-actions">
          <Button className="btn--block" disabled={busy} onClick={() => onSettle('kept')}>
            {CT.keep(conflict.keptBy)}
          </Button>
          <Button className="btn--block" disabled={busy} onClick={() => onSettle('lost')}>
            {CT.restore(conflict.lostBy)}
          </Button>
        </div>
      ) : (
        <p className="muted">{CT.notYours}</p>
      )}
    </li>
  );
}
