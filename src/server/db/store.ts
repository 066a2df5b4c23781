/**
 * The hub server's storage contract: what the sync protocol may ask of the database.
 * Two ways to open it (postgres-store.ts over DATABASE_URL, embedded-store.ts over ./data/) run the
 * same SQL (sql-store.ts); one contract suite (test/integration/store-contract.ts) checks both.
 * The rules cited as [S…] are written up in docs/hub-server.md.
 */
import type { EpochStore, MarkedCursor } from './epoch';
import type { AccountStore, PushOptions } from './account-store';
import type { StoredKind } from '../../protocol/records';
import type { AdminRecord, AuditEntry, WithdrawRecord } from './record-admin';
import type { DeviceUserStore } from './device-users';
import type { CountersignStore, SigningKeyStore } from './countersign';
import type { AccountAudit, AccountChange, AuditTrailEntry, DeviceSignIn } from './account-audit';
import type { AccessLogFilter, HeldAccessEntry } from './access-log';

/**
 * What a device's change log may carry, the roles, the refusal reasons and the size limits are the
 * wire protocol's (src/protocol/sync.ts): one list for the server, the app and these storage rules.
 */
import { CHANGE_KINDS, CHANGE_OPS, MERGED_KINDS as MERGED_KIND_LIST, type ChangeKind, type ChangeOp, type RefusalReason, type Role } from '../../protocol/sync';
import { FUNCTION_BONUS_KINDS } from '../../protocol/constants';

export { CHANGE_KINDS, CHANGE_OPS };
export type { ChangeKind, ChangeOp, RefusalReason, Role };

/** Kinds kept as current state per id and handed out by pull. 'access' (閲覧記録) is audit only. */
export const RECORD_KINDS: ReadonlySet<ChangeKind> = new Set(['household', 'facility', 'office', 'case-entry', 'month-close', 'trial-stay', ...FUNCTION_BONUS_KINDS]);
/** Kinds that are written once ('append') and never changed: evidence and the access log. */
export const APPEND_ONLY_KINDS: ReadonlySet<ChangeKind> = new Set(['case-entry', 'month-close', 'access']);

/** One entry of a device's outbox as the server receives it. */
export interface PushedChange {
  /** per-device, strictly increasing from 1, no gaps [S3] */
  readonly seq: number;
  /** UUID of this mutation; the same mutation arriving again is a duplicate [S5] */
  readonly mutationId: string;
  readonly kind: ChangeKind;
  readonly entityId: string;
  readonly op: ChangeOp;
  /** the device's clock (ISO instant): kept for display, never used for ordering [S9] */
  readonly at: string;
  readonly payload: unknown;
  /**
   * The office whose members may pull this record, or null for hub-wide records (facilities,
   * offices). Decided by the sync service from the payload and the pusher's role; the store never
   * guesses it [S10].
   */
  readonly officeId: string | null;
  /**
   * The author writes only their own office's records (a case worker's household edit): refused
   * as `scope` when, by the time the push holds the hub's counter, the record is held under another
   * office than `officeId` (a move committed since the sync service decided).
   */
  readonly ownOfficeOnly?: boolean;
  /**
   * For merged kinds (household, facility, office): the version of the record the edit was made
   * on, or null/absent when the device never pulled it [S14]. Ignored for append-only kinds.
   */
  readonly baseVersion?: number | null;
}

/** Kinds merged field by field against the edit's base version [S14]. */
export const MERGED_KINDS: ReadonlySet<ChangeKind> = new Set(MERGED_KIND_LIST);

export type ChangeResult =
  | { readonly seq: number; readonly mutationId: string; readonly status: 'accepted'; readonly version: number }
  /** already held: the version it was accepted under (retry, replay or the same evidence again) */
  | { readonly seq: number; readonly mutationId: string; readonly status: 'duplicate'; readonly version: number }
  | {
      readonly seq: number;
      readonly mutationId: string;
      readonly status: 'refused';
      readonly reason: RefusalReason;
      /** for the developer and the admin: what exactly did not hold */
      readonly detail: string;
      /** true only for 'gap': the same change will be taken once the missing ones arrive */
      readonly retryable: boolean;
    };

export interface PullScope {
  readonly tenantId: string;
  /** offices whose records the user may hold, or 'all' (coordinator, admin) [S10] */
  readonly officeIds: readonly string[] | 'all';
  /** a facility liaison: only this facility's record, nothing else [S10] */
  readonly facilityId?: string;
}

export interface PulledRecord {
  readonly kind: Exclude<ChangeKind, 'access'>;
  readonly entityId: string;
  /** the version of the change that made this state */
  readonly version: number;
  readonly officeId: string | null;
  readonly withdrawn: boolean;
  /** the payload as the device sent it (JSON text): evidence comes back byte for byte [S6] */
  readonly payloadJson: string;
}

