/**
 * The office form's model: what the 設定 form holds and the Office it saves. The saved hub periods
 * are history and are not edited in place: the form can only end the open one (廃止届) and add one
 * after the last, so a claim already decided under a period keeps standing on it.
 */
import { hubPeriodErrors, type HubPeriod, type Office, type OneBodyServices } from '../../domain/office';
import { normalizeDigits } from '../../domain/normalize';
import { OT } from './offices-text';

export interface OfficeForm {
  readonly id: string | null;
  readonly name: string;
  readonly officeNumber: string;
  readonly oneBody: OneBodyServices;
  /** the periods as saved: shown, never changed here except by ending the open one */
  readonly saved: readonly HubPeriod[];
  /** ending the open saved period: its last day as a hub, and a note (廃止届 …); null when not ending it */
  readonly ending: { readonly to: string; readonly note: string } | null;
  /** a new period after the last one; null when none is added */
  readonly adding: { readonly from: string; readonly to: string; readonly note: string } | null;
}

export type OfficeField = 'name' | 'officeNumber' | 'endingTo' | 'addingFrom' | 'addingTo' | 'periods';
export type OfficeErrors = Partial<Record<OfficeField, string>>;

export function formOf(o: Office | null): OfficeForm {
  if (o === null) return { id: null, name: '', officeNumber: '', oneBody: { settlement: false, independentLiving: false }, saved: [], ending: null, adding: null };
  return { id: o.id, name: o.name, officeNumber: o.officeNumber, oneBody: o.oneBody, saved: o.hubPeriods, ending: null, adding: null };
}

const joinNotes = (a: string, b: string) => [a.trim(), b.trim()].filter(Boolean).join('／');

/** The periods the form would save: the saved ones, the open one ended if asked, the new one after them. */
export function periodsOf(form: OfficeForm): HubPeriod[] {
  const periods = form.saved.map((p, i) =>
    form.ending !== null && i === form.saved.length - 1 && p.to === null ? { ...p, to: form.ending.to.trim(), note: joinNotes(p.note, form.ending.note) } : p,
  );
  if (form.adding !== null) periods.push({ from: form.adding.from.trim(), to: form.adding.to.trim() === '' ? null : form.adding.to.trim(), note: form.adding.note.trim() });
  return periods;
}

/** Every mistake, beside the field it belongs to (the period rules are office.ts's, in its words). */
export function validateOfficeForm(form: OfficeForm): OfficeErrors {
  const errors: OfficeErrors = {};
  if (form.name.trim() === '') errors.name = OT.errName;
  if (!/^\d{10}$/.test(normalizeDigits(form.officeNumber))) errors.officeNumber = OT.errNumber;
  if (form.ending !== null && form.ending.to.trim() === '') errors.endingTo = OT.errEndRequired;
  if (form.adding !== null && form.adding.from.trim() === '') errors.addingFrom = OT.errFromRequired;
  const added = form.saved.length;
  for (const e of hubPeriodErrors(periodsOf(form))) {
    const [, index, part] = e.path.split('.');
    const i = Number(index);
    const field: OfficeField = i === added ? (part === 'from' ? 'addingFrom' : 'addingTo') : i === added - 1 && part === 'to' && form.ending !== null ? 'endingTo' : i === added - 1 && part === 'to' ? 'addingFrom' : 'periods';
    errors[field] ??= e.message;
  }
  return errors;
}

/** The office to store, or null when the form has mistakes. */
export function officeFromForm(form: OfficeForm, existing: Office | undefined, now: string, newId: () => string): Office | null {
  if (Object.keys(validateOfficeForm(form)).length > 0) return null;
  return {
    id: existing?.id ?? newId(),
    name: form.name.trim(),
    officeNumber: normalizeDigits(form.officeNumber),
    hubPeriods: periodsOf(form),
    oneBody: form.oneBody,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}
