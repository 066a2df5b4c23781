/**
 * Checks an evidence entry (a case entry of the hash chain, src/domain/case-chain.ts) before it is
 * stored: the exact fields of a CaseEntry, its id matching the change, and a hash that matches
 * its content [S8], so an entry altered on the way is refused, not kept.
 */
import { hashOfEntry } from '../../domain/case-chain';
import type { CaseEntry } from '../../domain/emergency-case';

const ENTRY_FIELDS = ['id', 'caseId', 'index', 'recordedAt', 'recordedBy', 'deviceId', 'body', 'prevHash', 'hash'];

export type EvidenceCheck =
  | { readonly ok: true; readonly caseId: string; readonly hash: string }
  | { readonly ok: false; readonly reason: 'invalid' | 'hash-mismatch'; readonly detail: string };

export async function checkEvidence(entityId: string, payload: unknown): Promise<EvidenceCheck> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return { ok: false, reason: 'invalid', detail: 'a case entry must be a JSON object' };
  }
  const entry = payload as Record<string, unknown>;
  const unknownFields = Object.keys(entry).filter((k) => !ENTRY_FIELDS.includes(k));
  if (unknownFields.length > 0) return { ok: false, reason: 'invalid', detail: `unknown field(s): ${unknownFields.join(', ')}` };
  const missing = ENTRY_FIELDS.filter((k) => !(k in entry));
  if (missing.length > 0) return { ok: false, reason: 'invalid', detail: `missing field(s): ${missing.join(', ')}` };
  if (entry['id'] !== entityId) return { ok: false, reason: 'invalid', detail: 'payload id differs from the change entityId' };
  const { caseId, hash } = entry;
  if (typeof caseId !== 'string' || caseId === '') return { ok: false, reason: 'invalid', detail: 'caseId must be a non-empty string' };
  if (typeof hash !== 'string' || !/^[0-9a-f]{64}$/.test(hash)) {
    return { ok: false, reason: 'invalid', detail: 'hash must be 64 lowercase hex digits (SHA-256)' };
  }
  const { hash: _claimed, ...unsealed } = entry as unknown as CaseEntry;
  let actual: string;
  try {
    actual = await hashOfEntry(unsealed);
  } catch {
    return { ok: false, reason: 'invalid', detail: 'the entry is not plain JSON' };
  }
  if (actual !== hash) return { ok: false, reason: 'hash-mismatch', detail: `content hashes to ${actual}, entry says ${hash}` };
  return { ok: true, caseId, hash };
}
