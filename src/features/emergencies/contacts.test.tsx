/**
 * 連絡を記録（手入力）: what was typed is not thrown away without a question, and Return in a field
 * never records the call (evidence that cannot be deleted).
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createFacility } from '../../../test/factories/facility';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { go } from '../../../test/factories/route';
import { useApp } from '../../state/store';
import { personalDraftKey } from '../../vault/drafts';
import { CasesScreen } from './cases-screen';
import { contactDraftKey } from './contacts';
import { foldCase } from '../../domain/case-fold';
import { claimMonthOf } from '../../domain/claim-rules';
import { failTheNextResult } from '../../../test/factories/fail-next-result';

const initial = useApp.getState();
let session: FakeSession;
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
/** The call note's draft, as kept for the person unlocked. */
const noteKey = () => personalDraftKey(contactDraftKey('case-1'), session.user.id);

beforeEach(async () => {
  session = createFakeSession();
  useApp.setState({
    session,
    phase: 'unlocked',
    households: new Map([[household.id, household]]),
    facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'あおぞら短期入所' })]]),
    caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody({ result: '受入不可' })], 'case-1')]]),
  });
});
afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

/** The case screen with 「連絡を記録（手入力）」 opened. */
async function openContactForm() {
  await go('#/cases/case-1');
  const user = userEvent.setup();
  render(<CasesScreen />);
  await user.click(await screen.findByRole('button', { name: '連絡を記録（手入力）' }));
  return { user };
}

const storedTypes = () => useApp.getState().caseEntries.get('case-1')!.map((e) => e.body.type);

describe('キャンセル of a call typed by hand', () => {
  it('asks before a typed note goes; 入力を続ける keeps the note and its draft', async () => {
    const { user } = await openContactForm();
    await user.type(screen.getByLabelText('メモ'), '看護師に確認中、折り返し2時半');
    await waitFor(() => expect(session.drafts.has(noteKey())).toBe(true));

    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    const ask = screen.getByRole('dialog', { name: '入力内容を破棄しますか' });
    expect(ask).toHaveTextContent('保存していない入力は失われます。');
    // the button that goes back comes first, where a dialog's focus lands
    expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual(['入力を続ける', '破棄する']);
    expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認中、折り返し2時半');

    await user.click(within(ask).getByRole('button', { name: '入力を続ける' }));
    expect(screen.queryByRole('dialog', { name: '入力内容を破棄しますか' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('メモ')).toHaveValue('看護師に確認中、折り返し2時半');
    expect(session.drafts.has(noteKey())).toBe(true);
    expect(storedTypes()).toEqual(['open', 'contact']);
  });

  it('破棄する closes the form and deletes its draft', async () => {
    const { user } = await openContactForm();
    await user.type(screen.getByLabelText('メモ'), '看護師に確認中');
    await waitFor(() => expect(session.drafts.has(noteKey())).toBe(true));

    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(session.drafts.has(noteKey())).toBe(false);
    expect(useApp.getState().unsaved.size).toBe(0);
    expect(storedTypes()).toEqual(['open', 'contact']);
  });

  it('closes a form nothing was typed into at once', async () => {
    const { user } = await openContactForm();
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    await waitFor(() => expect(screen.queryByLabelText('メモ')).not.toBeInTheDocument());
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: '連絡を記録（手入力）' })).toBeInTheDocument();
  });
});

describe('Return in a field of a call typed by hand', () => {
  it('goes on to the next field and records nothing', async () => {
    const { user } = await openContactForm();
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), '__other__');
    await user.selectOptions(screen.getByLabelText('結果'), '受入不可');
    await user.type(screen.getByLabelText(/^連絡先の名称/), '市立病院{Enter}');
    expect(screen.getByLabelText(/^連絡先の名称/)).not.toHaveFocus();
    await user.type(screen.getByLabelText(/^連絡・調整を行った時刻/), '{Enter}');
    expect(storedTypes()).toEqual(['open', 'contact']);
    expect(screen.getByLabelText('メモ')).toBeInTheDocument();
    // 記録する still records it
    await user.click(within(screen.getByLabelText('メモ').closest('form')!).getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'contact']));
  });
});

