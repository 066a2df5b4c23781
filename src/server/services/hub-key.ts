/**
 * The hub's signing key (Ed25519, node:crypto): countersigns each accepted evidence entry
 * (src/protocol/countersign.ts, docs/hub-server.md "The signing key").
 *
 * Where it comes from, in this order:
 * - KYOTEN_SIGNING_KEY: the private key as PKCS#8 DER in base64 (`openssl genpkey -algorithm ed25519
 *   -outform DER | base64 -w0`). Every server of one hub must be given the same one.
 * - With the embedded store: a key file made on first start beside the data (KYOTEN_DATA_DIR/
 *   signing.key, mode 0600), like secret.key.
 * - With DATABASE_URL and no KYOTEN_SIGNING_KEY: made once and kept in the database (table
 *   hub_signing_key), sealed with KYOTEN_SECRET_KEY when that is set, so every server over the
 *   database signs with the same key. Without KYOTEN_SECRET_KEY it is kept in clear, and the
 *   server says so when it starts (as for TOTP secrets); the first start with a key seals it, and
 *   the TOTP secrets stored in clear with it (sealClearSecrets).
 * A key that does not open (another KYOTEN_SECRET_KEY) stops the start: signing with a new key
 * would leave every receipt so far unverifiable against the one the devices hold.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatFingerprint } from '../../protocol/countersign';
import type { ClearSecretStore, ReceiptSigner, SealedCount, SigningKeyStore } from '../db/countersign';
import { openSecret, sealSecret, SecretKeyError, secretKeyFromEnv, type SecretKeyEnv } from './secret-box';
import { SettingError } from '../setting-error';

export interface SigningKeyEnv extends SecretKeyEnv {
  readonly KYOTEN_SIGNING_KEY?: string | undefined;
  /**
   * '1': start with a key other than the one this hub's receipts were signed with (that key is
   * lost). The hub runs, syncs and signs again; the devices count the new receipts as not matching
   * the key they hold, and the old receipts cannot be checked against the new key.
   */
  readonly KYOTEN_ACCEPT_NEW_SIGNING_KEY?: string | undefined;
}

export interface HubKey extends ReceiptSigner {
  /** the raw 32-byte public key, base64 (HubKeyInfo.publicKey) */
  readonly publicKey: string;
  /** where it came from, for the start log */
  readonly source: 'env' | 'file' | 'database' | 'database-clear' | 'generated';
}

/** The owner the database copy is sealed to (secret-box binds each sealed secret to one). */
const SEAL_OWNER = 'hub-signing-key';

export function hubKeyFromPrivate(privateKey: KeyObject, source: HubKey['source']): HubKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SettingError(`the signing key must be Ed25519, got ${privateKey.asymmetricKeyType}`);
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  // An Ed25519 SPKI is a fixed 12-byte header and the 32-byte key.
  const raw = spki.subarray(spki.length - 32);
  return {
    publicKey: raw.toString('base64'),
    fingerprint: createHash('sha256').update(raw).digest('hex'),
    source,
    sign: (statement) => sign(null, statement, privateKey).toString('base64'),
  };
}

/** A new key, PKCS#8 DER in base64 (what KYOTEN_SIGNING_KEY and the key file hold). */
export function newSigningKeyText(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
}

export function hubKeyFromText(text: string, where: string, source: HubKey['source']): HubKey {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(text.trim(), 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new SettingError(`${where} must be an Ed25519 private key, PKCS#8 DER in base64 (openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)`);
  }
  return hubKeyFromPrivate(key, source);
}

/** A fresh key held only in memory: for tests and for a hub started without a store. */
export function generateHubKey(): HubKey {
  return hubKeyFromText(newSigningKeyText(), 'generated key', 'generated');
}

/**
 * The hub's key from the environment, making and keeping one on first start (see the header).
 * With `create: false` (the admin command that checks exports) a missing key is an error.
 */
export async function hubKeyFromEnv(env: SigningKeyEnv, store: SigningKeyStore, options: { readonly create?: boolean } = {}): Promise<HubKey> {
  const accept = env.KYOTEN_ACCEPT_NEW_SIGNING_KEY === '1';
  const key = await chosenKey(env, store, options, accept);
  // A key other than the one the receipts held were signed with would sign receipts no device and
  // no auditor can check against the key they hold, and two servers with two keys would hand out
  // both: the hub does not start with it, unless told the old key is lost.
  const newest = accept ? null : await store.newestReceiptKey();
  if (newest !== null && newest !== key.fingerprint) throw new SigningKeyMismatchError(key, newest);
  return key;
}

/**
 * When a secret key is set (KYOTEN_SECRET_KEY, or the embedded store's key file), seals what the
 * database still holds in clear from starts without one: the signing key row, bound to SEAL_OWNER
 * as chosenKey seals it, and each user's TOTP secret, bound to the user as accounts.ts seals it.
 * Without that, a key set later would leave both in clear in every dump while the start log no
 * longer says so. Without a secret key, nothing is sealed.
 */
