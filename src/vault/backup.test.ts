import { describe, expect, it, vi } from 'vitest';
import { BACKUP_FORMAT, BACKUP_VERSION, deriveBackupKeys, inspectBackup } from './backup';
import { PBKDF2_ITERATIONS } from './crypto';
import { VaultError } from './errors';
import { OTHER_PASSPHRASE, PASSPHRASE, createSampleRecord, createTestVault, dumpTables, newId, setUpTestVault } from './testing';
import type { EntityKind, VaultErrorCode, VaultSession } from './types';
import { createHousehold, createPerson } from '../../test/factories/household';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createTrialStay } from '../../test/factories/trial-stay';
import type { CaseEntry, Office } from '../domain/emergency-case';
import type { Household } from '../domain/household';

const BACKUP_PASSPHRASE = 'バックアップ用-金庫の鍵-2026';
const CANARY = '鵺野宮燐太郎-backup-canary';

async function codeOf(promise: Promise<unknown>): Promise<VaultErrorCode> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof VaultError)) throw new Error(`expected a VaultError, got ${String(error)}`);
  expect(error.message).toMatch(/[ぁ-んァ-ン一-龥]/);
  return error.code;
}

/** A whole household (restore reads only what the app can read [R2]) with the personal data the scans look for. */
function household(id: string, name: string, overrides: Partial<Household> = {}): Household {
  return createHousehold({
    id,
    address: '東京都千代田区千代田1-1',
    persons: [createPerson({ id: `${id}-p1`, name, medications: 'デパケンR 200mg 朝夕' })],
    ...overrides,
  });
}

const NO_BONUS = { 'bonus-coordinator': 0, 'bonus-split': 0, 'bonus-count': 0, 'bonus-price': 0 };

