/**
 * Import and export of the city's short-stay facility list as CSV (docs/facility-csv.md).
 * Pure: bytes in, a preview out. Nothing is written here; the caller stores every row of the
 * preview in one transaction, and only when `ok`, so a file is taken whole or not at all.
 */
import { futureReportError, historyAfter } from './vacancy-report';
import Encoding from 'encoding-japanese';
import Papa from 'papaparse';
import { CLAIM_DETAIL_HEADERS, CLAIM_SUMMARY_HEADERS } from './claim-csv';
import { ShiftJisUnencodableError, encodeShiftJis, encodeUtf8WithBom, sameAfterShiftJisRoundTrip, shownChars } from './csv-encoding';
import { fromCsvCell, toCsv } from './csv-text';
import { DISABILITY_TYPES, MEDICAL_CARE_LABELS } from './disability';
import { HUB_FUNCTION_LABELS, emptyFacility, type Facility, type Vacancy } from './facility';
import {
  COLUMN,
  FACILITY_CSV_HEADERS,
  FACILITY_CSV_REQUIRED_HEADERS,
  columnOfHeader,
  formatAcceptanceCell,
  formatLabelList,
  isAcceptanceColumn,
  isPhysicalGroupHeading,
  leadingZeroRestored,
  readFields,
  closureCells,
  facilityChanges,
  restoreLeadingZero,
  type FacilityCsvCellError,
  type FacilityCsvCellNotice,
  type FacilityFieldChange,
  type RowFindings,
} from './facility-csv-columns';
import type { IsoInstant } from './household';
import { formatJapanDateTimeCsv } from './japan-time';
import { officeNumberKey, officeTwins, oneRecordPerOffice } from './facility-twins';
import { withoutDigitSeparators } from './normalize';
import { reportForNight, vacancyStanding } from './match-order';
import { recordTooLarge } from './record-limits';

export { FACILITY_CSV_HEADERS, FACILITY_CSV_REQUIRED_HEADERS, type FacilityCsvCellError, type FacilityCsvCellNotice, type FacilityFieldChange } from './facility-csv-columns';

/** More than a city lists (the demo hub has 1,000): a bigger file is refused before it is read. */
export const FACILITY_CSV_MAX_BYTES = 10_000_000;
export const FACILITY_CSV_MAX_ROWS = 5_000;

/** Why a file of `size` bytes is not read at all, or null; checked before the file is read. */
export function facilityCsvTooLarge(size: number): string | null {
  if (size <= FACILITY_CSV_MAX_BYTES) return null;
  return `ファイルが大きすぎます（${(size / 1_000_000).toFixed(1)} MB）。一度に取り込めるのは ${FACILITY_CSV_MAX_BYTES / 1_000_000} MB、${FACILITY_CSV_MAX_ROWS.toLocaleString('ja-JP')} 件までです。分けて取り込んでください。`;
}

/** A problem with the file as a whole; the message is Japanese and tells the user what to do. */
export class FacilityCsvError extends Error {
  override readonly name = 'FacilityCsvError';
}

export type CsvEncoding = 'UTF-8' | 'UTF-8 (BOM)' | 'Shift_JIS';

export interface FacilityImportRow {
  /** Line in the file where the row starts (the header is line 1; a cell may span lines). */
  readonly line: number;
  readonly officeNumber: string;
  readonly name: string;
  readonly action: 'create' | 'update' | 'unchanged';
  readonly errors: readonly FacilityCsvCellError[];
  /** Cells read other than as written (a leading 0 Excel dropped, put back); the row is still taken. */
  readonly notices: readonly FacilityCsvCellNotice[];
  /** The record to store; null when the row has errors. */
  readonly facility: Facility | null;
  /**
   * What an 'update' changes of the stored facility, field by field (empty for any other row): an
   * import has no undo, so a hand-kept 夜間連絡先 a city list replaces is seen before it goes.
   */
  readonly changes: readonly FacilityFieldChange[];
  /**
   * The stored facility the row was read against, null for a new one: a report or an edit synced
   * while the preview is open is merged over it when the rows are written, not overwritten.
   */
  readonly stored: Facility | null;
}

export interface FacilityImportPreview {
  readonly encoding: CsvEncoding;
  readonly rows: readonly FacilityImportRow[];
  /** Headers this layout does not know; their cells are not read. */
  readonly ignoredColumns: readonly string[];
  /**
   * True when the file seems to say what the facilities accept but no 受入 column was read: none is
   * recognised while others are not, or 身体障がい stands alone over its five types. A facility
   * created from such a file accepts nobody; the screen says so in red.
   */
  readonly acceptanceUnread: boolean;
  readonly errorCount: number;
  /** True when no row has an error: only then may the caller write the rows. */
  readonly ok: boolean;
}

