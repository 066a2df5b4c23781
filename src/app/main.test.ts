/**
 * The entry when a file of this version cannot load (a half-deployed update, a line that dropped):
 * index.html's starting frame says so, with a 再読み込み button, since the app installed on a home
 * screen has no reload button of its own.
 */
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, expect, it, vi } from 'vitest';
import indexHtml from '../../index.html?raw';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.doUnmock('./boot');
  vi.resetModules();
});

it('says the app could not be loaded and offers 再読み込み, which reloads the page', async () => {
  const user = userEvent.setup();
  document.body.innerHTML = new DOMParser().parseFromString(indexHtml, 'text/html').body.innerHTML;
  vi.doMock('./boot', () => {
    throw new TypeError('Failed to fetch dynamically imported module: /assets/boot.js');
  });
  await import('./main');

  // React DOM and Dexie load for real first, which takes a while in jsdom.
  const button = await screen.findByRole('button', { name: '再読み込み' }, { timeout: 10_000 });
  expect(screen.getByRole('status')).toHaveTextContent('読み込めませんでした。通信を確かめて、再読み込みしてください。');
  const reload = vi.fn();
  vi.stubGlobal('location', { reload });
  await user.click(button);
  expect(reload).toHaveBeenCalledTimes(1);
});
