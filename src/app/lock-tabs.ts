/**
 * [scenario 3] The handover locks every tab of the app, not only the one in front. A second tab is
 * easy to have without knowing it (the help link opens the guide in a new tab, and every guide page
 * has 「拠点ナビを開く」); left unlocked as the day coordinator, whatever the night one opened there
 * would be written to the 閲覧記録 under the day one's name.
 *
 * Over a BroadcastChannel each tab says when its person locked it (the ロック button, or a
 * retirement) and who unlocked it. Another tab that is unlocked locks at once when told of a lock,
 * or of an unlock by someone else. An idle lock is said to nobody: it is the tab's own (a background
 * tab idles out while its person works in another). Where BroadcastChannel is missing each tab
 * still locks on its own idle timer.
 */
import { lockChannel, type LockChannel, type LockMessage } from '../state/lock-channel';
import { useApp } from '../state/store';

export type { LockChannel };

const isLockMessage = (data: unknown): data is LockMessage => {
  if (typeof data !== 'object' || data === null) return false;
  const m = data as { type?: unknown; userId?: unknown };
  return m.type === 'locked' || m.type === 'users-changed' || ((m.type === 'unlocked' || m.type === 'removed' || m.type === 'passphrase-changed') && typeof m.userId === 'string');
};

/** Tells the other tabs of this one's locks and unlocks, and follows theirs (boot.tsx, once per page). */
export function shareLocks(channel: LockChannel | null = lockChannel()): () => void {
  if (channel === null) return () => undefined;
  // A lock this tab makes because another told it to is not said again (two tabs would echo it).
  let following = false;
  channel.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (!isLockMessage(message)) return;
    // A person added or taken off in another tab: this tab's lock screen lists the people as they are
    // (it offered a removed person, preselected, whose unlock was then refused as not on the phone).
    if ((message.type === 'users-changed' || message.type === 'removed') && useApp.getState().vault !== null) {
      void useApp.getState().refreshUsers().catch(() => undefined);
    }
    const { session } = useApp.getState();
    if (message.type === 'users-changed' || session === null) return;
    if (message.type === 'unlocked' && message.userId === session.user.id) return;
    if (message.type === 'removed' && message.userId !== session.user.id) return;
    // Only a tab of theirs still on 「ご自身のパスフレーズを設定してください」: there, the passphrase
    // they were given would now be refused as wrong, and count against the unlock throttle.
    if (message.type === 'passphrase-changed' && (message.userId !== session.user.id || !useApp.getState().mustChangePassphrase)) return;
    following = true;
    void useApp
      .getState()
      .lock(message.type === 'passphrase-changed' ? 'passphrase-changed' : message.type === 'removed' ? 'removed' : 'elsewhere')
      .catch(() => undefined)
      .finally(() => {
        following = false;
      });
  });
  return useApp.subscribe((now, before) => {
    if (before.session === null && now.session !== null) {
      channel.postMessage({ type: 'unlocked', userId: now.session.user.id } satisfies LockMessage);
    } else if (before.session !== null && now.session === null && now.lockedBy === 'manual' && !following) {
      channel.postMessage({ type: 'locked' } satisfies LockMessage);
    }
  });
}
