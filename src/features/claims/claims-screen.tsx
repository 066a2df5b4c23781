/**
 * 相談強化加算 請求・出力 ('#/claims'): pick the office and the month, see every case of the month
 * with its claim decision and the month's claim per person, and write the summary and detail CSV
 * files. Every case's chain is checked first: a case whose evidence fails its check is named
 * loudly and blocks the exports, so nothing is claimed on a record that cannot be trusted.
 * '#/claims/print?…' is the printable evidence report (evidence-report.tsx).
 */
import { useEffect, useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { useJapanToday } from '../../state/use-minute-clock';
import { useCountersigns } from '../../state/use-countersigns';
import type { CountersignLookup } from '../../domain/countersign-status';
import {
  ClaimCsvError,
  assertExportable,
  noCasesMessage,
  type ClaimCsvEncoding,
} from '../../domain/claim-csv';
import { CLAIM_STATUS_LABELS, type ClaimDecision } from '../../domain/claim-types';
import type { EmergencyCase, Office } from '../../domain/emergency-case';
import type { IsoDate } from '../../domain/household';
import { formatJapanDateTime, japanDateOf } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { SelectField } from '../../ui/field';
import { Notice, Page, Section } from '../../ui/layout';
import { Busy } from '../../ui/status';
import { EvidenceReport } from './evidence-report';
import {
  claimsPaths,
  defaultClaimMonth,
  monthLabel,
  navigate,
  offeredMonths,
  parseClaimsRoute,
  useHash,
} from './route';
import { parseArea } from '../../state/router';
import { SummaryTable } from './summary-table';
import { summaryTotals } from '../../domain/claim-rules';
import { ClosedMonth, CloseSection } from './month-close';
import { monthCloseState } from '../../domain/claim-close';
import { formatPeriod, periodTouchesMonth } from '../../domain/office';
import { isDemoId } from '../../domain/demo-id';
import { T } from './text';
import { brokenCases, subjectName, useChainChecks, useClaimedBefore, useMonthClaim, type ChainChecks, type MonthClaim } from './use-claims';
import './claims.css';
import { downloadBytes } from '../../ui/download';
import { exportFileSubject, useLogExport } from './log-export';
import { claimFile, type ClaimFile } from './claim-files';


/**
 * Kinds a claim is made of (case entries, 請求済み, offices): one of them damaged on this phone and
 * set aside at the unlock (the store's `unreadable`) may be a case's last entry or a month's close,
 * so no claim is written out or closed from what is left.
 */
const CLAIM_KINDS = ['case-entry', 'month-close', 'office'] as const;
function useDamagedEvidence(): boolean {
  return useApp((s) => CLAIM_KINDS.some((k) => (s.unreadable.get(k) ?? 0) > 0));
}

export function ClaimsScreen() {
  const route = parseClaimsRoute(useHash());
  // the months offered move on at midnight on the 1st with a screen left open
  const today = useJapanToday();
  const session = useApp((s) => s.session);
  const remembered = lastChoice.session === session ? lastChoice : null;
  const month = route.month ?? remembered?.month ?? defaultClaimMonth(today);
  if (route.name === 'print') return <EvidenceReport officeId={route.officeId} month={month} />;
  return <ClaimsMain today={today} initialOfficeId={route.officeId ?? remembered?.officeId ?? null} initialMonth={month} />;
}

/**
 * The office and month last chosen on this page: 「請求・出力」 from the nav (no month in its URL)
 * returns to them instead of resetting to last month. Kept for one session (a reload keeps them in the URL).
 */
const lastChoice: { session: unknown; officeId: string | null; month: string | null } = { session: null, officeId: null, month: null };

export function sortedOffices(offices: ReadonlyMap<string, Office>): Office[] {
  return [...offices.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja') || (a.id < b.id ? -1 : 1));
}

function ClaimsMain({ today, initialOfficeId, initialMonth }: { today: IsoDate; initialOfficeId: string | null; initialMonth: string }) {
  const offices = useApp((s) => s.offices);
  const sorted = useMemo(() => sortedOffices(offices), [offices]);
  const [chosenOffice, setChosenOffice] = useState(initialOfficeId);
  const [month, setMonth] = useState(initialMonth);
  const officeId = chosenOffice !== null && offices.has(chosenOffice) ? chosenOffice : (sorted[0]?.id ?? null);
  // The choice is the screen's URL (replacing it: back leaves the screen rather than stepping through months).
  const session = useApp((s) => s.session);
  useEffect(() => {
    lastChoice.session = session;
    lastChoice.officeId = officeId;
    lastChoice.month = month;
    // Only while the screen is still what the address shows: a tap on the report link (or the nav)
    // that lands before this effect runs has already left it, and must not be pulled back.
    if (parseArea(window.location.hash) !== 'claims' || parseClaimsRoute(window.location.hash).name !== 'screen') return;
    navigate(claimsPaths.screen(officeId, month), { replace: true });
  }, [session, officeId, month]);
  const months = useMemo(() => {
    const offered = offeredMonths(today);
    return offered.includes(month) ? offered : [...offered, month].sort().reverse();
  }, [today, month]);

  const back = (
    <a className="btn btn--ghost" href="#/cases" aria-label={T.backToCases}>
      ←
    </a>
  );

  if (sorted.length === 0 || officeId === null) {
    return (
      <Page title={T.title} back={back}>
        <Notice
          kind="warn"
          action={
            <a className="btn btn--secondary claims-link-btn" href="#/settings">
              {T.openSettings}
            </a>
          }
        >
          {T.noOffices}
        </Notice>
      </Page>
    );
  }

  return (
    <Page title={T.title} back={back}>
      <p className="claims-intro">{T.intro}</p>
      <p>
        <a className="btn btn--secondary" href="#/bonus">
          {T.functionBonusLink}
        </a>
      </p>
      <div className="claims-pickers">
        <SelectField
          label={T.office}
          value={officeId}
          onChange={(e) => setChosenOffice(e.target.value)}
          options={sorted.map((o) => ({ value: o.id, label: o.officeNumber ? `${o.name}（${o.officeNumber}）` : o.name }))}
        />
        <SelectField
          label={T.month}
          value={month}
          onChange={(e) => setMonth(e.target.value)}
          options={months.map((m) => ({ value: m, label: monthLabel(m) }))}
        />
      </div>
      <MonthView key={`${officeId}|${month}`} officeId={officeId} month={month} />
    </Page>
  );
}

function MonthView({ officeId, month }: { officeId: string; month: string }) {
  const claim = useMonthClaim(officeId, month);
  const chain = useChainChecks(claim.cases);
  // the hub's receipts too: an entry its signature does not match blocks as a broken chain does
  const signedEntries = useMemo(() => claim.cases.flatMap((c) => c.entries), [claim.cases]);
  const signatures = useCountersigns(signedEntries);
  const records = useApp((s) => s.monthCloses);
  const [encoding, setEncoding] = useState<ClaimCsvEncoding>('utf-8-bom');
  const office = claim.office;
  const total = summaryTotals(claim.summary);
  const { active } = useMemo(() => monthCloseState([...records.values()], officeId, month), [records, officeId, month]);
  const { claimedIn: claimedBefore, billedTwice } = useClaimedBefore(officeId, month, claim);
  // A demo office's month closes as demo, whatever its cases (its unnamed callers have no household):
  // kept off the change log and cleared with the demo. A real office's month holds real cases only
  // (useMonthClaim leaves the demo's out), so its close is real.
  const demo = isDemoId(officeId);
  const damaged = useDamagedEvidence();
  if (!office) return <Notice kind="warn">{T.officeNotFound}</Notice>;
  const blocked = damaged || brokenCases(claim.cases, chain, signatures.done ? signatures.lookup : undefined).length > 0;
  const header = (
    <>
      {claim.unreadable.length > 0 ? <Notice kind="error">{T.unreadable(claim.unreadable.join('、'))}</Notice> : null}
      {claim.demoLeftOut > 0 ? <p className="muted">{T.demoLeftOut(claim.demoLeftOut)}</p> : null}
      <ChainStatus claim={claim} chain={chain} countersign={signatures.done ? signatures.lookup : undefined} />
      {office.hubPeriods.length === 0 ? (
        <Notice kind="warn">{T.notHub}</Notice>
      ) : !office.hubPeriods.some((p) => periodTouchesMonth(p, month)) ? (
        <Notice kind="warn">{T.notHubThisMonth(monthLabel(month), office.hubPeriods.map(formatPeriod).join('、'))}</Notice>
      ) : null}
    </>
  );
  const exports = <ExportSection office={office} month={month} claim={claim} claimedIn={claimedBefore} chain={chain} encoding={encoding} setEncoding={setEncoding} closed={active !== null} />;
  // Once closed, the month shows the claim as sent, never recomputed; what differs now is listed apart.
  if (active !== null) {
    return (
      <>
        {header}
        <ClosedMonth office={office} month={month} close={active} claim={claim} encoding={encoding} demo={demo} />
        {exports}
      </>
    );
  }
  return (
    <>
      {header}
      {billedTwice > 0 ? <Notice kind="warn">{T.claimedBeforeWarning(billedTwice)}</Notice> : null}

      <Section title={`${T.summaryTitle}　${monthLabel(month)}`} id="claims-summary">
        <p className="claims-total">{T.totalLine(total.persons, total.count, total.units)}</p>
        {claim.summary.length === 0 ? <p>{T.noClaimed}</p> : <SummaryTable rows={claim.summary} caption={T.summaryTitle} />}
      </Section>

      <Section title={T.casesTitle(claim.cases.length)} id="claims-cases">
        {claim.cases.length === 0 ? (
          <p className="claims-empty">{noCasesMessage(month)}</p>
        ) : (
          <ul className="claims-cases">
            {claim.cases.map((c) => (
              <CaseItem key={c.id} kase={c} decision={claim.decisions.get(c.id)} broken={chain.byCase.get(c.id)?.ok === false} claimedIn={claimedBefore.get(c.id)} />
            ))}
          </ul>
        )}
      </Section>

      {exports}
      <CloseSection office={office} month={month} claim={claim} claimedIn={claimedBefore} chain={chain} encoding={encoding} blocked={blocked} demo={demo} />
    </>
  );
}

/** The chain checks of the month's cases: a quiet line when all hold, a loud alert naming each that does not. */
function ChainStatus({ claim, chain, countersign }: { claim: MonthClaim; chain: ChainChecks; countersign: CountersignLookup | undefined }) {
  if (claim.cases.length === 0) return null;
  // The waiting line and the line that replaces it take the same room, so nothing below moves when the check ends.
  if (!chain.done) {
    return (
      <div className="claims-chain">
        <Busy>{T.checking}</Busy>
      </div>
    );
  }
  const broken = brokenCases(claim.cases, chain, countersign);
  if (broken.length === 0) {
    return (
      <div className="claims-chain">
        <p className="claims-chain-ok">{T.chainAllOk(claim.cases.length)}</p>
      </div>
    );
  }
  return (
    <Notice kind="error">
      <p className="claims-alert-title">{T.chainBrokenTitle}</p>
      <ul className="claims-broken-list">
        {broken.map(({ kase, problem }) => (
          <li key={kase.id}>
            <a href={claimsPaths.case(kase.id)}>{T.chainBrokenItem(subjectName(kase), kase.id, problem)}</a>
          </li>
        ))}
      </ul>
      <p>{T.exportsBlocked}</p>
    </Notice>
  );
}

function CaseItem({ kase, decision, broken, claimedIn }: { kase: EmergencyCase; decision: ClaimDecision | undefined; broken: boolean; claimedIn?: string | undefined }) {
  const status = decision?.status ?? 'not-claimable';
  return (
    <li className={broken ? 'claims-case claims-case--broken' : 'claims-case'}>
      <p className="claims-case__name">
        {subjectName(kase)}
        {kase.subject.recipientNumber ? <span className="claims-case__number">{kase.subject.recipientNumber}</span> : null}
      </p>
      <p className="claims-case__line">
        <span className={`claims-status claims-status--${status}`}>{CLAIM_STATUS_LABELS[status]}</span>
        {decision && decision.units > 0 ? <span>{T.units(decision.units)}</span> : null}
        {broken ? <span className="claims-status claims-status--broken">{T.chainBrokenTag}</span> : null}
      </p>
      {claimedIn !== undefined ? <p className="claims-case__warn">{T.claimedIn(claimedIn)}</p> : null}
      <p className="claims-case__meta">{T.requestLine(formatJapanDateTime(kase.open.body.requestedAt))}</p>
      {decision?.coordinatedAt ? <p className="claims-case__meta">{T.coordinatedLine(formatJapanDateTime(decision.coordinatedAt))}</p> : null}
      <p className="claims-case__meta">{kase.closedAt ? T.statusClosed(formatJapanDateTime(kase.closedAt)) : T.statusOpen}</p>
      {decision ? (
        <ul className="claims-reasons">
          {decision.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
      <a className="claims-link" href={claimsPaths.case(kase.id)}>
        {T.openCase}
      </a>
    </li>
  );
}

type ExportKind = 'summary' | 'detail';
type Problem = { readonly kind: ExportKind; readonly code: 'no-cases' | 'unencodable' | 'failed'; readonly message: string };

function ExportSection({
  office,
  month,
  claim,
  claimedIn,
  chain,
  encoding,
  setEncoding,
  closed,
}: {
  office: Office;
  month: string;
  claim: MonthClaim;
  /** the cases claimed in another month already 請求済み (useClaimedBefore): the 明細 says so */
  claimedIn: ReadonlyMap<string, string>;
  chain: ChainChecks;
  encoding: ClaimCsvEncoding;
  setEncoding: (e: ClaimCsvEncoding) => void;
  closed: boolean;
}) {
  const [written, setWritten] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const logExport = useLogExport();
  const entries = useMemo(() => claim.cases.flatMap((c) => c.entries), [claim.cases]);
  const countersigns = useCountersigns(entries);
  const damaged = useDamagedEvidence();
  const blocked = damaged || brokenCases(claim.cases, chain, countersigns.done ? countersigns.lookup : undefined).length > 0;
  const waiting = claim.cases.length > 0 && (!chain.done || !countersigns.done);
  const pending = claim.cases.filter((c) => claim.decisions.get(c.id)?.status === 'pending').length;
  const open = claim.cases.filter((c) => c.closedAt === null).length;

  async function run(kind: ExportKind, enc: ClaimCsvEncoding) {
    setWritten(null);
    setProblem(null);
    if (blocked || waiting) return;
    let file: ClaimFile;
    try {
      assertExportable(claim.cases, month);
      // today's figures for a month already sent: named apart from the files sent (-genzai)
      file = await claimFile(kind, { office, month, claim, claimedIn, countersign: countersigns.lookup }, enc, { current: closed });
    } catch (e) {
      if (e instanceof ClaimCsvError) setProblem({ kind, code: e.code, message: e.message });
      else setProblem({ kind, code: 'failed', message: T.exportFailed });
      return;
    }
    try {
      // the file's hashes with it: 請求済み compares them with the files it keeps then
      await logExport(exportFileSubject(month, office.name, file, enc));
    } catch {
      setProblem({ kind, code: 'failed', message: T.exportNotLogged });
      return;
    }
    downloadBytes(file.bytes, file.fileName, 'text/csv');
    setWritten(T.exported(file.fileName, T.exportKinds[kind], T.encodingNames[enc]));
  }

  return (
    <Section title={T.exportTitle} id="claims-export">
      {closed ? <p className="muted">{T.closedExportNote}</p> : null}
      {pending > 0 ? <Notice kind="warn">{T.pendingWarning(pending)}</Notice> : null}
      {open > 0 ? <Notice kind="warn">{T.openWarning(open)}</Notice> : null}
      {/* One line that changes its words, never comes or goes: the buttons and the report link below stay put. */}
      {blocked ? (
        <p className="claims-blocked">{damaged ? T.exportsBlockedUnreadable : T.exportsBlocked}</p>
      ) : claim.cases.length > 0 ? (
        <p className="muted claims-export-state">{waiting ? T.exportWaiting : T.exportReady}</p>
      ) : null}
      <SelectField
        label={T.encoding}
        hint={T.encodingHint}
        value={encoding}
        onChange={(e) => setEncoding(e.target.value as ClaimCsvEncoding)}
        options={[
          { value: 'utf-8-bom', label: T.encodingUtf8 },
          { value: 'shift_jis', label: T.encodingSjis },
        ]}
      />
      <p className="muted claims-export-privacy">{T.exportPrivacy}</p>
      <div className="claims-actions">
        <Button variant="primary" disabled={blocked || waiting} onClick={() => void run('summary', encoding)}>
          {T.exportSummary}
        </Button>
        <Button variant="primary" disabled={blocked || waiting} onClick={() => void run('detail', encoding)}>
          {T.exportDetail}
        </Button>
      </div>
      {problem ? (
        <Notice
          kind={problem.code === 'no-cases' ? 'warn' : 'error'}
          action={
            problem.code === 'unencodable' ? (
              <Button
                onClick={() => {
                  setEncoding('utf-8-bom');
                  void run(problem.kind, 'utf-8-bom');
                }}
              >
                {T.useUtf8}
              </Button>
            ) : undefined
          }
        >
          {problem.message}
        </Notice>
      ) : null}
      {written ? (
        <p className="status-line claims-written" role="status">
          {written}
        </p>
      ) : null}
      <a className="btn btn--secondary claims-wide" href={claimsPaths.print(office.id, month)}>
        {T.printReport}
      </a>
    </Section>
  );
}
