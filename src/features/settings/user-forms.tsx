/**
 * 「職員を追加」, 「パスフレーズを変更」 and 「この端末から削除」. All need the current user's passphrase
 * again: an unlocked phone left on a desk must not be enough to enrol someone, take over the
 * account, or lock a colleague out.
 */
import { useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';
import { useApp } from '../../state/store';
import { MAX_DISPLAY_NAME, toVaultError, vaultErrorMessage } from '../../vault/errors';
import { currentPassphraseRejection } from './passphrase-words';
import { Button } from '../../ui/button';
import { TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice } from '../../ui/layout';
import {
  newPassphraseErrors,
  NewPassphraseFields,
  PassphraseWarning,
  SecretField,
  type NewPassphraseErrors,
} from '../../ui/passphrase';
import { Busy } from '../../ui/status';
import type { VaultUser } from '../../vault/types';
import { T } from './text';
import { tellRemoved, tellUsersChanged } from '../../state/lock-channel';
import { forgetCaseOffice } from '../../state/case-office';
import { forgetLiaison } from '../../state/liaison-hint';

interface FormErrors extends NewPassphraseErrors {
  readonly current?: string;
  readonly name?: string;
  readonly form?: string;
}

/** Maps a vault rejection to the field it concerns. */
function rejectionErrors(err: unknown): FormErrors {
  const e = toVaultError(err);
  if (e.code === 'wrong-passphrase' || e.code === 'throttled') return { current: currentPassphraseRejection(e) };
  if (e.code === 'weak-passphrase' || e.code === 'same-passphrase' || e.code === 'unchanged-passphrase') return { passphrase: vaultErrorMessage(e.code) };
  return { form: vaultErrorMessage(e.code) };
}

export function AddUserForm({ onDone, onCancel }: { onDone: (displayName: string) => void; onCancel: () => void }) {
  const session = useApp((s) => s.session);
  const users = useApp((s) => s.users);
  const refreshUsers = useApp((s) => s.refreshUsers);
  const joined = useStore(syncStatus, (s) => s.joined);
  const [current, setCurrent] = useState('');
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    const displayName = name.trim();
    const next: FormErrors = {
      ...(current ? {} : { current: T.currentRequired }),
      ...(displayName ? {} : { name: T.nameRequired }),
      ...(displayName.length > MAX_DISPLAY_NAME ? { name: T.nameTooLong(MAX_DISPLAY_NAME) } : {}),
      ...(users.some((u) => u.displayName === displayName) ? { name: T.nameTaken } : {}),
      ...newPassphraseErrors(passphrase, confirmation),
      ...(passphrase.length > 0 && passphrase === current ? { passphrase: vaultErrorMessage('same-passphrase') } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      await session.addUser(current, displayName, passphrase);
      useApp.getState().accessLogged();
      // the other tabs' lock screens list them too
      tellUsersChanged();
      await refreshUsers().catch(() => undefined);
      onDone(displayName);
    } catch (err) {
      setErrors(rejectionErrors(err));
      failed();
      setBusy(false);
    }
  };

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="add-user-title">
      <h3 id="add-user-title">{T.addUserTitle}</h3>
      {joined ? <Notice kind="info">{T.addUserJoined}</Notice> : null}
      <SecretField
        label={T.currentPassphraseForAdd}
        autoFocus
        value={current}
        error={errors.current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <TextField label={T.newUserName} autoComplete="off" value={name} error={errors.name} onChange={(e) => setName(e.target.value)} />
      <NewPassphraseFields
        label={T.newUserPassphrase}
        confirmationLabel={T.newUserPassphraseConfirm}
        passphrase={passphrase}
        confirmation={confirmation}
        onPassphrase={setPassphrase}
        onConfirmation={setConfirmation}
        errors={errors}
      />
      <PassphraseWarning acknowledged={acknowledged} onChange={setAcknowledged} />
      <FormFooter error={errors.form} busy={busy} submitLabel={T.addUserSubmit} canSubmit={acknowledged} onCancel={onCancel} />
    </form>
  );
}

export interface ChangePassphraseFormProps {
  readonly onDone: () => void;
  readonly onCancel: () => void;
  /**
   * The change an added person makes at their first unlock (src/app: its screen's heading names
   * it): the current passphrase is the one they received, and the form has no heading of its own.
   */
  readonly received?: boolean;
  /** what the cancel button says where it does more than close the form (ロック) */
  readonly cancelLabel?: string;
}

export function ChangePassphraseForm({ onDone, onCancel, received = false, cancelLabel }: ChangePassphraseFormProps) {
  const session = useApp((s) => s.session);
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    const next: FormErrors = {
      ...(current ? {} : { current: received ? T.receivedRequired : T.currentRequired }),
      ...newPassphraseErrors(passphrase, confirmation),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      await session.changePassphrase(current, passphrase);
      useApp.getState().accessLogged();
      onDone();
    } catch (err) {
      setErrors(rejectionErrors(err));
      failed();
      setBusy(false);
    }
  };

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)} aria-labelledby={received ? undefined : 'change-passphrase-title'}>
      {received ? null : <h3 id="change-passphrase-title">{T.changePassphraseTitle}</h3>}
      <SecretField
        label={received ? T.receivedPassphrase : T.currentPassphrase}
        autoFocus
        value={current}
        error={errors.current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <NewPassphraseFields
        label={T.newPassphrase}
        confirmationLabel={T.newPassphraseConfirm}
        passphrase={passphrase}
        confirmation={confirmation}
        onPassphrase={setPassphrase}
        onConfirmation={setConfirmation}
        errors={errors}
      />
      <PassphraseWarning acknowledged={acknowledged} onChange={setAcknowledged} />
      <FormFooter error={errors.form} busy={busy} submitLabel={T.changeSubmit} canSubmit={acknowledged} onCancel={onCancel} cancelLabel={cancelLabel} />
    </form>
  );
}

