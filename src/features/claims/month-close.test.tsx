import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { admittedNight, appendEntries, contactBody, subjectYota } from '../../../test/factories/emergency-case';
import { orderEntries, verifyChain } from '../../domain/case-chain';
import { createOffice } from '../../../test/factories/office';
import { createFakeSession } from '../../../test/factories/fake-session';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { CLOSE_MESSAGES, sha256OfBytes, type MonthClose } from '../../domain/claim-close';
import type { CaseEntry, CaseSubject, ContactBody, Office } from '../../domain/emergency-case';
import { formatJapanDateTime } from '../../domain/japan-time';
import { countersignState, resetCountersignState } from '../../sync/countersign';
import { syncStatus } from '../../sync/status';
import { ClaimsScreen } from './claims-screen';
import { T } from './text';

const initial = useApp.getState();

const office: Office = createOffice({ name: '市川相談支援センター', officeNumber: '1234567890' });
const hanako: CaseSubject = { householdId: 'hh-2', personId: 'p-2', name: '田中 花子', recipientNumber: '1200000002' };

/** A night call in November 2026 (noon JST on `day`), admitted to a short stay and closed. */
function night(id: string, day: number, subject: CaseSubject = subjectYota): Promise<CaseEntry[]> {
  return admittedNight(id, `2026-11-${String(day).padStart(2, '0')}T03:00:00.000Z`, subject);
}

const held = (chains: readonly CaseEntry[][]) => new Map(chains.map((c) => [c[0]!.caseId, c] as const));

let blobs: { name: string; blob: Blob }[];

beforeEach(() => {
  blobs = [];
  let last: Blob | null = null;
  Object.assign(URL, { createObjectURL: vi.fn((blob: Blob) => ((last = blob), 'blob:claims')), revokeObjectURL: vi.fn() });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    blobs.push({ name: this.download, blob: last! });
  });
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  resetCountersignState();
  useApp.setState(initial, true);
  window.location.hash = '';
});

describe('a case claimed in a month already sent, now counted in the next', () => {
  it('warns on the month it is in now, and names the month that billed it, so it is not billed twice', async () => {
    // case-1's coordination was corrected from 30 November into 1 December after November was sent
    const chains = await Promise.all([admittedNight('case-1', '2026-11-30T16:10:00.000Z'), night('case-h', 5, hanako)]);
    const november = {
      id: 'close-11',
      officeId: office.id,
      month: '2026-11',
      recordedAt: '2026-12-08T01:00:00.000Z',
      recordedBy: { userId: 'u-1', name: '請求 担当' },
      deviceId: 'device-1',
      body: { type: 'close', cases: [{ caseId: 'case-1', status: 'claimed' }] },
    } as unknown as MonthClose;
    countersignState.setState({ loaded: true });
    useApp.setState({
      session: createFakeSession(),
      phase: 'unlocked',
      settings: DEFAULT_SETTINGS,
      offices: new Map([[office.id, office]]),
      caseEntries: held(chains),
      monthCloses: new Map([[november.id, november]]),
    });
    window.location.hash = '#/claims?office=office-1&month=2026-12';
    const { unmount } = render(<ClaimsScreen />);
    expect(await screen.findByText(T.claimedBeforeWarning(1))).toBeInTheDocument();
    expect(screen.getByText(T.claimedIn('2026-11'))).toBeInTheDocument();
    // the 明細 CSV says so in the case's 判定理由, not as a plain 算定 billed twice
    // the export waits for the chain checks and the receipts: on a busy machine that takes a while
    const exportDetail = await screen.findByRole('button', { name: T.exportDetail });
    await waitFor(() => expect(exportDetail).toBeEnabled(), { timeout: 15_000 });
    await userEvent.setup().click(exportDetail);
    await waitFor(() => expect(blobs).toHaveLength(1), { timeout: 15_000 });
    const detail = Papa.parse<Record<string, string>>((await blobs[0]!.blob.text()).replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
    const first = detail.find((r) => r['記録ID'] === 'case-1')!;
    expect(first['算定判定']).toBe('算定');
    expect(first['判定理由']!.split('／')[0]).toBe('2026年11月（請求済み）に算定として請求した記録です。2026年11月の返還を確かめてください');
    expect(detail.filter((r) => r['判定理由']!.includes('請求済み'))).toHaveLength(1);
    unmount();
    // the printed evidence report says so too, at the top and on the case's 判定
    window.location.hash = '#/claims/print?office=office-1&month=2026-12';
    render(<ClaimsScreen />);
    expect(await screen.findByText(T.claimedBeforeWarning(1))).toBeInTheDocument();
    expect(screen.getByText(T.claimedIn('2026-11'), { selector: '.claims-report__mark' })).toBeInTheDocument();
  });
});

describe('a case continued on two phones at once, in the evidence report', () => {
  it('prints the hash of the whole case beside the last entry\'s, which names one branch only', async () => {
    const base = await night('case-f', 3);
    const mine = await appendEntries(base, [{ body: contactBody({ contactedAt: '2026-11-03T05:00:00.000Z', facilityName: 'そよかぜ' }), at: '2026-11-03T05:01:00.000Z' }]);
    const theirs = await appendEntries(base, [{ body: contactBody({ contactedAt: '2026-11-03T04:59:00.000Z', facilityName: 'ひだまり' }), at: '2026-11-03T05:00:00.000Z' }], 'case-f', {
      by: { userId: 'u-2', name: '鈴木 主任' },
      deviceId: 'device-2',
      idPrefix: 'case-f-d2',
    });
    const entries = orderEntries([...mine, theirs.at(-1)!]);
    const check = await verifyChain(entries);
    expect(check).toMatchObject({ ok: true, tips: 2 });
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held([entries]) });
    window.location.hash = '#/claims/print?office=office-1&month=2026-11';
    render(<ClaimsScreen />);
    const stateHash = await screen.findByText(check.ok ? check.headHash : '');
    expect(stateHash.closest('tr')).toHaveTextContent('事例全体のハッシュ（複数の端末で同時に記録されたため、全記録から計算）');
    expect(screen.getByText(entries.at(-1)!.hash)).toBeInTheDocument();
  });
});