const UNKNOWN_ENCODING = '文字コードを判別できません。UTF-8 または Shift_JIS で保存してください。';
const WHOLE_ROW = '行全体';
const NUL_IN_TEXT = 'ファイルに表示できない制御文字（NUL）が含まれているため、取り込めません。ファイルを作ったソフトで CSV（UTF-8 または Shift_JIS）として保存し直してから選んでください。';

// ---- decoding ----

/** UTF-8 (with or without BOM) wins when the bytes are valid UTF-8; otherwise Shift_JIS (CP932). */
export function decodeCsvBytes(bytes: Uint8Array): { text: string; encoding: CsvEncoding } {
  return decode(bytes, decodeShiftJis);
}

/**
 * Stands in the text for a Shift_JIS character that has no Unicode reading (外字 F040–F9FC, a
 * stray byte such as 0x80). encoding-japanese reads those as '?', which stored 「?田ホーム」 over
 * the right name; a Shift_JIS file cannot hold U+FFFD itself, so the mark is never the file's own.
 */
const UNREADABLE = '\uFFFD';
const UNREADABLE_MESSAGE = '読めない文字（Shift_JIS の外字など）が含まれています。その文字を置き換えてから取り込んでください';

function decode(bytes: Uint8Array, shiftJis: (bytes: Uint8Array) => string): { text: string; encoding: CsvEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    const text = decodeUtf8(bytes.subarray(3));
    if (text === null) throw new FacilityCsvError(UNKNOWN_ENCODING);
    // The hub stores no text with a NUL (storable-text.ts): a row holding one saved here, and was
    // refused at every push. (A lone surrogate, its other refusal, no decoder here can write.)
    if (text.includes('\u0000')) throw new FacilityCsvError(NUL_IN_TEXT);
    return { text, encoding: 'UTF-8 (BOM)' };
  }
  // NUL bytes mean UTF-16 ("Unicode テキスト" in Excel), which both decoders below would accept as garbage.
  if (bytes.includes(0)) throw new FacilityCsvError(UNKNOWN_ENCODING);
  const utf8 = decodeUtf8(bytes);
  if (utf8 !== null) return { text: utf8, encoding: 'UTF-8' };
  if (Encoding.detect(bytes, 'SJIS') === 'SJIS') return { text: shiftJis(bytes), encoding: 'Shift_JIS' };
  throw new FacilityCsvError(UNKNOWN_ENCODING);
}

function decodeShiftJis(bytes: Uint8Array): string {
  return Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS', type: 'string' });
}

const QUESTION_MARK = 0x3f;
const LINE_FEED = 0x0a;

function questionMarks(s: string): number {
  let n = 0;
  for (const ch of s) if (ch === '?') n++;
  return n;
}

function questionMarkBytes(bytes: Uint8Array): number {
  let n = 0;
  for (const b of bytes) if (b === QUESTION_MARK) n++;
  return n;
}

/**
 * As decodeShiftJis, with UNREADABLE where a byte or pair has no reading. Every '?' the decoder
 * writes that is not a '?' byte of the file is such a place; only a line that has one is read
 * again pair by pair (0x0A and 0x3F are never half of a pair, so lines and '?' bytes line up).
 */
function decodeShiftJisMarkingUnreadable(bytes: Uint8Array): string {
  const whole = decodeShiftJis(bytes);
  if (questionMarks(whole) === questionMarkBytes(bytes)) return whole;
  let text = '';
  for (let start = 0; start < bytes.length; ) {
    const lf = bytes.indexOf(LINE_FEED, start);
    const end = lf === -1 ? bytes.length : lf + 1;
    const line = bytes.subarray(start, end);
    const decoded = decodeShiftJis(line);
    text += questionMarks(decoded) === questionMarkBytes(line) ? decoded : decodeShiftJisByPairs(line);
    start = end;
  }
  return text;
}

const isLeadByte = (b: number) => (b >= 0x81 && b <= 0x9f) || (b >= 0xe0 && b <= 0xfc);
const isTrailByte = (b: number) => b >= 0x40 && b <= 0xfc && b !== 0x7f;
/** User-defined characters (外字): no font but the one that typed them shows them. */
const isGaijiLeadByte = (b: number) => b >= 0xf0 && b <= 0xf9;

