import { describe, expect, it } from 'vitest';
import { createBonusSplit } from '../../test/factories/function-bonus';
import { isDemoId } from './demo-id';
import {
  withoutDemoBonus,
  checkCount,
  claimCountId,
  fiscalYearMonths,
  fiscalYearOf,
  monthlyCap,
  monthSummary,
  replacedTables,
  shareOfCap,
  unitsToYen,
  yearSummary,
  type BonusClaimCount,
  type BonusCoordinator,
  type BonusRecords,
  type BonusSplit,
  type BonusUnitPrice,
} from './function-bonus';
import { encodeBonusCsv, monthBonusCsv, yearBonusCsv } from './function-bonus-csv';
import { claimCountSchema, coordinatorSchema, splitSchema, unitPriceSchema, validateWith } from './function-bonus-schema';

const AT = '2026-04-01T00:00:00.000Z';
/** A 常勤専従 coordinator unless told (the marks are overridden, or removed to stand for a record from before them). */
const coordinator = (id: string, officeId: string, fromMonth: string, toMonth: string | null = null, marks: Partial<Pick<BonusCoordinator, 'fullTime' | 'dedicated'>> = {}): BonusCoordinator => ({
  id,
  name: `コーディネーター ${id}`,
  officeId,
  fromMonth,
  toMonth,
  fullTime: true,
  dedicated: true,
  ...marks,
  createdAt: AT,
  updatedAt: AT,
});
/** A coordinator as saved before the app asked 常勤・専従: neither field present. */
const unmarked = (id: string, officeId: string, fromMonth: string, toMonth: string | null = null): BonusCoordinator => {
  const { fullTime: _f, dedicated: _d, ...rest } = coordinator(id, officeId, fromMonth, toMonth);
  return rest;
};
const count = (officeId: string, month: string, n: number): BonusClaimCount => ({ id: claimCountId(officeId, month), officeId, month, count: n, createdAt: AT, updatedAt: AT });
const price = (validFrom: string, yenPerUnit: number): BonusUnitPrice => ({ id: `price-${validFrom}`, validFrom, yenPerUnit, createdAt: AT, updatedAt: AT });

/** seeds/001 §5(3) 図1 and 図2: two coordinators, 200 claims split H 40 / K 10 / S 20 / F 90 / P 40, and 米原市 25% / 長浜市 75%. */
const kohokuSplit: BonusSplit = createBonusSplit({
  offices: [
    { officeId: 'H', percent: 20 },
    { officeId: 'K', percent: 5 },
    { officeId: 'S', percent: 10 },
    { officeId: 'F', percent: 45 },
    { officeId: 'P', percent: 20 },
  ],
});
const twoCoordinators = [coordinator('c1', 'H', '2026-04'), coordinator('c2', 'F', '2026-04')];
const records = (over: Partial<BonusRecords> = {}): BonusRecords => ({
  coordinators: twoCoordinators,
  splits: [kohokuSplit],
  counts: [],
  prices: [price('2024-04', 10.18)],
  ...over,
});

const monthlySummaryCoordinators = (cs: BonusCoordinator[]) => monthSummary(records({ coordinators: cs }), '2026-06').coordinators;

describe('the demo beside real records', () => {
  it('leaves the demo\'s records out once a real one is held, so its coordinators do not raise the cap; a demo-only device counts the demo', () => {
    const demo = records({ coordinators: [coordinator('demo-bonus-coordinator-1', 'H', '2026-04'), coordinator('demo-bonus-coordinator-2', 'F', '2026-04')], counts: [count('H', '2026-12', 80)].map((c) => ({ ...c, id: `demo-${c.id}` })), splits: [], prices: [] });
    expect(withoutDemoBonus(demo, isDemoId)).toEqual({ records: demo, leftOut: 0 });
    const mixed: BonusRecords = { ...demo, coordinators: [...demo.coordinators, coordinator('c-real', 'H', '2026-04')], counts: [...demo.counts, count('H', '2026-12', 150)] };
    const { records: counted, leftOut } = withoutDemoBonus(mixed, isDemoId);
    expect(leftOut).toBe(3);
    const m = monthSummary(counted, '2026-12');
    expect([m.cap, m.claimed, m.payable, m.unpayable]).toEqual([100, 150, 100, 50]);
  });
});

