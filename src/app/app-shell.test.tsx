/** The unlocked shell asks the browser to protect the data on each unlock, and says so when it will not. */
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { T as ST } from '../features/settings/text';
import type { StorageApi } from '../features/settings/platform';
import { useApp } from '../state/store';
import { AppShell } from './app-shell';
import { rememberLiaison } from '../state/liaison-hint';
import { initialSyncStatus, syncStatus } from '../sync/status';

const drawn = vi.hoisted(() => ({ households: 0 }));
vi.mock('../features/households/households-screen', () => ({
  HouseholdsScreen: () => {
    drawn.households += 1;
    return <p>世帯一覧（テスト用）</p>;
  },
}));

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** navigator.storage as a browser that answers `persisted` now and `granted` when asked. */
function fakeStorage({ persisted, granted }: { persisted: boolean; granted: boolean }) {
  let now = persisted;
  const storage = {
    persisted: vi.fn(async () => now),
    persist: vi.fn(async () => (now = granted)),
  } satisfies StorageApi;
  useStorage(storage);
  return storage;
}

function useStorage(storage: StorageApi | undefined) {
  Object.defineProperty(navigator, 'storage', { value: storage, configurable: true });
}

/** An unlock: the shell mounts, as App mounts it whenever the phase turns 'unlocked'. */
async function unlock() {
  useApp.setState({ session: createFakeSession(), phase: 'unlocked' });
  const view = render(<AppShell onReconnect={async () => undefined} />);
  await screen.findByText('世帯一覧（テスト用）');
  return view;
}

/** Lets the shell's check of the storage settle: it waits on promises only, all resolved before the next task. */
const settle = () => act(() => new Promise<void>((done) => setTimeout(done, 0)));

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  window.location.hash = '';
  sessionStorage.clear();
  localStorage.clear();
});

afterEach(() => {
  delete (navigator as { storage?: unknown }).storage;
  vi.restoreAllMocks();
});

describe('storage protection on unlock', () => {
  it('asks again when not protected; a refusal shows a banner pointing to 保存領域, dismissed for this session but asked again at the next unlock', async () => {
    const user = userEvent.setup();
    const storage = fakeStorage({ persisted: false, granted: false });
    const first = await unlock();
    expect(await screen.findByText(ST.notProtected)).toBeVisible();
    expect(ST.notProtected).toContain('「保存領域」');
    expect(storage.persist).toHaveBeenCalledTimes(1);

    await user.click(screen.getByRole('button', { name: '閉じる' }));
    expect(screen.queryByText(ST.notProtected)).toBeNull();

    // locked and unlocked again in the same tab: asked again, the banner stays dismissed
    first.unmount();
    await unlock();
    await waitFor(() => expect(storage.persist).toHaveBeenCalledTimes(2));
    await settle();
    expect(screen.queryByText(ST.notProtected)).toBeNull();
  });

  it('says nothing once the browser grants it when asked again (Android after adding to the Home Screen)', async () => {
    const storage = fakeStorage({ persisted: false, granted: true });
    await unlock();
    await waitFor(() => expect(storage.persist).toHaveBeenCalledTimes(1));
    await settle();
    expect(screen.queryByText(ST.notProtected)).toBeNull();
  });

  it('does not ask when already protected', async () => {
    const storage = fakeStorage({ persisted: true, granted: true });
    await unlock();
    await waitFor(() => expect(storage.persisted).toHaveBeenCalled());
    await settle();
    expect(storage.persist).not.toHaveBeenCalled();
    expect(screen.queryByText(ST.notProtected)).toBeNull();
  });

  it('says nothing where the browser has no Storage API', async () => {
    useStorage(undefined);
    await unlock();
    await settle();
    expect(screen.queryByText(ST.notProtected)).toBeNull();
  });

  it('leaves iOS Safari to the Home Screen warning, which names the remedy that works there', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(IPHONE_UA);
    const storage = fakeStorage({ persisted: false, granted: false });
    await unlock();
    await waitFor(() => expect(storage.persist).toHaveBeenCalledTimes(1));
    await settle();
    expect(screen.queryByText(ST.notProtected)).toBeNull();
    expect(screen.getByText(/ホーム画面に追加していないと/)).toBeVisible();
  });
});

