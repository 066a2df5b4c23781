import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { summarizeHousehold } from '../../domain/household-summary';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import type { Household } from '../../domain/household';
import { VaultError } from '../../vault/errors';
import { createVault } from '../../vault/vault';
import { HomeScreenBanner } from './home-screen-warning';
import { SettingsScreen } from './settings-screen';
import { T } from './text';
import { act } from 'react';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import type { SyncEngine } from '../../sync/engine';
import { lastCaseOffice, rememberCaseOffice } from '../../state/case-office';
import { rememberLiaison, wasLiaison } from '../../state/liaison-hint';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

const freshName = () => `settings-test-${crypto.randomUUID()}`;

/** A minimal household: the settings screen only reads the persons' names. */
function household(id: string, names: string[]): Household {
  return createHousehold({ id, persons: names.map((name, i) => createPerson({ id: `${id}-p${i}`, name })) });
}

function unlockedWithFakeSession() {
  const session = createFakeSession({ displayName: '夜間 太郎' });
  useApp.setState({ vault: createVault(freshName()), phase: 'unlocked', session, users: [session.user] });
  return session;
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  localStorage.clear();
});

afterEach(() => {
  // a test that fails while the clock is faked must not leave the next one on a fake clock
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  useApp.getState().vault?.close();
});

describe('settings: lock timing and review interval', () => {
  it('explains out-of-range values beside the field and saves valid ones', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    render(<SettingsScreen />);

    const idle = screen.getByLabelText(T.idleLockLabel);
    const review = screen.getByLabelText(T.reviewLabel);
    expect(idle).toHaveValue('5');
    expect(review).toHaveValue('12');

    await user.clear(idle);
    await user.type(idle, '0');
    await user.clear(review);
    await user.type(review, '61');
    await user.click(screen.getByRole('button', { name: T.saveSettings }));
    expect(idle).toHaveAccessibleDescription(expect.stringContaining(T.idleLockInvalid));
    expect(review).toHaveAccessibleDescription(expect.stringContaining(T.reviewInvalid));
    expect(useApp.getState().settings).toEqual({ idleLockMinutes: 5, reviewAfterMonths: 12 });

    await user.clear(idle);
    await user.type(idle, '１０');
    await user.clear(review);
    await user.type(review, '6');
    await user.click(screen.getByRole('button', { name: T.saveSettings }));
    expect(await screen.findByText(T.saved)).toBeVisible();
    expect(useApp.getState().settings).toEqual({ idleLockMinutes: 10, reviewAfterMonths: 6 });
    expect(await useApp.getState().vault!.settings()).toEqual({ idleLockMinutes: 10, reviewAfterMonths: 6 });
    expect(screen.queryByText(T.idleLockInvalid)).toBeNull();
  });
});

