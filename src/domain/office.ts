/**
 * 相談支援事業所 (the office that handles emergencies and claims the 相談強化加算): its hub periods
 * (拠点として位置付けられていた期間, with history) and whether it runs 地域定着支援 / 自立生活援助 as
 * one body (一体的運営). Pure: the claim rules (claim-rules.ts) and the settings screen read these.
 *
 * A hub period is never rewritten to change the past: a city's 廃止届 ends the open period (gives
 * it a `to`), and a new positioning adds a period after it. Each claim is decided with the period
 * in force on the Japan-time day of the coordination (計画相談別告示 十一; docs/claim-rules.md).
 */
import type { IsoDate, IsoInstant } from './household';
import { addMonthsToDate, formatJapanDate, isValidIsoDate } from './japan-time';

/** 拠点として位置付けられていた期間: `from` and `to` are both days the office was a hub (inclusive). */
export interface HubPeriod {
  /** the first day the office was positioned as a hub in its 運営規程 */
  readonly from: IsoDate;
  /** the last day it was (the day before the 廃止 takes effect); null while it still is */
  readonly to: IsoDate | null;
  /** e.g. 市の通知番号, 廃止届の日付 */
  readonly note: string;
  /**
   * 加算の届出日: the day the office notified the city of the 相談強化加算 for this period, which sets
   * the first month it may claim (firstClaimableDay). Absent in periods saved before it was asked,
   * or not recorded: the period's `from` stands in for it.
   */
  readonly notifiedOn?: IsoDate | undefined;
}

/**
 * 指定: the designations the office holds (seeds/002 「特定相談支援事業所及び障害児相談支援事業所が対象の
 * 加算」; seeds/004 §24). 計画相談支援 (者) is billed by a 指定特定相談支援事業所, 障害児相談支援 (児) by
 * a 指定障害児相談支援事業所.
 */
export interface OfficeDesignations {
  /** 指定特定相談支援事業所 (計画相談支援) */
  readonly specifiedConsultation: boolean;
  /** 指定障害児相談支援事業所 (障害児相談支援) */
  readonly childConsultation: boolean;
}

/** 一体的運営: the office runs these services as one body with its 相談支援 (seeds/004 §24). */
export interface OneBodyServices {
  /** 地域定着支援 */
  readonly settlement: boolean;
  /** 自立生活援助 */
  readonly independentLiving: boolean;
}

