import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createTrialStay } from '../../../test/factories/trial-stay';
import { useApp } from '../../state/store';
import { mountScreen, resetStore, setUnlocked } from './test-helpers';
import { createVault } from '../../vault/vault';
import { HouseholdsScreen } from './households-screen';

const PASSPHRASE = 'あおぞら拠点-当番用';

/** As app.tsx does: the screens are unmounted while locked and mounted again after the unlock. */
function Shell() {
  const phase = useApp((s) => s.phase);
  return phase === 'unlocked' ? <HouseholdsScreen /> : <p>ロック中</p>;
}

afterEach(() => resetStore());

const household = createHousehold({
  id: 'hh-1',
  persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' }), createPerson({ id: 'p-2', name: '佐藤 美月' })],
});

function mount() {
  const session = createFakeSession();
  const view = mountScreen({ hash: '#/households/hh-1', households: [household], session });
  useApp.setState({
    facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]),
    trialStays: new Map([['ts-old', createTrialStay({ id: 'ts-old', householdId: 'hh-1', personId: 'p-1', facilityName: 'あおぞら', from: '2026-05-10', to: '2026-05-11' })]]),
  });
  return view;
}

describe('trial stays on the household record', () => {
  it('lists each person’s stays with their days, and records a new one', async () => {
    const { user, session } = mount();
    const list = await screen.findByRole('list', { name: '佐藤 陽太 体験利用（体験の機会・場）' });
    expect(within(list).getByText(/2026年5月10日〜2026年5月11日（2日）/)).toBeVisible();

    await user.click(screen.getByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    // the form takes the button's place, and the focus
    await waitFor(() => expect(form).toContainElement(document.activeElement as HTMLElement));
    await user.selectOptions(within(form).getByLabelText(/利用した事業所/), 'みどり荘');
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-06-01');
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-06-03');
    await user.type(within(form).getByLabelText('利用の目的'), 'グループホームの体験');
    await user.click(within(form).getByRole('button', { name: '記録する' }));

    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    expect(within(list).getByText('みどり荘')).toBeVisible();
    // and gives it back to its button
    await waitFor(() => expect(screen.getByRole('button', { name: '佐藤 陽太の体験利用を記録' })).toHaveFocus());
    await waitFor(async () => expect(await session.list('trial-stay')).toHaveLength(1));
    const [stored] = await session.list('trial-stay');
    expect(stored!.data).toMatchObject({ householdId: 'hh-1', personId: 'p-1', facilityId: 'fac-1', facilityName: 'みどり荘', from: '2026-06-01', to: '2026-06-03' });
  });

  it('refuses an end before the start and an overlap with another stay, naming the field, and saves nothing', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    await user.selectOptions(within(form).getByLabelText(/利用した事業所/), 'みどり荘');
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-05-11');
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-05-09');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(within(form).getByLabelText(/利用終了日/)).toHaveAccessibleDescription('利用終了日が利用開始日より前になっています');

    await user.clear(within(form).getByLabelText(/利用終了日/));
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-05-12');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(within(form).getByLabelText(/利用開始日/)).toHaveAccessibleDescription('同じ方の別の体験利用（あおぞら、2026-05-10〜2026-05-11）と期間が重なっています');
    expect(within(form).getByText(/何も保存していません/)).toBeVisible();
    expect(await session.list('trial-stay')).toEqual([]);
    expect(useApp.getState().trialStays.size).toBe(1);
  });

  it('asks for a facility when none is chosen', async () => {
    const { user } = mount();
    await user.click(await screen.findByRole('button', { name: '佐藤 美月の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 美月の体験利用' });
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(within(form).getByLabelText(/利用した事業所/)).toHaveAccessibleDescription('利用した事業所を選んでください');
  });

  it('corrects a recorded stay in place: same record, new dates, not refused as overlapping itself', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    expect(within(form).getByLabelText(/利用開始日/)).toHaveValue('2026-05-10');
    await user.clear(within(form).getByLabelText(/利用終了日/));
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-05-12');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    expect(screen.getByText(/2026年5月10日〜2026年5月12日（3日）/)).toBeVisible();
    const outbox = await session.outbox();
    expect(outbox.filter((e) => e.kind === 'trial-stay').map((e) => [e.entityId, e.op])).toEqual([['ts-old', 'update']]);
    expect(useApp.getState().trialStays.get('ts-old')).toMatchObject({ to: '2026-05-12', createdAt: '2026-05-12T01:00:00.000Z' });
  });

  it('keeps a colleague’s 申し送り synced while the correction was open, and saves the correction too', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    await user.clear(within(form).getByLabelText(/利用終了日/));
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-05-12');
    // meanwhile a colleague's edit of the same stay arrives by sync
    const held = useApp.getState().trialStays.get('ts-old')!;
    useApp.setState({ trialStays: new Map([['ts-old', { ...held, nextTime: '夜間は吸引が必要', updatedAt: '2026-05-13T01:00:00.000Z' }]]) });
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    expect(useApp.getState().trialStays.get('ts-old')).toMatchObject({ to: '2026-05-12', nextTime: '夜間は吸引が必要', howItWent: held.howItWent });
    const [stored] = await session.list('trial-stay');
    expect(stored!.data).toMatchObject({ to: '2026-05-12', nextTime: '夜間は吸引が必要' });
  });

  it('refuses a stay too large for the hub with the size said, and saves nothing', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    // a pasted log of the whole week: 45,000 characters of 3 bytes each
    fireEvent.change(within(form).getByLabelText('利用の様子'), { target: { value: 'あ'.repeat(45000) } });
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await within(form).findByText(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。長い文章を短くしてください。$/)).toBeVisible();
    expect(await session.list('trial-stay')).toEqual([]);
    expect(useApp.getState().trialStays.get('ts-old')!.howItWent).toBe('夜はよく眠れた');
  });

  it('offers one office registered twice once for a new stay, and the record a stay names when it is corrected', async () => {
    const { user } = mount();
    // fac-1 holds the stay; its twin has the newer bed report, the record the match shows
    const twin = createFacility({ id: 'fac-1b', name: 'みどり荘（重複）', officeNumber: '1210100001', vacancy: { beds: 1, asOf: new Date().toISOString(), reportedBy: '田中' } });
    useApp.setState({ facilities: new Map([...useApp.getState().facilities, [twin.id, twin]]) });
    const offered = (form: HTMLElement) => within(within(form).getByLabelText(/利用した事業所/)).getAllByRole('option').map((o) => o.textContent);
    await user.click(await screen.findByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    expect(offered(screen.getByRole('form', { name: '佐藤 陽太の体験利用' }))).toEqual(['選んでください', 'みどり荘（重複）']);
    await user.click(within(screen.getByRole('form', { name: '佐藤 陽太の体験利用' })).getByRole('button', { name: 'やめる' }));
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    expect(offered(form)).toEqual(['選んでください', 'みどり荘', 'みどり荘（重複）']);
    expect(within(form).getByLabelText(/利用した事業所/)).toHaveDisplayValue('みどり荘');
  });

  it('holds an app update back while how it went is typed and not yet saved, and lets it through once saved', async () => {
    const { user } = mount();
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    // the recorded stay shown for correcting is not unsaved text
    expect(useApp.getState().unsaved.size).toBe(0);
    const howItWent = within(form).getByLabelText('利用の様子');
    await user.clear(howItWent);
    expect([...useApp.getState().unsaved].some((k) => k.startsWith('trial-stay:ts-old'))).toBe(true);
    await user.type(howItWent, '朝食を残した');
    expect([...useApp.getState().unsaved].some((k) => k.startsWith('trial-stay:ts-old'))).toBe(true);

    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    expect(useApp.getState().trialStays.get('ts-old')).toMatchObject({ howItWent: '朝食を残した' });
    expect(useApp.getState().unsaved.size).toBe(0);
  });

  it('a new stay’s form left with やめる asks first; 入力を続ける keeps the text, 破棄する drops it and no longer holds an update back', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: '佐藤 美月の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 美月の体験利用' });
    await user.type(within(form).getByLabelText('次回への申し送り'), '荷物は前日に');
    expect([...useApp.getState().unsaved].some((k) => k.startsWith('trial-stay:new:hh-1:p-2'))).toBe(true);
    const drafted = async () => (await session.listDraftKeys()).some((k) => k.startsWith('trial-stay:new:hh-1:p-2'));
    await waitFor(async () => expect(await drafted()).toBe(true));

    await user.click(within(form).getByRole('button', { name: 'やめる' }));
    const ask = screen.getByRole('dialog', { name: '入力内容を破棄しますか' });
    expect(ask).toHaveTextContent('保存していない入力は失われます。');
    expect(within(ask).getAllByRole('button').map((b) => b.textContent)).toEqual(['入力を続ける', '破棄する']);
    await user.click(within(ask).getByRole('button', { name: '入力を続ける' }));
    expect(screen.queryByRole('dialog', { name: '入力内容を破棄しますか' })).toBeNull();
    expect(within(form).getByLabelText('次回への申し送り')).toHaveValue('荷物は前日に');
    expect(await drafted()).toBe(true);

    await user.click(within(form).getByRole('button', { name: 'やめる' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: '佐藤 美月の体験利用' })).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(useApp.getState().unsaved.size).toBe(0);
    expect(await drafted()).toBe(false);
    expect(await session.list('trial-stay')).toHaveLength(0);
  });

  it('a form nothing was typed into closes on やめる at once', async () => {
    const { user } = mount();
    await user.click(await screen.findByRole('button', { name: '佐藤 美月の体験利用を記録' }));
    await user.click(within(screen.getByRole('form', { name: '佐藤 美月の体験利用' })).getByRole('button', { name: 'やめる' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: '佐藤 美月の体験利用' })).toBeNull());
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Return in a field goes on to the next one and saves nothing', async () => {
    const { user, session } = mount();
    await user.click(await screen.findByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    await user.selectOptions(within(form).getByLabelText(/利用した事業所/), 'みどり荘');
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-06-01');
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-06-03{Enter}');
    await user.type(within(form).getByLabelText('利用の目的'), 'グループホームの体験{Enter}');
    expect(within(form).getByLabelText('利用の目的')).not.toHaveFocus();
    expect(screen.queryByText('体験利用を記録しました。')).toBeNull();
    expect(screen.getByRole('form', { name: '佐藤 陽太の体験利用' })).toBeInTheDocument();
    expect(await session.list('trial-stay')).toHaveLength(0);
  });

  it('取消 with a reason typed asks before やめる or Esc throws it away', async () => {
    const { user, session } = mount();
    const list = await screen.findByRole('list', { name: '佐藤 陽太 体験利用（体験の機会・場）' });
    await user.click(within(list).getByRole('button', { name: 'この記録を取り消す' }));
    const dialog = screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' });
    await user.type(within(dialog).getByLabelText(/取り消す理由/), '別の方の記録と取り違えた');

    await user.click(within(dialog).getByRole('button', { name: 'やめる' }));
    await user.click(within(screen.getByRole('dialog', { name: '入力内容を破棄しますか' })).getByRole('button', { name: '入力を続ける' }));
    expect(within(dialog).getByLabelText(/取り消す理由/)).toHaveValue('別の方の記録と取り違えた');
    // Esc (Android's back) asks the same
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    const ask = await screen.findByRole('dialog', { name: '入力内容を破棄しますか' });
    expect(screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' })).toBeInTheDocument();
    await user.click(within(ask).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: '体験利用の記録を取り消しますか？' })).toBeNull());
    expect((await session.listDraftKeys()).some((k) => k.startsWith('trial-stay-cancel:ts-old'))).toBe(false);
    expect(useApp.getState().trialStays.get('ts-old')?.cancelled).toBeUndefined();

    // with nothing typed, やめる closes it at once
    await user.click(within(list).getByRole('button', { name: 'この記録を取り消す' }));
    await user.click(within(screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' })).getByRole('button', { name: 'やめる' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('取消 keeps a colleague’s 申し送り synced while the dialog was open', async () => {
    const { user, session } = mount();
    const list = await screen.findByRole('list', { name: '佐藤 陽太 体験利用（体験の機会・場）' });
    await user.click(within(list).getByRole('button', { name: 'この記録を取り消す' }));
    const dialog = screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' });
    await user.type(within(dialog).getByLabelText(/取り消す理由/), '別の方の記録と取り違えた');
    const held = useApp.getState().trialStays.get('ts-old')!;
    useApp.setState({ trialStays: new Map([['ts-old', { ...held, nextTime: '夜間は吸引が必要', updatedAt: '2026-05-13T01:00:00.000Z' }]]) });
    await user.click(within(dialog).getByRole('button', { name: '取り消す' }));
    expect(await screen.findByText('体験利用の記録を取り消しました。')).toBeVisible();
    const [stored] = await session.list('trial-stay');
    expect(stored!.data).toMatchObject({ cancelled: { reason: '別の方の記録と取り違えた' }, nextTime: '夜間は吸引が必要' });
  });

  it('取消 of a stay entered by mistake asks why, keeps it struck out with who and when, and frees its days', async () => {
    const { user, session } = mount();
    const list = await screen.findByRole('list', { name: '佐藤 陽太 体験利用（体験の機会・場）' });
    await user.click(within(list).getByRole('button', { name: 'この記録を取り消す' }));
    const dialog = screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' });
    expect(within(dialog).getByText('あおぞら')).toBeVisible();
    await user.click(within(dialog).getByRole('button', { name: '取り消す' }));
    expect(within(dialog).getByLabelText(/取り消す理由/)).toHaveAccessibleDescription('取り消す理由を入力してください');
    expect(await session.list('trial-stay')).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/取り消す理由/), '別の方の記録と取り違えた');
    await user.click(within(dialog).getByRole('button', { name: '取り消す' }));
    expect(await screen.findByText('体験利用の記録を取り消しました。')).toBeVisible();
    expect(within(list).getByText(/^取消：別の方の記録と取り違えた（.* テスト 太郎）$/)).toBeVisible();
    expect(within(list).queryByRole('button', { name: 'この記録を直す' })).toBeNull();
    const [stored] = await session.list('trial-stay');
    expect(stored!.data).toMatchObject({ id: 'ts-old', cancelled: { reason: '別の方の記録と取り違えた', by: 'テスト 太郎' } });

    // its days are free again for the stay that did happen
    await user.click(screen.getByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    const form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    // the form takes the button's place, and the focus
    await waitFor(() => expect(form).toContainElement(document.activeElement as HTMLElement));
    await user.selectOptions(within(form).getByLabelText(/利用した事業所/), 'みどり荘');
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-05-10');
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-05-11');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
  });
});

