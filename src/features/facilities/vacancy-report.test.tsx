import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptyFacility, type Facility } from '../../domain/facility';
import { addDaysToDate, formatJapanDateTime, formatMonthDay, japanDateOf } from '../../domain/japan-time';
import { personalDraftKey } from '../../vault/drafts';
import { japanNightOf } from '../../domain/match-order';
import { useApp } from '../../state/store';
import { mountFacilities, resetStore } from './test-helpers';
import { render } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createVault } from '../../vault/vault';
import { FacilitiesScreen } from './facilities-screen';

/** As app.tsx does: the screens are unmounted while locked and mounted again after the unlock. */
function Shell() {
  const phase = useApp((s) => s.phase);
  return phase === 'unlocked' ? <FacilitiesScreen /> : <p>ロック中</p>;
}

afterEach(() => {
  resetStore();
  window.location.hash = '';
});

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const facility = (id: string, name: string, patch: Partial<Facility> = {}): Facility => ({ ...emptyFacility(id, minutesAgo(10_000)), name, officeNumber: `12101000${id.slice(-2)}`, ...patch });

describe('空床を報告 (the liaison screen)', () => {
  it('is one step from the list, starts from the current figure, and records a weekend with a note and the typed reporter', async () => {
    const hidamari = facility('f-01', 'ひだまり', { vacancy: { beds: 1, asOf: minutesAgo(12), reportedBy: '佐藤' } });
    const { user, session } = mountFacilities({ facilities: [hidamari, facility('f-02', 'みどり園', { vacancy: { beds: 0, asOf: minutesAgo(3), reportedBy: '' } })] });
    // the list says how old each report is, in words; 0 beds reads 満床
    expect(screen.getByRole('link', { name: /^ひだまり.*の報告$/ })).toHaveTextContent('空き 1床・12分前の報告');
    expect(screen.getByRole('link', { name: /^みどり園.*の報告$/ })).toHaveTextContent('満床・3分前の報告');

    await user.click(screen.getByRole('link', { name: 'ひだまり の空床を報告' }));
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    expect(await screen.findByRole('heading', { level: 1, name: '空床を報告' })).toBeInTheDocument();
    expect(screen.getByText(/今の登録:/).textContent).toBe('今の登録: 空き 1床　12分前の報告・佐藤');
    const beds = screen.getByLabelText(/空床数/);
    expect(beds).toHaveValue('1');
    // nobody's name is filled in for them
    expect(screen.getByLabelText(/報告者/)).toHaveValue('');

    await user.clear(beds);
    await user.type(beds, '2');
    await user.click(screen.getByRole('radio', { name: '期間を指定（週末など）' }));
    const today = japanDateOf(new Date());
    await user.type(screen.getByLabelText(/初日/), addDaysToDate(today, 2));
    await user.type(screen.getByLabelText(/最終日/), addDaysToDate(today, 3));
    await user.type(screen.getByLabelText('ひとこと（任意）'), '土曜の夜のみ');
    await user.click(screen.getByRole('button', { name: '報告する' }));
    expect(await screen.findByText('報告者（あなたの名前）を入れてください。')).toBeInTheDocument();
    expect(await session.outbox()).toHaveLength(0);

    await user.type(screen.getByLabelText(/報告者/), '田中');
    await user.click(screen.getByRole('button', { name: '報告する' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/f-01'));
    const saved = useApp.getState().facilities.get('f-01')!;
    expect(saved.vacancy).toMatchObject({ beds: 2, reportedBy: '田中', from: addDaysToDate(today, 2), until: addDaysToDate(today, 3), note: '土曜の夜のみ' });
    expect(saved.vacancyHistory).toEqual([hidamari.vacancy]);
    expect((await session.outbox()).map((e) => e.op)).toEqual(['update']);
    // the weekend's report does not hide tonight's bed: the facility reads both
    await act(async () => window.dispatchEvent(new HashChangeEvent('hashchange')));
    const vacancySection = (await screen.findByRole('heading', { name: '空床' })).closest('section')!;
    expect(vacancySection).toHaveTextContent(/^空床空き 1床（.+ 時点、報告: 佐藤）/);
    expect(within(vacancySection).getByText('この先の夜の報告：').nextElementSibling).toHaveTextContent(/^空き 2床（.+〜.+）.*の報告・田中土曜の夜のみ$/);
  });

  it('the list\'s report ages keep time while it stays open', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    try {
      mountFacilities({ facilities: [facility('f-06', 'かえで', { vacancy: { beds: 1, asOf: minutesAgo(12), reportedBy: '佐藤' } })] });
      expect(screen.getByRole('link', { name: /^かえで.*の報告$/ })).toHaveTextContent('空き 1床・12分前の報告');
      await act(async () => vi.advanceTimersByTime(60 * 60_000));
      expect(screen.getByRole('link', { name: /^かえで.*の報告$/ })).toHaveTextContent('空き 1床・1時間前の報告');
    } finally {
      vi.useRealTimers();
    }
  });

  it('correcting a weekend\'s count keeps its dates: the form starts on them, so the beds do not become tonight\'s', async () => {
    const today = japanDateOf(new Date());
    const weekend = { beds: 2, asOf: minutesAgo(60), reportedBy: '佐藤', from: addDaysToDate(today, 3), until: addDaysToDate(today, 4), note: '土曜の夜のみ' };
    const { user } = mountFacilities({ hash: '#/facilities/f-05/vacancy', facilities: [facility('f-05', 'あおば荘', { vacancy: weekend })] });
    expect(screen.getByRole('radio', { name: '期間を指定（週末など）' })).toBeChecked();
    expect(screen.getByLabelText(/初日/)).toHaveValue(weekend.from);
    expect(screen.getByLabelText(/最終日/)).toHaveValue(weekend.until);
    const beds = screen.getByLabelText(/空床数/);
    await user.clear(beds);
    await user.type(beds, '1');
    await user.type(screen.getByLabelText(/報告者/), '田中');
    await user.click(screen.getByRole('button', { name: '報告する' }));
    await waitFor(() => expect(useApp.getState().facilities.get('f-05')!.vacancy).toMatchObject({ beds: 1, from: weekend.from, until: weekend.until }));
  });

  it('a weekend chosen with the dates left empty says which dates to enter and saves nothing (never beds "now")', async () => {
    const full = facility('f-04', 'さくら荘', { vacancy: { beds: 0, asOf: minutesAgo(60), reportedBy: '佐藤' } });
    const { user, session } = mountFacilities({ hash: '#/facilities/f-04/vacancy', facilities: [full] });
    const beds = screen.getByLabelText(/空床数/);
    await user.clear(beds);
    await user.type(beds, '2');
    await user.click(screen.getByRole('radio', { name: '期間を指定（週末など）' }));
    await user.type(screen.getByLabelText(/報告者/), '田中');
    await user.click(screen.getByRole('button', { name: '報告する' }));

    const from = screen.getByLabelText(/初日/);
    const until = screen.getByLabelText(/最終日/);
    expect(from).toHaveAccessibleDescription('期間の初日（空きが始まる日）を入れてください。');
    expect(until).toHaveAccessibleDescription('期間の最終日（空きが終わる日）を入れてください。');
    expect(from).toBeInvalid();
    expect(until).toBeInvalid();
    expect(window.location.hash).toBe('#/facilities/f-04/vacancy');
    expect(useApp.getState().facilities.get('f-04')).toEqual(full);
    expect(await session.outbox()).toHaveLength(0);

    // 今 again: the same report goes through as beds now
    await user.click(screen.getByRole('radio', { name: '今（この報告から）' }));
    await user.click(screen.getByRole('button', { name: '報告する' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/f-04'));
    const saved = useApp.getState().facilities.get('f-04')!.vacancy!;
    expect(saved).toMatchObject({ beds: 2, reportedBy: '田中' });
    expect(saved).not.toHaveProperty('from');
  });

  it('says, when 今 is chosen over a period holding tonight, that the period is no longer used from tonight', async () => {
    const tonight = japanNightOf(Date.now());
    const until = addDaysToDate(tonight, 1);
    const weekend = facility('f-08', 'なぎさ', { vacancy: { beds: 2, asOf: minutesAgo(60 * 30), reportedBy: '佐藤', from: tonight, until } });
    const { user } = mountFacilities({ hash: '#/facilities/f-08/vacancy', facilities: [weekend] });
    const words = /「今」の報告にすると、.+の報告は今夜から使われなくなります/;
    expect(screen.queryByText(words)).toBeNull();
    await user.click(screen.getByRole('radio', { name: '今（この報告から）' }));
    expect(screen.getByText(words)).toHaveTextContent(`${formatMonthDay(tonight)}〜${formatMonthDay(until)}の報告は今夜から使われなくなります`);
    // not while a period is what is being reported
    await user.click(screen.getByRole('radio', { name: '期間を指定（週末など）' }));
    expect(screen.queryByText(words)).toBeNull();
  });

  it('after a refused report, focus is on the first field in error, its message its description and no alert of its own', async () => {
    const full = facility('f-07', 'あさひ', { vacancy: { beds: 0, asOf: minutesAgo(60), reportedBy: '佐藤' } });
    const { user, session } = mountFacilities({ hash: '#/facilities/f-07/vacancy', facilities: [full] });
    const beds = screen.getByLabelText(/空床数/);
    await user.clear(beds);
    await user.click(screen.getByRole('button', { name: '報告する' }));

    // the beds come first on the form; the reporter is in error too
    await waitFor(() => expect(beds).toHaveFocus());
    expect(beds).toHaveAccessibleDescription(/空床数を0以上の整数で入れてください（満床は0）。$/);
    expect(beds).toBeInvalid();
    expect(screen.getByLabelText(/報告者/)).toHaveAccessibleDescription('報告者（あなたの名前）を入れてください。');
    // said by the focus on the field, not again by an alert each time it comes back while typing
    expect(screen.getByText('空床数を0以上の整数で入れてください（満床は0）。')).not.toHaveAttribute('role');
    expect(screen.queryAllByRole('alert')).toHaveLength(0);
    expect(await session.outbox()).toHaveLength(0);
  });

  it('refuses 1000 beds beside the field (the hub takes at most 999)', async () => {
    const f = facility('f-08', 'あさひ', { vacancy: { beds: 0, asOf: minutesAgo(60), reportedBy: '佐藤' } });
    const { user, session } = mountFacilities({ hash: '#/facilities/f-08/vacancy', facilities: [f] });
    const beds = screen.getByLabelText(/空床数/);
    await user.clear(beds);
    await user.type(beds, '1000');
    await user.type(screen.getByLabelText(/報告者/), '田中');
    await user.click(screen.getByRole('button', { name: '報告する' }));
    expect(beds).toHaveAccessibleDescription(/空床数を0以上の整数で入れてください（満床は0）。$/);
    expect(await session.outbox()).toHaveLength(0);
  });

  it('refuses a report whose record the hub would refuse for its size (a long ひとこと kept with the last ten), saying to shorten it, and saves nothing', async () => {
    // ten reports with a long word each, as a liaison pasting the week's roster into ひとこと left them
    const reports = Array.from({ length: 11 }, (_, i) => ({ beds: 1, asOf: minutesAgo(60 * (i + 1)), reportedBy: '佐藤', note: 'あ'.repeat(3600) }));
    const [vacancy, ...vacancyHistory] = reports;
    const f = facility('f-09', 'あさひ', { vacancy: vacancy!, vacancyHistory: vacancyHistory.slice(0, 10) });
    const { user, session } = mountFacilities({ hash: '#/facilities/f-09/vacancy', facilities: [f] });
    await user.type(screen.getByLabelText(/報告者/), '田中');
    fireEvent.change(screen.getByLabelText('ひとこと（任意）'), { target: { value: 'い'.repeat(8000) } });
    await user.click(screen.getByRole('button', { name: '報告する' }));
    expect(await screen.findByText(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。ひとことを短くしてください。$/)).toBeVisible();
    expect(window.location.hash).toBe('#/facilities/f-09/vacancy');
    expect(await session.outbox()).toHaveLength(0);

    // shortened, it is saved
    fireEvent.change(screen.getByLabelText('ひとこと（任意）'), { target: { value: '土曜の夜のみ' } });
    await user.click(screen.getByRole('button', { name: '報告する' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/f-09'));
    expect((await session.outbox()).map((e) => e.op)).toEqual(['update']);
  });

  it('holds an app update back while a report is typed and not yet sent, and lets it through once sent', async () => {
    const f = facility('f-05', 'なぎさ荘', { vacancy: { beds: 1, asOf: minutesAgo(60), reportedBy: '佐藤' } });
    const { user } = mountFacilities({ hash: '#/facilities/f-05/vacancy', facilities: [f] });
    // the current figure filled in is not the user's typing
    expect(useApp.getState().unsaved.size).toBe(0);
    await user.type(screen.getByLabelText('ひとこと（任意）'), '夜のみ');
    expect([...useApp.getState().unsaved].some((k) => k.startsWith('vacancy-report:f-05'))).toBe(true);

    await user.type(screen.getByLabelText(/報告者/), '田中');
    await user.click(screen.getByRole('button', { name: '報告する' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/f-05'));
    expect(useApp.getState().facilities.get('f-05')!.vacancy).toMatchObject({ note: '夜のみ', reportedBy: '田中' });
    expect(useApp.getState().unsaved.size).toBe(0);
  });

  it('keeps a report typed when the phone locks, and shows it again after the unlock', async () => {
    const app = useApp.getState();
    await app.start(createVault(`vacancy-draft-${crypto.randomUUID()}`));
    await app.setUp('連携 花子', 'あおぞら拠点-当番用');
    await app.saveFacility(facility('f-07', 'みなと荘', { vacancy: { beds: 1, asOf: minutesAgo(60), reportedBy: '佐藤' } }), 'create');
    const userId = useApp.getState().session!.user.id;
    window.location.hash = '#/facilities/f-07/vacancy';
    const user = userEvent.setup();
    render(<Shell />);
    await user.type(await screen.findByLabelText('ひとこと（任意）'), '土曜の夜のみ、送迎なし');
    await act(() => useApp.getState().lock('idle'));
    expect(screen.getByText('ロック中')).toBeInTheDocument();
    await act(() => useApp.getState().unlock(userId, 'あおぞら拠点-当番用'));
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText('ひとこと（任意）')).toHaveValue('土曜の夜のみ、送迎なし');
    useApp.getState().session?.lock();
  });

  it('drops a report typed on an earlier night instead of offering it as tonight\'s count, and says when it was typed', async () => {
    const app = useApp.getState();
    await app.start(createVault(`vacancy-stale-${crypto.randomUUID()}`));
    await app.setUp('連携 花子', 'あおぞら拠点-当番用');
    await app.saveFacility(facility('f-08', 'かもめ荘', { vacancy: { beds: 0, asOf: minutesAgo(30), reportedBy: '佐藤' } }), 'create');
    const session = useApp.getState().session!;
    const key = personalDraftKey('vacancy-report:f-08', session.user.id);
    // 「空き 2床」 typed at the liaison's desk yesterday, never sent: over 24 hours ago is always an earlier night
    const typedAt = new Date(Date.now() - 26 * 3_600_000).toISOString();
    await session.saveDraft(key, { beds: '2', reportedBy: '田中', ranged: false, from: '', until: '', note: '夕方の時点', typedAt });
    window.location.hash = '#/facilities/f-08/vacancy';
    render(<Shell />);

    const said = await screen.findByText(/前の夜の数なので破棄しました/);
    expect(said).toHaveTextContent(`${formatJapanDateTime(typedAt)}に入力して保存していなかった報告は`);
    expect(screen.getByLabelText(/空床数/)).toHaveValue('0');
    expect(screen.getByLabelText('ひとこと（任意）')).toHaveValue('');
    expect(screen.queryByText('保存していない入力を復元しました')).not.toBeInTheDocument();
    await waitFor(async () => expect(await session.listDraftKeys()).not.toContain(key));
    session.lock();
  });

  it('drops a report draft kept with no time (before the time was kept), and restores one typed tonight', async () => {
    const app = useApp.getState();
    await app.start(createVault(`vacancy-tonight-${crypto.randomUUID()}`));
    await app.setUp('連携 花子', 'あおぞら拠点-当番用');
    await app.saveFacility(facility('f-09', 'うみかぜ', { vacancy: { beds: 0, asOf: minutesAgo(30), reportedBy: '佐藤' } }), 'create');
    const session = useApp.getState().session!;
    const key = personalDraftKey('vacancy-report:f-09', session.user.id);
    await session.saveDraft(key, { beds: '3', reportedBy: '田中', ranged: false, from: '', until: '', note: '' });
    window.location.hash = '#/facilities/f-09/vacancy';
    const view = render(<Shell />);
    expect(await screen.findByText(/いつの数か分からないため破棄しました/)).toBeInTheDocument();
    expect(screen.getByLabelText(/空床数/)).toHaveValue('0');
    view.unmount();

    await session.saveDraft(key, { beds: '1', reportedBy: '田中', ranged: false, from: '', until: '', note: '', typedAt: new Date().toISOString() });
    render(<Shell />);
    expect(await screen.findByText('保存していない入力を復元しました')).toBeInTheDocument();
    expect(screen.getByLabelText(/空床数/)).toHaveValue('1');
    expect(screen.queryByText(/破棄しました/)).not.toBeInTheDocument();
    session.lock();
  });

  it('keeps the last reports as history on the screen', () => {
    const f = facility('f-03', 'あおば荘', {
      vacancy: { beds: 0, asOf: minutesAgo(5), reportedBy: '田中' },
      vacancyHistory: [{ beds: 2, asOf: minutesAgo(60 * 30), reportedBy: '佐藤', note: '夜勤2名' }],
    });
    mountFacilities({ hash: '#/facilities/f-03/vacancy', facilities: [f] });
    const history = screen.getByRole('heading', { name: 'これまでの報告' }).closest('section')!;
    expect(within(history).getAllByRole('listitem')).toHaveLength(1);
    expect(within(history).getByRole('listitem')).toHaveTextContent(/空き 2床.*佐藤.*夜勤2名/);
    expect(screen.getByText(/今の登録:/).textContent).toBe('今の登録: 満床　5分前の報告・田中');
  });
});
