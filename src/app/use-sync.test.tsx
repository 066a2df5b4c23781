import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { useApp } from '../state/store';
import { resetSyncStatus, syncStatus } from '../sync/status';
import { SyncStatusLine } from '../features/settings/sync-status-line';
import { useSync } from './use-sync';

// the engine's file gone from the server and the cache, as after another tab applied an update
vi.mock('./sync-wiring', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

const initial = useApp.getState();
afterEach(() => {
  useApp.setState(initial, true);
  resetSyncStatus();
});

function Unlocked() {
  useSync();
  return <SyncStatusLine />;
}

describe('useSync', () => {
  it("says on a joined phone's line that nothing syncs when the sync engine cannot be loaded, and to reload", async () => {
    const session = createFakeSession();
    await session.sync.saveHubLink({ hub: 'aozora', loginName: 'taro', userId: 'u-taro', displayName: 'テスト 太郎', role: 'coordinator', deviceSecret: 'secret-0123456789', cursor: 0, scope: null, lastSyncAt: '2026-12-03T01:00:00.000Z', openConflicts: 0, signedOut: false });
    useApp.setState({ session, phase: 'unlocked' });
    render(<Unlocked />);
    expect((await screen.findAllByText(/同期停止中（要再読み込み）/)).length).toBeGreaterThan(0);
    expect(syncStatus.getState().problem?.message).toMatch(/アプリを再読み込みしてください。変更はこの端末に保存されています。/);
  });

  it('says nothing of it on a phone that works alone', async () => {
    useApp.setState({ session: createFakeSession(), phase: 'unlocked' });
    render(<Unlocked />);
    await waitFor(() => expect(screen.getByText(/この端末のみ/)).toBeInTheDocument());
    expect(syncStatus.getState().problem).toBeNull();
  });
});
