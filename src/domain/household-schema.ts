/**
 * The boundary check for a household form (事前登録者 聞き取り票): zod schemas whose output is
 * exactly `Household`, with one Japanese message per field so the UI can show it beside the field.
 * Rules that need today's date live in `validateAgainstToday` (household-rules.ts): the schema has no clock.
 */
import { z } from 'zod';
import { DISABILITY_TYPES, MEDICAL_CARE_KINDS } from './disability';
import type { Household, Person, ServiceEnrolments, Sex } from './household';
import type { FieldError } from './household-rules';
import { isValidIsoDate } from './japan-time';
import { firstPhoneRun, normalizePhone, withoutDigitSeparators, withoutInvisible } from './normalize';
import { recordTooLarge } from './record-limits';
import { ONE_BODY_LABELS, periodErrorPath, periodErrors } from './office';

export {
  householdDisplayName,
  householdStatus,
  hubBonusEligible,
  needsReview,
  personAgeLabel,
  validateAgainstToday,
} from './household-rules';
export type { FieldError, HubBonusEligibility } from './household-rules';

export const SEXES = ['male', 'female', 'other', 'unknown'] as const satisfies readonly Sex[];
export const SEX_LABELS: Readonly<Record<Sex, string>> = { male: '男', female: '女', other: 'その他', unknown: '未選択' };

/** 行動関連項目 合計点 (adults): 12 items scored 0-2. */
export const BEHAVIOR_SCORE_MAX = 24;
/** 強度行動障害判定基準表 (children): 11 items scored up to 5 each. */
export const CHILD_BEHAVIOR_SCORE_MAX = 55;
/** Fewer digits than a Japanese landline (10) cannot be dialled. */
export const MIN_PHONE_DIGITS = 10;

const FALLBACK_MESSAGE = '入力形式が正しくありません';

// --- field builders -------------------------------------------------------------------------

const freeText = z.string({ error: '文字で入力してください' });

function requiredText(message: string) {
  return z.string({ error: message }).trim().min(1, { error: message, abort: true });
}

/**
 * CJK compatibility ideographs (U+F900…, U+2F800…): NFC turns most into the unified form (U+FA10 塚
 * into U+585A), which would lose the form a name is written in. They are kept as typed.
 */
const COMPATIBILITY_IDEOGRAPHS = /[\uF900-\uFAFF\u{2F800}-\u{2FA1F}]/u;
const NOT_COMPATIBILITY_IDEOGRAPHS = /[^\uF900-\uFAFF\u{2F800}-\u{2FA1F}]+/gu;

/** NFC, but for the compatibility ideographs: 'ハ\u309Aク' → 'パク', a U+FA10 塚 stays itself. */
function composed(s: string): string {
  return COMPATIBILITY_IDEOGRAPHS.test(s) ? s.replace(NOT_COMPATIBILITY_IDEOGRAPHS, (run) => run.normalize('NFC')) : s.normalize('NFC');
}

/**
 * A name as saved: without the invisible characters a paste may carry (U+200B…), which showed
 * nothing on screen and hid the household from a search for the name as typed; and composed (NFC,
 * never NFKC: the name stays as written). A name pasted from a Mac or an iPhone can come decomposed,
 * 'ハ\u309Aク' for パク, and the Shift_JIS claim CSV has no code for a lone 「゚」.
 */
function visible<T extends z.ZodType>(schema: T) {
  // two Excel cells pasted into 氏名 arrive as 「佐藤 太郎\tさとう たろう」: the tab is a space
  return z.preprocess((v) => (typeof v === 'string' ? composed(withoutInvisible(v)).replace(/\t+/g, ' ') : v), schema);
}

const INTERNATIONAL_MESSAGE = '海外の番号は「+」と国番号から書いてください（例 +55 11 91234-5678）。国内の番号は0から始まります';

/**
 * Why a written phone cannot be dialled as it is, or null: too few digits; a mobile or IP number
 * (070/080/090/050) that is not 11 digits (one digit dropped, which the screen would otherwise
 * format as a plausible number); more than 11 digits (two numbers run together); a number abroad
 * written without its 「+」 or after the 010 dialled to leave Japan.
 */