/**
 * Takes another person off this phone: named, with what it does in plain words, after the current
 * user's passphrase. Their unsent records stay queued and are sent (Session.removeUser).
 */
export function RemoveUserForm({ user, onDone, onCancel }: { user: VaultUser; onDone: (displayName: string) => void; onCancel: () => void }) {
  const session = useApp((s) => s.session);
  const refreshUsers = useApp((s) => s.refreshUsers);
  const [current, setCurrent] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) return;
    const next: FormErrors = current ? {} : { current: T.currentRequired };
    setErrors(next);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      await session.removeUser(current, user.id);
      useApp.getState().accessLogged();
      forgetCaseOffice(user.id);
      forgetLiaison(user.id);
      // A tab they hold unlocked elsewhere in this browser locks now (lock-tabs.ts).
      tellRemoved(user.id);
      await refreshUsers().catch(() => undefined);
      onDone(user.displayName);
    } catch (err) {
      setErrors(rejectionErrors(err));
      failed();
      setBusy(false);
    }
  };

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="remove-user-title" aria-describedby="remove-user-what">
      <h3 id="remove-user-title">{T.removeUserTitle(user.displayName)}</h3>
      <p id="remove-user-what">{T.removeUserWhat}</p>
      <SecretField
        label={T.currentPassphraseForRemove}
        autoFocus
        value={current}
        error={errors.current}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <FormFooter error={errors.form} busy={busy} submitLabel={T.removeUserSubmit} canSubmit onCancel={onCancel} />
    </form>
  );
}

/** What the passphrase forms end with: the form-level error, progress while deriving keys, submit and cancel. */
function FormFooter({
  error,
  busy,
  submitLabel,
  canSubmit,
  onCancel,
  cancelLabel = T.cancel,
}: {
  error: string | undefined;
  busy: boolean;
  submitLabel: string;
  canSubmit: boolean;
  onCancel: () => void;
  cancelLabel?: string | undefined;
}) {
  return (
    <>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {busy ? <Busy>{T.working}</Busy> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={!canSubmit || busy}>
          {submitLabel}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {cancelLabel}
        </Button>
      </div>
    </>
  );
}
