/**
 * What the hub checks before it stores a case entry pushed by a device, beyond its hash (S8):
 * that it links into its case, was written by the one who pushes it on the device that pushes it,
 * neither is nor states a time after its arrival, and, for a correction, gives a reason and names
 * an entry of its case (docs/sync-protocol.md, rules E1–E7). One pure function, so the server, the
 * in-memory hub of the engine's tests and the app (to say why before it sends) apply the same rules.
 *
 * Imports nothing but types: the server, the vault and the start bundle may all use it. So the few
 * body rules of the domain's validateEntry (src/domain/case-fold.ts) the hub can check without the
 * folded case are written again here, none stricter than the domain's, and evidence-rules.test.ts
 * checks that what validateEntry lets the app write passes them.
 */
import type { CaseEntry, EntryBody, FactBody } from '../domain/emergency-case';

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

export type EvidenceRefusal = 'chain' | 'writer' | 'clock' | 'invalid';

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
  // A recordedAt that is no instant is a malformed entry, not a broken link: 'invalid' is never
  // retried, where 'chain' would be sent again after every pull.
  if (!isInstant(entry.recordedAt)) return refuse('invalid', 'recordedAt is not an ISO instant');
  const recordedAt = Date.parse(entry.recordedAt);
  // [E7] Not dated after its arrival.
  if (recordedAt > ctx.receivedAt.getTime() + EVIDENCE_CLOCK_TOLERANCE_MS) {
    return refuse('clock', `recordedAt ${entry.recordedAt} is after the hub received it (${ctx.receivedAt.toISOString()}) by more than ${EVIDENCE_CLOCK_TOLERANCE_MS / 60_000} min`);
  }
  // [E7][E2] What the body states: its times and a correction's reason. Checked before the links,
  // so an entry that can never be taken says so at once, not as a link the phone sends again.
  const stated = checkBody(entry, ctx.receivedAt);
  if (!stated.ok) return stated;
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
  // [E2] A correction names an entry of its case the hub holds. Its writer held that entry, so it
  // was sent before the correction: when it is missing it was refused or has not arrived, which is
  // a broken link ('chain', sent again with it), not a malformed entry.
  const { body } = entry;
  if (body.type === 'correction' && !ctx.held.some((h) => h.id === body.corrects)) {
    return refuse('chain', `the correction names entry ${JSON.stringify(body.corrects)}, which is not an entry of case ${entry.caseId} held by the hub`);
  }
  return { ok: true };
}

/**
 * An ISO instant with its zone: the domain's own form (UTC, 'Z', seconds optional) and the wire's
 * (src/protocol/records.ts, which the push checks first and which also takes an offset).
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isInstant = (s: unknown): s is string => typeof s === 'string' && INSTANT.test(s) && !Number.isNaN(Date.parse(s));

/** One time the body states, by its field. */
interface StatedTime {
  readonly field: string;
  readonly at: unknown;
}

/**
 * Every time a body states, a correction's replacement included: the times the claim month and the
 * statutory record (要請のあった時間, 連絡・調整を行った時刻) are read from.
 */
function statedTimes(body: FactBody, prefix: string): StatedTime[] {
  switch (body.type) {
    case 'open':
      return [{ field: `${prefix}requestedAt`, at: body.requestedAt }];
    case 'contact':
      return [{ field: `${prefix}contactedAt`, at: body.contactedAt }];
    case 'outcome':
      return body.from === null ? [] : [{ field: `${prefix}from`, at: body.from }];
    case 'close':
      return [{ field: `${prefix}closedAt`, at: body.closedAt }];
    case 'stay-end':
      return [{ field: `${prefix}endedAt`, at: body.endedAt }];
    case 'same-emergency':
      // A copy of the other case's 要請のあった時間: that open entry met the same bound when it
      // arrived, earlier, so a true copy always meets it.
      return [{ field: `${prefix}otherRequestedAt`, at: body.otherRequestedAt }];
    case 'result':
    case 'link':
    case 'claim-facts':
      return [];
    default:
      // A replacement of no known type states no time here; the wire's shape check refuses it first.
      return [];
  }
}

/**
 * [E7] No stated time after the entry arrived, or was recorded, by more than the tolerance; [E2] a
 * correction gives a reason. Earlier times are fine: a call made hours ago offline is recorded, and
 * arrives, later.
 */
function checkBody(entry: CaseEntry, receivedAt: Date): AppendCheck {
  const body = entry.body as EntryBody | null | undefined;
  if (body === undefined || body === null) return refuse('invalid', 'the entry has no body');
  let times: StatedTime[];
  if (body.type === 'correction') {
    // The domain's rule, as validateEntry words it: 訂正の理由を入力してください (a blank reason is none).
    if (typeof body.reason !== 'string' || body.reason.trim() === '') return refuse('invalid', 'a correction needs a reason that is not blank');
    if (typeof body.corrects !== 'string' || body.corrects === '') return refuse('invalid', 'a correction names the entry it corrects');
    times = body.replacement === null ? [] : statedTimes(body.replacement, 'replacement.');
  } else {
    times = statedTimes(body, '');
  }
  // The later of the hub's clock and the entry's own recordedAt (itself at most the tolerance
  // ahead of the hub, E7): the app lets a time stand up to the tolerance after recordedAt, by the
  // phone's clock, and a phone a few minutes fast must not have such an entry refused for good.
  const recorded = isInstant(entry.recordedAt) ? Date.parse(entry.recordedAt) : -Infinity;
  const limit = Math.max(receivedAt.getTime(), recorded) + EVIDENCE_CLOCK_TOLERANCE_MS;
  for (const { field, at } of times) {
    if (!isInstant(at)) return refuse('invalid', `body.${field} is not an ISO instant`);
    if (Date.parse(at) > limit) {
      return refuse('clock', `body.${field} ${at} is after the hub received the entry (${receivedAt.toISOString()}) by more than ${EVIDENCE_CLOCK_TOLERANCE_MS / 60_000} min`);
    }
  }
  return { ok: true };
}

function refuse(reason: EvidenceRefusal, detail: string): AppendCheck {
  return { ok: false, reason, detail };
}