describe('[FB2] the monthly cap: 100 claims per coordinator in post (seeds/001 §5(1))', () => {
  it('counts the coordinators in post each month, both ends of the placement included', () => {
    const cs = [coordinator('a', 'H', '2026-04', '2026-06'), coordinator('b', 'F', '2026-06')];
    expect(monthlyCap(cs, '2026-03')).toBe(0);
    expect(monthlyCap(cs, '2026-04')).toBe(100);
    expect(monthlyCap(cs, '2026-06')).toBe(200);
    expect(monthlyCap(cs, '2026-07')).toBe(100);
  });
});

describe('[FB2] only 常勤専従 coordinators count (留意事項通知 第二の3の(7)の③; Q&A VOL.1 問6)', () => {
  it('leaves a 非常勤 and a 兼務 coordinator out of the cap, and names them', () => {
    const cs = [coordinator('a', 'H', '2026-04'), coordinator('b', 'F', '2026-04', null, { fullTime: false }), coordinator('c', 'P', '2026-04', null, { dedicated: false })];
    expect(monthlyCap(cs, '2026-05')).toBe(100);
    const m = monthSummary(records({ coordinators: cs }), '2026-05');
    expect([m.coordinators, m.cap, m.notCounted, m.notStated]).toEqual([1, 100, ['コーディネーター b', 'コーディネーター c'], []]);
  });

  it('two half-time coordinators (0.5人×2 常勤換算) cannot be claimed: cap 0, every claim 算定不可, and the entry says why', () => {
    const halves = [coordinator('a', 'H', '2026-04', null, { fullTime: false }), coordinator('b', 'F', '2026-04', null, { fullTime: false })];
    const m = monthSummary(records({ coordinators: halves, counts: [count('H', '2026-05', 30)] }), '2026-05');
    expect([m.cap, m.payable, m.unpayable, m.units]).toEqual([0, 0, 30, 0]);
    expect(checkCount(records({ coordinators: halves }), 'H', '2026-05', 30).warnings[0]).toEqual({ kind: 'no-full-time' });
  });

  it('a coordinator saved before the marks existed is not counted, and the month is 要確認 with their name, not silently full-time', () => {
    const cs = [coordinator('a', 'H', '2026-04'), unmarked('b', 'F', '2026-04', '2026-05')];
    const may = monthSummary(records({ coordinators: cs }), '2026-05');
    expect([may.coordinators, may.cap, may.notStated]).toEqual([1, 100, ['コーディネーター b']]);
    // the CSV's total says it too, as the screen does
    expect(monthBonusCsv(may, (id) => ({ name: id, number: '' })).trim().split(/\r?\n/).at(-1)).toContain('上限 100件（常勤専従のコーディネーター1人・要確認：常勤・専従が未記入 1人）');
    // one mark stated, the other not, or a value that is no yes/no: still not stated
    const half = [{ ...unmarked('x', 'H', '2026-04'), fullTime: true }, { ...unmarked('y', 'H', '2026-04'), dedicated: 'はい' as unknown as boolean }];
    expect(monthSummary(records({ coordinators: half }), '2026-05')).toMatchObject({ cap: 0, notStated: ['コーディネーター x', 'コーディネーター y'] });
    const year = yearSummary(records({ coordinators: cs }), 2026);
    expect(year.needsCheck).toEqual(['2026-04', '2026-05']);
    expect(checkCount(records({ coordinators: cs }), 'H', '2026-05', 120).warnings.slice(0, 2)).toEqual([
      { kind: 'not-stated', names: ['コーディネーター b'] },
      { kind: 'over-cap', cap: 100, total: 120 },
    ]);
  });

  it('one person moved between offices counts once, when either placement that month is 常勤専従', () => {
    const moved = [unmarked('a', 'H', '2026-04', '2026-06'), { ...coordinator('a2', 'F', '2026-06'), name: 'コーディネーター　a' }];
    expect(monthSummary(records({ coordinators: moved }), '2026-06')).toMatchObject({ coordinators: 1, cap: 100, notStated: [] });
    expect(monthSummary(records({ coordinators: moved }), '2026-05')).toMatchObject({ coordinators: 0, cap: 0, notStated: ['コーディネーター a'] });
  });

  it('the form asks both marks and refuses a coordinator without them', () => {
    const schema = coordinatorSchema(new Set(['H']));
    expect(validateWith(schema, { ...unmarked('c', 'H', '2026-10'), fullTime: '', dedicated: '' })).toEqual({
      ok: false,
      errors: [
        { path: 'fullTime', message: '常勤か非常勤かを選んでください' },
        { path: 'dedicated', message: '専従か兼務かを選んでください' },
      ],
    });
    expect(validateWith(schema, { ...unmarked('c', 'H', '2026-10'), fullTime: 'yes', dedicated: 'no' })).toMatchObject({ ok: true, value: { fullTime: true, dedicated: false } });
  });
});

