/**
 * Register or edit a facility. Errors show beside their field, in Japanese; nothing is saved until
 * all pass. Unsaved input is kept as an encrypted draft (a lock or a closed tab loses nothing) and
 * marks the form unsaved, so an app update waits.
 */
import { useEffect, useState } from 'react';
import { useApp } from '../../state/store';
import { mergeFormEdit } from '../../protocol/merge';
import { useFormDraft, useNewRecordDraftKey } from '../../state/use-form-draft';
import { personalDraftKey } from '../../vault/drafts';
import { DraftRestored } from '../../state/use-drafted-form';
import { officeNumberKey } from '../../domain/facility-twins';
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS, type DisabilityType } from '../../domain/disability';
import {
  FACILITY_SERVICE_TYPES,
  FACILITY_UNIT_TYPES,
  HUB_FUNCTIONS,
  HUB_FUNCTION_LABELS,
  emptyFacility,
  type Acceptance,
  type Facility,
} from '../../domain/facility';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import { recordTooLarge } from '../../domain/record-limits';
import { japanDateOf } from '../../domain/japan-time';
import { keepEnterFromSubmitting } from '../../ui/enter-key';
import { Button } from '../../ui/button';
import { CheckboxGroup, halfTypedDates, SelectField, TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Page, Section } from '../../ui/layout';
import { applyForm, normalizeOfficeNumber, toFormState, validateForm, type FacilityFormErrors, type FacilityFormState } from './form-model';
import { T } from './text';
import { navigate, paths } from './use-route';

const MEDICAL_OPTIONS = MEDICAL_CARE_KINDS.map((k) => ({ value: k, label: MEDICAL_CARE_LABELS[k] }));
const SERVICE_OPTIONS = FACILITY_SERVICE_TYPES.map((v) => ({ value: v, label: v }));
const UNIT_OPTIONS = FACILITY_UNIT_TYPES.map((v) => ({ value: v, label: v }));
const HUB_OPTIONS = HUB_FUNCTIONS.map((v) => ({ value: v, label: HUB_FUNCTION_LABELS[v] }));

/**
 * Draft keys follow `<kind>:<id>:<user>` so clearing demo data also clears a demo facility's draft,
 * and one per person unlocking the phone: on the shared hub phone, the day person's unsaved 空床数
 * was offered to the night person, saved in their session as a report made then, in the day
 * person's name. A draft kept for everyone before (`facility:<id>`) is offered to no one, and goes
 * when the form opens. For a new facility this is the first form's key: a new form open in another
 * tab meanwhile takes one of its own (useNewRecordDraftKey).
 */
export function facilityDraftKey(id: string | null, userId: string | undefined = useApp.getState().session?.user.id): string {
  return personalDraftKey(`facility:${id ?? 'new'}`, userId);
}

interface FacilityDraft {
  /** the new facility's id, so a restored draft saves as the same record */
  readonly baseId: string;
  readonly state: FacilityFormState;
  /** the facility as it was when the form was opened: the save merges over what changed since */
  readonly base?: Facility;
}

