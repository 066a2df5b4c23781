/**
 * The IndexedDB schema (Dexie) of the vault: key slots, encrypted records, outbox, access log, drafts, meta.
 * Works wholly offline; a full disk or a dropped connection surfaces as a VaultError through `withStorage`.
 */
import Dexie, { type Table, type Transaction } from 'dexie';
import { isVaultError, toVaultError, VaultError } from './errors';
import type { EvidenceReceipt } from '../protocol/countersign';
import type { RefusalReason } from '../protocol/sync';
import type { ChangeOp, DeviceSettings, EntityKind } from './types';

/**
 * Clear columns hold only ids, kinds, timestamps, seq numbers and the demo flag (plus staff display
 * names in key slots); everything personal is in `ct`, sealed with the data key (see crypto.ts).
 */
interface SealedColumns {
  iv: Uint8Array<ArrayBuffer>;
  ct: Uint8Array<ArrayBuffer>;
}

export interface MetaValues {
  deviceId: string;
  /** the last outbox seq handed out on this device; 0 before the first change */
  outboxSeq: number;
  settings: DeviceSettings;
  /**
   * [S15] This device's changes the hub took and no pull has passed yet (sync-store.ts noteTaken):
   * a restore that lost them must have them sent again (epoch-resend.ts). Kinds, ids and versions
   * only, in clear as on every record row.
   */
  takenUnpulled: TakenNote[];
  /**
   * Case entries held here whose copy from the hub has another hash (a sign of tampering or of a
   * diverged chain): their ids, kept across locks until a pull brings a copy that matches
   * (sync-store.ts applyRemote). Random ids only, in clear as every row's key.
   */
  evidenceMismatches: string[];
  /**
   * [retire] This phone is retiring (the hub stopped it): set by the retiring tab's stopWrites,
   * cleared by the next unlock (session.ts); while set, no tab queues a change (journal.ts appendOutbox).
   */
  retiring: true;
}

/** A change the hub took: of which record, under which version (an entry's: its position, K1). */
export interface TakenNote {
  readonly kind: EntityKind;
  readonly id: string;
  readonly version: number;
  /** the vault user whose change it was (A9) */
  readonly author?: string;
}
export type MetaKey = keyof MetaValues;
export type MetaRow = { [K in MetaKey]: { key: K; value: MetaValues[K] } }[MetaKey];

/** One per user: the device data key wrapped by a key derived from that user's passphrase. */
export interface KeySlotRow {
  userId: string;
  /** staff name (職員名), shown on the lock screen, so in clear by design */
  displayName: string;
  createdAt: string;
  /** SLOT_ALGORITHM_VERSION the slot was written with */
  algorithm: number;
  iterations: number;
  salt: Uint8Array<ArrayBuffer>;
  wrappedKey: Uint8Array<ArrayBuffer>;
  /**
   * This user's own AES-GCM key, wrapped by the same KEK (user-key.ts): seals what is theirs
   * alone (their hub device token). Absent in slots made before version 7 until their next unlock.
   */
  userKey?: Uint8Array<ArrayBuffer>;
  /**
   * Set by addUser: the person who enrolled this one typed the passphrase, so two people know it and
   * the 閲覧記録 could not tell them apart. The session says so (VaultSession.mustChangePassphrase),
   * the app opens nothing but the passphrase change, and changePassphrase drops it with the old
   * wrapping. In the row's value, not indexed: no schema version. Absent on the first person's slot
   * (set up by themselves) and on slots made before it.
   */
  mustChangePassphrase?: true;
}

/** Version 7: a secret of one user, sealed with their user key under bindingOf('userSecrets', userId, name). */
export interface UserSecretRow extends SealedColumns {
  userId: string;
  name: string;
}

/**
 * Failed unlock attempts on one slot, kept apart from the slot so a wrong passphrase rewrites
 * nothing else. No key exists when one fails, so they wait here, in clear (times only), until the
 * next unlock by anyone on the phone writes them to the 閲覧記録 (key-slots.ts pendingFailures).
 * The two fields below are in the row's value, not indexed: no schema change.
 */
