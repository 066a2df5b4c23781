/**
 * 受入先を探す: the night-time match (DOMAIN.md §3, SCENARIOS.md 1). Who takes this person tonight,
 * freshest vacancy first, with the facilities that miss a need listed apart (never hidden) and a
 * big tap-to-call link on every card. Opened for a case, a call is recorded in it; opened without
 * one, the top of the screen says that nothing is recorded and offers to start (or to use the
 * person's open case).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useApp } from '../../state/store';
import { useHousehold } from '../../state/use-household';
import { useLogOpen } from '../../state/use-log-open';
import { useHash } from '../../state/router';
import { DISABILITY_LABELS } from '../../domain/disability';
import { closureOn, closureText, type Facility } from '../../domain/facility';
import type { IsoDate, Person } from '../../domain/household';
import { NoConsentLine } from '../../ui/person-summary';
import { AGE_CATEGORY_LABELS, adultWithin, isValidIsoDate, japanDateOf, formatJapanDateTime, formatJapanDateTimeOrText, formatJapanShortDateTime, formatMonthDay } from '../../domain/japan-time';
import { isDemoId } from '../../domain/demo-id';
import { matchFacilities, takesOnlyChild, type FacilityMatch } from '../../domain/match';
import { vacancyStanding } from '../../domain/match-order';
import { useMinuteClock } from '../../state/use-minute-clock';
import { latestStayFirst, trialStaysByFacility, type TrialStay } from '../../domain/trial-stay';
import { listedFacilityId, previousStayIds } from '../../domain/past-stays';
import { agoInWords } from '../../domain/night-call';
import type { EmergencyCase } from '../../domain/emergency-case';
import { useAdmittedFacilities, useCallsElsewhere, useOpenCaseOf } from '../../state/use-open-case';
import type { CallElsewhere } from '../../domain/open-case';
import { Notice, Page, Section } from '../../ui/layout';
import { Button } from '../../ui/button';
import { matchPaths, parseCaseParam, parseMatchRoute } from './match-route';
import { callsByFacility, useCallRecorder, useRecordingCase } from './calls';
import { CalledGroup } from './called-group';
import { CallLinks, type OnCall } from './call-links';
import { personForTonight, TonightForm, useTonight } from './tonight';
import { ElsewhereLines, useAdmissionsElsewhere } from './elsewhere';
import { T } from './text';
import './match.css';

export { parseMatchRoute, matchPaths } from './match-route';

const PERSON_LINE_ID = 'match-person-name';

/** 「世帯の情報を編集」: what the match needs goes into the 聞き取り票 there. */
function EditHouseholdLink({ householdId, primary = false }: { householdId: string; primary?: boolean }) {
  return (
    <a className={`btn ${primary ? 'btn--primary' : 'btn--secondary'}`} href={matchPaths.edit(householdId)}>
      {T.editHousehold}
    </a>
  );
}

