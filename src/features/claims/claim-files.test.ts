import { describe, expect, it } from 'vitest';
import { admittedNight } from '../../../test/factories/emergency-case';
import { createOffice } from '../../../test/factories/office';
import { foldCase } from '../../domain/case-fold';
import { buildMonthClose, sha256OfBytes, type MonthClose } from '../../domain/claim-close';
import { casesForMonth, claimSummaryCsv, encodeClaimCsv } from '../../domain/claim-csv';
import { decideClaims, summarizeClaims } from '../../domain/claim-rules';
import type { EntryCountersign } from '../../domain/countersign-status';
import type { Office } from '../../domain/emergency-case';
import { claimFile, heldBackCount, keptSummaryFile } from './claim-files';

const office = createOffice({ name: '市川相談支援センター', officeNumber: '1234567890' });
const signed = (): EntryCountersign => ({ status: 'countersigned', hub: 'aozora', position: 7, receivedAt: '2026-11-02T03:10:00.000Z', keyFingerprint: 'ab12', signature: 'c2lnbmF0dXJl' });

/** November at `office`: Yota claimed, and one case waiting (要確認) for a 受給者証番号. */
async function november(o: Office = office) {
  const noNumber = { householdId: 'hh-3', personId: 'p-3', name: '鈴木 一郎', recipientNumber: '' };
  const all = [foldCase(await admittedNight('case-1', '2026-11-02T03:00:00.000Z')), foldCase(await admittedNight('case-2', '2026-11-04T03:00:00.000Z', noNumber))];
  const decisions = new Map(decideClaims(all, new Map([[o.id, o]])).map((d) => [d.caseId, d] as const));
  const claim = { cases: casesForMonth(all, decisions, o.id, '2026-11'), decisions, summary: summarizeClaims([...decisions.values()], all, o.id, '2026-11') };
  return { office: o, month: '2026-11', claim, claimedIn: new Map<string, string>(), countersign: signed };
}

/** A close as 請求済み writes it: the two files in `encoding`, their hashes kept. */
async function closeOf(source: Awaited<ReturnType<typeof november>>, encoding: 'utf-8-bom' | 'shift_jis'): Promise<MonthClose> {
  const files = [await claimFile('summary', source, encoding), await claimFile('detail', source, encoding)];
  return buildMonthClose({
    id: 'close-1',
    office: source.office,
    month: source.month,
    cases: source.claim.cases,
    decisions: source.claim.decisions,
    summary: source.claim.summary,
    sentOn: '2026-12-01',
    encoding,
    exports: files.map((f) => ({ kind: f.kind, fileName: f.fileName, sha256: f.sha256, size: f.bytes.length })),
    recordedAt: '2026-12-01T01:00:00.000Z',
    recordedBy: { userId: 'u-1', name: '請求 担当' },
    deviceId: 'device-1',
  });
}

describe('the claim files and their hashes', () => {
  it('gives the 明細 the same content hash whether or not the hub has signed its entries since, and another file hash', async () => {
    const all = [foldCase(await admittedNight('case-1', '2026-11-02T03:00:00.000Z'))];
    const decisions = new Map(decideClaims(all, new Map([[office.id, office]])).map((d) => [d.caseId, d] as const));
    const claim = { cases: casesForMonth(all, decisions, office.id, '2026-11'), decisions, summary: summarizeClaims([...decisions.values()], all, office.id, '2026-11') };
    const source = { office, month: '2026-11', claim, claimedIn: new Map<string, string>() };
    const waiting = (): EntryCountersign => ({ status: 'pending' });
    const before = await claimFile('detail', { ...source, countersign: waiting }, 'utf-8-bom');
    const after = await claimFile('detail', { ...source, countersign: signed }, 'utf-8-bom');
    expect(after.sha256).not.toBe(before.sha256);
    expect(after.contentSha256).toBe(before.contentSha256);
    // the 集計 has no signature columns: its two hashes are one
    const summary = await claimFile('summary', { ...source, countersign: signed }, 'shift_jis');
    expect(summary.contentSha256).toBe(summary.sha256);
    expect(summary.fileName).toBe('soudan-kyouka-summary-1234567890-2026-11-sjis.csv');
  });

  it('says in the 集計\'s 合計 row how many 要確認 cases of the month it leaves out', async () => {
    const source = await november();
    expect(heldBackCount(source.claim)).toBe(1);
    const text = new TextDecoder().decode((await claimFile('summary', source, 'utf-8-bom')).bytes).replace(/^\uFEFF/, '');
    expect(text.split('\r\n').at(-2)).toBe('1234567890,2026年11月,要確認1件は含みません,合計,1名,1,700');
  });

  it('names today\'s figures for a month already 請求済み apart from the files sent', async () => {
    const source = await november();
    expect((await claimFile('summary', source, 'utf-8-bom', { current: true })).fileName).toBe('soudan-kyouka-summary-1234567890-2026-11-genzai.csv');
    expect((await claimFile('detail', source, 'shift_jis', { current: true })).fileName).toBe('soudan-kyouka-detail-1234567890-2026-11-genzai-sjis.csv');
  });
});

describe('請求時の集計CSV: the summary sent, rebuilt from the close', () => {
  it('comes out byte for byte as the file the close kept the SHA-256 of, in the encoding it was sent in, under its name', async () => {
    for (const encoding of ['utf-8-bom', 'shift_jis'] as const) {
      const close = await closeOf(await november(), encoding);
      const rebuilt = await keptSummaryFile(close);
      expect(rebuilt).not.toBeNull();
      expect(await sha256OfBytes(rebuilt!.bytes)).toBe(close.body.exports[0]!.sha256);
      expect(rebuilt!.bytes.length).toBe(close.body.exports[0]!.size);
      expect(rebuilt!.fileName).toBe(close.body.exports[0]!.fileName);
    }
  });

  it('rebuilds a close made before the 合計 row named what it held back (its file said nothing)', async () => {
    const source = await november();
    const close = await closeOf(source, 'utf-8-bom');
    const older = encodeClaimCsv(claimSummaryCsv(close.body.summary, close.body.office, close.month), 'utf-8-bom');
    const before: MonthClose = { ...close, body: { ...close.body, exports: [{ ...close.body.exports[0]!, sha256: await sha256OfBytes(older), size: older.length }] } };
    expect(await sha256OfBytes((await keptSummaryFile(before))!.bytes)).toBe(before.body.exports[0]!.sha256);
  });

  it('gives nothing rather than a file that differs from the one sent', async () => {
    const close = await closeOf(await november(), 'utf-8-bom');
    expect(await keptSummaryFile({ ...close, body: { ...close.body, exports: [{ ...close.body.exports[0]!, sha256: '0'.repeat(64) }] } })).toBeNull();
    expect(await keptSummaryFile({ ...close, body: { ...close.body, exports: [] } })).toBeNull();
  });
});
