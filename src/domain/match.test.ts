import { describe, expect, it } from 'vitest';
import { createPerson } from '../../test/factories/household';
import type { DisabilityType, MedicalCareKind } from './disability';
import { emptyAcceptance, emptyFacility, type Acceptance, type Facility } from './facility';
import type { IsoInstant } from './household';
import { INCOMPLETE_MESSAGES, MATCH_ORDER_EXPLANATION, matchFacilities, searchFacilities, type MatchResult } from './match';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import type { CaseEntry, EntryBody } from './emergency-case';
import { admissionsElsewhere, callsElsewhere } from './open-case';

let seq = 0;

type AcceptanceOverrides = Partial<Record<DisabilityType, Partial<Acceptance>>>;

/** A facility that accepts only what `accepts` opens; everything else starts closed as on the form. */
function createFacility(overrides: Partial<Facility> & { accepts?: AcceptanceOverrides } = {}): Facility {
  const { accepts = {}, ...rest } = overrides;
  const acceptance = { ...emptyAcceptance() };
  for (const [type, row] of Object.entries(accepts) as [DisabilityType, Partial<Acceptance>][]) {
    acceptance[type] = { ...acceptance[type], ...row };
  }
  seq += 1;
  return {
    ...emptyFacility(`test-f-${String(seq).padStart(4, '0')}`, '2026-04-01T00:00:00.000Z'),
    name: `短期入所 テスト${seq}`,
    area: '中央',
    acceptance,
    ...rest,
  };
}

const both = { adult: true, child: true };
const CALL = '2026-11-30T15:10:00Z'; // 2026-12-01 00:10 in Japan

