import { afterEach, describe, expect, it, vi } from 'vitest';
import { VaultDatabase } from './db';
import { draftKeyFor } from './drafts';
import { createSampleRecord, newId, PASSPHRASE, setUpTestVault, STAFF_NAME, type SampleRecord } from './testing';
import { openVault } from './vault';
import type { AccessLogEntry } from './types';
import { ACCESS_SCAN_PAGE } from './journal';
import { checkAccessEntry } from '../protocol/records';

afterEach(() => {
  vi.restoreAllMocks();
});

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('outbox', () => {
  it('writes each change with its outbox entry: unique mutation id, this device, the payload', async () => {
    const { session } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    await session.put('household', id, createSampleRecord({ address: '転居先' }), 'update');

    const changes = (await session.outbox()).filter((e) => e.kind === 'household');
    expect(changes.map((e) => [e.op, e.entityId, e.userId, e.deviceId])).toEqual([
      ['create', id, session.user.id, session.deviceId],
      ['update', id, session.user.id, session.deviceId],
    ]);
    expect(changes.map((e) => e.payload)).toEqual([createSampleRecord(), createSampleRecord({ address: '転居先' })]);
    for (const e of changes) expect(e.mutationId).toMatch(UUID_V4);
    expect(changes[0]?.mutationId).not.toBe(changes[1]?.mutationId);
  });

  it('numbers entries 1, 2, 3 … without gaps across concurrent writes and a failed transaction', async () => {
    const { db, session } = await setUpTestVault(); // seq 1: the unlock entry
    const ids = Array.from({ length: 30 }, newId);
    await Promise.all(
      ids.map((id, i) =>
        i % 5 === 0
          ? session.logAccess('open-household', id)
          : session.put('household', id, createSampleRecord(), 'create'),
      ),
    );

    vi.spyOn(db.outbox, 'add').mockRejectedValueOnce(new DOMException('disk full', 'QuotaExceededError'));
    const failedId = newId();
    await expect(session.put('household', failedId, createSampleRecord(), 'create')).rejects.toMatchObject({
      code: 'quota-exceeded',
    });
    // The record was written before the outbox entry failed; the abort took both back.
    expect(await session.get('household', failedId)).toBeUndefined();

    await Promise.all([
      session.put('household', newId(), createSampleRecord(), 'create'),
      session.put('household', ids[1] as string, createSampleRecord(), 'update'),
    ]);
    const outbox = await session.outbox();
    expect(outbox.map((e) => e.seq)).toEqual(range(1, 33));
    expect(new Set(outbox.map((e) => e.mutationId)).size).toBe(33);
    expect(await session.pendingChanges()).toBe(33);
  });
});

describe('[retire] a phone retiring in one tab of the app', () => {
  /** The phone as setUpTestVault leaves it, and a second tab of the app unlocked on it by the same person. */
  async function twoTabs() {
    const test = await setUpTestVault();
    const otherTab = await openVault(new VaultDatabase(test.db.name), { now: test.clock.now }).unlock(test.session.user.id, PASSPHRASE);
    return { ...test, retiringTab: test.session, otherTab };
  }

  it('the other tab, still unlocked, records nothing after the retiring tab has read what it sends: the wipe would erase it unsent', async () => {
    const { db, retiringTab, otherTab } = await twoTabs();
    const before = newId();
    await otherTab.append('case-entry', before, createSampleRecord());

    retiringTab.sync.stopWrites();
    const sent = await retiringTab.outbox();
    expect(sent.map((e) => e.entityId)).toContain(before);

    const call = newId();
    await expect(otherTab.append('case-entry', call, createSampleRecord({ medications: '折り返しの電話' }))).rejects.toMatchObject({
      code: 'retiring',
      message: expect.stringContaining('別の端末で記録してください'),
    });
    await expect(otherTab.put('household', newId(), createSampleRecord(), 'create')).rejects.toMatchObject({ code: 'retiring' });
    await expect(otherTab.logAccess('open-household', newId())).rejects.toMatchObject({ code: 'retiring' });
    // nothing written that the retire has not sent: neither the record nor its change
    expect(await otherTab.get('case-entry', call)).toBeUndefined();
    expect(await db.outbox.count()).toBe(sent.length);
  });

  it('a later unlock writes again: a retire that did not finish is met again at its first sync, and a phone the hub took back keeps working', async () => {
    const { vault, retiringTab } = await twoTabs();
    retiringTab.sync.stopWrites();
    await retiringTab.outbox();
    retiringTab.lock();

    const again = await vault.unlock(retiringTab.user.id, PASSPHRASE);
    const call = newId();
    await again.append('case-entry', call, createSampleRecord());
    expect((await again.outbox()).map((e) => e.entityId)).toContain(call);
  });
});