describe('[FB3][FB4] the agreed split (seeds/001 §5(3) 図1・図2)', () => {
  it('gives each office and each city its share of 200 claims: H 40, K 10, S 20, F 90, P 40; 米原市 50, 長浜市 150', () => {
    const m = monthSummary(records(), '2026-05');
    expect(m.cap).toBe(200);
    expect(m.offices.map((o) => [o.officeId, o.share])).toEqual([
      ['H', 40],
      ['K', 10],
      ['S', 20],
      ['F', 90],
      ['P', 40],
    ]);
    expect(m.municipalities.map((x) => [x.name, x.share])).toEqual([
      ['米原市', 50],
      ['長浜市', 150],
    ]);
  });

  it('rounds a share down so the shares never pass the cap: 100 × 33.3% = 33 (not 33.3)', () => {
    expect(shareOfCap(100, 33.3)).toBe(33);
    expect(shareOfCap(100, 33.4)).toBe(33);
    expect(shareOfCap(200, 12.5)).toBe(25);
  });

  it('uses the table valid in the month: a later table applies from its month on', () => {
    const later: BonusSplit = { ...kohokuSplit, id: 'split-2026-10', validFrom: '2026-10', offices: [{ officeId: 'H', percent: 100 }] };
    expect(monthSummary(records({ splits: [later, kohokuSplit] }), '2026-09').offices).toHaveLength(5);
    expect(monthSummary(records({ splits: [later, kohokuSplit] }), '2026-10').offices.map((o) => [o.officeId, o.share])).toEqual([['H', 200]]);
    expect(monthSummary(records({ splits: [later] }), '2026-09').split).toBeNull();
  });
});

describe('[FB1][FB5] units and yen (seeds/001 §5(3): 500単位 × 100回 × 12か月 = 600,000単位, × 10.18円 = 6,108,000円)', () => {
  it('a year at the cap of one coordinator is 600,000 units and 6,108,000 yen', () => {
    const oneCoordinator = [coordinator('c1', 'H', '2026-04')];
    const counts = fiscalYearMonths(2026).map((m) => count('H', m, 100));
    const year = yearSummary(records({ coordinators: oneCoordinator, counts }), 2026);
    expect(year.cap).toBe(1200);
    expect(year.claimed).toBe(1200);
    expect(year.units).toBe(600_000);
    expect(year.yen).toBe(6_108_000);
  });

  it('rounds yen down to the yen, exactly: 1,500 units × 10.18 = 15,270 yen; 3 units × 10.18 = 30.54 → 30 yen', () => {
    expect(unitsToYen(1_500, 10.18)).toBe(15_270);
    expect(unitsToYen(3, 10.18)).toBe(30);
    // one person who moved office in June, entered as two placements meeting that month: one coordinator
    const moved = [coordinator('a', 'H', '2026-04', '2026-06'), { ...coordinator('a2', 'F', '2026-06'), name: 'コーディネーター　a' }];
    expect(monthlyCap(moved, '2026-06')).toBe(100);
    expect(monthlySummaryCoordinators(moved)).toBe(1);
    // 0.29 × 100 is 28.999… in floating point: computed in hundredths it stays 29.
    expect(unitsToYen(100, 0.29)).toBe(29);
  });

  it('a month: each office claimed × 500 units, the total, and each city its percent of the units', () => {
    const counts = [count('H', '2026-05', 40), count('K', '2026-05', 12), count('F', '2026-05', 90)];
    const m = monthSummary(records({ counts }), '2026-05');
    // 40 + 12 + 90 = 142 claims × 500 = 71,000 units × 10.18 = 722,780 yen
    expect([m.claimed, m.remaining, m.units, m.yen]).toEqual([142, 58, 71_000, 722_780]);
    expect(m.offices.find((o) => o.officeId === 'K')).toMatchObject({ share: 10, claimed: 12, overShare: 2, units: 6_000, yen: 61_080 });
    expect(m.offices.find((o) => o.officeId === 'S')).toMatchObject({ claimed: null, units: 0, yen: 0 });
    // 米原市 25% of 71,000 = 17,750 units × 10.18 = 180,695 yen; 長浜市 75% = 53,250 units → 542,085 yen
    expect(m.municipalities.map((x) => [x.name, x.units, x.yen])).toEqual([
      ['米原市', 17_750, 180_695],
      ['長浜市', 53_250, 542_085],
    ]);
  });

  it('the cities\' parts add up to the month exactly, units and yen, however the percentages round', () => {
    const split = createBonusSplit({ offices: [{ officeId: 'H', percent: 100 }], municipalities: [{ name: '米原市', percent: 37.5 }, { name: '長浜市', percent: 62.5 }] });
    const one = monthSummary(records({ splits: [split], counts: [count('H', '2026-05', 1)] }), '2026-05');
    // 500 units × 37.5% = 187.5 and × 62.5% = 312.5: rounded down both, one unit was lost
    expect(one.municipalities.map((x) => [x.name, x.units, x.yen])).toEqual([
      ['米原市', 188, 1_909],
      ['長浜市', 312, 3_181],
    ]);
    expect([one.units, one.yen]).toEqual([500, 5_090]);
    for (const n of [1, 7, 73, 199]) {
      const m = monthSummary(records({ splits: [split], counts: [count('H', '2026-05', n)] }), '2026-05');
      expect(m.municipalities.reduce((a, x) => a + x.units, 0), `${n} claims`).toBe(m.units);
      expect(m.municipalities.reduce((a, x) => a + (x.yen ?? 0), 0), `${n} claims`).toBe(m.yen);
    }
  });

  it('has no yen for a month before any unit price is set, and says so rather than guess', () => {
    const m = monthSummary(records({ prices: [price('2027-04', 10.18)], counts: [count('H', '2026-05', 1)] }), '2026-05');
    expect(m.yen).toBeNull();
    expect(yearSummary(records({ prices: [], counts: [count('H', '2026-05', 1)] }), 2026).yen).toBeNull();
  });
});

