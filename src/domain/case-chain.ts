/**
 * The hash chain that makes a case's evidence tamper-evident.
 *
 * Each entry's hash is SHA-256 over the canonical JSON (RFC 8785, via `canonicalize`) of every
 * field but the hash itself, previous hash included. Changing any stored field of any entry,
 * dropping an entry, or reordering entries breaks the chain from that entry on. The chain is
 * checked whenever a case is opened or exported; the hash of the last entry names the exact state
 * of the case on reports.
 */
import canonicalize from 'canonicalize';
import type { CaseEntry, UnsealedEntry } from './emergency-case';

/** Bump only with a migration: old hashes are computed with the version they were written under. */
const CHAIN_VERSION = 1;

export type ChainCheck =
  | { readonly ok: true; readonly headHash: string; readonly length: number }
  | {
      readonly ok: false;
      /** index of the first entry that does not hold */
      readonly brokenAt: number;
      /** Japanese, for the loud banner on the case */
      readonly problem: string;
    };

function canonicalOf(entry: UnsealedEntry): string {
  const { id, caseId, index, recordedAt, recordedBy, deviceId, body, prevHash } = entry;
  const text = canonicalize({ v: CHAIN_VERSION, id, caseId, index, recordedAt, recordedBy, deviceId, body, prevHash });
  if (text === undefined) throw new TypeError('case-chain: an entry must be plain JSON');
  return text;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function hashOfEntry(entry: UnsealedEntry): Promise<string> {
  return sha256Hex(canonicalOf(entry));
}

/** Computes the entry's hash; `prevHash` must already be the previous entry's hash ('' for the first). */
export async function sealEntry(entry: UnsealedEntry): Promise<CaseEntry> {
  return { ...entry, hash: await hashOfEntry(entry) };
}

/**
 * The next entry of a chain: its index and previous hash come from the entries so far
 * (none for a new case), and its hash is computed.
 */
export function chainNext(
  entries: readonly CaseEntry[],
  entry: Omit<UnsealedEntry, 'index' | 'prevHash'>,
): Promise<CaseEntry> {
  const last = entries.at(-1);
  if (last !== undefined && last.caseId !== entry.caseId) throw new RangeError('case-chain: entry of another case');
  return sealEntry({ ...entry, index: entries.length, prevHash: last?.hash ?? '' });
}

/**
 * Checks a case's entries, sorted by index: they start at 0 with no gaps, all carry the same
 * case id, each names the previous hash, and each hash matches its content.
 */
export async function verifyChain(entries: readonly CaseEntry[]): Promise<ChainCheck> {
  if (entries.length === 0) return { ok: false, brokenAt: 0, problem: '記録が1件もありません。' };
  const caseId = entries[0]!.caseId;
  let prevHash = '';
  for (const [i, entry] of entries.entries()) {
    const label = `${i + 1}件目の記録`;
    if (entry.index !== i) return broken(i, `${label}の番号が連続していません（記録の欠落または入れ替え）。`);
    if (entry.caseId !== caseId) return broken(i, `${label}が別の対応記録のものです。`);
    if (entry.prevHash !== prevHash) return broken(i, `${label}が直前の記録とつながっていません。`);
    let hash: string;
    try {
      hash = await hashOfEntry(entry);
    } catch {
      return broken(i, `${label}の形式が正しくありません。`);
    }
    if (hash !== entry.hash) return broken(i, `${label}の内容が書き換えられています。`);
    prevHash = entry.hash;
  }
  return { ok: true, headHash: prevHash, length: entries.length };
}

function broken(brokenAt: number, problem: string): ChainCheck {
  return { ok: false, brokenAt, problem };
}
