/**
 * A household placed under an office, with its 担当 picked from a list (issue 14): the hub's case
 * workers of that office on a joined device, this device's users alone; moving it to another office
 * asks why and is kept in its history.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createOffice } from '../../../test/factories/office';
import type { Household } from '../../domain/household';
import { useApp } from '../../state/store';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import { mountScreen, resetStore } from './test-helpers';

const AOBA = createOffice({ id: 'office-a', name: '相談支援 あおば' });
const MIDORI = createOffice({ id: 'office-b', name: '相談支援 みどり' });
const household = createHousehold({ id: 'hh-1', officeId: 'office-a', registeringOffice: AOBA.name, persons: [createPerson({ id: 'p-1', name: '佐藤 拓海' })] });

beforeEach(() => {
  syncStatus.setState(initialSyncStatus, true);
  useApp.setState({
    offices: new Map([AOBA, MIDORI].map((o) => [o.id, o])),
    users: [
      { id: 'u-1', displayName: '相談 一郎', createdAt: '2026-04-01T00:00:00.000Z' },
      { id: 'u-2', displayName: '相談 花子', createdAt: '2026-04-01T00:00:00.000Z' },
    ],
  });
});
afterEach(resetStore);

async function editing() {
  const session = createFakeSession({ id: 'u-1', displayName: '相談 一郎' });
  await session.put('household', household.id, household, 'create');
  const view = mountScreen({ hash: `#/households/${household.id}/edit`, households: [household], session });
  await screen.findByLabelText('担当の相談支援専門員', { exact: false });
  return { ...view, session };
}

describe('household under an office, with its 担当 picked', () => {
  it('joined, before the hub\'s list is known here: offers none of the device\'s people, whose ids mean nothing to the hub', async () => {
    syncStatus.setState({ joined: true, staff: null });
    await editing();
    const picker = screen.getByLabelText('担当の相談支援専門員', { exact: false });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['（未設定）', '小野 恵美（以前の入力）']);
  });

  it('alone: picks the 担当 from the device users; moving to another office asks why, then is kept in the history', async () => {
    const { user, session } = await editing();
    const picker = screen.getByLabelText('担当の相談支援専門員', { exact: false });
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['（未設定）', '小野 恵美（以前の入力）', '相談 一郎', '相談 花子']);
    await user.selectOptions(picker, '相談 花子');
    // once someone is picked, the name typed before is gone from the list
    expect(within(picker).getAllByRole('option').map((o) => o.textContent)).toEqual(['（未設定）', '相談 一郎', '相談 花子']);
    await user.selectOptions(screen.getByLabelText('登録事業所（相談支援事業所）', { exact: false }), '相談支援 みどり');
    await user.click(screen.getByRole('button', { name: '保存' }));
    const reason = screen.getByLabelText('事業所を移す理由', { exact: false });
    expect(reason).toHaveAccessibleDescription(expect.stringContaining('事業所を移す理由を入力してください'));
    expect((await session.get<Household>('household', household.id))!.data.officeId).toBe('office-a');

    await user.type(reason, '転居（みどり地区へ）');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    const saved = (await session.get<Household>('household', household.id))!.data;
    expect(saved).toMatchObject({ officeId: 'office-b', registeringOffice: '相談支援 みどり', caseWorkerUserId: 'u-2', caseWorker: '相談 花子' });
    expect(saved.officeMoves).toEqual([{ at: expect.any(String), byUserId: 'u-1', byName: '相談 一郎', from: 'office-a', to: 'office-b', reason: '転居（みどり地区へ）' }]);
    const agencies = screen.getByRole('region', { name: '関係機関' });
    expect(within(agencies).getByText(/相談 一郎：相談支援 あおば → 相談支援 みどり（転居（みどり地区へ））/)).toBeInTheDocument();
  });

  it("joined to a hub: offers the hub's case workers of the household's office only", async () => {
    syncStatus.setState({
      ...initialSyncStatus,
      joined: true,
      role: 'coordinator',
      staff: [
        { userId: 'hub-1', displayName: '青葉 一郎', role: 'case-worker', officeId: 'office-a' },
        { userId: 'hub-2', displayName: '緑 二郎', role: 'case-worker', officeId: 'office-b' },
        { userId: 'hub-3', displayName: '夜勤 三郎', role: 'coordinator', officeId: null },
      ],
    });
    const { user } = await editing();
    const picker = () => screen.getByLabelText('担当の相談支援専門員', { exact: false });
    expect(within(picker()).getAllByRole('option').map((o) => o.textContent)).toEqual(['（未設定）', '小野 恵美（以前の入力）', '青葉 一郎']);
    await user.selectOptions(screen.getByLabelText('登録事業所（相談支援事業所）', { exact: false }), '相談支援 みどり');
    expect(within(picker()).getAllByRole('option').map((o) => o.textContent)).toEqual(['（未設定）', '小野 恵美（以前の入力）', '緑 二郎']);
  });

  it('a new household starts under the office of the case worker registering it, with them as its 担当; a coordinator of the hub gets no default', async () => {
    const staff = [
      { userId: 'hub-1', displayName: '青葉 一郎', role: 'case-worker' as const, officeId: 'office-b' },
      { userId: 'hub-3', displayName: '夜勤 三郎', role: 'coordinator' as const, officeId: null },
    ];
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'case-worker', hubUserId: 'hub-1', staff });
    const session = createFakeSession({ id: 'u-1', displayName: '相談 一郎' });
    const { unmount } = mountScreen({ hash: '#/households/new', households: [], session });
    const office = await screen.findByLabelText('登録事業所（相談支援事業所）', { exact: false });
    expect(office).toHaveDisplayValue('相談支援 みどり');
    expect(screen.getByLabelText('担当の相談支援専門員', { exact: false })).toHaveDisplayValue('青葉 一郎');
    unmount();

    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'coordinator', hubUserId: 'hub-3', staff });
    mountScreen({ hash: '#/households/new', households: [], session });
    expect(await screen.findByLabelText('登録事業所（相談支援事業所）', { exact: false })).toHaveDisplayValue('（未設定）');
  });
});

describe('a household whose 担当 has left the hub', () => {
  const staff = [{ userId: 'hub-1', displayName: '青葉 一郎', role: 'case-worker' as const, officeId: 'office-a' }];
  const theirs = { ...household, caseWorkerUserId: 'hub-9', caseWorker: '小野 恵美', caseWorkerPhone: '090-5555-0000' };

  it('says so on the household screen, with what to do: their number stayed the family’s contact at night', async () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'coordinator', staff });
    mountScreen({ hash: '#/households/hh-1', households: [theirs] });
    expect(await screen.findByText(/担当の相談支援専門員（小野 恵美）は、拠点の職員一覧にいません/)).toBeInTheDocument();
  });

  it('says nothing while the 担当 is on the list, or before the hub’s list is known', async () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'coordinator', staff: [...staff, { userId: 'hub-9', displayName: '小野 恵美', role: 'case-worker', officeId: 'office-a' }] });
    const { unmount } = mountScreen({ hash: '#/households/hh-1', households: [theirs] });
    await screen.findByText('佐藤 拓海さんの緊急対応を開始');
    expect(screen.queryByText(/職員一覧にいません/)).not.toBeInTheDocument();
    unmount();
    syncStatus.setState({ ...initialSyncStatus, joined: true, role: 'coordinator', staff: null });
    mountScreen({ hash: '#/households/hh-1', households: [theirs] });
    await screen.findByText('佐藤 拓海さんの緊急対応を開始');
    expect(screen.queryByText(/職員一覧にいません/)).not.toBeInTheDocument();
  });
});
