import { useEffect, useRef } from 'react';
import { Button } from '../../ui/button';
import { Notice } from '../../ui/layout';
import { bringIntoView } from '../../ui/scroll';

/**
 * The rules' messages for a refused entry, beside the form that sent it, brought into view when
 * they appear: the case start's 「記録を開始」 is pinned at the bottom of the screen, and a message
 * drawn under the last field at 360 px showed nothing for the tap (「要請の内容の区分を選んでください」).
 */
export function EntryErrors({ errors, id }: { errors: readonly string[]; id?: string }) {
  const box = useRef<HTMLDivElement>(null);
  // each refusal (a new list: the same words again after another tap too) is brought into view,
  // at once for a user who asked the system for less motion
  useEffect(() => {
    if (errors.length > 0) bringIntoView(box.current);
  }, [errors]);
  if (errors.length === 0) return null;
  return (
    <div ref={box} id={id}>
      <Notice kind="error">
        <ul className="case-errors">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      </Notice>
    </div>
  );
}

/**
 * The foot of a case's sub-form (a call typed by hand, an outcome, a 退所): the rules' messages,
 * then its way out (`cancel`, which asks when something was typed: useCancelAsking) and 記録する.
 */
export function SubformFoot({ errors, busy, cancel, words }: { errors: readonly string[]; busy: boolean; cancel: () => void; words: { readonly cancel: string; readonly save: string; readonly saving: string } }) {
  return (
    <>
      <EntryErrors errors={errors} />
      <div className="case-form__actions">
        <Button onClick={cancel}>{words.cancel}</Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? words.saving : words.save}
        </Button>
      </div>
    </>
  );
}
