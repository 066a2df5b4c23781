/**
 * A full backup of the device's data as one encrypted file, and its restore on a new device.
 * Works offline: the file is made and read on the device (WebCrypto only); nothing is sent anywhere.
 *
 * File layout (all in one Uint8Array, usually saved as `*.kyoten`):
 *
 *   header   UTF-8 JSON, one line, in clear: format name, version, createdAt, deviceId, KDF and
 *            cipher parameters (salt, IV) and a passphrase check value. No personal data.
 *   0x0A     newline (JSON.stringify never writes a raw newline)
 *   body     AES-GCM-256 ciphertext (tag included) of the payload JSON, with the header bytes as
 *            additional data: a changed header fails authentication just like a changed body.
 *   trailer  32 bytes, SHA-256 of everything before it. Unkeyed: it only tells an accidentally
 *            damaged or truncated file apart from a wrong passphrase (AES-GCM alone cannot), and
 *            lets inspectBackup() say so before any passphrase is typed. Tampering is caught by GCM.
 *
 * Key: PBKDF2-HMAC-SHA256(passphrase NFC, 16-byte salt, 600,000 iterations) → 256 bits, expanded with
 * HKDF-SHA256 into the AES-GCM key and, separately, a 128-bit check value stored in the header, so a
 * wrong passphrase is recognised as such (an attacker gains nothing: testing a guess against the check
 * costs the same PBKDF2 as testing it against the ciphertext).
 */
import { FUNCTION_BONUS_KIND_LABELS, FUNCTION_BONUS_KINDS } from '../protocol/constants';
import { IV_BYTES, PBKDF2_ITERATIONS, SALT_BYTES, bindingOf, randomBytes, seal } from './crypto';
import type { AccessLogRow, RecordRow, SyncMetaRow } from './db';
import { formatJapanDateTimeOrText } from '../domain/japan-time';
import { VaultError } from './errors';
import {
  appendOutbox,
  isoAt,
  prepareAccess,
  prepareOutbox,
  readAccessLog,
  readOutbox,
  writeAccess,
  type PendingOutboxRow,
  type SessionContext,
} from './journal';
import { assertStrongPassphrase, MIN_PASSPHRASE_LENGTH } from './key-slots';
import { assertOpaqueId, listRecords } from './records';
import {
  APPEND_ONLY_KINDS,
  type AccessLogEntry,
  type BackupInfo,
  type EntityKind,
  type OutboxEntry,
  type RestoreResult,
} from './types';

export const BACKUP_FORMAT = 'kyoten-navi-backup';
export const BACKUP_VERSION = 1;
/** Suggested file extension (the UI's download name and file picker use it). */
export const BACKUP_EXTENSION = '.kyoten';

/** Every kind, in the order a restore writes them (households before the case entries that cite them). */
export const BACKUP_KINDS = ['household', 'facility', 'office', 'case-entry', 'month-close', 'trial-stay', ...FUNCTION_BONUS_KINDS] as const satisfies readonly EntityKind[];
// Compile-time check that no EntityKind is left out of backups: adding a kind breaks this line.
const allKindsListed: Exclude<EntityKind, (typeof BACKUP_KINDS)[number]> extends never ? true : never = true;
void allKindsListed;

/** Above this a header is not ours (it is ~350 bytes); bounds the search for the newline. */
const MAX_HEADER_BYTES = 4096;
const CHECK_BYTES = 16;
const DIGEST_BYTES = 32;
const TAG_BYTES = 16;
/** A file asking for more would freeze the phone for minutes before failing; ours use 600,000. */
const MAX_ITERATIONS = 10_000_000;
const HKDF_INFO_KEY = 'kyoten-navi-backup v1 aes-gcm key';
const HKDF_INFO_CHECK = 'kyoten-navi-backup v1 passphrase check';
const NEWLINE = 0x0a;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly createdAt: string;
  readonly deviceId: string;
  readonly kdf: { readonly name: 'PBKDF2'; readonly hash: 'SHA-256'; readonly iterations: number; readonly salt: string };
  readonly cipher: { readonly name: 'AES-GCM'; readonly iv: string };
  /** base64 of the 128-bit passphrase check value (see the file comment) */
  readonly check: string;
}