describe('[FB9] claims above the cap are 算定不可: not in the units, the yen or the municipalities’ parts', () => {
  it('a year of 100 claims a month with May at 120 is paid 6,108,000 yen, the seed’s maximum, with 20 claims 算定不可 apart', () => {
    const oneCoordinator = [coordinator('c1', 'H', '2026-04')];
    const counts = fiscalYearMonths(2026).map((m) => count('H', m, m === '2026-05' ? 120 : 100));
    const year = yearSummary(records({ coordinators: oneCoordinator, counts }), 2026);
    expect(year.claimed).toBe(1220);
    // seeds/001 §5(3): 500 × 100 × 12 = 600,000 units × 10.18 = 6,108,000 yen at most
    expect([year.units, year.yen]).toEqual([600_000, 6_108_000]);
    expect([year.unpayable, year.unpayableUnits]).toEqual([20, 10_000]);
    expect(year.offices.find((o) => o.officeId === 'H')).toMatchObject({ claimed: 1220, unpayable: 20, units: 600_000, yen: 6_108_000 });
    const may = year.months.find((m) => m.month === '2026-05')!;
    expect([may.claimed, may.payable, may.unpayable, may.unpayableUnits, may.units, may.yen]).toEqual([120, 100, 20, 10_000, 50_000, 509_000]);
  });

  it('a month over the cap: the excess falls on the claims beyond the shares, and each city pays its percent of the payable units only', () => {
    // cap 200; H 45 of a share of 40 (+5), F 100 of 90 (+10), K 5 of 10, S 20, P 40: 210 claimed, 10 above the cap
    const counts = [count('H', '2026-05', 45), count('K', '2026-05', 5), count('S', '2026-05', 20), count('F', '2026-05', 100), count('P', '2026-05', 40)];
    const m = monthSummary(records({ counts }), '2026-05');
    expect([m.claimed, m.remaining, m.payable, m.unpayable, m.unpayableUnits]).toEqual([210, -10, 200, 10, 5_000]);
    // 200 × 500 = 100,000 units × 10.18 = 1,018,000 yen (not 210 × 500 = 105,000 units, 1,068,900 yen)
    expect([m.units, m.yen]).toEqual([100_000, 1_018_000]);
    // 10 over 5 + 10 beyond the shares: H 3.3 → 3, F 6.7 → 7 (the larger remainder takes the one left)
    expect(m.offices.map((o) => [o.officeId, o.claimed, o.unpayable, o.units])).toEqual([
      ['H', 45, 3, 21_000],
      ['K', 5, 0, 2_500],
      ['S', 20, 0, 10_000],
      ['F', 100, 7, 46_500],
      ['P', 40, 0, 20_000],
    ]);
    expect(m.offices.reduce((a, o) => a + o.units, 0)).toBe(m.units);
    // 米原市 25% of 100,000 = 25,000 units → 254,500 yen; 長浜市 75% = 75,000 units → 763,500 yen
    expect(m.municipalities.map((x) => [x.name, x.units, x.yen])).toEqual([
      ['米原市', 25_000, 254_500],
      ['長浜市', 75_000, 763_500],
    ]);
  });

  it('a month with no coordinator in post pays nothing: every claim is 算定不可', () => {
    const m = monthSummary(records({ coordinators: [], counts: [count('H', '2026-05', 3)] }), '2026-05');
    expect([m.cap, m.units, m.yen, m.unpayable, m.unpayableUnits]).toEqual([0, 0, 0, 3, 1_500]);
    expect(m.offices.find((o) => o.officeId === 'H')).toMatchObject({ unpayable: 3, units: 0, yen: 0 });
  });
});

