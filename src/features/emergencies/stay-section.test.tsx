import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { forkedOutcomes } from '../../../test/factories/forked-outcomes';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import type { CaseEntry, EntryBody } from '../../domain/emergency-case';
import { addDaysToDate, japanDateOf } from '../../domain/japan-time';
import { useApp } from '../../state/store';
import { CasesScreen } from './cases-screen';
import { go } from '../../../test/factories/route';

const initial = useApp.getState();
let session: FakeSession;
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
// Admitted at noon (Japan time) two days ago: today is the 3rd day of the stay.
const admittedDay = addDaysToDate(japanDateOf(new Date()), -2);
const admittedAt = `${admittedDay}T03:00:00.000Z`;
const [y, m, d] = admittedDay.split('-').map(Number);

async function admittedCase(): Promise<CaseEntry[]> {
  const requestedAt = `${admittedDay}T02:00:00.000Z`;
  const bodies: EntryBody[] = [
    openBody({ requestedAt }),
    contactBody({ contactedAt: `${admittedDay}T02:10:00.000Z` }),
    { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: admittedAt, note: '' },
    { type: 'close', closedAt: `${admittedDay}T03:30:00.000Z` },
  ];
  return appendEntries([], bodies.map((body) => ({ body, at: `${admittedDay}T04:00:00.000Z` })), 'case-1');
}

beforeEach(async () => {
  session = createFakeSession();
  useApp.setState({ session, phase: 'unlocked', households: new Map([[household.id, household]]), caseEntries: new Map([['case-1', await admittedCase()]]) });
});
afterEach(() => {
  vi.useRealTimers();
  useApp.setState(initial, true);
  window.location.hash = '';
});

describe('emergency stays with an end', () => {
  it('lists who is in emergency stay now with the day count, and the case shows it too', async () => {
    await go('#/cases');
    render(<CasesScreen />);
    const section = screen.getByRole('region', { name: '緊急入所中（1人）' });
    expect(within(section).getByText('佐藤 陽太')).toBeVisible();
    expect(within(section).getByText(`あおぞら短期入所・${y}年${m}月${d}日 12:00から・3日目`)).toBeVisible();
    await go('#/cases/case-1');
    expect(await screen.findByText('入所中・3日目')).toBeVisible();
  });

  it('moves the day count at midnight on the list and the case left open through it', async () => {
    // only the clock and the minute's interval are faked: Testing Library's waits keep real timers
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-12-03T14:58:30.000Z')); // 23:58:30 on 3 December in Japan
    const bodies: EntryBody[] = [
      openBody({ requestedAt: '2026-12-01T02:00:00.000Z' }),
      contactBody({ contactedAt: '2026-12-01T02:10:00.000Z' }),
      { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2026-12-01T03:00:00.000Z', note: '' },
      { type: 'close', closedAt: '2026-12-01T03:30:00.000Z' },
    ];
    useApp.setState({ caseEntries: new Map([['case-1', await appendEntries([], bodies.map((body) => ({ body, at: '2026-12-01T04:00:00.000Z' })), 'case-1')]]) });
    await go('#/cases');
    const { unmount } = render(<CasesScreen />);
    const section = screen.getByRole('region', { name: '緊急入所中（1人）' });
    expect(within(section).getByText(/・3日目$/)).toBeVisible();
    act(() => void vi.advanceTimersByTime(120_000)); // 00:00:30 on 4 December
    expect(within(section).getByText(/・4日目$/)).toBeVisible();
    unmount();

    vi.setSystemTime(new Date('2026-12-04T14:58:30.000Z')); // 23:58:30 on the 4th
    await go('#/cases/case-1');
    render(<CasesScreen />);
    expect(await screen.findByText('入所中・4日目')).toBeVisible();
    act(() => void vi.advanceTimersByTime(120_000));
    expect(screen.getByText('入所中・5日目')).toBeVisible();
  });

  it('lists tonight’s open cases above the people in stay: the case being worked on is what the coordinator comes back for', async () => {
    const tonight = await appendEntries([], [{ body: openBody({ requestedAt: new Date().toISOString() }), at: new Date().toISOString() }], 'case-2');
    useApp.setState({ caseEntries: new Map([...useApp.getState().caseEntries, ['case-2', tonight]]) });
    await go('#/cases');
    render(<CasesScreen />);
    const open = screen.getByRole('heading', { name: /^対応中/ });
    const inStay = screen.getByRole('heading', { name: /^緊急入所中/ });
    expect(open.compareDocumentPosition(inStay) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('records the end and the exit as a new entry; the person leaves the in-stay list; a missing note is refused first', async () => {
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    const form = screen.getByRole('form', { name: '退所を記録' });
    // the form takes the button's place, and the focus: its first field
    await waitFor(() => expect(form).toContainElement(document.activeElement as HTMLElement));
    await user.selectOptions(within(form).getByLabelText('退所後の行き先'), '別の事業所');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(within(form).getByText('「別の事業所」の場合は、退所後の行き先（備考）を入力してください。')).toBeVisible();
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(4);

    await user.type(within(form).getByLabelText(/備考/), 'グループホーム みなと');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('退所後：別の事業所（グループホーム みなと）')).toBeVisible();
    expect(screen.getByText(/^退所 .*（3日間）$/)).toBeVisible();
    // recorded, the focus goes to what took the button's place: 訂正
    await waitFor(() => expect(document.activeElement).toHaveAttribute('data-opens', 'case-stay'));
    await waitFor(() => expect(useApp.getState().caseEntries.get('case-1')?.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'close', 'stay-end']));

    await go('#/cases');
    expect(screen.queryByRole('region', { name: /緊急入所中/ })).toBeNull();
  });

  it('holds an app update back while the end is being typed and not yet recorded, and lets it through once recorded', async () => {
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    const form = screen.getByRole('form', { name: '退所を記録' });
    // the form as it opens (now, 自宅に戻った) is nothing typed yet
    expect(useApp.getState().unsaved.size).toBe(0);
    await user.type(within(form).getByLabelText(/備考/), '家族が迎えに来た');
    expect([...useApp.getState().unsaved.keys()].some((k) => k.startsWith('stay-end:case-1:'))).toBe(true);

    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('退所後：自宅に戻った（家族が迎えに来た）')).toBeVisible();
    expect(useApp.getState().unsaved.size).toBe(0);
  });

  it('corrects the recorded end with a reason: a new entry, the first kept, the reason shown', async () => {
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    await user.click(within(screen.getByRole('form', { name: '退所を記録' })).getByRole('button', { name: '記録する' }));
    await user.click(await screen.findByRole('button', { name: '退所の記録を訂正' }));
    const form = screen.getByRole('form', { name: '退所の記録を訂正' });
    await user.selectOptions(within(form).getByLabelText('退所後の行き先'), '入院');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(within(form).getByText('訂正の理由を入力してください。')).toBeVisible();
    await user.type(within(form).getByLabelText(/訂正の理由/), '入院先から連絡があり誤りと判明');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('退所後：入院')).toBeVisible();
    expect(within(screen.getByRole('region', { name: '入所と退所' })).getByText(/入院先から連絡があり誤りと判明/)).toBeVisible();
    expect(useApp.getState().caseEntries.get('case-1')?.map((e) => e.body.type)).toEqual(['open', 'contact', 'outcome', 'close', 'stay-end', 'correction']);
  });

  it('Return in 退所の日時 goes on to the next field and writes no 退所 (it wrote 「自宅に戻った」 at once)', async () => {
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    const form = screen.getByRole('form', { name: '退所を記録' });
    await user.type(within(form).getByLabelText(/^退所の日時/), '{Enter}');
    expect(within(form).getByLabelText('退所後の行き先')).toHaveFocus();
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(4);
    expect(screen.getByRole('form', { name: '退所を記録' })).toBeInTheDocument();
  });

  it('やめる with a note typed asks before it goes; 入力を続ける keeps it, 破棄する closes the form and drops the draft', async () => {
    const user = userEvent.setup();
    await go('#/cases/case-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('button', { name: '退所を記録' }));
    const form = screen.getByRole('form', { name: '退所を記録' });
    await user.type(within(form).getByLabelText(/備考/), '家族が迎えに来た');
    await waitFor(() => expect([...session.drafts.keys()].some((k) => k.startsWith('stay-end:case-1:'))).toBe(true));

    await user.click(within(form).getByRole('button', { name: 'やめる' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '入力を続ける' }));
    expect(within(form).getByLabelText(/備考/)).toHaveValue('家族が迎えに来た');

    await user.click(within(form).getByRole('button', { name: 'やめる' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: '退所を記録' })).not.toBeInTheDocument());
    expect(session.drafts.size).toBe(0);
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(4);
  });
});