export function FacilityForm({ id }: { id: string | null }) {
  const existing = useApp((s) => (id === null ? undefined : s.facilities.get(id)));
  const reporter = useApp((s) => s.session?.user.displayName ?? '');
  const saveFacility = useApp((s) => s.saveFacility);
  const [base] = useState<Facility | undefined>(() => existing ?? (id === null ? emptyFacility(globalThis.crypto.randomUUID(), new Date().toISOString()) : undefined));
  const [initial] = useState<FacilityFormState | null>(() => (base ? toFormState(base, reporter) : null));
  const [state, setState] = useState<FacilityFormState | null>(initial);
  const [baseId, setBaseId] = useState(base?.id ?? '');
  const [mergeBase, setMergeBase] = useState<Facility | undefined>(base);
  const [restored, setRestored] = useState(false);
  const [errors, setErrors] = useState<FacilityFormErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { ref: formRef, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const userId = useApp((s) => s.session?.user.id);
  const newKey = useNewRecordDraftKey('facility', userId, id === null);
  const key = id === null ? newKey : facilityDraftKey(id, userId);
  const dirty = state !== null && initial !== null && JSON.stringify(state) !== JSON.stringify(initial);
  // Nothing is autosaved before the draft is held.
  const draft = useFormDraft<FacilityDraft>(key ?? facilityDraftKey(id, userId), key !== null && state ? { baseId, state, ...(mergeBase ? { base: mergeBase } : {}) } : null, dirty);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    // A draft kept for everyone before drafts were per person is offered to no one: it goes.
    const shared = `facility:${id ?? 'new'}`;
    if (shared !== key) void useApp.getState().session?.deleteDraft(shared).catch(() => undefined);
    void useApp
      .getState()
      .session?.loadDraft<FacilityDraft>(key)
      .then((saved) => {
        if (!live || !saved) return;
        // a draft kept before the form had a field (休止・廃止) takes the record's value for it
        setState((current) => (current ? { ...current, ...saved.state } : saved.state));
        // A new facility's draft whose facility was saved already (a lock or a closed tab before the
        // draft went) keeps this form's new id: saved as 'create' on the saved one it would be refused.
        if (id !== null || !useApp.getState().facilities.has(saved.baseId)) setBaseId(saved.baseId);
        if (saved.base) setMergeBase(saved.base);
        setRestored(true);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [key, id]);

  const cancelHref = id === null ? paths.list() : paths.detail(id);
  const title = id === null ? T.newTitle : T.editTitle;
  if (!base || !state) {
    return (
      <Page title={title}>
        <Notice kind="warn">{T.notFound}</Notice>
      </Page>
    );
  }

  const set = <K extends keyof FacilityFormState>(key: K, value: FacilityFormState[K]) => setState({ ...state, [key]: value });
  const setAcceptance = (t: DisabilityType, patch: Partial<Acceptance>) =>
    set('acceptance', { ...state.acceptance, [t]: { ...state.acceptance[t], ...patch } });

  async function submit() {
    if (!base || !state) return;
    // A number stored before it was checked is taken as it is until it is changed.
    const found = validateForm(state, id === null ? undefined : (mergeBase ?? base));
    for (const field of halfTypedDates(formRef.current, 'field')) {
      if (field === 'closureFrom' || field === 'closureUntil') found[field] = T.errors.datePartlyTyped;
    }
    // One 事業所番号, one facility: a second copy would go stale (a CSV import updates the first).
    const number = normalizeOfficeNumber(state.officeNumber);
    // Checked when the number is new here: two copies made before this check can still be edited.
    const changed = id === null || number !== (mergeBase ?? base).officeNumber;
    const twin = found.officeNumber || !changed ? undefined : [...useApp.getState().facilities.values()].find((f) => f.id !== baseId && officeNumberKey(f.officeNumber) === officeNumberKey(number));
    if (twin) found.officeNumber = T.errors.officeNumberTaken(twin.name.trim() || twin.id);
    setErrors(found);
    if (Object.keys(found).length > 0) {
      failed();
      return;
    }
    const mine = applyForm({ ...(mergeBase ?? base), id: baseId }, state, new Date().toISOString());
    // A bed report or an edit synced while the form was open stays, unless the form changed that field.
    const held = id === null ? undefined : useApp.getState().facilities.get(id);
    const facility = held && mergeBase ? mergeFormEdit({ ...mergeBase, id: baseId }, mine, held) : mine;
    // The record as saved (others' edits merged, the reports kept) is what the hub bounds: one it
    // refuses saved here, then held every later save of this facility from this phone.
    const tooLarge = recordTooLarge(facility, T.errors.tooLarge);
    if (tooLarge !== null) {
      setSaveError(tooLarge);
      return;
    }
    setSaving(true);
    setSaveError(null);
    try {
      await saveFacility(facility, id === null ? 'create' : 'update');
      await draft.finish();
      navigate(paths.detail(facility.id), { replace: true });
    } catch (e) {
      setSaveError(vaultErrorMessage(toVaultError(e).code));
    } finally {
      setSaving(false);
    }
  }

  type TextKey = 'name' | 'officeNumber' | 'address' | 'area' | 'phone' | 'nightPhone' | 'fax' | 'email' | 'liaison';
  const text = (field: TextKey, label: string, extra: Record<string, unknown> = {}) => (
    <TextField label={label} value={state[field]} onChange={(e) => set(field, e.target.value)} error={errors[field as keyof FacilityFormErrors]} {...extra} />
  );

  async function discardDraft() {
    await draft.discard();
    setState(initial);
    setBaseId(base?.id ?? baseId);
    setMergeBase(base);
    setRestored(false);
  }

  return (
    <Page title={title}>
      <form
        ref={formRef}
        autoComplete="off"
        noValidate
        // Return after 住所, from an office PC's habit, saved a facility with no phone and no 受入れ
        onKeyDown={keepEnterFromSubmitting}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {restored ? <DraftRestored message={T.draftRestored} onDiscard={() => void discardDraft()} /> : null}
        {Object.keys(errors).length > 0 ? <Notice kind="error">{T.errors.summary}</Notice> : null}
        <Section title={T.basicsTitle}>
          {text('name', T.name, { required: true })}
          {/* No maxLength: it cut a longer paste short without a word; the check says what is wrong instead. */}
          {text('officeNumber', T.officeNumber, { required: true, inputMode: 'numeric' })}
          <SelectField label={T.serviceType} options={SERVICE_OPTIONS} value={state.serviceType} onChange={(e) => set('serviceType', e.target.value as FacilityFormState['serviceType'])} />
          <SelectField label={T.unitType} options={UNIT_OPTIONS} value={state.unitType} onChange={(e) => set('unitType', e.target.value as FacilityFormState['unitType'])} />
          {text('address', T.address)}
          {text('area', T.area)}
          {text('phone', T.phoneLabel, { type: 'tel' })}
          {text('nightPhone', T.nightPhoneLabel, { type: 'tel' })}
          {text('fax', T.faxLabel, { type: 'tel' })}
          {text('email', T.emailLabel, { type: 'email', inputMode: 'email' })}
          {text('liaison', T.liaison)}
          <CheckboxGroup legend={T.hubFunctionsLegend} options={HUB_OPTIONS} value={state.hubFunctions} onChange={(v) => set('hubFunctions', v)} />
          <TextField label={T.capacity} inputMode="numeric" value={state.capacity} onChange={(e) => set('capacity', e.target.value)} error={errors.capacity} />
        </Section>
        <Section title={T.closureTitle}>
          <SelectField
            label={T.closureKind}
            hint={state.closureKind === 'suspended' && state.closureUntil !== '' && state.closureUntil < japanDateOf(new Date()) ? T.closureEnded(state.closureUntil) : T.closureHint}
            options={T.closureOptions}
            value={state.closureKind}
            onChange={(e) => set('closureKind', e.target.value as FacilityFormState['closureKind'])}
          />
          {state.closureKind !== '' ? (
            <>
              <TextField label={T.closureFrom[state.closureKind]} type="date" data-field="closureFrom" value={state.closureFrom} onChange={(e) => set('closureFrom', e.target.value)} error={errors.closureFrom} required />
              {state.closureKind === 'suspended' ? (
                <TextField label={T.closureUntil} type="date" data-field="closureUntil" value={state.closureUntil} onChange={(e) => set('closureUntil', e.target.value)} error={errors.closureUntil} />
              ) : null}
              <TextField label={T.closureNote} value={state.closureNote} onChange={(e) => set('closureNote', e.target.value)} />
            </>
          ) : null}
        </Section>
        <Section title={T.acceptanceTitle}>
          {DISABILITY_TYPES.map((t) => {
            const a = state.acceptance[t];
            const label = DISABILITY_LABELS[t];
            return (
              <div key={t} className="fac-matrix-row" role="group" aria-label={label}>
                <span>{label}</span>
                <label className="check">
                  <input type="checkbox" aria-label={T.acceptanceBox(label, T.adult)} checked={a.adult} onChange={(e) => setAcceptance(t, { adult: e.target.checked })} />
                  <span aria-hidden="true">{T.adult}</span>
                </label>
                <label className="check">
                  <input type="checkbox" aria-label={T.acceptanceBox(label, T.child)} checked={a.child} onChange={(e) => setAcceptance(t, { child: e.target.checked })} />
                  <span aria-hidden="true">{T.child}</span>
                </label>
                <TextField label={T.acceptanceNote(label)} value={a.note} onChange={(e) => setAcceptance(t, { note: e.target.value })} />
              </div>
            );
          })}
        </Section>
        <Section title={T.medicalCareTitle}>
          <CheckboxGroup legend={T.medicalCareLegend} options={MEDICAL_OPTIONS} value={state.medicalCare} onChange={(v) => set('medicalCare', v)} />
          <TextArea label={T.emergencyHowLabel} value={state.emergencyRequestHow} onChange={(e) => set('emergencyRequestHow', e.target.value)} />
        </Section>
        <Section title={T.vacancyTitle}>
          <TextField label={T.vacancyBeds} hint={T.vacancyHint} inputMode="numeric" value={state.vacancyBeds} onChange={(e) => set('vacancyBeds', e.target.value)} error={errors.vacancyBeds} />
          <TextField label={T.vacancyReporter} value={state.vacancyReporter} onChange={(e) => set('vacancyReporter', e.target.value)} />
        </Section>
        {saveError ? <Notice kind="error">{saveError}</Notice> : null}
        <div className="form-actions">
          <a className="btn btn--ghost" href={cancelHref}>
            {T.cancel}
          </a>
          <Button type="submit" variant="primary" disabled={saving}>
            {saving ? T.saving : T.save}
          </Button>
        </div>
      </form>
    </Page>
  );
}
