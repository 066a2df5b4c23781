import { describe, expect, it } from 'vitest';
import { generateDemoHub } from '../domain/demo-data';
import { validateHousehold } from '../domain/household-schema';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { createFacility } from '../../test/factories/facility';
import { createHousehold, createPerson } from '../../test/factories/household';
import { createOffice } from '../../test/factories/office';
import { checkRecord, checkRecordJson, isRecordId, officeRecord } from './records';

const POISON_ID = 'poison.id with space';

describe('record ids [R1]', () => {
  it('[R1] takes opaque ids up to 128 characters and nothing else', () => {
    expect(isRecordId(globalThis.crypto.randomUUID())).toBe(true);
    expect(isRecordId('hh_1-A')).toBe(true);
    expect(isRecordId('a'.repeat(128))).toBe(true);
    expect(isRecordId('a'.repeat(129))).toBe(false);
    expect(isRecordId('')).toBe(false);
    expect(isRecordId(POISON_ID)).toBe(false);
    expect(isRecordId('山田花子')).toBe(false);
  });

  it('[R1] a household under the poison id is refused for its id, whatever it holds', () => {
    expect(checkRecord('household', POISON_ID, createHousehold({ id: POISON_ID }))).toMatchObject({ code: 'id', field: '' });
  });
});

