import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createOffice } from '../../../test/factories/office';
import { readOffice, type Office } from '../../domain/office';
import { useApp } from '../../state/store';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import { createVault } from '../../vault/vault';
import { OfficesSection } from './offices-section';
import { OT } from './offices-text';

function unlockedWith(offices: readonly Office[]) {
  const session = createFakeSession({ displayName: '管理 花子' });
  useApp.setState({
    vault: createVault(`offices-test-${crypto.randomUUID()}`),
    phase: 'unlocked',
    session,
    users: [session.user],
    offices: new Map(offices.map((o) => [o.id, o])),
  });
  return session;
}

const setDate = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label, { exact: false }), { target: { value } });

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  syncStatus.setState(initialSyncStatus, true);
});

afterEach(() => {
  useApp.getState().vault?.close();
});

describe('設定 → 事業所: hub periods are history', () => {
  it('ends the open period (廃止届) with its last day and keeps it listed, then adds a later period', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);

    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    // the saved period is shown, not offered as a date to rewrite
    expect(screen.queryByDisplayValue('2024-04-01')).toBeNull();
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-09-30');
    await user.type(screen.getByLabelText(OT.endNote), '廃止届 9/15');
    await user.click(screen.getByRole('button', { name: OT.save }));

    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.hubPeriods).toEqual([{ from: '2024-04-01', to: '2026-09-30', note: '廃止届 9/15' }]));
    expect((await session.get('office', 'office-1'))?.data).toMatchObject({ hubPeriods: [{ from: '2024-04-01', to: '2026-09-30' }] });
    expect(screen.getByText('2024年4月1日〜2026年9月30日（廃止届 9/15）')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    setDate(OT.addFrom, '2026-09-15');
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(screen.getByLabelText(OT.addFrom, { exact: false })).toHaveAccessibleDescription(expect.stringContaining('前の期間（1件目）と重なっている'));
    expect(useApp.getState().offices.get('office-1')?.hubPeriods).toHaveLength(1);

    setDate(OT.addFrom, '2027-04-01');
    await user.click(screen.getByRole('button', { name: OT.save }));
    await waitFor(() =>
      expect(useApp.getState().offices.get('office-1')?.hubPeriods).toEqual([
        { from: '2024-04-01', to: '2026-09-30', note: '廃止届 9/15' },
        { from: '2027-04-01', to: null, note: '' },
      ]),
    );
    const periods = within(screen.getByRole('list', { name: OT.periods }));
    expect(periods.getByText('2024年4月1日〜2026年9月30日（廃止届 9/15）')).toBeInTheDocument();
    expect(periods.getByText('2027年4月1日〜')).toBeInTheDocument();
  });

  it('refuses a second open period: the current one must be ended first, and nothing is saved', async () => {
    const user = userEvent.setup();
    unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(screen.getByLabelText(OT.addFrom, { exact: false })).toHaveAccessibleDescription(expect.stringContaining(OT.errFromRequired));
    setDate(OT.addFrom, '2027-04-01');
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(screen.getByLabelText(OT.addFrom, { exact: false })).toHaveAccessibleDescription(expect.stringContaining('終了していない期間は最後の1件だけです'));
    expect(useApp.getState().offices.get('office-1')).toEqual(createOffice());
  });

  it('records 一体的運営 and a new office with its first period', async () => {
    const user = userEvent.setup();
    unlockedWith([]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: OT.add }));
    // an untouched form holds nothing unsaved; a typed one holds 「更新する」 back until saved
    expect(useApp.getState().unsaved.size).toBe(0);
    await user.type(screen.getByLabelText(OT.name, { exact: false }), '相談支援 みどり');
    expect(useApp.getState().unsaved.has('settings:office')).toBe(true);
    await user.type(screen.getByLabelText(OT.number, { exact: false }), '１２３４５６７８９０');
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    setDate(OT.addFrom, '2026-04-01');
    await user.click(screen.getByRole('checkbox', { name: OT.oneBodySettlement }));
    await user.click(screen.getByRole('button', { name: OT.save }));
    await waitFor(() => expect(useApp.getState().offices.size).toBe(1));
    const [saved] = useApp.getState().offices.values();
    expect(saved).toMatchObject({
      name: '相談支援 みどり',
      officeNumber: '1234567890',
      hubPeriods: [{ from: '2026-04-01', to: null, note: '' }],
      oneBody: { settlement: true, independentLiving: false },
    });
    expect(screen.getByText(OT.oneBodyLine('地域定着支援'))).toBeInTheDocument();
    expect(useApp.getState().unsaved.size).toBe(0);
  });
});