function office(id: string, name: string): Office {
  return { id, name, officeNumber: '1210000001', hubPeriods: [], oneBody: { settlement: false, independentLiving: false }, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' };
}

/** A vault with every kind of record, demo records, access entries and an outbox. */
async function sourceVault() {
  const source = await setUpTestVault();
  const { session } = source;
  const households = [newId(), newId(), newId()];
  await session.put('household', households[0]!, household(households[0]!, CANARY), 'create');
  await session.put('household', households[1]!, household(households[1]!, '佐藤 陽太'), 'create');
  await session.put('household', households[1]!, household(households[1]!, '佐藤 陽太', { address: '転居先' }), 'update');
  await session.putMany('household', [{ id: households[2]!, data: household(households[2]!, '鈴木 一郎'), op: 'create' }]);
  const facilityId = newId();
  await session.put('facility', facilityId, createFacility({ id: facilityId, name: 'あおぞら短期入所' }), 'create');
  const officeId = newId();
  await session.put('office', officeId, office(officeId, '相談支援事業所みどり'), 'create');
  // The 機能強化加算 split table travels in the backup like the other admin-kept records.
  const split = { id: 'split-2026-04', validFrom: '2026-04', offices: [{ officeId, percent: 100 }], municipalities: [], note: '', createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' };
  await session.put('bonus-split', split.id, split, 'create');
  const [open, contact] = await appendEntries([], [openBody({ detail: '夜間に電話、短期入所を調整' }), contactBody({ note: '翌朝、家族に引き継ぎ' })], newId());
  source.clock.advance(60_000);
  await session.append('case-entry', open!.id, open);
  source.clock.advance(60_000);
  await session.append('case-entry', contact!.id, contact);
  // a 請求済み record (append-only, like the evidence) travels with the backup too
  await session.append('month-close', 'close-1', {
    id: 'close-1',
    officeId: 'office-1',
    month: '2026-11',
    recordedAt: '2026-12-08T01:00:00.000Z',
    recordedBy: { userId: 'u-1', name: '鈴木 主任' },
    deviceId: 'device-1',
    body: { type: 'cancel', cancels: 'close-0', reason: '別の月を誤って請求済みにした' },
  });
  const stayId = newId();
  await session.put('trial-stay', stayId, createTrialStay({ id: stayId, householdId: households[1]!, facilityId }), 'create');
  await session.putDemo('household', [{ id: 'demo-household-1', data: createSampleRecord({ name: 'デモ 花子' }) }]);
  await session.putDemo('facility', [{ id: 'demo-facility-1', data: { name: 'デモ施設' } }]);
  await session.logAccess('open-household', households[0]!);
  await session.logAccess('print-household', households[1]!);
  return { ...source, households };
}

/** A second device: its own database, its own user and unlock passphrase, set up for real. */
async function targetVault() {
  const target = createTestVault();
  const session = await target.vault.setUp('復元 担当', OTHER_PASSPHRASE);
  return { ...target, session };
}

async function snapshot(session: VaultSession) {
  const kinds: EntityKind[] = ['household', 'facility', 'office', 'case-entry', 'bonus-split', 'month-close', 'trial-stay'];
  const lists = await Promise.all(kinds.map((k) => session.list(k)));
  return lists
    .flat()
    .map(({ kind, id, data, demo, updatedAt }) => ({ kind, id, data, demo, updatedAt }))
    .sort((a, b) => `${a.kind}/${a.id}`.localeCompare(`${b.kind}/${b.id}`));
}

// One export shared by the tests that only read or damage it (each export costs two PBKDF2: the
// re-check of the unlock passphrase and the backup key). The access log and outbox as they were
// when the file was made: the 'export-backup' entry is written after it.
const shared = sourceVault().then(async (source) => {
  const [accessLog, outbox] = await Promise.all([source.session.accessLog(), source.session.outbox()]);
  const bytes = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
  return { source, bytes, accessLog, outbox };
});

describe('backup round trip', () => {
  it('restores every non-demo record, the access log and outbox entries into a new device', async () => {
    const { source, bytes, accessLog: sourceLog, outbox: sourceOutbox } = await shared;
    const target = await targetVault();
    const before = await target.session.outbox();

    const result = await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    const made = await inspectBackup(bytes);
    expect(result).toEqual({
      counts: { ...NO_BONUS, household: 3, facility: 1, office: 1, 'case-entry': 2, 'bonus-split': 1, 'month-close': 1, 'trial-stay': 1 },
      accessLog: 3,
      createdBy: source.session.user.displayName,
      createdAt: made.createdAt,
    });

    const expected = (await snapshot(source.session)).filter((r) => !r.demo);
    expect(await snapshot(target.session)).toEqual(expected);
    expect(expected.some((r) => r.id.startsWith('demo-'))).toBe(false);

    const targetLog = await target.session.accessLog();
    expect(targetLog.slice(0, 1).map((e) => e.action)).toEqual(['unlock']);
    expect(targetLog.slice(1, -1)).toEqual(sourceLog);
    expect(targetLog.at(-1)).toMatchObject({ action: 'restore-backup', householdId: null, userId: target.session.user.id });

    const outbox = await target.session.outbox();
    expect(outbox.map((e) => e.seq)).toEqual(outbox.map((_, i) => i + 1));
    const added = outbox.slice(before.length);
    const recordEntries = added.filter((e) => e.kind !== 'access');
    expect(recordEntries.map((e) => [e.kind, e.op])).toEqual([
      ['household', 'create'],
      ['household', 'create'],
      ['household', 'create'],
      ['facility', 'create'],
      ['office', 'create'],
      ['case-entry', 'append'],
      ['case-entry', 'append'],
      ['month-close', 'append'],
      ['trial-stay', 'create'],
      ['bonus-split', 'create'],
    ]);
    for (const e of recordEntries) {
      expect(e.userId).toBe(target.session.user.id);
      expect(e.deviceId).toBe(target.session.deviceId);
      expect(e.payload).toEqual(expected.find((r) => r.kind === e.kind && r.id === e.entityId)?.data);
    }
    // Case entries go in the order they were written.
    expect(recordEntries.slice(5, 7).map((e) => (e.payload as CaseEntry).body)).toMatchObject([
      { detail: '夜間に電話、短期入所を調整' },
      { note: '翌朝、家族に引き継ぎ' },
    ]);
    // The old device's unsent access entries are queued again, under their own mutation ids, in the
    // name of the person restoring (the old phone's user has no sign-in here: their changes held the
    // queue back for good), each still saying who opened what; then this device's 'restore-backup' entry.
    const sourceAccess = sourceOutbox.filter((e) => e.kind === 'access');
    const addedAccess = added.filter((e) => e.kind === 'access');
    expect(addedAccess.at(-1)).toMatchObject({ kind: 'access', op: 'append', entityId: targetLog.at(-1)!.id, payload: targetLog.at(-1) });
    expect(addedAccess.slice(0, -1).map(({ mutationId, entityId, payload, at, userId }) => ({ mutationId, entityId, payload, at, userId }))).toEqual(
      sourceAccess.map(({ mutationId, entityId, payload, at }) => ({ mutationId, entityId, payload, at, userId: target.session.user.id })),
    );
    expect(sourceAccess.length).toBeGreaterThan(0);
    expect(sourceAccess.every((e) => (e.payload as { userId: string }).userId !== target.session.user.id)).toBe(true);
    expect(await target.session.pendingChanges()).toBe(outbox.length);

    // The restored data is sealed with the new device's key: it survives a lock and an unlock.
    target.session.lock();
    const again = await target.vault.unlock(target.session.user.id, OTHER_PASSPHRASE);
    expect(await snapshot(again)).toEqual(expected);
    // A restored record is evidence like any other: append-only stays append-only.
    const entry = expected.find((r) => r.kind === 'case-entry')!;
    expect(await codeOf(again.append('case-entry', entry.id, { note: '上書き' }))).toBe('duplicate');
  });

  it('writes a clear header that inspectBackup reads without the passphrase', async () => {
    const { source, bytes } = await shared;
    const info = await inspectBackup(bytes);
    expect(info).toEqual({
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date(source.clock.now()).toISOString(),
      deviceId: source.session.deviceId,
      byteLength: bytes.byteLength,
    });
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0x0a)))) as Record<string, unknown>;
    expect(header).toMatchObject({
      format: 'kyoten-navi-backup',
      version: 1,
      kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS },
      cipher: { name: 'AES-GCM' },
    });
    expect(PBKDF2_ITERATIONS).toBe(600_000);
    expect(Object.keys(header).sort()).toEqual(['check', 'cipher', 'createdAt', 'deviceId', 'format', 'kdf', 'version']);
  });

  it('contains none of the plaintext, and two exports differ (fresh salt and IV)', async () => {
    const { source, bytes } = await shared;
    const haystack = Buffer.from(bytes);
    for (const needle of [CANARY, '燐太郎', '佐藤 陽太', 'デパケン', '東京都千代田区', '1234567890', '夜間に電話', 'あおぞら短期入所']) {
      expect(haystack.includes(Buffer.from(needle, 'utf8')), needle).toBe(false);
      expect(haystack.includes(Buffer.from(needle, 'utf16le')), needle).toBe(false);
    }
    // Control: the scan would see a name written in clear.
    expect(Buffer.from(`x${CANARY}x`).includes(Buffer.from(CANARY, 'utf8'))).toBe(true);
    const second = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    expect(Buffer.from(second).equals(haystack)).toBe(false);
  });

  it('leaves demo records out of the backup', async () => {
    const source = await setUpTestVault();
    await source.session.putDemo('household', [{ id: 'demo-only', data: createSampleRecord({ name: 'デモ 花子' }) }]);
    const bytes = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    const target = await targetVault();
    const result = await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    expect(result.counts).toEqual({ ...NO_BONUS, household: 0, facility: 0, office: 0, 'case-entry': 0, 'month-close': 0, 'trial-stay': 0 });
    expect(await target.session.list('household')).toEqual([]);
  });

  it('refuses a weak backup passphrase and writes nothing, before the current passphrase costs an attempt', async () => {
    const { source } = await shared;
    const before = await dumpTables(source.db);
    expect(await codeOf(source.session.exportBackup(PASSPHRASE, '短い'))).toBe('weak-passphrase');
    expect(await codeOf(source.session.exportBackup(OTHER_PASSPHRASE, '短い'))).toBe('weak-passphrase');
    expect(await dumpTables(source.db)).toEqual(before);
  });

  it('refuses the unlock passphrase as the backup passphrase (whoever restores the file would learn it), before it costs an attempt', async () => {
    const { vault, session, db } = await setUpTestVault();
    const before = await dumpTables(db);
    expect(await codeOf(session.exportBackup(PASSPHRASE, PASSPHRASE.normalize('NFD')))).toBe('backup-same-passphrase');
    expect(await dumpTables(db)).toEqual(before);
    expect(await vault.throttle(session.user.id)).toEqual({ failures: 0, retryAt: null });
  });

  it('rejects once locked', async () => {
    const source = await setUpTestVault();
    source.session.lock();
    expect(await codeOf(source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE))).toBe('locked');
    expect(await codeOf(source.session.restoreBackup(new Uint8Array(8), BACKUP_PASSPHRASE))).toBe('locked');
  });
});

