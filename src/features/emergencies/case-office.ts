/**
 * Which office (対応する事業所) a new case starts under; the office each user of this device last
 * started one under is kept by src/state/case-office.ts.
 */
import type { SyncStatus } from '../../sync/status';
import type { IsoDate } from '../../domain/household';
import { japanDateOf } from '../../domain/japan-time';
import { periodOn, type Office } from '../../domain/office';

export { lastCaseOffice, rememberCaseOffice } from '../../state/case-office';

/**
 * The unlocked user's own office as the hub names it (their entry in the hub's users); null while
 * the hub has not answered since the unlock, on a device working alone, or for a hub-wide coordinator.
 */
export function ownOfficeIdOf(status: Pick<SyncStatus, 'joined' | 'staff' | 'hubUserId'>): string | null {
  if (!status.joined || status.staff === null || status.hubUserId === null) return null;
  return status.staff.find((p) => p.userId === status.hubUserId)?.officeId ?? null;
}

/**
 * The office a new case starts under: the user's own, else the one they last used here, else the only
 * office there is. '' when there are several and none is known: the coordinator chooses, for a case
 * claimed under the alphabetically first office of a network is a claim in the wrong office's name.
 */
export function defaultCaseOffice(
  offices: readonly Pick<Office, 'id' | 'hubPeriods'>[],
  own: string | null,
  last: string | null,
  today: IsoDate = japanDateOf(new Date()),
): string {
  // An office whose 拠点 period has ended (closed, merged) is no default: a coordinator placed there,
  // or who last used it, kept opening cases under it, each 算定不可 for the period, in one line
  // 「対応する事業所：あおば」 nobody reads twice at night. It stays in the list, to be chosen.
  const current = offices.filter((o) => !periodEnded(o, today));
  for (const id of [own, last]) if (id !== null && current.some((o) => o.id === id)) return id;
  return current.length === 1 ? (current[0]?.id ?? '') : '';
}

/** Its 拠点 periods are all over by `today` (an office never placed in the 拠点 has none to end). */
function periodEnded(office: Pick<Office, 'hubPeriods'>, today: IsoDate): boolean {
  return office.hubPeriods.length > 0 && periodOn(office.hubPeriods, today) === null && !office.hubPeriods.some((p) => p.from > today);
}
