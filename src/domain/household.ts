/**
 * A pre-registered household (事前登録者) as captured by the 聞き取り票 (DOMAIN.md §2).
 * Plain readonly data: the vault encrypts it whole; nothing here is ever indexed in clear.
 * Dates without time are ISO calendar dates in Japan time ('YYYY-MM-DD'); instants are ISO UTC strings.
 */
import type { DisabilityType, MedicalCareKind } from './disability';

export type IsoDate = string; // 'YYYY-MM-DD', a calendar day in Japan
export type IsoInstant = string; // 'YYYY-MM-DDTHH:mm:ss.sssZ', UTC

export type Sex = 'male' | 'female' | 'other' | 'unknown';

/** 障害者手帳 held by a person. */
export interface Handbooks {
  /** 身体障害者手帳 等級 1-6 */
  readonly physicalGrade: 1 | 2 | 3 | 4 | 5 | 6 | null;
  /** 療育手帳: 'A', 'B' or a local grade as written (A1, B2, マルA …) */
  readonly ryoiku: string | null;
  /** 精神障害者保健福祉手帳 等級 1-3 */
  readonly mentalGrade: 1 | 2 | 3 | null;
}

export interface Doctor {
  readonly name: string;
  readonly hospital: string;
  readonly phone: string;
  readonly note: string;
}

export interface ServiceUse {
  /** サービス種別, e.g. 生活介護, 放課後等デイサービス */
  readonly service: string;
  readonly office: string;
  readonly phone: string;
  readonly schedule: string;
}

export interface PastShortStay {
  readonly facility: string;
  readonly when: string;
  readonly howItWent: string;
}

/** 日常生活状況（支援の程度）: free text per area, as the interviewer wrote it. */
export interface DailyLiving {
  readonly meals: string;
  readonly toileting: string;
  readonly bathing: string;
  readonly mobility: string;
  readonly dressing: string;
  readonly communication: string;
  readonly sleep: string;
  readonly behaviour: string;
}

/** One span of enrolment in a service, both days inclusive; `to` null while it goes on. */
export interface EnrolmentPeriod {
  readonly from: IsoDate;
  readonly to: IsoDate | null;
  /**
   * Where the person uses it: an office of the hub (the claim's rule e excludes the month only at
   * the office that runs the service as one body with its 相談支援 and so claims its fee), null for
   * an office outside the hub, absent when not recorded (read as this office, so the month is
   * excluded, as is an office this device does not hold: docs/claim-rules.md rule e).
   */
  readonly officeId?: string | null;
}

/**
 * A person's enrolment in the services an office may run as one body with its 相談支援.
 * null: 未確認 (not asked yet; the claim asks too); []: 利用なし; else the periods, oldest first.
 */
export interface ServiceEnrolments {
  /** 地域定着支援 */
  readonly settlement: readonly EnrolmentPeriod[] | null;
  /** 自立生活援助 */
  readonly independentLiving: readonly EnrolmentPeriod[] | null;
}

export const UNKNOWN_ENROLMENTS: ServiceEnrolments = { settlement: null, independentLiving: null };

export interface Person {
  readonly id: string;
  readonly name: string;
  /** ふりがな as entered (any kana form; search normalises it) */
  readonly furigana: string;
  readonly birthDate: IsoDate | null;
  readonly sex: Sex;
  /** 受給者証番号, 10 digits */
  readonly recipientNumber: string;
  /** 支給決定市町村: the municipality that decided the person's services ('' when not recorded) */
  readonly municipality: string;
  readonly handbooks: Handbooks;
  /** 障害支援区分 1-6; children (障害児) have none */
  readonly supportLevel: 1 | 2 | 3 | 4 | 5 | 6 | null;
  readonly disabilityTypes: readonly DisabilityType[];
  /** その他 disability types in the person's own words, beyond the named codes */
  readonly otherDisabilities: string;
  readonly diagnosis: string;
  /** 重症心身障害 */
  readonly severeMultiple: boolean;
  readonly medicalCare: readonly MedicalCareKind[];
  readonly medicalCareDetails: string;
  /** 行動関連項目 合計点 0-24 (adults); ≥10 matters for the short-stay hub bonus */
  readonly behaviorScore: number | null;
  /** 強度行動障害判定基準 score (children); ≥20 matters */
  readonly childBehaviorScore: number | null;
  // 医療について
  readonly doctors: readonly Doctor[];
  readonly medications: string;
  readonly allergies: string;
  readonly seizures: string;
  readonly crisisPlan: string;
  // 福祉サービス利用状況
  readonly services: readonly ServiceUse[];
  readonly pastShortStays: readonly PastShortStay[];
  /**
   * 地域定着支援・自立生活援助 の利用期間: an office running one of them as one body does not claim
   * the 相談強化加算 for a month the person is enrolled (claim rule e). Absent in records written
   * before it existed: read as 未確認 for both.
   */
  readonly enrolments?: ServiceEnrolments;
  // 日常生活状況
  readonly dailyLiving: DailyLiving;
  readonly calming: string;
  readonly triggers: string;
}

export interface EmergencyContact {
  readonly name: string;
  /** the name's reading, so 「たなか」 finds the aunt 田中 at night; absent in records saved before it was asked */
  readonly furigana?: string;
  readonly relation: string;
  readonly phones: readonly string[];
  readonly note: string;
}

export interface FamilyMember {
  readonly name: string;
  readonly relation: string;
  readonly age: string;
  readonly note: string;
}

export interface Agency {
  readonly name: string;
  readonly role: string;
  readonly contactPerson: string;
  readonly phone: string;
}

