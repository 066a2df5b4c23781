/**
 * Saving records from two tabs of the app on one phone: a new record never replaces one saved
 * under its id, and a demo record stays demo after another tab cleared the demo.
 */
import { describe, expect, it } from 'vitest';
import { createSampleRecord, newId, setUpTestVault, type SampleRecord } from './testing';
import { vaultErrorMessage } from './errors';

describe('a new record saved under an id already saved (two tabs)', () => {
  it('is refused, and the family saved first keeps its registration, with one change queued for the hub', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord({ name: '佐藤 陽太' }), 'create');

    const second = session.put('household', id, createSampleRecord({ name: '鈴木 花子' }), 'create');
    await expect(second).rejects.toMatchObject({ code: 'created-elsewhere' });
    await expect(second).rejects.toThrow('同じ登録が、別のタブや画面ですでに保存されています。一覧から開き直して、保存された内容を確かめてください。');

    expect((await session.get<SampleRecord>('household', id))?.data.name).toBe('佐藤 陽太');
    expect((await session.outbox()).filter((e) => e.entityId === id).map((e) => e.op)).toEqual(['create']);
  });

  it('is refused in a batch too (an import), and nothing of the batch is written', async () => {
    const { session } = await setUpTestVault();
    const taken = newId();
    await session.put('facility', taken, createSampleRecord({ name: 'あおば荘' }), 'create');
    const fresh = newId();

    await expect(
      session.putMany('facility', [
        { id: fresh, data: createSampleRecord({ name: 'みどり荘' }), op: 'create' },
        { id: taken, data: createSampleRecord({ name: 'ひまわり荘' }), op: 'create' },
      ]),
    ).rejects.toMatchObject({ code: 'created-elsewhere' });

    expect(await session.get('facility', fresh)).toBeUndefined();
    expect((await session.get<SampleRecord>('facility', taken))?.data.name).toBe('あおば荘');
    expect((await session.outbox()).filter((e) => e.kind === 'facility')).toHaveLength(1);
  });

  it('leaves an edit of the saved record (update) as it was', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    await session.put('household', id, createSampleRecord({ medications: 'なし' }), 'update');
    await session.putMany('household', [{ id, data: createSampleRecord({ medications: 'デパケン' }), op: 'update' }]);
    expect((await session.get<SampleRecord>('household', id))?.data.medications).toBe('デパケン');
  });

  it('has a message that says what to do', () => {
    expect(vaultErrorMessage('created-elsewhere')).toContain('一覧から開き直して');
  });
});

describe('a demo household edited in one tab after another tab cleared the demo', () => {
  it('is saved back as demo, kept off the change log, and 「デモデータを消去」 removes it again', async () => {
    const { session } = await setUpTestVault();
    await session.putDemo('household', [{ id: 'demo-hh-1', data: createSampleRecord() }]);
    // tab A: 「デモデータを消去」
    expect(await session.clearDemo()).toBe(1);

    // tab B still had the demo household open, and saves its edit
    await session.put('household', 'demo-hh-1', createSampleRecord({ medications: 'なし' }), 'update');

    expect((await session.get('household', 'demo-hh-1'))?.demo).toBe(true);
    expect((await session.outbox()).filter((e) => e.entityId === 'demo-hh-1')).toEqual([]);
    expect(await session.clearDemo()).toBe(1);
    expect(await session.get('household', 'demo-hh-1')).toBeUndefined();
  });

  it('is saved back as demo from a batch too', async () => {
    const { session } = await setUpTestVault();
    await session.putDemo('facility', [{ id: 'demo-fac-1', data: createSampleRecord() }]);
    await session.clearDemo();

    await session.putMany('facility', [{ id: 'demo-fac-1', data: createSampleRecord({ name: 'デモ荘' }), op: 'update' }]);

    expect((await session.get('facility', 'demo-fac-1'))?.demo).toBe(true);
    expect((await session.outbox()).filter((e) => e.entityId === 'demo-fac-1')).toEqual([]);
    expect(await session.clearDemo()).toBe(1);
  });
});