export interface PullPage {
  readonly records: readonly PulledRecord[];
  /** pass back as the next cursor; every version up to it has been seen [S2] */
  readonly cursor: number;
  readonly hasMore: boolean;
}

/**
 * A pull page as the API answers it, read in one statement: the records already as JSON text,
 * built by PostgreSQL from the stored payload text (the hub neither parses nor re-serialises them),
 * with the epoch, the head and the open-conflict count of the same snapshot [S2][S15].
 */
export interface PullAnswer {
  /**
   * the page's records as UTF-8 bytes, in pieces as PostgreSQL sent them: each a WireRecord as
   * JSON text, separated by commas and newlines (nothing when none); spliced into a JSON array as they are.
   * For a scope of offices, with a removal (R4's form) for each record that left one of them [S10].
   */
  readonly records: readonly Buffer[];
  /** how many WireRecords `records` holds, removals included */
  readonly count: number;
  /** pass back as the next cursor (in `epoch`); every version up to it has been seen [S2] */
  readonly cursor: number;
  readonly hasMore: boolean;
  /** the case entries of the page that are not withdrawn: their receipts go with it [K5] */
  readonly caseEntryIds: readonly string[];
  readonly epoch: string;
  /** the hub's floor in this epoch */
  readonly floor: number;
  /** the cursor named another epoch, so the page started from the beginning [S15] */
  readonly epochChanged: boolean;
  /** open same-field conflicts on records in scope [S14] */
  readonly openConflicts: number;
  /**
   * Asked for with `timeline` [S15]: the hub's head and clock in the page's snapshot (the mark of a
   * cursor at or below `head`), and whether the marked cursor asked about is of another timeline of
   * this epoch (the page then started from the beginning, and `floor` is what the device saw).
   */
  readonly timeline?: { readonly head: number; readonly mark: number; readonly diverged: { readonly floor: number } | null };
}

/** A refused change kept for the admin's report and the device's screen [S11]. */
export interface Refusal {
  readonly deviceId: string;
  readonly seq: number;
  readonly mutationId: string;
  readonly userId: string;
  readonly kind: string;
  readonly entityId: string;
  readonly reason: RefusalReason;
  readonly detail: string;
  /** the payload as received, JSON text */
  readonly payloadJson: string;
  readonly receivedAt: string;
}

/** A same-field conflict of the merge [S14]: the value the server kept and the one that lost. */
export interface Conflict {
  readonly id: string;
  readonly kind: (typeof MERGED_KIND_LIST)[number];
  readonly entityId: string;
  /** where in the record, e.g. `persons[p-1].medication` */
  readonly field: string;
  readonly baseVersion: number | null;
  readonly keptVersion: number;
  readonly keptValue: unknown;
  readonly lostVersion: number;
  readonly lostValue: unknown;
  /** display names of the users whose changes made each side */
  readonly keptBy: string;
  readonly lostBy: string;
  readonly createdAt: string;
}

export interface StoreHealth {
  readonly ok: boolean;
  readonly engine: 'postgres' | 'embedded-postgres';
  /** highest migration applied */
  readonly schemaVersion: number;
  /** highest change version committed */
  readonly headVersion: number;
}

export type StoreErrorCode =
  /** the request as a whole is malformed (seqs out of order, not integers, too many) */
  | 'bad-request'
  | 'unknown-device'
  /** the device is registered to another user */
  | 'forbidden'
  | 'device-disabled'
  | 'user-disabled'
  /** creating an account or device whose id or login is taken */
  | 'exists'
  | 'not-found'
  /** the database has migrations this server does not know (it is older than the data) */
  | 'schema-too-new';

