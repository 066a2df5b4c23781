/**
 * The 機能強化加算 figure tables (month and year views): a name column, then numeric columns; one
 * row per office, municipality or month, and an optional total row. A row over its share or cap
 * is marked (.bonus-over).
 */
import type { ReactNode } from 'react';
import { Section } from '../../ui/layout';

export interface FigureRow {
  readonly key: string;
  readonly name: ReactNode;
  /** one cell per numeric column, already formatted ('' for an empty cell) */
  readonly cells: readonly ReactNode[];
  readonly over?: boolean;
}

export function FigureTable({
  title,
  id,
  nameColumn,
  columns,
  rows,
  total,
}: {
  title: string;
  id: string;
  nameColumn: string;
  columns: readonly string[];
  rows: readonly FigureRow[];
  total?: FigureRow;
}) {
  const line = (row: FigureRow) => (
    <tr key={row.key} className={row.over ? 'bonus-over' : undefined}>
      <th scope="row">{row.name}</th>
      {row.cells.map((cell, i) => (
        <td key={i} className="num">
          {cell}
        </td>
      ))}
    </tr>
  );
  return (
    <Section title={title} id={id}>
      <div className="claims-table-wrap">
        <table className="claims-table bonus-table">
          <thead>
            <tr>
              <th scope="col">{nameColumn}</th>
              {columns.map((c) => (
                <th key={c} scope="col" className="num">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{rows.map(line)}</tbody>
          {total ? <tfoot>{line(total)}</tfoot> : null}
        </table>
      </div>
    </Section>
  );
}
