/**
 * A person added on a shared phone opens it the first time with a passphrase someone else typed:
 * the app shows only 「ご自身のパスフレーズを設定してください」 until they replace it, then opens in
 * place. 「ロック」 and the idle lock are the only ways off the screen.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVault } from '../vault/vault';
import { vaultErrorMessage } from '../vault/errors';
import type { Vault } from '../vault/types';
import { createFakeSession } from '../../test/factories/fake-session';
import { createHousehold } from '../../test/factories/household';
import { useApp } from '../state/store';
import { App } from './app';
import { T } from './text';

vi.mock('../features/households/households-screen', () => ({
  HouseholdsScreen: () => <p>世帯一覧（テスト用）</p>,
}));

const MAIN_SCREEN = '世帯一覧（テスト用）';
const HANAKO = '日勤 花子';
const HANAKO_PASSPHRASE = 'hanako-no-nikkin-2026';
const JIRO = '当番 次郎';
/** typed by Hanako when she added Jiro */
const RECEIVED = 'hanako-ga-kimeta-2026';
const JIRO_OWN = 'jiro-dake-ga-shiru-bun';
// Key derivation (PBKDF2, 600k iterations) takes about half a second per call in Node.
const DERIVE = { timeout: 15_000 };

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  window.location.hash = '';
  localStorage.clear();
});

afterEach(() => {
  vi.useRealTimers();
  useApp.getState().vault?.close();
});

async function changeTo(user: UserEvent, received: string, own: string) {
  await user.type(screen.getByLabelText('登録時に受け取ったパスフレーズ'), received);
  await user.type(screen.getByLabelText('新しいパスフレーズ'), own);
  await user.type(screen.getByLabelText('新しいパスフレーズ（確認）'), own);
  await user.click(screen.getByLabelText('上記を理解しました'));
  await user.click(screen.getByRole('button', { name: '変更する' }));
}

describe('an added person’s first unlock', () => {
  it('shows only the passphrase change, decrypts nothing until it is made, then opens the app in place; the next unlock goes straight in', async () => {
    const name = `must-change-${crypto.randomUUID()}`;
    const setup = createVault(name);
    const hanako = await setup.setUp(HANAKO, HANAKO_PASSPHRASE);
    await hanako.put('household', 'hh_1', createHousehold({ id: 'hh_1' }), 'create');
    await hanako.addUser(HANAKO_PASSPHRASE, JIRO, RECEIVED);
    hanako.lock();
    setup.close();

    const user = userEvent.setup();
    render(<App openVault={() => createVault(name)} />);
    await user.click(await screen.findByRole('radio', { name: JIRO }));
    await user.type(screen.getByLabelText('パスフレーズ'), RECEIVED);
    await user.click(screen.getByRole('button', { name: '解錠' }));

    expect(await screen.findByRole('heading', { level: 1, name: T.mustChangeTitle }, DERIVE)).toBeVisible();
    expect(screen.getByText(T.mustChangeWhy)).toBeVisible();
    expect(useApp.getState().phase).toBe('unlocked');
    expect(useApp.getState().households.size).toBe(0);
    expect(useApp.getState().summaries.size).toBe(0);
    expect(screen.queryByText(MAIN_SCREEN)).toBeNull();
    expect(screen.queryByRole('navigation')).toBeNull();

    // The received passphrase kept is no change: the form says so before anything is derived.
    await changeTo(user, RECEIVED, RECEIVED);
    expect(await screen.findByText(vaultErrorMessage('unchanged-passphrase'))).toBeVisible();
    expect(screen.queryByText(MAIN_SCREEN)).toBeNull();

    await user.clear(screen.getByLabelText('新しいパスフレーズ'));
    await user.type(screen.getByLabelText('新しいパスフレーズ'), JIRO_OWN);
    await user.clear(screen.getByLabelText('新しいパスフレーズ（確認）'));
    await user.type(screen.getByLabelText('新しいパスフレーズ（確認）'), JIRO_OWN);
    await user.click(screen.getByRole('button', { name: '変更する' }));
    expect(await screen.findByText(MAIN_SCREEN, {}, DERIVE)).toBeVisible();
    expect(screen.queryByRole('heading', { name: T.mustChangeTitle })).toBeNull();
    expect(useApp.getState().households.has('hh_1')).toBe(true);
    expect(useApp.getState().session?.user.displayName).toBe(JIRO);

    await user.click(screen.getByRole('button', { name: 'ロック' }));
    await user.click(await screen.findByRole('radio', { name: JIRO }));
    await user.type(screen.getByLabelText('パスフレーズ'), JIRO_OWN);
    await user.click(screen.getByRole('button', { name: '解錠' }));
    expect(await screen.findByText(MAIN_SCREEN, {}, DERIVE)).toBeVisible();
    expect(useApp.getState().mustChangePassphrase).toBe(false);
  }, 60_000);
});

describe('the screen’s only ways out', () => {
  /** Unlocked as an added person who has not changed the passphrase yet (a fake session: no derivation). */
  async function unlockedAsAdded(idleLockMinutes = 5) {
    const vault: Vault = createVault(`must-change-${crypto.randomUUID()}`);
    const session = createFakeSession({ id: 'jiro', displayName: JIRO }, { mustChangePassphrase: true });
    await session.put('household', 'hh_1', createHousehold({ id: 'hh_1' }), 'create');
    useApp.setState({
      vault,
      session,
      phase: 'unlocked',
      mustChangePassphrase: true,
      users: [session.user],
      settings: { idleLockMinutes, reviewAfterMonths: 12 },
    });
    return { vault, session };
  }

  it('「ロック」 locks: the lock screen, no session, nothing changed', async () => {
    const { vault, session } = await unlockedAsAdded();
    const changePassphrase = vi.spyOn(session, 'changePassphrase');
    const user = userEvent.setup();
    render(<App openVault={() => vault} />);
    await screen.findByRole('heading', { level: 1, name: T.mustChangeTitle });
    expect(screen.queryByRole('button', { name: 'やめる' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'ロック' }));
    expect(await screen.findByRole('button', { name: '解錠' })).toBeVisible();
    const state = useApp.getState();
    expect(state.session).toBeNull();
    expect(state.mustChangePassphrase).toBe(false);
    expect(state.lockedBy).toBe('manual');
    expect(session.isLocked).toBe(true);
    expect(changePassphrase).not.toHaveBeenCalled();
    expect((await session.accessLog()).map((e) => e.action)).toEqual(['lock']);
  });

  it('locks after the idle time, as the app does', async () => {
    await unlockedAsAdded(1);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<App openVault={() => useApp.getState().vault!} />);
    await screen.findByRole('heading', { level: 1, name: T.mustChangeTitle });

    await act(() => vi.advanceTimersByTimeAsync(61_000));
    await waitFor(() => expect(useApp.getState().phase).toBe('locked'));
    expect(useApp.getState().lockedBy).toBe('idle');
    expect(await screen.findByText(T.idleLocked)).toBeVisible();
  });

  it('opens the app, with the records read, once the passphrase is changed', async () => {
    const { vault, session } = await unlockedAsAdded();
    const user = userEvent.setup();
    render(<App openVault={() => vault} />);
    await screen.findByRole('heading', { level: 1, name: T.mustChangeTitle });
    await changeTo(user, RECEIVED, JIRO_OWN);
    expect(await screen.findByText(MAIN_SCREEN)).toBeVisible();
    expect(session.mustChangePassphrase).toBe(false);
    expect(useApp.getState().households.has('hh_1')).toBe(true);
    expect(screen.getByRole('link', { name: '世帯' })).toHaveAttribute('aria-current', 'page');
  });
});
