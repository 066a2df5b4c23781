/** A fiscal year (April–March, [FB7]): each month against its cap, then the year per office and municipality. */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import { yearSummary, type YearSummary } from '../../domain/function-bonus';
import { Section } from '../../ui/layout';
import { FigureTable } from './figure-table';
import { B } from './text';
import { useOfficeName } from './use-bonus';

export function YearView({ fiscalYear }: { fiscalYear: number }) {
  const bonus = useApp((s) => s.bonus);
  const year = useMemo(() => yearSummary(bonus, fiscalYear), [bonus, fiscalYear]);
  return <YearTables year={year} />;
}

function YearTables({ year: y }: { year: YearSummary }) {
  const officeName = useOfficeName();
  return (
    <>
      <Section title={B.fiscalYearOption(y.fiscalYear)} id="bonus-year">
        <p className="bonus-figures">
          <strong>{B.yearTotal(y.claimed, y.cap, y.units, y.yen)}</strong>
        </p>
      </Section>
      <FigureTable
        title={B.yearMonthsTitle}
        id="bonus-year-months"
        nameColumn={B.colMonth}
        columns={[B.colCoordinators, B.colCap, B.col.claimed, B.col.units, B.col.yen]}
        rows={y.months.map((m) => ({
          key: m.month,
          name: B.monthLabel(m.month),
          cells: [B.numCell(m.coordinators), B.numCell(m.cap), B.numCell(m.claimed), B.numCell(m.units), B.yenCell(m.yen)],
          over: m.remaining < 0,
        }))}
        total={{ key: 'total', name: B.totalRow, cells: ['', B.numCell(y.cap), B.numCell(y.claimed), B.numCell(y.units), B.yenCell(y.yen)] }}
      />
      <FigureTable
        title={B.officesTitle}
        id="bonus-year-offices"
        nameColumn={B.col.name}
        columns={[B.col.claimed, B.col.units, B.col.yen]}
        rows={y.offices.map((o) => ({ key: o.officeId, name: officeName(o.officeId), cells: [B.numCell(o.claimed), B.numCell(o.units), B.yenCell(o.yen)] }))}
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
