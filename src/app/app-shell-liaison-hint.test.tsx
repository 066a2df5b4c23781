/** A liaison's phone whose sync code failed to load: the shell keeps to what it knew of them at the last unlock. */
import { render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { useApp } from '../state/store';
import { rememberLiaison, wasLiaison } from '../state/liaison-hint';
import { resetSyncStatus, syncStatus } from '../sync/status';
import { AppShell } from './app-shell';

// the engine's file gone from the server and the cache, as after another tab applied an update
vi.mock('./sync-wiring', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  window.location.hash = '';
  sessionStorage.clear();
  localStorage.clear();
  Object.defineProperty(navigator, 'storage', { value: { persisted: async () => true, persist: async () => true }, configurable: true });
});

afterEach(() => {
  delete (navigator as { storage?: unknown }).storage;
  resetSyncStatus();
});

describe("a facility liaison's phone whose sync code cannot be loaded", () => {
  it('still shows only the facilities and the settings, and keeps knowing them as a liaison', async () => {
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
    rememberLiaison(session.user.id, true);
    useApp.setState({ session, phase: 'unlocked' });
    render(<AppShell onReconnect={async () => undefined} />);
    // the status line says nothing syncs: joined, with no role read
    await waitFor(() => expect(syncStatus.getState().problem?.code).toBe('not-loaded'));
    expect(syncStatus.getState()).toMatchObject({ joined: true, role: null });
    expect(within(screen.getByRole('navigation')).getAllByRole('link').map((l) => l.textContent)).toEqual(['事業所', '設定']);
    expect(wasLiaison(session.user.id)).toBe(true);
  });
});
