/**
 * The month's claim exports for the 地域生活支援拠点等相談強化加算 (docs/claim-csv.md): a summary
 * the office clerk types into the claim software, and a detail file that is the evidence record
 * (seeds/004 §24-3 (3)) — every request, every contact (withdrawn and corrected ones included) and
 * every claim decision with its reasons. Pure: cases and decisions in, text and bytes out.
 */
import Papa from 'papaparse';
import { toCsv } from './csv-text';
import { CLAIM_STATUS_LABELS, CONSULTATION_BONUS_UNITS, type ClaimDecision, type ClaimSummaryRow } from './claim-types';
import { ShiftJisUnencodableError, encodeShiftJis, encodeUtf8WithBom, shiftJisUnencodable, shownChars, type CsvByteEncoding } from './csv-encoding';
import { COUNTERSIGN_LABELS, countersignSummary, DEVICE_ONLY, type CountersignLookup } from './countersign-status';
import type { CaseEntry, ContactBody, Current, EmergencyCase, Office, Superseded } from './emergency-case';
import type { IsoInstant } from './household';
import { formatJapanDateTimeCsv, japanMonthOf } from './japan-time';
import { changesText, correctionChanges, filledFieldsText } from './correction-changes';
import { earlierOutcomes } from './case-fold';
import { summaryTotals } from './claim-rules';

export type ClaimCsvEncoding = CsvByteEncoding;

/** A cell that Shift_JIS cannot hold: `row` as Excel numbers it (header = 1), `column` its header. */
export interface UnencodableCell {
  readonly row: number;
  readonly column: string;
  readonly chars: readonly string[];
}

/** What a user can meet while exporting; the message is Japanese and says what to do. */
export class ClaimCsvError extends Error {
  override readonly name = 'ClaimCsvError';
  constructor(
    readonly code: 'no-cases' | 'unencodable',
    message: string,
    readonly unencodable: readonly UnencodableCell[] = [],
  ) {
    super(message);
  }
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`claim-csv: month must be 'YYYY-MM': ${JSON.stringify(month)}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

/** 「2026年12月の緊急対応記録はありません。」 */
export function noCasesMessage(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${year}年${m}月の緊急対応記録はありません。`;
}

/** Nothing is exported for a month without cases: the screen shows the error's message instead. */
export function assertExportable(cases: readonly EmergencyCase[], month: string): void {
  if (cases.length === 0) throw new ClaimCsvError('no-cases', noCasesMessage(month));
}

/**
 * The month a case is listed under: its claim month (the first short-stay contact, claim-rules.ts),
 * or, when it has none, the Japan month of the request, so that every case appears in exactly one
 * month's detail.
 */
export function exportMonthOf(c: EmergencyCase, decision: ClaimDecision | undefined): string {
  return decision?.month ?? japanMonthOf(c.open.body.requestedAt);
}

/** The office's cases listed under `month` (see exportMonthOf). */
export function casesForMonth(
  cases: readonly EmergencyCase[],
  decisions: ReadonlyMap<string, ClaimDecision>,
  officeId: string,
  month: string,
): EmergencyCase[] {
  parseMonth(month);
  return cases.filter((c) => c.open.body.officeId === officeId && exportMonthOf(c, decisions.get(c.id)) === month);
}

// ─── Summary ────────────────────────────────────────────────────────────────

export const CLAIM_SUMMARY_HEADERS = ['事業所番号', '対象月', 'サービス種別', '受給者証番号', '氏名', '算定回数', '単位数'] as const;

/** The 合計 row's spare (サービス種別) cell when 要確認 cases are held back: 「要確認6件は含みません」. */
export function heldBackNote(pending: number): string {
  return pending > 0 ? `要確認${pending}件は含みません` : '';
}

/**
 * One row per person, in the order given (summarizeClaims sorts by 受給者証番号), each carrying the
 * office's 事業所番号, the month and the サービス種別 (計画相談支援, or 障害児相談支援 for a child) that
 * billing software imports per row; then a 合計 row (number of persons, total count, total units)
 * for the clerk to check against the claim software's total. With no claimed person the file still
 * has the 合計 row: 0名, 0, 0. `pending`, the month's 要確認 cases of the office, is said in the 合計
 * row's spare cell: a clerk who sees 「9名」 knows six more cases wait and are not in it.
 */
