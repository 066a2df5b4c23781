/**
 * What a stored record must look like for the app to read it: one check for every household,
 * facility, office and case entry, run by the hub on push (a record that fails is refused, reason
 * 'invalid', nothing stored), by the app on pull (a record that fails is set aside, the rest of the
 * page is written) and on backup restore (a file holding one is refused whole). Rules [R1]-[R3]
 * in docs/sync-protocol.md.
 *
 * These are shapes, not the form's rules: the 聞き取り票 form (domain/household-schema.ts) also
 * asks for a name, a dialable phone and so on before it saves, and its rules may grow; a record
 * saved under older rules must still travel. What is checked here is what a screen relies on
 * (a list is a list, a date is a date, a code is one the app knows). Each schema's output is
 * checked against the domain type at compile time (`satisfies`), and records.test.ts checks that
 * whatever the form accepts passes here, so the two cannot drift apart unnoticed.
 */
import { z } from 'zod';
import { DISABILITY_TYPES, MEDICAL_CARE_KINDS } from '../domain/disability';
import {
  CONTACT_METHODS,
  CONTACT_RESULTS,
  EXIT_KINDS,
  OUTCOME_KINDS,
  PLANNING_VALUES,
  REQUEST_CATEGORIES,
  type CaseEntry,
  type FactBody,
} from '../domain/emergency-case';
import { CLOSURE_KINDS, closureProblem, FACILITY_SERVICE_TYPES, FACILITY_UNIT_TYPES, HUB_FUNCTIONS, type Facility } from '../domain/facility';
import type { BonusClaimCount, BonusCoordinator, BonusSplit, BonusUnitPrice } from '../domain/function-bonus';
import type { Household, Person } from '../domain/household';
import type { MonthCloseRecord } from '../domain/claim-close';
import { hubPeriodErrors, periodErrorPath, upgradeOfficeRecord, type Office } from '../domain/office';
import type { TrialStay } from '../domain/trial-stay';
import { BEHAVIOR_SCORE_MAX, CHILD_BEHAVIOR_SCORE_MAX, SEXES } from '../domain/household-schema';
import { addDaysToDate, isValidIsoDate } from '../domain/japan-time';
import { MAX_BEDS, MAX_PERIOD_DAYS } from '../domain/vacancy-report';
import { FUNCTION_BONUS_KINDS, isRecordId, RECORD_ID_PATTERN } from './constants';

export { RECORD_ID_PATTERN, isRecordId };

/** The kinds pull hands out and the vault stores. */
export const STORED_KINDS = ['household', 'facility', 'office', 'case-entry', 'month-close', 'trial-stay', ...FUNCTION_BONUS_KINDS] as const;
export type StoredKind = (typeof STORED_KINDS)[number];

/** A record id on the wire: the one rule ([R1], constants.ts). */
export const recordId = z.string().regex(RECORD_ID_PATTERN, 'record ids are 1-128 characters of A-Z a-z 0-9 _ -');

const text = z.string();
// A day that exists (2024-02-29, never 2024-02-31): the app reckons ages and nights from it, and a
// day it cannot read stopped the household list on every phone that pulled one.
const isoDate = z.string().refine(isValidIsoDate, 'expected a real date YYYY-MM-DD');
/** A whole number from 0 (a count of beds, a score) up to `max` when it has one. */
const count = (max?: number) => (max === undefined ? z.number().int().nonnegative() : z.number().int().min(0).max(max));
const instant = z.iso.datetime({ offset: true });
/** Absent in records written before the field existed: read as null, as the form does. */
const orNull = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === undefined ? null : v), schema.nullable());

// ─── Household ──────────────────────────────────────────────────────────────

const enrolmentPeriod = z.object({ from: isoDate, to: isoDate.nullable() });
/** a person's enrolment also says where (an office of the hub, null elsewhere, absent not recorded) */
const personEnrolmentPeriod = enrolmentPeriod.extend({ officeId: z.string().nullable().optional() });

