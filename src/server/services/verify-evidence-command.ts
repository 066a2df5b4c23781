/**
 * The verify-evidence admin command (admin-commands.ts): reads the file, takes the key (--public-key,
 * or the hub's own), checks (verify-evidence.ts), prints a line per row, per case checked against
 * the hub, what could not be checked, and a summary. Any NG row or case, or a file with no
 * countersigned row at all, ends in an Error, so the command exits 1.
 *
 * A key given with --public-key runs only with the hub's fingerprint beside it (--fingerprint, from
 * the hub admin's records): signatures that match a key prove only that key's holder made them, and
 * a key copied from the report or the phone being checked is whatever whoever made them printed.
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
  /** the hub's own key, on the hub (only its public half is used) */
  readonly hubKey?: () => Promise<Pick<HubKey, 'publicKey'>>;
}

/** The key to check with: the hub's own (neither given, on the hub), or a public key with the hub's fingerprint. */
export interface VerifyKeyOptions {
  /** --public-key: the raw Ed25519 public key, base64 (the report prints it; it proves nothing by itself) */
  readonly publicKey?: string;
  /** --fingerprint: SHA-256 of the hub's public key, hex, as the hub admin has it (spaces allowed: 「3f2a 9c01 …」) */
  readonly fingerprint?: string;
}

const WHERE_THE_FINGERPRINT_IS =
  '拠点の管理者の控え（拠点サーバーの起動時の記録「hub signing key …」、GET /api/hub-key の fingerprint）から取ってください。証跡レポートや明細CSVに書かれた指紋は、確かめる相手そのものなので使えません / ' +
  "take it from the hub admin's records (the server's start log line \"hub signing key …\", GET /api/hub-key's fingerprint), never from the report or the CSV being checked";

/** The 64 hex digits of a fingerprint as written by hand or copied from a log (groups of four, any case). */
function fingerprintGiven(text: string): string {
  const hex = text.replace(/[\s:]/g, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`--fingerprint は署名鍵の指紋の16進64桁です（「3f2a 9c01 …」のように空白で区切っても構いません） / --fingerprint must be the key's SHA-256 in 64 hex digits (spaces allowed): got ${terminalSafe(text)}`);
  return hex;
}

export async function runVerifyEvidence(file: string, given: VerifyKeyOptions, io: VerifyIo, store: Store | null): Promise<void> {
  const publicKey = given.publicKey;
  // Checked before anything is read: a run without the hub's fingerprint would print OK for signatures anyone could have made.
  if (publicKey !== undefined && given.fingerprint === undefined) {
    throw new Error(
      '--public-key の鍵が拠点の鍵であることを確かめるため、拠点の署名鍵の指紋を --fingerprint <指紋> で指定してください。鍵と一致するだけの署名は、その鍵を持つ人が作ったことしか示しません。指紋は' +
        WHERE_THE_FINGERPRINT_IS +
        ' / give --fingerprint <the hub key\'s fingerprint>: signatures that match a key only show they were made with that key, not by the hub. Nothing was checked.',
    );
  }
  const expected = given.fingerprint === undefined ? undefined : fingerprintGiven(given.fingerprint);
  unreadable(file, '明細CSV', 'CSV file');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let publicKeyText = publicKey;
  if (publicKeyText === undefined) {
    if (io.hubKey === undefined) throw new Error("give the hub public key with --public-key <base64> and its fingerprint with --fingerprint <hex>, both from the hub admin's records (GET /api/hub-key shows them)");
    publicKeyText = (await io.hubKey()).publicKey;
  }
  let key;
  try {
    key = await importHubKey(publicKeyText);
  } catch (error) {
    throw new Error(`--public-key must be the hub's raw Ed25519 public key in base64 (44 characters): ${(error as Error).message}`);
  }
  if (expected !== undefined && key.fingerprint !== expected) {
    throw new Error(
      `${publicKey === undefined ? 'この拠点サーバーの署名鍵' : '--public-key の鍵'}の指紋 ${formatFingerprint(key.fingerprint)} は、--fingerprint の ${formatFingerprint(expected)} と一致しません。` +
        `この鍵で確かめても、署名が拠点のものかはわかりません。何も確かめていません。指紋は${WHERE_THE_FINGERPRINT_IS} / ` +
        `the key's fingerprint ${formatFingerprint(key.fingerprint)} is not the ${formatFingerprint(expected)} given with --fingerprint: it is not the hub's key. Nothing was checked.`,
    );
  }
  if (expected !== undefined) io.out(`署名鍵の指紋 ${formatFingerprint(key.fingerprint)}: --fingerprint と一致 / key fingerprint matches --fingerprint`);
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
