import { afterEach, describe, expect, it, vi } from 'vitest';
import { DISABILITY_TYPES } from './disability';
import { generateDemoHub } from './demo-data';
import { householdStatus, needsReview, personAgeLabel, validateAgainstToday, validateHousehold } from './household-schema';
import { ageCategory, japanDateOf } from './japan-time';
import { normalizePhone } from './normalize';

const NOW = '2026-11-22T17:10:00.000Z'; // 02:10 on 23 Nov in Japan
const TODAY = japanDateOf(NOW);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generateDemoHub', () => {
  it('is deterministic and never uses Math.random', () => {
    const random = vi.spyOn(Math, 'random');
    const a = generateDemoHub({ households: 50, facilities: 10, now: NOW });
    const b = generateDemoHub({ households: 50, facilities: 10, now: NOW });
    expect(a).toEqual(b);
    expect(random).not.toHaveBeenCalled();
    expect(generateDemoHub({ households: 50, facilities: 10, now: NOW, seed: 7 })).not.toEqual(a);
  });

  it('keeps household n the same whatever the count, with stable ids', () => {
    const small = generateDemoHub({ households: 20, facilities: 5, now: NOW });
    const large = generateDemoHub({ households: 200, facilities: 5, now: NOW });
    expect(large.households.slice(0, 20)).toEqual(small.households);
    expect(small.households[0]!.id).toBe('demo-h-00001');
    expect(small.households[0]!.persons[0]!.id).toBe('demo-h-00001-p1');
    expect(small.facilities[4]!.id).toBe('demo-f-00005');
  });

  it('rejects a negative or fractional count', () => {
    expect(() => generateDemoHub({ households: -1, facilities: 0, now: NOW })).toThrow(RangeError);
    expect(() => generateDemoHub({ households: 1.5, facilities: 0, now: NOW })).toThrow(RangeError);
    expect(generateDemoHub({ households: 0, facilities: 0, now: NOW })).toMatchObject({ households: [], facilities: [] });
    // the hub's own office comes with every demo, positioned as a hub, so demo cases can be claimed
    expect(generateDemoHub({ households: 0, facilities: 0, now: NOW }).offices).toEqual([
      expect.objectContaining({ id: 'demo-office-1', officeNumber: '9912345678', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }] }),
    ]);
  });

  it('scripts the 02:10 call as household 1', () => {
    const [h] = generateDemoHub({ households: 1, facilities: 3, now: NOW }).households;
    const son = h!.persons[0]!;
    expect(son.name).toBe('佐藤 陽太');
    expect(son.furigana).toBe('サトウ ヨウタ');
    expect(personAgeLabel(son, TODAY)).toBe('16歳（児）');
    expect(son.disabilityTypes).toEqual(expect.arrayContaining(['intellectual', 'medical-care']));
    expect(son.medicalCare).toContain('tube-feeding');
    expect(h!.mainCaregiver).toBe('母（佐藤 美咲）');
    expect(h!.emergencyContacts[0]!.relation).toBe('叔母（母の妹）');
    expect(householdStatus(h!)).toBe('registered');
  });

  describe('at 10,000 households', () => {
    const hub = generateDemoHub({ households: 10_000, facilities: 60, now: NOW });
    const { households, facilities } = hub;
    const persons = households.flatMap((h) => h.persons);

    it('produces only households that pass validation, also against today', () => {
      const failures = households
        .map((h) => {
          const result = validateHousehold(h);
          return { id: h.id, errors: [...(result.ok ? [] : result.errors), ...validateAgainstToday(h, TODAY)] };
        })
        .filter((f) => f.errors.length > 0);
      expect(failures.slice(0, 3)).toEqual([]);
      // 10,000 households checked whole: under 2 s alone, more on a busy two-core machine
    }, 30_000);

    it('validates to the same value, so nothing is silently normalised', () => {
      for (const h of households.slice(0, 500)) {
        const result = validateHousehold(h);
        expect(result.ok && result.value).toEqual(h);
      }
    });

    it('covers the statuses a coordinator meets', () => {
      const count = (s: string) => households.filter((h) => householdStatus(h) === s).length;
      expect(count('draft')).toBeGreaterThan(100);
      expect(count('withdrawn')).toBeGreaterThan(10);
      expect(count('registered')).toBeGreaterThan(8000);
      const stale = households.filter((h) => householdStatus(h) === 'registered' && needsReview(h, TODAY, 12));
      expect(stale.length).toBeGreaterThan(500);
    });

    it('mixes adults and children, single and multi-person households', () => {
      const children = persons.filter((p) => ageCategory(p.birthDate!, TODAY) === 'child');
      expect(children.length).toBeGreaterThan(3000);
      expect(persons.length - children.length).toBeGreaterThan(3000);
      expect(households.filter((h) => h.persons.length === 2).length).toBeGreaterThan(500);
      expect(children.every((p) => p.supportLevel === null && p.behaviorScore === null)).toBe(true);
    });

    it('includes medical care, 重症心身障害 and the behaviour scores that matter', () => {
      expect(persons.some((p) => p.medicalCare.includes('tube-feeding'))).toBe(true);
      expect(persons.some((p) => p.medicalCare.includes('ventilator'))).toBe(true);
      expect(persons.some((p) => p.severeMultiple)).toBe(true);
      expect(persons.some((p) => (p.behaviorScore ?? 0) >= 10)).toBe(true);
      expect(persons.some((p) => (p.childBehaviorScore ?? 0) >= 20)).toBe(true);
      expect(persons.every((p) => p.disabilityTypes.length > 0)).toBe(true);
    });

    it('writes phone numbers the many ways families do, all of them Japanese numbers', () => {
      const phones = households.flatMap((h) => [h.phone, ...h.emergencyContacts.flatMap((c) => c.phones)]);
      expect(phones.some((p) => p.startsWith('+81'))).toBe(true);
      expect(phones.some((p) => /[０-９]/.test(p))).toBe(true);
      expect(phones.some((p) => /^0\d0-\d{4}-\d{4}$/.test(p))).toBe(true);
      expect(phones.some((p) => /^03-\d{4}-\d{4}$/.test(p))).toBe(true);
      // Local part starting with 0: never assigned, so a demo tap rings nobody.
      expect(phones.every((p) => /^0(3|[789]0)0\d{7}$/.test(normalizePhone(p)))).toBe(true);
    });

    it('gives unique 10-digit 受給者証番号', () => {
      const numbers = persons.map((p) => p.recipientNumber).filter((n) => n !== '');
      expect(numbers.every((n) => /^\d{10}$/.test(n))).toBe(true);
      expect(new Set(numbers).size).toBe(numbers.length);
    });

    it('gives facilities unique names and 事業所番号, and varied acceptance', () => {
      expect(new Set(facilities.map((f) => f.name)).size).toBe(facilities.length);
      expect(new Set(facilities.map((f) => f.officeNumber)).size).toBe(facilities.length);
      expect(facilities.every((f) => /^\d{10}$/.test(f.officeNumber))).toBe(true);
      expect(facilities.every((f) => Object.keys(f.acceptance).length === DISABILITY_TYPES.length)).toBe(true);
      expect(facilities.some((f) => f.serviceType === '医療型' && f.acceptance['medical-care'].child)).toBe(true);
      expect(facilities.some((f) => !f.acceptance.intellectual.child)).toBe(true);
      expect(facilities.some((f) => f.vacancy === null)).toBe(true);
      expect(facilities.every((f) => f.vacancy === null || f.vacancy.asOf <= NOW)).toBe(true);
    });
  });
});
