/**
 * Retirement never loses data (issue 12, docs/sync-protocol.md "Retirement"): a retired device
 * sends everything still queued; what the hub refuses (not an append-only kind, out of scope
 * after a household moved office, a broken link) goes into the quarantine for an admin, so the
 * device can wipe with nothing left only on it. The device then says it wipes.
 */
import type { WireChange } from '../../protocol/sync';
import type { UserRecord } from '../db/account-store';
import type { ChangeResult, Store } from '../db/store';
import { pushChanges } from './sync';

/** Text a text column takes whatever the device sent (the JSON of the change is escaped already). */
const storable = (text: string) => text.replaceAll('\u0000', '\\u0000').toWellFormed();

/**
 * The change as the quarantine keeps it. A payload nested deeper than JSON.stringify can give back
 * (JSON.parse took it; RangeError) is kept as "(not JSON)", as a refused push's receipt keeps it
 * (db/push.ts finishParams), with the rest of the change: otherwise the retire push failed with
 * 500 on every try, and the device could never wipe.
 */
function changeText(change: WireChange): string {
  try {
    return JSON.stringify(change);
  } catch {
    return JSON.stringify({ ...change, payload: '(not JSON)' });
  }
}

/** The retire push: every change answered, the refused ones quarantined, the device marked 'sent' when none is left waiting. */
export async function retirePush(
  store: Store,
  device: { readonly id: string; readonly disabled?: boolean; readonly disabledAt?: Date | null },
  user: UserRecord,
  changes: readonly WireChange[],
  now: Date,
): Promise<ChangeResult[]> {
  const results = await pushChanges(store, device, user, changes, { retiring: true }, undefined, { now, deviceStoppedAt: device.disabled === true ? (device.disabledAt ?? null) : null });
  const bySeq = new Map(changes.map((c) => [c.seq, c]));
  const refused = results.filter((r): r is Extract<ChangeResult, { status: 'refused' }> => r.status === 'refused' && r.retryable !== true);
  await store.quarantineChanges(
    device.id,
    refused.map((r) => {
      const change = bySeq.get(r.seq)!;
      return {
        seq: r.seq,
        mutationId: storable(r.mutationId),
        kind: change.kind,
        entityId: storable(change.entityId),
        reason: r.reason,
        detail: storable(r.detail),
        changeJson: changeText(change),
      };
    }),
    now,
  );
  if (results.every((r) => r.status !== 'refused' || r.retryable !== true)) await store.markRetirement(device.id, 'sent', now);
  return results;
}
