/**
 * The editable shape of a household (what the form holds and what its encrypted draft stores),
 * and the pure conversions to and from the domain record. Only two fields differ from Household:
 * phones are edited as free text (split on save) and an empty consent block means "no 同意書".
 */
import type { EmergencyContact, Household } from '../../domain/household';
import type { FieldError } from '../../domain/household-schema';
import { equal, formEditMerge, type FieldConflict, type Json } from '../../protocol/merge';
import { setAtPath, valueAtPath } from '../../sync/conflict-path';

export interface ContactInput extends Omit<EmergencyContact, 'phones' | 'furigana'> {
  /** '' when none (a contact saved before contacts had a reading has none) */
  readonly furigana: string;
  /** phones as typed: separated by commas, 、, slashes or newlines (not inside brackets) */
  readonly phonesText: string;
}

export interface ConsentInput {
  readonly date: string;
  readonly consentedBy: string;
  readonly scope: string;
}

export interface HouseholdForm extends Omit<Household, 'emergencyContacts' | 'consent'> {
  readonly emergencyContacts: readonly ContactInput[];
  readonly consent: ConsentInput;
  /** why the household moves to another office (asked only when it does; kept in officeMoves) */
  readonly moveReason?: string;
  /**
   * The record as it was when this form (or the draft it came back from) was opened: what the save
   * merges against, so a change made since (a 見直し recorded, a colleague's edit synced) is kept
   * unless the form changed the same field. Absent for a new household.
   */
  readonly formBase?: Household | null;
}

export function splitPhones(text: string): string[] {
  const parts = text
    // commas, 、, semicolons, slashes, line breaks; and a space between two numbers (「090-… 03-…」,
    // in full-width digits too, as an office PC's IME types them),
    // not the one after a label (「夜間 090-…」); none inside a bracketed note (「（夜間、土日も可）」),
    // i.e. where a closing bracket comes before any opening one
    .split(/(?:[,，、;；/／\n\r]+|(?<=[0-9０-９])[\s\u3000]+(?=[0０+＋]))(?![^（(]*[）)])/)
    .map((p) => p.trim())
    .filter(Boolean);
  // A part with no digit is a note: of the number before it (「090-… 夜間、土日可」), or the label of
  // the one after it when none came before (「夜間、090-…」); never a number of its own.
  const phones: string[] = [];
  let label = '';
  for (const part of parts) {
    const note = !/[0-9０-９]/.test(part);
    if (note && phones.length > 0) phones[phones.length - 1] = `${phones.at(-1)!}、${part}`;
    else if (note) label = label ? `${label}、${part}` : part;
    else {
      phones.push(label ? `${label} ${part}` : part);
      label = '';
    }
  }
  if (label) phones.push(label); // only words: the form says a number is missing
  return phones;
}

export function toForm(h: Household): HouseholdForm {
  return {
    ...h,
    emergencyContacts: h.emergencyContacts.map(({ phones, furigana, ...c }) => ({ ...c, furigana: furigana ?? '', phonesText: phones.join('\n') })),
    consent: h.consent ? { ...h.consent } : { date: '', consentedBy: '', scope: '' },
  };
}

/** A form read back from a draft: one kept before contacts had a reading gets a blank one (its input is controlled). */
export function fromDraft(form: HouseholdForm): HouseholdForm {
  return { ...form, emergencyContacts: form.emergencyContacts.map((c) => ({ ...c, furigana: c.furigana ?? '' })) };
}

/** The record to validate and save; `now` stamps updatedAt (createdAt stays as it was). */
export function fromForm(form: HouseholdForm, now: string): Household {
  const { consent, emergencyContacts, moveReason: _moveReason, formBase: _formBase, ...rest } = form;
  const hasConsent = Boolean(consent.date || consent.consentedBy.trim() || consent.scope.trim());
  return {
    ...rest,
    // the reading written ('' when none); asOpened gives a contact the form left alone back as held
    emergencyContacts: emergencyContacts.map(({ phonesText, ...c }) => ({ ...c, phones: splitPhones(phonesText) })),
    consent: hasConsent ? { ...consent, date: consent.date, consentedBy: consent.consentedBy.trim(), scope: consent.scope.trim() } : null,
    updatedAt: now,
  };
}

/** What the save keeps of the record as held, whatever the form says: never a clash of the form's. */
const NOT_THE_FORMS = /^(updatedAt|createdAt|reviews|withdrawal|officeMoves)(\b|$)/;

