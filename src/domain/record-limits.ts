/**
 * How large one record or case entry may be, as JSON (UTF-8 bytes): the hub refuses a change
 * above it, and the household form, the 見直し and the 登録廃止 say so before saving. A household with every field filled at
 * length is under 20 KB (the demo's largest, 6.5 KB); the bound keeps a pull page of 2,000 records
 * within a few hundred MB of the hub's memory, where one record of megabytes pushed a thousand
 * times would have taken it down at every phone's next pull.
 */
export const MAX_RECORD_BYTES = 128 * 1024;

/** The size of a value as the hub stores it: its JSON text in UTF-8. */
export function recordBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/**
 * Why a record cannot be saved for its size (the hub takes none above MAX_RECORD_BYTES), or null;
 * `advice` says what to do where the text to shorten is not on the screen (another form's).
 */
export function recordTooLarge(record: unknown, advice = '長い文章を短くしてください。'): string | null {
  const bytes = recordBytes(record);
  return bytes > MAX_RECORD_BYTES ? `記録が大きすぎて保存できません（${Math.ceil(bytes / 1024)} KB、上限 ${MAX_RECORD_BYTES / 1024} KB）。${advice}` : null;
}
