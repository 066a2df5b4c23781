/**
 * The 年次実績報告 as labelled rows: what the screen shows section by section, what it prints and
 * what the CSV holds, from one list so the three cannot disagree. Definitions: docs/yearly-report.md.
 */
import { toCsv } from './csv-text';
import { HUB_FUNCTION_LABELS } from './facility';
import { formatJapanDate } from './japan-time';
import type { IsoDate } from './household';
import type { AgeSplit, DemoLeftOut, YearlyReport } from './yearly-report';

export const REPORT_SECTIONS = ['事前登録者', '緊急対応', '体験の機会・場', '登録事業所', '相談強化加算'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface ReportRow {
  readonly section: ReportSection;
  readonly label: string;
  /** 者 / 児 / 不明 when the figure is split by age; null otherwise */
  readonly split: AgeSplit | null;
  readonly total: number;
  /** 単位数, for 相談強化加算 rows only */
  readonly units: number | null;
}

const one = (section: ReportSection, label: string, total: number): ReportRow => ({ section, label, split: null, total, units: null });
const split = (section: ReportSection, label: string, s: AgeSplit): ReportRow => ({ section, label, split: s, total: s.total, units: null });

export const NO_MUNICIPALITY = '未登録';

export function yearlyReportRows(r: YearlyReport): ReportRow[] {
  const reg = r.registration;
  const e = r.emergencies;
  const t = r.trialStays;
  const last = formatJapanDate(r.registration.asOf);
  return [
    split('事前登録者', `登録者数（${last}時点）`, reg.onLastDay),
    one('事前登録者', `登録世帯数（${last}時点）`, reg.households),
    split('事前登録者', '新規登録', reg.newlyRegistered),
    split('事前登録者', '登録廃止', reg.withdrawn),
    ...reg.byMunicipality.map((m) => split('事前登録者', `支給決定市町村：${m.municipality || NO_MUNICIPALITY}`, m)),
    one('緊急対応', '対応件数', e.cases),
    one('緊急対応', '対応した人数', e.persons),
    ...e.byCategory.map((c) => one('緊急対応', `要請の内容：${c.category}`, c.count)),
    one('緊急対応', '短期入所に至った件数', e.admitted),
    split('緊急対応', '緊急一時利用者数（短期入所）', e.admittedPersons),
    one('緊急対応', '緊急対応日数（短期入所の日数）', e.stayDays),
    // said, not hidden in the days above: each such stay runs to today (or the period's end) until its 退所 is recorded
    one('緊急対応', 'うち退所が未記録の入所（日数は今日または期間の末日まで数えています）', e.staysWithoutEnd),
    // not in the figures above: which outcome stands was read order's choice, not anyone's, until settled on the case screen
    one('緊急対応', '短期入所が要確認（対応結果が2つ記録されている。上の件数・日数に含めていません）', e.admissionsInDoubt),
    ...e.exits.map((x) => one('緊急対応', `退所後の行き先：${x.exit}`, x.count)),
    split('体験の機会・場', '体験利用件数', t.count),
    split('体験の機会・場', '体験利用者数', t.persons),
    one('体験の機会・場', '体験利用日数', t.days),
    one('登録事業所', '拠点として位置付けた相談支援事業所', r.members.hubOffices),
    one('登録事業所', '拠点の機能を持つ短期入所事業所（事業所の一覧に登録したもの）', r.members.facilities),
    ...r.members.byFunction.map((f) => one('登録事業所', `機能：${HUB_FUNCTION_LABELS[f.fn]}`, f.count)),
    ...r.claims.byOffice.map((o): ReportRow => ({
      section: '相談強化加算',
      label: o.officeNumber ? `${o.officeName}（${o.officeNumber}）` : o.officeName,
      split: null,
      total: o.count,
      units: o.units,
    })),
    { section: '相談強化加算', label: '合計', split: null, total: r.claims.total.count, units: r.claims.total.units },
    // not in the total: undecided yet (an outcome or the plan's office to record), 700 units each if they become 算定
    one('相談強化加算', '要確認（判定待ち。合計に含めていません）', r.claims.pending),
  ];
}

/**
 * What a report says when it left demo records out (null when it left none): on the screen, the
 * printed page and in the CSV, so no reader takes the figures for the demo's.
 */
export function demoLeftOutNote(d: DemoLeftOut): string | null {
  if (d.total === 0) return null;
  const n = (v: number) => v.toLocaleString('ja-JP');
  const kinds = (
    [
      ['世帯', d.households],
      ['緊急対応の記録', d.cases],
      ['体験利用', d.trialStays],
      ['短期入所事業所', d.facilities],
      ['相談支援事業所', d.offices],
    ] as const
  )
    .filter(([, v]) => v > 0)
    .map(([label, v]) => `${label} ${n(v)}件`);
  return `デモデータ ${n(d.total)}件は含めていません（${kinds.join('・')}）。`;
}

export const YEARLY_REPORT_CSV_HEADERS = ['区分', '項目', '者', '児', '不明', '計', '単位数'] as const;

/** The words for a report of the demo's own figures (a device holding nothing else). */
export const DEMO_ONLY_NOTE = 'デモデータの集計です（この端末にはまだ実際の世帯がありません）。実際の世帯を登録すると、デモデータは集計から外れます。';

/**
 * The rows as CSV text (CRLF): the period, the day it was made (a year still running is read up to
 * it), then a 注記 line when demo records were left out, or when the figures are the demo's own;
 * encode with csv-encoding.ts (UTF-8 with BOM or Shift_JIS).
 */
export function yearlyReportCsv(r: YearlyReport, made: { readonly on: IsoDate; readonly demoOnly?: boolean }): string {
  const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
  const notes = [demoLeftOutNote(r.demoLeftOut), made.demoOnly === true ? DEMO_ONLY_NOTE : null].filter((x): x is string => x !== null);
  const data = [
    ['期間', `${formatJapanDate(r.range.from)}〜${formatJapanDate(r.range.to)}`, '', '', '', '', ''],
    ['作成日', formatJapanDate(made.on), '', '', '', '', ''],
    ...notes.map((note) => ['注記', note, '', '', '', '', '']),
    ...yearlyReportRows(r).map((row) => [row.section, row.label, n(row.split?.adult), n(row.split?.child), n(row.split?.unknown), String(row.total), n(row.units)]),
  ];
  return toCsv(YEARLY_REPORT_CSV_HEADERS, data);
}

/** 年次実績報告_2026-04-01_2027-03-31.csv */
export function yearlyReportFileName(r: YearlyReport, encoding: 'utf-8-bom' | 'shift_jis'): string {
  return `年次実績報告_${r.range.from}_${r.range.to}${encoding === 'shift_jis' ? '_sjis' : ''}.csv`;
}
