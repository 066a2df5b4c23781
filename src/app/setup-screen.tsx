/**
 * First run: the first user's 表示名 and passphrase. The passphrase is the only key to this
 * device's data, so the warning is plain and must be acknowledged before the button enables.
 * A phone whose data the browser deleted lands here too: it is told so first (dataMissing).
 */
import { useState, type FormEvent } from 'react';
import { SetupHomeScreenWarning } from '../features/settings/home-screen-warning';
import { MAX_DISPLAY_NAME, toVaultError, vaultErrorMessage } from '../vault/errors';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { useFocusInvalidOnFail } from '../ui/focus-invalid';
import { Notice } from '../ui/layout';
import { newPassphraseErrors, NewPassphraseFields, PassphraseWarning, type NewPassphraseErrors } from '../ui/passphrase';
import { Busy } from '../ui/status';
import { Gate } from './gate';
import { appShell, householdsScreen } from './screens';
import { useApp } from '../state/store';
import { T } from './text';

interface SetupErrors extends NewPassphraseErrors {
  readonly name?: string;
  readonly form?: string;
}

export function SetupScreen() {
  const setUp = useApp((s) => s.setUp);
  const dataMissing = useApp((s) => s.dataMissing);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<SetupErrors>({});
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  // The app behind this screen is fetched once someone starts filling it in, not with the page: a
  // first visit paints this screen without it.
  const warmUp = () => {
    appShell.preload().catch(() => undefined);
    householdsScreen.preload().catch(() => undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const displayName = name.trim();
    const next: SetupErrors = {
      ...(displayName ? {} : { name: T.displayNameRequired }),
      ...(displayName.length > MAX_DISPLAY_NAME ? { name: T.displayNameTooLong(MAX_DISPLAY_NAME) } : {}),
      ...newPassphraseErrors(passphrase, confirmation),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      // Set up means unlocked: the shell that opens next asks the browser to protect the data from
      // eviction, as every later unlock does (StorageProtectionBanner; Android grants it once installed).
      await setUp(displayName, passphrase);
    } catch (err) {
      const code = toVaultError(err).code;
      setErrors(code === 'weak-passphrase' ? { passphrase: vaultErrorMessage(code) } : { form: vaultErrorMessage(code) });
      if (code === 'weak-passphrase') failed();
      setBusy(false);
    }
  };

  return (
    <Gate title={T.setupTitle}>
      {/* first: the records, the 閲覧記録 and the unsent changes are gone, and someone must be told */}
      {dataMissing ? <Notice kind="error">{T.setupDataMissing}</Notice> : null}
      {/* before anything is typed: on iOS what is entered here would stay behind in Safari */}
      <SetupHomeScreenWarning />
      <p>{T.setupIntro}</p>
      <form ref={ref} autoComplete="off" noValidate onFocus={warmUp} onSubmit={(e) => void submit(e)}>
        <TextField
          label={T.displayName}
          value={name}
          hint={T.displayNameHint}
          error={errors.name}
          readOnly={busy}
          onChange={(e) => setName(e.target.value)}
        />
        <NewPassphraseFields
          passphrase={passphrase}
          confirmation={confirmation}
          onPassphrase={setPassphrase}
          onConfirmation={setConfirmation}
          errors={errors}
        />
        <PassphraseWarning acknowledged={acknowledged} onChange={setAcknowledged} />
        {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
        {busy ? <Busy>{T.settingUp}</Busy> : null}
        <div className="gate__actions">
          <Button type="submit" variant="primary" className="btn--block" disabled={!acknowledged || busy}>
            {T.start}
          </Button>
        </div>
      </form>
    </Gate>
  );
}
