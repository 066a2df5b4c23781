import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createFacility } from '../../../test/factories/facility';
import { createTrialStay } from '../../../test/factories/trial-stay';
import { summarizeHousehold } from '../../domain/household-summary';
import type { WireConflict } from '../../protocol/sync';
import { useApp } from '../../state/store';
import type { SyncEngine } from '../../sync/engine';
import { initialSyncStatus, syncStatus } from '../../sync/status';
import { SyncConflicts } from './sync-conflicts';
import { VaultError } from '../../vault/errors';
import { fieldLabel, valueText } from '../../state/record-words';

const conflict = (over: Partial<WireConflict>): WireConflict => ({
  id: over.field ?? 'c',
  kind: 'household',
  entityId: 'hh-1',
  field: 'phone',
  baseVersion: 1,
  keptVersion: 2,
  keptValue: null,
  lostVersion: 3,
  lostValue: null,
  keptBy: '拠点 花子',
  lostBy: '当番 次郎',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/** The conflict list as the settings show it, for these conflicts (an engine that lists only them). */
async function shown(conflicts: readonly WireConflict[]) {
  syncStatus.setState({ ...initialSyncStatus, openConflicts: conflicts.length, engine: { conflicts: async () => conflicts } as unknown as SyncEngine });
  render(<SyncConflicts />);
  return screen.findAllByRole('listitem');
}

beforeEach(() => {
  useApp.setState(useApp.getInitialState(), true);
  syncStatus.setState(initialSyncStatus, true);
});

describe('重なった変更: the fields and values in Japanese', () => {
  it('names the fields of a household, its persons and a facility as their forms do', () => {
    const name = (id: string) => (id === 'p-1' ? '山田 太郎' : undefined);
    expect(fieldLabel('persons[p-1].medications', name)).toBe('本人（山田 太郎）の服薬');
    expect(fieldLabel('persons[p-1].furigana', name)).toBe('本人（山田 太郎）のふりがな');
    expect(fieldLabel('persons[p-1].disabilityTypes', name)).toBe('本人（山田 太郎）の障害の種類');
    expect(fieldLabel('persons[p-1].dailyLiving.meals', name)).toBe('本人（山田 太郎）の日常生活状況（支援の程度）の食事');
    expect(fieldLabel('persons[p-1].recipientNumber', name)).toBe('本人（山田 太郎）の受給者証番号');
    expect(fieldLabel('persons[p-1].handbooks.physicalGrade', name)).toBe('本人（山田 太郎）の手帳の身体障害者手帳 等級');
    expect(fieldLabel('family', name)).toBe('家族状況');
    expect(fieldLabel('caseWorkerUserId', name)).toBe('担当の相談支援専門員');
    expect(fieldLabel('consent.scope', name)).toBe('同意書の共有の範囲');
    expect(fieldLabel('officeId', name, 'household')).toBe('登録事業所（相談支援事業所）');
    expect(fieldLabel('name', name, 'facility')).toBe('事業所名');
    expect(fieldLabel('nightPhone', name, 'facility')).toBe('夜間・緊急連絡先');
    expect(fieldLabel('acceptance.intellectual.adult', name, 'facility')).toBe('受入可能な障害種別の知的の者');
    expect(fieldLabel('hubFunctions', name, 'facility')).toBe('担う拠点機能');
  });

  it("reads codes by the app's labels and lists one item a line, never as JSON", () => {
    expect(valueText(['intellectual', 'developmental'], 'persons[p-1].disabilityTypes')).toBe('知的、発達');
    expect(valueText(['tube-feeding', 'suction'], 'persons[p-1].medicalCare')).toBe('経管栄養（経鼻）、喀痰吸引');
    expect(valueText(['consultation'], 'hubFunctions')).toBe('相談');
    expect(valueText('female', 'persons[p-1].sex')).toBe('女');
    // a facility's 休止・廃止, and none (the office runs)
    expect(valueText({ kind: 'suspended', from: '2026-12-10', until: null, note: '改修' }, 'closure')).toBe('休止 2026-12-10〜（再開日未定） 改修');
    expect(valueText(null, 'closure')).toBe('運営中');
    expect(valueText(2, 'persons[p-1].handbooks.physicalGrade')).toBe('2級');
    expect(valueText(true, 'acceptance.intellectual.adult')).toBe('受入可');
    expect(valueText(null, 'persons[p-1].enrolments.settlement')).toBe('未確認');
    expect(valueText({ date: '2026-04-01', consentedBy: '山田 花子', scope: '拠点の関係機関' }, 'consent')).toBe(
      '同意日：2026-04-01　同意者：山田 花子　共有の範囲：拠点の関係機関',
    );
    expect(valueText('u-7', 'caseWorkerUserId', { staff: (id) => (id === 'u-7' ? '相談 一郎' : undefined) })).toBe('相談 一郎');
    expect(valueText(createPerson({ name: '山田 次郎', furigana: 'やまだ じろう' }), 'persons[p-2]')).toBe('山田 次郎（やまだ じろう）');
    for (const text of [
      valueText({ adult: true, child: false, note: '' }, 'acceptance.intellectual'),
      valueText([{ name: '山田 一郎', relation: '父', age: '70', note: '' }], 'family'),
      valueText({ physicalGrade: 1, ryoiku: null, mentalGrade: null }, 'persons[p-1].handbooks'),
    ]) {
      expect(text).not.toMatch(/[{}[\]"]/);
    }
  });

  it('shows each value in Japanese: contacts as 「氏名（続柄） 電話」 lines, codes by their labels', async () => {
    const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '山田 太郎' })] });
    useApp.setState({ households: new Map([[household.id, household]]), facilities: new Map([['fa-1', createFacility({ id: 'fa-1', name: 'すみれ短期入所' })]]) });
    const items = await shown([
      conflict({
        field: 'emergencyContacts',
        keptValue: [
          { name: '佐藤 花子', relation: '姉', phones: ['090-1111-2222', '047-333-4444'], note: '' },
          { name: '山田 一郎', relation: '父', phones: ['080-5555-6666'], note: '' },
        ],
        // a contact's reading is shown beside the name
        lostValue: [{ name: '佐藤 花子', relation: '姉', phones: ['090-9999-0000'], note: '', furigana: 'さとう はなこ' }],
      }),
      conflict({ field: 'persons[p-1].medicalCare', keptValue: ['tube-feeding'], lostValue: ['tube-feeding', 'suction'] }),
      conflict({ kind: 'facility', entityId: 'fa-1', field: 'hubFunctions', keptValue: ['consultation'], lostValue: [] }),
    ]);

    const [contacts, care, functions] = items;
    expect(within(contacts!).getByText('項目：緊急連絡先')).toBeInTheDocument();
    expect(within(contacts!).getByText('佐藤 花子（姉） 090-1111-2222、047-333-4444')).toBeInTheDocument();
    expect(within(contacts!).getByText('山田 一郎（父） 080-5555-6666')).toBeInTheDocument();
    expect(within(contacts!).getByText('佐藤 花子（さとう はなこ）（姉） 090-9999-0000')).toBeInTheDocument();
    expect(within(care!).getByText('項目：本人（山田 太郎）の医療的ケア')).toBeInTheDocument();
    expect(within(care!).getByText('経管栄養（経鼻）、喀痰吸引')).toBeInTheDocument();
    expect(within(functions!).getByText('項目：担う拠点機能')).toBeInTheDocument();
    expect(within(functions!).getByText('相談')).toBeInTheDocument();
    expect(within(functions!).getByText('なし')).toBeInTheDocument();
    for (const item of items) expect(item.textContent).not.toMatch(/[{}[\]"]|tube-feeding|consultation|medicalCare/);
  });

  it('names a 体験利用 by the person, the facility and its days, and its fields as its form does', async () => {
    const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '山田 太郎' })] });
    const stay = createTrialStay({ id: 'ts-1', householdId: 'hh-1', personId: 'p-1', facilityName: 'すみれ短期入所', from: '2026-11-01', to: '2026-11-03' });
    useApp.setState({ households: new Map([[household.id, household]]), summaries: new Map([[household.id, summarizeHousehold(household)]]), trialStays: new Map([[stay.id, stay]]) });
    const [item] = await shown([conflict({ kind: 'trial-stay', entityId: 'ts-1', field: 'howItWent', keptValue: '落ち着いて過ごせた', lostValue: '夜間に不穏' })]);
    expect(within(item!).getByText('体験利用：山田 太郎 すみれ短期入所 2026-11-01〜2026-11-03')).toBeInTheDocument();
    expect(within(item!).getByText('項目：利用の様子')).toBeInTheDocument();
  });
});

