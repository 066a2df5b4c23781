/**
 * The load bench's households, the same on both sides: the demo generator's (varied names,
 * profiles, contacts, notes; ~3.8 KB of JSON each), not the test factory's copies of one household,
 * which compress far better than any hub's data and made the cost of compressing pulls look small.
 * A hub's household k is the demo hub's household k under the hub's own id.
 */
import { generateDemoHub } from '../src/domain/demo-data';
import type { Household } from '../src/domain/household';

const pool = new Map<number, readonly Household[]>();

function demoHouseholds(count: number): readonly Household[] {
  let households = pool.get(count);
  if (households === undefined) {
    households = generateDemoHub({ households: count, facilities: 0, now: '2026-12-01T00:00:00.000Z' }).households;
    pool.set(count, households);
  }
  return households;
}

/** Household `k` of a hub of `count`, as `id`; `note` set when given (an edit). */
export function loadHousehold(id: string, count: number, note?: string): Household {
  const k = Number(/-hh-(\d+)$/.exec(id)?.[1]);
  if (!Number.isInteger(k)) throw new RangeError(`not a load household id: ${id}`);
  // The demo hub's office is not the load hub's: the household goes where the change places it.
  const { officeId: _demoOffice, ...household } = demoHouseholds(count)[k % count]!;
  return { ...household, id, ...(note === undefined ? {} : { note }) };
}
