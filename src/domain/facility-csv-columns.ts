/**
 * The column layout of the facility CSV (docs/facility-csv.md) and the codecs for its cell values.
 * Import and export share these, so a file this app writes always reads back the same.
 */
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS, type DisabilityType } from './disability';
import {
  CLOSURE_KINDS,
  CLOSURE_LABELS,
  closurePeriodText,
  closureProblem,
  FACILITY_SERVICE_TYPES,
  FACILITY_UNIT_TYPES,
  facilityPhoneProblem,
  HUB_FUNCTIONS,
  HUB_FUNCTION_LABELS,
  isPlausibleEmail,
  type Acceptance,
  type Facility,
  type FacilityClosure,
  type Vacancy,
} from './facility';
import type { IsoDate, IsoInstant } from './household';
import { daysInMonth, formatJapanDateTimeCsv, instantAtJapanWallClock, isValidIsoDate } from './japan-time';
import { MAX_BEDS } from './vacancy-report';

export const COLUMN = {
  officeNumber: '事業所番号',
  name: '事業所名',
  serviceType: 'サービス種別',
  unitType: '類型',
  address: '住所',
  area: '地区',
  phone: '電話番号',
  nightPhone: '夜間連絡先',
  fax: 'FAX',
  email: 'メール',
  hubFunctions: '拠点機能',
  liaison: '連携担当者',
  capacity: '定員',
  medicalCare: '対応できる医療的ケア',
  emergencyRequestHow: '緊急時の受入れ依頼方法',
  vacancyBeds: '空床数',
  vacancyAsOf: '空床報告日時',
  vacancyReportedBy: '空床報告者',
  closureKind: '休止・廃止',
  closureFrom: '休止・廃止の開始日',
  closureUntil: '休止の最終日',
  closureNote: '休止・廃止の備考',
} as const;

/** 受入 column of a disability type: the label exactly as the registration form prints it. */
export function acceptanceColumn(t: DisabilityType): string {
  return DISABILITY_LABELS[t];
}

export function acceptanceNoteColumn(t: DisabilityType): string {
  return `${DISABILITY_LABELS[t]} 備考`;
}

/** Every column in file order; the exporter writes exactly these, the importer looks for them. */
export const FACILITY_CSV_HEADERS: readonly string[] = [
  COLUMN.officeNumber,
  COLUMN.name,
  COLUMN.serviceType,
  COLUMN.unitType,
  COLUMN.address,
  COLUMN.area,
  COLUMN.phone,
  COLUMN.nightPhone,
  COLUMN.fax,
  COLUMN.email,
  COLUMN.hubFunctions,
  COLUMN.liaison,
  COLUMN.capacity,
  ...DISABILITY_TYPES.flatMap((t) => [acceptanceColumn(t), acceptanceNoteColumn(t)]),
  COLUMN.medicalCare,
  COLUMN.emergencyRequestHow,
  COLUMN.vacancyBeds,
  COLUMN.vacancyAsOf,
  COLUMN.vacancyReportedBy,
  COLUMN.closureKind,
  COLUMN.closureFrom,
  COLUMN.closureUntil,
  COLUMN.closureNote,
];

/** Without these a row cannot be matched or shown; every other column may be left out of a file. */
export const FACILITY_CSV_REQUIRED_HEADERS: readonly string[] = [COLUMN.officeNumber, COLUMN.name];

/**
 * The key a header or a label is compared by: NFKC (so half-width '(' matches the form's '（' and
 * '･' matches '・') without any whitespace, since spreadsheets gather stray spaces.
 */
export function headerKey(s: string): string {
  return s.normalize('NFKC').replace(/\s+/g, '');
}

/** headerKey, with 障がい and 障碍 read as 障害: the city's forms write 障がい, lists often 障害. */
function headerMatchKey(s: string): string {
  return headerKey(s).replace(/障がい|障碍/g, '障害');
}

/**
 * Other headers of a 受入 column, as the city's form prints its rows (別紙「緊急時に受入れ可能な
 * 障がいの種類」: 知的障がい, 医療的ケアを必要とする方, 身体障がい split into 視覚 … 内部).
 */
function acceptanceAliases(t: DisabilityType): string[] {
  const physical = /^身体（(.+)）$/.exec(DISABILITY_LABELS[t])?.[1];
  if (physical !== undefined) return ['身体障害', '身体'].flatMap((group) => [`${group}（${physical}）`, `${group} ${physical}`, `${group}・${physical}`]);
  if (t === 'medical-care') return ['医療的ケアを必要とする方'];
  if (t === 'intellectual' || t === 'mental' || t === 'developmental') return [`${DISABILITY_LABELS[t]}障害`];
  return [];
}

