/**
 * The case side of the evidence checks in a push [E1]-[E7]: what the hub holds of each case a push
 * appends to, read once for the whole push, and the shared rule (src/protocol/evidence-rules.ts)
 * applied to each new entry. The entry's own shape and hash are checked before (evidence.ts, S8).
 */
import type pg from 'pg';
import type { CaseEntry } from '../../domain/emergency-case';
import { checkAppend, type AppendCheck, type HeldEntry } from '../../protocol/evidence-rules';

/** case id → its entries the hub holds, plus those accepted earlier in this push */
export type HeldCases = Map<string, HeldEntry[]>;

export async function readHeldCases(tx: pg.PoolClient, tenantId: string, caseIds: readonly string[], into: HeldCases): Promise<void> {
  const wanted = [...new Set(caseIds)];
  if (wanted.length === 0) return;
  for (const id of wanted) into.set(id, []);
  const rows = await tx.query<{ case_id: string; id: string; hash: string; idx: string | null; recorded_at: string | null }>(
    `SELECT e.case_id, e.id, e.hash,
            r.payload_json::jsonb ->> 'index' AS idx, r.payload_json::jsonb ->> 'recordedAt' AS recorded_at
       FROM evidence e
       JOIN records r ON r.tenant_id = e.tenant_id AND r.kind = 'case-entry' AND r.entity_id = e.id
      WHERE e.tenant_id = $1 AND e.case_id = ANY ($2::text[])`,
    [tenantId, wanted],
  );
  for (const r of rows.rows) {
    into.get(r.case_id)!.push({ id: r.id, hash: r.hash, index: Number(r.idx), recordedAt: r.recorded_at ?? '' });
  }
}

export function checkLink(
  payload: unknown,
  cases: HeldCases,
  who: { readonly authorId: string; readonly authorIds: readonly string[]; readonly deviceId: string; readonly receivedAt: Date },
): AppendCheck {
  const entry = payload as CaseEntry;
  return checkAppend(entry, { ...who, held: cases.get(entry.caseId) ?? [] });
}

/** An entry accepted in this push: the ones after it in the same push may link to it. */
export function rememberEntry(cases: HeldCases, payload: unknown): void {
  const entry = payload as CaseEntry;
  const held = cases.get(entry.caseId);
  const facts = { id: entry.id, hash: entry.hash, index: entry.index, recordedAt: entry.recordedAt };
  if (held === undefined) cases.set(entry.caseId, [facts]);
  else held.push(facts);
}
