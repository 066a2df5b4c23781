/**
 * The part of the Store that accounts, sessions and device enrolment use (issue 5, part 2):
 * users' credentials, sessions, the sign-in throttle, device secrets, and the facts the sync
 * service needs to decide a change's office [S10]. Secrets arrive here already hashed.
 * Implemented over SQL in account-sql.ts; Store (store.ts) extends it.
 */
import type { DeviceListing, QuarantineItem, QuarantinedChange } from './retirement-sql';
import type { ChangeResult, PushedChange, RefusalReason, Role } from './store';
import type { DeviceUserRecord } from './device-users';
import type { EvidenceReceipt } from '../../protocol/countersign';
import type { AccountAudit } from './account-audit';

export interface UserRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly loginName: string;
  readonly displayName: string;
  readonly officeId: string | null;
  readonly facilityId: string | null;
  readonly disabled: boolean;
  /** when the user was stopped (migration 26); null while not stopped, absent where not read */
  readonly disabledAt?: Date | null;
  /** argon2id PHC string, or null until the admin command sets one */
  readonly passwordHash: string | null;
  /** base32 TOTP secret, or null until set */
  readonly totpSecret: string | null;
  /** the TOTP step of the last code taken (replay guard) */
  readonly totpLastStep: number | null;
}

export interface SessionRecord {
  /** SHA-256 hex of the cookie token */
  readonly id: string;
  readonly tenantId: string;
  readonly userId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** absolute expiry */
  readonly expiresAt: Date;
  readonly endedAt: Date | null;
  /**
   * The device it was opened through (migration 20): the device token's, or the device it enrolled.
   * Null for a password sign-in that enrolled nothing yet, and for sessions from before migration 20.
   */
  readonly deviceId: string | null;
  /** that device is disabled: the session is not used again (A5) */
  readonly deviceDisabled: boolean;
}

export type SessionEndReason = 'signed-out' | 'idle' | 'expired' | 'user-disabled' | 'device-disabled' | 'device-user-revoked';

export interface DeviceRecord {
  readonly id: string;
  readonly tenantId: string;
  /** the user who registered it (or an admin handed it to); its other users are in device_users */
  readonly userId: string;
  readonly name: string;
  readonly disabled: boolean;
  /** when the device was stopped (migration 26); null while not stopped, absent where not read */
  readonly disabledAt?: Date | null;
  /** every user who signed in on the device is disabled (it retires, A7) */
  readonly userDisabled: boolean;
  /** SHA-256 hex of the device secret, or null for a device registered without one */
  readonly secretHash: string | null;
  readonly lastSeq: number;
  /** when the retired device said it had erased its data (POST /api/sync/retire/done); read by findDevice */
  readonly wipedAt?: Date | null;
  /**
   * When the hub first served it a pull page, its full copy recorded (migration 27); null: it never
   * pulled, so its next pull is a full copy whatever its cursor. Absent where not read.
   */
  readonly firstPullAt?: Date | null;
}

/** What sign-in attempts are counted on: a hub + login name, or an address (under a tenant id no hub has). */
export interface ThrottleKey {
  readonly tenantId: string;
  readonly name: string;
}

/**
 * The lock: the attempt that reaches maxAttempts locks for lockSeconds, each further one doubles it,
 * at most maxLockSeconds. Failures count for windowSeconds from the first of them; the first
 * failure after that starts a new count.
 */
export interface ThrottlePolicy {
  readonly maxAttempts: number;
  readonly lockSeconds: number;
  readonly maxLockSeconds: number;
  readonly windowSeconds: number;
}

export type Reservation = { readonly allowed: true; readonly attempts: number } | { readonly allowed: false; readonly lockedUntil: Date };

/** What the server already holds that decides a pushed change's office [S10]. */
export interface ScopeFacts {
  /** the hub's office ids */
  readonly officeIds: ReadonlySet<string>;
  /** household id → the office it is held under (absent: not held) */
  readonly households: ReadonlyMap<string, string | null>;
  /** case id → the office its earlier entries are held under (absent: no entry held) */
  readonly cases: ReadonlyMap<string, string | null>;
  /**
   * trial stay id → as held now (absent: not held): the office its household is held under now
   * (null when that household is not held), and its facility. A case worker may write a stay only
   * when the family it is held for is their office's; a liaison, only a stay at their facility.
   */
  readonly trialStays: ReadonlyMap<string, HeldTrialStay>;
}

export interface HeldTrialStay {
  /** the household it is held for (null when its payload names none) */
  readonly householdId: string | null;
  readonly householdOffice: string | null;
  readonly facilityId: string | null;
}

export interface PushOptions {
  /**
   * The device or its user is disabled and sends its last evidence (POST /api/sync/retire): the
   * disabled checks are skipped. The caller passes only append-only kinds.
   */
  readonly retiring?: boolean;
  /**
   * A9: the ids a case entry's `recordedBy.userId` may carry for the author of these changes:
   * their hub user id and their user id in this device's vault. Absent: the pushing user's id only.
   */
  readonly authorIds?: readonly string[];
  /**
   * [K4][S15] Receipts the device carried for case entries it sent again after a restore, each
   * checked against the hub key and naming this hub: kept for the entries this push writes, in
   * place of signing them anew (db/countersign.ts adoptReceipts).
   */
  readonly carriedReceipts?: readonly EvidenceReceipt[];
}

