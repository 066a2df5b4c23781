/**
 * The per-person parts of the 聞き取り票 (DOMAIN.md §2). Each block edits one person; the form repeats it
 * per person inside each section, so the first 「氏名」 on the page is always the first person's.
 */
import { useId, useMemo, useState, type InputHTMLAttributes } from 'react';
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS, type DisabilityType } from '../../domain/disability';
import { UNKNOWN_ENROLMENTS, type DailyLiving, type EnrolmentPeriod, type Handbooks, type Person, type ServiceEnrolments } from '../../domain/household';
import { municipalityKeysOf } from '../../domain/normalize';
import { ONE_BODY_LABELS } from '../../domain/office';
import { CheckboxGroup, SelectField, TextArea, TextField } from '../../ui/field';
import { ListEditor } from './form-list';
import { useApp } from '../../state/store';
import { F, SEX_OPTIONS } from './text';
import { formatJapaneseEraDate, isValidIsoDate } from '../../domain/japan-time';

export interface PersonFieldsProps {
  readonly person: Person;
  /** dotted path prefix of this person in the record, 'persons.0' */
  readonly at: string;
  readonly update: (patch: Partial<Person>) => void;
  readonly err: (path: string) => string | undefined;
}

const DISABILITY_OPTIONS = DISABILITY_TYPES.map((value) => ({ value, label: DISABILITY_LABELS[value] }));
const CARE_OPTIONS = MEDICAL_CARE_KINDS.map((value) => ({ value, label: MEDICAL_CARE_LABELS[value] }));
const gradeOptions = (max: number) => [
  { value: '', label: F.none },
  ...Array.from({ length: max }, (_, i) => ({ value: String(i + 1), label: F.grade(i + 1) })),
];
const LEVEL_OPTIONS = [{ value: '', label: F.none }, ...[1, 2, 3, 4, 5, 6].map((n) => ({ value: String(n), label: F.level(n) }))];

/** '' ↔ null for optional numbers; the schema reports anything out of range beside the field. */
function num(v: string): number | null {
  return v.trim() === '' ? null : Number(v);
}

/**
 * A score as typed: full-width digits read as digits (「１２」 is 12), blank is null, and anything
 * else NaN, which the schema refuses beside the field with its range.
 */
function scoreOf(typed: string): number | null {
  const text = typed.normalize('NFKC').trim();
  if (text === '') return null;
  return /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
}

type ScoreFieldProps = { label: string; hint: string; error: string | undefined; value: number | null; onScore: (score: number | null) => void } & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'type'>;

/**
 * A score field that is text, not a number input: 「１２」 typed with the IME in full-width mode
 * reached a number input's onChange as '' while it stayed on screen, and the score was saved blank.
 * The text stays as typed (rewriting it under the IME breaks its composition); the form holds the number.
 */
function ScoreField({ value, onScore, ...props }: ScoreFieldProps) {
  const [typed, setTyped] = useState(value === null ? '' : String(value));
  // A score the form set itself (a draft restored, the record moved on) shows as it is; the text typed only while it is that score.
  const shown = Object.is(scoreOf(typed), value) ? typed : value === null || Number.isNaN(value) ? '' : String(value);
  return (
    <TextField
      {...props}
      type="text"
      inputMode="numeric"
      value={shown}
      onChange={(e) => {
        setTyped(e.target.value);
        onScore(scoreOf(e.target.value));
      }}
    />
  );
}

/** The date typed, in the 和暦 the 受給者証 writes it in, to compare by eye ('1970-04-01' → 和暦：昭和45年4月1日). */
function birthDateHint(birthDate: string | null): string | undefined {
  return birthDate !== null && isValidIsoDate(birthDate) && birthDate >= '1900-01-01' ? F.birthDateEra(formatJapaneseEraDate(birthDate)) : undefined;
}

/** The 支給決定市町村 already entered on this phone, each once (「千葉県松戸市」 as 松戸市), to pick from. */
function useKnownMunicipalities(): readonly string[] {
  const households = useApp((s) => s.households);
  return useMemo(() => {
    const typed = [...households.values()].flatMap((h) => h.persons.map((person) => person.municipality ?? ''));
    const keyOf = municipalityKeysOf(typed);
    const names = new Set(typed.map(keyOf));
    names.delete('');
    return [...names].sort((a, b) => a.localeCompare(b, 'ja'));
  }, [households]);
}

