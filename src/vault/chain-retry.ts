/**
 * [E2][S15] A case entry the hub refused as `chain` because it did not hold the entry it continues
 * goes again once that entry reaches the hub. After a restore the hub has lost what was written
 * since its backup; phone B, which had pulled phone A's entry e1 and then continued the case with
 * e2, may sync before A sends e1 again: e2 is refused `chain`, and that answer is final for its seq
 * (S4). When a pull then brings an entry of that case (A has sent e1 again; or another entry the
 * hub also counts, E4), B's refused entries of the case are queued again under new seqs and
 * mutation ids, in chain order and ahead of anything not yet sent (which may continue them); the
 * hub decides afresh. Only then: an entry whose case gets nothing more stays refused and listed,
 * as before, and nothing is tried at every run. The entry itself is not changed (evidence is
 * sacred): the same id, the same hash, the same words.
 */
import type { CaseEntry } from '../domain/emergency-case';
import { EVIDENCE_CLOCK_TOLERANCE_MS } from '../protocol/evidence-rules';
import { bindingOf, unseal } from './crypto';
import type { OutboxRow } from './db';
import { prepareOutbox, queueAheadOfUnsent, type SessionContext } from './journal';

/** Queues again the entries refused as `chain` in a case of which `arrivedIds` (just pulled) holds an entry; returns how many. */
export async function retryChainRefusals(ctx: SessionContext, arrivedIds: readonly string[]): Promise<number> {
  if (arrivedIds.length === 0) return 0;
  const { db } = ctx;
  const refused: OutboxRow[] = (await db.outbox.where('refusedReason').equals('chain').toArray()).filter((row) => row.kind === 'case-entry');
  if (refused.length === 0) return 0;
  // Unsealed only now that some entry waits: a first sync brings thousands of entries.
  const arrivedCases = new Set<string>();
  for (const row of await db.records.bulkGet(arrivedIds.map((id) => ['case-entry', id] as ['case-entry', string]))) {
    if (row === undefined) continue;
    const entry = await unseal<CaseEntry>(ctx.key, bindingOf('records', row.kind, row.id), row).catch(() => undefined);
    if (typeof entry?.caseId === 'string') arrivedCases.add(entry.caseId);
  }
  if (arrivedCases.size === 0) return 0;
  const retry: { row: OutboxRow; entry: CaseEntry }[] = [];
  for (const row of refused) {
    const entry = await unseal<CaseEntry>(ctx.key, bindingOf('outbox', row.mutationId), row).catch(() => undefined);
    if (entry !== undefined && arrivedCases.has(entry.caseId)) retry.push({ row, entry });
  }
  return queueAgain(ctx, retry);
}

/**
 * Queues refused case entries again, in chain order, under new seqs and mutation ids, ahead of what
 * is not yet sent, each in its writer's name as before (A9), the entries unchanged; a row refused for
 * `clock` goes marked `clockRetried`. Only rows still refused as they were read (another tab may have
 * set one aside meanwhile). Returns how many.
 */
async function queueAgain(ctx: SessionContext, retry: readonly { row: OutboxRow; entry: CaseEntry }[]): Promise<number> {
  if (retry.length === 0) return 0;
  const { db } = ctx;
  const ordered = [...retry].sort((a, b) => a.entry.index - b.entry.index || a.row.seq - b.row.seq);
  // Sealing is WebCrypto: done before the transaction opens.
  const prepared = await Promise.all(
    ordered.map(async ({ row, entry }) => ({
      row,
      pending: { ...(await prepareOutbox(ctx, 'case-entry', row.entityId, 'append', entry)), userId: row.userId, ...(row.refusedReason === 'clock' ? { clockRetried: true } : {}) },
    })),
  );
  return db.transaction('rw', [db.outbox, db.meta], async () => {
    const now = await db.outbox.bulkGet(prepared.map((p) => p.row.seq));
    const go = prepared.filter((p, i) => now[i]?.mutationId === p.row.mutationId && now[i]?.refusedReason === p.row.refusedReason);
    await db.outbox.bulkDelete(go.map((p) => p.row.seq));
    await queueAheadOfUnsent(
      db,
      go.map((p) => ({ ...p.pending, baseVersion: null, seq: 0 })),
    );
    return go.length;
  });
}

/** Past the hub's tolerance by this much before an entry goes again: the offset is a measure, not a fact. */
const CLOCK_RETRY_MARGIN_MS = 30_000;

/**
 * [E7] A case entry the hub refused as `clock` because this phone's clock was ahead (a phone 7 minutes
 * fast stamps 02:45 on a call at 02:38, and the hub, at 02:38, takes nothing dated more than 5 minutes
 * after it) is the truth a few minutes early, not evidence to lose: the result, the admission and the
 * close continue it, and each was refused `chain` after it. Once the hub's clock (this device's, less
 * the offset the last answers measured, clock-offset.ts) has passed the entry's time less the
 * tolerance, it goes again with the entries of its case refused `chain`, in chain order, ahead of what
 * is not yet sent. Once only: a second `clock` refusal is final (an entry dated before the one it
 * follows is no clock that catches up), and stays listed. Returns how many were queued.
 */
export async function retryClockRefusals(ctx: SessionContext, hubNowMs: number): Promise<number> {
  const { db } = ctx;
  const refused = (await db.outbox.where('refusedReason').anyOf('clock', 'chain').toArray()).filter((row) => row.kind === 'case-entry');
  const early = refused.filter((row) => row.refusedReason === 'clock' && row.clockRetried !== true);
  if (early.length === 0) return 0;
  const read = async (row: OutboxRow) => ({ row, entry: await unseal<CaseEntry>(ctx.key, bindingOf('outbox', row.mutationId), row).catch(() => undefined) });
  const due = (await Promise.all(early.map(read))).filter(
    (r): r is { row: OutboxRow; entry: CaseEntry } => r.entry !== undefined && Date.parse(r.entry.recordedAt) - EVIDENCE_CLOCK_TOLERANCE_MS + CLOCK_RETRY_MARGIN_MS <= hubNowMs,
  );
  if (due.length === 0) return 0;
  const cases = new Set(due.map((d) => d.entry.caseId));
  const continuing = (await Promise.all(refused.filter((row) => row.refusedReason === 'chain').map(read))).filter(
    (r): r is { row: OutboxRow; entry: CaseEntry } => r.entry !== undefined && cases.has(r.entry.caseId),
  );
  return queueAgain(ctx, [...due, ...continuing]);
}
