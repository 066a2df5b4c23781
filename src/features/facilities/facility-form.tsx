/** Register or edit a facility. Errors show beside their field, in Japanese; nothing is saved until all pass. */
import { useState } from 'react';
import { useApp } from '../../app/store';
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS, type DisabilityType } from '../../domain/disability';
import { FACILITY_SERVICE_TYPES, FACILITY_UNIT_TYPES, emptyFacility, type Acceptance, type Facility } from '../../domain/facility';
import { toVaultError, vaultErrorMessage } from '../../vault/errors';
import { Button } from '../../ui/button';
import { CheckboxGroup, SelectField, TextArea, TextField } from '../../ui/field';
import { Notice, Page, Section } from '../../ui/layout';
import { applyForm, toFormState, validateForm, type FacilityFormErrors, type FacilityFormState } from './form-model';
import { T } from './text';
import { navigate, paths } from './use-route';

const MEDICAL_OPTIONS = MEDICAL_CARE_KINDS.map((k) => ({ value: k, label: MEDICAL_CARE_LABELS[k] }));
const SERVICE_OPTIONS = FACILITY_SERVICE_TYPES.map((v) => ({ value: v, label: v }));
const UNIT_OPTIONS = FACILITY_UNIT_TYPES.map((v) => ({ value: v, label: v }));

export function FacilityForm({ id }: { id: string | null }) {
  const existing = useApp((s) => (id === null ? undefined : s.facilities.get(id)));
  const reporter = useApp((s) => s.session?.user.displayName ?? '');
  const saveFacility = useApp((s) => s.saveFacility);
  const [base] = useState<Facility | undefined>(() => existing ?? (id === null ? emptyFacility(globalThis.crypto.randomUUID(), new Date().toISOString()) : undefined));
  const [state, setState] = useState<FacilityFormState | null>(() => (base ? toFormState(base, reporter) : null));
  const [errors, setErrors] = useState<FacilityFormErrors>({});
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

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
    const found = validateForm(state);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setSaving(true);
    setSaveError(null);
    try {
      const facility = applyForm(base, state, new Date().toISOString());
      await saveFacility(facility, id === null ? 'create' : 'update');
      navigate(paths.detail(facility.id));
    } catch (e) {
      setSaveError(vaultErrorMessage(toVaultError(e).code));
    } finally {
      setSaving(false);
    }
  }

  const text = (key: 'name' | 'officeNumber' | 'address' | 'area' | 'phone' | 'nightPhone' | 'liaison', label: string, extra: Record<string, unknown> = {}) => (
    <TextField label={label} value={state[key]} onChange={(e) => set(key, e.target.value)} error={errors[key as keyof FacilityFormErrors]} {...extra} />
  );

  return (
    <Page title={title}>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        {Object.keys(errors).length > 0 ? <Notice kind="error">{T.errors.summary}</Notice> : null}
        <Section title={T.basicsTitle}>
          {text('name', T.name, { required: true })}
          {text('officeNumber', T.officeNumber, { required: true, inputMode: 'numeric', maxLength: 12 })}
          <SelectField label={T.serviceType} options={SERVICE_OPTIONS} value={state.serviceType} onChange={(e) => set('serviceType', e.target.value as FacilityFormState['serviceType'])} />
          <SelectField label={T.unitType} options={UNIT_OPTIONS} value={state.unitType} onChange={(e) => set('unitType', e.target.value as FacilityFormState['unitType'])} />
          {text('address', T.address)}
          {text('area', T.area)}
          {text('phone', T.phoneLabel, { type: 'tel' })}
          {text('nightPhone', T.nightPhoneLabel, { type: 'tel' })}
          {text('liaison', T.liaison)}
          <TextField label={T.capacity} inputMode="numeric" value={state.capacity} onChange={(e) => set('capacity', e.target.value)} error={errors.capacity} />
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
