import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Household } from '../domain/household';
import { VaultError } from '../vault/errors';
import type { Vault } from '../vault/types';
import { createVault } from '../vault/vault';
import { createFakeSession } from '../../test/factories/fake-session';
import { App, SLOW_START_MS } from './app';
import { ErrorBoundary } from './error-boundary';
import { useApp } from '../state/store';
import { T } from './text';

// The households feature is tested on its own; here it only has to show that the shell mounted it
// (or, when a test says so, fail to render as a record it cannot read once made it).
const listFails = vi.hoisted(() => ({ now: false }));
vi.mock('../features/households/households-screen', () => ({
  HouseholdsScreen: () => {
    if (listFails.now) throw new RangeError('Not a valid ISO calendar date: "2024-02-31"');
    return <p>世帯一覧（テスト用）</p>;
  },
}));

const PASSPHRASE = 'yoru-no-denwa-2026';
const STAFF = '夜間 太郎';
const MAIN_SCREEN = '世帯一覧（テスト用）';
// Key derivation (PBKDF2, 600k iterations) takes about half a second per call in Node.
const DERIVE = { timeout: 15_000 };

const freshName = () => `app-test-${crypto.randomUUID()}`;

/** A vault set up by STAFF and locked again, as the app finds it after a reload. */
async function setUpVault(name: string) {
  const vault = createVault(name);
  const session = await vault.setUp(STAFF, PASSPHRASE);
  session.lock();
  vault.close();
}

/** The app's top-level boundary around a render that throws: the crash screen. */
function renderCrash() {
  const Boom = () => {
    throw new Error('boom');
  };
  render(
    <ErrorBoundary>
      <Boom />
    </ErrorBoundary>,
  );
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  window.location.hash = '';
  localStorage.clear();
});

afterEach(() => {
  listFails.now = false;
  vi.useRealTimers();
  useApp.getState().vault?.close();
});

