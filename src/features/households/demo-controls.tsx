/**
 * Load or clear the fictional demo hub. The generator is imported on demand so it never weighs on the
 * first load of a real device; demo records never enter the change log (see VaultSession.putDemo).
 */
import { useState } from 'react';
import { useApp } from '../../state/store';
import { isVaultError, vaultErrorMessage } from '../../vault/errors';
import { Button } from '../../ui/button';
import { SelectField } from '../../ui/field';
import { ConfirmDialog } from '../../ui/dialog';
import { Notice } from '../../ui/layout';
import { T } from './text';

/** Sizes offered: a small hub to try the app, and large ones to feel it at a big city's scale (and for the benchmark). */
const DEMO_SIZES = [
  { households: 40, facilities: 8 },
  { households: 1_000, facilities: 100 },
  { households: 10_000, facilities: 1_000 },
] as const;

function messageOf(e: unknown): string {
  return isVaultError(e) ? vaultErrorMessage(e.code) : vaultErrorMessage('unexpected');
}

export function DemoControls({ demoCount }: { demoCount: number }) {
  const loadDemo = useApp((s) => s.loadDemo);
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const clearDemo = useApp((s) => s.clearDemo);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<{ kind: 'info' | 'ok' | 'error'; text: string } | null>(null);
  const [sizeIndex, setSizeIndex] = useState(0);

  async function load() {
    setBusy(true);
    setStatus({ kind: 'info', text: T.loadingDemo });
    try {
      const { generateDemoHub } = await import('../../domain/demo-data');
      const size = DEMO_SIZES[sizeIndex] ?? DEMO_SIZES[0];
      const hub = generateDemoHub({ households: size.households, facilities: size.facilities, now: new Date().toISOString() });
      const { demoTrialStays } = await import('../../domain/demo-trial-stays');
      await loadDemo(hub.households, hub.facilities, hub.offices, demoTrialStays(hub.households, hub.facilities, new Date().toISOString()));
      // A month of closed night calls, so 請求・出力 has something to show. The 02:10 scenario's
      // household (the first) is left without one, for the user to try by hand.
      const { demoCases } = await import('../../domain/demo-cases');
      const skip = new Set(hub.households.slice(0, 1).map((h) => h.id));
      for (const [open, ...rest] of demoCases(hub.households, hub.facilities, hub.offices[0]?.id ?? null, new Date().toISOString(), skip)) {
        const kase = await appendCaseEntry(null, open!);
        for (const body of rest) await appendCaseEntry(kase.id, body);
      }
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
        <div className="hh-demo">
          <SelectField
            label={T.demoSize}
            value={String(sizeIndex)}
            onChange={(e) => setSizeIndex(Number(e.target.value))}
            options={DEMO_SIZES.map((s, i) => ({ value: String(i), label: T.demoSizeOption(s.households, s.facilities) }))}
            disabled={busy}
          />
          <Button onClick={load} disabled={busy}>
            {T.loadDemo}
          </Button>
        </div>
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
