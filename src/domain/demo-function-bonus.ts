/**
 * FICTIONAL 機能強化加算 records for the demo hub, so #/bonus opens on figures: two 拠点コーディネーター
 * (a cap of 200 claims a month), a split between the demo offices and two fictional
 * municipalities, the unit price, and each office's claimed count for every month of this fiscal
 * year before the current one (the whole last year in April) (under its share, one month close to it). Derived from the month,
 * not a random stream; every id starts with 'demo-'.
 */
import { addMonths, fiscalYearMonths, fiscalYearOf, type BonusRecords } from './function-bonus';
import type { IsoInstant } from './household';
import { japanMonthOf } from './japan-time';
import { openPeriod, type Office } from './office';

export function demoFunctionBonus(offices: readonly Office[], now: IsoInstant): BonusRecords {
  // Only offices that are hubs now (拠点機能強化事業所) share the cap.
  const [first, second] = offices.filter((o) => openPeriod(o) !== null);
  if (first === undefined) return { coordinators: [], splits: [], counts: [], prices: [] };
  const thisMonth = japanMonthOf(now);
  // This fiscal year, or the last one in April (so there is always a month before this one to show).
  const start = fiscalYearMonths(fiscalYearOf(addMonths(thisMonth, -1)))[0]!;
  const stamp = { createdAt: now, updatedAt: now };
  const placed = second ?? first;
  const shares = second === undefined ? [{ officeId: first.id, percent: 100 }] : [{ officeId: first.id, percent: 60 }, { officeId: second.id, percent: 40 }];
  const counts: BonusRecords['counts'][number][] = [];
  for (let month = start, i = 0; month < thisMonth; month = addMonths(month, 1), i++) {
    // 200 a month in all: the first office's share 120, the second's 80
    const firstCount = i === 2 ? 118 : 70 + ((i * 13) % 40);
    counts.push({ id: `demo-bonus-count-${first.id}-${month}`, officeId: first.id, month, count: firstCount, ...stamp });
    if (second !== undefined) counts.push({ id: `demo-bonus-count-${second.id}-${month}`, officeId: second.id, month, count: 35 + ((i * 7) % 30), ...stamp });
  }
  return {
    coordinators: [
      { id: 'demo-bonus-coordinator-1', name: '拠点 一郎（デモ）', officeId: first.id, fromMonth: start, toMonth: null, fullTime: true, dedicated: true, ...stamp },
      { id: 'demo-bonus-coordinator-2', name: '拠点 二葉（デモ）', officeId: placed.id, fromMonth: start, toMonth: null, fullTime: true, dedicated: true, ...stamp },
    ],
    splits: [
      {
        id: 'demo-bonus-split-1',
        validFrom: start,
        offices: shares,
        municipalities: [
          { name: 'みなみ市（デモ）', percent: 70 },
          { name: 'きた町（デモ）', percent: 30 },
        ],
        note: 'デモ：拠点の運営協議会で合意した配分',
        ...stamp,
      },
    ],
    counts,
    prices: [{ id: 'demo-bonus-price-1', validFrom: start, yenPerUnit: 10.18, ...stamp }],
  };
}
