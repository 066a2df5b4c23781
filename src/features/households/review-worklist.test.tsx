import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createFakeSession } from '../../../test/factories/fake-session';
import type { Household } from '../../domain/household';
import { addDaysToDate, addMonthsToDate, formatJapanDate, japanDateOf } from '../../domain/japan-time';
import { MAX_RECORD_BYTES } from '../../domain/record-limits';
import { useApp } from '../../state/store';
import { resetSyncStatus, syncStatus } from '../../sync/status';
import { mountScreen, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
  resetSyncStatus();
});

const today = japanDateOf(new Date());
/** A household whose review falls due `days` from today (12-month interval): reviewed a year before that. */
const dueIn = (id: string, name: string, days: number, caseWorker: string, office: string): Household =>
  createHousehold({
    id,
    persons: [createPerson({ id: `${id}-p`, name })],
    caseWorker,
    registeringOffice: office,
    consent: { date: '2020-04-01', consentedBy: '家族', scope: '拠点' },
    lastReviewedOn: null,
    reviews: [
      {
        id: `${id}-rv`,
        reviewedOn: addMonthsToDate(addDaysToDate(today, days), -12),
        reviewedBy: caseWorker,
        reviewedByUserId: '',
        note: '',
        recordedAt: '2020-04-01T00:00:00.000Z',
      },
    ],
  });

const KAMOME = '相談支援事業所 かもめ';
const NAGISA = '相談支援事業所 なぎさ';
const households = [
  dueIn('h-late', '佐藤 陽太', -5, '小野 恵美', KAMOME),
  dueIn('h-today', '鈴木 結菜', 0, '小野 恵美', KAMOME),
  dueIn('h-30', '高橋 蓮', 30, '小野 恵美', KAMOME),
  dueIn('h-31', '田中 湊', 31, '小野 恵美', KAMOME),
  dueIn('h-other', '伊藤 凛', 3, '田中 進', NAGISA),
];

describe('見直し予定 (review worklist)', () => {
  it("shows a case worker their own households overdue or due within 30 days, most overdue first, with the due date and who reviewed last", () => {
    syncStatus.setState({ role: 'case-worker' });
    mountScreen({ hash: '#/households/reviews', households, session: createFakeSession({ displayName: '小野 恵美' }) });
    const rows = within(screen.getByRole('region', { name: '自分の担当（小野 恵美）' })).getAllByRole('link');
    expect(rows.map((r) => r.textContent?.slice(0, 5))).toEqual(['佐藤 陽太', '鈴木 結菜', '高橋 蓮期']);
    expect(rows[0]).toHaveTextContent('期限切れ');
    expect(rows[0]).toHaveTextContent('5日超過');
    expect(rows[0]).toHaveTextContent(`見直し期限 ${formatJapanDate(addDaysToDate(today, -5))}`);
    expect(rows[0]).toHaveTextContent('（小野 恵美）');
    expect(rows[1]).toHaveTextContent('本日期限');
    expect(rows[2]).toHaveTextContent('あと30日');
    expect(rows[0]).toHaveAttribute('href', '#/households/h-late');
    expect(screen.queryByText('田中 湊')).not.toBeInTheDocument();
    expect(screen.queryByText('伊藤 凛')).not.toBeInTheDocument();
  });

  it("shows a signed-in case worker the households whose 担当 is their hub user, though the device's name differs", () => {
    const mine = { ...dueIn('h-mine', '佐藤 陽太', -5, '小野 恵美', KAMOME), caseWorkerUserId: 'hub-ono' };
    const typed = dueIn('h-typed', '鈴木 結菜', 3, 'おの', KAMOME); // 担当 typed by name, no hub user
    const namesake = { ...dueIn('h-namesake', '伊藤 凛', 3, 'おの', NAGISA), caseWorkerUserId: 'hub-other' };
    syncStatus.setState({ joined: true, role: 'case-worker', hubUserId: 'hub-ono', displayName: '小野 恵美' });
    mountScreen({ hash: '#/households/reviews', households: [mine, typed, namesake], session: createFakeSession({ displayName: 'おの' }) });
    const rows = within(screen.getByRole('region', { name: '自分の担当（おの）' })).getAllByRole('link');
    expect(rows.map((r) => r.getAttribute('href'))).toEqual(['#/households/h-mine', '#/households/h-typed']);
    expect(screen.queryByText('自分が担当の世帯で、見直し予定はありません。')).not.toBeInTheDocument();
  });

  it('shows a manager every office, grouped by 事業所 with counts', async () => {
    syncStatus.setState({ role: 'admin' });
    const { user } = mountScreen({ hash: '#/households/reviews', households, session: createFakeSession({ displayName: '管理 花子' }) });
    expect(screen.getByRole('heading', { name: `${KAMOME}　3件` })).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: NAGISA })).getByText('伊藤 凛')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('表示'), '自分の担当（管理 花子）');
    expect(screen.getByText('自分が担当の世帯で、見直し予定はありません。')).toBeInTheDocument();
  });

  it('is linked from the household list with the count due', () => {
    mountScreen({ hash: '#/', households });
    expect(screen.getByRole('link', { name: '見直し予定（4件）' })).toHaveAttribute('href', '#/households/reviews');
  });
});

