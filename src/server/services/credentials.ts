/**
 * The credential primitives of the hub: argon2id password hashes, TOTP (RFC 6238: SHA-1, 6 digits,
 * 30 s, one step either side for clock drift), random tokens and their SHA-256. Pure functions
 * and no storage, so they are unit-tested on their own (credentials.test.ts).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';

/** OWASP's argon2id minimum (19 MiB, 2 passes): about 60 ms here, slow enough for guessing. */
// Algorithm is a const enum, which verbatimModuleSyntax cannot read: 2 is Algorithm.Argon2id.
const ARGON2 = { algorithm: 2 as Algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const TOTP_PERIOD_SECONDS = 30;
export const MIN_PASSWORD_LENGTH = 10;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

/** False for a wrong password and for a hash that is not argon2 at all (never throws). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * A hash to verify against when the login does not exist, so that a wrong login takes as long
 * as a wrong password and the answer's timing does not say which logins exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totp(secretBase32: string, issuer = '拠点ナビ', label = 'user'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: TOTP_PERIOD_SECONDS, secret: Secret.fromBase32(secretBase32) });
}

/** The otpauth:// URI an authenticator app reads (as a QR code or pasted). */
export function totpUri(secretBase32: string, hub: string, loginName: string): string {
  return totp(secretBase32, `拠点ナビ (${hub})`, loginName).toString();
}

/** The code for a moment (tests, and the admin command's check). */
export function totpCode(secretBase32: string, at: Date): string {
  return totp(secretBase32).generate({ timestamp: at.getTime() });
}

/**
 * The TOTP step (unix seconds / 30) the code belongs to, within one step of `at`, or null when it
 * matches none. The caller takes the step only if it is later than the last one used (replay).
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secretBase32).validate({ token: code, timestamp: at.getTime(), window: 1 });
  if (delta === null) return null;
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/** A random token (session cookie, device secret): 32 bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares two SHA-256 hex digests in constant time. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