describe('export re-checks the current user\'s unlock passphrase', () => {
  it('refuses a wrong one: no file, no access entry, one failure counted as for unlock', async () => {
    const { vault, session, db } = await setUpTestVault();
    const before = await dumpTables(db);
    const error = await session.exportBackup(OTHER_PASSPHRASE, BACKUP_PASSPHRASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toMatchObject({ code: 'wrong-passphrase', message: 'パスフレーズが違います。' });
    // The backup passphrase is not the unlock passphrase either.
    expect(await codeOf(session.exportBackup(BACKUP_PASSPHRASE, OTHER_PASSPHRASE))).toBe('wrong-passphrase');
    // Only the failure count was written.
    const after = await dumpTables(db);
    expect({ ...after, throttles: [] }).toEqual({ ...before, throttles: [] });
    expect(after['throttles']).toEqual([expect.objectContaining({ userId: session.user.id, failures: 2 })]);
    expect(await vault.throttle(session.user.id)).toEqual({ failures: 2, retryAt: null });
    expect((await session.accessLog()).map((e) => e.action)).toEqual(['unlock']);
    // The right one resets the count, as a successful unlock does.
    await session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    expect(await vault.throttle(session.user.id)).toEqual({ failures: 0, retryAt: null });
  });

  it('shares the unlock throttle: while it runs, even the right passphrase is refused without deriving', async () => {
    const { vault, session, clock } = await setUpTestVault();
    const userId = session.user.id;
    for (let i = 0; i < 2; i += 1) expect(await codeOf(session.exportBackup(OTHER_PASSPHRASE, BACKUP_PASSPHRASE))).toBe('wrong-passphrase');
    const third = await session.exportBackup(OTHER_PASSPHRASE, BACKUP_PASSPHRASE).catch((e: unknown) => e);
    const retryAt = new Date(clock.now() + 5_000).toISOString();
    expect(third).toMatchObject({ code: 'wrong-passphrase', retryAt });

    const derive = vi.spyOn(globalThis.crypto.subtle, 'deriveBits');
    const deriveKey = vi.spyOn(globalThis.crypto.subtle, 'deriveKey');
    try {
      clock.advance(4_999);
      const throttled = await session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE).catch((e: unknown) => e);
      expect(throttled).toMatchObject({ code: 'throttled', retryAt });
      expect(derive).not.toHaveBeenCalled();
      expect(deriveKey).not.toHaveBeenCalled();
    } finally {
      derive.mockRestore();
      deriveKey.mockRestore();
    }
    // The same count stops an unlock, and the wait is the unlock's.
    session.lock();
    expect(await codeOf(vault.unlock(userId, PASSPHRASE))).toBe('throttled');
    clock.advance(1);
    const again = await vault.unlock(userId, PASSPHRASE);
    // The three wrong re-entries are in the 閲覧記録, written by the unlock that followed.
    expect((await again.accessLog()).map((e) => e.action)).toEqual(['unlock', 'unlock', 'unlock-failed', 'unlock-failed', 'unlock-failed']);
  });
});