describe('first run', () => {
  it('asks for the acknowledgement, creates the vault, unlocks and mounts the main screen', async () => {
    const user = userEvent.setup();
    const name = freshName();
    render(<App openVault={() => createVault(name)} />);

    await screen.findByRole('heading', { level: 1, name: T.setupTitle });
    await user.type(screen.getByLabelText('表示名'), STAFF);
    await user.type(screen.getByLabelText('パスフレーズ'), PASSPHRASE);
    await user.type(screen.getByLabelText('パスフレーズ（確認）'), PASSPHRASE);
    expect(screen.getByText(/パスフレーズを忘れると、この端末のデータは誰にも読めなくなります。/)).toBeVisible();
    const start = screen.getByRole('button', { name: 'はじめる' });
    expect(start).toBeDisabled();
    await user.click(screen.getByLabelText('上記を理解しました'));
    expect(start).toBeEnabled();
    await user.click(start);

    await screen.findByText(MAIN_SCREEN, {}, DERIVE);
    expect(useApp.getState().phase).toBe('unlocked');
    expect(useApp.getState().session?.user.displayName).toBe(STAFF);
    expect(screen.getByRole('banner')).toContainElement(screen.getByRole('button', { name: 'ロック' }));
    // whose session it is: the name shown whole, 「職員：」 for screen readers only (it took the name's room at 360 px)
    expect(screen.getByRole('banner')).toHaveTextContent(`職員：${STAFF}`);
    expect(screen.getByText(T.signedInAsLabel)).toHaveClass('visually-hidden');
    expect(screen.getByRole('link', { name: '世帯' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: '設定' })).toHaveAttribute('href', '#/settings');
    // the area in the title (never a person's name: titles go into the browser's history)
    expect(document.title).toBe('世帯｜拠点ナビ');

    const check = createVault(name);
    expect(await check.isSetUp()).toBe(true);
    expect((await check.listUsers()).map((u) => u.displayName)).toEqual([STAFF]);
    check.close();
  });

  it('set up meanwhile in another tab, goes to the lock screen with its person instead of a dead end', async () => {
    const user = userEvent.setup();
    const name = freshName();
    render(<App openVault={() => createVault(name)} />);
    await screen.findByRole('heading', { level: 1, name: T.setupTitle });
    // the other tab (opened from the guide's link) sets the phone up first
    await setUpVault(name);
    await user.type(screen.getByLabelText('表示名'), '日勤 花子');
    await user.type(screen.getByLabelText('パスフレーズ'), PASSPHRASE);
    await user.type(screen.getByLabelText('パスフレーズ（確認）'), PASSPHRASE);
    await user.click(screen.getByLabelText('上記を理解しました'));
    await user.click(screen.getByRole('button', { name: 'はじめる' }));
    await waitFor(() => expect(useApp.getState().phase).toBe('locked'), DERIVE);
    expect(await screen.findByLabelText('パスフレーズ')).toBeVisible();
    expect(useApp.getState().users.map((u) => u.displayName)).toEqual([STAFF]);
  });

  it('checks the passphrase before deriving anything', async () => {
    const user = userEvent.setup();
    const vault = createVault(freshName());
    const setUp = vi.spyOn(vault, 'setUp');
    render(<App openVault={() => vault} />);

    await user.type(await screen.findByLabelText('表示名'), STAFF);
    await user.type(screen.getByLabelText('パスフレーズ'), 'short');
    await user.type(screen.getByLabelText('パスフレーズ（確認）'), 'short');
    await user.click(screen.getByLabelText('上記を理解しました'));
    await user.click(screen.getByRole('button', { name: 'はじめる' }));
    expect(await screen.findByText('パスフレーズは8文字以上にしてください。')).toBeVisible();

    await user.clear(screen.getByLabelText('パスフレーズ'));
    await user.type(screen.getByLabelText('パスフレーズ'), 'aaaaaaaa');
    await user.click(screen.getByRole('button', { name: 'はじめる' }));
    expect(await screen.findByText(/推測されやすいパスフレーズです。/)).toBeVisible();
    await user.clear(screen.getByLabelText('パスフレーズ'));
    await user.type(screen.getByLabelText('パスフレーズ'), 'short');

    await user.type(screen.getByLabelText('パスフレーズ'), '-and-longer');
    await user.click(screen.getByRole('button', { name: 'はじめる' }));
    expect(await screen.findByText('確認用のパスフレーズが一致しません。')).toBeVisible();
    expect(setUp).not.toHaveBeenCalled();
    expect(useApp.getState().phase).toBe('setup');
  });
});