describe('重なった変更: who settles', () => {
  it('offers to settle only the records the user’s role writes; a case worker is told who settles a facility’s', async () => {
    useApp.setState({ facilities: new Map([['f-1', createFacility({ id: 'f-1' })]]) });
    syncStatus.setState({ role: 'case-worker' });
    const conflicts = [conflict({ id: 'c1' }), conflict({ id: 'c2', kind: 'facility', entityId: 'f-1', field: 'phone' })];
    syncStatus.setState({ openConflicts: conflicts.length, engine: { conflicts: async () => conflicts } as unknown as SyncEngine });
    render(<SyncConflicts />);
    const [household, facility] = await screen.findAllByRole('listitem');
    expect(within(household!).getAllByRole('button')).toHaveLength(2);
    expect(within(facility!).queryByRole('button')).toBeNull();
    expect(within(facility!).getByText('この記録はあなたの役割では書き換えられないため、書き換えられる人（管理者など）が解決します。')).toBeInTheDocument();
  });
});

describe('重なった変更: a list that could not be read', () => {
  it('is read again after the next sync, though the count stayed the same', async () => {
    let fail = true;
    const conflicts = vi.fn(async () => {
      if (fail) throw new Error('offline');
      return [conflict({ field: 'phone', keptValue: '047-000-0000', lostValue: '090-1111-2222' })];
    });
    syncStatus.setState({ ...initialSyncStatus, openConflicts: 1, lastSyncAt: '2026-12-01T00:00:00.000Z', engine: { conflicts } as unknown as SyncEngine });
    render(<SyncConflicts />);
    await waitFor(() => expect(conflicts).toHaveBeenCalledTimes(1));
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
    fail = false;
    act(() => syncStatus.setState({ lastSyncAt: '2026-12-01T00:01:00.000Z' }));
    expect(await screen.findAllByRole('listitem')).toHaveLength(1);
  });
});

