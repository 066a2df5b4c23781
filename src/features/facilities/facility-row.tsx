/**
 * One row of the facility list. Memoised on primitive props and the facility object (kept as it is in
 * the store's Map until that facility changes), so the minute clock, a keystroke or a sync pull of
 * something else draws again only the rows whose text changes.
 */
import { memo } from 'react';
import type { Facility } from '../../domain/facility';
import type { IsoDate } from '../../domain/household';
import { reportForNight } from '../../domain/match-order';
import { T } from './text';
import { paths } from './use-route';
import { ClosureLine, VacancyBadge } from './vacancy-badge';

export interface FacilityRowProps {
  readonly facility: Facility;
  /** Japan date: a 休止 starts and ends with the day */
  readonly today: IsoDate;
  /**
   * The minute (epoch ms), given only to a facility with a vacancy report: its badge ages (「12分前の報告」,
   * then 古い情報). null for one with none, whose row then ignores the clock.
   */
  readonly nowMs: number | null;
  /** how many records share its 事業所番号, itself included; 0 when it is alone on it */
  readonly twinCount: number;
  readonly canReport: boolean;
}

/** Whether any report can show in the badge: the row needs the minute only then. */
export function hasVacancyReport(facility: Pick<Facility, 'vacancy' | 'vacancyHistory'>): boolean {
  return facility.vacancy !== null || (facility.vacancyHistory?.length ?? 0) > 0;
}

export const FacilityRow = memo(function FacilityRow({ facility: f, today, nowMs, twinCount, canReport }: FacilityRowProps) {
  const vacancy = nowMs === null ? null : reportForNight(f, nowMs);
  return (
    <li>
      <a className="fac-row" href={paths.detail(f.id)}>
        <span>
          <span className="fac-row__name">{f.name || T.noName}</span>
          <br />
          <span className="muted">{f.area || T.noArea}</span>
          <ClosureLine facility={f} today={today} />
          {twinCount > 0 ? <span className="fac-row__twins">{T.twinsShort(twinCount)}</span> : null}
        </span>
        {/* 「空床情報なし」 reads no time: without a report the row has no clock */}
        <VacancyBadge vacancy={vacancy} now={new Date(nowMs ?? 0)} />
      </a>
      {canReport ? (
        <a className="btn btn--secondary fac-row__report" href={paths.vacancy(f.id)} aria-label={T.reportVacancyOf(f.name || T.noName)}>
          {T.reportVacancy}
        </a>
      ) : null}
    </li>
  );
});
