/**
 * 機能強化加算 (issue 15 point 5; docs/function-bonus.md), mounted by the app shell for '#/bonus…':
 * the month (cap, shares, claims, units and yen, and the entry of claimed counts), the fiscal
 * year, and what the manager keeps (unit price, coordinators, the split). Printable; CSV export.
 */
import { useMemo, useState } from 'react';
import { useApp } from '../../state/store';
import { monthSummary, yearSummary } from '../../domain/function-bonus';
import { BonusCsvUnencodableError, bonusCsvFileName, encodeBonusCsv, monthBonusCsv, yearBonusCsv } from '../../domain/function-bonus-csv';
import type { CsvByteEncoding } from '../../domain/csv-encoding';
import { downloadBytes } from '../../ui/download';
import { Button } from '../../ui/button';
import { SelectField, TextField } from '../../ui/field';
import { Notice, Page, Section } from '../../ui/layout';
import { MonthView } from './month-view';
import { bonusPaths, navigate, parseBonusRoute, useHash, type BonusRoute } from './route';
import { SetupView } from './setup-view';
import { B } from './text';
import { useCountedBonus, useCsvOffice } from './use-bonus';
import { YearView } from './year-view';
import './function-bonus.css';

export function FunctionBonusScreen() {
  const route = parseBonusRoute(useHash());
  const offices = useApp((s) => s.offices);
  const back = (
    // a screen's way back, not the paper's (the page prints)
    <a className="btn btn--ghost no-print" href="#/claims" aria-label={B.back}>
      ←
    </a>
  );
  const actions = (
    <Button onClick={() => window.print()} className="no-print">
      {B.print}
    </Button>
  );
  return (
    <Page title={B.title} back={back} actions={actions} printable>
      <p className="no-print">{B.intro}</p>
      <nav className="bonus-tabs no-print" aria-label={B.title}>
        <a className="btn btn--secondary" href={bonusPaths.month(route.month)} aria-current={route.tab === 'month' ? 'page' : undefined}>
          {B.tabs.month}
        </a>
        <a className="btn btn--secondary" href={bonusPaths.year(route.fiscalYear)} aria-current={route.tab === 'year' ? 'page' : undefined}>
          {B.tabs.year}
        </a>
        <a className="btn btn--secondary" href={bonusPaths.setup()} aria-current={route.tab === 'setup' ? 'page' : undefined}>
          {B.tabs.setup}
        </a>
      </nav>
      {offices.size === 0 ? (
        <Notice
          kind="warn"
          action={
            <a className="btn btn--secondary" href="#/settings">
              {B.openSettings}
            </a>
          }
        >
          {B.noOffices}
        </Notice>
      ) : (
        <Tab route={route} />
      )}
    </Page>
  );
}

function Tab({ route }: { route: BonusRoute }) {
  switch (route.tab) {
    case 'month':
      return (
        <>
          <div className="no-print">
            <TextField label={B.month} type="month" value={route.month} onChange={(e) => e.target.value && navigate(bonusPaths.month(e.target.value), { replace: true })} />
          </div>
          <MonthView month={route.month} />
          <CsvSection route={route} />
        </>
      );
    case 'year': {
      const years = Array.from({ length: 7 }, (_, i) => route.fiscalYear - 5 + i);
      return (
        <>
          <div className="no-print">
            <SelectField
              label={B.fiscalYear}
              value={String(route.fiscalYear)}
              onChange={(e) => navigate(bonusPaths.year(Number(e.target.value)), { replace: true })}
              options={years.map((y) => ({ value: String(y), label: B.fiscalYearOption(y) }))}
            />
          </div>
          <YearView fiscalYear={route.fiscalYear} />
          <CsvSection route={route} />
        </>
      );
    }
    case 'setup':
      return <SetupView />;
  }
}

function CsvSection({ route }: { route: BonusRoute }) {
  const { records: bonus } = useCountedBonus();
  const office = useCsvOffice();
  const [encoding, setEncoding] = useState<CsvByteEncoding>('utf-8-bom');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const text = useMemo(
    () => (route.tab === 'year' ? yearBonusCsv(yearSummary(bonus, route.fiscalYear), office) : monthBonusCsv(monthSummary(bonus, route.month), office)),
    [bonus, route, office],
  );
  function save() {
    try {
      const fileName = bonusCsvFileName(route.tab === 'year' ? `FY${route.fiscalYear}` : route.month, encoding);
      downloadBytes(encodeBonusCsv(text, encoding), fileName, 'text/csv');
      setMessage({ kind: 'ok', text: B.csvSaved(fileName) });
    } catch (e) {
      // in the app's words: a library's or the browser's (English) never reaches the screen
      setMessage({ kind: 'error', text: e instanceof BonusCsvUnencodableError ? e.message : B.csvFailed });
    }
  }
  return (
    // for the screen only: the printed page is the figures (the empty box printed with them)
    <div className="no-print">
      <Section title={B.csvTitle} id="bonus-csv">
        <SelectField
          label={B.encoding}
          value={encoding}
          onChange={(e) => setEncoding(e.target.value as CsvByteEncoding)}
          options={[
            { value: 'utf-8-bom', label: B.encodingUtf8 },
            { value: 'shift_jis', label: B.encodingSjis },
          ]}
        />
        <Button variant="primary" onClick={save}>
          {route.tab === 'year' ? B.csvYear : B.csvMonth}
        </Button>
        {message ? <Notice kind={message.kind}>{message.text}</Notice> : null}
      </Section>
    </div>
  );
}
