import { describe, expect, it } from 'vitest';
import { generateDemoHub } from '../domain/demo-data';
import { demoFunctionBonus } from '../domain/demo-function-bonus';
import { FUNCTION_BONUS_KINDS } from './constants';
import { checkRecord } from './records';

const LISTS = { 'bonus-coordinator': 'coordinators', 'bonus-split': 'splits', 'bonus-count': 'counts', 'bonus-price': 'prices' } as const;

describe('[R2] the demo hub’s 機能強化加算 records', () => {
  it('every one passes the check every stored record of its kind passes (the app reads them as it reads a hub’s)', () => {
    const now = '2026-12-03T03:00:00.000Z';
    const bonus = demoFunctionBonus(generateDemoHub({ households: 30, facilities: 10, now }).offices, now);
    for (const kind of FUNCTION_BONUS_KINDS) {
      const list = bonus[LISTS[kind]] as readonly { readonly id: string }[];
      expect(list.length).toBeGreaterThan(0);
      for (const r of list) expect(checkRecord(kind, r.id, r)).toBeNull();
    }
  });
});
