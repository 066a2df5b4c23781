/**
 * 地域生活支援拠点等機能強化加算 (issue 15 point 5; docs/function-bonus.md): the monthly cap the
 * network shares, the agreed split between offices and municipalities, and the units and yen of
 * what each office claimed. Pure: records in, figures out. Rule ids [FB1]-[FB9] are in the doc.
 *
 * - [FB1] 500 units per claim a month (seeds/000 「【新設】地域生活支援拠点等機能強化加算 500単位／月」).
 * - [FB2] At most 100 claims a month per coordinator, the cap being the total of every office's
 *   claims (seeds/001 §5(1) 「コーディネーター1人当たり、1月につき100回を上限」「全ての拠点機能強化
 *   サービスの算定回数の合計」): cap = 100 × 常勤専従 coordinators in post that month (留意事項通知
 *   第二の3の(7)の③ 「常勤で 1 以上」「専ら…コーディネート業務に従事」, seeds/004 26-3; 0.5人×2 cannot
 *   be claimed: 報酬改定Q&A VOL.1 問6, seeds/004 26-7). A mark not stated is not counted: 要確認.
 * - [FB3] The offices agree beforehand how many each claims (seeds/001 §5(2) ① 「事前に請求する件数を
 *   取り決め」), and the split between the cities (図2: 200件 → 米原市 25% 50件 / 長浜市 75% 150件).
 * - [FB9] Claims above the cap cannot be paid (「超えた分は算定できません」): units, yen and the
 *   municipalities' parts count min(claimed, cap) a month; the excess is shown apart as 算定不可.
 */
import type { IsoInstant } from './household';
import { normalizeName } from './normalize';

/** 'YYYY-MM', a claim month in Japan time. */
export type YearMonth = string;

/** [FB1] units per claim */
export const FUNCTION_BONUS_UNITS = 500;
/** [FB2] claims a month per coordinator */
export const CLAIMS_PER_COORDINATOR = 100;

