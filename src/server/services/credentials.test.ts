// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { hashPassword, matchTotpStep, newTotpSecret, sameDigest, sha256Hex, totpCode, totpUri, verifyPassword } from './credentials';

const at = new Date('2026-11-30T12:00:10.000Z');
const step = Math.floor(at.getTime() / 30_000);
const seconds = (s: number) => new Date(at.getTime() + s * 1000);

describe('passwords (argon2id)', () => {
  it('verifies the right password and refuses a wrong one or a hash that is not argon2', async () => {
    const hash = await hashPassword('yoru-no-denwa-2026');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'yoru-no-denwa-2026')).toBe(true);
    expect(await verifyPassword(hash, 'yoru-no-denwa-2027')).toBe(false);
    expect(await verifyPassword('not a hash', 'yoru-no-denwa-2026')).toBe(false);
  });
});

describe('TOTP (RFC 6238: 6 digits, 30 s, one step either side)', () => {
  const secret = newTotpSecret();

  it('takes the current code and the ones a step before and after, and names their step', () => {
    expect(matchTotpStep(secret, totpCode(secret, at), at)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, seconds(-30)), at)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, seconds(30)), at)).toBe(step + 1);
  });

  it('refuses a code two steps away, a code of another secret, and anything not six digits', () => {
    expect(matchTotpStep(secret, totpCode(secret, seconds(-60)), at)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, seconds(61)), at)).toBeNull();
    const fixed = 'JBSWY3DPEHPK3PXP';
    const other = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(matchTotpStep(fixed, totpCode(other, at), at)).toBeNull();
    expect(matchTotpStep(secret, '12345', at)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', at)).toBeNull();
  });

  it('agrees with the RFC 6238 test vector (SHA-1, T = 59 s → 287082)', () => {
    // RFC 6238 appendix B: secret "12345678901234567890" (ASCII), 8 digits 94287082; 6 digits are the last six.
    const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    expect(totpCode(rfcSecret, new Date(59_000))).toBe('287082');
  });

  it('gives an otpauth:// URI an authenticator app reads', () => {
    const uri = totpUri(secret, 'hub-matsudo', 'coord1');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });
});

describe('tokens and the sign-in lock', () => {
  it('compares digests exactly', () => {
    expect(sameDigest(sha256Hex('a'), sha256Hex('a'))).toBe(true);
    expect(sameDigest(sha256Hex('a'), sha256Hex('b'))).toBe(false);
    expect(sameDigest(sha256Hex('a'), '')).toBe(false);
  });
});
