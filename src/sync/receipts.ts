/**
 * What the sync engine does with the hub's receipts [K5]: takes the hub key once after joining,
 * keeps each receipt of a push or pull answer that verifies against it (in the vault and in
 * countersignState), and loads what is kept when a session starts.
 */
import type { StoreApi } from 'zustand/vanilla';
import { ed25519Supported, type EvidenceReceipt, type HubKeyInfo } from '../protocol/countersign';
import type { HubLink, VaultSession } from '../vault/types';
import { SyncError } from './client';
import { goodReceipts, verifyKeyOf, type CountersignState } from './countersign';

type State = StoreApi<CountersignState>;

/** Reads the link's key and, once per session, every receipt kept, into countersignState. */
export async function loadCountersigns(countersignState: State, session: VaultSession, link: HubLink | undefined): Promise<void> {
  if (loaded.get(countersignState) !== session) {
    const receipts = await session.sync.receipts();
    loaded.set(countersignState, session);
    countersignState.setState({ receipts: new Map(receipts.map((r) => [r.entryId, r])) });
  }
  const state = countersignState.getState();
  const hubKey = link?.hubKey ?? null;
  if (!state.loaded || state.joined !== (link !== undefined) || state.hubKey?.publicKey !== hubKey?.publicKey) {
    countersignState.setState({ loaded: true, joined: link !== undefined, hubKey });
  }
}

/** Which session's receipts each state holds: they are read from the vault once per session. */
const loaded = new WeakMap<State, VaultSession>();

/** Keeps the receipts that verify against the link's hub key; the rest are dropped (the hub sends them again). */
export async function keepReceipts(
  countersignState: State,
  session: VaultSession,
  link: HubLink,
  receipts: readonly EvidenceReceipt[] | undefined,
): Promise<void> {
  if (receipts === undefined || receipts.length === 0) return;
  const good = await goodReceipts(receipts, link.hub, link.hubKey);
  // Without a key nothing can be checked: that is not the receipts' fault.
  const rejected = link.hubKey ? receipts.length - good.length : 0;
  if (rejected > 0) countersignState.setState({ rejected: countersignState.getState().rejected + rejected });
  if (good.length === 0) return;
  await session.sync.saveReceipts(good);
  const held = new Map(countersignState.getState().receipts);
  for (const r of good) held.set(r.entryId, r);
  countersignState.setState({ receipts: held });
}

/** How long a hub that signs nothing (404 on its key) is left before it is asked again: it may have been upgraded since. */
export const NO_KEY_ASKED_AGAIN_MS = 60 * 60_000;

/** When each engine's state last heard that its hub signs nothing (in memory: a new session asks at once). */
const askedWithoutKey = new WeakMap<State, number>();

/**
 * The link with the hub's key: taken from the hub the first time (after joining, or on a link from
 * before receipts) and kept. A hub that signed nothing is asked again an hour later, and at every
 * start: once it signs, its receipts are taken from then on. A device that pulled before it held
 * any receipt pulls once more from the start, so the entries it already holds get theirs.
 */
export async function withHubKey(countersignState: State, session: VaultSession, link: HubLink, fetchKey: () => Promise<HubKeyInfo>): Promise<HubLink> {
  if (link.hubKey || countersignState.getState().noEd25519) return link;
  const now = Date.now();
  const asked = askedWithoutKey.get(countersignState);
  if (link.hubKey === null && asked !== undefined && now - asked < NO_KEY_ASKED_AGAIN_MS) return link;
  let hubKey: HubKeyInfo | null;
  try {
    hubKey = await fetchKey();
  } catch (e) {
    // A hub from before receipts (or without a key) answers 404: it signs nothing.
    if (!(e instanceof SyncError && e.code === 'rejected' && /→ 404\b/.test(e.detail))) throw e;
    hubKey = null;
  }
  if (hubKey === null) {
    askedWithoutKey.set(countersignState, now);
    if (link.hubKey === null) return link;
  }
  // A key whose fingerprint is not its own is not taken: every receipt would be checked against it.
  if (hubKey !== null) {
    const checked = await verifyKeyOf(hubKey).then(
      () => null,
      (e: unknown) => e,
    );
    if (checked !== null) {
      // A browser without Ed25519 cannot check any key: it syncs on without receipts (entries read
      // 未署名, and the settings say why), asking again once the browser is updated (a new start).
      if (!(await ed25519Supported())) {
        countersignState.setState({ noEd25519: true });
        return link;
      }
      throw new SyncError('bad-response', `hub key: ${String(checked)}`);
    }
  }
  const again = hubKey !== null && link.cursor > 0 && (await session.sync.receipts()).length === 0;
  const next: HubLink = { ...link, hubKey, ...(again ? { cursor: 0 } : {}) };
  await session.sync.saveHubLink(next);
  countersignState.setState({ joined: true, hubKey });
  return next;
}
