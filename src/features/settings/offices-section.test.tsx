import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

/** 「保存する」 in the question a save that ends a period, or has a date far from today, asks first. */
async function answerSave(user: ReturnType<typeof userEvent.setup>) {
  await user.click(within(await screen.findByRole('dialog', { name: OT.askTitle })).getByRole('button', { name: OT.askSave }));
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  syncStatus.setState(initialSyncStatus, true);
  // today is 2026-12-07 in Japan: what is far from today (periodQuestions) does not move with the machine's clock
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-12-07T03:00:00.000Z'));
});

afterEach(() => {
  vi.useRealTimers();
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
    await answerSave(user);

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
    await answerSave(user);
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
    await answerSave(user);

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
    await answerSave(user);
    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.name).toBe('相談支援 みなと'));
    const stored = (await session.get('office', 'office-1'))?.data;
    expect(stored).toMatchObject({
      hubFunctionsHeld: ['相談'],
      oneBody: { settlement: true, independentLiving: false, transition: true },
      hubPeriods: [{ from: '2024-04-01', to: '2026-09-30', cityNotice: '障福第12号' }],
    });
  });
});

describe('設定 → 事業所: a period is saved for good, so the save asks first', () => {
  it('asks before ending the period (廃止届), naming the day, and saves nothing until 「保存する」', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-11-30');
    await user.click(screen.getByRole('button', { name: OT.save }));
    const dialog = await screen.findByRole('dialog', { name: OT.askTitle });
    expect(within(dialog).getByText('2026年11月30日で拠点の期間を終了します。この日より後の連絡・調整は相談強化加算の対象になりません。')).toBeVisible();
    expect(within(dialog).getByText(OT.askFixed)).toBeVisible();
    // a day within a month of today is not called far
    expect(within(dialog).queryByText(/1か月/)).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: OT.askBack }));
    expect(useApp.getState().offices.get('office-1')?.hubPeriods).toEqual([{ from: '2024-04-01', to: null, note: '' }]);
    expect(await session.outbox()).toEqual([]);
    // the form is still there with what was typed
    expect(screen.getByLabelText(OT.endTo, { exact: false })).toHaveValue('2026-11-30');

    await user.click(screen.getByRole('button', { name: OT.save }));
    await answerSave(user);
    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.hubPeriods).toEqual([{ from: '2024-04-01', to: '2026-11-30', note: '' }]));
  });

  it('names a new period’s date far from today (a year mistyped): 2027-04-01 for 2026-04-01', async () => {
    const user = userEvent.setup();
    unlockedWith([createOffice({ hubPeriods: [{ from: '2024-04-01', to: '2026-03-31', note: '' }] })]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.addPeriod }));
    setDate(OT.addFrom, '2027-04-01');
    fireEvent.change(screen.getByLabelText(OT.notified), { target: { value: '2027-03-20' } });
    await user.click(screen.getByRole('button', { name: OT.save }));
    const dialog = await screen.findByRole('dialog', { name: OT.askTitle });
    expect(within(dialog).getByText('位置付けられた日（開始日）が2027年4月1日です。今日から1か月より先の日付です。')).toBeVisible();
    expect(within(dialog).getByText('加算の届出日が2027年3月20日です。今日から1か月より先の日付です。')).toBeVisible();
    await user.click(within(dialog).getByRole('button', { name: OT.askBack }));

    // put right: a start within the year, and no question
    setDate(OT.addFrom, '2026-04-01');
    fireEvent.change(screen.getByLabelText(OT.notified), { target: { value: '2026-03-10' } });
    await user.click(screen.getByRole('button', { name: OT.save }));
    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.hubPeriods).toHaveLength(2));
    expect(screen.queryByRole('dialog', { name: OT.askTitle })).toBeNull();
  });

  it('Return in a field goes on to the next one and saves nothing', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-11-30');
    await user.click(screen.getByLabelText(OT.endTo, { exact: false }));
    await user.keyboard('{Enter}');
    expect(screen.getByLabelText(OT.endNote)).toHaveFocus();
    await user.type(screen.getByLabelText(OT.endNote), '廃止届{Enter}');
    expect(screen.queryByRole('dialog', { name: OT.askTitle })).toBeNull();
    expect(useApp.getState().offices.get('office-1')?.hubPeriods).toEqual([{ from: '2024-04-01', to: null, note: '' }]);
    expect(await session.outbox()).toEqual([]);
  });
});

describe('設定 → 事業所: a colleague’s edit synced while the form was open', () => {
  it('keeps their change to another field, and saves the form’s', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('checkbox', { name: OT.oneBodySettlement }));
    // meanwhile the hub's admin corrected the name on another device, and it arrived by sync
    const held = useApp.getState().offices.get('office-1')!;
    useApp.setState({ offices: new Map([['office-1', { ...held, name: '相談支援センター あおば（本所）', updatedAt: '2026-12-06T00:00:00.000Z' }]]) });
    await user.click(screen.getByRole('button', { name: OT.save }));
    await waitFor(() => expect(useApp.getState().offices.get('office-1')?.oneBody.settlement).toBe(true));
    expect(useApp.getState().offices.get('office-1')?.name).toBe('相談支援センター あおば（本所）');
    expect((await session.get('office', 'office-1'))?.data).toMatchObject({ name: '相談支援センター あおば（本所）', oneBody: { settlement: true } });
  });

  it('shows the periods as they are now when a colleague ended the same period meanwhile, and saves nothing', async () => {
    const user = userEvent.setup();
    unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    await user.click(screen.getByRole('button', { name: OT.endPeriod }));
    setDate(OT.endTo, '2026-11-30');
    const held = useApp.getState().offices.get('office-1')!;
    const ended = { ...held, hubPeriods: [{ from: '2024-04-01', to: '2026-10-31', note: '廃止届' }], updatedAt: '2026-12-06T00:00:00.000Z' };
    useApp.setState({ offices: new Map([['office-1', ended]]) });
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(await screen.findByRole('alert')).toHaveTextContent(OT.changedMeanwhile);
    expect(useApp.getState().offices.get('office-1')).toEqual(ended);
    // the form shows the ended period, and offers no second ending of it
    expect(within(screen.getAllByRole('list', { name: OT.periods }).at(-1)!).getByText('2024年4月1日〜2026年10月31日（廃止届）')).toBeVisible();
    expect(screen.queryByLabelText(OT.endTo, { exact: false })).toBeNull();
  });

  it('refuses an office too large for the hub with the size said', async () => {
    const user = userEvent.setup();
    const session = unlockedWith([createOffice()]);
    render(<OfficesSection />);
    await user.click(screen.getByRole('button', { name: `${createOffice().name}を${OT.edit}` }));
    fireEvent.change(screen.getByLabelText(OT.name, { exact: false }), { target: { value: 'あ'.repeat(45000) } });
    await user.click(screen.getByRole('button', { name: OT.save }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。長い文章を短くしてください。$/);
    expect(await session.outbox()).toEqual([]);
    expect(useApp.getState().offices.get('office-1')?.name).toBe(createOffice().name);
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
