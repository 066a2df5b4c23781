/**
 * The hub's countersignature of an evidence entry (docs/sync-protocol.md, rules K1-K7): a receipt
 * signed with the hub's Ed25519 key over a canonical statement of which hub took which entry of
 * which case, with which hash, at which accepted position and at what server time.
 *
 * One file for the three places that meet it: the server signs (node:crypto), the app checks the
 * receipts it keeps (WebCrypto), the admin command checks an exported CSV (WebCrypto in Node).
 * Imports nothing (the zod schemas are in countersign-schema.ts, so the screens that show a
 * receipt's status do not load zod); the crypto is the platform's (globalThis.crypto.subtle).
 */

/** The first element of every statement: a receipt of another format never verifies as this one. */
export const RECEIPT_FORMAT = 'kyoten-receipt/1';

/** A device asks for receipts with this header (value '1'): an app from before receipts is sent none [K5]. */
export const RECEIPTS_HEADER = 'x-kyoten-receipts';

/** GET → HubKeyInfo: the hub's public key, authenticated like pull. */
export const HUB_KEY_PATH = '/api/hub-key';

/** The hub's signature of one evidence entry [K1] (schema: countersign-schema.ts). */
export interface EvidenceReceipt {
  /** the hub (tenant) id */
  readonly hub: string;
  readonly caseId: string;
  readonly entryId: string;
  /** the entry's own hash (CaseEntry.hash), hex */
  readonly entryHash: string;
  /** the version the hub accepted the entry under: its place in the hub's change log */
  readonly position: number;
  /** the hub's clock when it accepted the entry (UTC, milliseconds): 拠点の受付時刻 */
  readonly receivedAt: string;
  /** SHA-256 of the raw public key that signed, hex: tells a wrong key from a changed receipt */
  readonly keyFingerprint: string;
  /** Ed25519 over receiptStatement(), base64 */
  readonly signature: string;
}

/** What the hub signs: everything of the receipt but the key fingerprint and the signature. */
export type ReceiptFacts = Pick<EvidenceReceipt, 'hub' | 'caseId' | 'entryId' | 'entryHash' | 'position' | 'receivedAt'>;

/** GET HUB_KEY_PATH: the hub's public key. */
export interface HubKeyInfo {
  readonly hub: string;
  readonly algorithm: 'Ed25519';
  /** the raw 32-byte public key, base64 */
  readonly publicKey: string;
  /** SHA-256 of the raw public key, hex */
  readonly fingerprint: string;
}

/**
 * [K2] The canonical statement: a JSON array in a fixed order. JSON quoting keeps the fields
 * apart whatever an id holds, and a number or instant written differently is another statement.
 */
export function receiptStatement(facts: ReceiptFacts): string {
  return JSON.stringify([RECEIPT_FORMAT, facts.hub, facts.caseId, facts.entryId, facts.entryHash, facts.position, facts.receivedAt]);
}

export function receiptStatementBytes(facts: ReceiptFacts): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(receiptStatement(facts));
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** SHA-256 of the raw public key, hex. */
export async function keyFingerprint(rawPublicKey: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', rawPublicKey));
  return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** 「3f2a 9c01 …」: the fingerprint in groups of four, for a person to compare by eye. */
export function formatFingerprint(hex: string): string {
  return (hex.match(/.{1,4}/g) ?? []).join(' ');
}

/** A hub key ready to check receipts with. */
export interface HubVerifyKey {
  readonly fingerprint: string;
  readonly key: CryptoKey;
}

/** Imports a raw Ed25519 public key (base64); rejects with RangeError for anything else. */
export async function importHubKey(publicKeyBase64: string): Promise<HubVerifyKey> {
  const raw = base64ToBytes(publicKeyBase64);
  if (raw.length !== 32) throw new RangeError(`countersign: an Ed25519 public key is 32 bytes, got ${raw.length}`);
  const key = await globalThis.crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  return { fingerprint: await keyFingerprint(raw), key };
}

/** RFC 8032's first test vector's public key: a valid point, so only a missing algorithm fails to import. */
const RFC8032_PUBLIC_KEY = new Uint8Array([
  0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3, 0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25, 0xaf, 0x02, 0x1a,
  0x68, 0xf7, 0x07, 0x51, 0x1a,
]);

/** Whether WebCrypto here verifies Ed25519 (Safari 17, Chrome 137, Firefox 129 and later). */
export async function ed25519Supported(subtle: Pick<SubtleCrypto, 'importKey'> = globalThis.crypto.subtle): Promise<boolean> {
  try {
    await subtle.importKey('raw', RFC8032_PUBLIC_KEY, { name: 'Ed25519' }, false, ['verify']);
    return true;
  } catch {
    return false;
  }
}

export type ReceiptProblem =
  /** signed by another key than the one given */
  | 'other-key'
  /** the signature does not hold over these facts: something of the receipt was changed */
  | 'bad-signature'
  /** the receipt is good but names another hash than the entry held here */
  | 'hash-differs';

export type ReceiptCheck = { readonly ok: true } | { readonly ok: false; readonly problem: ReceiptProblem; readonly detail: string };

/**
 * [K3] Checks a receipt against the hub key. With `entry`, the receipt must also be for that entry
 * as it is held (its id and hash): a good signature over another hash says nothing about this one.
 */
export async function verifyReceipt(
  receipt: EvidenceReceipt,
  hubKey: HubVerifyKey,
  entry?: { readonly id: string; readonly hash: string },
): Promise<ReceiptCheck> {
  if (receipt.keyFingerprint !== hubKey.fingerprint) {
    return { ok: false, problem: 'other-key', detail: `signed by key ${receipt.keyFingerprint.slice(0, 16)}…, not ${hubKey.fingerprint.slice(0, 16)}…` };
  }
  let good = false;
  try {
    good = await globalThis.crypto.subtle.verify({ name: 'Ed25519' }, hubKey.key, base64ToBytes(receipt.signature), receiptStatementBytes(receipt));
  } catch {
    good = false;
  }
  if (!good) return { ok: false, problem: 'bad-signature', detail: 'the signature does not match the hub, case, entry, hash, position and time' };
  if (entry !== undefined && (entry.id !== receipt.entryId || entry.hash !== receipt.entryHash)) {
    return { ok: false, problem: 'hash-differs', detail: `the receipt is for ${receipt.entryId} with hash ${receipt.entryHash}, the entry held is ${entry.id} with ${entry.hash}` };
  }
  return { ok: true };
}
