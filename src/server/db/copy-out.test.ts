import { describe, expect, it } from 'vitest';
import { int8Of, parseBinaryCopy, sqlInt, sqlLiteral, sqlTextArray } from './copy-out';

/** A binary COPY stream as PostgreSQL writes it: header, rows of (int8, text or NULL), trailer. */
function stream(rows: readonly (readonly [bigint, string | null])[], extension = Buffer.alloc(0)): Buffer {
  const parts = [Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(4), Buffer.alloc(4)];
  parts[2]!.writeUInt32BE(extension.length);
  parts.push(extension);
  for (const [n, text] of rows) {
    const head = Buffer.alloc(2 + 4 + 8 + 4);
    head.writeInt16BE(2, 0);
    head.writeInt32BE(8, 2);
    head.writeBigInt64BE(n, 6);
    head.writeInt32BE(text === null ? -1 : Buffer.byteLength(text), 14);
    parts.push(head, Buffer.from(text ?? ''));
  }
  parts.push(Buffer.from([0xff, 0xff]));
  return Buffer.concat(parts);
}

describe('binary COPY', () => {
  it('reads each row field by field, UTF-8 bytes as sent and NULL as null, past a header extension', () => {
    const rows = parseBinaryCopy(stream([[0n, '{"a":1}'], [7n, '利用者 😀'], [9n, null]], Buffer.from('ext')));
    expect(rows.map((r) => int8Of(r[0]!))).toEqual([0, 7, 9]);
    expect(rows.map((r) => r[1]?.toString('utf8') ?? null)).toEqual(['{"a":1}', '利用者 😀', null]);
  });

  it('refuses a stream without its header, cut off, or with a field running past the end', () => {
    const whole = stream([[1n, 'abc']]);
    expect(() => parseBinaryCopy(Buffer.from('not copy'))).toThrow(/header/);
    expect(() => parseBinaryCopy(whole.subarray(0, whole.length - 2))).toThrow(/cut off/);
    expect(() => parseBinaryCopy(whole.subarray(0, whole.length - 4))).toThrow(/runs past|cut off/);
  });

  it('refuses an int8 past 2^53 rather than rounding it', () => {
    const [row] = parseBinaryCopy(stream([[2n ** 53n, 'x']]));
    expect(() => int8Of(row![0]!)).toThrow(/2\^53/);
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
