import Encoding from 'encoding-japanese';
import { sha256OfBytes } from '../../domain/claim-close';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody, subjectYota } from '../../../test/factories/emergency-case';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createOffice } from '../../../test/factories/office';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { CLAIM_DETAIL_HEADERS, CLAIM_SUMMARY_HEADERS, noCasesMessage } from '../../domain/claim-csv';
import { asWrittenInCsv } from '../../domain/csv-text';
import { CLAIM_REASONS } from '../../domain/claim-rules';
import type {
  Actor,
  CaseEntry,
  CaseSubject,
  ClaimFactsBody,
  ContactBody,
  EntryBody,
  Office,
  Planning,
} from '../../domain/emergency-case';
import { formatJapanDateTime, formatJapanDateTimeCsv } from '../../domain/japan-time';
import Papa from 'papaparse';
import { createTestHubKey } from '../../../test/factories/receipts';
import { COUNTERSIGN_LABELS } from '../../domain/countersign-status';
import { formatFingerprint } from '../../protocol/countersign';
import { countersignState, resetCountersignState } from '../../sync/countersign';
import { ClaimsScreen } from './claims-screen';
import { defaultClaimMonth, offeredMonths, parseClaimsRoute } from './route';
import { T } from './text';

const initial = useApp.getState();

const office: Office = createOffice({ name: '市川相談支援センター', officeNumber: '1234567890' });

const hanako: CaseSubject = { householdId: 'hh-2', personId: 'p-2', name: '田中 花子', recipientNumber: '1200000002' };
const jiro: CaseSubject = { householdId: 'hh-3', personId: 'p-3', name: '鈴木 次郎', recipientNumber: '1200000003' };

const claimFacts = (planning: Planning): ClaimFactsBody => ({ type: 'claim-facts', planning, independentLivingClaimed: false, note: '' });

type Item = { body: EntryBody; at: string; by?: Actor };

/** One night call: the request, short-stay contacts 10 minutes apart, the claim facts, then outcome and close. */
async function night(
  id: string,
  requestedAt: string,
  {
    subject = subjectYota,
    planning = 'this-office',
    close = true,
    contacts = [{}],
    extra = [],
  }: {
    subject?: CaseSubject;
    planning?: Planning | null;
    close?: boolean;
    contacts?: Partial<ContactBody>[];
    extra?: ((t: (min: number) => string) => Item)[];
  } = {},
): Promise<CaseEntry[]> {
  const t = (min: number) => new Date(Date.parse(requestedAt) + min * 60_000).toISOString();
  const items: Item[] = [{ body: openBody({ requestedAt, subject }), at: t(1) }];
  contacts.forEach((c, i) => items.push({ body: contactBody({ contactedAt: t(10 + 10 * i), ...c }), at: t(11 + 10 * i) }));
  items.push(...extra.map((f) => f(t)));
  if (planning) items.push({ body: claimFacts(planning), at: t(60) });
  if (close) {
    items.push(
      { body: { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: t(90), note: '' }, at: t(90) },
      { body: { type: 'close', closedAt: t(100) }, at: t(100) },
    );
  }
  return appendEntries([], items, id);
}

/** December 2026, noon Japan time on the given day. */
const dec = (day: number) => `2026-12-${String(day).padStart(2, '0')}T03:00:00.000Z`;

/** Yota five times (the 5th over the cap), Hanako pending and still open, Jiro once. */
async function decemberCases(): Promise<CaseEntry[][]> {
  return Promise.all([
    night('case-1', dec(1)),
    night('case-2', dec(2)),
    night('case-3', dec(3)),
    night('case-4', dec(4)),
    night('case-5', dec(5)),
    night('case-h', dec(6), { subject: hanako, planning: null, close: false }),
    night('case-j', dec(7), { subject: jiro }),
  ]);
}

function mount(cases: readonly CaseEntry[][], hash = '#/claims?office=office-1&month=2026-12', offices: readonly Office[] = [office], session = createFakeSession()) {
  // as the sync engine leaves it after unlock (a device that has not joined, unless a test set more)
  countersignState.setState({ loaded: true });
  useApp.setState({
    session,
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    offices: new Map(offices.map((o) => [o.id, o])),
    caseEntries: new Map(cases.map((entries) => [entries[0]!.caseId, entries])),
  });
  window.location.hash = hash;
  const user = userEvent.setup();
  render(<ClaimsScreen />);
  return { user };
}

let blobs: Blob[];
let downloads: string[];

beforeEach(() => {
  blobs = [];
  downloads = [];
  Object.assign(URL, {
    createObjectURL: vi.fn((blob: Blob) => (blobs.push(blob), 'blob:claims')),
    revokeObjectURL: vi.fn(),
  });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    downloads.push(this.download);
  });
});

