/**
 * WebCrypto primitives of the vault: the passphrase-derived key-encryption key (KEK), the device
 * data key and its wrapping, and sealing of JSON values with AES-GCM bound to where they are stored.
 * Nothing here touches storage; only `globalThis.crypto` (browsers and Node 20 alike).
 */
import { VaultError } from './errors';

/** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. Stored per key slot so it can be raised later. */
export const PBKDF2_ITERATIONS = 600_000;
export const SALT_BYTES = 16;
/** 96 bits, the IV length AES-GCM is designed for. */
export const IV_BYTES = 12;

/**
 * Version 1 of a key slot: KEK = PBKDF2-HMAC-SHA256(passphrase NFC, salt, iterations) → AES-KW-256,
 * which wraps the raw 256-bit AES-GCM data key. A new scheme gets a new number; unlock upgrades old slots.
 */
export const SLOT_ALGORITHM_VERSION = 1;

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/**
 * Derives the KEK. Passphrases are NFC-normalised so that the same Japanese text typed through
 * different input methods gives the same key.
 */
export async function deriveKek(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  const base = await subtle().importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    { name: 'AES-KW', length: 256 },
    false,
    ['wrapKey', 'unwrapKey'],
  );
}

/** A fresh data key, extractable only so it can be wrapped once; callers keep the unwrapped copy. */
export function generateDataKey(): Promise<CryptoKey> {
  return subtle().generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt', 'decrypt']);
}

export async function wrapDataKey(dataKey: CryptoKey, kek: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await subtle().wrapKey('raw', dataKey, kek, 'AES-KW'));
}

/**
 * Unwraps the data key. AES-KW carries its own integrity check, so a KEK from the wrong passphrase
 * fails here and nowhere later. `extractable` is true only for the moment of wrapping it for another slot.
 */
export async function unwrapDataKey(
  wrapped: Uint8Array<ArrayBuffer>,
  kek: CryptoKey,
  extractable: boolean,
): Promise<CryptoKey> {
  try {
    return await subtle().unwrapKey('raw', wrapped, kek, 'AES-KW', { name: 'AES-GCM', length: 256 }, extractable, [
      'encrypt',
      'decrypt',
    ]);
  } catch (e) {
    throw new VaultError('wrong-passphrase', { cause: e });
  }
}

/** A value encrypted at rest. Only the IV is random; the tag is the last 16 bytes of `ct`. */
export interface Sealed {
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly ct: Uint8Array<ArrayBuffer>;
}

/**
 * The additional authenticated data that ties a ciphertext to its table and key: a ciphertext
 * copied into another record (or another table) then fails to decrypt instead of showing the wrong
 * household. JSON keeps the parts unambiguous whatever characters they hold.
 */
export function bindingOf(table: string, ...key: readonly string[]): Uint8Array<ArrayBuffer> {
  return encoder.encode(JSON.stringify([table, ...key]));
}

export async function seal(key: CryptoKey, binding: Uint8Array<ArrayBuffer>, value: unknown): Promise<Sealed> {
  const json = JSON.stringify(value);
  if (json === undefined) {
    throw new TypeError('vault: cannot store a value that has no JSON form (undefined, a function)');
  }
  return sealJson(key, binding, json);
}

/**
 * Seals JSON text as it is, for text already parsed and checked (a pulled record's payload): it
 * saves stringifying again what was just parsed. The caller vouches that `json` is valid JSON;
 * unseal parses it like any sealed value.
 */
export async function sealJson(key: CryptoKey, binding: Uint8Array<ArrayBuffer>, json: string): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: binding }, key, encoder.encode(json));
  return { iv, ct: new Uint8Array(ct) };
}

export async function unseal<T>(key: CryptoKey, binding: Uint8Array<ArrayBuffer>, sealed: Sealed): Promise<T> {
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: binding }, key, sealed.ct);
  } catch (e) {
    const detail = `AES-GCM authentication failed for ${decoder.decode(binding)}`;
    throw new VaultError('corrupt', { detail, cause: e });
  }
  return JSON.parse(decoder.decode(plain)) as T;
}
