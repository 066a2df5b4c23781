import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendEntries, openBody } from '../../../test/factories/emergency-case';
import { createFakeSession, type FakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import { useApp } from '../../state/store';
import type { CaseEntry, Office } from '../../domain/emergency-case';
import { formatJapanDateTime } from '../../domain/japan-time';
import { CasesScreen } from './cases-screen';
import { T } from './text';
import { go } from '../../../test/factories/route';

const initial = useApp.getState();
let session: FakeSession;

const office: Office = {
  id: 'office-1',
  name: 'あおぞら相談支援センター',
  officeNumber: '1210000001',
  hubPeriods: [{ from: '2024-04-01', to: null, note: '' }],
  oneBody: { settlement: false, independentLiving: false },
  createdAt: '2024-04-01T00:00:00.000Z',
  updatedAt: '2024-04-01T00:00:00.000Z',
};
const household = createHousehold({
  id: 'hh-1',
  persons: [createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890', birthDate: '1990-05-01' })],
});
const subject = { householdId: 'hh-1', personId: 'p-1', name: '佐藤 陽太', recipientNumber: '1234567890' };
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** A case of Yota requested `h` hours ago, as another phone recorded it. */
async function earlierCase(id: string, h: number): Promise<CaseEntry[]> {
  const at = hoursAgo(h); // one instant: requested and recorded at the same moment
  return appendEntries([], [{ body: openBody({ requestedAt: at, subject }), at }], id, { by: { userId: 'u-2', name: '鈴木 日勤' }, deviceId: 'device-2' });
}

async function hold(...chains: CaseEntry[][]) {
  for (const chain of chains) for (const e of chain) await session.append('case-entry', e.id, e);
  useApp.setState({ caseEntries: new Map(chains.map((c) => [c[0]!.caseId, c] as const)) });
}

const stored = async () => (await session.list<CaseEntry>('case-entry')).map((r) => r.data);

beforeEach(() => {
  session = createFakeSession();
  useApp.setState({ session, phase: 'unlocked', households: new Map([[household.id, household]]), offices: new Map([[office.id, office]]) });
});

afterEach(() => {
  useApp.setState(initial, true);
  window.location.hash = '';
});

describe('「同じ緊急事態ですか？」 when a case is started (Q&A R6 問74: one emergency, one claim)', () => {
  it('asks when the person has a case requested within 24 hours; 「同じ緊急事態」 opens that case and starts no second one', async () => {
    const earlier = await earlierCase('case-earlier', 3);
    await hold(earlier);
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);

    const question = (await screen.findByText(T.sameQuestion)).closest('fieldset')!;
    expect(within(question).getByText(T.sameIntro(1))).toBeInTheDocument();
    expect(within(question).getByText(new RegExp(`要請 ${formatJapanDateTime(earlier[0]!.recordedAt)}`))).toBeInTheDocument();

    // not answered: nothing is written
    await user.click(screen.getByRole('radio', { name: '介護者の急病・けが' }));
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    expect(await screen.findByText(T.sameUnanswered)).toBeInTheDocument();
    expect(await stored()).toHaveLength(1);

    // what was typed for this call is not recorded: asked first, and 「入力に戻る」 keeps it
    await user.click(within(question).getByRole('button', { name: T.sameOpenExisting }));
    const ask = screen.getByRole('dialog', { name: T.sameOpenTypedTitle });
    await user.click(within(ask).getByRole('button', { name: T.sameOpenTypedCancel }));
    expect(window.location.hash).toBe('#/cases/new/hh-1/p-1');
    expect(screen.getByRole('radio', { name: '介護者の急病・けが' })).toBeChecked();
    await user.click(within(question).getByRole('button', { name: T.sameOpenExisting }));
    await user.click(within(screen.getByRole('dialog', { name: T.sameOpenTypedTitle })).getByRole('button', { name: T.sameOpenTypedConfirm }));
    await waitFor(() => expect(window.location.hash).toBe('#/cases/case-earlier'));
    expect(await stored()).toHaveLength(1);
  });

  it("names a sibling's case that shares the number, and offers no way to open it for this person", async () => {
    // twins whose numbers were entered swapped: Yota's case was recorded under the number his sister holds now
    const twins = createHousehold({
      id: 'hh-1',
      persons: [
        createPerson({ id: 'p-1', name: '佐藤 陽太', recipientNumber: '2222222222', birthDate: '2012-05-01' }),
        createPerson({ id: 'p-2', name: '佐藤 陽菜', recipientNumber: '1234567890', birthDate: '2012-05-01' }),
      ],
    });
    useApp.setState({ households: new Map([[twins.id, twins]]) });
    const earlier = await earlierCase('case-earlier', 3);
    await hold(earlier);
    await go('#/cases/new/hh-1/p-2');
    render(<CasesScreen />);
    const question = (await screen.findByText(T.sameQuestion)).closest('fieldset')!;
    expect(within(question).getByText(new RegExp(`要請 ${formatJapanDateTime(earlier[0]!.recordedAt)}.*佐藤 陽太さんの記録`))).toBeInTheDocument();
    expect(within(question).getByText(T.sameOtherPerson)).toBeInTheDocument();
    expect(within(question).queryByRole('button', { name: T.sameOpenExisting })).not.toBeInTheDocument();
  });

  it('「同じ緊急事態」 opens that case at once when nothing was typed for this call', async () => {
    await hold(await earlierCase('case-earlier', 3));
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);
    const question = (await screen.findByText(T.sameQuestion)).closest('fieldset')!;
    await user.click(within(question).getByRole('button', { name: T.sameOpenExisting }));
    await waitFor(() => expect(window.location.hash).toBe('#/cases/case-earlier'));
    expect(screen.queryByRole('dialog', { name: T.sameOpenTypedTitle })).not.toBeInTheDocument();
  });

  it('「別の緊急事態」 requires a reason, recorded as an entry of the new case naming the other', async () => {
    const earlier = await earlierCase('case-earlier', 23);
    await hold(earlier);
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);

    await user.click(await screen.findByRole('button', { name: T.sameSeparate }));
    await user.click(screen.getByRole('radio', { name: '本人の状態悪化' }));
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    expect(await screen.findByText(T.sameReasonMissing)).toBeInTheDocument();
    expect(await stored()).toHaveLength(1);

    await user.type(screen.getByLabelText(new RegExp(T.sameReason)), '昨夜は入院で対応済み。今回は別の介護者の急病');
    await user.click(screen.getByRole('button', { name: '記録を開始' }));
    await waitFor(async () => expect(await stored()).toHaveLength(3));
    const mine = (await stored()).filter((e) => e.caseId !== 'case-earlier').sort((a, b) => a.index - b.index);
    expect(mine.map((e) => e.body.type)).toEqual(['open', 'same-emergency']);
    expect(mine[1]!.body).toEqual({
      type: 'same-emergency',
      otherCaseId: 'case-earlier',
      otherRequestedAt: earlier[0]!.recordedAt,
      answer: 'separate',
      reason: '昨夜は入院で対応済み。今回は別の介護者の急病',
    });
  });

  it('does not ask when the other case was requested 24 hours ago or more', async () => {
    await hold(await earlierCase('case-old', 24.1));
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);
    await screen.findByRole('button', { name: '記録を開始' });
    expect(screen.queryByText(T.sameQuestion)).toBeNull();
  });

  it('says, days later, that the person is still in the stay an earlier emergency began, and opens that record; not once the stay has ended', async () => {
    /** a case of Yota requested `h` hours ago, admitted to あおば荘 an hour later, closed; left when `leftAfter` hours were past */
    const admitted = async (id: string, h: number, leftAfter?: number) => {
      const at = (after: number) => hoursAgo(h - after);
      const stay = [
        { body: openBody({ requestedAt: at(0), subject }), at: at(0) },
        { body: { type: 'outcome' as const, outcome: '短期入所' as const, facilityId: 'fac-1', facilityName: 'あおば荘', from: at(1), note: '' }, at: at(1) },
        { body: { type: 'close' as const, closedAt: at(1) }, at: at(1) },
        ...(leftAfter === undefined ? [] : [{ body: { type: 'stay-end' as const, endedAt: at(leftAfter), exit: '自宅に戻った' as const, note: '' }, at: at(leftAfter) }]),
      ];
      return appendEntries([], stay, id);
    };
    await hold(await admitted('case-staying', 80), await admitted('case-left', 200, 48));
    const user = userEvent.setup();
    await go('#/cases/new/hh-1/p-1');
    render(<CasesScreen />);
    await screen.findByRole('button', { name: '記録を開始' });
    // days past the 24 hours of 同じ緊急事態ですか？
    expect(screen.queryByText(T.sameQuestion)).toBeNull();
    const notices = screen.getAllByText(/緊急入所中です/);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toHaveTextContent(/^この方はあおば荘に緊急入所中です（.+から・\d日目）。/);
    await user.click(screen.getByRole('button', { name: T.inStayOpen }));
    await waitFor(() => expect(window.location.hash).toBe('#/cases/case-staying'));
  });

  it('is answered later on the case screen: the answer is recorded and shown, and can be answered again', async () => {
    const first = await earlierCase('case-a', 5);
    const second = await earlierCase('case-b', 2);
    await hold(first, second);
    const user = userEvent.setup();
    await go('#/cases/case-b');
    render(<CasesScreen />);

    const section = await screen.findByRole('region', { name: T.sameSection });
    expect(within(section).getByText(T.sameNotAnswered)).toBeInTheDocument();
    // a reason typed for 別, then 同じ chosen: the reason, hidden, is not recorded with 同じ
    await user.click(within(section).getByRole('radio', { name: T.sameAnswerSeparate }));
    await user.type(within(section).getByLabelText(new RegExp(T.sameReason)), '前日の要請は入院で対応済み');
    await user.click(within(section).getByRole('radio', { name: T.sameAnswerSame }));
    await user.click(within(section).getByRole('button', { name: T.sameSave }));
    expect(await within(section).findByText(new RegExp(`^回答: ${T.sameAnswerSame}\\s`))).toBeInTheDocument();

    await user.click(within(section).getByRole('radio', { name: T.sameAnswerSeparate }));
    await user.click(within(section).getByRole('button', { name: T.sameSave }));
    expect(await within(section).findByText(T.sameReasonMissing)).toBeInTheDocument();
    await user.type(within(section).getByLabelText(new RegExp(T.sameReason)), '別の要請');
    await user.click(within(section).getByRole('button', { name: T.sameSave }));
    expect(await within(section).findByText(new RegExp(`^回答: ${T.sameAnswerSeparate}（理由: 別の要請）`))).toBeInTheDocument();
    const answers = (await stored()).filter((e) => e.body.type === 'same-emergency').map((e) => e.body);
    expect(answers).toMatchObject([{ answer: 'same', otherCaseId: 'case-a', reason: '' }, { answer: 'separate', otherCaseId: 'case-a', reason: '別の要請' }]);
  });
});
