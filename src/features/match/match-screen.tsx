/**
 * 受入先を探す: the night-time match (DOMAIN.md §3, SCENARIOS.md 1). Who takes this person tonight,
 * freshest vacancy first, with the facilities that miss a need listed apart (never hidden) and a
 * big tap-to-call link on every card.
 */
import { useMemo, useState } from 'react';
import { CaseEntryRejected, useApp } from '../../app/store';
import { useHousehold } from '../../app/use-household';
import { useLogOpen } from '../../app/use-log-open';
import { useHash } from '../../app/router';
import { DISABILITY_LABELS } from '../../domain/disability';
import type { Facility } from '../../domain/facility';
import type { Person } from '../../domain/household';
import { AGE_CATEGORY_LABELS, formatJapanDateTime } from '../../domain/japan-time';
import { matchFacilities, type FacilityMatch } from '../../domain/match';
import { formatPhoneForTel, normalizeName } from '../../domain/normalize';
import { Notice, Page, Section } from '../../ui/layout';
import { matchPaths, parseCaseParam, parseMatchRoute } from './match-route';
import { T } from './text';
import './match.css';

export { parseMatchRoute, matchPaths } from './match-route';

const HOUR_MS = 60 * 60 * 1000;

/**
 * Ids of facilities whose name matches a 利用歴 entry of the person (best effort: the interview
 * form holds free text, so a name equal to, or containing, the other after removing spaces counts).
 */
