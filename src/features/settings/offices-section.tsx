/**
 * 事業所: the 相談支援事業所 that handle emergencies, with the periods each was positioned as a hub
 * in its 運営規程 (the 相談強化加算 needs it; seeds/004 §24) and the services it runs as one body.
 * A device joined to a hub shows the hub's offices read-only unless its user is the hub's admin (the
 * hub refuses anyone else's office change); a device alone edits them here with the same model.
 * A save takes from the form only what it changed (a colleague's edit synced meanwhile stays), and
 * asks first when it ends a period or has a date far from today: a period saved is not changed.
 */
import { useId, useMemo, useState, type FormEvent, type RefObject } from 'react';
import { useUnsaved } from '../../state/use-unsaved';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { formatJapanDate, isValidIsoDate, japanDateOf } from '../../domain/japan-time';
import { designationsOf, formatPeriod, hubPeriodErrors, ONE_BODY_LABELS, type Office, type OfficeDesignations, type OneBodyServices } from '../../domain/office';
import { recordTooLarge } from '../../domain/record-limits';
import { mergeFormEdit } from '../../protocol/merge';
import { syncStatus } from '../../sync/status';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { CheckboxGroup, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { formOf, officeFromForm, periodQuestions, rebaseOfficeForm, validateOfficeForm, type OfficeErrors, type OfficeForm } from './office-form';
import { OT } from './offices-text';
import { toVaultError } from '../../vault/errors';

type OneBodyKey = keyof OneBodyServices;
const ONE_BODY_OPTIONS: readonly { value: OneBodyKey; label: string }[] = [
  { value: 'settlement', label: OT.oneBodySettlement },
  { value: 'independentLiving', label: OT.oneBodyIndependentLiving },
];

type DesignationKey = keyof OfficeDesignations;
const DESIGNATION_OPTIONS: readonly { value: DesignationKey; label: string }[] = [
  { value: 'specifiedConsultation', label: OT.designationSpecified },
  { value: 'childConsultation', label: OT.designationChild },
];

/** Whether this device may change offices: alone, or signed in to the hub as its admin. */
export function useOfficesEditable(): boolean {
  const joined = useStore(syncStatus, (s) => s.joined);
  const role = useStore(syncStatus, (s) => s.role);
  return !joined || role === 'admin';
}

function oneBodyText(o: Office): string | null {
  const on = (Object.keys(ONE_BODY_LABELS) as OneBodyKey[]).filter((k) => o.oneBody[k]).map((k) => ONE_BODY_LABELS[k]);
  return on.length > 0 ? OT.oneBodyLine(on.join('・')) : null;
}

function designationsText(o: Office): string | null {
  const held = designationsOf(o);
  if (held === null) return null;
  return OT.designationsLine(DESIGNATION_OPTIONS.filter((d) => held[d.value]).map((d) => d.label).join('・'));
}

function PeriodList({ office }: { office: Pick<Office, 'hubPeriods'> }) {
  if (office.hubPeriods.length === 0) return <p className="muted">{OT.noPeriods}</p>;
  return (
    <ul className="plain-list" aria-label={OT.periods}>
      {office.hubPeriods.map((p) => (
        <li key={p.from}>
          {OT.periodLine(formatPeriod(p), p.note)}
          {p.to === null ? <strong>（{OT.current}）</strong> : null}
          {isValidIsoDate(p.notifiedOn) ? <span className="muted"> {OT.notifiedLine(formatJapanDate(p.notifiedOn))}</span> : null}
        </li>
      ))}
    </ul>
  );
}

export function OfficesSection() {
  const offices = useApp((s) => s.offices);
  const saveOffice = useApp((s) => s.saveOffice);
  const editable = useOfficesEditable();
  const list = useMemo(() => [...offices.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja')), [offices]);
  const [form, setForm] = useState<OfficeForm | null>(null);
  // the form as opened: typed into since, 「更新する」 waits instead of reloading over it
  const [opened, setOpened] = useState<OfficeForm | null>(null);
  // the office as the form opened it: the save takes from the form only what it changed since
  const [base, setBase] = useState<Office | undefined>(undefined);
  // what the save asks before a period is saved for good (periodQuestions); null while not asking
  const [asking, setAsking] = useState<readonly string[] | null>(null);
  useUnsaved('settings:office', form !== null && JSON.stringify(form) !== JSON.stringify(opened));
  const [errors, setErrors] = useState<OfficeErrors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const clearError = useApp((s) => s.clearError);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { ref: formRef, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const open = (o: Office | null) => {
    setDone(null);
    setErrors({});
    const fresh = formOf(o);
    setForm(fresh);
    setOpened(fresh);
    setBase(o ?? undefined);
  };

  /** Saves the form; `answered`: the question about its periods was answered 「保存する」. */
  async function submit(answered = false) {
    if (!form || busy) return;
    const found = validateOfficeForm(form);
    setErrors(found);
    setFailure(null);
    // the office as held now: a colleague's edit synced while the form was open (its name, its
    // 一体的運営) stays, in each field the form did not change; the form opened on it wrote it back
    const existing = form.id ? offices.get(form.id) : undefined;
    const mine = officeFromForm(form, base ?? existing, new Date().toISOString(), () => globalThis.crypto.randomUUID());
    if (mine === null) {
      failed();
      return;
    }
    const office = existing && base ? mergeFormEdit(base, mine, existing) : mine;
    if (existing && hubPeriodErrors(office.hubPeriods).length > 0) {
      // the periods changed meanwhile the way this form changed them (both ended the open one): the
      // form shows the held ones, with what it still adds, to be looked at and saved again
      const moved = rebaseOfficeForm(form, office, existing);
      setForm(moved);
      setOpened(formOf(existing));
      setBase(existing);
      setFailure(OT.changedMeanwhile);
      return;
    }
    // the hub takes no record above its bound (domain/record-limits.ts)
    const tooLarge = recordTooLarge(office);
    if (tooLarge !== null) {
      setFailure(tooLarge);
      return;
    }
    if (!answered) {
      const questions = periodQuestions(form, japanDateOf(new Date()));
      if (questions.length > 0) {
        setAsking(questions);
        return;
      }
    }
    setAsking(null);
    setBusy(true);
    try {
      await saveOffice(office, existing ? 'update' : 'create');
      setForm(null);
      setDone(OT.saved(office.name));
    } catch (err) {
      // said beside the form, which keeps what was typed (the app's banner may be scrolled away)
      clearError();
      setFailure(OT.saveFailed(toVaultError(err).message));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={OT.title} id="settings-offices">
      <p className="muted">{OT.intro}</p>
      {editable ? null : <Notice kind="info">{OT.hubKept}</Notice>}
      {list.length === 0 ? <p>{OT.none}</p> : null}
      <ul className="plain-list">
        {list.map((o) => (
          <li key={o.id}>
            <strong>{o.name}</strong> <span>{o.officeNumber}</span>
            <PeriodList office={o} />
            {oneBodyText(o) ? <p className="muted">{oneBodyText(o)}</p> : null}
            {designationsText(o) ? <p className="muted">{designationsText(o)}</p> : null}
            {editable ? (
              <Button variant="ghost" onClick={() => open(o)} aria-label={`${o.name}を${OT.edit}`}>
                {OT.edit}
              </Button>
            ) : null}
          </li>
        ))}
      </ul>
      {done ? <Notice kind="ok">{done}</Notice> : null}
      {form && editable ? (
        <>
          <OfficeFormView
            formRef={formRef}
            form={form}
            errors={errors}
            busy={busy}
            onChange={setForm}
            onCancel={() => setForm(null)}
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          />
          {failure ? (
            <p className="field__error" role="alert">
              {failure}
            </p>
          ) : null}
          <ConfirmDialog
            open={asking !== null}
            title={OT.askTitle}
            confirmLabel={OT.askSave}
            cancelLabel={OT.askBack}
            busy={busy}
            onConfirm={() => void submit(true)}
            onCancel={() => setAsking(null)}
          >
            {(asking ?? []).map((line) => (
              <p key={line}>{line}</p>
            ))}
            <p>{OT.askFixed}</p>
          </ConfirmDialog>
        </>
      ) : editable ? (
        <Button onClick={() => open(null)}>{OT.add}</Button>
      ) : null}
    </Section>
  );
}

interface FormProps {
  readonly formRef: RefObject<HTMLFormElement | null>;
  readonly form: OfficeForm;
  readonly errors: OfficeErrors;
  readonly busy: boolean;
  onChange(form: OfficeForm): void;
  onCancel(): void;
  onSubmit(e: FormEvent): void;
}

function OfficeFormView({ formRef, form, errors, busy, onChange, onCancel, onSubmit }: FormProps) {
  const periodsErrorId = useId();
  const openSaved = form.saved.length > 0 && form.saved[form.saved.length - 1]!.to === null;
  const oneBody = ONE_BODY_OPTIONS.filter((o) => form.oneBody[o.value]).map((o) => o.value);
  const designations = DESIGNATION_OPTIONS.filter((o) => form.designations[o.value]).map((o) => o.value);
  return (
    // Return in a field goes on to the next one: it saved the office half typed, a period's end with it
    <form ref={formRef} autoComplete="off" className="settings-form" onKeyDown={keepEnterFromSubmitting} onSubmit={onSubmit} noValidate>
      <TextField label={OT.name} required value={form.name} error={errors.name} onChange={(e) => onChange({ ...form, name: e.target.value })} />
      <TextField
        label={OT.number}
        required
        inputMode="numeric"
        value={form.officeNumber}
        error={errors.officeNumber}
        onChange={(e) => onChange({ ...form, officeNumber: e.target.value })}
      />
      {/* focusable by script when in error: with only buttons in it, focus still comes here and its message is read */}
      <fieldset
        className="field"
        aria-describedby={errors.periods ? periodsErrorId : undefined}
        aria-invalid={errors.periods ? true : undefined}
        tabIndex={errors.periods ? -1 : undefined}
      >
        <legend className="field__label">{OT.periods}</legend>
        <p className="muted">{OT.periodsHint}</p>
        <PeriodList office={{ hubPeriods: form.saved }} />
        {form.saved.map((p, i) => (
          <TextField
            key={p.from}
            label={OT.notifiedFor(formatPeriod(p))}
            hint={OT.notifiedHint}
            type="date"
            value={form.notified[i] ?? ''}
            error={errors[`notified.${i}`]}
            onChange={(e) => onChange({ ...form, notified: form.saved.map((_, j) => (j === i ? e.target.value : (form.notified[j] ?? ''))) })}
          />
        ))}
        {errors.periods ? (
          <p id={periodsErrorId} className="field__error">
            {errors.periods}
          </p>
        ) : null}
        {openSaved && form.ending === null ? <Button onClick={() => onChange({ ...form, ending: { to: '', note: '' } })}>{OT.endPeriod}</Button> : null}
        {form.ending !== null ? (
          <>
            <TextField
              label={OT.endTo}
              hint={OT.endToHint}
              type="date"
              required
              value={form.ending.to}
              error={errors.endingTo}
              onChange={(e) => onChange({ ...form, ending: { ...form.ending!, to: e.target.value } })}
            />
            <TextField label={OT.endNote} value={form.ending.note} onChange={(e) => onChange({ ...form, ending: { ...form.ending!, note: e.target.value } })} />
            <Button variant="ghost" onClick={() => onChange({ ...form, ending: null })}>
              {OT.cancelEnd}
            </Button>
          </>
        ) : null}
        {form.adding === null ? (
          <Button onClick={() => onChange({ ...form, adding: { from: '', to: '', note: '', notifiedOn: '' } })}>{OT.addPeriod}</Button>
        ) : (
          <>
            <TextField
              label={OT.addFrom}
              type="date"
              required
              value={form.adding.from}
              error={errors.addingFrom}
              onChange={(e) => onChange({ ...form, adding: { ...form.adding!, from: e.target.value } })}
            />
            <TextField
              label={OT.addTo}
              type="date"
              value={form.adding.to}
              error={errors.addingTo}
              onChange={(e) => onChange({ ...form, adding: { ...form.adding!, to: e.target.value } })}
            />
            <TextField
              label={OT.notified}
              hint={OT.notifiedHint}
              type="date"
              value={form.adding.notifiedOn}
              error={errors.addingNotifiedOn}
              onChange={(e) => onChange({ ...form, adding: { ...form.adding!, notifiedOn: e.target.value } })}
            />
            <TextField label={OT.addNote} value={form.adding.note} onChange={(e) => onChange({ ...form, adding: { ...form.adding!, note: e.target.value } })} />
            <Button variant="ghost" onClick={() => onChange({ ...form, adding: null })}>
              {OT.cancelAdd}
            </Button>
          </>
        )}
      </fieldset>
      <CheckboxGroup
        legend={OT.oneBody}
        options={ONE_BODY_OPTIONS}
        value={oneBody}
        onChange={(next) => onChange({ ...form, oneBody: { ...form.oneBody, settlement: next.includes('settlement'), independentLiving: next.includes('independentLiving') } })}
      />
      <p className="muted">{OT.oneBodyHint}</p>
      <CheckboxGroup
        legend={OT.designations}
        options={DESIGNATION_OPTIONS}
        value={designations}
        onChange={(next) =>
          onChange({
            ...form,
            designations: { ...form.designations, specifiedConsultation: next.includes('specifiedConsultation'), childConsultation: next.includes('childConsultation') },
          })
        }
      />
      <p className="muted">{OT.designationsHint}</p>
      <div className="form-actions">
        <Button onClick={onCancel}>{OT.cancel}</Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {OT.save}
        </Button>
      </div>
    </form>
  );
}