function ok(result: MatchResult) {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.kind}: ${result.message}`);
  return result;
}

describe('者/児 on the day of the call, in Japan time', () => {
  const person = createPerson({ birthDate: '2008-12-01', disabilityTypes: ['intellectual'] });
  const facilities = [createFacility({ accepts: { intellectual: { child: true } } })];

  it.each([
    ['the day before the 18th birthday', '2026-11-29T15:10:00Z', 'child', '2026-11-30'],
    ['23:50 JST on the day before (14:50 UTC)', '2026-11-30T14:50:00Z', 'child', '2026-11-30'],
    ['00:10 JST on the birthday (still 30 Nov in UTC)', '2026-11-30T15:10:00Z', 'adult', '2026-12-01'],
    ['the day after the birthday', '2026-12-01T15:10:00Z', 'adult', '2026-12-02'],
  ] as const)('%s → %s', (_label, callAt, category, day) => {
    const r = ok(matchFacilities({ person, callAt, facilities }));
    expect(r.category).toBe(category);
    expect(r.day).toBe(day);
  });

  it('reads a Date the same way, whatever the process zone', () => {
    expect(ok(matchFacilities({ person, callAt: new Date('2026-11-30T14:50:00Z'), facilities })).category).toBe('child');
    expect(ok(matchFacilities({ person, callAt: new Date(Date.UTC(2026, 10, 30, 15, 10)), facilities })).category).toBe('adult');
  });

  it('uses the 者 or 児 column of the matrix accordingly', () => {
    const child = ok(matchFacilities({ person, callAt: '2026-11-30T14:50:00Z', facilities }));
    expect(child.fits.map((m) => m.reasons)).toEqual([['知的（児）: 受入可']]);
    const adult = ok(matchFacilities({ person, callAt: CALL, facilities }));
    expect(adult.fits).toEqual([]);
    expect(adult.nearMisses[0]?.failures).toEqual(['知的（者）: 受入不可']);
  });

  it('rejects a call time without a zone rather than reading it in the device zone', () => {
    expect(() => matchFacilities({ person, callAt: '2026-11-30T15:10', facilities })).toThrow(RangeError);
  });
});

describe('needs', () => {
  it('adds 医療的ケア and 重症心身障害 from the person flags', () => {
    const person = createPerson({ disabilityTypes: ['physical-limb'], medicalCare: ['suction'], severeMultiple: true });
    expect(ok(matchFacilities({ person, callAt: CALL, facilities: [] })).needs).toEqual([
      'physical-limb',
      'medical-care',
      'severe-multiple',
    ]);
  });

  it('fits only when every type is accepted; one missing type makes a near miss with that reason', () => {
    const person = createPerson({ disabilityTypes: ['intellectual', 'developmental', 'severe-behavior'] });
    const all = createFacility({ name: 'すべて可', accepts: { intellectual: both, developmental: both, 'severe-behavior': both } });
    const twoOfThree = createFacility({ name: '二つ可', accepts: { intellectual: both, developmental: both } });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [twoOfThree, all] }));
    expect(r.fits.map((m) => m.facility.name)).toEqual(['すべて可']);
    expect(r.fits[0]?.reasons).toEqual(['知的（者）: 受入可', '発達（者）: 受入可', '強度行動障害（者）: 受入可']);
    expect(r.nearMisses.map((m) => [m.facility.name, m.failures])).toEqual([['二つ可', ['強度行動障害（者）: 受入不可']]]);
  });

  it('needs each medical care kind listed by the facility', () => {
    const person = createPerson({ birthDate: '2015-05-05', disabilityTypes: [], medicalCare: ['tube-feeding', 'suction'] });
    const handles = createFacility({ name: '両方可', accepts: { 'medical-care': both }, medicalCare: ['suction', 'tube-feeding'] });
    const suctionOnly = createFacility({ name: '吸引のみ', accepts: { 'medical-care': both }, medicalCare: ['suction'] });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [suctionOnly, handles] }));
    expect(r.category).toBe('child');
    expect(r.fits.map((m) => m.facility.name)).toEqual(['両方可']);
    expect(r.fits[0]?.reasons).toContain('医療的ケア 経管栄養（経鼻）: 対応可');
    expect(r.nearMisses[0]?.failures).toEqual(['医療的ケア 経管栄養（経鼻）: 対応不可']);
  });
});

describe('near misses', () => {
  it('lists every non-fit apart, fewest failures first, each with its reasons', () => {
    const person = createPerson({ birthDate: '2014-01-01', disabilityTypes: ['intellectual'], medicalCare: ['oxygen'] });
    const careKinds: MedicalCareKind[] = ['oxygen'];
    const fit = createFacility({ name: 'A', accepts: { intellectual: both, 'medical-care': both }, medicalCare: careKinds });
    const lacksOxygen = createFacility({ name: 'B', accepts: { intellectual: both, 'medical-care': both } });
    const adultsOnly = createFacility({ name: 'C', accepts: { intellectual: { adult: true }, 'medical-care': { adult: true } } });
    const nothing = createFacility({ name: 'D' });
    const otherKinds = createFacility({ name: 'E', accepts: { intellectual: both, 'medical-care': both }, medicalCare: ['suction'] });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [nothing, adultsOnly, lacksOxygen, otherKinds, fit] }));
    expect(r.fits.map((m) => m.facility.name)).toEqual(['A']);
    // a facility that recorded no kinds of 医療的ケア has not said it cannot: said so, to ask on the phone
    expect(r.nearMisses.map((m) => [m.facility.name, m.failures])).toEqual([
      ['B', ['医療的ケア 酸素療法: 登録なし（電話で確認）']],
      ['E', ['医療的ケア 酸素療法: 対応不可']],
      ['C', ['知的（児）: 受入不可', '医療的ケア（児）: 受入不可', '医療的ケア 酸素療法: 登録なし（電話で確認）']],
      ['D', ['知的（児）: 受入不可', '医療的ケア（児）: 受入不可', '医療的ケア 酸素療法: 登録なし（電話で確認）']],
    ]);
    expect(r.nearMisses[0]?.reasons).toEqual(['知的（児）: 受入可', '医療的ケア（児）: 受入可']);
  });

  it('puts a facility whose care kinds are only not listed before one that refuses the child outright', () => {
    // a city list with no care kinds: あ takes 知的 and 医療的ケア for children, its kinds unlisted
    const person = createPerson({ birthDate: '2014-01-01', disabilityTypes: ['intellectual'], medicalCare: ['tube-feeding', 'suction'] });
    const unlisted = createFacility({ name: 'あ', accepts: { intellectual: both, 'medical-care': both } });
    const noCareForChildren = createFacility({ name: 'い', accepts: { intellectual: both, 'medical-care': { adult: true } }, medicalCare: ['tube-feeding', 'suction'] });
    const noIntellectualChild = createFacility({ name: 'う', accepts: { intellectual: { adult: true }, 'medical-care': both }, medicalCare: ['tube-feeding', 'suction'] });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [noIntellectualChild, noCareForChildren, unlisted] }));
    expect(r.nearMisses.map((m) => [m.facility.name, m.unconfirmed])).toEqual([
      ['あ', 2],
      ['い', 0],
      ['う', 0],
    ]);
  });
});

describe('備考 conditions', () => {
  it('says a row\'s 備考 on a near miss too: it is what the call may turn on', () => {
    const person = createPerson({ birthDate: '2014-01-01', disabilityTypes: [], medicalCare: ['tube-feeding'] });
    const f = createFacility({ name: '要相談', accepts: { 'medical-care': { adult: true, note: '経管栄養は要相談' } }, medicalCare: ['tube-feeding'] });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [f] }));
    expect(r.nearMisses.map((m) => [m.failures, m.conditions])).toEqual([[['医療的ケア（児）: 受入不可'], [expect.stringContaining('経管栄養は要相談')]]]);
  });


  it('keeps a fit whose accepted type carries a note, and says it depends on the condition', () => {
    const person = createPerson({ birthDate: '2016-02-02', disabilityTypes: ['intellectual'], severeMultiple: true });
    const f = createFacility({
      accepts: { intellectual: { ...both, note: '  ' }, 'severe-multiple': { child: true, note: '要相談' } },
    });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [f] }));
    expect(r.fits).toHaveLength(1);
    expect(r.fits[0]?.conditions).toEqual(['重症心身障害（児）: 条件あり — 要相談']);
  });
});

describe('order of fits', () => {
  const person = createPerson({ disabilityTypes: ['mental'] });
  const accepts = { mental: both };
  const vacancy = (asOf: IsoInstant, beds = 1) => ({ beds, asOf, reportedBy: '夜勤' });

  it('puts a fresh vacancy first, then a previous stay, then 地区 and name, and 満床 said within the day last (even where he stayed before)', () => {
    const plain1 = createFacility({ name: 'いろは', area: '南部', accepts });
    const plain2 = createFacility({ name: 'あおば', area: '南部', accepts });
    const plain3 = createFacility({ name: 'わかば', area: '北部', accepts });
    const stale = createFacility({ name: '古い報告', area: '南部', accepts, vacancy: vacancy('2026-11-29T14:10:00Z') }); // 25 h
    const fresh = createFacility({ name: '新しい報告', area: '南部', accepts, vacancy: vacancy('2026-11-29T15:10:00Z') }); // 24 h
    const zeroBeds = createFacility({ name: 'あ満床', area: '南部', accepts, vacancy: vacancy('2026-11-30T15:00:00Z', 0) });
    const stayed = createFacility({ name: 'ん', area: '西部', accepts });
    const r = ok(
      matchFacilities({
        person,
        callAt: CALL,
        facilities: [plain1, stale, plain3, zeroBeds, stayed, plain2, fresh],
        previousStays: new Set([stayed.id, zeroBeds.id]),
      }),
    );
    expect(r.fits.map((m) => m.facility.name)).toEqual(['新しい報告', 'ん', 'あおば', 'いろは', '古い報告', 'わかば', 'あ満床']);
    expect(r.fits[0]).toMatchObject({ freshVacancy: true, stayedBefore: false });
    expect(r.fits[1]).toMatchObject({ freshVacancy: false, stayedBefore: true });
    expect(r.fits.find((m) => m.facility === stale)?.freshVacancy).toBe(false);
    expect(r.orderExplanation).toBe(MATCH_ORDER_EXPLANATION);
    expect(r.orderExplanation).toBe('空きの報告がある事業所（今夜した報告と今夜を含む期間の報告、前の夜の24時間以内の報告の順に、新しい報告から。報告の後の入所で埋まった事業所を除く） → 以前に利用した事業所 → 地区・名前順 → 満床の報告が24時間以内にある事業所');
  });

  it("reads the weekend's beds on the weekend though a report for one night replaced it since", () => {
    const weekend = { beds: 2, asOf: '2026-11-27T03:00:00Z', reportedBy: '田中', from: '2026-12-05', until: '2026-12-06' };
    const tuesdayFull = { beds: 0, asOf: '2026-12-01T01:00:00Z', reportedBy: '田中' };
    const f = createFacility({ name: '週末に空き', area: '北部', accepts, vacancy: tuesdayFull, vacancyHistory: [weekend] });
    const other = createFacility({ name: 'あ', area: '北部', accepts });
    const saturday = ok(matchFacilities({ person, callAt: '2026-12-05T13:00:00Z', facilities: [other, f] }));
    expect(saturday.fits.map((m) => m.facility.name)).toEqual(['週末に空き', 'あ']);
    expect(saturday.fits[0]).toMatchObject({ freshVacancy: true, vacancy: weekend });
    const tuesday = ok(matchFacilities({ person, callAt: '2026-12-01T14:00:00Z', facilities: [other, f] }));
    expect(tuesday.fits.map((m) => m.facility.name)).toEqual(['あ', '週末に空き']); // 満床 tonight: last
    expect(tuesday.fits[1]).toMatchObject({ fullVacancy: true, vacancy: tuesdayFull });
  });

  it("puts the beds reported for tonight before last night's: the weekend's, reported on Tuesday, above Friday night's report on Saturday night", () => {
    const weekend = createFacility({ name: '週末に空き', area: '北部', accepts, vacancy: { beds: 2, asOf: '2026-12-01T01:00:00Z', reportedBy: '田中', from: '2026-12-05', until: '2026-12-06' } }); // Tue 10:00
    const friday = createFacility({ name: '金曜の夜', area: '北部', accepts, vacancy: vacancy('2026-12-04T13:30:00Z') }); // Fri 22:30
    const saturday = createFacility({ name: '土曜の夜', area: '北部', accepts, vacancy: vacancy('2026-12-05T11:00:00Z') }); // Sat 20:00
    const r = ok(matchFacilities({ person, callAt: '2026-12-05T13:00:00Z', facilities: [friday, weekend, saturday] })); // Sat 22:00
    expect(r.fits.map((m) => [m.facility.name, m.forTonight])).toEqual([
      ['土曜の夜', true],
      ['週末に空き', true],
      ['金曜の夜', false],
    ]);
    expect(r.fits.every((m) => m.freshVacancy)).toBe(true);
  });

  it('lists one office registered twice once, as the record with the newest report, stayed at if either record was', () => {
    const reported = createFacility({ name: 'あおば（Aの登録）', officeNumber: '1210100001', accepts, vacancy: vacancy('2026-11-30T14:00:00Z') });
    const older = createFacility({ name: 'あおば（Bの登録）', officeNumber: '1210100001', accepts, updatedAt: '2026-11-30T15:00:00.000Z' });
    const other = createFacility({ name: 'いろは', officeNumber: '1210100002', accepts });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [older, other, reported], previousStays: new Set([older.id]) }));
    expect(r.fits.map((m) => m.facility.name)).toEqual(['あおば（Aの登録）', 'いろは']);
    expect(r.fits[0]).toMatchObject({ freshVacancy: true, stayedBefore: true, twins: [older] });
    expect(r.fits[1]!.twins).toEqual([]);
    // without a report, the record changed last
    const bare = { ...reported, vacancy: null };
    expect(ok(matchFacilities({ person, callAt: CALL, facilities: [bare, older] })).fits.map((m) => m.facility.name)).toEqual(['あおば（Bの登録）']);
  });

  it('judges freshness against `now` when given', () => {
    const f = createFacility({ accepts, vacancy: vacancy('2026-11-30T15:00:00Z') });
    const later = ok(matchFacilities({ person, callAt: CALL, now: '2026-12-01T16:00:00Z', facilities: [f] }));
    expect(later.fits[0]?.freshVacancy).toBe(false);
    const atCall = ok(matchFacilities({ person, callAt: CALL, facilities: [f] }));
    expect(atCall.fits[0]?.freshVacancy).toBe(true);
  });

  it('tolerates a report a few minutes ahead (another device clock) but not a malformed one', () => {
    const ahead = createFacility({ accepts, vacancy: vacancy('2026-11-30T15:13:00Z') });
    const broken = createFacility({ accepts, vacancy: vacancy('昨夜') });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [ahead, broken] }));
    expect(r.fits.map((m) => m.freshVacancy)).toEqual([true, false]);
  });
});

describe('beds taken by admissions in other emergency cases since the report', () => {
  const person = createPerson({ disabilityTypes: ['mental'] });
  const accepts = { mental: both };
  const HOURS = 3_600_000;
  // 2026-11-30 02:10 in Japan: coordinator B's match for another person
  const B_CALL = '2026-11-29T17:10:00.000Z';
  const REPORT_1800 = '2026-11-29T09:00:00.000Z';
  const at = (body: EntryBody, time: string) => ({ body, at: time });
  const admission = (facilityId: string, from: string): EntryBody => ({ type: 'outcome', outcome: '短期入所', facilityId, facilityName: 'あおぞら', from, note: '' });

  /** Coordinator A's case: 受入可 at 01:40, admitted at 01:45 (or `from`, up to 02:05), closed at 02:06. */
  function caseA(facilityId: string, from = '2026-11-29T16:45:00.000Z', id = 'case-a'): Promise<CaseEntry[]> {
    return appendEntries([], [
      at(openBody({ requestedAt: '2026-11-29T16:20:00.000Z' }), '2026-11-29T16:21:00.000Z'),
      at(contactBody({ facilityId, facilityName: 'あおぞら', contactedAt: '2026-11-29T16:40:00.000Z', result: '受入可' }), '2026-11-29T16:40:10.000Z'),
      at({ type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, '2026-11-29T16:42:00.000Z'),
      at(admission(facilityId, from), '2026-11-29T17:05:00.000Z'),
      at({ type: 'close', closedAt: '2026-11-29T17:06:00.000Z' }, '2026-11-29T17:06:00.000Z'),
    ], id);
  }

  function matchAt0210(facilities: Facility[], chains: CaseEntry[][]) {
    const admissions = admissionsElsewhere(chains, 'case-b', new Date(B_CALL), 7 * 24 * HOURS);
    return ok(matchFacilities({ person, callAt: B_CALL, facilities, admissionsElsewhere: admissions }));
  }

  it('takes the top place and the fresh look from a report of 1 bed at 18:00 once another case admitted someone there at 01:45', async () => {
    const aozora = createFacility({ name: 'あおぞら', area: '中央', accepts, vacancy: { beds: 1, asOf: REPORT_1800, reportedBy: '連携担当' } });
    const aiEn = createFacility({ name: 'あい園', area: '中央', accepts });
    const a = await caseA(aozora.id);
    // the card's call line alone says 受入可: nothing in it tells of the admission
    expect(callsElsewhere([a], 'case-b', new Date(B_CALL), 12 * HOURS).get(aozora.id)?.result).toBe('受入可');
    const r = matchAt0210([aozora, aiEn], [a]);
    expect(r.fits.map((m) => m.facility.name)).toEqual(['あい園', 'あおぞら']);
    expect(r.fits[1]).toMatchObject({ vacancy: { beds: 1 }, freshVacancy: false, forTonight: false, fullVacancy: false, bedsTaken: 1 });
    expect(r.fits[1]!.admissionsElsewhere.map((x) => x.admittedAt)).toEqual(['2026-11-29T16:45:00.000Z']);
  });

  it('keeps a report of 2 beds first with one taken since, and counts the admission on the other record of an office registered twice', async () => {
    const aozora = createFacility({ name: 'あおぞら', officeNumber: '1210100009', accepts, vacancy: { beds: 2, asOf: REPORT_1800, reportedBy: '連携担当' } });
    const twin = createFacility({ name: 'あおぞら', officeNumber: '1210100009', accepts });
    const aiEn = createFacility({ name: 'あい園', accepts });
    const r = matchAt0210([aiEn, twin, aozora], [await caseA(twin.id)]);
    expect(r.fits.map((m) => m.facility.id)).toEqual([aozora.id, aiEn.id]);
    expect(r.fits[0]).toMatchObject({ freshVacancy: true, forTonight: true, bedsTaken: 1 });
  });

  it('takes no bed for an admission before the report: the liaison counted it (2 beds at 01:50, admissions at 01:45 and 02:00)', async () => {
    const aozora = createFacility({ name: 'あおぞら', accepts, vacancy: { beds: 2, asOf: '2026-11-29T16:50:00.000Z', reportedBy: '連携担当' } });
    const aiEn = createFacility({ name: 'あい園', accepts });
    const r = matchAt0210([aiEn, aozora], [await caseA(aozora.id), await caseA(aozora.id, '2026-11-29T17:00:00.000Z', 'case-c')]);
    expect(r.fits.map((m) => m.facility.name)).toEqual(['あおぞら', 'あい園']);
    expect(r.fits[0]).toMatchObject({ freshVacancy: true, forTonight: true, bedsTaken: 1 });
    expect(r.fits[0]!.admissionsElsewhere.map((x) => x.caseId)).toEqual(['case-c', 'case-a']);
  });

  it('takes no bed for an admission withdrawn (取消): 2 beds, one admission standing, one withdrawn', async () => {
    const aozora = createFacility({ name: 'あおぞら', accepts, vacancy: { beds: 2, asOf: REPORT_1800, reportedBy: '連携担当' } });
    const aiEn = createFacility({ name: 'あい園', accepts });
    const a = await caseA(aozora.id);
    const close = a.find((e) => e.body.type === 'close')!;
    const outcome = a.find((e) => e.body.type === 'outcome')!;
    const withdrawn = await appendEntries(a, [
      at({ type: 'correction', corrects: close.id, reason: '受入先から今夜は預かれないと電話があった', replacement: null }, '2026-11-29T16:55:00.000Z'),
      at({ type: 'correction', corrects: outcome.id, reason: '受入先から今夜は預かれないと電話があった', replacement: null }, '2026-11-29T16:56:00.000Z'),
    ]);
    const standing = await caseA(aozora.id, '2026-11-29T16:55:00.000Z', 'case-c');
    const r = matchAt0210([aiEn, aozora], [withdrawn, standing]);
    expect(r.fits.map((m) => m.facility.name)).toEqual(['あおぞら', 'あい園']);
    expect(r.fits[0]).toMatchObject({ freshVacancy: true, bedsTaken: 1 });
    expect(r.fits[0]!.admissionsElsewhere.map((x) => x.caseId)).toEqual(['case-c']);
  });
});

describe('incomplete person', () => {
  const facilities = [createFacility({ accepts: { intellectual: both } })];

  it('asks for the birth date instead of returning an empty list', () => {
    const r = matchFacilities({ person: createPerson({ birthDate: null }), callAt: CALL, facilities });
    expect(r).toEqual({ kind: 'incomplete', missing: ['birthDate'], message: INCOMPLETE_MESSAGES.birthDate });
    expect(r.kind === 'incomplete' && r.message).toBe(
      '生年月日が未入力のため、者・児を判定できません。世帯の情報を編集して入力してください。',
    );
  });

  it('asks for the disability types when there are none and no medical care', () => {
    const r = matchFacilities({ person: createPerson({ disabilityTypes: [] }), callAt: CALL, facilities });
    expect(r).toEqual({ kind: 'incomplete', missing: ['disabilityTypes'], message: INCOMPLETE_MESSAGES.disabilityTypes });
  });

  it('asks for both at once', () => {
    const r = matchFacilities({ person: createPerson({ birthDate: null, disabilityTypes: [] }), callAt: CALL, facilities });
    expect(r).toMatchObject({ kind: 'incomplete', missing: ['birthDate', 'disabilityTypes'], message: INCOMPLETE_MESSAGES.both });
  });

  it('counts medical care alone as enough to match', () => {
    const r = matchFacilities({ person: createPerson({ disabilityTypes: [], medicalCare: ['insulin'] }), callAt: CALL, facilities });
    expect(r.kind).toBe('ok');
  });

  it('flags a birth date after the call day', () => {
    const r = matchFacilities({ person: createPerson({ birthDate: '2026-12-02' }), callAt: CALL, facilities });
    expect(r).toMatchObject({ kind: 'incomplete', missing: ['birthDate'], message: INCOMPLETE_MESSAGES.birthAfterCall });
  });
});

describe('short-stay hub bonus (+200 units)', () => {
  const accepts = { 'medical-care': both, intellectual: both, 'severe-behavior': both };
  const hub = createFacility({ name: '拠点・担当者あり', accepts, liaison: '佐藤', hubFunctions: ['emergency-acceptance'] });
  const noLiaison = createFacility({ name: '担当者なし', accepts, hubFunctions: ['emergency-acceptance'] });
  const notHub = createFacility({ name: '拠点外', accepts, liaison: '鈴木' });

  it('needs an eligible person, a liaison and a hub function', () => {
    const person = createPerson({ disabilityTypes: ['intellectual'], medicalCare: ['suction'] });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [hub, noLiaison, notHub] }));
    const byName = new Map(r.nearMisses.concat(r.fits).map((m) => [m.facility.name, m.hubBonus]));
    expect(byName.get('拠点・担当者あり')).toEqual({ eligible: true, reasons: ['医療的ケア児者', '連携担当者あり', '拠点の機能あり'] });
    expect(byName.get('担当者なし')).toEqual({ eligible: false, reasons: ['連携担当者が登録されていない'] });
    expect(byName.get('拠点外')).toEqual({ eligible: false, reasons: ['地域生活支援拠点の機能を持たない'] });
  });

  it('is not claimable for a person outside the bonus, even at a hub with a liaison', () => {
    const person = createPerson({ disabilityTypes: ['intellectual'], behaviorScore: 9 });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [hub] }));
    expect(r.fits[0]?.hubBonus.eligible).toBe(false);
    expect(r.fits[0]?.hubBonus.reasons[0]).toMatch(/^本人が加算の対象/);
  });

  it('counts the behaviour score that applies on the day of the call', () => {
    const person = createPerson({ birthDate: '2008-12-01', disabilityTypes: ['intellectual'], behaviorScore: 12, childBehaviorScore: 5 });
    const asChild = ok(matchFacilities({ person, callAt: '2026-11-30T14:50:00Z', facilities: [hub] }));
    expect(asChild.fits[0]?.hubBonus.eligible).toBe(false);
    const asAdult = ok(matchFacilities({ person, callAt: CALL, facilities: [hub] }));
    expect(asAdult.fits[0]?.hubBonus).toMatchObject({ eligible: true });
  });
});

describe('at a city’s size', () => {
  it('places every one of 1,000 facilities as a fit or a near miss', () => {
    const facilities = Array.from({ length: 1000 }, (_, i) =>
      createFacility({
        name: `事業所${i}`,
        area: ['北部', '南部', '東部', '西部'][i % 4],
        accepts: { intellectual: { adult: i % 2 === 0, child: true, note: i % 5 === 0 ? '要相談' : '' }, 'medical-care': both },
        medicalCare: i % 3 === 0 ? ['suction'] : [],
        vacancy: i % 7 === 0 ? { beds: 1, asOf: '2026-11-30T10:00:00Z', reportedBy: '' } : null,
        liaison: i % 2 === 0 ? '担当' : '',
        hubFunctions: ['emergency-acceptance'],
      }),
    );
    const person = createPerson({ disabilityTypes: ['intellectual'], medicalCare: ['suction'] });
    const input = { person, callAt: CALL, facilities, previousStays: new Set(['test-f-0100']) };
    // Its speed is a figure of `npm run bench` (bench/domain.ts), not a timed test that fails on a busy machine.
    const r = ok(matchFacilities(input));
    expect(r.fits.length + r.nearMisses.length).toBe(1000);
  });
});

describe('searchFacilities', () => {
  const kids = createFacility({ name: 'ひまわり園', area: '北部', address: '北町1-2', accepts: { intellectual: { child: true } } });
  const adults = createFacility({
    name: 'サクラ荘',
    area: '南部',
    liaison: '高橋 真理',
    accepts: { intellectual: { adult: true }, developmental: { adult: true }, 'medical-care': both },
    medicalCare: ['suction'],
  });
  const mixed = createFacility({ name: 'あすなろ', area: '北部', accepts: { intellectual: { adult: true }, developmental: { child: true } } });
  const all = [kids, adults, mixed];
  const names = (fs: readonly Facility[]) => fs.map((f) => f.name);

  it('returns everything, by 地区 (Japanese reading: 南部 before 北部) and name, with an empty filter', () => {
    expect(names(searchFacilities(all, {}))).toEqual(['サクラ荘', 'あすなろ', 'ひまわり園']);
  });

  it('filters by type chips and 者/児; "any" needs all chips within one age column', () => {
    expect(names(searchFacilities(all, { types: ['intellectual'], category: 'child' }))).toEqual(['ひまわり園']);
    expect(names(searchFacilities(all, { types: ['intellectual', 'developmental'] }))).toEqual(['サクラ荘']);
    expect(names(searchFacilities(all, { category: 'child' }))).toEqual(['サクラ荘', 'あすなろ', 'ひまわり園']);
    expect(names(searchFacilities(all, { category: 'adult' }))).toEqual(['サクラ荘', 'あすなろ']);
  });

  it('filters by medical care and 地区', () => {
    expect(names(searchFacilities(all, { medicalCare: ['suction'] }))).toEqual(['サクラ荘']);
    expect(names(searchFacilities(all, { medicalCare: ['oxygen'] }))).toEqual([]);
    expect(names(searchFacilities(all, { area: ' 北部 ' }))).toEqual(['あすなろ', 'ひまわり園']);
  });

  it('finds free text across kana forms, widths and fields; every word must match', () => {
    expect(names(searchFacilities(all, { text: 'さくら' }))).toEqual(['サクラ荘']);
    expect(names(searchFacilities(all, { text: 'ﾋﾏﾜﾘ' }))).toEqual(['ひまわり園']);
    expect(names(searchFacilities(all, { text: '北町１' }))).toEqual(['ひまわり園']);
    expect(names(searchFacilities(all, { text: '高橋　真理' }))).toEqual(['サクラ荘']); // full-width space: two words
    expect(names(searchFacilities(all, { text: '高橋 南部' }))).toEqual(['サクラ荘']);
    expect(names(searchFacilities(all, { text: 'さくら 北部' }))).toEqual([]);
  });

  it('finds the facility a number calls back from: its phone, night phone, FAX or 事業所番号, in any format', () => {
    const callers = [
      createFacility({ name: '夜間あり', phone: '03-1111-2222', nightPhone: '090-3333-4444（夜間）', address: '本町2-14-3' }),
      createFacility({ name: 'FAXのみ', phone: '', fax: '０３－５５５５－６６６６', officeNumber: '1312345678' }),
      kids,
    ];
    expect(names(searchFacilities(callers, { text: '+81 90-3333-4444' }))).toEqual(['夜間あり']);
    expect(names(searchFacilities(callers, { text: '03 1111 2222' }))).toEqual(['夜間あり']);
    expect(names(searchFacilities(callers, { text: '6666' }))).toEqual(['FAXのみ']);
    expect(names(searchFacilities(callers, { text: '\u202d0311112222\u202c' }))).toEqual(['夜間あり']); // copied from the phone's Recents
    expect(names(searchFacilities(callers, { text: '131234' }))).toEqual(['FAXのみ']);
    // a number of the address still finds it, and two digits are no number
    expect(names(searchFacilities(callers, { text: '2-14-3' }))).toEqual(['夜間あり']);
    expect(names(searchFacilities(callers, { text: '1-2' }))).toEqual(['ひまわり園']);
    expect(names(searchFacilities(callers, { text: '7777' }))).toEqual([]);
  });
});

describe('強度行動障害 from the behaviour scores', () => {
  const takesIntellectual = createFacility({ name: '知的のみ', accepts: { intellectual: both } });
  const takesBoth = createFacility({ name: '行動障害も可', accepts: { intellectual: both, 'severe-behavior': both } });

  it('needs a facility that takes 強度行動障害 for 者 with 行動関連項目 ≥ 10 and 児 with 強度行動障害判定基準 ≥ 20, though not ticked', () => {
    const adult = createPerson({ birthDate: '1990-01-01', disabilityTypes: ['intellectual'], behaviorScore: 18 });
    const r = ok(matchFacilities({ person: adult, callAt: CALL, facilities: [takesIntellectual, takesBoth] }));
    expect(r.needs).toEqual(['intellectual', 'severe-behavior']);
    expect(r.fits.map((m) => m.facility.name)).toEqual(['行動障害も可']);
    expect(r.nearMisses.map((m) => [m.facility.name, m.failures])).toEqual([['知的のみ', ['強度行動障害（者）: 受入不可']]]);

    const child = createPerson({ birthDate: '2015-01-01', disabilityTypes: ['intellectual'], childBehaviorScore: 24 });
    expect(ok(matchFacilities({ person: child, callAt: CALL, facilities: [takesIntellectual, takesBoth] })).needs).toContain('severe-behavior');
  });

  it('does not for scores under the thresholds, nor for the other age\'s score when his own is recorded', () => {
    const low = createPerson({ birthDate: '1990-01-01', disabilityTypes: ['intellectual'], behaviorScore: 9, childBehaviorScore: 30 });
    expect(ok(matchFacilities({ person: low, callAt: CALL, facilities: [takesIntellectual] })).needs).toEqual(['intellectual']);
  });

  it('keeps the need across the 18th birthday while his 行動関連項目 is not recorded yet (a child has no 区分 to score it)', () => {
    const turning = createPerson({ birthDate: '2008-12-01', disabilityTypes: ['intellectual'], behaviorScore: null, childBehaviorScore: 24 });
    for (const callAt of ['2026-11-30T14:50:00.000Z', '2026-11-30T15:10:00.000Z']) {
      const r = ok(matchFacilities({ person: turning, callAt, facilities: [takesIntellectual, takesBoth] }));
      expect(r.needs).toContain('severe-behavior');
      expect(r.fits.map((m) => m.facility.name)).toEqual(['行動障害も可']);
    }
  });
});

describe('休止・廃止', () => {
  const person = createPerson({ birthDate: '1990-05-01', disabilityTypes: ['intellectual'] });
  const accepts = { intellectual: both };
  // CALL is 1 December in Japan

  it('lists a facility closed on the night apart from the near misses, its closure said first, never as a fit', () => {
    const suspended = createFacility({ name: '休止中の事業所', accepts, closure: { kind: 'suspended', from: '2026-11-20', until: '2026-12-20', note: '職員不足' } });
    const closed = createFacility({ name: '廃止した事業所', accepts, closure: { kind: 'closed', from: '2026-12-01', until: null, note: '' } });
    const open = createFacility({ name: '受け入れる事業所', accepts });
    const refuses = createFacility({ name: '受け入れない事業所' });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [suspended, closed, open, refuses] }));
    expect(r.fits.map((m) => m.facility.name)).toEqual(['受け入れる事業所']);
    expect(r.nearMisses.map((m) => m.facility.name)).toEqual(['受け入れない事業所']);
    const apart = new Map(r.closed.map((m) => [m.facility.name, m.failures]));
    expect(apart).toEqual(new Map([['休止中の事業所', ['休止中（12/20まで）']], ['廃止した事業所', ['廃止（2026年12月1日から）']]]));
  });

  it('judges a closure by today as well as by the call: a case matched again after a 休止 began lists it as closed', () => {
    const later = createFacility({ name: '12/10から休止', accepts, closure: { kind: 'suspended', from: '2026-12-10', until: null, note: '' } });
    // requested on 1 December, matched again on 12 December
    const r = ok(matchFacilities({ person, callAt: CALL, now: '2026-12-12T01:00:00Z', facilities: [later] }));
    expect(r.fits).toEqual([]);
    expect(r.closed.map((m) => m.failures)).toEqual([['休止中（再開日未定）']]);
    // and one still to come is said as planned from today, not from the call's day
    const ahead = ok(matchFacilities({ person, callAt: CALL, now: '2026-12-05T01:00:00Z', facilities: [later] }));
    expect(ahead.fits[0]!.conditions).toEqual(['12/10から休止予定']);
  });

  it('takes a facility again once its 休止 has ended, and tells of one that starts later', () => {
    const back = createFacility({ name: '再開した事業所', accepts, closure: { kind: 'suspended', from: '2026-11-01', until: '2026-11-30', note: '' } });
    const later = createFacility({ name: '来週から休止', accepts, closure: { kind: 'suspended', from: '2026-12-08', until: null, note: '' } });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [back, later] }));
    expect(r.fits.map((m) => m.facility.name).sort()).toEqual(['再開した事業所', '来週から休止'].sort());
    expect(r.fits.find((m) => m.facility.name === '来週から休止')!.conditions).toEqual(['12/08から休止予定']);
    expect(r.fits.find((m) => m.facility.name === '再開した事業所')!.conditions).toEqual([]);
  });

  it('keeps a 休止 with no restart date for good, until the office says it runs again', () => {
    const open = createFacility({ accepts, closure: { kind: 'suspended', from: '2025-01-01', until: null, note: '' } });
    const r = ok(matchFacilities({ person, callAt: CALL, facilities: [open] }));
    expect(r.closed[0]!.failures).toEqual(['休止中（再開日未定）']);
  });
});