describe('a trial stay typed when the phone locks', () => {
  it('opens the form again by itself after the unlock, with the text', async () => {
    const vault = createVault(`trial-draft-${crypto.randomUUID()}`);
    const first = await vault.setUp('相談 一郎', PASSPHRASE);
    setUnlocked(first, [household]);
    useApp.setState({ facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]) });
    window.location.hash = '#/households/hh-1';
    const user = userEvent.setup();
    render(<Shell />);
    await user.click(await screen.findByRole('button', { name: '佐藤 美月の体験利用を記録' }));
    await user.type(within(screen.getByRole('form', { name: '佐藤 美月の体験利用' })).getByLabelText(/様子/), '夜は落ち着いて眠れた。朝の服薬は自分で');

    await useApp.getState().lock('idle');
    expect(await screen.findByText('ロック中')).toBeInTheDocument();
    const second = await vault.unlock(first.user.id, PASSPHRASE);
    setUnlocked(second, [household]);
    useApp.setState({ facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]) });
    const form = await screen.findByRole('form', { name: '佐藤 美月の体験利用' });
    expect(await within(form).findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(within(form).getByLabelText(/様子/)).toHaveValue('夜は落ち着いて眠れた。朝の服薬は自分で');
    second.lock();
  });

  it('keeps a colleague’s 申し送り that arrived while the phone was locked with a correction open', async () => {
    const vault = createVault(`trial-edit-draft-${crypto.randomUUID()}`);
    const first = await vault.setUp('相談 一郎', PASSPHRASE);
    const stay = createTrialStay({ id: 'ts-old', householdId: 'hh-1', personId: 'p-1', facilityId: 'fac-1', facilityName: 'みどり荘', from: '2026-05-10', to: '2026-05-11', nextTime: '' });
    const stays = (s: typeof stay) =>
      useApp.setState({ facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]), trialStays: new Map([[s.id, s]]) });
    setUnlocked(first, [household]);
    stays(stay);
    window.location.hash = '#/households/hh-1';
    const user = userEvent.setup();
    render(<Shell />);
    await user.click(await screen.findByRole('button', { name: 'この記録を直す' }));
    await user.clear(within(screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' })).getByLabelText(/利用終了日/));
    await user.type(within(screen.getByRole('form', { name: '佐藤 陽太の体験利用を直す' })).getByLabelText(/利用終了日/), '2026-05-12');

    await useApp.getState().lock('idle');
    expect(await screen.findByText('ロック中')).toBeInTheDocument();
    const second = await vault.unlock(first.user.id, PASSPHRASE);
    setUnlocked(second, [household]);
    // the colleague's edit pulled since
    stays({ ...stay, nextTime: '夜間は吸引が必要' });
    const form = await screen.findByRole('form', { name: '佐藤 陽太の体験利用を直す' });
    expect(await within(form).findByText('保存していない入力を復元しました')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    expect(useApp.getState().trialStays.get('ts-old')).toMatchObject({ to: '2026-05-12', nextTime: '夜間は吸引が必要' });
    second.lock();
  });

  it('opens the 取消 dialog again after the unlock, with the reason typed', async () => {
    const vault = createVault(`trial-cancel-draft-${crypto.randomUUID()}`);
    const first = await vault.setUp('相談 一郎', PASSPHRASE);
    const stays = () =>
      useApp.setState({
        facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]),
        trialStays: new Map([['ts-old', createTrialStay({ id: 'ts-old', householdId: 'hh-1', personId: 'p-1', facilityName: 'あおぞら' })]]),
      });
    setUnlocked(first, [household]);
    stays();
    window.location.hash = '#/households/hh-1';
    const user = userEvent.setup();
    render(<Shell />);
    await user.click(await screen.findByRole('button', { name: 'この記録を取り消す' }));
    await user.type(within(screen.getByRole('dialog', { name: '体験利用の記録を取り消しますか？' })).getByLabelText(/取り消す理由/), '別の方の記録と取り違えた');

    await useApp.getState().lock('idle');
    expect(await screen.findByText('ロック中')).toBeInTheDocument();
    const second = await vault.unlock(first.user.id, PASSPHRASE);
    setUnlocked(second, [household]);
    stays();
    const dialog = await screen.findByRole('dialog', { name: '体験利用の記録を取り消しますか？' });
    expect(await within(dialog).findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(within(dialog).getByLabelText(/取り消す理由/)).toHaveValue('別の方の記録と取り違えた');
    second.lock();
  });

  it('on a 登録廃止 household, still takes a stay from before its 登録廃止日 and cancels one, and refuses one after it', async () => {
    const session = createFakeSession();
    const withdrawn = { ...household, withdrawal: { date: '2026-09-30', reason: '転居のため' } };
    const { user } = mountScreen({ hash: '#/households/hh-1', households: [withdrawn], session });
    useApp.setState({
      facilities: new Map([['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })]]),
      trialStays: new Map([['ts-old', createTrialStay({ id: 'ts-old', householdId: 'hh-1', personId: 'p-1', facilityName: 'あおぞら', from: '2026-05-10', to: '2026-05-11' })]]),
    });
    expect(await screen.findByText('登録廃止の世帯です。登録廃止日（2026-09-30）までの体験利用だけ記録できます。')).toBeVisible();
    await user.click(screen.getByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    let form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    await user.selectOptions(within(form).getByLabelText(/利用した事業所/), 'みどり荘');
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-10-01');
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-10-02');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await within(form).findByText('登録廃止日（2026-09-30）より後の体験利用は記録できません')).toBeVisible();
    expect(await session.list('trial-stay')).toHaveLength(0);
    form = screen.getByRole('form', { name: '佐藤 陽太の体験利用' });
    await user.clear(within(form).getByLabelText(/利用開始日/));
    await user.type(within(form).getByLabelText(/利用開始日/), '2026-09-01');
    await user.clear(within(form).getByLabelText(/利用終了日/));
    await user.type(within(form).getByLabelText(/利用終了日/), '2026-09-02');
    await user.click(within(form).getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('体験利用を記録しました。')).toBeVisible();
    // the stay entered by mistake is cancelled on it too
    expect(screen.getAllByRole('button', { name: 'この記録を取り消す' }).length).toBeGreaterThan(0);
  });
});

describe('the facilities a trial stay offers', () => {
  const facilities = new Map([
    ['fac-1', createFacility({ id: 'fac-1', name: 'みどり荘' })],
    ['demo-fac-1', createFacility({ id: 'demo-fac-1', name: 'ひまわり荘（デモ）' })],
  ]);
  const optionsOf = (form: HTMLElement) => within(within(form).getByLabelText(/利用した事業所/)).getAllByRole('option').map((o) => o.textContent);

  it("leave the demo's made-up facilities out of a real person's stay, as the match does", async () => {
    const { user } = mountScreen({ hash: '#/households/hh-1', households: [household], session: createFakeSession() });
    useApp.setState({ facilities, trialStays: new Map() });
    await user.click(await screen.findByRole('button', { name: '佐藤 陽太の体験利用を記録' }));
    const options = optionsOf(screen.getByRole('form', { name: '佐藤 陽太の体験利用' }));
    expect(options).toContain('みどり荘');
    expect(options).not.toContain('ひまわり荘（デモ）');
  });

  it("offer them for a demo household's stay", async () => {
    const demo = createHousehold({ id: 'demo-hh-1', persons: [createPerson({ id: 'p-1', name: '練習 花子' })] });
    const { user } = mountScreen({ hash: '#/households/demo-hh-1', households: [demo], session: createFakeSession() });
    useApp.setState({ facilities, trialStays: new Map(), demoIds: new Set([demo.id]) });
    await user.click(await screen.findByRole('button', { name: '練習 花子の体験利用を記録' }));
    expect(optionsOf(screen.getByRole('form', { name: '練習 花子の体験利用' }))).toContain('ひまわり荘（デモ）');
  });
});
