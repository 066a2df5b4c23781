import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import { openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createHousehold } from '../../test/factories/household';
import type { WireRecord } from '../protocol/sync';
import { sealPage } from './seal-page';
import { runsOf } from './sync-store';
import Dexie from 'dexie';
import { VaultDatabase } from './db';
import { personalDraftKey } from './drafts';
import { PASSPHRASE, createSampleRecord, createTestVault, newId, setUpTestVault } from './testing';
import { openVault } from './vault';
import type { HubLink, OutboxEntry, VaultSession } from './types';

/** A pulled record; by default a whole household (or facility) under its own id, as the hub holds it. */
function wire(overrides: Partial<WireRecord> & { data?: unknown } = {}): WireRecord {
  const { data, ...rest } = overrides;
  const kind = rest.kind ?? 'household';
  const entityId = rest.entityId ?? newId();
  const payload = data ?? (kind === 'facility' ? createFacility({ id: entityId }) : createHousehold({ id: entityId }));
  return { kind, entityId, version: 1, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(payload), ...rest };
}

const noted = (id: string, note: string) => JSON.stringify(createHousehold({ id, note }));

function link(overrides: Partial<HubLink> = {}): HubLink {
  return {
    hub: 'aozora',
    loginName: 'yakan',
    userId: 'u-1',
    displayName: '夜間 太郎',
    role: 'coordinator',
    deviceSecret: 's'.repeat(40),
    cursor: 0,
    scope: null,
    lastSyncAt: null,
    openConflicts: 0,
    signedOut: false,
    ...overrides,
  };
}

const accepted = (e: OutboxEntry, version: number) => ({ seq: e.seq, mutationId: e.mutationId, status: 'accepted' as const, version });

async function caseEntry(session: VaultSession, text = '02:10 母より電話') {
  return chainNext([], {
    id: newId(),
    caseId: newId(),
    recordedAt: '2025-04-01T17:10:00.000Z',
    recordedBy: { userId: session.user.id, name: session.user.displayName },
    deviceId: session.deviceId,
    body: openBody({ detail: text }),
  });
}

