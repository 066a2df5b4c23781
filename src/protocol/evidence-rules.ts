/**
 * What the hub checks before it stores a case entry pushed by a device, beyond its hash (S8):
 * that it links into its case, was written by the one who pushes it on the device that pushes it,
 * and is not dated after its arrival (docs/sync-protocol.md, rules E1–E7). One pure function, so
 * the server, the in-memory hub of the engine's tests and the app (to say why before it sends)
 * apply the same rules.
 *
 * Imports nothing but types: the server, the vault and the start bundle may all use it.
 */
import type { CaseEntry } from '../domain/emergency-case';

/**
 * How far an entry's recordedAt may run ahead of the hub's clock when it arrives, and behind the
 * entry it was appended after: phones keep network time to within seconds, and a clock more than
 * five minutes off is a clock to set, not evidence to take.
 */
export const EVIDENCE_CLOCK_TOLERANCE_MS = 5 * 60_000;

/** What the hub holds of an entry of the case (or took earlier in the same push). */
export interface HeldEntry {
  readonly id: string;
  readonly hash: string;
  readonly index: number;
  readonly recordedAt: string;
}

export interface AppendContext {
  /** every entry of the case the hub holds, plus those accepted earlier in this push */
  readonly held: readonly HeldEntry[];
  /** the hub account the push is credited to */
  readonly authorId: string;
  /** the ids its entries may carry as recordedBy.userId: the account's own, and the device's ids bound to it at sign-in */
  readonly authorIds: readonly string[];
  /** the device that pushes */
  readonly deviceId: string;
  /** the hub's clock as the push arrived */
  readonly receivedAt: Date;
}

export type EvidenceRefusal = 'chain' | 'writer' | 'clock';

export type AppendCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: EvidenceRefusal; readonly detail: string };

/** Checks an entry whose hash already holds (S8) and that the hub does not hold yet (S7). */
export function checkAppend(entry: CaseEntry, ctx: AppendContext): AppendCheck {
  // [E6] Who and where: the credentials of the push, not what the payload says.
  const writer = entry.recordedBy?.userId;
  if (typeof writer !== 'string' || !(writer === ctx.authorId || ctx.authorIds.includes(writer))) {
    return refuse('writer', `recordedBy.userId ${JSON.stringify(writer)} is not the pushing user ${ctx.authorId} nor a staff id this device bound to it at sign-in`);
  }
  if (entry.deviceId !== ctx.deviceId) {
    return refuse('writer', `deviceId ${JSON.stringify(entry.deviceId)} is not the pushing device ${ctx.deviceId}`);
  }
  const recordedAt = Date.parse(entry.recordedAt);
  if (Number.isNaN(recordedAt)) return refuse('chain', 'recordedAt is not an instant');
  // [E7] Not dated after its arrival.
  if (recordedAt > ctx.receivedAt.getTime() + EVIDENCE_CLOCK_TOLERANCE_MS) {
    return refuse('clock', `recordedAt ${entry.recordedAt} is after the hub received it (${ctx.receivedAt.toISOString()}) by more than ${EVIDENCE_CLOCK_TOLERANCE_MS / 60_000} min`);
  }
  if (entry.prevHash === '') {
    // [E1] The open entry starts a case the hub does not hold.
    if (entry.index !== 0 || entry.body?.type !== 'open') return refuse('chain', 'only the open entry has no previous entry, at index 0');
    if (ctx.held.length > 0) return refuse('chain', `case ${entry.caseId} is already held with ${ctx.held.length} entries: a second open entry would replace its start`);
    return { ok: true };
  }
  // [E2] Linked to an entry the hub holds, of the same case.
  const parent = ctx.held.find((h) => h.hash === entry.prevHash);
  if (parent === undefined) {
    return refuse(
      'chain',
      ctx.held.length === 0
        ? `case ${entry.caseId} is not held: its open entry has not arrived or was refused`
        : `prevHash ${entry.prevHash} names no entry of case ${entry.caseId} held by the hub (refused or never sent)`,
    );
  }
  if (entry.body?.type === 'open') return refuse('chain', 'an open entry cannot follow another entry');
  // [E4] The writer held more entries than its parent's index, and no more than the hub holds.
  if (!Number.isSafeInteger(entry.index) || entry.index <= parent.index) {
    return refuse('chain', `index ${entry.index} is not above its previous entry's index ${parent.index}`);
  }
  if (entry.index > ctx.held.length) {
    return refuse('chain', `index ${entry.index} says its writer held ${entry.index} entries; the hub holds ${ctx.held.length} (an earlier entry was refused or not sent)`);
  }
  // [E7] Not dated before the entry it was appended after.
  if (recordedAt < Date.parse(parent.recordedAt) - EVIDENCE_CLOCK_TOLERANCE_MS) {
    return refuse('clock', `recordedAt ${entry.recordedAt} is before the entry it follows (${parent.recordedAt})`);
  }
  return { ok: true };
}

function refuse(reason: EvidenceRefusal, detail: string): AppendCheck {
  return { ok: false, reason, detail };
}
