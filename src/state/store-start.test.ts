import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVault } from '../vault/vault';
import { vaultErrorMessage } from '../vault/errors';
import { useApp } from './store';

afterEach(() => {
  useApp.getState().vault?.close();
  useApp.setState(useApp.getInitialState(), true);
  vi.restoreAllMocks();
});

/** A vault whose database the browser will not open: Chrome's words when the disk is full. */
function fullDiskVault() {
  const vault = createVault(`start-${crypto.randomUUID()}`);
  const refused = () => Promise.reject(new DOMException('Internal error opening backing store for indexedDB.open.', 'UnknownError'));
  vi.spyOn(vault, 'isSetUp').mockImplementation(refused);
  vi.spyOn(vault, 'listUsers').mockImplementation(refused);
  vi.spyOn(vault, 'settings').mockImplementation(refused);
  return vault;
}

describe('start: a database that will not open', () => {
  it('says a full disk is the likely cause at the first open, and again at each 再試行 that fails the same way, until it opens', async () => {
    await useApp.getState().start(fullDiskVault());
    expect(useApp.getState()).toMatchObject({ phase: 'failed', error: { code: 'open-failed', message: vaultErrorMessage('open-failed') } });

    await useApp.getState().start(fullDiskVault()); // 再試行 before any space was freed
    expect(useApp.getState()).toMatchObject({ phase: 'failed', error: { code: 'open-failed' } });

    await useApp.getState().start(createVault(`start-${crypto.randomUUID()}`)); // space freed
    expect(useApp.getState()).toMatchObject({ phase: 'setup', error: null });
  });
});
