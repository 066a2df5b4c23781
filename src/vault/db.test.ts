import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { bindingOf, generateDataKey, seal } from './crypto';
import { CURRENT_SCHEMA_VERSION, VaultDatabase } from './db';
import { wrapForPassphrase } from './key-slots';
import { PASSPHRASE, STAFF_NAME, createSampleRecord, freshDatabaseName } from './testing';
import { createVault } from './vault';
import { createHousehold } from '../../test/factories/household';

/**
 * Version 1 as released, copied rather than imported: if db.ts ever changes it in place, this
 * test still opens what phones in the field actually hold.
 */
const RELEASED_V1 = {
  meta: 'key',
  keySlots: 'userId',
  throttles: 'userId',
  records: '[kind+id], kind, demo',
  outbox: 'seq, &mutationId',
  accessLog: '++pos, &id',
  drafts: 'key',
};

const AT = '2025-03-01T00:00:00.000Z';

/** Fills a version-1 database the way a version-1 phone would have; returns its data key. */
async function writeVersion1(name: string): Promise<CryptoKey> {
  const v1 = new Dexie(name);
  v1.version(1).stores(RELEASED_V1);
  const dataKey = await generateDataKey();
  const { wrapping } = await wrapForPassphrase(PASSPHRASE, dataKey);
  const mutationId = globalThis.crypto.randomUUID();
  await v1.table('keySlots').add({ userId: 'user-1', displayName: STAFF_NAME, createdAt: AT, ...wrapping });
  await v1.table('meta').bulkAdd([
    { key: 'deviceId', value: 'device-1' },
    { key: 'outboxSeq', value: 1 },
    { key: 'settings', value: { idleLockMinutes: 10, reviewAfterMonths: 6 } },
  ]);
  await v1.table('records').add({
    kind: 'household',
    id: 'h-1',
    demo: 0,
    updatedAt: AT,
    ...(await seal(dataKey, bindingOf('records', 'household', 'h-1'), createSampleRecord())),
  });
  await v1.table('outbox').add({
    seq: 1,
    mutationId,
    kind: 'household',
    entityId: 'h-1',
    op: 'create',
    at: AT,
    userId: 'user-1',
    ...(await seal(dataKey, bindingOf('outbox', mutationId), createSampleRecord())),
  });
  await v1.table('drafts').add({
    key: 'household:h-1',
    updatedAt: AT,
    ...(await seal(dataKey, bindingOf('drafts', 'household:h-1'), { step: 3 })),
  });
  v1.close();
  return dataKey;
}

/** Versions 2-7 as released (the tables each added or changed), copied for the same reason. */
const RELEASED_V2_TO_V7: Record<string, string>[] = [
  { cache: 'key' },
  { outbox: 'seq, &mutationId, [kind+entityId]', syncMeta: '[kind+id], officeId', hubLink: 'key' },
  { outbox: 'seq, &mutationId, [kind+entityId], refusedReason' },
  { receipts: 'entryId, caseId' },
  { setAside: '[kind+key], reason, officeId' },
  { userSecrets: '[userId+name]' },
];

