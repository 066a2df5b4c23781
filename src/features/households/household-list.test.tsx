import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createFakeSession } from '../../../test/factories/fake-session';
import { lastCaseOffice } from '../../state/case-office';
import { useApp } from '../../state/store';
import { takeCarriedName } from '../../state/carried-name';
import { addMonthsToDate, japanDateOf } from '../../domain/japan-time';
import { buildHouseholdIndex } from '../../domain/search';
import { mountScreen, resetStore } from './test-helpers';

afterEach(resetStore);

const sato = createHousehold({
  id: 'hh-sato',
  phone: '',
  persons: [createPerson({ id: 'p-sato', name: '佐藤 陽太', furigana: 'さとう ようた', birthDate: addMonthsToDate(japanDateOf(new Date()), -(16 * 12 + 1)) })],
  emergencyContacts: [{ name: '佐藤 花子', relation: '叔母', phones: ['090-1234-5678'], note: '' }],
  consent: { date: '2025-04-01', consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' },
  lastReviewedOn: '2025-04-01',
});
const suzuki = createHousehold({
  id: 'hh-suzuki',
  phone: '',
  persons: [createPerson({ id: 'p-suzuki', name: '鈴木 一郎', furigana: 'すずき いちろう', birthDate: '1990-01-01' })],
  emergencyContacts: [{ name: '鈴木 二郎', relation: '兄', phones: ['03-5555-6666'], note: '' }],
  consent: null,
  lastReviewedOn: null,
});

describe('household list and search', () => {
  it('finds by katakana when the furigana was entered in hiragana', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    const search = screen.getByRole('searchbox', { name: '検索' });
    expect(search).toHaveFocus();
    expect(screen.getAllByRole('listitem')).toHaveLength(2);

    await user.type(search, 'サトウ');
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('佐藤 陽太');
    expect(screen.getByText('1件')).toBeInTheDocument();
  });

  it('finds by a phone typed with hyphens and shows which number matched', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    await user.type(screen.getByRole('searchbox', { name: '検索' }), '090-1234-5678');
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('佐藤 陽太');
    expect(items[0]).toHaveTextContent('電話 叔母 090-1234-5678');
    expect(within(items[0]!).getByRole('link')).toHaveAttribute('href', '#/households/hh-sato');
  });

  it('when nobody matches, offers to start the case for a caller who is not registered', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    await user.type(screen.getByRole('searchbox', { name: '検索' }), 'たかはし');
    expect(screen.getByText(/該当する世帯はありません/)).toBeInTheDocument();
    // what was searched for goes on into the case, as the name heard: in memory, not in the address
    // (the browser's history and the place kept in sessionStorage hold it in clear)
    const start = screen.getByRole('link', { name: '本人未特定で開始' });
    expect(start).toHaveAttribute('href', '#/cases/new');
    start.addEventListener('click', (e) => e.preventDefault());
    await user.click(start);
    expect(takeCarriedName()).toBe('たかはし');
  });

  it('offers 本人未特定で開始 after the rows too, when the search found only a namesake or a relative', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    const search = screen.getByRole('searchbox', { name: '検索' });
    // the aunt's name finds the household: the caller may still be someone else's relative
    await user.type(search, '佐藤 花子');
    const list = screen.getByRole('list', { name: '事前登録世帯' });
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    const start = screen.getByRole('link', { name: '本人未特定で開始' });
    expect(start).toHaveAttribute('href', '#/cases/new');
    // after the rows, not above them: the night's list is not pushed down
    expect(list.compareDocumentPosition(start) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    start.addEventListener('click', (e) => e.preventDefault());
    await user.click(start);
    expect(takeCarriedName()).toBe('佐藤 花子');
    // a phone number is no name: the case starts with the name empty
    await user.clear(search);
    await user.type(search, '090-1234-5678');
    expect(within(list).getAllByRole('listitem')).toHaveLength(1);
    const byPhone = screen.getByRole('link', { name: '本人未特定で開始' });
    byPhone.addEventListener('click', (e) => e.preventDefault());
    await user.click(byPhone);
    expect(takeCarriedName()).toBe('');
    // not on the plain list, before anything is searched
    await user.clear(search);
    expect(screen.queryByRole('link', { name: '本人未特定で開始' })).not.toBeInTheDocument();
  });

  it("says a household was found by its 相談支援専門員's name", async () => {
    const served = createHousehold({ ...suzuki, id: 'hh-served', caseWorker: '江口 真理', persons: [createPerson({ id: 'p-served', name: '伊藤 蓮', furigana: 'いとう れん', birthDate: '2000-01-01' })] });
    const { user } = mountScreen({ households: [sato, served] });
    await user.type(screen.getByRole('searchbox', { name: '検索' }), '江口');
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('担当 江口 真理');
  });

  it('just after unlock, lists in the snapshot’s order and answers a query as soon as the index is built', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    const built = useApp.getState().index;
    act(() => useApp.setState({ index: buildHouseholdIndex([]), pendingOrder: ['hh-suzuki', 'hh-sato'] }));
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('鈴木 一郎'), expect.stringContaining('佐藤 陽太')]);
    await user.type(screen.getByRole('searchbox', { name: '検索' }), 'サトウ');
    expect(screen.getByText('検索の準備をしています…')).toBeInTheDocument();
    expect(screen.queryByText(/該当する世帯はありません/)).toBeNull();
    act(() => useApp.setState({ index: built, pendingOrder: null }));
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('佐藤 陽太');
  });

  it('shows age with 者/児, the status and the review badge in each row', () => {
    const today = japanDateOf(new Date());
    const consent = (date: string) => ({ date, consentedBy: '本人', scope: '拠点の短期入所事業所' });
    // Registered today, never reviewed: counts from the 同意日, so not due for a year.
    const newlyRegistered = { ...sato, consent: consent(today), lastReviewedOn: null };
    // Never reviewed, consented 13 months ago: due.
    const tanaka = createHousehold({
      id: 'hh-tanaka',
      persons: [createPerson({ id: 'p-tanaka', name: '田中 花', furigana: 'たなか はな', birthDate: '1985-01-01' })],
      consent: consent(addMonthsToDate(today, -13)),
      lastReviewedOn: null,
    });
    mountScreen({ households: [newlyRegistered, suzuki, tanaka] });
    const [first, second, third] = screen.getAllByRole('listitem');
    // sorted by furigana: さとう, すずき, たなか
    expect(first).toHaveTextContent(/佐藤 陽太（\d+歳（児）/);
    expect(first).toHaveTextContent('登録済');
    expect(first).not.toHaveTextContent('見直し時期');
    expect(second).toHaveTextContent(/鈴木 一郎（\d+歳（者）/);
    expect(second).toHaveTextContent('仮登録（同意書なし）');
    // a draft never reviewed has no date to count from: 仮登録 says what it lacks
    expect(second).not.toHaveTextContent('見直し時期');
    expect(third).toHaveTextContent('田中 花');
    expect(third).toHaveTextContent('見直し時期');
  });

  it("finds the household of a caller typed by their reading, and names the contact it matched", async () => {
    const ito = createHousehold({
      id: 'hh-ito',
      phone: '',
      persons: [createPerson({ id: 'p-ito', name: '伊藤 蓮', furigana: 'いとう れん', birthDate: '1990-01-01' })],
      emergencyContacts: [{ name: '田中 由美子', furigana: 'たなか ゆみこ', relation: '叔母', phones: ['080-0987-6543'], note: '' }],
    });
    const { user } = mountScreen({ households: [sato, suzuki, ito] });
    await user.type(screen.getByRole('searchbox', { name: '検索' }), 'タナカ');
    const items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('伊藤 蓮');
    expect(items[0]).toHaveTextContent('連絡先 田中 由美子（叔母）');
  });

  it('finds a name typed in romaji or as heard, and says when only a reading near it matched', async () => {
    const yuko = createHousehold({
      id: 'hh-yuko',
      phone: '',
      persons: [createPerson({ id: 'p-yuko', name: '佐藤 祐子', furigana: 'さとう ゆうこ', birthDate: '1990-01-01' })],
      emergencyContacts: [{ name: '田中 由美子', furigana: 'たなか ゆみこ', relation: '叔母', phones: ['080-0987-6543'], note: '' }],
    });
    const { user } = mountScreen({ households: [sato, suzuki, yuko] });
    const search = screen.getByRole('searchbox', { name: '検索' });

    await user.type(search, 'ユーコ');
    let items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('佐藤 祐子');
    expect(items[0]).toHaveTextContent('読みが近い');

    await user.clear(search);
    await user.type(search, 'Sato Yuko');
    items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('佐藤 祐子');
    expect(items[0]).not.toHaveTextContent('読みが近い');

    // the contact's reading, typed in romaji, is named as the contact
    await user.clear(search);
    await user.type(search, 'tanaka');
    items = screen.getAllByRole('listitem');
    expect(items).toHaveLength(1);
    expect(items[0]).toHaveTextContent('連絡先 田中 由美子（叔母）');
  });

  it('keeps the households found while a romaji IME is still turning letters into kana', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    // 「さとう」 typed in romaji passes through 「さt」 and 「さとu」 on a phone's screen
    const search = screen.getByRole('searchbox', { name: '検索' });
    fireEvent.compositionStart(search);
    await user.type(search, 'さとu');
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
    expect(screen.getByRole('listitem')).toHaveTextContent('佐藤 陽太');
    expect(screen.queryByText(/該当する世帯はありません/)).toBeNull();
    // composed to the end, the query is searched as it stands: 「さとu」 is no one
    fireEvent.compositionEnd(search);
    expect(await screen.findByText(/該当する世帯はありません/)).toBeInTheDocument();
  });

  it("puts the keyboard away at the keyboard's 検索 key, but not at the IME's confirming Return", async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    const search = screen.getByRole('searchbox', { name: '検索' });
    await user.type(search, 'さとう');
    fireEvent.keyDown(search, { key: 'Enter', keyCode: 229, isComposing: true });
    expect(search).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(search).not.toHaveFocus();
    expect(screen.getByRole('listitem')).toHaveTextContent('佐藤 陽太');
  });

  it('tells two people of one name apart by their 生年月日, and shows no date on a name the list holds once', async () => {
    const yota = (id: string, name: string, birthDate: string) =>
      createHousehold({ id, phone: '', persons: [createPerson({ id: `${id}-p`, name, furigana: 'さとう ようた', birthDate })] });
    const spring = yota('hh-spring', '佐藤 陽太', '1991-04-02');
    // typed with a full-width space: one name all the same
    const autumn = yota('hh-autumn', '佐藤　陽太', '1991-09-15');
    const { user } = mountScreen({ households: [spring, autumn, suzuki] });
    const row = (id: string) => screen.getAllByRole('listitem').find((li) => within(li).getByRole('link').getAttribute('href') === `#/households/${id}`);
    expect(row('hh-spring')).toHaveTextContent('1991年4月2日生');
    expect(row('hh-autumn')).toHaveTextContent('1991年9月15日生');
    expect(row('hh-suzuki')).not.toHaveTextContent(/\d+年\d+月\d+日生/);

    await user.type(screen.getByRole('searchbox', { name: '検索' }), 'ようた');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
    expect(row('hh-spring')).toHaveTextContent('1991年4月2日生');
    expect(row('hh-autumn')).toHaveTextContent('1991年9月15日生');
  });

  it('names whose 生年月日 it is on a row of several people', () => {
    const twoPeople = createHousehold({
      id: 'hh-two',
      phone: '',
      persons: [
        createPerson({ id: 'p-two-1', name: '鈴木 一郎', furigana: 'すずき いちろう', birthDate: '1960-05-05' }),
        createPerson({ id: 'p-two-2', name: '鈴木 花', furigana: 'すずき はな', birthDate: '1995-03-03' }),
      ],
    });
    mountScreen({ households: [twoPeople, suzuki] });
    const row = screen.getAllByRole('listitem').find((li) => li.textContent?.includes('鈴木 花'))!;
    expect(row).toHaveTextContent('鈴木 一郎 1960年5月5日生');
    expect(row).not.toHaveTextContent('1995年3月3日生');
  });

  it('finds a phone number pasted with a word, and shows which number matched', async () => {
    const { user } = mountScreen({ households: [sato, suzuki] });
    const search = screen.getByRole('searchbox', { name: '検索' });
    for (const pasted of ['TEL 090-1234-5678', '090-1234-5678（携帯）', '090-1234-5678 22時以降']) {
      await user.clear(search);
      await user.click(search);
      await user.paste(pasted);
      const items = screen.getAllByRole('listitem');
      expect(items, pasted).toHaveLength(1);
      expect(items[0]).toHaveTextContent('佐藤 陽太');
      expect(items[0]).toHaveTextContent('電話 叔母 090-1234-5678');
    }
  });

  it('says so when nothing matches', async () => {
    const { user } = mountScreen({ households: [sato] });
    await user.type(screen.getByRole('searchbox', { name: '検索' }), 'たなか');
    expect(screen.getByText('0件')).toBeInTheDocument();
    expect(screen.queryAllByRole('listitem')).toHaveLength(0);
  });

  it('on a fresh device explains and loads the demo hub, then offers to clear it with the count', async () => {
    const session = createFakeSession();
    const { user } = mountScreen({ session });
    expect(screen.getByRole('button', { name: '世帯を登録' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'デモデータを読み込む' }));
    await waitFor(() => expect(screen.getAllByRole('listitem').length).toBeGreaterThan(10));
    // the households are in while the night calls are still being written: the panel under the list
    // takes over, its 消去 held until the load ends, which it then says
    const clear = screen.getByRole('button', { name: 'デモデータを消去' });
    expect(clear).toBeDisabled();
    expect(screen.getByText('デモデータを作成しています…')).toBeInTheDocument();
    await waitFor(() => expect(clear).toBeEnabled(), { timeout: 10_000 });
    expect(screen.getByText(/デモデータ（\d+世帯）を読み込みました/)).toBeInTheDocument();
    const demoCount = useApp.getState().demoIds.size;
    expect(demoCount).toBeGreaterThanOrEqual(30);
    expect(screen.getAllByText('デモ').length).toBeGreaterThan(0);
    // the demo's night calls, the unnamed caller's among them, are demo evidence: none is queued for a hub
    const unnamed = () => [...useApp.getState().caseEntries.values()].find((entries) => entries[0]?.body.type === 'open' && entries[0].body.subject.householdId === null);
    await waitFor(() => expect(unnamed()?.length).toBeGreaterThan(1), { timeout: 10_000 });
    expect(await session.pendingChanges()).toBe(0);
    // The demo's office is not remembered as this person's last: tonight's real call would start under it.
    expect(lastCaseOffice(session.user.id)).toBeNull();

    await user.click(screen.getByRole('button', { name: 'デモデータを消去' }));
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(`${demoCount}世帯`);
    await user.click(within(dialog).getByRole('button', { name: '消去する' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'デモデータを読み込む' })).toBeInTheDocument());
    expect(useApp.getState().households.size).toBe(0);
    expect(screen.getByText(/デモデータ\d+件を消去しました/)).toBeInTheDocument();
    // what the clear said goes with the screen: the next person to unlock does not meet it
    cleanup();
    mountScreen({ session });
    expect(screen.queryByText(/デモデータ\d+件を消去しました/)).toBeNull();
  });
});
