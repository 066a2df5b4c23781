import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSecret, sealSecret, secretKeyFromEnv } from './secret-box';

const key = Buffer.alloc(32, 7);

describe('secret box (TOTP secrets at rest)', () => {
  it('seals so the stored text holds no trace of the secret, and opens only for the same user and key', () => {
    const sealed = sealSecret(key, 'JBSWY3DPEHPK3PXP', 'u-1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(sealSecret(key, 'JBSWY3DPEHPK3PXP', 'u-1')).not.toBe(sealed); // a fresh IV each time
    expect(openSecret(key, sealed, 'u-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => openSecret(key, sealed, 'u-2')).toThrow(/does not open/);
    expect(() => openSecret(Buffer.alloc(32, 8), sealed, 'u-1')).toThrow(/does not open/);
    expect(() => openSecret(null, sealed, 'u-1')).toThrow(/no key/);
  });

  it('reads a secret stored in clear before a key was set, and stores in clear without a key', () => {
    expect(openSecret(key, 'JBSWY3DPEHPK3PXP', 'u-1')).toBe('JBSWY3DPEHPK3PXP');
    expect(sealSecret(null, 'JBSWY3DPEHPK3PXP', 'u-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('takes the key from KYOTEN_SECRET_KEY, or makes a key file beside the embedded store once', () => {
    expect(secretKeyFromEnv({ KYOTEN_SECRET_KEY: key.toString('base64') })).toEqual(key);
    expect(() => secretKeyFromEnv({ KYOTEN_SECRET_KEY: 'c2hvcnQ=' })).toThrow(/32 bytes/);
    expect(secretKeyFromEnv({ DATABASE_URL: 'postgres://x' })).toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'kyoten-key-'));
    try {
      const made = secretKeyFromEnv({ KYOTEN_DATA_DIR: dir });
      expect(made?.length).toBe(32);
      expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
      expect(secretKeyFromEnv({ KYOTEN_DATA_DIR: dir })).toEqual(made);
      expect(readFileSync(join(dir, 'secret.key'), 'utf8').trim()).toBe(made!.toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
