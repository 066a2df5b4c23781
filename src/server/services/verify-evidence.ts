/**
 * `npm run admin -- verify-evidence FILE`: checks an exported detail CSV (docs/claim-csv.md) against
 * the hub's public key, row by row [K7]. A countersigned row must carry a receipt whose signature
 * holds over its hub, case, entry, hash, position and UTC time; its Japan-time column must be that
 * same time; and, when the hub's store is at hand, it must be the receipt the hub holds. The row
 * carries its entry (エントリ（JSON）): its hash must be the signed one, and the cells that entry
 * alone decides must be what it says, so a changed contact time or note fails too.
 * Rows not countersigned are listed as such; they prove nothing either way.
 */
import Papa from 'papaparse';
import { verifyReceipt, type EvidenceReceipt, type HubVerifyKey } from '../../protocol/countersign';
import { EvidenceReceipt as ReceiptSchema } from '../../protocol/countersign-schema';
import { hashOfEntry } from '../../domain/case-chain';
import { asWrittenInCsv, entryCells, fromCsvCell } from '../../domain/claim-csv';
import { COUNTERSIGN_LABELS } from '../../domain/countersign-status';
import type { CaseEntry } from '../../domain/emergency-case';
import { decodeCsvBytes } from '../../domain/facility-csv';
import { formatJapanDateTimeCsv } from '../../domain/japan-time';

export type RowVerdict =
  | { readonly row: number; readonly verdict: 'ok'; readonly receipt: EvidenceReceipt }
  | { readonly row: number; readonly verdict: 'ng'; readonly entryId: string; readonly reason: string }
  | { readonly row: number; readonly verdict: 'unsigned'; readonly entryId: string; readonly status: string };

export interface EvidenceReport {
  readonly encoding: string;
  readonly rows: readonly RowVerdict[];
  readonly ok: number;
  readonly ng: number;
  readonly unsigned: number;
}

/** What the hub holds for an entry, when the command runs beside the hub's store. */
export type HeldReceipts = (hub: string, entryIds: readonly string[]) => Promise<ReadonlyMap<string, EvidenceReceipt>>;

