/**
 * The verify-evidence admin command (admin-commands.ts): reads the file, takes the key (--public-key,
 * or the hub's own), checks (verify-evidence.ts), prints a line per row, per case checked against
 * the hub, what could not be checked, and a summary. Any NG row or case, or a file with no
 * countersigned row at all, ends in an Error, so the command exits 1.
 */
import { readFileSync } from 'node:fs';
import type { CaseEntry } from '../../domain/emergency-case';
import { formatFingerprint, importHubKey, type EvidenceReceipt } from '../../protocol/countersign';
import { MAX_PULL_LIMIT } from '../../protocol/sync';
import type { Store } from '../db/store';
import type { HubKey } from './hub-key';
import { describeEvidenceReport, verifyEvidenceCsv, type HubRecords } from './verify-evidence';
import { terminalSafe } from '../terminal-text';
import { unreadable } from '../readable';

export interface VerifyIo {
  out(line: string): void;
  readonly hubKey?: () => Promise<HubKey>;
}

export async function runVerifyEvidence(file: string, publicKey: string | undefined, io: VerifyIo, store: Store | null): Promise<void> {
  unreadable(file, '明細CSV', 'CSV file');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let publicKeyText = publicKey;
  if (publicKeyText === undefined) {
    if (io.hubKey === undefined) throw new Error('give the hub public key with --public-key <base64> (GET /api/hub-key shows it)');
    publicKeyText = (await io.hubKey()).publicKey;
  }
  let key;
  try {
    key = await importHubKey(publicKeyText);
  } catch (error) {
    throw new Error(`--public-key must be the hub's raw Ed25519 public key in base64 (44 characters): ${(error as Error).message}`);
  }
  // Beside the hub's store, each row must also be the receipt the hub holds, and each case what the hub's entries make it.
  const report = await verifyEvidenceCsv(bytes, key, store === null ? undefined : hubRecordsOf(store));
  // One line each: a report line quotes cells of the file, and a line break in one must not print
  // a line of its own (a forged 「3行目 OK」 under an NG row).
  const lines = describeEvidenceReport(report, formatFingerprint(key.fingerprint)).map(terminalSafe);
  for (const line of lines.slice(0, -1)) io.out(line);
  const summary = lines.at(-1)!;
  if (report.ng > 0 || report.caseNg > 0) {
    const failed = [
      report.ng > 0 ? `${report.ng}行を確かめられませんでした / ${report.ng} row(s) failed` : '',
      report.caseNg > 0 ? `${report.caseNg}件の事例が拠点の記録と一致しません / ${report.caseNg} case(s) failed` : '',
    ].filter((t) => t !== '');
    throw new Error(`${summary}\nNG: ${failed.join('、')}`);
  }
  if (report.ok === 0) throw new Error(`${summary}\n署名済みの行がありません: 何も検証できませんでした / no countersigned row to verify`);
  io.out(summary);
}

/**
 * What the hub's store holds for the file. The store has no query for one case's entries, so they
 * are read as a full pull of the hub would read them (every office), keeping the cases asked for:
 * a whole pass over the hub's records, which an occasional audit can afford.
 */
function hubRecordsOf(store: Store): HubRecords {
  return {
    receipts: async (hub, ids) => new Map((await store.heldReceipts(hub, ids)).map((r: EvidenceReceipt) => [r.entryId, r] as const)),
    caseEntries: async (hub, caseIds) => {
      const wanted = new Set(caseIds);
      const found = new Map<string, CaseEntry[]>();
      for (let cursor = 0, more = true; more; ) {
        const page = await store.pullSince(cursor, { tenantId: hub, officeIds: 'all' }, MAX_PULL_LIMIT);
        for (const r of page.records) {
          if (r.kind !== 'case-entry' || r.withdrawn) continue;
          let entry: CaseEntry;
          try {
            entry = JSON.parse(r.payloadJson) as CaseEntry;
          } catch {
            continue; // the hub checked every entry when it took it (S8): this one is no entry of the file's cases
          }
          if (!wanted.has(entry.caseId)) continue;
          const list = found.get(entry.caseId);
          if (list === undefined) found.set(entry.caseId, [entry]);
          else list.push(entry);
        }
        cursor = page.cursor;
        more = page.hasMore;
      }
      return found;
    },
  };
}
