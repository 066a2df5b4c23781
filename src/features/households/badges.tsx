import type { HouseholdStatus } from '../../domain/household';
import { T } from './text';

export function StatusBadge({ status }: { status: HouseholdStatus }) {
  return <span className={`badge badge--${status}`}>{T.status[status]}</span>;
}
