/**
 * 連絡・調整: the calls of a case. A call made from the match arrives with no result; its card
 * asks for one with four large buttons. A 折り返し待ち card offers 「折り返しがあった」 instead, as
 * the match does: the call back is a new contact at its own minute (a 23:50 折り返し待ち answered
 * 受入可 at 00:30 is a reach at 00:30, and the claim's month and times read it so). Each card can
 * be corrected or withdrawn, never edited.
 */
import { announce } from '../../ui/announce';
import { refocusWhenLost } from '../../ui/focus-lost';
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import { DraftRestored, useCancelAsking, useDraftedForm } from '../../state/use-drafted-form';
import { WhenHeard, useHalfWrittenCallBack } from '../../state/when-heard';
import {
  CONTACT_METHODS,
  CONTACT_RESULTS,
  asksWhenHeard,
  callBackOf,
  heardOnCallBack,
  type ContactBody,
  type ContactMethod,
  type ContactResult,
  type Current,
  type EmergencyCase,
} from '../../domain/emergency-case';
import type { IsoInstant } from '../../domain/household';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { useCaseFacilities } from './case-facilities';
import { CorrectionNotes } from './corrections';
import { EntryErrors, SubformFoot } from './errors-list';
import { T } from './text';
import { useAppend } from './use-append';

const OTHER = '__other__';

/** One draft per case for the manual call record (a case has at most one such form open). */
export const contactDraftKey = (caseId: string) => `case-contact:${caseId}`;