describe('lock screen', () => {
  it('says the passphrase is wrong beside the field and stays locked, then unlocks with the right one', async () => {
    const user = userEvent.setup();
    const name = freshName();
    await setUpVault(name);
    render(<App openVault={() => createVault(name)} />);

    const field = await screen.findByLabelText('パスフレーズ');
    expect(field).toHaveFocus();
    expect(field).toHaveAttribute('type', 'password');
    // the browser is asked not to keep it: a saved passphrase opens the phone for whoever holds it
    expect(field).toHaveAttribute('autocomplete', 'off');
    expect(screen.getByText(STAFF)).toBeVisible();

    await user.type(field, 'wrong-passphrase');
    await user.click(screen.getByRole('button', { name: '解錠' }));
    await screen.findByText('パスフレーズが違います。', {}, DERIVE);
    expect(field).toHaveAccessibleDescription('パスフレーズが違います。');
    expect(useApp.getState().phase).toBe('locked');
    expect(useApp.getState().session).toBeNull();
    expect(screen.queryByText(MAIN_SCREEN)).toBeNull();

    await user.clear(field);
    await user.type(field, PASSPHRASE);
    await user.click(screen.getByRole('button', { name: '解錠' }));
    await screen.findByText(MAIN_SCREEN, {}, DERIVE);
    expect(useApp.getState().lockedBy).toBeNull();
  });

  it('keeps the app bar, the nav and sync when one screen fails to render, and shows the next screen afresh', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const user = userEvent.setup();
    const name = freshName();
    await setUpVault(name);
    listFails.now = true;
    render(<App openVault={() => createVault(name)} />);
    await user.type(await screen.findByLabelText('パスフレーズ'), PASSPHRASE);
    await user.click(screen.getByRole('button', { name: '解錠' }));

    await screen.findByRole('heading', { level: 1, name: T.screenCrashTitle }, DERIVE);
    expect(screen.getByRole('alert')).toHaveTextContent('同期も続いています');
    expect(screen.getByRole('button', { name: T.lock })).toBeVisible();
    expect(screen.getByRole('navigation', { name: T.navLabel })).toBeVisible();
    expect(useApp.getState().session).not.toBeNull();
    // once what made it fail is gone (the hub withdrew the record), the screen shows again
    listFails.now = false;
    act(() => {
      window.location.hash = '#/households?q=';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    await screen.findByText(MAIN_SCREEN);
    expect(screen.queryByRole('heading', { name: T.screenCrashTitle })).toBeNull();
  });

  it('starts a fresh page from the list, whatever record the URL pointed at', async () => {
    window.location.hash = '#/households/someone/edit';
    const vault = createVault(freshName());
    render(<App openVault={() => vault} />);
    await screen.findByRole('heading', { level: 1, name: T.setupTitle });
    expect(window.location.hash).toBe('');
  });

  it('waits out the throttle with a live countdown and the button disabled', async () => {
    const name = freshName();
    await setUpVault(name);
    const vault = createVault(name);
    const retryAt = new Date(Date.now() + 3_000).toISOString();
    vi.spyOn(vault, 'throttle').mockResolvedValue({ failures: 4, retryAt });
    render(<App openVault={() => vault} />);

    expect(await screen.findByText(T.throttled)).toBeVisible();
    expect(screen.getByRole('button', { name: '解錠' })).toBeDisabled();
    expect(screen.getByRole('timer')).toHaveTextContent(/あと[23]秒お待ちください。/);
    await waitFor(() => expect(screen.getByRole('timer')).toHaveTextContent('あと1秒お待ちください。'), { timeout: 3_000 });
    await waitFor(() => expect(screen.getByRole('button', { name: '解錠' })).toBeEnabled(), { timeout: 3_000 });
    expect(screen.queryByRole('timer')).toBeNull();
  });

  it('counts the wrong passphrases and, after five, says plainly what to do when it is lost', async () => {
    const name = freshName();
    await setUpVault(name);
    const vault = createVault(name);
    vi.spyOn(vault, 'throttle').mockResolvedValue({ failures: 4, retryAt: null });
    const { unmount } = render(<App openVault={() => vault} />);
    expect(await screen.findByText(T.failedCount(4))).toBeVisible();
    expect(screen.queryByText(T.forgotHelp)).toBeNull();
    unmount();
    useApp.getState().vault?.close();
    useApp.setState(useApp.getInitialState(), true);

    const again = createVault(name);
    vi.spyOn(again, 'throttle').mockResolvedValue({ failures: 5, retryAt: null });
    render(<App openVault={() => again} />);
    expect(await screen.findByText(T.forgotHelp)).toBeVisible();
  });

  it('lets the holder of the hub phone pick who they are', async () => {
    const user = userEvent.setup();
    const vault = createVault(freshName());
    const users = [
      { id: 'u1', displayName: '日勤 花子', createdAt: '2026-04-01T00:00:00.000Z' },
      { id: 'u2', displayName: '夜間 太郎', createdAt: '2026-04-02T00:00:00.000Z' },
    ];
    vi.spyOn(vault, 'isSetUp').mockResolvedValue(true);
    vi.spyOn(vault, 'listUsers').mockResolvedValue(users);
    const unlock = vi.spyOn(vault, 'unlock').mockRejectedValue(new VaultError('wrong-passphrase'));
    render(<App openVault={() => vault} />);

    await user.click(await screen.findByRole('radio', { name: '夜間 太郎' }));
    await user.type(screen.getByLabelText('パスフレーズ'), 'whatever-it-is');
    await user.click(screen.getByRole('button', { name: '解錠' }));
    // With several people on the phone, the message names whose passphrase was asked for.
    await screen.findByText('夜間 太郎さんのパスフレーズが違います。ご自分の名前が「職員」で選ばれているか確かめてください。');
    expect(unlock).toHaveBeenCalledWith('u2', 'whatever-it-is');
    expect(screen.getByRole('radio', { name: '夜間 太郎' })).toBeChecked();
  });

  it('lets the list of staff be walked with the arrow keys: the focus stays on it until a name is chosen', async () => {
    const user = userEvent.setup();
    const vault = createVault(freshName());
    const users = ['日勤 花子', '夜間 太郎', '調整 次郎', '当直 四郎'].map((displayName, i) => ({ id: `u${i + 1}`, displayName, createdAt: `2026-04-0${i + 1}T00:00:00.000Z` }));
    vi.spyOn(vault, 'isSetUp').mockResolvedValue(true);
    vi.spyOn(vault, 'listUsers').mockResolvedValue(users);
    render(<App openVault={() => vault} />);
    const first = await screen.findByRole('radio', { name: '日勤 花子' });
    first.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(screen.getByRole('radio', { name: '調整 次郎' })).toBeChecked();
    expect(screen.getByRole('radio', { name: '調整 次郎' })).toHaveFocus();
    // a click chooses and goes on to the passphrase
    await user.click(screen.getByRole('radio', { name: '当直 四郎' }));
    expect(screen.getByLabelText('パスフレーズ')).toHaveFocus();
  });
});

describe('idle lock', () => {
  async function unlockedWithData(minutes: number) {
    await useApp.getState().start(createVault(freshName()));
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    await useApp.getState().updateSettings({ idleLockMinutes: minutes });
    const household = { id: 'h1', persons: [{ name: '佐藤 陽太' }] } as unknown as Household;
    useApp.setState({ households: new Map([['h1', household]]) });
    const sawSession: boolean[] = [];
    const beforeLock = vi.fn(() => {
      sawSession.push(useApp.getState().session !== null);
    });
    useApp.getState().onBeforeLock(beforeLock);
    return { beforeLock, sawSession };
  }

  it('locks after the configured minutes without activity, saving drafts first and dropping decrypted data', async () => {
    const { beforeLock, sawSession } = await unlockedWithData(2);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<App openVault={() => useApp.getState().vault!} />);
    await screen.findByText(MAIN_SCREEN);

    await act(() => vi.advanceTimersByTimeAsync(119_000));
    expect(useApp.getState().phase).toBe('unlocked');
    // Activity pushes the deadline back.
    fireEvent.pointerDown(document.body);
    await act(() => vi.advanceTimersByTimeAsync(119_000));
    expect(useApp.getState().phase).toBe('unlocked');
    expect(beforeLock).not.toHaveBeenCalled();

    await act(() => vi.advanceTimersByTimeAsync(2_000));
    await waitFor(() => expect(useApp.getState().phase).toBe('locked'));
    expect(beforeLock).toHaveBeenCalledTimes(1);
    expect(sawSession).toEqual([true]);
    const state = useApp.getState();
    expect(state.session).toBeNull();
    expect(state.households.size).toBe(0);
    expect(state.lockedBy).toBe('idle');
    expect(await screen.findByText(T.idleLocked)).toBeVisible();
    expect(screen.getByRole('button', { name: '解錠' })).toBeVisible();
  });

  it('locks on return when the page was hidden longer than the limit (background timers do not run)', async () => {
    const { beforeLock } = await unlockedWithData(1);
    vi.useFakeTimers({ shouldAdvanceTime: true });
    render(<App openVault={() => useApp.getState().vault!} />);
    await screen.findByText(MAIN_SCREEN);

    // The phone sleeps: the wall clock moves on, no timer fires.
    vi.setSystemTime(Date.now() + 5 * 60_000);
    act(() => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await waitFor(() => expect(useApp.getState().phase).toBe('locked'));
    expect(beforeLock).toHaveBeenCalledTimes(1);
    expect(useApp.getState().households.size).toBe(0);
  });

  it('covers the screens at once while a slow draft save holds the lock back: nothing shown, nothing to tap', async () => {
    await unlockedWithData(5);
    let release: () => void = () => undefined;
    useApp.getState().onBeforeLock(() => new Promise<void>((done) => (release = done)));
    render(<App openVault={() => useApp.getState().vault!} />);
    const lockButton = await screen.findByRole('button', { name: 'ロック' });
    let locked: Promise<void> = Promise.resolve();
    act(() => {
      locked = useApp.getState().lock('idle');
    });
    // The draft is still being saved: the records are still in memory, but no screen shows them.
    expect(useApp.getState().session).not.toBeNull();
    expect(await screen.findByText(T.locking)).toBeVisible();
    expect(screen.getByText(MAIN_SCREEN)).not.toBeVisible();
    expect(lockButton).not.toBeVisible();
    expect(lockButton.closest('[inert]')).not.toBeNull();
    await act(async () => {
      release();
      await locked;
    });
    expect(await screen.findByRole('button', { name: '解錠' })).toBeVisible();
    expect(screen.queryByText(T.locking)).toBeNull();
  });

  it('says at the handover how many changes still wait for the hub, on a phone joined to one (a count, read while locked)', async () => {
    const name = freshName();
    const vault = createVault(name);
    const session = await vault.setUp(STAFF, PASSPHRASE);
    await session.put('household', 'hh-1', { id: 'hh-1' }, 'create');
    session.lock();
    vault.close();
    // not joined: the queue waits for a hub there is none of, and nothing is said
    render(<App openVault={() => createVault(name)} />);
    await screen.findByRole('button', { name: '解錠' });
    await waitFor(() => expect(useApp.getState().vault).not.toBeNull());
    expect(screen.queryByText(/まだ送信していない変更/)).toBeNull();

    const joined = await useApp.getState().vault!.unlock(useApp.getState().users[0]!.id, PASSPHRASE);
    await joined.sync.saveHubLink({ hub: 'aozora', loginName: 'taro', userId: 'u-taro', displayName: STAFF, role: 'coordinator', deviceSecret: 'secret-0123456789', cursor: 0, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false });
    const pending = await joined.sync.queueCounts();
    // the household is the one change; the rest are the 閲覧記録 of the unlocks, named apart
    const accessLog = (await joined.accessLog()).length;
    joined.lock();
    act(() => useApp.setState({ lockedBy: 'manual' }));
    expect(accessLog).toBeGreaterThan(0);
    expect(pending.pending).toBe(1 + accessLog);
    expect(await screen.findByText(T.lockPending(1, accessLog))).toBeInTheDocument();
    expect(screen.getByText(/変更が、この端末に1件あります（ほかに閲覧記録/)).toBeInTheDocument();
  }, 30_000);

  it('at a handover with only 閲覧記録 waiting, says that it is only those (not the day’s records)', async () => {
    const name = freshName();
    const vault = createVault(name);
    const session = await vault.setUp(STAFF, PASSPHRASE);
    await session.sync.saveHubLink({ hub: 'aozora', loginName: 'taro', userId: 'u-taro', displayName: STAFF, role: 'coordinator', deviceSecret: 'secret-0123456789', cursor: 0, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false });
    session.lock();
    // unlocked again (another 閲覧記録 entry), and the first entry the hub refused: it is not
    // waiting, and it is named apart (kept, with its reason under 設定)
    const again = await vault.unlock(session.user.id, PASSPHRASE);
    const [refusedRow, ...waiting] = await again.outbox();
    expect(refusedRow!.kind).toBe('access');
    await again.sync.acknowledge([{ seq: refusedRow!.seq, mutationId: refusedRow!.mutationId, status: 'refused', reason: 'invalid', detail: 'x', retryable: false }]);
    expect(waiting.length).toBeGreaterThan(0);
    again.lock();
    vault.close();
    render(<App openVault={() => createVault(name)} />);
    expect(await screen.findByText(T.lockPending(0, waiting.length))).toBeInTheDocument();
    expect(screen.getByText(T.lockRefused(1))).toBeInTheDocument();
    expect(screen.queryByText(/まだ送信していない変更/)).toBeNull();
  }, 30_000);

  it('counts again when the lock screen comes back into view: the day\'s changes made in another tab since', async () => {
    const name = freshName();
    const vault = createVault(name);
    const session = await vault.setUp(STAFF, PASSPHRASE);
    await session.sync.saveHubLink({ hub: 'aozora', loginName: 'taro', userId: 'u-taro', displayName: STAFF, role: 'coordinator', deviceSecret: 'secret-0123456789', cursor: 0, scope: null, lastSyncAt: null, openConflicts: 0, signedOut: false });
    session.lock();
    vault.close();
    render(<App openVault={() => createVault(name)} />);
    expect(await screen.findByText(/まだ送信していない閲覧記録が/)).toBeInTheDocument();
    // another tab (its own connection) saves three households and locks; this tab stayed locked
    const other = createVault(name);
    const tab = await other.unlock(session.user.id, PASSPHRASE);
    for (const id of ['hh-1', 'hh-2', 'hh-3']) await tab.put('household', id, { id }, 'create');
    tab.lock();
    other.close();
    act(() => {
      window.dispatchEvent(new Event('focus'));
    });
    expect(await screen.findByText(/まだ送信していない変更が、この端末に3件あります/)).toBeInTheDocument();
  }, 30_000);

  it('the lock button locks at once, without the idle message', async () => {
    const user = userEvent.setup();
    const { beforeLock } = await unlockedWithData(5);
    render(<App openVault={() => useApp.getState().vault!} />);
    await user.click(await screen.findByRole('button', { name: 'ロック' }));
    await screen.findByRole('button', { name: '解錠' });
    expect(beforeLock).toHaveBeenCalledTimes(1);
    expect(useApp.getState().lockedBy).toBe('manual');
    expect(screen.queryByText(T.idleLocked)).toBeNull();
  });
});

describe('storage errors', () => {
  it('a lost connection at the first 解錠 asks for 解錠 again, and the app opens after it without a stale 再試行 banner', async () => {
    const name = freshName();
    await setUpVault(name);
    let first = true;
    const openVault = () => {
      const vault = createVault(name);
      return {
        ...vault,
        unlock: (id: string, passphrase: string) => {
          if (first) {
            first = false;
            return Promise.reject(new VaultError('connection-lost'));
          }
          return vault.unlock(id, passphrase);
        },
      } as typeof vault;
    };
    render(<App openVault={openVault} />);
    fireEvent.change(await screen.findByLabelText('パスフレーズ'), { target: { value: PASSPHRASE } });
    fireEvent.click(screen.getByRole('button', { name: '解錠' }));
    expect(await screen.findByText(T.unlockConnectionLost)).toBeVisible();
    fireEvent.change(screen.getByLabelText('パスフレーズ'), { target: { value: PASSPHRASE } });
    fireEvent.click(screen.getByRole('button', { name: '解錠' }));
    await screen.findByText(MAIN_SCREEN, {}, DERIVE);
    // the banner asked for 再試行, which locked the phone again: a third passphrase during the call
    expect(screen.queryByRole('button', { name: '再試行' })).not.toBeInTheDocument();
    expect(useApp.getState().error).toBeNull();
  });

  it('after a lost connection, says the same button again saves (the input stays), and offers 開き直す, which reopens the vault and starts again', async () => {
    const user = userEvent.setup();
    // the old connection answers nothing now
    const old = { close: vi.fn(), waiting: () => new Promise(() => undefined), throttle: () => new Promise(() => undefined) } as unknown as Vault;
    const session = createFakeSession();
    const beforeLock = vi.fn();
    useApp.setState({ vault: old, phase: 'unlocked', session, error: new VaultError('connection-lost') });
    useApp.getState().onBeforeLock(beforeLock);
    const fresh = createVault(freshName());
    const openVault = vi.fn(() => fresh);
    render(<App openVault={openVault} />);

    expect(await screen.findByText(/保存データとの接続が途切れました/)).toBeVisible();
    expect(screen.getByText(/入力中の内容は画面に残っています。もう一度同じボタンを押してください。/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: '開き直す' }));
    await screen.findByRole('heading', { level: 1, name: T.setupTitle });
    expect(old.close).toHaveBeenCalled();
    expect(openVault).toHaveBeenCalledTimes(1);
    expect(useApp.getState().vault).toBe(fresh);
    expect(useApp.getState().session).toBeNull();
    // the session ended as a lock ends it: drafts saved, its 'lock' in the 閲覧記録, its key dropped
    expect(beforeLock).toHaveBeenCalledTimes(1);
    expect((await session.accessLog()).map((e) => e.action)).toContain('lock');
    expect(session.isLocked).toBe(true);
  });

  it('after a lost connection, 閉じる only closes the banner: the phone stays unlocked for the same button again', async () => {
    const user = userEvent.setup();
    const session = createFakeSession();
    useApp.setState({ vault: createVault(freshName()), phase: 'unlocked', session, error: new VaultError('connection-lost') });
    render(<App openVault={() => useApp.getState().vault!} />);
    await screen.findByText(/保存データとの接続が途切れました/);
    await user.click(screen.getByRole('button', { name: '閉じる' }));
    await waitFor(() => expect(useApp.getState().error).toBeNull());
    expect(useApp.getState().phase).toBe('unlocked');
    expect(useApp.getState().session).toBe(session);
  });

  it('says while a form\'s text cannot be autosaved that a lock would lose it, and on the lock screen when a lock did', async () => {
    await useApp.getState().start(createVault(freshName()));
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    render(<App openVault={() => useApp.getState().vault!} />);
    await screen.findByText(MAIN_SCREEN);
    act(() => useApp.getState().markDraftFailing('household:h1', true));
    expect(await screen.findByText(T.draftFailing)).toBeVisible();
    // the form's text could not be saved before the lock either
    const failed = () => Promise.reject(new VaultError('quota-exceeded'));
    act(() => void useApp.getState().onBeforeLock(failed));
    await act(() => useApp.getState().lock('manual'));
    expect(await screen.findByText(T.lockLostDrafts)).toBeVisible();
    expect(screen.queryByText(T.draftFailing)).toBeNull();
  });

  it('shows the full-disk message; 閉じる (not a 再試行 that retries nothing) clears it so the form can save again', async () => {
    const user = userEvent.setup();
    useApp.setState({ vault: createVault(freshName()), phase: 'unlocked', session: createFakeSession(), error: new VaultError('quota-exceeded') });
    render(<App openVault={() => useApp.getState().vault!} />);

    expect(await screen.findByText(/端末の保存容量が足りません。/)).toBeVisible();
    expect(screen.getByText(MAIN_SCREEN)).toBeVisible();
    expect(screen.queryByRole('button', { name: '再試行' })).toBeNull();
    await user.click(screen.getByRole('button', { name: '閉じる' }));
    await waitFor(() => expect(useApp.getState().error).toBeNull());
    expect(useApp.getState().phase).toBe('unlocked');
  });

  it('says what to do when the start does not end (another tab holds the storage), with 再読み込み', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const held = createVault(freshName());
    vi.spyOn(held, 'isSetUp').mockReturnValue(new Promise<boolean>(() => undefined));
    render(<App openVault={() => held} />);
    expect(await screen.findByText(T.starting)).toBeVisible();
    expect(screen.queryByText(T.startingSlow)).toBeNull();
    await act(() => vi.advanceTimersByTimeAsync(SLOW_START_MS));
    expect(await screen.findByText(T.startingSlow)).toBeVisible();
    expect(screen.getByRole('button', { name: T.reload })).toBeVisible();
  });

  it('never shows a blank screen when the vault cannot be opened', async () => {
    const user = userEvent.setup();
    const broken = createVault(freshName());
    vi.spyOn(broken, 'isSetUp').mockRejectedValue(Object.assign(new Error('Connection to Indexed Database server lost'), { name: 'UnknownError' }));
    const good = createVault(freshName());
    const openVault = vi.fn<() => Vault>().mockReturnValueOnce(broken).mockReturnValueOnce(good);
    render(<App openVault={openVault} />);

    await screen.findByRole('heading', { level: 1, name: T.failedTitle });
    expect(screen.getByText(/保存データとの接続が途切れました/)).toBeVisible();
    await user.click(screen.getByRole('button', { name: '再試行' }));
    await screen.findByRole('heading', { level: 1, name: T.setupTitle });
  });

  it('says the browser refuses its storage (a private window, site data blocked) and offers a reload, not a 再試行 that fails again', async () => {
    const refused = createVault(freshName());
    vi.spyOn(refused, 'isSetUp').mockRejectedValue(Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' }));
    render(<App openVault={() => refused} />);
    await screen.findByRole('heading', { level: 1, name: T.failedTitle });
    expect(screen.getByText(/端末へのデータの保存を許可していません（プライベートブラウズのウィンドウか/)).toBeVisible();
    expect(screen.queryByRole('button', { name: '再試行' })).toBeNull();
    expect(screen.getByRole('button', { name: T.reload })).toBeVisible();
  });

  it('catches a render error with a Japanese message and a reload button', () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderCrash();
    expect(screen.getByRole('heading', { name: T.crashTitle })).toBeVisible();
    expect(screen.getByRole('button', { name: T.reload })).toBeVisible();
  });

  it('a crash while the key is being derived: the unlock finishes locked, nothing is read behind the crash screen', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const name = freshName();
    await setUpVault(name);
    const vault = createVault(name);
    useApp.setState({ vault, phase: 'locked', users: await vault.listUsers() });
    const [staff] = useApp.getState().users;
    let derive = () => undefined as void;
    const derived = new Promise<void>((resolve) => (derive = resolve));
    const unlockWithKey = vault.unlock.bind(vault);
    let opened: Awaited<ReturnType<Vault['unlock']>> | undefined;
    vi.spyOn(vault, 'unlock').mockImplementation(async (...args) => {
      await derived;
      opened = await unlockWithKey(...args);
      return opened;
    });
    const unlocking = useApp.getState().unlock(staff!.id, PASSPHRASE);
    renderCrash();
    await waitFor(() => expect(useApp.getState().lockedBy).toBe('crash'));
    derive();
    await unlocking;
    expect(opened?.isLocked).toBe(true);
    expect(useApp.getState()).toMatchObject({ session: null, phase: 'locked', households: new Map() });
    expect(screen.getByRole('heading', { name: T.crashTitle })).toBeVisible();
  }, 30_000);

  it('locks when the app shell crashes: the crash screen has no idle lock, so nothing decrypted stays behind it', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const session = createFakeSession();
    useApp.setState({ vault: createVault(freshName()), phase: 'unlocked', session });
    renderCrash();
    expect(screen.getByRole('heading', { name: T.crashTitle })).toBeVisible();
    await waitFor(() => expect(useApp.getState().phase).toBe('locked'));
    expect(useApp.getState().session).toBeNull();
    expect(session.isLocked).toBe(true);
    // the lock is on the 閲覧記録 like any other, and the crash screen stays
    expect((await session.accessLog()).map((e) => e.action)).toContain('lock');
    expect(screen.getByRole('button', { name: T.reload })).toBeVisible();
  });
});