describe('sync store: acknowledge', () => {
  it('removes accepted and duplicate changes, keeps refused ones with their reason, and leaves a gap to be retried', async () => {
    const { session } = await setUpTestVault();
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    for (const id of [a, b, c, d]) await session.put('household', id, createSampleRecord(), 'create');
    const queue = (await session.outbox()).filter((e) => e.kind === 'household');
    const [qa, qb, qc, qd] = queue as [OutboxEntry, OutboxEntry, OutboxEntry, OutboxEntry];

    const report = await session.sync.acknowledge([
      accepted(qa, 10),
      { seq: qb.seq, mutationId: qb.mutationId, status: 'duplicate', version: 11 },
      { seq: qc.seq, mutationId: qc.mutationId, status: 'refused', reason: 'scope', detail: 'office-b is not yours', retryable: false },
      { seq: qd.seq, mutationId: qd.mutationId, status: 'refused', reason: 'gap', detail: 'expected 3', retryable: true },
    ]);

    expect(report).toEqual({ sent: 2, refused: 1, gapAt: qd.seq });
    const left = (await session.outbox()).filter((e) => e.kind === 'household');
    expect(left.map((e) => [e.entityId, e.refusal?.reason ?? null])).toEqual([
      [c, 'scope'],
      [d, null],
    ]);
    expect(left[0]?.refusal?.detail).toBe('office-b is not yours');
    // The status line's counts, read without decrypting: the refused one apart from those waiting.
    const all = await session.outbox();
    expect(await session.sync.queueCounts()).toEqual({ pending: all.length - 1, refused: 1 });
    // Which records were refused, and why, for the screens that show them (the gap is not the hub's last word).
    expect([...(await session.sync.refusedOf('household'))]).toEqual([[c, 'scope']]);
    expect((await session.sync.refusedOf('case-entry')).size).toBe(0);
    // The records themselves stay.
    for (const id of [a, b, c, d]) expect(await session.get('household', id)).toBeDefined();
  });

  it('ignores an answer whose mutation id is not the queued one (nothing is removed on a mix-up)', async () => {
    const { session } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    const entry = (await session.outbox()).at(-1)!;
    await session.sync.acknowledge([{ ...accepted(entry, 3), mutationId: newId() }]);
    expect((await session.outbox()).at(-1)?.mutationId).toBe(entry.mutationId);
  });

  it('removes only the answered changes of a run: one not answered, or answered under another mutation id, stays queued', async () => {
    const { session } = await setUpTestVault();
    for (let i = 0; i < 6; i += 1) await session.put('household', newId(), createSampleRecord(), 'create');
    const queue = (await session.outbox()).filter((e) => e.kind === 'household');
    const [q1, q2, q3, q4, q5, q6] = queue as [OutboxEntry, OutboxEntry, OutboxEntry, OutboxEntry, OutboxEntry, OutboxEntry];

    const report = await session.sync.acknowledge([accepted(q1, 1), accepted(q2, 2), accepted(q4, 4), { ...accepted(q5, 5), mutationId: newId() }, accepted(q6, 6)]);

    expect(report).toEqual({ sent: 4, refused: 0, gapAt: null });
    expect((await session.outbox()).filter((e) => e.kind === 'household').map((e) => e.seq)).toEqual([q3.seq, q5.seq]);
  });

  it('cuts the acknowledged seqs into runs of consecutive seqs, none holding a seq not given', () => {
    expect(runsOf([])).toEqual([]);
    expect(runsOf([7, 3, 4, 5, 9, 8, 12, 4])).toEqual([[3, 5], [7, 9], [12, 12]]);
    expect(runsOf([1, 1.5, 2.5])).toEqual([[1, 1], [1.5, 1.5], [2.5, 2.5]]);
  });

  it('lets the user dismiss a refused change, but not one still waiting', async () => {
    const { session } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    await session.put('household', newId(), createSampleRecord(), 'create');
    const [, x, y] = await session.outbox();
    await session.sync.acknowledge([{ seq: x!.seq, mutationId: x!.mutationId, status: 'refused', reason: 'invalid', detail: '?', retryable: false }]);
    const logged = async () => (await session.accessLog()).filter((e) => e.action === 'dismiss-refused').map((e) => e.reason);
    await expect(session.sync.dismissRefused(y!.seq, '待っている変更')).rejects.toThrow(RangeError);
    // refused, so nothing was set aside: the 閲覧記録 does not say it was
    expect(await logged()).toEqual([]);
    await session.sync.dismissRefused(x!.seq, '世帯 x（理由 invalid）');
    expect((await session.outbox()).map((e) => e.seq)).not.toContain(x!.seq);
    // set aside and recorded in one step, the entry queued for the hub like any other
    expect(await logged()).toEqual(['世帯 x（理由 invalid）']);
    const entry = (await session.accessLog()).find((e) => e.action === 'dismiss-refused')!;
    expect((await session.outbox()).some((e) => e.kind === 'access' && e.entityId === entry.id)).toBe(true);
  });

  it('keeps a refused case entry queued: evidence is not set aside', async () => {
    const { session } = await setUpTestVault();
    await session.append('case-entry', 'entry-1', createSampleRecord());
    const entry = (await session.outbox()).find((e) => e.kind === 'case-entry')!;
    await session.sync.acknowledge([{ seq: entry.seq, mutationId: entry.mutationId, status: 'refused', reason: 'writer', detail: '?', retryable: false }]);
    await expect(session.sync.dismissRefused(entry.seq, '送信不可の変更（テスト）')).rejects.toThrow(/evidence/);
    expect((await session.accessLog()).some((e) => e.action === 'dismiss-refused')).toBe(false);
    expect((await session.outbox()).filter((e) => e.kind === 'case-entry').map((e) => [e.seq, e.refusal?.reason])).toEqual([[entry.seq, 'writer']]);
  });
});

