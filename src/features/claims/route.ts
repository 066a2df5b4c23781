/**
 * The claims routes, read from the hash the app shell already uses:
 * '#/claims?office=<id>&month=YYYY-MM' (the screen) and '#/claims/print?office=<id>&month=YYYY-MM'
 * (the printable evidence report). The month choice is made in Japan time, never the device zone.
 */
import type { IsoDate } from '../../domain/household';
import { addMonthsToDate } from '../../domain/japan-time';

export { navigate, useHash } from '../../state/router';

export interface ClaimsRoute {
  readonly name: 'screen' | 'print';
  readonly officeId: string | null;
  readonly month: string | null;
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export function isClaimMonth(s: string | null | undefined): s is string {
  return typeof s === 'string' && MONTH.test(s);
}

export function parseClaimsRoute(hash: string): ClaimsRoute {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean);
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query);
  } catch {
    params = new URLSearchParams();
  }
  const month = params.get('month');
  return {
    name: parts[0] === 'claims' && parts[1] === 'print' ? 'print' : 'screen',
    officeId: params.get('office') || null,
    month: isClaimMonth(month) ? month : null,
  };
}

function query(officeId: string | null, month: string | null): string {
  const params = new URLSearchParams();
  if (officeId) params.set('office', officeId);
  if (month) params.set('month', month);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export const claimsPaths = {
  screen: (officeId: string | null = null, month: string | null = null) => `#/claims${query(officeId, month)}`,
  print: (officeId: string, month: string) => `#/claims/print${query(officeId, month)}`,
  case: (caseId: string) => `#/cases/${encodeURIComponent(caseId)}`,
};

/**
 * How many months the month select offers: this month and the 5 years before it, as long as the
 * records are kept for an audit (§24-3 (3): 5 years): a month further back was reachable only by
 * typing its address.
 */
export const MONTHS_OFFERED = 61;

export { CLAIM_DAYS, defaultClaimMonth } from '../../domain/claim-types';

/** This Japan month and the 60 before it, newest first. */
export function offeredMonths(today: IsoDate): string[] {
  const first = `${today.slice(0, 7)}-01`;
  return Array.from({ length: MONTHS_OFFERED }, (_, i) => addMonthsToDate(first, -i).slice(0, 7));
}

/** '2026-12' → '2026年12月' */
export function monthLabel(month: string): string {
  return `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`;
}
