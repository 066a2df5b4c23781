import { render, screen } from '@testing-library/react';
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

describe('ConfirmDialog', () => {
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
