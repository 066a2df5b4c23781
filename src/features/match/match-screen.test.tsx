import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { fromJapanInputValue, toJapanInputValue } from '../../domain/japan-input';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { emptyAcceptance, emptyFacility, type Facility } from '../../domain/facility';
import type { Household } from '../../domain/household';
import { foldCase } from '../../domain/case-fold';
import { claimMonthOf } from '../../domain/claim-rules';
import { japanDateOf } from '../../domain/japan-time';
import { MatchScreen, parseMatchRoute } from './match-screen';
import { T } from './text';
import { failTheNextResult } from '../../../test/factories/fail-next-result';

const initial = useApp.getState();

afterEach(() => {
  vi.useRealTimers();
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
  facility(
    'f-a',
    { name: 'あおば荘', area: '北部', phone: '047-111-1111', nightPhone: '090-1111-2222', emergencyRequestHow: '夜間は当直携帯へ。受入れ可否は30分以内に折り返します。' },
    { medicalCareChild: true, note: '要相談' },
  ),
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
    expect(within(first).getByText('拠点等である場合の加算（＋200単位）の対象となりうる')).toBeInTheDocument();
    expect(within(first).getByRole('link', { name: /^電話 047-333-3333（/ })).toHaveAttribute('href', 'tel:0473333333');

    const aoba = screen.getByRole('article', { name: 'あおば荘' });
    expect(within(aoba).getByText('知的（児）: 条件あり — 要相談')).toBeInTheDocument();
    expect(within(aoba).getByRole('link', { name: /^夜間 090-1111-2222（/ })).toHaveAttribute('href', 'tel:09011112222');
    // how to ask this facility, in its own words, read while the phone rings; none where none is kept
    expect(within(aoba).getByText('夜間は当直携帯へ。受入れ可否は30分以内に折り返します。')).toHaveTextContent(/^依頼方法夜間は当直携帯へ/);
    expect(within(first).queryByText('依頼方法')).not.toBeInTheDocument();
    expect(within(aoba).getByText('適合の理由').closest('details')).not.toHaveAttribute('open');
    expect(within(aoba).queryByText('以前に利用')).not.toBeInTheDocument();

    const near = screen.getByRole('heading', { name: '条件が合わない事業所（参考）' }).closest('section')!;
    const izumi = within(near).getByRole('article', { name: 'いずみ園' });
    expect(within(izumi).getByText('医療的ケア（児）: 受入不可')).toBeInTheDocument();
    expect(within(izumi).getByRole('link', { name: /^電話 047-222-2222（/ })).toHaveAttribute('href', 'tel:0472222222');
    expect(within(fits).queryByRole('article', { name: 'いずみ園' })).not.toBeInTheDocument();
  });

  it('lists a facility on 休止 apart, its closure first, with no bed report nor 加算 on its card', () => {
    const today = new Date();
    const from = new Date(today.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
    const hidamari = { ...facilities[2]!, closure: { kind: 'suspended' as const, from, until: null, note: '職員不足' } };
    mount('#/match/hh-1/p-1', [household], [facilities[0]!, facilities[1]!, hidamari]);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['あおば荘']);
    const near = screen.getByRole('heading', { name: '条件が合わない事業所（参考）' }).closest('section')!;
    expect(within(near).queryByRole('article', { name: 'ひだまり' })).toBeNull();
    const closed = screen.getByRole('heading', { name: '休止・廃止中の事業所（受け入れできません）' }).closest('section')!;
    const card = within(closed).getByRole('article', { name: 'ひだまり' });
    expect(within(card).getAllByRole('listitem')[0]).toHaveTextContent('休止中（再開日未定）');
    expect(within(card).queryByText(/空き 2床/)).toBeNull();
    expect(within(card).queryByText('拠点等である場合の加算（＋200単位）の対象となりうる')).toBeNull();
  });

  it('shows one office registered twice (two phones offline) as one card, the one with the bed report, saying so, with the number only the other record holds', () => {
    const reported = { ...facilities[2]!, officeNumber: '1210100009' };
    const twin = facility('f-c2', { name: 'ひだまり短期', area: '南部', officeNumber: '1210100009', phone: '047-333-9999' }, { medicalCareChild: true });
    mount('#/match/hh-1/p-1', [household], [twin, facilities[0]!, reported]);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['ひだまり', 'あおば荘']);
    const card = within(fits).getByRole('article', { name: 'ひだまり' });
    expect(within(card).getByText(/^同じ事業所番号の登録が2件あります/)).toHaveTextContent('同じ事業所番号の登録が2件あります（休止・廃止でない方、空き報告のある方を優先して表示しています）もう一方の登録の電話: 047-333-9999');
    expect(within(card).getByText('空き 2床（3時間前の報告）')).toBeInTheDocument();
    expect(screen.queryByRole('article', { name: 'ひだまり短期' })).not.toBeInTheDocument();
  });

  it('says on the card when only the other record of the office is marked 休止', () => {
    const today = japanDateOf(new Date());
    const reported = { ...facilities[2]!, officeNumber: '1210100009' };
    const twin = facility('f-c2', { name: 'ひだまり短期', area: '南部', officeNumber: '1210100009', closure: { kind: 'suspended', from: today, until: null, note: '' } }, { medicalCareChild: true });
    mount('#/match/hh-1/p-1', [household], [twin, reported]);
    const card = screen.getByRole('article', { name: 'ひだまり' });
    expect(within(card).getByText('もう一方の登録には「休止中（再開日未定）」とあります（電話で確かめてください）')).toBeInTheDocument();
  });

  it('says, for a 仮登録 (no 同意書) or a 登録廃止, what may be passed on to a facility; nothing for a registered household', () => {
    const words = /^仮登録（同意書なし）：短期入所先などに伝えてよいのは、本人の生命・身体の保護に必要なことだけです$/;
    const { unmount } = mount('#/match/hh-1/p-1', [household], facilities);
    expect(screen.queryByText(words)).toBeNull();
    unmount();
    const draft = mount('#/match/hh-1/p-1', [{ ...household, consent: null }], facilities);
    expect(screen.getByText(words)).toBeInTheDocument();
    draft.unmount();
    // a 登録廃止: the 同意書's sharing has ended
    mount('#/match/hh-1/p-1', [{ ...household, withdrawal: { date: '2026-11-01', reason: '転居' } }], facilities);
    expect(screen.getByText(/^登録廃止（同意書による共有は終わっています）：短期入所先などに伝えてよいのは/)).toBeInTheDocument();
  });

  it("shows the liaison's word on the beds under the figure, with who said it", () => {
    const noted = { ...facilities[2]!, vacancy: { beds: 2, asOf: hoursAgo(3), reportedBy: '田中', note: '女性のみ' } };
    mount('#/match/hh-1/p-1', [household], [facilities[0]!, noted]);
    const card = screen.getByRole('article', { name: 'ひだまり' });
    expect(within(card).getByText('空き 2床（3時間前の報告）').nextElementSibling).toHaveTextContent('「女性のみ」（田中）');
    expect(within(screen.getByRole('article', { name: 'あおば荘' })).queryByText(/「/)).toBeNull();
  });

  it('shows a bed report whose time is not an instant as its text, and the rest of the match (one bad report once stopped the screen)', () => {
    const bad = facility('f-bad', { name: 'かえで', area: '北部', phone: '047-444-4444', vacancy: { beds: 1, asOf: '2026-11-30 02:10', reportedBy: '' } }, { medicalCareChild: true });
    mount('#/match/hh-1/p-1', [household], [...facilities, bad]);
    const card = screen.getByRole('article', { name: 'かえで' });
    expect(within(card).getByText('空き 1床（2026-11-30 02:10の報告・古い情報）')).toBeInTheDocument();
    expect(screen.getByRole('article', { name: 'ひだまり' })).toBeInTheDocument();
  });

  it("leaves the demo's facilities out of a real person's match, saying so, and keeps them for a demo household", () => {
    const demo = facility('demo-facility-1', { name: 'デモ短期入所', area: '北部', phone: '03-0000-0001' }, { medicalCareChild: true });
    const { unmount } = mount('#/match/hh-1/p-1', [household], [...facilities, demo]);
    expect(screen.queryByRole('article', { name: 'デモ短期入所' })).not.toBeInTheDocument();
    expect(screen.getByText('デモデータの事業所（1件）は、実際の方の受入先には表示していません。')).toBeInTheDocument();
    unmount();
    const demoHousehold = { ...household, id: 'demo-household-1' };
    mount('#/match/demo-household-1/p-1', [demoHousehold], [...facilities, demo]);
    expect(screen.getByRole('article', { name: 'デモ短期入所' })).toBeInTheDocument();
    expect(screen.queryByText(/デモデータの事業所/)).not.toBeInTheDocument();
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

  it('searches on conditions chosen for tonight when the 聞き取り票 lacks them (仮登録), says so, shows no made-up age, and saves nothing', async () => {
    const user = userEvent.setup();
    mount('#/match/hh-1/p-2', [household], facilities);
    const search = screen.getByRole('button', { name: 'この条件で探す' });
    expect(search).toBeDisabled();
    await user.click(screen.getByRole('radio', { name: '児（18歳未満）' }));
    expect(search).toBeDisabled();
    await user.click(screen.getByRole('checkbox', { name: '知的' }));
    await user.click(search);

    const fits = screen.getByRole('region', { name: /受入可能な事業所/ });
    expect(within(fits).getAllByRole('article').length).toBeGreaterThan(0);
    expect(screen.getByText('佐藤 未入力（児・今夜だけの条件）')).toBeInTheDocument();
    expect(screen.queryByText(/\d+歳/)).not.toBeInTheDocument();
    expect(screen.getByText(/聞き取り票に生年月日と障害の種類がないため、今夜の検索だけの条件で探しています/)).toBeInTheDocument();
    // the household itself is unchanged
    expect(useApp.getState().households.get('hh-1')!.persons[1]).toMatchObject({ birthDate: null, disabilityTypes: [] });
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

  it('says at the top, without a case, that calls are not recorded, offers 緊急対応を開始, and shows no 要請 time', () => {
    mount('#/match/hh-1/p-1', [household], facilities);
    const notice = screen.getAllByRole('status')[0]!;
    expect(notice).toHaveTextContent('この画面からの電話は記録されません');
    expect(within(notice).getByRole('link', { name: '緊急対応を開始' })).toHaveAttribute('href', '#/cases/new/hh-1/p-1');
    // the time the screen opened is not a request
    expect(screen.queryByText(/^要請 /)).not.toBeInTheDocument();
    // first on the page, before the person and the facilities
    const person = screen.getByText(/佐藤 陽太（\d+歳・児）/);
    expect(notice.compareDocumentPosition(person) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says so too when the case it was opened for is not on this phone', () => {
    mount('#/match/hh-1/p-1?case=not-synced-yet', [household], facilities);
    expect(screen.getByText(/この画面からの電話は記録されません/)).toBeInTheDocument();
    expect(screen.queryByText(/^要請 /)).not.toBeInTheDocument();
  });
});

describe('a 児 turning 18 within the week after the call', () => {
  // 00:30 on 8 December in Japan, still 7 December in UTC
  const CALL_AT = '2026-12-07T15:30:00.000Z';
  const childOnly: Facility = {
    ...emptyFacility('f-child', NOW),
    name: 'こども短期入所',
    area: '北部',
    phone: '047-444-4444',
    acceptance: { ...emptyAcceptance(), intellectual: { adult: false, child: true, note: '' } },
  };
  const bothAges: Facility = {
    ...emptyFacility('f-both', NOW),
    name: 'あおば荘',
    area: '北部',
    phone: '047-111-1111',
    acceptance: { ...emptyAcceptance(), intellectual: { adult: true, child: true, note: '' } },
  };
  const bornOn = (birthDate: string) =>
    createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate, disabilityTypes: ['intellectual'] })] });
  const mountAt = (birthDate: string) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(CALL_AT));
    mount('#/match/hh-1/p-1', [bornOn(birthDate)], [childOnly, bothAges]);
  };

  it.each([
    ['in 3 days', '2008-12-11', '12月11日'],
    // 7 days after 8 December in Japan (8 after the UTC day): the day of the call is Japan's
    ['in 7 days', '2008-12-15', '12月15日'],
  ])('says the birthday on the person line when it comes %s, and on the card of the facility that takes only 児', (_when, birthDate, on) => {
    mountAt(birthDate);
    expect(screen.getByText(`佐藤 陽太（17歳・児、${on}から18歳・者）`)).toBeInTheDocument();
    const fits = screen.getByRole('region', { name: /受入可能な事業所/ });
    // still a fit tonight, with the day it stops being one among its conditions
    const child = within(fits).getByRole('article', { name: 'こども短期入所' });
    expect(within(child).getByText(`${on}（18歳）から受入不可`)).toBeInTheDocument();
    expect(within(within(fits).getByRole('article', { name: 'あおば荘' })).queryByText(/から受入不可/)).not.toBeInTheDocument();
  });

  it('says nothing of a birthday 30 days on', () => {
    mountAt('2009-01-07');
    expect(screen.getByText('佐藤 陽太（17歳・児）')).toBeInTheDocument();
    expect(screen.queryByText(/から18歳・者|から受入不可/)).not.toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: /受入可能な事業所/ })).getAllByRole('article')).toHaveLength(2);
  });

  it('says nothing of it to an 18-year-old: 18 on the day of the call in Japan, the 児-only facility is a near miss', () => {
    mountAt('2008-12-08');
    expect(screen.getByText('佐藤 陽太（18歳・者）')).toBeInTheDocument();
    expect(screen.queryByText(/から18歳・者|から受入不可/)).not.toBeInTheDocument();
    const near = screen.getByRole('heading', { name: '条件が合わない事業所（参考）' }).closest('section')!;
    expect(within(within(near).getByRole('article', { name: 'こども短期入所' })).getByText('知的（者）: 受入不可')).toBeInTheDocument();
  });
});

