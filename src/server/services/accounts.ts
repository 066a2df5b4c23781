/**
 * Accounts: sign-in (password + TOTP, throttled), sessions with an idle and an absolute expiry,
 * device enrolment with a device secret, and disabling users and devices. Every clock reading
 * comes from `now`, so tests move time instead of waiting for it.
 */
import type { SessionInfo, SessionUser } from '../../protocol/sync';
import type { DeviceRecord, SyncCallerFacts, UserRecord } from '../db/account-store';
import type { DeviceUserRecord } from '../db/device-users';
import type { AccountAudit } from '../db/account-audit';
import { StoreError, type Role, type Store } from '../db/store';
import {
  dummyPasswordHash,
  hashPassword,
  matchTotpStep,
  newToken,
  newTotpSecret,
  sameDigest,
  sha256Hex,
  TOTP_PERIOD_SECONDS,
  verifyPassword,
} from './credentials';
import { ServiceError } from './errors';
import { createGate } from './gate';
import { openSecret, sealSecret, SecretKeyError, secretKeyFromEnv, type SecretKeyEnv } from './secret-box';
import { SettingError } from '../setting-error';

export interface AccountsConfig {
  /** a session ends after this long without a request (SESSION_IDLE_MINUTES, default 30) */
  readonly idleMinutes: number;
  /** a session ends this long after sign-in whatever happens (SESSION_MAX_HOURS, default 12) */
  readonly maxHours: number;
  readonly now: () => Date;
  /** seals TOTP secrets at rest (secret-box.ts); null or absent: stored in clear */
  readonly secretKey?: Buffer | null;
  /** sign-ins checked at once (default SIGN_IN_CHECKS_IN_FLIGHT) and waiting for a slot (SIGN_INS_WAITING) */
  readonly maxSignInChecks?: number;
  readonly maxSignInsWaiting?: number;
  /**
   * Told of every password (argon2) and TOTP check as it starts; a function it returns is called
   * when a password check ends. Tests count them; a hub could export them.
   */
  readonly onCheck?: (kind: 'password' | 'totp') => (() => void) | void;
}

export interface AccountsEnv extends SecretKeyEnv {
  readonly SESSION_IDLE_MINUTES?: string | undefined;
  readonly SESSION_MAX_HOURS?: string | undefined;
  /** '1' when a TLS proxy in front adds X-Forwarded-For (read for the per-address sign-in throttle) */
  readonly TRUST_PROXY?: string | undefined;
}

export function accountsConfigFromEnv(env: AccountsEnv, now: () => Date = () => new Date()): AccountsConfig {
  const positive = (name: keyof AccountsEnv, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new SettingError(`${name} must be a positive number, got "${raw}"`);
    return value;
  };
  return { idleMinutes: positive('SESSION_IDLE_MINUTES', 30), maxHours: positive('SESSION_MAX_HOURS', 12), now, secretKey: secretKeyFromEnv(env) };
}

/** Failures of one login before it is locked. */
export const MAX_SIGN_IN_FAILURES = 5;

/**
 * Failures from one network address (over all logins) before it is locked: higher than per login,
 * because a hub's office shares one address behind its router, yet low enough that trying a few
 * passwords on every login of the hub stops quickly.
 */
export const MAX_SIGN_IN_FAILURES_PER_ADDRESS = 20;

/**
 * Failed sign-ins of a login, or from an address, count for 24 h from the first of them; the next
 * failure starts a new count [A4]. Without it a login attacked once stayed at its hour-long lock,
 * renewed by each later typo of its owner, for ever. Counts whose window and lock are over are
 * removed, at a sign-in and at most once every FORGET_EVERY_MS: the names typed there (a password
 * typed in the name field too) are not kept longer.
 */
export const FAILURE_WINDOW_SECONDS = 24 * 3600;
const FORGET_EVERY_MS = 3_600_000;

