// @vitest-environment node
/**
 * verify-evidence prints one line per report line: a cell of the file that holds a line break
 * must not print a line of its own, such as a forged 「2行目 OK」 under the row that failed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createTestHubKey } from '../../../test/factories/receipts';
import { foldCase } from '../../domain/case-fold';
import { claimDetailCsv, encodeClaimCsv, exportMonthOf } from '../../domain/claim-csv';
import { decideClaims } from '../../domain/claim-rules';
import type { Office } from '../../domain/emergency-case';
import { runVerifyEvidence } from './verify-evidence-command';

const office: Office = { id: 'office-1', name: '市川相談支援センター', officeNumber: '1234567890', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false }, createdAt: '2024-04-01T00:00:00.000Z', updatedAt: '2024-04-01T00:00:00.000Z' };
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe('verify-evidence, the command', () => {
  it('prints a cell holding a line break on its own line, escaped: no forged line reaches the auditor', async () => {
    const key = createTestHubKey();
    const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody()], 'case-n');
    const kase = foldCase(entries);
    const decisions = new Map(decideClaims([kase], new Map([[office.id, office]])).map((d) => [d.caseId, d]));
    const receipt = key.receiptFor(entries[1]!, 7);
    const text = claimDetailCsv({
      office,
      month: exportMonthOf(kase, decisions.get(kase.id)),
      cases: [kase],
      decisions,
      countersign: (id) => (id === receipt.entryId ? { status: 'countersigned', hub: receipt.hub, position: receipt.position, receivedAt: receipt.receivedAt, keyFingerprint: receipt.keyFingerprint, signature: receipt.signature } : { status: 'pending' }),
    });
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const rows: Record<string, string>[] = parsed.data.map((r) => ({ ...r, 連絡先事業所: 'あおぞら\n2行目 OK 署名一致（偽）' }));
    const forged = Papa.unparse({ fields: parsed.meta.fields!, data: rows.map((r) => parsed.meta.fields!.map((f) => r[f] ?? '')) }, { newline: '\r\n' });
    dir = mkdtempSync(join(tmpdir(), 'verify-'));
    const file = join(dir, 'detail.csv');
    writeFileSync(file, encodeClaimCsv(forged, 'utf-8-bom'));
    const lines: string[] = [];
    await expect(runVerifyEvidence(file, key.info.publicKey, { out: (l) => lines.push(l) }, null)).rejects.toThrow(/NG/);
    expect(lines.some((l) => l.includes('\n'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('2行目'))).toEqual([expect.stringMatching(/^2行目 NG/)]);
    expect(lines.join('\n')).toContain('あおぞら\\x0a2行目 OK');
  });
});