describe('a unit price or split entered again for the same month corrects the first', () => {
  it('uses the one entered later, whatever the random ids, and names the other as replaced', () => {
    const price = (id: string, yenPerUnit: number, createdAt: string): BonusUnitPrice => ({ id, validFrom: '2026-04', yenPerUnit, createdAt, updatedAt: createdAt });
    const wrong = price('price-ffff', 11.18, '2026-04-01T00:00:00.000Z');
    const right = price('price-0000', 10.18, '2026-04-02T00:00:00.000Z');
    for (const prices of [[wrong, right], [right, wrong]]) {
      expect(monthSummary(records({ coordinators: [coordinator('c1', 'H', '2026-04')], prices }), '2026-05').yenPerUnit).toBe(10.18);
      expect([...replacedTables(prices)]).toEqual(['price-ffff']);
    }
  });
});

describe('[FB7] the fiscal year runs April to March', () => {
  it('puts March 2027 in FY2026 and April 2027 in FY2027', () => {
    expect(fiscalYearOf('2027-03')).toBe(2026);
    expect(fiscalYearOf('2027-04')).toBe(2027);
    expect(fiscalYearMonths(2026)[0]).toBe('2026-04');
    expect(fiscalYearMonths(2026)[11]).toBe('2027-03');
  });

  it('counts a claim of March 2027 in FY2026, not one of April 2027', () => {
    const year = yearSummary(records({ counts: [count('H', '2027-03', 7), count('H', '2027-04', 9)] }), 2026);
    expect(year.claimed).toBe(7);
    expect(year.offices.find((o) => o.officeId === 'H')).toEqual({ officeId: 'H', claimed: 7, unpayable: 0, unpayableUnits: 0, units: 3_500, yen: 35_630 });
    expect(year.offices.find((o) => o.officeId === 'K')).toEqual({ officeId: 'K', claimed: 0, unpayable: 0, unpayableUnits: 0, units: 0, yen: 0 });
  });
});

describe('[FB2][FB3] checking a count before it is saved', () => {
  it('warns when the month total would pass the cap (others 150 + 60 = 210 > 200), and when the office passes its share', () => {
    const counts = [count('H', '2026-05', 60), count('F', '2026-05', 90)];
    expect(checkCount(records({ counts }), 'P', '2026-05', 60)).toEqual({
      total: 210,
      warnings: [
        { kind: 'over-cap', cap: 200, total: 210 },
        { kind: 'over-share', share: 40, count: 60 },
      ],
    });
    expect(checkCount(records({ counts }), 'P', '2026-05', 40)).toEqual({ total: 190, warnings: [] });
  });

  it("replaces the office's own earlier count rather than adding to it", () => {
    const counts = [count('P', '2026-05', 150), count('F', '2026-05', 50)];
    expect(checkCount(records({ counts }), 'P', '2026-05', 40).total).toBe(90);
  });

  it('warns that a month with no coordinator in post has no cap, and that an office outside the split has no share', () => {
    expect(checkCount(records({ coordinators: [] }), 'H', '2026-05', 1).warnings).toEqual([{ kind: 'no-coordinator' }, { kind: 'over-share', share: 0, count: 1 }]);
    expect(checkCount(records(), 'Z', '2026-05', 1).warnings).toEqual([{ kind: 'no-share' }]);
  });
});

