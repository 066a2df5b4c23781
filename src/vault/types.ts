import type { FunctionBonusKind } from '../protocol/constants';
import type { EvidenceReceipt, HubKeyInfo } from '../protocol/countersign';
import type { ChangeResult, RefusalReason, Role, StaffMember, WireChange, WireRecord, WireScope } from '../protocol/sync';
import type { PortablePage } from './seal-page';

/**
 * The vault's contract: what the app may ask of on-device storage.
 * Implemented in vault.ts over Dexie + WebCrypto. Personal data never leaves this layer unencrypted
 * except into memory of an unlocked session.
 */

/**
 * Kinds of entity the vault stores. 'case-entry' records are evidence and 'month-close' records
 * (請求済み, docs/claim-rules.md) the claims as sent: both written once through
 * `append`, never overwritten by `put` (see records.ts).
 */
export type EntityKind = 'household' | 'facility' | 'office' | 'case-entry' | 'month-close' | 'trial-stay' | FunctionBonusKind;

/** Kinds whose records are append-only. */
export const APPEND_ONLY_KINDS: ReadonlySet<EntityKind> = new Set(['case-entry', 'month-close']);

export interface VaultUser {
  readonly id: string;
  readonly displayName: string;
  readonly createdAt: string;
}

export interface StoredEntity<T> {
  readonly id: string;
  readonly kind: EntityKind;
  readonly data: T;
  readonly updatedAt: string;
  /** true for records loaded by the demo generator; they never enter the change log */
  readonly demo: boolean;
}

export type ChangeOp = 'create' | 'update' | 'withdraw';

/** One entry of the local change log (outbox) that sync (a later issue) sends in seq order. */
export interface OutboxEntry {
  /** per-device, strictly increasing, no gaps */
  readonly seq: number;
  /** globally unique id of this mutation (UUID v4) */
  readonly mutationId: string;
  readonly deviceId: string;
  readonly kind: EntityKind | 'access';
  readonly entityId: string;
  readonly op: ChangeOp | 'append';
  readonly at: string;
  readonly userId: string;
  readonly payload: unknown;
  /**
   * The record's server version when this edit was made (from the last pull that brought it), or
   * null: created here, never pulled, or queued before sync existed. Null for append-only kinds.
   */
  readonly baseVersion: number | null;
  /** set when the hub refused this change; the entry stays queued and is shown to the user */
  readonly refusal: OutboxRefusal | null;
}

export interface OutboxRefusal {
  readonly reason: RefusalReason;
  /** the hub's words, for whoever looks into it */
  readonly detail: string;
  readonly at: string;
  /** a `clock` refusal of an entry already sent again once the hub's clock caught up: nothing more is tried */
  readonly final?: boolean;
}

/** A user of this vault who signed in on the hub from this device (A8): who they are there. */
export interface HubMember {
  /** their user id on the server: the author of their changes on the wire (A9) */
  readonly userId: string;
  readonly loginName: string;
  readonly displayName: string;
  readonly role: Role;
  /** true after they signed out here, or the hub refused their device token: they sign in again */
  readonly signedOut: boolean;
  /**
   * The hub refused to credit a change of theirs from this phone (A9 'author': an admin revoked
   * their sign-in here): their changes, and all queued after, wait here unsent until they sign in
   * on this phone again (which clears it), rather than go up again at every run.
   */
  readonly authorRefused?: boolean;
}

/**
 * The device's link to a hub server: sealed like records (the device secret is a credential).
 * One per device (its secret, cursor and scope); its users are in `members`, each user's device
 * token is sealed apart with their own key (SyncStore.userToken).
 */
