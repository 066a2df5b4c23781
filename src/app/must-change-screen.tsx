/**
 * An added person's first unlock (VaultSession.mustChangePassphrase): whoever added them typed their
 * passphrase, so they replace it with one only they know before any record opens, since the
 * 閲覧記録 names whoever unlocks. There is no way past it but 「ロック」, and the idle lock runs here
 * as in the app. Once changed, the store reads the records and the app opens in place.
 */
import { useCallback } from 'react';
import { ChangePassphraseForm } from '../features/settings/user-forms';
import { useApp } from '../state/store';
import { Gate } from './gate';
import { useIdleLock, type IdleLockCause } from './idle-lock';
import { T } from './text';

export function MustChangePassphraseScreen() {
  const lock = useApp((s) => s.lock);
  const passphraseChanged = useApp((s) => s.passphraseChanged);
  const idleLockMinutes = useApp((s) => s.settings.idleLockMinutes);

  useIdleLock(
    idleLockMinutes,
    useCallback((cause: IdleLockCause) => void lock(cause), [lock]),
  );

  return (
    <Gate title={T.mustChangeTitle}>
      <p>{T.mustChangeWhy}</p>
      <ChangePassphraseForm
        received
        cancelLabel={T.lock}
        onCancel={() => void lock('manual')}
        // A failure to read the records shows in the app, as after an unlock (store.ts guarded).
        onDone={() => void passphraseChanged().catch(() => undefined)}
      />
    </Gate>
  );
}