describe('bad input is refused with a Japanese message naming the field', () => {
  const offices = new Set(['H', 'K', 'S', 'F', 'P']);
  const splitInput = (over: Record<string, unknown>) => ({ ...kohokuSplit, ...over });

  it('refuses a split whose offices do not add up to 100%, and names the sum', () => {
    const result = validateWith(splitSchema(offices, (id) => id), splitInput({ offices: [{ officeId: 'H', percent: '60' }, { officeId: 'K', percent: '35' }] }));
    expect(result).toEqual({ ok: false, errors: [{ path: 'offices', message: '事業所の割合の合計が100%になりません（いまの合計 95%）' }] });
  });

  it('refuses municipalities that do not add up to 100% (米原市 25% + 長浜市 70%)', () => {
    const result = validateWith(splitSchema(offices, (id) => id), splitInput({ municipalities: [{ name: '米原市', percent: 25 }, { name: '長浜市', percent: 70 }] }));
    expect(result).toEqual({ ok: false, errors: [{ path: 'municipalities', message: '市町村の割合の合計が100%になりません（いまの合計 95%）' }] });
  });

  it('accepts 33.3 + 33.3 + 33.4 as 100% exactly, typed with full-width digits', () => {
    const result = validateWith(splitSchema(offices, (id) => id), splitInput({ offices: [{ officeId: 'H', percent: '３３．３' }, { officeId: 'K', percent: '33.3' }, { officeId: 'S', percent: '33.4' }] }));
    expect(result.ok).toBe(true);
  });

  it('refuses a duplicated office, a zero or negative percent, and two decimal places', () => {
    const dup = validateWith(splitSchema(offices, (id) => `事業所${id}`), splitInput({ offices: [{ officeId: 'H', percent: 50 }, { officeId: 'H', percent: 50 }] }));
    expect(dup).toEqual({ ok: false, errors: [{ path: 'offices.1.officeId', message: '事業所Hが2回入力されています' }] });
    const bad = validateWith(splitSchema(offices, (id) => id), splitInput({ offices: [{ officeId: 'H', percent: '-10' }, { officeId: 'K', percent: '110.05' }] }));
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['offices.0.percent', 'offices.1.percent', 'offices']);
    expect(bad.ok ? '' : bad.errors[0]!.message).toBe('事業所の割合は 0 より大きく 100 以下の数（小数第1位まで）で入力してください');
  });

  it('refuses a coordinator whose 配置終了月 is before the 配置開始月, and one without a name or office', () => {
    const schema = coordinatorSchema(offices);
    expect(validateWith(schema, { ...coordinator('c', 'H', '2026-10'), toMonth: '2026-09' })).toEqual({
      ok: false,
      errors: [{ path: 'toMonth', message: '配置終了月が配置開始月より前になっています' }],
    });
    expect(validateWith(schema, { ...coordinator('c', 'X', '2026-10'), name: ' ' })).toEqual({
      ok: false,
      errors: [
        { path: 'name', message: '氏名を入力してください' },
        { path: 'officeId', message: '配置事業所を選んでください' },
      ],
    });
    expect(validateWith(schema, { ...coordinator('c', 'H', '2026-10'), toMonth: '' })).toMatchObject({ ok: true, value: { toMonth: null } });
  });

  it('refuses a negative or fractional claimed count, and a missing one', () => {
    const schema = claimCountSchema(offices);
    const message = (n: unknown) => {
      const r = validateWith(schema, { ...count('H', '2026-05', 0), count: n });
      return r.ok ? null : r.errors[0]!.message;
    };
    expect(message('-1')).toBe('算定件数は0以上の整数で入力してください');
    expect(message('1.5')).toBe('算定件数は0以上の整数で入力してください');
    expect(message('')).toBe('算定件数を入力してください');
    expect(message('４０')).toBeNull();
  });

  it('refuses a unit price with three decimals or of zero', () => {
    const r = validateWith(unitPriceSchema, { ...price('2026-04', 0), yenPerUnit: '10.185' });
    expect(r).toEqual({ ok: false, errors: [{ path: 'yenPerUnit', message: '単価は 10.18 のように、0 より大きい小数第2位までの数で入力してください' }] });
    expect(validateWith(unitPriceSchema, { ...price('2026-04', 0), yenPerUnit: '0' }).ok).toBe(false);
  });
});

