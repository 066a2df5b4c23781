/**
 * ロック中: pick who is holding the phone (the hub phone passes between coordinators), type the
 * passphrase, 「解錠」. A wrong passphrase says so beside the field and changes nothing else;
 * after repeated failures the vault refuses until `retryAt`, and the button waits with a countdown.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { toVaultError, vaultErrorMessage } from '../vault/errors';
import type { VaultUser } from '../vault/types';
import { Button } from '../ui/button';
import { useFocusInvalidOnFail } from '../ui/focus-invalid';
import { Notice } from '../ui/layout';
import { SecretField } from '../ui/passphrase';
import { Busy } from '../ui/status';
import { Gate } from './gate';
import { useApp } from '../state/store';
import { T } from './text';
import { appShell, householdsScreen } from './screens';

const LAST_USER_KEY = 'kyoten:last-user';
const FORGOT_HELP_AFTER = 5;

function initialUserId(users: readonly VaultUser[]): string {
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_USER_KEY);
  } catch {
    // Storage blocked: fall back to the first user.
  }
  return users.find((u) => u.id === last)?.id ?? users[0]?.id ?? '';
}

function rememberUser(userId: string): void {
  try {
    localStorage.setItem(LAST_USER_KEY, userId);
  } catch {
    // Only a convenience.
  }
}

/** Whole seconds until `retryAt` (epoch ms), ticking once a second; 0 when not throttled. */
function useSecondsUntil(retryAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (retryAt === null) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, [retryAt]);
  return retryAt === null ? 0 : Math.max(0, Math.ceil((retryAt - now) / 1000));
}

