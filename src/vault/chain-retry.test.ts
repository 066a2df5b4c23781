import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import type { CaseEntry } from '../domain/emergency-case';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import type { ChangeResult, WireRecord } from '../protocol/sync';
import { newId, setUpTestVault } from './testing';
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

describe('[E2][S15] an entry refused as chain goes again when the entry it continues reaches the hub', () => {
  it("queues again, in chain order and under new seqs, this phone's entries continuing an entry another phone sent again; leaves the others refused", async () => {
    const { session } = await setUpTestVault();
    await session.sync.acknowledge((await session.outbox()).map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version: 1 })));
    // Phone A's entry e1, pulled here; this phone continues the case with e2 and e3.
    const e1 = await next(session, null, 'phone-a');
    await session.sync.applyRemote([pulled(e1, 12)]);
    const e2 = await next(session, e1);
    await session.append('case-entry', e2.id, e2);
    const e3 = await next(session, e2);
    await session.append('case-entry', e3.id, e3);
    // An entry of another case whose parent never comes.
    const lone = await next(session, await next(session, null, 'phone-a', 'case-2'));
    await session.append('case-entry', lone.id, lone);
    // The hub was restored and lost e1: all three are refused as chain.
    for (const id of [e2.id, e3.id, lone.id]) await refuseChain(session, id);
    const before = await session.outbox();
    expect(before.map((e) => e.refusal?.reason)).toEqual(['chain', 'chain', 'chain']);

    // A pull that brings other entries changes nothing: nothing is tried at every run.
    const other = await next(session, null, 'phone-a', 'case-3');
    const unrelated = await session.sync.applyRemote([pulled(other, 13)]);
    expect(await session.sync.retryChainRefusals(unrelated.evidenceIds)).toBe(0);

    // Phone A sends e1 again; the pull brings it (held here already: it only gains its version).
    const report = await session.sync.applyRemote([pulled(e1, 20)]);
    expect(report.evidenceIds).toEqual([e1.id]);
    expect(await session.sync.retryChainRefusals(report.evidenceIds)).toBe(2);

    const after = await session.outbox();
    expect(after.map((e) => [e.entityId, e.op, e.refusal?.reason ?? null])).toEqual([
      [lone.id, 'append', 'chain'],
      [e2.id, 'append', null],
      [e3.id, 'append', null],
    ]);
    const [, again2, again3] = after;
    // The same entries, word for word (evidence is never changed), under new seqs and mutation ids (S4).
    expect(again2!.payload).toEqual(e2);
    expect(again3!.payload).toEqual(e3);
    const old = new Map(before.map((e) => [e.entityId, e]));
    expect(again2!.seq).toBeGreaterThan(Math.max(...before.map((e) => e.seq)));
    expect(again3!.seq).toBe(again2!.seq + 1);
    expect(again2!.mutationId).not.toBe(old.get(e2.id)!.mutationId);
    expect(again2!.userId).toBe(old.get(e2.id)!.userId);
    // Asked again with the same arrival, nothing more is queued.
    expect(await session.sync.retryChainRefusals(report.evidenceIds)).toBe(0);
  });
});
