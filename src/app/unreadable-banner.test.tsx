/** One record damaged on the disk: the lists show every other, and the app says how many it set aside. */
import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../test/factories/household';
import { useApp } from '../state/store';
import { UnreadableBanner } from './storage-error';
import { T } from './text';

afterEach(() => {
  useApp.setState(useApp.getInitialState(), true);
});

describe('records damaged on the disk', () => {
  it('are set aside at reading: the other households and cases show, and the banner counts the damaged ones', async () => {
    const session = createFakeSession();
    const households = ['佐藤 陽太', '鈴木 花子', '田中 一郎'].map((name, i) => createHousehold({ id: `hh-${i}`, persons: [createPerson({ id: `p-${i}`, name })] }));
    for (const h of households) await session.put('household', h.id, h, 'create');
    await session.put('facility', 'fac-1', { id: 'fac-1', name: 'あおば荘' }, 'create');
    session.damage('household', 'hh-1');
    session.damage('facility', 'fac-1');
    useApp.setState({ session, phase: 'unlocked' });
    await useApp.getState().reload();

    expect(useApp.getState().error).toBeNull();
    expect([...useApp.getState().households.keys()].sort()).toEqual(['hh-0', 'hh-2']);
    render(<UnreadableBanner />);
    expect(screen.getByText(T.unreadable(2))).toBeVisible();
  });

  it('says nothing when every record reads', async () => {
    const session = createFakeSession();
    await session.put('household', 'hh-0', createHousehold({ id: 'hh-0' }), 'create');
    useApp.setState({ session, phase: 'unlocked' });
    await useApp.getState().reload();
    const { container } = render(<UnreadableBanner />);
    expect(container).toBeEmptyDOMElement();
    expect(useApp.getState().households.size).toBe(1);
  });
});
