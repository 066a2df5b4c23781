/** The facility form's editable state and its checks; pure, so it is tested without React. */
import { historyAfter, MAX_BEDS } from '../../domain/vacancy-report';
import { closureProblem, facilityPhoneProblem, isPlausibleEmail, type ClosureKind, type Facility, type FacilityClosure } from '../../domain/facility';
import { withoutDigitSeparators } from '../../domain/normalize';
import { T } from './text';

/** The fields the form edits as they are; numbers are kept as typed text until validation. */
type EditedAsIs =
  | 'name'
  | 'officeNumber'
  | 'serviceType'
  | 'unitType'
  | 'address'
  | 'area'
  | 'phone'
  | 'nightPhone'
  | 'fax'
  | 'email'
  | 'hubFunctions'
  | 'liaison'
  | 'acceptance'
  | 'medicalCare'
  | 'emergencyRequestHow';

export interface FacilityFormState extends Pick<Facility, EditedAsIs> {
  readonly capacity: string;
  /** empty: keep the last vacancy report as it is */
  readonly vacancyBeds: string;
  readonly vacancyReporter: string;
  /** '' while the office runs (運営中) */
  readonly closureKind: ClosureKind | '';
  readonly closureFrom: string;
  /** a 休止's last day; '' when not known */
  readonly closureUntil: string;
  readonly closureNote: string;
}

export type FacilityFormErrors = Partial<Record<'name' | 'officeNumber' | 'phone' | 'nightPhone' | 'email' | 'capacity' | 'vacancyBeds' | 'closureFrom' | 'closureUntil', string>>;

export function toFormState(f: Facility, reporter: string): FacilityFormState {
  return {
    name: f.name,
    officeNumber: f.officeNumber,
    serviceType: f.serviceType,
    unitType: f.unitType,
    address: f.address,
    area: f.area,
    phone: f.phone,
    nightPhone: f.nightPhone,
    fax: f.fax,
    email: f.email,
    hubFunctions: f.hubFunctions,
    liaison: f.liaison,
    capacity: String(f.capacity),
    acceptance: f.acceptance,
    medicalCare: f.medicalCare,
    emergencyRequestHow: f.emergencyRequestHow,
    vacancyBeds: '',
    vacancyReporter: reporter,
    closureKind: f.closure?.kind ?? '',
    closureFrom: f.closure?.from ?? '',
    closureUntil: f.closure?.until ?? '',
    closureNote: f.closure?.note ?? '',
  };
}

/**
 * The 休止・廃止 the form says, or null while the office runs (a 廃止 has no last day, whatever was
 * typed before). `held`: the one the record holds, whose fields this app does not know (a newer app
 * wrote them) stay as they were ([V1]); left out, the hub reads them as removed, on every phone. An
 * office running again drops them with its closure.
 */
function closureOf(s: FacilityFormState, held?: FacilityClosure | null): FacilityClosure | null {
  if (s.closureKind === '') return null;
  const until = s.closureKind === 'closed' || s.closureUntil.trim() === '' ? null : s.closureUntil.trim();
  return { ...held, kind: s.closureKind, from: s.closureFrom.trim(), until, note: s.closureNote.trim() };
}

/** Up to 4 digits, as the CSV reads a count: a longer one is a slip (and past 2^53 the hub refuses it). */
const isCount = (s: string) => /^\d{1,4}$/.test(s.normalize('NFKC').trim());
/** A bed count the hub takes (MAX_BEDS): a larger one saved here was refused there, and held every later report. */
const isBeds = (s: string) => isCount(s) && Number(s.normalize('NFKC').trim()) <= MAX_BEDS;

export function validateForm(s: FacilityFormState, held?: Pick<Facility, 'phone' | 'nightPhone'>): FacilityFormErrors {
  const errors: FacilityFormErrors = {};
  if (s.name.trim() === '') errors.name = T.errors.name;
  if (!/^\d{10}$/.test(normalizeOfficeNumber(s.officeNumber))) errors.officeNumber = T.errors.officeNumber;
  // The numbers the coordinator taps at night: one that cannot be dialled is said now, not at 2 a.m.
  for (const field of ['phone', 'nightPhone'] as const) {
    const problem = facilityPhoneProblem(s[field], held?.[field]);
    if (problem) errors[field] = `${problem}${T.errors.phoneHint}`;
  }
  if (!isPlausibleEmail(emailOf(s.email))) errors.email = T.errors.email;
  if (!isCount(s.capacity)) errors.capacity = T.errors.capacity;
  if (s.vacancyBeds.trim() !== '' && !isBeds(s.vacancyBeds)) errors.vacancyBeds = T.errors.beds;
  const closure = closureOf(s);
  const problem = closure === null ? null : closureProblem(closure);
  if (problem) errors[problem.field === 'from' ? 'closureFrom' : 'closureUntil'] = problem.message;
  return errors;
}

/**
 * The 事業所番号 as its 10 digits: full-width digits read, and the spaces and dashes it is written
 * with ('12-3456-7890', '１２ー３４５６ー７８９０'), as the 受給者証番号 takes them.
 */
export function normalizeOfficeNumber(s: string): string {
  return withoutDigitSeparators(s);
}

/** An e-mail address as written on an office PC with the IME on: 'info＠example．jp' is info@example.jp. */
function emailOf(s: string): string {
  return s.normalize('NFKC').trim();
}

/** Applies a valid form to the stored facility; a vacancy entered now is stamped with `now`. */
export function applyForm(base: Facility, s: FacilityFormState, now: string): Facility {
  const beds = s.vacancyBeds.trim();
  const closure = closureOf(s, base.closure);
  return {
    ...base,
    name: s.name.trim(),
    officeNumber: normalizeOfficeNumber(s.officeNumber),
    serviceType: s.serviceType,
    unitType: s.unitType,
    address: s.address.trim(),
    area: s.area.trim(),
    phone: s.phone.trim(),
    nightPhone: s.nightPhone.trim(),
    fax: s.fax.trim(),
    email: emailOf(s.email),
    hubFunctions: s.hubFunctions,
    liaison: s.liaison.trim(),
    capacity: Number(s.capacity.normalize('NFKC').trim()),
    acceptance: s.acceptance,
    medicalCare: s.medicalCare,
    emergencyRequestHow: s.emergencyRequestHow.trim(),
    vacancy:
      beds === ''
        ? base.vacancy
        : { beds: Number(beds.normalize('NFKC')), asOf: now, reportedBy: s.vacancyReporter.trim() },
    // A bed count entered here is a report like one made on 空床を報告: the report it replaces is kept.
    ...(beds !== '' && base.vacancy ? { vacancyHistory: historyAfter(base, now) } : {}),
    // running, as a facility saved before closures were kept: no key, so saving it is no change of it
    ...(closure !== null || base.closure != null ? { closure } : {}),
    updatedAt: now,
  };
}
