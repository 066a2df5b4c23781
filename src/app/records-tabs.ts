/**
 * Two tabs of the app on one phone (the guide's 「拠点ナビを開く」, the installed app's icon) share
 * one vault, but each holds its own copy of the records in memory. Over a BroadcastChannel each tab
 * says which records it wrote (the store's saves and appends, its sync's pulls: sync-wiring.ts), and
 * another tab unlocked on the same vault reads just those again, as after a sync of its own. Unsaid,
 * a tab went on showing a case without the 終了 recorded in the other, saved a household over the
 * other's edit, and never showed what the other's sync brought (the cursor they share had moved on).
 *
 * A tab never says again what it heard (two tabs would echo it for ever): what it reads again is
 * not its own write. A locked tab does not listen: it reads everything at its unlock. Where
 * BroadcastChannel is missing, a tab sees the other's records at its next unlock, and a case entry
 * is still checked against the vault as it is (state/store.ts).
 */
import { FUNCTION_BONUS_KINDS } from '../protocol/constants';
import { onRecordsWritten, useApp, type RecordsWritten } from '../state/store';
import type { EntityKind } from '../vault/types';

const CHANNEL_NAME = 'kyoten-records';

/** What a tab tells the others: the records written to the vault of `deviceId`, or 'all' of them. */
interface RecordsMessage {
  readonly type: 'records';
  readonly deviceId: string;
  readonly written: RecordsWritten;
}

/** The parts of a BroadcastChannel used here (a fake in the tests). */
export type RecordsChannel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener' | 'removeEventListener'>;

/** The kinds this app reads again; a key of another (a newer app's, in another tab) is left out. */
const KINDS: ReadonlySet<string> = new Set<EntityKind>(['household', 'facility', 'office', 'case-entry', 'month-close', 'trial-stay', ...FUNCTION_BONUS_KINDS]);

const isKey = (key: unknown): key is readonly [EntityKind, string] =>
  Array.isArray(key) && key.length === 2 && typeof key[0] === 'string' && KINDS.has(key[0]) && typeof key[1] === 'string';

function messageOf(data: unknown): RecordsMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const m = data as { type?: unknown; deviceId?: unknown; written?: unknown };
  if (m.type !== 'records' || typeof m.deviceId !== 'string') return null;
  if (m.written === 'all') return { type: 'records', deviceId: m.deviceId, written: 'all' };
  if (!Array.isArray(m.written)) return null;
  return { type: 'records', deviceId: m.deviceId, written: (m.written as unknown[]).filter(isKey) };
}

let shared: RecordsChannel | null | undefined;

/** The page's one channel (a tab does not hear its own messages); null where BroadcastChannel is missing. */
export function recordsChannel(): RecordsChannel | null {
  shared ??= typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  return shared;
}

/** Tells the other tabs that these records of the vault of `deviceId` were written (by this tab's store, or its sync). */
export function tellRecordsWritten(deviceId: string, written: RecordsWritten, channel: RecordsChannel | null = recordsChannel()): void {
  if (written !== 'all' && written.length === 0) return;
  channel?.postMessage({ type: 'records', deviceId, written } satisfies RecordsMessage);
}

/** Reads again what another tab wrote, when this tab shows records of the same vault. */
function follow(message: RecordsMessage): void {
  const { session, phase, mustChangePassphrase } = useApp.getState();
  // Locked, or for someone still to replace the passphrase they were given (nothing is read for them yet).
  if (session === null || mustChangePassphrase || session.deviceId !== message.deviceId) return;
  if (message.written !== 'all' && message.written.length === 0) return;
  if (phase === 'unlocked') {
    readAgain(message.written);
    return;
  }
  // Unlocking: its reading may have passed these records already, so they are read again once it is done.
  const stop = useApp.subscribe((now) => {
    if (now.session !== session) stop();
    else if (now.phase === 'unlocked') {
      stop();
      if (!now.mustChangePassphrase) readAgain(message.written);
    }
  });
}

function readAgain(written: RecordsWritten): void {
  const app = useApp.getState();
  // A failure shows in the error banner (the store's), as a sync's refresh does.
  void (written === 'all' ? app.reload({ tellOtherTabs: false }) : app.refreshRecords(written)).catch(() => undefined);
}

/**
 * Tells the other tabs what this one's store writes, and follows what they write (boot.tsx, once
 * per page). Returns the function that stops both.
 */
export function shareRecords(channel: RecordsChannel | null = recordsChannel()): () => void {
  if (channel === null) return () => undefined;
  const onMessage = (event: MessageEvent<unknown>) => {
    const message = messageOf(event.data);
    if (message !== null) follow(message);
  };
  channel.addEventListener('message', onMessage);
  const stopTelling = onRecordsWritten((deviceId, written) => tellRecordsWritten(deviceId, written, channel));
  return () => {
    stopTelling();
    channel.removeEventListener('message', onMessage);
  };
}
