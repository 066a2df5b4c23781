// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { formatCursor, parseCursor } from './cursor';

describe('[S15] the pull cursor as it travels', () => {
  const epoch = '7d0c7a52-36a8-4b4e-9d3c-0f1e2a3b4c5d';

  it('carries the epoch and the version, and reads back what it wrote', () => {
    expect(formatCursor({ epoch, version: 42 })).toBe(`${epoch}:42`);
    expect(parseCursor(`${epoch}:42`)).toEqual({ epoch, version: 42 });
    expect(parseCursor(formatCursor({ epoch: null, version: 7 }))).toEqual({ epoch: null, version: 7 });
  });

  it("carries the hub's mark when it has one, and none at version 0", () => {
    const mark = Date.parse('2026-12-03T12:00:00.001Z');
    expect(formatCursor({ epoch, version: 42, mark })).toBe(`${epoch}:42:${mark}`);
    expect(parseCursor(`${epoch}:42:${mark}`)).toEqual({ epoch, version: 42, mark });
    expect(formatCursor({ epoch, version: 0, mark })).toBe(`${epoch}:0`);
    expect(formatCursor({ epoch, version: 5, mark: null })).toBe(`${epoch}:5`);
    // every cursor the hub can hand out fits the answer's 100 characters
    expect(formatCursor({ epoch: 'e'.repeat(64), version: Number.MAX_SAFE_INTEGER, mark: Number.MAX_SAFE_INTEGER }).length).toBeLessThanOrEqual(100);
  });

  it('reads a bare version (a device from before epochs) and refuses anything else', () => {
    expect(parseCursor('0')).toEqual({ epoch: null, version: 0 });
    for (const bad of [
      '',
      '-1',
      '01',
      'e:',
      ':5',
      'a b:5',
      '1.5',
      `e:${'9'.repeat(17)}`,
      'e:9007199254740993',
      `${'x'.repeat(65)}:1`,
      // a mark needs an epoch, is a positive integer below 2^53, and comes once
      'e:5:',
      'e:5:0',
      'e:5:-1',
      'e:5:01',
      'e:5:1:2',
      'e:5:9007199254740993',
      'e:5:1e3',
    ]) {
      expect(parseCursor(bad), bad).toBeNull();
    }
  });
});
