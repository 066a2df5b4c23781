import { describe, expect, it } from 'vitest';
import {
  IV_BYTES,
  PBKDF2_ITERATIONS,
  SALT_BYTES,
  bindingOf,
  deriveKek,
  generateDataKey,
  randomBytes,
  seal,
  unseal,
  unwrapDataKey,
  wrapDataKey,
  type Sealed,
} from './crypto';
import { VaultError } from './errors';
import { OTHER_PASSPHRASE, PASSPHRASE, createSampleRecord } from './testing';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

function flipped(bytes: Uint8Array<ArrayBuffer>, index: number): Uint8Array<ArrayBuffer> {
  const copy = bytes.slice();
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

async function expectCode(promise: Promise<unknown>, code: VaultError['code']): Promise<void> {
  await expect(promise).rejects.toSatisfy((e: unknown) => e instanceof VaultError && e.code === code);
}

describe('AES-GCM sealing', () => {
  it('uses a fresh 96-bit IV for each of 100,000 encryptions', async () => {
    const key = await generateDataKey();
    const binding = bindingOf('records', 'household', 'h1');
    const ivs = new Set<string>();
    for (let batch = 0; batch < 100; batch += 1) {
      const sealed = await Promise.all(Array.from({ length: 1_000 }, (_, i) => seal(key, binding, i)));
      for (const { iv } of sealed) {
        expect(iv.byteLength).toBe(IV_BYTES);
        ivs.add(hex(iv));
      }
    }
    expect(ivs.size).toBe(100_000);
  });

  it('round-trips JSON and rejects a value without a JSON form', async () => {
    const key = await generateDataKey();
    const binding = bindingOf('drafts', 'household:new');
    const record = createSampleRecord();
    expect(await unseal(key, binding, await seal(key, binding, record))).toEqual(record);
    await expect(seal(key, binding, undefined)).rejects.toThrow(TypeError);
  });

  it('fails to decrypt when any byte of the ciphertext, its tag or its IV is flipped', async () => {
    const key = await generateDataKey();
    const binding = bindingOf('records', 'household', 'h1');
    const sealed = await seal(key, binding, createSampleRecord());
    const last = sealed.ct.byteLength - 1;
    const tampered: Sealed[] = [
      { iv: sealed.iv, ct: flipped(sealed.ct, 0) },
      { iv: sealed.iv, ct: flipped(sealed.ct, Math.floor(last / 2)) },
      { iv: sealed.iv, ct: flipped(sealed.ct, last) }, // inside the 16-byte tag
      { iv: flipped(sealed.iv, 0), ct: sealed.ct },
    ];
    for (const t of tampered) await expectCode(unseal(key, binding, t), 'corrupt');
    expect(await unseal(key, binding, sealed)).toEqual(createSampleRecord());
  });

  it('binds a ciphertext to its table and id, so a swapped ciphertext fails', async () => {
    const key = await generateDataKey();
    const sealed = await seal(key, bindingOf('records', 'household', 'h1'), createSampleRecord());
    await expectCode(unseal(key, bindingOf('records', 'household', 'h2'), sealed), 'corrupt');
    await expectCode(unseal(key, bindingOf('records', 'facility', 'h1'), sealed), 'corrupt');
    await expectCode(unseal(key, bindingOf('drafts', 'household', 'h1'), sealed), 'corrupt');
  });
});

describe('key wrapping', () => {
  it('unwraps the data key only with the KEK of the same passphrase, as a non-extractable key', async () => {
    const salt = randomBytes(SALT_BYTES);
    const [right, wrong] = await Promise.all([
      deriveKek(PASSPHRASE, salt, PBKDF2_ITERATIONS),
      deriveKek(OTHER_PASSPHRASE, salt, PBKDF2_ITERATIONS),
    ]);
    const dataKey = await generateDataKey();
    const wrapped = await wrapDataKey(dataKey, right);
    expect(wrapped.byteLength).toBe(40); // 32-byte key + 8-byte AES-KW integrity block

    await expectCode(unwrapDataKey(wrapped, wrong, false), 'wrong-passphrase');

    const sessionKey = await unwrapDataKey(wrapped, right, false);
    expect(sessionKey.extractable).toBe(false);
    await expect(globalThis.crypto.subtle.exportKey('raw', sessionKey)).rejects.toThrow();
    const binding = bindingOf('records', 'household', 'h1');
    expect(await unseal(sessionKey, binding, await seal(dataKey, binding, 'same key'))).toBe('same key');
  });
});
