/**
 * 「同じ緊急事態ですか？」 on the case screen (Q&A R6 問74: one emergency, one claim): the other cases of
 * the same person requested within 24 hours, the answer recorded for each, and a form to answer
 * (again). Each answer is a 'same-emergency' entry of this case; the last one stands.
 */
import { useMemo, useState, type FormEvent } from 'react';
import { casesWithin24Hours, sameEmergencyAnswer } from '../../domain/claim-rules';
import { useApp } from '../../state/store';
import type { CaseSubject, EmergencyCase } from '../../domain/emergency-case';
import { formatJapanDateTime } from '../../domain/japan-time';
import { DraftRestored, useDraftedForm } from '../../state/use-drafted-form';
import { Button } from '../../ui/button';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { TextArea } from '../../ui/field';
import { Section } from '../../ui/layout';
import { EntryErrors } from './errors-list';
import { casePaths } from './route';
import { T } from './text';
import { capGroupKeyOf, personFactsOf, useAllCases } from './use-cases';
import { useAppend } from './use-append';

/**
 * The name of the registered person another case is about, when that is not `subject`'s person: a
 * twin whose 受給者証番号 was swapped and corrected shares a cap group with the other, and the
 * question then names whose case it is. '' when the same person or not known.
 */
export function otherPersonOf(other: EmergencyCase, subject: CaseSubject): string {
  const [theirs, ours] = [other.subject.personId, subject.personId];
  return theirs !== null && ours !== null && theirs !== ours ? other.subject.name.trim() || T.otherPersonUnnamed : '';
}

export function SameEmergencySection({ kase, readOnly }: { kase: EmergencyCase; readOnly: boolean }) {
  const all = useAllCases();
  const summaries = useApp((s) => s.summaries);
  // Persons as the claim groups them: a case recorded before the 受給者証番号 was entered, or under the
  // number the household has since corrected, is this person's too (every pair the claim asks about).
  const keyOf = capGroupKeyOf(all, personFactsOf(summaries));
  const nearby = casesWithin24Hours(kase, all, (c) => keyOf(c.subject));
  if (nearby.length === 0) return null;
  return (
    <Section title={T.sameSection} id="case-same-emergency">
      <p>{T.sameSectionIntro}</p>
      <ul className="case-same__list">
        {nearby.map((other) => (
          <li key={other.id} aria-label={T.sameCaseLine(formatJapanDateTime(other.open.body.requestedAt), '')}>
            <SamePair kase={kase} other={other} readOnly={readOnly} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

function SamePair({ kase, other, readOnly }: { kase: EmergencyCase; other: EmergencyCase; readOnly: boolean }) {
  const answer = sameEmergencyAnswer(kase, other);
  // kept as a draft: a reason typed when the phone locks (a call taken meanwhile) is there after the unlock
  const [blank] = useState<{ choice: 'same' | 'separate' | null; reason: string }>({ choice: null, reason: '' });
  const { form, setForm, restored, discard } = useDraftedForm(readOnly ? null : `case-same:${kase.id}:${other.id}`, blank);
  const { choice, reason } = form;
  const setChoice = (value: 'same' | 'separate') => setForm({ ...form, choice: value });
  const setReason = (value: string) => setForm({ ...form, reason: value });
  const [saved, setSaved] = useState(false);
  const { append, errors, busy, setErrors } = useAppend(kase.id);
  const status = other.closedAt ? T.statusClosed(formatJapanDateTime(other.closedAt)) : T.statusOpen;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    if (choice === null) return setErrors([T.sameUnanswered]);
    // the reason is asked for 別の緊急事態 only: one typed, then hidden by 同じ, is not this answer's
    const said = choice === 'separate' ? reason.trim() : '';
    const ok = await append({ type: 'same-emergency', otherCaseId: other.id, otherRequestedAt: other.open.body.requestedAt, answer: choice, reason: said });
    if (!ok) return;
    // written: the draft goes, and the form is empty again for the next answer
    await discard();
    setSaved(true);
  }

  return (
    <>
      <p className="case-meta">
        <a className="case-link" href={casePaths.case(other.id)}>
          {T.sameCaseLine(formatJapanDateTime(other.open.body.requestedAt), status, otherPersonOf(other, kase.subject))}
        </a>
      </p>
      <p className="case-same__answer">
        {answer
          ? T.sameAnswered(
              answer.body.answer === 'same' ? T.sameAnswerSame : T.sameAnswerSeparate,
              answer.body.reason,
              answer.recordedBy.name,
              formatJapanDateTime(answer.recordedAt),
            )
          : T.sameNotAnswered}
      </p>
      {readOnly ? null : (
        // Return in a field typed into never records the answer (evidence); the radios keep the browser's own Return
        <form autoComplete="off" className="case-form" onKeyDown={keepEnterFromSubmitting} onSubmit={(e) => void submit(e)} noValidate>
          {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
          <fieldset className="field case-chips">
            <legend className="field__label">{T.sameQuestion}</legend>
            <div className="case-chips__grid">
              {(['same', 'separate'] as const).map((value) => (
                <label key={value} className={choice === value ? 'case-chip case-chip--on' : 'case-chip'}>
                  <input type="radio" autoComplete="off" name={`same-${other.id}`} value={value} checked={choice === value} onChange={() => setChoice(value)} />
                  <span>{value === 'same' ? T.sameAnswerSame : T.sameAnswerSeparate}</span>
                </label>
              ))}
            </div>
          </fieldset>
          {choice === 'separate' ? <TextArea label={T.sameReason} hint={T.sameReasonHint} required value={reason} onChange={(e) => setReason(e.target.value)} /> : null}
          <EntryErrors errors={errors} />
          <Button type="submit" disabled={busy}>
            {T.sameSave}
          </Button>
          {saved ? (
            <p className="status-line" role="status">
              {T.sameSaved}
            </p>
          ) : null}
        </form>
      )}
    </>
  );
}
