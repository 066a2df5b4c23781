import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateDemoHub } from '../domain/demo-data';
import { createFacility } from '../../test/factories/facility';
import { createHousehold, createPerson } from '../../test/factories/household';
import { createTrialStay } from '../../test/factories/trial-stay';
import { fastCheckOf } from './fast-check';
import { checkRecord, facilityRecord, householdRecord, officeRecord, caseEntryRecord, trialStayRecord } from './records';

/** Values a broken or hostile record may hold in any place. */
const ODD = [
  undefined,
  null,
  0,
  -1,
  1,
  3,
  7,
  1.5,
  '',
  'x',
  '2025-01-01',
  '2025-02-30',
  '2025-1-1',
  '2025-01-01T00:00:00.000Z',
  '2025-01-01T09:00:00+09:00',
  '2025-01-01T24:00:00Z',
  '2025-01-01T00:00:00',
  true,
  false,
  [],
  ['x'],
  [null],
  {},
  { x: 1 },
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every place in a value, as a path of keys. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** A copy with the place at `path` replaced (undefined: the key removed), or with an extra key beside it. */
function mutate(value: unknown, path: readonly (string | number)[], to: unknown): unknown {
  const copy = structuredClone(value) as Json;
  if (path.length === 0) return to;
  let parent = copy as Record<string | number, unknown>;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (to === undefined && !Array.isArray(parent)) delete parent[last];
  else parent[last] = to;
  return copy;
}

/** Each record broken in every place in every odd way: the fast form must say what zod says. */
function disagreements(schema: z.ZodType, records: readonly unknown[]): string[] {
  const fast = fastCheckOf(schema)!;
  const out: string[] = [];
  for (const record of records) {
    for (const path of paths(record)) {
      for (const to of ODD) {
        const broken = mutate(record, path, to);
        const zodSays = schema.safeParse(broken).success;
        if (fast(broken) !== zodSays) out.push(`${path.join('.')} = ${JSON.stringify(to)}: zod ${zodSays}`);
      }
      // An unknown key beside it is dropped by zod (objects strip), except in an exhaustive record.
      const place = placeAt(record, path);
      if (typeof place !== 'object' || place === null || Array.isArray(place)) continue;
      const beside = mutate(record, [...path, 'unknownKey'], 'x');
      if (fast(beside) !== schema.safeParse(beside).success) out.push(`${path.join('.')}.unknownKey`);
    }
  }
  return out;
}

const placeAt = (record: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], record);

describe('fast record checks [R3]', () => {
  const demo = generateDemoHub({ households: 6, facilities: 3, now: '2026-04-01T00:00:00.000Z' });

  it('[R3] answers as zod does for households broken in every place, so a bad one still goes to zod for its error', () => {
    const household = createHousehold({
      persons: [createPerson({ enrolments: { settlement: [{ from: '2025-04-01', to: null }], independentLiving: null } })],
      officeMoves: [{ at: '2025-04-01T00:00:00.000Z', byUserId: 'u', byName: '夜間', from: null, to: 'office-a', reason: '' }],
      consent: { date: '2025-04-01', consentedBy: '本人', scope: '全部' },
    });
    expect(disagreements(householdRecord, [household, ...demo.households.slice(0, 2)])).toEqual([]);
  });

  it('[R3] answers as zod does for facilities and trial stays broken in every place', () => {
    expect(disagreements(facilityRecord, [createFacility(), ...demo.facilities.slice(0, 2)])).toEqual([]);
    expect(disagreements(trialStayRecord, [createTrialStay(), createTrialStay({ cancelled: { reason: '体調', by: '夜間', at: '2025-04-01T00:00:00.000Z' } })])).toEqual([]);
  });

  it('[R3] leaves to zod alone a schema with a rule it does not read', () => {
    expect(fastCheckOf(officeRecord)).toBeNull();
    expect(fastCheckOf(caseEntryRecord)).toBeNull();
    expect(fastCheckOf(z.object({ name: z.string().trim().min(1) }))).toBeNull();
    expect(fastCheckOf(z.array(z.string()).refine((a) => a.length > 1))).toBeNull();
  });

  it('[R2] a household that fails is refused with the same field and words as before', () => {
    const household = createHousehold({ persons: [createPerson({ birthDate: '2025/04/01' })] });
    expect(checkRecord('household', household.id, household)).toEqual({
      code: 'shape',
      field: 'persons.0.birthDate',
      message: 'persons.0.birthDate: expected a date YYYY-MM-DD',
    });
    const other = createHousehold();
    expect(checkRecord('household', 'other-id', other)).toEqual({ code: 'shape', field: 'id', message: 'id: differs from the record id it was sent under' });
  });
});