describe('settings: access log and pending changes', () => {
  it('lists who opened which household, newest first, in Japan time, and the number of waiting changes', async () => {
    const session = unlockedWithFakeSession();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T17:10:00.000Z'));
    await session.logAccess('unlock', null);
    vi.setSystemTime(new Date('2026-11-22T17:12:00.000Z'));
    await session.logAccess('open-household', 'h1');
    vi.setSystemTime(new Date('2026-11-22T17:13:00.000Z'));
    await session.logAccess('open-household', 'gone');
    vi.useRealTimers();
    await session.put('household', 'h1', household('h1', ['佐藤 陽太', '佐藤 みなみ']), 'create');
    useApp.setState({ summaries: new Map([['h1', summarizeHousehold(household('h1', ['佐藤 陽太', '佐藤 みなみ']))]]) });

    render(<SettingsScreen />);
    const log = await screen.findByRole('list', { name: T.accessLogTitle });
    const items = within(log).getAllByRole('listitem');
    expect(items.map((li) => li.textContent)).toEqual([
      `2026年11月23日 02:13夜間 太郎　${T.action['open-household']}：${T.unknownHousehold}`,
      `2026年11月23日 02:12夜間 太郎　${T.action['open-household']}：佐藤 陽太・佐藤 みなみ`,
      `2026年11月23日 02:10夜間 太郎　${T.action.unlock}`,
    ]);
    expect(await screen.findByText(T.pendingCount(1))).toBeVisible();
    expect(screen.getByText(T.pendingNote)).toBeVisible();
  });

  it('変更待ち follows the same counts as the sync line, the refused ones apart, as they change', async () => {
    unlockedWithFakeSession();
    syncStatus.setState({ ...initialSyncStatus, engine: {} as SyncEngine, pending: 3, refused: 1 });
    try {
      render(<SettingsScreen />);
      expect(screen.getByText(new RegExp(`${T.pendingCount(3)}`))).toHaveTextContent(T.refusedCount(1));
      act(() => syncStatus.setState({ pending: 0, refused: 0 }));
      expect(screen.getByText(T.pendingCount(0))).toBeVisible();
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });

  it('shows at most the latest 100 entries', async () => {
    const session = unlockedWithFakeSession();
    for (let i = 0; i < 120; i += 1) await session.logAccess('unlock', null);
    render(<SettingsScreen />);
    const log = await screen.findByRole('list', { name: T.accessLogTitle });
    expect(within(log).getAllByRole('listitem')).toHaveLength(100);
  });
});

describe('settings: storage', () => {
  it('shows whether the data is protected and asks for protection on request', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    let persisted = false;
    const persist = vi.fn(async () => (persisted = true));
    vi.stubGlobal('navigator', {
      ...navigator,
      userAgent: navigator.userAgent,
      storage: { persisted: async () => persisted, persist, estimate: async () => ({ usage: 3_500_000, quota: 1_000_000_000 }) },
    });
    render(<SettingsScreen />);

    expect(await screen.findByText(T.notPersisted)).toBeVisible();
    expect(screen.getByText(T.usageValue('3.5 MB', '1,000.0 MB'))).toBeVisible();
    await user.click(screen.getByRole('button', { name: T.persistButton }));
    expect(await screen.findByText(T.persisted)).toBeVisible();
    expect(persist).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: T.persistButton })).toBeNull();
  });

  it('copes with a browser without the Storage API', async () => {
    unlockedWithFakeSession();
    vi.stubGlobal('navigator', { ...navigator, userAgent: navigator.userAgent, storage: undefined });
    render(<SettingsScreen />);
    expect(await screen.findByText(T.persistUnknown)).toBeVisible();
    expect(screen.getByText(T.usageUnknown)).toBeVisible();
  });
});

describe('settings: iOS home-screen warning', () => {
  it('warns on iPhone Safari in the settings and as a banner that can be dismissed', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE_UA);
    render(
      <>
        <HomeScreenBanner />
        <SettingsScreen />
      </>,
    );
    expect(screen.getAllByText(T.iosWarning)).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: T.dismiss }));
    expect(screen.getAllByText(T.iosWarning)).toHaveLength(1);
  });

  it('says nothing elsewhere', () => {
    unlockedWithFakeSession();
    render(<SettingsScreen />);
    expect(screen.queryByText(T.iosWarning)).toBeNull();
  });
});