describe('backup access entries', () => {
  it("writes an 'export-backup' entry after a successful export, in the access log and the outbox", async () => {
    const { session } = await setUpTestVault();
    const outboxBefore = await session.outbox();
    const file = await session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    const log = await session.accessLog();
    expect(log.map((e) => e.action)).toEqual(['unlock', 'export-backup']);
    const entry = log.at(-1)!;
    expect(entry).toMatchObject({ action: 'export-backup', householdId: null, userId: session.user.id, userName: session.user.displayName });
    // which file left: a backup found later is matched to the entry by the start of its hash
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(file)));
    expect(entry.reason).toBe(`SHA-256 ${[...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('')}`);
    const outbox = await session.outbox();
    expect(outbox).toHaveLength(outboxBefore.length + 1);
    expect(outbox.at(-1)).toMatchObject({ kind: 'access', op: 'append', entityId: entry.id, userId: session.user.id, payload: entry });
    expect(outbox.at(-1)!.seq).toBe(outboxBefore.length + 1);
  });

  it("writes a 'restore-backup' entry after a successful restore, and none after a refused one", async () => {
    const { bytes } = await shared;
    const target = await targetVault();
    expect(await codeOf(target.session.restoreBackup(bytes, OTHER_PASSPHRASE))).toBe('backup-passphrase');
    expect((await target.session.accessLog()).map((e) => e.action)).toEqual(['unlock']);

    await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    const log = await target.session.accessLog();
    expect(log.filter((e) => e.action === 'restore-backup')).toHaveLength(1);
    const entry = log.at(-1)!;
    expect(entry).toMatchObject({ action: 'restore-backup', householdId: null, userId: target.session.user.id, userName: '復元 担当' });
    const outbox = await target.session.outbox();
    expect(outbox.at(-1)).toMatchObject({ kind: 'access', op: 'append', entityId: entry.id, userId: target.session.user.id, payload: entry });
    expect(outbox.map((e) => e.seq)).toEqual(outbox.map((_, i) => i + 1));

    // A second restore is refused as not empty and logs nothing more.
    expect(await codeOf(target.session.restoreBackup(bytes, BACKUP_PASSPHRASE))).toBe('restore-not-empty');
    expect((await target.session.accessLog()).filter((e) => e.action === 'restore-backup')).toHaveLength(1);
  });

  it("writes the 'restore-backup' entry in the restore's transaction: when it cannot be written, nothing is restored", async () => {
    const { bytes } = await shared;
    const target = await targetVault();
    const before = await dumpTables(target.db);
    const add = target.db.accessLog.add.bind(target.db.accessLog);
    let restored = 0;
    // the restore's own entry is the last access row written; the restored ones go by bulkAdd
    const spy = vi.spyOn(target.db.accessLog, 'add').mockImplementation(((row: Parameters<typeof add>[0], key?: number) => {
      restored += 1;
      return restored === 1 ? Promise.reject(new Error('QuotaExceededError')) : add(row, key);
    }) as typeof add);
    await expect(target.session.restoreBackup(bytes, BACKUP_PASSPHRASE)).rejects.toThrow();
    spy.mockRestore();
    expect(await dumpTables(target.db)).toEqual(before);
    // and with storage back, the same file restores, its entry with it
    await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    expect((await target.session.accessLog()).filter((e) => e.action === 'restore-backup')).toHaveLength(1);
  });
});

