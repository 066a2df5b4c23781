/**
 * Drafts for the small forms that open and close within a screen (a case's call note, outcome and
 * corrections, a household's 登録廃止): the form's state with its encrypted draft, reopening after
 * an unlock, and the 「復元しました」 notice. The big forms (household, facility) use
 * use-form-draft.ts directly.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/dialog';
import { Notice } from '../ui/layout';
import { useApp } from './store';
import { T } from './text';
import { useFormDraft } from './use-form-draft';
import { personalDraftKey } from '../vault/drafts';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A small form (a call note, a correction, a 登録廃止) kept as an encrypted draft (useFormDraft)
 * under `key`, so a lock in the middle of a call does not lose what was typed and an app update
 * waits while it is unsaved. `baseline` is the
 * form with nothing typed; a stored draft, read once on open, replaces it unless typing has begun.
 * Drafts hold only text not yet written: a written entry is never changed, only corrected.
 * A null key keeps no draft (the form is not open).
 * `keeps` may refuse a stored draft that no longer holds (a bed count typed on an earlier night): it is
 * then deleted, not restored, and handed back as `dropped` for the form to say so.
 *
 * The draft is the unlocked person's (personalDraftKey): on the shared hub phone, a call note the
 * day coordinator left unsaved is not offered to the night one, whose 保存 would record it as
 * theirs in the evidence, signed and for good.
 */
export function useDraftedForm<F>(formKey: string | null, baseline: F, same: (a: F, b: F) => boolean = sameJson, keeps?: (draft: F) => boolean) {
  const session = useApp((s) => s.session);
  const key = useDraftKey(formKey);
  const [form, setFormState] = useState<F>(baseline);
  const [loaded, setLoaded] = useState(false);
  const [restored, setRestored] = useState(false);
  const [dropped, setDropped] = useState<F | null>(null);
  const typed = useRef(false);
  const setForm = useCallback((next: F) => {
    typed.current = true;
    setFormState(next);
  }, []);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    const read = session ? session.loadDraft<F>(key).catch(() => undefined) : Promise.resolve(undefined);
    void read.then((draft) => {
      if (!live) return;
      if (draft !== undefined && !typed.current && !same(draft, baseline)) {
        if (keeps === undefined || keeps(draft)) {
          typed.current = true;
          setFormState(draft);
          setRestored(true);
        } else {
          // nothing typed yet, so no autosave can write it back meanwhile
          void session?.deleteDraft(key).catch(() => undefined);
          setDropped(draft);
        }
      }
      setLoaded(true);
    });
    return () => {
      live = false;
    };
    // Once per open: a new baseline (another device's entry arriving) must not pull the draft back over typing.
  }, [key]);

  // Until something is typed, the form follows the record (the claim facts another device just recorded).
  useEffect(() => {
    if (!typed.current) setFormState(baseline);
  }, [baseline]);

  const dirty = !same(form, baseline);
  const draft = useFormDraft(key ?? 'case:none', key !== null && loaded ? form : null, dirty);
  const { discard: dropDraft } = draft;
  const discard = useCallback(async () => {
    await dropDraft();
    typed.current = false;
    setFormState(baseline);
    setRestored(false);
  }, [dropDraft, baseline]);
  const { hold, finish } = draft;
  /**
   * Saves with `write`, handed the draft's key to delete in the save's own transaction, then ends
   * the draft: a lock or a kill after the record is written must not bring the form back unsaved,
   * to be recorded a second time (its draft was deleted in a later step, and the lock's autosave
   * wrote it again). A save that fails keeps the form and its draft. Resolves with `write`'s answer.
   */
  const saveWith = useCallback(
    async (write: (draftKey: string | undefined) => Promise<boolean>): Promise<boolean> => {
      const release = await hold();
      const saved = await write(key ?? undefined).catch((e: unknown) => {
        release();
        throw e;
      });
      if (!saved) {
        release();
        return false;
      }
      await finish();
      return true;
    },
    [hold, finish, key],
  );
  return { form, setForm, dirty, restored, dropped, finish, discard, saveWith };
}

/**
 * キャンセル of a small form (やめる, and its dialog's Esc or Android's back, the native `cancel`):
 * with something typed (`dirty`), it asks 「入力内容を破棄しますか」 first, as the household form
 * does; a call's note or a 取消's reason went with one tap, its draft too, and nothing brings it
 * back. A form as it opened closes at once. 「入力を続ける」 (and Esc) goes back to the form, which
 * is the button a stray tap or Return lands on (first, so a dialog opened by showModal focuses it).
 * `close` runs once the draft is gone (`finish`). Render `question` beside the form, outside its
 * <form>, so its buttons and its Return are not the form's.
 */
export function useCancelAsking(dirty: boolean, finish: () => Promise<void>, close: () => void): { readonly cancel: () => void; readonly question: ReactNode } {
  const [asking, setAsking] = useState(false);
  const leave = async () => {
    await finish();
    close();
  };
  const cancel = () => {
    if (dirty) setAsking(true);
    else void leave();
  };
  const question = asking ? (
    <ConfirmDialog
      open
      title={T.discardTitle}
      confirmLabel={T.discardDraftConfirm}
      cancelLabel={T.keepTyping}
      danger
      onConfirm={() => {
        setAsking(false);
        void leave();
      }}
      onCancel={() => setAsking(false)}
    >
      <p>{T.discardBody}</p>
    </ConfirmDialog>
  ) : null;
  return { cancel, question };
}

/**
 * Calls `reopen` once when the form `key` was open with unsaved text as the app locked and the same
 * user has unlocked (store.takeResumedForm), and its draft is there: the form closed by the lock
 * opens again with its text. A later visit, or a colleague unlocking the shared phone, opens nothing;
 * the draft still comes back when the form is opened by hand.
 */
export function useReopenForDraft(formKey: string | null, reopen: () => void) {
  const session = useApp((s) => s.session);
  const key = useDraftKey(formKey);
  const latest = useRef(reopen);
  latest.current = reopen;
  useEffect(() => {
    if (key === null || !session || !useApp.getState().takeResumedForm(key)) return;
    // No cleanup flag: StrictMode's second effect run finds the key taken, and the first must still reopen.
    void session
      .listDraftKeys()
      .then((keys) => {
        if (keys.includes(key)) latest.current();
      })
      .catch(() => undefined);
  }, [key, session]);
}

/** The key a small form's draft is kept under for the person unlocked now. */
function useDraftKey(formKey: string | null): string | null {
  const userId = useApp((s) => s.session?.user.id);
  return formKey === null ? null : personalDraftKey(formKey, userId);
}

/**
 * 「保存していない入力を復元しました」 (or the form's own `message`) with 「破棄」, atop every form that
 * restores a draft. 「破棄」 asks first, as キャンセル does: the draft may be an hour's interview, and
 * once discarded nothing brings it back.
 */
export function DraftRestored({ onDiscard, message = T.draftRestored }: { onDiscard: () => void; message?: string }) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <Notice
        action={
          <Button variant="ghost" onClick={() => setConfirming(true)}>
            {T.discardDraft}
          </Button>
        }
      >
        {message}
      </Notice>
      <ConfirmDialog
        open={confirming}
        title={T.discardDraftTitle}
        confirmLabel={T.discardDraftConfirm}
        danger
        onConfirm={() => {
          setConfirming(false);
          onDiscard();
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>{T.discardDraftBody}</p>
      </ConfirmDialog>
    </>
  );
}
