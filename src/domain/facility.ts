/**
 * A short-stay facility (短期入所事業所) as the hub's member list and the Ichikawa registration form
 * describe it (DOMAIN.md §3). Minimal for now: the match and vacancy reporting extend it later.
 */
import { DISABILITY_TYPES, type DisabilityType, type MedicalCareKind } from './disability';
import type { IsoDate, IsoInstant } from './household';
import { phoneDigitsProblem } from './household-schema';
import { formatJapanDate, formatMonthDay, isValidIsoDate } from './japan-time';

/** サービス種別 of 短期入所 */
export const FACILITY_SERVICE_TYPES = ['福祉型', '医療型'] as const;
export type FacilityServiceType = (typeof FACILITY_SERVICE_TYPES)[number];

/** 単独型 (stand-alone) / 併設型 (attached to another facility) / 空床型 (uses empty beds of a residential facility) */
export const FACILITY_UNIT_TYPES = ['単独型', '併設型', '空床型'] as const;
export type FacilityUnitType = (typeof FACILITY_UNIT_TYPES)[number];

/** The hub functions a member office carries (DOMAIN.md §1, §3). */
export const HUB_FUNCTIONS = ['consultation', 'emergency-acceptance', 'emergency-response', 'experience', 'specialists'] as const;
export type HubFunction = (typeof HUB_FUNCTIONS)[number];

export const HUB_FUNCTION_LABELS: Readonly<Record<HubFunction, string>> = {
  consultation: '相談',
  'emergency-acceptance': '緊急時の受け入れ・対応',
  'emergency-response': '緊急時の対応',
  experience: '体験の機会・場',
  specialists: '専門的人材',
};

/** One row of the acceptance matrix: 受入可 for 者 (18+) and/or 児 (under 18), plus 備考. */
export interface Acceptance {
  readonly adult: boolean;
  readonly child: boolean;
  readonly note: string;
}

export type AcceptanceMatrix = Readonly<Record<DisabilityType, Acceptance>>;

/** The latest bed report; `asOf` lets the coordinator judge how fresh it is. */
export interface Vacancy {
  readonly beds: number;
  readonly asOf: IsoInstant;
  readonly reportedBy: string;
  /** the Japan dates the beds are for, when reported ahead (the weekend); absent: from now */
  readonly from?: IsoDate;
  readonly until?: IsoDate;
  /** the liaison's word on it (「土曜の夜のみ」) */
  readonly note?: string;
}

/** 休止 (for a time, its end known or not) or 廃止 (for good), as the office has notified the city. */
export const CLOSURE_KINDS = ['suspended', 'closed'] as const;
export type ClosureKind = (typeof CLOSURE_KINDS)[number];

export const CLOSURE_LABELS: Readonly<Record<ClosureKind, string>> = { suspended: '休止', closed: '廃止' };

/** A facility that takes nobody from `from` (a Japan date) on: through `until` for a 休止, for good for a 廃止. */
export interface FacilityClosure {
  readonly kind: ClosureKind;
  /** the first day it takes nobody */
  readonly from: IsoDate;
  /** a 休止's last day; null when the restart is not known, and always for a 廃止 */
  readonly until: IsoDate | null;
  /** 「職員不足のため」「建替え工事」 */
  readonly note: string;
}

