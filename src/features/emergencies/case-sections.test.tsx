import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { admittedNight, appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import type { CaseEntry, OutcomeBody } from '../../domain/emergency-case';
import { orderEntries } from '../../domain/case-chain';
import { useApp } from '../../state/store';
import { takeCallStartedAt } from '../../state/phone-call';
import { summarizeHousehold } from '../../domain/household-summary';
import { formatJapanDateTime } from '../../domain/japan-time';
import { CasesScreen } from './cases-screen';
import { go } from '../../../test/factories/route';
import { createOffice } from '../../../test/factories/office';

const initial = useApp.getState();
let session: FakeSession;
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
const morning = { userId: 'user-2', name: '鈴木 主任' };

/** The night's outcome 在宅で対応 (山田, 00:40 Japan time), replaced the next morning by 短期入所 (鈴木). */
async function outcomeRecordedTwice(): Promise<CaseEntry[]> {
  const atHome: OutcomeBody = { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '叔母が今夜は泊まる' };
  const admitted: OutcomeBody = {
    type: 'outcome',
    outcome: '短期入所',
    facilityId: 'fac-1',
    facilityName: 'あおぞら短期入所',
    from: '2026-12-01T01:00:00.000Z',
    note: '',
  };
  return appendEntries([], [
    { body: openBody(), at: '2026-11-30T14:50:00.000Z' },
    { body: contactBody(), at: '2026-11-30T15:20:00.000Z' },
    { body: atHome, at: '2026-11-30T15:40:00.000Z' },
    { body: admitted, at: '2026-12-01T00:30:00.000Z', by: morning },
  ]);
}

beforeEach(() => {
  session = createFakeSession();
  useApp.setState({ session, phase: 'unlocked', households: new Map([[household.id, household]]) });
});
afterEach(() => {
  vi.useRealTimers();
  useApp.setState(initial, true);
  window.location.hash = '';
});

describe('算定に関する事項: the plan\'s office, in the words of the person\'s age', () => {
  it('asks a child\'s case for 障害児相談支援, an adult\'s for 計画相談支援', async () => {
    const child = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2012-04-01' })] });
    useApp.setState({ households: new Map([[child.id, child]]), caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody()])]]) });
    await go('#/cases/case-1');
    const { unmount } = render(<CasesScreen />);
    let section = await screen.findByRole('region', { name: '算定に関する事項' });
    expect(within(section).getByRole('combobox', { name: '障害児相談支援の担当' })).toHaveTextContent('当事業所が障害児相談支援を担当');
    expect(within(section).getByRole('option', { name: 'サービス未利用で、当事業所が障害児支援利用計画を作成' })).toBeInTheDocument();
    unmount();

    const adult = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '1990-04-01' })] });
    useApp.setState({ households: new Map([[adult.id, adult]]) });
    render(<CasesScreen />);
    section = await screen.findByRole('region', { name: '算定に関する事項' });
    expect(within(section).getByRole('combobox', { name: '計画相談支援の担当' })).toHaveTextContent('当事業所が計画相談支援を担当');
  });
});

