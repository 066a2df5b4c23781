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

/** What a character that prints as nothing or as a blank is called in a message; by its kind otherwise. */
const INVISIBLE_NAMES: readonly (readonly [RegExp, string])[] = [
  [/^\u00A0$/u, 'ノーブレークスペース'],
  [/^\u200B$/u, 'ゼロ幅スペース'],
  [/^\uFEFF$/u, 'BOM（ゼロ幅の空白）'],
  [/^[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]$/u, '異体字セレクタ'],
  [/^\p{Zs}$/u, '特殊な空白'],
  [/^\p{Cc}$/u, '制御文字'],
  [/^\p{Co}$/u, '外字'],
  [/^\p{M}$/u, '結合文字'],
];

/**
 * `ch` as a message can show it: itself, or, when it prints as nothing or as a blank (a
 * no-break space, a zero-width space, the variation selector a name keeps after 辻), its name and
 * code point, so the user sees what to look for: 「異体字セレクタ U+E0100」.
 */
export function shownChar(ch: string): string {
  if (!/^[\p{C}\p{Z}\p{M}]$/u.test(ch)) return ch;
  const name = INVISIBLE_NAMES.find(([pattern]) => pattern.test(ch))?.[1] ?? '見えない文字';
  return `${name} U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The characters a refusal names, each as shownChar shows it. */
export const shownChars = (chars: readonly string[]): string => chars.map(shownChar).join('、');

/** CP932 bytes; throws ShiftJisUnencodableError rather than write '?' for a character it cannot hold. */
export function encodeShiftJis(text: string): Uint8Array<ArrayBuffer> {
  const lost = shiftJisUnencodable(text);
  if (lost.length > 0) throw new ShiftJisUnencodableError(lost);
  return new Uint8Array(toShiftJisCodes(text));
}

/**
 * Pairs of characters a Shift_JIS file turns one into the other: JIS and CP932 map one code to
 * different Unicode characters (〜 is written as the code Windows reads back as ～), and a dash
 * typed on a Mac (— U+2014) comes back from CP932 as ―. Keyed by the one that does not come back.
 */
const SHIFT_JIS_ROUND_TRIP: Readonly<Record<string, string>> = {
  '\u301C': '\uFF5E', // 〜 ～
  '\u2212': '\uFF0D', // − －
  '\u2016': '\u2225', // ‖ ∥
  '\u00A2': '\uFFE0', // ¢ ￠
  '\u00A3': '\uFFE1', // £ ￡
  '\u00AC': '\uFFE2', // ¬ ￢
  '\u2014': '\u2015', // — ―
};
const ROUND_TRIP_CHARS = new RegExp(`[${Object.keys(SHIFT_JIS_ROUND_TRIP).join('')}]`, 'gu');

/** True when `a` and `b` differ only by characters a Shift_JIS round trip swaps (〜 and ～, − and －, …). */
export function sameAfterShiftJisRoundTrip(a: string, b: string): boolean {
  if (a === b) return true;
  const fold = (s: string) => s.replace(ROUND_TRIP_CHARS, (ch) => SHIFT_JIS_ROUND_TRIP[ch] ?? ch);
  return a.length === b.length && fold(a) === fold(b);
}

export function encodeCsvBytes(text: string, encoding: CsvByteEncoding): Uint8Array<ArrayBuffer> {
  return encoding === 'utf-8-bom' ? encodeUtf8WithBom(text) : encodeShiftJis(text);
}
