import { act, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { enterText } from '../../../test/factories/enter-text';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import { mountScreen, resetStore, setUnlocked } from './test-helpers';

afterEach(resetStore);

type User = ReturnType<typeof mountScreen>['user'];

async function fillValidHousehold(user: User) {
  // each label lookup walks the whole form; looked up together, before any input changes the page,
  // the later ones reuse the first one's walk
  const [name, furigana, birth, phone] = [screen.getAllByLabelText('氏名')[0]!, screen.getAllByLabelText('ふりがな')[0]!, screen.getAllByLabelText('生年月日')[0]!, screen.getByLabelText('電話番号')];
  await enterText(user, name, '佐藤 陽太');
  await enterText(user, furigana, 'さとう ようた');
  await enterText(user, birth, '2010-05-01');
  await enterText(user, phone, '047-123-4567');
  await user.click(screen.getByRole('button', { name: /緊急連絡先を追加/ }));
  const [contact, relation, phones] = [screen.getByLabelText('連絡先の氏名'), screen.getAllByLabelText('続柄')[0]!, screen.getByLabelText('電話番号（複数可）')];
  await enterText(user, contact, '佐藤 花子');
  await enterText(user, relation, '叔母');
  await enterText(user, phones, '090-1234-5678, 03-1111-2222');
}

describe('household form', () => {
  it('names each section of the 聞き取り票 as a heading, folded or not, for a screen reader to jump between', async () => {
    mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    const sections = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(sections).toEqual(expect.arrayContaining(['基本情報', '緊急連絡先・代理人', '同意書', '見直し・備考']));
    expect(sections).toHaveLength(10);
  });

  it('shows Japanese errors beside the fields and saves nothing while invalid', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    const name = await screen.findByLabelText('氏名');
    await enterText(user, screen.getByLabelText('受給者証番号'), '12345');
    await user.click(screen.getByRole('button', { name: '保存' }));

    const summary = await screen.findByText(/入力内容に2件の問題があります/);
    expect(summary).toBeInTheDocument();
    expect(name).toHaveAccessibleDescription(expect.stringContaining('氏名を入力してください'));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(name).toHaveFocus();
    expect(screen.getByLabelText('受給者証番号')).toHaveAccessibleDescription(expect.stringContaining('10桁'));
    expect(await session.list('household')).toHaveLength(0);
    expect(useApp.getState().households.size).toBe(0);

    // the message follows the input once fixed
    await enterText(user, name, '佐藤 陽太');
    expect(screen.getByText(/入力内容に1件の問題があります/)).toBeInTheDocument();
  });

  it('lists the problems in the order the fields stand on the page, the first being the one the focus went to', async () => {
    const { user } = mountScreen({ hash: '#/households/new', session: createFakeSession() });
    await screen.findByLabelText('氏名');
    // the home phone stands below the person's name and number, though the record holds it first
    await enterText(user, screen.getByLabelText('電話番号'), '12');
    await enterText(user, screen.getByLabelText('受給者証番号'), '12345');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByText(/入力内容に3件の問題があります/);
    const lines = within(document.querySelector<HTMLElement>('.hh-summary')!).getAllByRole('button').map((b) => b.textContent);
    expect(lines).toEqual([expect.stringContaining('氏名を入力してください'), expect.stringContaining('10桁'), expect.stringContaining('電話番号')]);
    expect(screen.getByLabelText('氏名')).toHaveFocus();
  });

  it("brings up the text keyboard for a contact's phones, whose hint asks for 「夜間」 beside a number", async () => {
    const { user } = mountScreen({ hash: '#/households/new', session: createFakeSession() });
    await user.click(await screen.findByRole('button', { name: /緊急連絡先を追加/ }));
    const phones = screen.getByLabelText('電話番号（複数可）');
    // a phone keypad has no key for 夜間 and no return key for a second number
    expect(phones).not.toHaveAttribute('inputmode', 'tel');
    expect(phones).toHaveAccessibleDescription(expect.stringContaining('「夜間」'));
  });

  it('leaves no choice of the record to the browser\'s saved form state: the form, its selects and checkboxes are autocomplete off', async () => {
    const { user } = mountScreen({ hash: '#/households/new', session: createFakeSession() });
    await user.click(await screen.findByRole('button', { name: /緊急連絡先を追加/ }));
    const form = document.querySelector('form')!;
    expect(form).toHaveAttribute('autocomplete', 'off');
    const choices = [...form.querySelectorAll('select, input[type=checkbox]')];
    expect(choices.length).toBeGreaterThan(5);
    expect(choices.filter((el) => el.getAttribute('autocomplete') !== 'off')).toEqual([]);
  });

  it('rejects a birth date after today (date rules beside the field)', async () => {
    const { user } = mountScreen({ hash: '#/households/new' });
    await enterText(user, await screen.findByLabelText('氏名'), '佐藤 陽太');
    await enterText(user, screen.getByLabelText('生年月日'), '2999-01-01');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText('生年月日')).toHaveAccessibleDescription(expect.stringContaining('今日より後'));
  });

  it('shows every error at the first 保存: the date rules beside the schema\'s, not in a second round', async () => {
    const { user } = mountScreen({ hash: '#/households/new' });
    await enterText(user, await screen.findByLabelText('生年月日'), '2999-01-01');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText('氏名')).toHaveAccessibleDescription(expect.stringContaining('氏名を入力してください'));
    expect(screen.getByLabelText('生年月日')).toHaveAccessibleDescription(expect.stringContaining('今日より後'));
  });

  it('refuses a birth year typed short, kanji in ふりがな, and one 受給者証番号 for two people', async () => {
    const { user, session } = mountScreen({ hash: '#/households/new' });
    await enterText(user, await screen.findByLabelText('氏名'), '伊藤 湊');
    await enterText(user, screen.getByLabelText('ふりがな'), '伊藤 湊');
    await enterText(user, screen.getByLabelText('生年月日'), '0215-04-01');
    await enterText(user, screen.getByLabelText('受給者証番号'), '1234567890');
    await user.click(screen.getByRole('button', { name: /本人を追加/ }));
    await enterText(user, screen.getAllByLabelText('氏名')[1]!, '伊藤 葵');
    await enterText(user, screen.getAllByLabelText('受給者証番号')[1]!, '1234567890');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getAllByLabelText('ふりがな')[0]).toHaveAccessibleDescription(expect.stringContaining('ひらがなかカタカナ'));
    expect(screen.getAllByLabelText('生年月日')[0]).toHaveAccessibleDescription(expect.stringContaining('1900年より前'));
    expect(screen.getAllByLabelText('受給者証番号')[1]).toHaveAccessibleDescription(expect.stringContaining('本人 1 と同じです'));
    expect(await session.list('household')).toHaveLength(0);

    await user.clear(screen.getAllByLabelText('ふりがな')[0]!);
    await enterText(user, screen.getAllByLabelText('ふりがな')[0]!, 'イトウ ミナト');
    expect(screen.getAllByLabelText('ふりがな')[0]).not.toHaveAccessibleDescription(expect.stringContaining('ひらがなかカタカナ'));
  });

  it('does not erase a recorded 同意書 by emptying its fields; it points to 登録廃止', async () => {
    const consent = { date: '2026-04-01', consentedBy: '佐藤 花子', scope: '短期入所事業所' };
    const saved = createHousehold({ id: 'hh-1', consent, persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
    const { user, session } = mountScreen({ hash: '#/households/hh-1/edit', households: [saved] });
    await user.clear(await screen.findByLabelText('同意日'));
    await user.clear(screen.getByLabelText('同意者'));
    await user.clear(screen.getByLabelText('共有の範囲'));
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(screen.getByLabelText('同意日')).toHaveAccessibleDescription(expect.stringContaining('記録した同意書は消せません'));
    expect(await session.outbox()).toHaveLength(0);
  });

  it('brings back a contact removed by a slip with 元に戻す, in its place', async () => {
    const { user } = mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    for (const name of ['佐藤 花子', '佐藤 一郎']) {
      await user.click(screen.getByRole('button', { name: /緊急連絡先を追加/ }));
      // ＋ takes the focus into the contact it added (drawn above it), not left on itself
      const added = screen.getAllByLabelText('連絡先の氏名').at(-1)!.closest('fieldset')!;
      await waitFor(() => expect(added).toContainElement(document.activeElement as HTMLElement));
      await enterText(user, screen.getAllByLabelText('連絡先の氏名').at(-1)!, name);
    }
    await user.click(screen.getByRole('button', { name: '連絡先 1を削除' }));
    expect(screen.getAllByLabelText('連絡先の氏名').map((e) => (e as HTMLInputElement).value)).toEqual(['佐藤 一郎']);
    expect(screen.getByText('連絡先 1を削除しました。')).toBeInTheDocument();
    // the focus goes to 元に戻す, not to the next contact's 削除 (drawn where the removed one was)
    await waitFor(() => expect(screen.getByRole('button', { name: '元に戻す' })).toHaveFocus());
    await user.keyboard('{Enter}');
    expect(screen.getAllByLabelText('連絡先の氏名').map((e) => (e as HTMLInputElement).value)).toEqual(['佐藤 花子', '佐藤 一郎']);
    expect(screen.queryByRole('button', { name: '元に戻す' })).not.toBeInTheDocument();
    // and into the contact put back
    await waitFor(() => expect(screen.getAllByLabelText('連絡先の氏名')[0]).toHaveFocus());
  });

  it('moves a contact up the calling order with the focus on it, and says where it went', async () => {
    const { user } = mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    for (const name of ['佐藤 花子', '佐藤 一郎', '鈴木 次郎']) {
      await user.click(screen.getByRole('button', { name: /緊急連絡先を追加/ }));
      await enterText(user, screen.getAllByLabelText('連絡先の氏名').at(-1)!, name);
    }
    await user.click(screen.getByRole('button', { name: '連絡先 3を上へ' }));
    expect(screen.getAllByLabelText('連絡先の氏名').map((e) => (e as HTMLInputElement).value)).toEqual(['佐藤 花子', '鈴木 次郎', '佐藤 一郎']);
    expect(await screen.findByText('連絡先 2に移しました')).toHaveAttribute('role', 'status');
    await waitFor(() => expect(screen.getByRole('button', { name: '連絡先 2を上へ' })).toHaveFocus());
    // once more: to the top, where 上へ is off, the focus on its 下へ
    await user.keyboard('{Enter}');
    expect(screen.getAllByLabelText('連絡先の氏名').map((e) => (e as HTMLInputElement).value)).toEqual(['鈴木 次郎', '佐藤 花子', '佐藤 一郎']);
    await waitFor(() => expect(screen.getByRole('button', { name: '連絡先 1を下へ' })).toHaveFocus());
  });

  it('keeps a section opened during the interview open when the form comes back (after a lock, say)', async () => {
    const first = mountScreen({ hash: '#/households/new' });
    await screen.findByLabelText('氏名');
    const services = () => screen.getByText('福祉サービス利用状況').closest('details')!;
    expect(services()).not.toHaveAttribute('open');
    await first.user.click(screen.getByText('福祉サービス利用状況'));
    await waitFor(() => expect(services()).toHaveAttribute('open'));
    first.unmount();
    mountScreen({ hash: '#/households/new' });
    await screen.findAllByLabelText('氏名');
    expect(services()).toHaveAttribute('open');
  });

  it('saves a valid household and shows the detail with emergency contacts first and tap-to-call links', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    await fillValidHousehold(user);
    await user.click(screen.getByRole('button', { name: '保存' }));

    await screen.findByRole('button', { name: '編集' });
    const [saved] = await session.list<{ emergencyContacts: { phones: string[] }[] }>('household');
    expect(saved?.data.emergencyContacts[0]?.phones).toEqual(['090-1234-5678', '03-1111-2222']);
    expect((await session.outbox())[0]?.op).toBe('create');
    expect(window.location.hash).toBe(`#/households/${saved!.id}`);

    const call = screen.getByRole('link', { name: '電話 叔母 090-1234-5678' });
    expect(call).toHaveAttribute('href', 'tel:09012345678');
    expect(screen.getByRole('link', { name: '電話 叔母 03-1111-2222' })).toHaveAttribute('href', 'tel:0311112222');
    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    // the person's essentials first (name, age, 医ケア, 服薬…), then the full record from 緊急連絡先
    expect(headings[0]).toMatch(/^佐藤 陽太/);
    expect(headings[1]).toBe('緊急連絡先');
    expect(screen.getByText('仮登録（同意書なし）')).toBeInTheDocument();
  });

  it("saves a contact's reading, refuses one typed in kanji beside the field, and shows it by the contact's name", async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    await fillValidHousehold(user);
    const reading = screen.getByLabelText('連絡先のふりがな');
    expect(reading).toHaveAccessibleDescription(expect.stringContaining('「たなか」'));
    await enterText(user, reading, '佐藤');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await waitFor(() => expect(reading).toHaveAccessibleDescription(expect.stringContaining('ひらがなかカタカナで入力してください')));
    expect(reading).toHaveFocus();
    expect(screen.getByRole('button', { name: /^連絡先 1：ふりがなは/ })).toBeInTheDocument();
    expect(await session.list('household')).toHaveLength(0);

    await user.clear(reading);
    await enterText(user, reading, 'さとう はなこ');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    const [saved] = await session.list<{ emergencyContacts: { furigana?: string }[] }>('household');
    expect(saved?.data.emergencyContacts[0]?.furigana).toBe('さとう はなこ');
    expect(within(screen.getByRole('region', { name: '緊急連絡先' })).getByText('さとう はなこ')).toBeInTheDocument();
  });

  it('goes on to the next field on Return in 住所, and saves nothing until 保存', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    await fillValidHousehold(user);
    await enterText(user, screen.getByLabelText('住所'), '千葉県松戸市1-2-3');
    await user.keyboard('{Enter}');
    expect(screen.getByLabelText('電話番号')).toHaveFocus();
    await user.type(screen.getAllByLabelText('ふりがな')[0]!, '{Enter}');
    expect(screen.getAllByLabelText('生年月日')[0]).toHaveFocus();
    expect(window.location.hash).toBe('#/households/new');
    expect(screen.queryByText(/入力内容に\d+件の問題があります/)).not.toBeInTheDocument();
    expect(await session.list('household')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    const [saved] = await session.list<{ address: string }>('household');
    expect(saved?.data.address).toBe('千葉県松戸市1-2-3');
  });

  it('keeps the input and offers 再試行 when storage is full', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ hash: '#/households/new', session });
    await screen.findByLabelText('氏名');
    await fillValidHousehold(user);
    session.failNext('quota-exceeded');
    await user.click(screen.getByRole('button', { name: '保存' }));

    const alert = await screen.findByText(/端末の保存容量が足りません/);
    expect(alert).toBeInTheDocument();
    expect(screen.getAllByLabelText('氏名')[0]).toHaveValue('佐藤 陽太');
    expect(await session.list('household')).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: '再試行' }));
    await screen.findByRole('button', { name: '編集' });
    expect(await session.list('household')).toHaveLength(1);
  });

  it('asks before throwing away unsaved input on キャンセル', async () => {
    const { user } = mountScreen({ hash: '#/households/new' });
    await enterText(user, await screen.findByLabelText('氏名'), '佐藤');
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('入力内容を破棄しますか');
    await user.click(within(dialog).getByRole('button', { name: '破棄する' }));
    await waitFor(() => expect(window.location.hash).toBe('#/'));
  });
});