describe('「見直しを記録」 on the household', () => {
  it('records who reviewed and when, keeps the earlier review in the history, and moves the next review date a year on', async () => {
    const session = createFakeSession({ displayName: '小野 恵美' });
    const { user } = mountScreen({ hash: '#/households/h-late', households, session });
    const dates = screen.getByRole('region', { name: '次回見直し日' });
    expect(dates).toHaveTextContent(formatJapanDate(addDaysToDate(today, -5)));
    await user.click(within(dates).getByRole('button', { name: '見直しを記録' }));
    await user.type(screen.getByLabelText('メモ（任意）'), '服薬が変わった');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(screen.getByText(`見直しを記録しました（${formatJapanDate(today)}）。`)).toBeInTheDocument());
    expect(dates).toHaveTextContent(formatJapanDate(addMonthsToDate(today, 12)));
    expect(dates).toHaveTextContent(`${formatJapanDate(today)}（小野 恵美）`);
    const saved = useApp.getState().households.get('h-late')!;
    expect(saved.reviews.map((r) => [r.reviewedOn, r.reviewedBy, r.reviewedByUserId, r.note])).toEqual([
      [addMonthsToDate(addDaysToDate(today, -5), -12), '小野 恵美', '', ''],
      [today, '小野 恵美', 'user-1', '服薬が変わった'],
    ]);
    expect((await session.get<Household>('household', 'h-late'))?.data.reviews).toHaveLength(2);
    expect(screen.getByText(`${formatJapanDate(today)} 小野 恵美 服薬が変わった`)).toBeInTheDocument();
  });

  it("says a note that takes the household over the hub's bound beside the note, and saves nothing", async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/h-late', households, session });
    await user.click(screen.getByRole('button', { name: '見直しを記録' }));
    const note = screen.getByLabelText('メモ（任意）');
    fireEvent.change(note, { target: { value: 'a'.repeat(MAX_RECORD_BYTES) } });
    await user.click(screen.getByRole('button', { name: '記録する' }));
    await waitFor(() => expect(note).toHaveAccessibleDescription(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）/));
    expect(useApp.getState().households.get('h-late')!.reviews).toHaveLength(1);
    expect(await session.get('household', 'h-late')).toBeUndefined();
  });

  it('refuses a date after today with the message beside 見直し日, and saves nothing', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/h-late', households, session });
    await user.click(screen.getByRole('button', { name: '見直しを記録' }));
    const date = screen.getByLabelText(/^見直し日/);
    await user.clear(date);
    await user.type(date, addDaysToDate(today, 1));
    await user.click(screen.getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('見直し日が今日より後になっています')).toBeInTheDocument();
    expect(useApp.getState().households.get('h-late')!.reviews).toHaveLength(1);
    expect(await session.get('household', 'h-late')).toBeUndefined();
  });
});
