/**
 * The facility list draws a page of rows at a time (a hub holds 1,000 facilities), and a row is drawn
 * again only when what it shows changes.
 */
import { act, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { useApp } from '../../state/store';
import { mountFacilities, resetStore } from './test-helpers';
import { ClosureLine } from './vacancy-badge';

// the real line under each name, counted: one call per row drawn
vi.mock('./vacancy-badge', async (original) => {
  const actual = await original<typeof import('./vacancy-badge')>();
  return { ...actual, ClosureLine: vi.fn(actual.ClosureLine) };
});

afterEach(() => {
  vi.useRealTimers();
  resetStore();
  window.location.hash = '';
  vi.mocked(ClosureLine).mockClear();
});

/** 30 あおぞら and 15 つばさ: 45 facilities, each with a number of its own. */
function fortyFive() {
  const names = [...Array.from({ length: 30 }, (_, n) => `あおぞら短期入所${n + 1}`), ...Array.from({ length: 15 }, (_, n) => `つばさ苑${n + 1}`)];
  return names.map((name, n) => createFacility({ id: `fac-${n + 1}`, name }));
}

const rows = () => within(screen.getByRole('list', { name: '短期入所事業所' })).getAllByRole('listitem');
const rowNames = () => rows().map((li) => li.querySelector('.fac-row__name')!.textContent);

describe('the facility list', () => {
  it('shows 20 rows with the count of all, and 「さらに表示」 shows the rest', async () => {
    const { user } = mountFacilities({ facilities: fortyFive() });
    expect(screen.getByText('45件')).toBeInTheDocument();
    expect(rows()).toHaveLength(20);
    await user.click(screen.getByRole('button', { name: 'さらに表示' }));
    expect(rows()).toHaveLength(40);
    await user.click(screen.getByRole('button', { name: 'さらに表示' }));
    expect(rows()).toHaveLength(45);
    expect(new Set(rowNames())).toEqual(new Set(fortyFive().map((f) => f.name)));
    expect(screen.queryByRole('button', { name: 'さらに表示' })).toBeNull();
    expect(screen.getByText('45件')).toBeInTheDocument();
  });

  it('shows every match of a query that finds fewer, and starts again from 20 when the query changes', async () => {
    const { user } = mountFacilities({ facilities: fortyFive() });
    await user.click(screen.getByRole('button', { name: 'さらに表示' }));
    expect(rows()).toHaveLength(40);

    await user.type(screen.getByRole('searchbox', { name: '事業所を検索' }), 'つばさ');
    expect(await screen.findByText('15件')).toBeInTheDocument();
    expect(rows()).toHaveLength(15);
    expect(rowNames().every((name) => name!.startsWith('つばさ苑'))).toBe(true);
    expect(screen.queryByRole('button', { name: 'さらに表示' })).toBeNull();

    await user.clear(screen.getByRole('searchbox', { name: '事業所を検索' }));
    await user.type(screen.getByRole('searchbox', { name: '事業所を検索' }), 'あおぞら');
    expect(await screen.findByText('30件')).toBeInTheDocument();
    expect(rows()).toHaveLength(20);
    expect(screen.getByRole('button', { name: 'さらに表示' })).toBeInTheDocument();
  });

  it('at the minute draws again only the row whose report ages, and after a pull only the facility pulled', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(new Date('2026-12-07T12:00:00.000Z'));
    const facilities = fortyFive();
    facilities[0] = { ...facilities[0]!, vacancy: { beds: 2, asOf: '2026-12-07T11:55:00.000Z', reportedBy: '山田' } };
    mountFacilities({ facilities });
    const reported = () => screen.getByText(/^空き 2床/);
    expect(reported()).toHaveTextContent('空き 2床・5分前の報告');
    expect(rows()).toHaveLength(20);

    vi.mocked(ClosureLine).mockClear();
    act(() => vi.advanceTimersByTime(60_000));
    expect(reported()).toHaveTextContent('空き 2床・6分前の報告');
    expect(ClosureLine).toHaveBeenCalledTimes(1);

    // a sync pulls one facility: its row shows the change, the others stay as drawn
    vi.mocked(ClosureLine).mockClear();
    const second = facilities.find((f) => f.name === rowNames()[1])!;
    const pulled = { ...second, closure: { kind: 'suspended' as const, from: '2026-12-01', until: null, note: '職員不足のため' } };
    act(() => useApp.setState({ facilities: new Map(useApp.getState().facilities).set(pulled.id, pulled) }));
    expect(rows()[1]).toHaveTextContent('休止中（再開日未定）・職員不足のため');
    expect(ClosureLine).toHaveBeenCalledTimes(1);
  });
});
