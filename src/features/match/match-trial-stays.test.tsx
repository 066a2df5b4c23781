import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createTrialStay } from '../../../test/factories/trial-stay';
import { emptyAcceptance } from '../../domain/facility';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { MatchScreen } from './match-screen';

const initial = useApp.getState();
afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

const accepts = { ...emptyAcceptance(), intellectual: { adult: true, child: true, note: '' } };
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', disabilityTypes: ['intellectual'] }), createPerson({ id: 'p-2', name: '佐藤 美月', disabilityTypes: ['intellectual'] })] });
// Same 地区: by name あおば comes first, unless the person stayed at みどり before.
const facilities = [
  createFacility({ id: 'f-a', name: 'あおば荘', area: '北部', acceptance: accepts }),
  createFacility({ id: 'f-m', name: 'みどり荘', area: '北部', acceptance: accepts }),
];

function mount(personId: string, stays = [
  createTrialStay({ id: 't1', householdId: 'hh-1', personId: 'p-1', facilityId: 'f-m', from: '2026-06-01', to: '2026-06-03' }),
  createTrialStay({ id: 't2', householdId: 'hh-1', personId: 'p-1', facilityId: 'f-m', from: '2026-09-10', to: '2026-09-10' }),
]) {
  useApp.setState({
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    households: new Map([[household.id, household]]),
    householdsLoaded: true,
    facilities: new Map(facilities.map((f) => [f.id, f])),
    trialStays: new Map(stays.map((t) => [t.id, t])),
  });
  window.location.hash = `#/match/hh-1/${personId}`;
  return render(<MatchScreen />);
}

describe('the match knows the person’s trial stays', () => {
  it('ranks a facility of a trial stay as 以前に利用 and shows 体験利用あり with the dates', () => {
    mount('p-1');
    const cards = within(screen.getByRole('region', { name: '受入可能な事業所' })).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['みどり荘', 'あおば荘']);
    expect(within(cards[0]!).getByText('以前に利用')).toBeVisible();
    expect(within(cards[0]!).getByText('体験利用あり：2026/9/10、2026/6/1〜6/3')).toBeVisible();
    expect(within(cards[1]!).queryByText(/体験利用あり/)).toBeNull();
  });

  it('does not lend one person’s trial stays to another of the household', () => {
    mount('p-2');
    const cards = within(screen.getByRole('region', { name: '受入可能な事業所' })).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['あおば荘', 'みどり荘']);
    expect(screen.queryByText(/体験利用あり/)).toBeNull();
  });

  it('keeps a trial stay entered on a record the hub’s admin withdrew, for the office’s record of that name', () => {
    // みどり荘 was registered on two phones; the admin withdrew the record the stay was entered on
    mount('p-1', [createTrialStay({ id: 't3', householdId: 'hh-1', personId: 'p-1', facilityId: 'f-m-withdrawn', facilityName: 'みどり荘', from: '2026-10-05', to: '2026-10-06' })]);
    const cards = within(screen.getByRole('region', { name: '受入可能な事業所' })).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['みどり荘', 'あおば荘']);
    expect(within(cards[0]!).getByText('体験利用あり：2026/10/5〜10/6')).toBeVisible();
  });
});
