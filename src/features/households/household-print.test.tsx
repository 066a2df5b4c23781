import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { VaultError } from '../../vault/errors';
import type { AccessAction } from '../../vault/types';
import { useApp } from '../../state/store';
import { appendEntries, openBody } from '../../../test/factories/emergency-case';
import { mountScreen, resetStore } from './test-helpers';
import { createOffice } from '../../../test/factories/office';

afterEach(() => {
  resetStore();
  vi.restoreAllMocks();
});

const household = createHousehold({
  id: 'hh-1',
  persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', medications: 'デパケン 朝夕', allergies: 'ペニシリン' })],
  emergencyContacts: [{ name: '佐藤 花子', relation: '叔母', phones: ['090-1234-5678'], note: '' }],
  consent: { date: '2025-04-01', consentedBy: '佐藤 恵', scope: '拠点の短期入所事業所' },
});
const withdrawn = { ...household, withdrawal: { date: '2026-03-01', reason: '同意の撤回' } };

/** The 閲覧記録 as [action, reason]. */
const logOf = async (session: FakeSession) => (await session.accessLog()).map((e) => [e.action, e.reason]);

/** `action` fails `times` times with a full disk, then writes as before. */
function failLog(session: FakeSession, action: AccessAction, times = 1) {
  const write = session.logAccess.bind(session);
  let left = times;
  return vi.spyOn(session, 'logAccess').mockImplementation(async (a, householdId, reason) => {
    if (a === action && left > 0) {
      left -= 1;
      throw new VaultError('quota-exceeded');
    }
    return write(a, householdId, reason);
  });
}

/** The sheet as a print from the browser's menu takes it: held back (styles.css .print-held) or not. */
const sheet = () => screen.getByRole('heading', { level: 1, name: '事前登録者 情報シート' }).closest('.hh-print')!;
const heldFromPrint = () => sheet().classList.contains('print-held');

describe('the print sheet', () => {
  it("prints each contact with its reading, so the facility can say the name back on the phone", () => {
    const read = { ...household, emergencyContacts: [{ ...household.emergencyContacts[0]!, furigana: 'さとう はなこ' }] };
    mountScreen({ hash: '#/households/hh-1/print', households: [read] });
    expect(within(sheet() as HTMLElement).getByText(/^1\. 佐藤 花子/)).toHaveTextContent('1. 佐藤 花子（さとう はなこ）（叔母） 090-1234-5678');
  });

  it('writes the numbers as the screens do, names the 代理人, and says a review date already passed', () => {
    const typed = {
      ...household,
      emergencyContacts: [{ ...household.emergencyContacts[0]!, phones: ['09012345678'] }],
      legalRepresentative: '成年後見人 山本 一郎（司法書士）',
      lastReviewedOn: '2024-01-10',
    };
    mountScreen({ hash: '#/households/hh-1/print', households: [typed] });
    const paper = within(sheet() as HTMLElement);
    expect(paper.getByText(/^1\. 佐藤 花子/)).toHaveTextContent('090-1234-5678');
    expect(paper.getByRole('row', { name: /代理人/ })).toHaveTextContent('成年後見人 山本 一郎（司法書士）');
    expect(paper.getByText(/次回見直し/)).toHaveTextContent(/（期限切れ）/);
  });

  it('says who printed it, and when', () => {
    mountScreen({ hash: '#/households/hh-1/print', households: [household] });
    const by = useApp.getState().session!.user.displayName;
    expect(within(sheet() as HTMLElement).getByText(/^出力：/)).toHaveTextContent(new RegExp(`^出力：\\d{4}年\\d{1,2}月\\d{1,2}日 \\d{2}:\\d{2}（${by}）$`));
  });

  it('says on the paper that a demo household is made up', async () => {
    mountScreen({ hash: '#/households/hh-1/print', households: [household] });
    act(() => useApp.setState({ demoIds: new Set(['hh-1']) }));
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('事前登録者 情報シート（デモ・架空）'));
  });
});

