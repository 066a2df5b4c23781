/**
 * Autosaves an open form (any feature's) as an encrypted draft (VaultSession.saveDraft) ~500 ms after the last change,
 * and right away before the app locks or the page is hidden (the dialer opened by a tap-to-call, the home button, the
 * app switcher: a phone may kill a hidden page without warning), so an hour-long interview survives a lock or a closed tab.
 * While the form differs from the saved record it is marked unsaved, so an app update waits.
 */
import { useCallback, useEffect, useRef } from 'react';
import { useApp } from './store';

const DEBOUNCE_MS = 500;

export function useFormDraft<F>(key: string, form: F | null, dirty: boolean) {
  const session = useApp((s) => s.session);
  const markUnsaved = useApp((s) => s.markUnsaved);
  const markDraftFailing = useApp((s) => s.markDraftFailing);
  const onBeforeLock = useApp((s) => s.onBeforeLock);
  const latest = useRef({ form, dirty });
  latest.current = { form, dirty };
  /** set once the form is saved or abandoned: no later write may resurrect the draft */
  const closed = useRef(false);
  /** set when the form leaves the screen: its last write failing has nothing left to warn about */
  const gone = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** the draft write under way, so finish() can delete after it rather than before it lands */
  const writing = useRef<Promise<unknown>>(Promise.resolve());

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const { form: current, dirty: changed } = latest.current;
    if (closed.current || !current || !session || session.isLocked) return;
    const write = changed ? session.saveDraft(key, current) : session.deleteDraft(key);
    writing.current = write.catch(() => undefined);
    try {
      await write;
      markDraftFailing(key, false);
    } catch (e) {
      // said in the app's bar (a lock would lose the text), unless the lock itself cut the write off,
      // or the form is gone (saved, abandoned, left): no form is left to save first
      if (!session.isLocked && !gone.current && !closed.current) markDraftFailing(key, true);
      throw e;
    }
  }, [key, session, markDraftFailing]);

  useEffect(() => {
    if (!form) return;
    clearTimeout(timer.current);
    // A draft that cannot be written (storage full) must not interrupt typing; saving the form reports it.
    timer.current = setTimeout(() => void flush().catch(() => undefined), DEBOUNCE_MS);
  }, [form, flush]);

  const ready = form !== null;
  useEffect(() => {
    if (ready) markUnsaved(key, dirty);
  }, [key, dirty, ready, markUnsaved]);

  // A form with nothing unsaved loses nothing when its write fails (a draft deleted late): the lock
  // screen's 「入力し直してください」 is for text that was lost.
  useEffect(() => onBeforeLock(() => flush().catch((e: unknown) => {
    if (latest.current.dirty) throw e;
  })), [onBeforeLock, flush]);

  useEffect(() => {
    // Only what the debounce still holds: what is already written is not written again at every switch.
    const hidden = () => {
      if (document.visibilityState === 'hidden' && timer.current !== undefined) void flush().catch(() => undefined);
    };
    const gone = () => {
      if (timer.current !== undefined) void flush().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', hidden);
    window.addEventListener('pagehide', gone);
    return () => {
      document.removeEventListener('visibilitychange', hidden);
      window.removeEventListener('pagehide', gone);
    };
  }, [flush]);

  useEffect(
    () => () => {
      gone.current = true;
      void flush().catch(() => undefined);
      markUnsaved(key, false);
      markDraftFailing(key, false);
    },
    [key, flush, markUnsaved, markDraftFailing],
  );

  /** After a successful save or an explicit discard: stop autosaving and remove the draft. */
  const finish = useCallback(async () => {
    closed.current = true;
    clearTimeout(timer.current);
    markUnsaved(key, false);
    markDraftFailing(key, false);
    // An autosave that started before the save must land first, or it would bring the draft back.
    await writing.current;
    await session?.deleteDraft(key).catch(() => undefined);
  }, [key, session, markUnsaved]);

  /**
   * Before a save that deletes the draft in its own transaction (VaultSession.append's dropDraft):
   * no autosave, nor the lock's, writes the draft again from now on, and one under way lands first.
   * Returns the way back for a save that failed: the form is kept, and autosaved, as before.
   */
  const hold = useCallback(async () => {
    closed.current = true;
    clearTimeout(timer.current);
    await writing.current;
    return () => {
      closed.current = false;
    };
  }, []);

  /** Throw the draft away but keep editing (the restored notice's 「破棄」). */
  const discard = useCallback(async () => {
    clearTimeout(timer.current);
    await writing.current;
    await session?.deleteDraft(key).catch(() => undefined);
  }, [key, session]);

  return { flush, finish, discard, hold };
}
