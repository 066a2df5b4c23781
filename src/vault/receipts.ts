/**
 * Stores the hub's receipts for case entries (src/protocol/countersign.ts), one row per entry id,
 * in clear. Offline nothing is added (receipts come only from the hub); a full disk fails the write,
 * and the next sync brings the same receipts again (push and pull both carry them).
 *
 * Why clear, unlike records: a receipt holds ids (hub, case, entry), a SHA-256 hash, a version
 * number, the hub's receipt time and a signature — nothing about a person. The hash is of a whole
 * entry, timestamps and ids included, so it cannot be guessed back. Ids and times are already clear
 * columns elsewhere (records with their hub versions, outbox). Clear also means a receipt can be checked without
 * the data key, and a changed row cannot pass: the screens verify each receipt against the hub key
 * again before they call an entry countersigned. Receipts are not in a backup: the hub hands them
 * out again to a device that pulls.
 */
import type { EvidenceReceipt } from '../protocol/countersign';
import type { ReceiptRow } from './db';
import type { SessionContext } from './journal';

/** Keeps receipts (already checked by the sync engine); a receipt for the same entry replaces the one held. */
export async function saveReceipts(ctx: SessionContext, receipts: readonly EvidenceReceipt[]): Promise<void> {
  if (receipts.length === 0) return;
  await ctx.db.receipts.bulkPut(receipts.map((r): ReceiptRow => ({ ...r })));
}

export async function readReceipts(ctx: SessionContext): Promise<EvidenceReceipt[]> {
  return (await ctx.db.receipts.toArray()).map((r) => ({ ...r }));
}