export interface SyncCallerFacts {
  readonly device: DeviceRecord | null;
  readonly session: SessionRecord | null;
  /** the session's user */
  readonly user: UserRecord | null;
  /** the session's user's sign-in on the device (A6) */
  readonly member: DeviceUserRecord | null;
}

export interface AccountStore {
  findUser(userId: string): Promise<UserRecord | null>;
  findUserByLogin(tenantId: string, loginName: string): Promise<UserRecord | null>;
  listUsers(tenantId: string): Promise<readonly UserRecord[]>;
  /** users over all hubs: 0 means nobody can sign in yet (npm start says how to make the first admin) */
  countUsers(): Promise<number>;
  /**
   * One user's TOTP secret as stored sealed (secret-box.ts), of any hub, or null when none is: the
   * server has one key for every hub, so a command checks its key against it.
   */
  anySealedSecret(): Promise<{ readonly userId: string; readonly stored: string } | null>;
  /** With `audit`, in one transaction with its account_audit row (reset-credentials). */
  setCredentials(userId: string, c: { readonly passwordHash: string; readonly totpSecret: string }, audit?: AccountAudit): Promise<void>;
  /** Takes a TOTP step for the user if it is later than the last one taken; false when it is not (a replay). */
  takeTotpStep(userId: string, step: number): Promise<boolean>;

  /**
   * Takes one sign-in attempt on the key before any password or TOTP is checked [A4], atomically:
   * refused while the key is locked; the attempt that reaches the limit sets the lock.
   */
  reserveSignIn(key: ThrottleKey, at: Date, policy: ThrottlePolicy): Promise<Reservation>;
  /** Gives back an attempt that was not checked, or that succeeded (an address's count). */
  refundSignIn(key: ThrottleKey, policy: ThrottlePolicy): Promise<void>;
  /** A successful sign-in clears its login's count. */
  clearSignInAttempts(key: ThrottleKey): Promise<void>;
  /** Removes the counts whose window began at or before `windowFrom` and whose lock, if any, is over at `at`; how many. */
  forgetSignInFailures(windowFrom: Date, at: Date): Promise<number>;

  /** `deviceId`: the device the session is opened through (a device token's, A8); absent for a password sign-in. */
  createSession(s: {
    readonly id: string;
    readonly tenantId: string;
    readonly userId: string;
    readonly createdAt: Date;
    readonly expiresAt: Date;
    readonly deviceId?: string;
  }): Promise<void>;
  findSession(id: string): Promise<SessionRecord | null>;
  touchSession(id: string, at: Date): Promise<void>;
  endSession(id: string, at: Date, reason: SessionEndReason): Promise<void>;
  /** Ends every open session of a user; returns how many. */
  endSessionsOfUser(userId: string, at: Date, reason: SessionEndReason): Promise<number>;
  /**
   * Ends, with reason 'device-disabled', every open session opened through the device, and every
   * open session of its users that names no device (a password sign-in that enrolled nothing, or
   * one from before migration 20, which may have enrolled it); returns how many.
   */
  endSessionsOfDevice(deviceId: string, at: Date): Promise<number>;

  findDevice(id: string): Promise<DeviceRecord | null>;
  /**
   * What a sync request's checks read, in one statement: the device, the session of `sessionId`,
   * its user, and that user's sign-in on the device (each null when there is none).
   */
  findSyncCaller(deviceId: string, sessionId: string): Promise<SyncCallerFacts>;
  /**
   * A pull that copies a scope from the beginning (services/hub-access.ts): its account_audit row
   * ('full-pull', under the device and the user's login) and the device's first_pull_at when it has
   * none, in one statement (migration 27). Throws when the row cannot be written: the pull then
   * fails, and sends nothing.
   */
  recordFullPull(tenantId: string, deviceId: string, access: { readonly detail: string; readonly by: string }): Promise<void>;

  scopeFacts(tenantId: string, householdIds: readonly string[], caseIds: readonly string[], trialStayIds?: readonly string[]): Promise<ScopeFacts>;
  /**
   * Records a change the sync service refused before it reached applyPush (reason 'scope'), so its
   * seq is taken and the refusal kept like any other [S3][S11]. Returns null when the seq was taken
   * before: the caller sends the change through applyPush for the answer it got then [S4].
   */
  recordRefusal(
    deviceId: string,
    userId: string,
    change: PushedChange,
    refusal: { readonly reason: RefusalReason; readonly detail: string },
    options?: PushOptions,
  ): Promise<ChangeResult | null>;

  /** Retirement (migration 6): the changes a retiring device sent that were refused, kept for an admin. */
  quarantineChanges(deviceId: string, items: readonly QuarantineItem[], at: Date): Promise<void>;
  /** Records that a retired device's last changes were all answered ('sent'), or that it wipes now ('wiped'). */
  markRetirement(deviceId: string, step: 'sent' | 'wiped', at: Date): Promise<void>;
  listDevices(tenantId: string): Promise<readonly DeviceListing[]>;
  listQuarantine(tenantId: string): Promise<readonly QuarantinedChange[]>;
  resolveQuarantined(tenantId: string, id: number, resolution: string, at: Date, audit?: AccountAudit): Promise<void>;
  /**
   * Brings back a device stopped by mistake (disable-device) that has not been in touch since: not
   * begun to send its data (retire) nor wiped. Null when it was not stopped; StoreError
   * 'device-disabled' when it has already begun to retire, 'not-found' for no such device.
   */
  enableDevice(deviceId: string, audit?: AccountAudit): Promise<boolean>;
}
