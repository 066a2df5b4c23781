/**
 * The editable shape of a household (what the form holds and what its encrypted draft stores),
 * and the pure conversions to and from the domain record. Only two fields differ from Household:
 * phones are edited as free text (split on save) and an empty consent block means "no 同意書".
 */
import type { EmergencyContact, Household } from '../../domain/household';
import type { FieldError } from '../../domain/household-schema';

export interface ContactInput extends Omit<EmergencyContact, 'phones'> {
  /** phones as typed: separated by commas, 、 or newlines */
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
}

export function splitPhones(text: string): string[] {
  return text
    .split(/[,，、;；\n\r]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

export function toForm(h: Household): HouseholdForm {
  return {
    ...h,
    emergencyContacts: h.emergencyContacts.map(({ phones, ...c }) => ({ ...c, phonesText: phones.join('\n') })),
    consent: h.consent ? { ...h.consent } : { date: '', consentedBy: '', scope: '' },
  };
}

/** The record to validate and save; `now` stamps updatedAt (createdAt stays as it was). */
export function fromForm(form: HouseholdForm, now: string): Household {
  const { consent, emergencyContacts, ...rest } = form;
  const hasConsent = Boolean(consent.date || consent.consentedBy.trim() || consent.scope.trim());
  return {
    ...rest,
    emergencyContacts: emergencyContacts.map(({ phonesText, ...c }) => ({ ...c, phones: splitPhones(phonesText) })),
    consent: hasConsent ? { date: consent.date, consentedBy: consent.consentedBy.trim(), scope: consent.scope.trim() } : null,
    updatedAt: now,
  };
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