describe('請求済み after the files were written and sent', () => {
  it('says at the confirmation that a file written earlier differs from what the close keeps, and nothing when it is the same', async () => {
    const chains = await Promise.all([night('case-1', 2)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(1));
    // the 明細 written on the 5th and sent; its hash goes into the 閲覧記録 with it
    await user.click(screen.getByRole('button', { name: T.exportDetail }));
    // the file is written after its 閲覧記録 entry: waited for, or on a busy machine it came during the next test
    await waitFor(() => expect(blobs).toHaveLength(1), { timeout: 15_000 });
    const [logged] = (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'export-claims');
    const written = new Uint8Array(await blobs.at(-1)!.blob.arrayBuffer());
    expect(logged!.reason).toMatch(new RegExp(`^2026年11月・${office.name}・明細CSV（UTF-8（BOM付き）・SHA-256 ${(await sha256OfBytes(written)).slice(0, 16)}(・署名を除く [0-9a-f]{16})?）$`));

    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    let dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).queryByText(T.changedSinceAdvice)).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'キャンセル' }));

    // a phone offline all month syncs a case after the file was sent
    const late = await night('case-late', 1, hanako);
    act(() => useApp.setState({ caseEntries: held([...chains, late]) }));
    await screen.findByText(T.chainAllOk(2));
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).getByText(T.changedSinceExport('明細CSV', formatJapanDateTime(logged!.at)))).toBeInTheDocument();
    expect(within(dialog).getByText(T.changedSinceAdvice)).toBeInTheDocument();
  });
});

