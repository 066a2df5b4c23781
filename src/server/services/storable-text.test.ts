import { describe, expect, it } from 'vitest';
import { unstorableText } from './storable-text';

describe('unstorableText', () => {
  it('[A2] finds a NUL or a lone surrogate in any string or key, and names where', () => {
    expect(unstorableText({ a: ['ok', { b: 'x\u0000y' }] })).toBe('(body).a[1].b');
    expect(unstorableText({ persons: [{ medication: 'インスリン\ud800' }] }, 'change')).toBe('change.persons[0].medication');
    expect(unstorableText({ ['k\u0000']: 1 })).toBe('(body) (a key)');
    expect(unstorableText({ a: 'インスリン 😀', n: 1, t: true, z: null })).toBeNull();
  });

  it('walks nesting a million deep without overflowing the stack', () => {
    const deep = JSON.parse('['.repeat(1_000_000) + '"\\u0000"' + ']'.repeat(1_000_000)) as unknown;
    expect(unstorableText(deep)).toMatch(/\[0\]$/);
  });
});