/** Each byte pair's reading, read once: a file with a 外字 on every line is read pair by pair (seconds, not a minute). */
const pairReadings = new Map<number, string>();

function readPair(char: Uint8Array): string {
  const key = char.length === 2 ? (char[0]! << 8) | char[1]! : char[0]!;
  let reading = pairReadings.get(key);
  if (reading === undefined) {
    const decoded = decodeShiftJis(char);
    reading = decoded.includes('?') || decoded === '' ? UNREADABLE : decoded;
    pairReadings.set(key, reading);
  }
  return reading;
}

function decodeShiftJisByPairs(line: Uint8Array): string {
  let text = '';
  for (let i = 0; i < line.length; ) {
    const b = line[i]!;
    const size = isLeadByte(b) && i + 1 < line.length && isTrailByte(line[i + 1]!) ? 2 : 1;
    const char = line.subarray(i, i + size);
    i += size;
    if (b === QUESTION_MARK) text += '?';
    else if (size === 1 && b >= 0x80 && !(b >= 0xa1 && b <= 0xdf)) text += UNREADABLE; // a lead byte without its pair, or no character
    else if (isGaijiLeadByte(b)) text += UNREADABLE;
    else text += readPair(char);
  }
  return text;
}

function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}

// ---- import ----

interface RawRow {
  readonly line: number;
  readonly cells: readonly string[];
  readonly parseError: string | null;
}

function readRows(text: string): RawRow[] {
  const rows: RawRow[] = [];
  let start = 0;
  let line = 1;
  // step gives each record's end offset, so a record's first line is known even when a quoted cell spans lines.
  Papa.parse<string[]>(text, {
    header: false,
    skipEmptyLines: false,
    step: (result) => {
      const end = result.meta.cursor;
      // A quote left open swallows the lines after it; a stray one ("ひかり"ホーム) runs the next row
      // into this one's cell. Either way the row is not what the file meant: it is refused.
      const codes = new Set(result.errors.map((e) => e.code));
      const parseError = codes.has('MissingQuotes')
        ? '引用符 (") が閉じていません'
        : codes.has('InvalidQuotes')
          ? '引用符 (") の使い方が正しくありません。値の中の「"」は「""」と2つ重ねてください（次の行と1つにつながっています）'
          : null;
      rows.push({ line, cells: result.data, parseError });
      line += countLineBreaks(text.slice(start, end));
      start = end;
    },
  });
  return rows;
}

function countLineBreaks(s: string): number {
  return s.match(/\r\n|\r|\n/g)?.length ?? 0;
}