const NOTE_SUFFIXES = ['備考', '備考（受入れ条件など）'];

const HEADER_BY_KEY: ReadonlyMap<string, string> = new Map([
  ...FACILITY_CSV_HEADERS.map((h) => [headerMatchKey(h), h] as const),
  ...DISABILITY_TYPES.flatMap((t) =>
    acceptanceAliases(t).flatMap((alias) => [
      [headerMatchKey(alias), acceptanceColumn(t)] as const,
      ...NOTE_SUFFIXES.map((suffix) => [headerMatchKey(`${alias} ${suffix}`), acceptanceNoteColumn(t)] as const),
    ]),
  ),
]);

/** The column of FACILITY_CSV_HEADERS a header cell names (its own name or one the city prints), or undefined. */
export function columnOfHeader(cell: string): string | undefined {
  return HEADER_BY_KEY.get(headerMatchKey(cell));
}

const ACCEPTANCE_COLUMNS: ReadonlySet<string> = new Set(DISABILITY_TYPES.map(acceptanceColumn));

export function isAcceptanceColumn(column: string): boolean {
  return ACCEPTANCE_COLUMNS.has(column);
}

/** 身体障がい with no type: the form's heading over five columns (視覚 … 内部), not one of them. */
export function isPhysicalGroupHeading(cell: string): boolean {
  return ['身体', '身体障害'].includes(headerMatchKey(cell));
}

// ---- 受入 (者 / 児) ----

const ACCEPTANCE_VALUES: Readonly<Record<string, Pick<Acceptance, 'adult' | 'child'>>> = {
  '者・児': { adult: true, child: true },
  '児・者': { adult: true, child: true },
  者児: { adult: true, child: true },
  両方: { adult: true, child: true },
  者: { adult: true, child: false },
  児: { adult: false, child: true },
  不可: { adult: false, child: false },
  '': { adult: false, child: false },
};

export const ACCEPTANCE_ALLOWED = '者・児 / 者 / 児 / 不可';

export function parseAcceptanceCell(cell: string): Pick<Acceptance, 'adult' | 'child'> | null {
  return ACCEPTANCE_VALUES[headerKey(cell)] ?? null;
}

export function formatAcceptanceCell(a: Acceptance): string {
  if (a.adult && a.child) return '者・児';
  if (a.adult) return '者';
  if (a.child) return '児';
  return '不可';
}

// ---- label lists (拠点機能, 医療的ケア) ----

/**
 * Parses labels joined by 「・」 or 「、」. Several labels themselves contain 「・」
 * ('緊急時の受け入れ・対応', '胃ろう・腸ろう'), so the cell is not split on 「・」: known labels are
 * matched longest first and a 「・」 between them is read as a separator.
 * Returns the codes in their canonical order without duplicates, or the first unknown piece.
 */
export function parseLabelList<K extends string>(
  cell: string,
  codes: readonly K[],
  labels: Readonly<Record<K, string>>,
): { ok: true; value: K[] } | { ok: false; unknown: string } {
  const byLength = codes.map((code) => ({ code, key: headerKey(labels[code]) })).sort((a, b) => b.key.length - a.key.length);
  const found = new Set<K>();
  for (const segment of headerKey(cell).split(/[、,，/／\n]/)) {
    let rest = segment;
    while (rest !== '') {
      const match = byLength.find((l) => rest.startsWith(l.key) && (rest.length === l.key.length || rest[l.key.length] === '・'));
      if (!match) return { ok: false, unknown: rest.split('・')[0] ?? rest };
      found.add(match.code);
      rest = rest.slice(match.key.length).replace(/^・/, '');
    }
  }
  return { ok: true, value: codes.filter((c) => found.has(c)) };
}

/** Joined by 「、」 rather than 「・」 because labels contain 「・」; the importer reads both. */
export function formatLabelList<K extends string>(values: readonly K[], labels: Readonly<Record<K, string>>): string {
  return values.map((v) => labels[v]).join('、');
}

// ---- 空床報告日時 (Japan time) ----

// Excel rewrites '2026-11-23 02:10' as '2026/11/23 2:10' when the file is saved again, so both are read.
const JAPAN_DATE_TIME = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$/;

