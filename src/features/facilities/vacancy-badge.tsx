import type { Vacancy } from '../../domain/facility';
import { T } from './text';

export function VacancyBadge({ vacancy }: { vacancy: Vacancy | null }) {
  if (!vacancy) return <span className="fac-badge fac-badge--unknown">{T.vacancyUnknown}</span>;
  const kind = vacancy.beds > 0 ? 'open' : 'full';
  return <span className={`fac-badge fac-badge--${kind}`}>{T.vacancy(vacancy.beds)}</span>;
}
