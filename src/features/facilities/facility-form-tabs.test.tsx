/**
 * Two new facility forms open at once in two tabs of the app on one phone, against the real vault
 * (Dexie over fake-indexeddb): each keeps its own draft, and each facility is registered. Every form
 * rendered here is a tab of the same browser (fake Web Locks).
 */
import { render, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { createVault } from '../../vault/vault';
import type { VaultSession } from '../../vault/types';
import type { Facility } from '../../domain/facility';
import { FacilityForm } from './facility-form';
import { toFormState } from './form-model';
import { resetStore } from './test-helpers';
import { createFacility } from '../../../test/factories/facility';
import { installFakeLocks } from '../../../test/factories/fake-locks';

const RESTORED = '保存されていない入力を復元しました。内容を確認して保存してください。';

let fake: ReturnType<typeof installFakeLocks>;
const uninstallLocks = () => fake.uninstall();
beforeEach(() => {
  fake = installFakeLocks();
});
afterEach(() => {
  uninstallLocks();
  resetStore();
  window.location.hash = '';
});

async function unlockedRealVault(facilities: readonly Facility[] = []): Promise<VaultSession> {
  const session = await createVault(`facilities-tabs-${crypto.randomUUID()}`).setUp('拠点 花子', 'あおぞら拠点-当番用');
  for (const f of facilities) await session.put('facility', f.id, f, 'create');
  useApp.setState({ session, phase: 'unlocked', settings: DEFAULT_SETTINGS, facilities: new Map(facilities.map((f) => [f.id, f])), error: null, unsaved: new Set(), beforeLock: new Set() });
  return session;
}

function openNewForm() {
  const view = render(<FacilityForm id={null} />);
  return { ...view, tab: within(view.container) };
}

const newDrafts = async (session: VaultSession) => (await session.listDraftKeys()).filter((k) => k.startsWith('facility:new'));
const savedNames = async (session: VaultSession) => (await session.list<Facility>('facility')).map((f) => f.data.name).sort();

describe('two new facility forms open at once in two tabs', () => {
  it('opens the second one blank while the first one\'s input waits unsaved, and registers both facilities', async () => {
    const session = await unlockedRealVault();
    const user = userEvent.setup();
    const tabA = openNewForm();
    await user.type(tabA.tab.getByLabelText(/事業所名/), 'つばさ苑');
    await user.type(tabA.tab.getByLabelText(/事業所番号/), '1210100002');
    await waitFor(async () => expect(await newDrafts(session)).toHaveLength(1));

    const tabB = openNewForm();
    // each form holds a draft of its own: tab B has claimed one (and read it, had it found one)
    await waitFor(() => expect(fake.locks.held.size).toBe(2));
    expect(tabB.tab.queryByText(RESTORED)).not.toBeInTheDocument();
    expect(tabB.tab.getByLabelText(/事業所名/)).toHaveValue('');
    await user.type(tabB.tab.getByLabelText(/事業所名/), 'ひだまり');
    await user.type(tabB.tab.getByLabelText(/事業所番号/), '1210100003');

    await user.click(tabA.tab.getByRole('button', { name: '保存' }));
    await waitFor(async () => expect(await savedNames(session)).toEqual(['つばさ苑']));
    await user.click(tabB.tab.getByRole('button', { name: '保存' }));
    await waitFor(async () => expect(await savedNames(session)).toEqual(['つばさ苑', 'ひだまり']));
  });
});

describe('a new facility\'s draft under the id of a facility saved meanwhile', () => {
  it('is saved as a facility of its own, and the saved one stays', async () => {
    const saved = createFacility({ id: 'fac-1', name: 'あおば荘', officeNumber: '1210100002' });
    const session = await unlockedRealVault([saved]);
    // a tab of a browser without Web Locks kept its input under the same id before that save
    const state = toFormState(createFacility({ id: 'fac-1', name: 'ひだまり', officeNumber: '1210100003' }), '拠点 花子');
    await session.saveDraft(`facility:new:${session.user.id}`, { baseId: 'fac-1', state });
    const user = userEvent.setup();

    const form = openNewForm();
    expect(await form.tab.findByText(RESTORED)).toBeInTheDocument();
    expect(form.tab.getByLabelText(/事業所名/)).toHaveValue('ひだまり');
    await user.click(form.tab.getByRole('button', { name: '保存' }));

    await waitFor(async () => expect(await savedNames(session)).toEqual(['あおば荘', 'ひだまり']));
    expect((await session.get<Facility>('facility', 'fac-1'))?.data.name).toBe('あおば荘');
  });
});