export interface ThrottleRow {
  userId: string;
  /** consecutive failures since the slot last opened: what the wait is counted from */
  failures: number;
  /** epoch ms before which no attempt is accepted */
  retryAt: number | null;
  /**
   * When each failure not yet in the 閲覧記録 happened (epoch ms, oldest first; the last
   * MAX_FAILURE_TIMES kept). A slot opening resets `failures` but keeps these until they are
   * written. Absent on rows written before times were kept: their `failures` are all unwritten,
   * times unknown.
   */
  failedAt?: number[];
  /** failures not yet in the 閲覧記録 whose time is not known (dropped past the cap, or from a row written before `failedAt`) */
  untimed?: number;
}

export interface RecordRow extends SealedColumns {
  kind: EntityKind;
  id: string;
  /**
   * 1 for demo records (a number because IndexedDB cannot index booleans). Real records written
   * since version 8 leave it out, so the `demo` index holds only demo rows and costs a pulled page
   * nothing; rows written before hold 0. Read it as `demo === 1`.
   */
  demo?: 0 | 1;
  updatedAt: string;
  /**
   * Version 8: what the hub said about the record the last time it was pulled (was the separate
   * `syncMeta` row of versions 3-7): its version, absent while the hub has never sent it, and the
   * office whose scope holds it (HUB_ONLY_OFFICE, or null for hub-wide records). Ids and numbers
   * only, in clear, so a scope change is applied without decrypting a record.
   */
  version?: number;
  officeId?: string | null;
}

/** The demo column of a row: present only on demo rows (see RecordRow.demo). */
export function demoColumn(demo: boolean): Pick<RecordRow, 'demo'> {
  return demo ? { demo: 1 } : {};
}

/** The hub's version and office of a record, kept in its row (version 8). */
export type SyncedColumns = Required<Pick<RecordRow, 'version' | 'officeId'>>;

/** The row's sync columns, or none when the hub never sent the record. */
export function syncedColumnsOf(row: RecordRow | undefined): SyncedColumns | Record<string, never> {
  return row?.version === undefined ? {} : { version: row.version, officeId: row.officeId ?? null };
}

export interface OutboxRow extends SealedColumns {
  seq: number;
  mutationId: string;
  kind: EntityKind | 'access';
  entityId: string;
  op: ChangeOp | 'append';
  at: string;
  userId: string;
  /**
   * Version 3: the record's server version when the edit was made (SyncMetaRow.version), or null.
   * Rows written before version 3 have none and read as null.
   */
  baseVersion?: number | null;
  /** Version 3: set when the hub refused this change (never for 'gap'); the entry stays queued. */
  refusedReason?: RefusalReason | null;
  refusedAt?: string | null;
  /** the hub's words about the refusal, sealed (they may quote the payload) under bindingOf('outbox-refusal', mutationId) */
  refusedDetail?: SealedColumns | null;
  /** a case entry sent again after a `clock` refusal, once the hub's clock had caught up (chain-retry.ts): a second one is final */
  clockRetried?: boolean;
}

/**
 * Versions 3-7: what the hub said about a record the last time it was pulled: its version and the
 * office whose scope holds it. Ids and numbers only, in clear. Version 8 keeps them in the record's
 * own row (RecordRow.version, .officeId) and deletes this table; the type remains for backups,
 * which carry the same four fields per record.
 */
export interface SyncMetaRow {
  kind: EntityKind;
  id: string;
  version: number;
  /** the office it belongs to, HUB_ONLY_OFFICE, or null for hub-wide records */
  officeId: string | null;
}

/** Version 3: the sealed link to a hub server (see sync-store.ts); one row, key 'link'. */
export interface HubLinkRow extends SealedColumns {
  key: 'link';
}

export interface AccessLogRow extends SealedColumns {
  /** insertion order, assigned by IndexedDB */
  pos?: number;
  id: string;
  at: string;
}

export interface DraftRow extends SealedColumns {
  key: string;
  updatedAt: string;
}

/**
 * Derived data kept to start faster (the household summary snapshot): sealed like records, rebuilt
 * from the records whenever it is missing or stale, never synced and never in a backup.
 */
export interface CacheRow extends SealedColumns {
  key: string;
  updatedAt: string;
}

/**
 * [R4] The hub's latest copy of a record that a pull could not write because a change to it waited
 * here (sync-store.ts applyRemote), kept in the `cache` table (no schema change) under
 * `held-back:<kind>:<id>` (`:` is outside the keys saveCache takes) until that change is set aside
 * (「一覧から外す」: the copy is then written) or a later pull writes the record. Kind, id, the
 * hub's version and office in clear, as on every record row.
 */
