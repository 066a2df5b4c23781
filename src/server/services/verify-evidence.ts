/**
 * `npm run admin -- verify-evidence FILE`: checks an exported detail CSV (docs/claim-csv.md) against
 * the hub's public key, row by row [K7]. A countersigned row must carry a receipt whose signature
 * holds over its hub, case, entry, hash, position and UTC time; its Japan-time column must be that
 * same time; and, when the hub's store is at hand, it must be the receipt the hub holds. The row
 * carries its entry (エントリ（JSON）): its hash must be the signed one, and the cells that entry
 * decides must be what it says, so a changed contact time or note fails too.
 *
 * A row carries only its own entry: the request of a case with contacts, corrections, withdrawals,
 * results, the outcome and the close are not in the file. So two levels of check:
 *
 * - Standalone (only the file and the key): each row against its own entry, where a cell differs
 *   from the entry only when the row's own correction columns name it (a withdrawal changes no
 *   value, so 取消 never excuses a cell); the case columns must be the same on every row of a case;
 *   a row shown unsigned must carry no receipt cells and belong to a case the file does not call
 *   fully signed. What the file cannot prove (a deleted row, a cleared withdrawal, the request's
 *   cells of a case with contacts) is listed in the report as not checked.
 * - Beside the hub's store: each case is folded again from the entries the hub holds (and the
 *   file's unsent ones), up to the entry the case's ハッシュ names, through the export's own writer,
 *   and every cell the file shows (but the office's, the claim's and the countersign status) must
 *   be the one the export writes; a row the folded case has and the file lacks fails the case; an
 *   entry the hub has countersigned must not be shown as unsigned.
 */
import Papa from 'papaparse';
import { verifyReceipt, type EvidenceReceipt, type HubVerifyKey } from '../../protocol/countersign';
import { EvidenceReceipt as ReceiptSchema } from '../../protocol/countersign-schema';
import { compareEntries, hashOfEntry, orderEntries, verifyChain } from '../../domain/case-chain';
import { foldCase } from '../../domain/case-fold';
import { CASE_WIDE_COLUMNS, CLAIM_DETAIL_HEADERS, claimDetailCsv, entryCells } from '../../domain/claim-csv';
import { asWrittenInCsv, fromCsvCell } from '../../domain/csv-text';
import type { ClaimDecision } from '../../domain/claim-types';
import { COUNTERSIGN_LABELS } from '../../domain/countersign-status';
import { ENTRY_TYPE_LABELS, type CaseEntry, type EmergencyCase, type Office } from '../../domain/emergency-case';
import { decodeCsvBytes } from '../../domain/facility-csv';
import { formatJapanDateTimeCsv, japanMonthOf } from '../../domain/japan-time';
import { NO_ONE_BODY } from '../../domain/office';

export type RowVerdict =
  | { readonly row: number; readonly verdict: 'ok'; readonly receipt: EvidenceReceipt; readonly notChecked: readonly string[] }
  | { readonly row: number; readonly verdict: 'ng'; readonly entryId: string; readonly reason: string }
  | { readonly row: number; readonly verdict: 'unsigned'; readonly entryId: string; readonly status: string; readonly notChecked: readonly string[] };

/** A case of the file against the entries the hub holds of it (only beside the hub's store). */
export interface CaseVerdict {
  readonly caseId: string;
  /** unchecked: the hub cannot say (nothing of the case reached it, or its last entry has not) */
  readonly verdict: 'ok' | 'ng' | 'unchecked';
  readonly reason: string;
}

export interface EvidenceReport {
  readonly encoding: string;
  readonly rows: readonly RowVerdict[];
  readonly ok: number;
  readonly ng: number;
  readonly unsigned: number;
  /** whether the rows and cases were checked against the hub's store as well */
  readonly besideHub: boolean;
  /** beside the hub's store, one per case of the file; empty standalone */
  readonly cases: readonly CaseVerdict[];
  readonly caseNg: number;
  /** what this run could not check, one line each, for the report */
  readonly notChecked: readonly string[];
}

/** What the hub's store says, when the command runs beside it. */
export interface HubRecords {
  /** the receipts the hub holds for these entries, by entry id (an entry it has not signed is left out) */
  receipts(hub: string, entryIds: readonly string[]): Promise<ReadonlyMap<string, EvidenceReceipt>>;
  /** every entry the hub holds of these cases, by case id, in any order */
  caseEntries(hub: string, caseIds: readonly string[]): Promise<ReadonlyMap<string, readonly CaseEntry[]>>;
}

