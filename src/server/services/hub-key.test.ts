import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importHubKey, receiptStatementBytes, verifyReceipt, type ReceiptFacts } from '../../protocol/countersign';
import type { ClearSecretStore, SigningKeyStore } from '../db/countersign';
import { generateHubKey, hubKeyFromEnv, hubKeyFromText, newSigningKeyText, sealClearSecrets, type HubKey } from './hub-key';
import { openSecret } from './secret-box';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kyoten-key-'));
  dirs.push(d);
  return d;
};

/**
 * The database's one-row table, as several servers would share it, the keys its receipts were
 * signed with, and the users' TOTP secrets (user id → as stored).
 */
function sharedTable(signedWith: string[] = []): SigningKeyStore & ClearSecretStore & { stored: string | null; totp: Map<string, string> } {
  const clear = (stored: string) => !stored.startsWith('v1:');
  return {
    stored: null,
    totp: new Map(),
    async signingKey(candidate) {
      this.stored ??= candidate;
      return this.stored;
    },
    async newestReceiptKey() {
      return signedWith.at(-1) ?? null;
    },
    async sealClearSecrets(seal) {
      let signingKey = 0;
      if (this.stored !== null && clear(this.stored)) [this.stored, signingKey] = [seal.signingKey(this.stored), 1];
      const toSeal = [...this.totp].filter(([, stored]) => clear(stored));
      for (const [userId, stored] of toSeal) this.totp.set(userId, seal.totpSecret(userId, stored));
      return { signingKey, totpSecrets: toSeal.length };
    },
  };
}

const facts: ReceiptFacts = {
  hub: 'hub-matsudo',
  caseId: 'case-1',
  entryId: 'case-1-e0',
  entryHash: 'a'.repeat(64),
  position: 42,
  receivedAt: '2026-12-03T06:35:02.123Z',
};

async function signedBy(key: HubKey) {
  return { ...facts, keyFingerprint: key.fingerprint, signature: key.sign(receiptStatementBytes(facts)) };
}

