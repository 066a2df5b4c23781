import { afterEach, describe, expect, it } from 'vitest';
import { noteCarriedName, takeCarriedName } from './carried-name';
import { useApp } from './store';
import type { VaultSession } from '../vault/types';

afterEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  takeCarriedName();
});

describe('the name carried from the search to an unknown caller’s case', () => {
  it('is handed over once, and is gone at the lock before any case start took it', () => {
    useApp.setState({ session: {} as VaultSession });
    noteCarriedName('  やまだ はなこ ');
    expect(takeCarriedName()).toBe('やまだ はなこ');
    expect(takeCarriedName()).toBe('');

    noteCarriedName('すずき');
    useApp.setState({ session: null }); // the lock
    expect(takeCarriedName()).toBe('');
  });
});
