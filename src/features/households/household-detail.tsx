/** One household, ordered for a night call. Opening it writes one 閲覧記録 entry (store.openHousehold). */
import { useState } from 'react';
import { useStore } from 'zustand';
import { syncStatus } from '../../sync/status';
import { useApp } from '../../state/store';
import { useHousehold } from '../../state/use-household';
import { useLogOpen } from '../../state/use-log-open';
import { useOpenCaseOf } from '../../state/use-open-case';
import { useNewerVersionSetAside } from '../../state/use-set-aside';
import { useJapanToday, useMinuteClock } from '../../state/use-minute-clock';
import type { Household, Person } from '../../domain/household';
import { formatJapanShortDateTime } from '../../domain/japan-time';
import { lastReview, nextReviewDate, reviewBasis } from '../../domain/household-rules';
import { householdStatus, needsReview, personAgeLabel } from '../../domain/household-schema';
import { Button } from '../../ui/button';
import { Notice, Page } from '../../ui/layout';
import { FirstContacts, PersonEssentials } from '../../ui/person-summary';
import { StatusBadge } from './badges';
import { dateText } from './detail-parts';
import { useHouseholdEditDraft } from './draft-key';
import { CareSections, ContactsSection, RecordSections } from './detail-sections';
import { SEX_LABELS, T } from './text';
import { TrialStaysSection } from './trial-stays';
import { navigate, paths } from './use-route';
import { WithdrawDialog, withdrawDraftKey } from './withdraw-dialog';
import { ReviewDialog } from './review-dialog';
import { RT } from './review-text';
import { useReopenForDraft } from '../../state/use-drafted-form';
import './households.css';

export function BackLink({ href, label }: { href: string; label: string }) {
  return (
    <a className="btn btn--ghost" href={href} aria-label={label}>
      ←
    </a>
  );
}

export function HouseholdDetail({ id }: { id: string }) {
  const { household, loading } = useHousehold(id);
  const reviewMonths = useApp((s) => s.settings.reviewAfterMonths);
  const today = useJapanToday();
  const [withdrawing, setWithdrawing] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [reviewSaved, setReviewSaved] = useState<string | null>(null);
  const demo = useApp((s) => s.demoIds.has(id));
  const editLeft = useHouseholdEditDraft(id);
  useLogOpen(id);
  // A 登録廃止 being typed when the app locked opens again after the unlock, with its text.
  useReopenForDraft(household && !household.withdrawal ? withdrawDraftKey(household.id) : null, () => setWithdrawing(true));

  if (!household) {
    return (
      <Page title={T.listTitle} back={<BackLink href={paths.list()} label={T.back} />}>
        {loading ? <p role="status">{T.loading}</p> : <Notice kind="warn">{T.notFound}</Notice>}
      </Page>
    );
  }

  const status = householdStatus(household);
  // A demo household (made-up people and numbers) says so in its title, on its own screen too: in
  // the list only the row's badge told it from a real family of the same name.
  const title = `${household.persons[0]?.name || T.noName}${demo ? T.demoTitle : ''}`;
  return (
    <Page title={title} back={<BackLink href={paths.list()} label={T.back} />}>
      <Header household={household} today={today} review={needsReview(household, today, reviewMonths)} />
      {editLeft ? (
        <Notice kind="warn">
          {T.editLeft} <a href={paths.edit(id)}>{T.editContinue}</a>
        </Notice>
      ) : null}
      <PersonsBasics household={household} today={today} />
      <ReviewLine household={household} reviewMonths={reviewMonths} onRecord={status === 'withdrawn' ? null : () => setReviewing(true)} />
      {reviewSaved ? <Notice kind="ok">{RT.saved(dateText(reviewSaved))}</Notice> : null}
      <ContactsSection household={household} />
      <CareSections household={household} today={today} />
      <TrialStaysSection household={household} />
      <RecordSections household={household} />
      <div className="hh-actions">
        <Button variant="primary" onClick={() => navigate(paths.edit(id))}>
          {T.edit}
        </Button>
        <Button onClick={() => navigate(paths.print(id))}>{T.print}</Button>
        {status === 'withdrawn' ? (
          <span className="badge badge--withdrawn">{T.withdrawnAlready}</span>
        ) : (
          <Button variant="danger" onClick={() => setWithdrawing(true)}>
            {T.withdraw}
          </Button>
        )}
      </div>
      {reviewing ? (
        <ReviewDialog
          household={household}
          today={today}
          onClose={(saved) => {
            setReviewing(false);
            if (saved) setReviewSaved(saved);
          }}
        />
      ) : null}
      {withdrawing ? <WithdrawDialog household={household} today={today} open onClose={() => setWithdrawing(false)} /> : null}
    </Page>
  );
}

/**
 * The first screen at 360 × 740, without scrolling: each person's essentials, the first two
 * contacts to call, 「緊急対応を開始」 (for several persons the calls and buttons first, the
 * essentials after them, one line each). Status and warnings follow; the full 聞き取り票 below.
 * Above them all, a newer version set aside [R3]: what the screen shows is then out of date.
 */
