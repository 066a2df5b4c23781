/**
 * A query's rows as PostgreSQL's bytes, one line each: `COPY (query) TO STDOUT` in CSV form with a
 * delimiter and a quote character (\x02, \x01) that JSON text never holds raw, so a one-column row
 * of JSON text comes out exactly as PostgreSQL made it, followed by a newline: never quoted, never
 * escaped. pg hands every text column to JavaScript as a string (it decodes the UTF-8) and an HTTP
 * answer encodes it back: for a pull page of 2,000 households (~7 MB) that took more of the hub's
 * time than PostgreSQL's own work. These bytes go into the answer as they are.
 *
 * COPY takes no bind parameters: the query's values are written into its text, as literals
 * (sqlLiteral, sqlInt), never as anything else.
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

const NEWLINE = 0x0a;

/** A text value as an SQL literal (pg's escaping: quotes doubled, backslashes as E'…'). */
export function sqlLiteral(value: string | null): string {
  return value === null ? 'NULL' : pg.escapeLiteral(value);
}

/** An integer as SQL; anything but a safe integer is refused, never written into a statement. */
export function sqlInt(value: number | null): string {
  if (value === null) return 'NULL';
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer for SQL: ${String(value)}`);
  return String(value);
}

export function sqlTextArray(values: readonly string[]): string {
  return `ARRAY[${values.map(sqlLiteral).join(', ')}]::text[]`;
}

/**
 * Runs `query` (one text column of JSON, never NULL) as a COPY on a connection of the pool and
 * returns its bytes as received: each row's text, then a newline. The connection is released once
 * the last byte is in, before anything is sent on.
 */
export async function copyJsonLines(pool: pg.Pool, query: string): Promise<Buffer[]> {
  const client = await pool.connect();
  let failed: unknown;
  try {
    const chunks: Buffer[] = [];
    const copy = client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`));
    for await (const chunk of copy) chunks.push(chunk as Buffer);
    // pg starts the pool's query_timeout (postgres-store.ts) for every query and stops it in the
    // query's callback, which a COPY stream never calls: each pull's timer ran its 60 s, then told
    // the stream long done (and the connection, back in the pool or serving another request) that
    // the query had timed out. Called here, as pg would for a query that ended.
    (copy as { callback?: (error: unknown) => void }).callback?.(null);
    return chunks;
  } catch (error) {
    failed = error;
    throw error;
  } finally {
    // A connection whose COPY broke off may be mid-protocol: it is closed, not reused.
    client.release(failed instanceof Error ? failed : undefined);
  }
}

/** The first line (without its newline) and the bytes after it, still in pieces. */
export function splitFirstLine(chunks: readonly Buffer[]): { readonly first: Buffer; readonly rest: Buffer[] } {
  const head: Buffer[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const end = chunk.indexOf(NEWLINE);
    if (end === -1) {
      head.push(chunk);
      continue;
    }
    head.push(chunk.subarray(0, end));
    const rest = [chunk.subarray(end + 1), ...chunks.slice(i + 1)].filter((c) => c.length > 0);
    return { first: head.length === 1 ? head[0]! : Buffer.concat(head), rest };
  }
  throw new Error('COPY: no line in the output');
}

/** How many newlines the pieces hold: the rows, since JSON text holds none raw. */
export function countLines(chunks: readonly Buffer[]): number {
  let lines = 0;
  for (const chunk of chunks) {
    for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) lines += 1;
  }
  return lines;
}
