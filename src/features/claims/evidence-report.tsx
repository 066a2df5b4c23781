/**
 * The printable evidence report for one office and month (seeds/004 §24-3 (3)): printed from the
 * browser to paper or PDF. For each case: who, 要請のあった時間 (and when it was recorded, and why
 * it was set back), 要請の内容, every 連絡・調整 with its time — withdrawn and corrected ones shown
 * as such with the reason, who and when — the outcome, the claim decision with its reasons, the
 * retention date, and the chain check with the case's head hash. Every time is Japan time.
 * Each entry says whether the hub has countersigned it and when (拠点の署名), and the header
 * carries the fingerprint of the hub key the signatures are checked against, with the words to
 * compare it with the hub admin's record: the key is the one this phone holds, so the report
 * cannot vouch for it itself.
 *
 * Opening it writes a 'print-evidence' 閲覧記録 entry (a page made to be printed, the browser's own
 * print too), once per opening: until it is written the report does not print (印刷 waits, and
 * the page prints blank), and when it cannot be written the screen says why. A month without cases
 * prints too (記録 0件): an auditor may ask for the month's report all the same.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { usePrintRunningText } from '../../ui/print-running-text';
import { useApp } from '../../state/store';
import { useCountersigns, type Countersigns } from '../../state/use-countersigns';
import { useLogOpen } from '../../state/use-log-open';
import { COUNTERSIGN_LABELS, countersignSummary, type EntryCountersign } from '../../domain/countersign-status';
import { formatFingerprint } from '../../protocol/countersign';
import { earlierOutcomes, retentionUntil } from '../../domain/case-fold';
import type { ChainCheck } from '../../domain/case-chain';
import { noCasesMessage } from '../../domain/claim-csv';
import { decisionLabel, monthCloseState, type KeptCase } from '../../domain/claim-close';
import { correctionChanges } from '../../domain/correction-changes';
import { CLAIM_STATUS_LABELS, type ClaimDecision } from '../../domain/claim-types';
import { ENTRY_TYPE_LABELS, type ContactBody, type Current, type EmergencyCase, type OutcomeBody, type Superseded } from '../../domain/emergency-case';
import { formatJapanDate, formatJapanDateTime } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { Notice, useHeadingFocus } from '../../ui/layout';
import { claimsPaths, monthLabel } from './route';
import { SummaryTable } from './summary-table';
import { T } from './text';
import { useClaimChanges } from './month-close';
import { brokenCases, subjectName, useChainChecks, useClaimedBefore, useMonthClaim } from './use-claims';
import { exportSubject, useLogExport } from './log-export';
import './claims.css';

const at = (instant: string) => formatJapanDateTime(instant);

/** The custom property the report's page margin box prints (claims.css @page evidence-report). */
const RUNNING_TEXT = '--evidence-running' as const;

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{children}</td>
    </tr>
  );
}

