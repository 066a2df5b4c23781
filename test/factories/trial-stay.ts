/**
 * Test data for trial stays (体験利用): valid by default, so a test states only what it is about.
 */
import type { TrialStay } from '../../src/domain/trial-stay';

let seq = 0;

export function createTrialStay(overrides: Partial<TrialStay> = {}): TrialStay {
  seq += 1;
  return {
    id: `test-ts-${String(seq).padStart(4, '0')}`,
    householdId: 'hh-1',
    personId: 'p-1',
    facilityId: 'fac-1',
    facilityName: 'あおぞら短期入所',
    from: '2026-05-10',
    to: '2026-05-11',
    purpose: '親元からの自立に向けた体験',
    howItWent: '夜はよく眠れた',
    nextTime: '好きな音楽を持参',
    recordedBy: '小野 恵美',
    createdAt: '2026-05-12T01:00:00.000Z',
    updatedAt: '2026-05-12T01:00:00.000Z',
    ...overrides,
  };
}
