/**
 * Test data for 機能強化加算 (STYLE.md habit 7): an agreed split from 2026-04 in the shape of
 * seeds/001 §5(3) 図2 (米原市 25% / 長浜市 75%), over two offices unless told.
 */
import type { BonusSplit } from '../../src/domain/function-bonus';

export const BONUS_AT = '2026-04-01T00:00:00.000Z';

export function createBonusSplit(overrides: Partial<BonusSplit> = {}): BonusSplit {
  return {
    id: 'split-2026-04',
    validFrom: '2026-04',
    offices: [
      { officeId: 'office-a', percent: 60 },
      { officeId: 'office-b', percent: 40 },
    ],
    municipalities: [
      { name: '米原市', percent: 25 },
      { name: '長浜市', percent: 75 },
    ],
    note: '',
    createdAt: BONUS_AT,
    updatedAt: BONUS_AT,
    ...overrides,
  };
}
