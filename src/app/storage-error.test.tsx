import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useApp } from '../state/store';
import { VaultError } from '../vault/errors';
import { StorageErrorBanner } from './storage-error';
import { T } from './text';

afterEach(() => useApp.setState(useApp.getInitialState(), true));

describe('the storage error banner', () => {
  it('offers 再読み込み when the database was emptied under the page: 閉じる alone left no way on, and nothing more can be saved', async () => {
    useApp.setState({ error: new VaultError('erased') });
    const reload = vi.fn();
    render(<StorageErrorBanner onReconnect={async () => undefined} onReload={reload} />);
    expect(screen.getByText(/この端末のデータが消去されました/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: T.reload }));
    expect(reload).toHaveBeenCalledOnce();
  });
});