/**
 * The file with its payload edited and sealed again under the same passphrase, as another version
 * of the app would have written it.
 */
async function asWrittenBy(bytes: Uint8Array, edit: (payload: Record<string, unknown>) => void): Promise<Uint8Array> {
  const headerEnd = bytes.indexOf(0x0a);
  const headerBytes = bytes.slice(0, headerEnd);
  const header = JSON.parse(new TextDecoder().decode(headerBytes)) as { kdf: { salt: string; iterations: number }; cipher: { iv: string } };
  const b64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const { key } = await deriveBackupKeys(BACKUP_PASSPHRASE, b64(header.kdf.salt), header.kdf.iterations);
  const iv = b64(header.cipher.iv);
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: headerBytes }, key, bytes.slice(headerEnd + 1, bytes.length - 32));
  const payload = JSON.parse(new TextDecoder().decode(plain)) as Record<string, unknown>;
  edit(payload);
  const body = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: headerBytes }, key, new TextEncoder().encode(JSON.stringify(payload))));
  const file = new Uint8Array(headerEnd + 1 + body.length + 32);
  file.set(headerBytes);
  file[headerEnd] = 0x0a;
  file.set(body, headerEnd + 1);
  file.set(new Uint8Array(await crypto.subtle.digest('SHA-256', file.slice(0, file.length - 32))), file.length - 32);
  return file;
}

