/**
 * The sync service: what a user may write and read [S10]. It decides each pushed change's office
 * (the store never guesses it), refuses per change what the user may not write (reason 'scope'),
 * passes the rest to the store's push rules in order, and turns a role into a pull scope.
 */
import { HUB_ONLY_OFFICE, KINDS_A_ROLE_WRITES, type ConflictList, type DeviceMembers, type StaffList, type WireChange, type WireScope } from '../../protocol/sync';
import type { PushOptions, ScopeFacts, UserRecord } from '../db/account-store';
import { authorsOf, type Author } from './device-users';
import type { DeviceUserRecord } from '../db/device-users';
import { type ChangeResult, type PullAnswer, type PullPage, type PullScope, type PushedChange, type Store } from '../db/store';
import { ServiceError } from './errors';
import { unstorableText } from './storable-text';
import { wireScopeOf } from '../../protocol/scope';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../../protocol/evidence-rules';

/**
 * How long after a stop (disable-device, disable-user) the hub still takes a stopped phone's
 * evidence, or a stopped author's: the phone's last calls, sent at its next contact (it may have
 * been off, or lost and found, for days). Past it, whatever comes is kept for the admin, not taken.
 */
export const STOPPED_EVIDENCE_DAYS = 30;

/** What a push needs to weigh a stopped phone's or author's evidence: the hub's clock, and when the device was stopped (null: it was not). */
export interface StopClock {
  readonly now: Date;
  readonly deviceStoppedAt: Date | null;
}

/**
 * Why a stopped phone's or stopped author's case entry is not taken, or null: recorded after the stop
 * (beyond the clock tolerance), or sent more than STOPPED_EVIDENCE_DAYS after it. Whoever holds a
 * stopped phone holds its secret, and the retire push took any entry for as long as it was not told
 * the phone had wiped: new cases, dated at will, countersigned, claimable. A retiring phone keeps what
 * is refused here in the quarantine for the admin (retirement.ts); a shared phone keeps it listed.
 * An entry backdated before the stop within the window still goes: the receipt's time then shows it
 * arrived after the stop.
 */
export function lateEvidence(change: WireChange, stoppedAt: Date, now: Date): string | null {
  if (change.kind !== 'case-entry') return null;
  const sinceStop = now.getTime() - stoppedAt.getTime();
  if (sinceStop > STOPPED_EVIDENCE_DAYS * 86_400_000) {
    return `sent ${Math.floor(sinceStop / 86_400_000)} days after the device or its author was stopped (${stoppedAt.toISOString()}): kept for the admin, not taken`;
  }
  const recordedAt = Date.parse(String(asRecord(change.payload)?.['recordedAt'] ?? ''));
  if (Number.isFinite(recordedAt) && recordedAt > stoppedAt.getTime() + EVIDENCE_CLOCK_TOLERANCE_MS) {
    return `recorded at ${new Date(recordedAt).toISOString()}, after the device or its author was stopped (${stoppedAt.toISOString()}): kept for the admin, not taken`;
  }
  return null;
}

/** The earlier of the device's stop and the author's, for a change sent as a stopped one's (PushOptions.retiring). */
function stopOf(author: Author, clock: StopClock): Date | null {
  const stops = [clock.deviceStoppedAt, author.disabled ? (author.user.disabledAt ?? null) : null].filter((d): d is Date => d !== null);
  return stops.length === 0 ? null : new Date(Math.min(...stops.map((d) => d.getTime())));
}

export type Decision =
  | { readonly ok: true; readonly officeId: string | null }
  | { readonly ok: false; readonly reason: 'scope' | 'invalid'; readonly detail: string };

