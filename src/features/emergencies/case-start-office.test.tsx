/**
 * 対応する事業所 of a new case in a network of several offices: the user's own office, else the one
 * they last used on this device, else chosen; never silently the alphabetically first.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createOffice } from '../../../test/factories/office';
import type { CaseEntry, Office } from '../../domain/emergency-case';
import { useApp } from '../../state/store';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import { CasesScreen } from './cases-screen';

const initial = useApp.getState();
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', birthDate: '2010-05-01' })] });
// sorted by name: あおば, さくら, みどり
const aoba = createOffice({ id: 'office-a', name: 'あおば相談支援センター' });
const sakura = createOffice({ id: 'office-s', name: 'さくら相談支援事業所', officeNumber: '1210000002' });
const midori = createOffice({ id: 'office-m', name: 'みどり相談室', officeNumber: '1210000003' });
const network = [midori, aoba, sakura];
// the demo's offices (demo-data.ts, demo-cases.ts): its hub's own sorts first by name
const demoHub = createOffice({ id: 'demo-office-1', name: 'あおぞら相談支援センター（デモ）', officeNumber: '9912345678' });
const demoOther = createOffice({ id: 'demo-office-not-hub', name: 'さくら相談支援事業所（デモ・拠点外）', officeNumber: '9912345679', hubPeriods: [] });
const demoHousehold = createHousehold({ id: 'demo-hh-1', persons: [createPerson({ id: 'p-1', name: '練習 花子', birthDate: '2010-05-01' })] });

afterEach(() => {
  useApp.setState(initial, true);
  syncStatus.setState(initialSyncStatus, true);
  localStorage.clear();
  window.location.hash = '';
});

/** The case start for 佐藤 陽太, unlocked as `userId` on a device holding `offices`. */
async function openStart({ userId = 'user-1', offices = network, household: subject = household }: { userId?: string; offices?: readonly Office[]; household?: typeof household } = {}) {
  const session = createFakeSession({ id: userId });
  useApp.setState({ session, phase: 'unlocked', households: new Map([[subject.id, subject]]), offices: new Map(offices.map((o) => [o.id, o])) });
  await act(async () => {
    window.location.hash = `#/cases/new/${subject.id}/p-1`;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
  const user = userEvent.setup();
  const view = render(<CasesScreen />);
  await screen.findByText(/要請時刻 .*（開始を押した時刻）/);
  return { user, session, view };
}

/** The hub has answered since the unlock: its users, with this user's office. */
function hubKnows(officeId: string | null) {
  syncStatus.setState({
    joined: true,
    hubUserId: 'hub-u-1',
    staff: [
      { userId: 'hub-u-0', displayName: '拠点 一郎', role: 'coordinator', officeId: aoba.id },
      { userId: 'hub-u-1', displayName: '夜間 太郎', role: 'coordinator', officeId },
    ],
  });
}

async function opened(session: FakeSession): Promise<CaseEntry[]> {
  return (await session.list<CaseEntry>('case-entry')).map((r) => r.data).filter((e) => e.body.type === 'open');
}

/** The office the form shows: the one-line summary when it is known, else the select's choice ('' while none). */
function shownOffice(): string {
  const line = screen.queryByText(/^対応する事業所：/);
  if (line) return line.textContent!.replace('対応する事業所：', '');
  const select = screen.getByRole('combobox', { name: /対応する事業所/ }) as HTMLSelectElement;
  return select.value === '' ? '' : select.selectedOptions[0]!.textContent!;
}

async function start(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('radio', { name: '介護者の入院' }));
  await user.click(screen.getByRole('button', { name: '記録を開始' }));
}

describe('対応する事業所 of a new case', () => {
  it("starts under the user's own office as the hub names it, shown above the category, not the alphabetically first", async () => {
    hubKnows(midori.id);
    const { user, session } = await openStart();
    // known: one line (the night's fields stay on the first screen), where it is seen before 記録を開始
    expect(shownOffice()).toBe('みどり相談室');
    const line = screen.getByText(/^対応する事業所：/);
    const category = screen.getByRole('group', { name: /要請の内容（区分）/ });
    expect(line.compareDocumentPosition(category) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();

    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: midori.id });
  });

  it('does not start under an office whose 拠点 period has ended (closed or merged), though it is placed there: it asks', async () => {
    const closed = { ...midori, hubPeriods: [{ from: '2024-04-01', to: '2025-03-31', note: '廃止' }] };
    hubKnows(midori.id);
    const { user, session } = await openStart({ offices: [closed, aoba, sakura] });
    expect(shownOffice()).toBe('');
    // still there to be chosen, for a case it does handle
    await user.selectOptions(screen.getByRole('combobox', { name: /対応する事業所/ }), aoba.id);
    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: aoba.id });
  });

  it('changes the known office with 変更, for a case another office handles', async () => {
    hubKnows(midori.id);
    const { user, session } = await openStart();
    await user.click(screen.getByRole('button', { name: '変更' }));
    const office = screen.getByRole('combobox', { name: /対応する事業所/ });
    expect(office).toHaveValue(midori.id);
    // the choice took the button's place, and the focus
    await waitFor(() => expect(office).toHaveFocus());
    await user.selectOptions(office, sakura.id);
    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: sakura.id });
  });

  it('with several offices and none known, asks for one and records nothing until it is chosen; then offers it again to the same user only', async () => {
    const first = await openStart();
    const office = screen.getByRole('combobox', { name: /対応する事業所/ });
    expect(office).toHaveValue('');
    expect(screen.getByRole('option', { selected: true })).toHaveTextContent('選んでください');
    expect(office).toHaveAccessibleDescription('相談強化加算は、ここで選んだ事業所で算定されます。');

    await start(first.user);
    expect(office).toHaveAccessibleDescription(/対応する事業所を選んでください。/);
    expect(office).toHaveFocus();
    expect(await opened(first.session)).toEqual([]);

    await first.user.selectOptions(office, sakura.id);
    expect(office).not.toHaveAccessibleDescription(/選んでください/);
    await first.user.click(screen.getByRole('button', { name: '記録を開始' }));
    await waitFor(async () => expect(await opened(first.session)).toHaveLength(1));
    expect((await opened(first.session))[0]!.body).toMatchObject({ officeId: sakura.id });
    first.view.unmount();

    // the next case on this device: the office this user used last
    const again = await openStart();
    expect(shownOffice()).toBe('さくら相談支援事業所');
    again.view.unmount();
    // a colleague unlocking the same phone is asked
    await openStart({ userId: 'user-2' });
    expect(screen.getByRole('combobox', { name: /対応する事業所/ })).toHaveValue('');
  });

  it("prefers the user's own office to the one last used, and fills it in when the hub answers after the form opened", async () => {
    localStorage.setItem('kyoten:case-office:user-1', sakura.id);
    hubKnows(midori.id);
    const first = await openStart();
    expect(shownOffice()).toBe('みどり相談室');
    first.view.unmount();

    syncStatus.setState(initialSyncStatus, true);
    localStorage.clear();
    await openStart();
    expect(shownOffice()).toBe('');
    act(() => hubKnows(midori.id));
    await waitFor(() => expect(shownOffice()).toBe('みどり相談室'));
  });

  it('a hub with one office keeps it simple: no field, the case is under that office', async () => {
    const { user, session } = await openStart({ offices: [midori] });
    expect(screen.queryByRole('combobox', { name: /対応する事業所/ })).not.toBeInTheDocument();
    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: midori.id });
  });

  it('after the demo is loaded, a real person\'s call starts under the real office, never the demo\'s, even one remembered as last used', async () => {
    // the demo used to be remembered as this user's last office when none was
    localStorage.setItem('kyoten:case-office:user-1', demoHub.id);
    const { user, session } = await openStart({ offices: [midori, demoHub, demoOther] });
    // the one real office: no field, nothing to choose, and it is the real one
    expect(screen.queryByRole('combobox', { name: /対応する事業所/ })).not.toBeInTheDocument();
    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: midori.id });
    expect(localStorage.getItem('kyoten:case-office:user-1')).toBe(midori.id);
  });

  it("a demo household's practice call starts under the demo hub's office, and is not remembered", async () => {
    const { user, session } = await openStart({ offices: [midori, demoOther, demoHub], household: demoHousehold });
    useApp.setState({ demoIds: new Set([demoHousehold.id]) });
    expect(shownOffice()).toBe(demoHub.name);
    await start(user);
    await waitFor(async () => expect(await opened(session)).toHaveLength(1));
    expect((await opened(session))[0]!.body).toMatchObject({ officeId: demoHub.id });
    expect(localStorage.getItem('kyoten:case-office:user-1')).toBeNull();
  });
});
