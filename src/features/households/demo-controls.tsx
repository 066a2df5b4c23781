/**
 * Load or clear the fictional demo hub. The generator is imported on demand so it never weighs on the
 * first load of a real device; demo records never enter the change log (see VaultSession.putDemo).
 */
import { useState } from 'react';
import { useApp } from '../../app/store';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { Notice } from '../../ui/layout';
import { T } from './text';

const DEMO_HOUSEHOLDS = 40;
const DEMO_FACILITIES = 8;

function messageOf(e: unknown): string {
  return isVaultError(e) ? vaultErrorMessage(e.code) : vaultErrorMessage('unexpected');
}

export function DemoControls({ demoCount }: { demoCount: number }) {
  const loadDemo = useApp((s) => s.loadDemo);
  const clearDemo = useApp((s) => s.clearDemo);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<{ kind: 'info' | 'ok' | 'error'; text: string } | null>(null);

  async function load() {
    setBusy(true);
    setStatus({ kind: 'info', text: T.loadingDemo });
    try {
      const { generateDemoHub } = await import('../../domain/demo-data');
      const hub = generateDemoHub({ households: DEMO_HOUSEHOLDS, facilities: DEMO_FACILITIES, now: new Date().toISOString() });
      await loadDemo(hub.households, hub.facilities);
      setStatus({ kind: 'ok', text: T.demoLoaded(hub.households.length) });
    } catch (e) {
      setStatus({ kind: 'error', text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  }

  async function clear() {
    setConfirming(false);
    setBusy(true);
    try {
      const removed = await clearDemo();
      setStatus({ kind: 'ok', text: T.demoCleared(removed) });
    } catch (e) {
      setStatus({ kind: 'error', text: messageOf(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {demoCount === 0 ? (
        <Button onClick={load} disabled={busy}>
          {T.loadDemo}
        </Button>
      ) : (
        <Button variant="ghost" onClick={() => setConfirming(true)} disabled={busy}>
          {T.clearDemo}
        </Button>
      )}
      {status ? <Notice kind={status.kind}>{status.text}</Notice> : null}
      <ConfirmDialog
        open={confirming}
        title={T.clearDemoTitle}
        confirmLabel={T.clearDemoConfirm}
        danger
        onConfirm={clear}
        onCancel={() => setConfirming(false)}
      >
        <p>{T.clearDemoBody(demoCount)}</p>
      </ConfirmDialog>
    </>
  );
}
