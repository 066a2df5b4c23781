import { describe, expect, it } from 'vitest';
import { DISABILITY_TYPES } from './disability';
import { HUB_FUNCTIONS, HUB_FUNCTION_LABELS, emptyAcceptance, emptyFacility } from './facility';

describe('emptyAcceptance', () => {
  it('starts every disability type closed for 者 and 児', () => {
    const matrix = emptyAcceptance();
    expect(Object.keys(matrix)).toEqual([...DISABILITY_TYPES]);
    expect(Object.values(matrix).every((a) => !a.adult && !a.child && a.note === '')).toBe(true);
  });

  it('gives a fresh matrix each time', () => {
    expect(emptyAcceptance()).not.toBe(emptyAcceptance());
  });
});

describe('facility labels', () => {
  it('labels every hub function in Japanese', () => {
    expect(HUB_FUNCTIONS.map((f) => HUB_FUNCTION_LABELS[f])).toEqual([
      '相談',
      '緊急時の受け入れ・対応',
      '緊急時の対応',
      '体験の機会・場',
      '専門的人材',
    ]);
  });

  it('starts a new facility with no vacancy report', () => {
    const f = emptyFacility('f-1', '2026-11-23T00:00:00.000Z');
    expect(f.vacancy).toBeNull();
    expect(f.createdAt).toBe(f.updatedAt);
  });
});