/** The offices as the CSV names them: 「H事業所」…, K and F with their 事業所番号 (one starting with 0), the others without one. */
const csvOffice = (id: string) => ({ name: `${id}事業所`, number: ({ K: '0110000002', F: '2510000004' } as Record<string, string>)[id] ?? '' });
const bareOffice = (id: string) => ({ name: id, number: '' });

describe('the CSV of a month and of a fiscal year', () => {
  it('writes one row per office and city and the total, in yen at 10.18, readable back in Shift_JIS', () => {
    const counts = [count('H', '2026-05', 40), count('K', '2026-05', 12), count('F', '2026-05', 90)];
    const text = monthBonusCsv(monthSummary(records({ counts }), '2026-05'), csvOffice);
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('対象,区分,名称,事業所番号,割合（%）,割当件数,算定件数,割当超過,単位数,金額（円）,算定不可件数（上限超過）,算定不可単位数（上限超過）');
    // an office by its 事業所番号 too, written as text, its leading 0 kept
    expect(lines).toContain('2026年5月,事業所,K事業所,0110000002,5,10,12,2,6000,61080,0,0');
    // no count entered for S: 未入力, as the screen says, not a claim of 0; no number registered: empty
    expect(lines).toContain('2026年5月,事業所,S事業所,,10,20,未入力,,,,,');
    expect(lines).toContain('2026年5月,市町村,米原市,,25,50,,,17750,180695,,');
    expect(lines.at(-1)).toBe('2026年5月,合計,上限 200件（常勤専従のコーディネーター2人）,,,200,142,0,71000,722780,0,0');
    const sjis = encodeBonusCsv(text, 'shift_jis');
    expect(new TextDecoder('shift_jis').decode(sjis)).toBe(text);
    expect([...encodeBonusCsv(text, 'utf-8-bom').slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('a year ends with the total of 600,000 units and 6,108,000 yen for one coordinator at the cap (seeds/001 §5(3))', () => {
    const counts = fiscalYearMonths(2026).map((m) => count('H', m, 100));
    const text = yearBonusCsv(yearSummary(records({ coordinators: [coordinator('c1', 'H', '2026-04')], counts }), 2026), bareOffice);
    expect(text.trim().split('\r\n').at(-1)).toBe('2026年度,合計,500単位／件,,,1200,1200,,600000,6108000,0,0');
  });

  it('[FB9] writes the claims above the cap apart, as 算定不可, out of 単位数 and 金額: a month and the year', () => {
    const counts = [count('H', '2026-05', 45), count('K', '2026-05', 5), count('S', '2026-05', 20), count('F', '2026-05', 100), count('P', '2026-05', 40)];
    const month = monthBonusCsv(monthSummary(records({ counts }), '2026-05'), csvOffice).trim().split('\r\n');
    expect(month).toContain('2026年5月,事業所,F事業所,2510000004,45,90,100,10,46500,473370,7,3500');
    expect(month).toContain('2026年5月,市町村,長浜市,,75,150,,,75000,763500,,');
    expect(month.at(-1)).toBe('2026年5月,合計,上限 200件（常勤専従のコーディネーター2人）,,,200,210,10,100000,1018000,10,5000');

    const year = yearBonusCsv(
      yearSummary(records({ coordinators: [coordinator('c1', 'H', '2026-04')], counts: fiscalYearMonths(2026).map((m) => count('H', m, m === '2026-05' ? 120 : 100)) }), 2026),
      (id) => ({ name: `${id}事業所`, number: '1210000001' }),
    ).trim().split('\r\n');
    expect(year).toContain('2026年5月,月計,上限 100件（常勤専従のコーディネーター1人）,,,100,120,20,50000,509000,20,10000');
    // the year per office, by its 事業所番号 too
    expect(year).toContain('2026年度,事業所,H事業所,1210000001,,,1220,,600000,6108000,20,10000');
    expect(year.at(-1)).toBe('2026年度,合計,500単位／件,,,1200,1220,,600000,6108000,20,10000');
  });

  it('refuses Shift_JIS for a name it cannot hold, naming the character', () => {
    const text = monthBonusCsv(monthSummary(records({ counts: [count('H', '2026-05', 1)] }), '2026-05'), () => ({ name: '𠮷野家相談室', number: '' }));
    expect(() => encodeBonusCsv(text, 'shift_jis')).toThrow('Shift_JIS で書けない文字があります（𠮷）');
  });
});
