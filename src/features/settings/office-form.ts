/**
 * The office form's model: what the 設定 form holds and the Office it saves. The saved hub periods
 * are history and are not edited in place: the form can only end the open one (廃止届), record or
 * correct a period's 加算の届出日 (a fact about it, which sets its first claimable month), and add one
 * after the last, so a claim already decided under a period keeps standing on it.
 */
import { addDaysToDate, formatJapanDate, isValidIsoDate } from '../../domain/japan-time';
import { hubPeriodErrors, type HubPeriod, type Office, type OfficeDesignations, type OneBodyServices } from '../../domain/office';
import { normalizeDigits } from '../../domain/normalize';
import { OT } from './offices-text';

export interface OfficeForm {
  readonly id: string | null;
  readonly name: string;
  readonly officeNumber: string;
  readonly oneBody: OneBodyServices;
  /** the 指定 ticked; neither ticked is "not recorded" (designationsOf) */
  readonly designations: OfficeDesignations;
  /** the periods as saved: shown, never changed here except by ending the open one and their 届出日 */
  readonly saved: readonly HubPeriod[];
  /** the 加算の届出日 typed for each saved period, in its order ('' when not recorded) */
  readonly notified: readonly string[];
  /** ending the open saved period: its last day as a hub, and a note (廃止届 …); null when not ending it */
  readonly ending: { readonly to: string; readonly note: string } | null;
  /** a new period after the last one; null when none is added */
  readonly adding: { readonly from: string; readonly to: string; readonly note: string; readonly notifiedOn: string } | null;
}

export type OfficeField = 'name' | 'officeNumber' | 'endingTo' | 'addingFrom' | 'addingTo' | 'addingNotifiedOn' | 'periods' | `notified.${number}`;
export type OfficeErrors = Partial<Record<OfficeField, string>>;

const NONE_DESIGNATED: OfficeDesignations = { specifiedConsultation: false, childConsultation: false };

export function formOf(o: Office | null): OfficeForm {
  if (o === null) {
    return { id: null, name: '', officeNumber: '', oneBody: { settlement: false, independentLiving: false }, designations: NONE_DESIGNATED, saved: [], notified: [], ending: null, adding: null };
  }
  return {
    id: o.id,
    name: o.name,
    officeNumber: o.officeNumber,
    oneBody: o.oneBody,
    designations: o.designations ?? NONE_DESIGNATED,
    saved: o.hubPeriods,
    notified: o.hubPeriods.map((p) => p.notifiedOn ?? ''),
    ending: null,
    adding: null,
  };
}

const joinNotes = (a: string, b: string) => [a.trim(), b.trim()].filter(Boolean).join('／');

/** A period with the 届出日 typed for it: '' leaves none (one recorded before is taken off). */
function withNotified<P extends HubPeriod>(p: P, typed: string): P {
  const { notifiedOn: _recorded, ...rest } = p;
  return typed.trim() === '' ? (rest as P) : { ...p, notifiedOn: typed.trim() };
}

/**
 * The periods the form would save: the saved ones (with their 届出日 as typed), the open one ended if
 * asked, the new one after them. A saved period keeps every field it holds, a newer app's too.
 */
export function periodsOf(form: OfficeForm): HubPeriod[] {
  const periods = form.saved.map((saved, i) => {
    const typed = form.notified[i] ?? saved.notifiedOn ?? '';
    const p = typed.trim() === (saved.notifiedOn ?? '') ? saved : withNotified(saved, typed);
    return form.ending !== null && i === form.saved.length - 1 && p.to === null ? { ...p, to: form.ending.to.trim(), note: joinNotes(p.note, form.ending.note) } : p;
  });
  if (form.adding !== null) {
    const notifiedOn = form.adding.notifiedOn.trim();
    periods.push({
      from: form.adding.from.trim(),
      to: form.adding.to.trim() === '' ? null : form.adding.to.trim(),
      note: form.adding.note.trim(),
      ...(notifiedOn === '' ? {} : { notifiedOn }),
    });
  }
  return periods;
}

