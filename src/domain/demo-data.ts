/**
 * A deterministic FICTIONAL hub for demos, tests and benchmarks: households of 「みなと市」 and its
 * short-stay facilities. Each record draws from its own seeded stream, so household n is the same
 * whether 10 or 10,000 are generated, and the first few households are scripted to cover the
 * moments in SCENARIOS.md (the 02:10 call, a mother of two, a draft, a stale form, a withdrawal).
 */
import type { Office } from './emergency-case';
import type { Facility } from './facility';
import type { Consent, EmergencyContact, FamilyMember, Household, IsoDate, IsoInstant, Person, Withdrawal } from './household';
import { addDaysToDate, addMonthsToDate, japanDateOf } from './japan-time';
import { generateDemoFacility } from './demo-facilities';
import {
  ALLERGIES, CAREGIVER_HEALTH, CITY, CONSENT_SCOPES, CONSULTATION_OFFICES, DOCTOR_ROLES, GIVEN_NAMES, HOSPITALS,
  HOUSEHOLD_NOTES, SERVICE_OFFICES, SURNAMES, TOWNS, WITHDRAWAL_REASONS, type NamePair,
} from './demo-names';
import { demoLandline, demoMobile, demoOfficePhone } from './demo-phones';
import { pickProfile, profileByKey } from './demo-profiles';
import { createRandom, streamSeed, type Random } from './demo-random';

export const DEFAULT_DEMO_SEED = 20_261_123;
/** the demo hub's own 相談支援事業所 */
export const DEMO_OFFICE_ID = 'demo-office-1';
/** The demo office that runs 地域定着支援 and 自立生活援助 as one body (demo-cases.ts makes it). */
export const DEMO_OFFICE_ONE_BODY = 'demo-office-one-body';

export interface DemoHubOptions {
  readonly households: number;
  readonly facilities: number;
  readonly seed?: number;
  /** ISO instant; birth dates, reviews and consents are placed relative to its Japan date */
  readonly now: IsoInstant;
}

export interface DemoHub {
  readonly households: Household[];
  readonly facilities: Facility[];
  /** the hub's own 相談支援事業所, positioned as a hub, so demo cases can be claimed */
  readonly offices: Office[];
}

/** A fictional 相談支援事業所 (事業所番号 starting 99: no real office has it). */
export function demoOffice(at: IsoInstant): Office {
  return { id: DEMO_OFFICE_ID, name: 'あおぞら相談支援センター（デモ）', officeNumber: '9912345678', hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false }, createdAt: at, updatedAt: at };
}

type Kind = 'child' | 'adult-with-parent' | 'two-children' | 'elderly-parent' | 'alone';
type Status = 'draft' | 'registered' | 'withdrawn';

interface PersonScript {
  readonly profile: string;
  readonly age: number;
  readonly sex: 'male' | 'female';
  readonly given?: NamePair;
}

interface Script {
  readonly kind?: Kind;
  readonly status?: Status;
  readonly stale?: boolean;
  readonly surname?: NamePair;
  readonly caregiver?: { readonly given: NamePair; readonly sex: 'male' | 'female' };
  readonly persons?: readonly PersonScript[];
  readonly firstContact?: readonly [name: string, relation: string, furigana: string];
}

const SCRIPTS: Readonly<Record<number, Script>> = {
  // SCENARIOS 1: a mother alone with her 16-year-old son (知的, tube feeding at night); her sister calls.
  1: {
    kind: 'child',
    status: 'registered',
    stale: false,
    surname: ['佐藤', 'サトウ'],
    caregiver: { given: ['美咲', 'ミサキ'], sex: 'female' },
    persons: [{ profile: 'tube-feeding-child', age: 16, sex: 'male', given: ['陽太', 'ヨウタ'] }],
    firstContact: ['田中 由美子', '叔母（母の妹）', 'タナカ ユミコ'],
  },
  // SCENARIOS 2: a mother caring for two disabled children.
  2: {
    kind: 'two-children',
    status: 'registered',
    stale: false,
    persons: [
      { profile: 'autism-child', age: 12, sex: 'male' },
      { profile: 'smid-child', age: 7, sex: 'female' },
    ],
  },
  3: { status: 'draft' },
  4: { status: 'registered', stale: true, kind: 'elderly-parent' },
  5: { status: 'withdrawn' },
  6: { kind: 'adult-with-parent', persons: [{ profile: 'smid-adult', age: 24, sex: 'male' }] },
};