describe('a facility liaison\'s phone (SCENARIOS.md 5)', () => {
  it('shows only the facilities and the settings, and opens on the facilities, not on an empty household list the hub would refuse writes from', async () => {
    fakeStorage({ persisted: true, granted: true });
    // the phone's hub link says whose it is: the sync engine reads the role from it at the unlock
    const session = createFakeSession();
    const liaison = { userId: 'u-liaison', loginName: 'liaison', displayName: '連携 一郎', role: 'facility-liaison' as const, signedOut: false };
    await session.sync.saveHubLink({
      hub: 'aozora',
      ...liaison,
      members: { [session.user.id]: liaison },
      deviceSecret: 'device-secret-0123456789',
      cursor: 0,
      scope: null,
      lastSyncAt: null,
      openConflicts: 0,
    });
    try {
      useApp.setState({ session, phase: 'unlocked' });
      render(<AppShell onReconnect={async () => undefined} />);
      await waitFor(() => expect(window.location.hash).toBe('#/facilities'));
      const nav = screen.getByRole('navigation');
      expect(within(nav).getAllByRole('link').map((l) => l.textContent)).toEqual(['事業所', '設定']);
      // a household address typed or kept from before leads there too
      act(() => {
        window.location.hash = '#/households/hh-1';
      });
      await waitFor(() => expect(window.location.hash).toBe('#/facilities'));
    } finally {
      syncStatus.setState(initialSyncStatus, true);
    }
  });

  it('opens on the facilities from the first drawing at the next start of the app, before the hub link is read again', async () => {
    fakeStorage({ persisted: true, granted: true });
    const session = createFakeSession();
    // the last unlock knew the role (the link is read by the sync engine, which loads after the unlock)
    rememberLiaison(session.user.id, true);
    drawn.households = 0;
    useApp.setState({ session, phase: 'unlocked' });
    render(<AppShell onReconnect={async () => undefined} />);
    expect(within(screen.getByRole('navigation')).getAllByRole('link').map((l) => l.textContent)).toEqual(['事業所', '設定']);
    await screen.findByRole('heading', { level: 1 });
    expect(drawn.households).toBe(0);
    // the address is left until the link says so (a stale hint must not lose the place the unlock came back to)
    expect(window.location.hash).not.toBe('#/facilities');
    // told they are no liaison (the link said so at an unlock): their household list as ever
    rememberLiaison(session.user.id, false);
    cleanup();
    window.location.hash = '';
    sessionStorage.clear(); // not back to the place the first left
    await unlock();
    expect(drawn.households).toBeGreaterThan(0);
  });
});

describe('on an office PC', () => {
  it('refuses Ctrl+S and ⌘S: the browser saved the screen, a household’s 医ケア and numbers, as a web page in Downloads, in no 閲覧記録', async () => {
    await unlock();
    const press = (init: KeyboardEventInit) => {
      const e = new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init });
      document.body.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(press({ key: 's', ctrlKey: true })).toBe(true);
    expect(press({ key: 'S', metaKey: true, shiftKey: true })).toBe(true);
    // typing an 「s」 is typing
    expect(press({ key: 's' })).toBe(false);
  });

  it('asks before the tab is closed or reloaded with text typed and not saved, and not otherwise', async () => {
    await unlock();
    const leave = () => {
      const e = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(e);
      return e.defaultPrevented;
    };
    expect(leave()).toBe(false);
    act(() => useApp.getState().markUnsaved('settings-office', true));
    expect(leave()).toBe(true);
    act(() => useApp.getState().markUnsaved('settings-office', false));
    expect(leave()).toBe(false);
  });
});
