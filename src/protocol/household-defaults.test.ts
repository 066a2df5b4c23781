/**
 * readHousehold (domain/household.ts) fills what the record schema reads as absent, by hand: this
 * ties the two, so a field the schema comes to default is one the app reads with that default too.
 */
import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { readHousehold } from '../domain/household';
import { householdRecord } from './records';

type Obj = Record<string, unknown>;

/** Each key of `at(full)` the schema lets be absent and fills: [key, the record without it]. */
function defaultedKeys(full: Obj, at: (record: Obj) => Obj, without: (record: Obj, key: string) => Obj): [string, Obj][] {
  return Object.keys(at(full)).flatMap((key): [string, Obj][] => {
    const stripped = without(full, key);
    const parsed = householdRecord.safeParse(stripped);
    return parsed.success && at(parsed.data as Obj)[key] !== undefined ? [[key, stripped]] : [];
  });
}

const clone = (o: Obj) => structuredClone(o);

describe('a stored household read with the schema’s defaults', () => {
  const full = createHousehold({ persons: [createPerson({ id: 'p-1' })] }) as unknown as Obj;
  const person = (h: Obj) => (h['persons'] as Obj[])[0]!;
  const handbooks = (h: Obj) => person(h)['handbooks'] as Obj;

  const levels: [string, (h: Obj) => Obj][] = [
    ['the household', (h) => h],
    ['a person', person],
    ['a person’s 手帳', handbooks],
  ];
  for (const [level, at] of levels) {
    it(`fills each field of ${level} the schema fills, with the schema’s value`, () => {
      const keys = defaultedKeys(full, at, (record, key) => {
        const copy = clone(record);
        delete at(copy)[key];
        return copy;
      });
      expect(keys.length, `${level}: the schema defaults something here`).toBeGreaterThan(0);
      for (const [key, stripped] of keys) {
        const parsed = householdRecord.parse(stripped) as Obj;
        expect(at(readHousehold(stripped) as unknown as Obj)[key], `${level}: ${key}`).toEqual(at(parsed)[key]);
      }
    });
  }
});