afterEach(() => {
  // a test that fails while the clock is faked must not leave the next one on a fake clock
  vi.useRealTimers();
  vi.restoreAllMocks();
  resetCountersignState();
  useApp.setState(initial, true);
  window.location.hash = '';
});

function caseItem(caseId: string): HTMLElement {
  const link = screen.getAllByRole('link', { name: T.openCase }).find((a) => a.getAttribute('href') === `#/cases/${caseId}`);
  return link!.closest('li')!;
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

describe('claims screen', () => {
  it("leaves the demo household's cases out of a real office's month, saying so", async () => {
    const demoSubject: CaseSubject = { householdId: 'demo-household-1', personId: 'demo-person-1', name: 'デモ 太郎', recipientNumber: '1300000001' };
    const real = await night('case-j', dec(7), { subject: jiro });
    const demo = await night('case-demo', dec(8), { subject: demoSubject });
    mount([real, demo]);
    expect(await screen.findByText(T.chainAllOk(1))).toBeInTheDocument();
    expect(screen.getByText(T.demoLeftOut(1))).toBeInTheDocument();
    const table = screen.getByRole('table', { name: T.summaryTitle });
    expect(within(table).queryByText('1300000001')).not.toBeInTheDocument();
    expect(within(table).getByText('1200000003')).toBeInTheDocument();
  });

  it('shows the month per person with counts and 700-unit totals, after checking every chain', async () => {
    mount(await decemberCases());
    expect(await screen.findByText(T.chainAllOk(7))).toBeInTheDocument();

    const table = screen.getByRole('table', { name: T.summaryTitle });
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => within(r).getAllByRole(r.closest('thead') ? 'columnheader' : 'cell').map((c) => c.textContent))).toEqual([
      ['受給者証番号', '氏名・サービス種別', '回数', '単位'],
      ['1200000003', '鈴木 次郎計画相談支援', '1', '700'],
      ['1234567890', '佐藤 陽太計画相談支援', '4', '2,800'],
      ['2名', '5', '3,500'],
    ]);
    expect(screen.getByText('合計 2名・5回・3,500単位')).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: T.casesTitle(7) })).toBeInTheDocument();
    expect(within(caseItem('case-1')).getByText('算定')).toBeInTheDocument();
    expect(within(caseItem('case-1')).getByText('700単位')).toBeInTheDocument();
  });

  it('shows a 5th emergency of the person in the month as 算定上限超過 with the reason', async () => {
    mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    const fifth = caseItem('case-5');
    expect(within(fifth).getByText('算定上限超過')).toBeInTheDocument();
    expect(within(fifth).getByText(CLAIM_REASONS.overCap(5))).toBeInTheDocument();
    expect(within(fifth).queryByText('700単位')).toBeNull();
    expect(within(caseItem('case-4')).getByText('この月の4回目')).toBeInTheDocument();
  });

  it('warns about 要確認 and still-open cases before exporting', async () => {
    mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    expect(screen.getByText(T.pendingWarning(1))).toBeInTheDocument();
    expect(screen.getByText(T.openWarning(1))).toBeInTheDocument();
    const hanakoItem = caseItem('case-h');
    expect(within(hanakoItem).getByText('要確認')).toBeInTheDocument();
    expect(within(hanakoItem).getByText(T.statusOpen)).toBeInTheDocument();
    expect(within(hanakoItem).getByText(CLAIM_REASONS.planning.unknown)).toBeInTheDocument();
  });

  it('names a tampered case in an alert and blocks both exports', async () => {
    const cases = await decemberCases();
    const tampered = cases[1]!.map((e, i) =>
      i === 1 && e.body.type === 'contact' ? { ...e, body: { ...e.body, facilityName: '書き換えた短期入所' } } : e,
    );
    const { user } = mount([cases[0]!, tampered, ...cases.slice(2)]);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(T.chainBrokenTitle);
    expect(alert).toHaveTextContent('佐藤 陽太（記録ID case-2）: 2件目の記録の内容が書き換えられています。');
    expect(alert).toHaveTextContent(T.exportsBlocked);
    expect(within(alert).getByRole('link')).toHaveAttribute('href', '#/cases/case-2');
    expect(within(caseItem('case-2')).getByText(T.chainBrokenTag)).toBeInTheDocument();

    const summary = screen.getByRole('button', { name: T.exportSummary });
    const detail = screen.getByRole('button', { name: T.exportDetail });
    expect(summary).toBeDisabled();
    expect(detail).toBeDisabled();
    await user.click(detail);
    expect(URL.createObjectURL).not.toHaveBeenCalled();
    expect(downloads).toEqual([]);
  });

  it('writes out no claim and closes no month while a case entry on this phone could not be read (it may be a case\'s last)', async () => {
    const { user } = mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    act(() => useApp.setState({ unreadable: new Map([['case-entry', 1]]) }));
    expect(await screen.findByText(T.exportsBlockedUnreadable)).toBeInTheDocument();
    const detail = screen.getByRole('button', { name: T.exportDetail });
    expect(detail).toBeDisabled();
    expect(screen.getByRole('button', { name: T.exportSummary })).toBeDisabled();
    await user.click(detail);
    expect(downloads).toEqual([]);
    // a damaged household or facility holds no claim back
    act(() => useApp.setState({ unreadable: new Map([['facility', 1]]) }));
    expect(screen.getByRole('button', { name: T.exportDetail })).toBeEnabled();
  });

  it('warns when the chosen month lies outside every hub period of the office, and not inside one', async () => {
    const ended: Office = { ...office, hubPeriods: [{ from: '2024-04-01', to: '2026-10-31', note: '廃止届' }] };
    mount(await decemberCases(), '#/claims?office=office-1&month=2026-12', [ended]);
    expect(await screen.findByText(T.notHubThisMonth('2026年12月', '2024年4月1日〜2026年10月31日'))).toBeInTheDocument();
    cleanup();
    mount(await decemberCases(), '#/claims?office=office-1&month=2026-10', [ended]);
    expect(screen.queryByText(/期間（.*）に入っていない/)).toBeNull();
  });

  it('shows the no-cases message for an empty month and writes no file', async () => {
    const { user } = mount(await decemberCases(), '#/claims?office=office-1&month=2026-10');
    const message = noCasesMessage('2026-10');
    expect(screen.getByText(message)).toBeInTheDocument();
    expect(screen.getByText(T.noClaimed)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: T.exportSummary }));
    expect(screen.getAllByText(message)).toHaveLength(2);
    await user.click(screen.getByRole('button', { name: T.exportDetail }));
    expect(URL.createObjectURL).not.toHaveBeenCalled();
    expect(downloads).toEqual([]);
    expect(screen.queryByText(/書き出しました/)).toBeNull();
  });

  it('opens on the previous month in the first 10 days of a month (Japan time), and changes month from the select', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // 2027-01-10 08:59 in Japan, still 9 January in Los Angeles
    vi.setSystemTime(new Date('2027-01-09T23:59:00.000Z'));
    const cases = await decemberCases();
    const { user } = mount(cases, '#/claims');
    vi.useRealTimers();
    expect(screen.getByLabelText(T.office)).toHaveValue('office-1');
    expect(screen.getByLabelText(T.month)).toHaveValue('2026-12');
    expect(await screen.findByText(T.chainAllOk(7))).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText(T.month), '2026-11');
    expect(screen.getByText(noCasesMessage('2026-11'))).toBeInTheDocument();
  });

  it('keeps the chosen month in the URL, and returns to it from the nav (which names no month)', async () => {
    const { user } = mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    await user.selectOptions(screen.getByLabelText(T.month), '2026-11');
    await waitFor(() => expect(window.location.hash).toBe('#/claims?office=office-1&month=2026-11'));
    cleanup();
    // 請求・出力 from the cases screen later in the same session
    window.location.hash = '#/claims';
    render(<ClaimsScreen />);
    expect(screen.getByLabelText(T.month)).toHaveValue('2026-11');
    await waitFor(() => expect(window.location.hash).toBe('#/claims?office=office-1&month=2026-11'));
  });

  it('opens the report when its link is tapped right after the month is changed, before the screen has settled', async () => {
    mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    const report = '#/claims/print?office=office-1&month=2026-11';
    // The tap lands while the month change is handled: the screen's URL update runs after it.
    const month = screen.getByLabelText(T.month);
    month.addEventListener('change', () => (window.location.hash = report));
    fireEvent.change(month, { target: { value: '2026-11' } });
    expect(await screen.findByRole('heading', { name: T.reportTitle })).toBeInTheDocument();
    expect(window.location.hash).toBe(report);
  });

  it('downloads the detail (UTF-8 with BOM) and the summary (Shift_JIS) with their header rows', async () => {
    const { user } = mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));

    await user.click(screen.getByRole('button', { name: T.exportDetail }));
    // the file goes once its 閲覧記録 entry is written (asynchronous, after the click)
    await waitFor(() => expect(downloads).toEqual(['soudan-kyouka-detail-1234567890-2026-12.csv']));
    const detail = await bytesOf(blobs[0]!);
    expect([...detail.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const detailLines = new TextDecoder().decode(detail.slice(3)).split('\r\n');
    expect(detailLines[0]).toBe(CLAIM_DETAIL_HEADERS.join(','));
    expect(detailLines.filter((l) => l.includes('case-5'))[0]).toContain('算定上限超過');
    expect(await screen.findByText(T.exported('soudan-kyouka-detail-1234567890-2026-12.csv', '明細CSV', 'UTF-8（BOM付き）'))).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText(T.encoding), 'shift_jis');
    await user.click(screen.getByRole('button', { name: T.exportSummary }));
    await waitFor(() => expect(downloads[1]).toBe('soudan-kyouka-summary-1234567890-2026-12-sjis.csv'));
    const summary = Encoding.convert(await bytesOf(blobs[1]!), { to: 'UNICODE', from: 'SJIS', type: 'string' });
    expect(summary.split('\r\n')).toEqual([
      CLAIM_SUMMARY_HEADERS.join(','),
      '1234567890,2026年12月,計画相談支援,1200000003,鈴木 次郎,1,700',
      '1234567890,2026年12月,計画相談支援,1234567890,佐藤 陽太,4,2800',
      // the month's 要確認 case is not in it, and the 合計 row says so
      '1234567890,2026年12月,要確認1件は含みません,合計,2名,5,3500',
      '',
    ]);
    expect(await screen.findByText(T.exported('soudan-kyouka-summary-1234567890-2026-12-sjis.csv', '集計CSV', 'Shift_JIS'))).toBeInTheDocument();
    // Both files left the device: each is in the 閲覧記録, with the month, the office, the file, its
    // encoding and the start of its hash (請求済み compares it with the files it keeps).
    const log = await useApp.getState().session!.accessLog();
    const start = async (blob: Blob) => (await sha256OfBytes(new Uint8Array(await blob.arrayBuffer()))).slice(0, 16);
    expect(log.filter((e) => e.action === 'export-claims').map((e) => e.reason)).toEqual([
      `2026年12月・${office.name}・明細CSV（UTF-8（BOM付き）・SHA-256 ${await start(blobs[0]!)}）`,
      `2026年12月・${office.name}・集計CSV（Shift_JIS・SHA-256 ${await start(blobs[1]!)}）`,
    ]);
  });

  it('writes no file when the 閲覧記録 cannot be written, and says why', async () => {
    const { user } = mount(await decemberCases());
    await screen.findByText(T.chainAllOk(7));
    vi.spyOn(useApp.getState().session!, 'logAccess').mockRejectedValue(new Error('QuotaExceededError'));
    await user.click(screen.getByRole('button', { name: T.exportDetail }));
    expect(await screen.findByRole('alert')).toHaveTextContent(T.exportNotLogged);
    expect(downloads).toEqual([]);
  });

  it('refuses a Shift_JIS file that cannot hold a name, says where, and offers UTF-8', async () => {
    const yoshi: CaseSubject = { ...jiro, name: '𠮷田 一郎' };
    const { user } = mount([await night('case-y', dec(8), { subject: yoshi })]);
    await screen.findByText(T.chainAllOk(1));
    await user.selectOptions(screen.getByLabelText(T.encoding), 'shift_jis');
    await user.click(screen.getByRole('button', { name: T.exportDetail }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('2行目「氏名」の 𠮷');
    expect(alert).toHaveTextContent('UTF-8 で書き出してください');
    expect(downloads).toEqual([]);

    await user.click(within(alert).getByRole('button', { name: T.useUtf8 }));
    await waitFor(() => expect(downloads).toEqual(['soudan-kyouka-detail-1234567890-2026-12.csv']));
    expect(screen.getByLabelText(T.encoding)).toHaveValue('utf-8-bom');
    expect(screen.queryByRole('alert')).toBeNull();
    // Excel opened by a double click drops a number's leading 0: the hint says how to keep it
    expect(screen.getByLabelText(T.encoding)).toHaveAccessibleDescription(/先頭の0が消えます.*「文字列」/);
  });

  it('tells to register an office when there is none', async () => {
    mount(await decemberCases(), '#/claims', []);
    expect(screen.getByText(T.noOffices)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: T.openSettings })).toHaveAttribute('href', '#/settings');
    expect(screen.queryByRole('button', { name: T.exportSummary })).toBeNull();
  });

  it('links to the printable report for the chosen office and month', async () => {
    mount(await decemberCases());
    expect(screen.getByRole('link', { name: T.printReport })).toHaveAttribute('href', '#/claims/print?office=office-1&month=2026-12');
  });
});