describe('重なった変更: a choice that cannot be saved', () => {
  it('says the choice was not saved and why (the phone full), not that the list could not be read', async () => {
    useApp.setState({ households: new Map([['hh-1', createHousehold({ id: 'hh-1' })]]) });
    const settleConflict = vi.fn(async () => {
      throw new VaultError('quota-exceeded');
    });
    const conflicts = [conflict({ id: 'c1', keptValue: '047-000-0000', lostValue: '090-1111-2222' })];
    syncStatus.setState({ ...initialSyncStatus, role: 'coordinator', openConflicts: 1, engine: { conflicts: async () => conflicts, settleConflict } as unknown as SyncEngine });
    render(<SyncConflicts />);
    const [item] = await screen.findAllByRole('listitem');
    fireEvent.click(within(item!).getAllByRole('button')[1]!);
    fireEvent.click(within(screen.getByRole('dialog')).getAllByRole('button')[1]!);
    expect(await screen.findByText(/^選んだ値を保存できませんでした。もう一度選んでください。端末の保存容量が足りません。/)).toBeInTheDocument();
    expect(settleConflict).toHaveBeenCalledTimes(1);
  });
});

describe('重なった変更: the 閲覧記録', () => {
  it('logs the opening of a household whose values the list shows, once, and nothing for a facility', async () => {
    const opened: string[] = [];
    useApp.setState({ session: {} as never, openHousehold: async (id: string) => void opened.push(id) });
    useApp.setState({ facilities: new Map([['f-1', createFacility({ id: 'f-1' })]]) });
    await shown([conflict({ field: 'persons[p-1].medications', keptValue: 'デパケン', lostValue: 'なし' }), conflict({ id: 'c2', kind: 'facility', entityId: 'f-1', field: 'phone' })]);
    // the entry is written from an effect, which may run a moment after the list is drawn
    await waitFor(() => expect(opened).toEqual(['hh-1']));
  });

  it('logs the household of a 体験利用 whose values the list shows', async () => {
    const opened: string[] = [];
    const stay = createTrialStay({ id: 'ts-1', householdId: 'hh-7', personId: 'p-1' });
    useApp.setState({ session: {} as never, openHousehold: async (id: string) => void opened.push(id), trialStays: new Map([[stay.id, stay]]) });
    await shown([conflict({ kind: 'trial-stay', entityId: 'ts-1', field: 'howItWent', keptValue: '落ち着いて過ごせた', lostValue: '夜間に不穏' })]);
    await waitFor(() => expect(opened).toEqual(['hh-7']));
  });
});

