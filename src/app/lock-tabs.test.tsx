/**
 * [scenario 3] The 18:00 handover locks every tab (lock-tabs.ts): the day coordinator presses ロック
 * in one tab, and a second tab of the app, unlocked as the day coordinator, locks too; so does one
 * left unlocked when the night coordinator unlocks another. An idle lock stays the tab's own.
 */
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useApp } from '../state/store';
import { createVault } from '../vault/vault';
import { createHousehold } from '../../test/factories/household';
import { App } from './app';
import { LOCK_CHANNEL_NAME } from '../state/lock-channel';
import { shareLocks } from './lock-tabs';
import { T } from './text';

const PASSPHRASE = 'yoru-no-denwa-2026';
const NIGHT_PASSPHRASE = 'yakin-no-hito-2026';
// Key derivation (PBKDF2, 600k iterations) takes about half a second per call in Node.
const DERIVE = 20_000;

/** One tab's end of the channel: what it posts is recorded; `receive` is a message from another tab. */
class FakeChannel extends EventTarget {
  readonly postMessage = vi.fn();
  receive(data: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data }));
  }
}

let stop: (() => void) | undefined;

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});

afterEach(() => {
  stop?.();
  stop = undefined;
  useApp.getState().vault?.close();
});

/** This tab, unlocked as the day coordinator with a household decrypted; the night one enrolled too. */
async function unlockedTab(channel: FakeChannel) {
  const name = `lock-tabs-${crypto.randomUUID()}`;
  const day = await createVault(name).setUp('日勤 花子', PASSPHRASE);
  const night = await day.addUser(PASSPHRASE, '夜勤 次郎', NIGHT_PASSPHRASE);
  const household = createHousehold();
  await day.put('household', household.id, household, 'create');
  day.lock();
  stop = shareLocks(channel);
  await useApp.getState().start(createVault(name));
  await useApp.getState().unlock(day.user.id, PASSPHRASE);
  expect(useApp.getState().households.has(household.id)).toBe(true);
  return { dayId: day.user.id, nightId: night.id };
}