describe('schema migrations', () => {
  it('declares the current version', () => {
    expect(new VaultDatabase(freshDatabaseName()).verno).toBe(CURRENT_SCHEMA_VERSION);
  });

  it('opens a version-1 database at the current version and keeps every record', async () => {
    const name = freshDatabaseName();
    await writeVersion1(name);

    const vault = createVault(name);
    expect(await vault.settings()).toEqual({ idleLockMinutes: 10, reviewAfterMonths: 6 });
    const session = await vault.unlock('user-1', PASSPHRASE);
    expect(session.deviceId).toBe('device-1');
    expect((await session.get('household', 'h-1'))?.data).toEqual(createSampleRecord());
    expect(await session.loadDraft('household:h-1')).toEqual({ step: 3 });
    await session.put('household', 'h-2', createSampleRecord({ name: '新規' }), 'create');
    const [unlockEntry] = await session.accessLog();
    expect((await session.outbox()).map((e) => [e.seq, e.kind, e.entityId])).toEqual([
      [1, 'household', 'h-1'],
      [2, 'access', unlockEntry?.id],
      [3, 'household', 'h-2'],
    ]);
    expect((await session.outbox())[0]?.payload).toEqual(createSampleRecord());
    vault.close();

    const raw = new Dexie(name);
    await raw.open();
    expect(raw.verno).toBe(CURRENT_SCHEMA_VERSION);
    raw.close();
  });

  it('opens a version-2 database at version 3: queued changes read with no base version, sync tables empty', async () => {
    const name = freshDatabaseName();
    await writeVersion1(name);
    const v2 = new Dexie(name);
    v2.version(1).stores(RELEASED_V1);
    v2.version(2).stores({ cache: 'key' });
    await v2.open();
    expect(v2.verno).toBe(2);
    v2.close();

    const vault = createVault(name);
    const session = await vault.unlock('user-1', PASSPHRASE);
    const [queued] = await session.outbox();
    expect(queued).toMatchObject({ seq: 1, entityId: 'h-1', baseVersion: null, refusal: null });
    expect(await session.sync.hubLink()).toBeUndefined();
    // A pulled record gains sync metadata; an edit made on it then carries that version as its base.
    await session.sync.applyRemote([
      { kind: 'household', entityId: 'h-9', version: 41, officeId: null, withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: 'h-9' })) },
    ]);
    await session.put('household', 'h-9', createSampleRecord({ name: '編集' }), 'update');
    expect((await session.outbox()).at(-1)).toMatchObject({ entityId: 'h-9', baseVersion: 41 });
    // Version 6: the set-aside table starts empty [R3].
    expect(await session.sync.setAsideCounts()).toEqual({ total: 0, byReason: { id: 0, json: 0, shape: 0 }, first: [] });
    vault.close();
  });

  it('opens a version-3 database at version 4 and counts a change the hub had refused from the new index', async () => {
    const name = freshDatabaseName();
    await writeVersion1(name);
    const v3 = new Dexie(name);
    v3.version(1).stores(RELEASED_V1);
    v3.version(2).stores({ cache: 'key' });
    v3.version(3).stores({ outbox: 'seq, &mutationId, [kind+entityId]', syncMeta: '[kind+id], officeId', hubLink: 'key' });
    await v3.open();
    await v3.table('outbox').update(1, { refusedReason: 'scope', refusedAt: AT });
    v3.close();

    const vault = createVault(name);
    const session = await vault.unlock('user-1', PASSPHRASE);
    // the queued household refused; the unlock's access entry waiting to be sent
    expect(await session.sync.queueCounts()).toEqual({ pending: 1, refused: 1 });
    vault.close();
  });

  it('opens a version-4 database at version 7: no receipts, and keeps the ones it is given; the slot gains its user key at unlock, and a hub token can be sealed with it', async () => {
    const name = freshDatabaseName();
    await writeVersion1(name);
    const v4 = new Dexie(name);
    v4.version(1).stores(RELEASED_V1);
    v4.version(2).stores({ cache: 'key' });
    v4.version(3).stores({ outbox: 'seq, &mutationId, [kind+entityId]', syncMeta: '[kind+id], officeId', hubLink: 'key' });
    v4.version(4).stores({ outbox: 'seq, &mutationId, [kind+entityId], refusedReason' });
    await v4.open();
    v4.close();

    const vault = createVault(name);
    const session = await vault.unlock('user-1', PASSPHRASE);
    expect(await session.sync.receipts()).toEqual([]);
    const receipt = {
      hub: 'aozora',
      caseId: 'case-1',
      entryId: 'case-1-e0',
      entryHash: 'a'.repeat(64),
      position: 3,
      receivedAt: AT,
      keyFingerprint: 'b'.repeat(64),
      signature: 'A'.repeat(86) + '==',
    };
    await session.sync.saveReceipts([receipt]);
    expect(await session.sync.receipts()).toEqual([receipt]);
    expect(await session.sync.userToken()).toBeUndefined();
    await session.sync.saveUserToken('t'.repeat(43));
    expect((await session.get('household', 'h-1'))?.data).toEqual(createSampleRecord());
    vault.close();
    const reopened = createVault(name);
    const again = await reopened.unlock('user-1', PASSPHRASE);
    expect(await again.sync.userToken()).toBe('t'.repeat(43));
    reopened.close();
  });

  it('opens a version-7 database at version 8: each record row carries the version and office its syncMeta row held, and syncMeta is gone', async () => {
    const name = freshDatabaseName();
    const dataKey = await writeVersion1(name);
    const v7 = new Dexie(name);
    v7.version(1).stores(RELEASED_V1);
    RELEASED_V2_TO_V7.forEach((stores, i) => v7.version(i + 2).stores(stores));
    await v7.open();
    // h-1: pulled at version 12 (and edited since: queued); h-3: pulled at 4 into office-a;
    // h-2: made here, never sent; h-gone: a syncMeta row whose record is not held.
    for (const [id, name] of [['h-2', '新規'], ['h-3', '受信']] as const) {
      await v7.table('records').add({ kind: 'household', id, demo: 0, updatedAt: AT, ...(await seal(dataKey, bindingOf('records', 'household', id), createSampleRecord({ name }))) });
    }
    await v7.table('syncMeta').bulkAdd([
      { kind: 'household', id: 'h-1', version: 12, officeId: 'office-a' },
      { kind: 'household', id: 'h-3', version: 4, officeId: 'office-a' },
      { kind: 'household', id: 'h-gone', version: 9, officeId: null },
    ]);
    v7.close();

    const vault = createVault(name);
    const session = await vault.unlock('user-1', PASSPHRASE);
    // Every record still reads (the listing now walks the primary key by kind), sealed columns untouched.
    expect((await session.list<{ name: string }>('household')).map((r) => [r.id, r.data.name]).sort()).toEqual([
      ['h-1', createSampleRecord().name],
      ['h-2', '新規'],
      ['h-3', '受信'],
    ]);
    vault.close();

    const raw = new VaultDatabase(name);
    await raw.open();
    expect(raw.verno).toBe(8);
    expect(raw.tables.map((t) => t.name)).not.toContain('syncMeta');
    expect(raw.records.schema.indexes.map((i) => i.name)).toEqual(['demo']);
    expect(await raw.records.get(['household', 'h-1'])).toMatchObject({ version: 12, officeId: 'office-a' });
    expect(await raw.records.get(['household', 'h-3'])).toMatchObject({ version: 4, officeId: 'office-a' });
    expect(await raw.records.get(['household', 'h-2'])).not.toHaveProperty('version');
    expect(await raw.records.get(['household', 'h-gone'])).toBeUndefined();
    raw.close();

    // What the moved columns are for: an edit is based on the version, a scope change drops by office.
    const reopened = createVault(name);
    const again = await reopened.unlock('user-1', PASSPHRASE);
    await again.put('household', 'h-3', createSampleRecord({ name: '受信 編集' }), 'update');
    const edit = (await again.outbox()).at(-1);
    expect(edit).toMatchObject({ entityId: 'h-3', baseVersion: 4 });
    await again.sync.acknowledge([{ seq: edit!.seq, mutationId: edit!.mutationId, status: 'accepted', version: 5 }]);
    expect(await again.sync.dropOutOfScope({ role: 'case-worker', officeIds: ['office-b'], facilityId: null })).toBe(1);
    expect(await again.get('household', 'h-3')).toBeUndefined();
    // h-1 has an unsent change (kept), h-2 never came from the hub (kept).
    expect(await again.get('household', 'h-1')).toBeDefined();
    expect(await again.get('household', 'h-2')).toBeDefined();
    reopened.close();
  });
});

describe('a newer app upgrading the vault under an open tab', () => {
  it('the older tab stops using the database: its writes fail as outdated, and nothing the upgrade removed comes back', async () => {
    const name = freshDatabaseName();
    const vault = createVault(name);
    await vault.setUp(STAFF_NAME, PASSPHRASE);
    const older = await vault.unlock((await vault.listUsers())[0]!.id, PASSPHRASE);
    await older.put('household', 'h-1', createSampleRecord({ name: '前' }), 'create');

    // The newer app, in another tab, drops the demo index from records.
    const newer = new Dexie(name);
    newer.version(CURRENT_SCHEMA_VERSION + 1).stores({ records: '[kind+id]' });
    await newer.open();

    await expect(older.put('household', 'h-2', createSampleRecord({ name: '後' }), 'create')).rejects.toMatchObject({ code: 'outdated' });
    expect(newer.verno).toBe(CURRENT_SCHEMA_VERSION + 1);
    expect(newer.table('records').schema.indexes.map((i) => i.name)).toEqual([]);
    expect(await newer.table('records').get(['household', 'h-2'])).toBeUndefined();
    newer.close();
  });
});
