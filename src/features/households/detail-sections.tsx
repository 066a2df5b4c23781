/**
 * The detail view's sections, in the order a coordinator needs them on a night call (SCENARIOS.md §1):
 * who to call, then medical care with the doctors and hospitals, then what calms, then daily living,
 * then disability, services, family, agencies, consent.
 */
import type { ReactNode } from 'react';
import { UNKNOWN_ENROLMENTS, type EnrolmentPeriod, type Household, type Person } from '../../domain/household';
import { formatJapanDateTime } from '../../domain/japan-time';
import { formatPeriod, ONE_BODY_LABELS } from '../../domain/office';
import { useApp } from '../../state/store';
import { hubBonusEligible } from '../../domain/household-schema';
import { Section } from '../../ui/layout';
import { CallLink, dailyRows, dateText, disabilityText, Dl, handbookText, medicalRows, useRegisteringOffice } from './detail-parts';
import { F, T } from './text';
import { RT } from './review-text';

/** (b) 緊急連絡先 first, each phone a big tap-to-call link; then the case worker and the home phone. */
export function ContactsSection({ household: h }: { household: Household }) {
  const registeringOffice = useRegisteringOffice(h);
  return (
    <Section title={T.contactsTitle} id="hh-contacts">
      {h.emergencyContacts.length === 0 ? <p>{T.noContacts}</p> : null}
      <ol className="hh-calls">
        {h.emergencyContacts.map((c, i) => (
          <li key={i}>
            <div>
              <strong>{c.name}</strong>
              {c.furigana ? <span className="hh-calls__kana">{c.furigana}</span> : null}
              {c.relation ? `（${c.relation}）` : ''}
            </div>
            {c.phones.map((phone, j) => (
              <CallLink key={j} label={c.relation || c.name} phone={phone} />
            ))}
            {c.note ? <p className="hh-calls__note">{c.note}</p> : null}
          </li>
        ))}
      </ol>
      <h3 className="hh-person-title">{T.caseWorkerTitle}</h3>
      <Dl rows={[[F.caseWorker, h.caseWorker], [F.registeringOffice, registeringOffice]]} />
      {h.caseWorkerPhone ? <CallLink label={h.caseWorker || T.caseWorkerTitle} phone={h.caseWorkerPhone} /> : null}
      <Dl rows={[[T.legalRepresentative, h.legalRepresentative], [F.address, h.address]]} />
      {h.phone ? <CallLink label={T.householdPhone} phone={h.phone} /> : null}
    </Section>
  );
}

/** Repeats a block per person, naming the person only when there is more than one. */
function PerPerson({ persons, render }: { persons: readonly Person[]; render: (p: Person) => ReactNode }) {
  return (
    <>
      {persons.map((p) => (
        <div key={p.id}>
          {persons.length > 1 ? <h3 className="hh-person-title">{p.name || T.noName}</h3> : null}
          {render(p)}
        </div>
      ))}
    </>
  );
}

export function CareSections({ household: h, today }: { household: Household; today: string }) {
  const persons = h.persons;
  return (
    <>
      <Section title={T.medicalTitle} id="hh-medical">
        <PerPerson persons={persons} render={(p) => <Dl rows={medicalRows(p)} />} />
      </Section>
      {/* The hospital to call sits next to the medical care it treats, not after the services. */}
      <Section title={T.doctorsTitle} id="hh-doctors">
        <PerPerson
          persons={persons}
          render={(p) => (
            <ul className="hh-items">
              {p.doctors.map((d, i) => (
                <li key={i}>
                  {[d.hospital, d.name, d.note].filter(Boolean).join('　')} {d.phone ? <CallLink label={d.hospital || d.name} phone={d.phone} /> : null}
                </li>
              ))}
            </ul>
          )}
        />
      </Section>
      <Section title={T.calmingTitle} id="hh-calming">
        <PerPerson persons={persons} render={(p) => <Dl rows={[[T.calming, p.calming], [T.triggers, p.triggers]]} />} />
      </Section>
      <Section title={T.dailyTitle} id="hh-daily">
        <PerPerson persons={persons} render={(p) => <Dl rows={dailyRows(p)} />} />
      </Section>
      <Section title={T.disabilityTitle} id="hh-disability">
        <PerPerson persons={persons} render={(p) => <DisabilityBlock person={p} today={today} />} />
      </Section>
    </>
  );
}