describe('the print sheet of a 登録廃止 household', () => {
  it('asks for the reason as without a 同意書, writes it to the 閲覧記録, then prints', async () => {
    const session = createFakeSession();
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [withdrawn], session });
    expect(screen.getByText(/この世帯は登録廃止されています/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: '印刷する' })).toBeNull();
    // the 同意書 on record no longer stands: its scope is neither checked nor printed
    expect(screen.queryByText(/同意書の共有の範囲/)).toBeNull();
    expect(screen.queryByRole('row', { name: /共有の範囲/ })).toBeNull();

    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(print).toHaveBeenCalledOnce());
    expect(await logOf(session)).toEqual([
      ['print-household', undefined],
      ['share-without-consent', '緊急の短期入所のため、本人の生命・身体の保護に必要（同意を得ることが困難）'],
    ]);
    // printing again after the reason is on record needs no second reason
    expect(screen.getByRole('button', { name: '印刷する' })).toBeInTheDocument();
  });

  it('names the 登録事業所 as its office is named today: renamed or merged, the sheet kept the old name', () => {
    const moved = { ...household, officeId: 'office-a', registeringOffice: '相談室 あおば（旧名）' };
    useApp.setState({ offices: new Map([['office-a', createOffice({ id: 'office-a', name: '相談支援センター あおば' })]]) });
    mountScreen({ hash: '#/households/hh-1/print', households: [moved] });
    expect(sheet()).toHaveTextContent('相談支援センター あおば');
    expect(sheet()).not.toHaveTextContent('（旧名）');
  });

  it('prints 登録廃止 with its date on the sheet, so the facility knows it may be stale, and not its reason', () => {
    mountScreen({ hash: '#/households/hh-1/print', households: [withdrawn] });
    const line = within(sheet() as HTMLElement).getByText(/^登録廃止（/);
    expect(line).toHaveTextContent('登録廃止（2026年3月1日）');
    // why the registration ended (a death, a family's falling out) is the 拠点's, not the facility's
    expect(sheet()).not.toHaveTextContent('同意の撤回');
    expect(line).toHaveTextContent('記載内容は最新でない可能性があります');
    expect(line).not.toHaveClass('no-print');
  });
});

describe('a print from the browser menu before the reason is written', () => {
  it('is held back, with a line saying to record the reason, until the reason is written', async () => {
    // what the print dialog gets when 「理由を記録して印刷」 opens it: the sheet, not the blank page
    const heldWhenPrinted: boolean[] = [];
    vi.spyOn(window, 'print').mockImplementation(() => void heldWhenPrinted.push(heldFromPrint()));
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, consent: null }] });
    expect(heldFromPrint()).toBe(true);
    expect(screen.getByText(/理由を記録してから印刷してください/)).toHaveClass('print-held__note');
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(heldWhenPrinted).toEqual([false]));
    expect(heldFromPrint()).toBe(false);
    expect(screen.queryByText(/理由を記録してから印刷してください/)).toBeNull();
  });

  it('is held back for a 登録廃止 household too', () => {
    mountScreen({ hash: '#/households/hh-1/print', households: [withdrawn] });
    expect(heldFromPrint()).toBe(true);
  });

  it('is not held back for a household with a 同意書 once its opening is on record', async () => {
    const session = createFakeSession();
    mountScreen({ hash: '#/households/hh-1/print', households: [household], session });
    await waitFor(async () => expect(await logOf(session)).toEqual([['print-household', undefined]]));
    await waitFor(() => expect(heldFromPrint()).toBe(false));
    expect(screen.getByRole('button', { name: '印刷する' })).toBeInTheDocument();
  });

  it('is held back for a household with a 同意書 while its opening is still being written', async () => {
    const session = createFakeSession();
    const write = session.logAccess.bind(session);
    let finish: () => void = () => undefined;
    vi.spyOn(session, 'logAccess').mockImplementation(async (a, householdId, reason) => {
      await new Promise<void>((done) => (finish = done));
      return write(a, householdId, reason);
    });
    mountScreen({ hash: '#/households/hh-1/print', households: [household], session });
    await waitFor(() => expect(session.logAccess).toHaveBeenCalled());
    expect(heldFromPrint()).toBe(true);
    expect(screen.queryByRole('button', { name: '印刷する' })).toBeNull();
    finish();
    await waitFor(() => expect(heldFromPrint()).toBe(false));
    expect(screen.getByRole('button', { name: '印刷する' })).toBeInTheDocument();
  });
});

describe('when the 閲覧記録 cannot be written, nothing prints and the user is told', () => {
  it('the reason: the error shows, nothing prints, and a second try prints', async () => {
    const session = createFakeSession();
    const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
    failLog(session, 'share-without-consent');
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, consent: null, reviews: [], lastReviewedOn: null }], session });
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(/閲覧記録に書き込めなかったため、印刷していません。端末の保存容量が足りません/);
    expect(print).not.toHaveBeenCalled();
    expect(heldFromPrint()).toBe(true);
    expect(screen.queryByRole('button', { name: '印刷する' })).toBeNull();

    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(print).toHaveBeenCalledOnce());
    expect(screen.queryByRole('alert')).toBeNull();
    expect((await logOf(session)).map(([action]) => action)).toEqual(['print-household', 'share-without-consent']);
    // a 仮登録 has no 同意日 to count the review from
    expect(document.body).toHaveTextContent('前回見直し なし（同意書なし）');
  });

  it('the opening (print-household): the error shows with 再試行, 「印刷する」 and the sheet are held until it is written', async () => {
    const session = createFakeSession();
    failLog(session, 'print-household');
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [household], session });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(/閲覧記録に書き込めなかったため、印刷していません。端末の保存容量が足りません/);
    expect(screen.queryByRole('button', { name: '印刷する' })).toBeNull();
    expect(heldFromPrint()).toBe(true);
    expect(await logOf(session)).toEqual([]);

    await user.click(within(alert).getByRole('button', { name: '再試行' }));
    expect(await screen.findByRole('button', { name: '印刷する' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(heldFromPrint()).toBe(false);
    expect(await logOf(session)).toEqual([['print-household', undefined]]);
  });
});

