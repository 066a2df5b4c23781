/**
 * 請求済み on the claims screen (docs/claim-rules.md「請求済みの月」): closing a month (with its 請求日,
 * after a confirmation), the claim as it was sent once closed — never recomputed — and
 * 「請求後の変更」, what the rules would decide differently now, per case, with the units to claim
 * or return. A mistaken close is undone by a recorded 取消 with a reason.
 */
import { useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { useApp, CaseEntryRejected } from '../../state/store';
import { useCountersigns } from '../../state/use-countersigns';
import {
  ClaimCsvError,
  claimExportFileName,
  encodeClaimCsv,
  exportMonthOf,
  type ClaimCsvEncoding,
} from '../../domain/claim-csv';
import {
  buildMonthCancel,
  buildMonthClose,
  CHANGE_CAUSE_LABELS,
  changeTotals,
  claimChanges,
  closeProblems,
  decisionLabel,
  monthCloseState,
  type ClaimChange,
  rebills,
  sha256OfBytes,
  unknowable,
  unitsToClaim,
  unitsToReturn,
  type KeptExport,
  type MonthClose,
  type MonthCloseRecord,
} from '../../domain/claim-close';
import { adjustmentLabel, claimChangesCsv } from '../../domain/claim-close-csv';
import { CLAIM_STATUS_LABELS } from '../../domain/claim-types';
import type { EmergencyCase, Office } from '../../domain/emergency-case';
import { formatJapanDate, formatJapanDateTime } from '../../domain/japan-time';
import { useJapanToday } from '../../state/use-minute-clock';
import { syncStatus } from '../../sync/status';
import { Button } from '../../ui/button';
import { ConfirmDialog } from '../../ui/dialog';
import { downloadBytes } from '../../ui/download';
import { exportFileSubject, exportSubject, findLastExports, type LastExport, useLogExport } from './log-export';
import { claimFile, heldBackCount, keptSummaryFile } from './claim-files';
import { TextArea, TextField } from '../../ui/field';
import { useFocusInvalidOnFail } from '../../ui/focus-invalid';
import { refocusWhenLost } from '../../ui/focus-lost';
import { Notice, Section } from '../../ui/layout';
import { monthLabel } from './route';
import { SummaryTable } from './summary-table';
import { summaryTotals } from '../../domain/claim-rules';
import { T } from './text';
import { brokenCases, type ChainChecks, type MonthClaim } from './use-claims';

const actorOf = (s: { user: { id: string; displayName: string } }) => ({ userId: s.user.id, name: s.user.displayName });

/**
 * What the close would keep, as the confirmation was asked on: the month's cases, their entries and
 * their decisions, the summary's rows and the office. A case synced in (or a decision moved by a
 * household or another office's case), a 受給者証番号 corrected on a household (the rows change,
 * not the decisions) or the office's record edited while the dialog is open changes it, and the
 * close is not made on figures nobody saw.
 */
function claimSeen(claim: MonthClaim, office: Office): string {
  return JSON.stringify([
    claim.cases.map((c) => {
      const d = claim.decisions.get(c.id);
      return [c.id, c.entries.map((e) => e.id), d?.status, d?.ordinal, d?.units, d?.reasons];
    }),
    claim.summary,
    office,
  ]);
}

/** 「請求済みにする」: the 請求日, a confirmation, then the files written and their hashes kept. */
export function CloseSection({
  office,
  month,
  claim,
  claimedIn,
  chain,
  encoding,
  blocked,
  demo,
}: {
  office: Office;
  month: string;
  claim: MonthClaim;
  /** the cases claimed in another month already 請求済み (useClaimedBefore): the 明細 says so */
  claimedIn: ReadonlyMap<string, string>;
  chain: ChainChecks;
  encoding: ClaimCsvEncoding;
  blocked: boolean;
  demo: boolean;
}) {
  const session = useApp((s) => s.session);
  const records = useApp((s) => s.monthCloses);
  // a case worker's phone is handed its own office's cases only (protocol/scope): no other office's to compare
  const ownOfficeOnly = useStore(syncStatus, (s) => s.role) === 'case-worker';
  const appendMonthClose = useApp((s) => s.appendMonthClose);
  const entries = useMemo(() => claim.cases.flatMap((c) => c.entries), [claim.cases]);
  const countersigns = useCountersigns(entries);
  // the 請求日's latest day moves at midnight on a screen left open through it
  const today = useJapanToday();
  const [sentOn, setSentOn] = useState(today);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const logExport = useLogExport();
  const waiting = !chain.done || !countersigns.done;
  // an entry the hub's signature does not match blocks the close as a broken chain does
  const mismatched = countersigns.done && brokenCases(claim.cases, chain, countersigns.lookup).length > 0;
  const total = summaryTotals(claim.summary);
  const history = historyOf(records, office.id, month);

  // The files last written for the month (by the 閲覧記録) that differ from the ones the close
  // keeps: a case synced or corrected since, so what was sent is not what the close would keep.
  const [changedSince, setChangedSince] = useState<readonly string[]>([]);
  // the claim as the confirmation showed it (claimSeen), and whether it had to be asked again
  const seen = useRef<string | null>(null);
  const [arrived, setArrived] = useState(false);
  // The encoding the close writes in: the one the month's files were last written (and sent) in,
  // when the 閲覧記録 knows it; the screen's choice starts at UTF-8 for every office and month.
  const [closeEncoding, setCloseEncoding] = useState<ClaimCsvEncoding>(encoding);
  const [encodingFromExport, setEncodingFromExport] = useState(false);
  const heldBack = heldBackCount(claim);
  const source = { office, month, claim, claimedIn, countersign: countersigns.lookup };

  async function ask(again = false) {
    const found = closeProblems([...records.values()], { office, month, cases: claim.cases, sentOn }, today);
    setArrived(again);
    setProblems(again && found.length > 0 ? [T.changedWhileConfirming, ...found] : found);
    if (found.length > 0 || session === null) return;
    seen.current = claimSeen(claim, office);
    const changed: string[] = [];
    // an unreadable 閲覧記録 only skips the comparison (the close itself logs before it writes)
    const last = await findLastExports((visit) => session.scanAccessLog(visit), month, office.name).catch((): Partial<Record<'summary' | 'detail', LastExport>> => ({}));
    const latest = [last.summary, last.detail].filter((e) => e !== undefined).sort((a, b) => Date.parse(b.at) - Date.parse(a.at))[0]?.encoding;
    // not when the month's text no longer fits it (Shift_JIS): the screen's choice then, as before
    const fits = async (enc: ClaimCsvEncoding) => (await Promise.all((['summary', 'detail'] as const).map((k) => claimFile(k, source, enc).then(() => true, () => false)))).every(Boolean);
    const chosen = latest !== undefined && latest !== encoding && (await fits(latest)) ? latest : encoding;
    setCloseEncoding(chosen);
    setEncodingFromExport(chosen !== encoding);
    for (const kind of ['summary', 'detail'] as const) {
      const sent = last[kind];
      if (sent === undefined) continue;
      // what the file says of the claim, in the encoding it was sent in: a hub signature since is no change,
      // and a text that encoding can no longer hold certainly is one
      const now = await claimFile(kind, source, sent.encoding).catch(() => null);
      if (now === null || !now.contentSha256.startsWith(sent.contentStart)) changed.push(T.changedSinceExport(T.exportKinds[kind], formatJapanDateTime(sent.at)));
    }
    setChangedSince(changed);
    setConfirming(true);
  }

  async function close() {
    setConfirming(false);
    if (session === null || busy) return;
    // The button's gate, again: a case synced in while the dialog was open is checked first.
    const changedNow = seen.current !== claimSeen(claim, office);
    if (blocked || mismatched || waiting) {
      setArrived(false);
      setProblems(changedNow ? [T.changedWhileConfirming, T.closeBlocked] : [T.closeBlocked]);
      return;
    }
    // asked again on the claim as it is now (the files sent compared again): nothing is closed meanwhile
    if (changedNow) {
      await ask(true);
      return;
    }
    const encoding = closeEncoding;
    setBusy(true);
    try {
      const files = [await claimFile('summary', source, encoding), await claimFile('detail', source, encoding)];
      const exports = files.map((f): KeptExport => ({ kind: f.kind, fileName: f.fileName, sha256: f.sha256, size: f.bytes.length }));
      const record = buildMonthClose({
        id: globalThis.crypto.randomUUID(),
        office,
        month,
        cases: claim.cases,
        decisions: claim.decisions,
        summary: claim.summary,
        sentOn,
        encoding,
        exports,
        recordedAt: new Date().toISOString(),
        recordedBy: actorOf(session),
        deviceId: session.deviceId,
      });
      // The files leave the device: in the 閲覧記録 first, each with its hashes (a close made again
      // after a 取消 compares with them), or not at all (nothing is closed then).
      try {
        for (const f of files) await logExport(exportFileSubject(month, office.name, f, encoding));
      } catch {
        setProblems([T.exportNotLogged]);
        return;
      }
      await appendMonthClose(record, { demo });
      for (const f of files) downloadBytes(f.bytes, f.fileName, 'text/csv');
      setProblems([]);
      // this section gives way to the 請求済み one: its heading takes the focus (it was on the top of the page)
      refocusWhenLost(() => document.getElementById('claims-closed'));
    } catch (e) {
      setProblems(e instanceof ClaimCsvError || e instanceof CaseEntryRejected ? [e.message] : [T.closeFailed]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section title={T.closeTitle} id="claims-close">
      <p>{T.closeIntro}</p>
      {history.length > 0 ? (
        <>
          <h3 className="claims-subtitle">{T.history}</h3>
          <ul className="claims-history">
            {history.map((r) => (
              <li key={r.id}>{historyLine(r)}</li>
            ))}
          </ul>
        </>
      ) : null}
      <TextField label={T.sentOn} hint={T.sentOnHint} type="date" required value={sentOn} max={today} onChange={(e) => setSentOn(e.target.value)} />
      {blocked || mismatched || waiting ? <p className="muted">{T.closeBlocked}</p> : null}
      {problems.length > 0 ? (
        <Notice kind="error">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </Notice>
      ) : null}
      <Button variant="primary" className="claims-wide" disabled={blocked || mismatched || waiting || busy} onClick={() => void ask()}>
        {busy ? T.closing : T.closeButton}
      </Button>
      <ConfirmDialog
        open={confirming}
        title={T.closeConfirmTitle(monthLabel(month))}
        confirmLabel={T.closeConfirm}
        onConfirm={() => void close()}
        onCancel={() => setConfirming(false)}
      >
        {arrived ? <Notice kind="warn">{T.changedWhileConfirming}</Notice> : null}
        {changedSince.length > 0 ? (
          <Notice kind="warn">
            {changedSince.map((line) => (
              <p key={line}>{line}</p>
            ))}
            <p>{T.changedSinceAdvice}</p>
          </Notice>
        ) : null}
        <p>{T.closeConfirmBody(total.persons, total.count, T.units(total.units), T.encodingNames[closeEncoding])}</p>
        {heldBack > 0 ? <p>{T.closeHeldBack(heldBack)}</p> : null}
        {encodingFromExport ? <p>{T.closeEncodingFromExport(T.encodingNames[closeEncoding])}</p> : null}
        {ownOfficeOnly ? <p>{T.closeOwnOfficeOnly}</p> : null}
        <p>
          {T.sentOn}: {formatJapanDate(sentOn)}
        </p>
      </ConfirmDialog>
    </Section>
  );
}

/** The month as it was claimed, then 請求後の変更, then 取消. */
/** What differs between the month as sent (`close`) and as it would be claimed now; empty when not closed. */
export function useClaimChanges(close: MonthClose | null, office: Office | undefined, claim: MonthClaim): readonly ClaimChange[] {
  return useMemo(
    () =>
      close === null
        ? []
        : claimChanges(close, {
            office,
            listed: claim.cases,
            all: claim.all,
            decisions: claim.decisions,
            monthOf: (c: EmergencyCase) => exportMonthOf(c, claim.decisions.get(c.id)),
          }),
    [close, office, claim],
  );
}

export function ClosedMonth({
  office,
  month,
  close,
  claim,
  encoding,
  demo,
}: {
  office: Office;
  month: string;
  close: MonthClose;
  claim: MonthClaim;
  encoding: ClaimCsvEncoding;
  /** the month is a demo office's: its records are demo too (off the change log, cleared with the demo) */
  demo: boolean;
}) {
  const kept = close.body;
  const changes = useClaimChanges(close, office, claim);
  return (
    <>
      <Section title={T.closedTitle(monthLabel(month))} id="claims-closed">
        <p className="claims-closed-line">{T.closedLine(formatJapanDate(kept.sentOn), close.recordedBy.name, formatJapanDateTime(close.recordedAt))}</p>
        <p className="muted">{T.closedIntro}</p>
        <p className="claims-total">{T.totalLine(kept.persons, kept.count, kept.units)}</p>
        {kept.summary.length === 0 ? <p>{T.noClaimed}</p> : <SummaryTable rows={kept.summary} caption={T.summaryTitle} />}
        <h3 className="claims-subtitle">{T.keptCases(kept.cases.length)}</h3>
        <ul className="claims-cases">
          {kept.cases.map((k) => (
            <li key={k.caseId} className="claims-case">
              <p className="claims-case__name">
                {k.name || T.unknownCaller}
                {k.recipientNumber ? <span className="claims-case__number">{k.recipientNumber}</span> : null}
              </p>
              <p className="claims-case__line">
                <span className={`claims-status claims-status--${k.status}`}>{CLAIM_STATUS_LABELS[k.status]}</span>
                {k.units > 0 ? <span>{T.units(k.units)}</span> : null}
              </p>
              <p className="claims-case__meta">{T.requestLine(formatJapanDateTime(k.requestedAt))}</p>
              <ul className="claims-reasons">
                {k.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
        <h3 className="claims-subtitle">{T.keptFiles}</h3>
        <ul className="claims-files">
          {kept.exports.map((f) => (
            <li key={f.kind}>
              {T.keptFile(f.fileName, f.size)}
              <br />
              <code className="claims-hash">{f.sha256}</code>
            </li>
          ))}
        </ul>
        {kept.exports.some((f) => f.kind === 'summary') ? <KeptSummaryExport close={close} /> : null}
        {kept.exports.length > 0 ? <CheckKeptFile exports={kept.exports} /> : null}
      </Section>
      <ChangesSection close={close} changes={changes} encoding={encoding} />
      <CancelSection close={close} officeName={office.name} demo={demo} />
    </>
  );
}

function ChangesSection({ close, changes, encoding }: { close: MonthClose; changes: readonly ClaimChange[]; encoding: ClaimCsvEncoding }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const { claim: claimMore, ret: giveBack } = changeTotals(changes);

  const logExport = useLogExport();

  async function exportChanges() {
    setProblem(null);
    setWritten(null);
    let bytes: Uint8Array;
    let fileName: string;
    try {
      bytes = encodeClaimCsv(claimChangesCsv(close, changes), encoding);
      fileName = claimExportFileName('changes', close.body.office.officeNumber, close.month, encoding);
    } catch (e) {
      setProblem(e instanceof ClaimCsvError ? e.message : T.exportFailed);
      return;
    }
    try {
      await logExport(exportSubject(close.month, close.body.office.name, T.exportChanges));
    } catch {
      setProblem(T.exportNotLogged);
      return;
    }
    downloadBytes(bytes, fileName, 'text/csv');
    setWritten(T.exported(fileName, T.exportChanges, T.encodingNames[encoding]));
  }

  return (
    <Section title={T.changesTitle} id="claims-changes">
      {changes.length === 0 ? (
        <p>{T.noChanges}</p>
      ) : (
        <>
          <Notice kind="warn">{T.changesIntro}</Notice>
          <p className="claims-total">{T.changesTotal(claimMore, giveBack)}</p>
          {changes.some(unknowable) ? <p className="claims-total">{T.unknowableTotal(changes.filter(unknowable).length)}</p> : null}
          <ul className="claims-cases">
            {changes.map((c) => (
              <li key={c.caseId} className="claims-case" aria-label={c.name || T.unknownCaller}>
                <p className="claims-case__name">
                  {c.name || T.unknownCaller}
                  {c.recipientNumber ? <span className="claims-case__number">{c.recipientNumber}</span> : null}
                </p>
                <p className="claims-case__line">{T.changeLine(decisionLabel(c.before), unknowable(c) ? T.unknowableAfter : decisionLabel(c.after))}</p>
                <p className="claims-case__meta">
                  {T.changeCause(CHANGE_CAUSE_LABELS[c.cause], [c.detail, c.movedTo ? T.movedTo(monthLabel(c.movedTo)) : ''].filter(Boolean).join('／'))}
                </p>
                <p className="claims-case__line">
                  {rebills(c) ? T.changeRebill(unitsToReturn(c), unitsToClaim(c)) : unknowable(c) ? adjustmentLabel(0, c.cause) : T.changeDifference(adjustmentLabel(c.difference), c.difference)}
                </p>
              </li>
            ))}
          </ul>
          <Button variant="primary" className="claims-wide" onClick={() => void exportChanges()}>
            {T.exportChanges}
          </Button>
        </>
      )}
      <ExportOutcome problem={problem} written={written} />
    </Section>
  );
}

/**
 * 「請求時の集計CSV」: the summary as it was sent, rebuilt from the close (keptSummaryFile) and
 * written only when its bytes are the ones the close kept the SHA-256 of, under the name they were
 * sent by. The clerk who lost the file, or is asked for it, gets that file, not today's figures.
 */
function KeptSummaryExport({ close }: { close: MonthClose }) {
  const [problem, setProblem] = useState<string | null>(null);
  const [written, setWritten] = useState<string | null>(null);
  const logExport = useLogExport();
  async function run() {
    setProblem(null);
    setWritten(null);
    const file = await keptSummaryFile(close).catch(() => null);
    if (file === null) {
      setProblem(T.keptSummaryUnavailable);
      return;
    }
    const sha256 = close.body.exports.find((f) => f.kind === 'summary')!.sha256;
    try {
      await logExport(exportSubject(close.month, close.body.office.name, `${T.exportKeptSummary}（${T.encodingNames[close.body.encoding]}・SHA-256 ${sha256.slice(0, 16)}）`));
    } catch {
      setProblem(T.exportNotLogged);
      return;
    }
    downloadBytes(file.bytes, file.fileName, 'text/csv');
    setWritten(T.exported(file.fileName, T.exportKeptSummary, T.encodingNames[close.body.encoding]));
  }
  return (
    <>
      <p className="muted">{T.exportKeptSummaryHint}</p>
      <Button variant="secondary" className="claims-wide" onClick={() => void run()}>
        {T.exportKeptSummary}
      </Button>
      <ExportOutcome problem={problem} written={written} />
    </>
  );
}

function CancelSection({ close, officeName, demo }: { close: MonthClose; officeName: string; demo: boolean }) {
  const session = useApp((s) => s.session);
  const records = useApp((s) => s.monthCloses);
  const appendMonthClose = useApp((s) => s.appendMonthClose);
  const [open, setOpen] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<readonly string[]>([]);
  const { ref, failed } = useFocusInvalidOnFail<HTMLDivElement>();
  const history = historyOf(records, close.officeId, close.month);

  async function cancel() {
    if (session === null || cancelling) return;
    const record = buildMonthCancel(close, {
      id: globalThis.crypto.randomUUID(),
      reason,
      recordedAt: new Date().toISOString(),
      recordedBy: actorOf(session),
      deviceId: session.deviceId,
    });
    if (Array.isArray(record)) {
      setErrors(record);
      failed();
      return;
    }
    setCancelling(true);
    try {
      await appendMonthClose(record, { demo });
      setOpen(false);
      // the 取消 button went with the closed section (and the dialog's own way back with it): the
      // month is open again, and the focus goes to where it is closed again
      refocusWhenLost(() => document.getElementById('claims-close'));
    } catch (e) {
      setErrors(e instanceof CaseEntryRejected ? e.messages : [T.closeFailed]);
      failed();
    } finally {
      setCancelling(false);
    }
  }

  return (
    <Section title={T.history} id="claims-close-history">
      <ul className="claims-history">
        {history.map((r) => (
          <li key={r.id}>{historyLine(r)}</li>
        ))}
      </ul>
      <Button variant="danger" className="claims-wide" onClick={() => (setErrors([]), setOpen(true))}>
        {T.cancelButton}
      </Button>
      <ConfirmDialog open={open} title={T.cancelTitle(officeName, monthLabel(close.month))} confirmLabel={T.cancelConfirm} danger busy={cancelling} onConfirm={() => void cancel()} onCancel={() => setOpen(false)}>
        <div ref={ref}>
          <p>{T.cancelBody}</p>
          <TextArea label={T.cancelReason} required value={reason} onChange={(e) => setReason(e.target.value)} error={errors[0]} />
        </div>
      </ConfirmDialog>
    </Section>
  );
}

function historyOf(records: ReadonlyMap<string, MonthCloseRecord>, officeId: string, month: string): readonly MonthCloseRecord[] {
  return monthCloseState([...records.values()], officeId, month).history;
}

function historyLine(r: MonthCloseRecord): string {
  const at = formatJapanDateTime(r.recordedAt);
  return r.body.type === 'close' ? T.historyClose(formatJapanDate(r.body.sentOn), r.recordedBy.name, at) : T.historyCancel(r.body.reason, r.recordedBy.name, at);
}

/**
 * A file from the office's archive, checked against the SHA-256 the close kept: what an auditor
 * holds is the file sent, byte for byte, or it is not. Read on the device; nothing is written.
 */
function CheckKeptFile({ exports }: { exports: readonly KeptExport[] }) {
  const [result, setResult] = useState<{ kind: 'ok' | 'warn' | 'error'; text: string } | null>(null);
  async function check(file: File | undefined) {
    setResult(null);
    if (file === undefined) return;
    try {
      const sha256 = await sha256OfBytes(new Uint8Array(await file.arrayBuffer()));
      const same = exports.find((f) => f.sha256 === sha256);
      setResult(same ? { kind: 'ok', text: T.checkFileSame(file.name, same.fileName) } : { kind: 'warn', text: T.checkFileDiffers(file.name, sha256) });
    } catch {
      setResult({ kind: 'error', text: T.checkFileFailed });
    }
  }
  return (
    <>
      <TextField
        label={T.checkFileLabel}
        hint={T.checkFileHint}
        type="file"
        accept=".csv,text/csv"
        onChange={(e) => {
          void check(e.target.files?.[0]);
          // the same file chosen again is checked again
          e.target.value = '';
        }}
      />
      {/* one live region, there before its words, so that a screen reader reads the verdict out */}
      <div role="status" aria-live="polite">
        {result ? <div className={`notice notice--${result.kind}`}>{result.text}</div> : null}
      </div>
    </>
  );
}

/** What a 書き出し came to: the error, or the file written (a status line, read out). */
function ExportOutcome({ problem, written }: { problem: string | null; written: string | null }) {
  return (
    <>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {written ? (
        <p className="status-line claims-written" role="status">
          {written}
        </p>
      ) : null}
    </>
  );
}