export interface HubLink {
  /** the hub (tenant) id */
  readonly hub: string;
  /** the user who joined the device (or last signed in on it): shown until members say more */
  readonly loginName: string;
  /** the user's id on the server */
  readonly userId: string;
  readonly displayName: string;
  readonly role: Role;
  /** A8: vault user id → their hub identity; absent in links made before per-user sign-in */
  readonly members?: Readonly<Record<string, HubMember>>;
  readonly deviceSecret: string;
  /** the pull cursor: the highest server version this device has seen */
  readonly cursor: number;
  /** the hub database's epoch the cursor counts in (protocol/cursor.ts); absent before epochs [S15] */
  readonly epoch?: string | null;
  /** the hub's mark on the cursor (protocol/cursor.ts): lets it tell a database put back by hand [S15]; absent before marks */
  readonly mark?: number | null;
  /** what the last pull said the user may hold; null before the first pull */
  readonly scope: WireScope | null;
  /** the last sync that went through to the end (push and pull), ISO instant */
  readonly lastSyncAt: string | null;
  /** open same-field conflicts reported by the last pull */
  readonly openConflicts: number;
  /** kinds of record the hub sent that this app did not know, left out [V2]: pulled again once it knows them */
  readonly unknownKinds?: readonly string[];
  /** true after a sign-out or a 401: nothing is sent until someone signs in again */
  readonly signedOut: boolean;
  /**
   * The hub's public key, taken once from the hub after joining (GET /api/hub-key): every receipt
   * is checked against it. Absent on links saved before receipts; null when the hub has none.
   */
  readonly hubKey?: HubKeyInfo | null;
  /** The hub's users as of the last sync (GET /api/staff), for the screens offline; absent before. */
  readonly staff?: readonly StaffMember[];
  /**
   * Set as a retiring device tells the hub it erases its data (retire/done): a wipe a lock or a
   * closed app stopped after that goes straight on at the next run, since the hub takes no more
   * retire pushes from it (403) and would otherwise keep the phone from ever wiping.
   */
  readonly retireReported?: boolean;
}

/** What acknowledge() did with a push's results. */
export interface AcknowledgeReport {
  /** accepted or duplicate: removed from the queue */
  readonly sent: number;
  /** refused for good: kept and marked */
  readonly refused: number;
  /** the first seq refused as 'gap' (to send again from), or null */
  readonly gapAt: number | null;
}

/**
 * A pulled page parsed, checked [R3] and sealed ahead of its write (SyncStore.sealPulled): only the
 * vault reads what is inside.
 */
export interface PreparedPage {
  /** how many records the hub sent in it */
  readonly size: number;
}

/** What applyRemote() did with a pulled page. */
export interface ApplyReport {
  /** records written (new or replaced) */
  readonly written: number;
  /** which ones, so the screens can re-read just those */
  readonly writtenKeys: readonly (readonly [EntityKind, string])[];
  /** the case entries the page held, written or already here (chain-retry.ts) */
  readonly evidenceIds: readonly string[];
  /** records left as they are because this device has an unsent change to them */
  readonly keptPending: number;
  /** evidence ids pulled with a hash other than the one held here: the local entry is kept */
  readonly evidenceMismatches: readonly string[];
  /** records this app cannot read, set aside instead of written [R3] */
  readonly setAside: number;
  /** records an admin withdrew on the hub, dropped here [R4] */
  readonly removed: number;
}

/** Records set aside on pull [R3], by why: the id breaks the rule, the payload is not JSON, or a field is wrong. */
export interface SetAsideCounts {
  readonly total: number;
  readonly byReason: Readonly<Record<'id' | 'json' | 'shape', number>>;
  /**
   * The first few, from clear columns only (kind, the hub's version, reason, field path): enough for
   * the user to tell the admin, who finds the record by its version (`npm run admin -- list-records`).
   */
  readonly first?: readonly SetAsideSummary[];
  /**
   * The keys of the households set aside (a household's id; `#` and a SHA-256 for an id that breaks
   * the rule), in clear: a household held here with a newer version set aside shows its old
   * 服薬, allergies and contacts, and its screens say so (src/features/households). Absent when none.
   */
  readonly households?: readonly string[];
}

export interface SetAsideSummary {
  readonly kind: EntityKind;
  readonly version: number;
  readonly reason: 'id' | 'json' | 'shape';
  readonly field: string;
}

