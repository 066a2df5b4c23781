/**
 * Text that devices and users supplied (device ids and names, refusal and quarantine details, login
 * and display names...) as the admin commands print it on the admin's terminal. Stored text is
 * only kept free of NUL and lone surrogates, so a device named "\x1b]52;c;...\x07" (an OSC 52
 * clipboard write) or one that rewrites the screen or the window title would otherwise run on the
 * admin's terminal when `npm run admin -- list-devices` prints it.
 *
 * Each C0 control (tab, newline and carriage return included: one record stays one line), DEL,
 * each C1 control (U+0080–U+009F) and the bidi overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069, which reorder what follows them) is written as visible text: `\x1b`, `\u202e`.
 * Everything else, Japanese text included, is printed as it is.
 */

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;
/** the same without tab and newline: for whole lines the commands lay out themselves */
const UNSAFE_IN_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

function visible(char: string): string {
  const code = char.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One field as it may be printed: no control or bidi character left, on one line. */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, visible);
}

/**
 * JSON text (JSON.stringify's, which escapes C0 controls already) with DEL, the C1 controls and
 * the bidi characters written as JSON escapes (\u009b): safe on the terminal, and still the same
 * JSON when an admin copies it. Those characters can only stand inside JSON strings.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE, (char) => `\\u${char.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** One output row of fields, tab-separated, each made safe by terminalSafe. */
export function terminalRow(fields: readonly (string | number)[]): string {
  return fields.map((field) => terminalSafe(String(field))).join('\t');
}

/**
 * A whole message or output line as admin.ts prints it (a backstop for text no command escaped,
 * e.g. an error that names a device): tabs and newlines stay, as the command laid them out.
 */
export function terminalSafeLines(text: string): string {
  return text.replace(UNSAFE_IN_LINES, visible);
}
