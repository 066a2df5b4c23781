/** A fiscal year (April–March, [FB7]): each month against its cap, then the year per office and municipality. */
import { useMemo } from 'react';
import { yearSummary, type YearSummary } from '../../domain/function-bonus';
import { Notice, Section } from '../../ui/layout';
import { FigureTable } from './figure-table';
import { B } from './text';
import { useCountedBonus, useOfficeName } from './use-bonus';

export function YearView({ fiscalYear }: { fiscalYear: number }) {
  const { records: bonus, leftOut } = useCountedBonus();
  const year = useMemo(() => yearSummary(bonus, fiscalYear), [bonus, fiscalYear]);
  return (
    <>
      {leftOut > 0 ? <Notice kind="info">{B.demoLeftOut(leftOut)}</Notice> : null}
      <YearTables year={year} />
    </>
  );
}

function YearTables({ year: y }: { year: YearSummary }) {
  const officeName = useOfficeName();
  // [FB9] the 算定不可 column only in a year with a month over its cap: any other year reads as before
  const over = y.unpayable > 0;
  const unpayableCell = (n: number) => (over ? [n > 0 ? B.numCell(n) : ''] : []);
  return (
    <>
      <Section title={B.fiscalYearOption(y.fiscalYear)} id="bonus-year">
        <p className="bonus-figures">
          <strong>{B.yearTotal(y.claimed, y.cap, y.units, y.yen)}</strong>
          {over ? (
            <>
              <br />
              <span className="bonus-over">{B.yearUnpayableLine(y.unpayable, y.unpayableUnits)}</span>
            </>
          ) : null}
        </p>
        {y.needsCheck.length > 0 ? <Notice kind="warn">{B.notStatedYear(y.needsCheck.map(B.monthLabel))}</Notice> : null}
      </Section>
      <FigureTable
        title={B.yearMonthsTitle}
        id="bonus-year-months"
        nameColumn={B.colMonth}
        columns={[B.colCoordinators, B.colCap, B.col.claimed, B.col.units, B.col.yen, ...(over ? [B.col.unpayable] : [])]}
        rows={y.months.map((m) => ({
          key: m.month,
          name: B.monthLabel(m.month),
          cells: [B.numCell(m.coordinators), B.capCell(m.cap, m.notStated.length > 0), B.numCell(m.claimed), B.numCell(m.units), B.yenCell(m.yen), ...unpayableCell(m.unpayable)],
          over: m.remaining < 0,
        }))}
        total={{ key: 'total', name: B.totalRow, cells: ['', B.numCell(y.cap), B.numCell(y.claimed), B.numCell(y.units), B.yenCell(y.yen), ...(over ? [B.numCell(y.unpayable)] : [])] }}
      />
      <FigureTable
        title={B.officesTitle}
        id="bonus-year-offices"
        nameColumn={B.col.name}
        columns={[B.col.claimed, B.col.units, B.col.yen, ...(over ? [B.col.unpayable] : [])]}
        rows={y.offices.map((o) => ({
          key: o.officeId,
          name: officeName(o.officeId),
          cells: [B.numCell(o.claimed), B.numCell(o.units), B.yenCell(o.yen), ...unpayableCell(o.unpayable)],
          over: o.unpayable > 0,
        }))}
      />
      {y.municipalities.length > 0 ? (
        <FigureTable
          title={B.municipalitiesTitle}
          id="bonus-year-municipalities"
          nameColumn={B.col.name}
          columns={[B.col.units, B.col.yen]}
          rows={y.municipalities.map((x) => ({ key: x.name, name: x.name, cells: [B.numCell(x.units), B.yenCell(x.yen)] }))}
        />
      ) : null}
    </>
  );
}
