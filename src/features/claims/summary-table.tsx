/** The month's claim, one row per person, サービス種別 and number billed (summarizeClaims), with the total: shared by the screen and the report. */
import { summaryTotals } from '../../domain/claim-rules';
import type { ClaimSummaryRow } from '../../domain/claim-types';
import { T } from './text';

export function SummaryTable({ rows, caption }: { rows: readonly ClaimSummaryRow[]; caption: string }) {
  const total = summaryTotals(rows);
  return (
    <div className="claims-table-wrap">
      <table className="claims-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{T.colRecipient}</th>
            <th scope="col">{T.colName}</th>
            <th scope="col" className="num">
              {T.colCount}
            </th>
            <th scope="col" className="num">
              {T.colUnits}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.personKey}\u0000${r.serviceType}\u0000${r.recipientNumber}`}>
              <td className="nowrap">{r.recipientNumber || T.noRecipient}</td>
              {/* the 給付 under the name, as the CSV has it: one who turned 18 this month has two rows */}
              <td>
                {r.name || T.noName}
                <span className="claims-table__service">{r.serviceType}</span>
              </td>
              <td className="num">{r.count}</td>
              <td className="num">{r.units.toLocaleString('ja-JP')}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="claims-table__total">
            <th scope="row">{T.total}</th>
            <td>{T.persons(total.persons)}</td>
            <td className="num">{total.count}</td>
            <td className="num">{total.units.toLocaleString('ja-JP')}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
