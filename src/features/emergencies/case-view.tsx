/**
 * One emergency case, in the order of the call: who and when, the button to the match (calls made
 * there are recorded here), the contacts with their results, the outcome and closing, then the
 * claim facts and the history. The chain is checked on open; a broken chain is shown loudly and
 * the case takes no new entries.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { useHousehold } from '../../state/use-household';
import { useLogOpen } from '../../state/use-log-open';
import { useCountersigns } from '../../state/use-countersigns';
import { countersignSummary } from '../../domain/countersign-status';
import { childLookupOf, claimMonthOf, countThisMonth, decideClaims } from '../../domain/claim-rules';
import { CLAIM_STATUS_LABELS, MONTHLY_CAP } from '../../domain/claim-types';
import { mayBeDeleted, retentionUntil } from '../../domain/case-fold';
import { subjectShownName, type ContactBody, type Current, type EmergencyCase } from '../../domain/emergency-case';
import { noteCallStarted } from '../../state/phone-call';
import { AGE_CATEGORY_LABELS, ageCategory, ageIfKnown, formatJapanDate, formatJapanDateTime, japanDateOf, japanMonthOf } from '../../domain/japan-time';
import { Button } from '../../ui/button';
import { useFormInPlace } from '../../ui/focus-lost';
import { Notice, Page, Section } from '../../ui/layout';
import { FirstContacts, NoConsentLine, PersonEssentials } from '../../ui/person-summary';
import { householdStatus } from '../../domain/household-rules';
import {
  CASE_STATUS_ID,
  ChainBanner,
  ClaimFactsSection,
  History,
  LinkPerson,
  NumberFromHousehold,
  OutcomeSection,
  outcomeDraftKey,
  outcomeLabel,
  type FormInPlace,
} from './case-sections';
import { ContactCard, ContactForm, contactDraftKey } from './contacts';
import { useReopenForDraft } from '../../state/use-drafted-form';
import { CaseDrafts } from './case-drafts';
import { useJapanToday, useMinuteClock } from '../../state/use-minute-clock';
import { CorrectionDialog, CorrectionNotes, type CorrectionTarget } from './corrections';
import { casePaths } from './route';
import { SameEmergencySection } from './same-emergency';
import { StaySection } from './stay-section';
import { T } from './text';
import { capGroupKeyOf, personFactsOf, useAllCases, useCase } from './use-cases';
import { calledAgain } from '../../domain/call-backs';

export function CaseView({ id }: { id: string }) {
  const { entries, kase, chain } = useCase(id);
  const back = (
    <a className="case-link" href={casePaths.list()}>
      {T.backToList}
    </a>
  );
  if (!entries) {
    return (
      <Page title={T.caseTitle} back={back}>
        <Notice kind="warn">{T.notFound}</Notice>
      </Page>
    );
  }
  if (!kase) {
    return (
      <Page title={T.caseTitle} back={back}>
        <ChainBanner problem={chain && !chain.ok ? chain.problem : '1件目（要請）の記録がありません。'} />
      </Page>
    );
  }
  const broken = chain !== null && !chain.ok;
  return (
    <Page title={T.caseTitle} back={back}>
      {broken ? <ChainBanner problem={chain.problem} /> : null}
      <CaseBody kase={kase} readOnly={broken} chainText={chain === null ? T.chainChecking : chain.ok ? T.chainOk(chain.length) : null} />
    </Page>
  );
}

function CaseBody({ kase, readOnly, chainText }: { kase: EmergencyCase; readOnly: boolean; chainText: string | null }) {
  const { household } = useHousehold(kase.subject.householdId);
  // The case shows the registered person's record (age from the birth date): a 閲覧記録 entry, as the detail writes.
  useLogOpen(kase.subject.householdId);
  // A case about a caller not registered holds their name and words all the same: its opening is logged by case.
  // Its failure shows in the error banner, as a household's does (it was dropped unsaid).
  const openUnregisteredCase = useApp((s) => s.openUnregisteredCase);
  useLogOpen(kase.subject.householdId ? null : kase.id, openUnregisteredCase);
  const offices = useApp((s) => s.offices);
  const [correcting, setCorrecting] = useState<CorrectionTarget | null>(null);
  const addingContact = useFormInPlace('case-contact');
  const outcomeForm = useFormInPlace('case-outcome');
  const endForm = useFormInPlace('case-stay');
  const person = household?.persons.find((p) => p.id === kase.subject.personId);
  const open = kase.open.body;
  const closed = kase.closedAt !== null;
  const editable = !readOnly && !closed;
  // A call note being typed when the app locked opens again after the unlock, with its text.
  useReopenForDraft(editable ? contactDraftKey(kase.id) : null, () => addingContact.setShown(true));
  const office = offices.get(open.officeId);

  const day = japanDateOf(open.requestedAt);
  const age = ageIfKnown(person?.birthDate, day);
  const name = subjectShownName(kase.subject);
  const until = retentionUntil(kase);
  const today = useJapanToday();
  const countersigns = useCountersigns(kase.entries);

  return (
    <>
      <div className="case-head">
        <p className="case-subject">
          {name}
          {age !== null && person?.birthDate ? `（${age}歳・${AGE_CATEGORY_LABELS[ageCategory(person.birthDate, day)]}）` : ''}
        </p>
        <p className="case-stamp">{T.requestLine(formatJapanDateTime(open.requestedAt))}</p>
        <p className="case-meta">{T.recordedLine(formatJapanDateTime(kase.open.recordedAt), kase.handler.name)}</p>
        {open.requestedAtReason ? <p className="case-meta">{T.setBack(open.requestedAtReason)}</p> : null}
        <p className="case-request">
          <strong>{open.category}</strong>
          {open.detail ? `　${open.detail}` : ''}
        </p>
        {open.caller || open.callerPhone ? <p className="case-meta">{T.callerLine(open.caller, open.callerPhone)}</p> : null}
        <p className="case-meta">{T.handledBy(kase.handler.name, office?.name ?? T.noOffice)}</p>
        <CorrectionNotes corrections={kase.open.corrections} />
        <p id={CASE_STATUS_ID} className={closed ? 'case-status case-status--closed' : 'case-status'}>
          {closed ? T.statusClosed(formatJapanDateTime(kase.closedAt!)) : T.statusOpen}
        </p>
        <p className="case-meta">{until ? (mayBeDeleted(kase, today) ? T.retentionPast : T.retention)(formatJapanDate(until)) : T.retentionOpen}</p>
        {chainText ? <p className="case-chain-ok">{chainText}</p> : null}
        <p className="case-meta case-countersign-summary">
          {countersigns.done ? T.countersignLine(countersignSummary(kase.entries.map((e) => e.id), countersigns.lookup)) : T.countersignChecking}
        </p>
        {!readOnly ? (
          <Button variant="ghost" onClick={() => setCorrecting({ kind: 'open', open: kase.open })}>
            {T.correct}
          </Button>
        ) : null}
      </div>
      <CaseDrafts kase={kase} readOnly={readOnly} forms={{ contact: addingContact, outcome: outcomeForm, stayEnd: endForm }} correcting={correcting} onCorrect={setCorrecting} />

      {/* The same essentials as the household's first screen: medication and what calms, while on the phone. */}
      {person && household ? (
        <div className="section case-person">
          <PersonEssentials person={person} today={day} provisional={householdStatus(household) === 'draft'} />
          <NoConsentLine household={household} />
          {/* a call to the family or the case worker during an open case is the night's work, as a facility's is: the idle lock spares it */}
          <FirstContactsNow
            contacts={household.emergencyContacts}
            caseWorker={{ name: household.caseWorker, phone: household.caseWorkerPhone }}
            {...(kase.closedAt === null ? { onCall: noteCallStarted } : {})}
          />
          {/* the lines above are cut at two lines, the notes at one: the rest is a tap away */}
          <a className="case-link case-person__whole" href={casePaths.household(household.id)}>
            {T.wholeRecord}
          </a>
        </div>
      ) : null}

      <ClaimLine kase={kase} />
      {readOnly ? null : <NumberFromHousehold kase={kase} />}
      <SameEmergencySection kase={kase} readOnly={readOnly} />

      {editable && kase.subject.householdId && kase.subject.personId ? (
        <a className="btn btn--primary case-wide case-primary" href={casePaths.match(kase.subject.householdId, kase.subject.personId, kase.id)}>
          {T.findFacilities}
        </a>
      ) : null}
      {!readOnly && kase.subject.personId === null ? (
        <Section title={T.linkPerson} id="case-link">
          <LinkPerson kase={kase} />
        </Section>
      ) : null}

      <Section title={`${T.contactsTitle}（${kase.contacts.length}件）`} id="case-contacts">
        {kase.contacts.length === 0 ? <p>{kase.subject.personId === null ? T.noContactsUnknown : T.noContacts}</p> : null}
        <ul className="case-contacts">
          {kase.contacts.map((c) => (
            <li key={c.entryId}>
              <ContactCard
                contact={c}
                caseId={kase.id}
                caseClosed={!editable}
                openedBy={kase.handler.userId}
                calledAgain={calledAgain(kase.contacts, c)}
                {...(readOnly
                  ? {}
                  : {
                      onCorrect: (contact) => setCorrecting({ kind: 'contact', contact }),
                      onWithdraw: (contact) =>
                        setCorrecting({ kind: 'withdraw', entryId: contact.entryId, label: contact.body.facilityName }),
                    })}
              />
            </li>
          ))}
          {kase.withdrawnContacts.map((c) => (
            <li key={c.entryId}>
              <ContactCard contact={c} caseId={kase.id} caseClosed withdrawn openedBy={kase.handler.userId} />
            </li>
          ))}
        </ul>
        {editable && !addingContact.shown ? (
          <Button className="case-wide" {...addingContact.opener} onClick={addingContact.show}>
            {T.recordContact}
          </Button>
        ) : null}
        {editable && addingContact.shown ? <ContactForm kase={kase} onDone={addingContact.hide} /> : null}
      </Section>

      {readOnly ? null : (
        <>
          <OutcomeSection
            kase={kase}
            form={outcomeForm}
            onWithdraw={(entryId, label) => setCorrecting({ kind: 'withdraw', entryId, label })}
            onReopen={(entryIds) => setCorrecting({ kind: 'reopen', entryIds })}
          />
          <ClaimFactsSection kase={kase} child={person?.birthDate ? ageCategory(person.birthDate, day) === 'child' : false} />
        </>
      )}
      <StaySection kase={kase} readOnly={readOnly} form={endForm} />
      <History kase={kase} countersigns={countersigns} />
      {correcting ? <CorrectionDialog key={JSON.stringify(correcting)} kase={kase} target={correcting} onClose={() => setCorrecting(null)} /> : null}
    </>
  );
}