export interface Office {
  readonly id: string;
  readonly name: string;
  /** 事業所番号, 10 digits */
  readonly officeNumber: string;
  /** oldest first, never overlapping; only the last may be open (to: null). Empty: not a hub. */
  readonly hubPeriods: readonly HubPeriod[];
  readonly oneBody: OneBodyServices;
  /**
   * The designations it holds; absent (records written before it, or never recorded) when not known:
   * then every claim is billed as today, 障害児相談支援 for a child and 計画相談支援 for an adult.
   */
  readonly designations?: OfficeDesignations | undefined;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

export const NO_ONE_BODY: OneBodyServices = { settlement: false, independentLiving: false };

/** The services of 一体的運営, as the screens and the claim reasons name them. */
export const ONE_BODY_LABELS: Readonly<Record<keyof OneBodyServices, string>> = {
  settlement: '地域定着支援',
  independentLiving: '自立生活援助',
};

/** A field of the period list that is wrong, and why, in Japanese for the person editing it. */
export interface PeriodError {
  /** 'hubPeriods.1.to' and the like */
  readonly path: string;
  readonly message: string;
}

/** The period, written as the screens and reasons write it: 2026年4月1日〜 or 2026年4月1日〜2027年3月31日. */
export function formatPeriod(p: { readonly from: IsoDate; readonly to: IsoDate | null }): string {
  return `${formatJapanDate(p.from)}〜${p.to === null ? '' : formatJapanDate(p.to)}`;
}

/**
 * Every problem with a list of periods (hub periods, or a person's enrolment in a service): each
 * start a real day, each end a real day not before its start, oldest first, no overlap, and only
 * the last one open. `label` names the list in the messages (拠点の期間, 地域定着支援の利用期間).
 */
export function periodErrors(periods: readonly { readonly from: string; readonly to: string | null }[], label: string, path: string): PeriodError[] {
  const errors: PeriodError[] = [];
  periods.forEach((p, i) => {
    const n = `${label}（${i + 1}件目）`;
    if (!isValidIsoDate(p.from)) errors.push({ path: `${path}.${i}.from`, message: `${n}の開始日を正しい日付で入力してください` });
    if (p.to !== null && !isValidIsoDate(p.to)) errors.push({ path: `${path}.${i}.to`, message: `${n}の終了日を正しい日付で入力してください` });
    if (isValidIsoDate(p.from) && p.to !== null && isValidIsoDate(p.to) && p.to < p.from) {
      errors.push({ path: `${path}.${i}.to`, message: `${n}の終了日が開始日より前です` });
    }
    const previous = periods[i - 1];
    if (previous === undefined || !isValidIsoDate(p.from)) return;
    if (previous.to === null) {
      errors.push({ path: `${path}.${i - 1}.to`, message: `${label}（${i}件目）に終了日がありません。終了していない期間は最後の1件だけです` });
    } else if (isValidIsoDate(previous.to) && p.from <= previous.to) {
      errors.push({ path: `${path}.${i}.from`, message: `${n}の開始日が前の期間（${i}件目）と重なっているか、前の期間より前です` });
    }
  });
  return errors;
}

/** A PeriodError's path as zod wants it: 'hubPeriods.1.to' → ['hubPeriods', 1, 'to'] ('' prefix dropped). */
export function periodErrorPath(path: string): (string | number)[] {
  return path
    .split('.')
    .filter((k) => k !== '')
    .map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

/** The office's hub periods as a list to check (settings form, record schema). */
export function hubPeriodErrors(periods: readonly HubPeriod[]): PeriodError[] {
  return periodErrors(periods, '拠点として位置付けられていた期間', 'hubPeriods');
}

/** The period that holds `day` (Japan date), or null. */
export function periodOn<P extends { readonly from: IsoDate; readonly to: IsoDate | null }>(periods: readonly P[], day: IsoDate): P | null {
  return periods.find((p) => p.from <= day && (p.to === null || day <= p.to)) ?? null;
}

/** Whether a period holds at least one day of the month 'YYYY-MM'. */
export function periodTouchesMonth(p: { readonly from: IsoDate; readonly to: IsoDate | null }, month: string): boolean {
  const first = `${month}-01`;
  const last = `${month}-31`; // string order: every real day of the month is <= 'YYYY-MM-31'
  return p.from <= last && (p.to === null || p.to >= first);
}

/**
 * The first day of a period whose coordinations can be claimed: the 加算 is claimed from the month
 * after its 届出 when the office notified the city on or before the 15th, else from the month after
 * that (seeds/004 §6-5 ※提出期限, 留意事項通知 第一の1(4)); never before the period's `from`. Without
 * a recorded 届出日 (or with one that is not a date), the period's `from` is taken as the 届出日.
 */
export function firstClaimableDay(p: Pick<HubPeriod, 'from' | 'notifiedOn'>): {
  readonly day: IsoDate;
  /** the 届出日 the day was reckoned from: the recorded one, else the period's `from` */
  readonly notifiedOn: IsoDate;
  readonly notifiedRecorded: boolean;
} {
  const notifiedRecorded = isValidIsoDate(p.notifiedOn);
  const notifiedOn = notifiedRecorded ? p.notifiedOn! : p.from;
  // a start that is not a date never passes the record check; should one be read, it alone decides
  if (!isValidIsoDate(notifiedOn)) return { day: p.from, notifiedOn, notifiedRecorded };
  const months = Number(notifiedOn.slice(8, 10)) <= 15 ? 1 : 2;
  const first = addMonthsToDate(`${notifiedOn.slice(0, 7)}-01`, months);
  return { day: first < p.from ? p.from : first, notifiedOn, notifiedRecorded };
}

/**
 * The designations recorded for the office, or null when they are not known: absent, not an object
 * (another phone's value), or neither held (an office always holds one of them to be a 相談支援事業所,
 * so nothing ticked means nothing recorded).
 */
export function designationsOf(office: Pick<Office, 'designations'>): OfficeDesignations | null {
  const d: unknown = office.designations;
  if (typeof d !== 'object' || d === null) return null;
  const { specifiedConsultation, childConsultation } = d as Record<string, unknown>;
  const held = { specifiedConsultation: specifiedConsultation === true, childConsultation: childConsultation === true };
  return held.specifiedConsultation || held.childConsultation ? held : null;
}

/** The open period (still a hub), if any: only the last can be. */
export function openPeriod(office: Pick<Office, 'hubPeriods'>): HubPeriod | null {
  const last = office.hubPeriods[office.hubPeriods.length - 1];
  return last !== undefined && last.to === null ? last : null;
}

/**
 * The office as it reads now, from a stored record of any age: records written before hub periods
 * carried one `hubSince` day (or null), which is one open period from that day (or none); records
 * written before 一体的運営 run neither service as one body. Nothing is lost: the day becomes the
 * period's start. Anything else is passed on for the record schema to judge.
 */
export function upgradeOfficeRecord(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const { hubSince, ...rest } = raw as Record<string, unknown>;
  const upgraded: Record<string, unknown> = { ...rest };
  if (upgraded['hubPeriods'] === undefined) {
    upgraded['hubPeriods'] = typeof hubSince === 'string' ? [{ from: hubSince, to: null, note: '' }] : [];
  }
  if (upgraded['oneBody'] === undefined) upgraded['oneBody'] = NO_ONE_BODY;
  return upgraded;
}

/** A stored office as the app uses it (the vault holds records of every age; see upgradeOfficeRecord). */
export function readOffice(stored: unknown): Office {
  return upgradeOfficeRecord(stored) as Office;
}