export function phoneDigitsProblem(written: string): string | null {
  const digits = normalizePhone(written);
  if (digits.length < MIN_PHONE_DIGITS) return '電話番号の桁数が足りません';
  // The number is what the entry starts with, up to a note (内線…, （19時以降）, ／ another number).
  const number = normalizePhone(firstPhoneRun(written) || written);
  // What the button dials must be the number shown: 「090/1234/5678」 showed whole and dialled 「090」.
  if (number.length < MIN_PHONE_DIGITS) return '電話番号の区切りには「-」を使ってください（この書き方では、電話をかけるときに番号の途中で切れます）';
  // A number abroad is dialled from its 「+」: 「010-55-…」 and 「55 11 …」 dialled nothing from Japan
  const international = (firstPhoneRun(written) || written).normalize('NFKC').trimStart().startsWith('+');
  // 010 leaves Japan, also after a carrier's 00XY; 0066, 0077, 0088, 00531 alone are toll-free lines at home
  if (/^(?:00\d{2,3})?010/.test(number) || (!international && !number.startsWith('0'))) return INTERNATIONAL_MESSAGE;
  // a carrier's toll-free line (0066-33-123456) runs to 12 digits, more than any other number at home
  if (number.startsWith('0') && number.length > (number.startsWith('00') ? 13 : 11)) return '電話番号の桁数が多すぎます（番号が2つ続いていませんか）';
  if (/^0[5789]0[1-9]/.test(number) && number.length !== 11) return '携帯電話・IP電話の番号は11桁です（桁を確かめてください）';
  return null;
}

/** Optional phone: blank is fine, otherwise it must be a number that can be dialled. */
const phone = z
  .string({ error: '電話番号を入力してください' })
  .trim()
  .superRefine((v, ctx) => {
    const problem = v === '' ? null : phoneDigitsProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Blank form inputs arrive as '' (or are missing); the domain stores absence as null. */
function blankToNull(v: unknown): unknown {
  if (v === undefined || v === '') return null;
  if (typeof v === 'string' && v.trim() === '') return null;
  return typeof v === 'string' ? v.trim() : v;
}

/** Numeric inputs may arrive as strings, full-width digits included. */
function blankOrNumeric(v: unknown): unknown {
  const blank = blankToNull(v);
  if (typeof blank !== 'string') return blank;
  const nfkc = blank.normalize('NFKC');
  return /^-?\d+$/.test(nfkc) ? Number(nfkc) : blank;
}

function isoDate(formatMessage: string, label: string) {
  return z
    .string({ error: formatMessage })
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: formatMessage, abort: true })
    .refine(isValidIsoDate, { error: `${label}に存在しない日付が入力されています` });
}

function optionalIsoDate(formatMessage: string, label: string) {
  return z.preprocess(blankToNull, isoDate(formatMessage, label).nullable());
}

function requiredIsoDate(requiredMessage: string, formatMessage: string, label: string) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: requiredMessage }).min(1, { error: requiredMessage, abort: true }).pipe(isoDate(formatMessage, label)),
  );
}

function nullableInt(min: number, max: number, message: string) {
  return z.preprocess(
    blankOrNumeric,
    z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message }).nullable(),
  );
}

function uniqueList<T extends string>(values: readonly [T, ...T[]], invalid: string, duplicate: string) {
  return z
    .array(z.enum(values, { error: invalid }), { error: invalid })
    .refine((list) => new Set(list).size === list.length, { error: duplicate });
}

// --- person ---------------------------------------------------------------------------------

const handbooksSchema = z.looseObject({
  physicalGrade: z.preprocess(
    blankOrNumeric,
    z.literal([1, 2, 3, 4, 5, 6], { error: '身体障害者手帳の等級は1〜6級です' }).nullable(),
  ),
  ryoiku: z.preprocess(blankToNull, z.string({ error: '療育手帳の区分を文字で入力してください' }).nullable()),
  mentalGrade: z.preprocess(
    blankOrNumeric,
    z.literal([1, 2, 3], { error: '精神障害者保健福祉手帳の等級は1〜3級です' }).nullable(),
  ),
});

const doctorSchema = z.looseObject({ name: freeText, hospital: freeText, phone, note: freeText });
const serviceUseSchema = z.looseObject({ service: freeText, office: freeText, phone, schedule: freeText });
const pastShortStaySchema = z.looseObject({ facility: freeText, when: freeText, howItWent: freeText });
const dailyLivingSchema = z.looseObject({
  meals: freeText,
  toileting: freeText,
  bathing: freeText,
  mobility: freeText,
  dressing: freeText,
  communication: freeText,
  sleep: freeText,
  behaviour: freeText,
});

