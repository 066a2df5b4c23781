/**
 * The pull cursor as it travels: `<epoch>:<version>`. The epoch names the hub's database (a new
 * one after a restore from backup, docs/hub-server.md "Backups that restore"); the version is the
 * highest one the device has seen in it [S2]. A cursor from before epochs is a bare version. This
 * is the one place that reads or writes the text.
 */

export interface Cursor {
  /** null: a cursor from before epochs, or a device that has never pulled */
  readonly epoch: string | null;
  readonly version: number;
}

/** An epoch: letters, digits and '-', as a UUID is written. */
export const EPOCH_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
const CURSOR_PATTERN = /^(?:([A-Za-z0-9-]{1,64}):)?(0|[1-9][0-9]{0,15})$/;

export function formatCursor(cursor: Cursor): string {
  return cursor.epoch === null ? String(cursor.version) : `${cursor.epoch}:${cursor.version}`;
}

/** The cursor in `text`, or null when it is not one (a version beyond 2^53, a bad epoch). */
export function parseCursor(text: string): Cursor | null {
  const match = CURSOR_PATTERN.exec(text);
  if (match === null) return null;
  const version = Number(match[2]);
  if (!Number.isSafeInteger(version)) return null;
  return { epoch: match[1] ?? null, version };
}
