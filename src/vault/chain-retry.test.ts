import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import type { CaseEntry } from '../domain/emergency-case';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import type { ChangeResult, WireRecord } from '../protocol/sync';
import { newId, OTHER_PASSPHRASE, PASSPHRASE, setUpTestVault } from './testing';
import type { VaultSession } from './types';

const pulled = (entry: CaseEntry, version: number): WireRecord => ({
  kind: 'case-entry',
  entityId: entry.id,
  version,
  officeId: 'office-a',
  withdrawn: false,
  payloadJson: JSON.stringify(entry),
});

async function next(session: VaultSession, parent: CaseEntry | null, deviceId = session.deviceId, caseId = 'case-1'): Promise<CaseEntry> {
  return chainNext(parent === null ? [] : [parent], {
    id: newId(),
    caseId: parent?.caseId ?? caseId,
    recordedAt: '2026-12-01T17:10:00.000Z',
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId,
    body: parent === null ? openBody() : contactBody(),
  });
}

/** The hub's answer refusing the queued change of entry `id` as `chain`, for good (S4). */
async function refuseChain(session: VaultSession, id: string): Promise<void> {
  const change = (await session.outbox()).find((e) => e.entityId === id)!;
  const refusal: ChangeResult = { seq: change.seq, mutationId: change.mutationId, status: 'refused', reason: 'chain', detail: 'prevHash names no entry of case case-1 held by the hub', retryable: false };
  await session.sync.acknowledge([refusal]);
}

describe('[E2][S15] an entry refused as chain goes again when an entry of its case reaches the hub', () => {
  it("queues again, in chain order, in its writer's name and ahead of what is not yet sent, this phone's entries of a case another phone sent again; leaves the others refused", async () => {
    const vault = await setUpTestVault();
    await vault.session.sync.acknowledge((await vault.session.outbox()).map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version: 1 })));
    // Phone A's entry e1, pulled here.
    const e1 = await next(vault.session, null, 'phone-a');
    await vault.session.sync.applyRemote([pulled(e1, 12)]);
    // Jiro, the second person of this phone, continues the case with e2 and e3.
    const jiro = await vault.session.addUser(PASSPHRASE, '当番 次郎', OTHER_PASSPHRASE);
    vault.session.lock();
    const session = await vault.vault.unlock(jiro.id, OTHER_PASSPHRASE);
    // His unlock, in the access log, was sent with the rest.
    await session.sync.acknowledge((await session.outbox()).map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version: 2 })));
    const e2 = await next(session, e1);
    await session.append('case-entry', e2.id, e2);
    const e3 = await next(session, e2);
    await session.append('case-entry', e3.id, e3);
    // An entry of another case that gets nothing more.
    const lone = await next(session, await next(session, null, 'phone-a', 'case-2'));
    await session.append('case-entry', lone.id, lone);
    // The hub was restored and lost e1: all three are refused as chain.
    for (const id of [e2.id, e3.id, lone.id]) await refuseChain(session, id);
    // (Only the case entries are looked at.)
    const entries = async () => (await session.outbox()).filter((e) => e.kind === 'case-entry');
    const before = await entries();
    expect(before.map((e) => e.refusal?.reason)).toEqual(['chain', 'chain', 'chain']);
    // Written since, not yet sent: it continues e3, so it must go after it.
    const e4 = await next(session, e3);
    await session.append('case-entry', e4.id, e4);

    // A pull that brings entries of other cases only changes nothing: nothing is tried at every run.
    const other = await next(session, null, 'phone-a', 'case-3');
    const unrelated = await session.sync.applyRemote([pulled(other, 13)]);
    expect(await session.sync.retryChainRefusals(unrelated.evidenceIds)).toBe(0);

    // Phone A sends e1 again; the pull brings it (held here already: it only gains its version).
    const report = await session.sync.applyRemote([pulled(e1, 20)]);
    expect(report.evidenceIds).toEqual([e1.id]);
    expect(await session.sync.retryChainRefusals(report.evidenceIds)).toBe(2);

    const after = await entries();
    expect(after.map((e) => [e.entityId, e.refusal?.reason ?? null])).toEqual([
      [lone.id, 'chain'],
      [e2.id, null],
      [e3.id, null],
      [e4.id, null],
    ]);
    const [, again2, again3, unsent4] = after;
    // The same entries, word for word (evidence is never changed), in Jiro's name, under new seqs and mutation ids (S4).
    expect([again2!.payload, again3!.payload, unsent4!.payload]).toEqual([e2, e3, e4]);
    expect([again2!.userId, again3!.userId]).toEqual([jiro.id, jiro.id]);
    expect(jiro.id).not.toBe(vault.session.user.id);
    const old = new Map(before.map((e) => [e.entityId, e]));
    expect(again2!.seq).toBeGreaterThan(Math.max(...before.map((e) => e.seq)));
    expect([again3!.seq, unsent4!.seq]).toEqual([again2!.seq + 1, again2!.seq + 2]);
    expect(again2!.mutationId).not.toBe(old.get(e2.id)!.mutationId);
    // Asked again with the same arrival, nothing more is queued.
    expect(await session.sync.retryChainRefusals(report.evidenceIds)).toBe(0);
  });
});