function DisabilityBlock({ person: p, today }: { person: Person; today: string }) {
  const bonus = hubBonusEligible(p, today);
  return (
    <>
      <Dl
        rows={[
          [F.disabilityTypes, disabilityText(p)],
          [F.diagnosis, p.diagnosis],
          [F.handbooks, handbookText(p)],
          [F.supportLevel, p.supportLevel ? F.level(p.supportLevel) : ''],
          [F.recipientNumber, p.recipientNumber],
          [F.municipality, p.municipality ?? ''],
          [F.behaviorScore, p.behaviorScore === null ? '' : `${p.behaviorScore}点`],
          [F.childBehaviorScore, p.childBehaviorScore === null ? '' : `${p.childBehaviorScore}点`],
        ]}
      />
      {bonus.eligible ? <p className="hh-bonus">{T.hubBonus(bonus.reasons.join('、'))}</p> : null}
    </>
  );
}

/** 未確認, 利用なし, or the periods with where (2026年10月1日〜（ひかり相談支援事業所）、…). */
function enrolmentText(periods: readonly EnrolmentPeriod[] | null, officeName: (id: string) => string): string {
  if (periods === null) return F.enrolmentUnknown;
  const where = (p: EnrolmentPeriod) =>
    p.officeId === undefined ? `${F.enrolmentWhere}${F.enrolmentWhereUnknown}` : p.officeId === null ? F.enrolmentWhereElsewhere : officeName(p.officeId);
  return periods.length === 0 ? F.enrolmentNone : periods.map((p) => `${formatPeriod(p)}（${where(p)}）`).join('、');
}

export function RecordSections({ household: h }: { household: Household }) {
  const persons = h.persons;
  const offices = useApp((s) => s.offices);
  // The office's name as held now; the name saved with the household when the office is not held here.
  const officeName = (id: string | null | undefined, fallback: string) => (id ? (offices.get(id)?.name ?? fallback) : fallback);
  return (
    <>
      <Section title={T.servicesTitle} id="hh-services">
        <PerPerson
          persons={persons}
          render={(p) => (
            <>
              <Items items={p.services.map((s) => [s.service, s.office, s.schedule, s.phone].filter(Boolean).join('　'))} />
              {p.pastShortStays.length ? <h4 className="hh-person-title">{T.pastStaysTitle}</h4> : null}
              <Items items={p.pastShortStays.map((s) => [s.facility, s.when, s.howItWent].filter(Boolean).join('　'))} />
              <h4 className="hh-person-title">{F.enrolmentsTitle}</h4>
              <Dl rows={(['settlement', 'independentLiving'] as const).map((k) => [ONE_BODY_LABELS[k], enrolmentText((p.enrolments ?? UNKNOWN_ENROLMENTS)[k], (id) => officeName(id, F.enrolmentWhereGone))] as const)} />
            </>
          )}
        />
      </Section>
      <Section title={T.familyTitle} id="hh-family">
        <Items items={h.family.map((m) => [m.name, m.relation, m.age, m.note].filter(Boolean).join('　'))} />
        <Dl rows={[[F.mainCaregiver, h.mainCaregiver], [F.caregiverHealth, h.caregiverHealth]]} />
      </Section>
      <Section title={T.agenciesTitle} id="hh-agencies">
        <Dl rows={[[F.registeringOffice, officeName(h.officeId, h.registeringOffice)], [F.caseWorker, h.caseWorker]]} />
        {h.officeMoves && h.officeMoves.length > 0 ? (
          <>
            <h4 className="hh-person-title">{F.movesTitle}</h4>
            <Items
              items={h.officeMoves.map((m) =>
                F.moveLine(formatJapanDateTime(m.at), m.byName, m.from === null ? F.officeNone : officeName(m.from, m.from), m.to === null ? F.officeNone : officeName(m.to, m.to), m.reason),
              )}
            />
          </>
        ) : null}
        <ul className="hh-items">
          {h.agencies.map((a, i) => (
            <li key={i}>
              {[a.name, a.role, a.contactPerson].filter(Boolean).join('　')} {a.phone ? <CallLink label={a.name} phone={a.phone} /> : null}
            </li>
          ))}
        </ul>
      </Section>
      <Section title={T.consentTitle} id="hh-consent">
        <p>{h.consent ? T.consentLine(dateText(h.consent.date), h.consent.consentedBy, h.consent.scope) : T.noConsent}</p>
        <Dl rows={[[F.lastReviewedOn, dateText(h.lastReviewedOn)]]} />
        <h3 className="hh-person-title">{RT.reviewHistory}</h3>
        {h.reviews.length === 0 ? (
          <p>{RT.noReviews}</p>
        ) : (
          <Items items={[...h.reviews].reverse().map((r) => RT.historyLine(dateText(r.reviewedOn), r.reviewedBy, r.note))} />
        )}
      </Section>
      {h.note ? (
        <Section title={T.noteTitle} id="hh-note">
          <p className="pre">{h.note}</p>
        </Section>
      ) : null}
    </>
  );
}

function Items({ items }: { items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="hh-items">
      {items.map((s, i) => (
        <li key={i}>{s}</li>
      ))}
    </ul>
  );
}
