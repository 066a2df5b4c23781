/** On iOS outside the Home Screen, setting up is sent to the Home Screen first: its app has storage of its own. */
import { cleanup, render, screen } from '@testing-library/react';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { T as ST } from '../features/settings/text';
import { useApp } from '../state/store';
import { createVault } from '../vault/vault';
import { SetupScreen } from './setup-screen';
import { T } from './text';

const UA = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
};

/** The platform as detection reads it (features/settings/platform.ts readPlatform). */
function onPlatform(userAgent: string, { standalone = false }: { standalone?: boolean } = {}) {
  vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue(userAgent);
  Object.defineProperty(navigator, 'standalone', { value: standalone, configurable: true });
}

beforeEach(() => {
  useApp.setState({ ...useApp.getInitialState(), phase: 'setup' }, true);
});

afterEach(() => {
  delete (navigator as { standalone?: unknown }).standalone;
  vi.restoreAllMocks();
});

describe('setup screen: iOS Home Screen first', () => {
  it('on iPhone Safari, says to add to the Home Screen and set up from the icon, before the form', () => {
    onPlatform(UA.iphone);
    render(<SetupScreen />);
    const warning = screen.getByText(ST.setupHomeScreenFirst);
    expect(warning).toBeVisible();
    expect(ST.setupHomeScreenFirst).toMatch(/ホーム画面のアイコンから開いて登録/);
    expect(ST.setupHomeScreenFirst).toMatch(/Safariで入力したデータは.*移りません/);
    const firstField = screen.getByLabelText(T.displayName);
    expect(warning.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('says nothing when opened from the Home Screen icon', () => {
    onPlatform(UA.iphone, { standalone: true });
    render(<SetupScreen />);
    expect(screen.getByLabelText(T.displayName)).toBeVisible();
    expect(screen.queryByText(ST.setupHomeScreenFirst)).toBeNull();
  });

  it('says nothing on Android, where the browser and the installed app share storage', () => {
    onPlatform(UA.android);
    render(<SetupScreen />);
    expect(screen.getByLabelText(T.displayName)).toBeVisible();
    expect(screen.queryByText(ST.setupHomeScreenFirst)).toBeNull();
  });
});

describe('setup screen: a phone whose data the browser deleted', () => {
  const STAFF = '拠点 花子';
  const PASSPHRASE = 'あおぞら拠点-当番用';
  const freshName = () => `setup-test-${crypto.randomUUID()}`;

  /** The app's start on this browser, as a reload does it: a new handle on the same database. */
  const startApp = (name: string) => useApp.getState().start(createVault(name));

  /** The phone set up in the app and used, then closed (the app swiped away). */
  async function setUpPhone(name: string) {
    await startApp(name);
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    expect(useApp.getState().phase).toBe('unlocked');
    useApp.getState().vault?.close();
  }

  beforeEach(() => {
    localStorage.clear();
    onPlatform(UA.android);
  });

  it('says first that the data is missing, that sent records come back by joining the hub again, that unsent ones are lost, and to tell the admin', async () => {
    const name = freshName();
    await setUpPhone(name);
    await Dexie.delete(name); // a full disk: the browser deletes the database, localStorage stays

    await startApp(name);
    expect(useApp.getState().phase).toBe('setup');
    render(<SetupScreen />);
    const warning = screen.getByRole('alert');
    expect(warning).toBeVisible();
    expect(warning).toHaveTextContent(/^この端末に保存されていたデータが見つかりません。/);
    expect(warning).toHaveTextContent(T.setupDataMissing);
    expect(T.setupDataMissing).toMatch(/^この端末に保存されていたデータが見つかりません。/);
    expect(T.setupDataMissing).toMatch(/空き容量が足りなくなったとき|サイトのデータが消去されたとき/);
    expect(T.setupDataMissing).toMatch(/送信済みの記録は、職員を登録したあと.*拠点にもう一度参加すると戻ります/);
    expect(T.setupDataMissing).toMatch(/まだ送信していなかった変更は戻りません/);
    expect(T.setupDataMissing).toMatch(/拠点の管理者に伝えて/);
    const firstField = screen.getByLabelText(T.displayName);
    expect(warning.compareDocumentPosition(firstField) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('greets a new phone as usual: nothing was set up in this browser', async () => {
    await startApp(freshName());
    expect(useApp.getState().phase).toBe('setup');
    render(<SetupScreen />);
    expect(screen.getByLabelText(T.displayName)).toBeVisible();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says nothing after a retired phone wiped itself on purpose, and warns again once set up anew and lost', async () => {
    const name = freshName();
    await startApp(name);
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    await useApp.getState().session!.sync.wipe();

    await startApp(name);
    expect(useApp.getState().phase).toBe('setup');
    render(<SetupScreen />);
    expect(screen.queryByRole('alert')).toBeNull();
    cleanup();

    // Set up again: the browser remembers it, and a later loss is said again.
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    useApp.getState().vault?.close();
    await Dexie.delete(name);
    await startApp(name);
    render(<SetupScreen />);
    expect(screen.getByRole('alert')).toHaveTextContent(/^この端末に保存されていたデータが見つかりません。/);
  });

  it('no longer says so once set up again', async () => {
    const name = freshName();
    await setUpPhone(name);
    await Dexie.delete(name);
    await startApp(name);
    expect(useApp.getState().dataMissing).toBe(true);
    await useApp.getState().setUp(STAFF, PASSPHRASE);
    await useApp.getState().lock();
    useApp.getState().vault?.close();
    await startApp(name);
    expect(useApp.getState().phase).toBe('locked');
    expect(useApp.getState().dataMissing).toBe(false);
  });
});