describe('請求済み on the claims screen (issue 14 point 3)', () => {
  it('closes November after a confirmation, keeps the claim as sent when a late case and a correction arrive, lists the difference, and is undone only by a 取消 with a reason', async () => {
    const chains = await Promise.all([night('case-1', 2), night('case-h', 5, hanako)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(2));

    // 請求日 before the month ended is refused, with the field named
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-11-30' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    expect(screen.getByText(CLOSE_MESSAGES.sentOnBeforeMonthEnd('2026-12-01'))).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).getByText(T.closeConfirmBody(2, 2, '1,400単位', 'UTF-8（BOM付き）'))).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: T.closeConfirm }));

    const closedHeading = await screen.findByRole('heading', { name: T.closedTitle('2026年11月') });
    // the close's section gave way: its heading takes the focus, not the top of the page
    await waitFor(() => expect(closedHeading).toHaveFocus());
    // both files were written, and the hashes kept are those of the very bytes written
    expect(blobs.map((b) => b.name)).toEqual(['soudan-kyouka-summary-1234567890-2026-11.csv', 'soudan-kyouka-detail-1234567890-2026-11.csv']);
    const [close] = [...useApp.getState().monthCloses.values()] as MonthClose[];
    for (const [i, b] of blobs.entries()) {
      const bytes = new Uint8Array(await b.blob.arrayBuffer());
      expect(close!.body.exports[i]).toMatchObject({ fileName: b.name, sha256: await sha256OfBytes(bytes), size: bytes.length });
      expect(screen.getByText(close!.body.exports[i]!.sha256)).toBeInTheDocument();
    }
    expect(screen.getByText(T.totalLine(2, 2, 1400))).toBeInTheDocument();
    expect(screen.getByText(T.noChanges)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: T.closeButton })).toBeNull();

    // Years on, the file from the office's archive is checked against the hash the close kept; an edited copy is not it.
    const sent = new File([await blobs[1]!.blob.arrayBuffer()], 'archive-detail.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText(new RegExp(T.checkFileLabel)), sent);
    expect(await screen.findByText(T.checkFileSame('archive-detail.csv', blobs[1]!.name))).toBeInTheDocument();
    const edited = new File([new Uint8Array([...new Uint8Array(await blobs[1]!.blob.arrayBuffer()), 0x0a])], 'edited.csv', { type: 'text/csv' });
    await user.upload(screen.getByLabelText(new RegExp(T.checkFileLabel)), edited);
    expect(await screen.findByText(/^一致しません：「edited\.csv」/)).toBeInTheDocument();

    // a phone offline all month syncs Yota's case of 1 November, and Hanako's only call is corrected to 不在
    const late = await night('case-late', 1);
    const contact = chains[1]![1]!;
    const corrected = await appendEntries(chains[1]!, [
      { body: { type: 'correction', corrects: contact.id, reason: '結果を取り違えたため訂正', replacement: { ...(contact.body as ContactBody), result: '不在' } }, at: '2026-12-02T00:00:00.000Z' },
    ]);
    act(() => useApp.setState({ caseEntries: held([chains[0]!, corrected, late]) }));

    await screen.findByText(T.changesIntro);
    const changes = screen.getByRole('region', { name: T.changesTitle });
    expect(screen.getByText(T.totalLine(2, 2, 1400))).toBeInTheDocument(); // the claim as sent, unchanged
    expect(within(changes).getByText(T.changesTotal(700, 700))).toBeInTheDocument();
    const lateItem = within(changes).getAllByRole('listitem', { name: '佐藤 陽太' });
    expect(lateItem.map((li) => li.textContent)).toEqual([
      expect.stringContaining('（この月の請求になし） → 算定（1回目・700単位）請求後に追加（同期）された記録追加請求 700単位'),
      expect.stringContaining('算定（1回目・700単位） → 算定（2回目・700単位）同じ人のほかの記録の変更単位数の変更なし 0単位'),
    ]);
    const hanakoItem = within(changes).getByRole('listitem', { name: '田中 花子' });
    expect(hanakoItem).toHaveTextContent('算定（1回目・700単位） → 算定不可（0単位）');
    expect(hanakoItem).toHaveTextContent('記録の訂正: 結果を取り違えたため訂正');
    expect(hanakoItem).toHaveTextContent('返還（過誤調整） 700単位');

    await user.click(within(changes).getByRole('button', { name: T.exportChanges }));
    expect(blobs.at(-1)!.name).toBe('soudan-kyouka-changes-1234567890-2026-11.csv');
    // Every file that left the device is in the 閲覧記録: the two sent at the close, each with the start
    // of its hash (a close made again after a 取消 compares with them), then the changes.
    const exported = (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'export-claims').map((e) => e.reason);
    expect(exported).toEqual([
      `2026年11月・${office.name}・集計CSV（UTF-8（BOM付き）・SHA-256 ${close!.body.exports[0]!.sha256.slice(0, 16)}）`,
      expect.stringMatching(new RegExp(`^2026年11月・${office.name}・明細CSV（UTF-8（BOM付き）・SHA-256 ${close!.body.exports[1]!.sha256.slice(0, 16)}(・署名を除く [0-9a-f]{16})?）$`)),
      `2026年11月・${office.name}・${T.exportChanges}`,
    ]);
    const text = new TextDecoder().decode(new Uint8Array(await blobs.at(-1)!.blob.arrayBuffer()));
    expect(text).toContain('case-h,1200000002,田中 花子,記録の訂正,結果を取り違えたため訂正,算定,1,700,算定不可,,0,0,700,返還（過誤調整）');

    // the printed evidence report says the month was claimed, and that its records changed since
    cleanup();
    window.location.hash = '#/claims/print?office=office-1&month=2026-11';
    render(<ClaimsScreen />);
    await screen.findByRole('region', { name: T.keptClaimTitle });
    const stateRow = screen.getAllByRole('row', { name: new RegExp(`^${T.reportClaimState}`) }).find((r) => r.querySelector('th')?.textContent === T.reportClaimState);
    expect(stateRow).toHaveTextContent(T.closedLine('2026年12月1日', 'テスト 太郎', formatJapanDateTime(close!.recordedAt)));
    expect(screen.getByRole('alert')).toHaveTextContent(T.reportChangedSinceClose(3));
    // and prints the claim as sent beside today's decisions: its totals, the files' hashes, each case's kept decision
    const kept = screen.getByRole('region', { name: T.keptClaimTitle });
    expect(within(kept).getByText(T.totalLine(2, 2, 1400))).toBeInTheDocument();
    for (const f of close!.body.exports) expect(within(kept).getByText(f.sha256)).toBeInTheDocument();
    const hanakoCase = screen.getByRole('region', { name: '田中 花子' });
    expect(within(hanakoCase).getByText(T.keptDecision).closest('tr')).toHaveTextContent('算定（1回目・700単位）');
    expect(within(screen.getAllByRole('region', { name: '佐藤 陽太' }).find((r) => within(r).queryByText(T.keptDecisionNone))!).getByText(T.keptDecisionNone)).toBeInTheDocument();
    cleanup();
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    render(<ClaimsScreen />);
    await screen.findByText(T.changesIntro);

    // closing twice is refused by the store too (another tab, a double tap)
    await expect(useApp.getState().appendMonthClose({ ...close!, id: 'close-again' })).rejects.toThrow(CLOSE_MESSAGES.alreadyClosed('2026-12-01'));

    // 取消 needs a reason; afterwards the month is open again and both records stay in its history
    await user.click(screen.getByRole('button', { name: T.cancelButton }));
    let cancel = await screen.findByRole('dialog', { name: T.cancelTitle(office.name, '2026年11月') });
    await user.click(within(cancel).getByRole('button', { name: T.cancelConfirm }));
    expect(within(cancel).getByText(CLOSE_MESSAGES.cancelReason)).toBeInTheDocument();
    cancel = screen.getByRole('dialog', { name: T.cancelTitle(office.name, '2026年11月') });
    await user.type(within(cancel).getByLabelText(new RegExp(T.cancelReason)), '請求日を誤って入力した');
    await user.click(within(cancel).getByRole('button', { name: T.cancelConfirm }));
    expect(await screen.findByRole('button', { name: T.closeButton })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('heading', { name: T.closedTitle('2026年11月') })).toBeNull());
    // the focus is not lost with the section the 取消 was in: it is where the month is closed again
    await waitFor(() => expect(screen.getByRole('heading', { name: T.closeTitle })).toHaveFocus());
    expect(screen.getByText(/^取消 .* テスト 太郎: 請求日を誤って入力した$/)).toBeInTheDocument();
    expect([...useApp.getState().monthCloses.values()].map((r) => r.body.type).sort()).toEqual(['cancel', 'close']);

    // Closed again: the files the first close wrote (and were sent) no longer say what it would keep
    // now (the late case, the correction): the confirmation says so, from the first close's entries.
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const again = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(again).getAllByText(/に書き出した(集計CSV|明細CSV)と、いまの内容が違います/)).toHaveLength(2);
  });
});

