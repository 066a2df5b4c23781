import { describe, expect, it } from 'vitest';
import { admittedNight } from '../../../test/factories/emergency-case';
import { createOffice } from '../../../test/factories/office';
import { foldCase } from '../../domain/case-fold';
import { casesForMonth } from '../../domain/claim-csv';
import { decideClaims, summarizeClaims } from '../../domain/claim-rules';
import type { EntryCountersign } from '../../domain/countersign-status';
import { claimFile } from './claim-files';

describe('the claim files and their hashes', () => {
  it('gives the 明細 the same content hash whether or not the hub has signed its entries since, and another file hash', async () => {
    const office = createOffice({ name: '市川相談支援センター', officeNumber: '1234567890' });
    const all = [foldCase(await admittedNight('case-1', '2026-11-02T03:00:00.000Z'))];
    const decisions = new Map(decideClaims(all, new Map([[office.id, office]])).map((d) => [d.caseId, d] as const));
    const claim = { cases: casesForMonth(all, decisions, office.id, '2026-11'), decisions, summary: summarizeClaims([...decisions.values()], all, office.id, '2026-11') };
    const source = { office, month: '2026-11', claim, claimedIn: new Map<string, string>() };
    const waiting = (): EntryCountersign => ({ status: 'pending' });
    const signed = (): EntryCountersign => ({ status: 'countersigned', hub: 'aozora', position: 7, receivedAt: '2026-11-02T03:10:00.000Z', keyFingerprint: 'ab12', signature: 'c2lnbmF0dXJl' });
    const before = await claimFile('detail', { ...source, countersign: waiting }, 'utf-8-bom');
    const after = await claimFile('detail', { ...source, countersign: signed }, 'utf-8-bom');
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.contentSha256).toBe(before.contentSha256);
    // the 集計 has no signature columns: its two hashes are one
    const summary = await claimFile('summary', { ...source, countersign: signed }, 'shift_jis');
    expect(summary.contentSha256).toBe(summary.sha256);
    expect(summary.fileName).toBe('soudan-kyouka-summary-1234567890-2026-11-sjis.csv');
  });
});
