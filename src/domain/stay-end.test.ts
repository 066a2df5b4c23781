import { describe, expect, it } from 'vitest';
import { stayDays, stayOf, validateEntry } from './case-fold';
import type { OutcomeBody, StayEndBody } from './emergency-case';
import { buildCase, contactBody, openBody } from '../../test/factories/emergency-case';

// Admitted 01:00 JST on 1 December (2026-11-30T16:00Z).
const admitted: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-11-30T16:00:00.000Z', note: '' };
const close = { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' } as const;
const end = (overrides: Partial<StayEndBody> = {}): StayEndBody => ({ type: 'stay-end', endedAt: '2026-12-04T01:00:00.000Z', exit: '自宅に戻った', note: '', ...overrides });
const later = '2026-12-05T00:00:00.000Z';

describe('the end of a stay and where the person went', () => {
  it('is taken by a closed case that ended in an admission, and read as the stay with its Japan days', async () => {
    const c = await buildCase([openBody(), contactBody(), admitted, close]);
    expect(validateEntry(c, end(), later)).toEqual([]);
    const ended = await buildCase([openBody(), contactBody(), admitted, close, { body: end(), at: later }]);
    expect(ended.stayEnd?.body.exit).toBe('自宅に戻った');
    expect(stayOf(ended)).toEqual({ caseId: 'case-1', from: admitted.from, fromDay: '2026-12-01', endedAt: '2026-12-04T01:00:00.000Z', endDay: '2026-12-04' });
    // 1, 2, 3, 4 December: the admission day and the day of leaving both count.
    expect(stayDays('2026-12-01', '2026-12-04')).toBe(4);
    expect(stayDays('2026-12-01', '2026-12-01')).toBe(1);
    expect(stayOf(c)?.endDay).toBeNull();
  });

  it('refuses an end before the admission, a missing note for 別の事業所 or その他, and a case without an admission', async () => {
    const c = await buildCase([openBody(), contactBody(), admitted, close]);
    expect(validateEntry(c, end({ endedAt: '2026-11-30T15:00:00.000Z' }), later)).toEqual(['退所の日時が、入所の日時（2026年12月1日 01:00）より前になっています。']);
    expect(validateEntry(c, end({ exit: '別の事業所' }), later)).toEqual(['「別の事業所」の場合は、退所後の行き先（備考）を入力してください。']);
    expect(validateEntry(c, end({ endedAt: '2026-12-09T00:00:00.000Z' }), later)).toEqual(['退所の日時が未来の時刻になっています。']);
    const home = await buildCase([openBody(), contactBody(), { ...admitted, outcome: '在宅で対応', facilityName: '', from: null }, close]);
    expect(validateEntry(home, end(), later)).toEqual(['退所を記録できるのは、対応結果が「短期入所」で入所の日時がある対応記録だけです。']);
  });

  it('is recorded once; a second is refused and a correction replaces it, the first staying in the chain', async () => {
    const entries = [openBody(), contactBody(), admitted, close, { body: end(), at: later }] as const;
    const c = await buildCase([...entries]);
    expect(validateEntry(c, end({ exit: '入院' }), later)).toEqual(['退所はすでに記録されています。誤りは「訂正」で記録してください。']);
    const firstId = c.entries.at(-1)!.id;
    const correction = { type: 'correction', corrects: firstId, reason: '行き先の誤り', replacement: end({ exit: '入院' }) } as const;
    expect(validateEntry(c, correction, later)).toEqual([]);
    const corrected = await buildCase([...entries, { body: correction, at: later }]);
    expect(corrected.stayEnd?.body.exit).toBe('入院');
    expect(corrected.stayEnd?.corrections.map((x) => x.reason)).toEqual(['行き先の誤り']);
    expect(corrected.entries.length).toBe(6);
  });
});