describe('access log (閲覧記録)', () => {
  it('appends every unlock and every opened household, encrypted, and copies each entry to the outbox', async () => {
    const { vault, session, clock } = await setUpTestVault();
    const householdId = newId();
    clock.advance(60_000);
    await session.logAccess('open-household', householdId);
    session.lock();
    clock.advance(60_000);
    const again = await vault.unlock(session.user.id, PASSPHRASE);

    const log = await again.accessLog();
    expect(log.map((e) => [e.action, e.householdId, e.userId, e.userName, e.at])).toEqual([
      ['unlock', null, session.user.id, STAFF_NAME, '2025-04-01T09:00:00.000Z'],
      ['open-household', householdId, session.user.id, STAFF_NAME, '2025-04-01T09:01:00.000Z'],
      ['unlock', null, session.user.id, STAFF_NAME, '2025-04-01T09:02:00.000Z'],
    ]);
    const carried = (await again.outbox()).filter((e) => e.kind === 'access');
    expect(carried.map((e) => e.payload)).toEqual(log);
    expect(carried.every((e) => e.op === 'append' && e.entityId === (e.payload as AccessLogEntry).id)).toBe(true);
  });

  it("writes entries the hub's check takes, with a reason and without, for a household and for none", async () => {
    const { session } = await setUpTestVault();
    await session.logAccess('share-without-consent', newId(), '救急搬送先の病院へ');
    await session.logAccess('export-claims', null, '2026年11月 請求CSV');
    const carried = (await session.outbox()).filter((e) => e.kind === 'access');
    expect(carried).toHaveLength(3); // with the unlock
    for (const e of carried) expect(checkAccessEntry(e.entityId, e.payload)).toBeNull();
  });

  it('is append-only: the session offers no call that changes or deletes an entry', async () => {
    const { session } = await setUpTestVault();
    const prototype = Object.getPrototypeOf(session) as object;
    const calls = Object.getOwnPropertyNames(prototype).filter((name) => /access/i.test(name));
    expect(calls.sort()).toEqual(['accessLog', 'logAccess', 'scanAccessLog']);
    await session.putDemo('household', [{ id: 'demo-1', data: createSampleRecord() }]);
    await session.logAccess('open-household', 'demo-1');
    await session.clearDemo();
    expect((await session.accessLog()).map((e) => e.householdId)).toEqual([null, 'demo-1']);
  });
});

describe('scanAccessLog', () => {
  it('reads the log newest first, a page at a time, and decrypts no page after the one that stops it', async () => {
    const { db, session } = await setUpTestVault(); // the unlock's entry first
    const ids = Array.from({ length: ACCESS_SCAN_PAGE + 20 }, (_, i) => `hh-${i}`);
    for (const id of ids) await session.logAccess('open-household', id);
    const pages: (string | null)[][] = [];
    await session.scanAccessLog((page) => void pages.push(page.map((e) => e.householdId)));
    expect(pages.map((p) => p.length)).toEqual([ACCESS_SCAN_PAGE, 21]);
    expect(pages.flat()).toEqual([...[...ids].reverse(), null]);

    const unsealed = vi.spyOn(crypto.subtle, 'decrypt');
    const seen: (string | null)[] = [];
    await session.scanAccessLog((page) => {
      seen.push(...page.map((e) => e.householdId));
      return true;
    });
    expect(seen).toHaveLength(ACCESS_SCAN_PAGE);
    expect(seen[0]).toBe(ids.at(-1));
    expect(unsealed).toHaveBeenCalledTimes(ACCESS_SCAN_PAGE);
    expect(await db.accessLog.count()).toBe(ids.length + 1);
  });
});