describe('evidence report', () => {
  it('is in the 閲覧記録 once per opening: a page made to be printed', async () => {
    mount(await decemberCases(), '#/claims/print?office=office-1&month=2026-12');
    expect(screen.getByRole('heading', { name: T.reportTitle })).toBeInTheDocument();
    const printed = async () => (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'print-evidence');
    await waitFor(async () => expect((await printed()).map((e) => e.reason)).toEqual([`2026年12月・${office.name}・${T.reportTitle}`]));
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(await printed()).toHaveLength(1);
  });

  it('prints a month without cases (記録 0件) too, in the 閲覧記録 as any: an auditor may ask for it', async () => {
    mount([], '#/claims/print?office=office-1&month=2026-12');
    expect(screen.getByRole('heading', { name: T.reportCases(0) })).toBeInTheDocument();
    expect(screen.getByText(noCasesMessage('2026-12'))).toBeInTheDocument();
    const printed = async () => (await useApp.getState().session!.accessLog()).filter((e) => e.action === 'print-evidence');
    await waitFor(async () => expect((await printed()).map((e) => e.reason)).toEqual([`2026年12月・${office.name}・${T.reportTitle}`]));
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(screen.getByRole('heading', { name: T.reportTitle }).closest('.claims-report')).not.toHaveClass('claims-report--unprinted');
  });

  it('names the office and month at the foot of every printed page, from <html> for the page margin boxes, removed on unmount', async () => {
    const running = () => document.documentElement.style.getPropertyValue('--evidence-running');
    const quoted = createOffice({ name: '相談支援 "かもめ"\\', officeNumber: '1234567890' });
    mount(await decemberCases(), '#/claims/print?office=office-1&month=2026-12', [quoted]);
    // not before it prints: the page then prints blank
    expect(running()).toBe('');
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(running()).toBe('"相談支援 \\"かもめ\\"\\\\（1234567890）・2026年12月・証跡レポート"');
    cleanup();
    expect(running()).toBe('');
  });

  it('says who recorded a call\'s result after the call, and when, beside the result', async () => {
    // the call (entry case-j-e1) at 12:10, its result recorded at 12:26 by a colleague
    const late = await night('case-j', dec(7), {
      subject: jiro,
      contacts: [{ result: null }],
      extra: [(t) => ({ body: { type: 'result', contact: 'case-j-e1', result: '受入可', note: '' }, at: t(26), by: { userId: 'u-sato', name: '佐藤 結' } })],
    });
    mount([late], '#/claims/print?office=office-1&month=2026-12');
    const row = (await screen.findAllByRole('row')).find((r) => r.textContent?.includes('結果の記録:'))!;
    expect(row).toHaveTextContent(/受入可結果の記録: 2026年12月7日 12:26 佐藤 結/);
  });

  it('stays printable when the store changes elsewhere (a summary rewritten in the background), with the same cases', async () => {
    mount(await decemberCases(), '#/claims/print?office=office-1&month=2026-12');
    const print = screen.getByRole('button', { name: T.print });
    await waitFor(() => expect(print).toBeEnabled());
    const report = screen.getByRole('heading', { name: T.reportTitle }).closest('.claims-report')!;
    // Before, each rebuilt list ran every chain and countersign check again: the button was
    // disabled and the report hidden from print until they ended (a PDF printed then was blank).
    act(() => useApp.setState({ summaries: new Map(useApp.getState().summaries) }));
    expect(print).toBeEnabled();
    expect(report).not.toHaveClass('claims-report--unprinted');
  });

  it('does not print when its 閲覧記録 cannot be written, and says why', async () => {
    const session = createFakeSession();
    vi.spyOn(session, 'logAccess').mockRejectedValue(new Error('QuotaExceededError'));
    mount(await decemberCases(), '#/claims/print?office=office-1&month=2026-12', [office], session);
    expect(await screen.findByText(T.reportNotLogged)).toBeInTheDocument();
    // the chains are checked (each case says so), and still it does not print
    await waitFor(() => expect(screen.getAllByText(/^記録のつながりに矛盾なし（\d+件を確認）/)).toHaveLength(7));
    expect(screen.getByRole('button', { name: T.print })).toBeDisabled();
    expect(screen.getByText(T.printWaiting)).toBeInTheDocument();
  });

  it('says to whom a case opened for an unknown caller was linked, in its entries on paper', async () => {
    const unknown: CaseSubject = { householdId: null, personId: null, name: '', recipientNumber: '' };
    const entries = await night('case-l', '2026-11-30T14:50:00.000Z', {
      subject: unknown,
      extra: [(t) => ({ body: { type: 'link', subject: subjectYota }, at: t(70), by: { userId: 'user-2', name: '鈴木 主任' } })],
    });
    mount([entries], '#/claims/print?office=office-1&month=2026-12');
    const row = (await screen.findByText(/登録者との結び付け/)).closest('tr')!;
    expect(row).toHaveTextContent(`登録者との結び付け（佐藤 陽太・受給者証番号 ${subjectYota.recipientNumber}）`);
    expect(row).toHaveTextContent('鈴木 主任');
  });

  it('shows every contact with its Japan time, withdrawn and corrected ones with the original value, reason, who and when', async () => {
    const supervisor: Actor = { userId: 'user-2', name: '鈴木 主任' };
    const entries = await night('case-r', '2026-11-30T14:50:00.000Z', {
      contacts: [
        { facilityName: 'ひだまり短期入所', result: '受入不可', contactedAt: '2026-11-30T15:05:00.000Z' },
        { facilityName: '誤記録の事業所', result: '不在', contactedAt: '2026-11-30T15:12:00.000Z' },
        { facilityName: 'あおぞら短期入所', result: '受入可', contactedAt: '2026-11-30T15:31:00.000Z' },
      ],
      extra: [
        (t) => ({
          body: { type: 'correction', corrects: 'case-r-e1', reason: '結果を取り違えたため', replacement: contactBody({ facilityName: 'ひだまり短期入所', result: '折り返し待ち', contactedAt: '2026-11-30T15:05:00.000Z' }) },
          at: t(50),
          by: supervisor,
        }),
        (t) => ({
          body: { type: 'correction', corrects: 'case-r-e2', reason: '別の利用者の記録に入力したため', replacement: null },
          at: t(55),
          by: supervisor,
        }),
        (t) => ({ body: { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '救急搬送' }, at: t(56) }),
        (t) => ({ body: { type: 'correction', corrects: 'case-r-e6', reason: '別の方の対応結果だったため', replacement: null }, at: t(57), by: supervisor }),
        // recorded at night, then replaced by the 短期入所 recorded later: still on paper
        (t) => ({ body: { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '叔母宅で一泊' }, at: t(58) }),
      ],
    });
    const printSpy = vi.fn();
    window.print = printSpy;
    const { user } = mount([entries], '#/claims/print?office=office-1&month=2026-12');

    expect(screen.getByRole('heading', { name: T.reportTitle })).toBeInTheDocument();
    expect(screen.getByText('市川相談支援センター')).toBeInTheDocument();
    expect(screen.getByText('テスト 太郎')).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(screen.getByText(T.chainOk(entries.length, entries.length))).toBeInTheDocument();

    for (const at of ['2026-11-30T15:05:00.000Z', '2026-11-30T15:12:00.000Z', '2026-11-30T15:31:00.000Z']) {
      expect(screen.getAllByText(formatJapanDateTime(at)).length).toBeGreaterThan(0);
    }
    expect(screen.getByText('2026年12月1日 00:05')).toBeInTheDocument();
    expect(screen.getByText('2026年12月1日 00:12')).toBeInTheDocument();
    expect(screen.getByText('2026年12月1日 00:31')).toBeInTheDocument();

    const withdrawnRow = screen.getByText('誤記録の事業所').closest('tr')!;
    expect(within(withdrawnRow).getByText(T.withdrawnMark)).toBeInTheDocument();
    expect(withdrawnRow).toHaveTextContent('取消（2026年12月1日 00:45 鈴木 主任）: 別の利用者の記録に入力したため');
    const correctedRow = screen.getByText('ひだまり短期入所').closest('tr')!;
    expect(correctedRow).toHaveTextContent('折り返し待ち');
    expect(correctedRow).toHaveTextContent('訂正（2026年12月1日 00:40 鈴木 主任）: 結果を取り違えたため');
    // the original value stays on paper beside the corrected one (issue 14 point 4)
    expect(within(correctedRow).getByText(T.correctionChange('結果', '受入不可', '折り返し待ち'))).toBeInTheDocument();
    // a withdrawn outcome stays on paper too, marked 取消 with the reason, who and when
    const outcomeRow = screen.getByRole('rowheader', { name: T.outcome }).closest('tr')!;
    expect(outcomeRow).toHaveTextContent('短期入所 あおぞら短期入所');
    expect(within(outcomeRow).getByText('入院 救急搬送')).toBeInTheDocument();
    expect(outcomeRow).toHaveTextContent('取消（2026年12月1日 00:47 鈴木 主任）: 別の方の対応結果だったため');
    const earlier = within(outcomeRow).getByText(T.earlierOutcomeMark).parentElement!;
    expect(earlier).toHaveTextContent(/在宅で対応\s+叔母宅で一泊（2026年12月1日 00:48 山田 夜勤）/);

    expect(screen.getByText(entries.at(-1)!.hash)).toBeInTheDocument();
    expect(screen.getByText('2031年12月1日まで（5年間）')).toBeInTheDocument();
    expect(screen.getByText(CLAIM_REASONS.planning['this-office'])).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: T.print }));
    expect(printSpy).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('link', { name: `← ${T.backToClaims}` })).toHaveAttribute('href', '#/claims?office=office-1&month=2026-12');
  });
});

