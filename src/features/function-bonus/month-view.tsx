/**
 * One month: the cap from the 常勤専従 coordinators in post (要確認 while someone's marks are not
 * stated), each office's share and claim, each municipality's part, the totals in units and yen;
 * and the entry of an office's claimed count, checked against its share and the cap as it is typed,
 * before anything is saved.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { checkCount, claimCountId, monthSummary, type BonusRecords, type CountWarning, type MonthSummary, type YearMonth } from '../../domain/function-bonus';
import { claimCountSchema, validateWith } from '../../domain/function-bonus-schema';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { SelectField, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { FigureTable } from './figure-table';
import { B } from './text';
import { bonusPaths } from './route';
import { useCanEdit, useCountedBonus, useOfficeName, useOneSave } from './use-bonus';
import { toVaultError } from '../../vault/errors';

/** The warnings that mean claims beyond the cap: saving asks first. */
const capWarning = (kind: CountWarning['kind']) => kind === 'over-cap' || kind === 'no-coordinator' || kind === 'no-full-time';

export function MonthView({ month }: { month: YearMonth }) {
  const { records: bonus, leftOut } = useCountedBonus();
  const all = useApp((s) => s.bonus);
  const canEdit = useCanEdit();
  const summary = useMemo(() => monthSummary(bonus, month), [bonus, month]);
  return (
    <>
      {leftOut > 0 ? <Notice kind="info">{B.demoLeftOut(leftOut)}</Notice> : null}
      <MonthTables summary={summary} />
      {canEdit ? (
        // the entry form is for the screen: the printed month is its figures
        <div className="no-print">
          <CountEntry key={month} records={bonus} held={all.counts} month={month} />
        </div>
      ) : null}
    </>
  );
}

export function MonthTables({ summary: m }: { summary: MonthSummary }) {
  const officeName = useOfficeName();
  const over = m.unpayable > 0;
  return (
    <>
      <Section title={B.monthLabel(m.month)} id="bonus-month">
        <p className="bonus-figures">
          <strong>{B.capLine(m.cap, m.coordinators)}</strong>
          <br />
          <span className={m.remaining < 0 ? 'bonus-over' : undefined}>{B.claimedLine(m.claimed, m.remaining)}</span>
          <br />
          {B.totalLine(m.units, m.yen)}
          {m.unpayable > 0 ? (
            <>
              <br />
              <span className="bonus-over">{B.unpayableLine(m.unpayable, m.unpayableUnits)}</span>
            </>
          ) : null}
        </p>
        <StandingNotices summary={m} />
        {m.split === null ? <Notice kind="warn">{B.noSplit}</Notice> : null}
        {m.yenPerUnit === null ? <Notice kind="warn">{B.noPrice}</Notice> : null}
      </Section>
      <FigureTable
        title={B.officesTitle}
        id="bonus-offices"
        nameColumn={B.col.name}
        // [FB9] the 算定不可 column only in a month over its cap: a month within it reads as before
        columns={[B.col.percent, B.col.share, B.col.claimed, B.col.over, B.col.units, B.col.yen, ...(over ? [B.col.unpayable] : [])]}
        rows={m.offices.map((o) => ({
          key: o.officeId,
          name: officeName(o.officeId),
          cells: [
            B.percentCell(o.percent),
            B.numCell(o.share),
            // no count entered: 未入力 and the rest empty, as in the CSV (a 0 would say it claimed none)
            o.claimed === null ? B.notEntered : B.numCell(o.claimed),
            o.overShare > 0 ? B.numCell(o.overShare) : '',
            o.claimed === null ? '' : B.numCell(o.units),
            o.claimed === null ? '' : B.yenCell(o.yen),
            ...(over ? [o.unpayable > 0 ? B.numCell(o.unpayable) : ''] : []),
          ],
          over: o.overShare > 0 || o.unpayable > 0,
        }))}
        total={{
          key: 'total',
          name: B.totalRow,
          cells: ['', B.numCell(m.cap), B.numCell(m.claimed), over ? B.numCell(-m.remaining) : '', B.numCell(m.units), B.yenCell(m.yen), ...(over ? [B.numCell(m.unpayable)] : [])],
          over,
        }}
      />
      {m.municipalities.length > 0 ? (
        <FigureTable
          title={B.municipalitiesTitle}
          id="bonus-municipalities"
          nameColumn={B.col.name}
          columns={[B.col.percent, B.col.share, B.col.units, B.col.yen]}
          rows={m.municipalities.map((x) => ({ key: x.name, name: x.name, cells: [B.percentCell(x.percent), B.numCell(x.share), B.numCell(x.units), B.yenCell(x.yen)] }))}
        />
      ) : null}
    </>
  );
}

