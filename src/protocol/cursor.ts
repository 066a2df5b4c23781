/**
 * The pull cursor as it travels: `<epoch>:<version>:<mark>`. The epoch names the hub's database (a
 * new one after `npm run admin -- restore`, docs/hub-server.md "Backups that restore"); the version
 * is the highest one the device has seen in it [S2]; the mark is the hub's clock (milliseconds since
 * 1970, rounded up) when it handed the cursor out, after every version up to the cursor was
 * committed. With the mark the hub notices a database put back some other way (pg_restore or psql
 * by hand, a point-in-time recovery) that kept the epoch: a cursor beyond its head, or a version it
 * holds written after the mark, is not from its timeline [S15]. A cursor without a mark (from
 * before marks, or handed out while the head moved) and a bare version (from before epochs) are
 * still read. This is the one place that reads or writes the text.
 */

/**
 * A pull that sends this header as '1' reads marked cursors: the hub marks the cursor only then,
 * since an app from before marks reads a cursor strictly and would take a mark for a broken answer.
 */
export const CURSOR_MARK_HEADER = 'x-kyoten-cursor-mark';
/**
 * On a pull answer with more to come: its cursor, as in the body. An app reads it with the answer's
 * headers and asks for the next page while this one's body is still arriving and being parsed; the
 * body stays the answer (a page asked at a cursor the body does not confirm is dropped).
 */
export const PULL_NEXT_HEADER = 'x-kyoten-pull-next';

export interface Cursor {
  /** null: a cursor from before epochs, or a device that has never pulled */
  readonly epoch: string | null;
  readonly version: number;
  /** the hub's clock when it handed the cursor out (ms, rounded up); null or absent: no check */
  readonly mark?: number | null;
}

/** [epoch:]version[:mark]; an epoch is letters, digits and '-', as a UUID is written. */
const CURSOR_PATTERN = /^(?:([A-Za-z0-9-]{1,64}):)?(0|[1-9][0-9]{0,15})(?::([1-9][0-9]{0,15}))?$/;

export function formatCursor(cursor: Cursor): string {
  if (cursor.epoch === null) return String(cursor.version);
  // Version 0 is the start of every timeline: it needs no check.
  const mark = cursor.mark === undefined || cursor.mark === null || cursor.version === 0 ? '' : `:${cursor.mark}`;
  return `${cursor.epoch}:${cursor.version}${mark}`;
}

/** The cursor in `text`, or null when it is not one (a version or mark beyond 2^53, a bad epoch, a mark without an epoch). */
export function parseCursor(text: string): Cursor | null {
  const match = CURSOR_PATTERN.exec(text);
  if (match === null) return null;
  const version = Number(match[2]);
  if (!Number.isSafeInteger(version)) return null;
  if (match[3] === undefined) return { epoch: match[1] ?? null, version };
  const mark = Number(match[3]);
  if (match[1] === undefined || !Number.isSafeInteger(mark)) return null;
  return { epoch: match[1], version, mark };
}