/** What the user may pull: every office, their own office, or (a facility liaison) one facility record. */
export function pullScopeFor(user: UserRecord): { readonly store: PullScope; readonly wire: WireScope } {
  const tenantId = user.tenantId;
  switch (user.role) {
    case 'admin':
    case 'coordinator':
      return { store: { tenantId, officeIds: 'all' }, wire: wireScopeOf(user) };
    case 'case-worker':
      return { store: { tenantId, officeIds: user.officeId === null ? [] : [user.officeId] }, wire: wireScopeOf(user) };
    case 'facility-liaison':
      // A liaison without a facility holds nothing: '' names no facility.
      return { store: { tenantId, officeIds: [], facilityId: user.facilityId ?? '' }, wire: wireScopeOf(user) };
  }
}

const asRecord = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Decides each change of a push, in order. `facts` is what the server held before the push; the
 * changes before this one in the same push count too (a case opened and appended to in one push,
 * a household created and its case opened).
 */
export function decideChanges(authorOf: UserRecord | ((index: number) => UserRecord), changes: readonly WireChange[], facts: ScopeFacts): Decision[] {
  const households = new Map(facts.households);
  const cases = new Map(facts.cases);
  const trialStays = new Map(facts.trialStays);
  const refuse = (detail: string): Decision => ({ ok: false, reason: 'scope', detail });

  return changes.map((c, index): Decision => {
    // A9: each change is decided with its author's role and office.
    const user = typeof authorOf === 'function' ? authorOf(index) : authorOf;
    const own = user.officeId;
    const fallback = own ?? HUB_ONLY_OFFICE;
    const isLead = user.role === 'admin' || user.role === 'coordinator';
    // PostgreSQL text cannot hold NUL: such an id is refused here, on its own, rather than failing
    // the lookups of the whole push.
    if (c.entityId.includes('\u0000')) return { ok: false, reason: 'invalid', detail: 'entityId contains a NUL character' };
    const unstorable = unstorableText(c, 'change');
    if (unstorable !== null) return { ok: false, reason: 'invalid', detail: `${unstorable}: text contains a NUL or a lone surrogate` };
    switch (c.kind) {
      case 'household': {
        const named = c.payload['officeId'];
        const held = households.get(c.entityId);
        let officeId: string | null;
        if (typeof named === 'string' && facts.officeIds.has(named)) officeId = named;
        else if (typeof named === 'string' && user.role === 'case-worker') return refuse(`office ${named} is not this user's office`);
        else officeId = held !== undefined ? held : fallback;
        if (user.role === 'facility-liaison') return refuse('a facility liaison does not write households');
        if (user.role === 'case-worker') {
          if (officeId !== own || own === null) return refuse(`household ${c.entityId} would be held under ${officeId}, not this user's office`);
          if (held !== undefined && held !== own) return refuse(`household ${c.entityId} is held under another office`);
        }
        households.set(c.entityId, officeId);
        return { ok: true, officeId };
      }
      case 'case-entry': {
        if (user.role === 'facility-liaison') return refuse('a facility liaison does not write cases');
        const entry = asRecord(c.payload);
        const caseId = typeof entry?.['caseId'] === 'string' ? entry['caseId'] : undefined;
        const body = asRecord(entry?.['body']);
        // A case follows the office it was first held under; a new case, its household's office.
        // A new case with no household the hub holds (本人未特定で開始) goes under the office its open
        // entry names, the one that claims it: its case workers pull it and link it to the household
        // registered the next morning. A case worker's case naming another office stays under their
        // own, as before: refusing it would keep the night's evidence off the hub.
        let officeId: string | null;
        if (caseId !== undefined && cases.has(caseId)) officeId = cases.get(caseId)!;
        else {
          const householdId = asRecord(body?.['subject'])?.['householdId'];
          const opens = body?.['type'] === 'open';
          const named = opens ? body?.['officeId'] : undefined;
          const claiming = typeof named === 'string' && facts.officeIds.has(named) && (user.role !== 'case-worker' || named === own) ? named : null;
          officeId = opens && typeof householdId === 'string' && households.has(householdId) ? households.get(householdId)! : (claiming ?? fallback);
        }
        if (user.role === 'case-worker' && (own === null || officeId !== own)) return refuse(`case ${caseId ?? '?'} is not held under this user's office`);
        if (caseId !== undefined && !cases.has(caseId)) cases.set(caseId, officeId);
        return { ok: true, officeId };
      }
      case 'month-close': {
        // 請求済み: held under the office it closes, so whoever holds that office's cases holds it;
        // written by an admin or a coordinator, or a case worker of that office (who sees its claim).
        // (As a household: a device's office id the hub does not know falls back to the writer's office.)
        const named = asRecord(c.payload)?.['officeId'];
        if (user.role === 'facility-liaison') return refuse('a facility liaison does not close claim months');
        const officeId = typeof named === 'string' && facts.officeIds.has(named) ? named : fallback;
        if (user.role === 'case-worker' && (own === null || officeId !== own)) return refuse(`office ${String(named)} is not this user's office`);
        return { ok: true, officeId };
      }
      case 'access':
        // The access log is audit only: never pulled, so it needs no office.
        return { ok: true, officeId: null };
      case 'facility':
        if (isLead || (user.role === 'facility-liaison' && user.facilityId !== null && c.entityId === user.facilityId)) return { ok: true, officeId: null };
        return refuse(user.role === 'facility-liaison' ? `facility ${c.entityId} is not this liaison's facility` : 'a case worker does not write facilities');
      case 'office':
        return user.role === 'admin' ? { ok: true, officeId: null } : refuse('事業所の情報は拠点の管理者だけが変更できます。変更は管理者に依頼してください（only an admin writes offices）');
      // 機能強化加算 (docs/function-bonus.md [FB8]): the network's agreement, kept by an admin, read by all.
      case 'bonus-coordinator':
      case 'bonus-split':
      case 'bonus-count':
      case 'bonus-price':
        return user.role === 'admin' ? { ok: true, officeId: null } : refuse(`only an admin writes ${c.kind}`);
      case 'trial-stay': {
        // A trial stay is held under its household's office, so whoever may hold the family holds its stays.
        // A stay the hub holds is judged as held too, not only as sent: naming one of their own
        // households would otherwise let a case worker take another office's stay into theirs.
        const householdId = c.payload['householdId'];
        const held = typeof householdId === 'string' ? households.get(householdId) : undefined;
        const before = trialStays.get(c.entityId);
        const facilityId = typeof c.payload['facilityId'] === 'string' ? c.payload['facilityId'] : null;
        let officeId: string | null;
        if (user.role === 'facility-liaison') {
          if (user.facilityId === null || facilityId !== user.facilityId) return refuse(`trial stay ${c.entityId} is not at this liaison's facility`);
          if (before !== undefined && before.facilityId !== user.facilityId) return refuse(`trial stay ${c.entityId} is held at another facility`);
          if (held === undefined) return refuse(`trial stay ${c.entityId} names no household the hub holds`);
          officeId = held;
        } else if (user.role === 'case-worker') {
          if (own === null || held !== own) return refuse(`trial stay ${c.entityId} is not for a household of this user's office`);
          // (its household as held now: moved earlier in this push, it counts where it went)
          const beforeOffice = before === undefined ? own : before.householdId !== null && households.has(before.householdId) ? households.get(before.householdId) : before.householdOffice;
          if (beforeOffice !== own) return refuse(`trial stay ${c.entityId} is held for a household of another office`);
          officeId = held;
        } else officeId = held ?? fallback;
        trialStays.set(c.entityId, { householdId: typeof householdId === 'string' ? householdId : null, householdOffice: held ?? null, facilityId });
        return { ok: true, officeId };
      }
    }
  });
}

