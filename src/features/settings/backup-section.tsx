/**
 * バックアップ: the whole device's data as one encrypted file (download, after the current user
 * re-enters their unlock passphrase), and its restore on a new
 * device (file + passphrase, shown and confirmed before anything is written). Works offline: the file
 * is made and read on the device; nothing is sent anywhere. See src/vault/backup.ts and docs/security.md.
 */
import { useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { useApp } from '../../state/store';
import { formatJapanDateTime, formatJapanDateTimeCsv } from '../../domain/japan-time';
import { BACKUP_EXTENSION, inspectBackup, startsLikeBackup } from '../../vault/backup';
import { toVaultError, VaultError, vaultErrorMessage } from '../../vault/errors';
import type { BackupInfo } from '../../vault/types';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { TextField } from '../../ui/field';
import { announce } from '../../ui/announce';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { Notice, Section } from '../../ui/layout';
import { newPassphraseErrors, NewPassphraseFields, SecretField, type NewPassphraseErrors } from '../../ui/passphrase';
import { Busy } from '../../ui/status';
import { BT } from './backup-text';
import { currentPassphraseRejection } from './passphrase-words';
import { downloadBytes } from '../../ui/download';

/** `kyoten-backup-YYYYMMDD-HHmm.kyoten`, in Japan time whatever the device's zone. */
export function backupFileName(at: Date): string {
  // '2026-11-23 02:10' → '20261123-0210'
  const stamp = formatJapanDateTimeCsv(at).replaceAll('-', '').replace(' ', '-').replace(':', '');
  return `kyoten-backup-${stamp}${BACKUP_EXTENSION}`;
}

type Open = 'none' | 'export' | 'restore';

export function BackupSection() {
  const [open, setOpen] = useState<Open>('none');
  const [done, setDone] = useState<{ kind: 'ok' | 'warn'; text: string } | null>(null);

  const show = (which: Open) => {
    setOpen(which);
    setDone(null);
  };
  const finish = (kind: 'ok' | 'warn', text: string) => {
    setOpen('none');
    setDone({ kind, text });
  };

  return (
    <Section title={BT.title} id="settings-backup">
      <p className="muted">{BT.intro}</p>
      {done ? <Notice kind={done.kind}>{done.text}</Notice> : null}
      {open === 'export' ? (
        <ExportForm onCancel={() => show('none')} onDone={(fileName) => finish('ok', BT.created(fileName))} />
      ) : open === 'restore' ? (
        <RestoreForm onCancel={() => show('none')} onDone={finish} />
      ) : (
        <div className="form-actions">
          <Button variant="primary" className="btn--block" onClick={() => show('export')}>
            {BT.create}
          </Button>
          <Button className="btn--block" onClick={() => show('restore')}>
            {BT.restore}
          </Button>
        </div>
      )}
    </Section>
  );
}

interface ExportErrors extends NewPassphraseErrors {
  readonly current?: string;
  readonly form?: string;
}

/** Maps a vault rejection to the field it concerns (as user-forms.tsx does). */
function exportRejection(err: unknown): ExportErrors {
  const error = toVaultError(err);
  const code = error.code;
  if (code === 'wrong-passphrase' || code === 'throttled') return { current: currentPassphraseRejection(error) };
  if (code === 'weak-passphrase' || code === 'backup-same-passphrase') return { passphrase: vaultErrorMessage(code) };
  // the message names the record when one cannot be read ('backup-export-record')
  return { form: error.message };
}

/**
 * The file holds every household, so the current user proves it is them first (an unlocked phone
 * left on a desk is not enough), as for 「職員を追加」.
 */
function ExportForm({ onDone, onCancel }: { onDone: (fileName: string) => void; onCancel: () => void }) {
  const session = useApp((s) => s.session);
  const [current, setCurrent] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [acknowledged, setAcknowledged] = useState(false);
  const [errors, setErrors] = useState<ExportErrors>({});
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!session || busy) return;
    const next: ExportErrors = {
      ...(current ? {} : { current: BT.currentRequired }),
      ...newPassphraseErrors(passphrase, confirmation),
      ...(passphrase.length > 0 && passphrase.normalize('NFC') === current.normalize('NFC') ? { passphrase: vaultErrorMessage('backup-same-passphrase') } : {}),
    };
    setErrors(next);
    if (Object.keys(next).length > 0) {
      failed();
      return;
    }
    setBusy(true);
    try {
      const bytes = await session.exportBackup(current, passphrase);
      useApp.getState().accessLogged();
      const fileName = backupFileName(new Date());
      downloadBytes(bytes, fileName);
      onDone(fileName);
    } catch (err) {
      setErrors(exportRejection(err));
      failed();
      setBusy(false);
    }
  };

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={(e) => void submit(e)} aria-labelledby="backup-export-title">
      <h3 id="backup-export-title">{BT.createTitle}</h3>
      <SecretField
        label={BT.currentPassphrase}
        autoFocus
        value={current}
        hint={BT.currentPassphraseHint}
        error={errors.current}
        disabled={busy}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <NewPassphraseFields
        label={BT.passphrase}
        confirmationLabel={BT.passphraseConfirm}
        passphrase={passphrase}
        confirmation={confirmation}
        onPassphrase={setPassphrase}
        onConfirmation={setConfirmation}
        errors={errors}
      />
      <div className="warning-box">
        <p id="backup-export-warning">{BT.warning}</p>
        <label className="ack">
          <input
            type="checkbox"
            checked={acknowledged}
            aria-describedby="backup-export-warning"
            onChange={(e) => setAcknowledged(e.target.checked)}
          />
          <span>{BT.acknowledge}</span>
        </label>
      </div>
      {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
      {busy ? <Busy>{BT.creating}</Busy> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={!acknowledged || busy}>
          {busy ? BT.creating : BT.createSubmit}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {BT.cancel}
        </Button>
      </div>
    </form>
  );
}

