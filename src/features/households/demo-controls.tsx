/**
 * Load or clear the fictional demo hub. The generator is imported on demand so it never weighs on the
 * first load of a real device; demo records never enter the change log (see VaultSession.putDemo).
 */
import { useEffect, useState } from 'react';
import { create } from 'zustand';
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

type DemoStatus = { readonly kind: 'info' | 'ok' | 'error'; readonly text: string } | null;

/**
 * The load or clear under way, and what it said, outside the panel: the list's empty-state panel
 * goes as soon as the demo's households are saved, while its cases and month close are still being
 * written, and the panel under the list takes over. Held in the panel, the rest of the load went
 * unseen (its result, a failure), and that panel's 「消去」 was live in the middle of it.
 */
const useDemoTask = create<{ readonly busy: boolean; readonly status: DemoStatus }>(() => ({ busy: false, status: null }));
const setBusy = (busy: boolean) => useDemoTask.setState({ busy });
const setStatus = (status: DemoStatus) => useDemoTask.setState({ status });

/** For tests: no load or clear under way, nothing said. */
export function resetDemoTask(): void {
  useDemoTask.setState({ busy: false, status: null });
}

export function DemoControls({ demoCount }: { demoCount: number }) {
  const loadDemo = useApp((s) => s.loadDemo);
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const appendMonthClose = useApp((s) => s.appendMonthClose);
  const clearDemo = useApp((s) => s.clearDemo);
  const busy = useDemoTask((s) => s.busy);
  const status = useDemoTask((s) => s.status);
  const [confirming, setConfirming] = useState(false);
  const [sizeIndex, setSizeIndex] = useState(0);
  // What a finished load or clear said goes with the screen (a lock, another person unlocking);
  // a load under way keeps it, for the panel that takes over.
  useEffect(
    () => () => {
      if (!useDemoTask.getState().busy) resetDemoTask();
    },
    [],
  );

  async function load() {
    if (useDemoTask.getState().busy) return;
    setBusy(true);
    setStatus({ kind: 'info', text: T.loadingDemo });
    try {
      const { generateDemoHub } = await import('../../domain/demo-data');
      const size = DEMO_SIZES[sizeIndex] ?? DEMO_SIZES[0];
      const hub = generateDemoHub({ households: size.households, facilities: size.facilities, now: new Date().toISOString() });
      const { demoTrialStays } = await import('../../domain/demo-trial-stays');
      const trialStays = demoTrialStays(hub.households, hub.facilities, new Date().toISOString());
      // A month of night calls showing every claim rule on 請求・出力, and the month before it
      // already 請求済み with a case synced after the close. The 02:10 scenario's household (the
      // first) is left without one, for the user to try by hand.
      const { demoClaimMonth, demoMonthClose } = await import('../../domain/demo-cases');
      const skip = new Set(hub.households.slice(0, 1).map((h) => h.id));
      const office = hub.offices[0];
      const plan = demoClaimMonth(hub.households, hub.facilities, office?.id ?? null, new Date().toISOString(), skip);
      const { demoFunctionBonus } = await import('../../domain/demo-function-bonus');
      const offices = [...hub.offices, ...plan.offices];
      await loadDemo(hub.households, hub.facilities, offices, trialStays, demoFunctionBonus(offices, new Date().toISOString()));
      // The demo's office is not remembered as this person's last (src/state/case-office.ts): tonight's
      // real call started under it. A case tried by hand on a demo household starts under the demo's
      // offices on its own (emergencies/case-office.ts defaultCaseOffice).
      if (office && plan.beforeClose.length > 0) {
        const ids: string[] = [];
        const append = async (cases: typeof plan.beforeClose) => {
          for (const { bodies, answer } of cases) {
            const [open, ...rest] = bodies;
            const kase = await appendCaseEntry(null, open!, { demo: true });
            for (const body of rest) await appendCaseEntry(kase.id, body);
            const other = answer ? ids[answer.other] : undefined;
            if (answer && other !== undefined) {
              const otherOpen = useApp.getState().caseEntries.get(other)?.[0]?.body;
              const otherRequestedAt = otherOpen?.type === 'open' ? otherOpen.requestedAt : kase.open.body.requestedAt;
              await appendCaseEntry(kase.id, { type: 'same-emergency', otherCaseId: other, otherRequestedAt, answer: answer.answer, reason: answer.reason });
            }
            ids.push(kase.id);
          }
        };
        await append(plan.beforeClose);
        const { foldCase } = await import('../../domain/case-fold');
        const state = useApp.getState();
        const close = await demoMonthClose({
          id: globalThis.crypto.randomUUID(),
          cases: [...state.caseEntries.values()].map((entries) => foldCase(entries)),
          offices: state.offices,
          households: state.summaries,
          office,
          month: plan.closedMonth,
          sentOn: plan.sentOn,
          recordedAt: new Date().toISOString(),
          recordedBy: { userId: state.session?.user.id ?? '', name: state.session?.user.displayName ?? '' },
          deviceId: state.session?.deviceId ?? '',
        });
        await appendMonthClose(close, { demo: true });
        await append(plan.afterClose);
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
    if (useDemoTask.getState().busy) return;
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
