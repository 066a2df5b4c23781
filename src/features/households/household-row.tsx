/** One list row. Memoised on its props (the household object identity is stable in the store Map), so typing
 *  in the search box only renders the rows that changed. */
import { memo } from 'react';
import type { HouseholdSummary, PersonSummary } from '../../domain/household-summary';
import { householdStatus, needsReview, personAgeLabel } from '../../domain/household-schema';
import { T } from './text';
import { paths } from './use-route';
import { StatusBadge } from './badges';

export interface RowProps {
  readonly household: HouseholdSummary;
  readonly today: string;
  readonly reviewMonths: number;
  readonly demo: boolean;
  /** what the query matched besides the name (a phone, a 受給者証番号), shown so the caller can confirm */
  readonly matched: string | null;
  readonly matchedPersonId: string | null;
  /**
   * 生年月日 of the row's persons whose name a person of another row on the list has too
   * (「1991年4月2日生」), or null: two 佐藤 陽太 of one age look the same otherwise
   */
  readonly born: string | null;
}

function personLine(p: PersonSummary, today: string): string {
  const age = personAgeLabel(p, today);
  return age ? `${p.name || T.noName}（${age}）` : p.name || T.noName;
}

export const HouseholdRow = memo(function HouseholdRow({ household, today, reviewMonths, demo, matched, matchedPersonId, born }: RowProps) {
  const persons = household.persons;
  const first = persons.find((p) => p.id === matchedPersonId) ?? persons[0];
  const ordered = first ? [first, ...persons.filter((p) => p !== first)] : [];
  return (
    <li>
      <a className="hh-row" href={paths.detail(household.id)}>
        <div className="hh-row__names">{ordered.length ? ordered.map((p) => personLine(p, today)).join('・') : T.noName}</div>
        <div className="hh-row__kana">{ordered.map((p) => p.furigana).filter(Boolean).join('・')}</div>
        <div className="hh-row__meta">
          <StatusBadge status={householdStatus(household)} />
          {needsReview(household, today, reviewMonths) ? <span className="badge badge--review">{T.reviewBadge}</span> : null}
          {demo ? <span className="badge badge--demo">{T.demoBadge}</span> : null}
          {born ? <span className="hh-row__born">{born}</span> : null}
          {matched ? <span className="hh-row__match">{matched}</span> : null}
        </div>
      </a>
    </li>
  );
});