interface BackupRecord {
  readonly kind: EntityKind;
  readonly id: string;
  readonly updatedAt: string;
  readonly data: unknown;
}

type KindCounts = Record<EntityKind, number>;

interface BackupPayload {
  readonly format: typeof BACKUP_FORMAT;
  readonly version: typeof BACKUP_VERSION;
  readonly createdAt: string;
  readonly deviceId: string;
  /** who made the backup (inside the ciphertext: staff names stay out of the clear header) */
  readonly createdBy: { readonly id: string; readonly displayName: string };
  readonly counts: KindCounts & { readonly accessLog: number; readonly outbox: number };
  readonly records: readonly BackupRecord[];
  readonly accessLog: readonly AccessLogEntry[];
  /** the outbox as it was: changes and access entries not yet sent to the hub */
  readonly outbox: readonly OutboxEntry[];
  /**
   * The hub's version and office of each record that came from or went to a hub (absent in
   * backups made before sync). The hub link itself (its device secret) is never in a backup: a
   * restored device signs in and enrols again, and its re-queued edits carry these versions as
   * their base, so the hub merges them instead of taking them as new records.
   */
  readonly sync?: readonly SyncMetaRow[];
}

// ---------------------------------------------------------------------------------------------
// bytes and keys

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

/** Strict: anything but canonical base64 of exactly `length` bytes is damage. */
function fromBase64(text: unknown, length: number): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw damaged('header: base64 field missing');
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw damaged('header: invalid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  if (bytes.length !== length || toBase64(bytes) !== text) throw damaged('header: base64 field of the wrong length');
  return bytes;
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * PBKDF2 once, then HKDF into a non-extractable AES-GCM key and the check value. Exported for the
 * tests that write files as an earlier or later app did.
 */
export async function deriveBackupKeys(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<{ key: CryptoKey; check: Uint8Array<ArrayBuffer> }> {
  const base = await subtle().importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const master = new Uint8Array(
    await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256),
  );
  const hkdf = await subtle().importKey('raw', master, 'HKDF', false, ['deriveKey', 'deriveBits']);
  master.fill(0);
  const params = (info: string): HkdfParams => ({ name: 'HKDF', hash: 'SHA-256', salt, info: encoder.encode(info) });
  const [key, check] = await Promise.all([
    subtle().deriveKey(params(HKDF_INFO_KEY), hkdf, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']),
    subtle().deriveBits(params(HKDF_INFO_CHECK), hkdf, CHECK_BYTES * 8),
  ]);
  return { key, check: new Uint8Array(check) };
}

function damaged(detail: string, cause?: unknown): VaultError {
  return new VaultError('backup-damaged', { detail, ...(cause === undefined ? {} : { cause }) });
}

// ---------------------------------------------------------------------------------------------
// reading the clear parts

interface ParsedFile {
  readonly header: BackupHeader;
  readonly headerBytes: Uint8Array<ArrayBuffer>;
  readonly body: Uint8Array<ArrayBuffer>;
}

/**
 * Whether a file's first byte can start a backup (its JSON header): a file picked by mistake (a
 * video, a photo) is refused on it before the whole of it is read into memory.
 */
export function startsLikeBackup(firstBytes: Uint8Array): boolean {
  return firstBytes[0] === 0x7b; /* { */
}

/**
 * Checks the header and the trailer; no passphrase needed. Not ours → 'backup-invalid'; a later
 * format version → 'backup-version'; ours but cut short or altered → 'backup-damaged'.
 */
async function parseFile(input: Uint8Array): Promise<ParsedFile> {
  // A copy in this realm, with its own ArrayBuffer (the input may be a view into a larger buffer).
  const bytes = new Uint8Array(input.byteLength);
  bytes.set(input);
  const scan = bytes.subarray(0, Math.min(bytes.length, MAX_HEADER_BYTES + 1));
  const end = scan.indexOf(NEWLINE);
  if (!startsLikeBackup(bytes) || end < 0) {
    // Ours starts with '{"format":"kyoten-navi-backup"'; a cut inside the header is still damage.
    const prefix = encoder.encode(`{"format":"${BACKUP_FORMAT}"`);
    const ours = bytes.length >= prefix.length && equalBytes(bytes.subarray(0, prefix.length), prefix);
    throw ours ? damaged('header has no end') : new VaultError('backup-invalid', { detail: 'no backup header' });
  }
  const headerBytes = bytes.slice(0, end);
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(headerBytes));
  } catch (e) {
    const ours = new TextDecoder().decode(headerBytes.subarray(0, 40)).includes(BACKUP_FORMAT);
    throw ours ? damaged('header is not JSON', e) : new VaultError('backup-invalid', { detail: 'header is not JSON', cause: e });
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== BACKUP_FORMAT) {
    throw new VaultError('backup-invalid', { detail: 'not a kyoten-navi backup' });
  }
  const version = (raw as { version?: unknown }).version;
  if (version !== BACKUP_VERSION) {
    if (typeof version === 'number' && Number.isInteger(version) && version > BACKUP_VERSION) {
      throw new VaultError('backup-version', { detail: `version ${version}` });
    }
    throw damaged(`header: version ${String(version)}`);
  }
  const header = validateHeader(raw as Record<string, unknown>);

  const rest = bytes.length - end - 1;
  if (rest < TAG_BYTES + DIGEST_BYTES) throw damaged('file is truncated');
  const digestAt = bytes.length - DIGEST_BYTES;
  if (!equalBytes(await sha256(bytes.slice(0, digestAt)), bytes.subarray(digestAt))) {
    throw damaged('SHA-256 trailer does not match: truncated or altered');
  }
  return { header, headerBytes, body: bytes.slice(end + 1, digestAt) };
}