interface RestoreErrors {
  readonly file?: string;
  readonly passphrase?: string;
  readonly form?: string;
}

function RestoreForm({ onDone, onCancel }: { onDone: (kind: 'ok' | 'warn', text: string) => void; onCancel: () => void }) {
  const session = useApp((s) => s.session);
  const reload = useApp((s) => s.reload);
  const [file, setFile] = useState<{ bytes: Uint8Array; info: BackupInfo } | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<RestoreErrors>({});
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const { ref, failed } = useFocusInvalidOnFail<HTMLFormElement>();
  // Each choice of a file, counted: a big first file still being read when a second is chosen
  // must not come back over it (the confirmation then showed, and restored, the first one).
  const choice = useRef(0);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const chosen = e.target.files?.[0];
    const mine = ++choice.current;
    const current = () => mine === choice.current;
    setFile(null);
    setErrors({});
    if (!chosen) return;
    try {
      // Refused on its first byte before the phone reads the whole of it into memory.
      if (!startsLikeBackup(new Uint8Array(await chosen.slice(0, 1).arrayBuffer()))) throw new VaultError('backup-invalid', { detail: 'no backup header' });
      const bytes = new Uint8Array(await chosen.arrayBuffer());
      const info = await inspectBackup(bytes);
      if (current()) setFile({ bytes, info });
    } catch (err) {
      if (!current()) return;
      const error = toVaultError(err);
      const message = error.code === 'unexpected' ? BT.fileUnreadable : vaultErrorMessage(error.code);
      setErrors({ file: message });
      // checked as the file is chosen, focus is on its input already: the error is said as it appears
      announce(message);
    }
  };

  const ask = (e: FormEvent) => {
    e.preventDefault();
    const next: RestoreErrors = {
      ...(file ? {} : { file: errors.file ?? BT.fileRequired }),
      ...(passphrase ? {} : { passphrase: BT.passphraseRequired }),
    };
    setErrors(next);
    if (Object.keys(next).length === 0) setConfirming(true);
    else failed();
  };

  const restore = async () => {
    setConfirming(false);
    if (!session || !file || busy) return;
    setBusy(true);
    let text: string;
    try {
      text = BT.restored(await session.restoreBackup(file.bytes, passphrase));
      useApp.getState().accessLogged();
    } catch (err) {
      const error = toVaultError(err);
      const code = error.code;
      // The message names the record when one cannot be read ('backup-record').
      setErrors(code === 'backup-passphrase' ? { passphrase: vaultErrorMessage(code) } : { form: error.message });
      if (code === 'backup-passphrase') failed();
      setBusy(false);
      return;
    }
    try {
      await reload();
      onDone('ok', text);
    } catch {
      onDone('warn', `${text}${BT.reloadFailed}`);
    }
  };

  const createdAt = file ? formatJapanDateTime(file.info.createdAt) : '';

  return (
    <form ref={ref} autoComplete="off" noValidate onSubmit={ask} aria-labelledby="backup-restore-title">
      <h3 id="backup-restore-title">{BT.restoreTitle}</h3>
      <p className="muted">{BT.restoreIntro}</p>
      <TextField
        label={BT.file}
        type="file"
        // No `accept`: iOS greys out files whose extension it has no type for; the header check decides.
        hint={BT.fileHint}
        error={errors.file}
        disabled={busy}
        onChange={(e) => void choose(e)}
      />
      {file ? (
        <dl className="kv" aria-label={BT.file}>
          <dt>{BT.createdAt}</dt>
          <dd>{createdAt}</dd>
          <dt>{BT.device}</dt>
          <dd>
            {file.info.deviceId.slice(0, 8)}
            {file.info.deviceId === session?.deviceId ? BT.thisDevice : null}
          </dd>
          <dt>{BT.size}</dt>
          <dd>{BT.sizeValue(file.info.byteLength)}</dd>
        </dl>
      ) : null}
      <SecretField
        label={BT.restorePassphrase}
        value={passphrase}
        hint={BT.restorePassphraseHint}
        error={errors.passphrase}
        disabled={busy}
        onChange={(e) => setPassphrase(e.target.value)}
      />
      {errors.form ? <Notice kind="error">{errors.form}</Notice> : null}
      {busy ? <Busy>{BT.restoring}</Busy> : null}
      <div className="form-actions">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? BT.restoring : BT.restoreSubmit}
        </Button>
        <Button onClick={onCancel} disabled={busy}>
          {BT.cancel}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={BT.confirmTitle}
        confirmLabel={BT.confirm}
        cancelLabel={BT.cancel}
        onConfirm={() => void restore()}
        onCancel={() => setConfirming(false)}
      >
        <p>{BT.confirmBody(createdAt)}</p>
      </ConfirmDialog>
    </form>
  );
}
