// @vitest-environment node
/**
 * verify-evidence prints one line per report line: a cell of the file that holds a line break
 * must not print a line of its own, such as a forged 「2行目 OK」 under the row that failed. Run
 * with --public-key, it checks that key's fingerprint against the hub's (--fingerprint) first: a
 * key copied from the report being checked proves only that its holder signed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createTestHubKey, type TestHubKey } from '../../../test/factories/receipts';
import { foldCase } from '../../domain/case-fold';
import { claimDetailCsv, encodeClaimCsv, exportMonthOf } from '../../domain/claim-csv';
import { decideClaims } from '../../domain/claim-rules';
import type { Office } from '../../domain/emergency-case';
import { formatFingerprint } from '../../protocol/countersign';
import { runVerifyEvidence } from './verify-evidence-command';

const office: Office = { id: 'office-1', name: '市川相談支援センター', officeNumber: '1234567890', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false }, createdAt: '2024-04-01T00:00:00.000Z', updatedAt: '2024-04-01T00:00:00.000Z' };
let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** A detail CSV of one case with a contact, the contact countersigned with `key`, as the claims screen exports it. */
async function signedExport(key: TestHubKey): Promise<string> {
  const entries = await appendEntries([], [openBody({ officeId: office.id }), contactBody()], 'case-n');
  const kase = foldCase(entries);
  const decisions = new Map(decideClaims([kase], new Map([[office.id, office]])).map((d) => [d.caseId, d]));
  const receipt = key.receiptFor(entries[1]!, 7);
  return claimDetailCsv({
    office,
    month: exportMonthOf(kase, decisions.get(kase.id)),
    cases: [kase],
    decisions,
    countersign: (id) => (id === receipt.entryId ? { status: 'countersigned', hub: receipt.hub, position: receipt.position, receivedAt: receipt.receivedAt, keyFingerprint: receipt.keyFingerprint, signature: receipt.signature } : { status: 'pending' }),
  });
}

function written(text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'verify-'));
  const file = join(dir, 'detail.csv');
  writeFileSync(file, encodeClaimCsv(text, 'utf-8-bom'));
  return file;
}

describe('verify-evidence, the command', () => {
  it('prints a cell holding a line break on its own line, escaped: no forged line reaches the auditor', async () => {
    const key = createTestHubKey();
    const parsed = Papa.parse<Record<string, string>>(await signedExport(key), { header: true, skipEmptyLines: true });
    const rows: Record<string, string>[] = parsed.data.map((r) => ({ ...r, 連絡先事業所: 'あおぞら\n2行目 OK 署名一致（偽）' }));
    const forged = Papa.unparse({ fields: parsed.meta.fields!, data: rows.map((r) => parsed.meta.fields!.map((f) => r[f] ?? '')) }, { newline: '\r\n' });
    const file = written(forged);
    const lines: string[] = [];
    await expect(runVerifyEvidence(file, { publicKey: key.info.publicKey, fingerprint: key.info.fingerprint }, { out: (l) => lines.push(l) }, null)).rejects.toThrow(/NG/);
    expect(lines.some((l) => l.includes('\n'))).toBe(false);
    expect(lines.filter((l) => l.startsWith('2行目'))).toEqual([expect.stringMatching(/^2行目 NG/)]);
    expect(lines.join('\n')).toContain('あおぞら\\x0a2行目 OK');
  });

  it('passes a file signed with the hub key when --fingerprint is the hub\'s, written as the start log prints it, and says the key matched', async () => {
    const hub = createTestHubKey();
    const file = written(await signedExport(hub));
    const lines: string[] = [];
    await runVerifyEvidence(file, { publicKey: hub.info.publicKey, fingerprint: formatFingerprint(hub.info.fingerprint).toUpperCase() }, { out: (l) => lines.push(l) }, null);
    expect(lines[0]).toBe(`署名鍵の指紋 ${formatFingerprint(hub.info.fingerprint)}: --fingerprint と一致 / key fingerprint matches --fingerprint`);
    expect(lines.filter((l) => / OK /.test(l))).toHaveLength(1);
  });

  it('refuses a file signed with another key, the one printed on a forged report, when --fingerprint is the hub\'s: no row reads OK', async () => {
    const hub = createTestHubKey();
    const forger = createTestHubKey();
    const file = written(await signedExport(forger));
    const lines: string[] = [];
    const run = runVerifyEvidence(file, { publicKey: forger.info.publicKey, fingerprint: hub.info.fingerprint }, { out: (l) => lines.push(l) }, null);
    await expect(run).rejects.toThrow(`--public-key の鍵の指紋 ${formatFingerprint(forger.info.fingerprint)} は、--fingerprint の ${formatFingerprint(hub.info.fingerprint)} と一致しません`);
    await expect(run).rejects.toThrow(/Nothing was checked/);
    expect(lines).toEqual([]);
  });

  it('refuses --public-key without --fingerprint, saying where the hub\'s fingerprint is kept, before any row reads OK', async () => {
    const forger = createTestHubKey();
    const file = written(await signedExport(forger));
    const lines: string[] = [];
    const run = runVerifyEvidence(file, { publicKey: forger.info.publicKey }, { out: (l) => lines.push(l) }, null);
    await expect(run).rejects.toThrow(/--fingerprint <指紋> で指定してください/);
    await expect(run).rejects.toThrow(/拠点の管理者の控え.*hub signing key/);
    expect(lines).toEqual([]);
  });

  it('refuses a --fingerprint that is not 64 hex digits (a prefix read off a page is no check)', async () => {
    const hub = createTestHubKey();
    const file = written(await signedExport(hub));
    await expect(runVerifyEvidence(file, { publicKey: hub.info.publicKey, fingerprint: hub.info.fingerprint.slice(0, 16) }, { out: () => undefined }, null)).rejects.toThrow(/16進64桁/);
  });

  it('checks --fingerprint against the hub\'s own key on the hub too', async () => {
    const hub = createTestHubKey();
    const other = createTestHubKey();
    const file = written(await signedExport(hub));
    const lines: string[] = [];
    await expect(runVerifyEvidence(file, { fingerprint: other.info.fingerprint }, { out: (l) => lines.push(l), hubKey: async () => hub.info }, null)).rejects.toThrow(/この拠点サーバーの署名鍵の指紋 .* と一致しません/);
    expect(lines).toEqual([]);
  });
});
