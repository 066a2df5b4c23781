/**
 * Return in a one-line field of a long form: on to the next field, never the form's submit. A
 * browser submits a form on Return in any text input, and on a phone Return is the key people
 * press to close the keyboard or go on: it opened an emergency case (evidence that cannot be
 * deleted) after the caller's name, and saved a registration half filled in after the 住所.
 */
import type { KeyboardEvent } from 'react';

/** The input types Return submits from: those typed into, which it moves on from. */
const TYPED_INTO = new Set(['text', 'search', 'tel', 'email', 'url', 'number', 'password', 'date', 'datetime-local', 'time', 'month', 'week']);
/**
 * Chosen, not typed into: Return does not tick them, but Chromium submits the form from them too
 * (Space ticks). Return on one does nothing: a case opened from its 要請の区分 before the caller's
 * name and number were typed, a facility saved from its 「知的 者」 without its phone.
 */
const CHOSEN = new Set(['checkbox', 'radio']);

const FIELDS = 'input, select, textarea';

const isTypedInto = (el: Element): el is HTMLInputElement => el instanceof HTMLInputElement && TYPED_INTO.has(el.type);

/** A field Return can move to: one typed into or chosen from, enabled, and not hidden in a folded section. */
function canTakeFocus(el: Element): el is HTMLElement {
  if (!(isTypedInto(el) || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement)) return false;
  if (el.disabled || ('readOnly' in el && el.readOnly) || el.tabIndex < 0) return false;
  return el.closest('[hidden], [inert], details:not([open])') === null;
}

/** Return pressed to act, not the one that confirms the IME's conversion (isComposing, or keyCode 229 where a browser does not say). */
export function isPlainEnter(e: KeyboardEvent<Element>): boolean {
  return e.key === 'Enter' && !e.nativeEvent.isComposing && e.keyCode !== 229;
}

/**
 * A form's onKeyDown: Return in a field typed into moves the focus to the next field of the form
 * (「次へ」), or stays where it is after the last one. It leaves alone a Return that confirms the
 * IME's conversion (isComposing, or keyCode 229 where a browser does not say), a Return in a text
 * area (a new line) or on a button, one in another form, and one a field handled itself. On a
 * checkbox or a radio it does nothing (CHOSEN).
 */
export function keepEnterFromSubmitting(e: KeyboardEvent<HTMLFormElement>): void {
  if (!isPlainEnter(e) || e.defaultPrevented) return;
  const field = e.target;
  // A field of a dialog drawn over the form (a portal: its events reach the form, its DOM is elsewhere) is the dialog's.
  if (!(field instanceof HTMLInputElement) || field.form !== e.currentTarget) return;
  if (CHOSEN.has(field.type)) {
    e.preventDefault();
    return;
  }
  if (!isTypedInto(field)) return;
  e.preventDefault();
  const fields = [...e.currentTarget.querySelectorAll(FIELDS)];
  const next = fields.slice(fields.indexOf(field) + 1).find(canTakeFocus);
  next?.focus();
}