export interface HeldBackRow {
  key: string;
  updatedAt: string;
  kind: EntityKind;
  id: string;
  version: number;
  officeId: string | null;
  /** the record sealed as the pull sealed it (bindingOf('records', kind, id)); null: the hub's admin withdrew it */
  copy: SealedColumns | null;
}

export const HELD_BACK_PREFIX = 'held-back:';
export const heldBackKey = (kind: EntityKind, id: string): string => `${HELD_BACK_PREFIX}${kind}:${id}`;
export const isHeldBack = (row: CacheRow | HeldBackRow): row is HeldBackRow => 'copy' in row;

/**
 * Version 1 of the schema. Only indexed columns are listed; see the row types for the rest.
 * Keep this object as it is once released: a later version declares its own stores.
 */
export const SCHEMA_V1 = {
  meta: 'key',
  keySlots: 'userId',
  throttles: 'userId',
  records: '[kind+id], kind, demo',
  outbox: 'seq, &mutationId',
  accessLog: '++pos, &id',
  drafts: 'key',
} as const;

/** Version 2 adds the `cache` table; every version-1 table stays as it was. */
export const SCHEMA_V2 = { cache: 'key' } as const;

/**
 * Version 3 (sync, issue 5): per-record sync metadata, the sealed hub link, and an index on the
 * outbox by record so a pull can see which records have unsent changes without reading them all.
 */
export const SCHEMA_V3 = {
  outbox: 'seq, &mutationId, [kind+entityId]',
  syncMeta: '[kind+id], officeId',
  hubLink: 'key',
} as const;

/**
 * Version 4: the outbox indexed by refusal reason (a protocol code, no personal data), so the
 * status line counts refused changes from the index instead of reading every queued row, sealed
 * payloads and all, after each change. Queued rows with no refusal are not in that index.
 */
export const SCHEMA_V4 = {
  outbox: 'seq, &mutationId, [kind+entityId], refusedReason',
} as const;

/**
 * Version 5: the hub's receipts for case entries, in clear (ids, a hash, a version, the hub's time
 * and a signature; why clear: receipts.ts). Keyed by entry id, indexed by case.
 */
export const SCHEMA_V5 = { receipts: 'entryId, caseId' } as const;

/** Version 5: one hub receipt (EvidenceReceipt as the hub sent it). */
export type ReceiptRow = EvidenceReceipt;

/**
 * Version 6: records a pull brought that this app cannot read (an id outside the one rule, a payload
 * that is not JSON or lacks what the screens need; src/protocol/records.ts [R3]), kept out of
 * `records` so one bad record never stops a page. In clear: the kind, a key (the id when it is
 * opaque, else `#` and its SHA-256, since such an id may hold a name), the hub's version and office,
 * and the reason as a protocol code and a field path; the id itself, the payload and the words about
 * it are sealed under bindingOf('setAside', kind, key).
 */
export interface SetAsideRow extends SealedColumns {
  kind: EntityKind;
  key: string;
  version: number;
  officeId: string | null;
  /** RecordProblem['code']: 'id' | 'json' | 'shape' */
  reason: 'id' | 'json' | 'shape';
  /** the first field that failed ('' for the id or the whole payload): a path, never a value */
  field: string;
  at: string;
}

export const SCHEMA_V6 = { setAside: '[kind+key], reason, officeId' } as const;
/** Version 7 (identity): secrets sealed per user (user-key.ts), e.g. their hub device token. */
export const SCHEMA_V7 = { userSecrets: '[userId+name]' } as const;

/**
 * Version 8 (issue 16, sync speed): one row per record. The hub's version and office move from
 * `syncMeta` into the record's row, so a pulled page is one put per record instead of two, and
 * `syncMeta` goes. The `kind` index goes too: `kind` is the first part of the primary key
 * `[kind+id]`, so a key range serves every by-kind read (recordsOfKind).
 */
export const SCHEMA_V8 = { records: '[kind+id], demo', syncMeta: null } as const;

