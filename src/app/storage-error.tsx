/**
 * Storage errors a user can meet while working: a full disk or a lost database connection.
 * The form that failed keeps its data (it owns it); this banner says what happened: after a lost
 * connection the same button again reopens the storage (withStorage), and 「開き直す」, a lock and a
 * fresh start, is the last resort, as it asks for the passphrase mid-call.
 */
import { useState } from 'react';
import { requestPersistence } from '../features/settings/platform';
import { vaultErrorMessage } from '../vault/errors';
import { Button } from '../ui/button';
import { Notice } from '../ui/layout';
import { useApp } from '../state/store';
import { T } from './text';

export function StorageErrorBanner({ onReconnect, onReload = () => window.location.reload() }: { onReconnect: () => Promise<void>; onReload?: () => void }) {
  const error = useApp((s) => s.error);
  const clearError = useApp((s) => s.clearError);
  const [busy, setBusy] = useState(false);
  if (!error) return null;

  const run = (work: () => Promise<void>) => async () => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  if (error.code === 'connection-lost') {
    return (
      <Notice
        kind="error"
        action={
          <>
            <Button disabled={busy} onClick={clearError}>
              {T.dismiss}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={run(onReconnect)}>
              {T.reconnect}
            </Button>
          </>
        }
      >
        {vaultErrorMessage(error.code)}
        <br />
        {T.reconnectHint}
      </Notice>
    );
  }

  if (error.code === 'quota-exceeded') {
    // A persisted origin gets a larger quota in some browsers; then the user saves again with the
    // form's own button: this one retries nothing, so it is not called 再試行.
    const close = async () => {
      await requestPersistence();
      clearError();
    };
    return (
      <Notice
        kind="error"
        action={
          <Button variant="primary" disabled={busy} onClick={run(close)}>
            {T.dismiss}
          </Button>
        }
      >
        {vaultErrorMessage(error.code)}
        <br />
        {T.quotaHint}
      </Notice>
    );
  }

  // The database emptied under the page (site data cleared, storage evicted): nothing more is saved
  // in this page, and its message says to reload; the button does it (閉じる alone left no way on).
  if (error.code === 'erased') {
    return (
      <Notice
        kind="error"
        action={
          <Button variant="primary" onClick={onReload}>
            {T.reload}
          </Button>
        }
      >
        {vaultErrorMessage(error.code)}
      </Notice>
    );
  }

  return (
    <Notice kind="error" action={<Button onClick={clearError}>{T.dismiss}</Button>}>
      {vaultErrorMessage(error.code)}
    </Notice>
  );
}

/** An open form's autosave failed: its text is on the screen only, and a lock would lose it. */
export function DraftFailingBanner() {
  const failing = useApp((s) => s.draftFailing.size > 0);
  return failing ? <Notice kind="warn">{T.draftFailing}</Notice> : null;
}

/** Records damaged on the disk, set aside at unlock: the rest show, and the admin is told how many. */
export function UnreadableBanner() {
  const count = useApp((s) => [...s.unreadable.values()].reduce((a, b) => a + b, 0));
  return count > 0 ? <Notice kind="error">{T.unreadable(count)}</Notice> : null;
}

/** phase 'failed': the vault could not even be opened. */
export function FailedContent({ onRetry }: { onRetry: () => Promise<void> }) {
  const error = useApp((s) => s.error);
  const [busy, setBusy] = useState(false);
  const retry = async () => {
    setBusy(true);
    try {
      await onRetry();
    } finally {
      setBusy(false);
    }
  };
  // Storage the browser refuses is mended in the browser, then by a reload: 再試行 would fail the same way.
  const refused = error?.code === 'storage-unavailable';
  return (
    <>
      <Notice kind="error">
        {vaultErrorMessage(error?.code ?? 'unexpected')}
        {refused ? null : (
          <>
            <br />
            {T.failedHint}
          </>
        )}
      </Notice>
      {refused ? (
        <Button variant="primary" className="btn--block" onClick={() => window.location.reload()}>
          {T.reload}
        </Button>
      ) : (
        <Button variant="primary" className="btn--block" disabled={busy} onClick={() => void retry()}>
          {T.retry}
        </Button>
      )}
    </>
  );
}