export function PersonBasic({ person: p, at, update, err }: PersonFieldsProps) {
  const municipalities = useKnownMunicipalities();
  const listId = useId();
  return (
    <div className="hh-grid2">
      <TextField label={F.name} hint={F.required} autoComplete="off" value={p.name} data-path={`${at}.name`} error={err(`${at}.name`)} onChange={(e) => update({ name: e.target.value })} />
      <TextField label={F.furigana} autoComplete="off" value={p.furigana} data-path={`${at}.furigana`} error={err(`${at}.furigana`)} onChange={(e) => update({ furigana: e.target.value })} />
      <TextField label={F.birthDate} type="date" hint={birthDateHint(p.birthDate)} value={p.birthDate ?? ''} data-path={`${at}.birthDate`} error={err(`${at}.birthDate`)} onChange={(e) => update({ birthDate: e.target.value || null })} />
      <SelectField label={F.sex} options={SEX_OPTIONS} value={p.sex} data-path={`${at}.sex`} error={err(`${at}.sex`)} onChange={(e) => update({ sex: e.target.value as Person['sex'] })} />
      <TextField label={F.recipientNumber} hint={F.recipientHint} inputMode="numeric" autoComplete="off" value={p.recipientNumber} data-path={`${at}.recipientNumber`} error={err(`${at}.recipientNumber`)} onChange={(e) => update({ recipientNumber: e.target.value })} />
      {/* Records saved before 支給決定市町村 existed have no value: shown blank. */}
      {/* The names entered before are offered as the case worker types, so that one municipality is one row in the 実績. */}
      <TextField label={F.municipality} hint={F.municipalityHint} autoComplete="off" list={listId} value={p.municipality ?? ''} data-path={`${at}.municipality`} error={err(`${at}.municipality`)} onChange={(e) => update({ municipality: e.target.value })} />
      <datalist id={listId}>
        {municipalities.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
    </div>
  );
}

/** The types with `type` in or out, in the list's order. */
function withType(types: readonly DisabilityType[], type: DisabilityType, on: boolean): DisabilityType[] {
  return on ? (types.includes(type) ? [...types] : [...types, type]) : types.filter((t) => t !== type);
}

export function PersonDisability({ person: p, at, update, err }: PersonFieldsProps) {
  const setHandbooks = (patch: Partial<Handbooks>) => update({ handbooks: { ...p.handbooks, ...patch } });
  // 重症心身障害 is asked twice on the paper form (a type, and a box of its own): one answer here,
  // the box and the type ticked and unticked together.
  const severe = p.severeMultiple || p.disabilityTypes.includes('severe-multiple');
  const setSevere = (on: boolean) => update({ severeMultiple: on, disabilityTypes: withType(p.disabilityTypes, 'severe-multiple', on) });
  // The save adds 医療的ケア to the types when any care is ticked: shown as it happens, and taken
  // away again when the last care is unticked (ticked back by hand if it still applies).
  const setCare = (medicalCare: Person['medicalCare']) => {
    const started = p.medicalCare.length === 0 && medicalCare.length > 0;
    const ended = p.medicalCare.length > 0 && medicalCare.length === 0;
    update({ medicalCare, ...(started || ended ? { disabilityTypes: withType(p.disabilityTypes, 'medical-care', started) } : {}) });
  };
  return (
    <>
      <div data-path={`${at}.disabilityTypes`}>
        <CheckboxGroup
          legend={F.disabilityTypes}
          options={DISABILITY_OPTIONS}
          value={severe ? withType(p.disabilityTypes, 'severe-multiple', true) : p.disabilityTypes}
          error={err(`${at}.disabilityTypes`)}
          onChange={(disabilityTypes) => update({ disabilityTypes, severeMultiple: disabilityTypes.includes('severe-multiple') })}
        />
      </div>
      <TextField label={F.otherDisabilities} value={p.otherDisabilities} data-path={`${at}.otherDisabilities`} error={err(`${at}.otherDisabilities`)} onChange={(e) => update({ otherDisabilities: e.target.value })} />
      <TextField label={F.diagnosis} value={p.diagnosis} data-path={`${at}.diagnosis`} error={err(`${at}.diagnosis`)} onChange={(e) => update({ diagnosis: e.target.value })} />
      <label className="check">
        <input type="checkbox" autoComplete="off" checked={severe} data-path={`${at}.severeMultiple`} onChange={(e) => setSevere(e.target.checked)} />
        <span>{F.severeMultiple}</span>
      </label>
      <div data-path={`${at}.medicalCare`}>
        <CheckboxGroup legend={F.medicalCare} options={CARE_OPTIONS} value={p.medicalCare} error={err(`${at}.medicalCare`)} onChange={setCare} />
      </div>
      <TextArea label={F.medicalCareDetails} value={p.medicalCareDetails} data-path={`${at}.medicalCareDetails`} error={err(`${at}.medicalCareDetails`)} onChange={(e) => update({ medicalCareDetails: e.target.value })} />
      <div className="hh-grid2">
        <SelectField label={F.physicalGrade} options={gradeOptions(6)} value={String(p.handbooks.physicalGrade ?? '')} data-path={`${at}.handbooks.physicalGrade`} error={err(`${at}.handbooks.physicalGrade`)} onChange={(e) => setHandbooks({ physicalGrade: num(e.target.value) as Handbooks['physicalGrade'] })} />
        <TextField label={F.ryoiku} hint={F.ryoikuHint} value={p.handbooks.ryoiku ?? ''} data-path={`${at}.handbooks.ryoiku`} error={err(`${at}.handbooks.ryoiku`)} onChange={(e) => setHandbooks({ ryoiku: e.target.value === '' ? null : e.target.value })} />
        <SelectField label={F.mentalGrade} options={gradeOptions(3)} value={String(p.handbooks.mentalGrade ?? '')} data-path={`${at}.handbooks.mentalGrade`} error={err(`${at}.handbooks.mentalGrade`)} onChange={(e) => setHandbooks({ mentalGrade: num(e.target.value) as Handbooks['mentalGrade'] })} />
        <SelectField label={F.supportLevel} hint={F.supportLevelHint} options={LEVEL_OPTIONS} value={String(p.supportLevel ?? '')} data-path={`${at}.supportLevel`} error={err(`${at}.supportLevel`)} onChange={(e) => update({ supportLevel: num(e.target.value) as Person['supportLevel'] })} />
        <ScoreField label={F.behaviorScore} hint={F.behaviorHint} value={p.behaviorScore} data-path={`${at}.behaviorScore`} error={err(`${at}.behaviorScore`)} onScore={(behaviorScore) => update({ behaviorScore })} />
        <ScoreField label={F.childBehaviorScore} hint={F.childBehaviorHint} value={p.childBehaviorScore} data-path={`${at}.childBehaviorScore`} error={err(`${at}.childBehaviorScore`)} onScore={(childBehaviorScore) => update({ childBehaviorScore })} />
      </div>
    </>
  );
}

export function PersonMedical({ person: p, at, update, err }: PersonFieldsProps) {
  return (
    <>
      <h3 className="hh-person-title">{F.doctors}</h3>
      <ListEditor items={p.doctors} onChange={(doctors) => update({ doctors })} blank={() => ({ name: '', hospital: '', phone: '', note: '' })} addLabel={F.addDoctor} itemLabel={(i) => `${F.doctors} ${i + 1}`}>
        {(d, i, set) => (
          <div className="hh-grid2">
            <TextField label={F.hospital} value={d.hospital} data-path={`${at}.doctors.${i}.hospital`} onChange={(e) => set({ hospital: e.target.value })} />
            <TextField label={F.doctorName} value={d.name} data-path={`${at}.doctors.${i}.name`} onChange={(e) => set({ name: e.target.value })} />
            <TextField label={F.otherPhone} type="tel" value={d.phone} data-path={`${at}.doctors.${i}.phone`} error={err(`${at}.doctors.${i}.phone`)} onChange={(e) => set({ phone: e.target.value })} />
            <TextField label={F.note} value={d.note} data-path={`${at}.doctors.${i}.note`} onChange={(e) => set({ note: e.target.value })} />
          </div>
        )}
      </ListEditor>
      <TextArea label={F.medications} value={p.medications} data-path={`${at}.medications`} onChange={(e) => update({ medications: e.target.value })} />
      <TextArea label={F.allergies} value={p.allergies} data-path={`${at}.allergies`} onChange={(e) => update({ allergies: e.target.value })} />
      <TextArea label={F.seizures} value={p.seizures} data-path={`${at}.seizures`} onChange={(e) => update({ seizures: e.target.value })} />
      <TextArea label={F.crisisPlan} value={p.crisisPlan} data-path={`${at}.crisisPlan`} onChange={(e) => update({ crisisPlan: e.target.value })} />
    </>
  );
}

export function PersonServices({ person: p, at, update, err }: PersonFieldsProps) {
  return (
    <>
      <h3 className="hh-person-title">{F.serviceList}</h3>
      <ListEditor items={p.services} onChange={(services) => update({ services })} blank={() => ({ service: '', office: '', phone: '', schedule: '' })} addLabel={F.addService} itemLabel={(i) => `${F.serviceList} ${i + 1}`}>
        {(s, i, set) => (
          <div className="hh-grid2">
            <TextField label={F.service} value={s.service} data-path={`${at}.services.${i}.service`} onChange={(e) => set({ service: e.target.value })} />
            <TextField label={F.office} value={s.office} data-path={`${at}.services.${i}.office`} onChange={(e) => set({ office: e.target.value })} />
            <TextField label={F.otherPhone} type="tel" value={s.phone} data-path={`${at}.services.${i}.phone`} error={err(`${at}.services.${i}.phone`)} onChange={(e) => set({ phone: e.target.value })} />
            <TextField label={F.schedule} value={s.schedule} data-path={`${at}.services.${i}.schedule`} onChange={(e) => set({ schedule: e.target.value })} />
          </div>
        )}
      </ListEditor>
      <h3 className="hh-person-title">{F.pastStays}</h3>
      <ListEditor items={p.pastShortStays} onChange={(pastShortStays) => update({ pastShortStays })} blank={() => ({ facility: '', when: '', howItWent: '' })} addLabel={F.addPastStay} itemLabel={(i) => `${F.pastStays} ${i + 1}`}>
        {(s, i, set) => (
          <>
            <div className="hh-grid2">
              <TextField label={F.facility} value={s.facility} data-path={`${at}.pastShortStays.${i}.facility`} onChange={(e) => set({ facility: e.target.value })} />
              <TextField label={F.when} value={s.when} data-path={`${at}.pastShortStays.${i}.when`} onChange={(e) => set({ when: e.target.value })} />
            </div>
            <TextArea label={F.howItWent} value={s.howItWent} data-path={`${at}.pastShortStays.${i}.howItWent`} onChange={(e) => set({ howItWent: e.target.value })} />
          </>
        )}
      </ListEditor>
      <PersonEnrolments person={p} at={at} update={update} err={err} />
    </>
  );
}

type EnrolmentService = keyof ServiceEnrolments;
type EnrolmentState = 'unknown' | 'none' | 'enrolled';
const ENROLMENT_OPTIONS: readonly { value: EnrolmentState; label: string }[] = [
  { value: 'unknown', label: F.enrolmentUnknown },
  { value: 'none', label: F.enrolmentNone },
  { value: 'enrolled', label: F.enrolmentYes },
];

function enrolmentState(periods: readonly EnrolmentPeriod[] | null): EnrolmentState {
  return periods === null ? 'unknown' : periods.length === 0 ? 'none' : 'enrolled';
}

/** 利用している事業所 as a select value: '' not recorded, ELSEWHERE an office outside the hub, else the office's id. */
const ELSEWHERE = '__elsewhere__';
const whereValue = (officeId: string | null | undefined) => (officeId === undefined ? '' : officeId === null ? ELSEWHERE : officeId);
const whereOf = (value: string): Pick<EnrolmentPeriod, 'officeId'> => (value === '' ? { officeId: undefined } : { officeId: value === ELSEWHERE ? null : value });

/**
 * 地域定着支援・自立生活援助: 未確認, 利用なし or the periods of use, each with where (claim rule e
 * reads them: a month of use excludes the claim only at the office that runs the service as one
 * body, and asks while where is not recorded).
 */
function PersonEnrolments({ person: p, at, update, err }: PersonFieldsProps) {
  const offices = useApp((s) => s.offices);
  const enrolments = p.enrolments ?? UNKNOWN_ENROLMENTS;
  const set = (service: EnrolmentService, periods: readonly EnrolmentPeriod[] | null) => update({ enrolments: { ...enrolments, [service]: periods } });
  // Periods put aside by 未確認 or 利用なし, brought back by 利用あり while the form is open: a
  // choice changed by mistake must not lose the periods and offices typed (they go only if saved so).
  const [putAside, setPutAside] = useState<Partial<Record<EnrolmentService, readonly EnrolmentPeriod[]>>>({});
  return (
    <>
      <h3 className="hh-person-title">{F.enrolmentsTitle}</h3>
      <p className="muted">{F.enrolmentsHint}</p>
      {(['settlement', 'independentLiving'] as const).map((service) => {
        const label = ONE_BODY_LABELS[service];
        const periods = enrolments[service];
        // the hub's offices, those running this service as one body first (they alone exclude the claim)
        const officeOptions = [...offices.values()]
          .sort((a, b) => Number(b.oneBody[service]) - Number(a.oneBody[service]) || a.name.localeCompare(b.name, 'ja'))
          .map((o) => ({ value: o.id, label: o.oneBody[service] ? F.enrolmentWhereOneBody(o.name) : o.name }));
        const path = `${at}.enrolments.${service}`;
        return (
          <div key={service}>
            <SelectField
              label={F.enrolmentUse(label)}
              options={ENROLMENT_OPTIONS}
              value={enrolmentState(periods)}
              data-path={path}
              onChange={(e) => {
                const state = e.target.value as EnrolmentState;
                if (state !== 'enrolled' && periods?.length) setPutAside({ ...putAside, [service]: periods });
                set(service, state === 'unknown' ? null : state === 'none' ? [] : periods?.length ? periods : (putAside[service] ?? [{ from: '', to: null }]));
              }}
            />
            {periods !== null && periods.length > 0 ? (
              <ListEditor items={periods} onChange={(next) => set(service, next)} blank={() => ({ from: '', to: null })} addLabel={F.addEnrolment} itemLabel={(i) => F.enrolmentPeriod(label, i)}>
                {(period, i, change) => {
                  const where = whereValue(period.officeId);
                  // an office no longer held here keeps its id, shown as such
                  const held = where === '' || where === ELSEWHERE || offices.has(where);
                  return (
                    <>
                      <div className="hh-grid2">
                        <TextField label={F.enrolmentFrom} type="date" value={period.from} data-path={`${path}.${i}.from`} error={err(`${path}.${i}.from`)} onChange={(e) => change({ from: e.target.value })} />
                        <TextField label={F.enrolmentTo} type="date" value={period.to ?? ''} data-path={`${path}.${i}.to`} error={err(`${path}.${i}.to`)} onChange={(e) => change({ to: e.target.value || null })} />
                      </div>
                      <SelectField
                        label={F.enrolmentWhere}
                        value={where}
                        data-path={`${path}.${i}.officeId`}
                        onChange={(e) => change(whereOf(e.target.value))}
                        options={[
                          { value: '', label: F.enrolmentWhereUnknownOption },
                          ...officeOptions,
                          ...(held ? [] : [{ value: where, label: F.enrolmentWhereGone }]),
                          { value: ELSEWHERE, label: F.enrolmentWhereElsewhere },
                        ]}
                      />
                    </>
                  );
                }}
              </ListEditor>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

const DAILY_KEYS: readonly (keyof DailyLiving)[] = ['meals', 'toileting', 'bathing', 'mobility', 'dressing', 'communication', 'sleep', 'behaviour'];

export function PersonDaily({ person: p, at, update }: PersonFieldsProps) {
  return (
    <>
      {DAILY_KEYS.map((k) => (
        <TextArea key={k} label={F[k]} rows={2} value={p.dailyLiving[k]} data-path={`${at}.dailyLiving.${k}`} onChange={(e) => update({ dailyLiving: { ...p.dailyLiving, [k]: e.target.value } })} />
      ))}
      <TextArea label={F.calming} value={p.calming} data-path={`${at}.calming`} onChange={(e) => update({ calming: e.target.value })} />
      <TextArea label={F.triggers} value={p.triggers} data-path={`${at}.triggers`} onChange={(e) => update({ triggers: e.target.value })} />
    </>
  );
}