describe('対応結果: two outcomes recorded on two phones at once', () => {
  it('says so, tags the one the standing outcome’s writer had not seen, and offers its 取消', async () => {
    const base = await appendEntries([], [
      { body: openBody(), at: '2026-11-30T14:50:00.000Z' },
      { body: contactBody({ result: null }), at: '2026-11-30T15:20:00.000Z' },
    ]);
    const atHome: OutcomeBody = { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' };
    const admitted: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-11-30T17:00:00.000Z', note: '' };
    // the basement phone wrote two entries, the colleague's one: the basement's outcome is read last
    const one = (await appendEntries(base, [{ body: contactBody({ result: '受入不可' }), at: '2026-11-30T15:30:00.000Z' }, { body: atHome, at: '2026-11-30T15:45:00.000Z' }], 'case-1', { by: { userId: 'u-9', name: '山田 夜勤' }, deviceId: 'phone-1', idPrefix: 'p1' })).slice(2);
    const two = (await appendEntries(base, [{ body: admitted, at: '2026-11-30T15:52:00.000Z' }], 'case-1', { by: morning, deviceId: 'phone-2', idPrefix: 'p2' })).slice(2);
    useApp.setState({ caseEntries: new Map([['case-1', orderEntries([...base, ...one, ...two])]]) });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    expect(within(section).getByText(/2台の端末で、異なる対応結果が同じころに記録されています/)).toBeInTheDocument();
    const lines = [...section.querySelectorAll('.case-outcome__line')].map((p) => p.textContent);
    expect(lines).toEqual(['同じころに2台で記録 在宅で対応', '同じころに2台で記録 短期入所　あおぞら短期入所　2026年12月1日 02:00から']);
    expect(within(section).getByRole('button', { name: '「在宅で対応」を取消' })).toBeInTheDocument();
    expect(within(section).getByRole('button', { name: '「短期入所　あおぞら短期入所　2026年12月1日 02:00から」を取消' })).toBeInTheDocument();
  });
});

describe('対応結果: an outcome recorded again', () => {
  it('shows the current outcome, and under it the earlier one marked 以前の対応結果 with when and by whom it was recorded', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await outcomeRecordedTwice()]]) });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    const lines = [...section.querySelectorAll('.case-outcome__line')].map((p) => p.textContent);
    expect(lines).toEqual(['短期入所　あおぞら短期入所　2026年12月1日 10:00から', '以前の対応結果 在宅で対応']);
    const earlier = section.querySelector<HTMLElement>('.case-outcome--earlier')!;
    expect(within(earlier).getByText('叔母が今夜は泊まる')).toBeInTheDocument();
    expect(within(earlier).getByText('記録 2026年12月1日 00:40・山田 夜勤')).toBeInTheDocument();
    // Replaced, not withdrawn: it is not marked 取消.
    expect(within(section).queryByText('取消', { selector: '.case-tag' })).toBeNull();
  });

  it('keeps the first outcome on the screen when 対応結果を記録 is pressed again', async () => {
    const user = userEvent.setup();
    useApp.setState({ caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody()])]]) });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = () => screen.getByRole('region', { name: '対応結果' });
    await user.click(await within(section()).findByRole('button', { name: '対応結果を記録' }));
    await user.selectOptions(within(section()).getByRole('combobox', { name: '対応結果' }), '在宅で対応');
    await user.click(within(section()).getByRole('button', { name: '記録する' }));
    await within(section()).findByText('在宅で対応', { selector: '.case-outcome__line' });

    await user.click(within(section()).getByRole('button', { name: '対応結果を記録' }));
    await user.selectOptions(within(section()).getByRole('combobox', { name: '対応結果' }), '入院');
    await user.click(within(section()).getByRole('button', { name: '記録する' }));
    await within(section()).findByText('入院', { selector: '.case-outcome__line' });

    const earlier = section().querySelector<HTMLElement>('.case-outcome--earlier')!;
    expect(earlier).toHaveTextContent('以前の対応結果 在宅で対応');
    expect(within(earlier).getByText(/^記録 \d{4}年\d+月\d+日 \d{2}:\d{2}・テスト 太郎$/)).toBeInTheDocument();
    await waitFor(() => expect(useApp.getState().caseEntries.get('case-1')!.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'outcome']));
  });
});

describe('the claim line of the case', () => {
  it('counts the open case that has reached no facility yet, and shows a closed one as decided: 算定不可, taking no slot', async () => {
    const open = await appendEntries([], [
      { body: openBody(), at: '2026-11-30T14:50:00.000Z' },
      { body: contactBody({ result: '不在' }), at: '2026-11-30T15:20:00.000Z' },
    ]);
    useApp.setState({ caseEntries: new Map([['case-1', open]]) });
    await go('#/cases/case-1');
    const { unmount } = render(<CasesScreen />);
    expect(await screen.findByText('この方の今月の相談強化加算: 1回目（上限4回）')).toBeInTheDocument();
    unmount();

    const closed = await appendEntries(open, [
      { body: { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '' }, at: '2026-11-30T16:00:00.000Z' },
      { body: { type: 'close', closedAt: '2026-11-30T16:10:00.000Z' }, at: '2026-11-30T16:10:00.000Z' },
    ]);
    useApp.setState({ caseEntries: new Map([['case-1', closed]]) });
    render(<CasesScreen />);
    const line = await screen.findByText('算定不可', { selector: '.case-claim-line summary' });
    expect(line.closest('details')).toHaveTextContent('対応結果が「入院」のため算定できません');
    expect(screen.queryByText(/回目（上限4回）/)).not.toBeInTheDocument();
  });
});

