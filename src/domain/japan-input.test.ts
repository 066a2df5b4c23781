import { describe, expect, it } from 'vitest';
import { fromJapanInputValue, toJapanInputValue } from './japan-input';

describe('datetime-local values in Japan time', () => {
  it('writes and reads Japan wall time across the date line', () => {
    expect(toJapanInputValue('2026-11-30T15:20:00.000Z')).toBe('2026-12-01T00:20');
    expect(fromJapanInputValue('2026-12-01T00:20')).toBe('2026-11-30T15:20:00.000Z');
  });

  it('refuses values that are not a real time', () => {
    expect(fromJapanInputValue('2026-02-31T10:00')).toBeNull();
    expect(fromJapanInputValue('2026-11-30 23:50')).toBeNull();
    expect(fromJapanInputValue('')).toBeNull();
  });
});
