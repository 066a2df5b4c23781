/**
 * An unknown caller's case is named by what the caller said (氏名（聞き取り）): two of one night are
 * told apart in the list. The name searched for before 「本人未特定で開始」 comes filled in.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { go } from '../../../test/factories/route';
import type { CaseEntry, Office } from '../../domain/emergency-case';
import { useApp } from '../../state/store';
import { noteCarriedName } from '../../state/carried-name';
import { CasesScreen } from './cases-screen';

const initial = useApp.getState();
let session: FakeSession;

const office: Office = {
  id: 'office-1',
  name: 'あおぞら相談支援センター',
  officeNumber: '1210000001',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }],
  oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};

beforeEach(() => {
  session = createFakeSession();
  useApp.setState({ session, phase: 'unlocked', offices: new Map([[office.id, office]]) });
});

afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

async function openEntries(): Promise<CaseEntry[]> {
  return (await session.list<CaseEntry>('case-entry')).map((r) => r.data).filter((e) => e.body.type === 'open');
}

/** 本人未特定で開始 from `hash`, 氏名（聞き取り） as `name` (untouched when undefined), 記録を開始. */
async function startUnknown(user: ReturnType<typeof userEvent.setup>, hash: string, name?: string) {
  await go(hash);
  const view = render(<CasesScreen />);
  const field = await screen.findByLabelText(/氏名（聞き取り）/);
  if (name !== undefined) {
    await user.clear(field);
    if (name !== '') await user.type(field, name);
  }
  await user.click(screen.getByRole('radio', { name: '介護者の入院' }));
  const before = (await openEntries()).length;
  await user.click(screen.getByRole('button', { name: '記録を開始' }));
  await waitFor(async () => expect((await openEntries()).length).toBe(before + 1));
  await waitFor(() => expect(window.location.hash).toMatch(/^#\/cases\/[0-9a-f-]+$/));
  view.unmount();
}

describe('氏名（聞き取り） of an unknown caller', () => {
  it('keeps the heard name in the case, so two unknown callers of one night are told apart in the list', async () => {
    const user = userEvent.setup();
    await startUnknown(user, '#/cases/new', '山田 花子');
    await startUnknown(user, '#/cases/new', '');

    const opens = await openEntries();
    const subjects = opens.flatMap((e) => (e.body.type === 'open' ? [e.body.subject] : []));
    expect(subjects.map((s) => s.name).sort()).toEqual(['', '山田 花子']);
    expect(subjects.every((s) => s.householdId === null && s.personId === null)).toBe(true);

    await go('#/cases');
    render(<CasesScreen />);
    const open = await screen.findByRole('region', { name: /^対応中/ });
    const names = within(open)
      .getAllByRole('link')
      .map((a) => a.querySelector('.case-row__name')?.textContent);
    expect(names.sort()).toEqual(['山田 花子（聞き取り）', '本人未特定'].sort());
  });

  it('comes filled in with the name searched for before 「本人未特定で開始」, and can be changed', async () => {
    const user = userEvent.setup();
    noteCarriedName('やまだ はなこ'); // the search's 「本人未特定で開始」
    await go('#/cases/new');
    render(<CasesScreen />);
    const field = await screen.findByLabelText(/氏名（聞き取り）/);
    expect(field).toHaveValue('やまだ はなこ');
    expect(window.location.hash).toBe('#/cases/new'); // never in the address
    expect(field).toHaveAccessibleDescription(/電話で聞いた本人の氏名/);
    await user.clear(field);
    await user.type(field, '山田 華子');
    await user.click(screen.getByRole('radio', { name: '介護者の入院' }));
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await waitFor(async () => expect((await openEntries()).map((e) => e.body.type === 'open' && e.body.subject.name)).toEqual(['山田 華子']));
  });
});