/** 拠点コーディネーター: placed at one office for a run of months (both ends included). */
export interface BonusCoordinator {
  readonly id: string;
  readonly name: string;
  /** 配置事業所 (an Office id) */
  readonly officeId: string;
  /** 配置開始月 */
  readonly fromMonth: YearMonth;
  /** 配置終了月 (included); null while still in post */
  readonly toMonth: YearMonth | null;
  /**
   * [FB2] 常勤: true 常勤, false 非常勤 (0.5人×2 the 常勤換算 way is not 常勤: Q&A 問6). Absent on a
   * record saved before the app asked (or by an older app): not stated, and not counted (要確認).
   */
  readonly fullTime?: boolean | null;
  /**
   * [FB2] 専従: true when the person does the 拠点コーディネート work only (duties the city allows,
   * such as an emergency's support, aside: 留意事項通知 第二の3の(7)の③の(二)); false 兼務. Absent: not stated.
   */
  readonly dedicated?: boolean | null;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

export interface OfficeShare {
  readonly officeId: string;
  /** percent of the month's cap, up to one decimal place */
  readonly percent: number;
}

export interface MunicipalityShare {
  /** 市町村名 as agreed, e.g. 長浜市 */
  readonly name: string;
  readonly percent: number;
}

/** The agreed split (取り決め), valid from a month until the next table's month. */
export interface BonusSplit {
  readonly id: string;
  readonly validFrom: YearMonth;
  readonly offices: readonly OfficeShare[];
  /** empty when the network serves one municipality */
  readonly municipalities: readonly MunicipalityShare[];
  readonly note: string;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** One office's claimed count (算定件数) for a month, as its billing says; the app holds no claims. */
export interface BonusClaimCount {
  readonly id: string;
  readonly officeId: string;
  readonly month: YearMonth;
  readonly count: number;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** The hub's 地域区分 unit price (円/単位), valid from a month (prices change with fee revisions). */
export interface BonusUnitPrice {
  readonly id: string;
  readonly validFrom: YearMonth;
  /** e.g. 10.18 (seeds/001 §5(3)); at most two decimals */
  readonly yenPerUnit: number;
  readonly createdAt: IsoInstant;
  readonly updatedAt: IsoInstant;
}

/** One claim count's record id: one per office and month, so two devices entering it meet in one record. */
export function claimCountId(officeId: string, month: YearMonth): string {
  return `fbc-${month}-${officeId}`;
}

// ─── Months ─────────────────────────────────────────────────────────────────

export function isYearMonth(s: unknown): s is YearMonth {
  return typeof s === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

export function addMonths(month: YearMonth, n: number): YearMonth {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** 年度: April–March; 2026-03 is in FY2025. */
export function fiscalYearOf(month: YearMonth): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m >= 4 ? y : y - 1;
}

/** The twelve months of a fiscal year, April first. */
export function fiscalYearMonths(fiscalYear: number): YearMonth[] {
  return Array.from({ length: 12 }, (_, i) => addMonths(`${String(fiscalYear).padStart(4, '0')}-04`, i));
}

// ─── Cap, split, price ──────────────────────────────────────────────────────

/** Coordinators in post in `month`: from ≤ month ≤ to (an open end is in post). */
export function coordinatorsInPost(coordinators: Iterable<BonusCoordinator>, month: YearMonth): BonusCoordinator[] {
  return [...coordinators].filter((c) => c.fromMonth <= month && (c.toMonth === null || month <= c.toMonth));
}

/**
 * [FB2] Whether a placement counts towards the cap: 'counted' 常勤 and 専従; 'not-counted' 非常勤 or
 * 兼務; 'not-stated' when a mark is missing (a record from before the app asked). Read strictly: only
 * `true` counts, only `false` refuses, anything else a record may hold is not stated.
 */
export type PlacementStanding = 'counted' | 'not-counted' | 'not-stated';

export function placementStanding(c: BonusCoordinator): PlacementStanding {
  if (c.fullTime === false || c.dedicated === false) return 'not-counted';
  return c.fullTime === true && c.dedicated === true ? 'counted' : 'not-stated';
}

/** [FB2] The people in post in a month, by how they stand towards the cap; names as first entered. */
export interface MonthCoordinators {
  /** 常勤専従: each adds 100 claims to the cap */
  readonly counted: number;
  /** in post but 非常勤 or 兼務: not in the cap */
  readonly notCounted: readonly string[];
  /** in post with a mark not stated: not in the cap, and the month is 要確認 */
  readonly notStated: readonly string[];
}

/**
 * [FB2] The people in post in `month`, each once: one person's two placements meeting in a month
 * (moved to another office in September, both ends counted) are one coordinator, not two (the cap
 * is per person placed: seeds/000 「配置した拠点コーディネーター１人につき」). Told apart by name,
 * spaces aside. A person counts when any of their placements that month is 常勤専従; else, with a
 * placement whose marks are not stated, they are not stated; else not counted.
 */
export function monthCoordinators(coordinators: Iterable<BonusCoordinator>, month: YearMonth): MonthCoordinators {
  const people = new Map<string, { name: string; standings: Set<PlacementStanding> }>();
  for (const c of coordinatorsInPost(coordinators, month)) {
    const key = normalizeName(c.name);
    const person = people.get(key) ?? { name: c.name.trim(), standings: new Set<PlacementStanding>() };
    person.standings.add(placementStanding(c));
    people.set(key, person);
  }
  const all = [...people.values()];
  const counted = all.filter((p) => p.standings.has('counted'));
  const notStated = all.filter((p) => !p.standings.has('counted') && p.standings.has('not-stated'));
  const notCounted = all.filter((p) => !p.standings.has('counted') && !p.standings.has('not-stated'));
  return { counted: counted.length, notCounted: notCounted.map((p) => p.name), notStated: notStated.map((p) => p.name) };
}

/** [FB2] The 常勤専従 people in post in `month`, each once (monthCoordinators). */
export function coordinatorCount(coordinators: Iterable<BonusCoordinator>, month: YearMonth): number {
  return monthCoordinators(coordinators, month).counted;
}

/** [FB2] cap = 100 × 常勤専従 coordinators in post that month. */
export function monthlyCap(coordinators: Iterable<BonusCoordinator>, month: YearMonth): number {
  return CLAIMS_PER_COORDINATOR * coordinatorCount(coordinators, month);
}

type Table = { readonly validFrom: YearMonth; readonly id: string; readonly createdAt: string };

/** Of two tables from the same month, the one entered later (a correction), then the greater id. */
const enteredLater = (a: Table, b: Table): boolean => a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id);

/**
 * The table valid in `month`: the latest validFrom not after it (null before the first one). Two
 * from the same month: the one entered later, so a wrong figure is corrected by entering it again
 * (it was decided by the random ids, the wrong one winning half the time).
 */
export function validFor<T extends Table>(tables: Iterable<T>, month: YearMonth): T | null {
  let best: T | null = null;
  for (const t of tables) {
    if (t.validFrom > month) continue;
    if (best === null || t.validFrom > best.validFrom || (t.validFrom === best.validFrom && enteredLater(t, best))) best = t;
  }
  return best;
}

/** The ids of tables another from the same month, entered later, replaces: shown as such, never used. */
export function replacedTables(tables: Iterable<Table>): ReadonlySet<string> {
  const latest = new Map<YearMonth, Table>();
  const all = [...tables];
  for (const t of all) {
    const held = latest.get(t.validFrom);
    if (held === undefined || enteredLater(t, held)) latest.set(t.validFrom, t);
  }
  return new Set(all.filter((t) => latest.get(t.validFrom) !== t).map((t) => t.id));
}

/**
 * [FB4] A share of the cap in claims: floor(cap × percent / 100), so the shares never add up to
 * more than the cap (200 × 25% = 50, seeds/001 §5(3) 図2). Computed in tenths of a percent, exact.
 */
export function shareOfCap(cap: number, percent: number): number {
  return Math.floor((cap * Math.round(percent * 10)) / 1000);
}

/**
 * [FB9] `amount` split in proportion to the weights: each part rounded down, then what is left over
 * one each to the largest remainders (ties: the earlier). The parts add up to `amount` exactly;
 * when `amount` is at most the sum of the weights (claims over shares), no part passes its weight.
 * [FB6] also splits a month's units and yen between the cities this way.
 */
function apportion(amount: number, weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  if (amount <= 0 || total <= 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((amount * w) / total));
  let left = amount - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => ({ i, rest: (amount * w) % total })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left === 0) break;
    parts[i] = parts[i]! + 1;
    left -= 1;
  }
  return parts;
}

/**
 * [FB9] Which office's claims are the month's 算定不可 (the claims above the cap). The seeds do not
 * say; the app puts them first on the claims beyond the agreed shares (an office over its share,
 * or claiming with no share), in proportion, so an office that kept to the agreement keeps its
 * claims whole. The shares never pass the cap [FB4], so that is enough whenever the split adds up
 * to 100%; if not, the rest falls on every office's remaining claims, in proportion.
 */
function unpayableByOffice(excess: number, offices: readonly { readonly share: number | null; readonly claimed: number | null }[]): number[] {
  const beyond = offices.map((o) => (o.claimed === null ? 0 : o.share === null ? o.claimed : Math.max(0, o.claimed - o.share)));
  const first = apportion(Math.min(excess, beyond.reduce((a, b) => a + b, 0)), beyond);
  const rest = apportion(
    excess - first.reduce((a, b) => a + b, 0),
    offices.map((o, i) => (o.claimed ?? 0) - first[i]!),
  );
  return first.map((n, i) => n + rest[i]!);
}

/**
 * [FB5] Yen for units at a unit price, rounded down to the yen: 600,000単位 × 10.18円 = 6,108,000円
 * (seeds/001 §5(3)). Computed in hundredths of a yen, exact (no floating-point 6,107,999.99…).
 */
export function unitsToYen(units: number, yenPerUnit: number): number {
  return Math.floor((units * Math.round(yenPerUnit * 100)) / 100);
}

// ─── Month and year summaries ───────────────────────────────────────────────

export interface BonusRecords {
  readonly coordinators: readonly BonusCoordinator[];
  readonly splits: readonly BonusSplit[];
  readonly counts: readonly BonusClaimCount[];
  readonly prices: readonly BonusUnitPrice[];
}

/**
 * The records to count: once any real one is held, the demo's are left out (its two coordinators
 * would triple a real hub's cap and hide its over-cap warning); a device holding only the demo
 * counts the demo. `leftOut`: how many demo records were left out, for the screen to say so.
 * `isDemoId` is demo-id.ts's, given by the caller: imported here, that one-line module became a
 * chunk of its own on the first screen (an extra request the precompressed files do not cover).
 */
export function withoutDemoBonus(records: BonusRecords, isDemoId: (id: string) => boolean): { readonly records: BonusRecords; readonly leftOut: number } {
  const all = [...records.coordinators, ...records.splits, ...records.counts, ...records.prices];
  const demo = all.filter((r) => isDemoId(r.id)).length;
  if (demo === 0 || demo === all.length) return { records, leftOut: 0 };
  const real = <T extends { readonly id: string }>(list: readonly T[]) => list.filter((r) => !isDemoId(r.id));
  return {
    records: { coordinators: real(records.coordinators), splits: real(records.splits), counts: real(records.counts), prices: real(records.prices) },
    leftOut: demo,
  };
}

export interface OfficeMonth {
  readonly officeId: string;
  readonly percent: number | null;
  /** the agreed share in claims, null when the office is not in the split */
  readonly share: number | null;
  /** null: nothing entered for the month */
  readonly claimed: number | null;
  /** claimed above the share (0 when within it or with no share) */
  readonly overShare: number;
  /** [FB9] of its claims, the ones above the month's cap put on this office (算定不可) */
  readonly unpayable: number;
  readonly unpayableUnits: number;
  /** [FB9] units of the claims that can be paid: (claimed − unpayable) × 500 */
  readonly units: number;
  readonly yen: number | null;
}

export interface MunicipalityMonth {
  readonly name: string;
  readonly percent: number;
  readonly share: number;
  /** [FB6][FB9] the month's payable units × percent: what the agreement puts on this municipality */
  readonly units: number;
  readonly yen: number | null;
}

export interface MonthSummary {
  readonly month: YearMonth;
  /** [FB2] the 常勤専従 coordinators in post, each once: cap = 100 × this */
  readonly coordinators: number;
  /** [FB2] in post but 非常勤 or 兼務 (not in the cap), by name */
  readonly notCounted: readonly string[];
  /**
   * [FB2] in post with 常勤・専従 not stated, by name: not in the cap, and the month is 要確認 (its
   * cap, and so its 算定不可, may be too low until someone states them)
   */
  readonly notStated: readonly string[];
  readonly cap: number;
  readonly split: BonusSplit | null;
  readonly yenPerUnit: number | null;
  readonly offices: readonly OfficeMonth[];
  readonly municipalities: readonly MunicipalityMonth[];
  readonly claimed: number;
  /** cap − claimed; negative when the cap was passed */
  readonly remaining: number;
  /** [FB9] claims that can be paid: min(claimed, cap) */
  readonly payable: number;
  /** [FB9] claims above the cap (算定不可): max(0, claimed − cap), and their units */
  readonly unpayable: number;
  readonly unpayableUnits: number;
  /** [FB9] units of the payable claims only */
  readonly units: number;
  /** of `units`; null without a unit price for the month */
  readonly yen: number | null;
}

/**
 * One month: the cap, each office's share and claim (offices in the split first, in its order,
 * then any office that claimed without a share), each municipality's part, totals in units and yen
 * of the claims within the cap, and the claims above it (算定不可) apart [FB9].
 */
export function monthSummary(records: BonusRecords, month: YearMonth): MonthSummary {
  const inPost = monthCoordinators(records.coordinators, month);
  const coordinators = inPost.counted;
  const cap = CLAIMS_PER_COORDINATOR * coordinators;
  const split = validFor(records.splits, month);
  const price = validFor(records.prices, month);
  const yenPerUnit = price?.yenPerUnit ?? null;
  const yen = (units: number) => (yenPerUnit === null ? null : unitsToYen(units, yenPerUnit));
  const claimedBy = new Map<string, number>();
  for (const c of records.counts) if (c.month === month) claimedBy.set(c.officeId, c.count);

  const officeIds = [...(split?.offices.map((o) => o.officeId) ?? []), ...[...claimedBy.keys()].filter((id) => !split?.offices.some((o) => o.officeId === id)).sort()];
  const claims = officeIds.map((officeId) => {
    const percent = split?.offices.find((o) => o.officeId === officeId)?.percent ?? null;
    return { officeId, percent, share: percent === null ? null : shareOfCap(cap, percent), claimed: claimedBy.get(officeId) ?? null };
  });
  const claimed = [...claimedBy.values()].reduce((a, b) => a + b, 0);
  const payable = Math.min(claimed, cap);
  const unpayable = claimed - payable;
  const unpayableOf = unpayableByOffice(unpayable, claims);
  const offices = claims.map(({ officeId, percent, share, claimed }, i): OfficeMonth => {
    const units = ((claimed ?? 0) - unpayableOf[i]!) * FUNCTION_BONUS_UNITS;
    return {
      officeId,
      percent,
      share,
      claimed,
      overShare: share === null || claimed === null ? 0 : Math.max(0, claimed - share),
      unpayable: unpayableOf[i]!,
      unpayableUnits: unpayableOf[i]! * FUNCTION_BONUS_UNITS,
      units,
      yen: yen(units),
    };
  });
  const units = payable * FUNCTION_BONUS_UNITS;
  // [FB6] The month's units and its yen each split by the percentages (in tenths), the largest
  // remainders taking what rounding down leaves: the cities' parts add up to the month's exactly.
  const cities = split?.municipalities ?? [];
  const tenths = cities.map((m) => Math.round(m.percent * 10));
  const cityUnits = apportion(units, tenths);
  const monthYen = yen(units);
  const cityYen = monthYen === null ? null : apportion(monthYen, tenths);
  const municipalities = cities.map(
    (m, i): MunicipalityMonth => ({ name: m.name, percent: m.percent, share: shareOfCap(cap, m.percent), units: cityUnits[i]!, yen: cityYen === null ? null : cityYen[i]! }),
  );
  return {
    month,
    coordinators,
    notCounted: inPost.notCounted,
    notStated: inPost.notStated,
    cap,
    split,
    yenPerUnit,
    offices,
    municipalities,
    claimed,
    remaining: cap - claimed,
    payable,
    unpayable,
    unpayableUnits: unpayable * FUNCTION_BONUS_UNITS,
    units,
    yen: monthYen,
  };
}

export interface YearSummary {
  readonly fiscalYear: number;
  readonly months: readonly MonthSummary[];
  /** [FB2] the months whose cap is 要確認 (a coordinator in post with 常勤・専従 not stated) */
  readonly needsCheck: readonly YearMonth[];
  readonly cap: number;
  readonly claimed: number;
  /** [FB9] the months' claims above their caps (算定不可), and their units: not in `units` or `yen` */
  readonly unpayable: number;
  readonly unpayableUnits: number;
  /** [FB9] the months' payable units */
  readonly units: number;
  /** [FB5] the sum of each month's yen (each month is its own claim), null if any month with claims has no price */
  readonly yen: number | null;
  /** per office over the year: claimed, of them 算定不可 (and its units), payable units, yen */
  readonly offices: readonly {
    readonly officeId: string;
    readonly claimed: number;
    readonly unpayable: number;
    readonly unpayableUnits: number;
    readonly units: number;
    readonly yen: number | null;
  }[];
  /** per municipality over the year */
  readonly municipalities: readonly { readonly name: string; readonly units: number; readonly yen: number | null }[];
}

/** [FB7] A fiscal year (April–March): the twelve months and their totals. */
export function yearSummary(records: BonusRecords, fiscalYear: number): YearSummary {
  const months = fiscalYearMonths(fiscalYear).map((m) => monthSummary(records, m));
  const sumYen = (values: readonly (number | null)[], units: readonly number[]) =>
    values.some((v, i) => v === null && units[i]! > 0) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);
  const offices = new Map<string, { claimed: number; unpayable: number; units: number; yen: (number | null)[]; unitList: number[] }>();
  const municipalities = new Map<string, { units: number; yen: (number | null)[]; unitList: number[] }>();
  for (const m of months) {
    for (const o of m.offices) {
      const acc = offices.get(o.officeId) ?? { claimed: 0, unpayable: 0, units: 0, yen: [], unitList: [] };
      acc.claimed += o.claimed ?? 0;
      acc.unpayable += o.unpayable;
      acc.units += o.units;
      acc.yen.push(o.yen);
      acc.unitList.push(o.units);
      offices.set(o.officeId, acc);
    }
    for (const mu of m.municipalities) {
      const acc = municipalities.get(mu.name) ?? { units: 0, yen: [], unitList: [] };
      acc.units += mu.units;
      acc.yen.push(mu.yen);
      acc.unitList.push(mu.units);
      municipalities.set(mu.name, acc);
    }
  }
  return {
    fiscalYear,
    months,
    needsCheck: months.filter((m) => m.notStated.length > 0).map((m) => m.month),
    cap: months.reduce((a, m) => a + m.cap, 0),
    claimed: months.reduce((a, m) => a + m.claimed, 0),
    unpayable: months.reduce((a, m) => a + m.unpayable, 0),
    unpayableUnits: months.reduce((a, m) => a + m.unpayableUnits, 0),
    units: months.reduce((a, m) => a + m.units, 0),
    yen: sumYen(
      months.map((m) => m.yen),
      months.map((m) => m.units),
    ),
    offices: [...offices].map(([officeId, o]) => ({
      officeId,
      claimed: o.claimed,
      unpayable: o.unpayable,
      unpayableUnits: o.unpayable * FUNCTION_BONUS_UNITS,
      units: o.units,
      yen: sumYen(o.yen, o.unitList),
    })),
    municipalities: [...municipalities].map(([name, m]) => ({ name, units: m.units, yen: sumYen(m.yen, m.unitList) })),
  };
}