export function claimSummaryCsv(rows: readonly ClaimSummaryRow[], office: Pick<Office, 'officeNumber'>, month: string, pending = 0): string {
  const { year, month: m } = parseMonth(month);
  const monthLabel = `${year}年${m}月`;
  const data = rows.map((r) => {
    const rowUnits = CONSULTATION_BONUS_UNITS * r.count;
    if (r.units !== rowUnits) {
      throw new RangeError(`claim-csv: ${r.personKey} has ${r.count} claims but ${r.units} units (expected ${rowUnits})`);
    }
    return [office.officeNumber, monthLabel, r.serviceType, r.recipientNumber, r.name, String(r.count), String(rowUnits)];
  });
  const { persons, count, units } = summaryTotals(rows);
  data.push([office.officeNumber, monthLabel, heldBackNote(pending), '合計', `${persons}名`, String(count), String(units)]);
  return toCsv(CLAIM_SUMMARY_HEADERS, data);
}

// ─── Detail ─────────────────────────────────────────────────────────────────

export const CLAIM_DETAIL_HEADERS = [
  '事業所名',
  '事業所番号',
  '対象月',
  '記録ID',
  '受給者証番号',
  '氏名',
  '要請のあった時間',
  '要請時間の記録時刻',
  '要請時間を遡った理由',
  '要請者',
  '要請の内容（区分）',
  '要請の内容（詳細）',
  '要請の訂正',
  '要請の訂正（訂正前 → 訂正後）',
  '連絡・調整を行った時刻',
  '連絡先事業所',
  '連絡先事業所番号',
  '短期入所',
  '方法',
  '結果',
  'メモ',
  '記録者',
  '記録時刻',
  '取消',
  '取消の理由',
  '訂正',
  '訂正（訂正前 → 訂正後）',
  '対応結果',
  '入所先',
  '入所日時',
  '対応結果のメモ',
  '対応結果の訂正',
  '対応結果の訂正（訂正前 → 訂正後）',
  '対応者',
  '終了時刻',
  '算定判定',
  '判定理由',
  '算定回数目',
  '単位数',
  'ハッシュ',
  // The hub's countersignature of the row's entry (the contact; the request for a case without
  // one): what `npm run admin -- verify-evidence` checks offline (docs/claim-csv.md).
  '拠点署名',
  '拠点受付時刻',
  '事例の拠点署名',
  '拠点ID',
  'エントリID',
  'エントリのハッシュ',
  '拠点受付番号',
  '拠点受付時刻（UTC）',
  '署名鍵の指紋',
  '拠点の署名',
  'エントリ（JSON）',
] as const;

type DetailColumn = (typeof CLAIM_DETAIL_HEADERS)[number];
type DetailRow = Readonly<Record<DetailColumn, string>>;

const CONTACT_COLUMNS = [
  '連絡・調整を行った時刻',
  '連絡先事業所',
  '連絡先事業所番号',
  '短期入所',
  '方法',
  '結果',
  'メモ',
  '記録者',
  '記録時刻',
  '取消',
  '取消の理由',
  '訂正',
  '訂正（訂正前 → 訂正後）',
] as const satisfies readonly DetailColumn[];
type ContactColumn = (typeof CONTACT_COLUMNS)[number];

const NO_CONTACT = Object.fromEntries(CONTACT_COLUMNS.map((c) => [c, ''])) as Record<ContactColumn, string>;

const COUNTERSIGN_COLUMNS = [
  '拠点署名',
  '拠点受付時刻',
  '拠点ID',
  'エントリID',
  'エントリのハッシュ',
  '拠点受付番号',
  '拠点受付時刻（UTC）',
  '署名鍵の指紋',
  '拠点の署名',
  'エントリ（JSON）',
] as const satisfies readonly DetailColumn[];
type CountersignColumn = (typeof COUNTERSIGN_COLUMNS)[number];

