/**
 * readHousehold: a household as the vault holds it (pulled from the hub, restored from a backup,
 * saved by an older app) read as the app uses it, every field the record schema lets be absent
 * given what the schema reads it as.
 */
import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { readHousehold, type Household } from './household';
import { householdStatus } from './household-rules';
import { addReview } from './review-worklist';
import { buildYearlyReport } from './yearly-report';

/** `h` as a phone from before these fields stored it: the keys are not there at all. */
function storedWithout(h: Household, ...keys: (keyof Household)[]): unknown {
  const stored: Record<string, unknown> = { ...h };
  for (const key of keys) delete stored[key];
  return JSON.parse(JSON.stringify(stored));
}

const review = { id: 'rv-1', reviewedOn: '2026-05-01', reviewedBy: '小野 恵美', reviewedByUserId: 'u-1', note: '変更なし' };

describe('a household saved before reviews, 登録廃止 or the 同意書 were recorded', () => {
  it('with its 同意書 but no `reviews` or `withdrawal` key reads as registered (not 登録廃止), with no reviews, and a 見直し can be recorded', () => {
    const h = readHousehold(storedWithout(createHousehold({ id: 'hh-old' }), 'reviews', 'withdrawal'));
    expect(householdStatus(h)).toBe('registered');
    expect(h.reviews).toEqual([]);
    expect(h.withdrawal).toBeNull();
    const added = addReview(h, review, '2026-05-01', '2026-05-01T03:00:00.000Z');
    expect(added.ok && added.household.reviews.map((r) => r.id)).toEqual(['rv-1']);
  });

  it('without a `consent` key either reads as a draft (下書き), not registered nor 登録廃止', () => {
    const h = readHousehold(storedWithout(createHousehold(), 'reviews', 'withdrawal', 'consent', 'lastReviewedOn'));
    expect(householdStatus(h)).toBe('draft');
    expect(h.consent).toBeNull();
    expect(h.lastReviewedOn).toBeNull();
  });

  it('is counted in the yearly report as registered that year', () => {
    const h = readHousehold(storedWithout(createHousehold({ consent: { date: '2026-04-01', consentedBy: '山田 一郎', scope: '' } }), 'reviews', 'withdrawal'));
    const report = buildYearlyReport({
      range: { from: '2026-04-01', to: '2027-03-31' },
      today: '2026-06-01',
      households: [h],
      cases: [],
      trialStays: [],
      facilities: [],
      offices: new Map(),
    });
    expect(report.registration.households).toBe(1);
    expect(report.registration.withdrawn.total).toBe(0);
  });

  it("reads a person's fields written before they existed as not recorded (null, '')", () => {
    const person = createPerson({ id: 'p-old' });
    const { birthDate: _b, municipality: _m, supportLevel: _s, behaviorScore: _bs, childBehaviorScore: _cs, ...older } = person;
    const { physicalGrade: _p, ...handbooks } = person.handbooks;
    const h = readHousehold({ ...createHousehold(), persons: [{ ...older, handbooks }] });
    expect(h.persons[0]).toMatchObject({ birthDate: null, municipality: '', supportLevel: null, behaviorScore: null, childBehaviorScore: null });
    expect(h.persons[0]?.handbooks.physicalGrade).toBeNull();
    expect(h.persons[0]?.name).toBe(person.name);
  });

  it('hands back a record that lacks nothing as it is (no copy of every household at unlock)', () => {
    const h = createHousehold();
    expect(readHousehold(h)).toBe(h);
  });
});
