/** A record damaged on the disk: the screens' read sets it aside and names it; a backup's read still fails whole. */
import { describe, expect, it } from 'vitest';
import { newId, setUpTestVault } from './testing';

describe('a record damaged on the disk', () => {
  it('is set aside by listReadable, which reads every other, while list (backups, exports, sync) fails as corrupt', async () => {
    const { db, session } = await setUpTestVault();
    const ids = [newId(), newId(), newId()];
    for (const [i, id] of ids.entries()) await session.put('household', id, { name: `世帯${i}` }, 'create');
    // one bit of one record's ciphertext flipped, as a failing flash cell does
    const row = (await db.records.get(['household', ids[1]!]))!;
    const ct = new Uint8Array(row.ct.slice(0));
    ct[3]! ^= 0x01;
    await db.records.put({ ...row, ct });

    const { records, unreadable } = await session.listReadable<{ name: string }>('household');
    expect(records.map((r) => r.data.name).sort()).toEqual(['世帯0', '世帯2']);
    expect(unreadable).toEqual([ids[1]]);
    await expect(session.list('household')).rejects.toMatchObject({ code: 'corrupt' });
    // the other kinds are not touched
    expect((await session.listReadable('facility')).unreadable).toEqual([]);
  });

  it('fails the whole read for a lock, not as a damaged record', async () => {
    const { session } = await setUpTestVault();
    await session.put('household', newId(), { name: '世帯' }, 'create');
    session.lock();
    await expect(session.listReadable('household')).rejects.toMatchObject({ code: 'locked' });
  });
});
