/**
 * A household of two (a mother caring for two children, SCENARIOS.md): 「本人を追加」 adds a second
 * person whose answers sit in their own 「本人 2」 fieldsets, are saved on that person only, and are
 * shown on the detail view; the second person's invalid answer is reported beside their own field.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { enterText } from '../../../test/factories/enter-text';
import { createFakeSession } from '../../../test/factories/fake-session';
import { useApp } from '../../state/store';
import type { Household } from '../../domain/household';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { appendEntries, openBody } from '../../../test/factories/emergency-case';
import { mountScreen, resetStore } from './test-helpers';

afterEach(resetStore);

type User = ReturnType<typeof mountScreen>['user'];

/** The second person's fieldsets, one per form section: 基本情報, 障害程度, 医療について, … */
function secondPerson(): HTMLElement[] {
  return screen.getAllByRole('group', { name: /^本人 2/ });
}

async function fillFirstPersonAndHome(user: User) {
  // looked up before any input changes the page: the later lookups reuse the first one's walk of the form
  const [name, furigana, birth, phone] = [screen.getAllByLabelText('氏名')[0]!, screen.getAllByLabelText('ふりがな')[0]!, screen.getAllByLabelText('生年月日')[0]!, screen.getByLabelText('電話番号')];
  await enterText(user, name, '佐藤 拓海');
  await enterText(user, furigana, 'さとう たくみ');
  await enterText(user, birth, '2013-04-02');
  await enterText(user, phone, '047-123-4567');
}