/** The columns a receipt is read from. */
const RECEIPT_COLUMNS = ['記録ID', '拠点受付時刻', '拠点ID', 'エントリID', 'エントリのハッシュ', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名'] as const;

/** The receipt's own cells: the export leaves them empty on a row it does not call countersigned. */
const SIGNED_ONLY_COLUMNS = ['拠点受付時刻', '拠点ID', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名'] as const;

/**
 * The columns a file must have. エントリ（JSON） came with the receipt columns: both were written on
 * 2026-12-03 on one branch, which reached main in one merge (0dd5a13), so no released app wrote
 * receipts without it. Without it no row's content could be checked standalone (a changed time,
 * facility or result would read OK).
 */
const REQUIRED = ['記録ID', '拠点署名', '拠点受付時刻', '拠点ID', 'エントリID', 'エントリのハッシュ', '拠点受付番号', '拠点受付時刻（UTC）', '署名鍵の指紋', '拠点の署名', 'エントリ（JSON）'] as const;


/**
 * Cells the hub's entries do not decide, left out of the comparison with the re-folded case: the
 * office's name and number (the office record as it was at the export), the month and the claim
 * (the rules over the whole month, docs/claim-csv.md: not part of the check), and the countersign
 * columns (the exporting device's receipts then; the receipt checks cover them). エントリ（JSON）
 * is compared by its hash (エントリのハッシュ), not as text.
 */
const NOT_FROM_ENTRIES: ReadonlySet<string> = new Set([
  '事業所名',
  '事業所番号',
  '対象月',
  '算定判定',
  '判定理由',
  '算定回数目',
  '単位数',
  '拠点署名',
  '拠点受付時刻',
  '事例の拠点署名',
  '拠点ID',
  '拠点受付番号',
  '拠点受付時刻（UTC）',
  '署名鍵の指紋',
  '拠点の署名',
  'エントリ（JSON）',
]);
const REFOLD_COLUMNS = CLAIM_DETAIL_HEADERS.filter((c) => !NOT_FROM_ENTRIES.has(c));

/** The contact columns of a row; all empty on the row of a case without contacts. */
const CONTACT_COLUMNS = ['連絡・調整を行った時刻', '連絡先事業所', '連絡先事業所番号', '短期入所', '方法', '結果', 'メモ', '記録者', '記録時刻', '取消', '取消の理由', '訂正', '訂正（訂正前 → 訂正後）'] as const;

/** The end of every item the export writes in 訂正, 取消の理由 and 要請の訂正: 「（YYYY-MM-DD HH:mm 名前）」. */
const NOTE_END = /（\d{4}-\d{2}-\d{2} \d{2}:\d{2} [^（）]+）$/;

const WITHDRAWN = '取消';

/** Thrown for a file that is not a detail CSV with countersign columns: nothing could be checked. */
export class EvidenceFileError extends Error {
  override readonly name = 'EvidenceFileError';
}

type Cells = Record<string, string>;

interface FileRow {
  /** Excel's numbering: the header is row 1 */
  readonly row: number;
  readonly cells: Cells;
  readonly entryId: string;
  readonly caseId: string;
  readonly signed: boolean;
  /** the row's own entry, when it is there and holds together (its hash, id and case are its cells') */
  readonly entry: CaseEntry | null;
  readonly entryProblem: string | null;
}

/** The outcome of comparing one case with the hub's entries. */
interface CaseCheck {
  readonly verdict: CaseVerdict;
  /**
   * the rows the export writes for the case as the hub's entries make it, by エントリID cell: as it
   * writes them now, then as it wrote them before a change of format (a file keeps the format it
   * was written in; a row may match either, whole)
   */
  readonly expected: ReadonlyMap<string, readonly Cells[]> | null;
}

export async function verifyEvidenceCsv(bytes: Uint8Array, key: HubVerifyKey, hub?: HubRecords): Promise<EvidenceReport> {
  let decoded: { text: string; encoding: string };
  try {
    decoded = decodeCsvBytes(bytes);
  } catch (error) {
    throw new EvidenceFileError(`the file is neither UTF-8 nor Shift_JIS text (${(error as Error).message})`);
  }
  const parsed = Papa.parse<Cells>(decoded.text, { header: true, skipEmptyLines: true });
  const fields = parsed.meta.fields ?? [];
  const missing = REQUIRED.filter((f) => !fields.includes(f));
  if (missing.length > 0) {
    throw new EvidenceFileError(`not a detail CSV with the hub's countersignatures: missing column(s) ${missing.join(', ')} (export it again from the claims screen of an app that has joined the hub)`);
  }
  const rows: FileRow[] = [];
  for (const [i, cells] of parsed.data.entries()) {
    const { entry, problem } = await readEntry(cells);
    rows.push({
      row: i + 2,
      cells,
      entryId: fromCsvCell(cells['エントリID'] ?? ''),
      caseId: fromCsvCell(cells['記録ID'] ?? ''),
      signed: cells['拠点署名'] === COUNTERSIGN_LABELS.countersigned,
      entry,
      entryProblem: problem,
    });
  }
  const byCase = new Map<string, FileRow[]>();
  for (const r of rows) {
    const list = byCase.get(r.caseId);
    if (list === undefined) byCase.set(r.caseId, [r]);
    else list.push(r);
  }

  const notChecked: string[] = [];
  // One export is one hub's; a row naming another hub finds no receipt held and fails.
  const hubId = fromCsvCell(rows.find((r) => r.signed)?.cells['拠点ID'] ?? '');
  let held: ReadonlyMap<string, EvidenceReceipt> | undefined;
  const cases = new Map<string, CaseCheck>();
  if (hub !== undefined && hubId === '') {
    notChecked.push('拠点IDの書かれた行がないため、拠点の記録とは照合していません / no row names a hub: nothing was checked against the hub\'s store');
  } else if (hub !== undefined) {
    held = await hub.receipts(hubId, rows.map((r) => r.entryId));
    const entries = await hub.caseEntries(hubId, [...byCase.keys()]);
    for (const [caseId, caseRows] of byCase) cases.set(caseId, await checkCase(caseId, caseRows, entries.get(caseId) ?? []));
  }
  if (held === undefined) {
    notChecked.push(
      '単独での検証のため確かめていないこと / not checked without the hub\'s store:',
      '・行の削除: 事例のすべての記録はファイルにないため、行が消されていても分かりません / a deleted row (the file does not carry every entry of a case)',
      '・取消・訂正・結果・要請（連絡のある事例）・対応結果・終了の記録はファイルにないため、それらで決まるセル（取消、訂正、要請の列、対応結果の列、ハッシュ など）は同じ事例の行どうしが揃っていることと書式だけを確かめました / cells decided by entries that are no row of their own: only that the rows of a case agree',
      '・未署名の行の記録に拠点が署名しているかどうか（事例の拠点署名と食い違わないことだけを確かめました） / whether the hub has signed an entry a row shows as unsigned (only that the case\'s 事例の拠点署名 agrees)',
      '拠点の記録と照合するには、拠点で --public-key を付けずに npm run admin -- verify-evidence FILE を実行してください / run it on the hub, without --public-key, to check against the hub\'s store',
    );
  }
  notChecked.push('事例の行がまとめて消されていないか（その月の事例の一覧）と、算定の列（算定判定・判定理由・算定回数目・単位数）は検証の対象外です / not checked: a case removed whole, and the claim columns');

  const consistency = caseConsistency(byCase);
  const seen = new Set<string>();
  const verdicts: RowVerdict[] = [];
  for (const r of rows) {
    const duplicate = r.entryId !== '' && seen.has(r.entryId);
    seen.add(r.entryId);
    verdicts.push(await checkRow(r, key, { held, kase: cases.get(r.caseId), consistency: consistency.get(r.row) ?? null, duplicate }));
  }
  const count = (v: RowVerdict['verdict']) => verdicts.filter((r) => r.verdict === v).length;
  const caseVerdicts = [...cases.values()].map((c) => c.verdict);
  return {
    encoding: decoded.encoding,
    rows: verdicts,
    ok: count('ok'),
    ng: count('ng'),
    unsigned: count('unsigned'),
    besideHub: held !== undefined,
    cases: caseVerdicts,
    caseNg: caseVerdicts.filter((c) => c.verdict === 'ng').length,
    notChecked,
  };
}

/** The row's entry (エントリ（JSON）) read back, and whether it holds together with the row's cells. */
async function readEntry(cells: Cells): Promise<{ entry: CaseEntry | null; problem: string | null }> {
  const json = cells['エントリ（JSON）'] ?? '';
  let entry: CaseEntry;
  try {
    entry = JSON.parse(json) as CaseEntry;
    if (typeof entry !== 'object' || entry === null || typeof entry.body !== 'object' || entry.body === null) throw new TypeError('not an entry');
  } catch {
    return { entry: null, problem: 'エントリ（JSON） is missing or not an entry / 記録の内容（JSON）が読めません' };
  }
  const { hash, ...unsealed } = entry;
  let computed: string;
  try {
    computed = await hashOfEntry(unsealed);
  } catch {
    return { entry: null, problem: 'エントリ（JSON） is not an entry / 記録の内容（JSON）が読めません' };
  }
  if (
    entry.id !== fromCsvCell(cells['エントリID'] ?? '') ||
    entry.caseId !== fromCsvCell(cells['記録ID'] ?? '') ||
    hash !== fromCsvCell(cells['エントリのハッシュ'] ?? '') ||
    computed !== hash
  ) {
    return { entry: null, problem: 'the entry in the row does not hash to the signed hash / 記録の内容が署名されたハッシュと一致しません（記録が変更されています）' };
  }
  return { entry, problem: null };
}

interface RowContext {
  readonly held: ReadonlyMap<string, EvidenceReceipt> | undefined;
  readonly kase: CaseCheck | undefined;
  readonly consistency: string | null;
  readonly duplicate: boolean;
}

async function checkRow(r: FileRow, key: HubVerifyKey, ctx: RowContext): Promise<RowVerdict> {
  const ng = (reason: string): RowVerdict => ({ row: r.row, verdict: 'ng', entryId: r.entryId, reason });
  let receipt: EvidenceReceipt | null = null;
  if (r.signed) {
    const checked = await checkReceipt(r.cells, key);
    if (typeof checked === 'string') return ng(checked);
    receipt = checked;
  } else {
    const status = r.cells['拠点署名'] ?? '';
    if ((r.cells['拠点の署名'] ?? '') !== '') return ng(`carries a signature but says 「${status}」 / 署名があるのに署名済みと書かれていません`);
    const left = SIGNED_ONLY_COLUMNS.filter((c) => (r.cells[c] ?? '') !== '');
    if (left.length > 0) return ng(`says 「${status}」 but has ${left.join(', ')} / 未署名の行に署名の列（${left.join('、')}）が残っています（署名を消した行です）`);
  }
  if (r.entryProblem !== null) return ng(r.entryProblem);
  if (ctx.held !== undefined) {
    const stored = ctx.held.get(r.entryId);
    if (receipt !== null) {
      if (stored === undefined) return ng('the hub holds no receipt for this entry / 拠点にこの記録の署名がありません');
      if (stored.signature !== receipt.signature || stored.entryHash !== receipt.entryHash) return ng('the hub holds another receipt for this entry / 拠点が持つ署名と違います');
    } else if (stored !== undefined) {
      // The device may have exported before the receipt reached it; the auditor is told to export again.
      return ng(
        `the hub countersigned this entry (position ${stored.position}) but the row says 「${r.cells['拠点署名']}」 / 拠点はこの記録に署名しています（受付番号 ${stored.position}、${formatJapanDateTimeCsv(stored.receivedAt)}）が、この行は「${r.cells['拠点署名']}」です。署名が届く前の書き出しなら、書き出し直してください`,
      );
    }
  }
  if (ctx.duplicate) return ng('the same entry is on another row too / 同じ記録の行がほかにもあります');
  let notChecked: readonly string[] = [];
  const expected = ctx.kase?.expected;
  if (expected !== null && expected !== undefined) {
    const problem = compareWithRefold(r.cells, expected.get(r.cells['エントリID'] ?? ''));
    if (problem !== null) return ng(problem);
  } else if (r.entry !== null) {
    const alone = checkAlone(r.entry, r.cells, receipt !== null);
    if (typeof alone === 'string') return ng(alone);
    notChecked = alone;
  }
  if (ctx.consistency !== null) return ng(ctx.consistency);
  if (receipt === null) {
    // The case column counts the entries the exporting device held signed (the same lookup as the
    // rows): all of them signed and this row not is a row relabelled unsigned.
    const summary = /^(\d+)件中(\d+)件 拠点署名済み/.exec(r.cells['事例の拠点署名'] ?? '');
    if (summary !== null && summary[1] === summary[2]) {
      return ng(`事例の拠点署名 says every entry is signed, but this row says 「${r.cells['拠点署名']}」 / 事例の拠点署名では全件署名済みなのに、この行は「${r.cells['拠点署名']}」です（署名を消した行です）`);
    }
    return { row: r.row, verdict: 'unsigned', entryId: r.entryId, status: r.cells['拠点署名'] ?? '', notChecked };
  }
  return { row: r.row, verdict: 'ok', receipt, notChecked };
}

/** The row's receipt checked against the key; the reason when it does not hold. */
async function checkReceipt(cells: Cells, key: HubVerifyKey): Promise<EvidenceReceipt | string> {
  // The receipt's cells as they were before the export escaped a leading + (a signature may start with one).
  const r = Object.fromEntries(RECEIPT_COLUMNS.map((c) => [c, fromCsvCell(cells[c] ?? '')]));
  const position = /^\d+$/.test(r['拠点受付番号'] ?? '') ? Number(r['拠点受付番号']) : Number.NaN;
  const candidate = ReceiptSchema.safeParse({
    hub: r['拠点ID'],
    caseId: r['記録ID'],
    entryId: r['エントリID'],
    entryHash: r['エントリのハッシュ'],
    position,
    receivedAt: r['拠点受付時刻（UTC）'],
    keyFingerprint: r['署名鍵の指紋'],
    signature: r['拠点の署名'],
  });
  if (!candidate.success) {
    const where = candidate.error.issues.map((i) => i.path.join('.')).join(', ');
    return `the receipt columns are not well formed (${where}) / 署名の列の形式が正しくありません`;
  }
  const receipt = candidate.data;
  const check = await verifyReceipt(receipt, key);
  if (!check.ok) {
    return check.problem === 'other-key'
      ? `signed with another key (${receipt.keyFingerprint.slice(0, 16)}…), not this hub's / 別の鍵の署名です`
      : `the signature does not match the hub, case, entry, hash, position and time / 署名が一致しません（いずれかの値が変更されています）`;
  }
  if (r['拠点受付時刻'] !== formatJapanDateTimeCsv(receipt.receivedAt)) {
    return `拠点受付時刻 ${r['拠点受付時刻']} is not the signed time ${formatJapanDateTimeCsv(receipt.receivedAt)} / 受付時刻が署名された時刻と違います`;
  }
  return receipt;
}

/** Shift_JIS (CP932) reads these back as other code points: compare them as one. */
const CP932_SAME: Readonly<Record<string, string>> = { '〜': '～', '−': '－', '‖': '∥', '¢': '￠', '£': '￡', '¬': '￢' };
const same = (text: string) => text.replace(/[〜−‖¢£¬]/g, (ch) => CP932_SAME[ch]!);
const LINE_BREAK = /[\r\n]/;

/** Every cell the hub's entries decide against the row the export writes (or wrote) from them. */
function compareWithRefold(cells: Cells, renderings: readonly Cells[] | undefined): string | null {
  if (renderings === undefined || renderings.length === 0) {
    return 'this entry is not a row of the case as the hub holds it up to its ハッシュ / この行の記録は、拠点の記録（ハッシュの時点）ではこの事例の行になりません';
  }
  const problems = renderings.map((expected) => compareCells(cells, expected));
  return problems.includes(null) ? null : problems[0]!;
}

function compareCells(cells: Cells, expected: Cells): string | null {
  for (const column of REFOLD_COLUMNS) {
    const cell = cells[column];
    if (cell === undefined) continue; // an older export without the column
    const want = expected[column] ?? '';
    // a cell with a line break written with or without the ' before = + - @ (see checkAlone)
    if (same(cell) !== same(want) && !(LINE_BREAK.test(cell) && same(cell) === same(fromCsvCell(want)))) {
      return `${column} 「${cell}」 is not what the hub's entries make it (「${fromCsvCell(want)}」) / 「${column}」が拠点の記録から求めた値と違います`;
    }
  }
  return null;
}

/**
 * The fields a correction column names (「項目 訂正前 → 訂正後」, fields joined by 、 and
 * corrections by ／): a cell differs from the row's entry only when a correction changed it.
 */
function namedFields(changes: string, columns: readonly string[]): Set<string> {
  const text = fromCsvCell(changes);
  return new Set(columns.filter((c) => text.startsWith(`${c} `) || text.includes(`、${c} `) || text.includes(`／${c} `)));
}

/** 訂正 and its companion column are written in step: both empty, or both filled and well formed. */
function notesInStep(notes: string, changes: string, label: string): string | null {
  if ((notes === '') !== (changes === '')) {
    return `${label} and ${label}（訂正前 → 訂正後） are not in step / 「${label}」と「${label}（訂正前 → 訂正後）」が揃っていません`;
  }
  if (notes !== '' && !NOTE_END.test(notes)) return `${label} 「${notes}」 is not as the export writes it / 「${label}」の書式が正しくありません`;
  return null;
}

/**
 * Standalone: the row against its own entry. Returns the reason it fails, or the columns it could
 * not check (changed by an entry that is not in the file: a correction, or a result after the call).
 */
function checkAlone(entry: CaseEntry, cells: Cells, signed: boolean): string | readonly string[] {
  const expected = entryCells(entry);
  const b = entry.body;
  let excused: Set<string>;
  const unchecked: string[] = [];
  if (b.type === 'contact') {
    const withdrawn = cells['取消'] ?? '';
    const why = cells['取消の理由'] ?? '';
    if (withdrawn !== '' && withdrawn !== WITHDRAWN) return `取消 「${withdrawn}」 is not as the export writes it / 「取消」の書式が正しくありません`;
    if ((withdrawn === '') !== (why === '')) return '取消 and 取消の理由 are not in step / 「取消」と「取消の理由」が揃っていません';
    if (why !== '' && !NOTE_END.test(why)) return `取消の理由 「${why}」 is not as the export writes it / 「取消の理由」の書式が正しくありません`;
    const notes = notesInStep(cells['訂正'] ?? '', cells['訂正（訂正前 → 訂正後）'] ?? '', '訂正');
    if (notes !== null) return notes;
    // Only what a correction changed may differ; a withdrawal changes nothing shown.
    excused = namedFields(cells['訂正（訂正前 → 訂正後）'] ?? '', Object.keys(expected));
    // The app asks for a result after a call recorded without one, or 折り返し待ち (as recorded, or
    // as a correction made it): a result entry, not in the file, then sets 結果 and appends its
    // note after ' / '. Anything else in メモ is still compared.
    if (b.result === null || b.result === '折り返し待ち' || excused.has('結果')) {
      const note = same(expected['メモ'] ?? '');
      const shown = same(fromCsvCell(cells['メモ'] ?? ''));
      excused.add('結果');
      if (shown !== note && (note.trim() === '' || shown.startsWith(`${note} / `))) excused.add('メモ');
    }
  } else if (b.type === 'open') {
    const filled = CONTACT_COLUMNS.filter((c) => (cells[c] ?? '') !== '');
    if (filled.length > 0) return `the row's entry is the request, but ${filled.join(', ')} are filled / この行の記録は要請なのに、連絡・調整の列（${filled.join('、')}）があります`;
    const notes = notesInStep(cells['要請の訂正'] ?? '', cells['要請の訂正（訂正前 → 訂正後）'] ?? '', '要請の訂正');
    if (notes !== null) return notes;
    excused = namedFields(cells['要請の訂正（訂正前 → 訂正後）'] ?? '', Object.keys(expected));
    // Whoever opened the case handles it; no correction changes who wrote an entry.
    expected.対応者 = entry.recordedBy.name;
  } else {
    return `the row's entry is a ${b.type}, not a contact or the request / この行の記録は連絡・調整でも要請でもありません`;
  }
  // Who wrote the entry and when never change.
  for (const always of ['記録者', '記録時刻', '記録ID', '要請時間の記録時刻', '対応者']) excused.delete(always);
  for (const [column, value] of Object.entries(expected)) {
    const cell = cells[column];
    // The ' before = + - @ is Excel's and ours; before 2026-12-06 a cell with a line break went
    // out without it, and such a file is as genuine as one with it (only such a cell).
    if (cell === undefined || same(cell) === same(asWrittenInCsv(value)) || (LINE_BREAK.test(value) && same(cell) === same(value))) continue;
    if (excused.has(column)) {
      unchecked.push(column);
      continue;
    }
    return signed
      ? `${column} 「${cell}」 is not what the signed entry says (「${value}」) / 「${column}」が拠点の署名した記録と違います`
      : `${column} 「${cell}」 is not what the row's entry says (「${value}」) / 「${column}」がこの行の記録（エントリ（JSON））と違います`;
  }
  return unchecked;
}

/**
 * Standalone: each case column must be the same on every row of the case. A row that differs from
 * what most rows say fails; with no majority (two rows that disagree), every row of the case does.
 */
function caseConsistency(byCase: ReadonlyMap<string, readonly FileRow[]>): Map<number, string> {
  const problems = new Map<number, string>();
  for (const caseRows of byCase.values()) {
    if (caseRows.length < 2) continue;
    // Written alike on every row of a case: a cell changed on one row only shows even without the
    // entries that decide it. The claim columns are on the first row only and are left out.
    for (const column of CASE_WIDE_COLUMNS) {
      const counts = new Map<string, number>();
      for (const r of caseRows) counts.set(r.cells[column] ?? '', (counts.get(r.cells[column] ?? '') ?? 0) + 1);
      if (counts.size < 2) continue;
      const [top, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
      const majority = n * 2 > caseRows.length ? top : null;
      for (const r of caseRows) {
        if (problems.has(r.row) || (r.cells[column] ?? '') === majority) continue;
        problems.set(r.row, `${column} 「${r.cells[column]}」 differs between the rows of case ${r.caseId} / 「${column}」が同じ事例のほかの行と違います`);
      }
    }
  }
  return problems;
}

/**
 * Beside the hub's store: the case as it was exported, folded again from the hub's entries (and
 * the file's own unsent ones) up to the entry its ハッシュ names, and the rows the export writes
 * from it. The exported state is the entries before that one in read order; when devices continued
 * the case at once, an entry another device wrote may have reached the hub later and sort before
 * it, so the entries that entry and the rows' entries descend from are tried too.
 */
async function checkCase(caseId: string, caseRows: readonly FileRow[], hubEntries: readonly CaseEntry[]): Promise<CaseCheck> {
  const verdict = (v: CaseVerdict['verdict'], reason: string): CaseCheck => ({ verdict: { caseId, verdict: v, reason }, expected: null });
  if (hubEntries.length === 0) {
    return verdict('unchecked', 'the hub holds no entry of this case / 拠点はこの事例の記録を持っていません（未送信の記録です。署名済みの行は行ごとに NG になります）');
  }
  const head = mostCommon(caseRows.map((r) => r.cells['ハッシュ'] ?? ''));
  if (head === '') return verdict('unchecked', 'the rows carry no ハッシュ, so the exported state is unknown / ハッシュの列が空のため、書き出した時点の事例を拠点の記録から組み立てられません');
  const all = new Map(hubEntries.map((e) => [e.id, e]));
  const rowEntries = caseRows.flatMap((r) => (r.entry === null ? [] : [r.entry]));
  const unsent = rowEntries.filter((e) => !all.has(e.id)).map((e) => e.id);
  for (const e of rowEntries) if (!all.has(e.id)) all.set(e.id, e); // unsent when exported: the file's copy
  const last = [...all.values()].find((e) => e.hash === head);
  if (last === undefined) {
    // An export made while the case's last entry was still unsent names a state the hub has not
    // seen; the file then says so (a row or the case not fully signed). Otherwise it was changed.
    const pending = caseRows.some((r) => !r.signed || !/^(\d+)件中\1件 拠点署名済み/.test(r.cells['事例の拠点署名'] ?? ''));
    return pending
      ? verdict('unchecked', 'the case\'s ハッシュ names an entry the hub has not received / 事例のハッシュの記録が拠点に届いていないため、拠点の記録と照合できません（未署名の記録があります）')
      : verdict('ng', `ハッシュ ${head.slice(0, 16)}… names no entry of this case the hub holds / ハッシュがこの事例のどの記録とも一致しません（書き換えられています）`);
  }
  const ordered = orderEntries([...all.values()]);
  const prefix = ordered.filter((e) => compareEntries(e, last) <= 0);
  // What the hub holds after the exported state: an entry recorded after the export (a call the
  // next day, a 退所, a 訂正), or one a rewritten file left out with its rows rolled back to before
  // it (a 取消 cleared, its ハッシュ set to an earlier entry's). The hub cannot tell which, so the
  // case is not 一致: unchecked, naming each such entry, and the auditor exports again.
  const later = ordered.filter((e) => compareEntries(e, last) > 0);
  const passed = (check: CaseCheck): CaseCheck =>
    later.length === 0 || check.verdict.verdict === 'ng'
      ? check
      : {
          verdict: {
            caseId,
            verdict: 'unchecked',
            // an unchecked case keeps its own reason (entries the hub never received, another branch) first
            reason: check.verdict.verdict === 'unchecked' ? `${check.verdict.reason}／${laterReason(later)}` : laterReason(later),
          },
          expected: check.expected,
        };
  const byHash = new Map(ordered.map((e) => [e.hash, e]));
  const ancestry = new Set<string>();
  for (const stack = [last, ...rowEntries]; stack.length > 0; ) {
    const e = stack.pop()!;
    if (ancestry.has(e.id)) continue;
    ancestry.add(e.id);
    const parent = byHash.get(e.prevHash);
    if (parent !== undefined) stack.push(parent);
  }
  const known = ordered.filter((e) => ancestry.has(e.id));
  const matches = (check: CaseCheck) =>
    check.verdict.verdict === 'ok' && caseRows.every((r) => compareWithRefold(r.cells, check.expected?.get(r.cells['エントリID'] ?? '')) === null);
  // The file's own copies of entries the hub never received chain and fold like the hub's, but the
  // hub does not vouch for them: a case that needs them is not 一致 with the hub, only unchecked
  // (a made-up unsigned row with a right hash and ハッシュ read 一致 before).
  const vouched = (check: CaseCheck): CaseCheck =>
    check.verdict.verdict !== 'ok' || unsent.length === 0
      ? check
      : {
          verdict: {
            caseId,
            verdict: 'unchecked',
            reason: `the file's entries ${unsent.join(', ')} are not at the hub; the rest matches / ${unsent.length}件の記録（${unsent.join('、')}）は拠点に届いていないため、拠点の記録とは照合できません（ほかは一致します）`,
          },
          expected: check.expected,
        };
  const before = await checkState(caseId, prefix, head, caseRows);
  if (known.length === prefix.length || matches(before)) return passed(vouched(before));
  const descended = await checkState(caseId, known, head, caseRows);
  if (!matches(descended)) return passed(vouched(before));
  // The hub cannot tell an entry of another branch that reached it after the export from one whose
  // row was deleted: the rows are checked against the case without it, and the case is not passed.
  const others = prefix.filter((e) => !ancestry.has(e.id)).map((e) => e.id);
  return passed({
    verdict: {
      caseId,
      verdict: 'unchecked',
      reason: `the file matches the case without ${others.join(', ')} (another device's entries, which may have reached the hub after the export) / 別の端末の記録（${others.join('、')}）を除くと一致します。書き出しの後に拠点に届いた記録か、行が削除されたのかは拠点の記録からは分かりません`,
    },
    expected: descended.expected,
  });
}

/** Says which entries the hub holds after the exported state: kind, time (Japan) and id. */
function laterReason(later: readonly CaseEntry[]): string {
  const what = (e: CaseEntry) =>
    e.body.type === 'correction' ? (e.body.replacement === null ? '取消' : '訂正') : (ENTRY_TYPE_LABELS[e.body.type] ?? e.body.type);
  const list = later.map((e) => `${what(e)} ${formatJapanDateTimeCsv(e.recordedAt)}（${e.id}）`).join('、');
  return (
    `the hub holds ${later.length} entr${later.length === 1 ? 'y' : 'ies'} after the case's ハッシュ: ${later.map((e) => e.id).join(', ')} / ` +
    `拠点には、このファイルの時点（ハッシュ）より後の記録が${later.length}件あります: ${list}。` +
    '書き出しの後に記録された（届いた）ものか、この記録を除いて書き換えられたファイルかは、拠点の記録からは分かりません。書き出し直して照合してください'
  );
}

/** One candidate state of the case: its chain, its fold, and which of its rows the file lacks. */
async function checkState(caseId: string, state: readonly CaseEntry[], head: string, caseRows: readonly FileRow[]): Promise<CaseCheck> {
  const ng = (reason: string): CaseCheck => ({ verdict: { caseId, verdict: 'ng', reason }, expected: null });
  const chain = await verifyChain(state);
  if (!chain.ok) return ng(`the hub's entries of this case do not chain: ${chain.problem} / 拠点の記録がつながっていません: ${chain.problem}`);
  let kase: EmergencyCase;
  try {
    kase = foldCase(state);
  } catch {
    return ng('the hub\'s entries of this case cannot be read as a case / 拠点の記録を事例として読めません');
  }
  if (kase.headHash !== head) return ng('the hub\'s entries do not end with the case\'s ハッシュ / 拠点の記録がハッシュの記録で終わりません');
  let expected: Map<string, Cells[]>;
  try {
    expected = exportedRows(kase);
  } catch {
    return ng('the export cannot write the case the hub\'s entries make / 拠点の記録から明細の行を作れません');
  }
  const shown = new Set(caseRows.map((r) => r.cells['エントリID'] ?? ''));
  const lacking = [...expected.entries()].filter(([id]) => !shown.has(id));
  if (lacking.length > 0) {
    const what = lacking.map(([id, [r]]) => (r?.['連絡先事業所'] ? `${r['連絡・調整を行った時刻']} ${r['連絡先事業所']}（${fromCsvCell(id)}）` : fromCsvCell(id))).join('、');
    return {
      verdict: { caseId, verdict: 'ng', reason: `${lacking.length} row(s) of the case are missing / この事例の行が${lacking.length}行ありません（削除されています）: ${what}` },
      expected,
    };
  }
  return { verdict: { caseId, verdict: 'ok', reason: `拠点の記録 ${state.length}件と一致 / matches the hub's ${state.length} entries` }, expected };
}

/**
 * The rows the export writes for a case, by エントリID cell, through the export itself
 * (claimDetailCsv), so the check cannot drift from what is written: as it writes them now, then as
 * it wrote them before 2026-12-05 (without the earlier outcomes in the outcome's history), so that
 * a file sent before then still verifies. The office and the claim decision given are
 * placeholders: their columns are not compared (NOT_FROM_ENTRIES).
 */
function exportedRows(kase: EmergencyCase): Map<string, Cells[]> {
  const now = renderedRows(kase, true);
  const before = renderedRows(kase, false);
  return new Map([...now].map(([id, row]) => [id, [row, ...(before.has(id) ? [before.get(id)!] : [])]]));
}

function renderedRows(kase: EmergencyCase, earlierOutcomes: boolean): Map<string, Cells> {
  const officeId = kase.open.body.officeId;
  const month = japanMonthOf(kase.open.body.requestedAt);
  const office: Office = { id: officeId, name: '', officeNumber: '', hubPeriods: [], oneBody: NO_ONE_BODY, createdAt: kase.open.recordedAt, updatedAt: kase.open.recordedAt };
  const decision: ClaimDecision = { caseId: kase.id, officeId, personKey: null, month, coordinatedAt: null, status: 'not-claimable', ordinal: null, units: 0, reasons: [] };
  const text = claimDetailCsv({ office, month, cases: [kase], decisions: new Map([[kase.id, decision]]), earlierOutcomes });
  const parsed = Papa.parse<Cells>(text, { header: true, skipEmptyLines: true });
  return new Map(parsed.data.map((r) => [r['エントリID'] ?? '', r]));
}

function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

/** The lines the command prints: one per row, one per case checked against the hub, what was not checked, then the summary. */
export function describeEvidenceReport(report: EvidenceReport, keyLabel: string): string[] {
  const unchecked = (columns: readonly string[]) => (columns.length > 0 ? `（単独では確かめていない列: ${columns.join('、')}）` : '');
  const lines = report.rows.map((v) => {
    switch (v.verdict) {
      case 'ok':
        return `${v.row}行目 OK  ${v.receipt.caseId} / ${v.receipt.entryId}  拠点受付 ${formatJapanDateTimeCsv(v.receipt.receivedAt)}（受付番号 ${v.receipt.position}）${unchecked(v.notChecked)}`;
      case 'ng':
        return `${v.row}行目 NG  ${v.entryId}: ${v.reason}`;
      case 'unsigned':
        return `${v.row}行目 --  ${v.entryId}: ${v.status || '拠点署名の記載なし'}（検証対象外）${unchecked(v.notChecked)}`;
    }
  });
  for (const c of report.cases) {
    // Not 「OK」: the row lines alone say OK, one per countersigned row.
    const label = c.verdict === 'ok' ? '一致' : c.verdict === 'ng' ? 'NG' : '照合できず';
    lines.push(`事例 ${c.caseId}: ${label}  ${c.reason}`);
  }
  lines.push(...report.notChecked);
  const against = report.besideHub
    ? `拠点の記録との照合: 事例 ${report.cases.length}件（一致 ${report.cases.filter((c) => c.verdict === 'ok').length}、NG ${report.caseNg}、照合できず ${report.cases.filter((c) => c.verdict === 'unchecked').length}）`
    : '拠点の記録とは照合していません（単独での検証）';
  lines.push(`結果 / result: ${report.rows.length}行（OK ${report.ok}、NG ${report.ng}、未署名 ${report.unsigned}）— ${against} — ${report.encoding}、鍵 ${keyLabel}`);
  return lines;
}