/** 'YYYY-MM-DD HH:mm' in Japan time → UTC instant, or null when it is not a real date and time. */
export function parseJapanDateTimeCell(cell: string): IsoInstant | null {
  const m = JAPAN_DATE_TIME.exec(cell.normalize('NFKC').trim().replace(/\s+/g, ' '));
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return instantAtJapanWallClock(year, month, day, hour, minute, second);
}

// ---- 休止・廃止の日付 (a Japan date) ----

// Excel rewrites '2026-12-10' as '2026/12/10' when the file is saved again, so both are read.
const DATE_CELL = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/;

/** 'YYYY-MM-DD' or 'YYYY/M/D' → the ISO date, or null when it is not a real day. */
function parseDateCell(cell: string): IsoDate | null {
  const m = DATE_CELL.exec(cell.normalize('NFKC').trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidIsoDate(date) ? date : null;
}

/** The four cells of a 休止・廃止 (the kind, its first day, a 休止's last day, the note), as the export writes them. */
export function closureCells(c: FacilityClosure | null | undefined): [string, string, string, string] {
  return c ? [CLOSURE_LABELS[c.kind], c.from, c.until ?? '', c.note] : ['', '', '', ''];
}

// ---- a row's cells → Facility fields ----

export interface FacilityCsvCellError {
  /** The header of the offending column; '行全体' when the row as a whole is broken. */
  readonly column: string;
  readonly message: string;
}

/** Something the importer changed in a cell rather than refuse it; shown in the preview. */
export type FacilityCsvCellNotice = FacilityCsvCellError;

/** What reading a row found: errors refuse the row, notices only tell what was read differently. */
export interface RowFindings {
  readonly errors: FacilityCsvCellError[];
  readonly notices: FacilityCsvCellNotice[];
}

/** A new facility's blank 定員, taken as 0 (the facility form asks for it at its next save). */
export const CAPACITY_BLANK = '定員が空のため0として取り込みます。事業所の画面で正しい定員を入れてください';

export function leadingZeroRestored(value: string): string {
  return `先頭の0を補いました: ${value}（Excel で保存すると消えることがあります）`;
}

/**
 * Excel stores a cell of digits only as a number and drops its leading 0 ('0471234567' comes back
 * as '471234567'). A phone number always starts with 0, and so does a 事業所番号 of the prefectures
 * 01–09: digits only, one short of `lengths` and not starting with 0, are that number with its 0 lost.
 */
export function restoreLeadingZero(cell: string, lengths: readonly number[]): string | null {
  return /^[1-9]\d+$/.test(cell) && lengths.includes(cell.length + 1) ? `0${cell}` : null;
}

export type Cell = (column: string) => string | undefined;
export type Fields = Partial<Omit<Facility, 'id' | 'createdAt' | 'updatedAt' | 'officeNumber' | 'name'>>;

/**
 * The fields of the columns present in the file; a column left out keeps the stored (or empty) value.
 * `base` is the stored facility, or an empty one when `creating`.
 */
export function readFields(cell: Cell, base: Facility, creating: boolean, findings: RowFindings): Fields {
  const fields: { -readonly [K in keyof Fields]: Fields[K] } = {};
  const fail = (column: string, message: string) => findings.errors.push({ column, message });
  const text = (column: string, set: (v: string) => void) => {
    const v = cell(column);
    if (v !== undefined) set(v);
  };
  // Phone numbers are 10 digits (fixed lines) or 11 (mobiles), with their leading 0. The two the
  // coordinator taps at night must be numbers that can be dialled (as on the form); the fax is kept as written.
  const phone = (column: string, set: (v: string) => void, held: string | null) =>
    text(column, (v) => {
      const restored = restoreLeadingZero(v, [10, 11]);
      // the facility's own stored number (an export read back in) is taken as it is
      const problem = held === null ? null : facilityPhoneProblem(restored ?? v, held);
      if (problem) return fail(column, `"${v}": ${problem}`);
      if (restored !== null) findings.notices.push({ column, message: leadingZeroRestored(restored) });
      set(restored ?? v);
    });

  text(COLUMN.serviceType, (v) => {
    const t = v.normalize('NFKC');
    if (isOneOf(FACILITY_SERVICE_TYPES, t)) fields.serviceType = t;
    else fail(COLUMN.serviceType, `サービス種別は ${FACILITY_SERVICE_TYPES.join(' / ')} のどちらかです`);
  });
  text(COLUMN.unitType, (v) => {
    const t = v.normalize('NFKC');
    if (isOneOf(FACILITY_UNIT_TYPES, t)) fields.unitType = t;
    else fail(COLUMN.unitType, `類型は ${FACILITY_UNIT_TYPES.join(' / ')} のいずれかです`);
  });
  text(COLUMN.address, (v) => (fields.address = v));
  text(COLUMN.area, (v) => (fields.area = v));
  phone(COLUMN.phone, (v) => (fields.phone = v), base.phone);
  phone(COLUMN.nightPhone, (v) => (fields.nightPhone = v), base.nightPhone);
  phone(COLUMN.fax, (v) => (fields.fax = v), null);
  text(COLUMN.email, (raw) => {
    // 'info＠example．jp' as typed with the IME on, as the form takes it
    const v = raw.normalize('NFKC');
    if (isPlausibleEmail(v)) fields.email = v;
    else fail(COLUMN.email, `"${v}" はメールアドレスの形式ではありません（例：tanki@example.jp）`);
  });
  text(COLUMN.liaison, (v) => (fields.liaison = v));
  text(COLUMN.emergencyRequestHow, (v) => (fields.emergencyRequestHow = v));
  text(COLUMN.hubFunctions, (v) => {
    const r = parseLabelList(v, HUB_FUNCTIONS, HUB_FUNCTION_LABELS);
    if (r.ok) fields.hubFunctions = r.value;
    else fail(COLUMN.hubFunctions, `"${r.unknown}" は拠点機能の名前ではありません（${HUB_FUNCTIONS.map((f) => HUB_FUNCTION_LABELS[f]).join(' / ')}）`);
  });
  text(COLUMN.medicalCare, (v) => {
    const r = parseLabelList(v, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS);
    if (r.ok) fields.medicalCare = r.value;
    else fail(COLUMN.medicalCare, `"${r.unknown}" は医療的ケアの名前ではありません（${MEDICAL_CARE_KINDS.map((k) => MEDICAL_CARE_LABELS[k]).join(' / ')}）`);
  });
  text(COLUMN.capacity, (v) => {
    // A blank cell on a stored facility says nothing of it. A new one is taken with 0, said in the
    // preview: a city's list often leaves 定員 blank, and one such row must not stop the whole file.
    if (v === '') {
      if (creating) findings.notices.push({ column: COLUMN.capacity, message: CAPACITY_BLANK });
      return;
    }
    const n = parseCount(v);
    if (n === null) fail(COLUMN.capacity, '定員は0以上の整数です');
    else fields.capacity = n;
  });

  const acceptance = { ...base.acceptance } as Record<(typeof DISABILITY_TYPES)[number], Acceptance>;
  for (const t of DISABILITY_TYPES) {
    const value = cell(acceptanceColumn(t));
    const note = cell(acceptanceNoteColumn(t));
    let { adult, child } = acceptance[t];
    if (value !== undefined) {
      const parsed = parseAcceptanceCell(value);
      if (parsed) ({ adult, child } = parsed);
      else fail(acceptanceColumn(t), `"${value}" は受入の値として使えません（${ACCEPTANCE_ALLOWED}）`);
    }
    acceptance[t] = { adult, child, note: note ?? acceptance[t].note };
  }
  fields.acceptance = acceptance;

  const vacancy = readVacancy(cell, base.vacancy, fail);
  if (vacancy !== undefined) fields.vacancy = vacancy;
  const closure = readClosure(cell, base.closure ?? null, fail);
  if (closure !== undefined) fields.closure = closure;
  if (!creating) noteCleared(fields, base, findings);
  return fields;
}

/**
 * undefined: the file has no 休止・廃止 columns (a city's list), and the stored one stays. Blank
 * cells: the office runs (a stored closure is cleared, said in the preview). Else a 休止 or 廃止
 * checked as the form checks it.
 */
function readClosure(cell: Cell, stored: FacilityClosure | null, fail: (column: string, message: string) => void): FacilityClosure | null | undefined {
  const kindCell = cell(COLUMN.closureKind);
  const fromCell = cell(COLUMN.closureFrom);
  const untilCell = cell(COLUMN.closureUntil);
  const noteCell = cell(COLUMN.closureNote);
  if (kindCell === undefined && fromCell === undefined && untilCell === undefined && noteCell === undefined) return undefined;
  const label = (kindCell ?? '').normalize('NFKC').trim();
  if (label === '') {
    if (fromCell || untilCell) fail(COLUMN.closureKind, '開始日があるときは「休止」か「廃止」を入れてください');
    // running: a stored closure is cleared; none stored, nothing changes
    return stored ? null : undefined;
  }
  const kind = CLOSURE_KINDS.find((k) => CLOSURE_LABELS[k] === label);
  if (kind === undefined) {
    fail(COLUMN.closureKind, `"${label}" は使えません（休止 / 廃止、運営中なら空欄）`);
    return undefined;
  }
  const from = fromCell ? parseDateCell(fromCell) : null;
  if (from === null) {
    fail(COLUMN.closureFrom, fromCell ? `"${fromCell}" は日付として読めません（例：2026-12-10）` : `${label}の開始日を入れてください（例：2026-12-10）`);
    return undefined;
  }
  const until = untilCell ? parseDateCell(untilCell) : null;
  if (untilCell && until === null) {
    fail(COLUMN.closureUntil, `"${untilCell}" は日付として読めません（例：2026-12-20）`);
    return undefined;
  }
  const closure: FacilityClosure = { kind, from, until, note: noteCell ?? (stored?.kind === kind ? stored.note : '') };
  const problem = closureProblem(closure);
  if (problem) {
    fail(problem.field === 'from' ? COLUMN.closureFrom : COLUMN.closureUntil, problem.message);
    return undefined;
  }
  return closure;
}

/**
 * An update that empties a field the night relies on (a blank cell of a city file that does not
 * keep it): said on the row of the preview, with the value it takes away, before anything is written.
 */
function noteCleared(fields: Fields, base: Facility, findings: RowFindings): void {
  const cleared = (column: string, was: string) => findings.notices.push({ column, message: `空欄のため、いまの値（${was}）を消します` });
  const texts = [
    [COLUMN.phone, 'phone'],
    [COLUMN.nightPhone, 'nightPhone'],
    [COLUMN.liaison, 'liaison'],
    [COLUMN.emergencyRequestHow, 'emergencyRequestHow'],
  ] as const;
  for (const [column, key] of texts) {
    const now = fields[key];
    if (now !== undefined && now.trim() === '' && base[key].trim() !== '') cleared(column, base[key]);
  }
  if (fields.hubFunctions !== undefined && fields.hubFunctions.length === 0 && base.hubFunctions.length > 0) {
    cleared(COLUMN.hubFunctions, base.hubFunctions.map((f) => HUB_FUNCTION_LABELS[f]).join('・'));
  }
  if (fields.medicalCare !== undefined && fields.medicalCare.length === 0 && base.medicalCare.length > 0) {
    cleared(COLUMN.medicalCare, base.medicalCare.map((k) => MEDICAL_CARE_LABELS[k]).join('・'));
  }
  if (fields.closure === null && base.closure) cleared(COLUMN.closureKind, closurePeriodText(base.closure));
}

/**
 * undefined: the stored report stays: the file has no vacancy columns, or leaves them blank (a list
 * kept by the city says nothing about tonight's beds), or holds an older report than the stored
 * one (a file from last week must not undo the liaison's report of this morning).
 */
function readVacancy(cell: Cell, stored: Vacancy | null, fail: (column: string, message: string) => void): Vacancy | null | undefined {
  const bedsCell = cell(COLUMN.vacancyBeds);
  const asOfCell = cell(COLUMN.vacancyAsOf);
  const reportedBy = cell(COLUMN.vacancyReportedBy);
  if (bedsCell === undefined && asOfCell === undefined && reportedBy === undefined) return undefined;
  if (!bedsCell && !asOfCell && !reportedBy) return undefined;
  // as the hub bounds a report (MAX_BEDS): a larger count stored here was refused there, and held every later report
  const count = bedsCell ? parseCount(bedsCell) : null;
  const beds = count !== null && count <= MAX_BEDS ? count : null;
  if (beds === null) fail(COLUMN.vacancyBeds, bedsCell ? `空床数は0〜${MAX_BEDS}の整数です` : '空床報告日時があるときは空床数も入れてください');
  let asOf = asOfCell ? parseJapanDateTimeCell(asOfCell) : null;
  if (asOf === null) {
    fail(COLUMN.vacancyAsOf, asOfCell ? `"${asOfCell}" は日時として読めません（例：2026-11-23 02:10）` : '空床数があるときは空床報告日時も入れてください');
  }
  if (beds === null || asOf === null) return undefined;
  // The file keeps minutes only, and no period or note: a stored report in the same minute is the
  // same report (exported, then imported again), kept whole unless its beds were changed in the file.
  if (stored && formatJapanDateTimeCsv(stored.asOf) === formatJapanDateTimeCsv(asOf)) {
    return beds === stored.beds && (reportedBy ?? stored.reportedBy) === stored.reportedBy ? stored : { ...stored, beds, reportedBy: reportedBy ?? stored.reportedBy };
  }
  if (stored && Date.parse(asOf) < Date.parse(stored.asOf)) return undefined;
  return { beds, asOf, reportedBy: reportedBy ?? stored?.reportedBy ?? '' };
}

function parseCount(cell: string): number | null {
  const s = cell.normalize('NFKC').replace(/\s+/g, '').replace(/[名人床]$/, '');
  return /^\d{1,4}$/.test(s) ? Number(s) : null;
}

function isOneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

// ---- what an update changes (shown before the import) ----

/** A field of the facility an import can change, named as the feature's form names it. */
export type FacilityChangeField =
  | 'name'
  | 'serviceType'
  | 'unitType'
  | 'address'
  | 'area'
  | 'phone'
  | 'nightPhone'
  | 'fax'
  | 'email'
  | 'hubFunctions'
  | 'liaison'
  | 'capacity'
  | 'acceptance'
  | 'acceptanceNote'
  | 'medicalCare'
  | 'emergencyRequestHow'
  | 'vacancy'
  | 'closure';

export interface FacilityFieldChange {
  readonly field: FacilityChangeField;
  /** the disability type of an 'acceptance' or 'acceptanceNote' */
  readonly type?: DisabilityType;
  /** the stored value and the file's, as the CSV writes them ('' when blank) */
  readonly before: string;
  readonly after: string;
  /**
   * Wants a look before anything is written (there is no undo): a 受入れ the file narrows (者・児 →
   * 不可; the facility leaves tonight's match for those persons), or a number the coordinator dials
   * at night the file changes or clears (a hand-kept 夜間連絡先 replaced by a city list's).
   */
  readonly alert: 'acceptanceNarrowed' | 'phoneChanged' | 'closed' | null;
}

function vacancyText(v: Vacancy | null): string {
  return v ? `${v.beds}床（${formatJapanDateTimeCsv(v.asOf)}${v.reportedBy ? `、${v.reportedBy}` : ''}）` : '';
}

function closureText(c: FacilityClosure | null | undefined): string {
  return c ? `${closurePeriodText(c)}${c.note ? `（${c.note}）` : ''}` : '運営中';
}

/** The fields `updated` changes of `stored`, in the form's order, each with its value before and after. */
export function facilityChanges(stored: Facility, updated: Facility): FacilityFieldChange[] {
  const changes: FacilityFieldChange[] = [];
  const add = (field: FacilityChangeField, before: string, after: string, alert: FacilityFieldChange['alert'] = null, type?: DisabilityType) => {
    if (before !== after) changes.push({ field, ...(type ? { type } : {}), before, after, alert });
  };
  const text = (field: 'name' | 'serviceType' | 'unitType' | 'address' | 'area' | 'fax' | 'email' | 'liaison' | 'emergencyRequestHow') => add(field, stored[field], updated[field]);
  const phone = (field: 'phone' | 'nightPhone') => add(field, stored[field], updated[field], stored[field].trim() !== '' ? 'phoneChanged' : null);
  (['name', 'serviceType', 'unitType', 'address', 'area'] as const).forEach(text);
  phone('phone');
  phone('nightPhone');
  (['fax', 'email', 'liaison'] as const).forEach(text);
  add('hubFunctions', formatLabelList(stored.hubFunctions, HUB_FUNCTION_LABELS), formatLabelList(updated.hubFunctions, HUB_FUNCTION_LABELS));
  add('capacity', String(stored.capacity), String(updated.capacity));
  // a 休止 or 廃止 from the file takes the office out of tonight's match, as a narrowed 受入れ does
  add('closure', closureText(stored.closure), closureText(updated.closure), updated.closure ? 'closed' : null);
  for (const t of DISABILITY_TYPES) {
    const was = stored.acceptance[t];
    const now = updated.acceptance[t];
    const narrowed = (was.adult && !now.adult) || (was.child && !now.child);
    add('acceptance', formatAcceptanceCell(was), formatAcceptanceCell(now), narrowed ? 'acceptanceNarrowed' : null, t);
    add('acceptanceNote', was.note, now.note, null, t);
  }
  add('medicalCare', formatLabelList(stored.medicalCare, MEDICAL_CARE_LABELS), formatLabelList(updated.medicalCare, MEDICAL_CARE_LABELS));
  text('emergencyRequestHow');
  add('vacancy', vacancyText(stored.vacancy), vacancyText(updated.vacancy));
  return changes;
}