/** [FB2] Why the cap leaves someone in post out: not stated (要確認), or 非常勤・兼務. */
function StandingNotices({ summary: m }: { summary: MonthSummary }) {
  return (
    <>
      {m.notStated.length > 0 ? (
        <Notice
          kind="warn"
          action={
            // a link to the form: not on the paper
            <a className="btn btn--secondary no-print" href={bonusPaths.setup()}>
              {B.statePlacement}
            </a>
          }
        >
          {B.notStatedMonth(m.notStated)}
        </Notice>
      ) : null}
      {m.notCounted.length > 0 ? (
        m.coordinators === 0 && m.notStated.length === 0 ? (
          <Notice kind="warn">{B.noFullTimeMonth(m.notCounted)}</Notice>
        ) : (
          <Notice kind="info">{B.notCountedMonth(m.notCounted)}</Notice>
        )
      ) : null}
    </>
  );
}

/**
 * `records`: what the figures count; `held`: every count held, a demo one too, so that a count
 * entered again replaces the one held in place (a demo one stays demo).
 */
function CountEntry({ records, held: heldCounts, month }: { records: BonusRecords; held: BonusRecords['counts']; month: YearMonth }) {
  const offices = useApp((s) => s.offices);
  const saveBonusRecord = useApp((s) => s.saveBonusRecord);
  const clearError = useApp((s) => s.clearError);
  const officeName = useOfficeName();
  const split = monthSummary(records, month).split;
  // Offices in the month's split first, in its order, then the others by name.
  const choices = useMemo(() => {
    const inSplit = split?.offices.map((o) => o.officeId).filter((id) => offices.has(id)) ?? [];
    const rest = [...offices.values()].filter((o) => !inSplit.includes(o.id)).sort((a, b) => a.name.localeCompare(b.name, 'ja'));
    return [...inSplit, ...rest.map((o) => o.id)];
  }, [split, offices]);
  const held = (officeId: string) => heldCounts.find((c) => c.officeId === officeId && c.month === month);
  const [officeId, setOfficeId] = useState(choices[0] ?? '');
  const [countText, setCountText] = useState(() => String(held(choices[0] ?? '')?.count ?? ''));
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // a double tap on 保存 sent two creates of the month's count: the second refused beside the first's 保存しました
  const { busy, run } = useOneSave();
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();

  if (choices.length === 0) return null;
  const draft = () => {
    const now = new Date().toISOString();
    const before = held(officeId);
    // the month's count as held is replaced, whatever its id (a demo one's, say): never a second one
    return { id: before?.id ?? claimCountId(officeId, month), officeId, month, count: countText, createdAt: before?.createdAt ?? now, updatedAt: now };
  };
  // Checked as typed: the warning shows before 保存 is pressed.
  const parsed = validateWith(claimCountSchema(new Set(offices.keys())), draft());
  const check = parsed.ok ? checkCount(records, officeId, month, parsed.value.count) : null;
  const passesCap = check?.warnings.some((w) => capWarning(w.kind)) ?? false;
  const cap = monthSummary(records, month).cap;

  async function save(confirmed: boolean) {
    setSaved(null);
    setFailure(null);
    const result = validateWith(claimCountSchema(new Set(offices.keys())), draft());
    if (!result.ok) {
      setError(result.errors[0]!.message);
      failed();
      return;
    }
    setError(null);
    if (passesCap && !confirmed) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    const before = held(officeId);
    try {
      // The record as held under the form's fields: a field a newer app wrote survives this one's save.
      await saveBonusRecord('bonus-count', { ...before, ...result.value }, before ? 'update' : 'create');
      setSaved(B.saved(officeName(officeId), B.monthLabel(month), result.value.count));
    } catch (e) {
      clearError();
      setFailure(B.saveFailedWhy(toVaultError(e).message));
    }
  }

  return (
    <Section title={B.entryTitle} id="bonus-entry">
      <p>{B.entryIntro}</p>
      <div ref={ref} className="bonus-entry">
        <SelectField
          label={B.office}
          value={officeId}
          onChange={(e) => {
            setOfficeId(e.target.value);
            setCountText(String(held(e.target.value)?.count ?? ''));
            setError(null);
            setSaved(null);
          }}
          options={choices.map((id) => ({ value: id, label: officeName(id) }))}
        />
        <TextField
          label={B.count}
          inputMode="numeric"
          value={countText}
          error={error ?? undefined}
          onChange={(e) => {
            setCountText(e.target.value);
            setError(null);
            setSaved(null);
          }}
        />
      </div>
      {check ? (
        <div role="status" aria-live="polite">
          <p>{B.totalIfSaved(check.total, cap)}</p>
          {check.warnings.map((w) => (
            <Notice key={w.kind} kind={capWarning(w.kind) ? 'error' : 'warn'}>
              {B.warning(w, officeName(officeId))}
            </Notice>
          ))}
        </div>
      ) : null}
      <Button variant="primary" disabled={busy} onClick={() => void run(() => save(false))}>
        {B.save}
      </Button>
      {saved ? <Notice kind="ok">{saved}</Notice> : null}
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      <ConfirmDialog
        open={confirming}
        title={B.confirmOverTitle}
        confirmLabel={B.confirmOver}
        cancelLabel={B.cancel}
        danger
        busy={busy}
        onConfirm={() => void run(() => save(true))}
        onCancel={() => setConfirming(false)}
      >
        <p>{B.confirmOverBody}</p>
        {check ? <p>{B.totalIfSaved(check.total, cap)}</p> : null}
      </ConfirmDialog>
    </Section>
  );
}
