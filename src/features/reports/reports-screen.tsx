/**
 * 年次実績報告: the hub's figures for a fiscal year (April–March) or any range of dates, counted
 * from the records on this device (domain/yearly-report.ts), printable on A4 and saved as CSV.
 * The range is in the address ('#/reports?from=…&to=…'), so a reload keeps it.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { useJapanToday } from '../../state/use-minute-clock';
import { useFoldedCases } from '../../state/folded-cases';
import { useHash } from '../../state/router';
import type { EmergencyCase } from '../../domain/emergency-case';
import { encodeCsvBytes, ShiftJisUnencodableError, shownChars, type CsvByteEncoding } from '../../domain/csv-encoding';
import { formatJapanDate, isValidIsoDate, japanDateOf } from '../../domain/japan-time';
import { buildYearlyReport, fiscalYearOf, fiscalYearRange, type ReportRange } from '../../domain/yearly-report';
import { demoLeftOutNote, REPORT_SECTIONS, yearlyReportCsv, yearlyReportFileName, yearlyReportRows, type ReportRow } from '../../domain/yearly-report-rows';
import { downloadBytes } from '../../ui/download';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import { announce } from '../../ui/announce';
import { Notice, Page, Section } from '../../ui/layout';
import { T } from './text';
import './reports.css';

export const reportsPath = (range: ReportRange) => `#/reports?from=${range.from}&to=${range.to}`;

function rangeOf(hash: string, today: string): ReportRange {
  const params = new URLSearchParams(hash.split('?')[1] ?? '');
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  return isValidIsoDate(from) && isValidIsoDate(to) ? { from, to } : fiscalYearRange(fiscalYearOf(today));
}

function go(range: ReportRange): void {
  window.location.hash = reportsPath(range);
}


export function ReportsScreen() {
  // a stay still running counts its days up to today, which moves on at midnight with the screen open
  const today = useJapanToday();
  const hash = useHash();
  const range = useMemo(() => rangeOf(hash, today), [hash, today]);
  const households = useApp((s) => s.households);
  const loaded = useApp((s) => s.householdsLoaded);
  const facilities = useApp((s) => s.facilities);
  const offices = useApp((s) => s.offices);
  const trialStays = useApp((s) => s.trialStays);
  const demoIds = useApp((s) => s.demoIds);
  // a chain without its open entry cannot be counted; the case list reports it
  const { cases } = useFoldedCases();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  // Nothing to print or save while the households load: their figures would read 0 and 不明.
  // The demo hub's records are left out of every figure once real households are held, and the
  // report says how many; a phone holding only the demo shows the demo's figures, saying so.
  const onlyDemo = useMemo(() => [...households.keys()].every((id) => demoIds.has(id)), [households, demoIds]);
  const report = useMemo(
    () =>
      range.to < range.from || !loaded
        ? null
        : buildYearlyReport({
            range,
            today,
            households: households.values(),
            cases,
            trialStays: trialStays.values(),
            facilities: facilities.values(),
            offices,
            ...(onlyDemo ? {} : { leaveOutDemo: { householdIds: demoIds } }),
          }),
    [range, today, households, cases, trialStays, facilities, offices, loaded, demoIds, onlyDemo],
  );
  const demoNote = report ? demoLeftOutNote(report.demoLeftOut) : null;
  const rows = useMemo(() => (report ? yearlyReportRows(report) : []), [report]);

  function save(encoding: CsvByteEncoding) {
    if (!report) return;
    try {
      const name = yearlyReportFileName(report, encoding);
      downloadBytes(encodeCsvBytes(yearlyReportCsv(report, { on: today, demoOnly: onlyDemo && demoIds.size > 0 }), encoding), name, 'text/csv');
      setMessage({ kind: 'ok', text: T.csvSaved(name) });
    } catch (e) {
      // in the app's words: a browser's (English) never reaches the screen, nor is the failure silent
      setMessage({ kind: 'error', text: e instanceof ShiftJisUnencodableError ? T.sjisLost(shownChars(e.chars)) : T.csvFailed });
    }
  }

  return (
    <Page title={T.title} printable>
      <div className="yr-report">
        <RangeControls range={range} today={today} />
        <div className="yr-controls yr-buttons">
          <Button onClick={() => window.print()} disabled={!report}>
            {T.print}
          </Button>
          <Button onClick={() => save('utf-8-bom')} disabled={!report}>
            {T.csvUtf8}
          </Button>
          <Button onClick={() => save('shift_jis')} disabled={!report}>
            {T.csvSjis}
          </Button>
        </div>
        {/* 「CSVを保存しました」 is the screen's, not the report's on paper */}
        {message ? (
          <div className="no-print">
            <Notice kind={message.kind}>{message.text}</Notice>
          </div>
        ) : null}
        {range.to < range.from ? <Notice kind="error">{T.badRange}</Notice> : null}
        {!loaded ? <p role="status">{T.loading}</p> : null}
        {report && loaded ? (
          <>
            <p className="yr-period">{T.period(formatJapanDate(range.from), formatJapanDate(range.to))}</p>
            <p className="yr-notes">{T.madeOn(formatJapanDate(today))}</p>
            {demoNote ? <p className="yr-demo">{demoNote}</p> : null}
            {onlyDemo && demoIds.size > 0 ? <p className="yr-demo">{T.demoOnly}</p> : null}
            {REPORT_SECTIONS.map((section, i) => (
              <ReportTable key={section} id={`yr-${i}`} title={section} rows={rows.filter((r) => r.section === section)} />
            ))}
            <p className="yr-notes">{T.notes}</p>
          </>
        ) : null}
      </div>
    </Page>
  );
}