const personRecord = z.object({
  id: z.string().min(1),
  name: text,
  furigana: text,
  birthDate: orNull(isoDate),
  sex: z.enum(SEXES),
  recipientNumber: text,
  municipality: z.preprocess((v) => (v === undefined ? '' : v), text),
  handbooks: z.object({
    physicalGrade: orNull(z.literal([1, 2, 3, 4, 5, 6])),
    ryoiku: orNull(text),
    mentalGrade: orNull(z.literal([1, 2, 3])),
  }),
  supportLevel: orNull(z.literal([1, 2, 3, 4, 5, 6])),
  disabilityTypes: z.array(z.enum(DISABILITY_TYPES)),
  otherDisabilities: text,
  diagnosis: text,
  severeMultiple: z.boolean(),
  medicalCare: z.array(z.enum(MEDICAL_CARE_KINDS)),
  medicalCareDetails: text,
  behaviorScore: orNull(count(BEHAVIOR_SCORE_MAX)),
  childBehaviorScore: orNull(count(CHILD_BEHAVIOR_SCORE_MAX)),
  doctors: z.array(z.object({ name: text, hospital: text, phone: text, note: text })),
  medications: text,
  allergies: text,
  seizures: text,
  crisisPlan: text,
  services: z.array(z.object({ service: text, office: text, phone: text, schedule: text })),
  pastShortStays: z.array(z.object({ facility: text, when: text, howItWent: text })),
  // absent in records written before it: 未確認 for both services
  enrolments: z.object({ settlement: z.array(personEnrolmentPeriod).nullable(), independentLiving: z.array(personEnrolmentPeriod).nullable() }).optional(),
  dailyLiving: z.object({
    meals: text,
    toileting: text,
    bathing: text,
    mobility: text,
    dressing: text,
    communication: text,
    sleep: text,
    behaviour: text,
  }),
  calming: text,
  triggers: text,
}) satisfies z.ZodType<Person>;

