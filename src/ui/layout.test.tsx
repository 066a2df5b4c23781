import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { Page } from './layout';

/** A list whose row link goes with it when the detail opens, as the app's screens do. */
function Screens({ searchFirst = false }: { searchFirst?: boolean }) {
  const [open, setOpen] = useState(false);
  if (open)
    return (
      <Page title="佐藤 陽太">
        {searchFirst ? <input aria-label="検索" autoFocus /> : <p>要点</p>}
      </Page>
    );
  return (
    <button type="button" onClick={() => setOpen(true)}>
      佐藤 陽太
    </button>
  );
}

describe('Page', () => {
  it('takes the focus on its title when the link that opened it went with the last screen', async () => {
    render(<Screens />);
    await userEvent.setup().click(screen.getByRole('button', { name: '佐藤 陽太' }));
    expect(screen.getByRole('heading', { level: 1, name: '佐藤 陽太' })).toHaveFocus();
  });

  it('leaves the focus where the page put it itself (a search box)', async () => {
    render(<Screens searchFirst />);
    await userEvent.setup().click(screen.getByRole('button', { name: '佐藤 陽太' }));
    expect(screen.getByRole('textbox', { name: '検索' })).toHaveFocus();
  });
});
