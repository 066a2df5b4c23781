// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { formatCursor, parseCursor } from './cursor';

describe('[S15] the pull cursor as it travels', () => {
  it('carries the epoch and the version, and reads back what it wrote', () => {
    const epoch = '7d0c7a52-36a8-4b4e-9d3c-0f1e2a3b4c5d';
    expect(formatCursor({ epoch, version: 42 })).toBe(`${epoch}:42`);
    expect(parseCursor(`${epoch}:42`)).toEqual({ epoch, version: 42 });
    expect(parseCursor(formatCursor({ epoch: null, version: 7 }))).toEqual({ epoch: null, version: 7 });
  });

  it('reads a bare version (a device from before epochs) and refuses anything else', () => {
    expect(parseCursor('0')).toEqual({ epoch: null, version: 0 });
    for (const bad of ['', '-1', '01', 'e:', ':5', 'a b:5', '1.5', `e:${'9'.repeat(17)}`, 'e:9007199254740993', `${'x'.repeat(65)}:1`]) {
      expect(parseCursor(bad), bad).toBeNull();
    }
  });
});
