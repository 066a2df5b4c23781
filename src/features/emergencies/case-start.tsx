/**
 * Starting a case. The request time is stamped the moment the coordinator taps 「緊急対応を開始」
 * (the form's first render), and kept in an encrypted draft, so a lock in the middle of a long call
 * does not lose it. Setting the time back by hand asks for a reason (seeds/004 §24-3 (3)).
 * The office it is handled by (and claimed under) sits near the top: the user's own or last used,
 * else chosen, never the alphabetically first of a network (case-office.ts).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';
import { CaseEntryRejected, useApp } from '../../state/store';
import { useFormDraft } from '../../state/use-form-draft';
import { personalDraftKey } from '../../vault/drafts';
import { useHousehold } from '../../state/use-household';
import { useLogOpen } from '../../state/use-log-open';
import { CLOCK_TOLERANCE_MS, stayDays, stayOf, type Stay } from '../../domain/case-fold';
import { REQUEST_CATEGORIES, type CaseSubject, type EmergencyCase, type OpenBody, type RequestCategory } from '../../domain/emergency-case';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import { formatJapanDateTime, japanDateOf } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { refocusWhenLost } from '../../ui/focus-lost';
import { Notice, Page } from '../../ui/layout';
import { takeCarriedName } from '../../state/carried-name';
import { EntryErrors } from './errors-list';
import { casePaths, navigate } from './route';
import { T } from './text';
import { useAllCases } from './use-cases';
import { otherPersonOf } from './same-emergency';
import { capGroupKeyLookupOf, casesNear, personFactsLookupOf } from '../../domain/claim-rules';
import { caseOfficesFor, defaultCaseOffice, lastCaseOffice, ownOfficeIdOf, rememberCaseOffice } from './case-office';
import { isDemoId } from '../../domain/demo-id';
import { toVaultError } from '../../vault/errors';

interface StartForm {
  /** ISO instant of the tap */
  readonly stampedAt: string;
  /** datetime-local value, Japan time */
  readonly requestedAt: string;
  readonly reason: string;
  readonly category: RequestCategory | '';
  readonly detail: string;
  readonly caller: string;
  readonly callerPhone: string;
  /** '' until chosen, when several offices could handle it and none is known to be this user's */
  readonly officeId: string;
  /** 「同じ緊急事態ですか？」: '' until answered 「別の緊急事態」 (absent in drafts from before the question) */
  readonly separate?: boolean;
  readonly separateReason?: string;
  /**
   * 氏名（聞き取り）: an unknown caller's person, by the name the caller gave (absent in drafts from before
   * the field): two such cases of one night are told apart by it, until linked to a registered person.
   */
  readonly heardName?: string;
}

/**
 * How long a started case's stamp is kept for the same user (a lock in the middle of a long call, the
 * screen left and opened again): beyond it, opening 「緊急対応を開始」 is a new call, stamped anew.
 */
const STAMP_KEPT_MS = 60 * 60_000;

/** Anything typed or chosen beyond the stamp and the office (and the name carried from the search, `carried`). */
function typedInto(form: StartForm, carried = ''): boolean {
  return (
    form.requestedAt !== toJapanInputValue(form.stampedAt) ||
    form.category !== '' ||
    [form.reason, form.detail, form.caller, form.callerPhone, form.separateReason ?? ''].some((t) => t.trim() !== '') ||
    (form.heardName ?? '').trim() !== carried ||
    form.separate === true
  );
}

function freshForm(officeId: string, heardName: string): StartForm {
  const stampedAt = new Date().toISOString();
  return {
    stampedAt,
    requestedAt: toJapanInputValue(stampedAt),
    reason: '',
    category: '',
    detail: '',
    caller: '',
    callerPhone: '',
    officeId,
    heardName,
  };
}

