import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createTrialStay } from '../../../test/factories/trial-stay';
import { createFacility } from '../../../test/factories/facility';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { ReportsScreen } from './reports-screen';
import { go } from '../../../test/factories/route';

const initial = useApp.getState();
const household = createHousehold({
  id: 'h1',
  persons: [createPerson({ id: 'p1', birthDate: '2000-01-01', municipality: 'みなと市' }), createPerson({ id: 'p2', birthDate: '2015-06-01', municipality: 'あさひ市' })],
  consent: { date: '2025-05-01', consentedBy: '母', scope: '緊急時' },
});

beforeEach(() => {
  useApp.setState({
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    households: new Map([[household.id, household]]),
    householdsLoaded: true,
    trialStays: new Map([['t1', createTrialStay({ id: 't1', householdId: 'h1', personId: 'p2', from: '2025-07-01', to: '2025-07-03' })]]),
  });
});
afterEach(() => {
  // a test that fails while the clock is faked must not leave the next one on a fake clock
  vi.useRealTimers();
  useApp.setState(initial, true);
  window.location.hash = '';
  vi.restoreAllMocks();
});

const cell = (section: string, item: string) =>
  within(screen.getByRole('region', { name: section })).getByRole('rowheader', { name: item }).closest('tr')!;

describe('年次実績報告 screen', () => {
  it('shows the fiscal year in the address, figure by figure, and moves to another year', async () => {
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    render(<ReportsScreen />);
    expect(screen.getByText('対象期間：2025年4月1日〜2026年3月31日')).toBeVisible();
    expect(within(cell('事前登録者', '登録者数（2026年3月31日時点）')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', '1', '0', '2']);
    expect(within(cell('事前登録者', '支給決定市町村：あさひ市')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['0', '1', '0', '1']);
    expect(within(cell('体験の機会・場', '体験利用日数')).getAllByRole('cell').map((c) => c.textContent)).toEqual(['', '', '', '3']);

    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('年度'), '2024年度（2024年4月〜2025年3月）');
    expect(window.location.hash).toBe('#/reports?from=2024-04-01&to=2025-03-31');
    await go(window.location.hash);
    expect(within(cell('事前登録者', '登録者数（2025年3月31日時点）')).getAllByRole('cell').at(-1)!.textContent).toBe('0');
  });

  it('names an older fiscal year in the 年度 list when the address holds one, not the first of the last six', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-06T03:00:00.000Z'));
    await go('#/reports?from=2018-04-01&to=2019-03-31');
    render(<ReportsScreen />);
    expect(screen.getByLabelText('年度')).toHaveDisplayValue('2018年度（2018年4月〜2019年3月）');
    vi.useRealTimers();
  });

  it('leaves the demo data out of every figure and says how much it left out; says nothing of demo without any', async () => {
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    const view = render(<ReportsScreen />);
    expect(screen.queryByText(/デモデータ/)).not.toBeInTheDocument();
    const before = screen.getAllByRole('table').map((t) => t.textContent);
    view.unmount();

    // the demo hub loaded beside it: a demo household with a trial stay, a demo facility carrying a hub function
    const demo = createHousehold({ id: 'demo-h-00001', persons: [createPerson({ id: 'p9', birthDate: '1990-01-01', municipality: 'みなと市' })], consent: { date: '2025-05-01', consentedBy: '本人', scope: '緊急時' } });
    useApp.setState({
      households: new Map([[household.id, household], [demo.id, demo]]),
      demoIds: new Set([demo.id]),
      trialStays: new Map([...useApp.getState().trialStays, ['demo-ts-1', createTrialStay({ id: 'demo-ts-1', householdId: demo.id, personId: 'p9', from: '2025-08-01', to: '2025-08-02' })]]),
      facilities: new Map([['demo-f-00001', createFacility({ id: 'demo-f-00001', hubFunctions: ['experience'] })]]),
    });
    render(<ReportsScreen />);
    expect(screen.getByText('デモデータ 3件は含めていません（世帯 1件・体験利用 1件・短期入所事業所 1件）。')).toBeVisible();
    // every figure as without the demo: 2 registered, not 3; 3 trial days, not 5; no facility
    expect(screen.getAllByRole('table').map((t) => t.textContent)).toEqual(before);
    expect(within(cell('事前登録者', '登録者数（2026年3月31日時点）')).getAllByRole('cell').at(-1)!.textContent).toBe('2');
  });

  it('shows the demo\'s own figures on a phone holding only the demo, saying they are the demo\'s', async () => {
    const demo = createHousehold({ id: 'demo-h-00001', persons: [createPerson({ id: 'p9', birthDate: '1990-01-01', municipality: 'みなと市' })], consent: { date: '2025-05-01', consentedBy: '本人', scope: '緊急時' } });
    useApp.setState({ households: new Map([[demo.id, demo]]), demoIds: new Set([demo.id]) });
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    render(<ReportsScreen />);
    expect(screen.getByText(/^デモデータの集計です/)).toBeVisible();
    expect(screen.queryByText(/は含めていません/)).not.toBeInTheDocument();
    expect(within(cell('事前登録者', '登録者数（2026年3月31日時点）')).getAllByRole('cell').at(-1)!.textContent).toBe('1');
  });

  it('saves the CSV in Shift_JIS when asked and says so', async () => {
    const created = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:report');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    render(<ReportsScreen />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'CSV（Shift_JIS）' }));
    expect(created).toHaveBeenCalledOnce();
    expect(screen.getByText(/^年次実績報告_2025-04-01_2026-03-31_sjis\.csv を書き出しました/)).toBeVisible();
  });

  it('says in Japanese when the CSV cannot be written out, instead of failing in silence', async () => {
    vi.spyOn(URL, 'createObjectURL').mockImplementation(() => {
      throw new TypeError('Failed to execute createObjectURL');
    });
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    render(<ReportsScreen />);
    await userEvent.setup().click(screen.getByRole('button', { name: 'CSV（UTF-8）' }));
    expect(screen.getByText('CSVを書き出せませんでした。もう一度お試しください。')).toBeVisible();
  });

  it('offers no print or CSV while the households load: their figures would read 0 and 不明', async () => {
    useApp.setState({ householdsLoaded: false });
    await go('#/reports?from=2025-04-01&to=2026-03-31');
    render(<ReportsScreen />);
    expect(screen.getByRole('status')).toHaveTextContent('読み込んでいます');
    for (const name of ['印刷（A4）', 'CSV（UTF-8）', 'CSV（Shift_JIS）']) expect(screen.getByRole('button', { name })).toBeDisabled();
  });

  it('refuses a range that ends before it starts', async () => {
    await go('#/reports?from=2026-04-01&to=2026-03-01');
    render(<ReportsScreen />);
    expect(screen.getByText('終了日が開始日より前になっています。期間を直してください。')).toBeVisible();
    expect(screen.getByRole('button', { name: 'CSV（UTF-8）' })).toBeDisabled();
  });
});
