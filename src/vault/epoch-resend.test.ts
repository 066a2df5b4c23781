import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import type { CaseEntry } from '../domain/emergency-case';
import type { Household } from '../domain/household';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createHousehold } from '../../test/factories/household';
import type { WireRecord } from '../protocol/sync';
import { newId, setUpTestVault } from './testing';
import type { VaultSession } from './types';

const FLOOR = 10;

function pulled(kind: WireRecord['kind'], data: { id: string }, version: number): WireRecord {
  return { kind, entityId: data.id, version, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(data) };
}

async function entry(session: VaultSession, parent: CaseEntry | null, deviceId = session.deviceId): Promise<CaseEntry> {
  return chainNext(parent === null ? [] : [parent], {
    id: newId(),
    caseId: parent?.caseId ?? 'case-1',
    recordedAt: '2026-12-01T17:10:00.000Z',
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId,
    body: parent === null ? openBody() : contactBody(),
  });
}

/** The test vault's own first entries (its access log) as sent, so the queue holds only what a test adds. */
async function sentAll(session: VaultSession): Promise<number> {
  const queue = await session.outbox();
  await session.sync.acknowledge(queue.map((e) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version: 1 })));
  return queue.at(-1)?.seq ?? 0;
}

describe('[S15] what a device sends again after its hub was restored', () => {
  it('keeps aside what it holds above the floor, gets it back after the pull, and queues it before what was never sent', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    // Held from the hub: one household below the floor (the backup has it), two above (lost).
    const kept = createHousehold({ id: 'hh-kept', note: 'バックアップ前' });
    const edited = createHousehold({ id: 'hh-edited', note: 'バックアップの後に直した' });
    const created = createHousehold({ id: 'hh-created' });
    const open = await entry(session, null);
    const mine = await entry(session, open);
    const theirs = await entry(session, open, 'another-phone');
    await session.sync.applyRemote([
      pulled('household', kept, 3),
      pulled('case-entry', open, 4),
      pulled('household', edited, 12),
      pulled('household', created, 13),
      pulled('case-entry', mine, 14),
      pulled('case-entry', theirs, 15),
    ]);
    // One change never sent (its seq is far ahead), and the hub holds this device's seqs up to `sent`.
    await session.put('household', 'hh-unsent', createHousehold({ id: 'hh-unsent' }), 'create');
    await session.sync.followServerSeq(sent + 20);

    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(3); // two households and this phone's entry
    const renumbered = await session.outbox();
    expect(renumbered.map((e) => [e.entityId, e.seq])).toEqual([['hh-unsent', sent + 1]]);

    // The pull from the start: the restored hub has hh-edited as it was before the backup, and no hh-created.
    const before = createHousehold({ id: 'hh-edited', note: 'バックアップ前の内容' });
    await session.sync.applyRemote([pulled('household', kept, 3), pulled('case-entry', open, 4), pulled('household', before, 11)]);
    expect((await session.get<Household>('household', 'hh-edited'))?.data.note).toBe('バックアップ前の内容');

    expect(await session.sync.resendLostRecords()).toBe(3);
    // This phone's edit is back, sent as an update on the version the hub has now.
    expect((await session.get<Household>('household', 'hh-edited'))?.data.note).toBe('バックアップの後に直した');
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion, e.seq - sent])).toEqual([
      ['hh-created', 'create', null, 1],
      ['hh-edited', 'update', 11, 2],
      [mine.id, 'append', null, 3],
      ['hh-unsent', 'create', null, 4],
    ]);
    expect(queue.find((e) => e.entityId === mine.id)?.payload).toEqual(mine);
    // The other phone's entry is its writer's to send; nothing kept is left for a second time.
    expect(queue.some((e) => e.entityId === theirs.id)).toBe(false);
    expect(await session.sync.resendLostRecords()).toBe(0);
  });

  it('makes a refusal the restored hub has no receipt of unsent again', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    for (const id of ['a', 'b']) await session.put('household', `hh-${id}`, createHousehold({ id: `hh-${id}` }), 'create');
    const [first, second] = await session.outbox();
    await session.sync.acknowledge([
      { seq: first!.seq, mutationId: first!.mutationId, status: 'refused', reason: 'invalid', detail: 'x', retryable: false },
      { seq: second!.seq, mutationId: second!.mutationId, status: 'refused', reason: 'invalid', detail: 'y', retryable: false },
    ]);
    // The backup knew the first refusal, not the second.
    await session.sync.keepLostRecords(FLOOR, sent + 1);
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.seq - sent, e.refusal?.reason ?? null])).toEqual([
      ['hh-a', 1, 'invalid'],
      ['hh-b', 2, null],
    ]);
  });
});
