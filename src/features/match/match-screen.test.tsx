import { render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { DEFAULT_SETTINGS, useApp } from '../../app/store';
import { emptyAcceptance, emptyFacility, type Facility } from '../../domain/facility';
import type { Household } from '../../domain/household';
import { MatchScreen, parseMatchRoute } from './match-screen';

const initial = useApp.getState();

afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

const NOW = '2026-04-01T00:00:00.000Z';
// A child (児) whatever day the test runs on for years to come.
const childBirth = `${new Date().getFullYear() - 10}-04-01`;

const household = createHousehold({
  id: 'hh-1',
  persons: [
    createPerson({
      id: 'p-1',
      name: '佐藤 陽太',
      birthDate: childBirth,
      disabilityTypes: ['intellectual'],
      medicalCare: ['tube-feeding'],
      pastShortStays: [{ facility: 'ひだまり 短期入所', when: '2025年', howItWent: '落ち着いて過ごせた' }],
    }),
    createPerson({ id: 'p-2', name: '佐藤 未入力', birthDate: null, disabilityTypes: [] }),
  ],
});

function facility(id: string, patch: Partial<Facility>, opts: { medicalCareChild: boolean; note?: string }): Facility {
  const acceptance = {
    ...emptyAcceptance(),
    intellectual: { adult: true, child: true, note: opts.note ?? '' },
    'medical-care': { adult: true, child: opts.medicalCareChild, note: '' },
  };
  return { ...emptyFacility(id, NOW), acceptance, medicalCare: ['tube-feeding'], ...patch };
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000).toISOString();

const facilities: Facility[] = [
  facility('f-a', { name: 'あおば荘', area: '北部', phone: '047-111-1111', nightPhone: '090-1111-2222' }, { medicalCareChild: true, note: '要相談' }),
  facility('f-b', { name: 'いずみ園', area: '北部', phone: '047-222-2222' }, { medicalCareChild: false }),
  facility(
    'f-c',
    {
      name: 'ひだまり',
      area: '南部',
      phone: '047-333-3333',
      liaison: '田中',
      hubFunctions: ['emergency-acceptance'],
      vacancy: { beds: 2, asOf: hoursAgo(3), reportedBy: '田中' },
    },
    { medicalCareChild: true },
  ),
];

function mount(hash: string, hs: readonly Household[], fs: readonly Facility[]) {
  useApp.setState({
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    households: new Map(hs.map((h) => [h.id, h])),
    householdsLoaded: true,
    facilities: new Map(fs.map((f) => [f.id, f])),
  });
  window.location.hash = hash;
  return render(<MatchScreen />);
}

describe('parseMatchRoute', () => {
  it('reads household and person ids', () => {
    expect(parseMatchRoute('#/match/hh-1/p-1')).toEqual({ householdId: 'hh-1', personId: 'p-1' });
    expect(parseMatchRoute('#/match/h%2F1/p%201')).toEqual({ householdId: 'h/1', personId: 'p 1' });
    expect(parseMatchRoute('#/match/hh-1')).toBeNull();
    expect(parseMatchRoute('#/households/hh-1')).toBeNull();
    expect(parseMatchRoute('#/match/%E0%A4%A/p')).toBeNull();
  });
});

describe('match screen', () => {
  it('lists fits with the fresh vacancy first and the near miss apart with its failure', () => {
    mount('#/match/hh-1/p-1', [household], facilities);
    expect(screen.getByRole('heading', { level: 1, name: '受入先を探す' })).toBeInTheDocument();
    expect(screen.getByText(/佐藤 陽太（\d+歳・児）/)).toBeInTheDocument();
    const chips = screen.getByRole('list', { name: '必要な受入れ' });
    expect(within(chips).getByText('知的')).toBeInTheDocument();
    expect(within(chips).getByText('医療的ケア')).toBeInTheDocument();

    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    const cards = within(fits).getAllByRole('article');
    expect(cards.map((c) => c.getAttribute('aria-label'))).toEqual(['ひだまり', 'あおば荘']);

    const first = cards[0]!;
    expect(within(first).getByText('空き 2床（3時間前の報告）')).toBeInTheDocument();
    expect(within(first).getByText('以前に利用')).toBeInTheDocument();
    expect(within(first).getByText('拠点加算（+200単位）の対象となりうる')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: '電話 047-333-3333' })).toHaveAttribute('href', 'tel:0473333333');

    const aoba = screen.getByRole('article', { name: 'あおば荘' });
    expect(within(aoba).getByText('知的（児）: 条件あり — 要相談')).toBeInTheDocument();
    expect(within(aoba).getByRole('link', { name: '夜間 090-1111-2222' })).toHaveAttribute('href', 'tel:09011112222');
    expect(within(aoba).getByText('適合の理由').closest('details')).not.toHaveAttribute('open');
    expect(within(aoba).queryByText('以前に利用')).not.toBeInTheDocument();

    const near = screen.getByRole('heading', { name: '条件が合わない事業所（参考）' }).closest('section')!;
    const izumi = within(near).getByRole('article', { name: 'いずみ園' });
    expect(within(izumi).getByText('医療的ケア（児）: 受入不可')).toBeInTheDocument();
    expect(within(izumi).getByRole('link', { name: '電話 047-222-2222' })).toHaveAttribute('href', 'tel:0472222222');
    expect(within(fits).queryByRole('article', { name: 'いずみ園' })).not.toBeInTheDocument();
  });

  it('logs the household (閲覧記録) once when opened for a person', async () => {
    const session = createFakeSession();
    useApp.setState({ session });
    const { rerender } = mount('#/match/hh-1/p-1', [household], facilities);
    rerender(<MatchScreen />);
    await waitFor(async () => expect((await session.accessLog()).map((e) => [e.action, e.householdId])).toEqual([['open-household', 'hh-1']]));
  });

  it('asks to edit the household when the person is incomplete', () => {
    mount('#/match/hh-1/p-2', [household], facilities);
    expect(screen.getByText(/生年月日と障害の種類が未入力/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '世帯の情報を編集' })).toHaveAttribute('href', '#/households/hh-1/edit');
    expect(screen.queryByRole('heading', { name: '受入可能な事業所' })).not.toBeInTheDocument();
  });

  it('points to the facility list when it is empty', () => {
    mount('#/match/hh-1/p-1', [household], []);
    expect(screen.getByText(/事業所の一覧が空です/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '事業所の一覧へ' })).toHaveAttribute('href', '#/facilities');
  });

  it('says so when the household is not found', () => {
    mount('#/match/nope/p-1', [household], facilities);
    expect(screen.getByText(/見つかりません/)).toBeInTheDocument();
  });
});