describe('sync store: applyRemote', () => {
  it('writes pulled records without outbox entries and remembers their version and office', async () => {
    const { session, db } = await setUpTestVault();
    const before = await session.pendingChanges();
    const id = newId();
    const data = createHousehold({ id, note: '引 継' });
    const r = wire({ entityId: id, version: 5, data });
    const report = await session.sync.applyRemote([r]);
    expect(report).toEqual({ written: 1, writtenKeys: [['household', r.entityId]], evidenceIds: [], keptPending: 0, evidenceMismatches: [], setAside: 0, removed: 0 });
    expect((await session.get('household', r.entityId))?.data).toEqual(data);
    expect(await session.pendingChanges()).toBe(before);
    // One row per record (vault version 8): the hub's version and office are clear columns of it.
    expect(await db.records.get(['household', r.entityId])).toMatchObject({ kind: 'household', id: r.entityId, version: 5, officeId: 'office-a' });
    // A real row has no demo column, so the demo index stays out of a pulled page's way; it reads as real.
    expect(await db.records.get(['household', r.entityId])).not.toHaveProperty('demo');
    expect((await session.get('household', r.entityId))?.demo).toBe(false);
    // An edit here keeps them: the next push is based on version 5, and the row still says so.
    await session.put('household', r.entityId, { ...data, note: '電話で確認' }, 'update');
    expect(await db.records.get(['household', r.entityId])).toMatchObject({ version: 5, officeId: 'office-a' });
    expect((await session.outbox()).filter((e) => e.entityId === r.entityId).map((e) => e.baseVersion)).toEqual([5]);
  });

  it('does not overwrite a record with an unsent change, nor move its base version', async () => {
    const { session } = await setUpTestVault();
    const r = wire({ version: 5 });
    await session.sync.applyRemote([r]);
    await session.put('household', r.entityId, createHousehold({ id: r.entityId, note: '手元の編集' }), 'update');

    const report = await session.sync.applyRemote([{ ...r, version: 9, payloadJson: noted(r.entityId, '他の端末') }]);
    expect(report.keptPending).toBe(1);
    expect((await session.get<{ note: string }>('household', r.entityId))?.data.note).toBe('手元の編集');
    await session.put('household', r.entityId, createHousehold({ id: r.entityId, note: '二度目' }), 'update');
    expect((await session.outbox()).filter((e) => e.entityId === r.entityId).map((e) => e.baseVersion)).toEqual([5, 5]);

    // Once the change is acknowledged, the next pull brings the hub's merged record.
    await session.sync.acknowledge((await session.outbox()).filter((e) => e.entityId === r.entityId).map((e, i) => accepted(e, 10 + i)));
    await session.sync.applyRemote([{ ...r, version: 11, payloadJson: noted(r.entityId, '統合後') }]);
    expect((await session.get<{ note: string }>('household', r.entityId))?.data.note).toBe('統合後');
  });

  it('keeps a record with an unsent change whether the queue is shorter or longer than the page', async () => {
    const { session } = await setUpTestVault();
    const [mine, other] = [wire({ version: 2 }), wire({ version: 3 })];
    await session.sync.applyRemote([mine, other]);
    await session.put('household', mine.entityId, createHousehold({ id: mine.entityId, note: '手元の編集' }), 'update');
    const again = (version: number) => [mine, other].map((r) => ({ ...r, version, payloadJson: noted(r.entityId, '他の端末') }));

    expect(await session.sync.applyRemote(again(4))).toMatchObject({ written: 1, keptPending: 1 });
    for (let i = 0; i < 3; i += 1) await session.put('household', newId(), createSampleRecord(), 'create');
    expect(await session.sync.applyRemote(again(5))).toMatchObject({ written: 1, keptPending: 1 });
    expect((await session.get<{ note: string }>('household', mine.entityId))?.data.note).toBe('手元の編集');
    expect((await session.get<{ note: string }>('household', other.entityId))?.data.note).toBe('他の端末');
  });

  it('stores a withdrawn household as it came (with its withdrawal)', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    const data = createHousehold({ id, withdrawal: { date: '2025-03-31', reason: '市外へ転出' } });
    const r = wire({ entityId: id, withdrawn: true, data });
    await session.sync.applyRemote([r]);
    expect((await session.get('household', r.entityId))?.data).toEqual(data);
  });

  it('never overwrites evidence held here, and reports a pulled entry whose hash differs', async () => {
    const { session, db } = await setUpTestVault();
    const entry = await caseEntry(session);
    await session.append('case-entry', entry.id, entry);
    const same = wire({ kind: 'case-entry', entityId: entry.id, version: 3, data: entry });
    const altered = { ...entry, hash: 'f'.repeat(64), body: openBody({ detail: '改変' }) };
    const other = wire({ kind: 'case-entry', entityId: entry.id, version: 4, data: altered });

    expect(await session.sync.applyRemote([same])).toMatchObject({ written: 0, evidenceMismatches: [] });
    expect(await db.records.get(['case-entry', entry.id])).toMatchObject({ version: 3 });
    expect(await session.sync.applyRemote([other])).toMatchObject({ written: 0, evidenceMismatches: [entry.id] });
    expect((await session.get('case-entry', entry.id))?.data).toEqual(entry);
    // kept in mind past this pull (the cursor moves on, and a lock empties the status)...
    expect(await session.sync.evidenceMismatches()).toEqual([entry.id]);
    await session.sync.applyRemote([wire({ kind: 'household', entityId: newId(), version: 5 })]);
    expect(await session.sync.evidenceMismatches()).toEqual([entry.id]);
    // ...until the hub's copy matches again
    await session.sync.applyRemote([wire({ kind: 'case-entry', entityId: entry.id, version: 6, data: entry })]);
    expect(await session.sync.evidenceMismatches()).toEqual([]);

    const fresh = await caseEntry(session, '別端末の記録');
    await session.sync.applyRemote([wire({ kind: 'case-entry', entityId: fresh.id, version: 5, data: fresh })]);
    expect((await session.get('case-entry', fresh.id))?.data).toEqual(fresh);
  });

  it('looks at what is held when a prepared page is written, not when it was prepared', async () => {
    // The engine prepares the next page while this one is written: evidence and edits made here
    // in between must still win over it.
    const { session } = await setUpTestVault();
    const entry = await caseEntry(session);
    const edited = newId();
    await session.sync.applyRemote([wire({ entityId: edited, version: 2 })]);
    const altered = { ...entry, hash: 'f'.repeat(64), body: openBody({ detail: '改変' }) };
    // Sealed as a pull job seals it (src/sync/pull-job.ts), here on this thread.
    const page = [
      wire({ kind: 'case-entry', entityId: entry.id, version: 3, data: altered }),
      wire({ entityId: edited, version: 3, payloadJson: noted(edited, '他の端末') }),
      wire({ entityId: newId(), version: 4, payloadJson: '{' }),
    ];
    const prepared = await session.sync.sealPulled((key, now) => ({ sealed: sealPage(key, () => now, page) })).prepared;
    await session.append('case-entry', entry.id, entry);
    await session.put('household', edited, createHousehold({ id: edited, note: 'この端末' }), 'update');

    const report = await session.sync.applyRemote(prepared, link({ cursor: 4 }));

    expect(report).toMatchObject({ written: 0, keptPending: 1, evidenceMismatches: [entry.id], setAside: 1 });
    expect((await session.get('case-entry', entry.id))?.data).toEqual(entry);
    expect((await session.get<{ note: string }>('household', edited))?.data.note).toBe('この端末');
    expect((await session.sync.hubLink())?.cursor).toBe(4);
  });

  it('saves the link in the same transaction as the page', async () => {
    const { session } = await setUpTestVault();
    await session.sync.saveHubLink(link());
    const good = wire();
    await session.sync.applyRemote([good], link({ cursor: 9 }));
    expect(await session.get('household', good.entityId)).toBeDefined();
    expect((await session.sync.hubLink())?.cursor).toBe(9);
  });

  it('[R3] sets aside what it cannot read (a poison id, persons not a list, not JSON), writes the rest and moves the cursor', async () => {
    const { session, db } = await setUpTestVault();
    await session.sync.saveHubLink(link());
    const good = wire();
    const poison = wire({ entityId: 'poison.id with space', data: createHousehold({ id: 'poison.id with space' }) });
    const malformedId = newId();
    const malformed = wire({ entityId: malformedId, data: { ...createHousehold({ id: malformedId, address: '秘密町1-1' }), persons: 'not-a-list' } });
    const broken = wire({ kind: 'facility', officeId: null, payloadJson: '{not json' });

    const report = await session.sync.applyRemote([good, poison, malformed, broken], link({ cursor: 9 }));

    expect(report).toMatchObject({ written: 1, setAside: 3 });
    expect(await session.get('household', good.entityId)).toBeDefined();
    expect(await session.get('household', malformed.entityId)).toBeUndefined();
    expect((await session.sync.hubLink())?.cursor).toBe(9);
    const counts = await session.sync.setAsideCounts();
    expect(counts).toMatchObject({ total: 3, byReason: { id: 1, json: 1, shape: 1 } });
    // What the sync section names: kind, the hub's version, reason and field; never the id or a value.
    expect(counts.first!.map((e) => [e.kind, e.version, e.reason, e.field]).sort()).toEqual([
      ['facility', 1, 'json', ''],
      ['household', 1, 'id', ''],
      ['household', 1, 'shape', 'persons'],
    ]);
    const rows = await db.setAside.toArray();
    expect(rows.map((r) => [r.kind, r.reason, r.field]).sort()).toEqual([
      ['facility', 'json', ''],
      ['household', 'id', ''],
      ['household', 'shape', 'persons'],
    ]);
    // In clear: no id that breaks the rule (it may hold a name), and nothing of the payload.
    const clear = JSON.stringify(rows.map(({ iv: _iv, ct: _ct, ...row }) => row));
    expect(clear).not.toContain('poison');
    expect(clear).not.toContain('秘密町');
    expect(rows.find((r) => r.reason === 'id')!.key).toMatch(/^#[0-9a-f]{64}$/);
  });

  it('[R3] a later version it can read replaces the set-aside one, and setting aside again does not count twice', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    const bad = wire({ entityId: id, version: 3, data: { ...createHousehold({ id }), persons: 'not-a-list' } });
    await session.sync.applyRemote([bad]);
    await session.sync.applyRemote([bad]);
    expect((await session.sync.setAsideCounts()).total).toBe(1);
    await session.sync.applyRemote([wire({ entityId: id, version: 7 })]);
    expect((await session.sync.setAsideCounts()).total).toBe(0);
    expect(await session.get('household', id)).toBeDefined();
  });

  it('[R4] a record an admin removed is dropped here (with its set-aside entry), except evidence and records with unsent changes', async () => {
    const { session, db } = await setUpTestVault();
    const held = wire({ version: 2 });
    const edited = wire({ version: 3 });
    const entry = await caseEntry(session);
    const evidence = wire({ kind: 'case-entry', entityId: entry.id, version: 4, data: entry });
    const poison = wire({ entityId: 'poison.id with space', version: 5, data: createHousehold({ id: 'poison.id with space' }) });
    await session.sync.applyRemote([held, edited, evidence, poison]);
    await session.put('household', edited.entityId, createHousehold({ id: edited.entityId, note: '未送信' }), 'update');
    const removal = (r: WireRecord, version: number): WireRecord => ({ ...r, version, withdrawn: true, payloadJson: 'null' });

    const report = await session.sync.applyRemote([removal(held, 10), removal(edited, 11), removal(evidence, 12), removal(poison, 13)]);

    // removed: the held one and the poison one (set aside only); kept: the one with an unsent change
    expect(report).toMatchObject({ removed: 2, keptPending: 1, setAside: 0 });
    expect(await session.get('household', held.entityId)).toBeUndefined();
    expect(await db.records.get(['household', held.entityId])).toBeUndefined();
    expect(await session.get('household', edited.entityId)).toBeDefined();
    expect((await session.get('case-entry', entry.id))?.data).toEqual(entry);
    expect((await session.sync.setAsideCounts()).total).toBe(0);
  });
});

