/**
 * The receipt test of issue 11 [K7]: a case is pushed to the hub, another phone pulls it with its
 * receipts, the detail CSV is exported there as the claims screen does it, and
 * `npm run admin -- verify-evidence FILE` passes it; the same file with one changed time fails.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldCase } from '../../src/domain/case-fold';
import { claimDetailCsv, encodeClaimCsv, exportMonthOf } from '../../src/domain/claim-csv';
import { decideClaims } from '../../src/domain/claim-rules';
import type { CaseEntry, Office } from '../../src/domain/emergency-case';
import { RECEIPTS_HEADER } from '../../src/protocol/countersign';
import { API, PullResponse } from '../../src/protocol/sync';
import { runAdminCommand } from '../../src/server/admin-commands';
import { entryCountersigns, goodReceipts, lookupOf } from '../../src/sync/countersign';
import { appendEntries, contactBody, openBody } from '../factories/emergency-case';
import { DeviceClient, entryWire, HUB, startApi, type ApiHarness, type TestUser } from './api-harness';
import { schemaTarget } from './schema-target';

const url = process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const target = schemaTarget(() => ({ connectionString: url }), 'postgres');
afterAll(() => target.dropAll());

const office: Office = {
  id: 'office-a',
  name: '松戸相談支援センター',
  officeNumber: '1234567890',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};

describe('[K7] receipt test: an exported detail CSV verifies against the hub key', () => {
  let api: ApiHarness;
  let coord: TestUser;
  let dir: string;
  beforeEach(async () => {
    api = await startApi(target);
    coord = await api.user('coord1', 'coordinator');
    dir = mkdtempSync(join(tmpdir(), 'kyoten-receipt-'));
  }, 60_000);
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await api.close();
  });

  /** Pushes a case from one phone; another phone pulls it with receipts and exports the detail CSV. */
  async function exportedAfterSync(): Promise<string> {
    const by = { userId: coord.id, name: 'coord1 さん' };
    const entries = await appendEntries(
      [],
      [
        { body: openBody({ officeId: office.id }), at: '2026-11-30T11:50:00.000Z', by },
        { body: contactBody({ contactedAt: '2026-11-30T11:52:00.000Z', result: '受入不可' }), at: '2026-11-30T11:53:00.000Z', by },
        { body: contactBody({ contactedAt: '2026-11-30T11:55:00.000Z', facilityName: 'ひだまり' }), at: '2026-11-30T11:56:00.000Z', by },
      ],
      'case-1',
    );
    const writer = await new DeviceClient(api, 'device-1').join(coord);
    expect((await writer.push(entries.map(entryWire))).status).toBe(200);

    api.clock.advance(30_000);
    const reader = await new DeviceClient(api, 'device-2').join(coord);
    const page = PullResponse.parse((await reader.request('GET', `${API.pull}?cursor=0&limit=100`, undefined, { [RECEIPTS_HEADER]: '1' })).body);
    const hubKey = { hub: HUB, algorithm: 'Ed25519' as const, publicKey: api.hubKey.publicKey, fingerprint: api.hubKey.fingerprint };
    const kept = await goodReceipts(page.receipts ?? [], HUB, hubKey);
    const pulled = page.records.filter((r) => r.kind === 'case-entry').map((r) => JSON.parse(r.payloadJson) as CaseEntry);
    const kase = foldCase(pulled.sort((a, b) => a.index - b.index));
    const checked = await entryCountersigns(kase.entries, { joined: true, hubKey, receipts: new Map(kept.map((r) => [r.entryId, r])) });
    const decisions = new Map(decideClaims([kase], new Map([[office.id, office]])).map((d) => [d.caseId, d]));
    return claimDetailCsv({ office, month: exportMonthOf(kase, decisions.get(kase.id)), cases: [kase], decisions, countersign: lookupOf(checked, true) });
  }

  function write(text: string, encoding: 'utf-8-bom' | 'shift_jis'): string {
    const file = join(dir, `detail-${encoding}.csv`);
    writeFileSync(file, encodeClaimCsv(text, encoding));
    return file;
  }

  async function verify(file: string): Promise<{ lines: string[]; error: string | null }> {
    const lines: string[] = [];
    try {
      await runAdminCommand(api.store, 'verify-evidence', { file }, { out: (l) => lines.push(l), readPassword: async () => '', hubKey: async () => api.hubKey });
      return { lines, error: null };
    } catch (error) {
      return { lines, error: (error as Error).message };
    }
  }

  /** The file with one cell changed, in the same encoding (UTF-8 with BOM here). */
  function changed(text: string, row: number, column: string, value: string): string {
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    parsed.data[row]![column] = value;
    const out = join(dir, `changed-${column.replace(/\W/g, '')}-${row}.csv`);
    writeFileSync(out, encodeClaimCsv(Papa.unparse({ fields: parsed.meta.fields!, data: parsed.data.map((r) => parsed.meta.fields!.map((f) => r[f] ?? '')) }, { newline: '\r\n' }), 'utf-8-bom'));
    return out;
  }

  it('passes the export of a synced case, UTF-8 (BOM) and Shift_JIS, with every row countersigned', async () => {
    const text = await exportedAfterSync();
    for (const encoding of ['utf-8-bom', 'shift_jis'] as const) {
      const { lines, error } = await verify(write(text, encoding));
      expect(error, encoding).toBeNull();
      expect(lines.filter((l) => / OK /.test(l))).toHaveLength(2);
      expect(lines.at(-1)).toMatch(/OK 2、NG 0/);
    }
  });

  it('fails the same export with one changed time (the contact, the record, the hub time in UTC or Japan), position, hash or note, naming the row', async () => {
    const text = await exportedAfterSync();
    const row = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data[1]!;
    const later = new Date(Date.parse(row['拠点受付時刻（UTC）']!) + 60_000).toISOString();
    const cases: [string, string][] = [
      ['拠点受付時刻（UTC）', later],
      ['拠点受付時刻', '2026-12-01 00:00'],
      ['拠点受付番号', String(Number(row['拠点受付番号']) + 1)],
      ['エントリのハッシュ', (row['エントリのハッシュ']![0] === 'a' ? 'b' : 'a') + row['エントリのハッシュ']!.slice(1)],
      ['連絡・調整を行った時刻', '2026-11-30 20:56'],
      ['記録時刻', '2026-11-30 20:57'],
      ['メモ', '折り返し不要'],
      ['エントリ（JSON）', row['エントリ（JSON）']!.replace('"contactedAt":"2026-11-30T11:55:00.000Z"', '"contactedAt":"2026-11-30T11:56:00.000Z"')],
    ];
    expect(row['連絡・調整を行った時刻']).toBe('2026-11-30 20:55');
    for (const [column, value] of cases) {
      const { lines, error } = await verify(changed(text, 1, column, value));
      expect(error, column).toMatch(/NG 1/);
      expect(lines.find((l) => l.startsWith('3行目')), column).toMatch(/NG/);
      expect(lines.find((l) => l.startsWith('2行目')), column).toMatch(/OK/);
    }
  });

  it('runs as a command with --public-key and no store: exit 0 for the export, 1 with one changed time', async () => {
    const text = await exportedAfterSync();
    const file = write(text, 'shift_jis');
    const run = (f: string) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(resolve('node_modules/.bin/tsx'), ['src/server/admin.ts', 'verify-evidence', f, '--public-key', api.hubKey.publicKey], { env: { ...process.env, DATABASE_URL: '' } }, (error, stdout, stderr) =>
          done({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
        );
      });
    const good = await run(file);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/OK 2、NG 0/);
    const row = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data[0]!;
    const bad = await run(changed(text, 0, '拠点受付時刻（UTC）', new Date(Date.parse(row['拠点受付時刻（UTC）']!) - 1000).toISOString()));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/2行目 NG/);
    expect(bad.stderr).toMatch(/NG 1/);
  }, 60_000);
});
