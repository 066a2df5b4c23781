/**
 * The users of a device (docs/sync-protocol.md A6, A8-A10): enrolment that never moves a device
 * from one user to another, the per-user device token that opens a session without the password,
 * and who is credited with each pushed change. Kept apart from accounts.ts (sign-in and throttle).
 */
import type { ChangeResult, EnrolResponse, SessionInfo, WireChange } from '../../protocol/sync';
import type { DeviceRecord, PushOptions, UserRecord } from '../db/account-store';
import type { DeviceUserRecord } from '../db/device-users';
import { StoreError, type Store } from '../db/store';
import { AlreadyEnrolledError, HubUserBoundError, SessionDeviceError, VaultUserTakenError } from '../db/device-users';
import type { AccountsConfig } from './accounts';
import { sessionUser } from './accounts';
import { newToken, sha256Hex } from './credentials';
import { ServiceError } from './errors';

const retired = (detail: string) =>
  new ServiceError('retired', 'この端末または職員は停止されました。未送信の記録を送ってから、端末のデータを消去します。', detail);
const tokenRefused = (detail: string) =>
  new ServiceError('signed-out', 'この端末でのサインインが無効になりました。もう一度サインインしてください（未送信の変更は残っています）。', detail);

/** Who a pushed change is credited to, and whether that user is disabled (evidence only, then). */
export interface Author {
  readonly user: UserRecord;
  readonly disabled: boolean;
  /** what their case entries may carry as recordedBy.userId: hub id, and vault user id on this device */
  readonly ids: readonly string[];
  /**
   * Retiring only: the change names an author who never signed in on the device. It is refused
   * 'author' (not retryable) and kept with its payload in the receipts for the admin, under the
   * device's registering user, so the phone can finish retiring without crediting anyone wrongly.
   */
  readonly unattributed?: string;
}

/**
 * [A9] The author of each change (its `author`, or the session's user), as one of the device's
 * users. The first change whose author has not signed in on the device (or was signed out of it)
 * is not taken, nor anything after it (seq order, S3): they are answered 'author', retryable, and
 * stay on the device until that user signs in on it. `signedIn`: the session user's sign-in on the
 * device, when the caller has read it already.
 */
export async function authorsOf(
  store: Store,
  deviceId: string,
  sessionUser: UserRecord,
  changes: readonly WireChange[],
  options: PushOptions,
  signedIn?: DeviceUserRecord | null,
): Promise<{ authors: Author[]; held: ChangeResult[] }> {
  const known = new Map<string, Author | null>();
  const authors: Author[] = [];
  for (const [i, change] of changes.entries()) {
    const id = change.author ?? sessionUser.id;
    if (!known.has(id)) {
      // The session user's sign-in was read with the request's caller (`signedIn`); the push's
      // device lock checks it again, in the transaction that writes (applyPush).
      const member = id === sessionUser.id && signedIn !== undefined ? signedIn : await store.findDeviceUser(deviceId, id);
      const found = member === null ? null : id === sessionUser.id ? sessionUser : await store.findUser(id);
      // A sign-in revoked on this device holds the author's changes until they sign in again (A10),
      // unless they are stopped: then nobody ever will, and their evidence is taken as a retiring
      // device's is (A9), or a shared phone's queue would stop behind them for good.
      const user = found === null || (member!.revoked && options.retiring !== true && !found.disabled) ? null : found;
      const ids = member?.vaultUserId ? [id, member.vaultUserId] : [id];
      known.set(id, user === null || user.tenantId !== sessionUser.tenantId ? null : { user, disabled: user.disabled, ids });
    }
    let author = known.get(id)!;
    if (author === null && options.retiring === true) {
      author = { user: sessionUser, disabled: true, ids: [], unattributed: id };
      known.set(id, author);
    }
    if (author === null) {
      const held = changes.slice(i).map(
        (c): ChangeResult => ({
          seq: c.seq,
          mutationId: c.mutationId,
          status: 'refused',
          reason: 'author',
          detail: c === change ? `author ${id} has not signed in on device ${deviceId}` : `held behind seq ${change.seq} (its author has not signed in on this device)`,
          retryable: true,
        }),
      );
      return { authors, held };
    }
    authors.push(author);
  }
  return { authors, held: [] };
}