/** The columns a receipt is read from. */
const RECEIPT_COLUMNS = ['記録ID', '拠点受付時刻', '拠点ID', 'エントリID', 'エントリのハッシュ', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名'] as const;

const REQUIRED = ['記録ID', '拠点署名', '拠点受付時刻', '拠点ID', 'エントリID', 'エントリのハッシュ', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名'] as const;

/** Thrown for a file that is not a detail CSV with countersign columns: nothing could be checked. */
export class EvidenceFileError extends Error {
  override readonly name = 'EvidenceFileError';
}

export async function verifyEvidenceCsv(bytes: Uint8Array, key: HubVerifyKey, held?: HeldReceipts): Promise<EvidenceReport> {
  let decoded: { text: string; encoding: string };
  try {
    decoded = decodeCsvBytes(bytes);
  } catch (error) {
    throw new EvidenceFileError(`the file is neither UTF-8 nor Shift_JIS text (${(error as Error).message})`);
  }
  const parsed = Papa.parse<Record<string, string>>(decoded.text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) {
    throw new EvidenceFileError(`not a detail CSV with the hub's countersignatures: missing column(s) ${missing.join(', ')} (export it again from the claims screen of an app that has joined the hub)`);
  }
  const records = parsed.data;
  const signed = records.filter((r) => r['拠点署名'] === COUNTERSIGN_LABELS.countersigned);
  // One export is one hub's; a row naming another hub finds no receipt held and fails.
  const hub = signed[0]?.['拠点ID'] ?? '';
  const holding = held === undefined || signed.length === 0 ? undefined : await held(hub, signed.map((r) => r['エントリID'] ?? ''));

  const rows: RowVerdict[] = [];
  for (const [i, r] of records.entries()) {
    // Excel's numbering: the header is row 1.
    const row = i + 2;
    const entryId = r['エントリID'] ?? '';
    const signature = r['拠点の署名'] ?? '';
    if (r['拠点署名'] !== COUNTERSIGN_LABELS.countersigned) {
      rows.push(
        signature === ''
          ? { row, verdict: 'unsigned', entryId, status: r['拠点署名'] ?? '' }
          : { row, verdict: 'ng', entryId, reason: `carries a signature but says 「${r['拠点署名']}」 / 署名があるのに署名済みと書かれていません` },
      );
      continue;
    }
    rows.push(await checkRow(row, r, key, holding));
  }
  const count = (v: RowVerdict['verdict']) => rows.filter((r) => r.verdict === v).length;
  return { encoding: decoded.encoding, rows, ok: count('ok'), ng: count('ng'), unsigned: count('unsigned') };
}

async function checkRow(row: number, cells: Record<string, string>, key: HubVerifyKey, held: ReadonlyMap<string, EvidenceReceipt> | undefined): Promise<RowVerdict> {
  // The receipt's cells as they were before the export escaped a leading + (a signature may start with one).
  const r = Object.fromEntries(RECEIPT_COLUMNS.map((c) => [c, fromCsvCell(cells[c] ?? '')]));
  const entryId = r['エントリID'] ?? '';
  const ng = (reason: string): RowVerdict => ({ row, verdict: 'ng', entryId, reason });
  const position = /^\d+$/.test(r['拠点受付番号'] ?? '') ? Number(r['拠点受付番号']) : Number.NaN;
  const candidate = ReceiptSchema.safeParse({
    hub: r['拠点ID'],
    caseId: r['記録ID'],
    entryId,
    entryHash: r['エントリのハッシュ'],
    position,
    receivedAt: r['拠点受付時刻（UTC）'],
    keyFingerprint: r['署名鍵の指紋'],
    signature: r['拠点の署名'],
  });
  if (!candidate.success) {
    const where = candidate.error.issues.map((i) => i.path.join('.')).join(', ');
    return ng(`the receipt columns are not well formed (${where}) / 署名の列の形式が正しくありません`);
  }
  const receipt = candidate.data;
  const check = await verifyReceipt(receipt, key);
  if (!check.ok) {
    return ng(
      check.problem === 'other-key'
        ? `signed with another key (${receipt.keyFingerprint.slice(0, 16)}…), not this hub's / 別の鍵の署名です`
        : `the signature does not match the hub, case, entry, hash, position and time / 署名が一致しません（いずれかの値が変更されています）`,
    );
  }
  if (r['拠点受付時刻'] !== formatJapanDateTimeCsv(receipt.receivedAt)) {
    return ng(`拠点受付時刻 ${r['拠点受付時刻']} is not the signed time ${formatJapanDateTimeCsv(receipt.receivedAt)} / 受付時刻が署名された時刻と違います`);
  }
  const content = await checkEntry(cells, receipt);
  if (content !== null) return ng(content);
  if (held !== undefined) {
    const stored = held.get(entryId);
    if (stored === undefined) return ng('the hub holds no receipt for this entry / 拠点にこの記録の署名がありません');
    if (stored.signature !== receipt.signature || stored.entryHash !== receipt.entryHash) {
      return ng('the hub holds another receipt for this entry / 拠点が持つ署名と違います');
    }
  }
  return { row, verdict: 'ok', receipt };
}

/** Shift_JIS (CP932) reads these back as other code points: compare them as one. */
const CP932_SAME: Readonly<Record<string, string>> = { '〜': '～', '−': '－', '‖': '∥', '¢': '￠', '£': '￡', '¬': '￢' };
const same = (text: string) => text.replace(/[〜−‖¢£¬]/g, (ch) => CP932_SAME[ch]!);

/**
 * The row's own entry against its receipt and its cells; null when they hold, else the reason.
 * A cell that a correction or withdrawal may have changed is compared only when the row shows none.
 */
async function checkEntry(r: Record<string, string>, receipt: EvidenceReceipt): Promise<string | null> {
  const json = r['エントリ（JSON）'];
  if (json === undefined) return null; // an export from before the column: the receipt alone was checked
  let entry: CaseEntry;
  try {
    entry = JSON.parse(json) as CaseEntry;
    if (typeof entry !== 'object' || entry === null || typeof entry.body !== 'object' || entry.body === null) throw new TypeError('not an entry');
  } catch {
    return 'エントリ（JSON） is missing or not an entry / 記録の内容（JSON）が読めません';
  }
  const { hash, ...unsealed } = entry;
  let computed: string;
  try {
    computed = await hashOfEntry(unsealed);
  } catch {
    return 'エントリ（JSON） is not an entry / 記録の内容（JSON）が読めません';
  }
  if (entry.id !== receipt.entryId || entry.caseId !== receipt.caseId || hash !== receipt.entryHash || computed !== receipt.entryHash) {
    return 'the entry in the row does not hash to the signed hash / 記録の内容が署名されたハッシュと一致しません（記録が変更されています）';
  }
  const expected = entryCells(entry);
  const corrected = entry.body.type === 'contact' ? r['訂正'] !== '' || r['取消'] !== '' : r['要請の訂正'] !== '';
  const always = new Set(['記録者', '記録時刻', '記録ID', '要請時間の記録時刻']);
  for (const [column, value] of Object.entries(expected)) {
    if (corrected && !always.has(column)) continue;
    const cell = r[column];
    if (cell !== undefined && same(cell) !== same(asWrittenInCsv(value))) {
      return `${column} 「${cell}」 is not what the signed entry says (「${value}」) / 「${column}」が拠点の署名した記録と違います`;
    }
  }
  return null;
}

/** The lines the command prints: one per row, then the summary. */
export function describeEvidenceReport(report: EvidenceReport, keyLabel: string): string[] {
  const lines = report.rows.map((v) => {
    switch (v.verdict) {
      case 'ok':
        return `${v.row}行目 OK  ${v.receipt.caseId} / ${v.receipt.entryId}  拠点受付 ${formatJapanDateTimeCsv(v.receipt.receivedAt)}（受付番号 ${v.receipt.position}）`;
      case 'ng':
        return `${v.row}行目 NG  ${v.entryId}: ${v.reason}`;
      case 'unsigned':
        return `${v.row}行目 --  ${v.entryId}: ${v.status || '拠点署名の記載なし'}（検証対象外）`;
    }
  });
  lines.push(
    `結果 / result: 署名済み ${report.ok + report.ng}行（OK ${report.ok}、NG ${report.ng}）、未署名 ${report.unsigned}行 — ${report.encoding}、鍵 ${keyLabel}`,
  );
  return lines;
}
