/**
 * Which of the phone's people are a facility's liaison, remembered in localStorage by vault user id
 * (an id, no name, no record). The role is read from the hub link by the sync engine, which loads
 * after the unlock; without this, a liaison's phone drew the household list (and its 「世帯を登録」)
 * for the moment before it knew, at every first unlock after the app started.
 */
import { useStore } from 'zustand';
import { syncStatus } from '../sync/status';

const LIAISON_KEY = 'kyoten:liaisons';

function read(): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(LIAISON_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

/** Whether `userId` was a liaison the last time the phone knew their role here. */
export function wasLiaison(userId: string): boolean {
  return read().includes(userId);
}

/** Drops `userId`: they left the phone (removed here, or stopped on the hub), nothing of theirs stays. */
export function forgetLiaison(userId: string): void {
  rememberLiaison(userId, false);
}

/** Keeps what the sync status says of `userId` for their next unlock. */
export function rememberLiaison(userId: string, liaison: boolean): void {
  const ids = read();
  if (ids.includes(userId) === liaison) return;
  try {
    localStorage.setItem(LIAISON_KEY, JSON.stringify(liaison ? [...ids, userId] : ids.filter((id) => id !== userId)));
  } catch {
    // Only a convenience: the status still moves the phone to the facilities once it knows.
  }
}

/**
 * What the hub link says of the person unlocked once the sync engine has read it: null until then,
 * and while joined with no role read (the engine's file failed to load), never "no liaison", which
 * gave a liaison the full menu and the facility forms. Null is read as the hint (wasLiaison).
 */
export function useLinkSaysLiaison(): boolean | null {
  return useStore(syncStatus, (s) => (s.joined && s.role !== null ? s.role === 'facility-liaison' : null));
}
