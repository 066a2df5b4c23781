/**
 * The boundary checks of the 機能強化加算 forms (coordinator, split table, claimed count, unit
 * price): zod schemas whose output is the domain record, with one Japanese message per field, so
 * nothing is saved half. Numbers arrive as typed (full-width digits are read as half-width).
 */
import { z } from 'zod';
import type { FieldError } from './household-rules';
import { firstErrorPerField } from './household-schema';
import type { BonusClaimCount, BonusCoordinator, BonusSplit, BonusUnitPrice } from './function-bonus';
import { isYearMonth } from './function-bonus';

export type BonusValidation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: readonly FieldError[] };

const FALLBACK = '入力形式が正しくありません';
const instant = z.iso.datetime({ error: '日時の形式が正しくありません' });
const id = z.string({ error: FALLBACK }).min(1, { error: FALLBACK });

/** '2026-04' (a month input's value); '' is missing. */
function month(label: string) {
  return z
    .string({ error: `${label}を入力してください` })
    .trim()
    .min(1, { error: `${label}を入力してください`, abort: true })
    .refine(isYearMonth, { error: `${label}は 2026-04 の形式で入力してください` });
}

/** Text as typed → a number: full-width digits and a full-width point are read as half-width; '' stays ''. */
function typedNumber(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.normalize('NFKC').trim();
  return s === '' ? '' : /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s;
}

function percent(label: string) {
  const message = `${label}の割合は 0 より大きく 100 以下の数（小数第1位まで）で入力してください`;
  return z.preprocess(
    typedNumber,
    z
      .number({ error: (issue) => (issue.input === '' ? `${label}の割合を入力してください` : message) })
      .gt(0, { error: message })
      .lte(100, { error: message })
      .refine((n) => Math.abs(n * 10 - Math.round(n * 10)) < 1e-9, { error: message }),
  );
}

/** Sums in tenths of a percent, exact: 33.3 + 33.3 + 33.4 is 100. */
const tenths = (list: readonly { percent: number }[]) => list.reduce((a, s) => a + Math.round(s.percent * 10), 0);
const percentText = (t: number) => `${t / 10}%`;

/**
 * [FB2] A yes/no the form asks as a choice: 'yes' / 'no' (a select's value) or a boolean; '' (nothing
 * chosen) is refused with `missing`, so every save states it.
 */
function stated(missing: string) {
  return z.preprocess((v) => (v === 'yes' ? true : v === 'no' ? false : v), z.boolean({ error: missing }));
}

export function coordinatorSchema(officeIds: ReadonlySet<string>) {
  return z
    .object({
      id,
      name: z.string({ error: '氏名を入力してください' }).trim().min(1, { error: '氏名を入力してください' }),
      officeId: z.string({ error: '配置事業所を選んでください' }).refine((o) => officeIds.has(o), { error: '配置事業所を選んでください' }),
      fromMonth: month('配置開始月'),
      toMonth: z.preprocess((v) => (v === '' || v === undefined ? null : v), month('配置終了月').nullable()),
      fullTime: stated('常勤か非常勤かを選んでください'),
      dedicated: stated('専従か兼務かを選んでください'),
      createdAt: instant,
      updatedAt: instant,
    })
    .superRefine((c, ctx) => {
      if (c.toMonth !== null && c.toMonth < c.fromMonth) {
        ctx.addIssue({ code: 'custom', path: ['toMonth'], message: '配置終了月が配置開始月より前になっています' });
      }
    }) satisfies z.ZodType<BonusCoordinator>;
}

export function splitSchema(officeIds: ReadonlySet<string>, officeName: (id: string) => string) {
  return z
    .object({
      id,
      validFrom: month('適用開始月'),
      offices: z
        .array(
          z.object({
            officeId: z.string({ error: '事業所を選んでください' }).refine((o) => officeIds.has(o), { error: '事業所を選んでください' }),
            percent: percent('事業所'),
          }),
        )
        .min(1, { error: '事業所の割合を1行以上入力してください' }),
      municipalities: z.array(
        z.object({
          name: z.string({ error: '市町村名を入力してください' }).trim().min(1, { error: '市町村名を入力してください' }),
          percent: percent('市町村'),
        }),
      ),
      note: z.string({ error: FALLBACK }),
      createdAt: instant,
      updatedAt: instant,
    })
    .superRefine((s, ctx) => {
      const seen = new Set<string>();
      s.offices.forEach((o, i) => {
        if (seen.has(o.officeId)) ctx.addIssue({ code: 'custom', path: ['offices', i, 'officeId'], message: `${officeName(o.officeId)}が2回入力されています` });
        seen.add(o.officeId);
      });
      const names = new Set<string>();
      s.municipalities.forEach((m, i) => {
        if (names.has(m.name)) ctx.addIssue({ code: 'custom', path: ['municipalities', i, 'name'], message: `${m.name}が2回入力されています` });
        names.add(m.name);
      });
      const officeSum = tenths(s.offices);
      if (officeSum !== 1000) {
        ctx.addIssue({ code: 'custom', path: ['offices'], message: `事業所の割合の合計が100%になりません（いまの合計 ${percentText(officeSum)}）` });
      }
      const muniSum = tenths(s.municipalities);
      if (s.municipalities.length > 0 && muniSum !== 1000) {
        ctx.addIssue({ code: 'custom', path: ['municipalities'], message: `市町村の割合の合計が100%になりません（いまの合計 ${percentText(muniSum)}）` });
      }
    }) satisfies z.ZodType<BonusSplit>;
}

const COUNT_MESSAGE = '算定件数は0以上の整数で入力してください';

export function claimCountSchema(officeIds: ReadonlySet<string>) {
  return z.object({
    id,
    officeId: z.string({ error: '事業所を選んでください' }).refine((o) => officeIds.has(o), { error: '事業所を選んでください' }),
    month: month('対象月'),
    count: z.preprocess(
      typedNumber,
      z.number({ error: (issue) => (issue.input === '' ? '算定件数を入力してください' : COUNT_MESSAGE) }).int({ error: COUNT_MESSAGE }).min(0, { error: COUNT_MESSAGE }),
    ),
    createdAt: instant,
    updatedAt: instant,
  }) satisfies z.ZodType<BonusClaimCount>;
}

const PRICE_MESSAGE = '単価は 10.18 のように、0 より大きい小数第2位までの数で入力してください';

export const unitPriceSchema = z.object({
  id,
  validFrom: month('適用開始月'),
  yenPerUnit: z.preprocess(
    typedNumber,
    z
      .number({ error: (issue) => (issue.input === '' ? '単価を入力してください' : PRICE_MESSAGE) })
      .gt(0, { error: PRICE_MESSAGE })
      .lt(100, { error: PRICE_MESSAGE })
      .refine((n) => Math.abs(n * 100 - Math.round(n * 100)) < 1e-9, { error: PRICE_MESSAGE }),
  ),
  createdAt: instant,
  updatedAt: instant,
}) satisfies z.ZodType<BonusUnitPrice>;

/** One message per field (the first found), keyed by a dotted path such as 'offices.0.percent'. */
export function validateWith<T>(schema: z.ZodType<T>, input: unknown): BonusValidation<T> {
  const result = schema.safeParse(input, { error: () => FALLBACK });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, errors: firstErrorPerField(result.error.issues) };
}