/**
 * 地域定着支援・自立生活援助 の利用: for each, null (未確認), [] (利用なし) or the periods, each
 * checked like an office's hub periods (real days, end not before start, oldest first, no overlap).
 */
const enrolmentPeriodsSchema = (service: keyof ServiceEnrolments) =>
  z
    .array(
      z.looseObject({
        from: z.preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.string({ error: FALLBACK_MESSAGE })),
        to: z.preprocess(blankToNull, z.string({ error: FALLBACK_MESSAGE }).nullable()),
        // absent: the office is not recorded (未確認); null: an office outside the hub
        officeId: z.string({ error: FALLBACK_MESSAGE }).nullable().optional(),
      }),
      { error: FALLBACK_MESSAGE },
    )
    .nullable()
    .superRefine((periods, ctx) => {
      for (const e of periodErrors(periods ?? [], `${ONE_BODY_LABELS[service]}の利用期間`, '')) {
        ctx.addIssue({ code: 'custom', path: periodErrorPath(e.path), message: e.message });
      }
    });

/** Absent (never asked, or saved before it existed) stays absent: it reads as 未確認 for both. */
const enrolmentsSchema = z
  .looseObject({ settlement: enrolmentPeriodsSchema('settlement'), independentLiving: enrolmentPeriodsSchema('independentLiving') })
  .optional();

const RECIPIENT_MESSAGE = '受給者証番号は10桁の数字で入力してください';
/** Kana, with the long vowel mark, the middle dot, 「＝」 (ジョアン＝シルバ) and spaces between names (after NFKC). */
const KANA_ONLY = /^[\p{Script=Hiragana}\p{Script=Katakana}ー・=゠\s]+$/u;

/** ふりがな: kana only, or blank. */
const reading = visible(freeText.trim().refine((v) => v === '' || KANA_ONLY.test(v.normalize('NFKC')), { error: 'ふりがなは、ひらがなかカタカナで入力してください（夜間の検索に使います。わからなければ空欄にできます）' }));

/**
 * A person (対象者). Output normalisation: 受給者証番号 is stored as ASCII digits, and a person who
 * needs 医療的ケア always carries the 'medical-care' disability type, added rather than rejected,
 * because the facility match compares disability types and must not miss that need.
 * Fields this app does not know pass through unchecked, here and in every object below ([V1]: kept, see householdSchema).
 */
export const personSchema = z
  .looseObject({
    id: z.string({ error: FALLBACK_MESSAGE }).min(1, { error: FALLBACK_MESSAGE }),
    name: visible(requiredText('氏名を入力してください')),
    // The night search finds a family by its kana: a name in kanji here would hide them from 「いとう」.
    furigana: reading,
    birthDate: optionalIsoDate('生年月日は 2010-04-01 の形式で入力してください', '生年月日'),
    sex: z.enum(SEXES, { error: '性別を選択してください' }),
    recipientNumber: z.preprocess(
      (v) => (typeof v === 'string' ? withoutDigitSeparators(v) : v),
      z.string({ error: RECIPIENT_MESSAGE }).regex(/^(\d{10})?$/, { error: RECIPIENT_MESSAGE }),
    ),
    // Absent in records saved before the field existed.
    municipality: z.preprocess((v) => (v === undefined ? '' : v), z.string({ error: '支給決定市町村を文字で入力してください' }).trim()),
    handbooks: handbooksSchema,
    supportLevel: z.preprocess(
      blankOrNumeric,
      z.literal([1, 2, 3, 4, 5, 6], { error: '障害支援区分は1〜6です' }).nullable(),
    ),
    disabilityTypes: uniqueList(DISABILITY_TYPES, '障害種別の選択が正しくありません', '障害種別が重複しています'),
    otherDisabilities: freeText,
    diagnosis: freeText,
    severeMultiple: z.boolean({ error: '重症心身障害の有無を選択してください' }),
    medicalCare: uniqueList(MEDICAL_CARE_KINDS, '医療的ケアの選択が正しくありません', '医療的ケアが重複しています'),
    medicalCareDetails: freeText,
    behaviorScore: nullableInt(0, BEHAVIOR_SCORE_MAX, `行動関連項目の合計点は0〜${BEHAVIOR_SCORE_MAX}の整数です`),
    childBehaviorScore: nullableInt(
      0,
      CHILD_BEHAVIOR_SCORE_MAX,
      `強度行動障害判定基準の点数は0〜${CHILD_BEHAVIOR_SCORE_MAX}の整数です`,
    ),
    doctors: z.array(doctorSchema),
    medications: freeText,
    allergies: freeText,
    seizures: freeText,
    crisisPlan: freeText,
    services: z.array(serviceUseSchema),
    pastShortStays: z.array(pastShortStaySchema),
    enrolments: enrolmentsSchema,
    dailyLiving: dailyLivingSchema,
    calming: freeText,
    triggers: freeText,
  })
  .transform((p): Person => {
    if (p.medicalCare.length === 0 || p.disabilityTypes.includes('medical-care')) return p;
    return { ...p, disabilityTypes: [...p.disabilityTypes, 'medical-care'] };
  }) satisfies z.ZodType<Person>;