describe('demo records', () => {
  it('writes them in one transaction with no outbox entries, even when edited', async () => {
    const { db, session } = await setUpTestVault();
    const pending = await session.pendingChanges();
    const items = Array.from({ length: 200 }, () => ({ id: newId(), data: createSampleRecord({ name: 'デモ 世帯' }) }));
    const transaction = vi.spyOn(db, 'transaction');
    await session.putDemo('household', items);
    expect(transaction).toHaveBeenCalledTimes(1);

    const edited = items[0]?.id as string;
    await session.put('household', edited, createSampleRecord({ name: '編集した デモ' }), 'update');
    const stored = await session.get<SampleRecord>('household', edited);
    expect(stored).toMatchObject({ demo: true, data: { name: '編集した デモ' } });
    expect(await session.pendingChanges()).toBe(pending);
    expect((await session.list('household')).every((e) => e.demo)).toBe(true);
  });

  it('never overwrites a real record with demo data', async () => {
    const { session } = await setUpTestVault();
    const real = newId();
    await session.put('household', real, createSampleRecord(), 'create');
    const demo = [{ id: real, data: createSampleRecord({ name: 'デモ' }) }];
    await expect(session.putDemo('household', demo)).rejects.toThrow(/real record/);
    expect(await session.get('household', real)).toMatchObject({ demo: false, data: createSampleRecord() });
  });

  it('clearDemo removes only demo records and their drafts', async () => {
    const { session } = await setUpTestVault();
    const real = newId();
    const demoIds = [newId(), newId(), newId()];
    await session.put('household', real, createSampleRecord(), 'create');
    await session.putDemo(
      'household',
      demoIds.map((id) => ({ id, data: createSampleRecord({ name: 'デモ 世帯' }) })),
    );
    await session.putDemo('facility', [{ id: 'demo-facility', data: { name: 'デモ 事業所' } }]);
    await session.saveDraft(draftKeyFor('household', demoIds[0] as string), { step: 1 });
    await session.saveDraft(draftKeyFor('household', real), { step: 2 });
    await session.saveDraft(draftKeyFor('household', 'new'), { step: 3 });
    // a small form's draft about a household (the 登録廃止 dialog)
    await session.saveDraft(`household-withdraw:${demoIds[1]}`, { reason: '転居' });
    await session.saveDraft(`household-withdraw:${real}`, { reason: '転居' });

    expect(await session.clearDemo()).toBe(4);
    expect((await session.list('household')).map((e) => e.id)).toEqual([real]);
    expect(await session.list('facility')).toEqual([]);
    expect((await session.listDraftKeys()).sort()).toEqual([`household:${real}`, 'household:new', `household-withdraw:${real}`].sort());
    expect(await session.clearDemo()).toBe(0);
  });

  it('refuses ids that could carry personal data into clear columns', async () => {
    const { session } = await setUpTestVault();
    await expect(session.put('household', '山田太郎', createSampleRecord(), 'create')).rejects.toThrow(TypeError);
    await expect(session.putDemo('household', [{ id: 'a b', data: {} }])).rejects.toThrow(TypeError);
    await expect(session.logAccess('open-household', 'x'.repeat(129))).rejects.toThrow(TypeError);
    expect(await session.pendingChanges()).toBe(1);
  });
});