export function MatchScreen() {
  const hash = useHash();
  const route = parseMatchRoute(hash);
  const { household, loading } = useHousehold(route?.householdId);
  // The match reads the person's record (age, disabilities, medical care, past stays): a 閲覧記録 entry.
  useLogOpen(route?.householdId);
  const facilityMap = useApp((s) => s.facilities);
  const caseId = parseCaseParam(hash);
  const caseOpen = useApp((s) => (caseId ? s.caseEntries.get(caseId)?.[0] : undefined));
  const kase = useRecordingCase(caseOpen ? caseId : null);
  // The request time as the case reads it, its correction applied (要請 put back from 00:05 to the
  // 23:50 the aunt rang decides 者/児 on a birthday), as on the case screen.
  const requestedAt = kase !== null ? kase.open.body.requestedAt : caseOpen?.body.type === 'open' ? caseOpen.body.requestedAt : null;
  // The call time decides the day, hence 者/児: the case's request time, else when the screen opened.
  const [openedAt] = useState(() => new Date());
  const callAt = useMemo(() => (requestedAt ? new Date(requestedAt) : openedAt), [requestedAt, openedAt]);
  const recording = kase !== null && kase.closedAt === null;
  const recorder = useCallRecorder(recording ? kase.id : null);
  const calls = useMemo(() => callsByFacility(kase), [kase]);
  // A facility called in this case moves to 電話済み at the top, once, with all its calls; the
  // cards in the order of each one's last call (the one just dialled last, its result buttons in reach).
  const called = useMemo(
    () =>
      [...calls]
        .map(([facilityId, list]) => ({ facilityId, calls: list }))
        .sort((a, b) => Date.parse(a.calls.at(-1)!.body.contactedAt) - Date.parse(b.calls.at(-1)!.body.contactedAt)),
    [calls],
  );
  // one office registered twice is one card: a call to either record is a call to it
  const open = (m: FacilityMatch) => !calls.has(m.facility.id) && !m.twins.some((t) => calls.has(t.id));
  // Bed reports are read against the clock, not the request time: a report made after the call
  // came in is the freshest news there is, and one a day old has expired even in a case still open.
  const now = useMinuteClock();
  // Opened without a case it can record in: the person's open case, if there is one, is offered.
  const personsCase = useOpenCaseOf(kase ? null : route?.householdId, route?.personId);
  // tonight's calls in other cases: the facility that said 受入不可 at 01:40 for another emergency
  // (opened without a case, the person's own open case is not 「別の緊急対応」)
  const elsewhere = useCallsElsewhere(kase?.id ?? personsCase?.id ?? null, now);
  // an office registered twice: the latest call to either record
  const elsewhereOf = (m: FacilityMatch): CallElsewhere | undefined => {
    let latest: CallElsewhere | undefined;
    for (const f of [m.facility, ...m.twins]) {
      const call = elsewhere.get(f.id);
      if (call !== undefined && (latest === undefined || Date.parse(call.contactedAt) > Date.parse(latest.contactedAt))) latest = call;
    }
    return latest;
  };

  const person = household?.persons.find((p) => p.id === route?.personId);
  // The demo's facilities are made up: a real person's match leaves them out (a call to one, recorded
  // in a real case, named a facility that does not exist); a demo household's match has them.
  const demoHousehold = household ? isDemoId(household.id) : false;
  const facilities = useMemo(() => [...facilityMap.values()].filter((f) => demoHousehold || !isDemoId(f.id)), [facilityMap, demoHousehold]);
  const demoLeftOut = demoHousehold ? 0 : facilityMap.size - facilities.length;
  // and the admissions there in other cases: the bed reported at 18:00 that another emergency took at 01:45
  const admissions = useAdmissionsElsewhere(kase?.id ?? personsCase?.id ?? null, now, facilities);
  const allTrialStays = useApp((s) => s.trialStays);
  // 体験利用 recorded for this person: those facilities count as 以前に利用した事業所 too.
  // (a stay entered on a record the hub's admin has since withdrawn counts for the office's other record)
  const trials = useMemo(() => {
    const byListed = new Map<string, TrialStay[]>();
    if (!household || !person) return byListed;
    for (const [id, stays] of trialStaysByFacility(allTrialStays.values(), household.id, person.id)) {
      const listed = listedFacilityId(id, stays[0]!.facilityName, facilities) ?? id;
      byListed.set(listed, [...(byListed.get(listed) ?? []), ...stays].sort(latestStayFirst));
    }
    return byListed;
  }, [allTrialStays, household, person, facilities]);
  // an office's trial stays, whichever of its records they were entered on; the latest first
  const trialsOf = (m: FacilityMatch): readonly TrialStay[] | undefined =>
    m.twins.length === 0
      ? trials.get(m.facility.id)
      : [m.facility, ...m.twins].flatMap((f) => trials.get(f.id) ?? []).sort(latestStayFirst);
  // and a past emergency admission there (短期入所 as a case's outcome), on whichever record of the office
  const admittedAt = useAdmittedFacilities(household?.id, person?.id);
  const admitted = useMemo(() => [...admittedAt].map(([id, name]) => listedFacilityId(id, name, facilities) ?? id), [admittedAt, facilities]);
  const [tonight, chooseTonight] = useTonight(`${route?.householdId ?? ''}/${route?.personId ?? ''}`);
  // read once for the person and the list, not at every minute the clock moves the match
  const stayedAt = useMemo(() => (person ? previousStayIds(person, facilities) : new Set<string>()), [person, facilities]);
  const { result, recorded } = useMemo(() => {
    if (!person) return { result: null, recorded: null };
    const previousStays = new Set([...stayedAt, ...trials.keys(), ...admitted]);
    const asRecorded = matchFacilities({ person, callAt, now, facilities, previousStays, admissionsElsewhere: admissions });
    // What the 聞き取り票 lacks, tonight's choice fills (this screen only): the record's own match otherwise.
    if (asRecorded.kind !== 'incomplete' || tonight === null) return { result: asRecorded, recorded: asRecorded };
    const stands = personForTonight(person, { category: asRecorded.missing.includes('birthDate') ? tonight.category : null, types: asRecorded.missing.includes('disabilityTypes') ? tonight.types : [] }, japanDateOf(callAt));
    return { result: matchFacilities({ person: stands, callAt, now, facilities, previousStays, admissionsElsewhere: admissions }), recorded: asRecorded };
  }, [person, callAt, now, facilities, stayedAt, trials, admitted, tonight, admissions]);
  /** what tonight's choice stands in for, when the match runs on it */
  const standIn = recorded?.kind === 'incomplete' && result?.kind !== 'incomplete' ? recorded.missing : null;

  // Calling for a case, back is the case; otherwise the household.
  const back = caseOpen ? (
    <a className="match-link" href={matchPaths.case(caseOpen.caseId)}>
      {T.backToCase}
    </a>
  ) : household ? (
    <a className="match-link" href={matchPaths.detail(household.id)}>
      {T.back}
    </a>
  ) : undefined;

  if (!route || !household || !person || !result) {
    return (
      <Page title={T.title}>
        {loading ? <p role="status">{T.loading}</p> : <Notice kind="warn">{T.notFound}</Notice>}
        <a className="match-link" href="#/">
          {T.backToList}
        </a>
      </Page>
    );
  }

  const name = person.name.trim() || T.noName;
  // 要請 is the case's request time; a match without a case shows none (nothing was requested).
  const callText = requestedAt ? T.callAt(formatJapanShortDateTime(requestedAt)) : null;

  if (result.kind === 'incomplete') {
    return (
      <Page title={T.title} back={back}>
        <div className="match-person">
          <p className="match-person__name">{name}</p>
          {callText ? <p className="match-person__call">{callText}</p> : null}
        </div>
        <Notice
          kind="error"
          action={<EditHouseholdLink householdId={household.id} primary />}
        >
          {result.message}
        </Notice>
        <TonightForm
          missing={result.missing}
          onChoose={(t) => {
            chooseTonight(t);
            // the form goes: focus moves to the person the list is now for, not back to the page's top
            requestAnimationFrame(() => document.getElementById(PERSON_LINE_ID)?.focus());
          }}
        />
      </Page>
    );
  }

  // A 児 turning 18 within the week after the call's day: a stay begun tonight may cross the birthday,
  // from which a facility that takes only 児 takes the person no more (none when tonight's choice stands in for the age).
  const birthDate = standIn?.includes('birthDate') ? null : person.birthDate;
  const adultOn = result.category === 'child' && birthDate !== null && isValidIsoDate(birthDate) ? adultWithin(birthDate, result.day) : null;
  const childOnlyFrom = (m: FacilityMatch) => (adultOn !== null && takesOnlyChild(m.facility, result.needs) ? adultOn : null);

  return (
    <Page title={T.title} back={back}>
      {kase ? (
        <RecordingBanner closed={!recording} message={recorder.message} />
      ) : (
        <NotRecordedNotice householdId={household.id} personId={person.id} openCase={personsCase} />
      )}
      <div className="match-person">
        <p className="match-person__name" id={PERSON_LINE_ID} tabIndex={-1}>
          {standIn?.includes('birthDate')
            ? T.personLineTonight(name, AGE_CATEGORY_LABELS[result.category])
            : adultOn !== null
              ? T.personLineAdultSoon(name, result.age, AGE_CATEGORY_LABELS[result.category], T.monthDay(adultOn))
              : T.personLine(name, result.age, AGE_CATEGORY_LABELS[result.category])}
        </p>
        <div className="match-person__row">
          {callText ? <p className="match-person__call">{callText}</p> : null}
          <ul className="match-chips" aria-label={T.needsLabel}>
            {result.needs.map((n) => (
              <li key={n} className="match-chip">
                {DISABILITY_LABELS[n]}
              </li>
            ))}
          </ul>
        </div>
      </div>
      <NoConsentLine household={household} />
      {standIn !== null ? (
        <Notice
          kind="warn"
          action={<EditHouseholdLink householdId={household.id} />}
        >
          {T.tonightNotice(T.tonightWhat[standIn.length === 2 ? 'both' : standIn[0]!])}
        </Notice>
      ) : null}
      {demoLeftOut > 0 ? <p className="match-order">{T.demoLeftOut(demoLeftOut)}</p> : null}
      {facilities.length === 0 ? (
        <Notice
          kind="warn"
          action={
            <a className="btn btn--primary" href={matchPaths.facilities()}>
              {T.facilitiesLink}
            </a>
          }
        >
          {T.noFacilities}
        </Notice>
      ) : (
        <>
          {kase ? <CalledGroup kase={kase} groups={called} facilities={facilityMap} onCall={recorder.record} now={now} /> : null}
          {result.fits.length > 0 && !result.fits.some(open) ? (
            <p className="match-all-called">{T.allCalled}</p>
          ) : (
            <Section title={T.fitsTitle} id="match-fits">
              {result.fits.length === 0 ? (
                <Notice kind="warn">{T.noFits}</Notice>
              ) : (
                <CardList
                  matches={result.fits.filter(open)}
                  first={FIRST_FITS}
                  render={(m) => <MatchCard match={m} now={now} callAt={callAt} trials={trialsOf(m)} elsewhere={elsewhereOf(m)} childOnlyFrom={childOnlyFrom(m)} onCall={recorder.record} />}
                />
              )}
              <p className="match-order">{result.orderExplanation}</p>
            </Section>
          )}
          <Section title={T.nearMissTitle} id="match-near">
            {result.nearMisses.length === 0 ? (
              <p>{T.noNearMisses}</p>
            ) : (
              <>
                <CardList
                  matches={result.nearMisses.filter(open)}
                  first={FIRST_NEAR_MISSES}
                  render={(m) => (
                    <MatchCard match={m} now={now} callAt={callAt} trials={trialsOf(m)} elsewhere={elsewhereOf(m)} childOnlyFrom={childOnlyFrom(m)} near onCall={recorder.record} />
                  )}
                />
                <p className="match-order">{T.nearMissNote}</p>
              </>
            )}
          </Section>
          {result.closed.some(open) ? (
            <Section title={T.closedTitle} id="match-closed">
              <p className="match-order">{T.closedNote}</p>
              <CardList
                matches={result.closed.filter(open)}
                first={FIRST_NEAR_MISSES}
                render={(m) => <MatchCard match={m} now={now} callAt={callAt} near closed onCall={recorder.record} />}
              />
            </Section>
          ) : null}
          {kase && result.fits.length > 0 && !result.fits.some(open) ? <p className="match-order">{T.noneFoundHint}</p> : null}
        </>
      )}
    </Page>
  );
}

