/**
 * How the queue goes to the hub: batches of at most MAX_PUSH_CHANGES changes and PUSH_BATCH_BYTES
 * of JSON, in seq order. A batch the hub (or a proxy in front of it) still refuses as too large is
 * sent again as two halves, down to one change: counting changes alone, 1,000 households grown by
 * years of reviews made a body over the hub's limit, refused whole at every run, and everything
 * queued behind it never reached the hub.
 */
import { MAX_PUSH_CHANGES, PUSH_BATCH_BYTES } from '../protocol/sync';

/** The bytes of `text` in UTF-8, as the body goes on the wire (a surrogate pair counts 4). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return bytes;
}

/** The queue cut into batches in order; a change larger than `maxBytes` alone is a batch of its own. */
export function pushBatches<T>(queue: readonly T[], maxBytes = PUSH_BATCH_BYTES, maxChanges = MAX_PUSH_CHANGES): T[][] {
  const out: T[][] = [];
  let batch: T[] = [];
  let bytes = 0;
  for (const change of queue) {
    // +1: the comma between the changes of the body's array
    const size = utf8Length(JSON.stringify(change)) + 1;
    if (batch.length > 0 && (batch.length >= maxChanges || bytes + size > maxBytes)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(change);
    bytes += size;
  }
  if (batch.length > 0) out.push(batch);
  return out;
}

/** A refused batch as two, in order; null for a single change, which cannot be made smaller. */
export function halves<T>(batch: readonly T[]): [T[], T[]] | null {
  if (batch.length < 2) return null;
  const middle = Math.ceil(batch.length / 2);
  return [batch.slice(0, middle), batch.slice(middle)];
}

/**
 * Sends the queue batch by batch, in order. `send` answers whether to go on; a batch it fails as
 * too large (`tooLarge`) is sent again as its two halves, and a single change still too large is
 * thrown, staying queued. `last`: this is the last batch as it now stands.
 */
export async function sendInBatches<T>(
  queue: readonly T[],
  send: (batch: readonly T[], last: boolean) => Promise<boolean>,
  tooLarge: (error: unknown) => boolean,
): Promise<void> {
  const batches = pushBatches(queue);
  for (let i = 0; i < batches.length; i++) {
    const batch = batches[i]!;
    let goOn: boolean;
    try {
      goOn = await send(batch, i === batches.length - 1);
    } catch (error) {
      const split = tooLarge(error) ? halves(batch) : null;
      if (split === null) throw error;
      batches.splice(i, 1, ...split);
      i--;
      continue;
    }
    if (!goOn) return;
  }
}