export function parseFacilityCsv(
  bytes: Uint8Array,
  existing: readonly Facility[],
  now: IsoInstant,
  newId: () => string,
): FacilityImportPreview {
  const tooLarge = facilityCsvTooLarge(bytes.length);
  if (tooLarge !== null) throw new FacilityCsvError(tooLarge);
  const { text, encoding } = decode(bytes, decodeShiftJisMarkingUnreadable);
  const records = readRows(text).filter((r) => r.parseError !== null || r.cells.some((c) => c.trim() !== ''));
  const header = records.shift();
  if (!header) throw new FacilityCsvError('ファイルが空です。1行目に見出し（事業所番号、事業所名 など）が必要です。');
  if (records.length > FACILITY_CSV_MAX_ROWS) {
    throw new FacilityCsvError(`行が多すぎます（${records.length.toLocaleString('ja-JP')} 行）。一度に取り込めるのは ${FACILITY_CSV_MAX_ROWS.toLocaleString('ja-JP')} 件までです。分けて取り込んでください。`);
  }
  refuseOtherHeader(header, records);

  const indexOf = new Map<string, number>();
  const ignoredColumns: string[] = [];
  header.cells.forEach((cell, i) => {
    const name = columnOfHeader(cell);
    const first = name === undefined ? undefined : indexOf.get(name);
    if (name === undefined) {
      if (cell.trim() !== '') ignoredColumns.push(cell.trim());
    } else if (first !== undefined) {
      const other = header.cells[first]!.trim();
      const which = other === cell.trim() ? `列「${name}」が2つあります` : `列「${other}」と「${cell.trim()}」は同じ列（${name}）です`;
      throw new FacilityCsvError(`${which}。どちらか一方を削除してください。`);
    } else {
      indexOf.set(name, i);
    }
  });
  const missing = FACILITY_CSV_REQUIRED_HEADERS.filter((h) => !indexOf.has(h));
  if (missing.length > 0) throw new FacilityCsvError(`必須の列がありません: ${missing.join('、')}`);
  const acceptanceUnread =
    ignoredColumns.some(isPhysicalGroupHeading) || (ignoredColumns.length > 0 && ![...indexOf.keys()].some(isAcceptanceColumn));

  // One office registered twice (two phones offline): its row updates the record the match shows.
  const byOfficeNumber = new Map(oneRecordPerOffice(existing, Date.parse(now)).map((f) => [officeNumberKey(f.officeNumber), f] as const));
  const twinsOf = officeTwins(existing);
  const firstLineOf = new Map<string, number>();
  const officeNumberOf = (record: (typeof records)[number]): string => {
    const i = indexOf.get(COLUMN.officeNumber);
    // written in groups as a city's list may write it ('12-3456-7890'), as the form takes it
    return i === undefined || i >= record.cells.length ? '' : withoutDigitSeparators(fromCsvCell(record.cells[i]!).trim());
  };
  // Excel drops the leading 0 of every number in the column it saved as numbers: a 9-digit 事業所番号
  // gets its 0 back when no number of the file starts with 1-9 (a whole column of 01–09 prefectures),
  // or when it names a facility held. A 9-digit one among 10-digit ones is a digit missing: an error.
  const strippedColumn = !records.some((record) => /^[1-9]\d{9}$/.test(officeNumberOf(record)));

  const rows = records.map((record): FacilityImportRow => {
    const findings: RowFindings = { errors: [], notices: [] };
    const { errors, notices } = findings;
    if (record.parseError) errors.push({ column: WHOLE_ROW, message: record.parseError });
    if (record.cells.length > header.cells.length) {
      errors.push({ column: WHOLE_ROW, message: '見出しより列が多くなっています。値の中の「,」を確認してください。' });
    }
    const cell = (column: string): string | undefined => {
      const i = indexOf.get(column);
      // A row that ends before the column (Excel leaves off a row's trailing blank cells) says
      // nothing of it: the stored value stays, as for a column the file leaves out. Read as blank,
      // it wiped what the facility accepts (a blank 受入れ cell means 不可).
      return i === undefined || i >= record.cells.length ? undefined : fromCsvCell(record.cells[i]!).trim();
    };

    const written = officeNumberOf(record);
    const padded = restoreLeadingZero(written, [10]);
    const restored = padded !== null && (strippedColumn || byOfficeNumber.has(padded)) ? padded : null;
    if (restored !== null) notices.push({ column: COLUMN.officeNumber, message: leadingZeroRestored(restored) });
    const officeNumber = restored ?? written;
    const name = cell(COLUMN.name) ?? '';
    if (!/^\d{10}$/.test(officeNumber)) {
      const hint = padded !== null ? `（9桁です。1桁抜けていないか確認してください。Excel で先頭の0が消えた場合は ${padded} です）` : '';
      errors.push({ column: COLUMN.officeNumber, message: `事業所番号は10桁の数字です${hint}` });
    } else {
      const firstLine = firstLineOf.get(officeNumber);
      if (firstLine === undefined) firstLineOf.set(officeNumber, record.line);
      else errors.push({ column: COLUMN.officeNumber, message: `事業所番号 ${officeNumber} が ${firstLine} 行目と重複しています` });
    }
    if (name === '') errors.push({ column: COLUMN.name, message: '事業所名が空です' });
    for (const [column, i] of indexOf) {
      if (record.cells[i]?.includes(UNREADABLE)) errors.push({ column, message: UNREADABLE_MESSAGE });
    }

    const previous = byOfficeNumber.get(officeNumber);
    const twins = previous ? twinsOf.get(previous.id) : undefined;
    if (twins) notices.push({ column: COLUMN.officeNumber, message: twinsNotice(previous!, twins) });
    const base = previous ?? emptyFacility('', now);
    const fields = readFields(cell, base, previous === undefined, findings);
    // A report from the future would be shown as a past one: refused, with the row named.
    const future = fields.vacancy ? futureReportError(fields.vacancy.asOf, now) : null;
    if (future) errors.push({ column: COLUMN.vacancyAsOf, message: future });
    const action = previous ? 'update' : 'create';
    const row = { line: record.line, officeNumber, name, action, errors, notices, stored: previous ?? null, changes: [] } as const;
    if (errors.length > 0) return { ...row, facility: null };

    // A report the file replaces goes to the history, as a report made on the screen does.
    const replaced = previous?.vacancy && fields.vacancy !== undefined && fields.vacancy !== previous.vacancy ? previous.vacancy : null;
    const history = replaced ? { vacancyHistory: historyAfter({ vacancy: replaced, vacancyHistory: previous?.vacancyHistory }, now) } : {};
    const read: Facility = { ...base, ...fields, ...history, officeNumber, name };
    const candidate = previous ? (keepStoredWhereSame(read, previous) as Facility) : null;
    if (previous && deepEqual(candidate, previous)) return { ...row, action: 'unchanged', facility: previous };
    const facility: Facility = candidate ? { ...candidate, updatedAt: now } : { ...read, id: newId(), createdAt: now, updatedAt: now };
    // The hub takes no record above MAX_RECORD_BYTES: a row it would refuse never syncs, so it is refused here.
    if (recordTooLarge(facility) !== null) {
      const longest = longestColumn(record, indexOf);
      const message = recordTooLarge(facility, `「${longest}」の文章を短くしてから取り込んでください。`)!;
      return { ...row, errors: [{ column: longest, message }], facility: null };
    }
    return { ...row, facility, changes: previous ? facilityChanges(previous, facility) : [] };
  });

  const errorCount = rows.reduce((n, r) => n + r.errors.length, 0);
  return { encoding, rows, ignoredColumns, acceptanceUnread, errorCount, ok: errorCount === 0 };
}

