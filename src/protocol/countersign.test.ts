import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, formatFingerprint, importHubKey, keyFingerprint, receiptStatement, receiptStatementBytes, verifyReceipt, type EvidenceReceipt, type ReceiptFacts } from './countersign';

const facts: ReceiptFacts = {
  hub: 'hub-matsudo',
  caseId: 'case-1',
  entryId: 'case-1-e1',
  entryHash: '0123456789abcdef'.repeat(4),
  position: 7,
  receivedAt: '2026-11-30T15:20:00.000Z',
};

async function hub() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const raw = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
  const verify = await importHubKey(bytesToBase64(raw));
  const receipt = (f: ReceiptFacts): EvidenceReceipt => ({ ...f, keyFingerprint: verify.fingerprint, signature: sign(null, receiptStatementBytes(f), privateKey).toString('base64') });
  return { verify, receipt, raw };
}

describe('receipts (countersign)', () => {
  it('[K2] the statement is a JSON array in a fixed order, so no field can run into the next', () => {
    expect(receiptStatement(facts)).toBe('["kyoten-receipt/1","hub-matsudo","case-1","case-1-e1","' + facts.entryHash + '",7,"2026-11-30T15:20:00.000Z"]');
    expect(receiptStatement({ ...facts, caseId: 'a","b', entryId: 'c' })).not.toBe(receiptStatement({ ...facts, caseId: 'a', entryId: 'b","c' }));
  });

  it('[K3] verifies a receipt, and the entry it names as held here', async () => {
    const { verify, receipt } = await hub();
    const r = receipt(facts);
    expect(await verifyReceipt(r, verify)).toEqual({ ok: true });
    expect(await verifyReceipt(r, verify, { id: facts.entryId, hash: facts.entryHash })).toEqual({ ok: true });
    expect(await verifyReceipt(r, verify, { id: facts.entryId, hash: 'f'.repeat(64) })).toMatchObject({ ok: false, problem: 'hash-differs' });
  });

  it('[K3] one changed byte of hash, time, position, case, entry or hub fails', async () => {
    const { verify, receipt } = await hub();
    const r = receipt(facts);
    const changed: EvidenceReceipt[] = [
      { ...r, entryHash: '1' + r.entryHash.slice(1) },
      { ...r, receivedAt: '2026-11-30T15:20:01.000Z' },
      { ...r, position: 8 },
      { ...r, caseId: 'case-2' },
      { ...r, entryId: 'case-1-e2' },
      { ...r, hub: 'hub-kashiwa' },
    ];
    for (const c of changed) expect(await verifyReceipt(c, verify)).toMatchObject({ ok: false, problem: 'bad-signature' });
    const sig = Buffer.from(r.signature, 'base64');
    sig[0]! ^= 1;
    expect(await verifyReceipt({ ...r, signature: sig.toString('base64') }, verify)).toMatchObject({ ok: false, problem: 'bad-signature' });
  });

  it('the fingerprint is SHA-256 of the raw key, shown in groups of four', async () => {
    const { verify, raw } = await hub();
    expect(await keyFingerprint(raw)).toBe(verify.fingerprint);
    expect(formatFingerprint('0123456789abcdef')).toBe('0123 4567 89ab cdef');
    await expect(importHubKey(bytesToBase64(new Uint8Array(31)))).rejects.toThrow(RangeError);
  });
});