/** The claim's columns, on a case's first row only. */
const CLAIM_COLUMNS = ['算定判定', '判定理由', '算定回数目', '単位数'] as const satisfies readonly DetailColumn[];

/**
 * The columns written alike on every row of a case (caseCells): all but a contact's, the claim's
 * and a receipt's (事例の拠点署名, the whole case's, is one of them).
 */
export const CASE_WIDE_COLUMNS: readonly DetailColumn[] = (() => {
  const perRow = new Set<string>([...CONTACT_COLUMNS, ...CLAIM_COLUMNS, ...COUNTERSIGN_COLUMNS]);
  return CLAIM_DETAIL_HEADERS.filter((column) => !perRow.has(column));
})();

/** The countersign columns of the row whose entry is `entryId`. */
function countersignCells(c: EmergencyCase, entryId: string, lookup: CountersignLookup): Record<CountersignColumn, string> {
  const cs = lookup(entryId);
  const held = c.entries.find((e) => e.id === entryId);
  const signed = cs.status === 'countersigned' ? cs : null;
  return {
    拠点署名:
      cs.status === 'invalid' ? `${COUNTERSIGN_LABELS.invalid}: ${cs.problem}` : cs.status === 'refused' ? `${COUNTERSIGN_LABELS.refused}: ${cs.reason}` : COUNTERSIGN_LABELS[cs.status],
    拠点受付時刻: signed ? time(signed.receivedAt) : '',
    拠点ID: signed?.hub ?? '',
    エントリID: entryId,
    エントリのハッシュ: held?.hash ?? '',
    拠点受付番号: signed ? String(signed.position) : '',
    '拠点受付時刻（UTC）': signed?.receivedAt ?? '',
    署名鍵の指紋: signed?.keyFingerprint ?? '',
    拠点の署名: signed?.signature ?? '',
    'エントリ（JSON）': held === undefined ? '' : asciiJson(held),
  };
}

/**
 * The entry as JSON with every non-ASCII character escaped (\uXXXX): it reads back to the exact
 * entry from a Shift_JIS file too (CP932 maps 〜 − ‖ to other code points on the way back).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The cells of a detail row that its entry alone decides, as they are written when nothing has
 * corrected it: a contact's columns (but its 取消 and 訂正 notes), or for a case without contacts
 * the request's. verify-evidence compares a row with the entry it carries (docs/claim-csv.md).
 */
export function entryCells(entry: CaseEntry): Partial<Record<DetailColumn, string>> {
  const b = entry.body;
  if (b.type === 'contact') {
    const { 取消: _w, 取消の理由: _r, 訂正: _c, '訂正（訂正前 → 訂正後）': _v, ...cells } = contactCells({ entryId: entry.id, recordedAt: entry.recordedAt, recordedBy: entry.recordedBy, corrections: [], body: b });
    return cells;
  }
  if (b.type === 'open') {
    return {
      記録ID: entry.caseId,
      要請のあった時間: time(b.requestedAt),
      要請時間の記録時刻: time(entry.recordedAt),
      要請時間を遡った理由: b.requestedAtReason,
      要請者: b.caller,
      '要請の内容（区分）': b.category,
      '要請の内容（詳細）': b.detail,
    };
  }
  return {};
}

const REASON_SEPARATOR = '／';
/** a call recorded from the match whose result was never entered (ContactBody.result null) */
const RESULT_NOT_RECORDED = '未記録';

const time = (instant: IsoInstant | null): string => (instant === null ? '' : formatJapanDateTimeCsv(instant));

/** 「理由（2026-12-01 01:00 山田 夜勤）」: each correction with when and by whom, oldest first. */
function correctionNotes(corrections: readonly Superseded[]): string {
  return corrections.map((s) => `${s.reason}（${time(s.at)} ${s.by.name}）`).join(REASON_SEPARATOR);
}

/** a correction that changed nothing shown, so that the list stays in step with correctionNotes */
const NOTHING_CHANGED = '（変更なし）';