/**
 * The version 8 upgrade: each syncMeta row's version and office copied into its record's row
 * (clear columns only, so no key is needed: an upgrade runs before any unlock). A syncMeta row
 * with no record row (none is written so) is dropped with its table.
 */
export async function moveSyncMetaIntoRecords(tx: Transaction): Promise<void> {
  const metas = (await tx.table('syncMeta').toArray()) as SyncMetaRow[];
  const records = tx.table('records') as Table<RecordRow, [EntityKind, string]>;
  // In slices, so a vault of any size is never held whole in memory. bulkPut of the rows as read
  // (not modify(), which deep-clones the sealed bytes into arrays WebCrypto refuses in tests).
  for (let i = 0; i < metas.length; i += 1000) {
    const slice = metas.slice(i, i + 1000);
    const rows = await records.bulkGet(slice.map((m) => [m.kind, m.id] as [EntityKind, string]));
    const moved = rows.flatMap((row, j) => (row === undefined ? [] : [{ ...row, version: slice[j]!.version, officeId: slice[j]!.officeId }]));
    await records.bulkPut(moved);
  }
}

export class VaultDatabase extends Dexie {
  meta!: Table<MetaRow, MetaKey>;
  keySlots!: Table<KeySlotRow, string>;
  throttles!: Table<ThrottleRow, string>;
  records!: Table<RecordRow, [EntityKind, string]>;
  outbox!: Table<OutboxRow, number>;
  accessLog!: Table<AccessLogRow, number>;
  drafts!: Table<DraftRow, string>;
  cache!: Table<CacheRow | HeldBackRow, string>;
  hubLink!: Table<HubLinkRow, 'link'>;
  receipts!: Table<ReceiptRow, string>;
  setAside!: Table<SetAsideRow, [EntityKind, string]>;
  userSecrets!: Table<UserSecretRow, [string, string]>;
  /**
   * Deleted under this page (the device retired and wiped, here or in another tab): see markDeleted.
   * Not a #private field: Dexie reads the database through a Proxy (`vip`), where those throw.
   */
  private wasDeleted = false;
  /** Upgraded under this page by a newer app (another tab): see markOutdated. */
  private wasOutdated = false;
  /** Found empty at a reopen though it held the vault before (site data cleared): see checkStillSetUp. */
  private wasErased = false;
  /** This page has seen a key slot in the database: from then on, a reopen that finds none is an erasure. */
  private seenSetUp = false;
  /** The device id this page first saw (at an open, or as its session's); undefined before one was made. */
  private seenDeviceId: string | undefined = undefined;

  constructor(name: string) {
    super(name);
    // Another tab deletes the database (its retirement wipe, Session.sync.wipe). Dexie's own handler
    // would close this connection but leave it to open again at the next call, which would create
    // the database afresh: sealed rows with no key slot to read them, in a vault that was wiped.
    // An upgrade (a newer version of the app in another tab) is no better: Dexie 4 opens a newer
    // database with this page's older schema and puts back what the upgrade removed (a table, an
    // index), and rows written here miss what the newer app keeps in them. This page's code is
    // older than the data: it stops using the database, and its reload brings the newer app.
    // (Dexie's own patch of a schema an older tab finds missing opens at the same version's next
    // native number, version × 10 + 1: that is no newer app, and keeps Dexie's handling.)
    this.on('versionchange', (event: IDBVersionChangeEvent) => {
      if (event.newVersion === null) this.markDeleted();
      else if (Math.floor(event.newVersion / 10) > this.verno) this.markOutdated();
      else return undefined;
      return false;
    });
    // Every open, the page's first and each reopen (ours after a lost connection, Dexie's own after
    // the browser closed the connection), before any work runs: sticky, so not only the first.
    this.on('ready', (vip) => this.checkStillSetUp(vip as this), true);
    this.version(1).stores(SCHEMA_V1);
    this.version(2).stores(SCHEMA_V2);
    // Rows queued before version 3 have no baseVersion and read as null (made on no server version);
    // no upgrade rewrites them (rewriting sealed rows gains nothing and costs a pass over the outbox).
    this.version(3).stores(SCHEMA_V3);
    this.version(4).stores(SCHEMA_V4);
    this.version(5).stores(SCHEMA_V5);
    this.version(6).stores(SCHEMA_V6);
    this.version(7).stores(SCHEMA_V7);
    this.version(8).stores(SCHEMA_V8).upgrade(moveSyncMetaIntoRecords);
    // To change the schema, never edit version 1: add a version below it and keep both.
    // Only the tables that change need listing; `null` deletes a table. For example, to index
    // records by their review date (a timestamp, so allowed in clear):
    //
    //   this.version(2)
    //     .stores({ records: '[kind+id], kind, demo, reviewDueAt' })
    //     .upgrade(async (tx) => {
    //       await tx.table('records').toCollection().modify((row) => {
    //         row.reviewDueAt = null; // filled in on the next put; the upgrade has no data key
    //       });
    //     });
    //
    // An upgrade runs before any user unlocks, so it can move clear columns but can never read or
    // re-encrypt payloads; a change to the sealed JSON is migrated lazily on read instead.
    // Add the step to db.test.ts (open at the old version, write, reopen at the new one).
  }

