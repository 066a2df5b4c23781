import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createFacility } from '../../../test/factories/facility';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import type { CaseEntry, Office } from '../../domain/emergency-case';
import { T } from './text';
import { CasesScreen } from './cases-screen';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createTestHubKey } from '../../../test/factories/receipts';
import { COUNTERSIGN_LABELS } from '../../domain/countersign-status';
import { countersignState, entryCountersigns, resetCountersignState } from '../../sync/countersign';
import { summarizeHousehold } from '../../domain/household-summary';
import { buildHouseholdIndex } from '../../domain/search';
import { addMonthsToDate, japanDateOf, japanMonthOf } from '../../domain/japan-time';
import { go } from '../../../test/factories/route';

const initial = useApp.getState();
let session: FakeSession;

const office: Office = {
  id: 'office-1',
  name: 'あおぞら相談支援センター',
  officeNumber: '1210000001',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }], oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};

const household = createHousehold({
  id: 'hh-1',
  // 16 (児) whatever day the test runs on
  persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890', birthDate: addMonthsToDate(japanDateOf(new Date()), -(16 * 12 + 1)) })],
});

beforeEach(() => {
  session = createFakeSession();
  useApp.setState({
    session,
    phase: 'unlocked',
    households: new Map([[household.id, household]]),
    facilities: new Map([
      ['fac-1', createFacility({ id: 'fac-1', name: 'あおぞら短期入所' })],
      ['fac-2', createFacility({ id: 'fac-2', name: 'みどり園', officeNumber: '1210100002' })],
    ]),
    offices: new Map([[office.id, office]]),
  });
});

afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

/**
 * After 記録を開始 for a registered person the app goes on to the match (where the calls are made),
 * with the case under it in the history; this screen alone renders no match, so come back to the case.
 */
