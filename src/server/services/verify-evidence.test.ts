import { describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createTestHubKey } from '../../../test/factories/receipts';
import { foldCase } from '../../domain/case-fold';
import { claimDetailCsv, encodeClaimCsv, exportMonthOf } from '../../domain/claim-csv';
import { decideClaims } from '../../domain/claim-rules';
import type { EntryCountersign } from '../../domain/countersign-status';
import type { Office } from '../../domain/emergency-case';
import type { EvidenceReceipt } from '../../protocol/countersign';
import { importHubKey } from '../../protocol/countersign';
import { verifyEvidenceCsv } from './verify-evidence';

const office: Office = { id: 'office-1', name: '市川相談支援センター', officeNumber: '1234567890', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false }, createdAt: '2024-04-01T00:00:00.000Z', updatedAt: '2024-04-01T00:00:00.000Z' };

const signed = (r: EvidenceReceipt): EntryCountersign => ({ status: 'countersigned', hub: r.hub, position: r.position, receivedAt: r.receivedAt, keyFingerprint: r.keyFingerprint, signature: r.signature });

describe('verify-evidence', () => {
  it('[K7] reads back a signature that starts with + (the export escapes it as a formula) and passes the row', async () => {
    const key = createTestHubKey();
    const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody()], 'case-p');
    // Ed25519 is deterministic: move the hub time a millisecond at a time until the signature starts with +.
    let receipt: EvidenceReceipt | undefined;
    for (let ms = 0; ms < 5000 && receipt === undefined; ms++) {
      const r = key.receiptFor(entries[1]!, 9, new Date(Date.parse('2026-11-30T15:00:00.000Z') + ms).toISOString());
      if (r.signature.startsWith('+')) receipt = r;
    }
    expect(receipt).toBeDefined();
    const kase = foldCase(entries);
    const decisions = new Map(decideClaims([kase], new Map([[office.id, office]])).map((d) => [d.caseId, d]));
    const text = claimDetailCsv({
      office,
      month: exportMonthOf(kase, decisions.get(kase.id)),
      cases: [kase],
      decisions,
      countersign: (id) => (id === receipt!.entryId ? signed(receipt!) : { status: 'pending' }),
    });
    expect(text).toContain(`'${receipt!.signature}`);
    const report = await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), await importHubKey(key.info.publicKey));
    expect(report).toMatchObject({ ok: 1, ng: 0, unsigned: 0 });
  });
});
