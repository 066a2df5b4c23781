/**
 * The zod schemas of the receipt and the hub key (src/protocol/countersign.ts has the types, the
 * statement and the check): the app validates the hub's answers with them, the server its own.
 *
 * [V2] A receipt has two: `EvidenceReceipt` where a receipt comes to the hub (a push's carried
 * receipts [K4], an export's columns) and is strict, and `EvidenceReceiptAnswer` where it comes to
 * the phone (push and pull answers [K5]), whose fields this app does not know are dropped: a hub
 * that adds one (a key id at key rotation) is still read by every phone not yet updated. Dropped,
 * not kept: the signature covers only the fields here, and a receipt the phone sends back [K4]
 * then holds only keys it knows, which any hub takes.
 */
import { z } from 'zod';
import type { EvidenceReceipt as Receipt, HubKeyInfo as KeyInfo } from './countersign';

const HEX64 = /^[0-9a-f]{64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

const receiptShape = {
  /** the hub (tenant) id */
  hub: z.string().min(1).max(200),
  caseId: z.string().min(1).max(200),
  entryId: z.string().min(1).max(200),
  /** the entry's own hash (CaseEntry.hash), hex */
  entryHash: z.string().regex(HEX64),
  /** the version the hub accepted the entry under: its place in the hub's change log */
  position: z.number().int().positive(),
  /** the hub's clock when it accepted the entry (UTC, milliseconds): 拠点の受付時刻 */
  receivedAt: z.iso.datetime(),
  /** SHA-256 of the raw public key that signed, hex: tells a wrong key from a changed receipt */
  keyFingerprint: z.string().regex(HEX64),
  /** Ed25519 over receiptStatement(), base64 */
  signature: z.string().length(88).regex(BASE64),
};

/** The hub's signature of one evidence entry [K1], as the hub reads it: a key it does not know is refused. */
export const EvidenceReceipt = z.strictObject(receiptShape) satisfies z.ZodType<Receipt>;

/** The same, as the phone reads it in the hub's answers: fields this app does not know are dropped [V2]. */
export const EvidenceReceiptAnswer = z.object(receiptShape) satisfies z.ZodType<Receipt>;

/**
 * GET HUB_KEY_PATH: the hub's public key, as the phone reads it: fields this app does not know are
 * dropped [V2]. The algorithm stays exact: receipts signed otherwise are ones this app cannot check.
 */
export const HubKeyInfo = z.object({
  hub: z.string().min(1).max(200),
  algorithm: z.literal('Ed25519'),
  /** the raw 32-byte public key, base64 */
  publicKey: z.string().length(44).regex(BASE64),
  /** SHA-256 of the raw public key, hex */
  fingerprint: z.string().regex(HEX64),
}) satisfies z.ZodType<KeyInfo>;
