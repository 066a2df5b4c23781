import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
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

describe('calls made from the match, with a case open', () => {
  async function openCase(): Promise<string> {
    const session = createFakeSession();
    useApp.setState({ session });
    const now = new Date().toISOString();
    const kase = await useApp.getState().appendCaseEntry(null, {
      type: 'open',
      officeId: 'office-1',
      subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' },
      requestedAt: now,
      requestedAtReason: '',
      category: '介護者の入院',
      detail: '',
      caller: '',
      callerPhone: '',
    });
    return kase.id;
  }

  /** a busy 2-core machine: the appends go through hashing and the fake vault */
  const SLOW = { timeout: 10_000 };
  const called = () => screen.queryByRole('heading', { name: /^電話済み/ })?.closest('section') ?? null;

  it('asks for the result on the card just dialled, moves it to 電話済み with its time, and corrects it with a new entry', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const hidamari = screen.getByRole('article', { name: 'ひだまり' });
    // the phone's dialer is not there in a test; the app's own click handler is what records
    within(hidamari).getByRole('link', { name: '電話 047-333-3333' }).addEventListener('click', (e) => e.preventDefault());
    await user.click(within(hidamari).getByRole('link', { name: '電話 047-333-3333' }));

    // the card moves to 電話済み once the call is recorded: look for it there, not in the card tapped
    const results = await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW);
    const buttons = within(results).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['受入可', '受入不可', '折り返し待ち', '不在']);
    // 受入可 ends the search: it looks like the others, not the filled accent button
    expect(new Set(buttons.map((b) => b.className)).size).toBe(1);
    expect(within(results).getByRole('button', { name: '受入可' })).not.toHaveClass('btn--primary');

    await user.click(within(results).getByRole('button', { name: '受入不可' }));
    await waitFor(() => expect(called()).not.toBeNull(), SLOW);
    const row = within(called()!).getByRole('article', { name: 'ひだまり' });
    expect(row).toHaveTextContent(/受入不可・\d{2}:\d{2}/);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).queryByRole('article', { name: 'ひだまり' })).not.toBeInTheDocument();

    await user.click(within(row).getByRole('button', { name: '結果を訂正' }));
    await user.click(within(row).getByRole('button', { name: '折り返し待ち' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'ひだまり' })).toHaveTextContent(/折り返し待ち・/), SLOW);
    const types = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body.type);
    expect(types).toEqual(['open', 'contact', 'result', 'result']);
  });

  it('offers 入所を記録 on a 受入可 and closes the case in the same step', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const link = within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link')[0]!;
    link.addEventListener('click', (e) => e.preventDefault());
    await user.click(link);
    await user.click(within(await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW)).getByRole('button', { name: '受入可' }));
    await waitFor(() => expect(called()).not.toBeNull(), SLOW);
    const row = within(called()!).getByRole('article', { name: 'あおば荘' });
    await user.click(within(row).getByRole('button', { name: '入所を記録' }));
    await user.click(within(row).getByRole('button', { name: '入所を記録して対応を終了' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/cases/${caseId}`), SLOW);
    const bodies = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body);
    expect(bodies.map((b) => b.type)).toEqual(['open', 'contact', 'result', 'outcome', 'close']);
    expect(bodies[3]).toMatchObject({ outcome: '短期入所', facilityId: 'f-a', facilityName: 'あおば荘' });
  });

  it('puts a facility\'s 夜間 number first at night (Japan time)', () => {
    mount('#/match/hh-1/p-1', [household], facilities);
    const links = within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link').map((l) => l.textContent);
    const hour = (new Date().getUTCHours() + 9) % 24;
    const night = hour >= 20 || hour < 7;
    expect(links).toEqual(night ? ['夜間 090-1111-2222', '電話 047-111-1111'] : ['電話 047-111-1111', '夜間 090-1111-2222']);
  });
});