/** What a correction changed (or, for a withdrawal, what the withdrawn fact said). */
function correctionValue(s: Superseded): string {
  return s.withdrawn ? `取消（${filledFieldsText(s.before, time)}）` : changesText(correctionChanges(s, time)) || NOTHING_CHANGED;
}

/**
 * 「連絡・調整を行った時刻 2026-12-01 00:05 → 2026-11-30 23:55」: what each correction changed, in
 * the same order as correctionNotes (the n-th item of one is the n-th of the other).
 */
function correctionValues(corrections: readonly Superseded[]): string {
  return corrections.map(correctionValue).join(REASON_SEPARATOR);
}

/** An outcome a later outcome entry replaced (case-fold.ts earlierOutcomes): not withdrawn, and still evidence. */
const EARLIER_OUTCOME = '以前の対応結果';

/**
 * The outcome's history for 対応結果の訂正 and its companion, oldest first, the n-th note beside
 * the n-th value: each correction and withdrawal of any outcome (when and by whom it was made),
 * and each earlier outcome a later outcome entry replaced (when and by whom it was recorded, and
 * what it said), so that an outcome recorded again is never lost from the file.
 */
function outcomeHistory(c: EmergencyCase, withEarlier = true): { notes: string; values: string } {
  const earlier = withEarlier ? earlierOutcomes(c) : [];
  const outcomes = [...(c.outcome === null ? [] : [c.outcome]), ...c.withdrawnOutcomes, ...earlier];
  const items = [
    ...outcomes.flatMap((o) => o.corrections).map((s) => ({ at: s.at, note: correctionNotes([s]), value: correctionValue(s) })),
    ...earlier.map((o) => ({
      at: o.recordedAt,
      note: `${EARLIER_OUTCOME}（${time(o.recordedAt)} ${o.recordedBy.name}）`,
      value: `${EARLIER_OUTCOME}（${filledFieldsText(o.body, time)}）`,
    })),
  ].sort((a, b) => ms(a.at) - ms(b.at));
  return { notes: items.map((i) => i.note).join(REASON_SEPARATOR), values: items.map((i) => i.value).join(REASON_SEPARATOR) };
}

function contactCells(k: Current<ContactBody>): Record<ContactColumn, string> {
  const b = k.body;
  const withdrawal = k.corrections.filter((s) => s.withdrawn);
  const corrections = k.corrections.filter((s) => !s.withdrawn);
  return {
    '連絡・調整を行った時刻': time(b.contactedAt),
    連絡先事業所: b.facilityName,
    連絡先事業所番号: b.facilityOfficeNumber,
    短期入所: b.shortStay ? 'はい' : 'いいえ',
    方法: b.method,
    結果: b.result ?? RESULT_NOT_RECORDED,
    メモ: b.note,
    記録者: k.recordedBy.name,
    記録時刻: time(k.recordedAt),
    取消: withdrawal.length > 0 ? '取消' : '',
    取消の理由: correctionNotes(withdrawal),
    訂正: correctionNotes(corrections),
    '訂正（訂正前 → 訂正後）': correctionValues(corrections),
  };
}

function caseCells(
  office: Office,
  monthLabel: string,
  c: EmergencyCase,
  d: ClaimDecision,
  lookup: CountersignLookup,
  withEarlier: boolean,
): Omit<DetailRow, ContactColumn | CountersignColumn> {
  const open = c.open.body;
  const outcome = c.outcome;
  const history = outcomeHistory(c, withEarlier);
  return {
    事業所名: office.name,
    事業所番号: office.officeNumber,
    対象月: monthLabel,
    記録ID: c.id,
    受給者証番号: c.subject.recipientNumber,
    氏名: c.subject.name,
    要請のあった時間: time(open.requestedAt),
    要請時間の記録時刻: time(c.open.recordedAt),
    要請時間を遡った理由: open.requestedAtReason,
    要請者: open.caller,
    '要請の内容（区分）': open.category,
    '要請の内容（詳細）': open.detail,
    要請の訂正: correctionNotes(c.open.corrections),
    '要請の訂正（訂正前 → 訂正後）': correctionValues(c.open.corrections),
    対応結果: outcome?.body.outcome ?? '',
    入所先: outcome?.body.facilityName ?? '',
    入所日時: time(outcome?.body.from ?? null),
    対応結果のメモ: outcome?.body.note ?? '',
    対応結果の訂正: history.notes,
    '対応結果の訂正（訂正前 → 訂正後）': history.values,
    対応者: c.handler.name,
    終了時刻: time(c.closedAt),
    算定判定: CLAIM_STATUS_LABELS[d.status],
    判定理由: d.reasons.join(REASON_SEPARATOR),
    算定回数目: d.ordinal === null ? '' : String(d.ordinal),
    単位数: String(d.units),
    ハッシュ: c.headHash,
    事例の拠点署名: countersignSummary(
      c.entries.map((e) => e.id),
      lookup,
    ),
  };
}

