/**
 * The 訂正 / 取消 dialog: a reason typed is not thrown away by キャンセル or Esc (Android's back, the
 * dialog's native `cancel`) without a question.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { go } from '../../../test/factories/route';
import { useApp } from '../../state/store';
import { CasesScreen } from './cases-screen';

const initial = useApp.getState();
let session: FakeSession;
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
const ASK = '入力内容を破棄しますか';

beforeEach(async () => {
  session = createFakeSession();
  useApp.setState({
    session,
    phase: 'unlocked',
    households: new Map([[household.id, household]]),
    caseEntries: new Map([['case-1', await appendEntries([], [openBody(), contactBody({ result: '受入不可' })], 'case-1')]]),
  });
});
afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

/** The 取消 dialog of the case's call, open. */
async function openWithdraw() {
  await go('#/cases/case-1');
  const user = userEvent.setup();
  render(<CasesScreen />);
  await user.click(within(await screen.findByRole('article', { name: 'あおぞら短期入所' })).getByRole('button', { name: '取消' }));
  return { user, dialog: screen.getByRole('dialog', { name: '記録の取消' }) };
}

const esc = (dialog: HTMLElement) => fireEvent(dialog, new Event('cancel', { cancelable: true }));

describe('キャンセル and Esc of a 取消 with a reason typed', () => {
  it('Esc asks first; Esc on the question goes back to the reason, kept with its draft', async () => {
    const { user, dialog } = await openWithdraw();
    await user.type(within(dialog).getByLabelText(/取消の理由/), '別の方の電話を記録した');
    await waitFor(() => expect(session.drafts.size).toBe(1));

    esc(dialog);
    const ask = screen.getByRole('dialog', { name: ASK });
    expect(screen.getByRole('dialog', { name: '記録の取消' })).toBeInTheDocument();
    esc(ask);
    expect(screen.queryByRole('dialog', { name: ASK })).not.toBeInTheDocument();
    expect(within(screen.getByRole('dialog', { name: '記録の取消' })).getByLabelText(/取消の理由/)).toHaveValue('別の方の電話を記録した');
    expect(session.drafts.size).toBe(1);
  });

  it('キャンセル then 破棄する closes the dialog, drops the draft and writes nothing', async () => {
    const { user, dialog } = await openWithdraw();
    await user.type(within(dialog).getByLabelText(/取消の理由/), '別の方の電話を記録した');
    await waitFor(() => expect(session.drafts.size).toBe(1));

    await user.click(within(dialog).getByRole('button', { name: 'キャンセル' }));
    await user.click(within(screen.getByRole('dialog', { name: ASK })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(session.drafts.size).toBe(0);
    expect(useApp.getState().caseEntries.get('case-1')).toHaveLength(2);
  });

  it('closes at once, Esc or キャンセル, when nothing was typed', async () => {
    const { user, dialog } = await openWithdraw();
    esc(dialog);
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    await user.click(within(screen.getByRole('article', { name: 'あおぞら短期入所' })).getByRole('button', { name: '取消' }));
    await user.click(within(screen.getByRole('dialog', { name: '記録の取消' })).getByRole('button', { name: 'キャンセル' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('asks for a 訂正 whose call was changed, though no reason is typed yet', async () => {
    await go('#/cases/case-1');
    const user = userEvent.setup();
    render(<CasesScreen />);
    await user.click(within(await screen.findByRole('article', { name: 'あおぞら短期入所' })).getByRole('button', { name: '訂正' }));
    const dialog = screen.getByRole('dialog', { name: '記録の訂正' });
    await user.selectOptions(within(dialog).getByLabelText('結果'), '受入可');
    esc(dialog);
    expect(screen.getByRole('dialog', { name: ASK })).toBeInTheDocument();
  });
});
