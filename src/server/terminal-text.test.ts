// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { terminalRow, terminalSafe, terminalSafeJson, terminalSafeLines } from './terminal-text';

/** Anything a terminal could take as a control, or that reorders what follows it. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('terminalSafe: what devices and users sent, as the admin commands print it', () => {
  it('writes an OSC 52 clipboard write, a screen rewrite and a title change as visible text', () => {
    expect(terminalSafe('\u001b]52;c;aGVsbG8=\u0007')).toBe('\\x1b]52;c;aGVsbG8=\\x07');
    expect(terminalSafe('\u001b[2J\u001b[H端末')).toBe('\\x1b[2J\\x1b[H端末');
    expect(terminalSafe('\u001b]0;title\u001b\\')).toBe('\\x1b]0;title\\x1b\\');
  });

  it('escapes every C0 control (tab, newline and carriage return too: one record, one line), DEL and every C1 control', () => {
    expect(terminalSafe('a\tb\nc\rd')).toBe('a\\x09b\\x0ac\\x0dd');
    expect(terminalSafe('\u0000\u0001\u001f\u007f')).toBe('\\x00\\x01\\x1f\\x7f');
    // U+009B is CSI and U+009D is OSC, in one character each
    expect(terminalSafe('\u0080\u009b2J\u009d0;x\u009c\u009f')).toBe('\\x80\\x9b2J\\x9d0;x\\x9c\\x9f');
    for (let code = 0; code < 0x20; code++) expect(terminalSafe(String.fromCharCode(code))).not.toMatch(UNSAFE);
    for (let code = 0x7f; code <= 0x9f; code++) expect(terminalSafe(String.fromCharCode(code))).not.toMatch(UNSAFE);
  });

  it('escapes the bidi overrides and isolates', () => {
    expect(terminalSafe('abc\u202etxt.exe')).toBe('abc\\u202etxt.exe');
    expect(terminalSafe('\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069')).toBe('\\u202a\\u202b\\u202c\\u202d\\u2066\\u2067\\u2068\\u2069');
  });

  it('leaves Japanese and other printable text as it is', () => {
    const text = 'オンコール携帯 1（松戸市 地域生活支援拠点）「佐藤」様 — 夜間は長女に連絡 ① 🚑 é ¥ \u00a0';
    expect(terminalSafe(text)).toBe(text);
    expect(terminalSafe('{"id":"hh-1","note":"\\u001b"}')).toBe('{"id":"hh-1","note":"\\u001b"}');
    expect(terminalSafe('')).toBe('');
  });

  it('terminalRow: tab-separated fields, each escaped, so a field never adds a column or a line', () => {
    const row = terminalRow(['phone\u001b[2J', '\u001b]52;c;aGk=\u0007', 'worker-a', 'seq 3', 12]);
    expect(row).toBe('phone\\x1b[2J\t\\x1b]52;c;aGk=\\x07\tworker-a\tseq 3\t12');
    expect(terminalRow(['a\tb', 'c\nd']).split('\t')).toEqual(['a\\x09b', 'c\\x0ad']);
  });

  it('terminalSafeLines: a whole message keeps its tabs and newlines and loses every other control', () => {
    expect(terminalSafeLines('device x\u001b]52;c;aGk=\u0007 is disabled\n\tnext line\r')).toBe('device x\\x1b]52;c;aGk=\\x07 is disabled\n\tnext line\\x0d');
    expect(terminalSafeLines('a\u009b31m\u202eb')).toBe('a\\x9b31m\\u202eb');
    // what terminalSafe wrote stays as it is
    expect(terminalSafeLines(terminalSafe('\u001b[2J'))).toBe('\\x1b[2J');
  });
});

describe('terminalSafeJson', () => {
  it('writes DEL, C1 and bidi characters as JSON escapes: safe on the terminal, and the same JSON when copied', () => {
    const change = JSON.stringify({ payload: { name: 'ひかり\u009b31m\u202eenohp\u007f', note: 'a\nb' } });
    const printed = terminalSafeJson(change);
    expect(printed).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u);
    expect(JSON.parse(printed)).toEqual(JSON.parse(change));
  });
});