describe('household form with two persons', () => {
  it('adds a second person with birth date, disabilities, 手帳 and 医療的ケア, saves both and shows both', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    expect(screen.queryAllByRole('group', { name: /^本人 \d/ })).toHaveLength(0);
    await fillFirstPersonAndHome(user);

    await user.click(screen.getByRole('button', { name: /本人を追加/ }));
    const [basic, disability, medical] = secondPerson();
    expect(within(basic!).getByRole('button', { name: 'この人を削除' })).toBeInTheDocument();
    await enterText(user, within(basic!).getByLabelText('氏名'), '佐藤 紗希');
    await enterText(user, within(basic!).getByLabelText('ふりがな'), 'さとう さき');
    await enterText(user, within(basic!).getByLabelText('生年月日'), '2018-11-20');
    await user.selectOptions(within(basic!).getByLabelText('性別'), '女');
    // the fieldset takes the name as it is typed
    expect(screen.getAllByRole('group', { name: '本人 2：佐藤 紗希' })).toHaveLength(secondPerson().length);

    const types = within(disability!).getByRole('group', { name: '障害の種類' });
    await user.click(within(types).getByLabelText('身体（肢体不自由）'));
    await user.click(within(types).getByLabelText('知的'));
    await user.click(within(types).getByLabelText('医療的ケア'));
    const care = within(disability!).getByRole('group', { name: '医療的ケア' });
    await user.click(within(care).getByLabelText('喀痰吸引'));
    await user.click(within(care).getByLabelText('胃ろう・腸ろう'));
    await enterText(user, within(disability!).getByLabelText('医療的ケアの詳細'), '胃ろうから1日4回注入（7時・12時・17時・21時）');
    await user.selectOptions(within(disability!).getByLabelText('身体障害者手帳 等級'), '2級');
    await enterText(user, within(disability!).getByLabelText('療育手帳'), 'A');
    await enterText(user, within(medical!).getByLabelText('服薬'), 'バルプロ酸 200mg 朝夕');
    await enterText(user, within(medical!).getByLabelText('アレルギー'), 'ラテックス');

    await user.click(screen.getByRole('button', { name: /緊急連絡先を追加/ }));
    await enterText(user, screen.getByLabelText('連絡先の氏名'), '田中 由美子');
    await enterText(user, screen.getAllByLabelText('続柄')[0]!, '叔母');
    await enterText(user, screen.getByLabelText('電話番号（複数可）'), '090-1234-5678');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });

    const saved = await session.list<Household>('household');
    expect(saved).toHaveLength(1);
    const [first, second] = saved[0]!.data.persons;
    expect(saved[0]!.data.persons).toHaveLength(2);
    expect(first).toMatchObject({ name: '佐藤 拓海', birthDate: '2013-04-02', disabilityTypes: [], medicalCare: [], medications: '', allergies: '' });
    expect(second).toMatchObject({
      name: '佐藤 紗希',
      furigana: 'さとう さき',
      birthDate: '2018-11-20',
      sex: 'female',
      medicalCareDetails: '胃ろうから1日4回注入（7時・12時・17時・21時）',
      handbooks: { physicalGrade: 2, ryoiku: 'A', mentalGrade: null },
      medications: 'バルプロ酸 200mg 朝夕',
      allergies: 'ラテックス',
    });
    expect([...second!.disabilityTypes].sort()).toEqual(['intellectual', 'medical-care', 'physical-limb']);
    expect([...second!.medicalCare].sort()).toEqual(['gastrostomy', 'suction']);
    expect(first!.id).not.toBe(second!.id);
    expect(useApp.getState().households.get(saved[0]!.id)?.persons).toHaveLength(2);

    // The detail view names each person above their answers.
    expect(screen.getAllByRole('heading', { name: '佐藤 拓海' }).length).toBeGreaterThan(0);
    const sakiHeadings = screen.getAllByRole('heading', { name: '佐藤 紗希' });
    expect(sakiHeadings.length).toBeGreaterThan(0);
    const medicalSection = screen.getByRole('region', { name: '医療的ケア・服薬・発作' });
    expect(within(medicalSection).getByText(/喀痰吸引、胃ろう・腸ろう/)).toBeInTheDocument();
    expect(within(medicalSection).getByText(/胃ろうから1日4回注入/)).toBeInTheDocument();
    expect(within(medicalSection).getByText('バルプロ酸 200mg 朝夕')).toBeInTheDocument();
    expect(within(medicalSection).getByText('ラテックス')).toBeInTheDocument();
    const disabilitySection = screen.getByRole('region', { name: '障害・手帳・区分' });
    expect(within(disabilitySection).getByText('身体（肢体不自由）、知的、医療的ケア')).toBeInTheDocument();
    expect(within(disabilitySection).getByText('身体 2級、療育 A')).toBeInTheDocument();
    // …and under the second person's heading, not the first's
    const order = [...medicalSection.querySelectorAll('h3, dd')].map((e) => e.textContent ?? '');
    expect(order.indexOf('佐藤 紗希')).toBeGreaterThan(order.indexOf('佐藤 拓海'));
    expect(order.findIndex((t) => t.includes('喀痰吸引'))).toBeGreaterThan(order.indexOf('佐藤 紗希'));
    // two persons through the whole form, text pasted: a few seconds alone, but many times that at a load of 10 or more
  }, 60_000);

  it('shows the second person’s invalid birth date beside that person’s field and saves nothing', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    await fillFirstPersonAndHome(user);
    await user.click(screen.getByRole('button', { name: /本人を追加/ }));
    const [basic] = secondPerson();
    await enterText(user, within(basic!).getByLabelText('氏名'), '佐藤 紗希');
    await enterText(user, within(basic!).getByLabelText('生年月日'), '2999-01-01');
    await user.click(screen.getByRole('button', { name: '保存' }));

    expect(await screen.findByText(/入力内容に1件の問題があります/)).toBeInTheDocument();
    // the summary says whose field it is
    expect(screen.getByRole('button', { name: /^本人 2：.*今日より後/ })).toBeInTheDocument();
    const secondBirth = within(secondPerson()[0]!).getByLabelText('生年月日');
    expect(secondBirth).toHaveAttribute('aria-invalid', 'true');
    expect(secondBirth).toHaveAccessibleDescription(expect.stringContaining('今日より後'));
    const firstBirth = screen.getAllByLabelText('生年月日')[0]!;
    expect(firstBirth).not.toBe(secondBirth);
    expect(firstBirth).not.toHaveAttribute('aria-invalid', 'true');
    expect(await session.list('household')).toHaveLength(0);
    expect(useApp.getState().households.size).toBe(0);
    expect(screen.queryByRole('button', { name: '編集' })).toBeNull();
  });
});