describe('the sheet of one person of a household of two', () => {
  it('leaves a sibling off the sheet when unticked, and keeps at least one person on it', async () => {
    const sisters = createHousehold({
      ...household,
      persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', medications: 'デパケン 朝夕' }), createPerson({ id: 'p-2', name: '佐藤 紗希', medications: 'リスパダール 夕' })],
    });
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [sisters] });
    const who = await screen.findByRole('group', { name: '印刷する方' });
    expect(sheet()).toHaveTextContent('リスパダール 夕');
    await user.click(within(who).getByLabelText('佐藤 紗希'));
    expect(sheet()).not.toHaveTextContent('佐藤 紗希（');
    expect(sheet()).not.toHaveTextContent('リスパダール 夕');
    expect(sheet()).toHaveTextContent('デパケン 朝夕');
    // the one left cannot be unticked too
    expect(within(who).getByLabelText('佐藤 陽太')).toBeDisabled();
    await user.click(within(who).getByLabelText('佐藤 紗希'));
    expect(sheet()).toHaveTextContent('リスパダール 夕');
  });
});

describe('what the sheet tells the facility', () => {
  it('prints the 受給者証番号 with its city, the 障害支援区分 and the behaviour score', async () => {
    const scored = createHousehold({
      ...household,
      persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '0123456789', municipality: '松戸市', supportLevel: 5, behaviorScore: 14 })],
    });
    mountScreen({ hash: '#/households/hh-1/print', households: [scored] });
    await screen.findByRole('heading', { level: 2, name: /佐藤 陽太/ });
    // opened by a button that went with the household's screen: the sheet's title takes the focus
    expect(screen.getByRole('heading', { level: 1, name: '事前登録者 情報シート' })).toHaveFocus();
    expect(screen.getByRole('row', { name: /受給者証番号/ })).toHaveTextContent('0123456789（松戸市）');
    expect(screen.getByRole('row', { name: /区分・行動関連/ })).toHaveTextContent(/障害支援区分 区分5\s行動関連項目合計点数 14点/);
  });

  it('ticks only the person whose emergency is open, and says so, until the user ticks another', async () => {
    const sisters = createHousehold({
      ...household,
      persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', medications: 'デパケン 朝夕' }), createPerson({ id: 'p-2', name: '佐藤 紗希', medications: 'リスパダール 夕' })],
    });
    const saki = { householdId: 'hh-1', personId: 'p-2', name: '佐藤 紗希', recipientNumber: '' };
    const chain = await appendEntries([], [openBody({ subject: saki })], 'case-saki');
    useApp.setState({ caseEntries: new Map([['case-saki', chain]]) });
    const { user } = mountScreen({ hash: '#/households/hh-1/print', households: [sisters] });
    const who = await screen.findByRole('group', { name: '印刷する方' });
    expect(within(who).getByText('緊急対応中の方だけにチェックを入れています。')).toBeInTheDocument();
    expect(within(who).getByLabelText('佐藤 紗希')).toBeChecked();
    expect(within(who).getByLabelText('佐藤 陽太')).not.toBeChecked();
    expect(sheet()).toHaveTextContent('リスパダール 夕');
    expect(sheet()).not.toHaveTextContent('デパケン 朝夕');
    await user.click(within(who).getByLabelText('佐藤 陽太'));
    expect(sheet()).toHaveTextContent('デパケン 朝夕');
    expect(within(who).queryByText('緊急対応中の方だけにチェックを入れています。')).toBeNull();
  });
});