describe('the claim line of a closed case that called no one', () => {
  it('shows 算定不可 with why, not 「今月すでに4回」 counted in the month it is opened', async () => {
    // four claims of the person this month, and an old case closed 在宅で対応 without a call; mid-month,
    // so that all four fall in it (in a month's first 12 hours some would fall in the last one)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-15T03:00:00.000Z'));
    const now = Date.now();
    const claimed = await Promise.all([1, 2, 3, 4].map((d) => admittedNight(`c${d}`, new Date(now - d * 3 * 3_600_000).toISOString())));
    const quiet = await appendEntries([], [
      { body: openBody({ requestedAt: '2026-10-01T12:00:00.000Z' }), at: '2026-10-01T12:01:00.000Z' },
      { body: { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' }, at: '2026-10-01T12:30:00.000Z' },
      { body: { type: 'close', closedAt: '2026-10-01T12:40:00.000Z' }, at: '2026-10-01T12:40:00.000Z' },
    ], 'case-1');
    const office = createOffice();
    useApp.setState({ offices: new Map([[office.id, office]]), caseEntries: new Map([...claimed.map((c) => [c[0]!.caseId, c] as const), ['case-1', quiet]]) });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    expect(await screen.findByText('算定不可', { selector: '.case-claim-line summary' })).toBeInTheDocument();
    expect(screen.queryByText(/今月すでに/)).not.toBeInTheDocument();
  });
});

describe('訂正 of a call still waiting for its result', () => {
  it('keeps it 結果未記録 when only the time is corrected, instead of writing 折り返し待ち nobody said', async () => {
    const entries = await appendEntries([], [
      { body: openBody(), at: '2026-11-30T14:50:00.000Z' },
      { body: contactBody({ result: null }), at: '2026-11-30T15:20:00.000Z' },
    ]);
    useApp.setState({ caseEntries: new Map([['case-1', entries]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const card = await screen.findByRole('article', { name: 'あおぞら短期入所' });
    await user.click(within(card).getByRole('button', { name: '訂正' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByLabelText('結果')).toHaveDisplayValue('結果未記録');
    const time = within(dialog).getByLabelText(/連絡・調整を行った時刻/);
    await user.clear(time);
    await user.type(time, '2026-12-01T00:15');
    await user.type(within(dialog).getByLabelText(/訂正の理由/), '時刻の入力誤り');
    await user.click(within(dialog).getByRole('button', { name: '訂正を記録' }));
    await waitFor(() => expect(useApp.getState().caseEntries.get('case-1')!.at(-1)!.body.type).toBe('correction'));
    expect(useApp.getState().caseEntries.get('case-1')!.at(-1)!.body).toMatchObject({ replacement: { result: null, contactedAt: '2026-11-30T15:15:00.000Z' } });
  });
});

describe('対応を再開: a closed case opened again', () => {
  it('asks the reason, then takes calls again in the same case; the close stays in the history, withdrawn', async () => {
    const entries = [...(await outcomeRecordedTwice())];
    const closed = await appendEntries(entries, [{ body: { type: 'close', closedAt: '2026-12-01T00:35:00.000Z' }, at: '2026-12-01T00:35:00.000Z' }]);
    useApp.setState({ caseEntries: new Map([['case-1', closed]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    expect(screen.queryByRole('link', { name: '受入先を探して電話する' })).not.toBeInTheDocument();

    await user.click(await screen.findByRole('button', { name: '対応を再開' }));
    const dialog = screen.getByRole('dialog', { name: '対応を再開' });
    // no reason: nothing written
    await user.click(within(dialog).getByRole('button', { name: '再開する' }));
    expect(await within(dialog).findByText('訂正の理由を入力してください。')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/再開の理由/), '受入先から今夜は預かれないと電話があった');
    await user.click(within(dialog).getByRole('button', { name: '再開する' }));

    expect(await screen.findByRole('link', { name: '受入先を探して電話する' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '対応を再開' })).not.toBeInTheDocument();
    const written = useApp.getState().caseEntries.get('case-1')!.at(-1)!;
    expect(written.body).toEqual({ type: 'correction', corrects: closed.at(-1)!.id, reason: '受入先から今夜は預かれないと電話があった', replacement: null });
  });
});

describe('対応を終了しますか', () => {
  it('says the way back: 「対応を再開」, the button the closed case then shows', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await outcomeRecordedTwice()]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: '対応を終了' }));
    const dialog = screen.getByRole('dialog', { name: '対応を終了しますか' });
    expect(dialog).toHaveTextContent('対応が続くことになったときは、この画面の「対応を再開」で理由を記録して、もう一度開けます。');
    await user.click(within(dialog).getByRole('button', { name: '対応を終了' }));
    expect(await within(section).findByRole('button', { name: '対応を再開' })).toBeInTheDocument();
  });
});

describe('a case recorded before the person’s 受給者証番号 was entered', () => {
  it('takes the number the household holds now into the case with one tap (a link entry), and then offers it no more', async () => {
    const noNumber = { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '' };
    const entries = await appendEntries([], [{ body: openBody({ subject: noNumber }), at: '2026-11-30T14:50:00.000Z' }], 'case-1');
    const numbered = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' })] });
    useApp.setState({ caseEntries: new Map([['case-1', entries]]), summaries: new Map([['hh-1', summarizeHousehold(numbered)]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '世帯の受給者証番号を記録に入れる' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: '世帯の受給者証番号を記録に入れる' })).not.toBeInTheDocument());
    const written = useApp.getState().caseEntries.get('case-1')!.at(-1)!;
    expect(written.body).toEqual({ type: 'link', subject: { ...noNumber, recipientNumber: '1234567890' } });
  });

  it('says when the number recorded differs from the household’s (a typo corrected there since, or a new 受給者証), and never replaces it with one tap', async () => {
    const mistyped = { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567891' };
    const entries = await appendEntries([], [{ body: openBody({ subject: mistyped }), at: '2026-11-30T14:50:00.000Z' }], 'case-1');
    const numbered = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' })] });
    useApp.setState({ caseEntries: new Map([['case-1', entries]]), summaries: new Map([['hh-1', summarizeHousehold(numbered)]]) });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    expect(await screen.findByText(/この記録の受給者証番号（1234567891）は、世帯の情報（1234567890）と違います。/)).toBeInTheDocument();
    // the number billed is evidence: no button replaces it
    expect(screen.queryByRole('button', { name: '世帯の受給者証番号を記録に入れる' })).not.toBeInTheDocument();
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(1);
  });
});

describe('a call to the family from the case screen', () => {
  afterEach(() => void takeCallStartedAt());

  it('is noted for the idle lock while the case is open (the night’s work, as a facility’s call is), not once it is closed', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody()])]]) });
    await go('#/cases/case-1');
    const { unmount } = render(<CasesScreen />);
    const father = await screen.findByRole('link', { name: /父/ });
    father.addEventListener('click', (e) => e.preventDefault());
    const before = Date.now();
    fireEvent.click(father);
    expect(takeCallStartedAt()).toBeGreaterThanOrEqual(before);
    unmount();

    useApp.setState({ caseEntries: new Map([['case-1', await admittedNight('case-1', '2026-11-30T14:50:00.000Z')]]) });
    render(<CasesScreen />);
    const closed = await screen.findByRole('link', { name: /父/ });
    closed.addEventListener('click', (e) => e.preventDefault());
    fireEvent.click(closed);
    expect(takeCallStartedAt()).toBeNull();
  });
});