describe('backups of other versions of the app', () => {
  it('restores a file made before 請求済み, 体験利用 and the 機能強化加算 kinds existed (their counts absent)', async () => {
    const source = await setUpTestVault();
    const id = newId();
    await source.session.put('household', id, household(id, '佐藤 陽太'), 'create');
    const bytes = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    // as the first backups (2026-11) counted: four kinds, and no sync list
    const old = await asWrittenBy(bytes, (p) => {
      const counts = p['counts'] as Record<string, number>;
      p['counts'] = { household: counts['household'], facility: counts['facility'], office: counts['office'], 'case-entry': counts['case-entry'], accessLog: counts['accessLog'], outbox: counts['outbox'] };
      delete p['sync'];
    });
    const target = await targetVault();
    const result = await target.session.restoreBackup(old, BACKUP_PASSPHRASE);
    expect(result.counts.household).toBe(1);
    expect((await target.session.get('household', id))?.data).toMatchObject({ persons: [expect.objectContaining({ name: '佐藤 陽太' })] });
  });

  it('asks for the app to be updated, not calls the file damaged, when a later app wrote a kind this one does not know', async () => {
    const { bytes } = await shared;
    const newer = await asWrittenBy(bytes, (p) => {
      (p['records'] as unknown[]).push({ kind: 'respite-plan', id: newId(), updatedAt: p['createdAt'], data: {} });
      (p['counts'] as Record<string, number>)['respite-plan'] = 1;
    });
    const target = await targetVault();
    const before = await dumpTables(target.db);
    expect(await codeOf(target.session.restoreBackup(newer, BACKUP_PASSPHRASE))).toBe('backup-version');
    expect(await dumpTables(target.db)).toEqual(before);
  });
});