describe('the answers the form keeps together', () => {
  it('takes 医療的ケア off the types when the last care is unticked, and ticks 重症心身障害 once for its two boxes', async () => {
    const session = createFakeSession();
    const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', medicalCare: ['suction'], disabilityTypes: ['intellectual', 'medical-care'] })] });
    await session.put('household', household.id, household, 'create');
    const { user } = mountScreen({ hash: '#/households/hh-1/edit', households: [household], session });
    const types = await screen.findByRole('group', { name: '障害の種類' });
    const care = screen.getByRole('group', { name: '医療的ケア' });
    expect(within(types).getByLabelText('医療的ケア')).toBeChecked();
    await user.click(within(care).getByLabelText('喀痰吸引'));
    expect(within(types).getByLabelText('医療的ケア')).not.toBeChecked();
    // ticking the first care again puts it back, as the save would
    await user.click(within(care).getByLabelText('喀痰吸引'));
    expect(within(types).getByLabelText('医療的ケア')).toBeChecked();
    await user.click(within(care).getByLabelText('喀痰吸引'));

    // the box of its own, outside the list of types
    const own = screen.getAllByRole('checkbox', { name: '重症心身障害' }).find((b) => !types.contains(b))!;
    await user.click(own);
    const severeBoxes = screen.getAllByRole('checkbox', { name: '重症心身障害' });
    expect(severeBoxes).toHaveLength(2);
    expect(severeBoxes.every((b) => (b as HTMLInputElement).checked)).toBe(true);
    await user.click(within(types).getByLabelText('重症心身障害'));
    expect(severeBoxes.every((b) => !(b as HTMLInputElement).checked)).toBe(true);
    await user.click(within(types).getByLabelText('重症心身障害'));

    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    const saved = (await session.get<Household>('household', 'hh-1'))!.data.persons[0]!;
    expect(saved).toMatchObject({ medicalCare: [], severeMultiple: true });
    expect([...saved.disabilityTypes].sort()).toEqual(['intellectual', 'severe-multiple']);
  });
});

describe('the birth date and the 受給者証', () => {
  it('says the date typed in the 和暦 a 受給者証 writes it in, to compare by eye', async () => {
    mountScreen({ hash: '#/households/new' });
    const birth = await screen.findByLabelText('生年月日');
    fireEvent.change(birth, { target: { value: '1970-04-01' } });
    expect(birth).toHaveAccessibleDescription(/和暦：昭和45年4月1日/);
    fireEvent.change(birth, { target: { value: '2019-05-01' } });
    expect(birth).toHaveAccessibleDescription(/和暦：令和元年5月1日/);
  });
});

describe('behaviour scores typed with a Japanese IME', () => {
  it('saves 「１２」 typed in full-width digits as 12 (a number input took it as blank and saved nothing)', async () => {
    const { user, session } = mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    await fillFirstPersonAndHome(user);
    const score = screen.getByLabelText('行動関連項目合計点数');
    await user.type(score, '１２');
    expect(score).toHaveValue('１２');
    fireEvent.change(screen.getByLabelText('強度行動障害判定基準表の合計点'), { target: { value: '２０' } });
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    const [saved] = await session.list<Household>('household');
    expect(saved!.data.persons[0]).toMatchObject({ behaviorScore: 12, childBehaviorScore: 20 });
  });

  it('says what is wrong with 「１２a」 beside the field, keeps it on screen and saves nothing', async () => {
    const { user, session } = mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    await fillFirstPersonAndHome(user);
    const score = screen.getByLabelText('行動関連項目合計点数');
    await user.type(score, '１２a');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText(/入力内容に1件の問題があります/)).toBeInTheDocument();
    expect(score).toHaveValue('１２a');
    expect(score).toHaveAccessibleDescription(expect.stringContaining('行動関連項目の合計点は0〜24の整数です'));
    expect(await session.list('household')).toHaveLength(0);

    await user.clear(score);
    await user.type(score, '8');
    expect(score).not.toHaveAccessibleDescription(expect.stringContaining('整数です'));
  });
});