/**
 * What a retired device or a disabled author still sends: its evidence and its access log. Not a
 * 請求済み (month-close) or its 取消, though append-only too: closing or reopening a month is a
 * decision, not a record of what happened, and a disabled person no longer makes it.
 */
const RETIRE_KINDS: ReadonlySet<WireChange['kind']> = new Set(['case-entry', 'access']);

const toPushed = (c: WireChange, officeId: string | null): PushedChange => ({
  seq: c.seq,
  mutationId: c.mutationId,
  kind: c.kind,
  entityId: c.entityId,
  op: c.op,
  at: c.at,
  payload: c.payload,
  officeId,
  baseVersion: c.baseVersion,
});

/**
 * Pushes a device's changes. Runs of changes the user may write go to applyPush together; a
 * change refused for scope is recorded on its own, so its seq is taken and the ones after it are
 * not held up [S3][S11]. Each step is its own transaction; a retry of the whole push is harmless [S4].
 * `signedIn`: the user's sign-in on the device, as the request's caller was read with it. `clock`:
 * the hub's time and the device's stop, for a stopped phone's or author's evidence (lateEvidence).
 */
export async function pushChanges(
  store: Store,
  device: { readonly id: string },
  user: UserRecord,
  changes: readonly WireChange[],
  options: PushOptions = {},
  signedIn?: DeviceUserRecord | null,
  clock: StopClock = { now: new Date(), deviceStoppedAt: null },
): Promise<ChangeResult[]> {
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]!.seq <= changes[i - 1]!.seq) {
      throw new ServiceError('bad-request', '変更の順序が正しくありません。', `changes[${i}].seq: seqs must strictly increase`);
    }
  }
  const householdIds = new Set<string>();
  const caseIds = new Set<string>();
  const trialStayIds = new Set<string>();
  // An id PostgreSQL cannot hold (a NUL) is never held: it is left out of the lookup, and the
  // change itself is refused as 'invalid' by the push rules, not the whole push.
  const lookup = (set: Set<string>, id: unknown) => {
    if (typeof id === 'string' && !id.includes('\u0000')) set.add(id);
  };
  for (const c of changes) {
    if (c.kind === 'household') lookup(householdIds, c.entityId);
    if (c.kind === 'trial-stay') {
      lookup(householdIds, c.payload['householdId']);
      lookup(trialStayIds, c.entityId);
    }
    if (c.kind !== 'case-entry') continue;
    lookup(caseIds, c.payload['caseId']);
    lookup(householdIds, asRecord(asRecord(c.payload['body'])?.['subject'])?.['householdId']);
  }
  // A9: who wrote each change; the stream stops at the first whose author may not be credited.
  const { authors, held } = await authorsOf(store, device.id, user, changes, options, signedIn);
  const taking = changes.slice(0, changes.length - held.length);
  const facts = await store.scopeFacts(user.tenantId, [...householdIds], [...caseIds], [...trialStayIds]);
  const decisions = decideChanges((i) => authors[i]!.user, taking, facts);

  const results: ChangeResult[] = [];
  let run: PushedChange[] = [];
  let runAuthor = authors[0];
  // A disabled author's changes go as a retired device's would: evidence only [A9].
  const optionsOf = (author: Author): PushOptions => ({ ...options, authorIds: author.ids, ...(author.disabled ? { retiring: true } : {}) });
  const flush = async () => {
    if (run.length > 0) results.push(...(await store.applyPush(device.id, runAuthor!.user.id, run, optionsOf(runAuthor!))));
    run = [];
  };
  for (const [i, change] of taking.entries()) {
    const decision = decisions[i]!;
    const author = authors[i]!;
    if (author !== runAuthor) await flush();
    runAuthor = author;
    if (author.unattributed !== undefined) {
      const refusal = { reason: 'author' as const, detail: `author ${author.unattributed} has not signed in on device ${device.id}: kept for the admin, credited to nobody` };
      const refused = await store.recordRefusal(device.id, author.user.id, toPushed(change, null), refusal, optionsOf(author));
      results.push(...(refused === null ? await store.applyPush(device.id, author.user.id, [toPushed(change, null)], optionsOf(author)) : [refused]));
      continue;
    }
    const retiring = optionsOf(author).retiring === true;
    const retiringRefusal = retiring && !RETIRE_KINDS.has(change.kind);
    const stoppedAt = retiring ? stopOf(author, clock) : null;
    const late = stoppedAt === null ? null : lateEvidence(change, stoppedAt, clock.now);
    if (decision.ok && !retiringRefusal && late === null) {
      run.push({ ...toPushed(change, decision.officeId), ...(author.user.role === 'case-worker' && change.kind === 'household' ? { ownOfficeOnly: true } : {}) });
      continue;
    }
    await flush();
    const refusal = retiringRefusal
      ? { reason: 'scope' as const, detail: `a retired device or disabled author sends only case entries and the access log, not ${change.kind}` }
      : late !== null
        ? { reason: 'scope' as const, detail: late }
        : (decision as Extract<Decision, { ok: false }>);
    const refused = await store.recordRefusal(device.id, author.user.id, toPushed(change, null), refusal, optionsOf(author));
    // null: the seq was taken before; applyPush gives the answer it got then [S4].
    results.push(...(refused === null ? await store.applyPush(device.id, author.user.id, [toPushed(change, null)], optionsOf(author)) : [refused]));
  }
  await flush();
  return [...results, ...held];
}

