/**
 * The stay a case began: where and since when, its day count in Japan days while it goes on, and
 * when it ended and where the person went (出口), recorded as a 'stay-end' entry (evidence: a
 * mistake is corrected, never edited). While two phones' outcomes recorded at once are not settled
 * (standingOutcomes), an admission among them is shown as recorded, 要確認, never as a stay begun.
 */
import { useState, type FormEvent } from 'react';
import { stayDays, standingOutcomes, stayOf, type StandingOutcome } from '../../domain/case-fold';
import { EXIT_KINDS, type Current, type EmergencyCase, type EntryBody, type ExitKind, type StayEndBody } from '../../domain/emergency-case';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { formatJapanDateTime } from '../../domain/japan-time';
import { useJapanToday } from '../../state/use-minute-clock';
import { DraftRestored, useCancelAsking, useDraftedForm, useReopenForDraft } from '../../state/use-drafted-form';
import { Button } from '../../ui/button';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { Section } from '../../ui/layout';
import type { FormInPlace } from './case-sections';
import { CorrectionNotes } from './corrections';
import { EntryErrors, SubformFoot } from './errors-list';
import { ST } from './stay-text';
import { T } from './text';
import { useAppend } from './use-append';

/** One draft per case and form: the 退所 being recorded, or its correction. */
export const stayEndDraftKey = (caseId: string, correcting: boolean) => `stay-end:${caseId}:${correcting ? 'correct' : 'record'}`;

/**
 * The draft key of the 退所 form the case offers now (記録 before a 退所 is recorded, 訂正 after),
 * or null when it offers none: no stay begun, two outcomes not settled, or a case read only.
 */
export function stayEndFormKeyNow(kase: EmergencyCase, readOnly: boolean): string | null {
  if (readOnly || stayOf(kase) === null || standingOutcomes(kase).unsettled) return null;
  return stayEndDraftKey(kase.id, (kase.stayEnd ?? null) !== null);
}

/** `form`: the 退所 form's open state, held by the case screen: its 「入力途中の記録があります」 line opens it too. */
export function StaySection({ kase, readOnly, form: endForm }: { kase: EmergencyCase; readOnly: boolean; form: FormInPlace }) {
  // the form takes its button's place, and the focus; done, the focus goes back (to 訂正 once recorded)
  const editing = endForm.shown;
  const stay = stayOf(kase);
  const end = kase.stayEnd ?? null;
  // which outcome stands was read order's choice: the same words in either order, and no 退所 to record yet
  const { outcomes, unsettled } = standingOutcomes(kase);
  // the day count moves at midnight on a screen left open through it
  const today = useJapanToday();
  // A 退所 note typed when the phone locked (a call taken meanwhile) opens again after the unlock.
  useReopenForDraft(stayEndFormKeyNow(kase, readOnly), () => endForm.setShown(true));
  if (unsettled) return <UnsettledStay outcomes={outcomes} />;
  if (stay === null) return null;
  const facility = kase.outcome?.body.facilityName ?? '';
  return (
    <Section title={ST.title} id="case-stay">
      <p>{ST.admitted(facility, formatJapanDateTime(stay.from))}</p>
      {end === null ? (
        <p className="case-status">{ST.inStay(stayDays(stay.fromDay, today))}</p>
      ) : (
        <>
          <p className="case-status case-status--closed">{ST.ended(formatJapanDateTime(end.body.endedAt), stayDays(stay.fromDay, stay.endDay!))}</p>
          <p>{ST.exitLine(end.body.exit, end.body.note)}</p>
          <CorrectionNotes corrections={end.corrections} />
          {!readOnly && !editing ? (
            <Button variant="ghost" {...endForm.opener} onClick={endForm.show}>
              {ST.correct}
            </Button>
          ) : null}
          {!readOnly && editing ? <StayEndForm caseId={kase.id} correcting={end} onDone={endForm.hide} /> : null}
        </>
      )}
      {end === null && !readOnly && !editing ? (
        <Button variant="primary" className="case-wide" {...endForm.opener} onClick={endForm.show}>
          {ST.record}
        </Button>
      ) : null}
      {end === null && !readOnly && editing ? <StayEndForm caseId={kase.id} onDone={endForm.hide} /> : null}
    </Section>
  );
}

/** The admissions among outcomes two phones recorded at once, each as recorded; nothing when none of them is one. */
function UnsettledStay({ outcomes }: { outcomes: readonly StandingOutcome[] }) {
  const admissions = outcomes.flatMap(({ outcome, stay }) => (stay === null ? [] : [{ outcome, stay }]));
  if (admissions.length === 0) return null;
  return (
    <Section title={ST.title} id="case-stay">
      <p>
        <span className="case-tag case-tag--warn">{T.outcomesUnsettled}</span>
      </p>
      {admissions.map(({ outcome, stay }) => (
        <p key={outcome.entryId}>{T.stayRecorded(outcome.body.facilityName, formatJapanDateTime(stay.from), stay.endedAt === null ? '' : formatJapanDateTime(stay.endedAt))}</p>
      ))}
      <p>{T.stayUnsettled}</p>
    </Section>
  );
}

/** Records the end; with `correcting`, a correction of the recorded end (the first stays in the chain). */
function StayEndForm({ caseId, correcting, onDone }: { caseId: string; correcting?: Current<StayEndBody>; onDone: () => void }) {
  const [initial] = useState((): { endedAt: string; exit: ExitKind; note: string; reason: string } => ({
    endedAt: toJapanInputValue(correcting ? correcting.body.endedAt : new Date()),
    exit: correcting?.body.exit ?? '自宅に戻った',
    note: correcting?.body.note ?? '',
    reason: '',
  }));
  const { form, setForm, dirty, restored, finish, discard, saveWith } = useDraftedForm(stayEndDraftKey(caseId, correcting !== undefined), initial);
  const { endedAt, exit, note, reason } = form;
  const set = (patch: Partial<typeof initial>) => setForm({ ...form, ...patch });
  const { append, errors, busy, setErrors } = useAppend(caseId);
  const { cancel, question } = useCancelAsking(dirty, finish, onDone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const at = fromJapanInputValue(endedAt);
    if (at === null) return setErrors(['退所の日時を入力してください。']);
    const body: StayEndBody = { type: 'stay-end', endedAt: at, exit, note: note.trim() };
    const entry: EntryBody = correcting ? { type: 'correction', corrects: correcting.entryId, reason: reason.trim(), replacement: body } : body;
    if (await saveWith((draft) => append(entry, draft))) onDone();
  }

  return (
    <>
      {/* Return in 退所の日時 goes on to the next field: it wrote the 退所, 「自宅に戻った」 and all, at once */}
      <form
        autoComplete="off"
        className="case-form case-subform"
        data-form="case-stay"
        aria-label={correcting ? ST.correct : ST.record}
        onKeyDown={keepEnterFromSubmitting}
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        <TextField label={ST.endedAt} type="datetime-local" required value={endedAt} onChange={(e) => set({ endedAt: e.target.value })} />
        <SelectField label={ST.exit} value={exit} onChange={(e) => set({ exit: e.target.value as ExitKind })} options={EXIT_KINDS.map((k) => ({ value: k, label: k }))} />
        <TextArea label={ST.note} hint={ST.noteHint} value={note} onChange={(e) => set({ note: e.target.value })} required={exit === 'その他' || exit === '別の事業所'} />
        {correcting ? <TextArea label={ST.reason} required value={reason} onChange={(e) => set({ reason: e.target.value })} /> : null}
        <SubformFoot errors={errors} busy={busy} cancel={cancel} words={ST} />
      </form>
      {question}
    </>
  );
}