/** An error about the request as a whole; the HTTP layer answers it with a 4xx. */
/** The keys of what the hub keeps for the audit, per kind (Store.listKeptEvidence). */
export interface KeptEvidence {
  readonly caseEntries: readonly string[];
  readonly monthCloses: readonly string[];
  /** how many: one row per unlock and opening, years of them */
  readonly accessEntries: number;
  /** how many rows of what users did through the API: devices registered, full copies pulled (migration 27) */
  readonly hubAccess: number;
}

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface Store extends AccountStore, DeviceUserStore, CountersignStore, SigningKeyStore, EpochStore {
  /** Applies the migrations not yet applied, in order, in one transaction; a no-op when up to date [S1]. */
  migrate(): Promise<{ readonly applied: readonly number[]; readonly schemaVersion: number }>;

  /**
   * The account changes of the admin commands take an `audit`: then the change and its account_audit
   * row (migration 22) commit in one transaction, under the hub of what was changed.
   */
  createTenant(t: { readonly id: string; readonly name: string }, audit?: AccountAudit): Promise<void>;
  /** Whether a hub (tenant) of this id exists: the admin commands name an unknown one instead of listing nothing. */
  hubExists(tenantId: string): Promise<boolean>;
  createOffice(o: { readonly id: string; readonly tenantId: string; readonly name: string }): Promise<void>;
  /** With its credentials when given (already hashed and sealed), in the same statement. */
  createUser(
    u: {
      readonly id: string;
      readonly tenantId: string;
      readonly role: Role;
      readonly loginName: string;
      readonly displayName: string;
      readonly officeId?: string | null;
      readonly facilityId?: string | null;
      readonly credentials?: { readonly passwordHash: string; readonly totpSecret: string };
    },
    audit?: AccountAudit,
  ): Promise<void>;
  registerDevice(d: { readonly id: string; readonly userId: string; readonly name?: string }): Promise<void>;
  /** false when it already was (nothing changed, no audit row); StoreError 'not-found' when there is no such user or device */
  setDisabled(what: 'user' | 'device', id: string, disabled: boolean, audit?: AccountAudit): Promise<boolean>;

  /**
   * Takes a device's changes, in seq order, in one transaction; answers each change on its own
   * [S3]-[S9]. Throws StoreError for a request that is wrong as a whole (nothing is written then).
   */
  applyPush(deviceId: string, userId: string, changes: readonly PushedChange[], options?: PushOptions): Promise<readonly ChangeResult[]>;

  /** Records in scope with a version above the cursor, oldest first [S2][S10]. */
  pullSince(cursor: number, scope: PullScope, limit: number): Promise<PullPage>;
  /**
   * A pull page as the API answers it, in one statement. With `timeline`, also the hub's mark and
   * (for a marked cursor) whether it is of this timeline [S15], in the same statement.
   */
  pullAnswer(
    cursor: { readonly epoch: string | null; readonly version: number },
    scope: PullScope,
    limit: number,
    timeline?: { readonly marked?: MarkedCursor },
  ): Promise<PullAnswer>;

  /** Refused changes of a hub, newest first: the report an admin reads [S7][S11]. */
  listRefusals(tenantId: string, limit?: number): Promise<readonly Refusal[]>;

  /** Open same-field conflicts on records in scope, oldest first [S14]. */
  listConflicts(scope: PullScope, limit?: number): Promise<readonly Conflict[]>;
  countOpenConflicts(scope: PullScope): Promise<number>;
  /**
   * Marks a conflict settled by `userId`. Throws StoreError('not-found') for an id that is not an
   * open conflict of a record in scope.
   */
  /** closes a conflict within the scope, of a kind in `kinds` (those the user's role writes): not-found otherwise */
  resolveConflict(scope: PullScope, conflictId: string, userId: string, kinds: readonly string[]): Promise<void>;

  /** [R5] Every record of a hub (or one kind), each checked as the app would read it (record-admin.ts). */
  listRecords(tenantId: string, kind?: StoredKind): Promise<readonly AdminRecord[]>;
  /** [R5][R4] Withdraws a record from every device, with an admin_audit row; never evidence. */
  withdrawRecord(w: WithdrawRecord): Promise<{ readonly version: number }>;
  /**
   * A new office from the command line: its scope row and the office record devices pull, in one
   * transaction (issue 14). Throws StoreError 'bad-request' (not a record the app reads), 'exists'.
   */
  putHubOffice(tenantId: string, office: { readonly id: string; readonly name: string }, audit?: AccountAudit): Promise<{ readonly version: number }>;
  listAudit(tenantId: string): Promise<readonly AuditEntry[]>;
  /** What the admin commands changed (account_audit) and withdrew (admin_audit), newest first (`list-audit`). */
  listAuditTrail(tenantId: string, limit?: number): Promise<readonly AuditTrailEntry[]>;
  /** Every account change of every hub, oldest first (a restore says which the backup lacks). */
  listAccountChanges(): Promise<readonly AccountChange[]>;
  /** Every standing sign-in of a person on a phone, of every hub (a restore names those it lost). */
  listDeviceSignIns(): Promise<readonly DeviceSignIn[]>;
  /** The 閲覧記録 entries a hub holds, newest first, filtered (`list-access`, db/access-log.ts). */
  listAccessLog(tenantId: string, filter: AccessLogFilter): Promise<readonly HeldAccessEntry[]>;
  /**
   * What the hub holds that no one may rewrite, as `hub\u0001id` keys: case entries, 請求済み records
   * and 閲覧記録 entries, and its own record of devices registered and full copies pulled (the last
   * two by count; a restore says how many of the database it replaces the backup lacks).
   */
  listKeptEvidence(): Promise<KeptEvidence>;

  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
