import Dexie from 'dexie';
import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VaultError, toVaultError, vaultErrorMessage } from './errors';
import { createSampleRecord, newId, setUpTestVault } from './testing';

afterEach(() => {
  vi.restoreAllMocks();
});

const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('toVaultError', () => {
  it.each([
    ['a DOMException QuotaExceededError', quota(), 'quota-exceeded'],
    ["Dexie's QuotaExceededError", new Dexie.QuotaExceededError('full'), 'quota-exceeded'],
    ['an AbortError whose inner error is a full disk', new Dexie.AbortError('aborted', quota()), 'quota-exceeded'],
    ['a BulkError with a full disk among its failures', new Dexie.BulkError('bulk', { 3: quota() }), 'quota-exceeded'],
    ["Dexie's DatabaseClosedError", new Dexie.DatabaseClosedError(), 'connection-lost'],
    [
      'an InvalidStateError',
      new DOMException('The database connection is closing.', 'InvalidStateError'),
      'connection-lost',
    ],
    [
      "Safari's lost connection",
      new DOMException('Connection to Indexed Database server lost. Refresh the page to try again', 'UnknownError'),
      'connection-lost',
    ],
    ['an error-like object with a vault code', Object.assign(new Error('locked'), { code: 'locked' }), 'locked'],
    ['anything else', new Error('boom'), 'unexpected'],
    ['a thrown string', 'boom', 'unexpected'],
  ])('maps %s', (_label, thrown, code) => {
    const error = toVaultError(thrown);
    expect(error).toBeInstanceOf(VaultError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(vaultErrorMessage(error.code));
  });

  it('passes a VaultError through and keeps the original error as the cause', () => {
    const original = new VaultError('throttled', { retryAt: '2025-04-01T09:00:05.000Z' });
    expect(toVaultError(original)).toBe(original);
    const inner = quota();
    expect(toVaultError(inner).cause).toBe(inner);
  });

  it('speaks Japanese to the user', () => {
    expect(vaultErrorMessage('wrong-passphrase')).toBe('パスフレーズが違います。');
    expect(vaultErrorMessage('quota-exceeded')).toBe(
      '端末の保存容量が足りません。写真やほかのアプリなど、端末の不要なデータを削除してから、もう一度お試しください。',
    );
    expect(vaultErrorMessage('connection-lost')).toBe('端末内の保存データとの接続が途切れました（アプリが裏に回っている間に、端末が閉じることがあります）。');
  });
});

describe('storage failures', () => {
  it("reports a full disk as 'quota-exceeded' and writes neither the record nor its outbox entry", async () => {
    const { db, session } = await setUpTestVault();
    const pending = await session.pendingChanges();
    vi.spyOn(db.records, 'put').mockImplementation(() => {
      throw quota();
    });
    const id = newId();
    const error = await session.put('household', id, createSampleRecord(), 'create').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'quota-exceeded', message: vaultErrorMessage('quota-exceeded') });

    vi.restoreAllMocks();
    expect(await session.get('household', id)).toBeUndefined();
    expect(await session.pendingChanges()).toBe(pending);
  });

  it("reports a full disk on a draft save as 'quota-exceeded' and keeps the previous draft", async () => {
    const { db, session } = await setUpTestVault();
    await session.saveDraft('household:new', { step: 1 });
    vi.spyOn(db.drafts, 'put').mockRejectedValueOnce(new Dexie.AbortError('Transaction aborted', quota()));
    await expect(session.saveDraft('household:new', { step: 2 })).rejects.toMatchObject({ code: 'quota-exceeded' });
    expect(await session.loadDraft('household:new')).toEqual({ step: 1 });
  });

  it("reports a lost connection as 'connection-lost' and reopens the database on retry", async () => {
    const { db, vault, session } = await setUpTestVault();
    vi.spyOn(db.keySlots, 'toArray').mockRejectedValueOnce(
      new DOMException('Connection to Indexed Database server lost. Refresh the page to try again', 'UnknownError'),
    );
    await expect(vault.listUsers()).rejects.toMatchObject({ code: 'connection-lost' });
    expect(db.isOpen()).toBe(false);

    expect(await vault.listUsers()).toEqual([session.user]); // 「再試行」
    expect(db.isOpen()).toBe(true);
    await session.put('household', newId(), createSampleRecord(), 'create');
  });

  it('keeps working after the browser forcibly closes the connection', async () => {
    const { db, session } = await setUpTestVault();
    const id = newId();
    await session.put('household', id, createSampleRecord(), 'create');
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // Dexie announces its reopen
    // fake-indexeddb types the parameter as the class, not an instance.
    forceCloseDatabase(db.backendDB() as unknown as Parameters<typeof forceCloseDatabase>[0]);
    expect((await session.get('household', id))?.data).toEqual(createSampleRecord());
  });
});