describe('請求済み on a phone that holds one office only', () => {
  afterEach(() => syncStatus.setState({ role: null }));

  it("tells a case worker, whose phone is handed only its own office's cases, that another office's claim for the same person is checked on a coordinator's phone; not a coordinator", async () => {
    for (const role of ['case-worker', 'coordinator'] as const) {
      const chains = await Promise.all([night('case-1', 2)]);
      countersignState.setState({ loaded: true });
      syncStatus.setState({ role });
      useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
      window.location.hash = '#/claims?office=office-1&month=2026-11';
      const user = userEvent.setup();
      const { unmount } = render(<ClaimsScreen />);
      await screen.findByText(T.chainAllOk(1));
      fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
      await user.click(screen.getByRole('button', { name: T.closeButton }));
      const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
      expect(within(dialog).queryByText(T.closeOwnOfficeOnly) !== null).toBe(role === 'case-worker');
      unmount();
    }
    expect(T.closeOwnOfficeOnly).toContain('この端末には、ほかの事業所の記録がありません');
  });
});

describe('請求済み confirmed while a case comes in', () => {
  it('does not close on figures nobody saw: a case synced in while the dialog is open stops the close, says so, and asks again on the claim as it is now', async () => {
    const chains = await Promise.all([night('case-1', 2)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(1));
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).getByText(T.closeConfirmBody(1, 1, '700単位', 'UTF-8（BOM付き）'))).toBeInTheDocument();

    // a phone offline all month syncs Hanako's case while the clerk reads the dialog
    const late = await night('case-late', 3, hanako);
    act(() => useApp.setState({ caseEntries: held([...chains, late]) }));
    await screen.findByText(T.chainAllOk(2));
    await user.click(within(screen.getByRole('dialog', { name: T.closeConfirmTitle('2026年11月') })).getByRole('button', { name: T.closeConfirm }));

    // nothing closed, no file written; the dialog is back with what it would keep now, and says why
    const again = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(again).getByText(T.changedWhileConfirming)).toBeInTheDocument();
    expect(within(again).getByText(T.closeConfirmBody(2, 2, '1,400単位', 'UTF-8（BOM付き）'))).toBeInTheDocument();
    expect(useApp.getState().monthCloses.size).toBe(0);
    expect(blobs).toEqual([]);

    // confirmed on what it shows, it closes with both cases
    await user.click(within(again).getByRole('button', { name: T.closeConfirm }));
    await screen.findByRole('heading', { name: T.closedTitle('2026年11月') });
    const [close] = [...useApp.getState().monthCloses.values()] as MonthClose[];
    expect(close!.body.cases.map((k) => k.caseId).sort()).toEqual(['case-1', 'case-late']);
  });

  it("asks again when the office's record is edited while the dialog is open (its number is on the files), though no decision moved", async () => {
    const chains = await Promise.all([night('case-1', 2)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(1));
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    const edited = { ...office, officeNumber: '1234567891', updatedAt: '2026-12-01T00:00:00.000Z' };
    act(() => useApp.setState({ offices: new Map([[office.id, edited]]) }));
    await user.click(within(screen.getByRole('dialog', { name: T.closeConfirmTitle('2026年11月') })).getByRole('button', { name: T.closeConfirm }));
    const again = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(again).getByText(T.changedWhileConfirming)).toBeInTheDocument();
    expect(useApp.getState().monthCloses.size).toBe(0);
    expect(blobs).toEqual([]);
  });

  it('does not close while the late case is still being checked (the button\'s gate, again at the confirmation)', async () => {
    const chains = await Promise.all([night('case-1', 2)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(1));
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    const late = await night('case-late', 3, hanako);
    // the receipts of the late case are not read yet: the screen waits for them
    act(() => {
      countersignState.setState({ loaded: false });
      useApp.setState({ caseEntries: held([...chains, late]) });
    });
    fireEvent.click(within(dialog).getByRole('button', { name: T.closeConfirm }));
    expect(await screen.findByText(T.changedWhileConfirming)).toBeInTheDocument();
    expect(useApp.getState().monthCloses.size).toBe(0);
    expect(blobs).toEqual([]);
  });
});