async function backFromMatch(): Promise<void> {
  await waitFor(() => expect(window.location.hash).toMatch(/^#\/match\/hh-1\/p-1\?case=[0-9a-f-]+$/));
  const caseId = decodeURIComponent(window.location.hash.split('case=')[1]!);
  await go(`#/cases/${caseId}`);
}

/** 記録を開始 for the registered person (本人の状態悪化), and back from the match to the case. */
async function startCase(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await go('#/cases/new/hh-1/p-1');
  render(<CasesScreen />);
  await user.click(await screen.findByRole('radio', { name: '本人の状態悪化' }));
  await user.click(screen.getByRole('button', { name: '記録を開始' }));
  await backFromMatch();
}

/** A case started (startCase), and 連絡を記録（手入力） opened. */
async function openManualContact(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await startCase(user);
  await user.click(await screen.findByRole('button', { name: '連絡を記録（手入力）' }));
}

/** A case about a caller not registered (no household): its opening is logged by case. */
function openUnknownCallerCase() {
  return useApp.getState().appendCaseEntry(null, {
    type: 'open',
    officeId: 'office-1',
    subject: { householdId: null, personId: null, name: '名乗らない男性', recipientNumber: '' },
    requestedAt: new Date().toISOString(),
    requestedAtReason: '',
    category: 'その他',
    detail: '兄が倒れた',
    caller: '',
    callerPhone: '',
  });
}

async function storedEntries(): Promise<CaseEntry[]> {
  return (await session.list<CaseEntry>('case-entry')).map((r) => r.data).sort((a, b) => a.index - b.index);
}

describe('緊急対応: from the tap to the closed case', () => {
  it('stamps the request, records a manual contact, asks for a result, and closes only with an outcome', async () => {
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);

    expect(await screen.findByText(/要請時刻 .*（開始を押した時刻）/)).toBeInTheDocument();
    // the message is brought into view: the button is pinned at the bottom, the message under the last field
    const scrolled: Element[] = [];
    const scrollIntoView = vi.fn(function (this: Element) {
      scrolled.push(this);
    });
    Object.defineProperty(Element.prototype, 'scrollIntoView', { value: scrollIntoView, configurable: true });
    try {
      await user.click(screen.getByRole('button', { name: '記録を開始' }));
      expect(await screen.findByText('要請の内容の区分を選んでください。')).toBeInTheDocument();
      expect(scrolled.some((el) => el.contains(screen.getByText('要請の内容の区分を選んでください。')))).toBe(true);
      // said beside the choices, not under the last field, and the first choice takes the focus
      const choices = screen.getByRole('group', { name: /要請の内容（区分）/ });
      expect(within(choices).getByText('要請の内容の区分を選んでください。')).toBeInTheDocument();
      expect(choices).toHaveAccessibleDescription('要請の内容の区分を選んでください。');
      expect(within(choices).getAllByRole('radio')[0]).toHaveFocus();
      // a second tap with the same answer missing brings the same message into view again
      const before = scrolled.length;
      await user.click(screen.getByRole('button', { name: '記録を開始' }));
      await waitFor(() => expect(scrolled.length).toBeGreaterThan(before));
    } finally {
      delete (Element.prototype as { scrollIntoView?: unknown }).scrollIntoView;
    }
    expect(await storedEntries()).toEqual([]);

    await user.click(screen.getByRole('radio', { name: '介護者の急病・けが' }));
    await user.type(screen.getByLabelText('要請の内容（詳細）'), '母が救急搬送');
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await backFromMatch();

    expect(await screen.findByText('佐藤 陽太（16歳・児）', { exact: false })).toBeInTheDocument();
    expect(window.location.hash).toMatch(/^#\/cases\/[0-9a-f-]+$/);
    expect(await screen.findByText(/改ざんなし（1件の記録を確認）/)).toBeInTheDocument();
    // the essentials are cut short on the case screen: the whole 聞き取り票 is a tap away
    expect(screen.getByRole('link', { name: /聞き取り票の全文/ })).toHaveAttribute('href', '#/households/hh-1');
    const entries = await storedEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.body).toMatchObject({ type: 'open', category: '介護者の急病・けが', detail: '母が救急搬送', officeId: 'office-1' });
    expect(entries[0]!.body).toMatchObject({ subject: { personId: 'p-1', recipientNumber: '1234567890' } });

    // A contact typed in by hand, with 折り返し待ち. The call back is a new contact at its own
    // time, whose result is then asked for: the 折り返し待ち stays as it was, so the facility is
    // reached (and the claim's month read) when it called back, not at the first call.
    await user.click(screen.getByRole('button', { name: '連絡を記録（手入力）' }));
    // the form takes the button's place, and the focus: its first field
    await waitFor(() => expect(screen.getByLabelText('連絡先の事業所')).toHaveFocus());
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-2');
    await user.selectOptions(screen.getByLabelText('結果'), '折り返し待ち');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    const card = await screen.findByRole('article', { name: 'みどり園' });
    // saved, the form gives the place (and the focus) back to its button
    await waitFor(() => expect(screen.getByRole('button', { name: '連絡を記録（手入力）' })).toHaveFocus());
    expect(within(card).getByText('結果: 折り返し待ち')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: '受入可' })).not.toBeInTheDocument();
    const beforeCallback = Date.now();
    await user.click(within(card).getByRole('button', { name: '折り返しがあった' }));
    await waitFor(() => expect(screen.getAllByRole('article', { name: 'みどり園' })).toHaveLength(2));
    // answered: a second tap (a thumb at 2 a.m.) finds no button to add another empty call-back
    expect(within(card).queryByRole('button', { name: '折り返しがあった' })).not.toBeInTheDocument();
    const callback = screen.getAllByRole('article', { name: 'みどり園' }).find((a) => within(a).queryByText('結果: 結果未記録'))!;
    expect(within(callback).getByText('事業所からの折り返し')).toBeInTheDocument();
    // the button pressed is gone: the focus goes to the new call (a screen reader reads its time, then its results)
    await waitFor(() => expect(callback).toContainElement(document.activeElement as HTMLElement));
    expect(await screen.findByText('みどり園：折り返しを記録しました。結果を選んでください')).toHaveAttribute('role', 'status');
    await user.click(within(callback).getByRole('button', { name: '受入可' }));
    expect(await within(callback).findByText('結果: 受入可')).toBeInTheDocument();
    // and after the result, to the line that says it (the buttons are gone too)
    await waitFor(() => expect(document.activeElement).toHaveTextContent('結果: 受入可'));
    expect(within(card).getByText('結果: 折り返し待ち')).toBeInTheDocument();
    const contacts = (await storedEntries()).flatMap((e) => (e.body.type === 'contact' ? [e.body] : []));
    expect(contacts.map((c) => c.result)).toEqual(['折り返し待ち', null]);
    expect(Date.parse(contacts[1]!.contactedAt)).toBeGreaterThanOrEqual(beforeCallback);
    expect(Date.parse(contacts[1]!.contactedAt)).toBeGreaterThan(Date.parse(contacts[0]!.contactedAt));

    // Closing needs an outcome: the button appears only after one is recorded.
    expect(screen.queryByRole('button', { name: '対応を終了' })).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '対応結果を記録' }));
    await user.click(screen.getByRole('button', { name: '記録する' }));
    expect(await screen.findByText(/^短期入所\s+みどり園/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '対応を終了' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: '対応を終了' }));
    expect(await screen.findByText(/^終了 /)).toBeInTheDocument();
    // 「対応を終了」 is gone: the case's status line takes the focus, and a screen reader is told
    await waitFor(() => expect(document.activeElement).toHaveTextContent(/^終了 /));
    expect(await screen.findByText('対応を終了しました')).toHaveAttribute('role', 'status');
    expect(screen.getByText(/保存期限: \d{4}年\d+月\d+日まで/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '連絡を記録（手入力）' })).not.toBeInTheDocument();

    const types = (await storedEntries()).map((e) => e.body.type);
    expect(types).toEqual(['open', 'contact', 'contact', 'result', 'outcome', 'close']);
    // every entry went to the change log as an append
    expect((await session.outbox()).filter((e) => e.kind === 'case-entry').map((e) => e.op)).toEqual(Array(6).fill('append'));
  });

  it('corrects a contact with a reason and shows the original result beside the corrected one (issue 14 point 4)', async () => {
    const user = userEvent.setup();
    await openManualContact(user);
    await user.selectOptions(screen.getByLabelText('連絡先の事業所'), 'fac-1');
    // the result is chosen, never assumed: saved untouched, a 不在 went in as 受入可
    expect(screen.getByLabelText('結果')).toHaveValue('');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    expect(await screen.findByText('結果を選んでください（つながらなかったときは「不在」）。')).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('結果'), '受入可');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    const card = await screen.findByRole('article', { name: 'あおぞら短期入所' });

    await user.click(within(card).getByRole('button', { name: '訂正' }));
    const dialog = await screen.findByRole('dialog');
    await user.selectOptions(within(dialog).getByLabelText('結果'), '受入不可');
    await user.click(within(dialog).getByRole('button', { name: '訂正を記録' }));
    expect(await within(dialog).findByText('訂正の理由を入力してください。')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/訂正の理由/), '結果の選択を誤った');
    await user.click(within(dialog).getByRole('button', { name: '訂正を記録' }));

    const corrected = await screen.findByRole('article', { name: 'あおぞら短期入所' });
    expect(within(corrected).getByText('結果: 受入不可')).toBeInTheDocument();
    expect(within(corrected).getByText(/が訂正: 結果の選択を誤った/)).toBeInTheDocument();
    // 「元の記録は消えずに残り…表示されます」: the original value is on the card, not only in the chain
    expect(within(corrected).getByText('結果: 訂正前 受入可 → 訂正後 受入不可')).toBeInTheDocument();
    const entries = await storedEntries();
    expect(entries.map((e) => e.body.type)).toEqual(['open', 'contact', 'correction']);
    expect(entries[1]!.body).toMatchObject({ result: '受入可' });
  });

  it('keeps a withdrawn outcome on the case screen, marked 取消 with the reason (issue 14 point 4)', async () => {
    const user = userEvent.setup();
    await startCase(user);
    await user.click(await screen.findByRole('button', { name: '対応結果を記録' }));
    await user.selectOptions(screen.getByRole('combobox', { name: '対応結果' }), '在宅で対応');
    await user.click(screen.getByRole('button', { name: '記録する' }));
    await screen.findByText('在宅で対応', { selector: '.case-outcome__line' });

    const section = () => screen.getByRole('region', { name: '対応結果' });
    await user.click(within(section()).getByRole('button', { name: '「在宅で対応」を取消' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText(/取消の理由/), '別の方の対応結果だった');
    // a second tap while the first is written records nothing: evidence is never taken back, so a
    // second 取消 would stay for good (the write is held until both taps are in)
    const append = useApp.getState().appendCaseEntry;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    act(() => useApp.setState({ appendCaseEntry: async (...args) => held.then(() => append(...args)) }));
    const save = within(dialog).getByRole('button', { name: '取消を記録' });
    await user.click(save);
    await user.click(save);
    // and キャンセル does nothing meanwhile: the dialog closing said nothing was written, and it was
    expect(within(dialog).getByRole('button', { name: 'キャンセル' })).toBeDisabled();
    release();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    act(() => useApp.setState({ appendCaseEntry: append }));

    const outcome = section();
    expect(within(outcome).getByText('まだ対応結果は記録されていません。')).toBeInTheDocument();
    const withdrawn = outcome.querySelector('.case-outcome--withdrawn')!;
    expect(withdrawn).toHaveTextContent('取消 在宅で対応');
    expect(within(withdrawn as HTMLElement).getByText(/が取消: 別の方の対応結果だった$/)).toBeInTheDocument();
    const entries = [...useApp.getState().caseEntries.values()][0]!;
    expect(entries.filter((e) => e.body.type === 'correction')).toHaveLength(1);
  });

  it('shows a broken chain loudly and takes no new entries', async () => {
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    const { unmount } = render(<CasesScreen />);
    await user.click(await screen.findByRole('radio', { name: '災害' }));
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await backFromMatch();
    await screen.findByText(/改ざんなし/);
    unmount();

    // Someone edits the stored request time in place.
    const [id, entries] = [...useApp.getState().caseEntries][0]!;
    const tampered = [{ ...entries[0]!, body: { ...entries[0]!.body, requestedAt: '2020-01-01T00:00:00.000Z' } } as CaseEntry];
    useApp.setState({ caseEntries: new Map([[id, tampered]]) });
    render(<CasesScreen />);
    expect(await screen.findByRole('alert')).toHaveTextContent('改ざんまたは破損しています: 1件目の記録の内容が書き換えられています。');
    expect(screen.queryByRole('button', { name: '連絡を記録（手入力）' })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: '受入先を探して電話する' })).not.toBeInTheDocument();
  });

  it('warns while still on the call when the person already has 4 this month', async () => {
    const user = userEvent.setup();
    const appendCaseEntry = useApp.getState().appendCaseEntry;
    const now = Date.now();
    for (let i = 0; i < 4; i += 1) {
      const at = new Date(now - (i + 1) * 1000).toISOString(); // seconds apart: one Japan month
      const kase = await appendCaseEntry(null, {
        type: 'open',
        officeId: 'office-1',
        subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' },
        requestedAt: at,
        requestedAtReason: '',
        category: '介護者の急病・けが',
        detail: '',
        caller: '',
        callerPhone: '',
      });
      await appendCaseEntry(kase.id, { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' });
      await appendCaseEntry(kase.id, {
        type: 'contact',
        facilityId: 'fac-1',
        facilityName: 'あおぞら短期入所',
        facilityOfficeNumber: '1210100001',
        shortStay: true,
        contactedAt: at,
        method: '電話',
        result: '受入不可',
        note: '',
      });
    }
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);
    await user.click(await screen.findByRole('radio', { name: '介護者の入院' }));
    // the four were requested seconds ago: 「同じ緊急事態ですか？」 (Q&A R6 問74) is answered first
    await user.click(screen.getByRole('button', { name: '別の緊急事態として新しく記録する' }));
    await user.type(screen.getByLabelText(/別の緊急事態とする理由/), '別の要請');
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await backFromMatch();
    // no facility reached yet: the month is the first reached call's, which after midnight on the 31st is the next
    expect(await screen.findByText(/この方は今月すでに4回、相談強化加算の対象となっています。この対応は記録されますが、今月中に受入先と連絡がついた場合は算定されません/)).toBeInTheDocument();
  });

  it("offers no demo facility in a real case's call typed by hand nor in its outcome", async () => {
    useApp.setState({ facilities: new Map([...useApp.getState().facilities, ['demo-facility-1', createFacility({ id: 'demo-facility-1', name: 'デモ短期入所' })]]) });
    const user = userEvent.setup();
    await openManualContact(user);
    const choices = () => within(screen.getByLabelText('連絡先の事業所')).getAllByRole('option').map((o) => o.textContent);
    expect(choices()).toContain('あおぞら短期入所');
    expect(choices()).not.toContain('デモ短期入所');
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    await user.click(await screen.findByRole('button', { name: '対応結果を記録' }));
    await user.selectOptions(screen.getByRole('combobox', { name: '対応結果' }), '短期入所');
    expect(within(screen.getByLabelText('入所先')).getAllByRole('option').map((o) => o.textContent)).not.toContain('デモ短期入所');
  });

  it('says on the case of a 仮登録 (no 同意書) what may be passed on to a facility', async () => {
    const words = /^仮登録（同意書なし）：短期入所先などに伝えてよいのは/;
    const user = userEvent.setup();
    await startCase(user);
    expect(await screen.findByText(/医ケア/)).toBeInTheDocument();
    expect(screen.queryByText(words)).toBeNull();
    act(() => useApp.setState({ households: new Map([[household.id, { ...household, consent: null }]]) }));
    expect(await screen.findByText(words)).toBeInTheDocument();
  });

  it('offers one office registered twice once in a call typed by hand, as the record the match shows', async () => {
    const twin = createFacility({ id: 'fac-1b', name: 'あおぞら短期入所（重複）', officeNumber: '1210100001', vacancy: { beds: 1, asOf: new Date().toISOString(), reportedBy: '田中' } });
    useApp.setState({ facilities: new Map([...useApp.getState().facilities, [twin.id, twin]]) });
    const user = userEvent.setup();
    await openManualContact(user);
    const choices = within(screen.getByLabelText('連絡先の事業所')).getAllByRole('option').map((o) => o.textContent);
    expect(choices).toContain('あおぞら短期入所（重複）');
    expect(choices).not.toContain('あおぞら短期入所');
    expect(choices).toContain('みどり園');
    await user.click(screen.getByRole('button', { name: 'キャンセル' }));
    // a call the case recorded on the other record (a colleague's phone showed it): its correction offers it, chosen
    const kase = [...useApp.getState().caseEntries.keys()][0]!;
    await useApp.getState().appendCaseEntry(kase, { type: 'contact', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', facilityOfficeNumber: '1210100001', shortStay: true, contactedAt: new Date().toISOString(), method: '電話', result: '受入可', note: '' });
    await user.click(within(await screen.findByRole('article', { name: 'あおぞら短期入所' })).getByRole('button', { name: '訂正' }));
    expect(within(await screen.findByRole('dialog')).getByLabelText('連絡先の事業所')).toHaveDisplayValue('あおぞら短期入所');
  });

  it("names the case's own month, not 今月, for a case coordinated in an earlier month", async () => {
    const appendCaseEntry = useApp.getState().appendCaseEntry;
    const at = new Date(Date.now() - 70 * 24 * 3600_000).toISOString();
    const subject = { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' };
    const kase = await appendCaseEntry(null, openBody({ subject, requestedAt: at, requestedAtReason: '記録を後から入力した' }));
    await appendCaseEntry(kase.id, { type: 'contact', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', facilityOfficeNumber: '1210100001', shortStay: true, contactedAt: at, method: '電話', result: '受入不可', note: '' });
    await go(`#/cases/${kase.id}`);
    render(<CasesScreen />);
    const [year, month] = japanMonthOf(at).split('-').map(Number);
    expect(await screen.findByText(new RegExp(`^この方の${year}年${month}月の相談強化加算: 1回目（上限4回）`))).toBeInTheDocument();
    expect(screen.queryByText(/今月の相談強化加算/)).not.toBeInTheDocument();
  });

  it('starts a case for an unknown caller and links it to a registered person later', async () => {
    const user = userEvent.setup();
    useApp.setState({
      summaries: new Map([[household.id, summarizeHousehold(household)]]),
      index: buildHouseholdIndex([household]),
    });
    await go('#/cases/new');
    render(<CasesScreen />);
    expect(await screen.findByText('本人未特定')).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: '虐待・権利侵害' }));
    await user.type(screen.getByLabelText('電話をくれた方（続柄・氏名）'), '近所の方');
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    // no person yet: no match to open, a search to link instead
    expect(await screen.findByRole('heading', { name: '登録者と結び付ける' })).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: '受入先を探して電話する' })).not.toBeInTheDocument();
    // …and the empty list of calls says how to record them without it, not to use a button that is not there
    expect(screen.getByText(T.noContactsUnknown)).toBeInTheDocument();

    await user.type(screen.getByLabelText('氏名・ふりがな・電話番号で検索'), '佐藤');
    // each candidate says what tells two of the same name apart, and the link is confirmed, naming them
    const candidate = await screen.findByRole('button', { name: /^佐藤 陽太 と結び付ける/ });
    expect(candidate).toHaveTextContent(/受給者証 1234567890/);
    await user.click(candidate);
    const confirm = screen.getByRole('dialog', { name: 'この方と結び付けますか？' });
    expect(within(confirm).getByText(/^佐藤 陽太（.*受給者証 1234567890）$/)).toBeInTheDocument();
    await user.click(within(confirm).getByRole('button', { name: 'キャンセル' }));
    expect(await storedEntries()).toHaveLength(1);
    await user.click(candidate);
    await user.click(within(screen.getByRole('dialog', { name: 'この方と結び付けますか？' })).getByRole('button', { name: '結び付ける' }));
    expect(await screen.findByRole('link', { name: '受入先を探して電話する' })).toBeInTheDocument();
    const entries = await storedEntries();
    expect(entries.map((e) => e.body.type)).toEqual(['open', 'link']);
    expect(entries[0]!.body).toMatchObject({ subject: { personId: null, name: '' } });
    expect(entries[1]!.body).toMatchObject({ subject: { householdId: 'hh-1', personId: 'p-1', recipientNumber: '1234567890' } });
  });

  it('logs the household (閲覧記録) once per opening of the case start and the case; an unknown caller\'s case by its id', async () => {
    const opened = async () => (await session.accessLog()).filter((e) => e.action === 'open-household').map((e) => e.householdId);
    const kase = await useApp.getState().appendCaseEntry(null, {
      type: 'open',
      officeId: 'office-1',
      subject: { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' },
      requestedAt: new Date().toISOString(),
      requestedAtReason: '',
      category: '介護者の急病・けが',
      detail: '',
      caller: '',
      callerPhone: '',
    });

    await go(`#/cases/${kase.id}`);
    const view = render(<CasesScreen />);
    expect(await screen.findByText(/改ざんなし/)).toBeInTheDocument();
    await waitFor(async () => expect(await opened()).toEqual(['hh-1']));
    view.unmount();

    await go('#/cases/new/hh-1/p-1');
    const start = render(<CasesScreen />);
    expect(await screen.findByText(/要請時刻 .*（開始を押した時刻）/)).toBeInTheDocument();
    await waitFor(async () => expect(await opened()).toEqual(['hh-1', 'hh-1']));
    start.unmount();

    await go('#/cases/new');
    const unknownStart = render(<CasesScreen />);
    expect(await screen.findByText('本人未特定')).toBeInTheDocument();
    expect(await opened()).toEqual(['hh-1', 'hh-1']);
    unknownStart.unmount();

    // a case about an unknown caller holds their name and words: its opening is logged by case
    const unknown = await openUnknownCallerCase();
    await go(`#/cases/${unknown.id}`);
    render(<CasesScreen />);
    expect(await screen.findByText(/改ざんなし/)).toBeInTheDocument();
    await waitFor(async () =>
      expect((await session.accessLog()).filter((e) => e.action === 'open-case').map((e) => [e.householdId, e.reason])).toEqual([[null, `記録ID ${unknown.id}`]]),
    );
    expect(await opened()).toEqual(['hh-1', 'hh-1']);
  });

  it('says so in the error banner when the opening of an unknown caller\'s case cannot be logged', async () => {
    const unknown = await openUnknownCallerCase();
    vi.spyOn(session, 'logAccess').mockRejectedValue(new Error('QuotaExceededError'));
    await go(`#/cases/${unknown.id}`);
    render(<CasesScreen />);
    expect(await screen.findByText(/改ざんなし/)).toBeInTheDocument();
    await waitFor(() => expect(useApp.getState().error).not.toBeNull());
  });
});

