import type { Vacancy } from '../../domain/facility';
import { agoInWords } from '../../domain/night-call';
import { T } from './text';

/** 「空き 2床・12分前の報告」 or 「満床・…」: how many, and how old the news is, in words. */
export function VacancyBadge({ vacancy, now }: { vacancy: Vacancy | null; now: Date }) {
  if (!vacancy) return <span className="fac-badge fac-badge--unknown">{T.vacancyUnknown}</span>;
  const kind = vacancy.beds > 0 ? 'open' : 'full';
  const ago = agoInWords(vacancy.asOf, now);
  return (
    <span className={`fac-badge fac-badge--${kind}`}>
      {T.vacancy(vacancy.beds)}
      {ago ? `・${T.vacancyAgo(ago)}` : ''}
    </span>
  );
}
