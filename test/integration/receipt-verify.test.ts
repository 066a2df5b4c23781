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
import { runVerifyEvidence } from '../../src/server/services/verify-evidence-command';
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
        { body: openBody({ officeId: office.id, requestedAt: '2026-11-30T11:50:00.000Z' }), at: '2026-11-30T11:50:00.000Z', by },
        { body: contactBody({ contactedAt: '2026-11-30T11:52:00.000Z', result: '受入不可' }), at: '2026-11-30T11:53:00.000Z', by },
        { body: contactBody({ contactedAt: '2026-11-30T11:55:00.000Z', facilityName: 'ひだまり' }), at: '2026-11-30T11:56:00.000Z', by },
      ],
      'case-1',
    );
    return exportAfterSync(entries);
  }

  /**
   * A night call with what is no row of its own: a contact withdrawn, a call answered later, a
   * contact corrected and the request corrected. Rows: ひだまり (取消), あおぞら, そよかぜ荘.
   */
  async function nightCallAfterSync(): Promise<string> {
    const by = { userId: coord.id, name: 'coord1 さん' };
    const at = (min: number) => new Date(Date.parse('2026-11-30T11:40:00.000Z') + min * 60_000).toISOString();
    const first = await appendEntries(
      [],
      [
        { body: openBody({ officeId: office.id, requestedAt: at(0) }), at: at(0), by },
        { body: contactBody({ contactedAt: at(2), result: '受入不可', facilityName: 'ひだまり' }), at: at(3), by },
        { body: contactBody({ contactedAt: at(4), result: null }), at: at(5), by },
        { body: contactBody({ contactedAt: at(6), result: '受入不可', facilityName: 'そよかぜ' }), at: at(7), by },
      ],
      'case-n',
    );
    const [open, withdrawn, call, corrected] = first;
    const entries = await appendEntries(first, [
      { body: { type: 'result', contact: call!.id, result: '受入可', note: '' }, at: at(8), by },
      { body: { type: 'correction', corrects: withdrawn!.id, reason: '別の利用者の記録に入力したため', replacement: null }, at: at(9), by },
      { body: { type: 'correction', corrects: corrected!.id, reason: '施設名の誤り', replacement: contactBody({ contactedAt: at(6), result: '受入不可', facilityName: 'そよかぜ荘', note: '満床' }) }, at: at(10), by },
      { body: { type: 'correction', corrects: open!.id, reason: '要請時刻の入力誤り', replacement: openBody({ officeId: office.id, requestedAt: at(-1) }) }, at: at(11), by },
    ]);
    return exportAfterSync(entries);
  }

  async function exportAfterSync(entries: readonly CaseEntry[]): Promise<string> {
    const writer = await new DeviceClient(api, 'device-1').join(coord);
    const pushed = await writer.push(entries.map(entryWire));
    expect(pushed.status).toBe(200);
    expect(pushed.body.results.map((r) => r.status)).toEqual(entries.map(() => 'accepted'));

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

  /** The file with its rows changed by `edit`, in UTF-8 with BOM. */
  function edited(text: string, name: string, edit: (rows: Record<string, string>[]) => Record<string, string>[]): string {
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const fields = parsed.meta.fields!;
    const out = join(dir, `${name}.csv`);
    writeFileSync(out, encodeClaimCsv(Papa.unparse({ fields, data: edit(parsed.data).map((r) => fields.map((f) => r[f] ?? '')) }, { newline: '\r\n' }), 'utf-8-bom'));
    return out;
  }

  /** The command without the hub's store, as an auditor runs it with --public-key and the hub's fingerprint. */
  async function verifyAlone(file: string): Promise<{ lines: string[]; error: string | null }> {
    const lines: string[] = [];
    try {
      await runVerifyEvidence(file, { publicKey: api.hubKey.publicKey, fingerprint: api.hubKey.fingerprint }, { out: (l) => lines.push(l) }, null);
      return { lines, error: null };
    } catch (error) {
      return { lines, error: (error as Error).message };
    }
  }

  it('passes the export of a night call with a withdrawn, a corrected and a later-answered contact and a corrected request, beside the store and standalone', async () => {
    const text = await nightCallAfterSync();
    const file = write(text, 'utf-8-bom');
    const beside = await verify(file);
    expect(beside.error).toBeNull();
    expect(beside.lines.filter((l) => / OK /.test(l))).toHaveLength(3);
    expect(beside.lines).toContain('事例 case-n: 一致  拠点の記録 8件と一致 / matches the hub\'s 8 entries');
    const alone = await verifyAlone(file);
    expect(alone.error).toBeNull();
    expect(alone.lines.join('\n')).toMatch(/拠点の記録とは照合していません（単独での検証）/);
  });

  it('fails a contact row whose note was changed with text put in 訂正 or 取消 (the comparison stays on)', async () => {
    const text = await nightCallAfterSync();
    for (const [name, column, value] of [['correction', '訂正', '確認のため'], ['withdrawal', '取消', '取消']] as const) {
      const file = edited(text, name, (rows) => ((rows[1]![column] = value), (rows[1]!['メモ'] = '受入可と回答'), rows));
      for (const { lines, error } of [await verify(file), await verifyAlone(file)]) {
        expect(error, column).toMatch(/NG 1/);
        expect(lines.find((l) => l.startsWith('3行目')), column).toMatch(/NG/);
      }
    }
  });

  it('fails beside the store a withdrawn contact whose 取消 and 取消の理由 were cleared', async () => {
    const text = await nightCallAfterSync();
    const file = edited(text, 'active', (rows) => ((rows[0]!['取消'] = ''), (rows[0]!['取消の理由'] = ''), rows));
    const { lines, error } = await verify(file);
    expect(error).toMatch(/NG 1/);
    expect(lines.find((l) => l.startsWith('2行目'))).toMatch(/NG .*「取消」が拠点の記録から求めた値と違います/);
  });

  it('fails beside the store a changed 要請のあった時間 on the rows of a case with contacts', async () => {
    const text = await nightCallAfterSync();
    const file = edited(text, 'requested', (rows) => rows.map((r) => ({ ...r, 要請のあった時間: '2026-11-30 20:00' })));
    const { lines, error } = await verify(file);
    expect(error).toMatch(/NG 3/);
    expect(lines.find((l) => l.startsWith('3行目'))).toMatch(/NG .*「要請のあった時間」が拠点の記録から求めた値と違います/);
  });

  it('fails beside the store an export with a row deleted, naming the missing contact', async () => {
    const text = await nightCallAfterSync();
    const file = edited(text, 'deleted', (rows) => rows.filter((_, i) => i !== 1));
    const { lines, error } = await verify(file);
    expect(error).toMatch(/1件の事例が拠点の記録と一致しません/);
    expect(lines).toContainEqual(expect.stringMatching(/^事例 case-n: NG .*この事例の行が1行ありません（削除されています）: 2026-11-30 20:44 あおぞら短期入所/));
  });

  it('fails beside the store a row relabelled 未署名 with its receipt cleared, whose entry the hub has signed', async () => {
    const text = await nightCallAfterSync();
    const file = edited(text, 'unsigned', (rows) => {
      rows[2]!['拠点署名'] = '未署名（拠点の受付待ち）';
      for (const c of ['拠点受付時刻', '拠点ID', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名']) rows[2]![c] = '';
      // The case's count too, so that nothing in the file itself gives it away.
      return rows.map((r) => ({ ...r, 事例の拠点署名: '8件中7件 拠点署名済み' }));
    });
    const { lines, error } = await verify(file);
    expect(error).toMatch(/NG 1/);
    expect(lines.find((l) => l.startsWith('4行目'))).toMatch(/NG .*拠点はこの記録に署名しています/);
  });

  it('runs as a command with --public-key, the hub\'s --fingerprint and no store: exit 0 for the export, 1 with one changed time, 1 without the fingerprint', async () => {
    const text = await exportedAfterSync();
    const file = write(text, 'shift_jis');
    const run = (f: string, fingerprint: readonly string[] = ['--fingerprint', api.hubKey.fingerprint]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
        execFile(resolve('node_modules/.bin/tsx'), ['src/server/admin.ts', 'verify-evidence', f, '--public-key', api.hubKey.publicKey, ...fingerprint], { env: { ...process.env, DATABASE_URL: '' } }, (error, stdout, stderr) =>
          done({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }),
        );
      });
    const unchecked = await run(file, []);
    expect(unchecked.code).toBe(1);
    expect(unchecked.stdout).not.toMatch(/OK/);
    expect(unchecked.stderr).toMatch(/--fingerprint/);
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