describe('restore refuses, and writes nothing', () => {
  async function expectRefused(bytes: Uint8Array, passphrase: string, code: VaultErrorCode) {
    const target = await targetVault();
    const before = await dumpTables(target.db);
    expect(await codeOf(target.session.restoreBackup(bytes, passphrase))).toBe(code);
    expect(await dumpTables(target.db)).toEqual(before);
  }

  it('with a wrong passphrase', async () => {
    const { bytes } = await shared;
    await expectRefused(bytes, OTHER_PASSPHRASE, 'backup-passphrase');
    await expectRefused(bytes, '短い', 'backup-passphrase');
    // The unlock passphrase of the source device is not the backup passphrase.
    await expectRefused(bytes, 'あおぞら拠点-当番用', 'backup-passphrase');
  });

  it('with a byte flipped in the header, the ciphertext or the trailer', async () => {
    const { bytes } = await shared;
    const headerEnd = bytes.indexOf(0x0a);
    const flip = (at: number) => {
      const copy = bytes.slice();
      copy[at]! ^= 0x01;
      return copy;
    };
    const saltAt = new TextDecoder().decode(bytes.subarray(0, headerEnd)).indexOf('"salt":"') + 9;
    for (const at of [0, 20, saltAt, headerEnd - 2, headerEnd, headerEnd + 1, headerEnd + 100, bytes.length - 40, bytes.length - 1]) {
      const code = await codeOf(inspectBackup(flip(at)));
      expect(['backup-damaged', 'backup-invalid'], `inspect, byte ${at}`).toContain(code);
    }
    await expectRefused(flip(saltAt), BACKUP_PASSPHRASE, 'backup-damaged');
    await expectRefused(flip(headerEnd + 100), BACKUP_PASSPHRASE, 'backup-damaged');
    await expectRefused(flip(bytes.length - 1), BACKUP_PASSPHRASE, 'backup-damaged');
  });

  it('with an altered header or body whose checksum was recomputed (tampering, caught by AES-GCM)', async () => {
    const { bytes } = await shared;
    const headerEnd = bytes.indexOf(0x0a);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(0, headerEnd))) as { deviceId: string };
    const reseal = async (headerText: string, body: Uint8Array) => {
      const h = new TextEncoder().encode(headerText);
      const file = new Uint8Array(h.length + 1 + body.length + 32);
      file.set(h);
      file[h.length] = 0x0a;
      file.set(body, h.length + 1);
      file.set(new Uint8Array(await crypto.subtle.digest('SHA-256', file.slice(0, file.length - 32))), file.length - 32);
      return file;
    };
    const body = bytes.slice(headerEnd + 1, bytes.length - 32);
    const otherDevice = JSON.stringify({ ...header, deviceId: newId() });
    expect((await inspectBackup(await reseal(otherDevice, body))).deviceId).not.toBe(header.deviceId);
    await expectRefused(await reseal(otherDevice, body), BACKUP_PASSPHRASE, 'backup-damaged');
    const tamperedBody = body.slice();
    tamperedBody[10]! ^= 0x80;
    await expectRefused(await reseal(JSON.stringify(header), tamperedBody), BACKUP_PASSPHRASE, 'backup-damaged');
  });

  it('when truncated, empty, random or another kind of file', async () => {
    const { bytes } = await shared;
    const headerEnd = bytes.indexOf(0x0a);
    const random = crypto.getRandomValues(new Uint8Array(4096));
    const cases: [string, Uint8Array, VaultErrorCode][] = [
      ['truncated by one byte', bytes.slice(0, -1), 'backup-damaged'],
      ['truncated to half', bytes.slice(0, Math.floor(bytes.length / 2)), 'backup-damaged'],
      ['only the header', bytes.slice(0, headerEnd + 1), 'backup-damaged'],
      ['cut inside the header', bytes.slice(0, 60), 'backup-damaged'],
      ['one extra byte', new Uint8Array([...bytes, 0]), 'backup-damaged'],
      ['empty', new Uint8Array(0), 'backup-invalid'],
      ['random bytes', random, 'backup-invalid'],
      ['a CSV', new TextEncoder().encode('事業所番号,名称\n1234567890,あおぞら\n'), 'backup-invalid'],
      ['other JSON', new TextEncoder().encode('{"format":"something-else","version":1}\n0123456789abcdef0123456789abcdef0123456789abcdef'), 'backup-invalid'],
    ];
    for (const [label, file, code] of cases) {
      expect(await codeOf(inspectBackup(file)), label).toBe(code);
    }
    for (const [, file, code] of cases.slice(0, 2).concat(cases.slice(5, 7))) await expectRefused(file, BACKUP_PASSPHRASE, code);
  });

  it('from a later version of the app', async () => {
    const { bytes } = await shared;
    const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0x0a)));
    const later = new TextEncoder().encode(`${text.replace('"version":1', '"version":2')}\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`);
    expect(await codeOf(inspectBackup(later))).toBe('backup-version');
    await expectRefused(later, BACKUP_PASSPHRASE, 'backup-version');
  });

  it('[R2] holding a record the app cannot read: nothing is restored, and the message names the record and the field', async () => {
    const source = await setUpTestVault();
    const good = newId();
    const bad = newId();
    await source.session.put('household', good, household(good, '佐藤 陽太'), 'create');
    // Written by an older app that did not check (the vault stores what it is given).
    await source.session.put('household', bad, { ...household(bad, CANARY), persons: 'not-a-list' }, 'create');
    // This app makes no such file (below); an older one did, before the export checked.
    const records = await import('../protocol/records');
    const check = vi.spyOn(records, 'checkRecord').mockReturnValue(null);
    const bytes = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);
    check.mockRestore();
    const target = await targetVault();
    const before = await dumpTables(target.db);

    const error = await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'backup-record', message: expect.stringContaining(`世帯 ID ${bad} の項目 persons`) });
    expect((error as Error).message).not.toContain(CANARY);
    expect(await dumpTables(target.db)).toEqual(before);

    // this app says so while the phone still works: no file, the record named, nothing logged
    const logged = (await source.session.accessLog()).length;
    const refused = await source.session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'backup-export-record', message: expect.stringContaining(`世帯 ID ${bad} の項目 persons`) });
    expect((refused as Error).message).toMatch(/^この端末に、このアプリで読み込めない形の記録があるため、バックアップを作成していません/);
    expect(await source.session.accessLog()).toHaveLength(logged);
  });

  it('into a device that already holds records, even with the right passphrase', async () => {
    const { bytes } = await shared;
    const target = await targetVault();
    await target.session.put('household', newId(), createSampleRecord({ name: '既存 世帯' }), 'create');
    const before = await dumpTables(target.db);
    const error = await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'restore-not-empty', message: 'この端末にはすでに記録があります。復元は新しい端末で行ってください。' });
    expect(await dumpTables(target.db)).toEqual(before);
    // A second restore into the device it was just restored to is refused the same way.
    const fresh = await targetVault();
    await fresh.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    const restored = await dumpTables(fresh.db);
    expect(await codeOf(fresh.session.restoreBackup(bytes, BACKUP_PASSPHRASE))).toBe('restore-not-empty');
    expect(await dumpTables(fresh.db)).toEqual(restored);
  });

  it('but demo records do not count as records', async () => {
    const { bytes } = await shared;
    const target = await targetVault();
    await target.session.putDemo('household', [{ id: 'demo-household-1', data: createSampleRecord({ name: 'デモ 花子' }) }]);
    const result = await target.session.restoreBackup(bytes, BACKUP_PASSPHRASE);
    expect(result.counts.household).toBe(3);
    const households = await target.session.list('household');
    expect(households.filter((h) => h.demo).map((h) => h.id)).toEqual(['demo-household-1']);
    expect(households.filter((h) => !h.demo)).toHaveLength(3);
  });
});