/** A pull page as the API answers it (Store.pullAnswer): the records as JSON text, in one statement. */
export async function pullAnswer(
  store: Store,
  user: UserRecord,
  cursor: { readonly epoch: string | null; readonly version: number },
  limit: number,
  timeline?: Parameters<Store['pullAnswer']>[3],
): Promise<{ answer: PullAnswer; scope: WireScope }> {
  const scope = pullScopeFor(user);
  return { answer: await store.pullAnswer(cursor, scope.store, limit, timeline), scope: scope.wire };
}

/** Open same-field conflicts on records the user may hold [S14]. */
export async function listConflicts(store: Store, user: UserRecord): Promise<ConflictList> {
  const conflicts = await store.listConflicts(pullScopeFor(user).store);
  return { conflicts: conflicts.map((c) => ({ ...c })) };
}

/**
 * Settles a conflict [S14]. 'lost' means the device has already pushed the edit that writes the
 * other value back; either way the conflict is closed for everyone. A facility liaison or a case
 * worker settles only conflicts on records they may hold.
 */
export async function resolveConflict(store: Store, user: UserRecord, conflictId: string): Promise<void> {
  // Only someone who may write the record settles it: a case worker closing a conflict over an
  // office or a 機能強化加算 figure would take the admin's losing value off their list unseen.
  await store.resolveConflict(pullScopeFor(user).store, conflictId, user.id, [...KINDS_A_ROLE_WRITES[user.role]]);
}

/**
 * [A10] Who of the people who signed in on the device the hub has stopped (their account
 * disabled), revoked there or not: the phone takes their key slots off, so that nobody who has
 * left can still unlock it offline. Only the device's own users: it learns nothing of the others.
 */
export async function stoppedMembers(store: Store, deviceId: string): Promise<DeviceMembers> {
  const users = await store.listDeviceUsers(deviceId);
  return { stopped: users.filter((u) => u.userDisabled).map((u) => u.userId) };
}

/**
 * The hub's active users as a device may list them (no login names, no secrets), to pick a
 * household's 担当 相談支援専門員 from (issue 14). A facility liaison, who holds no households, gets none.
 */
export async function listStaff(store: Store, user: UserRecord): Promise<StaffList> {
  if (user.role === 'facility-liaison') return { staff: [] };
  const users = await store.listUsers(user.tenantId);
  return {
    staff: users
      .filter((u) => !u.disabled)
      .map((u) => ({ userId: u.id, displayName: u.displayName, role: u.role, officeId: u.officeId }))
      .sort((a, b) => a.displayName.localeCompare(b.displayName, 'ja') || (a.userId < b.userId ? -1 : 1)),
  };
}