/** 同意書: without it the household is not registered. */
export interface Consent {
  readonly date: IsoDate;
  readonly consentedBy: string;
  /** 情報共有の範囲 */
  readonly scope: string;
}

/**
 * One 見直し (review of the 聞き取り票 with the family), recorded with 「見直しを記録」. Never edited:
 * a list with ids, so two reviews recorded on two devices both survive the hub's field-by-field
 * merge (records are merged by id inside such lists, docs/sync-protocol.md [S14]).
 */
export interface HouseholdReview {
  readonly id: string;
  /** 見直し日 (Japan date) */
  readonly reviewedOn: IsoDate;
  /** 見直した人 (the unlocked user's name) */
  readonly reviewedBy: string;
  readonly reviewedByUserId: string;
  readonly note: string;
  readonly recordedAt: IsoInstant;
}

/** 登録廃止 */
export interface Withdrawal {
  readonly date: IsoDate;
  readonly reason: string;
}

/**
 * 事業所の移管: the household moved from one 相談支援事業所 to another (or was first placed under
 * one). Kept in the record, oldest first, so its history shows who moved it, when and why.
 */
export interface OfficeMove {
  readonly at: IsoInstant;
  /** who moved it: the user id (hub or device) and the name as it was then */
  readonly byUserId: string;
  readonly byName: string;
  /** Office ids; null: under no office */
  readonly from: string | null;
  readonly to: string | null;
  readonly reason: string;
}

export interface Household {
  readonly id: string;
  readonly address: string;
  readonly phone: string;
  readonly persons: readonly Person[];
  // 緊急連絡先・代理人, in calling order
  readonly emergencyContacts: readonly EmergencyContact[];
  readonly legalRepresentative: string;
  // 家族状況
  readonly family: readonly FamilyMember[];
  readonly mainCaregiver: string;
  readonly caregiverHealth: string;
  // 関係機関
  /** 登録した相談支援事業所 */
  readonly registeringOffice: string;
  /** 担当の相談支援専門員 */
  readonly caseWorker: string;
  readonly caseWorkerPhone: string;
  /**
   * The 相談支援事業所 (Office id) the household is placed under, its 計画相談支援 / 障害児相談支援
   * office: decides who sees it on the hub (scope) and gives the claim's 計画相談 fact its default.
   * Absent or null: under no office (held for the hub's coordinators).
   */
  readonly officeId?: string | null;
  /** 担当 相談支援専門員 picked from the hub's users (or this device's); `caseWorker` keeps the name */
  readonly caseWorkerUserId?: string | null;
  /** every move between offices, oldest first (never rewritten) */
  readonly officeMoves?: readonly OfficeMove[];
  readonly agencies: readonly Agency[];
  readonly consent: Consent | null;
  /** 最終見直し日: the date the 聞き取り票 was last reviewed with the family */
  readonly lastReviewedOn: IsoDate | null;
  /** 見直しの記録, oldest first; the last review is the later of this list and lastReviewedOn */
  readonly reviews: readonly HouseholdReview[];
  readonly withdrawal: Withdrawal | null;
  readonly note: string;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

export type HouseholdStatus = 'draft' | 'registered' | 'withdrawn';

/** A record's fields as stored: any of them may be missing in a record written before it existed. */
type Stored = { readonly [key: string]: unknown };
const isStored = (v: unknown): v is Stored => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `record` with each of `defaults`' keys it lacks given the default; the record itself when it
 * lacks none (most records: a load of thousands copies only the old ones).
 */
function withDefaults(record: Stored, defaults: Stored): Stored {
  const missing = Object.keys(defaults).filter((key) => record[key] === undefined);
  if (missing.length === 0) return record;
  const filled: Record<string, unknown> = { ...record };
  for (const key of missing) filled[key] = defaults[key];
  return filled;
}

// What the record schema (protocol/records.ts) lets be absent and reads as null / none / ''. Only
// those: a field the type itself leaves optional (officeId, enrolments, a contact's furigana) is
// read as absent by every screen already.
const HOUSEHOLD_DEFAULTS: Stored = { consent: null, lastReviewedOn: null, reviews: [], withdrawal: null };
const PERSON_DEFAULTS: Stored = { birthDate: null, municipality: '', supportLevel: null, behaviorScore: null, childBehaviorScore: null };
const HANDBOOK_DEFAULTS: Stored = { physicalGrade: null, ryoiku: null, mentalGrade: null };

/**
 * A stored household as the app uses it. The vault keeps every record as it was written (pulled
 * from the hub, restored from a backup, saved by an older app): a household saved before 見直し
 * were recorded has no `reviews`, and read raw its detail screen stopped on `reviews.length` and a
 * missing `withdrawal` read as 登録廃止. Fills what the record schema reads as null / none.
 */
export function readHousehold(stored: unknown): Household {
  if (!isStored(stored)) return stored as Household;
  const household = withDefaults(stored, HOUSEHOLD_DEFAULTS);
  const persons = household['persons'];
  if (!Array.isArray(persons)) return household as unknown as Household;
  let changed = false;
  const read = persons.map((p: unknown) => {
    if (!isStored(p)) return p;
    let person = withDefaults(p, PERSON_DEFAULTS);
    const handbooks = person['handbooks'];
    if (isStored(handbooks)) {
      const filled = withDefaults(handbooks, HANDBOOK_DEFAULTS);
      if (filled !== handbooks) person = { ...person, handbooks: filled };
    }
    if (person !== p) changed = true;
    return person;
  });
  return (changed ? { ...household, persons: read } : household) as unknown as Household;
}
