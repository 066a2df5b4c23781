/** A fiscal year (April–March, [FB7]): each month against its cap, then the year per office and municipality. */
import { useMemo } from 'react';
import { useApp } from '../../state/store';
import { yearSummary, type YearSummary } from '../../domain/function-bonus';
import { Section } from '../../ui/layout';
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
      <Section title={B.yearMonthsTitle} id="bonus-year-months">
        <div className="claims-table-wrap">
          <table className="claims-table bonus-table">
            <thead>
              <tr>
                <th scope="col">{B.colMonth}</th>
                <th scope="col" className="num">{B.colCoordinators}</th>
                <th scope="col" className="num">{B.colCap}</th>
                <th scope="col" className="num">{B.col.claimed}</th>
                <th scope="col" className="num">{B.col.units}</th>
                <th scope="col" className="num">{B.col.yen}</th>
              </tr>
            </thead>
            <tbody>
              {y.months.map((m) => (
                <tr key={m.month} className={m.remaining < 0 ? 'bonus-over' : undefined}>
                  <th scope="row">{B.monthLabel(m.month)}</th>
                  <td className="num">{B.numCell(m.coordinators)}</td>
                  <td className="num">{B.numCell(m.cap)}</td>
                  <td className="num">{B.numCell(m.claimed)}</td>
                  <td className="num">{B.numCell(m.units)}</td>
                  <td className="num">{B.yenCell(m.yen)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{B.totalRow}</th>
                <td className="num" />
                <td className="num">{B.numCell(y.cap)}</td>
                <td className="num">{B.numCell(y.claimed)}</td>
                <td className="num">{B.numCell(y.units)}</td>
                <td className="num">{B.yenCell(y.yen)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      </Section>
      <Section title={B.officesTitle} id="bonus-year-offices">
        <div className="claims-table-wrap">
          <table className="claims-table bonus-table">
            <thead>
              <tr>
                <th scope="col">{B.col.name}</th>
                <th scope="col" className="num">{B.col.claimed}</th>
                <th scope="col" className="num">{B.col.units}</th>
                <th scope="col" className="num">{B.col.yen}</th>
              </tr>
            </thead>
            <tbody>
              {y.offices.map((o) => (
                <tr key={o.officeId}>
                  <th scope="row">{officeName(o.officeId)}</th>
                  <td className="num">{B.numCell(o.claimed)}</td>
                  <td className="num">{B.numCell(o.units)}</td>
                  <td className="num">{B.yenCell(o.yen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
      {y.municipalities.length > 0 ? (
        <Section title={B.municipalitiesTitle} id="bonus-year-municipalities">
          <div className="claims-table-wrap">
            <table className="claims-table bonus-table">
              <thead>
                <tr>
                  <th scope="col">{B.col.name}</th>
                  <th scope="col" className="num">{B.col.units}</th>
                  <th scope="col" className="num">{B.col.yen}</th>
                </tr>
              </thead>
              <tbody>
                {y.municipalities.map((x) => (
                  <tr key={x.name}>
                    <th scope="row">{x.name}</th>
                    <td className="num">{B.numCell(x.units)}</td>
                    <td className="num">{B.yenCell(x.yen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Section>
      ) : null}
    </>
  );
}