export function ContactCard({
  contact,
  caseClosed,
  caseId,
  onCorrect,
  onWithdraw,
  withdrawn = false,
  calledAgain = false,
  openedBy,
}: {
  contact: Current<ContactBody>;
  /** who opened the case (its handler's user id): a call someone else recorded names them (the morning's coordinator) */
  openedBy?: string;
  caseClosed: boolean;
  caseId: string;
  /** the facility was called again after this call (calledAgain in case-view.tsx): no 「折り返しがあった」 */
  calledAgain?: boolean;
  onCorrect?: (c: Current<ContactBody>) => void;
  onWithdraw?: (c: Current<ContactBody>) => void;
  withdrawn?: boolean;
}) {
  const { body } = contact;
  const { append, errors, busy } = useAppend(caseId);
  const open = !withdrawn && !caseClosed;
  const askResult = open && body.result === null;
  const askCallback = open && body.result === '折り返し待ち' && !calledAgain;
  const card = useRef<HTMLElement>(null);
  // a 受入可 or 受入不可 chosen long after the call: heard on it, or now on the facility's call back (WhenHeard)
  const [asking, setAsking] = useState<ContactResult | null>(null);
  // the call back written (with this result), the call's 折り返し待ち not: only what is missing is
  // offered, and written, again. Read from the case, so a lock or a reload in between forgets nothing.
  const { calledBack, writing } = useHalfWrittenCallBack(caseId, contact);
  const written = (result: ContactResult) => {
    // the buttons go with the written result: said, for whoever cannot see them go, and the focus
    // stays on this call (its result line), not on the top of the page
    announce(T.resultRecorded(body.facilityName, result));
    refocusWhenLost(() => card.current?.querySelector('.case-contact__result'));
  };
  const resultOnCall = (result: ContactResult) =>
    void append({ type: 'result', contact: contact.entryId, result, note: '' }).then((ok) => {
      if (ok) written(result);
    });
  const setResult = (result: ContactResult) => {
    if (asksWhenHeard(body, result, new Date())) setAsking(result);
    else resultOnCall(result);
  };
  // the same rule and entries as the match's (emergency-case.ts heardOnCallBack): the time the
  // facility was reached is the claim's 連絡・調整を行った時刻, and decides its month; `at` is the
  // minute 「いま」 showed (WhenHeard)
  const resultOnCallBack = (result: ContactResult, at: IsoInstant) =>
    writing(async () => {
      const [callBack, answered] = heardOnCallBack(contact, result, at);
      if (calledBack === null && !(await append(callBack))) return;
      if (answered !== undefined && !(await append(answered))) return;
      written(result);
    });
  const asked = calledBack ?? asking;
  const recordCallback = () => {
    const list = card.current?.closest('ul');
    void append(callBackOf(body, new Date().toISOString())).then((ok) => {
      if (!ok) return;
      // the call back is a new card further down, asking for its result: the focus goes to it
      announce(T.callbackRecorded(body.facilityName));
      refocusWhenLost(() => {
        const waiting = [...(list?.querySelectorAll('article.case-contact') ?? [])].filter(
          (a) => a.getAttribute('aria-label') === body.facilityName && a.querySelector('.case-results button') !== null && a !== card.current,
        );
        return waiting.at(-1)?.querySelector('.case-contact__time');
      });
    });
  };

  return (
    <article ref={card} className={withdrawn ? 'case-contact case-contact--withdrawn' : 'case-contact'} aria-label={body.facilityName}>
      <p className="case-contact__time">
        {openedBy !== undefined && contact.recordedBy.userId !== openedBy
          ? T.contactLineBy(formatJapanDateTime(body.contactedAt), body.method, contact.recordedBy.name)
          : T.contactLine(formatJapanDateTime(body.contactedAt), body.method)}
      </p>
      <h3 className="case-contact__name">
        {body.facilityName}
        {withdrawn ? <span className="case-tag case-tag--warn">{T.withdrawn}</span> : null}
        {contact.corrections.length > 0 && !withdrawn ? <span className="case-tag">{T.corrected}</span> : null}
      </h3>
      <p className={body.result === null ? 'case-contact__result case-contact__result--pending' : 'case-contact__result'}>
        {T.result}: {body.result ?? T.resultPending}
      </p>
      {body.note ? <p className="case-contact__note">{body.note}</p> : null}
      {body.result === '折り返し待ち' && calledAgain && !withdrawn ? <p className="case-contact__note">{T.answeredLater}</p> : null}
      <CorrectionNotes corrections={contact.corrections} />
      {askResult && asked !== null ? (
        <WhenHeard
          call={body}
          result={asked}
          stays="折り返し待ち"
          busy={busy}
          retryOnly={calledBack !== null}
          onNow={(at) => void resultOnCallBack(asked, at)}
          onThen={() => resultOnCall(asked)}
          onBack={() => {
            setAsking(null);
            refocusWhenLost(() => card.current?.querySelector('.case-results button'));
          }}
        />
      ) : askResult ? (
        <div className="case-results" role="group" aria-label={T.resultAsk}>
          {CONTACT_RESULTS.map((r) => (
            <Button key={r} variant="secondary" disabled={busy} onClick={() => setResult(r)}>
              {r}
            </Button>
          ))}
        </div>
      ) : null}
      {askCallback ? (
        <div className="case-results">
          <Button variant="secondary" disabled={busy} onClick={recordCallback}>
            {T.callback}
          </Button>
        </div>
      ) : null}
      <EntryErrors errors={errors} />
      {!withdrawn && (onCorrect || onWithdraw) ? (
        <div className="case-contact__actions">
          {onCorrect ? (
            <Button variant="ghost" onClick={() => onCorrect(contact)}>
              {T.correct}
            </Button>
          ) : null}
          {onWithdraw ? (
            <Button variant="ghost" onClick={() => onWithdraw(contact)}>
              {T.withdraw}
            </Button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

interface ContactFormValue {
  facilityKey: string;
  facilityName: string;
  shortStay: boolean;
  contactedAt: string;
  method: ContactMethod;
  /** null: no result yet (a call still waiting for one, corrected for its facility or time) */
  result: ContactResult | null;
  note: string;
}

/** A contact as a form value, for a manual entry (now) or a correction (its current values). */
export function contactFormOf(body: ContactBody | null): ContactFormValue {
  if (body === null) {
    return {
      facilityKey: '',
      facilityName: '',
      shortStay: true,
      contactedAt: toJapanInputValue(new Date()),
      method: '電話',
      // chosen, never assumed: a 不在 typed without touching it was recorded 受入可, a reached facility
      result: null,
      note: '',
    };
  }
  return {
    facilityKey: body.facilityId ?? OTHER,
    facilityName: body.facilityName,
    shortStay: body.shortStay,
    contactedAt: toJapanInputValue(body.contactedAt),
    method: body.method,
    result: body.result,
    note: body.note,
  };
}

/**
 * The fields of a contact; used by the manual form and by the correction dialog. `resultNotYet`:
 * the call corrected had no result, which the correction keeps unless another is chosen (it once
 * became 折り返し待ち, which nobody had said, and the case could then be closed with it unanswered).
 */
export function ContactFields({
  kase,
  value,
  onChange,
  resultNotYet = false,
}: {
  kase: EmergencyCase;
  value: ContactFormValue;
  onChange: (v: ContactFormValue) => void;
  resultNotYet?: boolean;
}) {
  const facilities = useApp((s) => s.facilities);
  const choices = useCaseFacilities(kase);
  const options = useMemo(() => choices.map((f) => ({ value: f.id, label: f.name })), [choices]);
  const set = (patch: Partial<ContactFormValue>) => onChange({ ...value, ...patch });
  return (
    <>
      <SelectField
        label={T.contactFacility}
        value={value.facilityKey}
        onChange={(e) => {
          const f = facilities.get(e.target.value);
          // a place typed by hand (a hospital, the family) is not a short-stay facility until ticked
          set(f ? { facilityKey: f.id, facilityName: f.name, shortStay: true } : { facilityKey: e.target.value, facilityName: '', shortStay: false });
        }}
        options={[{ value: '', label: '選んでください' }, ...options, { value: OTHER, label: T.contactFacilityOther }]}
      />
      {value.facilityKey === OTHER ? (
        <>
          <TextField label={T.contactFacilityName} value={value.facilityName} onChange={(e) => set({ facilityName: e.target.value })} required />
          <label className="check">
            <input type="checkbox" autoComplete="off" checked={value.shortStay} onChange={(e) => set({ shortStay: e.target.checked })} />
            <span>{T.contactShortStay}</span>
          </label>
        </>
      ) : null}
      <TextField label={T.contactedAt} type="datetime-local" value={value.contactedAt} onChange={(e) => set({ contactedAt: e.target.value })} required />
      <SelectField
        label={T.method}
        value={value.method}
        onChange={(e) => set({ method: e.target.value as ContactMethod })}
        options={CONTACT_METHODS.map((m) => ({ value: m, label: m }))}
      />
      <SelectField
        label={T.result}
        value={value.result ?? ''}
        onChange={(e) => set({ result: e.target.value === '' ? null : (e.target.value as ContactResult) })}
        options={[
          ...(resultNotYet ? [{ value: '', label: T.resultPending }] : value.result === null ? [{ value: '', label: T.chooseResult }] : []),
          ...CONTACT_RESULTS.map((r) => ({ value: r, label: r })),
        ]}
      />
      <TextArea label={T.note} value={value.note} onChange={(e) => set({ note: e.target.value })} />
    </>
  );
}

/** The body a contact form stands for; the facility's 事業所番号 is copied at the time. */
export function contactBodyOf(value: ContactFormValue, facilityOfficeNumber: (id: string) => string): ContactBody | string[] {
  const contactedAt = fromJapanInputValue(value.contactedAt);
  if (contactedAt === null) return ['連絡・調整を行った時刻を入力してください。'];
  const facilityId = value.facilityKey === OTHER || value.facilityKey === '' ? null : value.facilityKey;
  if (value.facilityKey === '') return ['連絡先の事業所を選んでください。'];
  return {
    type: 'contact',
    facilityId,
    facilityName: value.facilityName.trim(),
    facilityOfficeNumber: facilityId ? facilityOfficeNumber(facilityId) : '',
    shortStay: value.shortStay,
    contactedAt,
    method: value.method,
    result: value.result,
    note: value.note.trim(),
  };
}

export function ContactForm({ kase, onDone }: { kase: EmergencyCase; onDone: () => void }) {
  const facilities = useApp((s) => s.facilities);
  const [blank] = useState(() => contactFormOf(null));
  // Reopening 「連絡を記録（手入力）」 after an unlock brings the note back, with its original time.
  const { form: value, setForm: setValue, dirty, restored, finish, discard, saveWith } = useDraftedForm(contactDraftKey(kase.id), blank);
  const { append, errors, busy, setErrors } = useAppend(kase.id);
  // a note typed during the call is asked about before キャンセル throws it away
  const { cancel, question } = useCancelAsking(dirty, finish, onDone);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = contactBodyOf(value, (id) => facilities.get(id)?.officeNumber ?? '');
    if (Array.isArray(body)) return setErrors(body);
    if (body.result === null) return setErrors([T.resultRequired]);
    if (!(await saveWith((draft) => append(body, draft)))) return;
    onDone();
  }

  return (
    <>
      {/* Return in the time or a place's name goes on to the next field: a call saved is evidence */}
      <form autoComplete="off" className="case-form case-subform" data-form="case-contact" onKeyDown={keepEnterFromSubmitting} onSubmit={(e) => void submit(e)} noValidate>
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        <ContactFields kase={kase} value={value} onChange={setValue} />
        <SubformFoot errors={errors} busy={busy} cancel={cancel} words={T} />
      </form>
      {question}
    </>
  );
}