export const householdRecord = z.object({
  id: recordId,
  address: text,
  phone: text,
  persons: z.array(personRecord),
  // furigana: absent in records written before contacts had a reading
  emergencyContacts: z.array(z.object({ name: text, relation: text, phones: z.array(text), note: text, furigana: text.optional() })),
  legalRepresentative: text,
  family: z.array(z.object({ name: text, relation: text, age: text, note: text })),
  mainCaregiver: text,
  caregiverHealth: text,
  registeringOffice: text,
  caseWorker: text,
  caseWorkerPhone: text,
  // absent in records written before households were placed under an office
  officeId: z.string().nullable().optional(),
  caseWorkerUserId: z.string().nullable().optional(),
  officeMoves: z.array(z.object({ at: instant, byUserId: text, byName: text, from: z.string().nullable(), to: z.string().nullable(), reason: text })).optional(),
  agencies: z.array(z.object({ name: text, role: text, contactPerson: text, phone: text })),
  consent: orNull(z.object({ date: isoDate, consentedBy: text, scope: text })),
  lastReviewedOn: orNull(isoDate),
  /** Absent in records written before reviews were recorded: read as none. */
  reviews: z.preprocess(
    (v) => (v === undefined ? [] : v),
    z.array(z.object({ id: z.string().min(1), reviewedOn: isoDate, reviewedBy: text, reviewedByUserId: text, note: text, recordedAt: instant })),
  ),
  withdrawal: orNull(z.object({ date: isoDate, reason: text })),
  note: text,
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<Household>;

// ─── Facility and office ────────────────────────────────────────────────────

const acceptance = z.object({ adult: z.boolean(), child: z.boolean(), note: text });
/**
 * A bed report: its days (a weekend ahead) are real days, as every screen formats them, and hold
 * together as the report form makes them: both or neither, the first not after the last, at most
 * MAX_PERIOD_DAYS. A report dated for a year would head the match every night of it.
 */
const vacancyRecord = z
  .object({ beds: count(MAX_BEDS), asOf: instant, reportedBy: text, from: isoDate.optional(), until: isoDate.optional(), note: text.optional() })
  .superRefine((v, ctx) => {
    if ((v.from === undefined) !== (v.until === undefined)) ctx.addIssue({ code: 'custom', path: ['until'], message: 'a bed report has both from and until, or neither' });
    else if (v.from !== undefined && v.until !== undefined) {
      if (v.until < v.from) ctx.addIssue({ code: 'custom', path: ['until'], message: 'until is before from' });
      else if (v.until > addDaysToDate(v.from, MAX_PERIOD_DAYS - 1)) ctx.addIssue({ code: 'custom', path: ['until'], message: `a bed report's period is at most ${MAX_PERIOD_DAYS} days` });
    }
  });

export const facilityRecord = z.object({
  id: recordId,
  name: text,
  officeNumber: text,
  serviceType: z.enum(FACILITY_SERVICE_TYPES),
  unitType: z.enum(FACILITY_UNIT_TYPES),
  address: text,
  area: text,
  phone: text,
  nightPhone: text,
  fax: text,
  email: text,
  hubFunctions: z.array(z.enum(HUB_FUNCTIONS)),
  liaison: text,
  capacity: count(),
  acceptance: z.record(z.enum(DISABILITY_TYPES), acceptance),
  medicalCare: z.array(z.enum(MEDICAL_CARE_KINDS)),
  emergencyRequestHow: text,
  vacancy: orNull(vacancyRecord),
  // the reports it replaced, newest first (absent in records written before it)
  vacancyHistory: z.array(vacancyRecord).optional(),
  // 休止・廃止 (absent in records written before it): real days, a 休止's last day not before its first
  closure: orNull(
    z
      .object({ kind: z.enum(CLOSURE_KINDS), from: isoDate, until: isoDate.nullable(), note: text })
      .refine((c) => closureProblem(c) === null, { error: 'a closure ends before it starts, or a 廃止 has an end' }),
  ).optional(),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<Facility>;


/**
 * An office as it reads now. Records from before hub periods (one `hubSince` day) are read as one
 * open period from that day, and without 一体的運営 flags as running neither service
 * (upgradeOfficeRecord): the hub and older devices may still hold them. The periods must be a
 * history a claim can stand on (oldest first, no overlap, only the last open).
 */
export const officeRecord = z.preprocess(
  upgradeOfficeRecord,
  z
    .object({
      id: recordId,
      name: text,
      officeNumber: text,
      hubPeriods: z.array(enrolmentPeriod.extend({ note: z.preprocess((v) => v ?? '', text) })),
      oneBody: z.object({ settlement: z.boolean(), independentLiving: z.boolean() }),
      createdAt: instant,
      updatedAt: instant,
    })
    .superRefine((office, ctx) => {
      for (const e of hubPeriodErrors(office.hubPeriods)) ctx.addIssue({ code: 'custom', path: periodErrorPath(e.path), message: e.message });
    }),
) satisfies z.ZodType<Office>;

// ─── 機能強化加算 (docs/function-bonus.md) ───────────────────────────────────

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');

export const bonusCoordinatorRecord = z.object({
  id: recordId,
  name: text,
  officeId: text,
  fromMonth: yearMonth,
  toMonth: yearMonth.nullable(),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<BonusCoordinator>;

/** Percents in tenths add up to exactly 100% (the shares are computed from them; the form says so in Japanese). */
const sumsTo100 = (list: readonly { percent: number }[]) => list.reduce((a, s) => a + Math.round(s.percent * 10), 0) === 1000;

export const bonusSplitRecord = z.object({
  id: recordId,
  validFrom: yearMonth,
  offices: z.array(z.object({ officeId: text, percent: z.number().positive() })).refine(sumsTo100, 'office percents must add up to 100'),
  municipalities: z
    .array(z.object({ name: text, percent: z.number().positive() }))
    .refine((m) => m.length === 0 || sumsTo100(m), 'municipality percents must add up to 100'),
  note: text,
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<BonusSplit>;

export const bonusCountRecord = z.object({
  id: recordId,
  officeId: text,
  month: yearMonth,
  count: z.number().int().nonnegative(),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<BonusClaimCount>;

export const bonusPriceRecord = z.object({
  id: recordId,
  validFrom: yearMonth,
  yenPerUnit: z.number().positive(),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<BonusUnitPrice>;

// ─── Case entry (evidence) ──────────────────────────────────────────────────

const subject = z.object({ householdId: z.string().nullable(), personId: z.string().nullable(), name: text, recipientNumber: text });

const factBodies = [
  z.object({
    type: z.literal('open'),
    officeId: text,
    subject,
    requestedAt: instant,
    requestedAtReason: text,
    category: z.enum(REQUEST_CATEGORIES),
    detail: text,
    caller: text,
    callerPhone: text,
  }),
  z.object({
    type: z.literal('contact'),
    facilityId: z.string().nullable(),
    facilityName: text,
    facilityOfficeNumber: text,
    shortStay: z.boolean(),
    contactedAt: instant,
    method: z.enum(CONTACT_METHODS),
    result: z.enum(CONTACT_RESULTS).nullable(),
    note: text,
  }),
  z.object({ type: z.literal('result'), contact: text, result: z.enum(CONTACT_RESULTS), note: text }),
  z.object({ type: z.literal('link'), subject }),
  z.object({ type: z.literal('claim-facts'), planning: z.enum(PLANNING_VALUES), independentLivingClaimed: z.boolean(), note: text }),
  z.object({
    type: z.literal('outcome'),
    outcome: z.enum(OUTCOME_KINDS),
    facilityId: z.string().nullable(),
    facilityName: text,
    from: instant.nullable(),
    note: text,
  }),
  z.object({ type: z.literal('close'), closedAt: instant }),
  z.object({
    type: z.literal('same-emergency'),
    otherCaseId: z.string().min(1),
    otherRequestedAt: instant,
    answer: z.enum(['same', 'separate']),
    reason: text,
  }),
  z.object({ type: z.literal('stay-end'), endedAt: instant, exit: z.enum(EXIT_KINDS), note: text }),
] as const;

const factBody = z.discriminatedUnion('type', [...factBodies]) satisfies z.ZodType<FactBody>;

/**
 * A case entry's shape only. Whether it links into its case, who wrote it and whether its hash
 * holds are the hub's evidence checks (src/server/db/evidence.ts), which run after this one.
 */
export const caseEntryRecord = z.object({
  id: recordId,
  caseId: z.string().min(1),
  index: z.number().int().nonnegative(),
  recordedAt: instant,
  recordedBy: z.object({ userId: text, name: text }),
  deviceId: text,
  body: z.discriminatedUnion('type', [
    ...factBodies,
    z.object({ type: z.literal('correction'), corrects: text, reason: text, replacement: factBody.nullable() }),
  ]),
  prevHash: text,
  hash: text,
}) satisfies z.ZodType<CaseEntry>;

// ─── Month close (請求済み) ──────────────────────────────────────────────────

const claimStatus = z.enum(['claimed', 'pending', 'over-cap', 'not-claimable']);
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month YYYY-MM');
const serviceType = z.enum(['計画相談支援', '障害児相談支援']);

/** A month's claim as sent, or the 取消 of one (src/domain/claim-close.ts); append-only. */
export const monthCloseRecord = z.object({
  id: recordId,
  officeId: z.string().min(1),
  month,
  recordedAt: instant,
  recordedBy: z.object({ userId: text, name: text }),
  deviceId: text,
  body: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('close'),
      sentOn: isoDate,
      encoding: z.enum(['utf-8-bom', 'shift_jis']),
      office: z.object({ name: text, officeNumber: text, updatedAt: instant }),
      cases: z.array(
        z.object({
          caseId: z.string().min(1),
          name: text,
          recipientNumber: text,
          requestedAt: instant,
          headHash: text,
          entryIds: z.array(text),
          status: claimStatus,
          ordinal: z.number().int().positive().nullable(),
          units: z.number().int().nonnegative(),
          reasons: z.array(text),
          serviceType: serviceType.optional(),
        }),
      ),
      summary: z.array(
        z.object({
          personKey: text,
          serviceType,
          recipientNumber: text,
          name: text,
          count: z.number().int().positive(),
          units: z.number().int().nonnegative(),
        }),
      ),
      persons: z.number().int().nonnegative(),
      count: z.number().int().nonnegative(),
      units: z.number().int().nonnegative(),
      exports: z.array(
        z.object({ kind: z.enum(['summary', 'detail']), fileName: text, sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() }),
      ),
    }),
    z.object({ type: z.literal('cancel'), cancels: recordId, reason: z.string().trim().min(1) }),
  ]),
}) satisfies z.ZodType<MonthCloseRecord>;
// ─── Trial stay ─────────────────────────────────────────────────────────────

export const trialStayRecord = z.object({
  id: recordId,
  householdId: z.string().min(1),
  personId: z.string().min(1),
  facilityId: z.string().min(1),
  facilityName: text,
  from: isoDate,
  to: isoDate,
  purpose: text,
  howItWent: text,
  nextTime: text,
  recordedBy: text,
  createdAt: instant,
  updatedAt: instant,
  cancelled: z.object({ reason: text.min(1), by: text, at: instant }).nullable().optional(),
}) satisfies z.ZodType<TrialStay>;

const SCHEMAS: Readonly<Record<StoredKind, z.ZodType>> = {
  household: householdRecord,
  facility: facilityRecord,
  office: officeRecord,
  'case-entry': caseEntryRecord,
  'bonus-coordinator': bonusCoordinatorRecord,
  'bonus-split': bonusSplitRecord,
  'bonus-count': bonusCountRecord,
  'bonus-price': bonusPriceRecord,
  'month-close': monthCloseRecord,
  'trial-stay': trialStayRecord,
};

/** Why a record cannot be read: a code for counting, the field, and words for whoever looks into it. */
export interface RecordProblem {
  /** 'id': the id breaks [R1]; 'json': the payload is not JSON; 'shape': a field is missing or wrong [R2] */
  readonly code: 'id' | 'json' | 'shape';
  /** dotted path of the first field that fails ('' for the id or the whole payload); never a value */
  readonly field: string;
  /** English, for the developer and the admin: which rule, never the value (it may be personal) */
  readonly message: string;
}

/** The first field a schema refused, named by its path, never its value. */
function shapeProblem(error: z.ZodError): RecordProblem {
  const issue = error.issues[0]!;
  const field = issue.path.map(String).join('.');
  return { code: 'shape', field, message: `${field === '' ? 'the payload' : field}: ${issue.message}` };
}

/**
 * Deeper than any record the app writes (a household's doctors are 3 levels down): the merge and
 * the equality recurse, and a field nested thousands deep, which the schemas' loose objects keep,
 * overflowed their stack on every phone that held the record.
 */
export const MAX_RECORD_DEPTH = 32;
/** Names that are an object's machinery, not a field: `__proto__` set the prototype of a merged record. */
const MACHINERY_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether nothing in a payload is nested too deep or named as an object's machinery: the walk every
 * record takes (11,000 at a first sync), with no path built; structureProblem names the field after.
 */
function structureSound(payload: unknown): boolean {
  const values: unknown[] = [payload];
  const depths: number[] = [0];
  for (let value = values.pop(); value !== undefined; value = values.pop()) {
    const depth = depths.pop()!;
    if (depth >= MAX_RECORD_DEPTH) return false;
    if (Array.isArray(value)) {
      for (const item of value as unknown[]) {
        if (typeof item === 'object' && item !== null) {
          values.push(item);
          depths.push(depth + 1);
        }
      }
      continue;
    }
    const object = value as Record<string, unknown>;
    for (const key in object) {
      if (MACHINERY_KEYS.has(key)) return false;
      const item = object[key];
      if (typeof item === 'object' && item !== null) {
        values.push(item);
        depths.push(depth + 1);
      }
    }
  }
  return true;
}

/** A payload nested too deep, or with a field named as an object's machinery, anywhere in it; walked without recursion. */
function structureProblem(payload: unknown): RecordProblem | null {
  if (typeof payload !== 'object' || payload === null || structureSound(payload)) return null;
  const stack: { value: unknown; depth: number; path: string }[] = [{ value: payload, depth: 0, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, depth, path } = next;
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_RECORD_DEPTH) return { code: 'shape', field: path, message: `${path}: nested deeper than ${MAX_RECORD_DEPTH} levels` };
    const at = (key: string | number) => (path === '' ? String(key) : `${path}.${key}`);
    if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push({ value: item, depth: depth + 1, path: at(i) }));
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (MACHINERY_KEYS.has(key)) return { code: 'shape', field: at(key), message: `${at(key)}: a field name no record may use` };
      stack.push({ value: item, depth: depth + 1, path: at(key) });
    }
  }
  return null;
}

/** The first thing wrong with a record, or null when the app can read it. */
export function checkRecord(kind: StoredKind, entityId: string, payload: unknown): RecordProblem | null {
  if (!isRecordId(entityId)) return { code: 'id', field: '', message: `the id does not match ${String(RECORD_ID_PATTERN)}` };
  const structure = structureProblem(payload);
  if (structure !== null) return structure;
  const result = SCHEMAS[kind].safeParse(payload);
  if (!result.success) return shapeProblem(result.error);
  if ((payload as { id?: unknown }).id !== entityId) return { code: 'shape', field: 'id', message: 'id: differs from the record id it was sent under' };
  return null;
}

/**
 * 閲覧記録 (who opened what, when) as an app writes it (vault/journal.ts prepareAccess). Audit only:
 * the hub keeps it and hands it to no one, so its shape is checked here for what an auditor reads
 * from it; that its `userId` is its sender's is the push's check (E6, server/db/push.ts
 * checkWriter). An action this hub does not know is taken:
 * a newer app's entry is not lost to an older hub. Fields a newer app adds are kept.
 */
const accessEntry = z.looseObject({
  id: recordId,
  at: instant,
  userId: z.string().min(1).max(128),
  userName: z.string().max(200),
  action: z.string().regex(/^[a-z][a-z-]{0,63}$/, 'expected an action name of a-z and -'),
  householdId: z.string().min(1).max(256).nullable(),
  reason: text.optional(),
});

/** The first thing wrong with an access-log entry sent under `entityId`, or null. */
export function checkAccessEntry(entityId: string, payload: unknown): RecordProblem | null {
  const result = accessEntry.safeParse(payload);
  if (!result.success) return shapeProblem(result.error);
  return result.data.id === entityId ? null : { code: 'shape', field: 'id', message: 'id: differs from the record id it was sent under' };
}

/** checkRecord over JSON text (what pull and the hub's records table hold). */
export function checkRecordJson(kind: StoredKind, entityId: string, payloadJson: string): RecordProblem | null {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadJson);
  } catch {
    return isRecordId(entityId) ? { code: 'json', field: '', message: 'the payload is not JSON' } : checkRecord(kind, entityId, null);
  }
  return checkRecord(kind, entityId, payload);
}
