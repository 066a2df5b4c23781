/**
 * The month's claim reuses the claim decisions across months and offices: they are made over every
 * case held (thousands on a hub's phone), and only the cases, the offices or the households change them.
 */
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createOffice } from '../../../test/factories/office';
import { useApp } from '../../state/store';
import { decideClaims } from '../../domain/claim-rules';
import type { ClaimFactsBody, OutcomeBody } from '../../domain/emergency-case';
import { useMonthClaim } from './use-claims';

// the real rules, counted
vi.mock('../../domain/claim-rules', async (original) => {
  const actual = await original<typeof import('../../domain/claim-rules')>();
  return { ...actual, decideClaims: vi.fn(actual.decideClaims) };
});

const initial = useApp.getState();

/** One night call on `day` (UTC 12:00, 21:00 in Japan) that ends in a short stay: claimed in that month. */
function callOn(day: string, caseId: string) {
  const requestedAt = `${day}T12:00:00.000Z`;
  const contactedAt = `${day}T12:30:00.000Z`;
  const factsAt = `${day}T12:40:00.000Z`;
  const facts: ClaimFactsBody = { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' };
  const stayFrom = `${day}T13:00:00.000Z`;
  const outcome: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: stayFrom, note: '' };
  return appendEntries(
    [],
    [
      { body: openBody({ requestedAt }), at: requestedAt },
      { body: contactBody({ contactedAt }), at: contactedAt },
      { body: facts, at: factsAt },
      { body: outcome, at: stayFrom },
    ],
    caseId,
  );
}

afterEach(() => {
  cleanup();
  useApp.setState(initial, true);
  vi.mocked(decideClaims).mockClear();
});

describe('useMonthClaim', () => {
  it('decides the claims once while the month and the office change, lists each month as a fresh screen would, and decides again for a new case', async () => {
    const first = createOffice({ id: 'office-1' });
    const second = createOffice({ id: 'office-2', officeNumber: '1210000002', name: '相談支援センター みどり' });
    const november = await callOn('2026-11-10', 'case-nov');
    const december = await callOn('2026-12-05', 'case-dec');
    useApp.setState({
      offices: new Map([[first.id, first], [second.id, second]]),
      caseEntries: new Map([['case-nov', november], ['case-dec', december]]),
    });

    const { result, rerender } = renderHook(({ officeId, month }) => useMonthClaim(officeId, month), {
      initialProps: { officeId: 'office-1' as string | null, month: '2026-11' },
    });
    expect(result.current.cases.map((c) => c.id)).toEqual(['case-nov']);
    const decisions = result.current.decisions;
    rerender({ officeId: 'office-1', month: '2026-12' });
    const switched = result.current;
    expect(switched.cases.map((c) => c.id)).toEqual(['case-dec']);
    rerender({ officeId: 'office-2', month: '2026-12' });
    expect(result.current.cases).toEqual([]);
    expect(result.current.decisions).toBe(decisions);
    expect(decideClaims).toHaveBeenCalledTimes(1);

    // what the switch showed is what a screen opened on that month shows
    const fresh = renderHook(() => useMonthClaim('office-1', '2026-12')).result.current;
    expect(switched.decisions).toEqual(fresh.decisions);
    expect(switched.cases).toEqual(fresh.cases);
    expect(switched.summary).toEqual(fresh.summary);
    expect(fresh.summary.map((r) => r.count)).toEqual([1]);

    // a case pulled in is decided with the rest
    const more = await callOn('2026-12-20', 'case-more');
    act(() => useApp.setState({ caseEntries: new Map([['case-nov', november], ['case-dec', december], ['case-more', more]]) }));
    expect(result.current.decisions.size).toBe(3);
  });
});
