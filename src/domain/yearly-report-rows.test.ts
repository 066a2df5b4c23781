import { describe, expect, it } from 'vitest';
import { encodeCsvBytes } from './csv-encoding';
import { buildYearlyReport, fiscalYearRange } from './yearly-report';
import { DEMO_ONLY_NOTE, yearlyReportCsv, yearlyReportFileName } from './yearly-report-rows';
import { createHousehold, createPerson } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';

const report = buildYearlyReport({
  range: fiscalYearRange(2026),
  today: '2027-04-10',
  households: [createHousehold({ id: 'h1', persons: [createPerson({ id: 'p1', birthDate: '2000-01-01', municipality: 'みなと市' })], consent: { date: '2026-05-01', consentedBy: '本人', scope: '緊急時' } })],
  cases: [],
  trialStays: [createTrialStay({ householdId: 'h1', personId: 'p1', from: '2026-06-01', to: '2026-06-02' })],
  facilities: [],
  offices: new Map(),
});

const MADE = { on: '2027-04-10' };

describe('the yearly report CSV', () => {
  it('writes the period, then one line per figure with 者/児/不明 where split, per municipality', () => {
    const lines = yearlyReportCsv(report, MADE).split('\r\n');
    expect(lines[0]).toBe('区分,項目,者,児,不明,計,単位数');
    expect(lines[1]).toBe('期間,2026年4月1日〜2027年3月31日,,,,,');
    // the day it was made: a year still running is read up to it
    expect(lines[2]).toBe('作成日,2027年4月10日,,,,,');
    expect(lines).toContain('事前登録者,登録者数（2027年3月31日時点）,1,0,0,1,');
    expect(lines).toContain('事前登録者,支給決定市町村：みなと市,1,0,0,1,');
    expect(lines).toContain('体験の機会・場,体験利用日数,,,,2,');
    expect(lines).toContain('相談強化加算,合計,,,,0,0');
    expect(lines.at(-1)).toBe('');
  });

  it('says under the period how many demo records it left out, and says nothing of demo when none were', () => {
    const demoHousehold = createHousehold({ id: 'demo-h-00001', persons: [createPerson({ id: 'p9', birthDate: '1990-01-01' })], consent: { date: '2026-05-01', consentedBy: '本人', scope: '緊急時' } });
    const withDemo = buildYearlyReport({
      range: fiscalYearRange(2026),
      today: '2027-04-10',
      households: [demoHousehold, createHousehold({ id: 'h1', persons: [createPerson({ id: 'p1', birthDate: '2000-01-01', municipality: 'みなと市' })], consent: { date: '2026-05-01', consentedBy: '本人', scope: '緊急時' } })],
      cases: [],
      trialStays: [createTrialStay({ householdId: 'h1', personId: 'p1', from: '2026-06-01', to: '2026-06-02' }), createTrialStay({ householdId: 'demo-h-00001', personId: 'p9', from: '2026-06-01', to: '2026-06-05' })],
      facilities: [],
      offices: new Map(),
      leaveOutDemo: { householdIds: new Set(['demo-h-00001']) },
    });
    const lines = yearlyReportCsv(withDemo, MADE).split('\r\n');
    expect(lines[3]).toBe('注記,デモデータ 2件は含めていません（世帯 1件・体験利用 1件）。,,,,,');
    // the figures are the real household's alone, and otherwise the file is the one without demo data
    expect(lines.filter((l) => !l.startsWith('注記'))).toEqual(yearlyReportCsv(report, MADE).split('\r\n'));
    expect(yearlyReportCsv(report, MADE)).not.toContain('デモ');
    // a device holding only the demo: the file says its figures are the demo's
    expect(yearlyReportCsv(report, { ...MADE, demoOnly: true }).split('\r\n')[3]).toBe(`注記,${DEMO_ONLY_NOTE},,,,,`);
  });

  it('encodes as UTF-8 with a BOM or as Shift_JIS, named by its period', () => {
    const csv = yearlyReportCsv(report, MADE);
    expect([...encodeCsvBytes(csv, 'utf-8-bom').slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // 〜 comes back as CP932's ～ (csv-encoding.ts); everything else as written.
    expect(new TextDecoder('shift_jis').decode(encodeCsvBytes(csv, 'shift_jis'))).toBe(csv.replaceAll('〜', '～'));
    expect(yearlyReportFileName(report, 'shift_jis')).toBe('年次実績報告_2026-04-01_2027-03-31_sjis.csv');
  });
});