function validateHeader(raw: Record<string, unknown>): BackupHeader {
  const kdf = raw['kdf'] as Record<string, unknown> | null | undefined;
  const cipher = raw['cipher'] as Record<string, unknown> | null | undefined;
  const createdAt = raw['createdAt'];
  const deviceId = raw['deviceId'];
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw damaged('header: createdAt');
  if (typeof deviceId !== 'string' || deviceId.length === 0 || deviceId.length > 128) throw damaged('header: deviceId');
  if (typeof kdf !== 'object' || kdf === null || kdf['name'] !== 'PBKDF2' || kdf['hash'] !== 'SHA-256') {
    throw damaged('header: kdf');
  }
  const iterations = kdf['iterations'];
  if (typeof iterations !== 'number' || !Number.isInteger(iterations)) throw damaged('header: iterations');
  if (iterations < PBKDF2_ITERATIONS || iterations > MAX_ITERATIONS) throw damaged(`header: iterations ${iterations}`);
  if (typeof cipher !== 'object' || cipher === null || cipher['name'] !== 'AES-GCM') throw damaged('header: cipher');
  fromBase64(kdf['salt'], SALT_BYTES);
  fromBase64(cipher['iv'], IV_BYTES);
  fromBase64(raw['check'], CHECK_BYTES);
  return raw as unknown as BackupHeader;
}

/**
 * What a file is, read from its clear header, without a passphrase: when and on which device it
 * was made. Rejects with VaultError 'backup-invalid' (not a backup), 'backup-version' (made by a
 * later version of the app) or 'backup-damaged' (truncated or altered).
 */
export async function inspectBackup(bytes: Uint8Array): Promise<BackupInfo> {
  const { header } = await parseFile(bytes);
  return {
    format: header.format,
    version: header.version,
    createdAt: header.createdAt,
    deviceId: header.deviceId,
    byteLength: bytes.byteLength,
  };
}

// ---------------------------------------------------------------------------------------------
// export