describe('the case screen left open through the hour', () => {
  it('puts the 夜間 number first from 20:00, as the household screen does, with nothing else drawing it again', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-12-03T10:58:30.000Z')); // 19:58:30 in Japan
    const grandfather = { name: '佐藤 一郎', relation: '祖父', phones: ['0311112222', '夜間 080-2222-3333'], note: '' };
    const withNight = { ...household, emergencyContacts: [grandfather] };
    useApp.setState({
      households: new Map([[withNight.id, withNight]]),
      caseEntries: new Map([['case-1', await appendEntries([], [{ body: openBody({ requestedAt: '2026-12-03T10:55:00.000Z' }), at: '2026-12-03T10:55:00.000Z' }], 'case-1')]]),
    });
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const calls = await screen.findByRole('list', { name: '緊急連絡先' });
    expect(within(calls).getAllByRole('link')[0]).toHaveTextContent('祖父 03-1111-2222');
    act(() => void vi.advanceTimersByTime(120_000)); // 20:00:30
    expect(within(calls).getAllByRole('link')[0]).toHaveTextContent('祖父 夜間 080-2222-3333');
  });
});

describe('折り返し待ち: the facilities that said they would call back', () => {
  it('are counted on the list row, told before the case is closed, and a call back answered is said on the first call', async () => {
    const entries = await appendEntries([], [
      { body: openBody(), at: '2026-11-30T14:50:00.000Z' },
      { body: contactBody({ facilityId: 'fac-2', facilityName: 'ひまわり', facilityOfficeNumber: '1210100002', result: '折り返し待ち', contactedAt: '2026-11-30T15:00:00.000Z' }), at: '2026-11-30T15:00:00.000Z' },
      { body: contactBody({ facilityId: 'fac-3', facilityName: 'さくら', facilityOfficeNumber: '1210100003', result: '折り返し待ち', contactedAt: '2026-11-30T15:05:00.000Z' }), at: '2026-11-30T15:05:00.000Z' },
      { body: contactBody({ facilityId: 'fac-3', facilityName: 'さくら', facilityOfficeNumber: '1210100003', result: '受入不可', contactedAt: '2026-11-30T15:30:00.000Z', note: '事業所からの折り返し' }), at: '2026-11-30T15:30:00.000Z', by: morning },
      { body: contactBody({ contactedAt: '2026-11-30T15:40:00.000Z' }), at: '2026-11-30T15:40:00.000Z' },
      { body: { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-11-30T16:00:00.000Z', note: '' }, at: '2026-11-30T16:00:00.000Z' },
    ], 'case-1');
    useApp.setState({ caseEntries: new Map([['case-1', entries]]) });
    const user = userEvent.setup();
    await go('#/cases');
    const { unmount } = render(<CasesScreen />);
    const row = await screen.findByRole('link', { name: /折り返し待ち 1件/ });
    // who took the call, and where the person went: what the morning asks of a row
    expect(row).toHaveTextContent('対応: 山田 夜勤');
    expect(row).toHaveTextContent('短期入所（あおぞら短期入所）');
    unmount();

    await go('#/cases/case-1');
    render(<CasesScreen />);
    const sakura = await screen.findAllByRole('article', { name: 'さくら' });
    expect(within(sakura[0]!).getByText('この後の連絡を下に記録しています')).toBeInTheDocument();
    // the call back recorded by the morning's coordinator names them; the night's calls do not
    expect(within(sakura[1]!).getByText('2026年12月1日 00:30・電話（記録：鈴木 主任）')).toBeInTheDocument();
    expect(within(sakura[0]!).getByText('2026年12月1日 00:05・電話')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'ひまわり' })).queryByText('この後の連絡を下に記録しています')).toBeNull();
    await user.click(screen.getByRole('button', { name: '対応を終了' }));
    const dialog = screen.getByRole('dialog', { name: '対応を終了しますか' });
    expect(within(dialog).getByText('折り返し待ちの事業所があります（ひまわり）。受入先が決まったこと、または対応を終えたことを伝えてください。')).toBeInTheDocument();
  });
});