describe('拠点の署名 on the case screen', () => {
  afterEach(() => resetCountersignState());

  async function openCase() {
    const entries = await appendEntries([], [openBody(), contactBody()], 'case-9');
    useApp.setState({ caseEntries: new Map([['case-9', entries]]) });
    countersignState.setState({ loaded: true });
    await go('#/cases/case-9');
    render(<CasesScreen />);
    return entries;
  }

  it('says nothing about the hub until the sync engine has read what this device holds', async () => {
    const entries = await appendEntries([], [openBody(), contactBody()], 'case-9');
    useApp.setState({ caseEntries: new Map([['case-9', entries]]) });
    await go('#/cases/case-9');
    render(<CasesScreen />);
    expect(await screen.findByText(/改ざんなし（2件の記録を確認）/)).toBeInTheDocument();
    expect(screen.getAllByText('拠点の署名を確認中…').length).toBeGreaterThan(0);
    expect(screen.queryByText(COUNTERSIGN_LABELS['device-only'], { exact: false })).toBeNull();
    act(() => countersignState.setState({ loaded: true }));
    expect(await screen.findByText(`拠点の署名: ${COUNTERSIGN_LABELS['device-only']}`)).toBeInTheDocument();
  });

  it('a device with no hub says この端末のみ for the case and every entry', async () => {
    await openCase();
    expect(await screen.findByText(`拠点の署名: ${COUNTERSIGN_LABELS['device-only']}`)).toBeInTheDocument();
    expect(screen.getAllByText(COUNTERSIGN_LABELS['device-only'])).toHaveLength(2);
  });

  it('[K6] says per entry when the hub countersigned it, and shows the entry it has not yet signed as waiting', async () => {
    const key = createTestHubKey();
    const entries = await appendEntries([], [openBody(), contactBody()], 'case-9');
    const receipt = key.receiptFor(entries[0]!, 17, '2026-11-30T15:00:00.000Z');
    countersignState.setState({ joined: true, hubKey: key.info, receipts: new Map([[receipt.entryId, receipt]]) });
    await openCase();
    expect(await screen.findByText('拠点の署名: 2件中1件 拠点署名済み')).toBeInTheDocument();
    expect(screen.getByText('拠点署名済み 2026年12月1日 00:00（拠点の受付番号 17）')).toBeInTheDocument();
    expect(screen.getByText(COUNTERSIGN_LABELS.pending)).toBeInTheDocument();
  });

  it('says an entry the hub refused is refused, with the reason, not waiting for the hub', async () => {
    const key = createTestHubKey();
    const entries = await appendEntries([], [openBody(), contactBody()], 'case-9');
    const receipt = key.receiptFor(entries[0]!, 17, '2026-11-30T15:00:00.000Z');
    countersignState.setState({ joined: true, hubKey: key.info, receipts: new Map([[receipt.entryId, receipt]]) });
    // the hub refused the second entry for good (the sync settings list it too); read slowly
    let readRefusals = () => undefined as void;
    const read = new Promise<void>((resolve) => (readRefusals = resolve));
    vi.spyOn(session.sync, 'refusedOf').mockImplementation(async (kind) => {
      await read;
      return new Map(kind === 'case-entry' ? [[entries[1]!.id, 'clock' as const]] : []);
    });
    await openCase();
    // until the refusals are read, no entry is said to be waiting for the hub, even once the
    // receipts are checked (the same check, run here to its end)
    expect((await screen.findAllByText('拠点の署名を確認中…')).length).toBeGreaterThan(0);
    await act(async () => {
      await entryCountersigns(entries, countersignState.getState());
    });
    expect(screen.queryByText(COUNTERSIGN_LABELS.pending)).toBeNull();
    expect(screen.getAllByText('拠点の署名を確認中…').length).toBeGreaterThan(0);
    readRefusals();
    expect(await screen.findByText('拠点の署名: 2件中1件 拠点署名済み（1件は拠点が受け付けていません）')).toBeInTheDocument();
    expect(screen.getByText(/^拠点が受け付けていません：記録の時刻がサーバーの時刻と合いません（端末の時計を確認してください）（設定の「拠点サーバーと同期」の「サーバーが受け付けなかった変更」に/)).toBeInTheDocument();
    expect(screen.queryByText(COUNTERSIGN_LABELS.pending)).toBeNull();
  });
});