describe('sync store: copies held back for a refused change [R4]', () => {
  const refused = (e: OutboxEntry) => ({ seq: e.seq, mutationId: e.mutationId, status: 'refused' as const, reason: 'scope' as const, detail: '?', retryable: false });
  const noteOf = async (session: VaultSession, id: string) => (await session.get<{ note: string }>('household', id))?.data.note;
  const heldBack = async (db: Awaited<ReturnType<typeof setUpTestVault>>['db']) => (await db.cache.toArray()).filter((r) => r.key.startsWith('held-back:'));

  /** A household pulled at version 2 and edited here, unsent, while a pull brought version 3: that copy is held back. */
  async function editWithACopyHeldBack() {
    const { session, db } = await setUpTestVault();
    const r = wire({ version: 2 });
    await session.sync.applyRemote([r]);
    await session.put('household', r.entityId, createHousehold({ id: r.entityId, note: '未送信' }), 'update');
    const [edit] = (await session.outbox()).filter((e) => e.entityId === r.entityId);
    await session.sync.applyRemote([{ ...r, version: 3, payloadJson: noted(r.entityId, 'ハブの版 3') }]);
    expect(await heldBack(db)).toHaveLength(1);
    return { session, db, r, edit };
  }

  /** A later edit of the record, refused and set aside: no copy held back comes over it. */
  async function expectNothingHeldBackAfterALaterRefusal(session: VaultSession, id: string) {
    await session.put('household', id, createHousehold({ id, note: '後の編集' }), 'update');
    const [later] = (await session.outbox()).filter((e) => e.entityId === id);
    await session.sync.acknowledge([refused(later!)]);
    expect(await session.sync.dismissRefused(later!.seq, '送信不可の変更（テスト）')).toBeNull();
    expect(await noteOf(session, id)).toBe('後の編集');
  }

  /** A household pulled at version 2, then edited here `notes.length` times, each edit refused. */
  async function refusedEdits(notes: readonly string[], overrides: Partial<WireRecord> = {}) {
    const vault = await setUpTestVault();
    const r = wire({ version: 2, ...overrides });
    await vault.session.sync.applyRemote([r]);
    for (const note of notes) await vault.session.put('household', r.entityId, createHousehold({ id: r.entityId, note }), 'update');
    const edits = (await vault.session.outbox()).filter((e) => e.entityId === r.entityId);
    await vault.session.sync.acknowledge(edits.map(refused));
    return { ...vault, r, id: r.entityId, edits };
  }

  it('[R4] writes the latest copy a pull held back once the last change to its record is set aside, not before', async () => {
    const { session, db, r, id, edits } = await refusedEdits(['一つ目', '二つ目']);
    await session.sync.applyRemote([{ ...r, version: 3, payloadJson: noted(id, 'ハブの版 3') }]);
    await session.sync.applyRemote([{ ...r, version: 4, payloadJson: noted(id, 'ハブの版 4') }]);
    expect(await noteOf(session, id)).toBe('二つ目');

    expect(await session.sync.dismissRefused(edits[0]!.seq, '送信不可の変更（テスト）')).toBeNull();
    expect(await noteOf(session, id)).toBe('二つ目');
    expect(await session.sync.dismissRefused(edits[1]!.seq, '送信不可の変更（テスト）')).toEqual({ kind: 'household', id, removed: false });

    expect(await noteOf(session, id)).toBe('ハブの版 4');
    expect(await db.records.get(['household', id])).toMatchObject({ version: 4, officeId: 'office-a' });
    expect(await heldBack(db)).toEqual([]);
  });

  it('[R4] applies a withdrawal a pull held back once the refused change is set aside, draft and all', async () => {
    const { session, db, r, id, edits } = await refusedEdits(['編集']);
    await session.saveDraft(`household:${id}`, { step: 2 });
    await session.sync.applyRemote([{ ...r, version: 3, withdrawn: true, payloadJson: 'null' }]);
    expect(await session.get('household', id)).toBeDefined();

    expect(await session.sync.dismissRefused(edits[0]!.seq, '送信不可の変更（テスト）')).toEqual({ kind: 'household', id, removed: true });

    expect(await session.get('household', id)).toBeUndefined();
    expect(await session.loadDraft(`household:${id}`)).toBeUndefined();
    expect(await heldBack(db)).toEqual([]);
  });

  it('[R4] forgets a held-back copy once a pull writes its record, so a later refusal set aside brings back nothing older', async () => {
    const { session, db, r, edit } = await editWithACopyHeldBack();
    await session.sync.acknowledge([accepted(edit!, 4)]);
    await session.sync.applyRemote([{ ...r, version: 4, payloadJson: noted(r.entityId, '統合した版 4') }]);
    expect(await heldBack(db)).toEqual([]);

    await expectNothingHeldBackAfterALaterRefusal(session, r.entityId);
  });

  it('[R4] forgets a held-back copy once the hub takes the change it waited for, even when no pull writes the record again (moved out of scope)', async () => {
    const { session, db, r, edit } = await editWithACopyHeldBack();
    // Taken over version 3 (the hub merged it); the record then left this user's scope, so no pull brings it.
    await session.sync.acknowledge([accepted(edit!, 4)], [{ seq: edit!.seq, kind: 'household', entityId: r.entityId }]);
    expect(await heldBack(db)).toEqual([]);

    await expectNothingHeldBackAfterALaterRefusal(session, r.entityId);
  });

  it('[R4] forgets held-back copies outside a narrower scope, and all of them at an epoch change [S15]', async () => {
    const { session, db, r, id } = await refusedEdits(['編集'], { officeId: 'office-b' });
    const mine = await refusedEdits(['編集']);
    await session.sync.applyRemote([{ ...r, version: 3, payloadJson: noted(id, 'ハブの版 3') }]);
    await session.sync.dropOutOfScope({ role: 'case-worker', officeIds: ['office-a'], facilityId: null });
    expect(await heldBack(db)).toEqual([]);

    await mine.session.sync.applyRemote([{ ...mine.r, version: 3, payloadJson: noted(mine.id, 'ハブの版 3') }]);
    expect(await heldBack(mine.db)).toHaveLength(1);
    await mine.session.sync.keepLostRecords(2, 0);
    expect(await heldBack(mine.db)).toEqual([]);
  });
});