describe('a 受入可 chosen long after the call, on the case screen', () => {
  const at2350 = '2026-11-30T14:50:00.000Z'; // 23:50 on 30 November, Japan time
  const at0030 = '2026-11-30T15:30:00.000Z'; // 00:30 on 1 December
  beforeEach(async () => {
    useApp.setState({
      caseEntries: new Map([['case-1', await appendEntries([], [openBody({ requestedAt: '2026-11-30T14:40:00.000Z' }), contactBody({ contactedAt: at2350, result: null })], 'case-1')]]),
    });
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => vi.useRealTimers());

  async function chooseLate(result: string, at = at0030) {
    vi.setSystemTime(new Date(at));
    await go('#/cases/case-1');
    const user = userEvent.setup();
    const view = render(<CasesScreen />);
    await user.click(within(await screen.findByRole('group', { name: '結果を記録してください' })).getByRole('button', { name: result }));
    return { user, view, ask: screen.getByRole('group', { name: `「${result}」と聞いたのはいつですか？` }) };
  }
  const claimMonth = () => claimMonthOf(foldCase(useApp.getState().caseEntries.get('case-1')!))?.month;

  it('asks when it was heard; 「いま」 records the call back at this minute, and the claim falls in December', async () => {
    const { user, ask } = await chooseLate('受入可');
    // nothing is written before the answer
    expect(storedTypes()).toEqual(['open', 'contact']);
    // between its two writes the stored case is halfway: a 「いま」 written whole never says it failed
    const said: string[] = [];
    const watch = new MutationObserver(() => said.push(document.body.textContent ?? ''));
    watch.observe(document.body, { childList: true, subtree: true, characterData: true });
    await user.click(within(ask).getByRole('button', { name: 'いま（折り返しの電話・00:30）' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'contact', 'result']));
    watch.disconnect();
    expect(said.filter((text) => text.includes('折り返しの記録は保存しました'))).toEqual([]);
    const [, , callBack, answered] = useApp.getState().caseEntries.get('case-1')!.map((e) => e.body);
    expect(callBack).toMatchObject({ type: 'contact', contactedAt: at0030, result: '受入可', facilityName: 'あおぞら短期入所' });
    expect(answered).toMatchObject({ type: 'result', result: '折り返し待ち' });
    expect(claimMonth()).toBe('2026-12');
  });

  it('offers only 「記録を続ける」 after 「いま」 was written halfway, also once the screen is drawn again (a lock, a reload), and writes just the missing 折り返し待ち', async () => {
    // the storage refuses the 23:50 call's 折り返し待ち once: the call back at 00:30 is written
    failTheNextResult();
    const { user, ask, view } = await chooseLate('受入可');
    await user.click(within(ask).getByRole('button', { name: 'いま（折り返しの電話・00:30）' }));
    await screen.findByText('折り返しの記録は保存しました。最初の電話の結果（折り返し待ち）をもう一度記録してください');
    expect(storedTypes()).toEqual(['open', 'contact', 'contact']);

    view.unmount();
    vi.setSystemTime(new Date('2026-11-30T15:35:00.000Z')); // unlocked at 00:35
    render(<CasesScreen />);
    const again = await screen.findByRole('group', { name: '「受入可」と聞いたのはいつですか？' });
    expect(again).toHaveTextContent('折り返しの記録は保存しました。最初の電話の結果（折り返し待ち）をもう一度記録してください');
    // no 受入可 on the 23:50 call (November), no second call back
    expect(within(again).getAllByRole('button').map((b) => b.textContent)).toEqual(['記録を続ける']);
    expect(screen.queryByRole('group', { name: '結果を記録してください' })).toBeNull();

    await user.click(within(again).getByRole('button', { name: '記録を続ける' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'contact', 'result']));
    const kase = foldCase(useApp.getState().caseEntries.get('case-1')!);
    expect(kase.contacts.map((c) => [c.body.contactedAt, c.body.result])).toEqual([
      [at2350, '折り返し待ち'],
      [at0030, '受入可'],
    ]);
    expect(claimMonth()).toBe('2026-12');
    await waitFor(() => expect(screen.queryByRole('group', { name: '「受入可」と聞いたのはいつですか？' })).toBeNull());
  });

  it('says the time again when the page is shown again, and records the call back at the minute it says', async () => {
    // asked at 00:01, then the phone in a pocket until the facility's call back at 00:30
    const { user, ask } = await chooseLate('受入可', '2026-11-30T15:01:00.000Z');
    expect(within(ask).getByRole('button', { name: 'いま（折り返しの電話・00:01）' })).toBeVisible();
    const visibility = vi.spyOn(document, 'visibilityState', 'get');
    try {
      visibility.mockReturnValue('hidden');
      act(() => void document.dispatchEvent(new Event('visibilitychange')));
      vi.setSystemTime(new Date(at0030));
      visibility.mockReturnValue('visible');
      act(() => void document.dispatchEvent(new Event('visibilitychange')));
    } finally {
      visibility.mockRestore();
    }
    await user.click(within(ask).getByRole('button', { name: 'いま（折り返しの電話・00:30）' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'contact', 'result']));
    expect(useApp.getState().caseEntries.get('case-1')![2]!.body).toMatchObject({ type: 'contact', contactedAt: at0030, result: '受入可' });
  });

  it('「電話をかけたとき」 puts the result on the 23:50 call, in November', async () => {
    const { user, ask } = await chooseLate('受入可');
    await user.click(within(ask).getByRole('button', { name: '電話をかけたとき（23:50）' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'result']));
    expect(useApp.getState().caseEntries.get('case-1')!.at(-1)!.body).toMatchObject({ type: 'result', result: '受入可' });
    expect(claimMonth()).toBe('2026-11');
  });

  it('asks nothing for a call two minutes old', async () => {
    vi.setSystemTime(new Date('2026-11-30T14:52:00.000Z'));
    await go('#/cases/case-1');
    const user = userEvent.setup();
    render(<CasesScreen />);
    await user.click(within(await screen.findByRole('group', { name: '結果を記録してください' })).getByRole('button', { name: '受入可' }));
    await waitFor(() => expect(storedTypes()).toEqual(['open', 'contact', 'result']));
    expect(screen.queryByText(/と聞いたのはいつですか/)).toBeNull();
  });
});
