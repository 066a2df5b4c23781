/**
 * After a failed 保存: focus goes to the first field that says what is wrong, and a screen reader
 * reads that field with its message (aria-describedby). The per-field messages are not alerts, so
 * that a message that comes back while typing is not said again over the form's own summary.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { announce } from './announce';

const INVALID = '.field--invalid, [aria-invalid="true"]';
const CONTROL = 'input:not([type="hidden"]):not([hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled)';

/** The control to focus for an invalid field: itself, the first control inside it, or itself if focusable. */
function controlOf(invalid: HTMLElement): HTMLElement | null {
  if (invalid.matches(CONTROL)) return invalid;
  const inside = invalid.querySelector<HTMLElement>(CONTROL);
  if (inside) return inside;
  return invalid.tabIndex >= 0 || invalid.hasAttribute('tabindex') ? invalid : null;
}

/** The message of an invalid field: the .field__error its aria-describedby names, or the one inside it. */
function errorTextOf(invalid: HTMLElement, control: HTMLElement): string {
  const ids = [control, invalid].flatMap((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/)).filter(Boolean);
  for (const id of ids) {
    const el = document.getElementById(id);
    if (el?.classList.contains('field__error')) return el.textContent ?? '';
  }
  return invalid.querySelector('.field__error')?.textContent ?? '';
}

/** Unfolds any closed <details> around `el`, then focuses it (which also scrolls it into view). */
export function revealAndFocus(el: HTMLElement, options?: FocusOptions): void {
  for (let d = el.closest('details'); d; d = d.parentElement?.closest('details') ?? null) d.open = true;
  el.focus(options);
}

/**
 * Focuses the first invalid field inside root (document order), unfolding any closed <details>
 * around it. If focus is on it already (Enter pressed in that field), focusing says nothing new:
 * its message is announced instead, so the failure is still heard.
 */
export function focusFirstInvalid(root: HTMLElement | null, options?: FocusOptions): void {
  if (!root) return;
  // a group whose error has no control of its own (a fieldset of buttons) gives way to the next
  let invalid: HTMLElement | null = null;
  let control: HTMLElement | null = null;
  for (const el of root.querySelectorAll<HTMLElement>(INVALID)) {
    control = controlOf(el);
    if (control) {
      invalid = el;
      break;
    }
  }
  if (!invalid || !control) return;
  if (control === document.activeElement) {
    const text = errorTextOf(invalid, control).trim();
    if (text) announce(text);
    return;
  }
  revealAndFocus(control, options);
}

/**
 * For a form whose errors show beside its fields: `ref` goes on the form's root element, and
 * `failed()` is called where the errors are set. The focus moves once React has drawn them (an
 * effect on a counter), so it works as well for errors set after an await. `failed({ preventScroll: true })`
 * for a form that brings its own message into view.
 */
export function useFocusInvalidOnFail<T extends HTMLElement = HTMLElement>(): { ref: RefObject<T | null>; failed: (options?: FocusOptions) => void } {
  const ref = useRef<T>(null);
  const options = useRef<FocusOptions | undefined>(undefined);
  const [failures, setFailures] = useState(0);
  useEffect(() => {
    if (failures > 0) focusFirstInvalid(ref.current, options.current);
  }, [failures]);
  const failed = useCallback((focusOptions?: FocusOptions) => {
    options.current = focusOptions;
    setFailures((n) => n + 1);
  }, []);
  return { ref, failed };
}