describe('[scenario 3] a lock reaches the other tabs', () => {
  it(
    'says who unlocked, and that the ロック button locked, to the other tabs; an idle lock is its own',
    async () => {
      const channel = new FakeChannel();
      const { dayId } = await unlockedTab(channel);
      expect(channel.postMessage).toHaveBeenLastCalledWith({ type: 'unlocked', userId: dayId });
      await useApp.getState().lock('idle');
      expect(channel.postMessage).toHaveBeenCalledTimes(1);
      await useApp.getState().unlock(dayId, PASSPHRASE);
      await useApp.getState().lock('manual');
      expect(channel.postMessage).toHaveBeenLastCalledWith({ type: 'locked' });
    },
    DERIVE,
  );

  it(
    'an unlocked tab locks at once when another tab is locked, drops the records and says why',
    async () => {
      const channel = new FakeChannel();
      await unlockedTab(channel);
      const posted = channel.postMessage.mock.calls.length;
      channel.receive({ type: 'locked' });
      await vi.waitFor(() => expect(useApp.getState().phase).toBe('locked'));
      expect(useApp.getState().session).toBeNull();
      expect(useApp.getState().households.size).toBe(0);
      // It does not say the lock again (the tab that locked would hear its own lock back).
      expect(channel.postMessage).toHaveBeenCalledTimes(posted);
      render(<App openVault={() => useApp.getState().vault!} />);
      expect(await screen.findByText(T.elsewhereLocked)).toBeVisible();
    },
    DERIVE,
  );

  it(
    'locks when another tab is unlocked by someone else, not by the same person',
    async () => {
      const channel = new FakeChannel();
      const { dayId, nightId } = await unlockedTab(channel);
      channel.receive({ type: 'unlocked', userId: dayId });
      channel.receive({ type: 'nonsense' });
      channel.receive({ type: 'unlocked' });
      expect(useApp.getState().phase).toBe('unlocked');
      channel.receive({ type: 'unlocked', userId: nightId });
      await vi.waitFor(() => expect(useApp.getState().phase).toBe('locked'));
      expect(useApp.getState().lockedBy).toBe('elsewhere');
    },
    DERIVE,
  );

  it(
    'locks when the person it is unlocked for is taken off the phone in another tab, not for someone else',
    async () => {
      const channel = new FakeChannel();
      const { dayId, nightId } = await unlockedTab(channel);
      channel.receive({ type: 'removed', userId: nightId });
      expect(useApp.getState().phase).toBe('unlocked');
      channel.receive({ type: 'removed', userId: dayId });
      await vi.waitFor(() => expect(useApp.getState().phase).toBe('locked'));
      expect(useApp.getState().households.size).toBe(0);
      // said as what it was, not 「別のタブでロック」
      expect(useApp.getState().lockedBy).toBe('removed');
    },
    DERIVE,
  );

  it(
    'a locked tab lists the people as another tab left them: one added, one taken off',
    async () => {
      const channel = new FakeChannel();
      const { dayId, nightId } = await unlockedTab(channel);
      await useApp.getState().lock('idle');
      // another tab (the same phone's database) adds a third person, and takes the night one off
      const other = await useApp.getState().vault!.unlock(dayId, PASSPHRASE);
      await other.addUser(PASSPHRASE, '日勤 三郎', 'saburo-no-pass-2026');
      channel.receive({ type: 'users-changed' });
      await vi.waitFor(() => expect(useApp.getState().users.map((u) => u.displayName)).toContain('日勤 三郎'));
      await other.removeUser(PASSPHRASE, nightId);
      other.lock();
      channel.receive({ type: 'removed', userId: nightId });
      await vi.waitFor(() => expect(useApp.getState().users.map((u) => u.displayName)).not.toContain('夜勤 次郎'));
      expect(useApp.getState().phase).toBe('locked');
    },
    DERIVE,
  );

  it(
    'an added person who sets their own passphrase in one tab locks their other tab still asking for it, and only that one',
    async () => {
      const channel = new FakeChannel();
      const { dayId, nightId } = await unlockedTab(channel);
      // the night person, added by the day one, unlocks this tab: it asks for their own passphrase
      await useApp.getState().lock('idle');
      await useApp.getState().unlock(nightId, NIGHT_PASSPHRASE);
      expect(useApp.getState()).toMatchObject({ phase: 'unlocked', mustChangePassphrase: true });
      channel.receive({ type: 'passphrase-changed', userId: dayId });
      channel.receive({ type: 'passphrase-changed' });
      // a lock starts at once (locking) when it starts at all
      expect(useApp.getState()).toMatchObject({ phase: 'unlocked', locking: false });
      channel.receive({ type: 'passphrase-changed', userId: nightId });
      await vi.waitFor(() => expect(useApp.getState().phase).toBe('locked'));
      expect(useApp.getState().lockedBy).toBe('passphrase-changed');
      render(<App openVault={() => useApp.getState().vault!} />);
      expect(await screen.findByText(T.passphraseChangedLocked)).toBeVisible();
    },
    DERIVE,
  );

  it(
    'tells the other tabs as soon as an added person has set their own passphrase, even when a lock cuts the reading of the records short',
    async () => {
      const heard: unknown[] = [];
      const other = new BroadcastChannel(LOCK_CHANNEL_NAME);
      other.addEventListener('message', (e) => heard.push(e.data));
      try {
        const channel = new FakeChannel();
        const { nightId } = await unlockedTab(channel);
        await useApp.getState().lock('idle');
        await useApp.getState().unlock(nightId, NIGHT_PASSPHRASE);
        await useApp.getState().session!.changePassphrase(NIGHT_PASSPHRASE, 'jibun-dake-no-2026');
        const reading = useApp.getState().passphraseChanged();
        await useApp.getState().lock('idle');
        // cut short, the reading ends locked (as the screen's onDone takes it), or done if it was quicker
        await reading.catch((e: unknown) => expect(e).toMatchObject({ code: 'locked' }));
        await vi.waitFor(() => expect(heard).toEqual([{ type: 'passphrase-changed', userId: nightId }]));
        expect(useApp.getState().phase).toBe('locked');

        // a tab that has opened the records after the change stays open when it hears it back
        await useApp.getState().unlock(nightId, 'jibun-dake-no-2026');
        expect(useApp.getState().mustChangePassphrase).toBe(false);
        channel.receive({ type: 'passphrase-changed', userId: nightId });
        expect(useApp.getState()).toMatchObject({ phase: 'unlocked', locking: false });
      } finally {
        other.close();
      }
    },
    DERIVE,
  );
});
