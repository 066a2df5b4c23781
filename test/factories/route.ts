/** Moves the app to a route as a tap on a link does (the hash, then its hashchange), inside act. */
import { act } from '@testing-library/react';

export async function go(hash: string): Promise<void> {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}