/** The lock at the limit: 30 s, doubling with each further failure, at most an hour (the store's SQL counts it). */
const LOCK = { lockSeconds: 30, maxLockSeconds: 3600, windowSeconds: FAILURE_WINDOW_SECONDS } as const;
const LOGIN_POLICY = { maxAttempts: MAX_SIGN_IN_FAILURES, ...LOCK } as const;
const ADDRESS_POLICY = { maxAttempts: MAX_SIGN_IN_FAILURES_PER_ADDRESS, ...LOCK } as const;

/**
 * Sign-ins checked at once: each argon2 verify takes 19 MiB and about 60 ms of a core, so a burst
 * of requests cannot take the hub's memory or CPU. Up to SIGN_INS_WAITING more wait their turn;
 * beyond that the answer is 503 `unavailable` with Retry-After [A4].
 */
export const SIGN_IN_CHECKS_IN_FLIGHT = 4;
export const SIGN_INS_WAITING = 32;
const BUSY_RETRY_SECONDS = 2;

const throttled = (lockedUntil: Date, now: Date) => {
  const seconds = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new ServiceError('throttled', `失敗が続いたため、しばらくサインインできません。${seconds}秒後にもう一度お試しください。`, undefined, seconds);
};

/**
 * Addresses share the throttle table with logins, under a tenant id no sign-in can name: the
 * sign-in's hub is at least one character. It was '(address)', which a sign-in could name as its
 * hub, with an office's address as its login, and so lock every sign-in from that address out.
 */
export const ADDRESS_THROTTLE = '';

const badCredentials = () =>
  new ServiceError('bad-credentials', '拠点ID・ログインID・パスワード・確認コードのいずれかが違います。');
/**
 * The password was right and so was the code, but the code (or a later one) was just taken by
 * another sign-in of the same user (two tabs or two phones pressing サインイン at once): a code
 * opens one session [A4], so this one waits for the next code. Said only after the password
 * check passed, so it tells a guesser nothing.
 */
const codeUsed = (seconds: number) =>
  new ServiceError(
    'bad-credentials',
    `この確認コードは使用済みです（同時に別のサインインで使われました）。${seconds}秒ほどで次のコードが表示されたら、それを入力してください。`,
    'code-used: the TOTP step was already taken by another sign-in',
    seconds,
  );
const signedOut = (detail: string) => new ServiceError('signed-out', 'サインインの有効期限が切れました。もう一度サインインしてください（未送信の変更は残っています）。', detail);
const retired = (detail: string) =>
  new ServiceError('retired', 'この端末または職員は停止されました。未送信の記録を送ってから、端末のデータを消去します。', detail);

/** Seconds until the next TOTP step begins (the next code appears in the authenticator app). */
function secondsToNextStep(now: Date): number {
  const period = TOTP_PERIOD_SECONDS * 1000;
  return Math.max(1, Math.ceil((period - (now.getTime() % period)) / 1000));
}

export interface Authenticated {
  readonly user: UserRecord;
  readonly info: SessionInfo;
  /** the session's id (SHA-256 hex of its token), which an enrolment ties to its device (A6) */
  readonly sessionId: string;
}

export function sessionUser(user: UserRecord): SessionUser {
  return {
    id: user.id,
    hub: user.tenantId,
    displayName: user.displayName,
    role: user.role,
    officeId: user.officeId,
    facilityId: user.facilityId,
  };
}

/** How stale `sessions.last_seen_at` may get before a request writes it again. */
export const TOUCH_EVERY_MS = 60_000;