export function previousStayIds(person: Person, facilities: readonly Facility[]): Set<string> {
  const stayed = person.pastShortStays.map((s) => normalizeName(s.facility)).filter((n) => n !== '');
  const ids = new Set<string>();
  if (stayed.length === 0) return ids;
  for (const f of facilities) {
    const name = normalizeName(f.name);
    if (name === '') continue;
    if (stayed.some((s) => s === name || s.includes(name) || name.includes(s))) ids.add(f.id);
  }
  return ids;
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
  const requestedAt = caseOpen?.body.type === 'open' ? caseOpen.body.requestedAt : null;
  // The call time decides the day, hence 者/児: the case's request time, else when the screen opened.
  const [openedAt] = useState(() => new Date());
  const callAt = useMemo(() => (requestedAt ? new Date(requestedAt) : openedAt), [requestedAt, openedAt]);
  const recorder = useCallRecorder(caseOpen ? caseId : null);

  const person = household?.persons.find((p) => p.id === route?.personId);
  const facilities = useMemo(() => [...facilityMap.values()], [facilityMap]);
  const result = useMemo(
    () =>
      person
        ? matchFacilities({ person, callAt, facilities, previousStays: previousStayIds(person, facilities) })
        : null,
    [person, callAt, facilities],
  );

  const back = household ? (
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
  const callText = T.callAt(formatJapanDateTime(callAt));

  if (result.kind === 'incomplete') {
    return (
      <Page title={T.title} back={back}>
        <div className="match-person">
          <p className="match-person__name">{name}</p>
          <p className="match-person__call">{callText}</p>
        </div>
        <Notice
          kind="error"
          action={
            <a className="btn btn--primary" href={matchPaths.edit(household.id)}>
              {T.editHousehold}
            </a>
          }
        >
          {result.message}
        </Notice>
      </Page>
    );
  }

  return (
    <Page title={T.title} back={back}>
      {recorder.caseId ? <RecordingBanner caseId={recorder.caseId} message={recorder.message} /> : null}
      <div className="match-person">
        <p className="match-person__name">{T.personLine(name, result.age, AGE_CATEGORY_LABELS[result.category])}</p>
        <p className="match-person__call">{callText}</p>
        <ul className="match-chips" aria-label={T.needsLabel}>
          {result.needs.map((n) => (
            <li key={n} className="match-chip">
              {DISABILITY_LABELS[n]}
            </li>
          ))}
        </ul>
      </div>
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
          <Section title={T.fitsTitle} id="match-fits">
            <p className="match-order">{result.orderExplanation}</p>
            {result.fits.length === 0 ? (
              <Notice kind="warn">{T.noFits}</Notice>
            ) : (
              <ul className="match-list">
                {result.fits.map((m) => (
                  <li key={m.facility.id}>
                    <MatchCard match={m} callAt={callAt} onCall={recorder.record} />
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section title={T.nearMissTitle} id="match-near">
            {result.nearMisses.length === 0 ? (
              <p>{T.noNearMisses}</p>
            ) : (
              <>
                <p className="match-order">{T.nearMissNote}</p>
                <ul className="match-list">
                  {result.nearMisses.map((m) => (
                    <li key={m.facility.id}>
                      <MatchCard match={m} callAt={callAt} near onCall={recorder.record} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Section>
        </>
      )}
    </Page>
  );
}

function VacancyLine({ match, callAt }: { match: FacilityMatch; callAt: Date }) {
  const v = match.facility.vacancy;
  if (!v) return <p className="match-card__vacancy">{T.noVacancy}</p>;
  if (match.freshVacancy) {
    const hours = Math.max(0, Math.floor((callAt.getTime() - Date.parse(v.asOf)) / HOUR_MS));
    return <p className="match-card__vacancy match-card__vacancy--fresh">{T.freshVacancy(v.beds, hours)}</p>;
  }
  let when = v.asOf;
  try {
    when = formatJapanDateTime(v.asOf);
  } catch {
    // an unreadable timestamp is shown as stored
  }
  return <p className="match-card__vacancy">{T.oldVacancy(v.beds, when)}</p>;
}

type OnCall = ((facility: Facility) => void) | null;

/**
 * With a case open, tapping a phone number records the contact at once (result to follow on the
 * case screen); the tel: link itself still opens the dialer.
 */
function useCallRecorder(caseId: string | null) {
  const appendCaseEntry = useApp((s) => s.appendCaseEntry);
  const [message, setMessage] = useState<string | null>(null);
  const record = useMemo<OnCall>(
    () =>
      caseId === null
        ? null
        : (facility: Facility) => {
            const name = facility.name.trim() || facility.id;
            appendCaseEntry(caseId, {
              type: 'contact',
              facilityId: facility.id,
              facilityName: name,
              facilityOfficeNumber: facility.officeNumber,
              shortStay: true,
              contactedAt: new Date().toISOString(),
              method: '電話',
              result: null,
              note: '',
            }).then(
              () => setMessage(T.callRecorded(name)),
              (err: unknown) => setMessage(err instanceof CaseEntryRejected ? err.messages.join(' ') : T.callNotRecorded),
            );
          },
    [caseId, appendCaseEntry],
  );
  return { caseId, record, message };
}

function RecordingBanner({ caseId, message }: { caseId: string; message: string | null }) {
  return (
    <div className="match-recording" role="status">
      <p>{message ?? T.recording}</p>
      <a className="btn btn--primary" href={matchPaths.case(caseId)}>
        {T.backToCase}
      </a>
    </div>
  );
}

function CallLinks({ facility, onCall }: { facility: Facility; onCall: OnCall }) {
  const links: { key: string; href: string; text: string }[] = [];
  const day = formatPhoneForTel(facility.phone);
  if (day) links.push({ key: 'day', href: day, text: T.phone(facility.phone.trim()) });
  const night = formatPhoneForTel(facility.nightPhone);
  if (night) links.push({ key: 'night', href: night, text: T.nightPhone(facility.nightPhone.trim()) });
  if (links.length === 0) return <p>{T.noPhone}</p>;
  return (
    <div className="match-card__calls">
      {links.map((l) => (
        <a key={l.key} className="tel" href={l.href} onClick={onCall ? () => onCall(facility) : undefined}>
          {l.text}
        </a>
      ))}
    </div>
  );
}

function MatchCard({ match, callAt, near = false, onCall }: { match: FacilityMatch; callAt: Date; near?: boolean; onCall: OnCall }) {
  const f = match.facility;
  const name = f.name.trim() || f.id;
  return (
    <article className={near ? 'match-card match-card--near' : 'match-card'} aria-label={name}>
      <h3 className="match-card__name">{name}</h3>
      <p className="match-card__area">{f.area.trim() || T.noArea}</p>
      <VacancyLine match={match} callAt={callAt} />
      {match.stayedBefore ? <p className="match-card__badge">{T.stayedBefore}</p> : null}
      {near && match.failures.length > 0 ? (
        <ul className="match-card__failures">
          {match.failures.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
      ) : null}
      {match.conditions.length > 0 ? (
        <ul className="match-card__conditions">
          {match.conditions.map((c) => (
            <li key={c}>{T.conditions(c)}</li>
          ))}
        </ul>
      ) : null}
      {match.hubBonus.eligible ? <p className="match-card__hub">{T.hubBonus}</p> : null}
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
      <CallLinks facility={f} onCall={onCall} />
    </article>
  );
}
