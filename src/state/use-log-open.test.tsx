import { act, renderHook, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession, type FakeSession } from '../../test/factories/fake-session';
import { useApp } from './store';
import { useLogOpen } from './use-log-open';

afterEach(() => useApp.setState(useApp.getInitialState(), true));

const opened = async (session: FakeSession) =>
  (await session.accessLog()).filter((e) => e.action === 'open-household').map((e) => e.householdId);

/** Lets every pending log write settle, so "nothing more was written" is checked after the fact. */
const settle = () => act(async () => new Promise((resolve) => setTimeout(resolve, 20)));

function mount(initial: string | null) {
  return renderHook(({ id }: { id: string | null }) => useLogOpen(id), { initialProps: { id: initial }, wrapper: StrictMode });
}

describe('useLogOpen (閲覧記録 of a screen that shows a household)', () => {
  it('writes one entry per opening, not per render (StrictMode effects, re-renders, store updates)', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const { rerender } = mount('hh-1');
    rerender({ id: 'hh-1' });
    act(() => useApp.setState({ households: new Map() }));
    rerender({ id: 'hh-1' });
    await settle();
    expect(await opened(session)).toEqual(['hh-1']);
  });

  it('writes again for another household, and after an unlock back into the same screen (new session)', async () => {
    const before = createFakeSession();
    useApp.setState({ session: before, phase: 'unlocked' });
    const { rerender } = mount('hh-1');
    rerender({ id: 'hh-2' });
    await waitFor(async () => expect(await opened(before)).toEqual(['hh-1', 'hh-2']));

    // An idle lock keeps the route; whoever unlocks gets a new session, and that is a new opening.
    act(() => useApp.setState({ session: null, phase: 'locked' }));
    await settle();
    const after = createFakeSession();
    act(() => useApp.setState({ session: after, phase: 'unlocked' }));
    await settle();
    expect(await opened(after)).toEqual(['hh-2']);
    expect(await opened(before)).toEqual(['hh-1', 'hh-2']);
  });

  it('writes nothing for a screen about nobody registered, and waits for a session to log to', async () => {
    const session = createFakeSession();
    useApp.setState({ session, phase: 'unlocked' });
    const nobody = mount(null);
    await settle();
    expect(await opened(session)).toEqual([]);
    nobody.unmount();

    act(() => useApp.setState({ session: null, phase: 'locked' }));
    mount('hh-1');
    await settle();
    act(() => useApp.setState({ session, phase: 'unlocked' }));
    await settle();
    expect(await opened(session)).toEqual(['hh-1']);
  });
});
