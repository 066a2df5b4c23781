import { describe, expect, it } from 'vitest';
import { changesText, correctionChanges, EMPTY_VALUE } from './correction-changes';
import { formatJapanDateTime, formatJapanDateTimeCsv } from './japan-time';
import type { OutcomeBody } from './emergency-case';
import { contactBody, openBody } from '../../test/factories/emergency-case';

describe('correctionChanges: what a correction changed, original beside corrected (issue 14 point 4)', () => {
  it('a coordination time corrected from 12/1 00:05 to 11/30 23:55, in Japan time whatever the device zone', () => {
    const before = contactBody({ contactedAt: '2026-11-30T15:05:00.000Z' });
    const after = contactBody({ contactedAt: '2026-11-30T14:55:00.000Z' });
    expect(correctionChanges({ before, after }, formatJapanDateTime)).toEqual([
      { field: '連絡・調整を行った時刻', before: '2026年12月1日 00:05', after: '2026年11月30日 23:55' },
    ]);
    expect(changesText(correctionChanges({ before, after }, formatJapanDateTimeCsv))).toBe('連絡・調整を行った時刻 2026-12-01 00:05 → 2026-11-30 23:55');
  });

  it('lists every changed field of a request, an empty value shown as （なし）', () => {
    const before = openBody();
    const after = openBody({ requestedAt: '2026-11-30T14:40:00.000Z', requestedAtReason: '通話中だった', category: '介護者の入院' });
    expect(correctionChanges({ before, after }, formatJapanDateTimeCsv)).toEqual([
      { field: '要請のあった時間', before: '2026-11-30 23:50', after: '2026-11-30 23:40' },
      { field: '要請時間を遡った理由', before: EMPTY_VALUE, after: '通話中だった' },
      { field: '要請の内容（区分）', before: '介護者の急病・けが', after: '介護者の入院' },
    ]);
  });

  it('a result and an outcome', () => {
    expect(correctionChanges({ before: contactBody({ result: '不在' }), after: contactBody({ result: '受入不可' }) }, formatJapanDateTime)).toEqual([
      { field: '結果', before: '不在', after: '受入不可' },
    ]);
    const stay: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'f', facilityName: 'あおぞら', from: '2026-11-30T16:00:00.000Z', note: '' };
    const hospital: OutcomeBody = { ...stay, outcome: '入院', facilityId: null, facilityName: '', from: null };
    expect(correctionChanges({ before: stay, after: hospital }, formatJapanDateTimeCsv)).toEqual([
      { field: '対応結果', before: '短期入所', after: '入院' },
      { field: '入所先', before: 'あおぞら', after: EMPTY_VALUE },
      { field: '入所日時', before: '2026-12-01 01:00', after: EMPTY_VALUE },
    ]);
  });

  it('is empty for a withdrawal (the entry is shown as 取消) and for a correction that changed nothing shown', () => {
    expect(correctionChanges({ before: contactBody(), after: null }, formatJapanDateTime)).toEqual([]);
    expect(correctionChanges({ before: contactBody(), after: contactBody() }, formatJapanDateTime)).toEqual([]);
  });
});