describe('household form: 閲覧記録 (editing shows the whole record)', () => {
  const existing = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });
  const opened = async (session: FakeSession) =>
    (await session.accessLog()).filter((e) => e.action === 'open-household').map((e) => e.householdId);

  it('opening an existing household to edit writes one open-household entry; a new household writes none', async () => {
    const session = createFakeSession();
    const { user, unmount } = mountScreen({ hash: '#/households/hh-1/edit', households: [existing], session });
    const name = await screen.findByLabelText('氏名');
    expect(name).toHaveValue('佐藤 陽太');
    await enterText(user, name, '（編集中）');
    await waitFor(async () => expect(await opened(session)).toEqual(['hh-1']));

    unmount();
    const fresh = createFakeSession();
    resetStore();
    mountScreen({ hash: '#/households/new', households: [existing], session: fresh });
    await screen.findAllByLabelText('氏名');
    expect(await opened(fresh)).toEqual([]);
  });

  it('after an idle lock and an unlock back into the same edit form, the new session logs a new opening', async () => {
    const before = createFakeSession();
    mountScreen({ hash: '#/households/hh-1/edit', households: [existing], session: before });
    await screen.findByLabelText('氏名');
    await waitFor(async () => expect(await opened(before)).toEqual(['hh-1']));

    await act(() => useApp.getState().lock('idle'));
    const after = createFakeSession();
    act(() => setUnlocked(after, [existing]));
    await waitFor(async () => expect(await opened(after)).toEqual(['hh-1']));
    expect(await opened(before)).toEqual(['hh-1']);
  });
});