/** [R4] What setting a refused change aside did to its record: the hub's copy held back for it written, or the record removed. */
export interface HeldBackApplied {
  readonly kind: EntityKind;
  readonly id: string;
  /** the hub's admin had withdrawn it: the copy here is gone */
  readonly removed: boolean;
}

/** The vault's side of sync (src/sync drives it). Every call needs an unlocked session. */
export interface SyncStore {
  /**
   * The hub stopped this phone: from here on this session takes no new change (put, append, an
   * access entry), so what the retire push sends is all there is, and nothing is written between it
   * and the wipe to be wiped unsent ('retiring').
   */
  stopWrites(): void;
  hubLink(): Promise<HubLink | undefined>;
  saveHubLink(link: HubLink): Promise<void>;
  /** Forgets the hub (the device leaves it); queued changes stay. */
  clearHubLink(): Promise<void>;
  /**
   * Applies a push's results in one transaction: accepted and duplicate entries leave the queue
   * (the records stay); refused ones stay, marked; 'gap' refusals are left untouched to be retried.
   * `changes`: the batch sent, so that what the hub took is noted until a pull passes it [S15].
   */
  acknowledge(results: readonly ChangeResult[], changes?: readonly (Pick<WireChange, 'seq' | 'kind' | 'entityId'> & { readonly userId?: string })[]): Promise<AcknowledgeReport>;
  /**
   * Writes a pulled page in one transaction, without outbox entries: records with an unsent change
   * are not touched (data and version alike); evidence held here is never overwritten; a record this
   * app cannot read is set aside, not written, and never fails the page [R3]. `link`, when
   * given, is saved in the same transaction (the cursor moves only with the page it belongs to).
   */
  applyRemote(records: readonly WireRecord[] | PreparedPage, link?: HubLink): Promise<ApplyReport>;
  /**
   * The CPU and WebCrypto part of applyRemote (parse, check, seal: seal-page.ts), done by `start`
   * with this session's key and with no storage read or write (src/sync/pull-job.ts: a page
   * fetched, checked and sealed, in a worker when it can), so that the next page is made ready
   * while this one is written: the sealed page comes back ready for applyRemote. Throws 'locked'
   * when the session is locked.
   */
  sealPulled<J extends { readonly sealed: Promise<PortablePage> }>(start: (key: CryptoKey, now: number) => J): Omit<J, 'sealed'> & { readonly prepared: Promise<PreparedPage> };
  /** Removes records the scope no longer covers, except those with unsent changes. Returns how many. */
  dropOutOfScope(scope: WireScope): Promise<number>;
  /**
   * Removes one refused change from the queue at the user's request. When no other change to its
   * record waits, the hub's latest copy that pulls held back for it is written (or the admin's
   * withdrawal applied) in the same transaction [R4]; else the record stays here as it is. The
   * 閲覧記録 entry `dismiss-refused` with `logReason` is written in that transaction too.
   */
  dismissRefused(seq: number, logReason: string): Promise<HeldBackApplied | null>;
  /**
   * How many changes wait to be sent, and how many of them the hub refused: from clear columns,
   * nothing decrypted (the status line asks after every change).
   */
  queueCounts(): Promise<{ readonly pending: number; readonly refused: number }>;
  /**
   * The records of one kind with a change the hub refused for good (by entity id, its reason):
   * from clear columns, nothing decrypted. The case screen says an entry was refused, not pending.
   */
  refusedOf(kind: EntityKind | 'access'): Promise<ReadonlyMap<string, RefusalReason>>;
  /** Case entries whose hub copy had another hash, kept until a matching copy is pulled (ids only). */
  evidenceMismatches(): Promise<readonly string[]>;
  /** How many pulled records were set aside as unreadable, by reason [R3]; nothing decrypted. */
  setAsideCounts(): Promise<SetAsideCounts>;
  /** Keeps the hub's receipts for case entries (checked by the sync engine first; receipts.ts). */
  saveReceipts(receipts: readonly EvidenceReceipt[]): Promise<void>;
  /** Every receipt held, in clear: nothing is decrypted. */
  receipts(): Promise<EvidenceReceipt[]>;
  /** Deletes the whole on-device database (every user): for a device retired by its hub. */
  wipe(): Promise<void>;
  /** A8: the unlocked user's hub device token, sealed with their own key; undefined when none */
  userToken(): Promise<string | undefined>;
  saveUserToken(token: string): Promise<void>;
  clearUserToken(): Promise<void>;
  /** the display names of this vault's users (key slots, clear), by vault user id */
  userNames(): Promise<Readonly<Record<string, string>>>;
  /**
   * [A10] Takes off this phone the people the hub has stopped (`hubUserIds`, their hub ids, as the
   * link's members know them), the unlocked person too (last), never the last key slot: their key
   * slots go as with removeUser, with their secrets, throttle rows and personal drafts, each with
   * a 'remove-user' entry saying the hub stopped them, and with no passphrase asked (the hub's word
   * is enough). Their queued changes stay, credited through their link member, and go at the next
   * runs (the hub takes a stopped author's evidence, A9). `onRemoved` hears of each as it commits;
   * returns those removed.
   */
  removeStopped(hubUserIds: readonly string[], onRemoved?: (user: VaultUser) => void): Promise<readonly VaultUser[]>;
  /**
   * A6: after (re-)enrolment, the queue follows the hub's last seq of this device: unsent changes
   * are numbered on from `lastSeq` in their order (a change the hub already took answers
   * 'duplicate' by its mutation id), so no queue is stranded behind a seq the hub used or lost.
   */
  followServerSeq(lastSeq: number): Promise<void>;
  /**
   * [S15] The hub's database was restored: keeps aside what this device holds above `floor` (its
   * changes the hub took above it and it did not pull back included) and the records whose queued
   * edit was made on a version above it (the edit leaves the queue with them); it sends them again
   * after the pull from the start, and numbers the queue on from `lastSeq`.
   * Returns how many records were kept aside (epoch-resend.ts).
   */
  keepLostRecords(floor: number, lastSeq: number): Promise<number>;
  /** [S15] After that pull: writes back and queues what was kept aside. Returns how many. */
  resendLostRecords(): Promise<number>;
  /**
   * [E2] Queues again the case entries refused as `chain` whose parent is among `arrivedIds` (the
   * entries a pull just brought), with those continuing them (chain-retry.ts). Returns how many.
   */
  retryChainRefusals(arrivedIds: readonly string[]): Promise<number>;
  /**
   * [E7] Queues again the case entries refused as `clock` for being dated ahead of the hub, once its
   * clock (`hubNowMs`, the device's less the measured offset) has caught up, with the entries of their
   * cases refused `chain` after them (chain-retry.ts). Returns how many.
   */
  retryClockRefusals(hubNowMs: number): Promise<number>;
  /**
   * [R3][V2] The records set aside, checked again by this app: an update may read them now (a newer
   * hub's new code in a case entry set the entry aside, and the case's chain read as broken). Those
   * it reads are written as a pull writes them; the rest stay aside. Null when none is set aside.
   */
  recheckSetAside(): Promise<ApplyReport | null>;
}