describe('sync store: dropOutOfScope', () => {
  it('drops records of offices no longer in scope, keeps hub-wide ones and any with unsent changes', async () => {
    const { session, db } = await setUpTestVault();
    const mine = wire({ officeId: 'office-a' });
    const theirs = wire({ officeId: 'office-b' });
    const hubOnly = wire({ officeId: '(hub)' });
    const theirsEdited = wire({ officeId: 'office-b' });
    const facility = wire({ kind: 'facility', officeId: null });
    await session.sync.applyRemote([mine, theirs, hubOnly, theirsEdited, facility]);
    await session.put('household', theirsEdited.entityId, createSampleRecord({ name: '未送信' }), 'update');
    await session.saveDraft(`household:${theirs.entityId}`, { step: 2 });
    await session.saveDraft(personalDraftKey(`household:${theirs.entityId}`, session.user.id), { step: 3 });
    // a colleague's unsaved interview on the shared phone, under their own key
    const colleague = newId();
    await session.saveDraft(personalDraftKey(`household:${theirs.entityId}`, colleague), { step: 4 });

    const dropped = await session.sync.dropOutOfScope({ role: 'case-worker', officeIds: ['office-a'], facilityId: null });

    expect(dropped).toBe(2);
    expect(await session.get('household', theirs.entityId)).toBeUndefined();
    expect(await session.get('household', hubOnly.entityId)).toBeUndefined();
    expect(await db.records.get(['household', theirs.entityId])).toBeUndefined();
    expect(await session.loadDraft(`household:${theirs.entityId}`)).toBeUndefined();
    expect(await session.loadDraft(personalDraftKey(`household:${theirs.entityId}`, session.user.id))).toBeUndefined();
    expect(await session.loadDraft(personalDraftKey(`household:${theirs.entityId}`, colleague))).toEqual({ step: 4 });
    for (const kept of [mine, theirsEdited, facility]) expect(await session.get(kept.kind, kept.entityId)).toBeDefined();
  });

  it('[R3] forgets set-aside records of offices no longer in scope (the hub will not send them again)', async () => {
    const { session } = await setUpTestVault();
    const [a, b] = [newId(), newId()];
    await session.sync.applyRemote([
      wire({ entityId: a, officeId: 'office-a', data: { ...createHousehold({ id: a }), persons: 'not-a-list' } }),
      wire({ entityId: b, officeId: 'office-b', data: { ...createHousehold({ id: b }), persons: 'not-a-list' } }),
    ]);
    await session.sync.dropOutOfScope({ role: 'case-worker', officeIds: ['office-a'], facilityId: null });
    expect(await session.sync.setAsideCounts()).toMatchObject({ total: 1, byReason: { id: 0, json: 0, shape: 1 } });
  });

  it('leaves a facility liaison their own facility only', async () => {
    const { session } = await setUpTestVault();
    const own = wire({ kind: 'facility', officeId: null });
    const other = wire({ kind: 'facility', officeId: null });
    await session.sync.applyRemote([own, other]);
    await session.sync.dropOutOfScope({ role: 'facility-liaison', officeIds: [], facilityId: own.entityId });
    expect(await session.get('facility', own.entityId)).toBeDefined();
    expect(await session.get('facility', other.entityId)).toBeUndefined();
  });
});

