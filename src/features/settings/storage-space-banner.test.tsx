import { act, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { StorageSpaceBanner } from './home-screen-warning';
import type { StorageApi } from './platform';

const storageWith = (usage: number, quota: number): StorageApi => ({ estimate: async () => ({ usage, quota }) });

describe('StorageSpaceBanner', () => {
  it('says on the main screen that the room is running out, and that a full phone cannot be unlocked', async () => {
    render(<StorageSpaceBanner show storage={storageWith(940e6, 1e9)} />);
    const notice = await screen.findByRole('status');
    expect(notice).toHaveTextContent('使用 94%・残り 60.0 MB');
    expect(notice).toHaveTextContent('ロックの解除もできなくなります');
  });

  it('says nothing with room to spare, and nothing on the night-call screens', async () => {
    for (const [show, usage, quota] of [[true, 300e6, 10e9], [false, 940e6, 1e9]] as const) {
      const estimate = vi.fn(async () => ({ usage, quota }));
      const { unmount } = render(<StorageSpaceBanner show={show} storage={{ estimate }} />);
      // the estimate read, and its answer drawn
      await act(async () => {
        await vi.waitFor(() => expect(estimate).toHaveBeenCalled());
      });
      expect(screen.queryByRole('status')).toBeNull();
      unmount();
    }
  });
});