/**
 * One office registered twice (two phones offline): this card is the record with the newest bed report;
 * a number only the other record holds is named, to be tried if this one does not answer.
 */
function TwinsLine({ match, now }: { match: FacilityMatch; now: Date }) {
  const f = match.facility;
  const shown = new Set([f.phone, f.nightPhone].map((p) => p.trim()).filter(Boolean));
  const others = [...new Set(match.twins.flatMap((t) => [t.phone, t.nightPhone].map((p) => p.trim()).filter((p) => p !== '' && !shown.has(p))))];
  // a 休止 recorded on the other record only: this card is a candidate, and the call finds out which holds
  const today = japanDateOf(now);
  const closed = match.twins.map((t) => closureOn(t, today)).find((c) => c !== null) ?? null;
  return (
    <p className="match-card__twins">
      {T.twins(match.twins.length + 1)}
      {closed ? <span className="match-card__twins-phones">{T.twinClosed(closureText(closed))}</span> : null}
      {others.length > 0 ? <span className="match-card__twins-phones">{T.twinPhones(others.join('／'))}</span> : null}
    </p>
  );
}

/** The vacancy as reported, and how long ago in words; 0 beds reads 満床. */
function VacancyLine({ match, now }: { match: FacilityMatch; now: Date }) {
  const v = match.vacancy;
  if (!v) return <p className="match-card__vacancy">{T.noVacancy}</p>;
  const ago = agoInWords(v.asOf, now) ?? formatJapanDateTimeOrText(v.asOf);
  const standing = vacancyStanding(v, now.getTime());
  // beds taken since the report by admissions in other cases (ElsewhereLines says when): what is left of them
  const taken = standing === 'fresh' ? match.bedsTaken : 0;
  const count = v.beds === 0 ? T.full : taken === 0 ? T.beds(v.beds) : taken < v.beds ? T.bedsLeft(v.beds, v.beds - taken) : T.bedsTaken(v.beds);
  const beds = v.from && v.until ? T.bedsFor(count, formatMonthDay(v.from), formatMonthDay(v.until)) : count;
  const text = standing === 'fresh' || standing === 'full' ? T.vacancy(beds, ago) : standing === 'later' ? T.laterVacancy(beds, ago) : T.oldVacancy(beds, ago);
  // the liaison's word on it (「土曜の夜のみ」「女性のみ」) may decide the call: said under the figure, with who said it
  const note = v.note?.trim() ?? '';
  return (
    <>
      <p className={match.freshVacancy ? 'match-card__vacancy match-card__vacancy--fresh' : 'match-card__vacancy'}>{text}</p>
      {note !== '' ? <p className="match-card__vacancy-note">{T.vacancyNote(note, v.reportedBy.trim())}</p> : null}
    </>
  );
}

