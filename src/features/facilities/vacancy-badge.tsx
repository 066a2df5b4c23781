import type { Vacancy } from '../../domain/facility';
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