/** The open entry's body; the reason is filled in when the app, not a person, set the time. */
export function openBodyOf(form: StartForm, subject: CaseSubject, now: number): OpenBody | string[] {
  const requestedAt = fromJapanInputValue(form.requestedAt);
  if (requestedAt === null) return ['要請のあった時間を入力してください。'];
  if (form.category === '') return [T.categoryMissing];
  const edited = form.requestedAt !== toJapanInputValue(form.stampedAt);
  const late = now - Date.parse(requestedAt) > CLOCK_TOLERANCE_MS;
  const requestedAtReason = edited ? form.reason.trim() : late ? T.autoStampReason : '';
  return {
    type: 'open',
    officeId: form.officeId,
    subject,
    requestedAt,
    requestedAtReason,
    category: form.category,
    detail: form.detail.trim(),
    caller: form.caller.trim(),
    callerPhone: form.callerPhone.trim(),
  };
}

export function CaseStart({ householdId, personId }: { householdId: string | null; personId: string | null }) {
  const { household, loading } = useHousehold(householdId);
  useLogOpen(householdId);
  const offices = useApp((s) => s.offices);
  const summaries = useApp((s) => s.summaries);
  const session = useApp((s) => s.session);
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const allCases = useAllCases();
  const person = household?.persons.find((p) => p.id === personId);
  const capGroupKeyOf = useMemo(() => capGroupKeyLookupOf(allCases, personFactsLookupOf(summaries)), [allCases, summaries]);
  // A demo household's case may start under the demo's offices; a real one (an unknown caller's too) never.
  const demoSubject = useApp((s) => householdId !== null && (isDemoId(householdId) || s.demoIds.has(householdId)));
  const officeList = useMemo(
    () => caseOfficesFor([...offices.values()], demoSubject).sort((a, b) => a.name.localeCompare(b.name, 'ja')),
    [offices, demoSubject],
  );
  const userId = session?.user.id ?? null;
  const ownOffice = useStore(syncStatus, ownOfficeIdOf);
  const officeDefault = useMemo(
    () => defaultCaseOffice(officeList, ownOffice, userId === null ? null : lastCaseOffice(userId), undefined, demoSubject),
    [officeList, ownOffice, userId, demoSubject],
  );
  // Per person unlocking the phone: a colleague's half-started case, and its stamp, are not this user's.
  const draftKey = personalDraftKey(`case-start:${householdId ?? 'unknown'}:${personId ?? 'unknown'}`, userId);
  // only an unknown caller's case is named by what was heard; a registered person's by their record.
  // The name searched for before 「本人未特定で開始」 is filled in as heard (taken once, at the mount).
  const [carried] = useState(() => (householdId === null ? takeCarriedName() : ''));

  const [form, setForm] = useState<StartForm | null>(null);
  const [errors, setErrors] = useState<readonly string[]>([]);
  // 「要請の内容の区分を選んでください」 beside the choices, not under the last field far below them
  const [categoryErrors, setCategoryErrors] = useState<readonly string[]>([]);
  const [officeError, setOfficeError] = useState<string | undefined>(undefined);
  const [changingOffice, setChangingOffice] = useState(false);
  const [busy, setBusy] = useState(false);
  /** the case 「同じ緊急事態：この記録を開く」 would open, while it asks about what was typed */
  const [confirmOpen, setConfirmOpen] = useState<string | null>(null);
  /** 「入力を消す」 asked about: the caller's details typed an hour ago go only once confirmed */
  const [confirmClear, setConfirmClear] = useState(false);
  /**
   * What came back from this user's draft: 'stamp' (within the hour: a lock mid-call, the screen left
   * and opened again) or 'text' (older: what was typed, under a new stamp); the draft's stamp for 'text'.
   */
  const [restored, setRestored] = useState<false | 'stamp' | { readonly text: string }>(false);
  const { finish, hold } = useFormDraft(draftKey, form, form !== null);
  // focus goes to the office or the first choice once their messages are drawn
  const { ref: formRef, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  useEffect(() => {
    let live = true;
    const fallback = freshForm(officeDefault, carried);
    // Stamp first, then look for a draft: a draft from before a lock keeps its original stamp.
    setForm(fallback);
    void session
      ?.loadDraft<StartForm>(draftKey)
      .then((draft) => {
        if (!live || !draft) return;
        // a draft kept under a demo office (before the demo's offices were left out of a real call) is not restored under it
        const office = draft.officeId === '' || (!demoSubject && isDemoId(draft.officeId)) ? fallback.officeId : draft.officeId;
        // the name searched for just now is this caller's; without one, a name heard before the lock stays
        const heardName = carried !== '' ? carried : draft.heardName;
        // A stamp after now is from before the clock was put back (a phone set to 2030, then to network
        // time): its age says nothing, and kept, it made the request one in the future that cannot be saved.
        const age = Date.now() - Date.parse(draft.stampedAt);
        if (age >= 0 && age <= STAMP_KEPT_MS) {
          setForm({ ...draft, officeId: office, heardName });
          setRestored('stamp');
          return;
        }
        // A stamp older than a call can last is another call's: this one starts now. What was typed
        // comes back, said so, to keep or clear (a request time set back by hand stays, with its reason).
        if (!typedInto(draft, carried)) return;
        const setBack = draft.requestedAt !== toJapanInputValue(draft.stampedAt);
        setForm({ ...draft, officeId: office, heardName, stampedAt: fallback.stampedAt, requestedAt: setBack ? draft.requestedAt : fallback.requestedAt, reason: setBack ? draft.reason : '' });
        setRestored({ text: draft.stampedAt });
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
    // Only on open (draftKey): the stamp must not move when the offices or the session object change.
  }, [draftKey]);

  // The user's office learnt after the form opened (the first sync since the unlock): filled in while none is chosen.
  useEffect(() => {
    if (officeDefault !== '') setForm((f) => (f !== null && f.officeId === '' ? { ...f, officeId: officeDefault } : f));
  }, [officeDefault]);

  if (householdId !== null && !person) {
    return (
      <Page title={T.startTitle}>
        {loading ? <p role="status">{T.loading}</p> : <Notice kind="warn">{T.personNotFound}</Notice>}
        <a className="btn btn--secondary" href={casePaths.list()}>
          {T.backToList}
        </a>
      </Page>
    );
  }
  if (form === null) return null;

  const subject: CaseSubject =
    household && person
      ? { householdId: household.id, personId: person.id, name: person.name, recipientNumber: person.recipientNumber }
      : { householdId: null, personId: null, name: (form.heardName ?? '').trim(), recipientNumber: '' };
  const edited = form.requestedAt !== toJapanInputValue(form.stampedAt);
  const update = (patch: Partial<StartForm>) => setForm({ ...form, ...patch });
  // Q&A R6 問74: another case of this person requested within 24 hours may be this same emergency.
  // Persons as the claim groups them: a case recorded before the 受給者証番号 was entered, or under a
  // number since corrected, is this person's too.
  const nearby = casesNear(subject, fromJapanInputValue(form.requestedAt) ?? form.stampedAt, allCases, capGroupKeyOf);
  // A stay this person began in an emergency and has not left: a call on day 4 (the facility cannot
  // keep them longer) may be the same emergency going on, whose record is reopened, not a new one.
  // The latest such stay only, begun by now (an admission recorded ahead is not yet a stay).
  let inStay: { kase: EmergencyCase; stay: Stay } | null = null;
  for (const kase of subject.personId === null ? [] : allCases) {
    if (kase.subject.householdId !== subject.householdId || kase.subject.personId !== subject.personId || nearby.some((n) => n.id === kase.id)) continue;
    const stay = stayOf(kase);
    if (stay === null || stay.endDay !== null || Date.parse(stay.from) > Date.now()) continue;
    if (inStay === null || Date.parse(stay.from) > Date.parse(inStay.stay.from)) inStay = { kase, stay };
  }
  const separate = form.separate === true;
  const separateReason = form.separateReason ?? '';
  const chooseOffice = officeList.length > 1;
  const officeChosen = officeList.some((o) => o.id === form.officeId);

  /**
   * 「同じ緊急事態」: no second case; the draft is dropped and the existing case opens. What was
   * typed for this call goes with it, so that is asked first (confirmOpen) when anything was.
   */
  async function openExisting(caseId: string) {
    await finish();
    navigate(casePaths.case(caseId), { replace: true });
  }
  const askOpenExisting = (caseId: string) => {
    if (typedInto({ ...form, separate: false, separateReason: '' }, carried)) setConfirmOpen(caseId);
    else void openExisting(caseId);
  };

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (busy || form === null) return;
    const body = openBodyOf(form, subject, Date.now());
    const officeMissing = chooseOffice && !officeChosen;
    setOfficeError(officeMissing ? T.officeMissing : undefined);
    // the office field is near the top, the button at the bottom: focus (and the scroll) shows where the answer is wanted
    if (officeMissing) failed();
    if (Array.isArray(body)) {
      const categoryMissing = body.includes(T.categoryMissing);
      setCategoryErrors(categoryMissing ? [T.categoryMissing] : []);
      setErrors(body.filter((m) => m !== T.categoryMissing));
      // the first choice takes the focus, unless the office above it is missing too (its message brings itself into view)
      if (categoryMissing && !officeMissing) failed({ preventScroll: true });
      return;
    }
    setErrors([]);
    setCategoryErrors([]);
    if (officeMissing) return;
    if (nearby.length > 0 && !separate) return setErrors([T.sameUnanswered]);
    if (nearby.length > 0 && separateReason.trim() === '') return setErrors([T.sameReasonMissing]);
    setBusy(true);
    // From here no autosave (the lock's neither) writes the draft again, and the open entry deletes it
    // in its own transaction: a lock or a kill after it must not bring the form back to start the
    // case again (an unknown caller's twin would not even be asked 同じ緊急事態ですか？).
    const release = await hold();
    try {
      const kase = await appendCaseEntry(null, body, { dropDraft: draftKey });
      // The answer is evidence: one entry per case it was compared with, right after the request.
      const answered = await Promise.all(
        nearby.map((o) =>
          appendCaseEntry(kase.id, {
            type: 'same-emergency',
            otherCaseId: o.id,
            otherRequestedAt: o.open.body.requestedAt,
            answer: 'separate',
            reason: separateReason.trim(),
          }).then(
            () => true,
            () => false,
          ),
        ),
      );
      if (answered.includes(false)) window.alert(T.sameAnswerFailed);
      // The demo's office is never remembered: the next real call would start under it.
      if (userId !== null && !isDemoId(body.officeId)) rememberCaseOffice(userId, body.officeId);
      await finish();
      // Back from the case must not reach this form again (it would start another case).
      navigate(casePaths.case(kase.id), { replace: true });
      // The next step of a night call is the match, where the calls are made and recorded.
      if (subject.householdId && subject.personId) navigate(casePaths.match(subject.householdId, subject.personId, kase.id));
    } catch (err) {
      release();
      setErrors(err instanceof CaseEntryRejected ? err.messages : [`${T.saveFailed} ${toVaultError(err).message}`]);
    } finally {
      setBusy(false);
    }
  }

  // Leaving a form nothing was typed into drops it: opened again, the case starts at that moment.
  const leave = () => {
    if (!typedInto(form, carried)) void finish();
  };
  const back = household ? (
    <a className="case-link" href={casePaths.household(household.id)} onClick={leave}>
      {T.backToHousehold}
    </a>
  ) : (
    <a className="case-link" href={casePaths.list()} onClick={leave}>
      {T.backToList}
    </a>
  );

  return (
    <Page title={T.startTitle} back={back}>
      {/* Return after the caller's name goes on to the next field: the case it would open cannot be deleted. */}
      <form ref={formRef} autoComplete="off" className="case-form" onKeyDown={keepEnterFromSubmitting} onSubmit={(e) => void submit(e)} noValidate>
        <p className="case-subject">{person ? person.name || '（氏名未入力）' : T.unknownCaller}</p>
        {typeof restored === 'object' ? (
          <Notice
            action={
              <Button variant="ghost" onClick={() => setConfirmClear(true)}>
                {T.clearRestored}
              </Button>
            }
          >
            <span role="status">{T.restoredTextOnly(formatJapanDateTime(restored.text), formatJapanDateTime(form.stampedAt))}</span>
          </Notice>
        ) : restored === 'stamp' ? (
          // Said, not silently kept: the request time of this evidence is the one shown here.
          <Notice
            action={
              <Button
                variant="ghost"
                onClick={() => {
                  const now = new Date().toISOString();
                  setForm({ ...form, stampedAt: now, requestedAt: toJapanInputValue(now) });
                  setRestored(false);
                }}
              >
                {T.restampNow}
              </Button>
            }
          >
            <span role="status">{T.stampedAtRestored(formatJapanDateTime(form.stampedAt))}</span>
          </Notice>
        ) : (
          <p className="case-stamp" role="status">
            {T.stampedAt(formatJapanDateTime(form.stampedAt))}
          </p>
        )}
        {chooseOffice && officeChosen && !changingOffice ? (
          // Known (the user's own, or the one they last used): one line, so the night's fields stay on the first screen.
          <p className="case-office">
            <span>
              {T.office}：{officeList.find((o) => o.id === form.officeId)?.name}
            </span>
            <Button
              variant="ghost"
              onClick={() => {
                setChangingOffice(true);
                // the choice takes the button's place, and the focus
                refocusWhenLost(() => document.querySelector<HTMLSelectElement>('select[name="officeId"]'));
              }}
            >
              {T.officeChange}
            </Button>
          </p>
        ) : chooseOffice ? (
          <SelectField
            label={T.office}
            name="officeId"
            required
            hint={officeChosen ? undefined : T.officeChooseHint}
            error={officeError}
            value={officeChosen ? form.officeId : ''}
            onChange={(e) => {
              setOfficeError(undefined);
              // chosen here: the select stays where the user's hand is
              setChangingOffice(true);
              update({ officeId: e.target.value });
            }}
            options={[...(officeChosen ? [] : [{ value: '', label: T.officePlaceholder }]), ...officeList.map((o) => ({ value: o.id, label: o.name }))]}
          />
        ) : officeList.length === 0 ? (
          <Notice kind="warn">{T.noOfficeHint}</Notice>
        ) : null}
        {inStay !== null ? (
          <Notice
            kind="warn"
            action={
              <Button onClick={() => askOpenExisting(inStay.kase.id)}>
                {T.inStayOpen}
              </Button>
            }
          >
            {T.inStay(inStay.kase.outcome?.body.facilityName ?? '', formatJapanDateTime(inStay.stay.from), stayDays(inStay.stay.fromDay, japanDateOf(new Date())))}
          </Notice>
        ) : null}
        {confirmClear ? (
          <ConfirmDialog
            open
            title={T.clearRestoredTitle}
            confirmLabel={T.clearRestored}
            cancelLabel={T.clearRestoredKeep}
            danger
            onConfirm={() => {
              setConfirmClear(false);
              setForm({ ...freshForm(form.officeId, carried), stampedAt: form.stampedAt, requestedAt: toJapanInputValue(form.stampedAt) });
              setRestored(false);
            }}
            onCancel={() => setConfirmClear(false)}
          >
            <p>{T.clearRestoredBody}</p>
          </ConfirmDialog>
        ) : null}
        {confirmOpen !== null ? (
          <ConfirmDialog
            open
            title={T.sameOpenTypedTitle}
            confirmLabel={T.sameOpenTypedConfirm}
            cancelLabel={T.sameOpenTypedCancel}
            onConfirm={() => void openExisting(confirmOpen)}
            onCancel={() => setConfirmOpen(null)}
          >
            <p>{T.sameOpenTypedWhat}</p>
          </ConfirmDialog>
        ) : null}
        {person ? null : (
          <TextField label={T.heardNameField} hint={T.heardNameHint} value={form.heardName ?? ''} onChange={(e) => update({ heardName: e.target.value })} />
        )}
        {nearby.length > 0 ? (
          <fieldset className="field case-same">
            <legend className="field__label">
              {T.sameQuestion}
              <span className="field__required">必須</span>
            </legend>
            <p>{T.sameIntro(nearby.length)}</p>
            {nearby.some((o) => otherPersonOf(o, subject) !== '') ? <p>{T.sameOtherPerson}</p> : null}
            <ul className="case-same__list">
              {nearby.map((o) => (
                <li key={o.id}>
                  <p className="case-meta">
                    {T.sameCaseLine(formatJapanDateTime(o.open.body.requestedAt), o.closedAt ? T.statusClosed(formatJapanDateTime(o.closedAt)) : T.statusOpen, otherPersonOf(o, subject))}
                  </p>
                  {/* another person's case is never where this person's calls go */}
                  {otherPersonOf(o, subject) === '' ? (
                    <Button className="case-wide" onClick={() => askOpenExisting(o.id)}>
                      {T.sameOpenExisting}
                    </Button>
                  ) : null}
                </li>
              ))}
            </ul>
            <button type="button" className={separate ? 'case-chip case-chip--on' : 'case-chip'} aria-pressed={separate} onClick={() => update({ separate: true })}>
              {separate ? T.sameSeparateOn : T.sameSeparate}
            </button>
            {separate ? (
              <TextArea
                label={T.sameReason}
                hint={T.sameReasonHint}
                required
                value={separateReason}
                onChange={(e) => update({ separateReason: e.target.value })}
              />
            ) : null}
          </fieldset>
        ) : null}
        <fieldset className="field case-chips" aria-invalid={categoryErrors.length > 0 || undefined} aria-describedby={categoryErrors.length > 0 ? 'case-category-errors' : undefined}>
          <legend className="field__label">
            {T.category}
            <span className="field__required">必須</span>
          </legend>
          <div className="case-chips__grid">
            {REQUEST_CATEGORIES.map((c) => (
              <label key={c} className={form.category === c ? 'case-chip case-chip--on' : 'case-chip'}>
                <input
                  type="radio"
                  autoComplete="off"
                  name="category"
                  value={c}
                  checked={form.category === c}
                  onChange={() => {
                    update({ category: c });
                    setCategoryErrors([]);
                  }}
                />
                <span>{c}</span>
              </label>
            ))}
          </div>
          <EntryErrors errors={categoryErrors} id="case-category-errors" />
        </fieldset>
        <TextArea label={T.detail} value={form.detail} onChange={(e) => update({ detail: e.target.value })} required={form.category === 'その他'} />
        {household && household.emergencyContacts.length > 0 ? (
          <fieldset className="field case-callers">
            <legend className="field__label">{T.callerPick}</legend>
            <div className="case-callers__list">
              {household.emergencyContacts.map((c, i) => {
                const caller = [c.relation, c.name].filter((x) => x.trim() !== '').join(' ');
                const on = form.caller === caller;
                const kana = c.furigana?.trim() ?? '';
                return (
                  <button
                    key={i}
                    type="button"
                    className={on ? 'case-chip case-chip--on' : 'case-chip'}
                    aria-pressed={on}
                    onClick={() => update({ caller, callerPhone: c.phones[0]?.trim() ?? '' })}
                  >
                    {caller}
                    {/* The reading says which 田中 it is, for a name read more than one way; the record keeps the name. */}
                    {kana !== '' ? <> <span className="case-chip__kana">{kana}</span></> : null}
                  </button>
                );
              })}
            </div>
          </fieldset>
        ) : null}
        <TextField label={T.caller} value={form.caller} onChange={(e) => update({ caller: e.target.value })} />
        <TextField label={T.callerPhone} type="tel" inputMode="tel" value={form.callerPhone} onChange={(e) => update({ callerPhone: e.target.value })} />
        <TextField
          label={T.requestedAt}
          hint={T.requestedAtHint}
          type="datetime-local"
          value={form.requestedAt}
          onChange={(e) => update({ requestedAt: e.target.value })}
        />
        {edited ? (
          <TextArea
            label={T.requestedAtReason}
            hint={T.requestedAtReasonHint}
            required
            value={form.reason}
            onChange={(e) => update({ reason: e.target.value })}
          />
        ) : null}
        <EntryErrors errors={errors} />
        <Button type="submit" variant="primary" className="case-primary case-start__submit" disabled={busy}>
          {busy ? T.starting : T.start}
        </Button>
      </form>
    </Page>
  );
}
