/**
 * The 機能強化加算 routes: '#/bonus?month=YYYY-MM' (the month), '#/bonus/year?fy=2026' (a fiscal
 * year), '#/bonus/setup' (the agreement, coordinators and unit price). Months are Japan time.
 */
import { fiscalYearOf, isYearMonth, type YearMonth } from '../../domain/function-bonus';
import { defaultClaimMonth } from '../../domain/claim-types';
import { japanDateOf } from '../../domain/japan-time';

export { navigate, useHash } from '../../state/router';

export type BonusTab = 'month' | 'year' | 'setup';

export interface BonusRoute {
  readonly tab: BonusTab;
  readonly month: YearMonth;
  readonly fiscalYear: number;
}

export function parseBonusRoute(hash: string, now: Date = new Date()): BonusRoute {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?');
  const second = path.split('/').filter(Boolean)[1];
  const params = new URLSearchParams(query);
  const m = params.get('month');
  // billed with the 相談強化加算: on 1/5 the month being entered is December's, as on the claims screen
  const month = isYearMonth(m) ? m : (defaultClaimMonth(japanDateOf(now)) as YearMonth);
  const fy = Number(params.get('fy'));
  return {
    tab: second === 'year' ? 'year' : second === 'setup' ? 'setup' : 'month',
    month,
    fiscalYear: Number.isInteger(fy) && fy >= 2000 && fy <= 2100 ? fy : fiscalYearOf(month),
  };
}

export const bonusPaths = {
  month: (month?: YearMonth) => (month ? `#/bonus?month=${month}` : '#/bonus'),
  year: (fiscalYear?: number) => (fiscalYear ? `#/bonus/year?fy=${fiscalYear}` : '#/bonus/year'),
  setup: () => '#/bonus/setup',
};
