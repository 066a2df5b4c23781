import { describe, expect, it } from 'vitest';
import { DISABILITY_TYPES } from './disability';
import { HUB_FUNCTIONS, HUB_FUNCTION_LABELS, closureOn, closureProblem, emptyAcceptance, emptyFacility, isPlausibleEmail } from './facility';

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

describe('休止・廃止', () => {
  it('holds a 休止 from its first day through its last, and a 廃止 from its day on', () => {
    const suspended = { closure: { kind: 'suspended', from: '2026-12-10', until: '2026-12-20', note: '' } } as const;
    expect(['2026-12-09', '2026-12-10', '2026-12-20', '2026-12-21'].map((d) => closureOn(suspended, d) !== null)).toEqual([false, true, true, false]);
    const closed = { closure: { kind: 'closed', from: '2026-12-10', until: null, note: '' } } as const;
    expect(['2026-12-09', '2026-12-10', '2030-01-01'].map((d) => closureOn(closed, d) !== null)).toEqual([false, true, true]);
    expect(closureOn({}, '2026-12-10')).toBeNull();
    expect(closureOn({ closure: null }, '2026-12-10')).toBeNull();
  });

  it('refuses a day that does not exist, a last day before the first, and a 廃止 with an end', () => {
    expect(closureProblem({ kind: 'suspended', from: '', until: null })).toEqual({ field: 'from', message: '休止の開始日を入力してください（2026-12-01 の形式）' });
    expect(closureProblem({ kind: 'suspended', from: '2026-02-30', until: null })?.field).toBe('from');
    expect(closureProblem({ kind: 'suspended', from: '2026-12-10', until: '2026-12-09' })).toEqual({ field: 'until', message: '休止の最終日が開始日より前になっています' });
    expect(closureProblem({ kind: 'closed', from: '2026-12-10', until: '2026-12-20' })?.field).toBe('until');
    expect(closureProblem({ kind: 'suspended', from: '2026-12-10', until: '2026-12-10' })).toBeNull();
    expect(closureProblem({ kind: 'closed', from: '2026-12-10', until: null })).toBeNull();
  });
});

describe('an e-mail address', () => {
  it('takes a plain address and refuses one whose mailto: link would add a hidden bcc or a written body', () => {
    expect(isPlausibleEmail('tanki@example.jp')).toBe(true);
    expect(isPlausibleEmail('short.stay+night@example.co.jp')).toBe(true);
    expect(isPlausibleEmail('')).toBe(true);
    for (const crafted of ['liaison@example.jp?bcc=x%40evil.example', 'a@b.jp&body=x', 'a@b.jp#x', 'a%b@example.jp']) {
      expect(isPlausibleEmail(crafted), crafted).toBe(false);
    }
  });
});
