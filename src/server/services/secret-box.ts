/**
 * Secrets the hub must read back (TOTP secrets) are sealed with AES-256-GCM under a key kept
 * outside the database, bound to the user they belong to: a copy of the database alone makes no
 * codes, and a sealed secret moved to another user's row does not open.
 *
 * The key: KYOTEN_SECRET_KEY (32 bytes, base64), or with the embedded store a key file made on
 * first use beside its data (KYOTEN_DATA_DIR/secret.key, mode 0600). With DATABASE_URL and no
 * key, secrets stay in clear, and the server says so when it starts; the first start with a key
 * seals them (hub-key.ts, sealClearSecrets).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SettingError } from '../setting-error';

const PREFIX = 'v1:';
const KEY_BYTES = 32;

export interface SecretKeyEnv {
  readonly KYOTEN_SECRET_KEY?: string | undefined;
  readonly DATABASE_URL?: string | undefined;
  readonly KYOTEN_DATA_DIR?: string | undefined;
}

export function secretKeyFromEnv(env: SecretKeyEnv): Buffer | null {
  const given = env.KYOTEN_SECRET_KEY;
  if (given !== undefined && given !== '') return decodeKey(given, 'KYOTEN_SECRET_KEY');
  if (env.DATABASE_URL) return null;
  const dir = resolve(env.KYOTEN_DATA_DIR ?? 'data');
  const file = join(dir, 'secret.key');
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8').trim();
    // made this instant by another process starting with this one (its `wx` write not yet done): not a
    // wrong key, and the next start reads it whole
    if (text === '') throw new Error(`${file} is empty: another process is writing it; start again`);
    return decodeKey(text, file);
  }
  mkdirSync(dir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES) throw new SettingError(`${where} must be ${KEY_BYTES} bytes in base64 (e.g. from "openssl rand -base64 32")`);
  return key;
}

/** Seals `plain` for `owner` (a user id); with no key, returns it as it is. */
export function sealSecret(key: Buffer | null, plain: string, owner: string): string {
  if (key === null) return plain;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(owner, 'utf8'));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Opens what sealSecret stored (a secret stored in clear, from before a key was set, comes back as it is). */
export function openSecret(key: Buffer | null, stored: string, owner: string): string {
  if (!stored.startsWith(PREFIX)) return stored;
  if (key === null) throw new SecretKeyError('a TOTP secret is sealed, but no key is set (KYOTEN_SECRET_KEY)');
  const raw = Buffer.from(stored.slice(PREFIX.length), 'base64');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(owner, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretKeyError('a TOTP secret does not open with this key (another KYOTEN_SECRET_KEY, or another user row)');
  }
}

/** The server's key does not fit its database: a setup error, not the client's. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}