describe('重なった変更: a value dropped for good', () => {
  it('asks first, naming the field, the value kept and the one dropped (キャンセル first), then says what the field became', async () => {
    useApp.setState({ households: new Map([['hh-1', createHousehold({ id: 'hh-1' })]]) });
    const settleConflict = vi.fn(async () => undefined);
    const conflicts = [conflict({ id: 'c1', keptValue: '047-000-0000', lostValue: '090-1111-2222' })];
    syncStatus.setState({ ...initialSyncStatus, role: 'coordinator', openConflicts: 1, engine: { conflicts: async () => conflicts, settleConflict } as unknown as SyncEngine });
    render(<SyncConflicts />);
    const [item] = await screen.findAllByRole('listitem');

    // keeping the hub's value drops the other: asked, and cancelled, nothing written
    fireEvent.click(within(item!).getByRole('button', { name: 'いまの値のままにする（拠点 花子）' }));
    const keep = screen.getByRole('dialog', { name: 'いまの値のままにしますか？' });
    expect(within(keep).getByText(/の「電話番号」を、次の値にします。$/)).toBeInTheDocument();
    expect(within(keep).getByText('いまの値（拠点 花子）').nextElementSibling).toHaveTextContent('047-000-0000');
    expect(within(keep).getByText('選ばなかった次の値は消え、あとから選び直せません。')).toBeInTheDocument();
    expect(within(keep).getByText('もう一方の値（当番 次郎）').nextElementSibling).toHaveTextContent('090-1111-2222');
    const [first, second] = within(keep).getAllByRole('button');
    expect(first).toHaveTextContent('キャンセル');
    expect(second).toHaveTextContent('いまの値のままにする（拠点 花子）');
    fireEvent.click(first!);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(settleConflict).not.toHaveBeenCalled();

    // writing the other value back drops the hub's: named the other way round, then said once done
    fireEvent.click(within(item!).getByRole('button', { name: 'もう一方の値に戻す（当番 次郎）' }));
    const restore = screen.getByRole('dialog', { name: 'もう一方の値に戻しますか？' });
    expect(within(restore).getByText('いまの値（拠点 花子）').closest('dl')!.previousElementSibling).toHaveTextContent('選ばなかった次の値は消え');
    fireEvent.click(within(restore).getByRole('button', { name: 'もう一方の値に戻す（当番 次郎）' }));
    expect(await screen.findByText('「電話番号」を「090-1111-2222」にしました。')).toBeInTheDocument();
    expect(settleConflict).toHaveBeenCalledTimes(1);
    expect(settleConflict).toHaveBeenCalledWith(conflicts[0], 'lost');
  });

  it('still says what the field became once no conflict is left', async () => {
    const conflicts = [conflict({ id: 'c1', keptValue: '047-000-0000', lostValue: '090-1111-2222' })];
    const engine = { conflicts: vi.fn(async () => conflicts), settleConflict: vi.fn(async () => void conflicts.pop()) };
    syncStatus.setState({ ...initialSyncStatus, role: 'coordinator', openConflicts: 1, engine: engine as unknown as SyncEngine });
    render(<SyncConflicts />);
    const [item] = await screen.findAllByRole('listitem');
    fireEvent.click(within(item!).getByRole('button', { name: 'いまの値のままにする（拠点 花子）' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'いまの値のままにする（拠点 花子）' }));
    await waitFor(() => expect(engine.settleConflict).toHaveBeenCalledTimes(1));
    act(() => syncStatus.setState({ openConflicts: 0 }));
    await waitFor(() => expect(screen.queryAllByRole('listitem')).toHaveLength(0));
    expect(screen.getByText('「電話番号」を「047-000-0000」にしました。')).toBeInTheDocument();
  });
});