/**
 * A match opened without a case (from the household screen, say): calls made here leave no
 * evidence, so the top of the screen says so, and offers the person's open case or a new one.
 */
function NotRecordedNotice({ householdId, personId, openCase }: { householdId: string; personId: string; openCase: EmergencyCase | null }) {
  return openCase ? (
    <Notice
      kind="warn"
      action={
        <a className="btn btn--primary" href={matchPaths.matchForCase(householdId, personId, openCase.id)}>
          {T.useOpenCase}
        </a>
      }
    >
      {T.notRecordedOpenCase(formatJapanShortDateTime(openCase.open.body.requestedAt))}
    </Notice>
  ) : (
    <Notice
      kind="warn"
      action={
        <a className="btn btn--primary" href={matchPaths.startCase(householdId, personId)}>
          {T.startCase}
        </a>
      }
    >
      {T.notRecorded}
    </Notice>
  );
}

/**
 * How many cards are drawn before 「さらに表示」: a city's list can hold hundreds of facilities, and
 * near misses are every facility that misses a need. The order puts the likeliest first (freshest
 * vacancy; fewest misses), so the rest are one tap away, never hidden without a word.
 */
const FIRST_FITS = 20;
const FIRST_NEAR_MISSES = 10;

function CardList({ matches, first, render }: { matches: readonly FacilityMatch[]; first: number; render: (m: FacilityMatch) => ReactNode }) {
  const [shown, setShown] = useState(first);
  const rest = matches.length - shown;
  return (
    <>
      <ul className="match-list">
        {matches.slice(0, shown).map((m) => (
          <li key={m.facility.id}>{render(m)}</li>
        ))}
      </ul>
      {rest > 0 ? (
        <Button className="match-more btn--block" onClick={() => setShown((n) => n + first)}>
          {T.showMore(rest)}
        </Button>
      ) : null}
    </>
  );
}