// --- household ------------------------------------------------------------------------------

/** Fields this app does not know pass through unchecked ([V1]: kept, see householdSchema). */
const emergencyContactSchema = z.looseObject({
  name: visible(requiredText('緊急連絡先の氏名を入力してください')),
  relation: freeText.trim(),
  // A form keeps a spare blank phone row; blanks are dropped before counting.
  phones: z.preprocess(
    (v) => (Array.isArray(v) ? v.filter((p) => typeof p !== 'string' || p.trim() !== '') : v),
    z.array(phone).min(1, { error: '緊急連絡先の電話番号を1つ以上入力してください' }),
  ),
  note: freeText,
  // The caller at night is often this relative: 「たなか」 finds the aunt 田中 by it. Absent in
  // records saved before it was asked; written for every contact the form edits, '' when none is
  // known. A contact without it is one the sending phone did not know a reading for (an older app
  // drops the field), and the hub keeps the reading it holds for it (src/protocol/older-apps.ts).
  furigana: z.preprocess((v) => (v === undefined ? '' : v), reading),
});

const familyMemberSchema = z.looseObject({ name: freeText, relation: freeText, age: freeText, note: freeText });
const agencySchema = z.looseObject({ name: freeText, role: freeText, contactPerson: freeText, phone });

const consentSchema = z.looseObject({
  date: requiredIsoDate('同意日を入力してください', '同意日は 2026-04-01 の形式で入力してください', '同意日'),
  consentedBy: requiredText('同意者の氏名を入力してください'),
  scope: requiredText('情報共有の範囲を入力してください'),
});

const withdrawalSchema = z.looseObject({
  date: requiredIsoDate('登録廃止日を入力してください', '登録廃止日は 2026-04-01 の形式で入力してください', '登録廃止日'),
  reason: requiredText('廃止の理由を入力してください'),
});

const instant = z.iso.datetime({ error: '日時の形式が正しくありません' });

/** 見直しの記録 (recorded by 「見直しを記録」, never typed in the form): checked so a bad one is never saved. */
export const householdReviewSchema = z.looseObject({
  id: z.string({ error: FALLBACK_MESSAGE }).min(1, { error: FALLBACK_MESSAGE }),
  reviewedOn: requiredIsoDate('見直し日を入力してください', '見直し日は 2026-04-01 の形式で入力してください', '見直し日'),
  reviewedBy: requiredText('見直した人の氏名がありません'),
  reviewedByUserId: freeText,
  note: freeText,
  recordedAt: instant,
});

/**
 * [V1] A household as the form saves it. The known fields are checked as strictly as ever; fields
 * this app does not know (a newer app wrote them: phones update weeks apart) are carried through
 * unchecked, at every level: every object here is a z.looseObject, the top, each person and
 * contact, and each object inside them (手帳, 日常生活, 同意書, 登録廃止, each doctor, service,
 * past stay, family member, agency, 見直し, office move and period of use), so that an edit made here saves
 * them back as they were. Stripped, they read as removed: the hub stores the record whole, or
 * merges it three-way against the base that had them (src/protocol/merge.ts), and either way they
 * were gone from every phone. They travel with the object that holds them: a contact moved keeps
 * its own, a person or a doctor removed takes theirs along.
 */
