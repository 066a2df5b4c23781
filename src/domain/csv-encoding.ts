/**
 * Bytes for the CSV files the app writes (facility list, claim exports): UTF-8 with a BOM so Excel
 * opens it as UTF-8, or Shift_JIS (CP932) for tools that read nothing else. Shift_JIS cannot hold
 * every character; encoding-japanese would write '?' for those, which on an official record is a
 * silent change, so encodeShiftJis refuses instead and names the characters.
 */
import Encoding from 'encoding-japanese';

export type CsvByteEncoding = 'utf-8-bom' | 'shift_jis';

const QUESTION_MARK = 0x3f;

/** Thrown by encodeShiftJis; callers turn it into a message in their own words. */
export class ShiftJisUnencodableError extends Error {
  override readonly name = 'ShiftJisUnencodableError';
  constructor(readonly chars: readonly string[]) {
    super(`Shift_JIS cannot represent: ${chars.join(' ')}`);
  }
}

export function encodeUtf8WithBom(text: string): Uint8Array<ArrayBuffer> {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf]);
  out.set(body, 3);
  return out;
}

function toShiftJisCodes(text: string): number[] {
  return Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' });
}

/**
 * The distinct characters of `text` that CP932 cannot hold, in order of first appearance (a
 * surrogate pair such as 𠮷 or 😀 counts as one). JIS characters whose Unicode mapping differs
 * between JIS and CP932 (〜 U+301C, − U+2212, ‖ U+2016, ¢ £ ¬) are representable: they are written
 * as the CP932 code that Windows shows as ～ － ∥ ￠ ￡ ￢.
 */
export function shiftJisUnencodable(text: string): string[] {
  return [...new Set(text)].filter((ch) => ch !== '?' && toShiftJisCodes(ch).includes(QUESTION_MARK));
}

/** CP932 bytes; throws ShiftJisUnencodableError rather than write '?' for a character it cannot hold. */
export function encodeShiftJis(text: string): Uint8Array<ArrayBuffer> {
  const lost = shiftJisUnencodable(text);
  if (lost.length > 0) throw new ShiftJisUnencodableError(lost);
  return new Uint8Array(toShiftJisCodes(text));
}

export function encodeCsvBytes(text: string, encoding: CsvByteEncoding): Uint8Array<ArrayBuffer> {
  return encoding === 'utf-8-bom' ? encodeUtf8WithBom(text) : encodeShiftJis(text);
}