describe('sync store: hub link and wipe', () => {
  it('keeps the hub link sealed and readable only while unlocked', async () => {
    const { session, vault } = await setUpTestVault();
    await session.sync.saveHubLink(link({ cursor: 12 }));
    expect(await session.sync.hubLink()).toEqual(link({ cursor: 12 }));
    session.lock();
    await expect(session.sync.hubLink()).rejects.toMatchObject({ code: 'locked' });
    const again = await vault.unlock(session.user.id, PASSPHRASE);
    expect((await again.sync.hubLink())?.cursor).toBe(12);
    await again.sync.clearHubLink();
    expect(await again.sync.hubLink()).toBeUndefined();
  });

  it('wipe deletes the whole database, every user with it', async () => {
    const { session, vault, db } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    await session.sync.wipe();
    expect(session.isLocked).toBe(true);
    expect(await Dexie.exists(db.name)).toBe(false);
    // Not opened again in this page (that would create it anew)...
    await expect(vault.isSetUp()).rejects.toMatchObject({ code: 'wiped' });
    expect(await Dexie.exists(db.name)).toBe(false);
    // ...a reload is a device that was never set up.
    expect(await createTestVault(db.name).vault.isSetUp()).toBe(false);
  });

  it('[retire] a wipe in one tab closes the database in another for good: its next write recreates nothing', async () => {
    const tabA = await setUpTestVault();
    // Tab B: the same database through a handle of its own, unlocked by the same person.
    const tabB = openVault(new VaultDatabase(tabA.db.name));
    const sessionB = await tabB.unlock(tabA.session.user.id, PASSPHRASE);
    await sessionB.put('household', newId(), createSampleRecord(), 'create');

    await tabA.session.sync.wipe();
    expect(await Dexie.exists(tabA.db.name)).toBe(false);

    await expect(sessionB.put('household', newId(), createSampleRecord(), 'create')).rejects.toMatchObject({ code: 'wiped' });
    await expect(sessionB.list('household')).rejects.toMatchObject({ code: 'wiped' });
    await expect(tabB.isSetUp()).rejects.toMatchObject({ code: 'wiped' });
    await expect(tabB.unlock(tabA.session.user.id, PASSPHRASE)).rejects.toMatchObject({ code: 'wiped' });
    expect(await Dexie.exists(tabA.db.name)).toBe(false);
  });

  it('[retire] a tab told of the wipe while its connection was closed opens nothing again (Vault.markWiped)', async () => {
    const tabA = await setUpTestVault();
    const tabB = createTestVault(tabA.db.name);
    expect(await tabB.vault.isSetUp()).toBe(true);
    tabB.vault.close();
    await tabA.session.sync.wipe();
    tabB.vault.markWiped();
    await expect(tabB.vault.settings()).rejects.toMatchObject({ code: 'wiped' });
    expect(await Dexie.exists(tabA.db.name)).toBe(false);
  });
});