describe('the ticks under the finger', () => {
  it('stay as they are when the finger reaches them, though a case opens just then (a sync): a box flipped under the finger, and the click unticked it', async () => {
    const sisters = createHousehold({
      ...household,
      persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' }), createPerson({ id: 'p-2', name: '佐藤 紗希' })],
    });
    mountScreen({ hash: '#/households/hh-1/print', households: [sisters] });
    const who = await screen.findByRole('group', { name: '印刷する方' });
    const yota = within(who).getByLabelText('佐藤 陽太');
    expect(yota).toBeChecked();
    fireEvent.pointerDown(yota);
    const saki = { householdId: 'hh-1', personId: 'p-2', name: '佐藤 紗希', recipientNumber: '' };
    const chain = await appendEntries([], [openBody({ subject: saki })], 'case-saki');
    act(() => useApp.setState({ caseEntries: new Map([['case-saki', chain]]) }));
    fireEvent.click(yota);
    // the click did what the finger meant: 陽太 off, 紗希 on
    expect(yota).not.toBeChecked();
    expect(within(who).getByLabelText('佐藤 紗希')).toBeChecked();
  });
});

describe('what the sheet says of what was never written down', () => {
  it('prints 医療的ケア, 服薬, アレルギー and 発作 for each person, 「記載なし（未確認）」 when blank: a missing row would read as none', async () => {
    const unasked = createHousehold({
      ...household,
      persons: [
        createPerson({ id: 'p-1', name: '佐藤 陽太', medicalCare: [], medicalCareDetails: '', severeMultiple: false, medications: '', allergies: '', seizures: '' }),
        createPerson({ id: 'p-2', name: '佐藤 紗希', medications: 'リスパダール 夕', allergies: '', seizures: '' }),
      ],
    });
    mountScreen({ hash: '#/households/hh-1/print', households: [unasked] });
    await screen.findByRole('heading', { level: 2, name: /佐藤 陽太/ });
    const cell = (label: string) => screen.getAllByRole('row', { name: new RegExp(`^${label}`) }).map((r) => r.querySelector('td')!.textContent);
    expect(cell('医療的ケア')).toEqual(['記載なし（未確認）', '記載なし（未確認）']);
    expect(cell('服薬')).toEqual(['記載なし（未確認）', 'リスパダール 夕']);
    expect(cell('アレルギー')).toEqual(['記載なし（未確認）', '記載なし（未確認）']);
    expect(cell('発作')).toEqual(['記載なし（未確認）', '記載なし（未確認）']);
  });
});

describe('the sheet printed without a 同意書', () => {
  const sameRow = () => screen.queryAllByRole('row').filter((r) => r.querySelector('th')?.textContent === '同意書');

  it('says on the paper that there is none, on what ground it is given, and for that use only; with one, its 共有の範囲 instead', async () => {
    const session = createFakeSession();
    vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const { user, unmount } = mountScreen({ hash: '#/households/hh-1/print', households: [{ ...household, consent: null }], session });
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(heldFromPrint()).toBe(false));
    expect(sameRow()).toHaveLength(1);
    expect(sameRow()[0]).toHaveTextContent(
      '同意書なし：本人の生命・身体の保護のため提供しています（個人情報保護法27条1項2号）。この目的以外に使わないでください。',
    );
    expect(within(sheet() as HTMLElement).getAllByRole('row').at(-1)).toBe(sameRow()[0]);
    unmount();

    mountScreen({ hash: '#/households/hh-1/print', households: [household] });
    await screen.findByRole('heading', { level: 2, name: /佐藤 陽太/ });
    expect(sameRow()).toEqual([]);
    expect(screen.getByRole('row', { name: /共有の範囲/ })).toHaveTextContent('拠点の短期入所事業所');
  });
});

describe('the foot of every printed page (the margin box of @page household-sheet)', () => {
  const running = () => document.documentElement.style.getPropertyValue('--hh-print-running');

  it('names the persons printed and when, from <html> for the page margin boxes, once the sheet is no longer held back, until unmount', async () => {
    vi.spyOn(window, 'print').mockImplementation(() => undefined);
    const sisters = createHousehold({
      ...household,
      consent: null,
      persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' }), createPerson({ id: 'p-2', name: '佐藤 "紗希"\\\n' })],
    });
    const { user, unmount } = mountScreen({ hash: '#/households/hh-1/print', households: [sisters] });
    // held back, the paper says only why: no name at its foot either
    expect(heldFromPrint()).toBe(true);
    expect(running()).toBe('');
    await user.click(screen.getByRole('button', { name: '理由を記録して印刷' }));
    await waitFor(() => expect(heldFromPrint()).toBe(false));
    // a CSS string: `"` and `\` escaped, the line break gone (it would end the declaration)
    expect(running()).toMatch(/^"佐藤 陽太さん、佐藤 \\"紗希\\"\\\\ さん・事前登録者 情報シート・出力：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}"$/);
    // the one left off the sheet is left off its foot too
    await user.click(within(screen.getByRole('group', { name: '印刷する方' })).getByLabelText(/紗希/));
    expect(running()).toMatch(/^"佐藤 陽太さん・事前登録者 情報シート・出力：/);
    unmount();
    expect(running()).toBe('');
  });
});
