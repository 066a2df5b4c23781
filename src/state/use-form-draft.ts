/**
 * Autosaves an open form (any feature's) as an encrypted draft (VaultSession.saveDraft) ~500 ms after the last change,
 * and right away before the app locks or the page is hidden (the dialer opened by a tap-to-call, the home button, the
 * app switcher: a phone may kill a hidden page without warning), so an hour-long interview survives a lock or a closed tab.
 * While the form differs from the saved record it is marked unsaved, so an app update waits.
 * A new record's form holds its draft against the app's other tabs while it is open (useNewRecordDraftKey).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApp } from './store';
import { personalDraftKey } from '../vault/drafts';

const DEBOUNCE_MS = 500;

/**
 * Each draft's last write under way, by key: a new record's form that closes lets its draft go to
 * another tab only once the write its closing started has landed (useNewRecordDraftKey).
 */
const lastWrites = new Map<string, Promise<unknown>>();

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
    const landed = write.catch(() => undefined);
    writing.current = landed;
    lastWrites.set(key, landed);
    void landed.then(() => {
      if (lastWrites.get(key) === landed) lastWrites.delete(key);
    });
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

/**
 * The Web Locks a new record's form holds on its draft while it is open, across the app's tabs and
 * windows on this device. Old browsers and jsdom have none: there, every new form of a kind shares
 * one draft, as before.
 */
interface DraftLocks {
  request(name: string, options: { ifAvailable: boolean }, callback: (lock: unknown) => Promise<void> | undefined): Promise<void>;
}
const draftLocks = (): DraftLocks | undefined => (globalThis.navigator as { locks?: DraftLocks } | undefined)?.locks;
const lockName = (key: string) => `kyoten-draft:${key}`;

/** Claims in this tab go one at a time, so a form opened again at once finds its own claim let go first. */
let claiming: Promise<unknown> = Promise.resolve();
/** Claims this tab has let go, until the browser has released them. */
const lettingGo = new Map<string, Promise<unknown>>();

type Release = () => void;

/** Holds the draft `key` for this form, or null when another tab's form holds it. */
async function claimDraft(locks: DraftLocks, key: string): Promise<Release | null> {
  await lettingGo.get(key);
  return new Promise((answer) => {
    let letGo: () => void = () => undefined;
    const kept = new Promise<void>((done) => (letGo = done));
    const held: Promise<void> = locks.request(lockName(key), { ifAvailable: true }, (lock) => {
      if (lock === null) {
        answer(null);
        return undefined;
      }
      answer(() => {
        const released = held.catch(() => undefined);
        lettingGo.set(key, released);
        void released.then(() => {
          if (lettingGo.get(key) === released) lettingGo.delete(key);
        });
        // After the closing form's last autosave, which starts in its own cleanup, right after this one.
        queueMicrotask(() => void (lastWrites.get(key) ?? Promise.resolve()).then(letGo));
      });
      return kept;
    });
    held.catch(() => answer(null));
  });
}

/**
 * True for the draft keys of `kind`'s new records for the person unlocked: `<kind>:new` and those a
 * second new form took (`<kind>:new-<uuid>`), each with their user id (personalDraftKey).
 */
export function isNewRecordDraftKey(kind: string, userId: string | undefined): (key: string) => boolean {
  const own = personalDraftKey(`${kind}:new`, userId);
  const person = own.slice(`${kind}:new`.length);
  const more = `${kind}:new-`;
  return (key) => key === own || (key.startsWith(more) && key.endsWith(person) && !key.slice(more.length, key.length - person.length).includes(':'));
}

/**
 * The draft key of a form for a new record of `kind` (a household's 聞き取り票, a facility), held
 * for this form while it is open: two new forms in two tabs shared one draft, so one family's
 * interview was written over by the other's, and both saved as one household. A form that finds
 * the draft taken by another tab's form resumes another of this person's unsaved new drafts, or
 * starts blank under a key of its own. Null until claimed, and for a form editing a saved record
 * (`active` false), whose draft is the record's.
 */
export function useNewRecordDraftKey(kind: string, userId: string | undefined, active = true): string | null {
  const base = personalDraftKey(`${kind}:new`, userId);
  const locks = draftLocks();
  const [claimed, setClaimed] = useState<{ readonly base: string; readonly key: string } | null>(null);
  useEffect(() => {
    if (!active || locks === undefined) return;
    let live = true;
    let release: Release | undefined;
    const turn = claiming
      .then(() => claimFirstFree(locks, kind, userId))
      .then((got) => {
        if (!live) return got.release?.();
        release = got.release;
        setClaimed({ base, key: got.key });
      });
    claiming = turn.catch(() => undefined);
    return () => {
      live = false;
      release?.();
    };
  }, [active, locks, kind, userId, base]);
  if (!active) return null;
  if (locks === undefined) return base;
  return claimed?.base === base ? claimed.key : null;
}

/**
 * An unsaved new draft first (the form's own key's, then any other of this person's), so none is
 * left behind with no form to resume it; then the form's own key; then a key of its own.
 */
async function claimFirstFree(locks: DraftLocks, kind: string, userId: string | undefined): Promise<{ key: string; release?: Release }> {
  const base = personalDraftKey(`${kind}:new`, userId);
  const kept = ((await useApp.getState().session?.listDraftKeys().catch(() => undefined)) ?? []).filter(isNewRecordDraftKey(kind, userId)).sort();
  const tries = new Set([...kept.filter((k) => k === base), ...kept, base]);
  for (const key of tries) {
    const release = await claimDraft(locks, key);
    if (release) return { key, release };
  }
  const own = personalDraftKey(`${kind}:new-${globalThis.crypto.randomUUID()}`, userId);
  return { key: own, release: (await claimDraft(locks, own)) ?? undefined };
}
