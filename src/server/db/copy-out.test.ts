import { describe, expect, it } from 'vitest';
import { countLines, splitFirstLine, sqlInt, sqlLiteral, sqlTextArray } from './copy-out';

const pieces = (...texts: string[]) => texts.map((t) => Buffer.from(t));
const text = (chunks: readonly Buffer[]) => Buffer.concat(chunks).toString('utf8');

describe('COPY lines as received', () => {
  it('splits off the first line wherever the pieces break, and keeps the rest as it came', () => {
    const whole = '{"head":3}\n{"a":"職員"}\n,{"b":2}\n';
    for (let cut = 0; cut <= Buffer.byteLength(whole); cut++) {
      const bytes = Buffer.from(whole);
      const { first, rest } = splitFirstLine([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(first.toString('utf8')).toBe('{"head":3}');
      expect(text(rest)).toBe('{"a":"職員"}\n,{"b":2}\n');
      expect(rest.every((c) => c.length > 0)).toBe(true);
    }
  });

  it('refuses output without a line', () => {
    expect(() => splitFirstLine(pieces('{"head":', '3}'))).toThrow(/no line/);
    expect(() => splitFirstLine([])).toThrow(/no line/);
  });

  it('counts the lines across pieces', () => {
    expect(countLines(pieces('a\nb', '\n', 'c\n'))).toBe(3);
    expect(countLines([])).toBe(0);
  });
});

describe('values written into a statement', () => {
  it('quotes text (quotes doubled, backslashes as E-strings) and writes NULL for null', () => {
    expect(sqlLiteral("o'clock")).toBe("'o''clock'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlTextArray(["x'", 'y'])).toBe("ARRAY['x''', 'y']::text[]");
  });

  it('writes only safe integers', () => {
    expect(sqlInt(42)).toBe('42');
    expect(sqlInt(null)).toBe('NULL');
    for (const bad of [1.5, Number.NaN, 2 ** 53, Number.POSITIVE_INFINITY]) expect(() => sqlInt(bad)).toThrow(/not an integer/);
  });
});
