import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createFacility } from '../../../test/factories/facility';
import { enterText } from '../../../test/factories/enter-text';
import { createFakeSession } from '../../../test/factories/fake-session';
import { addDaysToDate, formatMonthDay, japanDateOf } from '../../domain/japan-time';
import { useApp } from '../../state/store';
import { mountFacilities, resetStore } from './test-helpers';

afterEach(() => {
  resetStore();
  window.location.hash = '';
});

describe('facility form', () => {
  it('rejects a 9-digit 事業所番号 with a Japanese message beside the field and saves nothing', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/new', session });
    await enterText(user, screen.getByLabelText(/事業所名/), 'つばさ苑');
    await enterText(user, screen.getByLabelText(/事業所番号/), '121010002');
    await user.click(screen.getByRole('button', { name: '保存' }));

    const field = screen.getByLabelText(/事業所番号/);
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription('事業所番号は10桁の数字で入力してください');
    expect(await session.outbox()).toHaveLength(0);
  });

  it('does not save on Return in a field (an office PC habit saved a facility with no phone and no 受入れ)', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/new', session });
    await enterText(user, screen.getByLabelText(/事業所名/), 'つばさ苑');
    await enterText(user, screen.getByLabelText(/事業所番号/), '1210100002');
    await user.keyboard('{Enter}');
    expect(window.location.hash).toBe('#/facilities/new');
    expect(useApp.getState().facilities.size).toBe(0);
    expect(await session.outbox()).toHaveLength(0);
  });

  it('takes a 事業所番号 typed with full-width dashes and spaces whole, and an e-mail typed with a full-width ＠', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/new', session });
    await enterText(user, screen.getByLabelText(/事業所名/), 'つばさ苑');
    // 16 characters: a maxLength of 12 cut the last digits off without a word
    await enterText(user, screen.getByLabelText(/事業所番号/), '１２ ー ３４５６ ー ７８９０');
    await enterText(user, screen.getByLabelText('メールアドレス'), 'info＠example.jp');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toMatch(/^#\/facilities\/[^/]+$/));
    const [saved] = [...useApp.getState().facilities.values()];
    expect(saved).toMatchObject({ name: 'つばさ苑', officeNumber: '1234567890', email: 'info@example.jp' });
  });

  it('refuses a 定員 of more than 4 digits beside the field (17 digits passed the form and the hub refused it)', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/new', session });
    await enterText(user, screen.getByLabelText(/事業所名/), 'つばさ苑');
    await enterText(user, screen.getByLabelText(/事業所番号/), '1210100002');
    const capacity = screen.getByLabelText(/定員/);
    await user.clear(capacity);
    await enterText(user, capacity, '12345678901234567');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(capacity).toHaveAccessibleDescription('定員は0〜9999の整数で入力してください');
    expect(await session.outbox()).toHaveLength(0);
  });

  it('refuses 1000 空床 beside the field (the hub takes at most 999, and refused every later save of the facility)', async () => {
    const session = createFakeSession();
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [createFacility({ id: 'fac-1', nightPhone: '090-9999-0000' })] });
    const beds = screen.getByLabelText(/空床数/);
    await enterText(user, beds, '1000');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(beds).toHaveAccessibleDescription(/空床数は0〜999の整数で入力してください$/);
    expect(await session.outbox()).toHaveLength(0);
  });

  it('refuses a record too large for the hub with the size said, and saves nothing (the hub refused it, and every later save with it)', async () => {
    const session = createFakeSession();
    // the last reports with their words already make most of the record
    const reports = Array.from({ length: 10 }, (_, i) => ({ beds: 1, asOf: new Date(Date.now() - (i + 1) * 3_600_000).toISOString(), reportedBy: '佐藤', note: 'あ'.repeat(3600) }));
    const [vacancy, ...vacancyHistory] = reports;
    const stored = createFacility({ id: 'fac-1', nightPhone: '090-9999-0000', vacancy: vacancy!, vacancyHistory });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [stored] });
    fireEvent.change(screen.getByLabelText('緊急時の受入れ依頼方法'), { target: { value: 'い'.repeat(15000) } });
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText(/^記録が大きすぎて保存できません（\d+ KB、上限 128 KB）。緊急時の受入れ依頼方法・備考などの長い文章を短くしてください。$/)).toBeVisible();
    expect(window.location.hash).toBe('#/facilities/fac-1/edit');
    expect(await session.outbox()).toHaveLength(0);
    expect(useApp.getState().facilities.get('fac-1')!.emergencyRequestHow).toBe(stored.emergencyRequestHow);
  });

  it('refuses a 事業所番号 another facility already has, naming it', async () => {
    const session = createFakeSession();
    // stored as written before the form read numbers (hyphens), typed full-width here
    const other = createFacility({ id: 'fac-9', name: 'ひだまり', officeNumber: '12-1010-0002' });
    const { user } = mountFacilities({ hash: '#/facilities/new', session, facilities: [other] });
    await enterText(user, screen.getByLabelText(/事業所名/), 'つばさ苑');
    await enterText(user, screen.getByLabelText(/事業所番号/), '１２１０１００００２');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText(/事業所番号/)).toHaveAccessibleDescription('この事業所番号は「ひだまり」で登録済みです。その事業所を開いて編集してください。');
    expect(await session.outbox()).toHaveLength(0);
  });

  it('saves the acceptance matrix and a vacancy stamped now (the report it replaces kept, as 空床を報告 keeps it), then shows it on the detail page', async () => {
    const session = createFakeSession();
    const before = { beds: 0, asOf: new Date(Date.now() - 86_400_000).toISOString(), reportedBy: '前の報告' };
    const facility = createFacility({ id: 'fac-1', nightPhone: '090-9999-0000', vacancy: before });
    const { user, unmount } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await user.click(screen.getByRole('checkbox', { name: '知的 児' }));
    await enterText(user, screen.getByLabelText('知的 備考'), '小学生以上');
    await enterText(user, screen.getByLabelText(/空床数/), '2');
    await user.click(screen.getByRole('button', { name: '保存' }));

    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    const saved = useApp.getState().facilities.get('fac-1');
    expect(saved?.acceptance.intellectual).toEqual({ adult: false, child: true, note: '小学生以上' });
    expect(saved?.vacancy?.beds).toBe(2);
    expect(saved?.vacancyHistory?.[0]).toEqual(before);
    expect((await session.outbox())[0]?.op).toBe('update');
    unmount();

    mountFacilities({ hash: '#/facilities/fac-1', session, facilities: [saved!] });
    expect(screen.getByRole('link', { name: '電話 047-111-2222' })).toHaveAttribute('href', 'tel:0471112222');
    expect(screen.getByRole('link', { name: '夜間 090-9999-0000' })).toHaveAttribute('href', 'tel:09099990000');
    expect(screen.getByText('小学生以上')).toBeInTheDocument();
  });

  it('keeps a bed report that came in while the form was open, saving only what the form changed', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1', name: 'あおぞら短期入所', vacancy: null });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await user.clear(screen.getByLabelText(/連携担当者/));
    await enterText(user, screen.getByLabelText(/連携担当者/), '田中');
    // the liaison reports two beds from another phone; the report syncs in
    const report = { beds: 2, asOf: new Date().toISOString(), reportedBy: '連携 田中', from: '2026-11-28', until: '2026-11-29' };
    await useApp.getState().saveFacility({ ...facility, vacancy: report }, 'update');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    const saved = useApp.getState().facilities.get('fac-1');
    expect(saved?.liaison).toBe('田中');
    expect(saved?.vacancy).toEqual(report);
  });

  it('saves FAX, mail and hub functions, and refuses a malformed mail address beside the field', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1' });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await enterText(user, screen.getByLabelText('FAX'), '047-111-2223');
    await enterText(user, screen.getByLabelText('メールアドレス'), 'tanki@example');
    await user.click(screen.getByRole('checkbox', { name: '緊急時の受け入れ・対応' }));
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText('メールアドレス')).toHaveAccessibleDescription('メールアドレスの形式を確認してください（例：tanki@example.jp）');
    expect(await session.outbox()).toHaveLength(0);

    await enterText(user, screen.getByLabelText('メールアドレス'), '.jp');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    const saved = useApp.getState().facilities.get('fac-1');
    expect(saved).toMatchObject({ fax: '047-111-2223', email: 'tanki@example.jp', hubFunctions: ['emergency-acceptance'] });
  });

  it('refuses a 電話番号 or 夜間・緊急連絡先 that cannot be dialled, beside the field, and saves nothing', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1', phone: '', nightPhone: '' });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await enterText(user, screen.getByLabelText('電話番号'), '047-123-456');
    await enterText(user, screen.getByLabelText('夜間・緊急連絡先'), '090-1234-567');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText('電話番号')).toHaveAccessibleDescription(/^電話番号の桁数が足りません（例：047-123-4567/);
    expect(screen.getByLabelText('夜間・緊急連絡先')).toHaveAccessibleDescription(/^携帯電話・IP電話の番号は11桁です/);
    expect(await session.outbox()).toHaveLength(0);

    await enterText(user, screen.getByLabelText('電話番号'), '7');
    await enterText(user, screen.getByLabelText('夜間・緊急連絡先'), '8 夜間のみ');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    expect(useApp.getState().facilities.get('fac-1')).toMatchObject({ phone: '047-123-4567', nightPhone: '090-1234-5678 夜間のみ' });
  });

  it('still saves a facility whose stored night number predates the check, until that number is changed', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1', phone: '047-123-4567', nightPhone: '－', capacity: 4 });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await user.clear(screen.getByLabelText('定員'));
    await enterText(user, screen.getByLabelText('定員'), '6');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    expect(useApp.getState().facilities.get('fac-1')).toMatchObject({ capacity: 6, nightPhone: '－' });
  });

  it('marks the form unsaved while edited and brings the input back from the encrypted draft', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1' });
    const first = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await enterText(first.user, screen.getByLabelText('連携担当者'), '高橋');
    await waitFor(() => expect(useApp.getState().unsaved.has('facility:fac-1:user-1')).toBe(true));
    await waitFor(() => expect(session.drafts.has('facility:fac-1:user-1')).toBe(true));
    first.unmount();

    mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    expect(await screen.findByText('保存されていない入力を復元しました。内容を確認して保存してください。')).toBeInTheDocument();
    expect(screen.getByLabelText('連携担当者')).toHaveValue('高橋');
  });

  it("does not offer the day person's unsaved bed report to the night person on a shared phone, nor a draft kept for everyone before", async () => {
    const facility = createFacility({ id: 'fac-1' });
    const day = createFakeSession({ id: 'user-day', displayName: '佐藤 花子' });
    const first = mountFacilities({ hash: '#/facilities/fac-1/edit', session: day, facilities: [facility] });
    await enterText(first.user, screen.getByLabelText(/空床数/), '2');
    await waitFor(() => expect(day.drafts.has('facility:fac-1:user-day')).toBe(true));
    first.unmount();

    const night = createFakeSession({ id: 'user-night', displayName: '田中 進' });
    for (const [key, value] of day.drafts) await night.saveDraft(key, value);
    await night.saveDraft('facility:fac-1', await day.loadDraft('facility:fac-1:user-day'));
    mountFacilities({ hash: '#/facilities/fac-1/edit', session: night, facilities: [facility] });
    // the form asked for its draft as it mounted: that answer is in before ours, asked after it
    await act(async () => {
      await night.listDraftKeys();
    });
    expect(screen.queryByText('保存されていない入力を復元しました。内容を確認して保存してください。')).not.toBeInTheDocument();
    expect(screen.getByLabelText(/空床数/)).toHaveValue('');
    expect(screen.getByLabelText(/報告者/)).toHaveValue('田中 進');
    // the one kept for everyone goes; the day person's own stays for them
    expect(night.drafts.has('facility:fac-1')).toBe(false);
    expect(night.drafts.has('facility:fac-1:user-day')).toBe(true);
  });

  it('破棄 of a restored draft asks first, and only 破棄する throws the input away', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1' });
    const first = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await enterText(first.user, screen.getByLabelText('連携担当者'), '高橋');
    await waitFor(() => expect(session.drafts.has('facility:fac-1:user-1')).toBe(true));
    first.unmount();
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    expect(await screen.findByText('保存されていない入力を復元しました。内容を確認して保存してください。')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: '破棄' }));
    const ask = screen.getByRole('dialog', { name: '復元した入力を破棄しますか' });
    await user.click(within(ask).getByRole('button', { name: 'キャンセル' }));
    expect(screen.getByLabelText('連携担当者')).toHaveValue('高橋');
    expect(session.drafts.has('facility:fac-1:user-1')).toBe(true);

    await user.click(screen.getByRole('button', { name: '破棄' }));
    await user.click(within(screen.getByRole('dialog', { name: '復元した入力を破棄しますか' })).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(screen.getByLabelText('連携担当者')).toHaveValue(''));
    await waitFor(() => expect(session.drafts.has('facility:fac-1:user-1')).toBe(false));
  });

  it('keeps a 休止 with its days (a last day before the first refused beside the field), says it on the detail, and clears it when the office runs again', async () => {
    const session = createFakeSession();
    const today = japanDateOf(new Date());
    const facility = createFacility({ id: 'fac-1' });
    const { user, unmount } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    expect(screen.queryByLabelText(/^休止の開始日/)).toBeNull();
    await user.selectOptions(screen.getByLabelText('運営の状況'), '休止');
    await enterText(user, screen.getByLabelText(/^休止の開始日/), addDaysToDate(today, -1));
    const until = screen.getByLabelText('休止の最終日（未定なら空欄）');
    await enterText(user, until, addDaysToDate(today, -2));
    await enterText(user, screen.getByLabelText('休止・廃止の理由・備考'), '改修工事');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(until).toHaveAccessibleDescription('休止の最終日が開始日より前になっています');
    expect(until).toHaveFocus();
    expect(await session.outbox()).toHaveLength(0);

    await user.clear(until);
    await enterText(user, until, addDaysToDate(today, 10));
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    const saved = useApp.getState().facilities.get('fac-1')!;
    expect(saved.closure).toEqual({ kind: 'suspended', from: addDaysToDate(today, -1), until: addDaysToDate(today, 10), note: '改修工事' });
    expect(screen.getByText(`休止中（${formatMonthDay(addDaysToDate(today, 10))}まで）・改修工事`)).toBeInTheDocument();
    unmount();

    const again = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [saved] });
    await again.user.selectOptions(screen.getByLabelText('運営の状況'), '運営中');
    await again.user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(useApp.getState().facilities.get('fac-1')!.closure).toBeNull());
    expect(screen.queryByText(/休止中/)).toBeNull();
  });

  it('saves a facility kept before closures without one: opening and saving it changes nothing of the kind', async () => {
    const session = createFakeSession();
    const facility = createFacility({ id: 'fac-1' });
    const { user } = mountFacilities({ hash: '#/facilities/fac-1/edit', session, facilities: [facility] });
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(window.location.hash).toBe('#/facilities/fac-1'));
    expect('closure' in useApp.getState().facilities.get('fac-1')!).toBe(false);
  });

  it('says a 休止 opened again after its last day is over, and that the facility is a candidate again', async () => {
    const today = japanDateOf(new Date());
    const facility = createFacility({ id: 'fac-1', closure: { kind: 'suspended', from: addDaysToDate(today, -20), until: addDaysToDate(today, -5), note: '' } });
    mountFacilities({ hash: '#/facilities/fac-1/edit', facilities: [facility] });
    expect(screen.getByLabelText('運営の状況')).toHaveAccessibleDescription(expect.stringMatching(/^この休止は\d+年\d+月\d+日で終わり、受入先の候補に戻っています/));
  });
});