describe('the queue follows the hub’s last seq (A6a)', () => {
  const seqs = async (session: VaultSession) => (await session.outbox()).map((e) => [e.seq, e.entityId] as const);

  it('numbers unsent changes on from lastSeq in their order, and the next change after them', async () => {
    const { session } = await setUpTestVault();
    const ids = [newId(), newId(), newId()];
    for (const id of ids) await session.put('household', id, createSampleRecord(), 'create');
    const before = await session.outbox();
    await session.sync.followServerSeq(5);
    const after = await session.outbox();
    expect(after.map((e) => e.seq)).toEqual(before.map((_, i) => 6 + i));
    // the same changes, in the same order, still readable (sealed by mutation id)
    expect(after.map((e) => [e.mutationId, e.entityId, e.payload])).toEqual(before.map((e) => [e.mutationId, e.entityId, e.payload]));
    const next = newId();
    await session.put('household', next, createSampleRecord(), 'create');
    expect((await seqs(session)).at(-1)).toEqual([6 + before.length, next]);
  });

  it('leaves a queue that already follows, and one with a refusal above lastSeq, as it is', async () => {
    const { session } = await setUpTestVault();
    await session.put('household', newId(), createSampleRecord(), 'create');
    await session.put('household', newId(), createSampleRecord(), 'create');
    const before = await seqs(session);
    await session.sync.followServerSeq(before[0]![0] - 1);
    expect(await seqs(session)).toEqual(before);
    const [first] = await session.outbox();
    await session.sync.acknowledge([{ seq: first!.seq, mutationId: first!.mutationId, status: 'refused', reason: 'invalid', detail: 'x', retryable: false }]);
    await session.sync.followServerSeq(0);
    expect(await seqs(session)).toEqual(before);
  });

  it('numbers on from a lastSeq far above the local counter (a vault restored from an older backup)', async () => {
    const { session } = await setUpTestVault();
    await session.sync.followServerSeq(41);
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    const queue = await seqs(session);
    expect(queue.at(-1)).toEqual([42 + queue.length - 1, id]);
  });
});