function zeroCounts(): KindCounts {
  return { household: 0, facility: 0, office: 0, 'case-entry': 0, 'month-close': 0, 'trial-stay': 0, ...Object.fromEntries(FUNCTION_BONUS_KINDS.map((k) => [k, 0])) } as KindCounts;
}

/**
 * Every non-demo record of every kind, the access log and the outbox, decrypted with the session's
 * key and encrypted again under a key derived from `backupPassphrase` (which must pass the same
 * strength rule as an unlock passphrase, 'weak-passphrase' otherwise). Writes nothing.
 */
/** The hub's version and office of every record that has them (clear columns of the rows, version 8). */
async function syncColumns(ctx: SessionContext): Promise<SyncMetaRow[]> {
  const out: SyncMetaRow[] = [];
  await ctx.db.records.each((row) => {
    if (row.version !== undefined) out.push({ kind: row.kind, id: row.id, version: row.version, officeId: row.officeId ?? null });
  });
  return out;
}

export async function exportBackup(ctx: SessionContext, backupPassphrase: string): Promise<Uint8Array<ArrayBuffer>> {
  assertStrongPassphrase(backupPassphrase);
  const [lists, accessLog, outbox, syncMeta] = await Promise.all([
    Promise.all(BACKUP_KINDS.map((kind) => listRecords<unknown>(ctx, kind))),
    readAccessLog(ctx),
    readOutbox(ctx),
    syncColumns(ctx),
  ]);
  const counts = zeroCounts();
  const records: BackupRecord[] = [];
  const seenRecords = new Set<string>();
  for (const entity of lists.flat()) {
    if (entity.demo) continue;
    seenRecords.add(`${entity.kind}/${entity.id}`);
    counts[entity.kind] += 1;
    records.push({ kind: entity.kind, id: entity.id, updatedAt: entity.updatedAt, data: entity.data });
  }
  // [R2] checked here too: a file the restore would refuse whole must be known while this phone
  // still works, not on the new one after it is gone
  await assertReadable(records, 'backup-export-record');
  const createdAt = isoAt(ctx.now);
  const payload: BackupPayload = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt,
    deviceId: ctx.deviceId,
    createdBy: { id: ctx.user.id, displayName: ctx.user.displayName },
    counts: { ...counts, accessLog: accessLog.length, outbox: outbox.length },
    records,
    accessLog,
    outbox,
    sync: syncMeta.filter((m) => seenRecords.has(`${m.kind}/${m.id}`)),
  };

  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const { key, check } = await deriveBackupKeys(backupPassphrase, salt, PBKDF2_ITERATIONS);
  const header: BackupHeader = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt,
    deviceId: ctx.deviceId,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(iv) },
    check: toBase64(check),
  };
  const headerBytes = encoder.encode(JSON.stringify(header));
  const body = new Uint8Array(
    await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: headerBytes }, key, encoder.encode(JSON.stringify(payload))),
  );
  const file = new Uint8Array(headerBytes.length + 1 + body.length + DIGEST_BYTES);
  file.set(headerBytes, 0);
  file[headerBytes.length] = NEWLINE;
  file.set(body, headerBytes.length + 1);
  const digestAt = file.length - DIGEST_BYTES;
  file.set(await sha256(file.slice(0, digestAt)), digestAt);
  return file;
}

// ---------------------------------------------------------------------------------------------
// restore

/** Decrypts and checks the whole file; writes nothing. */
async function openBackup(bytes: Uint8Array, backupPassphrase: string): Promise<BackupPayload> {
  const { header, headerBytes, body } = await parseFile(bytes);
  // Shorter than any backup passphrase can be: wrong, without spending a derivation on it.
  if ([...backupPassphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) throw new VaultError('backup-passphrase');
  const salt = fromBase64(header.kdf.salt, SALT_BYTES);
  const { key, check } = await deriveBackupKeys(backupPassphrase, salt, header.kdf.iterations);
  if (!equalBytes(check, fromBase64(header.check, CHECK_BYTES))) throw new VaultError('backup-passphrase');
  let plain: ArrayBuffer;
  try {
    const iv = fromBase64(header.cipher.iv, IV_BYTES);
    plain = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: headerBytes }, key, body);
  } catch (e) {
    throw damaged('AES-GCM authentication failed', e);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(decoder.decode(plain));
  } catch (e) {
    throw damaged('payload is not JSON', e);
  }
  return validatePayload(raw, header);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInstant = (v: unknown): v is string => isString(v) && !Number.isNaN(Date.parse(v));
