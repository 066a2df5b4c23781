/**
 * Which receipts a push or a pull answers with [K4][K5]: the evidence entries of the push that the
 * hub took or already held, or the case entries of a pull page. The signing and storing are the
 * store's (db/countersign.ts); the key is the hub's (hub-key.ts).
 */
import { importHubKey, verifyReceipt, type EvidenceReceipt, type HubKeyInfo, type HubVerifyKey } from '../../protocol/countersign';
import type { WireChange } from '../../protocol/sync';
import type { ChangeResult, PulledRecord, Store } from '../db/store';
import type { HubKey } from './hub-key';

export async function pushReceipts(
  store: Store,
  key: HubKey,
  tenantId: string,
  changes: readonly WireChange[],
  results: readonly ChangeResult[],
): Promise<readonly EvidenceReceipt[]> {
  const taken = new Set(results.filter((r) => r.status !== 'refused').map((r) => r.seq));
  const ids = changes.filter((c) => c.kind === 'case-entry' && taken.has(c.seq)).map((c) => c.entityId);
  return store.countersign(tenantId, ids, key);
}

export function hubKeyInfo(key: HubKey, tenantId: string): HubKeyInfo {
  return { hub: tenantId, algorithm: 'Ed25519', publicKey: key.publicKey, fingerprint: key.fingerprint };
}

/** The hub key as WebCrypto checks with it, imported once per key. */
const verifyKeys = new WeakMap<HubKey, Promise<HubVerifyKey>>();

/**
 * [K4][S15] Of the receipts a device carried with a push, those the hub may keep in place of
 * signing anew: signed by this hub's key over this hub, and no two naming one position (the store
 * then keeps each only for the entry it names, as held: adoptReceipts). A receipt that does not
 * hold is dropped, not refused: the entry is signed anew as any other.
 */
export async function carriedReceipts(carried: readonly EvidenceReceipt[] | undefined, key: HubKey | undefined, tenantId: string): Promise<EvidenceReceipt[]> {
  if (carried === undefined || carried.length === 0 || key === undefined) return [];
  let verifyKey = verifyKeys.get(key);
  if (verifyKey === undefined) verifyKeys.set(key, (verifyKey = importHubKey(key.publicKey)));
  const hubKey = await verifyKey;
  const good: EvidenceReceipt[] = [];
  for (const receipt of carried) {
    if (receipt.hub === tenantId && (await verifyReceipt(receipt, hubKey)).ok) good.push(receipt);
  }
  const positions = new Map<number, number>();
  for (const r of good) positions.set(r.position, (positions.get(r.position) ?? 0) + 1);
  return good.filter((r) => positions.get(r.position) === 1);
}
