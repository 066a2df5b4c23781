/**
 * Two new 聞き取り票 open at once in two tabs (or windows) of the app on one phone, against the real
 * vault (Dexie over fake-indexeddb): each family keeps its own draft and its own registration.
 * Every form rendered here is a tab of the same browser (fake Web Locks).
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVault } from '../../vault/vault';
import type { VaultSession } from '../../vault/types';
import type { Household } from '../../domain/household';
import { HouseholdForm } from './household-form';
import { HouseholdsScreen } from './households-screen';
import { resetStore, setUnlocked } from './test-helpers';
import { enterText } from '../../../test/factories/enter-text';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { installFakeLocks } from '../../../test/factories/fake-locks';

const PASSPHRASE = 'あおぞら拠点-当番用';
const RESTORED = '保存していない入力を復元しました';

let uninstallLocks: () => void = () => undefined;
beforeEach(() => {
  uninstallLocks = installFakeLocks().uninstall;
});
afterEach(() => {
  uninstallLocks();
  resetStore();
});

async function unlockedRealVault(households: readonly Household[] = []): Promise<VaultSession> {
  const session = await createVault(`households-tabs-${crypto.randomUUID()}`).setUp('拠点 花子', PASSPHRASE);
  for (const h of households) await session.put('household', h.id, h, 'create');
  setUnlocked(session, households);
  return session;
}

/** One tab's 新規登録: the form, and what to look for inside it only. */
async function openNewForm() {
  const view = render(<HouseholdForm id={null} />);
  const tab = within(view.container);
  await tab.findByLabelText('氏名');
  return { ...view, tab };
}

const newDrafts = async (session: VaultSession) => (await session.listDraftKeys()).filter((k) => k.startsWith('household:new'));

async function savedNames(session: VaultSession): Promise<string[]> {
  const saved = await session.list<Household>('household');
  return saved.flatMap((h) => h.data.persons.map((p) => p.name)).sort();
}

describe('two new 聞き取り票 open at once in two tabs', () => {
  it('opens the second one blank while the first family\'s interview waits unsaved, and both families are registered', async () => {
    const session = await unlockedRealVault();
    const user = userEvent.setup();
    const tabA = await openNewForm();
    await enterText(user, tabA.tab.getByLabelText('氏名'), '佐藤 陽太');
    await waitFor(async () => expect(await newDrafts(session)).toHaveLength(1));

    const tabB = await openNewForm();
    expect(tabB.tab.getByLabelText('氏名')).toHaveValue('');
    expect(tabB.tab.queryByText(RESTORED)).not.toBeInTheDocument();
    await enterText(user, tabB.tab.getByLabelText('氏名'), '鈴木 花子');

    await user.click(tabA.tab.getByRole('button', { name: '保存' }));
    await waitFor(async () => expect(await savedNames(session)).toEqual(['佐藤 陽太']));
    await user.click(tabB.tab.getByRole('button', { name: '保存' }));
    await waitFor(async () => expect(await savedNames(session)).toEqual(['佐藤 陽太', '鈴木 花子']));

    // one creation each for the hub, of two households
    const created = (await session.outbox()).filter((e) => e.kind === 'household' && e.op === 'create');
    expect(new Set(created.map((e) => e.entityId)).size).toBe(2);
    await waitFor(async () => expect(await newDrafts(session)).toEqual([]));
  });

  it('keeps each tab\'s interview: the first tab opened again shows its own family, not the other tab\'s', async () => {
    const session = await unlockedRealVault();
    const user = userEvent.setup();
    const tabA = await openNewForm();
    const tabB = await openNewForm();
    await enterText(user, tabA.tab.getByLabelText('氏名'), '佐藤 陽太');
    await waitFor(async () => expect(await newDrafts(session)).toHaveLength(1));
    await enterText(user, tabB.tab.getByLabelText('氏名'), '鈴木 花子');
    await waitFor(async () => expect(await newDrafts(session)).toHaveLength(2));

    // tab A is reloaded (or closed and opened again) and goes back to 新規登録
    tabA.unmount();
    const reopened = await openNewForm();
    expect(await reopened.tab.findByText(RESTORED)).toBeInTheDocument();
    expect(reopened.tab.getByLabelText('氏名')).toHaveValue('佐藤 陽太');
    expect(tabB.tab.getByLabelText('氏名')).toHaveValue('鈴木 花子');
  });

  it('says on the list that an interview waits when it is the one a second tab kept', async () => {
    const other = createHousehold({ id: 'hh-9' });
    const session = await unlockedRealVault([other]);
    const user = userEvent.setup();
    const tabA = await openNewForm();
    const tabB = await openNewForm();
    await enterText(user, tabB.tab.getByLabelText('氏名'), '鈴木 花子');
    await waitFor(async () => expect(await newDrafts(session)).toHaveLength(1));
    tabA.unmount();
    tabB.unmount();

    window.location.hash = '#/';
    render(<HouseholdsScreen />);
    await user.click(await screen.findByRole('button', { name: '登録の続き（入力途中）' }));
    expect(await screen.findByLabelText('氏名')).toHaveValue('鈴木 花子');
  });
});

describe('a new household\'s draft under the id of a household saved meanwhile', () => {
  it('is saved as a registration of its own, and the saved family stays', async () => {
    const saved = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
    const session = await unlockedRealVault([saved]);
    // a tab of a browser without Web Locks wrote its interview under the same id before that save
    const draft = { ...createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-2', name: '鈴木 花子', furigana: 'スズキ ハナコ', birthDate: '1998-07-15', recipientNumber: '2345678901' })] }), emergencyContacts: [], consent: { date: '', consentedBy: '', scope: '' } };
    await session.saveDraft(`household:new:${session.user.id}`, draft);
    const user = userEvent.setup();

    const form = await openNewForm();
    expect(await form.tab.findByText(RESTORED)).toBeInTheDocument();
    expect(form.tab.getByLabelText('氏名')).toHaveValue('鈴木 花子');
    await user.click(form.tab.getByRole('button', { name: '保存' }));

    await waitFor(async () => expect(await savedNames(session)).toEqual(['佐藤 陽太', '鈴木 花子']));
    expect((await session.get<Household>('household', 'hh-1'))?.data.persons[0]?.name).toBe('佐藤 陽太');
  });
});