describe('[E7] an entry refused as clock because this phone was fast goes again once the hub has caught up', () => {
  /** The hub's final answer about the queued change of entry `id`. */
  async function refuse(session: VaultSession, id: string, reason: 'clock' | 'chain'): Promise<void> {
    const change = (await session.outbox()).find((e) => e.entityId === id && e.refusal === null)!;
    await session.sync.acknowledge([{ seq: change.seq, mutationId: change.mutationId, status: 'refused', reason, detail: 'recordedAt is after the hub received it', retryable: false }]);
  }

  it('queues it again with the entries of its case refused after it, in chain order; a second clock refusal is final', async () => {
    const vault = await setUpTestVault();
    const { session } = vault;
    await session.sync.acknowledge((await session.outbox()).map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version: 1 })));
    // The phone is 7 minutes fast: its 受入可 is stamped 02:45 (Japan time) at 02:38 by the hub.
    const opened = await next(session, null, 'phone-a');
    await session.sync.applyRemote([pulled(opened, 5)]);
    const stamped = '2026-12-01T17:45:00.000Z';
    const result = await chainNext([opened], { id: newId(), caseId: 'case-1', recordedAt: stamped, recordedBy: { userId: session.user.id, name: session.user.displayName }, deviceId: session.deviceId, body: contactBody() });
    await session.append('case-entry', result.id, result);
    const admission = await chainNext([opened, result], { id: newId(), caseId: 'case-1', recordedAt: '2026-12-01T17:46:00.000Z', recordedBy: { userId: session.user.id, name: session.user.displayName }, deviceId: session.deviceId, body: contactBody() });
    await session.append('case-entry', admission.id, admission);
    await refuse(session, result.id, 'clock');
    await refuse(session, admission.id, 'chain');
    const reasons = async () => (await session.outbox()).filter((e) => e.kind === 'case-entry').map((e) => [e.entityId, e.refusal?.reason ?? null]);

    // At 02:38 by the hub's clock: too early (it would be refused again).
    expect(await session.sync.retryClockRefusals(Date.parse('2026-12-01T17:38:00.000Z'))).toBe(0);
    expect(await reasons()).toEqual([[result.id, 'clock'], [admission.id, 'chain']]);
    // At 02:41 the hub takes an entry stamped 02:45: both go, the result first, word for word.
    expect(await session.sync.retryClockRefusals(Date.parse('2026-12-01T17:41:00.000Z'))).toBe(2);
    const again = (await session.outbox()).filter((e) => e.kind === 'case-entry');
    expect(again.map((e) => [e.entityId, e.refusal])).toEqual([[result.id, null], [admission.id, null]]);
    expect(again.map((e) => e.payload)).toEqual([result, admission]);

    // Refused as clock once more (it was not the clock that caught up): listed for good.
    await refuse(session, result.id, 'clock');
    expect(await session.sync.retryClockRefusals(Date.parse('2026-12-01T18:30:00.000Z'))).toBe(0);
    expect((await reasons())[0]).toEqual([result.id, 'clock']);
    // and says so, for the screen to stop promising a resend
    const [first, second] = (await session.outbox()).filter((e) => e.kind === 'case-entry');
    expect([first!.refusal?.final, second!.refusal?.final]).toEqual([true, undefined]);
  });
});
