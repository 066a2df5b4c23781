/**
 * 重なった変更（同期の競合）: the hub kept one value of a field two people changed (docs/hub-server.md
 * S14) and recorded the other. Here someone sees both, with who wrote each, and settles it: keep
 * the hub's value, or write the other one back (a new edit, sent before the conflict is closed).
 * The value not chosen is gone for good: asked first, naming it, and the outcome said after.
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
import { ConfirmDialog } from '../../ui/dialog';
import { Notice } from '../../ui/layout';
import { Busy } from '../../ui/status';
import { useLogOpen } from '../../state/use-log-open';
import { householdName } from './access-log-section';
import { CT, fieldLabel, valueLines, type ValueNames } from '../../state/record-words';
import { ST } from './sync-text';
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
  /** what the last choice made of its field, said once it is settled (the list may be empty by then) */
  const [settled, setSettled] = useState<string | null>(null);

  if (open === 0 && (list.status !== 'done' || list.value.length === 0)) return settled ? <Notice kind="ok">{settled}</Notice> : null;
  const settle = async (conflict: WireConflict, choice: 'kept' | 'lost', done: string) => {
    if (!engine) return;
    setSettling(conflict.id);
    setError(null);
    setSettled(null);
    try {
      await engine.settleConflict(conflict, choice);
      setSettled(done);
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
      {settled ? <Notice kind="ok">{settled}</Notice> : null}
      {list.status === 'loading' ? <Busy>{CT.loading}</Busy> : null}
      {list.status === 'error' ? <Notice kind="error">{list.error instanceof SyncError ? list.error.message : CT.failed}</Notice> : null}
      {list.status === 'done' ? (
        <ul className="plain-list" aria-labelledby="settings-sync-conflicts">
          {list.value.map((c) => (
            <ConflictItem key={c.id} conflict={c} busy={settling !== null} onSettle={(choice, done) => void settle(c, choice, done)} />
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

/** `onSettle`: the choice, with the words that say what it made of the field once settled. */
function ConflictItem({ conflict, busy, onSettle }: { conflict: WireConflict; busy: boolean; onSettle: (choice: 'kept' | 'lost', done: string) => void }) {
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
  const [asking, setAsking] = useState<'kept' | 'lost' | null>(null);
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
  // the value kept and the one dropped, as the dialog names them
  const kept = { label: CT.kept(conflict.keptBy), value: conflict.keptValue };
  const lost = { label: CT.lost(conflict.lostBy), value: conflict.lostValue };
  const [chosen, dropped] = asking === 'lost' ? [lost, kept] : [kept, lost];
  const confirm = () => {
    if (asking === null) return;
    setAsking(null);
    onSettle(asking, ST.settled(field, valueLines(chosen.value, conflict.field, names).join('／')));
  };
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
          <Button className="btn--block" disabled={busy} onClick={() => setAsking('kept')}>
            {CT.keep(conflict.keptBy)}
          </Button>
          <Button className="btn--block" disabled={busy} onClick={() => setAsking('lost')}>
            {CT.restore(conflict.lostBy)}
          </Button>
          <ConfirmDialog
            open={asking !== null}
            title={asking === 'lost' ? ST.settleRestoreTitle : ST.settleKeepTitle}
            confirmLabel={asking === 'lost' ? CT.restore(conflict.lostBy) : CT.keep(conflict.keptBy)}
            danger
            onConfirm={confirm}
            onCancel={() => setAsking(null)}
          >
            <p>{ST.settleChosen(`${CT.kind[conflict.kind]}：${record}`, field)}</p>
            <dl className="conflict__values">
              <dt>{chosen.label}</dt>
              <dd>{value(chosen.value)}</dd>
            </dl>
            <p>{ST.settleDropped}</p>
            <dl className="conflict__values">
              <dt>{dropped.label}</dt>
              <dd>{value(dropped.value)}</dd>
            </dl>
          </ConfirmDialog>
        </div>
      ) : (
        <p className="muted">{CT.notYours}</p>
      )}
    </li>
  );
}
