/**
 * The 機能強化加算 summaries as CSV (docs/function-bonus.md): a month (one row per office, one per
 * municipality, the total) or a fiscal year (one row per month, then per office and municipality).
 * 単位数 and 金額 count the claims within the cap; the claims above it are in the last two columns,
 * 算定不可 ([FB9]). An office's row carries its 事業所番号 beside its name, as text (as the claim CSVs
 * write it): the name alone did not say which office to a 国保連 or a municipality.
 * Bytes through csv-encoding.ts: UTF-8 with BOM or Shift_JIS, refused rather than '?' for a
 * character Shift_JIS cannot hold.
 */
import { toCsv } from './csv-text';
import { encodeCsvBytes, ShiftJisUnencodableError, shownChars, type CsvByteEncoding } from './csv-encoding';
import { FUNCTION_BONUS_UNITS, type MonthSummary, type YearMonth, type YearSummary } from './function-bonus';

export const BONUS_CSV_HEADERS = ['対象', '区分', '名称', '事業所番号', '割合（%）', '割当件数', '算定件数', '割当超過', '単位数', '金額（円）', '算定不可件数（上限超過）', '算定不可単位数（上限超過）'] as const;

const monthLabel = (m: YearMonth) => `${Number(m.slice(0, 4))}年${Number(m.slice(5, 7))}月`;
const cell = (v: number | null) => (v === null ? '' : String(v));
const NOT_ENTERED = '未入力';

const bonusCsv = (rows: readonly (readonly string[])[]) => toCsv(BONUS_CSV_HEADERS, rows);

/** An office's name and 事業所番号 as the CSV names it ('' for a number not registered). */
export type BonusCsvOffice = (id: string) => { readonly name: string; readonly number: string };

function monthRows(m: MonthSummary, office: BonusCsvOffice): string[][] {
  const label = monthLabel(m.month);
  return [
    // an office with no count entered reads 未入力, as on the screen: a 0 would say it claimed none
    ...m.offices.map((o) => {
      const { name, number } = office(o.officeId);
      return o.claimed === null
        ? [label, '事業所', name, number, cell(o.percent), cell(o.share), NOT_ENTERED, '', '', '', '', '']
        : [label, '事業所', name, number, cell(o.percent), cell(o.share), String(o.claimed), String(o.overShare), String(o.units), cell(o.yen), String(o.unpayable), String(o.unpayableUnits)];
    }),
    ...m.municipalities.map((x) => [label, '市町村', x.name, '', String(x.percent), String(x.share), '', '', String(x.units), cell(x.yen), '', '']),
    monthTotal(m, '合計'),
  ];
}

function monthTotal(m: MonthSummary, kind: '合計' | '月計'): string[] {
  // a coordinator whose 常勤・専従 is not stated is not counted: the month is 要確認, as on the screen
  const check = m.notStated.length > 0 ? `・要確認：常勤・専従が未記入 ${m.notStated.length}人` : '';
  const label = `上限 ${m.cap}件（常勤専従のコーディネーター${m.coordinators}人${check}）`;
  return [monthLabel(m.month), kind, label, '', '', String(m.cap), String(m.claimed), String(Math.max(0, -m.remaining)), String(m.units), cell(m.yen), String(m.unpayable), String(m.unpayableUnits)];
}

/** One month: offices, municipalities, then the total against the cap. */
export function monthBonusCsv(m: MonthSummary, office: BonusCsvOffice): string {
  return bonusCsv(monthRows(m, office));
}

/** A fiscal year: each month's total, then the year per office and per municipality, then the year's total. */
export function yearBonusCsv(y: YearSummary, office: BonusCsvOffice): string {
  const label = `${y.fiscalYear}年度`;
  const rows: string[][] = y.months.map((m) => monthTotal(m, '月計'));
  for (const o of y.offices) {
    const { name, number } = office(o.officeId);
    rows.push([label, '事業所', name, number, '', '', String(o.claimed), '', String(o.units), cell(o.yen), String(o.unpayable), String(o.unpayableUnits)]);
  }
  for (const x of y.municipalities) rows.push([label, '市町村', x.name, '', '', '', '', '', String(x.units), cell(x.yen), '', '']);
  rows.push([label, '合計', `${FUNCTION_BONUS_UNITS}単位／件`, '', '', String(y.cap), String(y.claimed), '', String(y.units), cell(y.yen), String(y.unpayable), String(y.unpayableUnits)]);
  return bonusCsv(rows);
}

/** The characters Shift_JIS cannot hold, named in Japanese for the screen. */
export class BonusCsvUnencodableError extends Error {
  override readonly name = 'BonusCsvUnencodableError';
}

/** Bytes to save; a BonusCsvUnencodableError naming the characters Shift_JIS cannot hold. */
export function encodeBonusCsv(text: string, encoding: CsvByteEncoding): Uint8Array<ArrayBuffer> {
  try {
    return encodeCsvBytes(text, encoding);
  } catch (e) {
    if (e instanceof ShiftJisUnencodableError) {
      throw new BonusCsvUnencodableError(`Shift_JIS で書けない文字があります（${shownChars(e.chars)}）。UTF-8 で保存するか、名称を直してください。`);
    }
    throw e;
  }
}

/** kinou-kyouka_2026-05_utf8.csv, kinou-kyouka_FY2026_sjis.csv */
export function bonusCsvFileName(period: string, encoding: CsvByteEncoding): string {
  return `kinou-kyouka_${period}_${encoding === 'utf-8-bom' ? 'utf8' : 'sjis'}.csv`;
}
