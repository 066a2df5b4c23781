import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { ConfirmDialog } from './dialog';

/** A screen whose dialog is mounted to open and unmounted to close, as most of the app's are. */
function Screen() {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button">先頭</button>
      <button type="button" onClick={() => setAsking(true)}>
        登録廃止
      </button>
      {asking ? <ConfirmDialog open title="登録廃止しますか？" confirmLabel="登録廃止" onConfirm={() => setAsking(false)} onCancel={() => setAsking(false)} /> : null}
    </>
  );
}

/** A call whose 「取消」 redraws it as withdrawn: the button that opened the dialog is gone when it closes. */
function CallSection() {
  const [asking, setAsking] = useState(false);
  const [withdrawn, setWithdrawn] = useState(false);
  return (
    <>
      <button type="button">先頭</button>
      <section aria-labelledby="calls">
        <h2 id="calls">連絡・調整</h2>
        {withdrawn ? (
          <p>みどり園（取消）</p>
        ) : (
          <button type="button" onClick={() => setAsking(true)}>
            取消
          </button>
        )}
      </section>
      {asking ? (
        <ConfirmDialog
          open
          title="取り消しますか？"
          confirmLabel="取り消す"
          onConfirm={() => {
            setWithdrawn(true);
            setAsking(false);
          }}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </>
  );
}

describe('ConfirmDialog', () => {
  it('is described by what it asks, and not by a form it holds', () => {
    const { rerender } = render(
      <ConfirmDialog open title="登録廃止しますか？" confirmLabel="登録廃止" onConfirm={() => undefined} onCancel={() => undefined}>
        <p>山田 太郎さんの世帯を登録廃止します。</p>
      </ConfirmDialog>,
    );
    expect(screen.getByRole('dialog', { name: '登録廃止しますか？' })).toHaveAccessibleDescription('山田 太郎さんの世帯を登録廃止します。');
    rerender(
      <ConfirmDialog open title="訂正" confirmLabel="保存" onConfirm={() => undefined} onCancel={() => undefined}>
        <label>
          理由
          <input />
        </label>
      </ConfirmDialog>,
    );
    expect(screen.getByRole('dialog', { name: '訂正' })).not.toHaveAttribute('aria-describedby');
  });

  it('gives the focus to the heading of the section it was opened from when what it confirmed took the opener away', async () => {
    const user = userEvent.setup();
    render(<CallSection />);
    await user.click(screen.getByRole('button', { name: '取消' }));
    await user.click(screen.getByRole('button', { name: '取り消す' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: '連絡・調整' })).toHaveFocus());
    // a line of text takes the focus when sent there, and is no stop for Tab
    expect(screen.getByRole('heading', { name: '連絡・調整' })).toHaveAttribute('tabindex', '-1');
  });

  it('gives the focus back to the button that opened it when it is unmounted to close', async () => {
    const user = userEvent.setup();
    render(<Screen />);
    const opener = screen.getByRole('button', { name: '登録廃止' });
    await user.click(opener);
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    expect(screen.queryByRole('heading', { name: '登録廃止しますか？' })).toBeNull();
    expect(opener).toHaveFocus();

    await user.click(opener);
    await user.click(screen.getAllByRole('button', { name: '登録廃止' }).at(-1)!);
    expect(opener).toHaveFocus();
  });
});