export async function sealClearSecrets(env: SecretKeyEnv, store: ClearSecretStore): Promise<SealedCount> {
  const secretKey = secretKeyFromEnv(env);
  if (secretKey === null) return { signingKey: 0, totpSecrets: 0 };
  return store.sealClearSecrets({
    signingKey: (clear) => sealSecret(secretKey, clear, SEAL_OWNER),
    totpSecret: (userId, clear) => sealSecret(secretKey, clear, userId),
  });
}

/** The signing key found is not the one this hub's receipts were signed with. */
export class SigningKeyMismatchError extends Error {
  override readonly name = 'SigningKeyMismatchError';
  constructor(key: HubKey, held: string) {
    super(
      `拠点の署名鍵が、これまでの受領印を署名した鍵と違います。ほかのサーバーと同じ KYOTEN_SIGNING_KEY、または保管しておいた signing.key を渡してください（新しい鍵は作らないでください） / ` +
        `the hub signing key ${formatFingerprint(key.fingerprint)} (${keySourceWords[key.source]}) is not the key this hub's receipts were signed with ` +
        `(${formatFingerprint(held)}): give this server that key (the same KYOTEN_SIGNING_KEY as every other server, or the hub's signing.key from where it was kept), ` +
        `never a new one; if that key is lost, start with KYOTEN_ACCEPT_NEW_SIGNING_KEY=1 (docs/hub-server.md, "The signing key")`,
    );
  }
}

/**
 * The embedded store's data holds receipts, but its signing.key is missing (a data folder restored
 * without it): no new key is made, and the start stops until the kept copy is put back.
 */
export class SigningKeyFileMissingError extends Error {
  override readonly name = 'SigningKeyFileMissingError';
  constructor(file: string, held: string) {
    super(
      `${file} does not exist, but this hub's receipts are signed with the key ${formatFingerprint(held)}: ` +
        `put the hub's signing.key back from where it was kept (the backups leave it out), then start again; if it is lost, start with KYOTEN_ACCEPT_NEW_SIGNING_KEY=1 (docs/hub-server.md, "The signing key")`,
    );
  }
}

const keySourceWords: Record<HubKey['source'], string> = {
  env: 'from KYOTEN_SIGNING_KEY',
  file: 'from the key file',
  database: 'kept in the database',
  'database-clear': 'kept in the database',
  generated: 'generated',
};

async function chosenKey(env: SigningKeyEnv, store: SigningKeyStore, { create = true }: { readonly create?: boolean }, acceptNew: boolean): Promise<HubKey> {
  const given = env.KYOTEN_SIGNING_KEY;
  if (given !== undefined && given !== '') return hubKeyFromText(given, 'KYOTEN_SIGNING_KEY', 'env');
  if (!env.DATABASE_URL) {
    const dir = resolve(env.KYOTEN_DATA_DIR ?? 'data');
    const file = join(dir, 'signing.key');
    if (!existsSync(file) && !create) throw new Error(`${file} does not exist: this hub has no signing key yet`);
    if (!existsSync(file)) {
      // A hub whose data was restored on a new machine without its key file: a new key would sign
      // receipts that contradict every one the phones and the exports hold.
      const held = acceptNew ? null : await store.newestReceiptKey();
      if (held !== null) throw new SigningKeyFileMissingError(file, held);
      mkdirSync(dir, { recursive: true });
      try {
        writeFileSync(file, `${newSigningKeyText()}\n`, { mode: 0o600, flag: 'wx' });
      } catch (error) {
        // Another process made it first: use theirs.
        if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
      }
    }
    const text = readFileSync(file, 'utf8');
    // written this instant by another process starting with this one (after our EEXIST): read again at the next start
    if (text.trim() === '') throw new Error(`${file} is empty: another process is writing it; start again`);
    return hubKeyFromText(text, file, 'file');
  }
  const secretKey = secretKeyFromEnv(env);
  const stored = await store.signingKey(create ? sealSecret(secretKey, newSigningKeyText(), SEAL_OWNER) : null);
  if (stored === null) throw new Error('the database holds no hub signing key yet, and KYOTEN_SIGNING_KEY is not set');
  let text: string;
  try {
    text = openSecret(secretKey, stored, SEAL_OWNER);
  } catch (error) {
    if (error instanceof SecretKeyError) {
      throw new SecretKeyError('the hub signing key in the database does not open with this KYOTEN_SECRET_KEY (or none is set): give every server the same KYOTEN_SECRET_KEY, or set KYOTEN_SIGNING_KEY');
    }
    throw error;
  }
  return hubKeyFromText(text, 'the signing key in the database', secretKey === null ? 'database-clear' : 'database');
}
