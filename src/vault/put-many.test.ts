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
    const put = db.records.put.bind(db.records);
    let calls = 0;
    vi.spyOn(db.records, 'put').mockImplementation((...args: Parameters<typeof put>) => {
      calls += 1;
      if (calls === 2) throw quota();
      return put(...args);
    });
    const items = [newId(), newId(), newId()].map((id) => ({ id, data: createSampleRecord(), op: 'create' as const }));
    await expect(session.putMany('facility', items)).rejects.toMatchObject({ code: 'quota-exceeded' });
    expect(calls).toBe(2);
    vi.restoreAllMocks();
    const after = await dumpTables(db);
    expect(after['records']).toEqual(before['records']);
    expect(after['outbox']).toEqual(before['outbox']);
    expect(after['meta']).toEqual(before['meta']);
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