// ─── Checking a count as it is typed ────────────────────────────────────────

export type CountWarning =
  | { readonly kind: 'over-cap'; readonly cap: number; readonly total: number }
  | { readonly kind: 'no-coordinator' }
  /** [FB2] coordinators in post, none of them 常勤専従: the month cannot be claimed (Q&A 問6) */
  | { readonly kind: 'no-full-time' }
  /** [FB2] someone in post with 常勤・専従 not stated: the cap leaves them out until stated (要確認) */
  | { readonly kind: 'not-stated'; readonly names: readonly string[] }
  | { readonly kind: 'over-share'; readonly share: number; readonly count: number }
  | { readonly kind: 'no-share' };

/**
 * [FB3][FB2] What saving `count` for the office and month would do, before it is saved: the month's
 * total with the other offices' counts, against the cap and the office's share.
 */
export function checkCount(records: BonusRecords, officeId: string, month: YearMonth, count: number): { readonly total: number; readonly warnings: readonly CountWarning[] } {
  const others = records.counts.filter((c) => c.month === month && c.officeId !== officeId);
  const total = others.reduce((a, c) => a + c.count, 0) + count;
  const summary = monthSummary({ ...records, counts: others }, month);
  const warnings: CountWarning[] = [];
  const inPost = summary.coordinators + summary.notCounted.length + summary.notStated.length;
  if (summary.notStated.length > 0) warnings.push({ kind: 'not-stated', names: summary.notStated });
  if (summary.cap === 0 && count > 0 && inPost === 0) warnings.push({ kind: 'no-coordinator' });
  else if (summary.cap === 0 && count > 0 && summary.notStated.length === 0) warnings.push({ kind: 'no-full-time' });
  else if (total > summary.cap) warnings.push({ kind: 'over-cap', cap: summary.cap, total });
  const office = summary.split?.offices.find((o) => o.officeId === officeId);
  if (office === undefined) {
    if (count > 0) warnings.push({ kind: 'no-share' });
  } else {
    const share = shareOfCap(summary.cap, office.percent);
    if (count > share) warnings.push({ kind: 'over-share', share, count });
  }
  return { total, warnings };
}