describe('removing a person who has records', () => {
  it('refuses to remove a person a case names (the claim and the yearly report read them), and removes one with none', async () => {
    const session = createFakeSession();
    const household = createHousehold({
      id: 'hh-1',
      persons: [
        createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '1000000001' }),
        createPerson({ id: 'p-2', name: '佐藤 紗希', recipientNumber: '1000000002' }),
        createPerson({ id: 'p-3', name: '佐藤 蓮', recipientNumber: '1000000003' }),
      ],
    });
    await session.put('household', household.id, household, 'create');
    const { user } = mountScreen({ hash: '#/households/hh-1/edit', households: [household], session });
    await screen.findAllByLabelText('氏名');
    // 紗希 was the subject of a night call
    const sakiCase = await appendEntries([], [openBody({ subject: { householdId: 'hh-1', personId: 'p-2', name: '佐藤 紗希', recipientNumber: '' } })], 'case-1');
    act(() => useApp.setState({ caseEntries: new Map([['case-1', sakiCase]]) }));

    const saki = screen.getAllByRole('group', { name: '本人 2：佐藤 紗希' })[0]!;
    await user.click(within(saki).getByRole('button', { name: 'この人を削除' }));
    const refused = screen.getByRole('dialog', { name: 'この方は削除できません' });
    expect(refused).toHaveTextContent('緊急対応の記録か体験利用の記録があります');
    expect(within(refused).queryByRole('button', { name: 'キャンセル' })).toBeNull();
    await user.click(within(refused).getByRole('button', { name: '閉じる' }));
    expect(screen.getAllByRole('group', { name: '本人 2：佐藤 紗希' }).length).toBeGreaterThan(0);

    const ren = screen.getAllByRole('group', { name: '本人 3：佐藤 蓮' })[0]!;
    await user.click(within(ren).getByRole('button', { name: 'この人を削除' }));
    await user.click(within(screen.getByRole('dialog', { name: 'この人を削除しますか' })).getByRole('button', { name: '削除する' }));
    expect(screen.queryAllByRole('group', { name: /^本人 3/ })).toHaveLength(0);

    // a case naming 蓮 arrives by sync before the save: the save refuses to remove him
    const renCase = await appendEntries([], [openBody({ subject: { householdId: 'hh-1', personId: 'p-3', name: '佐藤 蓮', recipientNumber: '' } })], 'case-2');
    act(() => useApp.setState({ caseEntries: new Map([...useApp.getState().caseEntries, ['case-2', renCase]]) }));
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText(/「佐藤 蓮」には緊急対応の記録か体験利用の記録があります/)).toBeInTheDocument();
    expect((await session.get<Household>('household', 'hh-1'))!.data.persons).toHaveLength(3);
  });

  it('offers the 支給決定市町村 already entered, each once, so that one municipality is one row in the 実績', async () => {
    const registered = [
      createHousehold({ id: 'hh-a', persons: [createPerson({ municipality: '千葉県松戸市' })] }),
      createHousehold({ id: 'hh-b', persons: [createPerson({ municipality: '松戸市' }), createPerson({ municipality: '市川市' })] }),
      createHousehold({ id: 'hh-c', persons: [createPerson({ municipality: '' })] }),
    ];
    mountScreen({ hash: '#/households/new', households: registered });
    const field = await screen.findByLabelText('支給決定市町村');
    const list = document.getElementById(field.getAttribute('list') ?? '');
    expect([...(list?.querySelectorAll('option') ?? [])].map((o) => o.value)).toEqual(['市川市', '松戸市']);
  });
});

