/**
 * Where the focus goes when the control that held it leaves the screen: a call's result buttons go
 * once the result is written, 「入所を記録」 is replaced by its panel, 「対応を終了」 by 「対応を再開」.
 * The browser then puts the focus on <body>, and a screen reader's or a keyboard's user starts again
 * from the top of the page, hunting for where they were.
 *
 * `refocusWhenLost` waits (a few frames at most) for the control focused now to leave, then puts the
 * focus on `target()`, but only if it was lost: a tap on anything else meanwhile is left alone.
 */
import { useState } from 'react';

const FOCUSABLE = 'a[href],button,input,select,textarea,summary,[tabindex]';
const MAX_FRAMES = 30;

export function refocusWhenLost(target: () => Element | null | undefined): void {
  const from = document.activeElement;
  let frames = 0;
  const step = () => {
    frames += 1;
    const active = document.activeElement;
    const lost = active === null || active === document.body;
    const el = lost ? target() : null;
    if (el instanceof HTMLElement) {
      // a line of text takes the focus only when sent there (it is not a stop for Tab)
      if (!el.matches(FOCUSABLE)) el.tabIndex = -1;
      el.focus({ preventScroll: true });
      return;
    }
    // still on the control (the screen not yet drawn again), or the target not there yet
    const waiting = lost || (active === from && from !== null);
    if (waiting && frames < MAX_FRAMES) requestAnimationFrame(step);
  };
  requestAnimationFrame(step);
}

const FIELD = 'input:not([type=hidden]), select, textarea';

/**
 * A button that opens a form in its place (連絡を記録（手入力）, 対応結果を記録, 退所を記録): `opened` puts
 * the focus on the form's first field once it is drawn, `closed` back on the button once the form
 * is saved or given up. The two are found by `key`, in data-opens on the button and data-form on the form.
 */
export const swapFocus = {
  opened(key: string): void {
    refocusWhenLost(() => document.querySelector(`[data-form="${key}"]`)?.querySelector(FIELD));
  },
  closed(key: string): void {
    refocusWhenLost(() => document.querySelector(`[data-opens="${key}"]`));
  },
};

/**
 * A form shown in its button's place, with the focus swapped as `swapFocus` does: `show` and `hide`
 * open and close it (from a tap), `setShown` without moving the focus (a draft reopened after an
 * unlock). Spread `opener` on the button; the form carries `data-form` with the same key.
 */
export function useFormInPlace(key: string) {
  const [shown, setShown] = useState(false);
  return {
    shown,
    setShown,
    show: () => {
      setShown(true);
      swapFocus.opened(key);
    },
    hide: () => {
      setShown(false);
      swapFocus.closed(key);
    },
    opener: { 'data-opens': key },
  };
}