/** Each correction: who and when, the reason, and every changed field with its original value. */
function Corrections({ kind, corrections }: { kind: string; corrections: readonly Superseded[] }) {
  if (corrections.length === 0) return null;
  return (
    <ul className="claims-report__notes">
      {corrections.map((s) => (
        <li key={s.byEntryId}>
          {T.correctionLine(s.withdrawn ? T.withdrawnMark : kind, s.reason, s.by.name, at(s.at))}
          {correctionChanges(s, at).map((ch) => (
            <span key={ch.field} className="claims-report__change">
              {T.correctionChange(ch.field, ch.before, ch.after)}
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
}

const outcomeText = (b: OutcomeBody) => [b.outcome, b.facilityName, b.from ? T.outcomeFrom(at(b.from)) : '', b.note].filter(Boolean).join('　');

const ms = (s: string) => Date.parse(s);
function byContactTime(a: Current<ContactBody>, b: Current<ContactBody>): number {
  return ms(a.body.contactedAt) - ms(b.body.contactedAt) || ms(a.recordedAt) - ms(b.recordedAt) || (a.entryId < b.entryId ? -1 : 1);
}

function ContactsTable({ kase }: { kase: EmergencyCase }) {
  const withdrawn = new Set(kase.withdrawnContacts.map((k) => k.entryId));
  const contacts = [...kase.contacts, ...kase.withdrawnContacts].sort(byContactTime);
  if (contacts.length === 0) return <p>{T.noContacts}</p>;
  return (
    <div className="claims-table-wrap">
      <table className="claims-report__contacts">
        <thead>
          <tr>
            <th scope="col">{T.colContactedAt}</th>
            <th scope="col">{T.colFacility}</th>
            <th scope="col">{T.colMethod}</th>
            <th scope="col">{T.colResult}</th>
            <th scope="col">{T.colNote}</th>
            <th scope="col">{T.colRecorded}</th>
          </tr>
        </thead>
        <tbody>
          {contacts.map((k) => {
            const out = withdrawn.has(k.entryId);
            return (
              <tr key={k.entryId} className={out ? 'claims-report__withdrawn' : undefined}>
                <td className="nowrap">{at(k.body.contactedAt)}</td>
                <td>
                  {out ? <strong className="claims-report__mark">{T.withdrawnMark}</strong> : null}
                  <span className="claims-report__struck">{k.body.facilityName}</span>
                  {k.body.facilityOfficeNumber ? <span className="claims-report__sub">{k.body.facilityOfficeNumber}</span> : null}
                  {k.body.shortStay ? <span className="claims-report__sub">{T.shortStay}</span> : null}
                </td>
                <td>{k.body.method}</td>
                <td>
                  {k.body.result ?? T.resultNotRecorded}
                  {k.resultBy ? <span className="claims-report__sub">{T.resultRecordedBy(at(k.resultBy.recordedAt), k.resultBy.recordedBy.name)}</span> : null}
                </td>
                <td className="pre">{k.body.note}</td>
                <td>
                  {T.recordedBy(at(k.recordedAt), k.recordedBy.name)}
                  <Corrections kind={T.correctedMark} corrections={k.corrections} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function CountersignCell({ status }: { status: EntryCountersign }) {
  switch (status.status) {
    case 'countersigned':
      return <>{T.countersignedAt(COUNTERSIGN_LABELS.countersigned, at(status.receivedAt), status.position)}</>;
    case 'invalid':
      return <strong className="claims-report__broken">{`${COUNTERSIGN_LABELS.invalid}（${status.problem}）`}</strong>;
    case 'refused':
      return <strong className="claims-report__broken">{`${COUNTERSIGN_LABELS.refused}：${status.reason}`}</strong>;
    default:
      return <strong>{COUNTERSIGN_LABELS[status.status]}</strong>;
  }
}

/** Every entry of the case with its hash and the hub's countersignature, or that it has none. */
function EntriesTable({ kase, countersigns }: { kase: EmergencyCase; countersigns: Countersigns }) {
  return (
    <div className="claims-table-wrap">
      <table className="claims-report__contacts claims-report__entries">
        <thead>
          <tr>
            <th scope="col">{T.colEntry}</th>
            <th scope="col">{T.colEntryRecorded}</th>
            <th scope="col">{T.colEntryHash}</th>
            <th scope="col">{T.colCountersign}</th>
          </tr>
        </thead>
        <tbody>
          {kase.entries.map((e, i) => (
            <tr key={e.id}>
              <td>
                {i + 1}. {ENTRY_TYPE_LABELS[e.body.type]}
                {e.body.type === 'link' ? T.linkedTo(e.body.subject.name, e.body.subject.recipientNumber) : null}
              </td>
              <td>{T.recordedBy(at(e.recordedAt), e.recordedBy.name)}</td>
              <td>
                <code className="claims-report__hash">{e.hash.slice(0, 16)}…</code>
              </td>
              <td>{countersigns.done ? <CountersignCell status={countersigns.lookup(e.id)} /> : T.countersignChecking}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ChainLine({ check, problem, unsigned }: { check: ChainCheck | undefined; problem: string | undefined; unsigned: number }) {
  if (check === undefined) return <>{T.chainChecking}</>;
  // a chain intact whose entry the hub signed otherwise (brokenCases) is no 矛盾なし
  if (!check.ok || problem !== undefined) return <strong className="claims-report__broken">{T.chainBroken(check.ok ? problem! : check.problem)}</strong>;
  return <>{T.chainOk(check.length, unsigned)}</>;
}

function CaseReport({
  n,
  kase,
  decision,
  check,
  problem,
  kept,
  countersigns,
  claimedIn,
}: {
  n: number;
  kase: EmergencyCase;
  decision: ClaimDecision | undefined;
  check: ChainCheck | undefined;
  /** what is wrong with the case when its chain holds but the hub's signature does not (brokenCases) */
  problem: string | undefined;
  /** for a 請求済み month: the case as claimed (null: not in the claim), undefined for a month not closed */
  kept: KeptCase | null | undefined;
  countersigns: Countersigns;
  /** the month (請求済み) that claimed this case before a correction moved it here */
  claimedIn?: string | undefined;
}) {
  const open = kase.open.body;
  const outcome = kase.outcome;
  const until = retentionUntil(kase);
  return (
    <section className="claims-report__case" aria-label={subjectName(kase)}>
      <h2>{T.caseHeading(n, subjectName(kase))}</h2>
      <table className="claims-report__facts">
        <tbody>
          <Row label={T.person}>
            {subjectName(kase)}　{T.colRecipient} {kase.subject.recipientNumber || T.noRecipient}
          </Row>
          <Row label={T.requestedAt}>{at(open.requestedAt)}</Row>
          <Row label={T.requestRecordedAt}>{T.recordedBy(at(kase.open.recordedAt), kase.open.recordedBy.name)}</Row>
          <Row label={T.requestedAtReason}>{open.requestedAtReason || T.none}</Row>
          <Row label={T.caller}>{[open.caller, open.callerPhone].filter(Boolean).join('　') || T.none}</Row>
          <Row label={T.request}>
            <span className="pre">
              {open.category}
              {open.detail ? `　${open.detail}` : ''}
            </span>
            <Corrections kind={T.correctedMark} corrections={kase.open.corrections} />
          </Row>
        </tbody>
      </table>

      <h3>{T.contactsTitle}</h3>
      <ContactsTable kase={kase} />

      <table className="claims-report__facts">
        <tbody>
          <Row label={T.outcome}>
            {outcome ? (
              <>
                <span className="pre">{outcomeText(outcome.body)}</span>
                <Corrections kind={T.correctedMark} corrections={outcome.corrections} />
              </>
            ) : (
              T.noOutcome
            )}
            {kase.withdrawnOutcomes.map((w) => (
              <div key={w.entryId} className="claims-report__withdrawn">
                <strong className="claims-report__mark">{T.withdrawnMark}</strong>
                <span className="claims-report__struck pre">{outcomeText(w.body)}</span>
                <Corrections kind={T.correctedMark} corrections={w.corrections} />
              </div>
            ))}
            {/* an outcome a later outcome entry replaced is still evidence, as in the detail CSV's 以前の対応結果 */}
            {earlierOutcomes(kase).map((o) => (
              <div key={o.entryId} className="claims-report__earlier">
                <strong className="claims-report__mark">{T.earlierOutcomeMark}</strong>
                <span className="pre">{outcomeText(o.body)}</span>
                {`（${T.recordedBy(at(o.recordedAt), o.recordedBy.name)}）`}
                <Corrections kind={T.correctedMark} corrections={o.corrections} />
              </div>
            ))}
          </Row>
          <Row label={T.handler}>{kase.handler.name}</Row>
          <Row label={T.closedAt}>{kase.closedAt ? at(kase.closedAt) : T.notClosed}</Row>
          <Row label={T.decision}>
            <strong>{decision ? CLAIM_STATUS_LABELS[decision.status] : T.none}</strong>
            {decision ? `　${T.units(decision.units)}` : ''}
            {claimedIn !== undefined ? <strong className="claims-report__mark">{`　${T.claimedIn(claimedIn)}`}</strong> : null}
            {decision ? (
              <ul className="claims-report__notes">
                {decision.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : null}
          </Row>
          {kept !== undefined ? <Row label={T.keptDecision}>{kept === null ? T.keptDecisionNone : T.keptDecisionLine(decisionLabel(kept), kept.headHash)}</Row> : null}
          <Row label={T.retention}>{until ? T.retentionUntil(formatJapanDate(until)) : T.retentionOpen}</Row>
          <Row label={T.chain}>
            <ChainLine check={check} problem={problem} unsigned={countersigns.done ? kase.entries.filter((e) => countersigns.lookup(e.id).status !== 'countersigned').length : 0} />
          </Row>
          <Row label={T.headHash}>
            <code className="claims-report__hash">{kase.headHash}</code>
          </Row>
          {check?.ok === true && check.tips > 1 ? (
            // Continued on two phones at once: the last entry names one branch only. This hash names
            // every entry, so a copy kept elsewhere shows an entry of the other branch taken away.
            <Row label={T.stateHash}>
              <code className="claims-report__hash">{check.headHash}</code>
            </Row>
          ) : null}
          <Row label={T.caseId}>
            <code className="claims-report__hash">{kase.id}</code>
          </Row>
          <Row label={T.countersign}>
            {countersigns.done ? countersignSummary(kase.entries.map((e) => e.id), countersigns.lookup) : T.countersignChecking}
          </Row>
        </tbody>
      </table>
      <h3>{T.entriesTitle}</h3>
      <EntriesTable kase={kase} countersigns={countersigns} />
    </section>
  );
}

export function EvidenceReport({ officeId, month }: { officeId: string | null; month: string }) {
  const heading = useHeadingFocus();
  const claim = useMonthClaim(officeId, month);
  const chain = useChainChecks(claim.cases);
  const entries = useMemo(() => claim.cases.flatMap((c) => c.entries), [claim.cases]);
  const countersigns = useCountersigns(entries);
  const ready = chain.done && countersigns.done;
  const printedBy = useApp((s) => s.session?.user.displayName ?? '');
  // A page made to be printed (the browser's own print too): in the 閲覧記録 once per opening, as a household's print sheet.
  const logPrint = useLogExport('print-evidence');
  const reportName = claim.office?.name;
  const [logged, setLogged] = useState<'waiting' | 'done' | 'failed'>('waiting');
  const logOpen = useCallback(async () => {
    if (reportName === undefined) return;
    try {
      await logPrint(exportSubject(month, reportName, T.reportTitle));
      setLogged('done');
    } catch (e) {
      setLogged('failed');
      throw e;
    }
  }, [logPrint, month, reportName]);
  // a month without cases too: its 0件 report is printed when an auditor asks for it
  useLogOpen(reportName !== undefined ? `${officeId}:${month}` : null, logOpen);
  const printable = ready && logged === 'done';
  const [printedAt] = useState(() => formatJapanDateTime(new Date()));
  const office = claim.office;
  usePrintRunningText(RUNNING_TEXT, printable && office ? T.reportRunning(office.name, office.officeNumber, monthLabel(month)) : null);
  // the hub's signatures too, as the claims screen reads them: a mismatch is an alert at the top, not a cell
  const broken = brokenCases(claim.cases, chain, countersigns.done ? countersigns.lookup : undefined);
  // A month already claimed says so: the report shows the records as they are now, the claim as sent is kept apart.
  const closes = useApp((s) => s.monthCloses);
  const closed = useMemo(() => (officeId === null ? null : monthCloseState([...closes.values()], officeId, month).active), [closes, officeId, month]);
  const changes = useClaimChanges(closed, office, claim);
  // A case another month (請求済み) claimed, moved into this one by a correction: billed twice unless returned there.
  const { claimedIn: claimedBefore, billedTwice } = useClaimedBefore(officeId, month, claim);

  return (
    <div className={printable ? 'claims-report paper printable' : 'claims-report paper printable claims-report--unprinted'}>
      <div className="claims-report__controls no-print">
        <a className="btn btn--ghost claims-link-btn" href={claimsPaths.screen(officeId, month)}>
          ← {T.backToClaims}
        </a>
        <Button variant="primary" disabled={!printable} onClick={() => window.print()}>
          {T.print}
        </Button>
        <p className="claims-report__hint">{printable ? T.printHint : T.printWaiting}</p>
        {logged === 'failed' ? <Notice kind="error">{T.reportNotLogged}</Notice> : null}
      </div>
      {!office ? (
        <Notice kind="warn">{T.officeNotFound}</Notice>
      ) : (
        <>
          <header className="claims-report__header">
            <h1 ref={heading} tabIndex={-1}>
              {T.reportTitle}
            </h1>
            <table className="claims-report__facts">
              <tbody>
                <Row label={T.office}>{office.name}</Row>
                <Row label={T.officeNumber}>{office.officeNumber || T.noOfficeNumber}</Row>
                <Row label={T.month}>{monthLabel(month)}</Row>
                <Row label={T.reportClaimState}>
                  {closed === null
                    ? T.reportNotClosed
                    : `${T.closedTitle(monthLabel(month))}　${T.closedLine(formatJapanDate(closed.body.sentOn), closed.recordedBy.name, formatJapanDateTime(closed.recordedAt))}`}
                </Row>
                <Row label={T.printedAt}>{printedAt}</Row>
                <Row label={T.printedBy}>{printedBy}</Row>
                <Row label={T.hubKey}>
                  {countersigns.hubKey !== null ? (
                    <>
                      <code className="claims-report__hash">{formatFingerprint(countersigns.hubKey.fingerprint)}</code>
                      <br />
                      <span>{T.hubKeyCompare}</span>
                      <br />
                      <span className="claims-report__hash">{T.hubPublicKey(countersigns.hubKey.publicKey)}</span>
                    </>
                  ) : countersigns.joined ? (
                    T.hubKeyMissing
                  ) : (
                    T.hubKeyNone
                  )}
                </Row>
              </tbody>
            </table>
          </header>
          {closed !== null ? (
            <section className="claims-report__kept" aria-label={T.keptClaimTitle}>
              <h2>{T.keptClaimTitle}</h2>
              <p>{T.keptClaimIntro}</p>
              <p>{T.totalLine(closed.body.persons, closed.body.count, closed.body.units)}</p>
              {closed.body.summary.length === 0 ? <p>{T.noClaimed}</p> : <SummaryTable rows={closed.body.summary} caption={T.keptClaimTitle} />}
              <table className="claims-report__facts">
                <tbody>
                  {closed.body.exports.map((f) => (
                    <Row key={f.kind} label={T.keptFile(f.fileName, f.size)}>
                      <code className="claims-report__hash">{f.sha256}</code>
                    </Row>
                  ))}
                </tbody>
              </table>
            </section>
          ) : null}
          {closed !== null && changes.length > 0 ? (
            <div className="claims-report__alert" role="alert">
              <strong>{T.reportChangedSinceClose(changes.length)}</strong>
            </div>
          ) : null}
          {billedTwice > 0 ? (
            <div className="claims-report__alert" role="alert">
              <strong>{T.claimedBeforeWarning(billedTwice)}</strong>
            </div>
          ) : null}
          {broken.length > 0 ? (
            <div className="claims-report__alert" role="alert">
              <strong>{T.chainBrokenTitle}</strong>
              <ul>
                {broken.map(({ kase, problem }) => (
                  <li key={kase.id}>{T.chainBrokenItem(subjectName(kase), kase.id, problem)}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <h2>{closed === null ? T.summaryTitle : T.summaryNowTitle}</h2>
          {claim.summary.length === 0 ? <p>{T.noClaimed}</p> : <SummaryTable rows={claim.summary} caption={closed === null ? T.summaryTitle : T.summaryNowTitle} />}
          <h2>{T.reportCases(claim.cases.length)}</h2>
          {claim.cases.length === 0 ? <p>{noCasesMessage(month)}</p> : null}
          {claim.cases.map((c, i) => (
            <CaseReport
              key={c.id}
              n={i + 1}
              kase={c}
              decision={claim.decisions.get(c.id)}
              check={chain.byCase.get(c.id)}
              problem={broken.find((b) => b.kase.id === c.id)?.problem}
              kept={closed === null ? undefined : (closed.body.cases.find((k) => k.caseId === c.id) ?? null)}
              countersigns={countersigns}
              claimedIn={claimedBefore.get(c.id)}
            />
          ))}
          <p className="claims-report__foot">{T.reportFoot}</p>
          <p className="claims-report__foot">{T.verifyHint}</p>
        </>
      )}
    </div>
  );
}