const isOpaqueId = (v: unknown): v is string => {
  if (!isString(v)) return false;
  try {
    assertOpaqueId(v);
    return true;
  } catch {
    return false;
  }
};
const isKind = (v: unknown): v is EntityKind => (BACKUP_KINDS as readonly unknown[]).includes(v);
/**
 * A kind name this app does not know, written by a later one (the file's version stays 1 while
 * kinds are added): the file asks for an update, it is not damaged.
 */
const isLaterKind = (v: unknown): boolean => isString(v) && !isKind(v) && v !== 'access' && /^[a-z][a-z-]{0,39}$/.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The ciphertext authenticated, so this is the file as our export wrote it; still, nothing is
 * written that the vault itself would refuse (an id that is not opaque, a kind it does not know).
 */
function validatePayload(raw: unknown, header: BackupHeader): BackupPayload {
  if (!isObject(raw) || raw['format'] !== BACKUP_FORMAT || raw['version'] !== BACKUP_VERSION) {
    throw damaged('payload: format');
  }
  if (raw['createdAt'] !== header.createdAt || raw['deviceId'] !== header.deviceId) {
    throw damaged('payload does not match its header');
  }
  const { records, accessLog, outbox, counts } = raw;
  if (!Array.isArray(records) || !Array.isArray(accessLog) || !Array.isArray(outbox) || !isObject(counts)) {
    throw damaged('payload: missing lists');
  }
  const seen = new Set<string>();
  const actual = zeroCounts();
  for (const r of records as unknown[]) {
    if (isObject(r) && isLaterKind(r['kind'])) {
      throw new VaultError('backup-version', { detail: `payload: record kind ${r['kind']}` });
    }
    if (!isObject(r) || !isKind(r['kind']) || !isOpaqueId(r['id']) || !isInstant(r['updatedAt']) || !('data' in r)) {
      throw damaged('payload: record');
    }
    const key = `${r['kind']}/${r['id']}`;
    if (seen.has(key)) throw damaged(`payload: duplicate record ${key}`);
    seen.add(key);
    actual[r['kind']] += 1;
  }
  // An earlier app counted only the kinds it had (month-close, trial-stay and the 機能強化加算
  // kinds came later): a count it did not write is none of that kind.
  for (const kind of BACKUP_KINDS) if ((counts[kind] ?? 0) !== actual[kind]) throw damaged(`payload: ${kind} count`);
  if (counts['accessLog'] !== accessLog.length || counts['outbox'] !== outbox.length) throw damaged('payload: counts');
  const ids = new Set<string>();
  for (const e of accessLog as unknown[]) {
    if (!isObject(e) || !isString(e['id']) || ids.has(e['id']) || !isInstant(e['at']) || !isString(e['action'])) {
      throw damaged('payload: access log entry');
    }
    ids.add(e['id']);
  }
  for (const o of outbox as unknown[]) {
    if (isObject(o) && isLaterKind(o['kind'])) {
      throw new VaultError('backup-version', { detail: `payload: outbox kind ${o['kind']}` });
    }
    if (
      !isObject(o) ||
      !isString(o['mutationId']) ||
      !(isKind(o['kind']) || o['kind'] === 'access') ||
      !isString(o['entityId']) ||
      !isString(o['op']) ||
      !isInstant(o['at']) ||
      !isString(o['userId']) ||
      !('payload' in o)
    ) {
      throw damaged('payload: outbox entry');
    }
  }
  const sync = raw['sync'];
  if (sync !== undefined) {
    if (!Array.isArray(sync)) throw damaged('payload: sync');
    for (const m of sync as unknown[]) {
      if (
        !isObject(m) ||
        !isKind(m['kind']) ||
        !seen.has(`${m['kind']}/${String(m['id'])}`) ||
        !Number.isSafeInteger(m['version']) ||
        !(m['officeId'] === null || isString(m['officeId']))
      ) {
        throw damaged('payload: sync entry');
      }
    }
  }
  return raw as unknown as BackupPayload;
}