interface Context {
  readonly seed: number;
  readonly today: IsoDate;
  readonly facilityNames: readonly string[];
}

/** 支給決定市町村: most families are the city's own; some were decided by a neighbouring town. */
const MUNICIPALITIES = [CITY, CITY, CITY, 'しおかぜ町', CITY, 'あさひ市'] as const;

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const atTenJst = (date: IsoDate): IsoInstant => `${date}T01:00:00.000Z`;

function givenName(r: Random, sex: 'male' | 'female', birthYear: number): NamePair {
  const generation = birthYear < 1960 ? 'elder' : birthYear < 1995 ? 'middle' : 'young';
  return r.pick(GIVEN_NAMES[sex][generation]);
}

function birthDateFor(r: Random, today: IsoDate, age: number): IsoDate {
  // 5–360 days past the birthday, so the age holds on `today` whatever the leap years.
  return addDaysToDate(addMonthsToDate(today, -12 * age), -r.int(5, 360));
}

/** 受給者証番号: a scramble coprime with 10^8 keeps the numbers unique while looking random. */
function recipientNumber(householdNo: number, personNo: number): string {
  return `13${pad(((householdNo * 10 + personNo) * 7919) % 100_000_000, 8)}`;
}

function makePerson(r: Random, ctx: Context, id: string, surname: NamePair, script: PersonScript, seq: number, householdNo: number): Person {
  const profile = profileByKey(script.profile);
  const birthDate = birthDateFor(r, ctx.today, script.age);
  const [given, givenKana] = script.given ?? givenName(r, script.sex, Number(birthDate.slice(0, 4)));
  const group = profile.ageGroup;
  const doctors = r.some(HOSPITALS, r.int(1, 2)).map((hospital) => ({
    name: `${r.pick(SURNAMES)[0]} ${r.pick(GIVEN_NAMES.male.middle)[0]}`,
    hospital,
    phone: demoOfficePhone(r),
    note: r.pick(DOCTOR_ROLES),
  }));
  const services = r.some(SERVICE_OFFICES[group], r.int(1, 3)).map(([service, office, schedule]) => ({
    service,
    office,
    phone: demoOfficePhone(r),
    schedule,
  }));
  const stays = ctx.facilityNames.length === 0 ? [] : r.some(ctx.facilityNames, r.int(0, 2));
  return {
    id,
    name: `${surname[0]} ${given}`,
    furigana: `${surname[1]} ${givenKana}`,
    birthDate,
    sex: script.sex,
    recipientNumber: r.chance(0.05) ? '' : recipientNumber(householdNo, seq),
    // From the household number, not the random stream: every other field stays as it was.
    municipality: MUNICIPALITIES[householdNo % MUNICIPALITIES.length]!,
    ...profile.build(r),
    doctors,
    allergies: r.pick(ALLERGIES),
    services,
    // 地域定着支援 / 自立生活援助 (rule e): known to use none, but one household in four uses
    // 地域定着支援 (at the demo office that runs it as one body, or, one in two, at an office
    // outside the hub) and one in four was never asked (未確認)
    ...(householdNo % 4 === 3
      ? {}
      : {
          enrolments: {
            settlement: householdNo % 4 === 1 && script.age >= 18 ? [{ from: '2024-04-01', to: null, officeId: householdNo % 8 === 1 ? DEMO_OFFICE_ONE_BODY : null }] : [],
            independentLiving: [],
          },
        }),
    pastShortStays: stays.map((facility) => ({
      facility,
      when: `${r.int(2022, 2026)}年${r.int(1, 12)}月（${r.int(1, 5)}泊）`,
      howItWent: r.pick(['大きなトラブルなく過ごせた', '初日は眠れなかったが2日目から落ち着いた', '食事量が減った。好物の持参を勧められた']),
    })),
  };
}

function randomPersons(r: Random, kind: Kind): PersonScript[] {
  const sex = (): 'male' | 'female' => (r.chance(0.6) ? 'male' : 'female');
  switch (kind) {
    case 'child':
      return [{ profile: pickProfile(r, 'child').key, age: r.int(3, 17), sex: sex() }];
    case 'two-children': {
      const older = r.int(8, 17);
      return [
        { profile: pickProfile(r, 'child').key, age: older, sex: sex() },
        { profile: pickProfile(r, 'child').key, age: r.int(3, older - 2), sex: sex() },
      ];
    }
    case 'adult-with-parent':
      return [{ profile: pickProfile(r, 'adult').key, age: r.int(18, 39), sex: sex() }];
    case 'elderly-parent':
      return [{ profile: pickProfile(r, 'adult').key, age: r.int(40, 62), sex: sex() }];
    case 'alone':
      return [{ profile: pickProfile(r, 'adult').key, age: r.int(25, 64), sex: sex() }];
  }
}