  get deleted(): boolean {
    return this.wasDeleted;
  }

  /**
   * The database is deleted, or is being deleted (the device retired and wiped, in this tab or
   * another): the connection closes and is never opened again in this page, so nothing written
   * here later creates it anew. withStorage answers 'wiped'; a reload starts a fresh device.
   */
  markDeleted(): void {
    this.wasDeleted = true;
    // Emptied on purpose: the next start is a new phone's, with nothing said to be missing.
    forgetSetUpMark();
    this.close();
  }

  get outdated(): boolean {
    return this.wasOutdated;
  }

  /** A newer app upgraded the database: the connection closes and this page never opens it again (withStorage answers 'outdated'). */
  markOutdated(): void {
    this.wasOutdated = true;
    this.close();
  }

  get erased(): boolean {
    return this.wasErased;
  }

  /**
   * A session opened here (set up or unlocked; the vault may have been set up in another tab since
   * this page opened it empty): a later reopen that finds no key slot, or another device id, is an
   * erasure, and the browser remembers that this phone was set up (SET_UP_MARK_KEY).
   */
  noteSession(deviceId: string): void {
    this.noteSetUp();
    this.seenDeviceId ??= deviceId;
  }

  private noteSetUp(): void {
    this.seenSetUp = true;
    writeSetUpMark(new Date().toISOString(), false);
  }

  /**
   * Run as the database opens (the 'ready' event, on `vip`, the handle that may read before the
   * open completes). The browser can empty the database under an open page (site data cleared,
   * storage evicted): Dexie then opens it anew, empty, and the session still holding the key would
   * write rows no key slot can read, into a phone that reads as never set up. A reopen that finds no
   * key slot, or another device id, where this page saw the vault before, closes it for good.
   */
  private async checkStillSetUp(vip: this): Promise<void> {
    const [slots, deviceRow] = await Promise.all([vip.keySlots.count(), vip.meta.get('deviceId')]);
    const deviceId = deviceRow?.value as string | undefined;
    const replaced = this.seenDeviceId !== undefined && deviceId !== undefined && deviceId !== this.seenDeviceId;
    if (this.seenSetUp && (slots === 0 || replaced)) {
      this.wasErased = true;
      this.close();
      throw new VaultError('erased', { detail: `reopened with ${slots} key slots, device ${deviceId ?? 'none'}` });
    }
    if (slots > 0) this.noteSetUp();
    this.seenDeviceId ??= deviceId;
  }
}

/**
 * localStorage: that this browser's vault was set up, and when (a date, nothing personal). A full
 * disk can make the browser evict the database alone while this stays: the set-up screen then says
 * the phone's data went missing, instead of greeting a new phone. Cleared where the app empties the
 * vault on purpose (markDeleted: a retired phone's wipe). Storage blocked: no mark, no warning.
 */
export const SET_UP_MARK_KEY = 'kyoten:was-set-up';

/** A set-up just now: its date replaces any left by a vault that went missing before it. */
export function markSetUpInThisBrowser(at: string): void {
  writeSetUpMark(at, true);
}

/** Whether this browser held a set-up vault before (see SET_UP_MARK_KEY). */
export function wasSetUpInThisBrowser(): boolean {
  try {
    return (globalThis.localStorage?.getItem(SET_UP_MARK_KEY) ?? null) !== null;
  } catch {
    return false;
  }
}