describe('calls made from the match, with a case open', () => {
  async function openCase(requestedAt = new Date()): Promise<string> {
    const session = createFakeSession();
    useApp.setState({ session });
    const now = requestedAt.toISOString();
    const kase = await useApp.getState().appendCaseEntry(null, {
      type: 'open',
      officeId: 'office-1',
      subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' },
      requestedAt: now,
      requestedAtReason: Date.now() - requestedAt.getTime() > 60_000 ? '通話を優先し、後で記録した' : '',
      category: '介護者の入院',
      detail: '',
      caller: '',
      callerPhone: '',
    });
    return kase.id;
  }

  async function append(caseId: string, body: Parameters<ReturnType<typeof useApp.getState>['appendCaseEntry']>[1]) {
    await useApp.getState().appendCaseEntry(caseId, body);
  }
  const kaseOf = (caseId: string) => foldCase(useApp.getState().caseEntries.get(caseId)!);
  /** the phone's dialer is not there in a test; the app's own click handler is what records */
  const dial = async (user: ReturnType<typeof userEvent.setup>, link: HTMLElement) => {
    link.addEventListener('click', (e) => e.preventDefault());
    await user.click(link);
  };

  /** a busy 2-core machine: the appends go through hashing and the fake vault */
  const SLOW = { timeout: 10_000 };
  const called = () => screen.queryByRole('heading', { name: /^電話済み/ })?.closest('section') ?? null;

  /** あおば荘 called from its card and answered 受入可: its card in 電話済み, once the result is written. */
  async function acceptedAtAoba(user: ReturnType<typeof userEvent.setup>) {
    const link = within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link')[0]!;
    link.addEventListener('click', (e) => e.preventDefault());
    await user.click(link);
    await user.click(within(await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW)).getByRole('button', { name: '受入可' }));
    // the result is written when its buttons go (the card was in 電話済み already, waiting for it)
    await waitFor(() => expect(screen.queryByRole('group', { name: 'あおば荘 の結果' })).toBeNull(), SLOW);
    return within(called()!).getByRole('article', { name: 'あおば荘' });
  }

  it("counts a facility the person was admitted to in an earlier emergency as 以前に利用", async () => {
    const before = new Date(Date.now() - 40 * 24 * 3600_000);
    const earlier = await openCase(before);
    const at = new Date(before.getTime() + 10 * 60_000).toISOString();
    await append(earlier, { type: 'contact', facilityId: 'f-a', facilityName: 'あおば荘', facilityOfficeNumber: '', shortStay: true, contactedAt: at, method: '電話', result: '受入可', note: '' });
    await append(earlier, { type: 'outcome', outcome: '短期入所', facilityId: 'f-a', facilityName: 'あおば荘', from: at, note: '' });
    await append(earlier, { type: 'close', closedAt: at });
    const tonight = await openCase();
    mount(`#/match/hh-1/p-1?case=${tonight}`, [household], facilities);
    const aoba = await screen.findByRole('article', { name: 'あおば荘' });
    expect(within(aoba).getByText('以前に利用')).toBeInTheDocument();
  });

  it("says on a facility's card what it answered tonight in another emergency case, and nothing for a call of yesterday night", async () => {
    const other = await openCase(new Date(Date.now() - 60 * 60_000));
    await append(other, { type: 'contact', facilityId: 'f-c', facilityName: 'ひだまり', facilityOfficeNumber: '', shortStay: true, contactedAt: hoursAgo(0.5), method: '電話', result: '受入不可', note: '' });
    const yesterday = await openCase(new Date(Date.now() - 26 * 3600_000));
    await append(yesterday, { type: 'contact', facilityId: 'f-a', facilityName: 'あおば荘', facilityOfficeNumber: '', shortStay: true, contactedAt: hoursAgo(25), method: '電話', result: '受入不可', note: '' });
    const tonight = await openCase();
    mount(`#/match/hh-1/p-1?case=${tonight}`, [household], facilities);
    const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
    expect(within(hidamari).getByText(/^別の緊急対応で .* に電話済み（受入不可）$/)).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'あおば荘' })).queryByText(/別の緊急対応/)).toBeNull();
    // still listed to be called in this case: the answer may have changed
    expect(called()).toBeNull();
  });

  describe('a bed another emergency case took since the report', () => {
    /** ひだまり reported `beds` 3 hours ago (or at `reportAgo`); あおば荘 1 bed 5 hours ago: ひだまり first while its beds hold. */
    const reported = (beds: number, reportAgo = 3) =>
      facilities.map((f) =>
        f.id === 'f-c' ? { ...f, vacancy: { beds, asOf: hoursAgo(reportAgo), reportedBy: '田中' } } : f.id === 'f-a' ? { ...f, vacancy: { beds: 1, asOf: hoursAgo(5), reportedBy: '当直' } } : f,
      );
    /** Another coordinator's case: ひだまり said 受入可 30 minutes ago and the person was admitted there 24 minutes ago. */
    async function admittedAtHidamari({ close = true } = {}): Promise<string> {
      const other = await openCase(new Date(Date.now() - 60 * 60_000));
      await append(other, { type: 'contact', facilityId: 'f-c', facilityName: 'ひだまり', facilityOfficeNumber: '', shortStay: true, contactedAt: hoursAgo(0.5), method: '電話', result: '受入可', note: '' });
      await append(other, { type: 'outcome', outcome: '短期入所', facilityId: 'f-c', facilityName: 'ひだまり', from: hoursAgo(0.4), note: '' });
      if (close) await append(other, { type: 'close', closedAt: hoursAgo(0.3) });
      return other;
    }
    const fitNames = () =>
      within(screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!)
        .getAllByRole('article')
        .map((c) => c.getAttribute('aria-label'));

    it('moves the facility whose one reported bed was taken below a fresh report, without its fresh look, and says so beside the 受入可 of that call (the disaster night)', async () => {
      await admittedAtHidamari();
      const tonight = await openCase();
      mount(`#/match/hh-1/p-1?case=${tonight}`, [household], reported(1));
      const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
      expect(fitNames()).toEqual(['あおば荘', 'ひだまり']);
      expect(within(hidamari).getByText('空き 1床・埋まった可能性あり（3時間前の報告）')).not.toHaveClass('match-card__vacancy--fresh');
      expect(within(hidamari).getByText(/^別の緊急対応で .* に電話済み（受入可）$/)).toBeInTheDocument();
      expect(within(hidamari).getByText(/^別の緊急対応で .* に入所あり（空きの報告 .* より後）$/)).toHaveClass('match-card__elsewhere--admitted');
    });

    it('still tells of the admission when a later call there in a third case got 不在', async () => {
      await admittedAtHidamari();
      const third = await openCase(new Date(Date.now() - 20 * 60_000));
      await append(third, { type: 'contact', facilityId: 'f-c', facilityName: 'ひだまり', facilityOfficeNumber: '', shortStay: true, contactedAt: hoursAgo(0.2), method: '電話', result: '不在', note: '' });
      const tonight = await openCase();
      mount(`#/match/hh-1/p-1?case=${tonight}`, [household], reported(1));
      const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
      expect(within(hidamari).getByText(/^別の緊急対応で .* に電話済み（不在）$/)).toBeInTheDocument();
      expect(within(hidamari).getByText(/^別の緊急対応で .* に入所あり（空きの報告 .* より後）$/)).toBeInTheDocument();
      expect(fitNames()).toEqual(['あおば荘', 'ひだまり']);
    });

    it('keeps a report of 2 beds first with one taken, showing the bed left', async () => {
      await admittedAtHidamari();
      const tonight = await openCase();
      mount(`#/match/hh-1/p-1?case=${tonight}`, [household], reported(2));
      const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
      expect(fitNames()).toEqual(['ひだまり', 'あおば荘']);
      expect(within(hidamari).getByText('空き 2床のうち残り 1床（3時間前の報告）')).toHaveClass('match-card__vacancy--fresh');
    });

    it('takes no bed for an admission made before the report (the liaison counted it), and says it without the ⚠', async () => {
      await admittedAtHidamari();
      const tonight = await openCase();
      mount(`#/match/hh-1/p-1?case=${tonight}`, [household], reported(1, 0.1));
      const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
      expect(fitNames()).toEqual(['ひだまり', 'あおば荘']);
      expect(within(hidamari).getByText('空き 1床（6分前の報告）')).toHaveClass('match-card__vacancy--fresh');
      expect(within(hidamari).getByText(/^別の緊急対応で .* に入所あり（空きの報告 .* より前）$/)).not.toHaveClass('match-card__elsewhere--admitted');
    });

    it('takes no bed for an admission withdrawn (取消): of 2 beds, one admission standing and one withdrawn leave 1', async () => {
      const withdrawn = await admittedAtHidamari({ close: false });
      const outcome = useApp.getState().caseEntries.get(withdrawn)!.find((e) => e.body.type === 'outcome')!;
      await append(withdrawn, { type: 'correction', corrects: outcome.id, reason: '受入先から今夜は預かれないと電話があった', replacement: null });
      await admittedAtHidamari();
      const tonight = await openCase();
      mount(`#/match/hh-1/p-1?case=${tonight}`, [household], reported(2));
      const hidamari = await screen.findByRole('article', { name: 'ひだまり' });
      expect(fitNames()).toEqual(['ひだまり', 'あおば荘']);
      expect(within(hidamari).getByText('空き 2床のうち残り 1床（3時間前の報告）')).toHaveClass('match-card__vacancy--fresh');
      // one admission told of, not two
      expect(within(hidamari).getByText(/^別の緊急対応で .* に入所あり（空きの報告 .* より後）$/)).toBeInTheDocument();
    });
  });

  it('once every fitting facility was called, says so, and at the foot of the page how to end the case when none accepts', async () => {
    const caseId = await openCase();
    const at = new Date().toISOString();
    for (const [id, name] of [['f-a', 'あおば荘'], ['f-c', 'ひだまり']] as const) {
      await append(caseId, { type: 'contact', facilityId: id, facilityName: name, facilityOfficeNumber: '', shortStay: true, contactedAt: at, method: '電話', result: '受入不可', note: '' });
    }
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    expect(await screen.findByText(T.allCalled)).toBeInTheDocument();
    const hint = screen.getByText(T.noneFoundHint);
    // below the near misses, whose numbers stay where they were
    const nearMisses = screen.getByRole('heading', { name: T.nearMissTitle });
    expect(nearMisses.compareDocumentPosition(hint) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('records a double tap on a number as one call', async () => {
    const caseId = await openCase();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const link = within(screen.getByRole('article', { name: 'ひだまり' })).getByRole('link', { name: /^電話 047-333-3333（/ });
    link.addEventListener('click', (e) => e.preventDefault());
    fireEvent.click(link);
    fireEvent.click(link);
    await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW);
    // a call typed in after them is written after both taps' entries (one queue per case)
    await act(() => append(caseId, { type: 'contact', facilityId: 'f-a', facilityName: 'あおば荘', facilityOfficeNumber: '', shortStay: true, contactedAt: new Date().toISOString(), method: '電話', result: '不在', note: '' }));
    expect(kaseOf(caseId).contacts.map((c) => c.body.facilityId)).toEqual(['f-c', 'f-a']);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('asks for the result on the card just dialled, moves it to 電話済み with its time, and corrects it with a new entry', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const hidamari = screen.getByRole('article', { name: 'ひだまり' });
    // the phone's dialer is not there in a test; the app's own click handler is what records
    within(hidamari).getByRole('link', { name: /^電話 047-333-3333（/ }).addEventListener('click', (e) => e.preventDefault());
    const scrolled: Element[] = [];
    Object.defineProperty(Element.prototype, 'scrollIntoView', { value: function (this: Element) { scrolled.push(this); }, configurable: true });
    let results: HTMLElement;
    try {
      await user.click(within(hidamari).getByRole('link', { name: /^電話 047-333-3333（/ }));
      // the card moves to 電話済み once the call is recorded: look for it there, not in the card tapped
      results = await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW);
      // and is brought into view: back from the dialer, its result buttons are on the screen
      expect(scrolled.some((el) => el.contains(results))).toBe(true);
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
    const buttons = within(results).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(['受入可', '受入不可', '折り返し待ち', '不在']);
    // 受入可 ends the search: it looks like the others, not the filled accent button
    expect(new Set(buttons.map((b) => b.className)).size).toBe(1);
    expect(within(results).getByRole('button', { name: '受入可' })).not.toHaveClass('btn--primary');

    await user.click(within(results).getByRole('button', { name: '受入不可' }));
    // the buttons go with the written result; a screen reader is told what was written
    await waitFor(() => expect(screen.getByText('ひだまり：受入不可を記録しました')).toHaveAttribute('role', 'status'), SLOW);
    // the result is written when its buttons go (the card was in 電話済み already, waiting for it)
    await waitFor(() => expect(screen.queryByRole('group', { name: 'ひだまり の結果' })).toBeNull(), SLOW);
    const row = within(called()!).getByRole('article', { name: 'ひだまり' });
    expect(row).toHaveTextContent(/受入不可・\d{2}:\d{2}/);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).queryByRole('article', { name: 'ひだまり' })).not.toBeInTheDocument();

    // folded to one line: 「電話・訂正」 unfolds it
    expect(within(row).queryByRole('button', { name: '結果を訂正' })).not.toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: '電話・訂正' }));
    await user.click(within(row).getByRole('button', { name: '結果を訂正' }));
    // a correction with its reason, as on the case screen: the result it has now is not offered
    const choices = within(row).getByRole('group', { name: 'ひだまり の正しい結果' });
    expect(within(choices).getAllByRole('button').map((b) => b.textContent)).toEqual(['受入可', '折り返し待ち', '不在']);
    await user.click(within(choices).getByRole('button', { name: '折り返し待ち' }));
    expect(within(row).getByLabelText(/訂正の理由/)).toHaveAccessibleDescription('訂正の理由を入力してください。');
    expect(useApp.getState().caseEntries.get(caseId)!.map((e) => e.body.type)).toEqual(['open', 'contact', 'result']);
    await user.type(within(row).getByLabelText(/訂正の理由/), '押し間違い。担当者の折り返し待ち');
    await user.click(within(choices).getByRole('button', { name: '折り返し待ち' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'ひだまり' })).toHaveTextContent(/折り返し待ち・/), SLOW);
    const entries = useApp.getState().caseEntries.get(caseId)!;
    expect(entries.map((e) => e.body.type)).toEqual(['open', 'contact', 'result', 'correction']);
    expect(entries[3]!.body).toMatchObject({ corrects: entries[1]!.id, reason: '押し間違い。担当者の折り返し待ち', replacement: { type: 'contact', result: '折り返し待ち' } });
  });

  it('keeps a correction\'s reason typed on the card when the screen goes (a lock), and brings it back on the same call', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    const { unmount } = mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'ひだまり' })).getByRole('link', { name: /^電話 047-333-3333（/ }));
    await user.click(within(await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW)).getByRole('button', { name: '受入不可' }));
    // the result is written when its buttons go (the card was in 電話済み already, waiting for it)
    await waitFor(() => expect(screen.queryByRole('group', { name: 'ひだまり の結果' })).toBeNull(), SLOW);
    const openCorrection = async () => {
      const row = within(called()!).getByRole('article', { name: 'ひだまり' });
      await user.click(within(row).getByRole('button', { name: '電話・訂正' }));
      await user.click(within(row).getByRole('button', { name: '結果を訂正' }));
      return row;
    };
    let row = await openCorrection();
    await user.type(within(row).getByLabelText(/訂正の理由/), '押し間違い。担当者は不在');
    // the app unmounts the screen while locked; the draft is written as it goes
    unmount();
    await waitFor(async () => expect(await useApp.getState().session!.listDraftKeys()).toHaveLength(1));

    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    row = await openCorrection();
    await waitFor(() => expect(within(row).getByLabelText(/訂正の理由/)).toHaveValue('押し間違い。担当者は不在'));
    expect(within(row).getByText('保存していない入力を復元しました')).toBeInTheDocument();
    await user.click(within(within(row).getByRole('group', { name: 'ひだまり の正しい結果' })).getByRole('button', { name: '不在' }));
    await waitFor(() => expect(useApp.getState().caseEntries.get(caseId)!.at(-1)!.body).toMatchObject({ type: 'correction', reason: '押し間違い。担当者は不在' }), SLOW);
    await waitFor(async () => expect(await useApp.getState().session!.listDraftKeys()).toEqual([]));
  });

  it('asks before 結果を訂正\'s やめる throws a typed reason away; 入力を続ける keeps it, 破棄する drops it and its draft, an untouched one closes at once', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'ひだまり' })).getByRole('link', { name: /^電話 047-333-3333（/ }));
    await user.click(within(await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW)).getByRole('button', { name: '受入不可' }));
    await waitFor(() => expect(screen.queryByRole('group', { name: 'ひだまり の結果' })).toBeNull(), SLOW);
    const row = () => within(called()!).getByRole('article', { name: 'ひだまり' });
    const openCorrection = async () => {
      // unfolded once, the card stays so after the correction closes
      const unfold = within(row()).queryByRole('button', { name: '電話・訂正' });
      if (unfold) await user.click(unfold);
      await user.click(within(row()).getByRole('button', { name: '結果を訂正' }));
    };
    const drafts = () => useApp.getState().session!.listDraftKeys();
    const entries = () => useApp.getState().caseEntries.get(caseId)!.length;
    const before = entries();

    await openCorrection();
    await user.type(within(row()).getByLabelText(/訂正の理由/), '押し間違い');
    await waitFor(async () => expect(await drafts()).toHaveLength(1));
    await user.click(within(row()).getByRole('button', { name: 'やめる' }));
    const ask = screen.getByRole('dialog', { name: '入力内容を破棄しますか' });
    expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual(['入力を続ける', '破棄する']);
    await user.click(within(ask).getByRole('button', { name: '入力を続ける' }));
    expect(screen.queryByRole('dialog', { name: '入力内容を破棄しますか' })).toBeNull();
    expect(within(row()).getByLabelText(/訂正の理由/)).toHaveValue('押し間違い');
    expect(await drafts()).toHaveLength(1);

    await user.click(within(row()).getByRole('button', { name: 'やめる' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(within(row()).queryByLabelText(/訂正の理由/)).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await drafts()).toEqual([]);
    expect(entries()).toBe(before);

    // nothing typed: やめる closes it at once
    await openCorrection();
    await user.click(within(row()).getByRole('button', { name: 'やめる' }));
    await waitFor(() => expect(within(row()).queryByLabelText(/訂正の理由/)).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('offers the person\'s open case when opened without one, instead of 緊急対応を開始', async () => {
    const caseId = await openCase(new Date(Date.now() - 10 * 60_000));
    await append(caseId, { type: 'contact', facilityId: 'f-c', facilityName: 'ひだまり', facilityOfficeNumber: '', shortStay: true, contactedAt: hoursAgo(0.1), method: '電話', result: '受入不可', note: '' });
    mount('#/match/hh-1/p-1', [household], facilities);
    // the person's own case is not 「別の緊急対応」
    expect(within(screen.getByRole('article', { name: 'ひだまり' })).queryByText(/別の緊急対応/)).toBeNull();
    const notice = screen.getByText(/この画面からの電話は記録されません。この人には対応中の緊急対応（要請 .+）があります。/).closest('.notice')!;
    expect(within(notice as HTMLElement).getByRole('link', { name: '対応中の記録で電話する' })).toHaveAttribute('href', `#/match/hh-1/p-1?case=${caseId}`);
    expect(screen.queryByRole('link', { name: '緊急対応を開始' })).not.toBeInTheDocument();
  });

  it('shows the case\'s request time and no not-recorded notice when opened for a case', async () => {
    const caseId = await openCase();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    expect(screen.getByText(/^要請 \d+\/\d+ \d{2}:\d{2}$/)).toBeInTheDocument();
    expect(screen.getByText('記録中：電話すると時刻を記録します')).toBeInTheDocument();
    expect(screen.queryByText(/この画面からの電話は記録されません/)).not.toBeInTheDocument();
  });

  it('reads 者/児 on the request time as corrected: 要請 put back from 00:05 to 23:50 on the eve of the 18th birthday is 児', async () => {
    const turning = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2008-12-01', disabilityTypes: ['intellectual'] })] });
    const caseId = await openCase(new Date('2026-11-30T15:05:00.000Z')); // 12/1 00:05 in Japan: 18
    mount(`#/match/hh-1/p-1?case=${caseId}`, [turning], facilities);
    expect(screen.getByText(/佐藤 陽太（18歳・者）/)).toBeInTheDocument();
    const open = kaseOf(caseId).open;
    await act(() =>
      append(caseId, {
        type: 'correction',
        corrects: open.entryId,
        reason: '叔母からの電話は日付が変わる前だったため',
        replacement: { ...open.body, requestedAt: '2026-11-30T14:50:00.000Z' },
      }),
    );
    // 17 until the next day: the birthday is said with the 児 the match is made for
    expect(await screen.findByText('佐藤 陽太（17歳・児、12月1日から18歳・者）')).toBeInTheDocument();
    expect(screen.getByText('要請 11/30 23:50')).toBeInTheDocument();
  });

  it('reads bed reports against the clock, not the request time: a report made after the call is fresh and first; 満床 just said is not 古い情報', async () => {
    // the call came in three hours ago; あおば荘 reported a bed 30 minutes ago, いずみ園 (near miss) 満床 10 minutes ago
    const caseId = await openCase(new Date(Date.now() - 3 * 3600_000));
    const later = facilities.map((f) =>
      f.id === 'f-a'
        ? { ...f, vacancy: { beds: 1, asOf: hoursAgo(0.5), reportedBy: '当直' } }
        : f.id === 'f-b'
          ? { ...f, vacancy: { beds: 0, asOf: hoursAgo(1 / 6), reportedBy: '当直' } }
          : f,
    );
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], later);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['あおば荘', 'ひだまり']);
    expect(within(screen.getByRole('article', { name: 'あおば荘' })).getByText('空き 1床（30分前の報告）')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'いずみ園' })).getByText('満床（10分前の報告）')).toBeInTheDocument();
  });

  it('offers 入所を記録 on a 受入可 and closes the case in the same step', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    // ひだまり said it would call back: it may hold a bed, and is to be told
    await append(caseId, { type: 'contact', facilityId: 'f-c', facilityName: 'ひだまり', facilityOfficeNumber: '', shortStay: true, contactedAt: new Date().toISOString(), method: '電話', result: '折り返し待ち', note: '' });
    const row = await acceptedAtAoba(user);
    await user.click(within(row).getByRole('button', { name: '入所を記録' }));
    expect(within(row).getByText('折り返し待ちの事業所があります（ひだまり）。入所先が決まったことを伝えてください。')).toBeInTheDocument();
    await user.click(within(row).getByRole('button', { name: '入所を記録して対応を終了' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/cases/${caseId}`), SLOW);
    const bodies = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body);
    expect(bodies.map((b) => b.type)).toEqual(['open', 'contact', 'contact', 'result', 'outcome', 'close']);
    expect(bodies[4]).toMatchObject({ outcome: '短期入所', facilityId: 'f-a', facilityName: 'あおば荘' });
  });

  it('keeps the focus where the coordinator is (a screen reader, a keyboard): on the call just dialled, then 入所を記録, its panel, and back on やめる', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    // the number tapped leaves with the card's move to 電話済み: the focus goes to the line that says what to do
    await dial(user, within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link')[0]!);
    await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW);
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/電話を記録しました。結果を選んでください/), SLOW);
    // the result's buttons go: the next step takes the focus, not the top of the page
    await user.click(within(screen.getByRole('group', { name: 'あおば荘 の結果' })).getByRole('button', { name: '受入可' }));
    const card = within(called()!).getByRole('article', { name: 'あおば荘' });
    await waitFor(() => expect(document.activeElement).toBe(within(card).getByRole('button', { name: '入所を記録' })), SLOW);
    await user.keyboard('{Enter}');
    const panel = within(card).getByRole('group', { name: '入所を記録' });
    await waitFor(() => expect(panel).toContainElement(document.activeElement as HTMLElement), SLOW);
    expect(document.activeElement).toHaveTextContent(/あおば荘 に入所/);
    await user.click(within(card).getByRole('button', { name: 'やめる' }));
    await waitFor(() => expect(document.activeElement).toBe(within(card).getByRole('button', { name: '入所を記録' })), SLOW);
  });

  it('keeps the focus on the card after a 不在, and on the call back\'s line after 「折り返しがあった」', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'ひだまり' })).getAllByRole('link')[0]!);
    await user.click(within(await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW)).getByRole('button', { name: '不在' }));
    const card = within(called()!).getByRole('article', { name: 'ひだまり' });
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/^ひだまり$/), SLOW);
    expect(card).toContainElement(document.activeElement as HTMLElement);
    await user.click(within(card).getByRole('button', { name: '電話・訂正' }));
    await user.click(within(card).getByRole('button', { name: '折り返しがあった' }));
    await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW);
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/電話を記録しました。結果を選んでください/), SLOW);
  });

  it('records the admission at the time the coordinator sets, not the tap, when 「日時を変える」 is used; an empty time is asked for', async () => {
    // the call came two hours ago
    const caseId = await openCase(new Date(Date.now() - 2 * 3_600_000));
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const row = await acceptedAtAoba(user);
    await user.click(within(row).getByRole('button', { name: '入所を記録' }));
    await user.click(within(row).getByRole('button', { name: '日時を変える' }));
    const when = within(row).getByLabelText(/あおば荘 に入所した日時/);
    await user.clear(when);
    await user.click(within(row).getByRole('button', { name: '入所だけ記録' }));
    expect(await within(row).findByText('入所の日時を入力してください。')).toBeInTheDocument();
    // recorded once things have calmed down: he arrived 40 minutes before the tap
    const later = toJapanInputValue(new Date(Date.now() - 40 * 60_000));
    fireEvent.change(when, { target: { value: later } });
    await user.click(within(row).getByRole('button', { name: '入所だけ記録' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/cases/${caseId}`), SLOW);
    const outcome = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body).find((b) => b.type === 'outcome');
    expect(outcome).toMatchObject({ outcome: '短期入所', facilityName: 'あおば荘', from: fromJapanInputValue(later) });
  });

  it('records the admission at the minute its line shows: read at 23:58 on 30 November, the page in the background, shown again and tapped at 00:12 says and saves 1 December', async () => {
    const year = new Date().getFullYear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${year}-11-30T14:50:00.000Z`)); // 23:50, Japan time
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    const row = await acceptedAtAoba(user);
    vi.setSystemTime(new Date(`${year}-11-30T14:58:00.000Z`)); // 23:58
    await user.click(within(row).getByRole('button', { name: '入所を記録' }));
    const panel = within(row).getByRole('group', { name: '入所を記録' });
    expect(panel).toHaveTextContent(`あおば荘 に入所（${year}年11月30日 23:58）`);

    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    try {
      // a call comes in: the page goes to the background until 00:12
      visibility.mockReturnValue('hidden');
      act(() => void document.dispatchEvent(new Event('visibilitychange')));
      vi.setSystemTime(new Date(`${year}-11-30T15:12:00.000Z`));
      visibility.mockReturnValue('visible');
      act(() => void document.dispatchEvent(new Event('visibilitychange')));
    } finally {
      visibility.mockRestore();
    }
    expect(panel).toHaveTextContent(`あおば荘 に入所（${year}年12月1日 00:12）`);
    await user.click(within(panel).getByRole('button', { name: '入所を記録して対応を終了' }));
    await waitFor(() => expect(window.location.hash).toBe(`#/cases/${caseId}`), SLOW);
    expect(kaseOf(caseId).outcome?.body).toMatchObject({ outcome: '短期入所', facilityName: 'あおば荘', from: `${year}-11-30T15:12:00.000Z` });
  });

  it('shows a facility called twice once, in 電話済み, with each call; its number there records a new call, the first keeps its result', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'ひだまり' })).getByRole('link', { name: /^電話 047-333-3333（/ }));
    await user.click(within(await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW)).getByRole('button', { name: '不在' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'ひだまり' })).toHaveTextContent(/不在・/), SLOW);

    // the 電話済み card has the number again: a tap records a second call, with its own time
    const card = within(called()!).getByRole('article', { name: 'ひだまり' });
    await user.click(within(card).getByRole('button', { name: '電話・訂正' }));
    expect(within(card).getByRole('button', { name: '閉じる' })).toHaveAttribute('aria-expanded', 'true');
    await dial(user, within(card).getByRole('link', { name: /^電話 047-333-3333（/ }));
    await user.click(within(await screen.findByRole('group', { name: 'ひだまり の結果' }, SLOW)).getByRole('button', { name: '受入不可' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'ひだまり' })).toHaveTextContent(/受入不可・/), SLOW);

    expect(screen.getAllByRole('article', { name: 'ひだまり' })).toHaveLength(1);
    expect(screen.getByRole('heading', { name: '電話済み（1件）' })).toBeInTheDocument();
    // folded again after the new call: one line with both calls
    const folded = within(called()!).getByRole('article', { name: 'ひだまり' });
    expect(folded).toHaveTextContent(/ひだまり不在・\d{2}:\d{2}受入不可・\d{2}:\d{2}電話・訂正/);
    await user.click(within(folded).getByRole('button', { name: '電話・訂正' }));
    const lines = within(screen.getByRole('list', { name: 'ひだまり への電話' })).getAllByRole('listitem');
    expect(lines.map((l) => l.textContent)).toEqual([expect.stringMatching(/^不在・\d{2}:\d{2}/), expect.stringMatching(/^受入不可・\d{2}:\d{2}/)]);

    const bodies = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body);
    expect(bodies.map((b) => b.type)).toEqual(['open', 'contact', 'result', 'contact', 'result']);
    const kase = kaseOf(caseId);
    expect(kase.contacts.map((c) => [c.body.facilityId, c.body.result])).toEqual([
      ['f-c', '不在'],
      ['f-c', '受入不可'],
    ]);
    expect(kase.contacts[1]!.entryId).not.toBe(kase.contacts[0]!.entryId);
  });

  it('takes a call recorded on the other record of an office registered twice as a call to its card: listed once, in 電話済み', async () => {
    const caseId = await openCase();
    const reported = { ...facilities[2]!, officeNumber: '1210100009' };
    const twin = facility('f-c2', { name: 'ひだまり短期', area: '南部', officeNumber: '1210100009', phone: '047-333-9999' }, { medicalCareChild: true });
    // the colleague's phone showed the other record, and its call synced here
    await append(caseId, { type: 'contact', facilityId: 'f-c2', facilityName: 'ひだまり短期', facilityOfficeNumber: '1210100009', shortStay: true, contactedAt: new Date().toISOString(), method: '電話', result: '受入不可', note: '' });
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], [twin, facilities[0]!, reported]);
    expect(within(called()!).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['ひだまり短期']);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    expect(within(fits).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(['あおば荘']);
  });

  it('records 「折り返しがあった」 as a new contact at its own time: a 23:50 不在 called back at 00:20 with 受入可 is claimed in December', async () => {
    const year = new Date().getFullYear();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(`${year}-11-30T14:50:00.000Z`)); // 23:50 on 30 November, Japan time
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link')[0]!);
    await user.click(within(await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW)).getByRole('button', { name: '不在' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/不在・23:50/), SLOW);

    vi.setSystemTime(new Date(`${year}-11-30T15:20:00.000Z`)); // 00:20 on 1 December: あおば荘 calls back
    const aoba = within(called()!).getByRole('article', { name: 'あおば荘' });
    await user.click(within(aoba).getByRole('button', { name: '電話・訂正' }));
    await user.click(within(aoba).getByRole('button', { name: '折り返しがあった' }));
    await user.click(within(await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW)).getByRole('button', { name: '受入可' }));
    await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/受入可・00:20/), SLOW);

    const card = within(called()!).getByRole('article', { name: 'あおば荘' });
    expect(card).toHaveTextContent(/不在・23:50/);
    expect(within(card).getByRole('button', { name: '入所を記録' })).toBeInTheDocument();
    await user.click(within(card).getByRole('button', { name: '電話・訂正' }));
    const lines = within(within(card).getByRole('list', { name: 'あおば荘 への電話' })).getAllByRole('listitem');
    expect(lines.map((l) => l.textContent)).toEqual([expect.stringMatching(/^不在・23:50/), expect.stringMatching(/^受入可・00:20事業所からの折り返し/)]);

    const bodies = useApp.getState().caseEntries.get(caseId)!.map((e) => e.body);
    expect(bodies.map((b) => b.type)).toEqual(['open', 'contact', 'result', 'contact', 'result']);
    expect(bodies[3]).toMatchObject({
      type: 'contact',
      facilityId: 'f-a',
      facilityName: 'あおば荘',
      method: '電話',
      contactedAt: `${year}-11-30T15:20:00.000Z`,
      result: null,
      note: '事業所からの折り返し',
    });
    const kase = kaseOf(caseId);
    expect(kase.contacts.map((c) => c.body.result)).toEqual(['不在', '受入可']);
    expect(claimMonthOf(kase)).toEqual({ month: `${year}-12`, coordinatedAt: `${year}-11-30T15:20:00.000Z` });
  });

  describe('a 受入可 or 受入不可 chosen over ten minutes after the call asks when it was heard: the time the facility was reached decides the claim month', () => {
    const year = new Date().getFullYear();
    const at2350 = `${year}-11-30T14:50:00.000Z`; // 23:50 on 30 November, Japan time
    const at0030 = `${year}-11-30T15:30:00.000Z`; // 00:30 on 1 December: あおば荘 calls back

    /** あおば荘 dialled at 23:50 (answered `result` there and then, or left waiting), the clock then at 00:30 */
    async function calledAt2350(result: '不在' | null) {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date(at2350));
      const caseId = await openCase();
      const user = userEvent.setup();
      const view = mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
      await dial(user, within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link')[0]!);
      const results = await screen.findByRole('group', { name: 'あおば荘 の結果' }, SLOW);
      if (result !== null) {
        await user.click(within(results).getByRole('button', { name: result }));
        await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/不在・23:50/), SLOW);
      }
      vi.setSystemTime(new Date(at0030));
      return { caseId, user, view };
    }
    const types = (caseId: string) => useApp.getState().caseEntries.get(caseId)!.map((e) => e.body.type);
    /** 受入可 at 00:30 on the 23:50 call, 「いま」: the call back written, the 23:50 call's 折り返し待ち refused */
    async function halfWritten(caseId: string, user: ReturnType<typeof userEvent.setup>) {
      failTheNextResult();
      await user.click(within(screen.getByRole('group', { name: 'あおば荘 の結果' })).getByRole('button', { name: '受入可' }));
      await user.click(within(screen.getByRole('group', { name: '「受入可」と聞いたのはいつですか？' })).getByRole('button', { name: 'いま（折り返しの電話・00:30）' }));
      await waitFor(() => expect(screen.getByText('折り返しの記録は保存しました。最初の電話の結果（折り返し待ち）をもう一度記録してください')).toBeVisible(), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'contact']);
    }

    it('records 「いま」 (the first, filled choice) as the call back at 00:30 with the 受入可, claimed in December; the 23:50 call, never answered, is 折り返し待ち', async () => {
      const { caseId, user } = await calledAt2350(null);
      await user.click(within(screen.getByRole('group', { name: 'あおば荘 の結果' })).getByRole('button', { name: '受入可' }));
      const ask = screen.getByRole('group', { name: '「受入可」と聞いたのはいつですか？' });
      const [now, then] = within(ask).getAllByRole('button');
      expect([now!.textContent, then!.textContent]).toEqual(['いま（折り返しの電話・00:30）', '電話をかけたとき（23:50）']);
      expect(now).toHaveClass('btn--primary');
      expect(within(ask).getByText('「いま」を選ぶと、23:50の電話は「折り返し待ち」、いまの折り返しが「受入可」と記録されます。')).toBeVisible();
      // the question takes the focus of the button gone; nothing is written until it is answered
      await waitFor(() => expect(document.activeElement).toHaveTextContent('「受入可」と聞いたのはいつですか？'), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact']);

      await user.click(now!);
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/折り返し待ち・23:50受入可・00:30/), SLOW);
      expect(within(called()!).getByRole('button', { name: '入所を記録' })).toBeInTheDocument();
      expect(types(caseId)).toEqual(['open', 'contact', 'contact', 'result']);
      const kase = kaseOf(caseId);
      expect(kase.contacts.map((c) => [c.body.contactedAt, c.body.result, c.body.note])).toEqual([
        [at2350, '折り返し待ち', '結果は折り返しの電話で記録'],
        [at0030, '受入可', '事業所からの折り返し'],
      ]);
      expect(claimMonthOf(kase)).toEqual({ month: `${year}-12`, coordinatedAt: at0030 });
    });

    /** 「記録を続ける」: only the 23:50 call's missing 折り返し待ち is written, and the claim is December's */
    async function continueHalfWritten(caseId: string, user: ReturnType<typeof userEvent.setup>, ask: HTMLElement) {
      await user.click(within(ask).getByRole('button', { name: '記録を続ける' }));
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/折り返し待ち・23:50受入可・00:30/), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'contact', 'result']);
      const kase = kaseOf(caseId);
      expect(kase.contacts.map((c) => [c.body.contactedAt, c.body.result, c.body.note])).toEqual([
        [at2350, '折り返し待ち', '結果は折り返しの電話で記録'],
        [at0030, '受入可', '事業所からの折り返し'],
      ]);
      expect(claimMonthOf(kase)).toEqual({ month: `${year}-12`, coordinatedAt: at0030 });
    }

    it('offers only 「記録を続ける」 when the call back was written and the 23:50 call\'s 折り返し待ち was not, and writes just that', async () => {
      const { caseId, user } = await calledAt2350(null);
      await halfWritten(caseId, user);
      const ask = screen.getByRole('group', { name: '「受入可」と聞いたのはいつですか？' });
      // no other result, no 23:50: the call back already says 受入可 at 00:30
      expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual(['記録を続ける']);
      expect(screen.queryByRole('button', { name: '結果を選び直す' })).toBeNull();
      expect(screen.queryByRole('button', { name: '電話をかけたとき（23:50）' })).toBeNull();

      await continueHalfWritten(caseId, user, ask);
    });

    it('still offers only 「記録を続ける」 once the screen is drawn again (a lock, a reload): the 23:50 call\'s four results would move the claim to November or write a second call back', async () => {
      const { caseId, user, view } = await calledAt2350(null);
      await halfWritten(caseId, user);
      view.unmount();
      vi.setSystemTime(new Date(Date.parse(at0030) + 5 * 60_000)); // unlocked at 00:35
      mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
      const card = within(called()!).getByRole('article', { name: 'あおば荘' });
      const ask = within(card).getByRole('group', { name: '「受入可」と聞いたのはいつですか？' });
      expect(ask).toHaveTextContent('折り返しの記録は保存しました。最初の電話の結果（折り返し待ち）をもう一度記録してください');
      expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual(['記録を続ける']);
      expect(within(card).queryByRole('group', { name: 'あおば荘 の結果' })).toBeNull();
      expect(within(card).queryByRole('button', { name: '電話をかけたとき（23:50）' })).toBeNull();

      await continueHalfWritten(caseId, user, ask);
    });

    it('records 「電話をかけたとき」 as the result of the 23:50 call, claimed in November', async () => {
      const { caseId, user } = await calledAt2350(null);
      await user.click(within(screen.getByRole('group', { name: 'あおば荘 の結果' })).getByRole('button', { name: '受入可' }));
      await user.click(within(screen.getByRole('group', { name: '「受入可」と聞いたのはいつですか？' })).getByRole('button', { name: '電話をかけたとき（23:50）' }));
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/受入可・23:50/), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'result']);
      expect(claimMonthOf(kaseOf(caseId))).toEqual({ month: `${year}-11`, coordinatedAt: at2350 });
    });

    it('asks nothing for a call two minutes old: its 受入可 is the call\'s', async () => {
      const { caseId, user } = await calledAt2350(null);
      vi.setSystemTime(new Date(Date.parse(at2350) + 2 * 60_000));
      await user.click(within(screen.getByRole('group', { name: 'あおば荘 の結果' })).getByRole('button', { name: '受入可' }));
      expect(screen.queryByRole('group', { name: '「受入可」と聞いたのはいつですか？' })).toBeNull();
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/受入可・23:50/), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'result']);
    });

    it('asks it on 「結果を訂正」 of a 23:50 不在 to 受入可 at 00:30: 「いま」 records the call back (no reason asked), the 不在 stands, December', async () => {
      const { caseId, user } = await calledAt2350('不在');
      const card = within(called()!).getByRole('article', { name: 'あおば荘' });
      await user.click(within(card).getByRole('button', { name: '電話・訂正' }));
      await user.click(within(card).getByRole('button', { name: '結果を訂正' }));
      await user.click(within(within(card).getByRole('group', { name: 'あおば荘 の正しい結果' })).getByRole('button', { name: '受入可' }));
      const ask = within(card).getByRole('group', { name: '「受入可」と聞いたのはいつですか？' });
      expect(within(ask).getByText('「いま」を選ぶと、23:50の電話は「不在」、いまの折り返しが「受入可」と記録されます。')).toBeVisible();
      await user.click(within(ask).getByRole('button', { name: 'いま（折り返しの電話・00:30）' }));
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/不在・23:50受入可・00:30/), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'result', 'contact']);
      const kase = kaseOf(caseId);
      expect(kase.contacts.map((c) => c.body.result)).toEqual(['不在', '受入可']);
      expect(claimMonthOf(kase)).toEqual({ month: `${year}-12`, coordinatedAt: at0030 });
    });

    it('corrects the 23:50 call on 「電話をかけたとき」 from 「結果を訂正」, with the reason, claimed in November', async () => {
      const { caseId, user } = await calledAt2350('不在');
      const card = within(called()!).getByRole('article', { name: 'あおば荘' });
      await user.click(within(card).getByRole('button', { name: '電話・訂正' }));
      await user.click(within(card).getByRole('button', { name: '結果を訂正' }));
      await user.type(within(card).getByLabelText(/訂正の理由/), '押し間違い');
      await user.click(within(within(card).getByRole('group', { name: 'あおば荘 の正しい結果' })).getByRole('button', { name: '受入可' }));
      await user.click(within(card).getByRole('button', { name: '電話をかけたとき（23:50）' }));
      await waitFor(() => expect(within(called()!).getByRole('article', { name: 'あおば荘' })).toHaveTextContent(/受入可・23:50/), SLOW);
      expect(types(caseId)).toEqual(['open', 'contact', 'result', 'correction']);
      expect(claimMonthOf(kaseOf(caseId))).toEqual({ month: `${year}-11`, coordinatedAt: at2350 });
    });
  });

  it('asks for every call\'s result before calling again: no number or 折り返し on a card while a call waits for its result', async () => {
    const caseId = await openCase();
    const user = userEvent.setup();
    mount(`#/match/hh-1/p-1?case=${caseId}`, [household], facilities);
    await dial(user, within(screen.getByRole('article', { name: 'ひだまり' })).getByRole('link', { name: /^電話 047-333-3333（/ }));
    const card = await waitFor(() => within(called()!).getByRole('article', { name: 'ひだまり' }), SLOW);
    expect(within(card).getByRole('group', { name: 'ひだまり の結果' })).toBeInTheDocument();
    expect(within(card).queryByRole('link')).not.toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: '電話・訂正' })).not.toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: '折り返しがあった' })).not.toBeInTheDocument();
  });

  it('draws the first 20 fits and 10 near misses, the likeliest first, and the rest on 「さらに表示」 with how many', async () => {
    const many = Array.from({ length: 45 }, (_, i) =>
      facility(`f-${String(i).padStart(2, '0')}`, { name: `事業所${String(i).padStart(2, '0')}`, phone: '047-000-0000' }, { medicalCareChild: i % 3 !== 0 }),
    );
    mount('#/match/hh-1/p-1', [household], many);
    const fits = screen.getByRole('heading', { name: '受入可能な事業所' }).closest('section')!;
    const near = screen.getByRole('heading', { name: '条件が合わない事業所（参考）' }).closest('section')!;
    expect(within(fits).getAllByRole('article')).toHaveLength(20);
    expect(within(near).getAllByRole('article')).toHaveLength(10);
    await userEvent.click(within(fits).getByRole('button', { name: 'さらに表示（残り10件）' }));
    expect(within(fits).getAllByRole('article')).toHaveLength(30);
    expect(within(fits).queryByRole('button', { name: /さらに表示/ })).not.toBeInTheDocument();
    await userEvent.click(within(near).getByRole('button', { name: 'さらに表示（残り5件）' }));
    expect(within(near).getAllByRole('article').map((c) => c.getAttribute('aria-label'))).toEqual(
      many.filter((_, i) => i % 3 === 0).map((f) => f.name),
    );
  });

  it.each([
    ['at night', '2026-12-05T17:00:00.000Z', true],
    ['by day', '2026-12-06T05:00:00.000Z', false],
  ])('puts a facility\'s 夜間 number first at night (Japan time): %s', (_when, at, night) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(at));
    mount('#/match/hh-1/p-1', [household], facilities);
    // each link says whose number it is, for a screen reader's list of links
    const links = within(screen.getByRole('article', { name: 'あおば荘' })).getAllByRole('link').map((l) => l.textContent);
    const day = '電話 047-111-1111（あおば荘）';
    const nightLine = '夜間 090-1111-2222（あおば荘）';
    expect(links).toEqual(night ? [nightLine, day] : [day, nightLine]);
  });
});
