import { describe, expect, it } from 'vitest';
import { encodeShiftJis, ShiftJisUnencodableError, shownChar, shownChars } from './csv-encoding';

describe('a refused Shift_JIS character as a message shows it', () => {
  it('is itself when it can be seen', () => {
    expect(shownChars(['𠮷', '😀', '①'])).toBe('𠮷、😀、①');
  });

  it('is its name and code point when it prints as nothing or as a blank', () => {
    expect(shownChar('\u200B')).toBe('ゼロ幅スペース U+200B');
    expect(shownChar('\uFE00')).toBe('異体字セレクタ U+FE00');
    expect(shownChar('\u2009')).toBe('特殊な空白 U+2009');
    expect(shownChar('\u0007')).toBe('制御文字 U+0007');
    expect(shownChar('\uE000')).toBe('外字 U+E000');
    expect(shownChar('\u3099')).toBe('結合文字 U+3099');
    expect(shownChar('\u2060')).toBe('見えない文字 U+2060');
  });

  it('is what a facility list written as Shift_JIS is refused for: each character Shift_JIS cannot hold, visible or not', () => {
    let error: unknown;
    try {
      encodeShiftJis('葛\u{E0100}西\u00A0ホーム');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShiftJisUnencodableError);
    expect(shownChars((error as ShiftJisUnencodableError).chars)).toBe('異体字セレクタ U+E0100、ノーブレークスペース U+00A0');
  });
});