export function LockScreen() {
  useEffect(() => {
    // Fetch the app and its first screen while the passphrase is typed; a failure here is retried by React.lazy.
    appShell.preload().catch(() => undefined);
    householdsScreen.preload().catch(() => undefined);
  }, []);
  const users = useApp((s) => s.users);
  const vault = useApp((s) => s.vault);
  const phase = useApp((s) => s.phase);
  const lockedBy = useApp((s) => s.lockedBy);
  const lockLostDrafts = useApp((s) => s.lockLostDrafts);
  const unlock = useApp((s) => s.unlock);

  const [userId, setUserId] = useState(() => initialUserId(users));
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [retryAt, setRetryAt] = useState<number | null>(null);
  /** wrong passphrases in a row for the chosen user (the vault counts them) */
  const [failures, setFailures] = useState(0);
  const secondsLeft = useSecondsUntil(retryAt);
  const inputRef = useRef<HTMLInputElement>(null);
  // Focus goes to the passphrase once its error is drawn; if it is there already, the error is announced.
  const { ref: formRef, failed } = useFocusInvalidOnFail<HTMLFormElement>();
  const busy = phase === 'unlocking';
  const throttled = secondsLeft > 0;

  // At a handover, the screen says how many changes still wait to go to the hub (a count, nothing decrypted).
  const [pending, setPending] = useState({ changes: 0, accessLog: 0, refused: 0 });
  useEffect(() => {
    if (!vault) return;
    let live = true;
    const count = () =>
      void vault
        .waiting()
        .then((w) => live && setPending(w.joined ? { changes: w.pending - w.accessLog, accessLog: w.accessLog, refused: w.refused } : { changes: 0, accessLog: 0, refused: 0 }))
        .catch(() => undefined);
    count();
    // Counted again when the screen comes back into view: a lock screen left in another tab kept the
    // count of when it locked, and said nothing waited while the day's changes did.
    const again = () => {
      if (document.visibilityState === 'visible') count();
    };
    document.addEventListener('visibilitychange', again);
    window.addEventListener('focus', again);
    return () => {
      live = false;
      document.removeEventListener('visibilitychange', again);
      window.removeEventListener('focus', again);
    };
  }, [vault, lockedBy]);

  // The person chosen was taken off the phone meanwhile (another tab, the hub's stop, A10): the
  // choice moves to someone who can still unlock it, not to a name the list no longer shows.
  useEffect(() => {
    if (users.length > 0 && !users.some((u) => u.id === userId)) setUserId(initialUserId(users));
  }, [users, userId]);

  // Each user has their own failure count: ask the vault whenever the chosen user changes.
  useEffect(() => {
    if (!vault || !userId) return;
    let live = true;
    vault
      .throttle(userId)
      .then((t) => {
        if (!live) return;
        setRetryAt(t.retryAt ? Date.parse(t.retryAt) : null);
        setFailures(t.failures);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [vault, userId]);

  // An arrow key walks the list of staff (the radios' own keys): the focus stays on the list until a
  // name is chosen by a tap, a click or Space, which takes it on to the passphrase.
  const walking = useRef(false);
  const chooseUser = (id: string) => {
    setUserId(id);
    setPassphrase('');
    setError(undefined);
    if (!walking.current) inputRef.current?.focus();
    walking.current = false;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || throttled || !userId) return;
    if (!passphrase) {
      setError(T.passphraseRequired);
      failed();
      return;
    }
    setError(undefined);
    try {
      await unlock(userId, passphrase);
      rememberUser(userId);
    } catch (err) {
      const ve = toVaultError(err);
      // A phone handed over at 18:00 still shows the last person: say whose passphrase was asked for.
      if (ve.code === 'wrong-passphrase') setError(users.length > 1 ? T.wrongPassphraseOf(users.find((u) => u.id === userId)?.displayName ?? '') : T.wrongPassphrase);
      // the lock screen has no 再試行: the next 解錠 opens the database again
      else if (ve.code === 'connection-lost') setError(T.unlockConnectionLost);
      else if (ve.code !== 'throttled') setError(vaultErrorMessage(ve.code));
      if (ve.code === 'throttled' && ve.retryAt) setRetryAt(Date.parse(ve.retryAt));
      else if (vault) {
        const t = await vault.throttle(userId).catch(() => null);
        if (t) {
          setRetryAt(t.retryAt ? Date.parse(t.retryAt) : null);
          setFailures(t.failures);
        }
      }
      inputRef.current?.select();
      // throttled: no error beside the field (the notice says it), focus goes back to it as before
      if (ve.code === 'throttled') inputRef.current?.focus();
      else failed();
    }
  };

  const chosen = users.find((u) => u.id === userId);

  return (
    <Gate title={T.lockTitle}>
      {lockedBy === 'idle' ? <Notice kind="info">{T.idleLocked}</Notice> : null}
      {lockedBy === 'clock-put-back' ? <Notice kind="info">{T.clockPutBackLocked}</Notice> : null}
      {lockedBy === 'elsewhere' ? <Notice kind="info">{T.elsewhereLocked}</Notice> : null}
      {lockedBy === 'passphrase-changed' ? <Notice kind="info">{T.passphraseChangedLocked}</Notice> : null}
      {lockedBy === 'removed' ? <Notice kind="info">{T.removedLocked}</Notice> : null}
      {lockLostDrafts ? <Notice kind="warn">{T.lockLostDrafts}</Notice> : null}
      {users.length === 0 ? <Notice kind="error">{T.noUsers}</Notice> : null}
      {pending.changes + pending.accessLog > 0 ? <Notice kind="info">{T.lockPending(pending.changes, pending.accessLog)}</Notice> : null}
      {pending.refused > 0 ? <Notice kind="warn">{T.lockRefused(pending.refused)}</Notice> : null}
      <form ref={formRef} autoComplete="off" noValidate onSubmit={(e) => void submit(e)}>
        {users.length > 1 ? (
          <fieldset className="field users" onKeyDown={(e) => (walking.current = e.key.startsWith('Arrow'))}>
            <legend className="field__label">{T.chooseUser}</legend>
            <div className="users__list">
              {users.map((u) => (
                <label key={u.id} className="user-option">
                  <input
                    type="radio"
                    name="user"
                    value={u.id}
                    checked={u.id === userId}
                    disabled={busy}
                    onChange={() => chooseUser(u.id)}
                  />
                  <span>{u.displayName}</span>
                </label>
              ))}
            </div>
          </fieldset>
        ) : chosen ? (
          <p>
            {T.chooseUser}：<strong>{chosen.displayName}</strong>
          </p>
        ) : null}
        <p className="muted">{T.lockIntro}</p>
        <SecretField
          ref={inputRef}
          label={T.passphrase}
          autoFocus
          enterKeyHint="go"
          value={passphrase}
          error={error}
          readOnly={busy}
          onChange={(e) => {
            setPassphrase(e.target.value);
            if (error) setError(undefined);
          }}
        />
        {throttled ? (
          <div className="notice notice--warn" role="status">
            <div className="notice__text">
              {T.throttled}
              <br />
              <span role="timer" aria-live="off">
                {T.throttledWait(secondsLeft)}
              </span>
            </div>
          </div>
        ) : null}
        {failures > 0 ? <p className="muted">{T.failedCount(failures)}</p> : null}
        {/* After five, the plain word on what to do when the passphrase is lost. */}
        {failures >= FORGOT_HELP_AFTER ? <Notice kind="info">{T.forgotHelp}</Notice> : null}
        {busy ? <Busy>{T.unlocking}</Busy> : null}
        <div className="gate__actions">
          <Button type="submit" variant="primary" className="btn--block" disabled={busy || throttled || !userId}>
            {T.unlock}
          </Button>
        </div>
      </form>
    </Gate>
  );
}