/**
 * The record to save when the form was opened on `base` and the device holds `held` now: each field
 * the form changed takes the form's value, each other field the held one (three-way, as the hub
 * merges a push: src/protocol/merge.ts). What the form never edits (見直しの記録, 登録廃止, the office
 * moves) is always the held record's, also for a draft written before the form kept its base.
 * `clashes`: the fields the form changed that someone else changed too (a colleague's synced edit),
 * each with the form's value (`kept`) and theirs (`lost`): saved as they are, the form's replaces
 * theirs, so the form asks first.
 */
export function overHeld(mine: Household, base: Household | null | undefined, held: Household | undefined): { readonly record: Household; readonly clashes: readonly FieldConflict[] } {
  if (!held) return { record: mine, clashes: [] };
  const { merged, conflicts } = base ? formEditMerge(base, asOpened(mine, base), held) : { merged: mine, conflicts: [] };
  return {
    record: { ...merged, reviews: held.reviews, withdrawal: held.withdrawal, officeMoves: held.officeMoves ?? [], updatedAt: mine.updatedAt, createdAt: held.createdAt },
    clashes: conflicts.filter((c) => !NOT_THE_FORMS.test(c.path)),
  };
}

/**
 * `mine` with each contact the form left as it was given back as the record held it: a contact
 * saved before contacts had a reading comes back from the form with a blank one, which is no edit
 * (merged as one, a colleague's corrected number on that contact came back as a second contact).
 */
function asOpened(mine: Household, base: Household): Household {
  const untouched = base.emergencyContacts.filter((c) => c.furigana === undefined);
  if (untouched.length === 0) return mine;
  const pool = [...untouched];
  const emergencyContacts = mine.emergencyContacts.map((c) => {
    if (c.furigana !== '') return c;
    const { furigana: _blank, ...rest } = c;
    const at = pool.findIndex((b) => equal(b as unknown as Json, rest as unknown as Json));
    return at < 0 ? c : pool.splice(at, 1)[0]!;
  });
  return { ...mine, emergencyContacts };
}

/**
 * The form moved onto `held` (the record as the device holds it now): what the form changed since
 * its base is kept, everything else shows the held values, and `held` becomes the base. For a draft
 * restored after others changed the record, so the screen shows what will be saved.
 */
export function rebaseForm(form: HouseholdForm, held: Household): HouseholdForm {
  const { record, clashes } = overHeld(fromForm(form, form.updatedAt), form.formBase, held);
  // A field both the form and someone else changed keeps its old value in the new base: the save
  // still sees the clash and asks (also after the draft is written, closed and opened again).
  const base = clashes.reduce<Household>((b, c) => setAtPath(b, c.path, valueAtPath(form.formBase, c.path)) ?? b, held);
  return { ...toForm(record), formBase: base, ...(form.moveReason === undefined ? {} : { moveReason: form.moveReason }) };
}

/** True when the form holds the same content as the record it was opened from. */
export function sameContent(a: HouseholdForm, b: HouseholdForm): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return [...list];
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

export function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

export function removeAt<T>(list: readonly T[], index: number): T[] {
  return list.filter((_, i) => i !== index);
}

export type { FieldError } from '../../domain/household-schema';

/**
 * The message for one field: an error on the field itself or anywhere below it
 * ('emergencyContacts.0.phones.1' shows beside 'emergencyContacts.0.phonesText' through the alias).
 */
export function errorFor(errors: readonly FieldError[], path: string): string | undefined {
  const hit = errors.find((e) => {
    const p = aliasPath(e.path);
    return p === path || p.startsWith(`${path}.`);
  });
  return hit?.message;
}

/** Record paths whose form field has another name. */
export function aliasPath(path: string): string {
  return path.replace(/^(emergencyContacts\.\d+)\.phones(\..*)?$/, '$1.phonesText');
}

/**
 * The record with its office move appended when the form moves it (事業所の移管 is a recorded act:
 * who, when, from, to, why), or the record as it is. `saved` is the office it was held under
 * (undefined for a new household, which is placed, not moved).
 */
export function withOfficeMove(record: Household, saved: string | null | undefined, reason: string, by: { readonly id: string; readonly displayName: string }, now: string): Household {
  const to = record.officeId ?? null;
  if (saved === undefined || (saved ?? null) === to) return record;
  const move = { at: now, byUserId: by.id, byName: by.displayName, from: saved ?? null, to, reason: reason.trim() };
  return { ...record, officeMoves: [...(record.officeMoves ?? []), move] };
}

/** A move away from an office needs a reason; placing a household under its first office does not. */
export function moveReasonMissing(form: HouseholdForm, saved: string | null | undefined): boolean {
  return saved !== undefined && saved !== null && saved !== (form.officeId ?? null) && (form.moveReason ?? '').trim() === '';
}
