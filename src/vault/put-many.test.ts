import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSampleRecord, dumpTables, newId, setUpTestVault, type SampleRecord } from './testing';

afterEach(() => {
  vi.restoreAllMocks();
});

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('putMany', () => {
  it('writes every record and its outbox entry with consecutive seqs', async () => {
    const { session } = await setUpTestVault();
    const ids = [newId(), newId(), newId()];
    await session.putMany<SampleRecord>(
      'facility',
      ids.map((id, i) => ({ id, data: createSampleRecord({ name: `事業所 ${i}` }), op: 'create' as const })),
    );
    const records = await session.list<SampleRecord>('facility');
    expect(records.map((r) => r.id).sort()).toEqual([...ids].sort());
    const changes = (await session.outbox()).filter((e) => e.kind === 'facility');
    expect(changes.map((e) => e.entityId)).toEqual(ids);
    const seqs = changes.map((e) => e.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it('writes nothing when a write in the middle fails (all or nothing)', async () => {
    const { db, session } = await setUpTestVault();
    const before = await dumpTables(db);
    // The records are written, then the change log fails (a full disk): the records must go too.
    const spy = vi.spyOn(db.outbox, 'bulkAdd').mockImplementation(() => {
      throw quota();
    });
    const items = [newId(), newId(), newId()].map((id) => ({ id, data: createSampleRecord(), op: 'create' as const }));
    await expect(session.putMany('facility', items)).rejects.toMatchObject({ code: 'quota-exceeded' });
    expect(spy).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    const after = await dumpTables(db);
    expect(after['records']).toEqual(before['records']);
    expect(after['outbox']).toEqual(before['outbox']);
    expect(after['meta']).toEqual(before['meta']);
  });

  it('keeps a demo record demo and out of the change log when a batch updates it', async () => {
    const { session } = await setUpTestVault();
    const demoId = newId();
    const realId = newId();
    await session.putDemo('facility', [{ id: demoId, data: createSampleRecord() }]);
    await session.putMany('facility', [
      { id: demoId, data: createSampleRecord({ name: '更新' }), op: 'update' },
      { id: realId, data: createSampleRecord(), op: 'create' },
    ]);
    const changes = (await session.outbox()).filter((e) => e.kind === 'facility');
    expect(changes.map((e) => e.entityId)).toEqual([realId]);
    expect((await session.get('facility', demoId))?.demo).toBe(true);
  });

  it('refuses the whole batch when one id is not opaque', async () => {
    const { db, session } = await setUpTestVault();
    const items = [
      { id: newId(), data: createSampleRecord(), op: 'create' as const },
      { id: '山田 太郎', data: createSampleRecord(), op: 'create' as const },
    ];
    await expect(session.putMany('facility', items)).rejects.toThrow();
    expect(await db.records.count()).toBe(0);
  });
});