export const householdSchema = z
  .looseObject({
    id: z.string({ error: FALLBACK_MESSAGE }).min(1, { error: FALLBACK_MESSAGE }),
    address: freeText,
    phone,
    persons: z
      .array(personSchema, { error: '本人を1人以上登録してください' })
      .min(1, { error: '本人を1人以上登録してください' })
      .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { error: '対象者のIDが重複しています' })
      // Two people with one 受給者証番号 would share one claim cap, and the search would find the wrong one.
      .superRefine((ps, ctx) => {
        ps.forEach((p, i) => {
          const first = p.recipientNumber === '' ? -1 : ps.findIndex((q) => q.recipientNumber === p.recipientNumber);
          if (first !== -1 && first < i) ctx.addIssue({ code: 'custom', path: [i, 'recipientNumber'], message: `受給者証番号が本人 ${first + 1} と同じです` });
        });
      }),
    emergencyContacts: z.array(emergencyContactSchema),
    legalRepresentative: freeText,
    family: z.array(familyMemberSchema),
    mainCaregiver: freeText,
    caregiverHealth: freeText,
    registeringOffice: freeText,
    caseWorker: freeText,
    caseWorkerPhone: phone,
    officeId: z.string({ error: FALLBACK_MESSAGE }).nullable().optional(),
    caseWorkerUserId: z.string({ error: FALLBACK_MESSAGE }).nullable().optional(),
    officeMoves: z
      .array(
        z.looseObject({
          at: z.string({ error: FALLBACK_MESSAGE }),
          byUserId: freeText,
          byName: freeText,
          from: z.string({ error: FALLBACK_MESSAGE }).nullable(),
          to: z.string({ error: FALLBACK_MESSAGE }).nullable(),
          reason: freeText,
        }),
      )
      .optional(),
    agencies: z.array(agencySchema),
    consent: z.preprocess((v) => (v === undefined ? null : v), consentSchema.nullable()),
    lastReviewedOn: optionalIsoDate('最終見直し日は 2026-04-01 の形式で入力してください', '最終見直し日'),
    // Households saved before reviews were recorded have none.
    reviews: z.preprocess((v) => (v === undefined ? [] : v), z.array(householdReviewSchema)),
    withdrawal: z.preprocess((v) => (v === undefined ? null : v), withdrawalSchema.nullable()),
    note: freeText,
    createdAt: instant,
    updatedAt: instant,
  }) satisfies z.ZodType<Household>;

// --- validation -----------------------------------------------------------------------------

export type ValidationResult = { ok: true; value: Household } | { ok: false; errors: FieldError[] };

/** One message per field (the first one found), keyed by a dotted path such as 'persons.0.recipientNumber'. */
export function firstErrorPerField(issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (seen.has(path)) continue;
    seen.add(path);
    errors.push({ path, message: issue.message });
  }
  return errors;
}

/** Checks a household with the form's messages (firstErrorPerField). */
export function validateHousehold(input: unknown): ValidationResult {
  const result = householdSchema.safeParse(input, { error: () => FALLBACK_MESSAGE });
  if (result.success) {
    // The hub takes no record above MAX_RECORD_BYTES: said here, not found refused after the save.
    const problem = recordTooLarge(result.data);
    if (problem !== null) return { ok: false, errors: [{ path: '', message: problem }] };
    return { ok: true, value: result.data };
  }
  return { ok: false, errors: firstErrorPerField(result.error.issues) };
}

// --- blanks for a new form ------------------------------------------------------------------

export function emptyPerson(id: string): Person {
  return {
    id,
    name: '',
    furigana: '',
    birthDate: null,
    sex: 'unknown',
    recipientNumber: '',
    municipality: '',
    handbooks: { physicalGrade: null, ryoiku: null, mentalGrade: null },
    supportLevel: null,
    disabilityTypes: [],
    otherDisabilities: '',
    diagnosis: '',
    severeMultiple: false,
    medicalCare: [],
    medicalCareDetails: '',
    behaviorScore: null,
    childBehaviorScore: null,
    doctors: [],
    medications: '',
    allergies: '',
    seizures: '',
    crisisPlan: '',
    services: [],
    pastShortStays: [],
    dailyLiving: { meals: '', toileting: '', bathing: '', mobility: '', dressing: '', communication: '', sleep: '', behaviour: '' },
    calming: '',
    triggers: '',
  };
}

/** A new draft with one blank person (id `${id}-p1`), since a household needs at least one. */
export function emptyHousehold(id: string, now: string): Household {
  return {
    id,
    address: '',
    phone: '',
    persons: [emptyPerson(`${id}-p1`)],
    emergencyContacts: [],
    legalRepresentative: '',
    family: [],
    mainCaregiver: '',
    caregiverHealth: '',
    registeringOffice: '',
    caseWorker: '',
    caseWorkerPhone: '',
    agencies: [],
    consent: null,
    lastReviewedOn: null,
    reviews: [],
    withdrawal: null,
    note: '',
    createdAt: now,
    updatedAt: now,
  };
}
