/**
 * How large one record or case entry may be, as JSON (UTF-8 bytes): the hub refuses a change
 * above it, and the household form says so before saving. A household with every field filled at
 * length is under 20 KB (the demo's largest, 6.5 KB); the bound keeps a pull page of 2,000 records
 * within a few hundred MB of the hub's memory, where one record of megabytes pushed a thousand
 * times would have taken it down at every phone's next pull.
 */
export const MAX_RECORD_BYTES = 128 * 1024;

/** The size of a value as the hub stores it: its JSON text in UTF-8. */
export function recordBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}
