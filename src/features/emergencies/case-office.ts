/**
 * Which office (対応する事業所) a new case starts under; the office each user of this device last
 * started one under is kept by src/state/case-office.ts.
 */
import type { SyncStatus } from '../../sync/status';

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
export function defaultCaseOffice(offices: readonly { readonly id: string }[], own: string | null, last: string | null): string {
  for (const id of [own, last]) if (id !== null && offices.some((o) => o.id === id)) return id;
  return offices.length === 1 ? (offices[0]?.id ?? '') : '';
}