describe('household form: the same person in another household', () => {
  it('asks before saving a person another household already has (same 受給者証番号, or name and 生年月日), and saves when told they differ', async () => {
    const session = createFakeSession();
    const other = createHousehold({ id: 'hh-other', persons: [createPerson({ id: 'p-o', name: '佐藤　陽太', birthDate: '2010-05-01', recipientNumber: '1234567890' })] });
    await session.put('household', other.id, other, 'create');
    const { user } = mountScreen({ hash: '#/households/new', households: [other], session });
    await screen.findByLabelText('氏名');
    await fillValidHousehold(user);
    await user.click(screen.getByRole('button', { name: '保存' }));
    let ask = await screen.findByRole('dialog', { name: '同じ方が別の世帯に登録されていませんか' });
    expect(ask).toHaveTextContent('佐藤 陽太：別の世帯の「佐藤 陽太」と氏名と生年月日が同じです。');
    expect(within(ask).getByRole('link', { name: 'その世帯を開く（入力は下書きに残ります）' })).toHaveAttribute('href', '#/households/hh-other');
    await user.click(within(ask).getByRole('button', { name: '戻る' }));
    expect(await session.list('household')).toHaveLength(1);

    await enterText(user, screen.getByLabelText('受給者証番号'), '1234567890');
    await user.click(screen.getByRole('button', { name: '保存' }));
    ask = await screen.findByRole('dialog', { name: '同じ方が別の世帯に登録されていませんか' });
    expect(ask).toHaveTextContent('と受給者証番号が同じです');
    await user.click(within(ask).getByRole('button', { name: '別の方なので保存する' }));
    await screen.findByRole('button', { name: '編集' });
    expect(await session.list('household')).toHaveLength(2);

    // an edit of the household saved so asks no more
    await user.click(screen.getByRole('button', { name: '編集' }));
    await enterText(user, await screen.findByLabelText('服薬'), 'なし');
    await user.click(screen.getByRole('button', { name: '保存' }));
    await screen.findByRole('button', { name: '編集' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