export function createAccounts(store: Store, config: AccountsConfig) {
  const idleMs = config.idleMinutes * 60_000;
  const checks = createGate(config.maxSignInChecks ?? SIGN_IN_CHECKS_IN_FLIGHT, config.maxSignInsWaiting ?? SIGN_INS_WAITING);
  /** The user's TOTP secret, opened; a key that does not fit is the server's setup, not the client's. */
  const totpSecretOf = (user: UserRecord): string => {
    try {
      return openSecret(config.secretKey ?? null, user.totpSecret!, user.id);
    } catch (error) {
      if (!(error instanceof SecretKeyError)) throw error;
      console.error(`sign-in of ${user.id}: ${error.message}`);
      throw new ServiceError('unavailable', 'サーバーの設定に問題があるため、サインインできません。管理者に連絡してください。', 'secret key', 60);
    }
  };
  const info = (user: UserRecord, expiresAt: Date): SessionInfo => ({
    user: sessionUser(user),
    expiresAt: expiresAt.toISOString(),
    idleTimeoutSeconds: Math.round(config.idleMinutes * 60),
  });

  /** When the counts past their window were last removed (per server process). */
  let forgottenAt = -Infinity;
  async function forgetLapsedFailures(now: Date): Promise<void> {
    if (now.getTime() - forgottenAt < FORGET_EVERY_MS) return;
    forgottenAt = now.getTime();
    await store.forgetSignInFailures(new Date(now.getTime() - FAILURE_WINDOW_SECONDS * 1000), now);
  }

  /**
   * The session behind a cookie token, slid forward; ServiceError 'signed-out' when there is none.
   * `found`: the session and its user already read (checkSyncCaller); read here when absent.
   */
  async function sessionOf(token: string | undefined, found?: SyncCallerFacts): Promise<Authenticated> {
    if (token === undefined || token === '') throw signedOut('no session cookie');
    const now = config.now();
    const session = found === undefined ? await store.findSession(sha256Hex(token)) : found.session;
    if (session === null || session.endedAt !== null) throw signedOut('no such session, or it was ended');
    if (now >= session.expiresAt) {
      await store.endSession(session.id, now, 'expired');
      throw signedOut('the session reached its absolute expiry');
    }
    if (now.getTime() - session.lastSeenAt.getTime() >= idleMs) {
      await store.endSession(session.id, now, 'idle');
      throw signedOut('the session was idle too long');
    }
    const user = found === undefined ? await store.findUser(session.userId) : found.user;
    if (user === null || user.disabled) {
      await store.endSession(session.id, now, 'user-disabled');
      throw signedOut('the user is disabled');
    }
    // Disabling a device ends its sessions (disableDevice); this catches one opened through it
    // while it was being disabled, so a retired phone's cookie is never used again.
    if (session.deviceDisabled) {
      await store.endSession(session.id, now, 'device-disabled');
      throw signedOut(`device ${session.deviceId} this session was opened through is disabled`);
    }
    // [A5] The idle expiry slides at most once a minute: a sync every few seconds must not
    // write (and wait for a flushed commit) on every pull. A session may so end up to a minute
    // before SESSION_IDLE_MINUTES after its last request, never after.
    if (now.getTime() - session.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await store.touchSession(session.id, now);
    return { user, info: info(user, session.expiresAt), sessionId: session.id };
  }

  /** `found`: the device already read (the sync caller's one lookup); read here when absent. */
  async function deviceBySecret(deviceId: string | undefined, secret: string | undefined, found?: DeviceRecord | null): Promise<DeviceRecord> {
    if (deviceId === undefined || deviceId === '' || secret === undefined || secret === '') {
      throw new ServiceError('forbidden', '端末の認証情報がありません。端末を登録し直してください。', 'device id and secret headers are required');
    }
    const device = found === undefined ? await store.findDevice(deviceId) : found;
    if (device === null) throw new ServiceError('unknown-device', 'この端末はまだ登録されていません。', `device ${deviceId} is not enrolled`);
    if (device.secretHash === null || !sameDigest(sha256Hex(secret), device.secretHash)) {
      throw new ServiceError('forbidden', '端末の認証に失敗しました。端末を登録し直してください。', 'wrong device secret');
    }
    return device;
  }

  return {
    /**
     * Signs in; returns the cookie token (only its hash is stored) and the session. `address`: the
     * client's network address, when known (per-address throttle). The attempt is taken from the
     * address's and the login's allowance before anything is checked, so attempts sent at once
     * are counted like attempts sent one after another [A4].
     */
    async signIn(
      req: { hub: string; loginName: string; password: string; totp: string },
      address?: string,
    ): Promise<{ token: string; info: SessionInfo }> {
      const now = config.now();
      await forgetLapsedFailures(now);
      const loginKey = { tenantId: req.hub, name: req.loginName };
      const addressKey = address === undefined ? null : { tenantId: ADDRESS_THROTTLE, name: address };
      const gated = await checks.run(async () => {
        if (addressKey !== null) {
          const fromAddress = await store.reserveSignIn(addressKey, now, ADDRESS_POLICY);
          if (!fromAddress.allowed) throw throttled(fromAddress.lockedUntil, now);
        }
        const ofLogin = await store.reserveSignIn(loginKey, now, LOGIN_POLICY);
        if (!ofLogin.allowed) {
          // Not checked, so the address did not spend an attempt on it.
          if (addressKey !== null) await store.refundSignIn(addressKey, ADDRESS_POLICY);
          throw throttled(ofLogin.lockedUntil, now);
        }
        const user = await store.findUserByLogin(req.hub, req.loginName);
        // Always one argon2 verify, whether or not the login exists.
        const checked = config.onCheck?.('password');
        let passwordOk: boolean;
        try {
          passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), req.password);
        } finally {
          checked?.();
        }
        if (user === null || user.disabled || user.passwordHash === null || user.totpSecret === null || !passwordOk) return null;
        config.onCheck?.('totp');
        const step = matchTotpStep(totpSecretOf(user), req.totp, now);
        if (step === null) return null;
        return (await store.takeTotpStep(user.id, step)) ? user : ('code-used' as const);
      });
      if (gated === null) {
        throw new ServiceError('unavailable', 'サインインが混み合っています。少し待ってからもう一度お試しください。', 'too many sign-in checks in flight', BUSY_RETRY_SECONDS);
      }
      const user = gated.value;
      if (user === null) throw badCredentials();
      if (user === 'code-used') throw codeUsed(secondsToNextStep(now));
      await store.clearSignInAttempts(loginKey);
      if (addressKey !== null) await store.refundSignIn(addressKey, ADDRESS_POLICY);
      const token = newToken();
      const expiresAt = new Date(now.getTime() + config.maxHours * 3_600_000);
      await store.createSession({ id: sha256Hex(token), tenantId: user.tenantId, userId: user.id, createdAt: now, expiresAt });
      return { token, info: info(user, expiresAt) };
    },

    /** The session behind a cookie token, slid forward; ServiceError 'signed-out' when there is none. */
    authenticate(token: string | undefined): Promise<Authenticated> {
      return sessionOf(token);
    },

    /**
     * A sync request's caller: its device (checkDevice), then its session (authenticate), then
     * that the session's user has signed in on the device, the same checks in the same order,
     * read in one statement rather than four round trips.
     */
    async checkSyncCaller(
      deviceId: string | undefined,
      secret: string | undefined,
      token: string | undefined,
    ): Promise<{ readonly device: DeviceRecord; readonly user: UserRecord; readonly member: DeviceUserRecord | null }> {
      const facts =
        deviceId === undefined || deviceId === '' || token === undefined || token === ''
          ? undefined
          : await store.findSyncCaller(deviceId, sha256Hex(token));
      const device = await deviceBySecret(deviceId, secret, facts?.device);
      if (device.disabled) throw retired(`device ${device.id} is disabled`);
      if (device.userDisabled) throw retired(`the user of device ${device.id} is disabled`);
      const { user } = await sessionOf(token, facts);
      return { device, user, member: facts?.member ?? null };
    },

    async signOut(token: string | undefined): Promise<void> {
      if (token === undefined || token === '') return;
      await store.endSession(sha256Hex(token), config.now(), 'signed-out');
    },

    /**
     * The device behind the sync headers: its secret checked in constant time, then whether it or
     * its user was disabled (410 before any session check, so a retired device learns it at once).
     */
    async checkDevice(deviceId: string | undefined, secret: string | undefined): Promise<DeviceRecord> {
      const device = await deviceBySecret(deviceId, secret);
      if (device.disabled) throw retired(`device ${device.id} is disabled`);
      if (device.userDisabled) throw retired(`the user of device ${device.id} is disabled`);
      return device;
    },

    /**
     * The device behind the headers of POST /api/sync/retire and …/done: it must be retired
     * (disabled, or its user). Its last evidence is taken until it says it has erased its data:
     * after that nothing more can come from it, and the secret alone (which whoever held the
     * phone may know) must not go on adding evidence. `done` may be said again (its answer lost).
     */
    async checkRetiringDevice(deviceId: string | undefined, secret: string | undefined, step: 'push' | 'done' = 'push'): Promise<DeviceRecord> {
      const device = await deviceBySecret(deviceId, secret);
      if (!device.disabled && !device.userDisabled) {
        throw new ServiceError('forbidden', 'この端末は停止されていません。通常の同期を使ってください。', 'retire is only for a disabled device or user');
      }
      if (step === 'push' && device.wipedAt != null) {
        throw new ServiceError('forbidden', 'この端末はデータの消去を報告済みです。これ以上の記録は受け取れません。', `device ${device.id} reported its data erased at ${device.wipedAt.toISOString()}`);
      }
      return device;
    },

    /**
     * Creates a user with a password and a fresh TOTP secret (the admin command), in one statement:
     * no account is left without its credentials. `audit`: its account_audit row, in the same transaction.
     */
    async createUser(
      u: {
        id: string;
        tenantId: string;
        role: Role;
        loginName: string;
        displayName: string;
        officeId?: string | null;
        facilityId?: string | null;
        password: string;
      },
      audit?: AccountAudit,
    ): Promise<{ totpSecret: string }> {
      const { password, ...rest } = u;
      const totpSecret = newTotpSecret();
      const passwordHash = await hashPassword(password);
      await store.createUser({ ...rest, credentials: { passwordHash, totpSecret: sealSecret(config.secretKey ?? null, totpSecret, u.id) } }, audit);
      return { totpSecret };
    },

    /**
     * A new password and TOTP secret for a user who lost theirs (the admin command): the old ones
     * stop working, and every session they signed in with ends. Their devices open new sessions
     * with their device secrets, as after any end of a session.
     */
    async resetCredentials(
      user: { id: string; tenantId: string; loginName: string },
      password: string,
      audit?: AccountAudit,
    ): Promise<{ totpSecret: string }> {
      const totpSecret = newTotpSecret();
      const passwordHash = await hashPassword(password);
      // The audit row commits with the new credentials; the sessions end and the lock lifts after.
      await store.setCredentials(user.id, { passwordHash, totpSecret: sealSecret(config.secretKey ?? null, totpSecret, user.id) }, audit);
      await store.endSessionsOfUser(user.id, config.now(), 'signed-out');
      // Whoever needs a reset has usually failed often: their login's lock would refuse the new password for up to an hour.
      await store.clearSignInAttempts({ tenantId: user.tenantId, name: user.loginName });
      return { totpSecret };
    },

    /**
     * Disables a user: their sessions end now, and their devices are answered 410 from now on.
     * `audit` commits with the disabling; the sessions end after it.
     */
    async disableUser(userId: string, audit?: AccountAudit): Promise<boolean> {
      const changed = await store.setDisabled('user', userId, true, audit);
      await store.endSessionsOfUser(userId, config.now(), 'user-disabled');
      return changed;
    },

    /**
     * Enables a user disabled by mistake. Their sessions ended with the disabling; their device
     * tokens, refused while it lasted, work again (revoke-device-user ends one for good). A phone of
     * theirs that has already retired and wiped stays so; one that took them off meanwhile (A10)
     * has them added again, and they sign in there with their password and code once an admin has
     * revoked their old sign-in on it (revoke-device-user: it is bound to the key slot that went).
     */
    async enableUser(userId: string, audit?: AccountAudit): Promise<boolean> {
      return store.setDisabled('user', userId, false, audit);
    },

    /**
     * Disables a device: it is answered 410 from now on, and the sessions opened through it end now
     * (with any session of its users tied to no device, which may have enrolled it before migration
     * 20): the browser of a phone that retires and wipes keeps its cookie, which must not enrol
     * another device. Its users' sessions on their other devices go on.
     */
    async disableDevice(deviceId: string, audit?: AccountAudit): Promise<boolean> {
      const changed = await store.setDisabled('device', deviceId, true, audit);
      await store.endSessionsOfDevice(deviceId, config.now());
      return changed;
    },
  };
}

export type Accounts = ReturnType<typeof createAccounts>;
