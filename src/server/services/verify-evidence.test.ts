import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { admittedNight, appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createTestHubKey, type TestHubKey } from '../../../test/factories/receipts';
import { orderEntries } from '../../domain/case-chain';
import { foldCase } from '../../domain/case-fold';
import { claimDetailCsv, encodeClaimCsv, exportMonthOf } from '../../domain/claim-csv';
import { decideClaims } from '../../domain/claim-rules';
import type { EntryCountersign } from '../../domain/countersign-status';
import type { CaseEntry, EntryBody, Office } from '../../domain/emergency-case';
import type { EvidenceReceipt } from '../../protocol/countersign';
import { importHubKey } from '../../protocol/countersign';
import { describeEvidenceReport, verifyEvidenceCsv, type EvidenceReport, type HubRecords } from './verify-evidence';

const office: Office = { id: 'office-1', name: '市川相談支援センター', officeNumber: '1234567890', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false }, createdAt: '2024-04-01T00:00:00.000Z', updatedAt: '2024-04-01T00:00:00.000Z' };

const signed = (r: EvidenceReceipt): EntryCountersign => ({ status: 'countersigned', hub: r.hub, position: r.position, receivedAt: r.receivedAt, keyFingerprint: r.keyFingerprint, signature: r.signature });

type Rows = Record<string, string>[];

/** The detail CSV of the cases of `entries` as the claims screen writes it, the entries the hub took signed. */
function exportOf(entries: readonly CaseEntry[], receipts: ReadonlyMap<string, EvidenceReceipt>): string {
  const ids = [...new Set(entries.map((e) => e.caseId))];
  const cases = ids.map((id) => foldCase(orderEntries(entries.filter((e) => e.caseId === id))));
  const decisions = new Map(decideClaims(cases, new Map([[office.id, office]])).map((d) => [d.caseId, d]));
  return claimDetailCsv({
    office,
    month: exportMonthOf(cases[0]!, decisions.get(cases[0]!.id)),
    cases,
    decisions,
    countersign: (id) => {
      const r = receipts.get(id);
      return r === undefined ? { status: 'pending' } : signed(r);
    },
  });
}

/** A hub that holds `entries` and their receipts, as the command reads them from the store. */
function hubOf(entries: readonly CaseEntry[], receipts: ReadonlyMap<string, EvidenceReceipt>): HubRecords {
  return {
    receipts: async (_hub, ids) => new Map(ids.flatMap((id) => (receipts.has(id) ? [[id, receipts.get(id)!] as const] : []))),
    caseEntries: async (_hub, caseIds) => new Map(caseIds.map((id) => [id, entries.filter((e) => e.caseId === id)] as const).filter(([, list]) => list.length > 0)),
  };
}

function signAll(key: TestHubKey, entries: readonly CaseEntry[], from = 100): Map<string, EvidenceReceipt> {
  return new Map(entries.map((e, i) => [e.id, key.receiptFor(e, from + i)]));
}

/**
 * A night call with everything that is not a row of its own: a withdrawn contact, a call whose
 * result came after it, a corrected contact, and a corrected request.
 */
async function nightCall() {
  const key = createTestHubKey();
  const entries = await appendEntries(
    [],
    [
      { body: openBody({ requestedAt: '2026-11-30T14:50:00.000Z' }), at: '2026-11-30T14:50:00.000Z' },
      contactBody({ contactedAt: '2026-11-30T15:00:00.000Z', result: '受入不可', facilityName: 'ひだまり' }),
      contactBody({ contactedAt: '2026-11-30T15:05:00.000Z', result: null, note: '折り返しを依頼' }),
      contactBody({ contactedAt: '2026-11-30T15:10:00.000Z', result: '受入不可', facilityName: 'そよかぜ' }),
    ],
    'case-1',
  );
  const [, withdrawn, call, corrected] = entries;
  const all = await appendEntries(entries, [
    { type: 'result', contact: call!.id, result: '受入可', note: '夜間の受入可' },
    { type: 'correction', corrects: withdrawn!.id, reason: '別の利用者の記録に入力したため', replacement: null },
    { type: 'correction', corrects: corrected!.id, reason: '施設名の誤り', replacement: contactBody({ contactedAt: '2026-11-30T15:10:00.000Z', result: '受入不可', facilityName: 'そよかぜ荘', note: '満床' }) },
    { type: 'correction', corrects: entries[0]!.id, reason: '要請時刻の入力誤り', replacement: openBody({ requestedAt: '2026-11-30T14:45:00.000Z', requestedAtReason: '通話中で入力できなかったため' }) },
  ]);
  const receipts = signAll(key, all);
  const text = exportOf(all, receipts);
  return { key: await importHubKey(key.info.publicKey), text, hub: hubOf(all, receipts), rows: parse(text) };
}