const KIND_WORDS: Readonly<Record<EntityKind, string>> = { household: '世帯', facility: '短期入所事業所', office: '相談支援事業所', 'case-entry': '対応記録', 'month-close': '請求済みの記録', 'trial-stay': '体験利用', ...FUNCTION_BONUS_KIND_LABELS };

/**
 * [R2] Every record must be one the app can read, or nothing is restored (and no file is made): a household whose
 * persons is not a list would otherwise come back only to stop the household screen. The check
 * (zod) is loaded here, not with the first screen.
 */
async function assertReadable(records: readonly BackupRecord[], code: 'backup-record' | 'backup-export-record' = 'backup-record'): Promise<void> {
  const { checkRecord } = await import('../protocol/records');
  for (const r of records) {
    const problem = checkRecord(r.kind, r.id, r.data);
    if (problem === null) continue;
    const subject = `${KIND_WORDS[r.kind]} ID ${r.id}${problem.field === '' ? '' : ` の項目 ${problem.field}`}`;
    throw new VaultError(code, { subject, detail: `${r.kind} ${r.id}: ${problem.message}` });
  }
}

/** Restore order: by kind (BACKUP_KINDS), then in the order the records were written. */
function restoreOrder(a: BackupRecord, b: BackupRecord): number {
  const byKind = BACKUP_KINDS.indexOf(a.kind) - BACKUP_KINDS.indexOf(b.kind);
  if (byKind !== 0) return byKind;
  return a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Restores a backup into this device, whole or not at all:
 * 1. reads, authenticates and checks the whole file first ('backup-invalid', 'backup-version',
 *    'backup-damaged', 'backup-passphrase'); nothing is written in any of these cases;
 * 2. refuses ('restore-not-empty') if the device holds any non-demo record, checked inside the
 *    write transaction so another tab cannot slip one in;
 * 3. in ONE transaction writes every record (as a real, non-demo record, keeping its updatedAt), each
 *    with an outbox entry in this user's name ('create'; 'update' on the backed-up hub version for a
 *    record that came from a hub; 'append' for append-only kinds) and its sync metadata, then
 *    the access log entries, then re-queues the old device's unsent access-log outbox entries under
 *    their original mutation ids (so the hub can drop them if the old phone sent them after all).
 *    Record changes that were still unsent need no replay: the 'create'/'append' entries carry
 *    the records as they are now. All outbox seqs come from appendOutbox, so they stay gap-free.
 */