/** The read column whose cell is longest (in UTF-8 bytes, as the hub counts): the one to shorten. */
function longestColumn(record: RawRow, indexOf: ReadonlyMap<string, number>): string {
  const size = (column: string) => new TextEncoder().encode(record.cells[indexOf.get(column)!] ?? '').length;
  return [...indexOf.keys()].reduce((longest, column) => (size(column) > size(longest) ? column : longest));
}

/** How many lines from the top a header below a title row (「短期入所事業所一覧（令和8年4月1日現在）」) is looked for. */
const HEADER_SEARCH_LINES = 10;

/** Headers only the claim exports carry (記録ID, 算定判定, 受給者証番号 …), not a facility column. */
const CLAIM_ONLY_HEADERS: ReadonlySet<string> = new Set(
  [...CLAIM_DETAIL_HEADERS, ...CLAIM_SUMMARY_HEADERS].filter((h) => columnOfHeader(h) === undefined).map(headerText),
);
/**
 * A few (メモ, 氏名, 結果) could head a city's own column: three, one of them a claim file's own
 * (its month, a record's id, a count of claims), are a claim file, even with columns deleted.
 */
const CLAIM_FILE_MIN_HEADERS = 3;
const CLAIM_FILE_OWN_HEADERS: ReadonlySet<string> = new Set(['対象月', '記録ID', '算定回数', '単位数', '要請のあった時間'].map(headerText));

function headerText(cell: string): string {
  return cell.normalize('NFKC').replace(/\s+/g, '');
}

function carriesRequiredHeaders(record: RawRow): boolean {
  const columns = new Set(record.cells.map(columnOfHeader));
  return FACILITY_CSV_REQUIRED_HEADERS.every((h) => columns.has(h));
}

/**
 * Refuses a file whose first line is not this list's header, saying what the file is instead: a
 * header with unreadable characters, a claim export (it too has 事業所名 and 事業所番号, so one
 * row of it read as a facility), or a header below a title row. Rows are never skipped to find
 * it: the file is taken whole or not at all.
 */
function refuseOtherHeader(header: RawRow, records: readonly RawRow[]): void {
  const unreadable = header.cells.find((c) => c.includes(UNREADABLE));
  if (unreadable !== undefined) {
    throw new FacilityCsvError(`${header.line}行目の見出し「${unreadable.trim().replaceAll(UNREADABLE, '■')}」に${UNREADABLE_MESSAGE}。`);
  }
  const claimHeaders = header.cells.map(headerText).filter((c) => CLAIM_ONLY_HEADERS.has(c));
  if (claimHeaders.length >= CLAIM_FILE_MIN_HEADERS && claimHeaders.some((c) => CLAIM_FILE_OWN_HEADERS.has(c))) {
    throw new FacilityCsvError('これは相談強化加算の請求用CSVです。短期入所事業所の一覧のCSVを選んでください。');
  }
  if (carriesRequiredHeaders(header)) return;
  const below = records.find((r) => r.line <= HEADER_SEARCH_LINES && carriesRequiredHeaders(r));
  if (below) throw new FacilityCsvError(`見出しの行が1行目にありません（${below.line}行目にあります）。その上の行を削除してから取り込んでください。`);
}