/** 'export-backup' and 'restore-backup' (householdId null) are written after a successful backup or restore. */
export type AccessAction =
  | 'unlock'
  | 'open-household'
  | 'print-household'
  | 'export-backup'
  | 'restore-backup'
  /** the app locked (by the button or the idle timer); written just before the key is dropped */
  | 'lock'
  /**
   * a wrong passphrase: no key exists then, so it is written by the next unlock (or passphrase
   * re-entered in 設定) of anyone on the phone, in their name, with `at` the attempt's own time
   * and `reason` naming the person whose slot was tried (vault/failed-unlocks.ts)
   */
  | 'unlock-failed'
  /** a household's details shared (printed for a facility) with no 同意書 recorded; `reason` says why */
  | 'share-without-consent'
  /** a claim file written (明細・一覧・請求後の変更, at 請求済みにする too); `reason` says which month, office and file */
  | 'export-claims'
  /** the claims' evidence report opened for printing; `reason` says which month and office */
  | 'print-evidence'
  /** another person added to this phone (they can read every household on it); `reason` names them */
  | 'add-user'
  /** a person removed from this phone (their key slot deleted: they can no longer unlock it); `reason` names them */
  | 'remove-user'
  /** the unlocked person changed their passphrase */
  | 'change-passphrase'
  /** a change the hub refused was set aside (no longer sent); `reason` says which */
  | 'dismiss-refused'
  /** a case about a caller with no registered household opened (it holds their name and words); `reason` names the case */
  | 'open-case';

