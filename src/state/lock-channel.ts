/**
 * What the app's tabs tell each other about locks (src/app/lock-tabs.ts listens): the channel's
 * name and messages, here so that a screen (職員を削除) can speak without reaching into app/.
 */
export const LOCK_CHANNEL_NAME = 'kyoten-lock';

export type LockMessage =
  | { readonly type: 'locked' }
  | { readonly type: 'unlocked'; readonly userId: string }
  /** a person was taken off the phone: a tab they have unlocked locks */
  | { readonly type: 'removed'; readonly userId: string }
  /**
   * an added person replaced the passphrase they were given: another tab of theirs still asking for
   * that change locks (its unlock was with the old passphrase, which someone else knows)
   */
  | { readonly type: 'passphrase-changed'; readonly userId: string }
  /** a person was added to the phone: the other tabs read the list of people again (their lock screens) */
  | { readonly type: 'users-changed' };

/** The parts of a BroadcastChannel used (a fake in the tests). */
export type LockChannel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>;

let shared: LockChannel | null | undefined;

/** The page's one channel (a tab does not hear its own messages); null where BroadcastChannel is missing. */
export function lockChannel(): LockChannel | null {
  shared ??= typeof BroadcastChannel === 'function' ? new BroadcastChannel(LOCK_CHANNEL_NAME) : null;
  return shared;
}

/**
 * Tells the other tabs that this person has just set their own passphrase (the store's
 * passphraseChanged, before it reads the records): a tab of theirs still asking for it locks.
 */
export function tellPassphraseChanged(userId: string, channel: LockChannel | null = lockChannel()): void {
  channel?.postMessage({ type: 'passphrase-changed', userId } satisfies LockMessage);
}

/** Tells the other tabs that a person was taken off the phone: a tab they hold unlocked locks at once. */
export function tellRemoved(userId: string, channel: LockChannel | null = lockChannel()): void {
  channel?.postMessage({ type: 'removed', userId } satisfies LockMessage);
}

/** Tells the other tabs that a person was added: their lock screens list them without a reload. */
export function tellUsersChanged(channel: LockChannel | null = lockChannel()): void {
  channel?.postMessage({ type: 'users-changed' } satisfies LockMessage);
}
