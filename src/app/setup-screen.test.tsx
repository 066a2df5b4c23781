/** On iOS outside the Home Screen, setting up is sent to the Home Screen first: its app has storage of its own. */
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { T as ST } from '../features/settings/text';
import { useApp } from '../state/store';
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
