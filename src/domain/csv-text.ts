/**
 * CSV text as every file the app writes it (docs/claim-csv.md): papaparse, CRLF, a final line
 * break, and a leading ' on a cell that starts with = + - @ (or tab, CR), so that Excel shows it
 * as text instead of running it. Bytes come from csv-encoding.ts.
 */
import Papa from 'papaparse';

/**
 * A cell Excel would read as a formula. papaparse's own `escapeFormulae: true` tests
 * /^[=+\-@\t\r].*$/, whose `.*$` cannot pass a line break: a note 「- 母が救急搬送⏎- 叔母に連絡」
 * went out unescaped, and the evidence check (asWrittenInCsv) then took the untouched file for
 * an altered one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function toCsv(fields: readonly string[], data: readonly (readonly string[])[]): string {
  const text = Papa.unparse({ fields: [...fields], data: data.map((r) => [...r]) }, { newline: '\r\n', escapeFormulae: FORMULA_START });
  return text.endsWith('\r\n') ? text : `${text}\r\n`;
}

/** Text as toCsv writes a cell's value: with a leading ' before = + - @ (and tab, CR). */
export function asWrittenInCsv(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** The value asWrittenInCsv wrote (a signature in base64 may start with +); Excel writes the same ' when it saves. */
export function fromCsvCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}