describe('the hub signing key', () => {
  it('[K1] signs receipts that verify with its public key and fingerprint (node:crypto signs, WebCrypto checks)', async () => {
    const key = generateHubKey();
    const verify = await importHubKey(key.publicKey);
    expect(verify.fingerprint).toBe(key.fingerprint);
    expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(await verifyReceipt(await signedBy(key), verify)).toEqual({ ok: true });
    expect(await verifyReceipt(await signedBy(key), await importHubKey(generateHubKey().publicKey))).toMatchObject({ ok: false, problem: 'other-key' });
  });

  it('with the embedded store, makes a key file on first start (mode 0600) and reads the same key after', async () => {
    const dir = tempDir();
    const first = await hubKeyFromEnv({ KYOTEN_DATA_DIR: dir }, sharedTable());
    const file = join(dir, 'signing.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toContain(first.publicKey);
    const again = await hubKeyFromEnv({ KYOTEN_DATA_DIR: dir }, sharedTable());
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.source).toBe('file');
  });

  it('takes KYOTEN_SIGNING_KEY first, and says what is wrong with a bad one', async () => {
    const text = newSigningKeyText();
    const a = await hubKeyFromEnv({ KYOTEN_SIGNING_KEY: text, DATABASE_URL: 'postgres://x' }, sharedTable());
    const b = await hubKeyFromEnv({ KYOTEN_SIGNING_KEY: text, KYOTEN_DATA_DIR: tempDir() }, sharedTable());
    expect(a.fingerprint).toBe(b.fingerprint);
    await expect(hubKeyFromEnv({ KYOTEN_SIGNING_KEY: 'bm90IGEga2V5', DATABASE_URL: 'postgres://x' }, sharedTable())).rejects.toThrow(/KYOTEN_SIGNING_KEY must be an Ed25519 private key/);
  });

  it('over DATABASE_URL, every server shares the one key kept in the database, sealed with KYOTEN_SECRET_KEY', async () => {
    const table = sharedTable();
    const env = { DATABASE_URL: 'postgres://x', KYOTEN_SECRET_KEY: Buffer.alloc(32, 3).toString('base64') };
    const one = await hubKeyFromEnv(env, table);
    const two = await hubKeyFromEnv(env, table);
    expect(two.fingerprint).toBe(one.fingerprint);
    expect(one.source).toBe('database');
    expect(table.stored).toMatch(/^v1:/);
    await expect(hubKeyFromEnv({ ...env, KYOTEN_SECRET_KEY: Buffer.alloc(32, 4).toString('base64') }, table)).rejects.toThrow(/does not open/);
    await expect(hubKeyFromEnv({ DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/does not open/);
  });

  it('checking an export never makes a key: a hub without one says so', async () => {
    await expect(hubKeyFromEnv({ KYOTEN_DATA_DIR: tempDir() }, sharedTable(), { create: false })).rejects.toThrow(/no signing key yet/);
    await expect(hubKeyFromEnv({ DATABASE_URL: 'postgres://x' }, sharedTable(), { create: false })).rejects.toThrow(/no hub signing key yet/);
  });

  it('over DATABASE_URL without KYOTEN_SECRET_KEY, keeps it in clear and says so (source database-clear)', async () => {
    const key = await hubKeyFromEnv({ DATABASE_URL: 'postgres://x' }, sharedTable());
    expect(key.source).toBe('database-clear');
  });

  it('a KYOTEN_SECRET_KEY set after a start without one seals, at the next start, the signing key and the TOTP secrets kept in clear; the key stays the same, and a later start seals nothing', async () => {
    const table = sharedTable();
    const bare = { DATABASE_URL: 'postgres://x' };
    const first = await hubKeyFromEnv(bare, table);
    table.totp.set('u-sato', 'JBSWY3DPEHPK3PXP').set('u-tanaka', 'KRSXG5CTMVRXEZLU');
    expect(await sealClearSecrets(bare, table)).toEqual({ signingKey: 0, totpSecrets: 0 });
    expect(table.stored).not.toMatch(/^v1:/);

    const secret = Buffer.alloc(32, 8);
    const keyed = { ...bare, KYOTEN_SECRET_KEY: secret.toString('base64') };
    expect((await hubKeyFromEnv(keyed, table)).source).toBe('database');
    expect(await sealClearSecrets(keyed, table)).toEqual({ signingKey: 1, totpSecrets: 2 });
    expect(table.stored).toMatch(/^v1:/);
    const again = await hubKeyFromEnv(keyed, table);
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.source).toBe('database');
    // each secret sealed for its own user (as accounts.ts opens it), and no longer in clear
    expect(table.totp.get('u-sato')).toMatch(/^v1:/);
    expect(openSecret(secret, table.totp.get('u-sato')!, 'u-sato')).toBe('JBSWY3DPEHPK3PXP');
    expect(openSecret(secret, table.totp.get('u-tanaka')!, 'u-tanaka')).toBe('KRSXG5CTMVRXEZLU');
    expect(() => openSecret(secret, table.totp.get('u-sato')!, 'u-tanaka')).toThrow(/does not open/);
    // a server still started without the key is refused, rather than using a key it cannot read
    await expect(hubKeyFromEnv(bare, table)).rejects.toThrow(/does not open/);

    const held = { key: table.stored, totp: [...table.totp] };
    expect(await sealClearSecrets(keyed, table)).toEqual({ signingKey: 0, totpSecrets: 0 });
    expect({ key: table.stored, totp: [...table.totp] }).toEqual(held);
  });

  it('does not start with a key other than the one the receipts were signed with: a second server given another KYOTEN_SIGNING_KEY, or a key file lost in a restore', async () => {
    const hubs = newSigningKeyText();
    const signed = await hubKeyFromEnv({ KYOTEN_SIGNING_KEY: hubs, DATABASE_URL: 'postgres://x' }, sharedTable());
    const table = sharedTable([signed.fingerprint]);
    // the same key, as every server of the hub is given it: starts
    expect((await hubKeyFromEnv({ KYOTEN_SIGNING_KEY: hubs, DATABASE_URL: 'postgres://x' }, table)).fingerprint).toBe(signed.fingerprint);
    // another one, or none (the database's own key) where receipts were signed with the variable's
    await expect(hubKeyFromEnv({ KYOTEN_SIGNING_KEY: newSigningKeyText(), DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/is not the key this hub's receipts were signed with/);
    await expect(hubKeyFromEnv({ DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/is not the key this hub's receipts were signed with/);
    // said in Japanese first, with what to do
    await expect(hubKeyFromEnv({ DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/^拠点の署名鍵が、これまでの受領印を署名した鍵と違います。.*新しい鍵は作らないでください/);

    // the embedded store restored on a new machine without signing.key: no new key is made
    const dir = tempDir();
    await expect(hubKeyFromEnv({ KYOTEN_DATA_DIR: dir }, table)).rejects.toThrow(/signing\.key does not exist, but this hub's receipts are signed with the key/);
    expect(() => statSync(join(dir, 'signing.key'))).toThrow(/ENOENT/);

    // The old key is lost, and the operator says so: the hub starts with the new one.
    const replaced = newSigningKeyText();
    expect((await hubKeyFromEnv({ KYOTEN_SIGNING_KEY: replaced, DATABASE_URL: 'postgres://x', KYOTEN_ACCEPT_NEW_SIGNING_KEY: '1' }, table)).fingerprint).not.toBe(signed.fingerprint);
    expect((await hubKeyFromEnv({ KYOTEN_DATA_DIR: dir, KYOTEN_ACCEPT_NEW_SIGNING_KEY: '1' }, table)).source).toBe('file');
  });

  it('starts without the flag once the replacing key has signed a receipt, and refuses the lost key or a third one then', async () => {
    const lost = newSigningKeyText();
    const replaced = newSigningKeyText();
    const [lostKey, newKey] = [hubKeyFromText(lost, 'x', 'env'), hubKeyFromText(replaced, 'x', 'env')];
    const signedWith = [lostKey.fingerprint];
    const table = sharedTable(signedWith);
    const env = { KYOTEN_SIGNING_KEY: replaced, DATABASE_URL: 'postgres://x' };
    // accepted once; until the new key signs, the flag is still needed
    expect((await hubKeyFromEnv({ ...env, KYOTEN_ACCEPT_NEW_SIGNING_KEY: '1' }, table)).fingerprint).toBe(newKey.fingerprint);
    await expect(hubKeyFromEnv(env, table)).rejects.toThrow(/is not the key this hub's receipts were signed with/);
    // the next entry is signed with the new key: the hub starts with it alone
    signedWith.push(newKey.fingerprint);
    expect((await hubKeyFromEnv(env, table)).fingerprint).toBe(newKey.fingerprint);
    await expect(hubKeyFromEnv({ KYOTEN_SIGNING_KEY: lost, DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/is not the key this hub's receipts were signed with/);
    await expect(hubKeyFromEnv({ KYOTEN_SIGNING_KEY: newSigningKeyText(), DATABASE_URL: 'postgres://x' }, table)).rejects.toThrow(/is not the key/);
  });
});