export function createDevices(store: Store, config: AccountsConfig) {
  return {
    /**
     * [A6] Enrols the device for the signed-in user: a new id is registered; a registered id of
     * this hub takes the user only with the device's current secret (`proof`) or an admin's
     * hand-over. Returns the device secret (the proven one, or a fresh one) and the user's token.
     * `sessionId`: the asking session, tied to this device from now on; one tied to another device
     * is refused (403), so a session enrols one device only.
     */
    async enrol(
      user: UserRecord,
      req: { deviceId: string; name: string; vaultUserId?: string | undefined },
      proof: string | undefined,
      sessionId?: string,
    ): Promise<EnrolResponse> {
      const freshSecret = newToken();
      const userToken = newToken();
      const proofHash = proof === undefined || proof === '' ? null : sha256Hex(proof);
      try {
        const { lastSeq, outcome } = await store.enrolDeviceUser({
          id: req.deviceId,
          userId: user.id,
          name: req.name,
          newSecretHash: sha256Hex(freshSecret),
          proofHash,
          tokenHash: sha256Hex(userToken),
          vaultUserId: req.vaultUserId ?? null,
          at: config.now(),
          sessionId: sessionId ?? null,
        });
        return { deviceId: req.deviceId, deviceSecret: outcome === 'added' ? proof! : freshSecret, lastSeq, userToken };
      } catch (error) {
        if (error instanceof StoreError && error.code === 'exists') throw new ServiceError('exists', 'この端末は別の拠点に登録されています。', error.message);
        if (error instanceof StoreError && error.code === 'device-disabled') throw retired(error.message);
        if (error instanceof SessionDeviceError) {
          if (error.ended) throw new ServiceError('signed-out', 'サインインの有効期限が切れました。もう一度サインインしてください（未送信の変更は残っています）。', error.message);
          // [A5] The app signs in anew before every enrolment: a session of another device is not the app's.
          throw new ServiceError('forbidden', 'このサインインは別の端末のものです。この端末で、もう一度サインインしてください。', error.message);
        }
        if (error instanceof AlreadyEnrolledError) {
          throw new ServiceError(
            'forbidden',
            'この端末は、同じ職員の別の画面からの登録と重なりました。登録はその画面で済んでいます。この画面を開き直してください。',
            error.message,
          );
        }
        if (error instanceof HubUserBoundError) {
          throw new ServiceError(
            'forbidden',
            'このアカウントは、この端末では別の人（別のパスフレーズで解錠する人）がサインインしています。記録者を取り違えないため、ご自分のアカウントでサインインしてください。同じ人が端末を設定し直した場合は、管理者にこの端末でのサインインの取り消し（revoke-device-user）を依頼してください。',
            error.message,
          );
        }
        if (error instanceof VaultUserTakenError) {
          // [A9] The person unlocked on the phone is already known to the hub as someone else.
          throw new ServiceError(
            'forbidden',
            'いま解錠している職員は、拠点の別のアカウントで既にサインインしています。記録者を取り違えないため、そのアカウントでサインインしてください。心当たりがない場合は管理者に連絡してください。',
            error.message,
          );
        }
        if (error instanceof StoreError && error.code === 'forbidden') {
          throw new ServiceError(
            'forbidden',
            'この端末IDは既に登録されています。登録済みの端末からサインインするか、管理者に端末の移行（move-device）を依頼してください。',
            error.message,
          );
        }
        throw error;
      }
    },

    /**
     * [A8] Opens a session for the user a device token belongs to. The device (its secret, and
     * whether it is retired) was checked by the caller. Attempts are reserved per device before
     * the token is looked at; a wrong, revoked or disabled user's token is 401 'signed-out'.
     */
    async openSession(device: DeviceRecord, token: string): Promise<{ token: string; info: SessionInfo }> {
      const now = config.now();
      const attempt = await store.reserveTokenAttempt(device.id, now);
      if (!attempt.ok) {
        const seconds = attempt.lockedUntil === null ? 5 : Math.max(1, Math.ceil((attempt.lockedUntil.getTime() - now.getTime()) / 1000));
        throw new ServiceError('throttled', `失敗が続いたため、しばらくサインインできません。${seconds}秒後にもう一度お試しください。`, 'device token attempts', seconds);
      }
      const member = await store.useDeviceToken(device.id, sha256Hex(token), now);
      const user = member === null ? null : await store.findUser(member.userId);
      if (member === null || user === null || user.disabled) {
        await store.lockTokensIfDue(device.id, now);
        throw tokenRefused(member === null ? 'no such device token, or it was revoked' : 'the user is disabled');
      }
      await store.clearTokenFailures(device.id);
      const sessionToken = newToken();
      const expiresAt = new Date(now.getTime() + config.maxHours * 3_600_000);
      // Tied to the device (migration 20): disabling it ends the session, and it enrols no other.
      await store.createSession({ id: sha256Hex(sessionToken), tenantId: user.tenantId, userId: user.id, createdAt: now, expiresAt, deviceId: device.id });
      return {
        token: sessionToken,
        info: { user: sessionUser(user), expiresAt: expiresAt.toISOString(), idleTimeoutSeconds: Math.round(config.idleMinutes * 60) },
      };
    },

    /** [A7] The session's user must have signed in on the device (and not been signed out of it). */
    /** `found`: the sign-in already read (Accounts.checkSyncCaller); read here when absent. */
    async requireMember(device: DeviceRecord, user: UserRecord, found?: DeviceUserRecord | null): Promise<void> {
      const member = found === undefined ? await store.findDeviceUser(device.id, user.id) : found;
      if (member === null || member.revoked) {
        throw new ServiceError(
          'forbidden',
          'この職員はこの端末で拠点にサインインしていません。「この端末で拠点にサインイン」からサインインしてください。',
          `user ${user.id} has not signed in on device ${device.id}`,
        );
      }
    },
  };
}

export type Devices = ReturnType<typeof createDevices>;
