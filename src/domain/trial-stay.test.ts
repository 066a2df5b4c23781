import { describe, expect, it } from 'vitest';
import { createTrialStay } from '../../test/factories/trial-stay';
import { cancelTrialStay, staysOfPerson, trialStaysByFacility, validateTrialStay, type TrialStayDraft } from './trial-stay';

const facilities = new Map([
  ['fac-1', { name: 'あおぞら短期入所' }],
  ['fac-2', { name: 'みどり荘' }],
]);
const draft = (overrides: Partial<TrialStayDraft> = {}): TrialStayDraft => ({
  facilityId: 'fac-2',
  from: '2026-06-01',
  to: '2026-06-03',
  purpose: ' グループホームの体験 ',
  howItWent: '',
  nextTime: '',
  ...overrides,
});
const ctx = (stays = [createTrialStay({ from: '2026-05-10', to: '2026-05-11' })]) => ({
  id: 'ts-new',
  householdId: 'hh-1',
  personId: 'p-1',
  facilities,
  stays,
  recordedBy: '小野 恵美',
  now: '2026-06-04T01:00:00.000Z',
});

describe('validateTrialStay', () => {
  it('accepts a stay at a known facility, keeping the facility name as it is now and trimming text', () => {
    const result = validateTrialStay(draft(), ctx());
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ id: 'ts-new', facilityId: 'fac-2', facilityName: 'みどり荘', from: '2026-06-01', to: '2026-06-03', purpose: 'グループホームの体験', recordedBy: '小野 恵美', createdAt: '2026-06-04T01:00:00.000Z' }),
    });
  });

  it('refuses an end before the start, naming 利用終了日', () => {
    const result = validateTrialStay(draft({ from: '2026-06-03', to: '2026-06-01' }), ctx());
    expect(result).toEqual({ ok: false, errors: [{ path: 'to', message: '利用終了日が利用開始日より前になっています' }] });
  });

  it('refuses a stay that has not begun by today in Japan (a plan), and takes one that began today', () => {
    // 2026-06-04 10:00 JST
    expect(validateTrialStay(draft({ from: '2026-06-05', to: '2026-06-06' }), ctx())).toEqual({
      ok: false,
      errors: [{ path: 'from', message: '利用開始日が今日より後です。体験利用は、利用が始まってから記録してください（予定は記録できません）' }],
    });
    expect(validateTrialStay(draft({ from: '2026-06-04', to: '2026-06-05' }), ctx()).ok).toBe(true);
    // 15:30 UTC on the 3rd is already 00:30 on the 4th in Japan
    expect(validateTrialStay(draft({ from: '2026-06-04', to: '2026-06-04' }), { ...ctx(), now: '2026-06-03T15:30:00.000Z' }).ok).toBe(true);
  });

  it('refuses a facility that is not registered', () => {
    const result = validateTrialStay(draft({ facilityId: 'fac-gone' }), ctx());
    expect(result).toEqual({ ok: false, errors: [{ path: 'facilityId', message: '選んだ事業所は登録されていません。事業所の一覧を確かめてください' }] });
  });

  it('refuses missing and impossible dates and a missing facility, one message per field', () => {
    const result = validateTrialStay(draft({ facilityId: '', from: '', to: '2026-02-30' }), ctx());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      { path: 'facilityId', message: '利用した事業所を選んでください' },
      { path: 'from', message: '利用開始日を入力してください' },
      { path: 'to', message: '利用終了日に存在しない日付が入力されています' },
    ]);
  });

  it('refuses a stay sharing a day with another stay of the same person, both ends counting', () => {
    const result = validateTrialStay(draft({ from: '2026-05-11', to: '2026-05-12' }), ctx());
    expect(result).toEqual({
      ok: false,
      errors: [{ path: 'from', message: '同じ方の別の体験利用（あおぞら短期入所、2026-05-10〜2026-05-11）と期間が重なっています' }],
    });
  });

  it('lets another person of the household, or the next day, have a stay; an edit does not overlap itself', () => {
    const sibling = createTrialStay({ personId: 'p-2', from: '2026-06-01', to: '2026-06-03' });
    expect(validateTrialStay(draft(), ctx([sibling])).ok).toBe(true);
    expect(validateTrialStay(draft({ from: '2026-05-12', to: '2026-05-12' }), ctx()).ok).toBe(true);
    const own = createTrialStay({ id: 'ts-new', from: '2026-06-01', to: '2026-06-02' });
    expect(validateTrialStay(draft(), ctx([own])).ok).toBe(true);
  });

  it('[V1] an edit keeps what a newer app wrote on the stay, and its 取消, as they were', () => {
    const newer = {
      ...createTrialStay({ id: 'ts-new', facilityId: 'fac-2', facilityName: 'みどり荘', from: '2026-06-01', to: '2026-06-03', recordedBy: '佐藤 花子' }),
      cancelled: { reason: '別の方の記録', by: '相談 一郎', at: '2026-06-04T00:30:00.000Z', newerWho: 'u-9' },
      newerRating: { stars: 4, notes: ['夜は眠れた'] },
    };
    const result = validateTrialStay(draft({ howItWent: '二日目から落ち着いた' }), { ...ctx([newer]), previous: newer });
    expect(result).toEqual({
      ok: true,
      value: { ...newer, purpose: 'グループホームの体験', howItWent: '二日目から落ち着いた', nextTime: '', updatedAt: '2026-06-04T01:00:00.000Z' },
    });
  });

  it('lists one person’s stays, the latest first', () => {
    const a = createTrialStay({ from: '2026-04-01', to: '2026-04-01' });
    const b = createTrialStay({ from: '2026-07-01', to: '2026-07-02' });
    const other = createTrialStay({ personId: 'p-9' });
    expect(staysOfPerson([a, other, b], 'hh-1', 'p-1').map((s) => s.from)).toEqual(['2026-07-01', '2026-04-01']);
  });
});