describe('the hub countersignature on the report and the detail CSV', () => {
  it("blocks the exports and 請求済み while an entry does not match the hub's signature, naming the case (a chain rewritten with its hashes recomputed still holds)", async () => {
    const entries = await night('case-s', dec(5));
    const key = createTestHubKey();
    const signed = entries.map((e, i) => key.receiptFor(e, 40 + i));
    // the phone now holds the chain rewritten: another facility in the call, every hash recomputed
    const rewritten = await appendEntries(
      [],
      [
        { body: openBody({ requestedAt: dec(5), subject: subjectYota }), at: entries[0]!.recordedAt },
        { body: contactBody({ contactedAt: new Date(Date.parse(dec(5)) + 10 * 60_000).toISOString(), facilityName: '書き換えた短期入所' }), at: entries[1]!.recordedAt },
        ...entries.slice(2).map((e) => ({ body: e.body, at: e.recordedAt })),
      ],
      'case-s',
    );
    countersignState.setState({ joined: true, hubKey: key.info, receipts: new Map(signed.map((r, i) => [rewritten[i]!.id, { ...r, entryId: rewritten[i]!.id }])) });
    mount([rewritten]);
    expect(await screen.findByText(T.chainBrokenTitle)).toBeInTheDocument();
    expect(screen.getByText(/拠点の署名と一致しません/)).toBeInTheDocument();
    expect(screen.queryByText(T.chainAllOk(1))).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: T.exportSummary })).toBeDisabled();
    expect(screen.getByRole('button', { name: T.exportDetail })).toBeDisabled();
    expect(screen.getByRole('button', { name: T.closeButton })).toBeDisabled();
  });

  /** A synced device: the hub key taken at join, and receipts for the first `signed` entries of the case. */
  async function synced(signed: number) {
    const entries = await night('case-s', '2026-11-30T14:50:00.000Z');
    const key = createTestHubKey();
    const receipts = entries.slice(0, signed).map((e, i) => key.receiptFor(e, 40 + i));
    countersignState.setState({ joined: true, hubKey: key.info, receipts: new Map(receipts.map((r) => [r.entryId, r])) });
    return { entries, key, receipts };
  }

  it('[K6] the report says per entry whether the hub countersigned it and when, carries the key fingerprint, and shows the rest as waiting', async () => {
    const { entries, key, receipts } = await synced(2);
    mount([entries], '#/claims/print?office=office-1&month=2026-12');
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());

    expect(screen.getByText(formatFingerprint(key.info.fingerprint))).toBeInTheDocument();
    // and the whole key, for verify-evidence --public-key (with the hub's --fingerprint) once the hub is gone
    expect(screen.getByText(T.hubPublicKey(key.info.publicKey))).toBeInTheDocument();
    expect(screen.getByText(`${entries.length}件中2件 拠点署名済み`)).toBeInTheDocument();
    for (const [i, r] of receipts.entries()) {
      const row = screen.getByText(T.countersignedAt(COUNTERSIGN_LABELS.countersigned, formatJapanDateTime(r.receivedAt), 40 + i)).closest('tr')!;
      expect(row).toHaveTextContent(entries[i]!.hash.slice(0, 16));
    }
    expect(screen.getAllByText(COUNTERSIGN_LABELS.pending)).toHaveLength(entries.length - 2);
  });

  it('[K6] the report asks for its key fingerprint to be compared with the hub admin\'s, and says its printed key proves nothing by itself', async () => {
    const { entries, key } = await synced(1);
    mount([entries], '#/claims/print?office=office-1&month=2026-12');
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());

    const row = screen.getByText(formatFingerprint(key.info.fingerprint)).closest('tr')!;
    expect(row).toHaveTextContent(/拠点の管理者が控えている署名鍵の指紋（拠点サーバーの起動時の記録「hub signing key …」）と一致することを確かめてください。一致しなければ、この報告書の署名は拠点のものと確かめられません/);
    expect(row).toHaveTextContent(/これだけでは拠点の鍵である証明になりません/);
    expect(row).toHaveTextContent(/--fingerprint/);
    // no line saying the printed key is enough to check the CSV with
    expect(row).not.toHaveTextContent(/拠点サーバーがなくても/);
  });

  it('[K6] a receipt changed on the device is shown as not matching, never as countersigned', async () => {
    const { entries, receipts } = await synced(1);
    const forged = { ...receipts[0]!, receivedAt: '2026-11-30T14:00:00.000Z' };
    countersignState.setState({ receipts: new Map([[forged.entryId, forged]]) });
    mount([entries], '#/claims/print?office=office-1&month=2026-12');
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(screen.getByText(new RegExp(COUNTERSIGN_LABELS.invalid.replace(/[()（）]/g, '.')))).toBeInTheDocument();
    expect(screen.queryByText(/拠点署名済み 2026/)).toBeNull();
    expect(screen.getByText(`${entries.length}件中0件 拠点署名済み（1件は署名が一致しません）`)).toBeInTheDocument();
    // said at the top of the report, and on the case's line of the chain check: never 矛盾なし
    expect(screen.getByRole('alert')).toHaveTextContent(T.chainBrokenTitle);
    expect(screen.getByText(T.chain).closest('tr')).toHaveTextContent(/改ざんまたは破損しています: .*拠点の署名と一致しません/);
    expect(screen.queryByText(/記録のつながりに矛盾なし/)).toBeNull();
  });

  it('a device with no hub says so on the report: この端末のみ', async () => {
    const entries = await night('case-s', '2026-11-30T14:50:00.000Z');
    mount([entries], '#/claims/print?office=office-1&month=2026-12');
    await waitFor(() => expect(screen.getByRole('button', { name: T.print })).toBeEnabled());
    expect(screen.getByText(T.hubKey).closest('tr')).toHaveTextContent(T.hubKeyNone);
    // the key row, the case's line, and every entry
    expect(screen.getAllByText(COUNTERSIGN_LABELS['device-only'])).toHaveLength(entries.length + 2);
  });

  it('[K7] the detail CSV carries each row\'s receipt: status, hub time, position, hash and signature', async () => {
    const { entries, key, receipts } = await synced(2);
    const { user } = mount([entries]);
    await screen.findByText(T.chainAllOk(1));
    await user.click(screen.getByRole('button', { name: T.exportDetail }));
    // the file goes once its 閲覧記録 entry is written (asynchronous, after the click): a busy CI read it before
    await waitFor(() => expect(blobs).toHaveLength(1));
    const text = new TextDecoder().decode((await bytesOf(blobs[0]!)).slice(3));
    const [row] = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    const contact = receipts[1]!; // the row is the contact, the case's second entry
    expect(row).toMatchObject({
      拠点署名: COUNTERSIGN_LABELS.countersigned,
      拠点受付時刻: formatJapanDateTimeCsv(contact.receivedAt),
      事例の拠点署名: `${entries.length}件中2件 拠点署名済み`,
      拠点ID: key.info.hub,
      エントリID: entries[1]!.id,
      エントリのハッシュ: entries[1]!.hash,
      拠点受付番号: '41',
      '拠点受付時刻（UTC）': contact.receivedAt,
      署名鍵の指紋: key.info.fingerprint,
      // A base64 signature starting with + is written behind the formula guard ('), which the verifier strips.
      拠点の署名: asWrittenInCsv(contact.signature),
    });
  });
});

describe('claims routes and the default month (Japan time)', () => {
  it('defaults to the previous month in the first 10 days, else this month', () => {
    expect(defaultClaimMonth('2026-12-01')).toBe('2026-11');
    expect(defaultClaimMonth('2026-12-10')).toBe('2026-11');
    expect(defaultClaimMonth('2026-12-11')).toBe('2026-12');
    expect(defaultClaimMonth('2027-01-05')).toBe('2026-12');
  });

  it('offers this month and the 5 years before it, as long as an audit may ask for one', () => {
    const months = offeredMonths('2026-12-20');
    expect(months).toHaveLength(61);
    expect(months[0]).toBe('2026-12');
    expect(months.at(-1)).toBe('2021-12');
  });

  it('reads the office and month of the screen and the print route', () => {
    expect(parseClaimsRoute('#/claims')).toEqual({ name: 'screen', officeId: null, month: null });
    expect(parseClaimsRoute('#/claims/print?office=o%201&month=2026-12')).toEqual({ name: 'print', officeId: 'o 1', month: '2026-12' });
    expect(parseClaimsRoute('#/claims?month=2026-13')).toEqual({ name: 'screen', officeId: null, month: null });
  });
});
