/**
 * A device retired by its hub is wiped in every open tab of the app, not only in the one whose sync
 * engine wiped it (docs/sync-protocol.md, the retire flow). That tab tells the others over a
 * BroadcastChannel; each then closes its vault for good (its next write would create the database
 * anew, docs/security.md), locks at once, dropping every decrypted record it holds, and shows the
 * retired notice, as the wiping tab does. Where BroadcastChannel is missing, a tab whose database
 * connection was open still refuses to reopen it (VaultDatabase's versionchange handling).
 */
import { syncStatus } from '../sync/status';
import { useApp } from '../state/store';

const CHANNEL_NAME = 'kyoten-retired';

/** What the wiping tab tells the others: the hub's words, as its own notice shows them. */
interface RetiredMessage {
  readonly type: 'retired';
  readonly serverMessage: string | null;
}

/** The parts of a BroadcastChannel used here (a fake in the tests). */
export type RetiredChannel = Pick<BroadcastChannel, 'postMessage' | 'addEventListener'>;

const isRetiredMessage = (data: unknown): data is RetiredMessage =>
  typeof data === 'object' &&
  data !== null &&
  (data as { type?: unknown }).type === 'retired' &&
  ((data as { serverMessage?: unknown }).serverMessage === null || typeof (data as { serverMessage?: unknown }).serverMessage === 'string');

let shared: RetiredChannel | null | undefined;

/** The page's one channel (a tab does not hear its own messages); null where BroadcastChannel is missing. */
export function retiredChannel(): RetiredChannel | null {
  shared ??= typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
  return shared;
}

/**
 * This tab's vault was wiped on retirement (the sync engine's onRetired): the other tabs are told
 * first, then this one drops what it holds in memory. The notice is already set (the engine's status).
 */
export async function retiredHere(serverMessage: string | null, channel: RetiredChannel | null = retiredChannel()): Promise<void> {
  channel?.postMessage({ type: 'retired', serverMessage } satisfies RetiredMessage);
  await useApp.getState().lock('manual');
}

/** Another tab wiped the vault on retirement: this one follows. */
export async function retiredElsewhere(serverMessage: string | null): Promise<void> {
  // The database first: nothing in this tab may open it again, not even the draft a lock saves.
  useApp.getState().vault?.markWiped();
  // The notice replaces every screen at once (app.tsx), before the lock has dropped the records.
  syncStatus.setState({ retired: { serverMessage } });
  await useApp.getState().lock('manual');
}

/** Follows the other tabs' word from now on (boot.tsx, once per page). */
export function listenForRetirement(channel: RetiredChannel | null = retiredChannel(), onRetired: (serverMessage: string | null) => Promise<void> = retiredElsewhere): void {
  channel?.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isRetiredMessage(event.data)) void onRetired(event.data.serverMessage).catch(() => undefined);
  });
}
