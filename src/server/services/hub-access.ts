/**
 * What the hub records of who reads it (migration 27, docs/security.md "What the hub keeps"). A
 * pull that copies a scope from the beginning writes one account_audit row ('full-pull') before its
 * first page is sent: who, through which device, why it started from the beginning, what scope and
 * how many records the page held. The pages after it, and every incremental pull, write nothing
 * (issue 16: each phone pulls every 30 s). A row that cannot be written fails the pull: evidence of
 * access is part of the contract, as the phone's unlock fails when its 閲覧記録 cannot be written.
 * A device's registration is recorded with the enrolment itself (db/device-users.ts).
 */
import type { WireScope } from '../../protocol/sync';
import type { DeviceRecord, UserRecord } from '../db/account-store';
import { auditDetail } from '../db/account-audit';
import type { PullAnswer, Store } from '../db/store';

/**
 * Why a pull page starts a full copy: a cursor at version 0 (a first sync, 「最初から受信し直す」,
 * a scope that changed, or no cursor at all: the API reads it as 0), a cursor of another epoch or
 * of a timeline a database put back by hand left (answered from the beginning, S15), or the
 * device's first pull, whatever cursor it names (a script starting at version 1 copies as much).
 */
export type FullPullStart = 'cursor-0' | 'new-epoch' | 'restored-timeline' | 'first-pull';

/** Why this page is the first of a full copy, or null for an incremental pull (or a later page). */
export function fullPullStart(
  asked: { readonly version: number },
  answer: Pick<PullAnswer, 'epochChanged' | 'timeline' | 'count'>,
  device: Pick<DeviceRecord, 'firstPullAt'>,
): FullPullStart | null {
  // A pull from the beginning that copies nothing is no copy: a hub with no records yet hands its
  // cursor back at 0, and every phone's sync every 30 s wrote a row. A device's first pull still does.
  if (answer.count === 0 && device.firstPullAt !== null) return null;
  if (asked.version === 0) return 'cursor-0';
  if (answer.epochChanged) return 'new-epoch';
  if ((answer.timeline?.diverged ?? null) !== null) return 'restored-timeline';
  // undefined: not read (no such caller here); only a device known never to have pulled counts
  if (device.firstPullAt === null) return 'first-pull';
  return null;
}

/** The scope as an audit row names it: all, the offices, or one facility. */
function scopeText(scope: WireScope): string {
  if (scope.facilityId !== null) return `facility:${scope.facilityId}`;
  return scope.officeIds === 'all' ? 'all' : scope.officeIds.length === 0 ? 'none' : scope.officeIds.join(',');
}

/** Writes the full copy's row; throws when it cannot (the caller then answers 5xx and sends nothing). */
export async function recordFullPull(
  store: Store,
  user: UserRecord,
  device: Pick<DeviceRecord, 'id'>,
  start: FullPullStart,
  scope: WireScope,
  answer: Pick<PullAnswer, 'count' | 'hasMore'>,
): Promise<void> {
  const detail = auditDetail({ from: start, scope: scopeText(scope), records: answer.count, more: answer.hasMore ? 'yes' : 'no' });
  await store.recordFullPull(user.tenantId, device.id, { detail, by: user.loginName });
}
