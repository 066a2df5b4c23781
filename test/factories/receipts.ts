/**
 * A hub signing key for tests (node:crypto): its public key as the hub hands it out, and receipts
 * it signs for entries, as the hub would (src/protocol/countersign.ts).
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { bytesToBase64, receiptStatementBytes, type EvidenceReceipt, type HubKeyInfo, type ReceiptFacts } from '../../src/protocol/countersign';
import type { CaseEntry } from '../../src/domain/emergency-case';

export interface TestHubKey {
  readonly info: HubKeyInfo;
  sign(facts: ReceiptFacts): EvidenceReceipt;
  /** the hub's receipt for an entry it accepted at `position`, at `receivedAt` */
  receiptFor(entry: CaseEntry, position: number, receivedAt?: string): EvidenceReceipt;
}

export function createTestHubKey(hub = 'aozora'): TestHubKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  const info: HubKeyInfo = { hub, algorithm: 'Ed25519', publicKey: bytesToBase64(raw), fingerprint: createHash('sha256').update(raw).digest('hex') };
  const signFacts = (facts: ReceiptFacts): EvidenceReceipt => ({
    ...facts,
    keyFingerprint: info.fingerprint,
    signature: sign(null, receiptStatementBytes(facts), privateKey).toString('base64'),
  });
  return {
    info,
    sign: signFacts,
    receiptFor: (entry, position, receivedAt = new Date(Date.parse(entry.recordedAt) + 60_000).toISOString()) =>
      signFacts({ hub, caseId: entry.caseId, entryId: entry.id, entryHash: entry.hash, position, receivedAt }),
  };
}
