import { describe, expect, it } from 'vitest';
import { OTHER_PASSPHRASE, STAFF_NAME, createSampleRecord, dumpTables, newId, setUpTestVault } from './testing';
import { createHousehold, createPerson } from '../../test/factories/household';

const CANARY = '鵺野宮燐太郎-canary-7f3a';

const needles = [CANARY, '燐太郎', 'canary-7f3a'].flatMap((s) => {
  const utf16le = Buffer.from(s, 'utf16le');
  return [
    { label: `${s} (UTF-8)`, bytes: Buffer.from(s, 'utf8') },
    { label: `${s} (UTF-16LE)`, bytes: utf16le },
    { label: `${s} (UTF-16BE)`, bytes: Buffer.from(utf16le).swap16() },
  ];
});

/** Every string and every binary column anywhere in the rows, as bytes. */
function* bytesOf(value: unknown): Generator<Buffer> {
  if (typeof value === 'string') {
    yield Buffer.from(value, 'utf8');
    yield Buffer.from(value, 'utf16le');
  } else if (value instanceof ArrayBuffer) {
    yield Buffer.from(value);
  } else if (ArrayBuffer.isView(value)) {
    yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  } else if (Array.isArray(value)) {
    for (const item of value) yield* bytesOf(item);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      yield* bytesOf(key);
      yield* bytesOf(item);
    }
  }
}

function hits(rows: unknown): string[] {
  const found: string[] = [];
  for (const bytes of bytesOf(rows)) for (const n of needles) if (bytes.includes(n.bytes)) found.push(n.label);
  return found;
}

describe('data at rest', () => {
  it('keeps a canary typed into every kind of personal field out of all clear columns and bytes', async () => {
    const { db, vault, session } = await setUpTestVault();
    const record = createSampleRecord({ name: CANARY, address: `${CANARY} 1-2-3`, medications: CANARY });
    const id = newId();
    await session.put('household', id, record, 'create');
    await session.put('household', id, { ...record, recipientNumber: CANARY }, 'update');
    await session.put('facility', newId(), { name: CANARY }, 'create');
    await session.putDemo('household', [{ id: newId(), data: record }]);
    await session.saveDraft('household:new', record);
    await session.saveCache('household-summaries', { summaries: [record] });
    await session.logAccess('open-household', id);
    // Sync: the hub link (a credential and a name), a refusal's words, and a pulled record.
    await session.sync.saveHubLink({
      hub: 'aozora',
      loginName: CANARY,
      userId: 'u-1',
      displayName: CANARY,
      role: 'coordinator',
      deviceSecret: CANARY,
      cursor: 0,
      scope: null,
      lastSyncAt: null,
      openConflicts: 0,
      signedOut: false,
    });
    await session.sync.saveUserToken(CANARY);
    const [first] = await session.outbox();
    await session.sync.acknowledge([
      { seq: first!.seq, mutationId: first!.mutationId, status: 'refused', reason: 'invalid', detail: CANARY, retryable: false },
    ]);
    const pulledId = newId();
    const pulled = createHousehold({ id: pulledId, address: CANARY, persons: [createPerson({ name: CANARY, recipientNumber: CANARY })] });
    // [R3] Set aside: a record it cannot read, and one whose id itself is personal.
    const unreadable = { ...pulled, id: newId(), persons: CANARY };
    const personalId = `${CANARY} の世帯`;
    await session.sync.applyRemote([
      { kind: 'household', entityId: pulledId, version: 7, officeId: 'office-1', withdrawn: false, payloadJson: JSON.stringify(pulled) },
      { kind: 'household', entityId: unreadable.id, version: 8, officeId: 'office-1', withdrawn: false, payloadJson: JSON.stringify(unreadable) },
      { kind: 'household', entityId: personalId, version: 9, officeId: 'office-1', withdrawn: false, payloadJson: JSON.stringify({ ...pulled, id: personalId }) },
    ]);
    expect((await session.sync.setAsideCounts()).total).toBe(2);
    await expect(vault.unlock(session.user.id, OTHER_PASSPHRASE)).rejects.toMatchObject({ code: 'wrong-passphrase' });

    const rows = await dumpTables(db);
    expect(Object.keys(rows).sort()).toEqual([
      'accessLog',
      'cache',
      'drafts',
      'hubLink',
      'keySlots',
      'meta',
      'outbox',
      'receipts',
      'records',
      'setAside',
      'throttles',
      'userSecrets',
    ]);
    const text = JSON.stringify(rows);
    expect(text).not.toContain(CANARY);
    expect(text).not.toContain('燐太郎');
    expect(hits(rows)).toEqual([]);

    // Controls: the scan does see clear text (staff names are in clear by design) and the canary once decrypted.
    expect(text).toContain(STAFF_NAME);
    expect(hits({ leaked: new TextEncoder().encode(`x${CANARY}x`) })).toContain(`${CANARY} (UTF-8)`);
    expect(JSON.stringify(await session.list('household'))).toContain(CANARY);
  });

  it('fails to decrypt a ciphertext moved to another record or another table', async () => {
    const { db, session } = await setUpTestVault();
    const [a, b] = [newId(), newId()];
    await session.put('household', a, createSampleRecord({ name: '甲' }), 'create');
    await session.put('household', b, createSampleRecord({ name: '乙' }), 'create');
    await session.saveDraft(`household:${b}`, createSampleRecord({ name: '乙の下書き' }));
    const rowA = await db.records.get(['household', a]);
    if (rowA === undefined) throw new Error('record a was not written');

    await db.records.update(['household', b], { iv: rowA.iv, ct: rowA.ct });
    await expect(session.get('household', b)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(session.list('household')).rejects.toMatchObject({ code: 'corrupt' });

    await db.drafts.update(`household:${b}`, { iv: rowA.iv, ct: rowA.ct });
    await expect(session.loadDraft(`household:${b}`)).rejects.toMatchObject({ code: 'corrupt' });
    expect((await session.get('household', a))?.data).toEqual(createSampleRecord({ name: '甲' }));
  });
});