describe('settings: users', () => {
  it('adds a second user after the current one re-enters their passphrase', async () => {
    const user = userEvent.setup();
    const PASSPHRASE = 'yoru-no-denwa-2026';
    await useApp.getState().start(createVault(freshName()));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    render(<SettingsScreen />);

    await user.click(screen.getByRole('button', { name: T.addUser }));
    const add = screen.getByRole('form', { name: T.addUserTitle });
    const submit = within(add).getByRole('button', { name: T.addUserSubmit });
    expect(within(add).getByText(/パスフレーズを忘れると、この端末のデータは誰にも読めなくなります。/)).toBeVisible();
    expect(submit).toBeDisabled();

    await user.type(within(add).getByLabelText(T.currentPassphraseForAdd), PASSPHRASE);
    await user.type(within(add).getByLabelText(T.newUserName), '夜間 太郎');
    await user.type(within(add).getByLabelText(T.newUserPassphrase), 'nikkin-no-hanako');
    await user.type(within(add).getByLabelText(T.newUserPassphraseConfirm), 'nikkin-no-hanako!');
    await user.click(within(add).getByLabelText('上記を理解しました'));
    await user.click(submit);
    expect(within(add).getByText(T.nameTaken)).toBeVisible();
    expect(within(add).getByText('確認用のパスフレーズが一致しません。')).toBeVisible();

    // a name over 100 characters is said beside the field, not as 予期しないエラー from the vault
    await user.clear(within(add).getByLabelText(T.newUserName));
    await user.click(within(add).getByLabelText(T.newUserName));
    await user.paste('長'.repeat(101));
    await user.click(submit);
    expect(within(add).getByText('表示名は100文字以内で入力してください。')).toBeVisible();
    await user.clear(within(add).getByLabelText(T.newUserName));
    await user.type(within(add).getByLabelText(T.newUserName), '日勤 花子');
    // The enrolling person's own passphrase for the new person: either could unlock as the other.
    await user.clear(within(add).getByLabelText(T.newUserPassphrase));
    await user.type(within(add).getByLabelText(T.newUserPassphrase), PASSPHRASE);
    await user.clear(within(add).getByLabelText(T.newUserPassphraseConfirm));
    await user.type(within(add).getByLabelText(T.newUserPassphraseConfirm), PASSPHRASE);
    await user.click(submit);
    expect(within(add).getByText(/あなたのパスフレーズと同じです。/)).toBeVisible();
    // A passphrase a thief tries first.
    for (const field of [T.newUserPassphrase, T.newUserPassphraseConfirm]) {
      await user.clear(within(add).getByLabelText(field));
      await user.type(within(add).getByLabelText(field), '12345678');
    }
    await user.click(submit);
    expect(within(add).getByText(/推測されやすいパスフレーズです。/)).toBeVisible();
    expect(useApp.getState().users).toHaveLength(1);

    for (const field of [T.newUserPassphrase, T.newUserPassphraseConfirm]) {
      await user.clear(within(add).getByLabelText(field));
      await user.type(within(add).getByLabelText(field), 'nikkin-no-hanako');
    }
    await user.click(submit);

    expect(await screen.findByText(T.userAdded('日勤 花子'), {}, { timeout: 15_000 })).toBeVisible();
    await waitFor(() => expect(useApp.getState().users.map((u) => u.displayName)).toEqual(['夜間 太郎', '日勤 花子']));
    expect(screen.getByText('日勤 花子')).toBeVisible();
    // the 閲覧記録 on the same screen shows who added whom at once, not after leaving 設定
    const log = screen.getByRole('list', { name: T.accessLogTitle });
    expect(await within(log).findByText(new RegExp(`^${T.action['add-user']}`))).toBeVisible();
  });

  it('removes another person from the phone after the current one re-enters their passphrase, and says what happens first', async () => {
    const user = userEvent.setup();
    const PASSPHRASE = 'yoru-no-denwa-2026';
    await useApp.getState().start(createVault(freshName()));
    await useApp.getState().setUp('夜間 太郎', PASSPHRASE);
    const session = useApp.getState().session!;
    const hanako = await session.addUser(PASSPHRASE, '日勤 花子', 'nikkin-no-hanako');
    rememberCaseOffice(hanako.id, 'office-sakura');
    rememberLiaison(hanako.id, true);
    await useApp.getState().refreshUsers();
    render(<SettingsScreen />);

    // Only the others can be removed: no button beside the person unlocked.
    expect(screen.queryByRole('button', { name: T.removeUserLabel('夜間 太郎') })).toBeNull();
    const remove = screen.getByRole('button', { name: T.removeUserLabel('日勤 花子') });
    expect(remove).toHaveTextContent(T.removeUser);
    await user.click(remove);
    const form = screen.getByRole('form', { name: T.removeUserTitle('日勤 花子') });
    expect(within(form).getByText('この人はこの端末を解錠できなくなります。送信前の記録は残り、送信されます。')).toBeVisible();
    const submit = within(form).getByRole('button', { name: T.removeUserSubmit });

    await user.click(submit);
    expect(within(form).getByLabelText(T.currentPassphraseForRemove)).toHaveAccessibleDescription(T.currentRequired);
    await user.type(within(form).getByLabelText(T.currentPassphraseForRemove), 'not-my-passphrase');
    await user.click(submit);
    expect(await within(form).findByText('パスフレーズが違います。', {}, { timeout: 15_000 })).toBeVisible();
    expect(within(form).getByLabelText(T.currentPassphraseForRemove)).toHaveAccessibleDescription('パスフレーズが違います。');
    expect(useApp.getState().users).toHaveLength(2);

    await user.clear(within(form).getByLabelText(T.currentPassphraseForRemove));
    await user.type(within(form).getByLabelText(T.currentPassphraseForRemove), PASSPHRASE);
    await user.click(submit);

    expect(await screen.findByText(T.userRemoved('日勤 花子'), {}, { timeout: 15_000 })).toBeVisible();
    await waitFor(() => expect(useApp.getState().users.map((u) => u.displayName)).toEqual(['夜間 太郎']));
    expect(screen.queryByText('日勤 花子')).toBeNull();
    expect(screen.queryByRole('button', { name: T.removeUser })).toBeNull();
    await expect(useApp.getState().vault!.unlock(hanako.id, 'nikkin-no-hanako')).rejects.toMatchObject({ code: 'unknown-user' });
    expect((await session.accessLog()).filter((e) => e.action === 'remove-user').map((e) => e.reason)).toEqual([`日勤 花子（${hanako.id}）`]);
    // Nothing of theirs stays on the phone, not even the office they last started a case under,
    // nor that they were a liaison.
    expect(lastCaseOffice(hanako.id)).toBeNull();
    expect(wasLiaison(hanako.id)).toBe(false);
  });

  it('after a refused 職員を追加, focus is on the first field in error, its message its description and no alert of its own', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    render(<SettingsScreen />);

    await user.click(screen.getByRole('button', { name: T.addUser }));
    const add = screen.getByRole('form', { name: T.addUserTitle });
    // only the name typed: the current passphrase, above it, is the first field in error
    await user.type(within(add).getByLabelText(T.newUserName), '日勤 花子');
    await user.click(within(add).getByLabelText('上記を理解しました'));
    await user.click(within(add).getByRole('button', { name: T.addUserSubmit }));

    const current = within(add).getByLabelText(T.currentPassphraseForAdd);
    await waitFor(() => expect(current).toHaveFocus());
    expect(current).toHaveAccessibleDescription(T.currentRequired);
    expect(current).toBeInvalid();
    expect(within(add).getByText(T.currentRequired)).not.toHaveAttribute('role');
    expect(within(add).queryAllByRole('alert')).toHaveLength(0);
  });

  it('on a phone joined to a hub, 職員を追加 says that the new person\'s records, and every later one, wait until they sign in here', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    syncStatus.setState({ ...initialSyncStatus, joined: true });
    try {
      render(<SettingsScreen />);
      await user.click(screen.getByRole('button', { name: T.addUser }));
      expect(within(screen.getByRole('form', { name: T.addUserTitle })).getByText(T.addUserJoined)).toBeInTheDocument();
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });

  it('alone, 職員を追加 says nothing of a hub', async () => {
    const user = userEvent.setup();
    unlockedWithFakeSession();
    render(<SettingsScreen />);
    await user.click(screen.getByRole('button', { name: T.addUser }));
    expect(within(screen.getByRole('form', { name: T.addUserTitle })).queryByText(T.addUserJoined)).toBeNull();
  });

  it('says so beside the field when the current passphrase is wrong, and focus goes back to it', async () => {
    const user = userEvent.setup();
    const session = unlockedWithFakeSession();
    vi.spyOn(session, 'changePassphrase').mockRejectedValue(new VaultError('wrong-passphrase'));
    render(<SettingsScreen />);

    await user.click(screen.getByRole('button', { name: T.changePassphrase }));
    const form = screen.getByRole('form', { name: T.changePassphraseTitle });
    await user.type(within(form).getByLabelText(T.currentPassphrase), 'not-my-passphrase');
    await user.type(within(form).getByLabelText(T.newPassphrase), 'atarashii-pass');
    await user.type(within(form).getByLabelText(T.newPassphraseConfirm), 'atarashii-pass');
    await user.click(within(form).getByLabelText('上記を理解しました'));
    await user.click(within(form).getByRole('button', { name: T.changeSubmit }));
    expect(await within(form).findByText('パスフレーズが違います。')).toBeVisible();
    const current = within(form).getByLabelText(T.currentPassphrase);
    expect(current).toHaveAccessibleDescription('パスフレーズが違います。');
    // focus goes back to it once its message is drawn (the refusal comes after an await), and the
    // message is no alert of its own
    await waitFor(() => expect(current).toHaveFocus());
    expect(within(form).queryAllByRole('alert')).toHaveLength(0);
  });
});