function parse(text: string): Rows {
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
}

/** The file with its rows changed, in the export's encoding. */
function edited(text: string, change: (rows: Rows) => Rows): Uint8Array {
  const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields!;
  const rows = change(parsed.data);
  return encodeClaimCsv(Papa.unparse({ fields, data: rows.map((r) => fields.map((f) => r[f] ?? '')) }, { newline: '\r\n' }), 'utf-8-bom');
}

const lineOf = (report: EvidenceReport, row: number) => describeEvidenceReport(report, 'key').find((l) => l.startsWith(`${row}行目`));
const failed = (report: EvidenceReport) => report.ng + report.caseNg;

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

  it('[K7] a note of two lines starting with - is written as text for Excel, and the untouched file passes (as does one written before the escape covered it)', async () => {
    const key = createTestHubKey();
    const note = '- 母が救急搬送\n- 叔母に連絡';
    const entries = await appendEntries([], [openBody({ officeId: office.id, detail: '=夜間の要請\n本人は在宅' }), contactBody({ note })], 'case-m');
    const receipts = signAll(key, entries);
    const text = exportOf(entries, receipts);
    // papaparse's own escapeFormulae left a cell with a line break as it was
    expect(text).toContain(`"'${note}"`);
    expect(text).toContain(`"'=夜間の要請\n本人は在宅"`);
    const publicKey = await importHubKey(key.info.publicKey);
    for (const file of [text, text.replace(`'${note}`, note).replaceAll(`'=夜間`, '=夜間')]) {
      const alone = await verifyEvidenceCsv(encodeClaimCsv(file, 'utf-8-bom'), publicKey);
      expect(alone).toMatchObject({ ok: 1, ng: 0, caseNg: 0 });
      const beside = await verifyEvidenceCsv(encodeClaimCsv(file, 'utf-8-bom'), publicKey, hubOf(entries, receipts));
      expect(beside).toMatchObject({ ok: 1, ng: 0, caseNg: 0 });
    }
    // a note changed in the file still fails
    const changed = await verifyEvidenceCsv(encodeClaimCsv(text.replace('叔母に連絡', '叔母に連絡済み'), 'utf-8-bom'), publicKey);
    expect(failed(changed)).toBe(1);
  });

  it('[K7] a made-up unsigned row chained onto a case (right hash, ハッシュ moved to it) is not 一致 beside the hub: the hub never received it', async () => {
    const key = createTestHubKey();
    const real = await appendEntries([], [openBody({ officeId: office.id }), contactBody({ result: '不在', facilityName: 'ひだまり' })], 'case-f');
    const forged = await appendEntries(real, [contactBody({ result: '受入可', facilityName: 'あおぞら短期入所' })]);
    const receipts = signAll(key, real);
    const text = exportOf(forged, receipts);
    const publicKey = await importHubKey(key.info.publicKey);
    const beside = await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), publicKey, hubOf(real, receipts));
    expect(beside.cases).toEqual([expect.objectContaining({ caseId: 'case-f', verdict: 'unchecked', reason: expect.stringContaining('拠点に届いていない') })]);
    expect(describeEvidenceReport(beside, 'key').join('\n')).not.toMatch(/一致 拠点の記録/);
    // the same file, once the hub holds that entry too, is 一致
    const sent = signAll(key, forged);
    const later = await verifyEvidenceCsv(encodeClaimCsv(exportOf(forged, sent), 'utf-8-bom'), publicKey, hubOf(forged, sent));
    expect(later.cases).toEqual([expect.objectContaining({ caseId: 'case-f', verdict: 'ok' })]);
  });

  it('[K7] passes an untouched export with a withdrawn, a corrected and a later-answered contact and a corrected request, standalone and beside the hub', async () => {
    const { key, text, hub, rows } = await nightCall();
    expect(rows.map((r) => [r['連絡先事業所'], r['結果'], r['取消']])).toEqual([
      ['ひだまり', '受入不可', '取消'],
      ['あおぞら短期入所', '受入可', ''],
      ['そよかぜ荘', '受入不可', ''],
    ]);
    const alone = await verifyEvidenceCsv(encodeClaimCsv(text, 'shift_jis'), key);
    expect(alone).toMatchObject({ ok: 3, ng: 0, caseNg: 0, besideHub: false });
    // The result came in an entry that is not in the file: said, not failed.
    expect(lineOf(alone, 3)).toMatch(/OK .*単独では確かめていない列: 結果、メモ/);
    expect(lineOf(alone, 4)).toMatch(/OK .*単独では確かめていない列: 連絡先事業所、メモ/);
    expect(alone.notChecked.join('\n')).toMatch(/行の削除/);

    const beside = await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), key, hub);
    expect(beside).toMatchObject({ ok: 3, ng: 0, caseNg: 0, besideHub: true, cases: [{ caseId: 'case-1', verdict: 'ok' }] });
    expect(describeEvidenceReport(beside, 'key').join('\n')).not.toMatch(/単独では確かめていない/);
  });

  it('[K7] text put in 訂正 or 取消 no longer turns the cell comparison off: a changed note fails, standalone and beside the hub', async () => {
    const { key, text, hub } = await nightCall();
    const edits: [string, (r: Record<string, string>) => void][] = [
      ['訂正', (r) => ((r['訂正'] = '確認のため'), (r['メモ'] = '受入可と回答'))],
      // Well formed, but naming nothing the note: only what a correction names may differ.
      ['訂正 in step', (r) => ((r['訂正'] = '確認のため（2026-12-01 01:00 鈴木 主任）'), (r['訂正（訂正前 → 訂正後）'] = '方法 電話 → 訪問'), (r['メモ'] = '受入可と回答'))],
      // A withdrawal changes no value at all.
      ['取消', (r) => ((r['取消'] = '取消'), (r['取消の理由'] = '誤り（2026-12-01 01:00 鈴木 主任）'), (r['結果'] = '受入可'))],
    ];
    for (const [what, change] of edits) {
      const bytes = edited(text, (rows) => (change(rows[2]!), rows));
      const alone = await verifyEvidenceCsv(bytes, key);
      expect(alone.ng, what).toBe(1);
      expect(lineOf(alone, 4), what).toMatch(/NG/);
      const beside = await verifyEvidenceCsv(bytes, key, hub);
      expect(lineOf(beside, 4), what).toMatch(/NG .*拠点の記録から求めた値と違います/);
    }
  });

  it('[K7] a withdrawn contact shown as active fails beside the hub; standalone the report says withdrawals were not checked', async () => {
    const { key, text, hub } = await nightCall();
    const bytes = edited(text, (rows) => ((rows[0]!['取消'] = ''), (rows[0]!['取消の理由'] = ''), rows));
    const beside = await verifyEvidenceCsv(bytes, key, hub);
    expect(failed(beside)).toBeGreaterThan(0);
    expect(lineOf(beside, 2)).toMatch(/NG .*「取消」が拠点の記録から求めた値と違います/);
    const alone = await verifyEvidenceCsv(bytes, key);
    expect(alone.notChecked.join('\n')).toMatch(/取消・訂正・結果.*記録はファイルにない/);
  });

  it('[K7] 要請のあった時間 on a row with contacts is checked: beside the hub on every row, standalone when the rows of a case disagree', async () => {
    const { key, text, hub } = await nightCall();
    const everyRow = edited(text, (rows) => rows.map((r) => ({ ...r, 要請のあった時間: '2026-11-30 22:00' })));
    const beside = await verifyEvidenceCsv(everyRow, key, hub);
    expect(beside.ng).toBe(3);
    expect(lineOf(beside, 2)).toMatch(/NG .*「要請のあった時間」が拠点の記録から求めた値と違います/);
    const oneRow = edited(text, (rows) => ((rows[1]!['要請のあった時間'] = '2026-11-30 22:00'), rows));
    const alone = await verifyEvidenceCsv(oneRow, key);
    expect(alone.ng).toBe(1);
    expect(lineOf(alone, 3)).toMatch(/NG .*「要請のあった時間」が同じ事例のほかの行と違います/);
  });

  it('[K7] a deleted row fails the case beside the hub; standalone the report says deleted rows were not checked', async () => {
    const { key, text, hub } = await nightCall();
    const bytes = edited(text, (rows) => rows.filter((_, i) => i !== 1));
    const beside = await verifyEvidenceCsv(bytes, key, hub);
    expect(beside.caseNg).toBe(1);
    expect(beside.cases[0]).toMatchObject({ verdict: 'ng' });
    expect(beside.cases[0]!.reason).toMatch(/この事例の行が1行ありません（削除されています）: 2026-12-01 00:05 あおぞら短期入所/);
    expect(describeEvidenceReport(beside, 'key').join('\n')).toMatch(/事例 case-1: NG/);
    const alone = await verifyEvidenceCsv(bytes, key);
    expect(alone.notChecked.join('\n')).toMatch(/行の削除: 事例のすべての記録はファイルにないため/);
  });

  it('[K7] a row relabelled unsigned with its signature cleared fails: beside the hub that signed it, and standalone when the case says every entry is signed or receipt cells are left', async () => {
    const { key, text, hub } = await nightCall();
    const receiptCells = ['拠点受付時刻', '拠点ID', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名'];
    const relabel = (r: Record<string, string>, cleared: readonly string[]) => {
      r['拠点署名'] = '未署名（拠点の受付待ち）';
      for (const c of cleared) r[c] = '';
    };
    const clean = edited(text, (rows) => (relabel(rows[2]!, receiptCells), rows));
    const beside = await verifyEvidenceCsv(clean, key, hub);
    expect(beside.ng).toBe(1);
    expect(lineOf(beside, 4)).toMatch(/NG .*拠点はこの記録に署名しています（受付番号 103、/);
    expect(lineOf(await verifyEvidenceCsv(clean, key), 4)).toMatch(/NG .*事例の拠点署名では全件署名済み/);
    // The case count changed as well on every row: beside the hub it still fails.
    const recounted = edited(text, (rows) => (relabel(rows[2]!, receiptCells), rows.map((r) => ({ ...r, 事例の拠点署名: '8件中7件 拠点署名済み' }))));
    expect(lineOf(await verifyEvidenceCsv(recounted, key, hub), 4)).toMatch(/NG .*拠点はこの記録に署名しています/);
    const leftOver = edited(text, (rows) => (relabel(rows[2]!, ['拠点の署名']), rows));
    expect(lineOf(await verifyEvidenceCsv(leftOver, key), 4)).toMatch(/NG .*未署名の行に署名の列/);
  });

  it('[K7] checks the row of a case without contacts against its request standalone, and a corrected request beside the hub', async () => {
    const key = createTestHubKey();
    const entries = await appendEntries([], [{ body: openBody({ requestedAt: '2026-11-30T14:50:00.000Z' }), at: '2026-11-30T14:50:00.000Z' }], 'case-2');
    const all = await appendEntries(entries, [{ type: 'correction', corrects: entries[0]!.id, reason: '続柄の誤り', replacement: openBody({ requestedAt: '2026-11-30T14:50:00.000Z', caller: '叔父' }) }]);
    const receipts = signAll(key, all);
    const text = exportOf(all, receipts);
    const pub = await importHubKey(key.info.publicKey);
    expect(await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), pub)).toMatchObject({ ok: 1, ng: 0 });
    expect(await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), pub, hubOf(all, receipts))).toMatchObject({ ok: 1, ng: 0, caseNg: 0 });
    const detail = edited(text, (rows) => ((rows[0]!['要請の内容（詳細）'] = '本人が転倒'), rows));
    expect(lineOf(await verifyEvidenceCsv(detail, pub), 2)).toMatch(/NG .*「要請の内容（詳細）」が拠点の署名した記録と違います/);
    // 要請者 was corrected: standalone it is not checked, beside the hub it is.
    const caller = edited(text, (rows) => ((rows[0]!['要請者'] = '母'), rows));
    expect(lineOf(await verifyEvidenceCsv(caller, pub), 2)).toMatch(/OK .*単独では確かめていない列: 要請者/);
    expect(lineOf(await verifyEvidenceCsv(caller, pub, hubOf(all, receipts)), 2)).toMatch(/NG .*「要請者」が拠点の記録から求めた値と違います/);
  });

  it('[K7] passes beside the hub a month of cases with outcomes, closes, claim facts and a linked caller, and fails a changed outcome or name', async () => {
    const key = createTestHubKey();
    const first = await admittedNight('case-a', '2026-12-10T10:00:00.000Z');
    const second = await appendEntries(await admittedNight('case-b', '2026-12-12T10:00:00.000Z', { householdId: null, personId: null, name: '不明（男性）', recipientNumber: '' }), [
      { type: 'link', subject: { householdId: 'hh-2', personId: 'p-2', name: '田中 花子', recipientNumber: '1200000002' } } satisfies EntryBody,
    ]);
    const all = [...first, ...second];
    const receipts = signAll(key, all);
    const text = exportOf(all, receipts);
    const pub = await importHubKey(key.info.publicKey);
    const hub = hubOf(all, receipts);
    const report = await verifyEvidenceCsv(encodeClaimCsv(text, 'shift_jis'), pub, hub);
    expect(report).toMatchObject({ ok: 2, ng: 0, caseNg: 0, cases: [{ verdict: 'ok' }, { verdict: 'ok' }] });
    expect(parse(text)[1]!['氏名']).toBe('田中 花子');
    const edits: [string, string][] = [['対応結果', '入院'], ['終了時刻', '2026-12-12 20:00'], ['氏名', '田中 花'], ['対応者', '鈴木 主任']];
    for (const [column, value] of edits) {
      const bytes = edited(text, (rows) => ((rows[1]![column] = value), rows));
      expect(lineOf(await verifyEvidenceCsv(bytes, pub, hub), 3), column).toMatch(new RegExp(`NG .*「${column}」が拠点の記録から求めた値と違います`));
    }
  });

  it('[K7] an outcome recorded twice: the file as exported now and as exported before 2026-12-05 (without 以前の対応結果) both pass beside the hub; a changed history fails', async () => {
    const key = createTestHubKey();
    const night = await admittedNight('case-o', '2026-12-10T10:00:00.000Z');
    const closeAt = night.findIndex((e) => e.body.type === 'close');
    // 入院 recorded first, then 短期入所 over it (the night's outcome entry is the admission)
    const hospital: EntryBody = { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '救急搬送' };
    const entries = await appendEntries(night.slice(0, closeAt - 1), [hospital, night[closeAt - 1]!.body, night[closeAt]!.body]);
    const receipts = signAll(key, entries);
    const pub = await importHubKey(key.info.publicKey);
    const hub = hubOf(entries, receipts);
    const now = exportOf(entries, receipts);
    expect(parse(now)[0]!['対応結果の訂正']).toContain('以前の対応結果');
    expect(await verifyEvidenceCsv(encodeClaimCsv(now, 'utf-8-bom'), pub, hub)).toMatchObject({ ng: 0, caseNg: 0 });
    // as the export wrote it before: no 以前の対応結果 in the outcome's history
    const before = edited(now, (rows) => rows.map((r) => ({ ...r, 対応結果の訂正: '', '対応結果の訂正（訂正前 → 訂正後）': '' })));
    expect(await verifyEvidenceCsv(before, pub, hub)).toMatchObject({ ng: 0, caseNg: 0 });
    // neither rendering: fails
    const changed = edited(now, (rows) => rows.map((r) => ({ ...r, '対応結果の訂正（訂正前 → 訂正後）': r['対応結果の訂正（訂正前 → 訂正後）']!.replace('入院', '在宅で対応') })));
    expect(failed(await verifyEvidenceCsv(changed, pub, hub))).toBeGreaterThan(0);
  });

  it('[K7] a file rolled back to before a 取消 (or exported before it) is not 一致 beside the hub: the case is unchecked, naming the withdrawal', async () => {
    const key = createTestHubKey();
    const before = await appendEntries(
      [],
      [{ body: openBody({ requestedAt: '2026-11-30T14:50:00.000Z' }), at: '2026-11-30T14:50:00.000Z' }, contactBody({ contactedAt: '2026-11-30T15:00:00.000Z', result: '受入可' })],
      'case-4',
    );
    const all = await appendEntries(before, [{ body: { type: 'correction', corrects: before[1]!.id, reason: '別の利用者の記録に入力したため', replacement: null }, at: '2026-11-30T16:00:00.000Z' }]);
    const receipts = signAll(key, all);
    // the rows as they were before the withdrawal: 取消 empty, ハッシュ the contact's, every row signed
    const text = exportOf(before, receipts);
    const report = await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), await importHubKey(key.info.publicKey), hubOf(all, receipts));
    expect(report).toMatchObject({ caseNg: 0, cases: [{ verdict: 'unchecked' }] });
    expect(report.cases[0]!.reason).toMatch(/より後の記録が1件あります: 取消 2026-12-01 01:00（case-4-e2）/);
    expect(describeEvidenceReport(report, 'key').join('\n')).toMatch(/事例 case-4: 照合できず/);
    // the file as it is now passes
    const now = await verifyEvidenceCsv(encodeClaimCsv(exportOf(all, receipts), 'utf-8-bom'), await importHubKey(key.info.publicKey), hubOf(all, receipts));
    expect(now).toMatchObject({ ng: 0, caseNg: 0, cases: [{ verdict: 'ok' }] });
  });

  it('[K7] a file without the エントリ（JSON） column is refused: no row of it could be checked standalone', async () => {
    const { key, text } = await nightCall();
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    const fields = parsed.meta.fields!.filter((f) => f !== 'エントリ（JSON）');
    const bytes = encodeClaimCsv(Papa.unparse({ fields, data: parsed.data.map((r) => fields.map((f) => r[f] ?? '')) }, { newline: '\r\n' }), 'utf-8-bom');
    await expect(verifyEvidenceCsv(bytes, key)).rejects.toThrow(/missing column\(s\) エントリ（JSON）/);
  });

  it('[K7] an entry another device wrote at once that reached the hub after the export leaves the case unchecked, not failed', async () => {
    const key = createTestHubKey();
    const base = await appendEntries([], [{ body: openBody({ requestedAt: '2026-11-30T14:50:00.000Z' }), at: '2026-11-30T14:50:00.000Z' }, contactBody({ contactedAt: '2026-11-30T15:00:00.000Z' })], 'case-3');
    const mine = await appendEntries(base, [{ body: contactBody({ contactedAt: '2026-11-30T15:20:00.000Z', facilityName: 'そよかぜ' }), at: '2026-11-30T15:21:00.000Z' }]);
    // The other phone held the same two entries and wrote a minute earlier: it sorts first.
    const theirs = await appendEntries(base, [{ body: contactBody({ contactedAt: '2026-11-30T15:19:00.000Z', facilityName: 'ひだまり' }), at: '2026-11-30T15:20:00.000Z' }], 'case-3', {
      by: { userId: 'user-2', name: '鈴木 主任' },
      deviceId: 'device-2',
      idPrefix: 'case-3-d2',
    });
    const exported = mine;
    const receipts = signAll(key, [...mine, theirs.at(-1)!]);
    const text = exportOf(exported, receipts);
    const report = await verifyEvidenceCsv(encodeClaimCsv(text, 'utf-8-bom'), await importHubKey(key.info.publicKey), hubOf([...mine, theirs.at(-1)!], receipts));
    expect(report).toMatchObject({ ok: 2, ng: 0, caseNg: 0, cases: [{ verdict: 'unchecked' }] });
    expect(report.cases[0]!.reason).toMatch(/case-3-d2-e2/);
  });
});