describe('backup and sync', () => {
  it('carries each record’s hub version (not the hub link): restored edits go back as updates on that base', async () => {
    const source = await setUpTestVault();
    const { session } = source;
    const pulled = newId();
    await session.sync.applyRemote([
      { kind: 'household', entityId: pulled, version: 17, officeId: 'office-a', withdrawn: false, payloadJson: JSON.stringify(createHousehold({ id: pulled })) },
    ]);
    await session.put('household', pulled, createHousehold({ id: pulled, address: '転居先' }), 'update');
    const local = newId();
    await session.put('household', local, household(local, '未同期'), 'create');
    await session.sync.saveHubLink({
      hub: 'aozora', loginName: 'yakan', userId: 'u-1', displayName: '夜間 太郎', role: 'coordinator',
      deviceSecret: CANARY, cursor: 17, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false,
    });
    const file = await session.exportBackup(PASSPHRASE, BACKUP_PASSPHRASE);

    const target = await targetVault();
    await target.session.restoreBackup(file, BACKUP_PASSPHRASE);

    const queued = (await target.session.outbox()).filter((e) => e.kind === 'household');
    expect(queued.map((e) => [e.entityId, e.op, e.baseVersion])).toEqual(
      expect.arrayContaining([
        [pulled, 'update', 17],
        [local, 'create', null],
      ]),
    );
    expect(await target.db.records.get(['household', pulled])).toMatchObject({ kind: 'household', id: pulled, version: 17, officeId: 'office-a' });
    // The device secret is a credential of the old device: the new one signs in and enrols itself.
    expect(await target.session.sync.hubLink()).toBeUndefined();
    expect(JSON.stringify(await dumpTables(target.db))).not.toContain(CANARY);
  });
});