describe('the files of a month 請求済み, as the clerk sent them', () => {
  it('closes in the encoding the month was sent in, says what it holds back, offers 「請求時の集計CSV」 byte for byte, and names today\'s figures apart (-genzai)', async () => {
    const noNumber: CaseSubject = { householdId: 'hh-3', personId: 'p-3', name: '鈴木 一郎', recipientNumber: '' };
    const chains = await Promise.all([night('case-1', 2), night('case-w', 4, noNumber)]);
    countersignState.setState({ loaded: true });
    useApp.setState({ session: createFakeSession(), phase: 'unlocked', settings: DEFAULT_SETTINGS, offices: new Map([[office.id, office]]), caseEntries: held(chains) });
    window.location.hash = '#/claims?office=office-1&month=2026-11';
    const user = userEvent.setup();
    const first = render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(2));
    // the 集計 written in Shift_JIS (the claim software reads no other) and sent
    await user.selectOptions(screen.getByLabelText(T.encoding), 'shift_jis');
    await user.click(screen.getByRole('button', { name: T.exportSummary }));
    await waitFor(() => expect(blobs).toHaveLength(1));
    const sent = blobs[0]!;
    expect(sent.name).toBe('soudan-kyouka-summary-1234567890-2026-11-sjis.csv');
    const sentSha = await sha256OfBytes(new Uint8Array(await sent.blob.arrayBuffer()));
    // the 合計 row says the 要確認 case is not in it
    expect(new TextDecoder('shift_jis').decode(await sent.blob.arrayBuffer())).toContain('1234567890,2026年11月,要確認1件は含みません,合計,1名,1,700');

    // days later, the screen opened again (its encoding back at UTF-8), the month is closed
    first.unmount();
    render(<ClaimsScreen />);
    await screen.findByText(T.chainAllOk(2));
    expect(screen.getByLabelText(T.encoding)).toHaveValue('utf-8-bom');
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).getByText(T.closeConfirmBody(1, 1, '700単位', 'Shift_JIS'))).toBeInTheDocument();
    expect(within(dialog).getByText(T.closeEncodingFromExport('Shift_JIS'))).toBeInTheDocument();
    expect(within(dialog).getByText(T.closeHeldBack(1))).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: T.closeConfirm }));
    await screen.findByRole('heading', { name: T.closedTitle('2026年11月') });
    const [close] = [...useApp.getState().monthCloses.values()] as MonthClose[];
    // the close keeps the hash of the very file sent
    expect(close!.body.encoding).toBe('shift_jis');
    expect(close!.body.exports[0]).toMatchObject({ fileName: sent.name, sha256: sentSha });

    // 「請求時の集計CSV」: the file sent, rebuilt from the close, under its name
    blobs = [];
    await user.click(screen.getByRole('button', { name: T.exportKeptSummary }));
    await waitFor(() => expect(blobs).toHaveLength(1));
    expect(blobs[0]!.name).toBe(sent.name);
    expect(await sha256OfBytes(new Uint8Array(await blobs[0]!.blob.arrayBuffer()))).toBe(sentSha);
    expect(screen.getByText(T.exported(sent.name, T.exportKeptSummary, 'Shift_JIS'))).toBeInTheDocument();

    // today's figures are named apart, never saved over the file sent
    await user.click(screen.getByRole('button', { name: T.exportSummary }));
    await waitFor(() => expect(blobs).toHaveLength(2));
    expect(blobs[1]!.name).toBe('soudan-kyouka-summary-1234567890-2026-11-genzai.csv');
    const logged = (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'export-claims').map((e) => e.reason);
    expect(logged).toContain(`2026年11月・${office.name}・${T.exportKeptSummary}（Shift_JIS・SHA-256 ${sentSha.slice(0, 16)}）`);
  });
});