describe('record payloads [R2]', () => {
  it('[R2] a valid household, facility, office and case entry pass', async () => {
    const household = createHousehold();
    expect(checkRecord('household', household.id, household)).toBeNull();
    const facility = createFacility();
    expect(checkRecord('facility', facility.id, facility)).toBeNull();
    const office = { id: 'office-a', name: 'あおば', officeNumber: '1210000001', hubPeriods: [], oneBody: { settlement: false, independentLiving: false }, createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' };
    expect(checkRecord('office', office.id, office)).toBeNull();
    const [open, contact] = await appendEntries([], [openBody(), contactBody()]);
    expect(checkRecord('case-entry', open!.id, open)).toBeNull();
    expect(checkRecord('case-entry', contact!.id, contact)).toBeNull();
  });

  it('[R2] a household whose persons is not a list is refused, naming the field', () => {
    const household = { ...createHousehold(), persons: 'not-a-list' };
    expect(checkRecord('household', household.id, household)).toMatchObject({ code: 'shape', field: 'persons' });
  });

  it('[R2] a payload nested deeper than any record, or with a field named __proto__, is refused before it reaches a merge', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 3_000; i++) deep = [deep];
    const nested = { ...createHousehold(), zz: deep };
    expect(checkRecord('household', nested.id, nested)).toMatchObject({ code: 'shape', message: expect.stringContaining('nested deeper than 32 levels') });
    const facility = createFacility();
    const polluted = JSON.parse(`{${JSON.stringify(facility).slice(1, -1)},"__proto__":{"closure":{"kind":"closed"}}}`) as unknown;
    expect(checkRecord('facility', facility.id, polluted)).toMatchObject({ code: 'shape', field: '__proto__' });
    // what the app writes nests far less
    expect(checkRecord('household', nested.id, { ...nested, zz: [[['x']]] })).toBeNull();
  });

  it('[R2] names the field deep inside a person, never its value', () => {
    const household = createHousehold({ persons: [createPerson({ sex: 'x' as never, name: '秘密 花子' })] });
    const problem = checkRecord('household', household.id, household);
    expect(problem).toMatchObject({ code: 'shape', field: 'persons.0.sex' });
    expect(problem!.message).not.toContain('秘密');
  });

  it('[R2] a day that does not exist, a score out of its range or a fraction of a bed is refused, naming the field', () => {
    const on = (birthDate: string) => createHousehold({ persons: [createPerson({ birthDate })] });
    const leap = on('2024-02-29');
    expect(checkRecord('household', leap.id, leap)).toBeNull();
    for (const day of ['2024-02-31', '2023-02-29', '9999-99-99', '2026-13-01']) {
      const household = on(day);
      expect(checkRecord('household', household.id, household), day).toMatchObject({ code: 'shape', field: 'persons.0.birthDate' });
    }
    const reviewed = createHousehold({ lastReviewedOn: '2026-04-31' });
    expect(checkRecord('household', reviewed.id, reviewed)).toMatchObject({ field: 'lastReviewedOn' });
    for (const score of [-1e308, 25, 3.5]) {
      const household = createHousehold({ persons: [createPerson({ behaviorScore: score })] });
      expect(checkRecord('household', household.id, household), String(score)).toMatchObject({ field: 'persons.0.behaviorScore' });
    }
    const child = createHousehold({ persons: [createPerson({ childBehaviorScore: 56 })] });
    expect(checkRecord('household', child.id, child)).toMatchObject({ field: 'persons.0.childBehaviorScore' });
    const facility = createFacility({ capacity: 2.5 });
    expect(checkRecord('facility', facility.id, facility)).toMatchObject({ field: 'capacity' });
    const beds = createFacility({ vacancy: { beds: -1, asOf: '2026-12-01T00:00:00.000Z', reportedBy: '' } });
    expect(checkRecord('facility', beds.id, beds)).toMatchObject({ field: 'vacancy.beds' });
    // a weekend report's days, and the reports kept in the history, are days the screens can format
    const weekend = createFacility({ vacancy: { beds: 2, asOf: '2026-12-01T00:00:00.000Z', reportedBy: '', from: '2026-12-05', until: '2026-02-31' } });
    expect(checkRecord('facility', weekend.id, weekend)).toMatchObject({ field: 'vacancy.until' });
    const history = createFacility({ vacancyHistory: [{ beds: 1, asOf: 'yesterday', reportedBy: '' }] });
    expect(checkRecord('facility', history.id, history)).toMatchObject({ field: 'vacancyHistory.0.asOf' });
    // a report's period holds together as the form makes it: both days or none, in order, two weeks at most, and beds a count the form takes
    const at = '2026-12-01T00:00:00.000Z';
    for (const [vacancy, field] of [
      [{ beds: 2, asOf: at, reportedBy: '', from: '2026-12-05' }, 'vacancy.until'],
      [{ beds: 2, asOf: at, reportedBy: '', from: '2026-12-06', until: '2026-12-05' }, 'vacancy.until'],
      [{ beds: 2, asOf: at, reportedBy: '', from: '2026-11-01', until: '2027-12-31' }, 'vacancy.until'],
      [{ beds: 100_000, asOf: at, reportedBy: '' }, 'vacancy.beds'],
    ] as const) {
      const odd = createFacility({ vacancy });
      expect(checkRecord('facility', odd.id, odd), JSON.stringify(vacancy)).toMatchObject({ field });
    }
    const fortnight = createFacility({ vacancy: { beds: 1, asOf: at, reportedBy: '', from: '2026-12-01', until: '2026-12-14' } });
    expect(checkRecord('facility', fortnight.id, fortnight)).toBeNull();
    const fine = createFacility({ vacancy: { beds: 2, asOf: '2026-12-01T00:00:00.000Z', reportedBy: '田中', from: '2026-12-05', until: '2026-12-06', note: '土曜の夜のみ' }, vacancyHistory: [{ beds: 0, asOf: '2026-11-30T00:00:00.000Z', reportedBy: '' }] });
    expect(checkRecord('facility', fine.id, fine)).toBeNull();
    // a 休止・廃止 holds together as the form makes it; a facility saved before it has none, or null
    for (const [closure, field] of [
      [{ kind: 'suspended', from: '2026-12-10', until: '2026-12-09', note: '' }, 'closure'],
      [{ kind: 'closed', from: '2026-12-10', until: '2026-12-20', note: '' }, 'closure'],
      [{ kind: 'suspended', from: '2026-02-30', until: null, note: '' }, 'closure.from'],
      [{ kind: 'moved', from: '2026-12-10', until: null, note: '' }, 'closure.kind'],
    ] as const) {
      const odd = { ...createFacility(), closure };
      expect(checkRecord('facility', odd.id, odd), JSON.stringify(closure)).toMatchObject({ field });
    }
    for (const closure of [undefined, null, { kind: 'suspended', from: '2026-12-10', until: null, note: '改修' }] as const) {
      const held = createFacility({ closure });
      expect(checkRecord('facility', held.id, held), JSON.stringify(closure)).toBeNull();
    }
  });

  it('[R2] a payload whose own id differs from the id it travels under is refused', () => {
    const household = createHousehold();
    expect(checkRecord('household', 'another-id', household)).toMatchObject({ code: 'shape', field: 'id' });
  });

  it('[R2] a record saved before consent and withdrawal existed still reads', () => {
    const { consent: _c, withdrawal: _w, lastReviewedOn: _l, ...old } = createHousehold();
    expect(checkRecord('household', old.id, old)).toBeNull();
  });

  it('[R2] payloads that are not objects, or not JSON, are refused', () => {
    expect(checkRecord('facility', 'fac-1', null)).toMatchObject({ code: 'shape' });
    expect(checkRecordJson('facility', 'fac-1', '{"name":')).toMatchObject({ code: 'json' });
    expect(checkRecordJson('facility', POISON_ID, '{"name":')).toMatchObject({ code: 'id' });
  });

  it('[R2] a facility without its acceptance matrix, or an entry of an unknown type, is refused', async () => {
    const { acceptance: _a, ...facility } = createFacility();
    expect(checkRecord('facility', facility.id, facility)).toMatchObject({ field: 'acceptance' });
    const [open] = await appendEntries([], [openBody()]);
    expect(checkRecord('case-entry', open!.id, { ...open, body: { type: 'rewrite' } })).toMatchObject({ field: 'body.type' });
  });

  it('[R2] every household the 聞き取り票 form accepts, and all demo data, passes (the two rules cannot drift apart)', () => {
    const hub = generateDemoHub({ households: 60, facilities: 20, now: '2026-11-30T15:00:00.000Z' });
    for (const h of hub.households) {
      const formed = validateHousehold(h);
      if (formed.ok) expect(checkRecord('household', h.id, formed.value)).toBeNull();
      expect(checkRecord('household', h.id, h)).toBeNull();
    }
    for (const f of hub.facilities) expect(checkRecord('facility', f.id, f)).toBeNull();
    for (const o of hub.offices) expect(checkRecord('office', o.id, o)).toBeNull();
    const formed = validateHousehold(createHousehold());
    expect(formed.ok).toBe(true);
  });
});