const twinsNotice = (updated: Facility, twins: readonly Facility[]) =>
  `同じ事業所番号の登録が${twins.length + 1}件あります。この行は受入先を探す画面に出る「${updated.name.trim() || updated.id}」に反映し、${twins.map((t) => `「${t.name.trim() || t.id}」`).join('')}は変えません`;

/**
 * Where the file says what is stored in other words, the stored value: the same 拠点機能 or 医療的ケア
 * in another order (the form keeps them in the order ticked, the file in the list's), or text a
 * Shift_JIS round trip changed (〜 comes back as ～, − as －). An untouched export then reads back
 * as 変更なし, and an update changes only what the file changed.
 */
function keepStoredWhereSame(read: unknown, stored: unknown): unknown {
  if (typeof read === 'string' && typeof stored === 'string') return sameAfterShiftJisRoundTrip(read, stored) ? stored : read;
  if (Array.isArray(read) || Array.isArray(stored)) return isStringList(read) && isStringList(stored) && sameMembers(read, stored) ? stored : read;
  if (typeof read !== 'object' || typeof stored !== 'object' || read === null || stored === null) return read;
  const storedFields = stored as Record<string, unknown>;
  return Object.fromEntries(Object.entries(read).map(([k, v]) => [k, k in storedFields ? keepStoredWhereSame(v, storedFields[k]) : v]));
}

function isStringList(v: unknown): v is readonly string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  const inB = new Set(b);
  return new Set(a).size === inB.size && a.every((x) => inB.has(x));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => k in b && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

// ---- export ----

/**
 * The list as CSV in FACILITY_CSV_HEADERS order. UTF-8 carries a BOM so that Excel opens it as UTF-8.
 * Shift_JIS cannot hold every character (emoji, some rare kanji); rather than write '?' in their
 * place, it throws so the user can export as UTF-8 instead.
 */
/**
 * The report the CSV's three bed columns carry: the one the match reads for tonight when it holds
 * tonight (a weekend's on its own nights too: its beds are tonight's); else the latest report for
 * now (no period), the current one or one a report for dates ahead replaced, with its time.
 */
function nowReport(f: Facility, nowMs: number): Vacancy | null {
  const tonight = reportForNight(f, nowMs);
  if (tonight !== null) {
    const standing = vacancyStanding(tonight, nowMs);
    if (standing === 'fresh' || standing === 'full') return tonight;
  }
  let latest: Vacancy | null = null;
  for (const v of [f.vacancy, ...(f.vacancyHistory ?? [])]) {
    if (v && v.from === undefined && (latest === null || Date.parse(v.asOf) > Date.parse(latest.asOf))) latest = v;
  }
  return latest;
}

export function exportFacilityCsv(facilities: readonly Facility[], encoding: 'UTF-8' | 'Shift_JIS', nowMs = Date.now()): Uint8Array {
  const data = facilities.map((f) => {
    const report = nowReport(f, nowMs);
    return [
    f.officeNumber,
    f.name,
    f.serviceType,
    f.unitType,
    f.address,
    f.area,
    f.phone,
    f.nightPhone,
    f.fax,
    f.email,
    formatLabelList(f.hubFunctions, HUB_FUNCTION_LABELS),
    f.liaison,
    String(f.capacity),
    ...DISABILITY_TYPES.flatMap((t) => [formatAcceptanceCell(f.acceptance[t]), f.acceptance[t].note]),
    formatLabelList(f.medicalCare, MEDICAL_CARE_LABELS),
    f.emergencyRequestHow,
    // A report for dates ahead (the weekend) is not written: the file has no period, and read back
    // elsewhere its beds would read as free tonight. With no report for now, the file says nothing about beds.
    ...(report ? [String(report.beds), formatJapanDateTimeCsv(report.asOf), report.reportedBy] : ['', '', '']),
    ...closureCells(f.closure),
    ];
  });
  const text = toCsv(FACILITY_CSV_HEADERS, data);
  if (encoding === 'UTF-8') return encodeUtf8WithBom(text);
  try {
    return encodeShiftJis(text);
  } catch (e) {
    if (!(e instanceof ShiftJisUnencodableError)) throw e;
    throw new FacilityCsvError(`Shift_JIS で表せない文字があります（${shownChars(e.chars)}）。UTF-8 で書き出してください。`);
  }
}
