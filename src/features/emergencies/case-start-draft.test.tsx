/**
 * A started case's stamp comes back for the same user within the hour (a lock mid-call), says so, and
 * can be set to now; an older stamp, or a colleague's, starts the case at this moment. The caller chips
 * show each contact's reading.
 */
import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { formatJapanDateTime } from '../../domain/japan-time';
import { toJapanInputValue } from '../../domain/japan-input';
import { useApp } from '../../state/store';
import { VaultError } from '../../vault/errors';
import { CasesScreen } from './cases-screen';

const initial = useApp.getState();
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2010-05-01' })] });

afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

function draftStampedAt(stampedAt: string) {
  return { stampedAt, requestedAt: toJapanInputValue(stampedAt), reason: '', category: '介護者の入院', detail: '母が救急搬送', caller: '叔母', callerPhone: '', officeId: '' };
}

async function openStart(userId: string, drafts: Record<string, unknown>) {
  const session = createFakeSession({ id: userId });
  for (const [key, value] of Object.entries(drafts)) await session.saveDraft(key, value);
  useApp.setState({ session, phase: 'unlocked', households: new Map([[household.id, household]]) });
  await act(async () => {
    window.location.hash = '#/cases/new/hh-1/p-1';
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  render(<CasesScreen />);
  await screen.findByText(/要請時刻 /);
  // the draft is read after the first paint: let that read land before looking
  await act(async () => {
    await session.listDraftKeys();
  });
  return { user: userEvent.setup(), session };
}

describe('the case start after a lock or a return', () => {
  it('brings back the same user\'s stamp and text within the hour, says so, and sets the time to now on request', async () => {
    const stamped = minutesAgo(20);
    const { user } = await openStart('user-1', { 'case-start:hh-1:p-1:user-1': draftStampedAt(stamped) });
    expect(await screen.findByText(`要請時刻 ${formatJapanDateTime(stamped)}（前にこの画面を開いた時刻です。入力も戻しました）`)).toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('母が救急搬送');
    await user.click(screen.getByRole('button', { name: '今の時刻にする' }));
    expect(screen.getByText(/要請時刻 .*（開始を押した時刻）/)).toBeInTheDocument();
    expect(screen.queryByText(/前にこの画面を開いた時刻/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('母が救急搬送');
  });

  it('over an hour on, stamps the case now and brings back what was typed, said so, to keep or clear', async () => {
    const then = minutesAgo(90);
    const { user } = await openStart('user-1', { 'case-start:hh-1:p-1:user-1': draftStampedAt(then) });
    expect(screen.queryByText(/前にこの画面を開いた時刻/)).not.toBeInTheDocument();
    expect(await screen.findByText(new RegExp(`${formatJapanDateTime(then)}に開いた画面で入力した内容を戻しました`))).toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('母が救急搬送');
    // one tap does not clear the caller's details: it asks, and 入力を残す keeps them
    await user.click(screen.getByRole('button', { name: '入力を消す' }));
    const ask = screen.getByRole('dialog', { name: '戻した入力を消しますか' });
    expect(ask).toHaveTextContent('消した入力は元に戻せません。');
    await user.click(within(ask).getByRole('button', { name: '入力を残す' }));
    expect(screen.queryByRole('dialog', { name: '戻した入力を消しますか' })).not.toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('母が救急搬送');
    expect(screen.getByLabelText('電話をくれた方（続柄・氏名）')).toHaveValue('叔母');

    await user.click(screen.getByRole('button', { name: '入力を消す' }));
    await user.click(within(screen.getByRole('dialog', { name: '戻した入力を消しますか' })).getByRole('button', { name: '入力を消す' }));
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('');
    expect(screen.getByLabelText('電話をくれた方（続柄・氏名）')).toHaveValue('');
    expect(screen.getByText(/要請時刻 .*（開始を押した時刻）/)).toBeInTheDocument();
  });

  it('a stamp after now (made before the clock was put back from 2030) is not kept: the case starts now, with what was typed', async () => {
    const then = '2030-12-01T17:10:00.000Z';
    await openStart('user-1', { 'case-start:hh-1:p-1:user-1': draftStampedAt(then) });
    expect(screen.queryByText(/前にこの画面を開いた時刻/)).not.toBeInTheDocument();
    expect(await screen.findByText(new RegExp(`${formatJapanDateTime(then)}に開いた画面で入力した内容を戻しました`))).toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('母が救急搬送');
    // the request is stamped now, not in 2030 (saving said the request was in the future)
    expect(screen.getByText(/要請時刻 .*（開始を押した時刻）/).textContent).not.toContain('要請時刻 2030');
  });

  it('does not give one user another user\'s started case, nor one kept for whoever opened it next', async () => {
    // under user-1's key, and under the key every user shared before drafts were kept per user
    await openStart('user-2', { 'case-start:hh-1:p-1:user-1': draftStampedAt(minutesAgo(5)), 'case-start:hh-1:p-1': draftStampedAt(minutesAgo(5)) });
    expect(screen.queryByText(/前にこの画面を開いた時刻/)).not.toBeInTheDocument();
    expect(screen.getByLabelText('要請の内容（詳細）')).toHaveValue('');
  });
});

describe('Return in a field of the case start', () => {
  it('goes on to the next field and does not open the case (evidence that cannot be deleted)', async () => {
    const { user } = await openStart('user-1', {});
    await user.click(screen.getByRole('radio', { name: '介護者の入院' }));
    await user.type(screen.getByLabelText('電話をくれた方（続柄・氏名）'), '近所の方{Enter}');
    expect(screen.getByLabelText('折り返し先の電話番号')).toHaveFocus();
    await user.type(screen.getByLabelText('折り返し先の電話番号'), '090-1234-5678{Enter}');
    expect(screen.getByLabelText(/^要請のあった時間/)).toHaveFocus();
    expect(window.location.hash).toBe('#/cases/new/hh-1/p-1');
    expect(useApp.getState().caseEntries.size).toBe(0);
    // the button still opens it
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await waitFor(() => expect(window.location.hash).not.toBe('#/cases/new/hh-1/p-1'));
  });
});

describe('the caller chips', () => {
  it('show each contact\'s reading and write the caller without it', async () => {
    const { user } = await openStart('user-1', {});
    const chip = screen.getByRole('button', { name: '父 山田 一郎 やまだ いちろう' });
    expect(chip).toHaveTextContent('やまだ いちろう');
    await user.click(chip);
    expect(screen.getByLabelText('電話をくれた方（続柄・氏名）')).toHaveValue('父 山田 一郎');
  });

  it('the case written deletes its draft with it: a lock or a kill before the form closes does not offer to start it again', async () => {
    const key = 'case-start:hh-1:p-1:user-1';
    const { user, session } = await openStart('user-1', { [key]: draftStampedAt(minutesAgo(5)) });
    await screen.findByText(/前にこの画面を開いた時刻です/);
    // the form's own clean-up after the save never lands (the phone locked, or the app was killed)
    vi.spyOn(session, 'deleteDraft').mockRejectedValue(new VaultError('locked'));
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await waitFor(() => expect(window.location.hash).not.toBe('#/cases/new/hh-1/p-1'));
    expect(await session.listDraftKeys()).not.toContain(key);
  });
});