describe('office records: hub periods (issue 14)', () => {
  it('[R2] an office written before hub periods (one hubSince day) reads as one open period from that day; null as no period', () => {
    const { hubPeriods: _p, oneBody: _o, ...current } = createOffice();
    const old = { ...current, hubSince: '2024-04-01' };
    expect(checkRecord('office', old.id, old)).toBeNull();
    expect(officeRecord.parse(old)).toEqual(createOffice());
    expect(officeRecord.parse({ ...current, hubSince: null })).toMatchObject({ hubPeriods: [], oneBody: { settlement: false, independentLiving: false } });
  });

  it('[R2] overlapping, unordered or reversed periods are refused, naming the period in Japanese', () => {
    const overlap = createOffice({
      hubPeriods: [
        { from: '2024-04-01', to: '2025-03-31', note: '' },
        { from: '2025-03-01', to: null, note: '' },
      ],
    });
    expect(checkRecord('office', overlap.id, overlap)).toMatchObject({ code: 'shape', field: 'hubPeriods.1.from' });
    expect(checkRecord('office', overlap.id, overlap)!.message).toContain('2件目）の開始日が前の期間（1件目）と重なっているか');
    const twoOpen = createOffice({ hubPeriods: [{ from: '2024-04-01', to: null, note: '' }, { from: '2025-04-01', to: null, note: '' }] });
    expect(checkRecord('office', twoOpen.id, twoOpen)).toMatchObject({ field: 'hubPeriods.0.to' });
    const reversed = createOffice({ hubPeriods: [{ from: '2025-04-01', to: '2025-03-31', note: '' }] });
    expect(checkRecord('office', reversed.id, reversed)!.message).toContain('終了日が開始日より前です');
  });
});
