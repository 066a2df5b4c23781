/** The case list: open cases first (a night call may still be under way), then the recent ones. */
import { useMemo } from 'react';
import { addMonthsToDate, formatJapanDateTime, japanDateOf } from '../../domain/japan-time';
import { subjectShownName, type Current, type EmergencyCase, type OutcomeBody } from '../../domain/emergency-case';
import { Notice, Page, Section } from '../../ui/layout';
import { stayDays, standingOutcomes, type Stay } from '../../domain/case-fold';
import { facilitiesAwaitingCallBack } from '../../domain/call-backs';
import { casePaths } from './route';
import { ST } from './stay-text';
import { T } from './text';
import { useAllCases } from './use-cases';
import { useJapanToday } from '../../state/use-minute-clock';
import { useCasesWithDrafts } from './case-drafts';


/** The morning's reader asks where the person went: the outcome names its facility. */
const outcomeText = (o: OutcomeBody) => (o.facilityName ? `${o.outcome}（${o.facilityName}）` : o.outcome);

/** 「入力途中あり」 on a row: the case screen names the draft, with 続ける. */
function DraftTag() {
  return (
    <>
      {' '}
      <span className="case-tag case-tag--warn">{T.rowDraft}</span>
    </>
  );
}

/** Each row names who took the call: the morning's coordinator knows whom to ask about it. */
function CaseRow({ kase, drafted }: { kase: EmergencyCase; drafted: boolean }) {
  // two phones' outcomes not settled: neither is named as the outcome, whichever read order put last
  const { unsettled } = standingOutcomes(kase);
  const pending = kase.contacts.filter((c) => c.body.result === null).length;
  // facilities that said they would call back: each may hold a bed, and is told how it ended
  const awaiting = facilitiesAwaitingCallBack(kase.contacts).length;
  return (
    <a className="case-row" href={casePaths.case(kase.id)}>
      <span className="case-row__name">
        {subjectShownName(kase.subject)}
        {drafted ? <DraftTag /> : null}
      </span>
      <span className="case-row__meta">
        {T.requestLine(formatJapanDateTime(kase.open.body.requestedAt))}・{kase.open.body.category}・{T.rowHandler(kase.handler.name)}
      </span>
      <span className="case-row__meta">
        {`${T.contactsTitle} ${kase.contacts.length}件`}
        {pending > 0 ? `・${T.resultPending} ${pending}件` : ''}
        {awaiting > 0 ? `・${T.awaitingCount(awaiting)}` : ''}
        {unsettled ? `・${T.outcomesUnsettled}` : kase.outcome ? `・${outcomeText(kase.outcome.body)}` : ''}
        {kase.closedAt ? `・${T.statusClosed(formatJapanDateTime(kase.closedAt))}` : ''}
      </span>
    </a>
  );
}

function CaseSection({ title, id, cases, drafted }: { title: string; id: string; cases: readonly EmergencyCase[]; drafted: ReadonlySet<string> }) {
  if (cases.length === 0) return null;
  return (
    <Section title={title} id={id}>
      <ul className="case-rows">
        {cases.map((c) => (
          <li key={c.id}>
            <CaseRow kase={c} drafted={drafted.has(c.id)} />
          </li>
        ))}
      </ul>
    </Section>
  );
}

interface InStay {
  readonly kase: EmergencyCase;
  readonly outcome: Current<OutcomeBody>;
  readonly stay: Stay;
  /** the admission is one of two outcomes recorded at once on two phones, not yet settled */
  readonly unsettled: boolean;
}

/**
 * The stay a case shows on 緊急入所中: its admission not yet ended (退所). While two phones' outcomes
 * are not settled, an admission among them lists the person too, marked 要確認: read order put the
 * basement phone's 在宅で対応 last, and the person in ふじ was missing from the list.
 */
function inStayOf(kase: EmergencyCase): InStay | null {
  const { outcomes, unsettled } = standingOutcomes(kase);
  const open = outcomes
    .flatMap(({ outcome, stay }) => (stay !== null && stay.endDay === null ? [{ kase, outcome, stay, unsettled }] : []))
    .sort((a, b) => Date.parse(a.stay.from) - Date.parse(b.stay.from));
  return open[0] ?? null;
}

/** 緊急入所中: everyone whose emergency stay has begun and not ended, the longest first, with the day count. */
function InStaySection({ cases, today, drafted }: { cases: readonly EmergencyCase[]; today: string; drafted: ReadonlySet<string> }) {
  // every case of years, read once per change of the cases, not at each draw of the list
  const staying = useMemo(
    () =>
      cases
        .map(inStayOf)
        .filter((x): x is InStay => x !== null)
        .sort((a, b) => Date.parse(a.stay.from) - Date.parse(b.stay.from)),
    [cases],
  );
  if (staying.length === 0) return null;
  return (
    <Section title={ST.listTitle(staying.length)} id="cases-in-stay">
      <ul className="case-rows">
        {staying.map(({ kase, outcome, stay, unsettled }) => (
          <li key={kase.id}>
            <a className="case-row" href={casePaths.case(kase.id)}>
              <span className="case-row__name">
                {subjectShownName(kase.subject)}
                {drafted.has(kase.id) ? <DraftTag /> : null}
              </span>
              <span className="case-row__meta">{ST.listLine(outcome.body.facilityName, formatJapanDateTime(stay.from), stayDays(stay.fromDay, today))}</span>
              {unsettled ? (
                <span className="case-row__meta">
                  <span className="case-tag case-tag--warn">{T.outcomesUnsettled}</span>
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </Section>
  );
}

export function CaseList() {
  const cases = useAllCases();
  // read again at midnight: the list left open through it said 「4日目」 on the fifth day
  const today = useJapanToday();
  const drafted = useCasesWithDrafts();
  const { open, recent } = useMemo(() => {
    const since = addMonthsToDate(today, -2);
    return {
      open: cases.filter((c) => c.closedAt === null),
      recent: cases.filter((c) => c.closedAt !== null && japanDateOf(c.open.body.requestedAt) >= since),
    };
  }, [cases, today]);

  return (
    <Page
      title={T.listTitle}
      actions={
        <a className="btn btn--secondary" href={casePaths.claims()}>
          {T.claimsLink}
        </a>
      }
    >
      <a className="btn btn--secondary case-wide" href={casePaths.newUnknown()}>
        {T.startUnknown}
      </a>
      <p className="case-hint">{T.startUnknownHint}</p>
      {cases.length === 0 ? <Notice>{T.noCases}</Notice> : null}
      {/* Tonight's case first: the one being worked on is what the coordinator comes back for. */}
      <CaseSection title={`${T.openCases}（${open.length}件）`} id="cases-open" cases={open} drafted={drafted} />
      <InStaySection cases={cases} today={today} drafted={drafted} />
      <CaseSection title={T.recentCases} id="cases-recent" cases={recent} drafted={drafted} />
    </Page>
  );
}
