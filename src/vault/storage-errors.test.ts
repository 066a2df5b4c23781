import Dexie from 'dexie';
import { forceCloseDatabase } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { VaultDatabase } from './db';
import { VaultError, toOpenError, toVaultError, vaultErrorMessage } from './errors';
import { PASSPHRASE, STAFF_NAME, createSampleRecord, createTestVault, dumpTables, newId, setUpTestVault } from './testing';

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

describe('toOpenError (the page\'s first open)', () => {
  const chromeFull = () => new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError');

  it("says a database that will not open may be a full disk, what to free, and to press 再試行 (Chrome's UnknownError)", () => {
    for (const thrown of [chromeFull(), new Dexie.OpenFailedError(chromeFull()), new Dexie.DatabaseClosedError(chromeFull())]) {
      const error = toOpenError(thrown);
      expect(error.code).toBe('open-failed');
      expect(error.message).toMatch(/保存データを開けませんでした/);
      expect(error.message).toMatch(/空き容量が足りない/);
      expect(error.message).toMatch(/不要なデータを削除.*「再試行」/);
      expect(error.message).not.toMatch(/裏に回って/);
    }
  });

  it("keeps Safari's lost connection a lost connection, and the same UnknownError later in the page too", () => {
    const safari = new DOMException('Connection to Indexed Database server lost. Refresh the page to try again', 'UnknownError');
    expect(toOpenError(safari).code).toBe('connection-lost');
    expect(toOpenError(new Dexie.OpenFailedError(safari)).code).toBe('connection-lost');
    expect(toVaultError(chromeFull()).code).toBe('connection-lost');
  });
});

describe('a database emptied under the open page (the site data cleared, the storage evicted)', () => {
  /** What the browser does when the site's data is cleared: the connection closed under the page, the database deleted. */
  async function clearSiteData(db: VaultDatabase): Promise<void> {
    vi.spyOn(console, 'warn').mockImplementation(() => {}); // Dexie announces its reopen
    // fake-indexeddb types the parameter as the class, not an instance.
    forceCloseDatabase(db.backendDB() as unknown as Parameters<typeof forceCloseDatabase>[0]);
    await Dexie.delete(db.name);
  }

  async function rowsIn(name: string): Promise<number> {
    const look = new VaultDatabase(name);
    const rows = Object.values(await dumpTables(look)).reduce((n, table) => n + table.length, 0);
    look.close();
    return rows;
  }

  it("refuses the unlocked session's next save as 'erased', writes nothing into the empty database, and never opens it again", async () => {
    const { db, vault } = createTestVault();
    const session = await vault.setUp(STAFF_NAME, PASSPHRASE);
    await session.put('household', newId(), createSampleRecord(), 'create');
    await clearSiteData(db);

    const error = await session.put('household', newId(), createSampleRecord(), 'create').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'erased', message: vaultErrorMessage('erased') });
    expect(vaultErrorMessage('erased')).toMatch(/^この端末のデータが消去されました（ブラウザーのサイトデータの削除など）。/);
    expect(vaultErrorMessage('erased')).toMatch(/再読み込み/);
    await expect(session.saveDraft('household:new', { step: 1 })).rejects.toMatchObject({ code: 'erased' });
    await expect(session.logAccess('lock', null)).rejects.toMatchObject({ code: 'erased' });
    await expect(vault.isSetUp()).rejects.toMatchObject({ code: 'erased' });
    expect(db.isOpen()).toBe(false);
    expect(await rowsIn(db.name)).toBe(0);
  });

  it('refuses as well on a phone opened already set up, when another tab set the emptied phone up anew meanwhile: nothing goes into its vault', async () => {
    const earlier = await setUpTestVault(); // the phone as set up on an earlier day
    earlier.db.close();
    const page = createTestVault(earlier.db.name);
    const session = await page.vault.unlock(earlier.session.user.id, PASSPHRASE);
    await clearSiteData(page.db);

    const other = createTestVault(page.db.name);
    const theirSession = await other.vault.setUp(STAFF_NAME, PASSPHRASE);
    await theirSession.put('household', newId(), createSampleRecord(), 'create');
    const theirs = await dumpTables(other.db);

    await expect(session.put('household', newId(), createSampleRecord(), 'create')).rejects.toMatchObject({ code: 'erased' });
    await expect(page.vault.listUsers()).rejects.toMatchObject({ code: 'erased' });
    expect(await dumpTables(other.db)).toEqual(theirs);
  });

  it('keeps a phone not yet set up working after a lost connection (nothing was there to lose)', async () => {
    const { db, vault } = createTestVault();
    expect(await vault.isSetUp()).toBe(false);
    await clearSiteData(db);
    expect(await vault.isSetUp()).toBe(false);
    const session = await vault.setUp(STAFF_NAME, PASSPHRASE);
    await session.put('household', newId(), createSampleRecord(), 'create');
  });
});
