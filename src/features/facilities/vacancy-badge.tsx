import { closureAhead, closureAheadText, closureOn, closureText, type Facility, type Vacancy } from '../../domain/facility';
import type { IsoDate } from '../../domain/household';
import { formatMonthDay } from '../../domain/japan-time';
import { vacancyStanding } from '../../domain/match-order';
import { agoInWords } from '../../domain/night-call';
import { T } from './text';

/**
 * 「空き 2床・12分前の報告」 or 「満床・…」: how many, for which nights (a weekend's dates), how old
 * the news is, in words, and whether it says anything about tonight, as the match reads it
 * (今夜は対象外 for nights still to come, 古い情報 for a report a day old or a period gone).
 */
export function VacancyBadge({ vacancy, now }: { vacancy: Vacancy | null; now: Date }) {
  if (!vacancy) return <span className="fac-badge fac-badge--unknown">{T.vacancyUnknown}</span>;
  const standing = vacancyStanding(vacancy, now.getTime());
  const kind = standing === 'fresh' ? 'open' : standing === 'full' ? 'full' : 'unknown';
  const ago = agoInWords(vacancy.asOf, now);
  const period = vacancy.from && vacancy.until ? `（${T.period(formatMonthDay(vacancy.from), formatMonthDay(vacancy.until))}）` : '';
  const note = standing === 'later' ? T.badgeLater : standing === 'old' ? T.badgeOld : null;
  return (
    <span className={`fac-badge fac-badge--${kind}`}>
      {T.vacancy(vacancy.beds)}
      {period}
      {ago ? `・${T.vacancyAgo(ago)}` : ''}
      {note ? `・${note}` : ''}
    </span>
  );
}

/**
 * 「休止中（12/20まで）」 or 「12/10から廃止予定」 under a facility's name, with the office's reason:
 * nothing while it runs and nothing is planned.
 */
export function ClosureLine({ facility, today }: { facility: Pick<Facility, 'closure'>; today: IsoDate }) {
  const now = closureOn(facility, today);
  const ahead = now ? null : closureAhead(facility, today);
  const closure = now ?? ahead;
  if (!closure) return null;
  return (
    <span className={`fac-closure${now ? ' fac-closure--now' : ''}`}>
      {now ? closureText(now) : closureAheadText(closure)}
      {closure.note ? `・${closure.note}` : ''}
    </span>
  );
}