function randomKind(r: Random): Kind {
  const roll = r.next();
  return roll < 0.42 ? 'child' : roll < 0.64 ? 'adult-with-parent' : roll < 0.74 ? 'two-children' : roll < 0.9 ? 'elderly-parent' : 'alone';
}

/** Who families list as emergency contacts: [relation, shares the surname, sex, a typical birth year]. */
const RELATIVES: readonly (readonly [string, boolean, 'male' | 'female', number])[] = [
  ['叔母（母の妹）', false, 'female', 1978],
  ['祖母（母方）', false, 'female', 1950],
  ['伯父（父の兄）', true, 'male', 1968],
  ['父（別居）', true, 'male', 1972],
  ['祖父（父方）', true, 'male', 1948],
  ['母の友人', false, 'female', 1980],
];

function contact(r: Random, name: string, relation: string, furigana: string): EmergencyContact {
  const phones = r.chance(0.3) ? [demoMobile(r), demoLandline(r)] : [demoMobile(r)];
  return { name, relation, phones, note: r.pick(['', '', '平日日中は仕事のため夕方以降', '車で30分の距離']), furigana };
}

function generateHousehold(n: number, ctx: Context): Household {
  const r = createRandom(streamSeed(ctx.seed, n, 1));
  const script = SCRIPTS[n] ?? {};
  const id = `demo-h-${pad(n, 5)}`;
  const kind = script.kind ?? randomKind(r);
  const surname = script.surname ?? r.pick(SURNAMES);
  const personScripts = script.persons ?? randomPersons(r, kind);
  const persons = personScripts.map((ps, i) => makePerson(r, ctx, `${id}-p${i + 1}`, surname, ps, i + 1, n));
  const youngest = Math.min(...personScripts.map((p) => p.age));

  // The main caregiver: a parent, or nobody for someone living alone.
  const family: FamilyMember[] = [];
  let mainCaregiver = 'なし（単身。居宅介護・訪問看護で対応）';
  if (kind !== 'alone') {
    const elderly = kind === 'elderly-parent';
    const parentAge = elderly ? youngest + r.int(26, 32) : Math.max(youngest, ...personScripts.map((p) => p.age)) + r.int(24, 40);
    const parentSex = script.caregiver?.sex ?? (r.chance(0.85) ? 'female' : 'male');
    const parentGiven = script.caregiver?.given ?? givenName(r, parentSex, Number(ctx.today.slice(0, 4)) - parentAge);
    const relation = parentSex === 'female' ? '母' : '父';
    const parentName = `${surname[0]} ${parentGiven[0]}`;
    mainCaregiver = `${relation}（${parentName}）`;
    family.push({ name: parentName, relation, age: `${parentAge}歳`, note: '主たる介護者' });
    if (!elderly && r.chance(0.4)) family.push({ name: `${surname[0]} ${givenName(r, 'male', 1975)[0]}`, relation: '父', age: `${parentAge + r.int(0, 5)}歳`, note: '平日は単身赴任' });
  }

  const contacts = r.some(RELATIVES, r.int(1, 3)).map(([relation, sameSurname, sex, born]) => {
    const family = sameSurname ? surname : r.pick(SURNAMES);
    const given = givenName(r, sex, born);
    return contact(r, `${family[0]} ${given[0]}`, relation, `${family[1]} ${given[1]}`);
  });
  if (script.firstContact) contacts[0] = contact(r, ...script.firstContact);

  const office = CONSULTATION_OFFICES[(n * 7 + r.int(0, 2)) % CONSULTATION_OFFICES.length]!;
  const caseWorker = r.pick(office.caseWorkers);

  // Status and dates: consent after the youngest was born, review after consent, all before today.
  const roll = r.next();
  const status: Status = script.status ?? (roll < 0.06 ? 'draft' : roll < 0.07 ? 'withdrawn' : 'registered');
  const stale = script.stale ?? r.chance(0.12);
  const reviewDaysAgo = stale ? r.int(400, 900) : r.int(7, 330);
  const consentDaysAgo = Math.min(Math.max(r.int(30, 1800), reviewDaysAgo), youngest * 365 - 30);
  const daysAgo = (d: number) => addDaysToDate(ctx.today, -d);
  let consent: Consent | null = null;
  let lastReviewedOn: IsoDate | null = null;
  let withdrawal: Withdrawal | null = null;
  let createdOn = daysAgo(r.int(1, 60));
  let updatedOn = createdOn;
  if (status !== 'draft') {
    createdOn = daysAgo(consentDaysAgo);
    consent = { date: createdOn, consentedBy: kind === 'alone' ? persons[0]!.name : mainCaregiver.replace(/^.（(.*)）$/, '$1'), scope: r.pick(CONSENT_SCOPES) };
    lastReviewedOn = daysAgo(Math.min(reviewDaysAgo, consentDaysAgo));
    updatedOn = lastReviewedOn;
  }
  if (status === 'withdrawn') {
    const withdrawnDaysAgo = r.int(1, Math.max(1, Math.min(consentDaysAgo - 1, 400)));
    withdrawal = { date: daysAgo(withdrawnDaysAgo), reason: r.pick(WITHDRAWAL_REASONS) };
    if (withdrawal.date > updatedOn) updatedOn = withdrawal.date;
  }

  const school = personScripts.some((p) => p.age >= 6 && p.age < 18);
  return {
    id,
    address: `${CITY}${r.pick(TOWNS)}${r.int(1, 5)}丁目${r.int(1, 30)}番${r.int(1, 20)}号${r.chance(0.4) ? ` ${r.pick(['コーポみなと', 'ハイツ汐見', 'メゾン浜風'])}${r.int(1, 4)}0${r.int(1, 5)}` : ''}`,
    phone: kind === 'alone' || r.chance(0.3) ? demoMobile(r) : demoLandline(r),
    persons,
    emergencyContacts: contacts,
    legalRepresentative: kind !== 'child' && kind !== 'two-children' && r.chance(0.25) ? `成年後見人 司法書士 ${r.pick(SURNAMES)[0]} ${givenName(r, 'male', 1970)[0]}（${demoOfficePhone(r)}）` : '',
    family,
    mainCaregiver,
    caregiverHealth: kind === 'alone' ? '' : kind === 'elderly-parent' ? '高齢で体力の低下あり。夜間の介助が負担' : r.pick(CAREGIVER_HEALTH),
    registeringOffice: office.name,
    // one household in three is placed under the demo hub's own office (its 計画相談 default)
    ...(n % 3 === 0 ? { officeId: DEMO_OFFICE_ID } : {}),
    caseWorker,
    caseWorkerPhone: r.chance(0.3) ? demoMobile(r) : office.phone,
    agencies: [
      { name: office.name, role: '計画相談支援', contactPerson: caseWorker, phone: office.phone },
      ...(school ? [{ name: 'みなと特別支援学校', role: '通学先', contactPerson: '担任', phone: '03-0550-9000' }] : []),
    ],
    consent,
    lastReviewedOn,
    // A review after the consent was the case worker's (so the worklist has a 前回見直し者 to show).
    reviews:
      lastReviewedOn !== null && lastReviewedOn !== createdOn
        ? [{ id: `${id}-rv1`, reviewedOn: lastReviewedOn, reviewedBy: caseWorker, reviewedByUserId: '', note: '', recordedAt: atTenJst(lastReviewedOn) }]
        : [],
    withdrawal,
    note: r.pick(HOUSEHOLD_NOTES),
    createdAt: atTenJst(createdOn),
    updatedAt: atTenJst(updatedOn),
  };
}

/** Fictional households and facilities; the same options always give the same hub. */
export function generateDemoHub(options: DemoHubOptions): DemoHub {
  const { households: householdCount, facilities: facilityCount, now } = options;
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  for (const [label, count] of [['households', householdCount], ['facilities', facilityCount]] as const) {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`${label} must be a non-negative integer: ${count}`);
  }
  const facilities = Array.from({ length: facilityCount }, (_, i) => generateDemoFacility(i + 1, seed, now));
  const ctx: Context = { seed, today: japanDateOf(now), facilityNames: facilities.slice(0, 40).map((f) => f.name) };
  const households = Array.from({ length: householdCount }, (_, i) => generateHousehold(i + 1, ctx));
  return { households, facilities, offices: [demoOffice(now)] };
}
