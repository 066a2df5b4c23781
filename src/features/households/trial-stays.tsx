/**
 * The household's trial stays (体験利用): each person's stays, the latest first, and a form to
 * record one. Checked whole before anything is saved (domain/trial-stay.ts): a facility that is
 * not registered, an end before the start or a stay overlapping another of the same person is
 * refused with the field named. A correction saves only what it changed: what a colleague changed on
 * the stay meanwhile (a 申し送り synced while the form was open) stays.
 */
import { Fragment, useMemo, useState, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import { DraftRestored, useCancelAsking, useDraftedForm, useReopenForDraft } from '../../state/use-drafted-form';
import type { Household, Person } from '../../domain/household';
import { stayDays } from '../../domain/case-fold';
import { cancelTrialStay, EMPTY_TRIAL_STAY_DRAFT, staysOfPerson, validateTrialStay, type TrialStay, type TrialStayDraft } from '../../domain/trial-stay';
import { oneRecordPerOffice } from '../../domain/facility-twins';
import { isDemoId } from '../../domain/demo-id';
import { formatJapanDateTime } from '../../domain/japan-time';
import { recordTooLarge } from '../../domain/record-limits';
import { mergeFormEdit } from '../../protocol/merge';
import { ConfirmDialog } from '../../ui/dialog';
import { Button } from '../../ui/button';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { SelectField, TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { swapFocus } from '../../ui/focus-lost';
import { Notice, Section } from '../../ui/layout';
import { dateText } from './detail-parts';
import { T } from './text';
import { TT } from './trial-stay-text';

export function TrialStaysSection({ household: h }: { household: Household }) {
  // A 登録廃止 household still takes a stay from before its 登録廃止日 (entered at the year's end),
  // and a stay entered by mistake is still cancelled: the yearly report counts them.
  const withdrawnOn = h.withdrawal?.date ?? null;
  const all = useApp((s) => s.trialStays);
  // The person a new stay is being added for, or the stay being corrected.
  const [adding, setAdding] = useState<string | null>(null);
  const [editing, setEditing] = useState<TrialStay | null>(null);
  const [cancelling, setCancelling] = useState<TrialStay | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  return (
    <Section title={TT.title} id="hh-trial-stays">
      {withdrawnOn !== null ? <p className="muted">{TT.withdrawnHint(withdrawnOn)}</p> : null}
      {saved ? <Notice kind="ok">{saved}</Notice> : null}
      {cancelling ? (
        <CancelStayDialog
          stay={cancelling}
          onDone={(ok) => {
            setCancelling(null);
            setSaved(ok ? TT.cancelled : null);
          }}
        />
      ) : null}
      {h.persons.map((p) => {
        const stays = staysOfPerson(all.values(), h.id, p.id);
        const name = p.name || T.noName;
        return (
          <div key={p.id} className="hh-trial">
            {/* a form left with text when the phone locked opens again by itself after the unlock */}
            <ReopenWhenDrafted formKey={newStayKey(h.id, p.id)} onReopen={() => setAdding(p.id)} />
            {stays.filter((s) => !s.cancelled).map((s) => (
              <Fragment key={s.id}>
                <ReopenWhenDrafted formKey={stayKey(s.id)} onReopen={() => setEditing(s)} />
                <ReopenWhenDrafted formKey={cancelKey(s.id)} onReopen={() => setCancelling(s)} />
              </Fragment>
            ))}
            {h.persons.length > 1 ? <h3 className="hh-person-title">{name}</h3> : null}
            {stays.length === 0 ? <p>{TT.none}</p> : null}
            <ul className="hh-items" aria-label={`${name} ${TT.title}`}>
              {stays.map((s) => (
                <li key={s.id} className={s.cancelled ? 'hh-trial--cancelled' : undefined}>
                  {s.cancelled ? <div className="hh-trial__cancelled">{TT.cancelledLine(s.cancelled.reason, s.cancelled.by, formatJapanDateTime(s.cancelled.at))}</div> : null}
                  <strong>{s.facilityName}</strong>　{TT.period(dateText(s.from), dateText(s.to), stayDays(s.from, s.to))}
                  {s.purpose ? <div>{s.purpose}</div> : null}
                  {s.howItWent ? <div>{TT.howItWentLine(s.howItWent)}</div> : null}
                  {s.nextTime ? <div>{TT.nextTimeLine(s.nextTime)}</div> : null}
                  {editing?.id === s.id ? (
                    <TrialStayForm
                      household={h}
                      person={p}
                      previous={s}
                      focusKey={`trial-edit-${s.id}`}
                      onDone={(ok) => {
                        setEditing(null);
                        setSaved(ok ? TT.saved : null);
                        swapFocus.closed(`trial-edit-${s.id}`);
                      }}
                    />
                  ) : !s.cancelled && adding === null && editing === null ? (
                    <div className="hh-actions">
                      <Button
                        variant="ghost"
                        data-opens={`trial-edit-${s.id}`}
                        onClick={() => {
                          setSaved(null);
                          setEditing(s);
                          swapFocus.opened(`trial-edit-${s.id}`);
                        }}
                      >
                        {TT.edit}
                      </Button>
                      <Button variant="ghost" onClick={() => { setSaved(null); setCancelling(s); }}>
                        {TT.cancelStay}
                      </Button>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
            {adding === p.id ? (
              <TrialStayForm
                household={h}
                person={p}
                focusKey={`trial-add-${p.id}`}
                onDone={(ok) => {
                  setAdding(null);
                  setSaved(ok ? TT.saved : null);
                  swapFocus.closed(`trial-add-${p.id}`);
                }}
              />
            ) : editing === null ? (
              <Button
                data-opens={`trial-add-${p.id}`}
                onClick={() => {
                  setSaved(null);
                  setAdding(p.id);
                  swapFocus.opened(`trial-add-${p.id}`);
                }}
              >
                {TT.add(name)}
              </Button>
            ) : null}
          </div>
        );
      })}
    </Section>
  );
}

const newStayKey = (householdId: string, personId: string) => `trial-stay:new:${householdId}:${personId}`;
const stayKey = (stayId: string) => `trial-stay:${stayId}`;
const cancelKey = (stayId: string) => `trial-stay-cancel:${stayId}`;

/** What a correction's form holds: the fields as typed, and the stay's fields as the form opened on them. */
type StayFormDraft = TrialStayDraft & {
  /**
   * the stay as the form opened it, kept with the draft: the save takes from the form only what was
   * changed since, and a draft restored after a colleague's edit does not write back what it replaced
   * (absent in a draft kept before the form kept it: the stay as the form opens now)
   */
  readonly base?: TrialStayDraft;
};

const draftOf = (s: TrialStay): TrialStayDraft => ({ facilityId: s.facilityId, from: s.from, to: s.to, purpose: s.purpose, howItWent: s.howItWent, nextTime: s.nextTime });

/** Opens a trial-stay form again after an unlock when it was left with text at the lock (useReopenForDraft). */
function ReopenWhenDrafted({ formKey, onReopen }: { formKey: string; onReopen: () => void }) {
  useReopenForDraft(formKey, onReopen);
  return null;
}

function TrialStayForm({
  household: h,
  person: p,
  previous,
  focusKey,
  onDone,
}: {
  household: Household;
  person: Person;
  /** the stay being corrected; absent for a new one */
  previous?: TrialStay;
  /** the form's key for the focus (swapFocus): it takes the focus from its button, and gives it back */
  focusKey: string;
  onDone: (saved: boolean) => void;
}) {
  const facilities = useApp((s) => s.facilities);
  const stays = useApp((s) => s.trialStays);
  const user = useApp((s) => s.session?.user.displayName ?? '');
  const saveTrialStay = useApp((s) => s.saveTrialStay);
  // The demo's facilities are made up: a real person's stay leaves them out (as the match does), a demo household's has them.
  const demoHousehold = useApp((s) => isDemoId(h.id) || s.demoIds.has(h.id));
  const [initial] = useState<StayFormDraft>(() => (previous ? { ...draftOf(previous), base: draftOf(previous) } : EMPTY_TRIAL_STAY_DRAFT));
  // kept as a draft: what was typed when the phone locked (5 minutes' pause) comes back when the
  // form is opened again, as the other small forms do; it was lost with the lock
  const { form: draft, setForm: setDraft, dirty, restored, finish, discard } = useDraftedForm(previous ? stayKey(previous.id) : newStayKey(h.id, p.id), initial);
  // キャンセル asks before what was typed (how the stay went, for the next one) is thrown away
  const { cancel, question } = useCancelAsking(dirty, finish, () => onDone(false));
  const [errors, setErrors] = useState<Readonly<Record<string, string>>>({});
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed: focusInvalid } = useFocusInvalidOnFail<HTMLFormElement>();
  const options = useMemo(
    () => [
      { value: '', label: TT.chooseFacility },
      // one office registered twice is offered once; a stay entered on the other keeps it
      ...oneRecordPerOffice(
        [...facilities.values()].filter((f) => demoHousehold || !isDemoId(f.id) || f.id === previous?.facilityId),
        Date.now(),
        new Set(previous ? [previous.facilityId] : []),
      )
        .sort((a, b) => a.name.localeCompare(b.name, 'ja'))
        .map((f) => ({ value: f.id, label: f.name || f.id })),
    ],
    [facilities, previous, demoHousehold],
  );
  const set = (patch: Partial<TrialStayDraft>) => setDraft({ ...draft, ...patch });
  const name = p.name || T.noName;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { base = initial.base, ...mine } = draft;
    // The stay as held now: a colleague's edit synced while the form was open stays, in each field
    // this form did not change (their 申し送り was replaced by the one the form opened with).
    const held = previous ? (stays.get(previous.id) ?? previous) : undefined;
    const fields = held && base ? mergeFormEdit(base, mine, draftOf(held)) : mine;
    const result = validateTrialStay(fields, {
      id: previous?.id ?? globalThis.crypto.randomUUID(),
      withdrawnOn: h.withdrawal?.date ?? null,
      householdId: h.id,
      personId: p.id,
      facilities,
      stays: stays.values(),
      recordedBy: user,
      now: new Date().toISOString(),
      ...(held ? { previous: held } : {}),
    });
    if (!result.ok) {
      setErrors(Object.fromEntries(result.errors.map((x) => [x.path, x.message])));
      setFailed(TT.fixErrors);
      focusInvalid();
      return;
    }
    // the hub takes no record above its bound (domain/record-limits.ts): said before anything is saved
    const tooLarge = recordTooLarge(result.value);
    if (tooLarge !== null) {
      setErrors({});
      setFailed(tooLarge);
      return;
    }
    setBusy(true);
    try {
      await saveTrialStay(result.value, previous ? 'update' : 'create');
      await finish();
      onDone(true);
    } catch {
      setFailed(TT.saveFailed);
      setBusy(false);
    }
  }

  return (
    <>
      {/* Return in the 目的 or a date goes on to the next field: it saved the stay half filled in */}
      <form
        ref={formRef}
        autoComplete="off"
        className="hh-trial-form"
        data-form={focusKey}
        aria-label={previous ? TT.editTitle(name) : TT.formTitle(name)}
        onKeyDown={keepEnterFromSubmitting}
        onSubmit={(e) => void submit(e)}
        noValidate
      >
        {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
        {facilities.size === 0 ? <Notice kind="warn">{TT.noFacilities}</Notice> : null}
        <SelectField label={TT.facility} required options={options} value={draft.facilityId} error={errors['facilityId']} onChange={(e) => set({ facilityId: e.target.value })} />
        <div className="hh-grid2">
          <TextField label={TT.from} required type="date" value={draft.from} error={errors['from']} onChange={(e) => set({ from: e.target.value })} />
          <TextField label={TT.to} required type="date" value={draft.to} error={errors['to']} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <TextField label={TT.purpose} value={draft.purpose} onChange={(e) => set({ purpose: e.target.value })} />
        <TextArea label={TT.howItWent} value={draft.howItWent} onChange={(e) => set({ howItWent: e.target.value })} />
        <TextArea label={TT.nextTime} value={draft.nextTime} onChange={(e) => set({ nextTime: e.target.value })} />
        {failed ? <Notice kind="error">{failed}</Notice> : null}
        <div className="hh-actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {TT.save}
          </button>
          <Button onClick={cancel} disabled={busy}>
            {TT.cancel}
          </Button>
        </div>
      </form>
      {question}
    </>
  );
}

/** 取消 of a stay entered by mistake: asks why, keeps the record (struck out) with who and when. */
function CancelStayDialog({ stay, onDone }: { stay: TrialStay; onDone: (saved: boolean) => void }) {
  const user = useApp((s) => s.session?.user.displayName ?? '');
  const saveTrialStay = useApp((s) => s.saveTrialStay);
  // kept as a draft: the reason typed when the phone locked comes back, the dialog opened again by itself
  const { form: reason, setForm: setReason, dirty, restored, finish, discard } = useDraftedForm(cancelKey(stay.id), '');
  // やめる and Esc (Android's back) ask before a typed reason goes
  const { cancel, question } = useCancelAsking(dirty, finish, () => onDone(false));
  const [error, setError] = useState<string | undefined>();
  const [failed, setFailed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref, failed: focusInvalid } = useFocusInvalidOnFail<HTMLDivElement>();

  async function confirm() {
    if (busy) return;
    // the stay as held now: one a colleague changed while the dialog was open keeps their change
    const result = cancelTrialStay(useApp.getState().trialStays.get(stay.id) ?? stay, reason, user, new Date().toISOString());
    if (!result.ok) {
      setError(result.message);
      focusInvalid();
      return;
    }
    const tooLarge = recordTooLarge(result.value);
    if (tooLarge !== null) {
      setError(tooLarge);
      focusInvalid();
      return;
    }
    setBusy(true);
    try {
      await saveTrialStay(result.value, 'update');
      await finish();
      onDone(true);
    } catch {
      setFailed(TT.saveFailed);
      setBusy(false);
    }
  }

  return (
    <>
      <ConfirmDialog open title={TT.cancelTitle} confirmLabel={TT.cancelConfirm} cancelLabel={TT.cancel} danger busy={busy} onConfirm={() => void confirm()} onCancel={cancel}>
        <div ref={ref}>
          {restored ? <DraftRestored onDiscard={() => void discard()} /> : null}
          <p>
            <strong>{stay.facilityName}</strong>　{TT.period(dateText(stay.from), dateText(stay.to), stayDays(stay.from, stay.to))}
          </p>
          <p>{TT.cancelBody}</p>
          <TextArea
            label={TT.cancelReason}
            required
            value={reason}
            error={error}
            onChange={(e) => {
              setReason(e.target.value);
              if (error) setError(undefined);
            }}
          />
          {failed ? <Notice kind="error">{failed}</Notice> : null}
        </div>
      </ConfirmDialog>
      {question}
    </>
  );
}
