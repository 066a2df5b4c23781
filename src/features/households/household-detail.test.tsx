import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createFakeSession } from '../../../test/factories/fake-session';
import { useApp } from '../../state/store';
import { addMonthsToDate, japanDateOf } from '../../domain/japan-time';
import { admittedNight, appendEntries, openBody } from '../../../test/factories/emergency-case';
import type { CaseEntry } from '../../domain/emergency-case';
import { mountScreen, resetStore } from './test-helpers';

afterEach(() => {
  vi.useRealTimers();
  resetStore();
  vi.restoreAllMocks();
});

const household = createHousehold({
  id: 'hh-1',
  persons: [
    createPerson({
      id: 'p-1',
      name: '佐藤 陽太',
      furigana: 'さとう ようた',
      // 16 (児) whatever day the test runs on
      birthDate: addMonthsToDate(japanDateOf(new Date()), -(16 * 12 + 1)),
      medicalCare: ['tube-feeding'],
      medications: 'デパケン 朝夕',
      calming: '好きな電車の動画',
      doctors: [{ name: '高橋 医師', hospital: 'みなと小児病院', phone: '047-999-0000', note: '夜間救急あり' }],
    }),
  ],
  emergencyContacts: [{ name: '佐藤 花子', relation: '叔母', phones: ['090-1234-5678'], note: '夜間も可' }],
  caseWorker: '山田 相談員',
  caseWorkerPhone: '047-111-2222',
  consent: { date: '2025-04-01', consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' },
  note: '夜間は裏口のインターホン',
});

describe('household detail', () => {
  it('says in its title that a demo household is made up, and not for a real one', () => {
    mountScreen({ hash: '#/households/hh-1', households: [household] });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^佐藤 陽太$/);
    act(() => useApp.setState({ demoIds: new Set(['hh-1']) }));
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('佐藤 陽太（デモ・架空）');
  });

  it('puts who to call first, then medical care, and logs the opening once', async () => {
    const session = createFakeSession();
    mountScreen({ hash: '#/households/hh-1', households: [household], session });
    expect(screen.getByRole('link', { name: '電話 叔母 090-1234-5678' })).toHaveAttribute('href', 'tel:09012345678');
    expect(screen.getByRole('link', { name: '電話 山田 相談員 047-111-2222' })).toHaveAttribute('href', 'tel:0471112222');
    expect(screen.getAllByText(/経管栄養/).length).toBeGreaterThan(0);
    expect(screen.getByText(/短期入所の「地域生活支援拠点等である場合の加算」（＋200単位）の対象となりうる：医療的ケア児者/)).toBeInTheDocument();
    await waitFor(async () => expect((await session.accessLog()).filter((e) => e.action === 'open-household')).toHaveLength(1));
  });

  it('orders every section for a night call: contacts, medical care with the hospital, calming, daily living, then the rest', () => {
    mountScreen({ hash: '#/households/hh-1', households: [household] });
    // In document order, as a coordinator scrolls them.
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      '佐藤 陽太16歳（児）',
      '緊急連絡先',
      '医療的ケア・服薬・発作',
      '医師・病院',
      '落ち着く方法・苦手なこと',
      '日常生活の支援',
      '障害・手帳・区分',
      '体験利用（体験の機会・場）',
      '福祉サービス',
      '家族状況',
      '関係機関',
      '同意書',
      '備考',
    ]);
    const hospital = screen.getByRole('heading', { level: 2, name: '医師・病院' }).closest('section')!;
    expect(within(hospital).getByRole('link', { name: '電話 みなと小児病院 047-999-0000' })).toHaveAttribute('href', 'tel:0479990000');
  });

  it.each([
    ['2 a.m.', '2026-12-05T17:00:00.000Z', true],
    ['2 p.m.', '2026-12-06T05:00:00.000Z', false],
  ])('opens on what matters at %s: the essentials, the first contacts to call, then 緊急対応を開始', (_when, at, night) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(at));
    // 16 on the day the clock is set to
    const birthDate = addMonthsToDate(japanDateOf(new Date(at)), -(16 * 12 + 1));
    const twoContacts = {
      ...household,
      persons: household.persons.map((p) => ({ ...p, birthDate })),
      emergencyContacts: [
        { name: '佐藤 花子', relation: '叔母', phones: ['09012345678'], note: '' },
        { name: '佐藤 一郎', relation: '祖父', phones: ['0311112222', '夜間 080-2222-3333'], note: '' },
        { name: '鈴木 三郎', relation: '近所', phones: ['0471230000'], note: '' },
      ],
    };
    mountScreen({ hash: '#/households/hh-1', households: [twoContacts] });
    const essentials = screen.getByRole('region', { name: '佐藤 陽太さんの要点' });
    expect(within(essentials).getByRole('heading', { name: /佐藤 陽太.*16歳（児）/ })).toBeInTheDocument();
    expect(within(essentials).getByText(/経管栄養/)).toBeInTheDocument();
    expect(within(essentials).getByText('デパケン 朝夕')).toBeInTheDocument();
    expect(within(essentials).getByText('好きな電車の動画')).toBeInTheDocument();
    const calls = within(screen.getByRole('list', { name: '緊急連絡先' })).getAllByRole('link');
    // two contacts, written as numbers are written; the 夜間 number first at night (Japan time)
    expect(calls.map((c) => c.textContent)).toEqual(['叔母 090-1234-5678', night ? '祖父 夜間 080-2222-3333' : '祖父 03-1111-2222']);
    const start = screen.getByRole('link', { name: '佐藤 陽太さんの緊急対応を開始' });
    expect(start).toHaveAttribute('href', '#/cases/new/hh-1/p-1');
    // in document order: essentials, calls, start, then the full 聞き取り票
    const full = screen.getByRole('heading', { level: 2, name: '緊急連絡先' });
    expect(essentials.compareDocumentPosition(calls[0]!) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(calls[1]!.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(start.compareDocumentPosition(full) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('counts the review from the 同意日 when never reviewed, and says so', () => {
    const today = japanDateOf(new Date());
    const consent = { date: addMonthsToDate(today, -13), consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' };
    mountScreen({ hash: '#/households/hh-1', households: [{ ...household, consent, lastReviewedOn: null }] });
    expect(screen.getByText(/見直し時期です（同意日 .* から見直しの記録がありません）/)).toBeInTheDocument();
  });

  it('does not flag a household registered today and never reviewed', () => {
    const today = japanDateOf(new Date());
    const consent = { date: today, consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' };
    mountScreen({ hash: '#/households/hh-1', households: [{ ...household, consent, lastReviewedOn: null }] });
    expect(screen.queryByText(/見直し時期です/)).not.toBeInTheDocument();
  });

  it('withdraw requires a reason, then keeps the household readable', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/hh-1', households: [household], session });
    await user.click(screen.getByRole('button', { name: '登録廃止' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByLabelText(/廃止日/)).toHaveValue(japanDateOf(new Date()));

    await user.click(within(dialog).getByRole('button', { name: '登録廃止する' }));
    expect(within(dialog).getByText('理由を入力してください')).toBeInTheDocument();
    expect(await session.outbox()).toHaveLength(0);

    await user.type(within(dialog).getByLabelText(/理由/), '転居のため');
    await user.click(within(dialog).getByRole('button', { name: '登録廃止する' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

    const [entry] = await session.outbox();
    expect(entry?.op).toBe('withdraw');
    expect(useApp.getState().households.get('hh-1')?.withdrawal?.reason).toBe('転居のため');
    expect(screen.getByText(/登録廃止：.*理由：転居のため/)).toBeInTheDocument();
    expect(screen.getByText('登録廃止済み')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '登録廃止' })).not.toBeInTheDocument();
    expect(screen.getByRole('link', { name: '電話 叔母 090-1234-5678' })).toBeInTheDocument();
    // the line is read before the start button, which is no longer the screen's first action
    const line = screen.getByText(/登録廃止：.*理由：転居のため/);
    const start = screen.getByRole('link', { name: /緊急対応を開始/ });
    expect(line.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(start).not.toHaveClass('btn--primary');
  });

  it('says an edit left unsaved by 「←」 is waiting, and opens it again: the screen showed the old address as the record with no word', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/hh-1/edit', households: [household], session });
    const address = await screen.findByLabelText('住所', { exact: false });
    await user.clear(address);
    await user.type(address, '松戸市新町1-2-3');
    await user.click(screen.getByRole('link', { name: /戻る/ }));
    expect(await screen.findByText(/あなたが保存していない編集があります/)).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: '編集を続ける' }));
    expect(await screen.findByLabelText('住所', { exact: false })).toHaveValue('松戸市新町1-2-3');
  });

  it('says nothing of an edit when none was left', async () => {
    mountScreen({ hash: '#/households/hh-1', households: [household] });
    await screen.findByRole('button', { name: '編集' });
    expect(screen.queryByText(/保存していない編集/)).not.toBeInTheDocument();
  });

  it('prints the one-page sheet and logs it as print-household', async () => {
    const session = createFakeSession();
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [household], session });
    expect(screen.getByText('好きな電車の動画')).toBeInTheDocument();
    expect(screen.getByText(/佐藤 花子（叔母） 090-1234-5678/)).toBeInTheDocument();
    // 「印刷する」 comes once the opening is on the 閲覧記録
    await user.click(await screen.findByRole('button', { name: '印刷する' }));
    expect(print).toHaveBeenCalledOnce();
    expect((await session.accessLog()).map((e) => e.action)).toEqual(['print-household']);
  });

  it('shows the family\'s 共有の範囲 before printing, and prints it on the sheet', () => {
    const consent = { date: '2026-04-01', consentedBy: '佐藤 花子（母）', scope: '短期入所事業所のみ。診断名は伝えないでほしい' };
    mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, consent }] });
    expect(screen.getByText(/同意書の共有の範囲：「短期入所事業所のみ。診断名は伝えないでほしい」/)).toBeInTheDocument();
    expect(screen.getByRole('row', { name: /共有の範囲/ })).toHaveTextContent('短期入所事業所のみ。診断名は伝えないでほしい');
  });

  it('the printed sheet says how current it is: the last review, who made it, and 次回見直し日', () => {
    const reviews = [{ id: 'rv-1', reviewedOn: '2026-04-10', reviewedBy: '田中 一郎', reviewedByUserId: 'u-tanaka', note: '', recordedAt: '2026-04-10T03:00:00.000Z' }];
    mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, lastReviewedOn: '2025-12-01', reviews }] });
    const row = screen.getByRole('row', { name: /記載内容の見直し/ });
    // 12 months (the default) after the later review, the recorded one
    expect(row).toHaveTextContent(/前回見直し 2026年4月10日（田中 一郎）/);
    expect(row).toHaveTextContent(/次回見直し日 2027年4月10日/);
  });

  it('without a 同意書, asks why before printing for a facility and writes the reason to the 閲覧記録, never blocking', async () => {
    const session = createFakeSession();
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, consent: null }], session });
    expect(screen.getByText(/同意書が記録されていません/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '印刷する' })).toBeNull();
    const reason = screen.getByLabelText(/提供する理由/);
    expect(reason).toHaveValue('緊急の短期入所のため、本人の生命・身体の保護に必要（同意を得ることが困難）');
    await user.clear(reason);
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    expect(await screen.findByText('理由を入力してください。')).toBeInTheDocument();
    expect(print).not.toHaveBeenCalled();
    await user.type(reason, '母が救急搬送、短期入所先へ情報提供');
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(print).toHaveBeenCalledOnce());
    const log = await session.accessLog();
    expect(log.map((e) => [e.action, e.householdId, e.reason])).toEqual([
      ['print-household', 'hh-1', undefined],
      ['share-without-consent', 'hh-1', '母が救急搬送、短期入所先へ情報提供'],
    ]);
  });

  describe('受入先を探す', () => {
    const holdCases = (...chains: CaseEntry[][]) => useApp.setState({ caseEntries: new Map(chains.map((c) => [c[0]!.caseId, c])) });

    it('opens the match for the person\'s open case, so the calls made there are recorded, and says so', async () => {
      // 23:50 Japan time, still open; an earlier night of the same person, closed
      holdCases(await appendEntries([], [openBody({ requestedAt: '2026-11-30T14:50:00.000Z' })], 'case-open'), await admittedNight('case-closed', '2026-10-01T12:00:00.000Z'));
      mountScreen({ hash: '#/households/hh-1', households: [household] });
      expect(screen.getByRole('link', { name: '佐藤 陽太さんの受入先を探す' })).toHaveAttribute('href', '#/match/hh-1/p-1?case=case-open');
      expect(screen.getByText('対応中の緊急対応（要請 11/30 23:50）に電話を記録します')).toBeInTheDocument();
    });

    it('opens the match without a case when the person has none open (the match says nothing is recorded)', async () => {
      holdCases(await admittedNight('case-closed', '2026-10-01T12:00:00.000Z'));
      mountScreen({ hash: '#/households/hh-1', households: [household] });
      expect(screen.getByRole('link', { name: '佐藤 陽太さんの受入先を探す' })).toHaveAttribute('href', '#/match/hh-1/p-1');
      expect(screen.queryByText(/対応中の緊急対応/)).not.toBeInTheDocument();
    });
  });

  it('says so when the household is not on this device', () => {
    mountScreen({ hash: '#/households/nope' });
    expect(screen.getByText(/この世帯は見つかりません/)).toBeInTheDocument();
  });
});
