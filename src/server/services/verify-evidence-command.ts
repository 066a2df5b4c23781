/**
 * The verify-evidence admin command (admin-commands.ts): reads the file, takes the key (--public-key,
 * or the hub's own), checks (verify-evidence.ts), prints a line per row and a summary. Any NG row,
 * or a file with no countersigned row at all, ends in an Error, so the command exits 1.
 */
import { readFileSync } from 'node:fs';
import { formatFingerprint, importHubKey, type EvidenceReceipt } from '../../protocol/countersign';
import type { Store } from '../db/store';
import type { HubKey } from './hub-key';
import { describeEvidenceReport, verifyEvidenceCsv, type HeldReceipts } from './verify-evidence';

export interface VerifyIo {
  out(line: string): void;
  readonly hubKey?: () => Promise<HubKey>;
}

export async function runVerifyEvidence(file: string, publicKey: string | undefined, io: VerifyIo, store: Store | null): Promise<void> {
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
  // Beside the hub's store, each row must also be the receipt the hub holds.
  const held: HeldReceipts | undefined =
    store === null
      ? undefined
      : async (hub, ids) => new Map((await store.heldReceipts(hub, ids)).map((r: EvidenceReceipt) => [r.entryId, r] as const));
  const report = await verifyEvidenceCsv(bytes, key, held);
  const lines = describeEvidenceReport(report, formatFingerprint(key.fingerprint));
  for (const line of lines.slice(0, -1)) io.out(line);
  const summary = lines.at(-1)!;
  if (report.ng > 0) throw new Error(`${summary}\nNG: ${report.ng}行の署名を確かめられませんでした / ${report.ng} row(s) failed`);
  if (report.ok === 0) throw new Error(`${summary}\n署名済みの行がありません: 何も検証できませんでした / no countersigned row to verify`);
  io.out(summary);
}