/** 閲覧記録: who opened what, when. Append-only. */
export interface AccessLogEntry {
  readonly id: string;
  readonly at: string;
  readonly userId: string;
  readonly userName: string;
  readonly action: AccessAction;
  readonly householdId: string | null;
  /** why, when the action needs one (share-without-consent), or what left the device (export-claims, print-evidence) */
  readonly reason?: string;
}

export interface UnlockThrottle {
  readonly failures: number;
  /** ISO instant before which no attempt is accepted, or null */
  readonly retryAt: string | null;
}

/** Non-personal device settings, stored in clear. */
export interface DeviceSettings {
  /** minutes of inactivity before the app locks (default 5) */
  readonly idleLockMinutes: number;
  /** months after which a 聞き取り票 is flagged for review (default 12) */
  readonly reviewAfterMonths: number;
}

export type VaultErrorCode =
  | 'wrong-passphrase'
  | 'throttled'
  | 'locked'
  | 'quota-exceeded'
  | 'connection-lost'
  /** the browser refuses the app its storage: a private window, site data blocked */
  | 'storage-unavailable'
  /** the hub stopped this phone: it sends what it holds and wipes, and takes nothing new meanwhile */
  | 'retiring'
  | 'not-set-up'
  | 'already-set-up'
  | 'weak-passphrase'
  /** addUser() with the new person's passphrase the same as the enrolling person's: both could unlock as either */
  | 'same-passphrase'
  /** exportBackup() of a phone holding a record the app cannot read: the restore would refuse the file whole */
  | 'backup-export-record'
  /** exportBackup() with the backup's passphrase the same as the exporting person's own: whoever gets the file would learn it */
  | 'backup-same-passphrase'
  /** changePassphrase() to the passphrase in use: whoever knew it still would */
  | 'unchanged-passphrase'
  /** unlock() with an id that has no key slot on this device */
  | 'unknown-user'
  /** removeUser() of the unlocked person themselves: someone else removes them */
  | 'remove-self'
  /** removeUser() when one person is left: the phone would have no one who can unlock it */
  | 'last-user'
  /**
   * removeUser() of a person with unsent changes who has not signed in to the hub on this phone:
   * nobody could send them (A9 holds the queue behind its author's sign-in), everyone's after them too
   */
  | 'remove-unsent'
  /** a ciphertext failed authentication: tampered, swapped between records, or damaged */
  | 'corrupt'
  /** append() of an evidence record whose id is already taken */
  | 'duplicate'
  /** put() of a new record ('create') whose id is already saved: another tab's form saved it first */
  | 'created-elsewhere'
  /** restoreBackup(): the backup passphrase is wrong (the file itself is intact) */
  | 'backup-passphrase'
  /** a backup file that is truncated or altered */
  | 'backup-damaged'
  /** a file that is not a backup of this app */
  | 'backup-invalid'
  /** a backup holding a record this app cannot read [R2]: nothing restored; the message names the record */
  | 'backup-record'
  /** a backup made by a later version of the app */
  | 'backup-version'
  /** restoreBackup() on a device that already holds (non-demo) records */
  | 'restore-not-empty'
  /** the database was deleted when this device retired (in this tab or another): never opened again in this page */
  | 'wiped'
  | 'outdated'
  /**
   * the database emptied under this page while it was in use (the browser's site data cleared, or
   * the browser evicted it): never opened again in this page, so nothing is written into an empty one
   */
  | 'erased'
  /**
   * the page's first open failed with the browser's UnknownError other than Safari's lost connection
   * (Chrome: "Internal error opening backing store", most often a full disk)
   */
  | 'open-failed'
  /** anything else; the original error is the VaultError's cause */
  | 'unexpected';