function writeSetUpMark(at: string, replace: boolean): void {
  try {
    const storage = globalThis.localStorage;
    if (storage !== undefined && (replace || storage.getItem(SET_UP_MARK_KEY) === null)) storage.setItem(SET_UP_MARK_KEY, at);
  } catch {
    // Storage blocked or full: only the warning after a loss is missed.
  }
}

function forgetSetUpMark(): void {
  try {
    globalThis.localStorage?.removeItem(SET_UP_MARK_KEY);
  } catch {
    // Storage blocked: there was no mark.
  }
}

export const CURRENT_SCHEMA_VERSION = 8;

/**
 * Runs storage work with errors mapped to VaultError. After a lost connection (iOS closes IndexedDB
 * under a backgrounded PWA) the connection is dropped, and the next call (the user's 「再試行」) reopens it.
 */
export async function withStorage<T>(db: VaultDatabase, work: () => Promise<T>): Promise<T> {
  try {
    // A wiped vault is never opened again in this page: opening would create it anew, empty.
    if (db.deleted) throw new VaultError('wiped');
    if (db.outdated) throw new VaultError('outdated');
    if (db.erased) throw new VaultError('erased');
    // (a reopen checks the vault is still the one this page held: VaultDatabase.checkStillSetUp)
    if (!db.isOpen()) await db.open();
    return await work();
  } catch (e) {
    // Programming errors (a bad id, a setting out of range) reach the developer as they are.
    if (e instanceof TypeError || e instanceof RangeError) throw e;
    // Work cut off by the deletion (its connection closed under it) is no lost connection to retry.
    if (db.deleted) throw isVaultError(e, 'wiped') ? e : new VaultError('wiped', { cause: e });
    if (db.outdated) throw isVaultError(e, 'outdated') ? e : new VaultError('outdated', { cause: e });
    if (db.erased) throw isVaultError(e, 'erased') ? e : new VaultError('erased', { cause: e });
    const error = toVaultError(e);
    if (error.code === 'connection-lost') db.close({ disableAutoOpen: false });
    throw error;
  }
}

/** Every record of one kind, by a range of the primary key `[kind+id]` (version 8 has no `kind` index). */
export function recordsOfKind(db: VaultDatabase, kind: EntityKind) {
  return db.records.where('[kind+id]').between([kind, Dexie.minKey], [kind, Dexie.maxKey]);
}

export async function readMeta<K extends MetaKey>(db: VaultDatabase, key: K): Promise<MetaValues[K] | undefined> {
  const row = await db.meta.get(key);
  return row?.value as MetaValues[K] | undefined;
}

/** Reads or creates the device id; call inside a 'rw' transaction on meta so two tabs agree. */
export async function ensureDeviceId(db: VaultDatabase): Promise<string> {
  const existing = await readMeta(db, 'deviceId');
  if (existing !== undefined) return existing;
  const deviceId = globalThis.crypto.randomUUID();
  await db.meta.put({ key: 'deviceId', value: deviceId });
  return deviceId;
}

/**
 * The outbox's changes waiting to be sent and those the hub refused, counted by the refusal's index
 * without reading a row (nothing decrypted: the lock screen asks too). Inside a transaction on outbox.
 */
export async function countQueue(db: VaultDatabase): Promise<{ pending: number; refused: number }> {
  const total = await db.outbox.count();
  // Only refused rows have a key in this index (null and undefined are not keys).
  const refused = await db.outbox.orderBy('refusedReason').count();
  return { pending: total - refused, refused };
}

/**
 * How many of the waiting rows (not refused) are 閲覧記録 entries (kind 'access'): all of them by
 * the [kind+entityId] index without reading a row, less the refused ones, read from the refusal's
 * index (few; only their kind is looked at, nothing decrypted). Inside a transaction on outbox.
 */
export async function countAccessQueued(db: VaultDatabase): Promise<number> {
  const all = await db.outbox.where('[kind+entityId]').between(['access', Dexie.minKey], ['access', Dexie.maxKey]).count();
  return all - (await refusedRowsOf(db, 'access').count());
}

/** The refused outbox rows of one kind: only refused rows have a key in the refusal's index, and they are few. */
export function refusedRowsOf(db: VaultDatabase, kind: EntityKind | 'access') {
  return db.outbox.orderBy('refusedReason').filter((row) => row.kind === kind);
}