describe('cancelTrialStay (取消)', () => {
  const stay = createTrialStay({ id: 'ts-1', householdId: 'h1', personId: 'p1', facilityId: 'f1', from: '2026-05-10', to: '2026-05-11' });
  const at = '2026-05-12T00:00:00.000Z';

  it('needs a reason, keeps the record with who and when, and is done once', () => {
    expect(cancelTrialStay(stay, '  ', '相談 一郎', at)).toEqual({ ok: false, message: '取り消す理由を入力してください' });
    const done = cancelTrialStay(stay, ' 取り違え ', '相談 一郎', at);
    expect(done).toEqual({ ok: true, value: { ...stay, cancelled: { reason: '取り違え', by: '相談 一郎', at }, updatedAt: at } });
    if (!done.ok) return;
    expect(cancelTrialStay(done.value, '再度', '相談 一郎', at)).toEqual({ ok: false, message: 'この体験利用は取り消し済みです' });
  });

  it('a cancelled stay no longer ranks its facility in the match', () => {
    const other = createTrialStay({ id: 'ts-2', householdId: 'h1', personId: 'p1', facilityId: 'f2', from: '2026-06-01', to: '2026-06-01' });
    const done = cancelTrialStay(stay, '取り違え', '相談 一郎', at);
    if (!done.ok) throw new Error(done.message);
    expect([...trialStaysByFacility([stay, other], 'h1', 'p1').keys()].sort()).toEqual(['f1', 'f2']);
    expect([...trialStaysByFacility([done.value, other], 'h1', 'p1').keys()]).toEqual(['f2']);
  });
});

describe('a trial stay of a 登録廃止 household', () => {
  it('is taken up to the 登録廃止日, and refused when it begins or runs past it', () => {
    const withdrawn = { ...ctx(), withdrawnOn: '2026-06-02' };
    expect(validateTrialStay(draft({ from: '2026-06-01', to: '2026-06-02' }), withdrawn).ok).toBe(true);
    expect(validateTrialStay(draft({ from: '2026-06-01', to: '2026-06-03' }), withdrawn)).toMatchObject({ ok: false, errors: [{ path: 'to' }] });
    expect(validateTrialStay(draft({ from: '2026-06-03', to: '2026-06-03' }), withdrawn)).toMatchObject({ ok: false, errors: [{ path: 'from' }] });
  });
});
