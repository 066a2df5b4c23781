/**
 * 空床を報告 ('#/facilities/<id>/vacancy'): the facility liaison's own screen, one step from the
 * list or the facility. The current figure on top, then beds now or for a date range (the weekend),
 * an optional word and the reporter's own name (typed: the phone may be signed in as someone else),
 * then the last reports.
 */
import { useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import { DraftRestored, useDraftedForm } from '../../state/use-drafted-form';
import { useMinuteClock } from '../../state/use-minute-clock';
import { closureOn, type Facility, type FacilityClosure, type Vacancy } from '../../domain/facility';
import { japanNightOf, reportForNight, reportsAhead, vacancyStanding } from '../../domain/match-order';
import { formatJapanDate, formatJapanDateTime, formatJapanDateTimeOrText, formatMonthDay, japanDateOf } from '../../domain/japan-time';
import { agoInWords } from '../../domain/night-call';
import { reportVacancy, type VacancyReportErrors, type VacancyReportInput } from '../../domain/vacancy-report';
import { recordTooLarge } from '../../domain/record-limits';
import { Button } from '../../ui/button';
import { TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Page, Section } from '../../ui/layout';
import { T } from './text';
import { navigate, paths } from './use-route';
import { useFacilityWrites } from './use-facility-writes';
import { ClosureLine } from './vacancy-badge';

/** The 休止・廃止 a reported period runs into (dates as typed, YYYY-MM-DD), or null. */
function closureInRange(f: Pick<Facility, 'closure'>, from: string, until: string): FacilityClosure | null {
  const c = f.closure;
  if (!c || !/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(until) || until < from) return null;
  if (until < c.from) return null;
  return c.kind === 'closed' || c.until === null || from <= c.until ? c : null;
}

/** 「空き 2床」「満床」, with the period when there is one. */
export function vacancyText(v: Vacancy): string {
  const beds = v.beds > 0 ? T.vacancy(v.beds) : T.full;
  return v.from && v.until ? `${beds}（${T.period(formatJapanDate(v.from), formatJapanDate(v.until))}）` : beds;
}

function ReportLine({ v, now }: { v: Vacancy; now: Date }) {
  return (
    <>
      <strong>{vacancyText(v)}</strong>
      {'　'}
      {T.reportedAgo(agoInWords(v.asOf, now) ?? formatJapanDateTimeOrText(v.asOf), v.reportedBy)}
      {v.note ? <span className="fac-report__note">{v.note}</span> : null}
    </>
  );
}

/**
 * The reports for nights still to come beside the one read tonight (a weekend's beds reported
 * before tonight's 満床), so that whoever reports or calls sees both; `shown` is left out.
 */
export function ReportsAhead({ facility, now, shown }: { facility: Facility; now: Date; shown: Vacancy | null }) {
  const ahead = reportsAhead(facility, now.getTime()).filter((v) => v !== shown);
  if (ahead.length === 0) return null;
  return (
    <div className="fac-report__ahead">
      <p>{T.reportsAhead}：</p>
      <ul>
        {ahead.map((v, i) => (
          <li key={`${v.asOf}-${i}`}>
            <ReportLine v={v} now={now} />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The report as its draft keeps it: with the time it was last typed. */
interface VacancyDraft extends VacancyReportInput {
  /** the last keystroke's instant; none in the form as it opens (nor in a draft kept before this was written) */
  readonly typedAt?: string;
}

const sameReport = (a: VacancyDraft, b: VacancyDraft) => JSON.stringify({ ...a, typedAt: undefined }) === JSON.stringify({ ...b, typedAt: undefined });

/**
 * A draft is restored on the night (Japan time, until 06:00) it was typed in, and dropped after: a
 * 「空き 2床」 typed at 17:00 yesterday and restored tonight was one tap from being saved as tonight's
 * fresh count, which the match puts first. Restored with its time said, it was still that one tap
 * (the field says it holds the registered count), so it is dropped and the screen says so, with when
 * it was typed: the liaison checks the beds and types one number again.
 */
function typedTonight(draft: VacancyDraft): boolean {
  const at = draft.typedAt === undefined ? Number.NaN : Date.parse(draft.typedAt);
  return Number.isFinite(at) && japanNightOf(at) === japanNightOf(Date.now());
}

export function VacancyReport({ id }: { id: string }) {
  const facility = useApp((s) => s.facilities.get(id));
  const saveFacility = useApp((s) => s.saveFacility);
  const now = useMinuteClock();
  // On a liaison's own phone the one reporting is the one unlocked; on the hub's phone a coordinator
  // may take a report by phone, so the name is typed there.
  const { liaison } = useFacilityWrites();
  const me = useApp((s) => s.session?.user.displayName ?? '');
  const [initial] = useState<VacancyDraft>(() => {
    const v = facility?.vacancy;
    // the current report to start from, not an empty box: a count for dates still to come keeps its
    // dates, so correcting the weekend's count does not make it a count for tonight
    // (by nights, as the match reads them: at 01:00 on Monday, Sunday's night still holds)
    const tonight = japanNightOf(Date.now());
    const dated = v?.from !== undefined && v.until !== undefined && v.until >= tonight;
    return {
      beds: v ? String(v.beds) : '',
      reportedBy: liaison ? me : '',
      ranged: dated,
      from: dated ? v.from! : '',
      until: dated ? v.until! : '',
      note: dated ? (v.note ?? '') : '',
    };
  });
  // kept as a draft: a report typed when the phone locked comes back after the unlock (this screen
  // is where the hash still points); the lock lost it
  const { form, setForm, restored, dropped, finish, discard } = useDraftedForm(`vacancy-report:${id}`, initial, sameReport, typedTonight);
  const [errors, setErrors] = useState<VacancyReportErrors>({});
  const [failed, setFailed] = useState(false);
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed: focusInvalid } = useFocusInvalidOnFail<HTMLFormElement>();
  const back = (
    <a className="btn btn--ghost" href={paths.detail(id)} aria-label={T.backToFacility}>
      ←
    </a>
  );
  if (!facility) {
    return (
      <Page title={T.reportTitle} back={back}>
        <Notice kind="warn">{T.notFound}</Notice>
      </Page>
    );
  }
  const f = facility;
  const tonight = reportForNight(f, now.getTime());
  const today = japanDateOf(now);
  // taken all the same (the dates may change, the office may open again), but said: the match lists
  // a closed facility under 「休止・廃止中の事業所」, whatever beds it reported
  const closedNow = closureOn(f, today) !== null;
  const rangeClosed = !closedNow && form.ranged ? closureInRange(f, form.from, form.until) : null;
  // a report for now made tonight ends a period's report holding tonight, from tonight on (reportForNight)
  const endsPeriod = tonight?.from !== undefined && tonight.until !== undefined && ['fresh', 'full'].includes(vacancyStanding(tonight, now.getTime())) ? tonight : null;
  const set = (patch: Partial<VacancyReportInput>) => setForm({ ...form, ...patch, typedAt: new Date().toISOString() });
  const droppedAt = dropped?.typedAt === undefined || !Number.isFinite(Date.parse(dropped.typedAt)) ? null : formatJapanDateTime(dropped.typedAt);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const at = new Date().toISOString();
    const result = reportVacancy(f, form, at);
    setTooLarge(null);
    if (!result.ok) {
      setErrors(result.errors);
      focusInvalid();
      return;
    }
    setErrors({});
    // The hub takes no record above 128 KB, and the facility keeps its last reports with their words:
    // a long ひとこと kept over ten reports was refused there, and every later report with it.
    const large = recordTooLarge(result.facility, T.reportTooLargeNote);
    if (large !== null) {
      const withoutNote = reportVacancy(f, { ...form, note: '' }, at);
      const noteHelps = withoutNote.ok && recordTooLarge(withoutNote.facility) === null;
      setTooLarge(noteHelps ? large : recordTooLarge(result.facility, T.reportTooLargeRecord));
      return;
    }
    setBusy(true);
    setFailed(false);
    try {
      await saveFacility(result.facility, 'update');
      await finish();
      navigate(paths.detail(f.id), { replace: true });
    } catch {
      setFailed(true);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={T.reportTitle} back={back}>
      <p className="fac-report__facility">
        {f.name || T.noName}
        <ClosureLine facility={f} today={today} />
      </p>
      {closedNow ? <Notice kind="warn">{T.reportWhileClosed}</Notice> : null}
      <p className="fac-report__current">
        {T.current}
        {tonight ? <ReportLine v={tonight} now={now} /> : T.vacancyUnknown}
      </p>
      <ReportsAhead facility={f} now={now} shown={tonight} />
      <form ref={formRef} autoComplete="off" className="fac-report" onSubmit={(e) => void submit(e)} noValidate>
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        {dropped ? <Notice kind="warn">{droppedAt === null ? T.reportDraftDroppedUndated : T.reportDraftDropped(droppedAt)}</Notice> : null}
        <TextField
          label={T.reportBeds}
          hint={T.reportBedsHint}
          type="text"
          inputMode="numeric"
          value={form.beds}
          onChange={(e) => set({ beds: e.target.value })}
          error={errors.beds}
          required
        />
        <fieldset className="field">
          <legend className="field__label">{T.reportWhen}</legend>
          <label className="check">
            <input type="radio" name="when" checked={!form.ranged} onChange={() => set({ ranged: false })} />
            <span>{T.reportNow}</span>
          </label>
          <label className="check">
            <input type="radio" name="when" checked={form.ranged} onChange={() => set({ ranged: true })} />
            <span>{T.reportRange}</span>
          </label>
        </fieldset>
        {!form.ranged && endsPeriod ? <p className="field__hint fac-report__ends">{T.reportNowEndsPeriod(formatMonthDay(endsPeriod.from!), formatMonthDay(endsPeriod.until!))}</p> : null}
        {form.ranged ? (
          <div className="fac-report__range">
            <TextField label={T.reportFrom} type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} error={errors.from} required />
            <TextField label={T.reportUntil} type="date" value={form.until} onChange={(e) => set({ until: e.target.value })} error={errors.until} required />
          </div>
        ) : null}
        {rangeClosed ? <Notice kind="warn">{T.reportRangeInClosure(formatJapanDate(rangeClosed.from))}</Notice> : null}
        <TextArea label={T.reportNote} hint={T.reportNoteHint} value={form.note} onChange={(e) => set({ note: e.target.value })} />
        <TextField label={T.vacancyReporter} value={form.reportedBy} onChange={(e) => set({ reportedBy: e.target.value })} error={errors.reportedBy} required />
        {tooLarge ? <Notice kind="error">{tooLarge}</Notice> : null}
        {failed ? <Notice kind="error">{T.reportFailed}</Notice> : null}
        <Button type="submit" variant="primary" disabled={busy}>
          {T.reportSubmit}
        </Button>
      </form>
      <Section title={T.historyTitle} id="fac-report-history">
        {(f.vacancyHistory ?? []).length === 0 ? <p>{T.noHistory}</p> : null}
        <ol className="fac-report__history">
          {(f.vacancyHistory ?? []).map((v, i) => (
            <li key={`${v.asOf}-${i}`}>
              <ReportLine v={v} now={now} />
            </li>
          ))}
        </ol>
      </Section>
    </Page>
  );
}