describe('an admission two phones recorded at once with another outcome (在宅で対応), not yet settled', () => {
  for (const last of ['home', 'admission'] as const) {
    it(`lists the person in 緊急入所中 marked 要確認, and the case shows no stay as settled, with ${last === 'home' ? '在宅で対応' : 'the admission'} last in read order`, async () => {
      useApp.setState({ caseEntries: new Map([['case-1', (await forkedOutcomes({ last, day: admittedDay })).entries]]) });
      await go('#/cases');
      render(<CasesScreen />);
      const inStay = screen.getByRole('region', { name: '緊急入所中（1人）' });
      expect(within(inStay).getByText('佐藤 陽太')).toBeVisible();
      expect(within(inStay).getByText(`ふじ短期入所・${y}年${m}月${d}日 17:50から・3日目`)).toBeVisible();
      expect(within(inStay).getByText('対応結果が2つ記録されています（要確認）')).toBeVisible();
      // the open case's row names neither outcome as the one
      const open = screen.getByRole('region', { name: /^対応中/ });
      expect(within(open).getByText(/・対応結果が2つ記録されています（要確認）$/)).toBeVisible();
      expect(within(open).queryByText(/在宅で対応|短期入所（ふじ短期入所）/)).toBeNull();

      await go('#/cases/case-1');
      const stay = await screen.findByRole('region', { name: '入所と退所' });
      expect(within(stay).getByText('対応結果が2つ記録されています（要確認）')).toBeVisible();
      expect(within(stay).getByText(`記録された入所：ふじ短期入所（${y}年${m}月${d}日 17:50から）`)).toBeVisible();
      expect(within(stay).getByText(/上の「対応結果」で正しい方を確かめ/)).toBeVisible();
      expect(within(stay).queryByText(/入所中・/)).toBeNull();
      expect(within(stay).queryByText(/に入所（/)).toBeNull();
      expect(within(stay).queryByRole('button', { name: '退所を記録' })).toBeNull();
    });
  }
});