function RecordingBanner({ closed, message }: { closed: boolean; message: string | null }) {
  return (
    <div className="match-recording" role="status">
      <p>{message ?? (closed ? T.caseClosed : T.recording)}</p>
    </div>
  );
}

function MatchCard({
  match,
  now,
  near = false,
  closed = false,
  trials,
  elsewhere,
  childOnlyFrom = null,
  onCall,
}: {
  match: FacilityMatch;
  now: Date;
  callAt: Date;
  near?: boolean;
  /** 休止・廃止 tonight: the closure first, no bed report nor 加算 (it takes nobody) */
  closed?: boolean;
  /** this person's trial stays at the facility, the latest first */
  trials?: readonly TrialStay[] | undefined;
  /** the facility's latest call tonight in another emergency case (its admissions there are on `match`) */
  elsewhere?: CallElsewhere | undefined;
  /** the person's coming 18th birthday, when the facility takes them as 児 only */
  childOnlyFrom?: IsoDate | null;
  onCall: OnCall;
}) {
  const f = match.facility;
  const name = f.name.trim() || f.id;
  return (
    <article className={near ? 'match-card match-card--near' : 'match-card'} aria-label={name}>
      <div className="match-card__head">
        <h3 className="match-card__name">{name}</h3>
        <p className="match-card__area">{f.area.trim() || T.noArea}</p>
      </div>
      {match.twins.length > 0 ? <TwinsLine match={match} now={now} /> : null}
      {closed ? null : <VacancyLine match={match} now={now} />}
      {closed ? null : <ElsewhereLines match={match} call={elsewhere} now={now} />}
      {near && match.failures.length > 0 ? (
        <ul className="match-card__failures">
          {match.failures.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      ) : null}
      {match.conditions.length > 0 || childOnlyFrom !== null ? (
        <ul className="match-card__conditions">
          {/* first: for a stay that crosses the 18th birthday it decides more than any 備考 (as a 休止 ahead does) */}
          {childOnlyFrom !== null ? <li>{T.childOnlyFrom(T.monthDay(childOnlyFrom))}</li> : null}
          {match.conditions.map((c) => (
            <li key={c}>{T.conditions(c)}</li>
          ))}
        </ul>
      ) : null}
      <CallLinks facility={f} onCall={onCall} now={now} />
      {f.emergencyRequestHow.trim() ? (
        <p className="match-card__how">
          <span className="match-card__how-label">{T.requestHow}</span>
          {f.emergencyRequestHow.trim()}
        </p>
      ) : null}
      {match.stayedBefore ? <p className="match-card__badge">{T.stayedBefore}</p> : null}
      {trials && trials.length > 0 ? (
        <p className="match-card__trial">{T.trialStays(trials.map((s) => T.trialPeriod(s.from, s.to)).join('、'))}</p>
      ) : null}
      {match.hubBonus.eligible && !closed ? <p className="match-card__hub">{T.hubBonus}</p> : null}
      {match.reasons.length > 0 ? (
        <details className="disclosure">
          <summary>{T.reasons}</summary>
          <ul>
            {match.reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}
