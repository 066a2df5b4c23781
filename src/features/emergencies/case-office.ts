/**
 * Which office (対応する事業所) a new case starts under; the office each user of this device last
 * started one under is kept by src/state/case-office.ts.
 */
import type { SyncStatus } from '../../sync/status';
import type { IsoDate } from '../../domain/household';
import { japanDateOf } from '../../domain/japan-time';
import { periodOn, type Office } from '../../domain/office';
import { isDemoId } from '../../domain/demo-id';

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
 * The offices a case about this subject may start under. The demo's offices are made up: a real call
 * (a registered person's, or an unknown caller's) started under one went to the hub as a claim of an
 * office that does not exist; a demo household's case may take any.
 */
export function caseOfficesFor<O extends Pick<Office, 'id'>>(offices: readonly O[], demoSubject: boolean): O[] {
  return offices.filter((o) => demoSubject || !isDemoId(o.id));
}

/**
 * The office a new case starts under: the user's own, else the one they last used here, else the only
 * office there is. '' when there are several and none is known: the coordinator chooses, for a case
 * claimed under the alphabetically first office of a network is a claim in the wrong office's name.
 * A demo household's case starts under a demo office (the first in the 拠点 today: the demo hub's own
 * sorts first by name), as the demo's night calls do; a real one never under a demo office.
 */
export function defaultCaseOffice(
  offices: readonly Pick<Office, 'id' | 'hubPeriods'>[],
  own: string | null,
  last: string | null,
  today: IsoDate = japanDateOf(new Date()),
  demoSubject = false,
): string {
  // An office whose 拠点 period has ended (closed, merged) is no default: a coordinator placed there,
  // or who last used it, kept opening cases under it, each 算定不可 for the period, in one line
  // 「対応する事業所：あおば」 nobody reads twice at night. It stays in the list, to be chosen.
  const current = offices.filter((o) => !periodEnded(o, today));
  const demo = current.filter((o) => isDemoId(o.id));
  if (demoSubject && demo.length > 0) {
    for (const id of [own, last]) if (id !== null && demo.some((o) => o.id === id)) return id;
    return (demo.find((o) => periodOn(o.hubPeriods, today) !== null) ?? demo[0])?.id ?? '';
  }
  const real = current.filter((o) => !isDemoId(o.id));
  for (const id of [own, last]) if (id !== null && real.some((o) => o.id === id)) return id;
  return real.length === 1 ? (real[0]?.id ?? '') : '';
}

/** Its 拠点 periods are all over by `today` (an office never placed in the 拠点 has none to end). */
function periodEnded(office: Pick<Office, 'hubPeriods'>, today: IsoDate): boolean {
  return office.hubPeriods.length > 0 && periodOn(office.hubPeriods, today) === null && !office.hubPeriods.some((p) => p.from > today);
}
