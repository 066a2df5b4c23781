import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { summarizeHousehold } from './household-summary';
import {
  householdDisplayName,
  householdStatus,
  hubBonusEligible,
  needsReview,
  nextReviewDate,
  personAgeLabel,
  reviewBasis,
  validateAgainstToday,
} from './household-rules';

const TODAY = '2026-11-23';

describe('householdStatus', () => {
  it('is a draft without 同意書, registered with it, withdrawn once 登録廃止 is set', () => {
    expect(householdStatus(createHousehold({ consent: null }))).toBe('draft');
    expect(householdStatus(createHousehold())).toBe('registered');
    expect(householdStatus(createHousehold({ withdrawal: { date: '2026-10-01', reason: '市外へ転出' } }))).toBe('withdrawn');
  });
});

describe('needsReview', () => {
  const consent = (date: string) => ({ date, consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' });

  it('does not flag a household registered today and never reviewed: it counts from the 同意日', () => {
    const h = createHousehold({ consent: consent(TODAY), lastReviewedOn: null });
    expect(needsReview(h, TODAY, 12)).toBe(false);
    expect(reviewBasis(h)).toEqual({ basis: 'consent', date: TODAY });
  });

  it('flags a household never reviewed 12 months after its 同意日, not the day before', () => {
    const h = createHousehold({ consent: consent('2025-11-23'), lastReviewedOn: null });
    expect(needsReview(h, '2026-11-22', 12)).toBe(false);
    expect(needsReview(h, '2026-11-23', 12)).toBe(true);
  });

  it('counts from the last review when there is one, whatever the 同意日', () => {
    const h = createHousehold({ consent: consent('2020-04-01'), lastReviewedOn: '2026-06-01' });
    expect(reviewBasis(h)).toEqual({ basis: 'review', date: '2026-06-01' });
    expect(needsReview(h, TODAY, 12)).toBe(false);
  });

  it('is due on the anniversary of the last review, not the day before', () => {
    const h = createHousehold({ lastReviewedOn: '2025-11-23' });
    expect(needsReview(h, '2026-11-22', 12)).toBe(false);
    expect(needsReview(h, '2026-11-23', 12)).toBe(true);
  });

  it('clamps to the month end', () => {
    const h = createHousehold({ lastReviewedOn: '2026-08-31' });
    expect(needsReview(h, '2027-02-27', 6)).toBe(false);
    expect(needsReview(h, '2027-02-28', 6)).toBe(true);
  });

  it('follows the setting (reviewAfterMonths)', () => {
    const h = createHousehold({ consent: consent('2026-05-23'), lastReviewedOn: null });
    expect(needsReview(h, TODAY, 12)).toBe(false);
    expect(needsReview(h, TODAY, 6)).toBe(true);
  });

  it('does not flag a draft with neither a 同意書 nor a review: it has no date to count from', () => {
    const h = createHousehold({ consent: null, lastReviewedOn: null });
    expect(reviewBasis(h)).toBeNull();
    expect(needsReview(h, '2099-01-01', 1)).toBe(false);
  });

  it('flags a draft once its last review is old enough', () => {
    const h = createHousehold({ consent: null, lastReviewedOn: '2024-01-01' });
    expect(needsReview(h, TODAY, 12)).toBe(true);
  });

  it('gives the same answer for the list’s summary as for the full record', () => {
    const cases = [
      createHousehold({ consent: consent('2025-01-01'), lastReviewedOn: null }),
      createHousehold({ consent: consent('2026-01-01'), lastReviewedOn: null }),
      createHousehold({ consent: null, lastReviewedOn: null }),
      createHousehold({ consent: consent('2020-01-01'), lastReviewedOn: '2026-10-01' }),
    ];
    expect(cases.map((h) => needsReview(summarizeHousehold(h), TODAY, 12))).toEqual([true, false, false, false]);
    expect(cases.map((h) => needsReview(h, TODAY, 12))).toEqual([true, false, false, false]);
  });

  it('never flags a withdrawn household', () => {
    const h = createHousehold({ consent: consent('2020-01-01'), lastReviewedOn: null, withdrawal: { date: '2026-01-01', reason: '施設入所' } });
    expect(needsReview(h, TODAY, 12)).toBe(false);
  });
});

describe('householdDisplayName', () => {
  it("joins the persons' names with ・", () => {
    const h = createHousehold({ persons: [createPerson({ name: '佐藤 湊' }), createPerson({ name: ' 佐藤 陽葵 ' })] });
    expect(householdDisplayName(h)).toBe('佐藤 湊・佐藤 陽葵');
  });

  it('says the name is missing on a fresh draft', () => {
    expect(householdDisplayName(createHousehold({ persons: [createPerson({ name: '' })] }))).toBe('（氏名未入力）');
  });
});

describe('personAgeLabel', () => {
  it('shows the age and 者/児 on the day', () => {
    expect(personAgeLabel(createPerson({ birthDate: '2010-04-01' }), TODAY)).toBe('16歳（児）');
    expect(personAgeLabel(createPerson({ birthDate: '2008-11-23' }), TODAY)).toBe('18歳（者）');
    expect(personAgeLabel(createPerson({ birthDate: '2008-11-24' }), TODAY)).toBe('17歳（児）');
  });

  it('copes with an unknown or future birth date', () => {
    expect(personAgeLabel(createPerson({ birthDate: null }), TODAY)).toBe('年齢不明');
    expect(personAgeLabel(createPerson({ birthDate: '2027-01-01' }), TODAY)).toBe('年齢不明（生年月日を確認）');
    // a day that does not exist, held from before the hub checked days: the list still shows
    expect(personAgeLabel(createPerson({ birthDate: '2024-02-31' }), TODAY)).toBe('年齢不明（生年月日を確認）');
  });

  it('lets every screen go on past a day that does not exist, held from before the hub checked days', () => {
    const person = createPerson({ birthDate: '2024-02-31', behaviorScore: 12 });
    // the behaviour score counts only when the age is known
    expect(hubBonusEligible(person, TODAY).eligible).toBe(false);
    const household = createHousehold({ persons: [person], lastReviewedOn: '2026-04-31' });
    expect(nextReviewDate(household, 12)).toBeNull();
    expect(() => needsReview(household, TODAY, 12)).not.toThrow();
  });
});

describe('validateAgainstToday', () => {
  it('accepts a household dated up to today', () => {
    expect(validateAgainstToday(createHousehold({ consent: { date: TODAY, consentedBy: '本人', scope: '全部' } }), TODAY)).toEqual([]);
  });

  it('rejects dates after today', () => {
    const h = createHousehold({
      persons: [createPerson({ birthDate: '2026-11-24', supportLevel: null })],
      consent: { date: '2026-12-01', consentedBy: '本人', scope: '全部' },
      lastReviewedOn: '2026-11-24',
      withdrawal: { date: '2026-12-31', reason: '転出予定' },
    });
    expect(validateAgainstToday(h, TODAY)).toEqual([
      { path: 'persons.0.birthDate', message: '生年月日が今日より後になっています' },
      { path: 'consent.date', message: '同意日が今日より後になっています' },
      { path: 'lastReviewedOn', message: '最終見直し日が今日より後になっています' },
      { path: 'withdrawal.date', message: '登録廃止日が今日より後になっています' },
    ]);
  });

  it('rejects 障害支援区分 for a child, judged on today', () => {
    const child = createHousehold({ persons: [createPerson(), createPerson({ birthDate: '2008-11-24', supportLevel: 2 })] });
    expect(validateAgainstToday(child, TODAY)).toEqual([
      { path: 'persons.1.supportLevel', message: '障害児には障害支援区分はありません' },
    ]);
    expect(validateAgainstToday(child, '2026-11-24')).toEqual([]);
  });

  it('allows a withdrawal dated before the consent', () => {
    const h = createHousehold({ withdrawal: { date: '2026-03-01', reason: '施設入所' } });
    expect(validateAgainstToday(h, TODAY)).toEqual([]);
  });
});

describe('hubBonusEligible', () => {
  const adult = (over: Parameters<typeof createPerson>[0]) => createPerson({ birthDate: '2000-01-01', ...over });
  const child = (over: Parameters<typeof createPerson>[0]) => createPerson({ birthDate: '2015-01-01', supportLevel: null, ...over });

  it('counts 医療的ケア児者 by listed care or by type', () => {
    expect(hubBonusEligible(child({ medicalCare: ['tube-feeding'] }), TODAY)).toEqual({ eligible: true, reasons: ['医療的ケア児者'] });
    expect(hubBonusEligible(adult({ disabilityTypes: ['medical-care'] }), TODAY).eligible).toBe(true);
  });

  it('counts 重症心身障害児者 by flag or by type', () => {
    expect(hubBonusEligible(adult({ severeMultiple: true }), TODAY).reasons).toEqual(['重症心身障害児者']);
    expect(hubBonusEligible(child({ disabilityTypes: ['severe-multiple'] }), TODAY).reasons).toEqual(['重症心身障害児者']);
  });

  it('uses 行動関連項目 ≥10 for adults only', () => {
    expect(hubBonusEligible(adult({ behaviorScore: 10 }), TODAY).reasons).toEqual(['行動関連項目 10点（10点以上）']);
    expect(hubBonusEligible(adult({ behaviorScore: 9 }), TODAY).eligible).toBe(false);
    expect(hubBonusEligible(child({ behaviorScore: 15 }), TODAY).eligible).toBe(false);
  });

  it('uses 強度行動障害判定基準 ≥20 for children only', () => {
    expect(hubBonusEligible(child({ childBehaviorScore: 20 }), TODAY).reasons).toEqual(['強度行動障害判定基準 20点（20点以上）']);
    expect(hubBonusEligible(child({ childBehaviorScore: 19 }), TODAY).eligible).toBe(false);
    expect(hubBonusEligible(adult({ childBehaviorScore: 30 }), TODAY).eligible).toBe(false);
  });

  it('switches score on the 18th birthday', () => {
    const p = createPerson({ birthDate: '2008-11-23', behaviorScore: 12, childBehaviorScore: 25 });
    expect(hubBonusEligible(p, '2026-11-22').reasons).toEqual(['強度行動障害判定基準 25点（20点以上）']);
    expect(hubBonusEligible(p, '2026-11-23').reasons).toEqual(['行動関連項目 12点（10点以上）']);
  });

  it('does not count behaviour scores without a birth date', () => {
    expect(hubBonusEligible(createPerson({ birthDate: null, behaviorScore: 20, childBehaviorScore: 40 }), TODAY)).toEqual({
      eligible: false,
      reasons: [],
    });
  });

  it('lists every reason that applies', () => {
    const p = adult({ medicalCare: ['suction'], severeMultiple: true, behaviorScore: 14 });
    expect(hubBonusEligible(p, TODAY).reasons).toHaveLength(3);
  });
});