describe('対応結果 recorded again after 対応を再開', () => {
  it('starts from the outcome that stands (its kind and admission time), not the first 受入可 at this minute', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await outcomeRecordedTwice()]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: '対応結果を記録' }));
    expect(within(section).getByRole('combobox', { name: '対応結果' })).toHaveValue('短期入所');
    expect(within(section).getByLabelText(/入所の日時/)).toHaveValue('2026-12-01T10:00');
  });

  it('Return in 入所の日時 goes on to the next field and records no outcome', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await outcomeRecordedTwice()]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: '対応結果を記録' }));
    await user.type(within(section).getByLabelText(/入所の日時/), '{Enter}');
    expect(within(section).getByLabelText(/内容・メモ/)).toHaveFocus();
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(4);
    expect(within(section).getByRole('combobox', { name: '対応結果' })).toBeInTheDocument();
  });
});

describe('取消 of the outcome that stands', () => {
  const stayAt = (facilityName: string): OutcomeBody => ({ type: 'outcome', outcome: '短期入所', facilityId: null, facilityName, from: '2026-11-30T16:00:00.000Z', note: '' });

  it('says which outcome stands again once it is written (短期入所 A recorded, then B; B withdrawn brings A back)', async () => {
    const entries = await appendEntries([], [openBody(), contactBody(), stayAt('A短期入所'), stayAt('B短期入所')]);
    useApp.setState({ caseEntries: new Map([['case-1', entries]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: /^「短期入所　B短期入所/ }));
    const dialog = screen.getByRole('dialog', { name: '記録の取消' });
    expect(
      within(dialog).getByText('取り消すと、以前の対応結果「短期入所（A短期入所）」が有効に戻ります。入所しなかった場合は、取り消したあと対応結果を記録し直してください。'),
    ).toBeInTheDocument();
  });

  it('says the case is left with no outcome when none was recorded before it, and says nothing of outcomes for a call', async () => {
    useApp.setState({ caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody(), stayAt('A短期入所')])]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: /^「短期入所　A短期入所/ }));
    expect(within(screen.getByRole('dialog', { name: '記録の取消' })).getByText('取り消すと、対応結果は未記録になります。')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: '記録の取消' })).toBeNull());
    await user.click(within(screen.getByRole('article', { name: 'あおぞら短期入所' })).getByRole('button', { name: '取消' }));
    expect(within(screen.getByRole('dialog', { name: '記録の取消' })).queryByText(/取り消すと/)).toBeNull();
  });
});

