/**
 * 見直し予定 (issue 15 point 3): households whose review is overdue or due within 30 days, with
 * the due date and the last reviewer. A case worker sees their own households first (担当 = their
 * hub user, or their name where no hub user id is known); anyone may look per 担当者 or per 事業所
 * (a manager's view of the office). Read from the summaries, so it is ready right after unlock.
 */
import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { useApp } from '../../state/store';
import { syncStatus } from '../../sync/status';
import { UNNAMED_HOUSEHOLD } from '../../domain/household-rules';
import type { HouseholdSummary } from '../../domain/household-summary';
import { groupWorklist, ownedBy, REVIEW_WINDOW_DAYS, reviewWorklist, type WorklistItem } from '../../domain/review-worklist';
import { SelectField } from '../../ui/field';
import { Notice, Page } from '../../ui/layout';
import { BackLink } from './household-detail';
import { dateText } from './detail-parts';
import { RT } from './review-text';
import { T } from './text';
import { paths } from './use-route';
import { useJapanToday } from '../../state/use-minute-clock';
import './households.css';

type View = 'mine' | 'case-worker' | 'office';

const nameOf = (h: HouseholdSummary) => {
  const names = h.persons.map((p) => p.name.trim()).filter(Boolean);
  return names.length > 0 ? names.join('・') : UNNAMED_HOUSEHOLD;
};

export function ReviewWorklist() {
  const summaries = useApp((s) => s.summaries);
  const reviewMonths = useApp((s) => s.settings.reviewAfterMonths);
  const userName = useApp((s) => s.session?.user.displayName ?? '');
  const role = useStore(syncStatus, (s) => s.role);
  // 自分の担当 by hub user id when signed in to the hub: the device's name may differ from the hub's
  const hubUserId = useStore(syncStatus, (s) => s.hubUserId);
  const staff = useStore(syncStatus, (s) => s.staff);
  const deviceUserId = useApp((s) => s.session?.user.id ?? null);
  const today = useJapanToday();
  const [view, setView] = useState<View>(() => (role === 'case-worker' ? 'mine' : 'office'));

  const all = useMemo(() => reviewWorklist(summaries.values(), today, reviewMonths), [summaries, today, reviewMonths]);
  const groups = useMemo(() => {
    if (view === 'mine') {
      // another id is a hub user's: by the hub's list when held; signed in without it, any id not this phone's
      const hubIds = staff === null ? null : new Set(staff.map((m) => m.userId));
      const isHubUser = (id: string) => (hubIds === null ? hubUserId !== null : hubIds.has(id));
      return [{ key: userName, items: ownedBy(all, { name: userName, hubUserId, deviceUserId, isHubUser }) }];
    }
    return groupWorklist(all, (h) => (view === 'office' ? (h.registeringOffice ?? '') : h.caseWorker));
  }, [all, view, userName, hubUserId, deviceUserId, staff]);
  const count = groups.reduce((n, g) => n + g.items.length, 0);

  return (
    <Page title={RT.worklistTitle} back={<BackLink href={paths.list()} label={T.back} />}>
      <p>{RT.worklistIntro(reviewMonths, REVIEW_WINDOW_DAYS)}</p>
      <SelectField
        label={RT.view}
        value={view}
        onChange={(e) => setView(e.target.value as View)}
        options={[
          { value: 'mine', label: RT.viewMine(userName) },
          { value: 'case-worker', label: RT.viewByCaseWorker },
          { value: 'office', label: RT.viewByOffice },
        ]}
      />
      <p className="hh-count" aria-live="polite">
        {T.count(count, false)}
      </p>
      {count === 0 ? <Notice kind="ok">{view === 'mine' ? RT.noneMine : RT.none}</Notice> : null}
      {groups
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <section key={g.key} className="rv-group" aria-label={groupTitle(view, g.key)}>
            {view === 'mine' ? null : (
              <h2 className="rv-group__title">
                {groupTitle(view, g.key)}　{RT.groupCount(g.items.length)}
              </h2>
            )}
            <ul className="hh-list">
              {g.items.map((item) => (
                <WorklistRow key={item.household.id} item={item} />
              ))}
            </ul>
          </section>
        ))}
    </Page>
  );
}

function groupTitle(view: View, key: string): string {
  if (view === 'office') return key || RT.unassignedOffice;
  if (view === 'case-worker') return key || RT.unassignedCaseWorker;
  return RT.viewMine(key);
}

function WorklistRow({ item }: { item: WorklistItem<HouseholdSummary> }) {
  const h = item.household;
  return (
    <li>
      <a className="hh-row" href={paths.detail(h.id)}>
        <div className="hh-row__names">{nameOf(h)}</div>
        <div className="hh-row__meta">
          <span className={`badge badge--${item.urgency}`}>{RT.urgency[item.urgency]}</span>
          <span>{RT.dueOn(dateText(item.dueOn))}</span>
          <strong>{RT.daysLeft(item.daysLeft)}</strong>
        </div>
        <div className="hh-row__kana">
          {RT.lastReviewed(item.lastReviewedOn === null ? null : dateText(item.lastReviewedOn), item.lastReviewedBy)}　{RT.caseWorker(h.caseWorker)}
        </div>
      </a>
    </li>
  );
}
