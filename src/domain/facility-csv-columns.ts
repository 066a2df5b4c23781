/**
 * The column layout of the facility CSV (docs/facility-csv.md) and the codecs for its cell values.
 * Import and export share these, so a file this app writes always reads back the same.
 */
import { DISABILITY_LABELS, DISABILITY_TYPES, MEDICAL_CARE_KINDS, MEDICAL_CARE_LABELS, type DisabilityType } from './disability';
import {
  FACILITY_SERVICE_TYPES,
  FACILITY_UNIT_TYPES,
  HUB_FUNCTIONS,
  HUB_FUNCTION_LABELS,
  type Acceptance,
  type Facility,
  type Vacancy,
} from './facility';
import type { IsoInstant } from './household';
import { daysInMonth, formatJapanDateTimeCsv, instantAtJapanWallClock } from './japan-time';

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

// ---- a row's cells → Facility fields ----

export interface FacilityCsvCellError {
  /** The header of the offending column; '行全体' when the row as a whole is broken. */
  readonly column: string;
  readonly message: string;
}

export type Cell = (column: string) => string | undefined;
export type Fields = Partial<Omit<Facility, 'id' | 'createdAt' | 'updatedAt' | 'officeNumber' | 'name'>>;

/** The fields of the columns present in the file; a column left out keeps the stored (or empty) value. */
export function readFields(cell: Cell, base: Facility, errors: FacilityCsvCellError[]): Fields {
  const fields: { -readonly [K in keyof Fields]: Fields[K] } = {};
  const fail = (column: string, message: string) => errors.push({ column, message });
  const text = (column: string, set: (v: string) => void) => {
    const v = cell(column);
    if (v !== undefined) set(v);
  };

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
  text(COLUMN.phone, (v) => (fields.phone = v));
  text(COLUMN.nightPhone, (v) => (fields.nightPhone = v));
  text(COLUMN.fax, (v) => (fields.fax = v));
  text(COLUMN.email, (v) => (fields.email = v));
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
  return fields;
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
  const beds = bedsCell ? parseCount(bedsCell) : null;
  if (beds === null) fail(COLUMN.vacancyBeds, bedsCell ? '空床数は0以上の整数です' : '空床報告日時があるときは空床数も入れてください');
  let asOf = asOfCell ? parseJapanDateTimeCell(asOfCell) : null;
  if (asOf === null) {
    fail(COLUMN.vacancyAsOf, asOfCell ? `"${asOfCell}" は日時として読めません（例: 2026-11-23 02:10）` : '空床数があるときは空床報告日時も入れてください');
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
  if (s === '') return 0;
  return /^\d{1,4}$/.test(s) ? Number(s) : null;
}

function isOneOf<T extends string>(values: readonly T[], v: string): v is T {
  return (values as readonly string[]).includes(v);
}