describe('対応を終了 before a call typed a few minutes ahead (the caller’s watch)', () => {
  it('names the call and says to wait or correct it', async () => {
    const now = Date.now();
    const minute = Math.floor(now / 60_000) * 60_000;
    const iso = (ms: number) => new Date(ms).toISOString();
    const ahead = iso(minute + 3 * 60_000);
    const entries = await appendEntries([], [
      { body: openBody({ requestedAt: iso(minute - 10 * 60_000) }), at: iso(minute - 10 * 60_000) },
      { body: contactBody({ contactedAt: ahead }), at: iso(now - 60_000) },
      { body: { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' }, at: iso(now - 30_000) },
    ]);
    useApp.setState({ caseEntries: new Map([['case-1', entries]]) });
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    const section = await screen.findByRole('region', { name: '対応結果' });
    await user.click(within(section).getByRole('button', { name: '対応を終了' }));
    await user.click(within(screen.getByRole('dialog', { name: '対応を終了しますか' })).getByRole('button', { name: '対応を終了' }));
    expect(
      await within(section).findByText(`終了時刻が、あおぞら短期入所への連絡（${formatJapanDateTime(ahead)}）より前になります。その時刻を過ぎてから終了するか、連絡の時刻を訂正してください。`),
    ).toBeInTheDocument();
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(3);
  });
});