/**
 * The first contacts in the order of the hour (a 夜間 number first from 20:00, 「21時まで」 last
 * after 21:00), read again every minute as on the household's screen: a case screen left open from
 * 19:55 through a call kept the day's order, with nothing else to draw it again offline.
 */
function FirstContactsNow(props: Omit<Parameters<typeof FirstContacts>[0], 'at'>) {
  const now = useMinuteClock();
  return <FirstContacts {...props} at={now} />;
}

/** Where this case stands in the person's month: 「今月2回目」, or the cap warning while still on the call. */
function ClaimLine({ kase }: { kase: EmergencyCase }) {
  const cases = useAllCases();
  const offices = useApp((s) => s.offices);
  const summaries = useApp((s) => s.summaries);
  // 今月 is read again at midnight on the 1st: a case left open across it counted the month before
  const today = useJapanToday();
  const { decision, before, monthWord } = useMemo(() => {
    const childAt = childLookupOf(summaries);
    const factsOf = personFactsOf(summaries);
    // Only the person's cases, as the claim groups persons: a person's decisions depend on their own
    // cases alone (the cap, 同じ緊急事態, the ordinal), and deciding years of every person's cases
    // at each entry held the screen a second or more.
    const keyOf = capGroupKeyOf(cases, factsOf);
    const person = keyOf(kase.subject);
    const theirs = person === null ? [kase] : cases.filter((c) => c.id === kase.id || keyOf(c.subject) === person);
    const decision = decideClaims(theirs, offices, childAt, factsOf).find((d) => d.caseId === kase.id);
    const others = theirs.filter((c) => c.id !== kase.id);
    // The month the case would be claimed in (its first reached short-stay call), else this one.
    const at = claimMonthOf(kase)?.coordinatedAt ?? new Date().toISOString();
    const thisMonth = today.slice(0, 7);
    const before = countThisMonth(others, offices, kase.subject, kase.open.body.officeId, at, factsOf, childAt);
    // 今月 only for this month: a case from October read in December said 「今月…3回目」
    const month = decision?.month ?? japanMonthOf(at);
    const monthWord = month === thisMonth ? T.thisMonth : T.monthOf(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
    return { decision, before, monthWord };
  }, [cases, offices, summaries, kase, today]);

  if (decision?.status === 'over-cap') {
    return <Notice kind="warn">{T.monthFull(monthWord, Math.max(before, MONTHLY_CAP))}</Notice>;
  }
  if (kase.closedAt === null && kase.contacts.length === 0 && before >= MONTHLY_CAP) {
    return <Notice kind="warn">{T.monthFullIfNow(before)}</Notice>;
  }
  // No facility reached yet: while the case is open, the count it would take if one is reached now.
  // A closed case stays as decided (算定不可 with why): it takes no slot, this month or any other.
  if (!decision || (decision.month === null && kase.closedAt === null)) {
    return kase.subject.personId || kase.subject.recipientNumber ? <p className="case-claim-line">{T.monthCount(monthWord, before + 1)}</p> : null;
  }
  return (
    <details className="disclosure case-claim-line">
      <summary>
        {decision.ordinal !== null ? `${T.monthCount(monthWord, decision.ordinal)}・` : ''}
        {CLAIM_STATUS_LABELS[decision.status]}
      </summary>
      <ul>
        {decision.reasons.map((r) => (
          <li key={r}>{r}</li>
        ))}
      </ul>
    </details>
  );
}
