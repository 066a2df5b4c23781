import { describe, expect, it } from 'vitest';
import { isVaultError } from './errors';
import { createSampleRecord, dumpTables, newId, setUpTestVault, type SampleRecord } from './testing';

describe('append: evidence is written once', () => {
  it('writes the record and an append entry in the outbox', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.append<SampleRecord>('case-entry', id, createSampleRecord());
    expect((await session.get<SampleRecord>('case-entry', id))?.data.name).toBe('山田 太郎');
    const changes = (await session.outbox()).filter((e) => e.kind === 'case-entry');
    expect(changes).toMatchObject([{ entityId: id, op: 'append' }]);
  });

  it('refuses a second append with the same id and changes nothing', async () => {
    const { db, session } = await setUpTestVault();
    const id = newId();
    await session.append<SampleRecord>('case-entry', id, createSampleRecord());
    const before = await dumpTables(db);
    const second = session.append<SampleRecord>('case-entry', id, createSampleRecord({ name: '書き換え' }));
    await expect(second).rejects.toSatisfy((e) => isVaultError(e, 'duplicate'));
    expect(await dumpTables(db)).toEqual(before);
  });

  it('refuses put and putMany on append-only records', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.append<SampleRecord>('case-entry', id, createSampleRecord());
    await expect(session.put('case-entry', id, createSampleRecord({ name: '書き換え' }), 'update')).rejects.toThrow(/append-only/);
    await expect(session.putMany('case-entry', [{ id, data: createSampleRecord(), op: 'update' }])).rejects.toThrow(/append-only/);
    expect((await session.get<SampleRecord>('case-entry', id))?.data.name).toBe('山田 太郎');
  });

  it('keeps demo evidence off the change log and clears it with the demo data', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.append<SampleRecord>('case-entry', id, createSampleRecord(), { demo: true });
    expect((await session.outbox()).filter((e) => e.kind === 'case-entry')).toEqual([]);
    expect(await session.clearDemo()).toBe(1);
    expect(await session.get('case-entry', id)).toBeUndefined();
  });
});
