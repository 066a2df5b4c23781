/** Drafts against the real vault (Dexie over fake-indexeddb, WebCrypto): encrypted, restored after remount. */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { useApp } from '../../state/store';
import { createVault } from '../../vault/vault';
import type { VaultSession } from '../../vault/types';
import { HouseholdsScreen } from './households-screen';
import { resetStore, setUnlocked } from './test-helpers';

const PASSPHRASE = 'あおぞら拠点-当番用';

afterEach(resetStore);

async function unlockedRealVault(): Promise<{ session: VaultSession; unlockAgain: () => Promise<VaultSession> }> {
  const vault = createVault(`households-draft-${crypto.randomUUID()}`);
  const session = await vault.setUp('拠点 花子', PASSPHRASE);
  setUnlocked(session);
  return { session, unlockAgain: () => vault.unlock(session.user.id, PASSPHRASE) };
}

function mountNewForm() {
  window.location.hash = '#/households/new';
  return render(<HouseholdsScreen />);
}

describe('household form drafts', () => {
  it('autosaves an encrypted draft and restores it after a remount, until 破棄 is confirmed', async () => {
    const { session } = await unlockedRealVault();
    const user = userEvent.setup();
    const first = mountNewForm();
    await user.type(await screen.findByLabelText('氏名'), '佐藤 陽太');
    expect(useApp.getState().unsaved.has('household:new')).toBe(true);
    await waitFor(async () => expect(await session.listDraftKeys()).toContain('household:new'), { timeout: 3000 });
    first.unmount();
    expect(useApp.getState().unsaved.has('household:new')).toBe(false);

    mountNewForm();
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText('氏名')).toHaveValue('佐藤 陽太');

    // 破棄 asks first, as キャンセル does; キャンセル in the question keeps everything
    await user.click(screen.getByRole('button', { name: '破棄' }));
    const ask = screen.getByRole('dialog', { name: '復元した入力を破棄しますか' });
    expect(ask).toHaveTextContent('保存していない入力は失われます。破棄すると元に戻せません。');
    expect(screen.getByLabelText('氏名')).toHaveValue('佐藤 陽太');
    await user.click(within(ask).getByRole('button', { name: 'キャンセル' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByLabelText('氏名')).toHaveValue('佐藤 陽太');
    expect(screen.getByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(await session.listDraftKeys()).toContain('household:new');

    await user.click(screen.getByRole('button', { name: '破棄' }));
    await user.click(within(screen.getByRole('dialog', { name: '復元した入力を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.getByLabelText('氏名')).toHaveValue(''));
    expect(screen.queryByText('保存していない入力を復元しました')).not.toBeInTheDocument();
    await waitFor(async () => expect(await session.listDraftKeys()).not.toContain('household:new'));
  });

  it('saves the draft at once when the app locks, before the key is dropped', async () => {
    const { unlockAgain } = await unlockedRealVault();
    const user = userEvent.setup();
    const view = mountNewForm();
    await user.type(await screen.findByLabelText('氏名'), '鈴木');
    await useApp.getState().lock();
    view.unmount();

    const session = await unlockAgain();
    expect(await session.loadDraft<{ persons: { name: string }[] }>('household:new')).toMatchObject({ persons: [{ name: '鈴木' }] });
    setUnlocked(session);
    mountNewForm();
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText('氏名')).toHaveValue('鈴木');
  });

  it('deletes the draft after a successful save', async () => {
    const { session } = await unlockedRealVault();
    const user = userEvent.setup();
    mountNewForm();
    await user.type(await screen.findByLabelText('氏名'), '田中 一郎');
    await waitFor(async () => expect(await session.listDraftKeys()).toContain('household:new'), { timeout: 3000 });
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    expect(await session.listDraftKeys()).toEqual([]);
    expect(await session.list('household')).toHaveLength(1);
    expect(useApp.getState().unsaved.size).toBe(0);
  });
});
