/** One facility for the coordinator on the phone: who to call first, then whom it accepts. */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import { useMinuteClock } from '../../state/use-minute-clock';
import { useFacilityWrites } from './use-facility-writes';
import { HUB_FUNCTION_LABELS, isPlausibleEmail, type Facility } from '../../domain/facility';
import { officeTwins } from '../../domain/facility-twins';
import { subjectShownName, type EmergencyCase } from '../../domain/emergency-case';
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_LABELS } from '../../domain/disability';
import { formatJapanDateTimeOrText, formatJapanShortDateTime, japanDateOf } from '../../domain/japan-time';
import { useCasesAwaitingCallBack, useRecentOpenCases } from '../../state/use-open-case';
import { noteCallStarted } from '../../state/phone-call';
import { reportForNight } from '../../domain/match-order';
import { formatPhoneForTel } from '../../domain/normalize';
import { Button } from '../../ui/button';
import { Notice, Page, Section } from '../../ui/layout';
import { T } from './text';
import { navigate, paths } from './use-route';
import { ReportsAhead, vacancyText } from './vacancy-report';
import { ClosureLine } from './vacancy-badge';

const telHref = (phone: string) => formatPhoneForTel(phone) ?? undefined;

export function FacilityDetail({ id }: { id: string }) {
  const facility = useApp((s) => s.facilities.get(id));
  const writes = useFacilityWrites();
  const mayEdit = writes.mayEdit(id);
  const now = useMinuteClock();
  const openCases = useRecentOpenCases(now);
  const back = (
    <a className="btn btn--ghost" href={paths.list()}>
      {T.back}
    </a>
  );
  if (!facility) {
    return (
      <Page title={T.listTitle} back={back}>
        <Notice kind="warn">{T.notFound}</Notice>
      </Page>
    );
  }
  const f = facility;
  // the report the match reads tonight: a report for the weekend made after tonight's does not hide it
  const tonight = reportForNight(f, now.getTime());
  // A call from here during a night's case is the night's work, as one from the match is: the idle
  // lock gives it the call's grace (a call of over five minutes locked the phone under the caller).
  const onCall = openCases.length > 0 ? noteCallStarted : undefined;
  return (
    <Page
      title={f.name || T.noName}
      back={back}
      actions={mayEdit ? <Button onClick={() => navigate(paths.edit(f.id))}>{T.edit}</Button> : undefined}
    >
      <ClosureLine facility={f} today={japanDateOf(now)} />
      {/* the hub's cases (people's names, links to screens a liaison has not) are not a liaison's to see */}
      {writes.liaison ? null : <AwaitingCallBackNotice facility={f} />}
      {writes.liaison ? null : <OpenCasesNotice open={openCases.slice(0, 3)} />}
      <TwinsNotice facility={f} />
      <Section title={T.phoneLabel}>
        {f.phone ? (
          <a className="tel tel--big" href={telHref(f.phone)} onClick={onCall}>
            {T.phone(f.phone)}
          </a>
        ) : null}
        {f.nightPhone ? (
          <a className="tel tel--big" href={telHref(f.nightPhone)} onClick={onCall}>
            {T.nightPhone(f.nightPhone)}
          </a>
        ) : null}
        {!f.phone && !f.nightPhone ? <p>{T.noPhone}</p> : null}
      </Section>
      <Section title={T.vacancyTitle}>
        <p>{tonight ? T.vacancyAsOf(vacancyText(tonight), formatJapanDateTimeOrText(tonight.asOf), tonight.reportedBy) : T.vacancyUnknown}</p>
        {tonight?.note ? <p>{tonight.note}</p> : null}
        <ReportsAhead facility={f} now={now} shown={tonight} />
        {mayEdit ? (
          <a className="btn btn--primary" href={paths.vacancy(f.id)}>
            {T.reportVacancy}
          </a>
        ) : (
          <p className="muted">{writes.liaison ? T.liaisonOwnOnly : T.readOnlyForRole}</p>
        )}
      </Section>
      <Section title={T.emergencyHowTitle}>
        <p style={{ whiteSpace: 'pre-wrap' }}>{f.emergencyRequestHow || T.notEntered}</p>
      </Section>
      <Section title={T.acceptanceTitle}>
        <table className="fac-table">
          <thead>
            <tr>
              <th scope="col">{T.acceptanceType}</th>
              <th scope="col">{T.adult}</th>
              <th scope="col">{T.child}</th>
              <th scope="col">{T.note}</th>
            </tr>
          </thead>
          <tbody>
            {DISABILITY_TYPES.map((t) => {
              const a = f.acceptance[t];
              return (
                <tr key={t}>
                  <th scope="row">{DISABILITY_LABELS[t]}</th>
                  <td>{a.adult ? T.yes : T.no}</td>
                  <td>{a.child ? T.yes : T.no}</td>
                  <td>{a.note}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Section>
      <Section title={T.medicalCareTitle}>
        <p>{f.medicalCare.length > 0 ? f.medicalCare.map((k) => MEDICAL_CARE_LABELS[k]).join('、') : T.none}</p>
      </Section>
      <Section title={T.basicsTitle}>
        <dl className="kv">
          <dt>{T.officeNumber}</dt>
          <dd>{f.officeNumber}</dd>
          <dt>{T.serviceType}</dt>
          <dd>
            {f.serviceType}・{f.unitType}
          </dd>
          <dt>{T.address}</dt>
          <dd>{f.address || T.notEntered}</dd>
          <dt>{T.area}</dt>
          <dd>{f.area || T.notEntered}</dd>
          <dt>{T.faxLabel}</dt>
          <dd>{f.fax || T.notEntered}</dd>
          <dt>{T.emailLabel}</dt>
          {/* a link only for an address the form would take: one synced with 「?bcc=」 is shown, never composed */}
          <dd>{f.email ? isPlausibleEmail(f.email) ? <a href={`mailto:${f.email.trim()}`}>{f.email}</a> : f.email : T.notEntered}</dd>
          <dt>{T.hubFunctionsLegend}</dt>
          <dd>{f.hubFunctions.length > 0 ? f.hubFunctions.map((h) => HUB_FUNCTION_LABELS[h]).join('、') : T.none}</dd>
          <dt>{T.liaison}</dt>
          <dd>{f.liaison || T.notEntered}</dd>
          <dt>{T.capacity}</dt>
          <dd>{f.capacity}</dd>
        </dl>
      </Section>
    </Page>
  );
}

/** One office registered twice (two phones offline): the other records, for the hub's admin to keep one. */
function TwinsNotice({ facility }: { facility: Facility }) {
  const facilities = useApp((s) => s.facilities);
  const all = useMemo(() => [...facilities.values()], [facilities]);
  const twins = officeTwins(all).get(facility.id);
  if (!twins) return null;
  return (
    <Notice kind="warn">
      <strong>{T.twinsTitle}</strong> {T.twinsBody(facility.officeNumber.trim())}
      <ul className="fac-twins">
        {twins.map((t) => (
          <li key={t.id}>
            <a href={paths.detail(t.id)}>{t.name.trim() || T.noName}</a>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

/**
 * The open cases waiting for this facility's call back (折り返し待ち), a colleague's synced in too:
 * the facility rings the on-call phone in the morning, and whoever holds it finds here where the
 * call back is recorded. An office registered twice waits as one.
 */
function AwaitingCallBackNotice({ facility }: { facility: Facility }) {
  const all = useApp((s) => s.facilities);
  const ids = useMemo(() => [facility.id, ...(officeTwins([...all.values()]).get(facility.id) ?? []).map((t) => t.id)], [facility.id, all]);
  const waiting = useCasesAwaitingCallBack(ids);
  if (waiting.length === 0) return null;
  return (
    <Notice kind="warn">
      <strong>{T.awaitingTitle}</strong> {T.awaitingBody}
      <ul className="fac-open-cases">
        {waiting.slice(0, 5).map((kase) => (
          <li key={kase.id}>
            <a href={paths.case(kase.id)}>{T.awaitingCase(subjectShownName(kase.subject), formatJapanShortDateTime(kase.open.body.requestedAt))}</a>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

/**
 * The cases open on this phone from the last two days, each with the way to its match: a call made
 * from this screen records nothing, and the 短期入所 coordination the claim needs would be missing
 * from the case (the coordinator looked the facility up here by name mid-call).
 */
function OpenCasesNotice({ open }: { open: readonly EmergencyCase[] }) {
  if (open.length === 0) return null;
  const linked = (kase: EmergencyCase) => kase.subject.householdId !== null && kase.subject.personId !== null;
  return (
    <Notice kind="warn">
      <strong>{T.openCaseTitle}</strong> {T.openCaseBody}
      {open.some(linked) ? T.openCaseBodyMatch : null}
      {open.some((k) => !linked(k)) ? T.openCaseBodyUnlinked : null}
      <ul className="fac-open-cases">
        {open.map((kase) => {
          const { householdId, personId, name } = kase.subject;
          const since = formatJapanShortDateTime(kase.open.body.requestedAt);
          return (
            <li key={kase.id}>
              {householdId && personId ? (
                <a href={paths.matchForCase(householdId, personId, kase.id)}>{T.openCaseMatch(name.trim(), since)}</a>
              ) : (
                <a href={paths.case(kase.id)}>{T.openCaseScreen(subjectShownName(kase.subject), since)}</a>
              )}
            </li>
          );
        })}
      </ul>
    </Notice>
  );
}
