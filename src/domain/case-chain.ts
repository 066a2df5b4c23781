/**
 * The hash chain that makes a case's evidence tamper-evident, and the order its entries are read in.
 *
 * Each entry's hash is SHA-256 over the canonical JSON (RFC 8785, via `canonicalize`) of every
 * field but the hash itself, previous hash included. Several devices may continue one case while
 * offline, so a case is a small DAG, not a line (docs/sync-protocol.md, rules E1–E7):
 *
 * - the open entry is the root: index 0, prevHash '';
 * - every other entry names in `prevHash` the entry its writer appended after (the last entry of
 *   the case in the order below, as the writer's device held it), and its `index` is how many
 *   entries of the case the writer held: more than its parent's index, and never more than the
 *   entries that precede it;
 * - entries are read in one order every device computes alike from the entries alone: by index,
 *   then recordedAt, then hash. Two entries written after the same one on two phones are siblings;
 *   after a sync both phones hold both, in the same order, and fold them into the same case.
 *
 * Changing any stored field breaks that entry's hash; re-parenting or moving an entry changes a
 * hashed field; dropping an entry leaves an entry whose parent is missing or whose index says its
 * writer held more entries than are there. Dropping the newest entry of a branch leaves no trace
 * in the chain itself: the hub's countersigned receipts cover that (and, with a key, a rewrite).
 * The migration from the single line of issue 4 changes no stored hash: a line is a DAG with one
 * branch.
 */
import canonicalize from 'canonicalize';
import type { CaseEntry, UnsealedEntry } from './emergency-case';

/** Bump only with a migration: old hashes are computed with the version they were written under. */
const CHAIN_VERSION = 1;

export type ChainCheck =
  | {
      readonly ok: true;
      /**
       * Names this exact state of the case: the last entry's hash when the case is one line
       * (as before forks existed), else SHA-256 over the hashes of every entry in order.
       */
      readonly headHash: string;
      readonly length: number;
      /** entries no later entry names as its parent: 1 unless devices continued the case at once */
      readonly tips: number;
    }
  | {
      readonly ok: false;
      /** position (in read order) of the first entry that does not hold */
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

/** Computes the entry's hash; `prevHash` must already be the parent's hash ('' for the open entry). */
export async function sealEntry(entry: UnsealedEntry): Promise<CaseEntry> {
  return { ...entry, hash: await hashOfEntry(entry) };
}

/** The read order of a case's entries (E3): index, then recordedAt, then hash. */
export function compareEntries(a: CaseEntry, b: CaseEntry): number {
  if (a.index !== b.index) return a.index - b.index;
  if (a.recordedAt !== b.recordedAt) return a.recordedAt < b.recordedAt ? -1 : 1;
  return a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0;
}

/** A case's entries in read order (a new array). */
export function orderEntries(entries: readonly CaseEntry[]): CaseEntry[] {
  return [...entries].sort(compareEntries);
}

/**
 * The next entry of a case: its parent is the last entry in read order, its index the number of
 * entries held (none for a new case), and its hash is computed. `entries` must be in read order.
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
 * Checks a case's entries, given in read order (orderEntries): E1 one open entry at the root, E2
 * every other entry links to an earlier entry of the same case with a lower index, E3 the read
 * order, E4 no index above the entries before it (none missing), E5 every hash matches its content.
 */
const checked = new WeakMap<readonly CaseEntry[], Promise<ChainCheck>>();

/**
 * verifyChain, once for a list of entries (the store replaces a case's list on every change, never
 * edits it): the case screen shows it, and the store checks it again before every entry appended.
 */
export function verifyChainOnce(entries: readonly CaseEntry[]): Promise<ChainCheck> {
  let check = checked.get(entries);
  if (check === undefined) checked.set(entries, (check = verifyChain(entries)));
  return check;
}

export async function verifyChain(entries: readonly CaseEntry[]): Promise<ChainCheck> {
  if (entries.length === 0) return { ok: false, brokenAt: 0, problem: '記録が1件もありません。' };
  const caseId = entries[0]!.caseId;
  const byHash = new Map<string, CaseEntry>();
  const ids = new Set<string>();
  const parents = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const label = `${i + 1}件目の記録`;
    if (entry.caseId !== caseId) return broken(i, `${label}が別の対応記録のものです。`);
    if (typeof entry.index !== 'number' || !Number.isSafeInteger(entry.index) || typeof entry.prevHash !== 'string') {
      return broken(i, `${label}の形式が正しくありません。`);
    }
    if (i === 0) {
      if (entry.index !== 0 || entry.prevHash !== '') return broken(0, '最初の記録（要請）が欠けています。');
    } else {
      if (entry.prevHash === '') return broken(i, `${label}が最初の記録を名乗っています（記録の差し替え）。`);
      if (compareEntries(entries[i - 1]!, entry) >= 0) return broken(i, `${label}の順序が正しくありません（記録の入れ替え）。`);
      const parent = byHash.get(entry.prevHash);
      if (parent === undefined) return broken(i, `${label}が直前の記録とつながっていません（記録の欠落または付け替え）。`);
      if (entry.index <= parent.index) return broken(i, `${label}の番号が直前の記録と合いません（記録の入れ替え）。`);
      if (entry.index > i) return broken(i, `${label}より前の記録が欠けています（番号が連続していません）。`);
    }
    if (ids.has(entry.id)) return broken(i, `${label}と同じIDの記録がほかにもあります。`);
    let hash: string;
    try {
      hash = await hashOfEntry(entry);
    } catch {
      return broken(i, `${label}の形式が正しくありません。`);
    }
    if (hash !== entry.hash) return broken(i, `${label}の内容が書き換えられています。`);
    ids.add(entry.id);
    byHash.set(entry.hash, entry);
    if (entry.prevHash !== '') parents.add(entry.prevHash);
  }
  const tips = entries.filter((e) => !parents.has(e.hash)).length;
  // One tip: every other entry is its ancestor, so it has the highest index and stands last.
  const headHash = tips === 1 ? entries.at(-1)!.hash : await sha256Hex(`kyoten-case-state-v1\n${entries.map((e) => e.hash).join('\n')}`);
  return { ok: true, headHash, length: entries.length, tips };
}

function broken(brokenAt: number, problem: string): ChainCheck {
  return { ok: false, brokenAt, problem };
}
