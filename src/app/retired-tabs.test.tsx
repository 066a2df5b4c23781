/**
 * [retire] A retirement wipe reaches the app's other tabs (retired-tabs.ts): two tabs over one
 * vault (fake IndexedDB), tab A wipes and says so over the tabs' channel; tab B, unlocked with the
 * records decrypted, locks at once, drops them, shows the retired notice, and never opens the
 * database again (its next write would have created it anew).
 */
import { render, screen } from '@testing-library/react';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ST } from '../features/settings/sync-text';
import { useApp } from '../state/store';
import { initialSyncStatus, syncStatus } from '../sync/status';
import { createVault } from '../vault/vault';
import { createHousehold } from '../../test/factories/household';
import { App } from './app';
import { listenForRetirement, retiredHere } from './retired-tabs';

const PASSPHRASE = 'yoru-no-denwa-2026';
const STAFF = '夜間 太郎';
const REASON = '端末が無効にされました';
// Key derivation (PBKDF2, 600k iterations) takes about half a second per call in Node.
const DERIVE = 15_000;

/** One tab's end of the channel: what it posts is recorded; `receive` is a message from another tab. */
class FakeChannel extends EventTarget {
  readonly postMessage = vi.fn();
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  syncStatus.setState(initialSyncStatus, true);
});

afterEach(() => {
  useApp.getState().vault?.close();
});

describe('[retire] the other tabs follow a retirement wipe', () => {
  it('the wiping tab tells the others, with the hub’s words, and drops what it holds', async () => {
    const channel = new FakeChannel();
    await retiredHere(REASON, channel);
    expect(channel.postMessage).toHaveBeenCalledWith({ type: 'retired', serverMessage: REASON });
    expect(useApp.getState().phase).toBe('locked');
  });

  it(
    'an unlocked tab locks at once when another wipes: its records dropped, the notice shown, the vault never opened again',
    async () => {
      const name = `retired-tabs-${crypto.randomUUID()}`;
      // Tab A: the tab whose sync engine retires. Tab B: this app, unlocked, the households decrypted.
      const tabA = await createVault(name).setUp(STAFF, PASSPHRASE);
      const household = createHousehold();
      await tabA.put('household', household.id, household, 'create');
      const tabB = createVault(name);
      await useApp.getState().start(tabB);
      await useApp.getState().unlock(tabA.user.id, PASSPHRASE);
      expect(useApp.getState().households.has(household.id)).toBe(true);
      // An open form saves its draft on lock: after a wipe that must write (and create) nothing.
      const draft = vi.fn(() => useApp.getState().session!.saveDraft('household:new', { name: '途中の入力' }));
      useApp.getState().onBeforeLock(draft);
      const channel = new FakeChannel();
      listenForRetirement(channel);

      await tabA.sync.wipe();
      channel.receive({ type: 'retired', serverMessage: REASON });

      await vi.waitFor(() => expect(useApp.getState().phase).toBe('locked'));
      expect(useApp.getState().session).toBeNull();
      expect(useApp.getState().households.size).toBe(0);
      expect(syncStatus.getState().retired).toEqual({ serverMessage: REASON });
      expect(draft).toHaveBeenCalled();
      await expect(tabB.isSetUp()).rejects.toMatchObject({ code: 'wiped' });
      await expect(tabB.unlock(tabA.user.id, PASSPHRASE)).rejects.toMatchObject({ code: 'wiped' });
      expect(await Dexie.exists(name)).toBe(false);

      render(<App openVault={() => tabB} />);
      expect(screen.getByRole('heading', { level: 1, name: ST.retiredTitle })).toBeVisible();
      expect(screen.getByText(ST.retiredReason(REASON))).toBeVisible();
    },
    DERIVE,
  );

  it('a locked tab, its connection closed, is told too: it opens nothing again', async () => {
    const name = `retired-tabs-${crypto.randomUUID()}`;
    const tabA = await createVault(name).setUp(STAFF, PASSPHRASE);
    const tabB = createVault(name);
    await useApp.getState().start(tabB);
    tabB.close();
    const channel = new FakeChannel();
    listenForRetirement(channel);

    await tabA.sync.wipe();
    channel.receive({ type: 'retired', serverMessage: null });

    await vi.waitFor(() => expect(syncStatus.getState().retired).toEqual({ serverMessage: null }));
    await expect(tabB.settings()).rejects.toMatchObject({ code: 'wiped' });
    expect(await Dexie.exists(name)).toBe(false);
  }, DERIVE);

  it('ignores anything else on the channel', async () => {
    const onRetired = vi.fn(async () => undefined);
    const channel = new FakeChannel();
    listenForRetirement(channel, onRetired);
    channel.receive({ type: 'unsaved', tab: 'x', unsaved: true });
    channel.receive({ type: 'retired', serverMessage: 42 });
    channel.receive('retired');
    expect(onRetired).not.toHaveBeenCalled();
  });
});