/** What inspectBackup() reads from a backup file's clear header, without its passphrase. */
export interface BackupInfo {
  readonly format: string;
  readonly version: number;
  readonly createdAt: string;
  /** the device the backup was made on */
  readonly deviceId: string;
  readonly byteLength: number;
}

/** What restoreBackup() wrote: records per kind and access log entries. */
export interface RestoreResult {
  readonly counts: Readonly<Record<EntityKind, number>>;
  readonly accessLog: number;
  /** who made the file (their display name on the old phone; '' when the file does not say), and when */
  readonly createdBy: string;
  readonly createdAt: string;
}

export interface VaultSession {
  readonly user: VaultUser;
  readonly deviceId: string;
  /**
   * This person was added by someone else, who typed (so knows) their passphrase, and has not
   * changed it since (KeySlotRow.mustChangePassphrase): read at unlock, false once changePassphrase
   * succeeds. The app opens the records only after that change.
   */
  readonly mustChangePassphrase: boolean;
  list<T>(kind: EntityKind): Promise<StoredEntity<T>[]>;
  /**
   * As `list`, but a record damaged on the disk is set aside (its id in `unreadable`) instead of
   * failing the read: for the screens, never for a backup, an export or a sync.
   */
  listReadable<T>(kind: EntityKind): Promise<{ records: StoredEntity<T>[]; unreadable: string[] }>;
  get<T>(kind: EntityKind, id: string): Promise<StoredEntity<T> | undefined>;
  /** The ids of every record of a kind, from the keys alone (nothing decrypted). */
  recordIds(kind: EntityKind): Promise<readonly string[]>;
  /** Many records in one read (what a sync brought), each `undefined` where there is none, in the order asked. */
  getMany<T>(keys: readonly (readonly [EntityKind, string])[]): Promise<(StoredEntity<T> | undefined)[]>;
  /** Writes the record and its outbox entry in one transaction. */
  put<T>(kind: EntityKind, id: string, data: T, op: ChangeOp): Promise<void>;
  /**
   * Writes many records and their outbox entries (consecutive seqs) in one transaction: all or
   * nothing, so an imported file is taken whole or not at all.
   */
  putMany<T>(kind: EntityKind, items: readonly { id: string; data: T; op: ChangeOp }[]): Promise<void>;
  /**
   * Writes a new append-only record (evidence) and its outbox entry ('append') in one transaction.
   * Rejects with VaultError('duplicate') if a record with that id exists: evidence is never overwritten.
   * `demo` (a case about a demo household): stored as demo, with no outbox entry, and cleared with the demo data.
   * `dropDraft`: the draft of the form that wrote it, deleted in the same transaction: a lock or a
   * kill between the two must not bring the form back, unsaved, to be recorded a second time.
   */
  append<T>(kind: EntityKind, id: string, data: T, options?: { readonly demo?: boolean; readonly dropDraft?: string }): Promise<void>;
  /** Writes many demo records in one transaction (no outbox entries). */
  putDemo<T>(kind: EntityKind, items: readonly { id: string; data: T }[]): Promise<void>;
  /** Removes every demo record. Returns how many were removed. */
  clearDemo(): Promise<number>;
  logAccess(action: AccessAction, householdId: string | null, reason?: string): Promise<void>;
  /** The whole 閲覧記録 in the order written (a backup, a test): the screens scan it instead. */
  accessLog(): Promise<AccessLogEntry[]>;
  /**
   * The 閲覧記録 newest first (as written on this phone), a page of a few hundred at a time, so
   * that five years of it never sit in memory at once: `visit` returns true to stop.
   */
  scanAccessLog(visit: (page: AccessLogEntry[]) => boolean | void): Promise<void>;
  outbox(): Promise<OutboxEntry[]>;
  pendingChanges(): Promise<number>;
  /** The vault's side of sync: sync metadata, the hub link, acknowledgements and pulled pages. */
  readonly sync: SyncStore;
  saveDraft(key: string, value: unknown): Promise<void>;
  loadDraft<T>(key: string): Promise<T | undefined>;
  deleteDraft(key: string): Promise<void>;
  listDraftKeys(): Promise<string[]>;
  /** Derived data kept to start faster; sealed, never synced or backed up (see cache.ts). */
  saveCache(key: string, value: unknown): Promise<void>;
  /** undefined when absent or unreadable. */
  loadCache<T>(key: string): Promise<T | undefined>;
  /**
   * Enrols another user on this device; the current user re-enters their passphrase. The new slot
   * must change its passphrase (mustChangePassphrase) at its first unlock: it was typed here.
   */
  addUser(currentPassphrase: string, displayName: string, newPassphrase: string): Promise<VaultUser>;
  /**
   * Removes another person from this device: their key slot (they can no longer unlock it), their
   * own secrets, throttle row and personal drafts. Their unsent changes stay queued and are sent as
   * before. The current user re-enters their passphrase, through the unlock throttle
   * ('wrong-passphrase', 'throttled'); refuses the current user ('remove-self'), the last person
   * ('last-user') and an id with no slot ('unknown-user'). Writes a 'remove-user' access entry
   * naming them, in the same transaction. Returns who was removed.
   */
  removeUser(currentPassphrase: string, userId: string): Promise<VaultUser>;
  /**
   * Wraps the data key for a new passphrase ('weak-passphrase', 'unchanged-passphrase' when it is
   * the one in use) after the current one, checked like an unlock; clears mustChangePassphrase in
   * the same write as the new wrapping.
   */
  changePassphrase(currentPassphrase: string, newPassphrase: string): Promise<void>;
  /**
   * Every non-demo record, the access log and the outbox as one file encrypted with
   * `backupPassphrase` (see backup.ts). The current user re-enters their unlock passphrase first,
   * checked through the unlock throttle ('wrong-passphrase', 'throttled'; nothing is produced).
   * Writes an 'export-backup' access entry.
   */
  exportBackup(currentPassphrase: string, backupPassphrase: string): Promise<Uint8Array>;
  /**
   * Restores a backup into a device without records: all or nothing (see backup.ts). Writes a
   * 'restore-backup' access entry after a successful restore.
   */
  restoreBackup(bytes: Uint8Array, backupPassphrase: string): Promise<RestoreResult>;
  /** Drops the data key. Every later call rejects with VaultError('locked'). */
  lock(): void;
  readonly isLocked: boolean;
}

export interface Vault {
  isSetUp(): Promise<boolean>;
  listUsers(): Promise<VaultUser[]>;
  /** First use: creates the device data key and the first user's key slot. */
  setUp(displayName: string, passphrase: string): Promise<VaultSession>;
  unlock(userId: string, passphrase: string): Promise<VaultSession>;
  throttle(userId: string): Promise<UnlockThrottle>;
  /**
   * Read while locked, for the lock screen at a handover: whether the phone is joined to a hub, and
   * how many changes wait to be sent (refused ones not counted), how many of those are 閲覧記録
   * entries (every lock and unlock writes one, so a handover always has some), and how many the hub
   * refused (kept on the phone and listed under 設定). Counts only, nothing decrypted.
   */
  waiting(): Promise<{ readonly joined: boolean; readonly pending: number; readonly refused: number; readonly accessLog: number }>;
  settings(): Promise<DeviceSettings>;
  updateSettings(patch: Partial<DeviceSettings>): Promise<DeviceSettings>;
  close(): void;
  /**
   * The device retired and its database was deleted (another tab said so): every session locks and
   * the database is never opened again in this page; every later call rejects with 'wiped'.
   */
  markWiped(): void;
}
