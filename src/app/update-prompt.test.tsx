import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useUpdate } from './service-worker';
import { useApp } from '../state/store';
import { UpdatePrompt } from './update-prompt';

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  useUpdate.setState(useUpdate.getInitialState(), true);
});

describe('update prompt', () => {
  it('shows nothing until a new version is waiting', () => {
    render(<UpdatePrompt />);
    expect(screen.queryByText('新しいバージョンがあります')).toBeNull();
  });

  it('is disabled while something is unsaved, and applies only on the user’s click', async () => {
    const user = userEvent.setup();
    const apply = vi.fn();
    useUpdate.setState({ waiting: true, apply });
    useApp.getState().markUnsaved('household:new', true);
    render(<UpdatePrompt />);

    expect(screen.getByText('新しいバージョンがあります')).toBeVisible();
    expect(screen.getByText('保存していない入力があります。保存してから更新してください。')).toBeVisible();
    const button = screen.getByRole('button', { name: '更新する' });
    expect(button).toBeDisabled();
    await user.click(button);
    expect(apply).not.toHaveBeenCalled();

    // the update's cost is said before it is taken: the app opens locked after it
    expect(screen.queryByText(/もう一度解錠する必要があります/)).toBeNull();
    act(() => useApp.getState().markUnsaved('household:new', false));
    expect(screen.queryByText('保存していない入力があります。保存してから更新してください。')).toBeNull();
    expect(screen.getByText(/更新すると読み込み直すため、もう一度解錠する必要があります/)).toBeVisible();
    expect(button).toBeEnabled();
    await user.click(button);
    expect(apply).toHaveBeenCalledTimes(1);
  });

  it('goes away on 「あとで」 until the next unlock mounts it again; a switch made in another tab is not put off', async () => {
    const user = userEvent.setup();
    useUpdate.setState({ waiting: true, apply: vi.fn() });
    const first = render(<UpdatePrompt />);
    await user.click(screen.getByRole('button', { name: 'あとで' }));
    expect(screen.queryByText('新しいバージョンがあります')).toBeNull();
    first.unmount();
    // the next unlock
    const again = render(<UpdatePrompt />);
    expect(screen.getByText('新しいバージョンがあります')).toBeVisible();
    again.unmount();
    useUpdate.setState({ waiting: false, takenOver: true });
    render(<UpdatePrompt />);
    expect(screen.getByText('新しいバージョンに切り替わりました')).toBeVisible();
    expect(screen.queryByRole('button', { name: 'あとで' })).toBeNull();
  });

  it('says the app is not yet usable offline while a failed first download waits for its next try, and nothing once it is', () => {
    const notReady = 'まだオフラインでは使えません。通信のある所でこの画面を開いたままにしてください。';
    useUpdate.setState({ offlineReady: false, offlineFailed: false });
    render(<UpdatePrompt />);
    // a download under way says nothing
    expect(screen.queryByText(notReady)).toBeNull();
    act(() => useUpdate.setState({ offlineFailed: true }));
    expect(screen.getByText(notReady)).toBeVisible();
    act(() => useUpdate.setState({ offlineReady: true, offlineFailed: false }));
    expect(screen.queryByText(notReady)).toBeNull();
  });
});
