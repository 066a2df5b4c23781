/**
 * 地域定着支援・自立生活援助 の利用 (claim rule e, issue 14): recorded per person in the household form
 * as 未確認, 利用なし or periods, checked like any date, and shown on the detail.
 */
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import type { Household } from '../../domain/household';
import { mountScreen, resetStore } from './test-helpers';
import { act } from '@testing-library/react';
import { useApp } from '../../state/store';
import { createOffice } from '../../../test/factories/office';

afterEach(resetStore);

const household = createHousehold({ id: 'hh-enrol', persons: [createPerson({ id: 'p-1', name: '佐藤 拓海' })] });

describe('household form: 地域定着支援・自立生活援助 の利用', () => {
  it('records a period of 地域定着支援 and 利用なし for 自立生活援助, and shows them on the detail', async () => {
    const session = createFakeSession();
    await session.put('household', household.id, household, 'create');
    const { user } = mountScreen({ hash: `#/households/${household.id}/edit`, households: [household], session });
    const hikari = createOffice({ id: 'office-hikari', name: 'ひかり相談支援事業所', oneBody: { settlement: true, independentLiving: false } });
    act(() => useApp.setState({ offices: new Map([[hikari.id, hikari]]) }));
    await user.selectOptions(await screen.findByLabelText('地域定着支援の利用'), '利用あり（期間を入力）');
    const period = screen.getByRole('group', { name: '地域定着支援の利用期間 1' });
    await user.type(within(period).getByLabelText('利用開始日'), '2024-04-01');
    await user.type(within(period).getByLabelText(/利用終了日/), '2025-03-31');
    // where: the offices of the hub (one running it as one body says so), 拠点外, or 未確認
    const where = within(period).getByLabelText('利用している事業所');
    expect([...(where as HTMLSelectElement).options].map((o) => o.text)).toEqual(['未確認（一体的に運営する事業所での利用とみなす）', 'ひかり相談支援事業所（一体的に運営）', '拠点外の事業所']);
    expect(where).toHaveValue('');
    await user.click(within(period.parentElement!).getByRole('button', { name: /追加/ }));
    const second = screen.getByRole('group', { name: '地域定着支援の利用期間 2' });
    await user.type(within(second).getByLabelText('利用開始日'), '2026-10-01');
    await user.selectOptions(within(second).getByLabelText('利用している事業所'), 'ひかり相談支援事業所（一体的に運営）');
    // 利用なし chosen by mistake and back: the periods and offices typed come back
    await user.selectOptions(screen.getByLabelText('地域定着支援の利用'), '利用なし');
    expect(screen.queryByRole('group', { name: '地域定着支援の利用期間 1' })).not.toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('地域定着支援の利用'), '利用あり（期間を入力）');
    expect(within(screen.getByRole('group', { name: '地域定着支援の利用期間 2' })).getByLabelText('利用している事業所')).toHaveValue('office-hikari');
    await user.selectOptions(screen.getByLabelText('自立生活援助の利用'), '利用なし');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });

    const saved = (await session.get<Household>('household', household.id))!.data;
    expect(saved.persons[0]!.enrolments!.settlement!.map(({ from, to, officeId }) => ({ from, to, officeId }))).toEqual([
      { from: '2024-04-01', to: '2025-03-31', officeId: undefined },
      { from: '2026-10-01', to: null, officeId: 'office-hikari' },
    ]);
    expect(saved.persons[0]!.enrolments!.independentLiving).toEqual([]);
    const services = screen.getByRole('region', { name: '福祉サービス' });
    expect(within(services).getByText('2024年4月1日〜2025年3月31日（利用している事業所未確認）、2026年10月1日〜（ひかり相談支援事業所）')).toBeInTheDocument();
    expect(within(services).getByText('利用なし')).toBeInTheDocument();
  });

  it('a period that ends before it starts is shown beside its field and nothing is saved', async () => {
    const session = createFakeSession();
    await session.put('household', household.id, household, 'create');
    const { user } = mountScreen({ hash: `#/households/${household.id}/edit`, households: [household], session });
    await user.selectOptions(await screen.findByLabelText('地域定着支援の利用'), '利用あり（期間を入力）');
    const period = screen.getByRole('group', { name: '地域定着支援の利用期間 1' });
    await user.type(within(period).getByLabelText('利用開始日'), '2026-10-01');
    await user.type(within(period).getByLabelText(/利用終了日/), '2026-09-30');
    await user.click(screen.getByRole('button', { name: '保存' }));

    const end = within(screen.getByRole('group', { name: '地域定着支援の利用期間 1' })).getByLabelText(/利用終了日/);
    expect(end).toHaveAccessibleDescription(expect.stringContaining('地域定着支援の利用期間（1件目）の終了日が開始日より前です'));
    expect((await session.get<Household>('household', household.id))!.data.persons[0]!.enrolments).toBeUndefined();
  });

  it('a person never asked reads 未確認 on the detail', async () => {
    mountScreen({ hash: `#/households/${household.id}`, households: [household] });
    const services = await screen.findByRole('region', { name: '福祉サービス' });
    expect(within(services).getAllByText('未確認')).toHaveLength(2);
  });
});
