/**
 * Which receipts a push or a pull answers with [K4][K5]: the evidence entries of the push that the
 * hub took or already held, or the case entries of a pull page. The signing and storing are the
 * store's (db/countersign.ts); the key is the hub's (hub-key.ts).
 */
import type { EvidenceReceipt, HubKeyInfo } from '../../protocol/countersign';
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