export async function restoreBackup(
  ctx: SessionContext,
  bytes: Uint8Array,
  backupPassphrase: string,
): Promise<RestoreResult> {
  const payload = await openBackup(bytes, backupPassphrase);
  await assertReadable(payload.records);
  const records = [...payload.records].sort(restoreOrder);
  const syncRows = (payload.sync ?? []).map(({ kind, id, version, officeId }): SyncMetaRow => ({ kind, id, version, officeId }));
  const syncOf = new Map(syncRows.map((m) => [`${m.kind}/${m.id}`, m]));
  const versionOf = new Map(syncRows.map((m) => [`${m.kind}/${m.id}`, m.version]));

  // Sealing is WebCrypto, not IndexedDB: all of it before the transaction opens.
  const recordRows = await Promise.all(
    records.map(async (r) => {
      // An edit of a record the hub already holds goes back as an update on the version it was based on.
      const baseVersion = APPEND_ONLY_KINDS.has(r.kind) ? null : (versionOf.get(`${r.kind}/${r.id}`) ?? null);
      const op = APPEND_ONLY_KINDS.has(r.kind) ? ('append' as const) : baseVersion === null ? ('create' as const) : ('update' as const);
      const [sealed, pending] = await Promise.all([
        seal(ctx.key, bindingOf('records', r.kind, r.id), r.data),
        prepareOutbox(ctx, r.kind, r.id, op, r.data),
      ]);
      const synced = syncOf.get(`${r.kind}/${r.id}`);
      const row: RecordRow = { kind: r.kind, id: r.id, updatedAt: r.updatedAt, ...sealed, ...(synced === undefined ? {} : { version: synced.version, officeId: synced.officeId }) };
      return { row, pending, baseVersion };
    }),
  );
  const accessRows: AccessLogRow[] = await Promise.all(
    payload.accessLog.map(async (entry) => ({
      id: entry.id,
      at: entry.at,
      ...(await seal(ctx.key, bindingOf('accessLog', entry.id), entry)),
    })),
  );
  const requeued: PendingOutboxRow[] = await Promise.all(
    payload.outbox
      .filter((o) => o.kind === 'access')
      .sort((a, b) => a.seq - b.seq)
      .map(async (o) => ({
        mutationId: o.mutationId,
        kind: o.kind,
        entityId: o.entityId,
        op: o.op,
        at: o.at,
        // Sent in the name of the person restoring (A9): the old phone's vault user has no key and
        // no hub sign-in here, and a change of theirs held every later one of this phone back for
        // good. The entry itself still says who opened what, and when.
        userId: ctx.user.id,
        ...(await seal(ctx.key, bindingOf('outbox', o.mutationId), o.payload)),
      })),
  );

  // The restore's own 閲覧記録 entry, written in the same transaction (the product owner): a restore
  // is never on the phone without it, nor it without the restore. After the restored entries, so
  // it is the newest.
  // Whose file it was, in the entry: the 閲覧記録 says what came onto the phone, not only that something did.
  const maker = isObject(payload.createdBy) && isString(payload.createdBy.displayName) ? payload.createdBy.displayName.slice(0, 100) : '';
  const restoring = await prepareAccess(ctx, 'restore-backup', null, restoreReason(maker, payload.createdAt, payload.deviceId));
  const { db } = ctx;
  const accessLogWritten = await db.transaction('rw', [db.records, db.outbox, db.meta, db.accessLog], async () => {
    // Real rows written since version 8 have no demo column: any row that is not demo counts.
    if ((await db.records.count()) > (await db.records.where('demo').equals(1).count())) throw new VaultError('restore-not-empty');
    await db.records.bulkPut(recordRows.map(({ row }) => row));
    for (const { pending, baseVersion } of recordRows) await appendOutbox(db, pending, baseVersion);
    // Ids are UUIDs; an entry already here (a second restore of a backup without records) is kept once.
    const present = new Set(
      (await db.accessLog.where('id').anyOf(accessRows.map((row) => row.id)).toArray()).map((row) => row.id),
    );
    const newAccess = accessRows.filter((row) => !present.has(row.id));
    await db.accessLog.bulkAdd(newAccess);
    const queued = new Set(
      (await db.outbox.where('mutationId').anyOf(requeued.map((p) => p.mutationId)).toArray()).map((r) => r.mutationId),
    );
    for (const pending of requeued) if (!queued.has(pending.mutationId)) await appendOutbox(db, pending);
    await writeAccess(db, restoring);
    return newAccess.length;
  });

  const counts = zeroCounts();
  for (const r of records) counts[r.kind] += 1;
  return { counts, accessLog: accessLogWritten, createdBy: maker, createdAt: payload.createdAt };
}

/** The 'restore-backup' entry's reason: the file's maker, when and on which device it was made. */
function restoreReason(maker: string, createdAt: string, deviceId: string): string {
  return `${formatJapanDateTimeOrText(createdAt)}に${maker === '' ? '' : `${maker}が`}作成したバックアップ（端末 ${deviceId.slice(0, 8)}）`;
}