function RangeControls({ range, today }: { range: ReportRange; today: string }) {
  const current = fiscalYearOf(today);
  const fy = fiscalYearRange(fiscalYearOf(range.from));
  const isFiscalYear = fy.from === range.from && fy.to === range.to;
  // the last six years, and the one shown when it is older (else the list read as the first of them)
  const recent = Array.from({ length: 6 }, (_, i) => current - i);
  const years = isFiscalYear && !recent.includes(fiscalYearOf(range.from)) ? [...recent, fiscalYearOf(range.from)] : recent;
  const [error, setError] = useState<string | null>(null);
  const setDate = (key: 'from' | 'to', value: string) => {
    if (!isValidIsoDate(value)) {
      // checked as typed, focus is in the field already: the message is said when it appears, not at each key
      if (error !== T.badDate) announce(T.badDate);
      setError(T.badDate);
      return;
    }
    setError(null);
    go({ ...range, [key]: value });
  };
  return (
    <div className="yr-controls">
      <SelectField
        label={T.fiscalYear}
        value={isFiscalYear ? String(fiscalYearOf(range.from)) : 'custom'}
        onChange={(e) => (e.target.value === 'custom' ? undefined : go(fiscalYearRange(Number(e.target.value))))}
        options={[...years.map((y) => ({ value: String(y), label: T.fiscalYearOption(y) })), { value: 'custom', label: T.custom }]}
      />
      <div className="hh-grid2">
        <TextField label={T.from} type="date" value={range.from} error={error ?? undefined} onChange={(e) => setDate('from', e.target.value)} />
        <TextField label={T.to} type="date" value={range.to} onChange={(e) => setDate('to', e.target.value)} />
      </div>
    </div>
  );
}

function ReportTable({ id, title, rows }: { id: string; title: string; rows: readonly ReportRow[] }) {
  const units = rows.some((r) => r.units !== null);
  const split = rows.some((r) => r.split !== null);
  return (
    <Section title={title} id={id}>
      <div className="yr-table-wrap">
        <table className="yr-table">
          <thead>
            <tr>
              <th scope="col">{T.colItem}</th>
              {split ? (
                <>
                  <th scope="col" className="yr-num">{T.colAdult}</th>
                  <th scope="col" className="yr-num">{T.colChild}</th>
                  <th scope="col" className="yr-num">{T.colUnknown}</th>
                </>
              ) : null}
              <th scope="col" className="yr-num">{T.colTotal}</th>
              {units ? <th scope="col" className="yr-num">{T.colUnits}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                {split ? (
                  <>
                    <td className="yr-num">{r.split?.adult ?? ''}</td>
                    <td className="yr-num">{r.split?.child ?? ''}</td>
                    <td className="yr-num">{r.split?.unknown ?? ''}</td>
                  </>
                ) : null}
                <td className="yr-num">{r.total}</td>
                {units ? <td className="yr-num">{r.units ?? ''}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}