/** Every mistake, beside the field it belongs to (the period rules are office.ts's, in its words). */
export function validateOfficeForm(form: OfficeForm): OfficeErrors {
  const errors: OfficeErrors = {};
  if (form.name.trim() === '') errors.name = OT.errName;
  if (!/^\d{10}$/.test(normalizeDigits(form.officeNumber))) errors.officeNumber = OT.errNumber;
  if (form.ending !== null && form.ending.to.trim() === '') errors.endingTo = OT.errEndRequired;
  if (form.adding !== null && form.adding.from.trim() === '') errors.addingFrom = OT.errFromRequired;
  const badDate = (typed: string) => typed.trim() !== '' && !isValidIsoDate(typed.trim());
  form.notified.forEach((typed, i) => {
    if (badDate(typed)) errors[`notified.${i}`] = OT.errNotified;
  });
  if (form.adding !== null && badDate(form.adding.notifiedOn)) errors.addingNotifiedOn = OT.errNotified;
  const added = form.saved.length;
  for (const e of hubPeriodErrors(periodsOf(form))) {
    const [, index, part] = e.path.split('.');
    const i = Number(index);
    const field: OfficeField = i === added ? (part === 'from' ? 'addingFrom' : 'addingTo') : i === added - 1 && part === 'to' && form.ending !== null ? 'endingTo' : i === added - 1 && part === 'to' ? 'addingFrom' : 'periods';
    errors[field] ??= e.message;
  }
  return errors;
}

/**
 * The office to store, or null when the form has mistakes. Built over the stored record, so a field
 * this version of the app does not know (a newer app's, synced to this phone) is saved as it was.
 */
export function officeFromForm(form: OfficeForm, existing: Office | undefined, now: string, newId: () => string): Office | null {
  if (Object.keys(validateOfficeForm(form)).length > 0) return null;
  const designated = form.designations.specifiedConsultation || form.designations.childConsultation;
  return {
    ...existing,
    id: existing?.id ?? newId(),
    name: form.name.trim(),
    officeNumber: normalizeDigits(form.officeNumber),
    hubPeriods: periodsOf(form),
    oneBody: { ...existing?.oneBody, ...form.oneBody },
    // none ticked on an office saved without them: no key, so saving it is no change of it
    ...(designated || existing?.designations !== undefined ? { designations: { ...existing?.designations, ...form.designations } } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
}

/** How far from today a date of a new period is taken as it is: beyond it, the form asks (periodQuestions). */
const NEAR_DAYS = 31;

/**
 * What the form asks before it saves a period, which cannot be changed afterwards, one line each
 * (none: it saves at once): the open period ended (its last day), and a date of a new period or of
 * the ending more than NEAR_DAYS from `today` (Japan date), the way a mistyped year looks: a start
 * of 2027-04-01 for 2026-04-01 made every claim of 2026 算定不可 and could not be put right.
 */
export function periodQuestions(form: OfficeForm, today: string): string[] {
  const later = addDaysToDate(today, NEAR_DAYS);
  const earlier = addDaysToDate(today, -NEAR_DAYS);
  const lines: string[] = [];
  const check = (label: string, typed: string, pastToo: boolean) => {
    const date = typed.trim();
    if (!isValidIsoDate(date)) return;
    if (date > later) lines.push(OT.askFuture(label, formatJapanDate(date)));
    else if (pastToo && date < earlier) lines.push(OT.askPast(label, formatJapanDate(date)));
  };
  if (form.ending !== null && isValidIsoDate(form.ending.to.trim())) {
    lines.push(OT.askEnd(formatJapanDate(form.ending.to.trim())));
    check(OT.endTo, form.ending.to, true);
  }
  if (form.adding !== null) {
    check(OT.addFrom, form.adding.from, false);
    check(OT.addToShort, form.adding.to, true);
    check(OT.notified, form.adding.notifiedOn, false);
  }
  return lines;
}

/**
 * The form moved onto `held`, the office as stored now, when the save merged over it does not hold
 * together (a colleague ended the period this form ended too, or recorded its 届出日): `merged`'s
 * name, number and services (the form's changes over the colleague's), the held periods with the
 * 届出日 the form changed on them, and the ending or the new period still to be saved.
 */
export function rebaseOfficeForm(form: OfficeForm, merged: Office, held: Office): OfficeForm {
  const moved = formOf({ ...merged, hubPeriods: held.hubPeriods });
  const notified = held.hubPeriods.map((p, i) => {
    const at = form.saved.findIndex((s) => s.from === p.from);
    const typed = at < 0 ? undefined : form.notified[at];
    return typed !== undefined && typed.trim() !== (form.saved[at]!.notifiedOn ?? '') ? typed : (moved.notified[i] ?? '');
  });
  const open = held.hubPeriods.length > 0 && held.hubPeriods[held.hubPeriods.length - 1]!.to === null;
  return { ...moved, notified, ending: open ? form.ending : null, adding: form.adding };
}
