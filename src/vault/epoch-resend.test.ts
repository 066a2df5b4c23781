import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import type { CaseEntry } from '../domain/emergency-case';
import type { Household } from '../domain/household';
import { contactBody, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createHousehold } from '../../test/factories/household';
import { createOffice } from '../../test/factories/office';
import type { Role, WireRecord } from '../protocol/sync';
import { newId, setUpTestVault } from './testing';
import type { HubLink, VaultSession } from './types';

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
    await session.sync.applyRemote([pulled('household', kept, 3), pulled('case-entry', open, 4), pulled('household', before, 9)]);
    expect((await session.get<Household>('household', 'hh-edited'))?.data.note).toBe('バックアップ前の内容');

    expect(await session.sync.resendLostRecords()).toBe(3);
    // This phone's edit is back, sent as an update on the version the hub has now.
    expect((await session.get<Household>('household', 'hh-edited'))?.data.note).toBe('バックアップの後に直した');
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion, e.seq - sent])).toEqual([
      ['hh-created', 'create', null, 1],
      ['hh-edited', 'update', 9, 2],
      [mine.id, 'append', null, 3],
      ['hh-unsent', 'create', null, 4],
    ]);
    expect(queue.find((e) => e.entityId === mine.id)?.payload).toEqual(mine);
    // The other phone's entry is its writer's to send; nothing kept is left for a second time.
    expect(queue.some((e) => e.entityId === theirs.id)).toBe(false);
    expect(await session.sync.resendLostRecords()).toBe(0);
  });

  it('sends again a 請求済み another phone made (that phone may be gone), but not another phone’s evidence', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    const close = {
      id: 'close-1',
      officeId: 'office-a',
      month: '2026-11',
      recordedAt: '2026-12-08T01:00:00.000Z',
      recordedBy: { userId: 'u-manager', name: '鈴木 主任' },
      deviceId: 'managers-old-phone',
      body: { type: 'cancel', cancels: 'close-0', reason: '別の月を誤って請求済みにした' },
    };
    const theirs = await entry(session, await entry(session, null, 'another-phone'), 'another-phone');
    await session.sync.applyRemote([pulled('month-close', close, 12), pulled('case-entry', theirs, 13)]);
    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(1);
    await session.sync.applyRemote([]);
    expect(await session.sync.resendLostRecords()).toBe(1);
    const queue = await session.outbox();
    expect(queue.map((e) => [e.kind, e.entityId, e.op])).toEqual([['month-close', 'close-1', 'append']]);
    expect(queue[0]!.payload).toEqual(close);
    // in the name of who has the phone unlocked: the manager never signs in here, and a change held
    // for them would hold back every change queued after it
    expect(queue[0]!.userId).toBe(session.user.id);
  });

  it('sends a kept copy of a record someone edited on the restored hub since as an edit based on nothing: the hub keeps their edit and lists the differences, instead of taking the older copy whole', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    const mine = createHousehold({ id: 'hh-1', note: 'バックアップの後に直した', phone: '047-111-1111' });
    await session.sync.applyRemote([pulled('household', mine, 12)]);
    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(1);
    // the restored hub's counter moved on: a coordinator's edit since the restore is far above the floor
    const theirs = createHousehold({ id: 'hh-1', note: 'バックアップ前の内容', phone: '090-2222-2222' });
    await session.sync.applyRemote([pulled('household', theirs, 1_000_000_020)]);
    expect(await session.sync.resendLostRecords()).toBe(1);
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion])).toEqual([['hh-1', 'update', null]]);
  });

  it("leaves out what the unlocked user's role never writes: a case worker's phone does not send again the facility and office it pulled", async () => {
    const resent = async (role: Role) => {
      const { session } = await setUpTestVault();
      const sent = await sentAll(session);
      const link: HubLink = {
        hub: 'hub-a', loginName: 'me', userId: 'u-me', displayName: session.user.displayName, role, deviceSecret: 's',
        members: { [session.user.id]: { userId: 'u-me', loginName: 'me', displayName: session.user.displayName, role, signedOut: false } },
        cursor: 16, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false,
      };
      await session.sync.saveHubLink(link);
      // Written by colleagues after the backup and pulled here: the restore lost them all.
      await session.sync.applyRemote([
        pulled('household', createHousehold({ id: 'hh-1' }), 12),
        pulled('facility', createFacility({ id: 'fac-1', name: '短期入所あおば' }), 13),
        pulled('office', createOffice({ id: 'office-x' }), 14),
      ]);
      const kept = await session.sync.keepLostRecords(FLOOR, sent);
      await session.sync.applyRemote([], { ...link, cursor: 9 });
      expect(await session.sync.resendLostRecords()).toBe(kept);
      const queue = await session.outbox();
      // What is not sent again stays as the restored hub has it: no refusal waits on the phone.
      return { kinds: queue.map((e) => e.kind).sort(), facility: (await session.get('facility', 'fac-1')) !== undefined };
    };
    expect(await resent('case-worker')).toEqual({ kinds: ['household'], facility: true });
    expect((await resent('coordinator')).kinds).toEqual(['facility', 'household']);
    expect((await resent('admin')).kinds).toEqual(['facility', 'household', 'office']);
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

describe('[S15] changes the hub took after its backup, or made on a version it lost', () => {
  it('sends again a household edit the hub took (above the floor) but this phone never pulled back', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-1', note: 'バックアップ前' }), 3)]);
    await session.put('household', 'hh-1', createHousehold({ id: 'hh-1', note: 'バックアップの後に直した' }), 'update');
    const [edit] = await session.outbox();
    // The hub takes it as version 12 (after its backup at 10); the pull that would bring it back is cut off.
    // Written by another person of this phone (A9): it goes again in their name.
    await session.sync.acknowledge([{ seq: edit!.seq, mutationId: edit!.mutationId, status: 'accepted', version: 12 }], [{ seq: edit!.seq, kind: 'household', entityId: 'hh-1', userId: 'u-colleague' }]);
    // Until it is pulled, the next edit is still based on what was pulled: the hub merged the edit
    // with whatever it held, which this phone has not seen [S14].
    await session.put('household', 'hh-0', createHousehold({ id: 'hh-0' }), 'create');

    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(1);
    // The pull from the start brings the backup's copy.
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-1', note: 'バックアップ前' }), 3)]);
    expect(await session.sync.resendLostRecords()).toBe(1);

    expect((await session.get<Household>('household', 'hh-1'))?.data.note).toBe('バックアップの後に直した');
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion])).toEqual([
      ['hh-1', 'update', 3],
      ['hh-0', 'create', null],
    ]);
    expect(queue[0]!.userId).toBe('u-colleague');
  });

  it('bases the next edit of an acknowledged record on the version it pulled, not on the one the hub took it under', async () => {
    const { session } = await setUpTestVault();
    await sentAll(session);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-1' }), 3)]);
    await session.put('household', 'hh-1', createHousehold({ id: 'hh-1', note: '一回目' }), 'update');
    const [edit] = await session.outbox();
    await session.sync.acknowledge([{ seq: edit!.seq, mutationId: edit!.mutationId, status: 'accepted', version: 12 }], [{ seq: edit!.seq, kind: 'household', entityId: 'hh-1' }]);
    await session.put('household', 'hh-1', createHousehold({ id: 'hh-1', note: '二回目' }), 'update');
    expect((await session.outbox()).map((e) => e.baseVersion)).toEqual([3]);
  });

  it("sends again this phone's case entry the hub took but this phone never pulled back", async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    const open = await entry(session, null);
    await session.append('case-entry', open.id, open);
    const [queued] = await session.outbox();
    await session.sync.acknowledge([{ seq: queued!.seq, mutationId: queued!.mutationId, status: 'accepted', version: 12 }], [{ seq: queued!.seq, kind: 'case-entry', entityId: open.id }]);
    expect(await session.outbox()).toEqual([]);

    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(1);
    await session.sync.applyRemote([]);
    expect(await session.sync.resendLostRecords()).toBe(1);
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.payload])).toEqual([[open.id, 'append', open]]);
  });

  it('forgets what the hub took once a pull has passed it: a restore whose floor is below it then keeps only what the pull wrote', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-1' }), 3)]);
    await session.put('household', 'hh-1', createHousehold({ id: 'hh-1', note: '直した' }), 'update');
    const [edit] = await session.outbox();
    await session.sync.acknowledge([{ seq: edit!.seq, mutationId: edit!.mutationId, status: 'accepted', version: 12 }], [{ seq: edit!.seq, kind: 'household', entityId: 'hh-1' }]);
    const link: HubLink = {
      hub: 'hub-a', loginName: 'coord', userId: 'u-1', displayName: '拠点 花子', role: 'coordinator', deviceSecret: 's',
      cursor: 4, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false,
    };
    // The pull passes version 12 without hh-1 (out of this user's scope now): nothing above the floor is held.
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-2' }), 4)], { ...link, cursor: 12 });
    expect(await session.sync.keepLostRecords(FLOOR, sent)).toBe(0);
  });

  it('sends an edit made on a version the restore lost as an edit of what the hub holds now, not of that version', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-3', note: '他の端末の変更' }), 12)]);
    await session.put('household', 'hh-3', createHousehold({ id: 'hh-3', note: 'オフラインで直した' }), 'update');
    expect((await session.outbox()).map((e) => e.baseVersion)).toEqual([12]);

    await session.sync.keepLostRecords(FLOOR, sent);
    // The restored hub holds hh-3 at version 3: a base of 12 would be refused as invalid for ever.
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-3', note: 'バックアップ前' }), 3)]);
    await session.sync.resendLostRecords();

    expect((await session.get<Household>('household', 'hh-3'))?.data.note).toBe('オフラインで直した');
    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion, e.seq - sent, e.refusal])).toEqual([['hh-3', 'update', 3, 1, null]]);
    expect((queue[0]?.payload as Household).note).toBe('オフラインで直した');
  });

  it('sends again such an edit the restored hub already refused, in the run that met the restore', async () => {
    const { session } = await setUpTestVault();
    const sent = await sentAll(session);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-3' }), 12)]);
    await session.put('household', 'hh-3', createHousehold({ id: 'hh-3', note: 'オフラインで直した' }), 'update');
    const [edit] = await session.outbox();
    // The run pushes before its pull learns of the restore: the hub takes the seq and refuses the base.
    await session.sync.acknowledge([
      { seq: edit!.seq, mutationId: edit!.mutationId, status: 'refused', reason: 'invalid', detail: 'baseVersion 12 is later than the record\'s version 3', retryable: false },
    ]);

    await session.sync.keepLostRecords(FLOOR, edit!.seq);
    await session.sync.applyRemote([pulled('household', createHousehold({ id: 'hh-3', note: 'バックアップ前' }), 3)]);
    await session.sync.resendLostRecords();

    const queue = await session.outbox();
    expect(queue.map((e) => [e.entityId, e.op, e.baseVersion, e.refusal])).toEqual([['hh-3', 'update', 3, null]]);
    // A new change: its seq and mutation id are not the refused one's, which the hub answers the same way for ever [S4].
    expect(queue[0]!.seq).toBeGreaterThan(edit!.seq);
    expect(queue[0]!.mutationId).not.toBe(edit!.mutationId);
    expect((queue[0]?.payload as Household).note).toBe('オフラインで直した');
  });
});