describe('設定 → 事業所: 加算の届出日 and 指定 (留意事項通知 第一の1(4); seeds/004 §24)', () => {
  it('records the 届出日 of the saved period and of a new one, and the designations, saying what each decides', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    const saved = screen.getByLabelText(OT.notifiedFor('2024年4月1日〜'));
    expect(saved).toHaveValue('');
    expect(saved).toHaveAccessibleDescription(expect.stringContaining('届出が15日以前なら翌月、16日以降なら翌々月のサービス提供分から算定します'));
    fireEvent.change(saved, { target: { value: '2024-03-12' } });
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-09-30');
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    setDate(OT.addFrom, '2027-04-01');
    fireEvent.change(screen.getByLabelText(OT.notified), { target: { value: '2027-03-20' } });
    await user.click(screen.getByRole('checkbox', { name: OT.designationSpecified }));
    await user.click(screen.getByRole('button', { name: OT.save }));

    await waitFor(() =>
      expect(useApp.getState().offices.get('office-1')).toMatchObject({
        hubPeriods: [
          { from: '2024-04-01', to: '2026-09-30', note: '', notifiedOn: '2024-03-12' },
          { from: '2027-04-01', to: null, note: '', notifiedOn: '2027-03-20' },
        ],
        designations: { specifiedConsultation: true, childConsultation: false },
      }),
    );
    expect((await session.get('office', 'office-1'))?.data).toMatchObject({ designations: { specifiedConsultation: true, childConsultation: false } });
    expect(screen.getByText(OT.notifiedLine('2024年3月12日'))).toBeInTheDocument();
    expect(screen.getByText(OT.designationsLine(OT.designationSpecified))).toBeInTheDocument();
  });

  it('keeps what a newer app stored on the office and its periods when this one saves it', async () => {
    const user = userEvent.setup();
    // as the vault hands over a record a newer app synced here (readOffice takes records of any age)
    const newer = readOffice({
      ...createOffice(),
      hubPeriods: [{ from: '2024-04-01', to: null, note: '', cityNotice: '障福第12号' }],
      oneBody: { settlement: false, independentLiving: false, transition: true },
      hubFunctionsHeld: ['相談'],
    });
    const session = unlockedWith([newer]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${newer.name}を${OT.edit}` }));
    await user.clear(screen.getByLabelText(OT.name, { exact: false }));
    await user.type(screen.getByLabelText(OT.name, { exact: false }), '相談支援 みなと');
    await user.click(screen.getByRole('checkbox', { name: OT.oneBodySettlement }));
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-09-30');
    await user.click(screen.getByRole('button', { name: OT.save }));
    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.name).toBe('相談支援 みなと'));
    const stored = (await session.get('office', 'office-1'))?.data;
    expect(stored).toMatchObject({
      hubFunctionsHeld: ['相談'],
      oneBody: { settlement: true, independentLiving: false, transition: true },
      hubPeriods: [{ from: '2024-04-01', to: '2026-09-30', cityNotice: '障福第12号' }],
    });
  });
});

describe('設定 → 事業所: a save that fails', () => {
  it('says why beside the form (the phone full) and keeps what was typed', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: OT.add }));
    await user.type(screen.getByLabelText(OT.name, { exact: false }), '相談支援 みどり');
    await user.type(screen.getByLabelText(OT.number, { exact: false }), '1234567890');
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    setDate(OT.addFrom, '2026-04-01');
    session.failNext('quota-exceeded');
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^保存できませんでした。端末の保存容量が足りません。/);
    expect(screen.getByLabelText(OT.name, { exact: false })).toHaveValue('相談支援 みどり');
    expect(useApp.getState().offices.size).toBe(0);
  });
});

describe('設定 → 事業所: kept by the hub', () => {
  it('a device joined to a hub as a coordinator shows the offices read-only and says the hub keeps them', () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, hub: 'aozora', role: 'coordinator' });
    unlockedWith([createOffice()]);
    render(<OfficesSection />);
    expect(screen.getByText(OT.hubKept)).toBeInTheDocument();
    expect(screen.getByText('2024年4月1日〜')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: `${createOffice().name}を${OT.edit}` })).toBeNull();
    expect(screen.queryByRole('button', { name: OT.add })).toBeNull();
  });

  it("the hub's admin edits them on the device", () => {
    syncStatus.setState({ ...initialSyncStatus, joined: true, hub: 'aozora', role: 'admin' });
    unlockedWith([createOffice()]);
    render(<OfficesSection />);
    expect(screen.queryByText(OT.hubKept)).toBeNull();
    expect(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` })).toBeInTheDocument();
  });
});
