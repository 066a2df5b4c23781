/**
 * FICTIONAL trial stays (体験利用) for the demo hub: about one registered person in three has tried
 * a stay in the last ten months, some twice, at the facilities offering 体験の機会・場 (any facility
 * when none does). Derived from the households' order, not a random stream, so the demo households
 * stay exactly as they were; no two stays of one person overlap.
 */
import type { Facility } from './facility';
import type { Household, IsoInstant } from './household';
import { addDaysToDate, japanDateOf } from './japan-time';
import type { TrialStay } from './trial-stay';

const PURPOSES = ['親元からの自立に向けた一人暮らしの体験', '共同生活援助（グループホーム）の体験利用', '短期入所に慣れるための日中体験', '緊急時に備えた宿泊の練習'] as const;
const HOW_IT_WENT = ['大きなトラブルなく過ごせた', '初日は眠れなかったが2日目から落ち着いた', '食事量が減った。好物の持参を勧められた', '入浴を嫌がったが、同性介助で入れた'] as const;
const NEXT_TIME = ['', '慣れた毛布を持参する', '服薬の時間を事前に書面で伝える', '送迎の時間を30分早める'] as const;

export function demoTrialStays(households: readonly Household[], facilities: readonly Facility[], now: IsoInstant): TrialStay[] {
  const offering = facilities.filter((f) => f.hubFunctions.includes('experience'));
  const places = offering.length > 0 ? offering : facilities;
  if (places.length === 0) return [];
  const today = japanDateOf(now);
  const people = households
    .filter((h) => h.consent !== null && h.withdrawal === null)
    .flatMap((h) => h.persons.filter((p) => p.birthDate !== null).map((p) => ({ h, p })));
  const stays: TrialStay[] = [];
  people.forEach(({ h, p }, i) => {
    if (i % 3 !== 1) return;
    const count = i % 2 === 1 ? 2 : 1;
    for (let k = 0; k < count; k++) {
      // The later stay 10-300 days ago, the earlier one 60 days before it; 1-3 days each.
      const from = addDaysToDate(today, -(10 + ((i * 37) % 290) + k * 60));
      const to = addDaysToDate(from, (i + k) % 3);
      const facility = places[(i + k) % places.length]!;
      const at = `${to}T09:00:00.000Z`;
      stays.push({
        id: `demo-ts-${h.id}-${p.id}-${k + 1}`,
        householdId: h.id,
        personId: p.id,
        facilityId: facility.id,
        facilityName: facility.name,
        from,
        to,
        purpose: PURPOSES[(i + k) % PURPOSES.length]!,
        howItWent: HOW_IT_WENT[(i + k) % HOW_IT_WENT.length]!,
        nextTime: NEXT_TIME[(i + k) % NEXT_TIME.length]!,
        recordedBy: h.caseWorker,
        createdAt: at,
        updatedAt: at,
      });
    }
  });
  return stays;
}