function Header({ household: h, today, review }: { household: Household; today: string; review: boolean }) {
  const status = householdStatus(h);
  const basis = reviewBasis(h);
  const caseWorkerGone = useCaseWorkerGone(h);
  // [R3] A newer version came and this app could not read it: the 服薬 and contacts below are the old ones.
  const newerSetAside = useNewerVersionSetAside(h.id);
  // the contacts' order follows the hour (a number answered by day only goes down at night): read every minute
  const now = useMinuteClock();
  // Several persons: the calls and each one's 緊急対応を開始 come first, then their essentials one
  // line each, so no person's button falls below the screen (two siblings with long 医ケア pushed it there).
  const many = h.persons.length > 1;
  const persons = h.persons.map((p) => <PersonEssentials key={p.id} person={p} today={today} provisional={status === 'draft'} compact={many} />);
  // A 登録廃止 household (a death among its reasons) is said before its start buttons, which are no
  // longer the screen's first action: a case may still be opened for it, after reading that line.
  const withdrawn = h.withdrawal ? <p className="hh-withdrawn">{T.withdrawnOn(dateText(h.withdrawal.date), h.withdrawal.reason)}</p> : null;
  return (
    <header className="section hh-first">
      {newerSetAside ? <Notice kind="warn">{T.setAsideNewer}</Notice> : null}
      {many ? null : persons}
      <FirstContacts contacts={h.emergencyContacts} caseWorker={{ name: h.caseWorker, phone: h.caseWorkerPhone }} at={now} />
      {withdrawn}
      <div className={many ? 'hh-head__actions hh-starts hh-starts--many' : 'hh-head__actions hh-starts'}>
        {h.persons.map((p) => (
          <a key={p.id} className={withdrawn ? 'btn btn--secondary hh-start' : 'btn btn--primary hh-start'} href={paths.startCase(h.id, p.id)}>
            {T.startCase(p.name || T.noName)}
          </a>
        ))}
      </div>
      {many ? persons : null}
      <div className="hh-row__meta">
        <StatusBadge status={status} />
      </div>
      {review && basis ? <Notice kind="warn">{T.reviewWarning(basis.basis, dateText(basis.date))}</Notice> : null}
      {status === 'draft' ? <Notice kind="warn">{T.draftWarning}</Notice> : null}
      {status !== 'withdrawn' && caseWorkerGone ? <Notice kind="warn">{T.caseWorkerGone(h.caseWorker)}</Notice> : null}
    </header>
  );
}

/**
 * Whether the household's 担当 (picked from the hub's staff) is no longer among them: a case worker
 * who left is disabled on the hub, and their name and number stayed the household's contact at
 * night, second on the call buttons when the family gave one number, with nothing saying so. Known
 * only on a joined phone that has the hub's list.
 */
function useCaseWorkerGone(h: Household): boolean {
  const staff = useStore(syncStatus, (s) => (s.joined ? s.staff : null));
  const id = h.caseWorkerUserId;
  return staff !== null && id !== undefined && id !== null && !staff.some((p) => p.userId === id);
}

/** 次回見直し日 and the last review on the record, with 「見直しを記録」 (issue 15 point 3). */
function ReviewLine({ household: h, reviewMonths, onRecord }: { household: Household; reviewMonths: number; onRecord: (() => void) | null }) {
  const next = nextReviewDate(h, reviewMonths);
  const last = lastReview(h);
  return (
    <section className="section hh-review" aria-label={RT.nextReview}>
      <dl className="hh-review__dates">
        <div>
          <dt>{RT.nextReview}</dt>
          <dd>{next ? dateText(next) : '—'}</dd>
        </div>
        <div>
          <dt>{RT.lastReview}</dt>
          <dd>{last ? `${dateText(last.date)}${last.by ? `（${last.by}）` : ''}` : '—'}</dd>
        </div>
      </dl>
      {onRecord ? <Button onClick={onRecord}>{RT.record}</Button> : null}
    </section>
  );
}

/** Who each person is (kana, birth date, sex) and the match: for their open case, if they have one. */
function PersonsBasics({ household: h, today }: { household: Household; today: string }) {
  const status = householdStatus(h);
  return (
    <section className="section" aria-label={T.basicsTitle}>
      {h.persons.map((p) => {
        const age = personAgeLabel(p, today);
        return (
          <div key={p.id} className="hh-head__person">
            <p className="hh-head__names">{p.name || T.noName}</p>
            <div className="hh-head__kana">{p.furigana}</div>
            <div>{[dateText(p.birthDate), age, SEX_LABELS[p.sex]].filter(Boolean).join('　')}</div>
            {status === 'withdrawn' ? null : <MatchLink householdId={h.id} person={p} />}
          </div>
        );
      })}
    </section>
  );
}

/**
 * 「受入先を探す」: while the person has an open case, the match records the calls in it (the link
 * says which); without one, the match itself says that nothing is recorded and offers to start.
 */
function MatchLink({ householdId, person }: { householdId: string; person: Person }) {
  const kase = useOpenCaseOf(householdId, person.id);
  return (
    <div className="hh-head__actions">
      <a className="btn btn--secondary hh-match-link" href={kase ? paths.matchForCase(householdId, person.id, kase.id) : paths.match(householdId, person.id)}>
        {T.findFacility(person.name || T.noName)}
      </a>
      {kase ? <p className="hh-match-case">{T.matchRecordsInCase(formatJapanShortDateTime(kase.open.body.requestedAt))}</p> : null}
    </div>
  );
}