describe('settings: この端末の情報', () => {
  /** what the section says beside `term` (a <dt>), as the support desk hears it read out */
  const said = (term: string) => within(screen.getByRole('region', { name: T.infoTitle })).getByText(term).nextElementSibling;

  it('shows the app\'s build and this device\'s whole id, as list-devices prints it, and no hub while alone', () => {
    const deviceId = crypto.randomUUID();
    const session = Object.assign(createFakeSession({ displayName: '夜間 太郎' }), { deviceId });
    useApp.setState({ vault: createVault(freshName()), phase: 'unlocked', session, users: [session.user] });
    render(<SettingsScreen />);

    expect(said(T.infoBuild)).toHaveTextContent(/^0\.0\.0 \(test, 2000-01-01\)$/);
    expect(said(T.infoDevice)).toHaveTextContent(new RegExp(`^${deviceId}$`));
    const region = screen.getByRole('region', { name: T.infoTitle });
    expect(within(region).queryByText(T.infoHub)).toBeNull();
    expect(within(region).queryByText(T.infoLastSync)).toBeNull();
    // nothing about the person using it
    expect(region).not.toHaveTextContent('夜間 太郎');
  });

  it('names the hub and the last sync in Japan time once the device has joined one', () => {
    unlockedWithFakeSession();
    syncStatus.setState({ ...initialSyncStatus, engine: {} as SyncEngine, joined: true, hub: 'hub-matsudo', lastSyncAt: null });
    try {
      render(<SettingsScreen />);
      expect(said(T.infoHub)).toHaveTextContent(/^hub-matsudo$/);
      expect(said(T.infoLastSync)).toHaveTextContent(T.infoNeverSynced);
      act(() => syncStatus.setState({ lastSyncAt: '2026-11-22T17:14:00.000Z' }));
      expect(said(T.infoLastSync)).toHaveTextContent(/^2026年11月23日 02:14$/);
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });
});

describe("settings: a facility liaison's phone", () => {
  const sections = () => screen.queryAllByRole('heading', { level: 2 }).map((h) => h.textContent);

  it('shows a liaison no backup and no 事業所（相談強化加算）, and a coordinator both', async () => {
    unlockedWithFakeSession();
    try {
      syncStatus.setState({ joined: true, role: 'facility-liaison' });
      const { unmount } = render(<SettingsScreen />);
      expect(sections()).not.toContain('バックアップ');
      expect(sections()).not.toContain('事業所（相談強化加算）');
      expect(screen.queryByRole('button', { name: /バックアップを作成/ })).toBeNull();
      unmount();

      syncStatus.setState({ joined: true, role: 'coordinator' });
      render(<SettingsScreen />);
      expect(sections()).toEqual(expect.arrayContaining(['バックアップ', '事業所（相談強化加算）']));
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });

  it('hides them from a liaison by the last unlock\'s hint while the role is not read (the sync code not loaded)', async () => {
    const session = unlockedWithFakeSession();
    rememberLiaison(session.user.id, true);
    try {
      syncStatus.setState({ joined: true, role: null });
      render(<SettingsScreen />);
      expect(sections()).not.toContain('バックアップ');
      expect(sections()).not.toContain('事業所（相談強化加算）');
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });
});