const ms = (instant: IsoInstant): number => Date.parse(instant);

function byContactTime(a: Current<ContactBody>, b: Current<ContactBody>): number {
  return (
    ms(a.body.contactedAt) - ms(b.body.contactedAt) ||
    ms(a.recordedAt) - ms(b.recordedAt) ||
    (a.entryId < b.entryId ? -1 : a.entryId > b.entryId ? 1 : 0)
  );
}

function byRequestTime(a: EmergencyCase, b: EmergencyCase): number {
  return ms(a.open.body.requestedAt) - ms(b.open.body.requestedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

export interface ClaimDetailInput {
  readonly office: Office;
  /** 'YYYY-MM' */
  readonly month: string;
  /** the office's cases listed under the month (casesForMonth) */
  readonly cases: readonly EmergencyCase[];
  /** by case id, from decideClaims */
  readonly decisions: ReadonlyMap<string, ClaimDecision>;
  /** each entry's countersign status (countersign-status.ts); without it, every entry is この端末のみ */
  readonly countersign?: CountersignLookup;
  /**
   * false: the outcome's history as exports before 2026-12-05 wrote it, without the earlier outcomes
   * a later outcome entry replaced (verify-evidence accepts those files as they were written)
   */
  readonly earlierOutcomes?: boolean;
  /**
   * The cases claimed (算定) in another month closed as 請求済み, by case id → that month
   * (claimedInOtherMonths): their 判定理由 says so, as the screen does, so that the file does not
   * read as a plain claim that would be billed twice.
   */
  readonly claimedIn?: ReadonlyMap<string, string>;
}

/** 判定理由's line for a case claimed in another month already 請求済み ('YYYY-MM'). */
export function claimedInReason(month: string): string {
  const { year, month: m } = parseMonth(month);
  const label = `${year}年${m}月`;
  return `${label}（請求済み）に算定として請求した記録です。${label}の返還を確かめてください`;
}

/**
 * One row per contact or coordination, withdrawn ones included (取消 with the reason), corrected
 * ones with their current values and the 訂正 reasons; a case without any contact gets one row with
 * the contact columns empty. Ordered by 要請のあった時間, then 連絡・調整を行った時刻. The claim's
 * columns (算定判定, 判定理由, 算定回数目, 単位数) are written on the case's first row only: a
 * filter on 算定 then counts each claim once, and 単位数 sums to the month's claim. The other rows
 * of the case carry its 記録ID (docs/claim-csv.md).
 */
export function claimDetailCsv({
  office,
  month,
  cases,
  decisions,
  countersign = DEVICE_ONLY,
  earlierOutcomes: withEarlierOutcomes = true,
  claimedIn = new Map(),
}: ClaimDetailInput): string {
  const { year, month: m } = parseMonth(month);
  assertExportable(cases, month);
  const monthLabel = `${year}年${m}月`;
  const data: string[][] = [];
  for (const c of [...cases].sort(byRequestTime)) {
    const d = decisions.get(c.id);
    if (d === undefined) throw new RangeError(`claim-csv: no claim decision for case ${c.id}`);
    if (c.open.body.officeId !== office.id || d.officeId !== office.id) {
      throw new RangeError(`claim-csv: case ${c.id} belongs to office ${c.open.body.officeId}, not ${office.id}`);
    }
    const listedIn = exportMonthOf(c, d);
    if (listedIn !== month) throw new RangeError(`claim-csv: case ${c.id} is listed under ${listedIn}, not ${month}`);

    const before = claimedIn.get(c.id);
    const shared = caseCells(office, monthLabel, c, before === undefined ? d : { ...d, reasons: [claimedInReason(before), ...d.reasons] }, countersign, withEarlierOutcomes);
    const contacts = [...c.contacts, ...c.withdrawnContacts].sort(byContactTime);
    const rows = contacts.length === 0 ? [{ ...NO_CONTACT, entryId: c.open.entryId }] : contacts.map((k) => ({ ...contactCells(k), entryId: k.entryId }));
    rows.forEach(({ entryId, ...contact }, i) => {
      const claim = i === 0 ? {} : { 算定判定: '', 判定理由: '', 算定回数目: '', 単位数: '' };
      const row: DetailRow = { ...shared, ...contact, ...countersignCells(c, entryId, countersign), ...claim };
      data.push(CLAIM_DETAIL_HEADERS.map((h) => row[h]));
    });
  }
  return toCsv(CLAIM_DETAIL_HEADERS, data);
}

// ─── Bytes and file names ───────────────────────────────────────────────────

const MESSAGE_CELLS = 5;

/** Where in the CSV the characters Shift_JIS cannot hold are, for a message the user can act on. */
function locateUnencodable(text: string): UnencodableCell[] {
  const records = Papa.parse<string[]>(text, { header: false, skipEmptyLines: false }).data;
  const header = records[0] ?? [];
  const found: UnencodableCell[] = [];
  records.forEach((cells, r) => {
    cells.forEach((cell, col) => {
      const chars = shiftJisUnencodable(cell);
      if (chars.length > 0) found.push({ row: r + 1, column: header[col] ?? `${col + 1}列目`, chars });
    });
  });
  return found;
}

/**
 * UTF-8 with a BOM (Excel opens it as UTF-8), or Shift_JIS (CP932). A character CP932 cannot hold
 * (emoji, 𠮷 and other rare kanji) is never replaced: this is an evidence record, and a name or
 * note quietly changed to '?' is a false record. The export is refused with a ClaimCsvError that
 * lists the rows and columns, and the user exports UTF-8 instead.
 */
export function encodeClaimCsv(text: string, encoding: ClaimCsvEncoding): Uint8Array<ArrayBuffer> {
  if (encoding === 'utf-8-bom') return encodeUtf8WithBom(text);
  try {
    return encodeShiftJis(text);
  } catch (e) {
    if (!(e instanceof ShiftJisUnencodableError)) throw e;
    const cells = locateUnencodable(text);
    const listed = cells
      .slice(0, MESSAGE_CELLS)
      .map((p) => `${p.row}行目「${p.column}」の ${shownChars(p.chars)}`)
      .join('、');
    const more = cells.length > MESSAGE_CELLS ? ` ほか${cells.length - MESSAGE_CELLS}か所` : '';
    throw new ClaimCsvError(
      'unencodable',
      `Shift_JIS で表せない文字があります（${listed}${more}）。記録を書き換えずに出力するため、UTF-8 で書き出してください。`,
      cells,
    );
  }
}

/**
 * e.g. soudan-kyouka-summary-1234567890-2026-12.csv; Shift_JIS files end in -sjis.csv. ASCII only.
 * `current`: a file of today's figures written for a month already 請求済み carries -genzai (現在),
 * so it is never saved over, or taken for, the file that was sent under the plain name.
 */
export function claimExportFileName(
  kind: 'summary' | 'detail' | 'changes',
  officeNumber: string,
  month: string,
  encoding: ClaimCsvEncoding,
  { current = false }: { readonly current?: boolean } = {},
): string {
  parseMonth(month);
  const office = officeNumber.normalize('NFKC').replace(/[^0-9A-Za-z]/g, '') || 'no-office-number';
  return `soudan-kyouka-${kind}-${office}-${month}${current ? '-genzai' : ''}${encoding === 'shift_jis' ? '-sjis' : ''}.csv`;
}