export interface Facility {
  readonly id: string;
  readonly name: string;
  /** 事業所番号, 10 digits */
  readonly officeNumber: string;
  readonly serviceType: FacilityServiceType;
  readonly unitType: FacilityUnitType;
  readonly address: string;
  /** 地区: the part of the city, for "who is near" */
  readonly area: string;
  readonly phone: string;
  /** 夜間・緊急連絡先 */
  readonly nightPhone: string;
  readonly fax: string;
  readonly email: string;
  readonly hubFunctions: readonly HubFunction[];
  /** 連携担当者 (its presence matters for the +200 unit hub bonus) */
  readonly liaison: string;
  /** 定員 */
  readonly capacity: number;
  readonly acceptance: AcceptanceMatrix;
  /** 医療的ケア the facility can handle */
  readonly medicalCare: readonly MedicalCareKind[];
  /** 緊急時の受入れ依頼方法: free text */
  readonly emergencyRequestHow: string;
  readonly vacancy: Vacancy | null;
  /** the reports before `vacancy`, newest first (vacancy-report.ts keeps the last few) */
  readonly vacancyHistory?: readonly Vacancy[];
  /** 休止・廃止; absent in records saved before it was kept, null when the office runs */
  readonly closure?: FacilityClosure | null;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** Every type 受入不可 with no note: the matrix starts closed and the facility opens what it takes. */
export function emptyAcceptance(): AcceptanceMatrix {
  const matrix = {} as Record<DisabilityType, Acceptance>;
  for (const t of DISABILITY_TYPES) matrix[t] = { adult: false, child: false, note: '' };
  return matrix;
}

export function emptyFacility(id: string, now: IsoInstant): Facility {
  return {
    id,
    name: '',
    officeNumber: '',
    serviceType: '福祉型',
    unitType: '単独型',
    address: '',
    area: '',
    phone: '',
    nightPhone: '',
    fax: '',
    email: '',
    hubFunctions: [],
    liaison: '',
    capacity: 0,
    acceptance: emptyAcceptance(),
    medicalCare: [],
    emergencyRequestHow: '',
    vacancy: null,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Why a facility's 電話番号 or 夜間・緊急連絡先 cannot be dialled as written, or null, shared by the
 * form and the CSV import: the household's rule (phoneDigitsProblem), with the facility's words.
 * Blank is fine, and so is the value already stored (`held`): a facility saved before the rule, with
 * 「－」 or two numbers in one cell, is still edited and re-imported; its number is checked once changed.
 */
export function facilityPhoneProblem(written: string, held = ''): string | null {
  const v = written.trim();
  if (v === '' || v === held.trim()) return null;
  if (!/\d/.test(v.normalize('NFKC'))) return '番号がないときは空欄にしてください（「なし」「－」などは書けません）';
  const problem = phoneDigitsProblem(v);
  if (problem === null) return null;
  return problem.includes('2つ') ? `${problem}。2つの番号は「／」で区切ってください` : problem;
}

/**
 * A light check of an e-mail address, shared by the form and the CSV import: a typo is caught, an
 * unusual but valid address is not refused. Blank is fine (the field is optional). No 「? & # %」
 * either: in a mailto: link they add a hidden bcc or a written body to the mail a tap composes.
 */
export function isPlausibleEmail(email: string): boolean {
  const s = email.trim();
  return s === '' || /^[^\s@?&#%]+@[^\s@?&#%]+\.[^\s@?&#%]+$/.test(s);
}

/** The facility's 休止 or 廃止 holding on `day` (a Japan date), or null when it takes people that day. */
export function closureOn(f: Pick<Facility, 'closure'>, day: IsoDate): FacilityClosure | null {
  const c = f.closure;
  if (!c || day < c.from) return null;
  return c.kind === 'closed' || c.until === null || day <= c.until ? c : null;
}

/** A 休止 or 廃止 that starts after `day`: the coordinator booking a stay that runs into it is told. */
export function closureAhead(f: Pick<Facility, 'closure'>, day: IsoDate): FacilityClosure | null {
  const c = f.closure;
  return c && day < c.from ? c : null;
}

/** 「休止中（12/20まで）」「休止中（再開日未定）」「廃止（2026年11月30日から）」 */
export function closureText(c: FacilityClosure): string {
  if (c.kind === 'closed') return `廃止（${formatJapanDate(c.from)}から）`;
  return c.until === null ? '休止中（再開日未定）' : `休止中（${formatMonthDay(c.until)}まで）`;
}

/** 「休止 2026-12-10〜2026-12-20」「休止 2026-12-10〜（再開日未定）」「廃止 2026-12-01〜」: the record's days as kept (the conflicts list, the CSV's preview). */
export function closurePeriodText(c: Pick<FacilityClosure, 'kind' | 'from' | 'until'>): string {
  const end = c.until ?? (c.kind === 'suspended' ? '（再開日未定）' : '');
  return `${CLOSURE_LABELS[c.kind]} ${c.from}〜${end}`;
}

/** 「12/10から休止予定」「12/10から廃止予定」 */
export function closureAheadText(c: FacilityClosure): string {
  return `${formatMonthDay(c.from)}から${CLOSURE_LABELS[c.kind]}予定`;
}

/**
 * Why a 休止・廃止 as entered cannot be kept, or null: the dates must be real days, and a 休止's
 * last day cannot come before its first. Shared by the form and the hub's record check.
 */
export function closureProblem(c: Pick<FacilityClosure, 'kind' | 'from' | 'until'>): { readonly field: 'from' | 'until'; readonly message: string } | null {
  if (!isValidIsoDate(c.from)) return { field: 'from', message: c.kind === 'closed' ? '廃止日を入力してください（2026-12-01 の形式）' : '休止の開始日を入力してください（2026-12-01 の形式）' };
  if (c.until === null) return null;
  if (c.kind === 'closed') return { field: 'until', message: '廃止には再開日がありません' };
  if (!isValidIsoDate(c.until)) return { field: 'until', message: '休止の最終日は 2026-12-20 の形式で入力してください' };
  return c.until < c.from ? { field: 'until', message: '休止の最終日が開始日より前になっています' } : null;
}
