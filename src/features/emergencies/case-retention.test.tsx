import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../../test/factories/emergency-case';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createHousehold, createPerson } from '../../../test/factories/household';
import type { EntryBody } from '../../domain/emergency-case';
import { useApp } from '../../state/store';
import { CasesScreen } from './cases-screen';
import { go } from '../../../test/factories/route';

const initial = useApp.getState();
const household = createHousehold({ id: 'hh-1', persons: [createPerson({ id: 'p-1', name: '佐藤 陽太' })] });

beforeEach(async () => {
  // a case closed on 1 December 2021 in Japan: kept through 1 December 2026
  const bodies: EntryBody[] = [
    openBody({ requestedAt: '2021-11-30T14:00:00.000Z' }),
    contactBody({ contactedAt: '2021-11-30T14:10:00.000Z' }),
    { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: '2021-11-30T15:00:00.000Z', note: '' },
    { type: 'close', closedAt: '2021-11-30T15:30:00.000Z' },
  ];
  const entries = await appendEntries([], bodies.map((body, i) => ({ body, at: `2021-11-30T15:3${i}:00.000Z` })), 'case-1');
  useApp.setState({ session: createFakeSession(), phase: 'unlocked', households: new Map([[household.id, household]]), caseEntries: new Map([['case-1', entries]]) });
});
afterEach(() => {
  vi.useRealTimers();
  useApp.setState(initial, true);
  window.location.hash = '';
});

describe('the case’s 保存期限', () => {
  it('says 「削除できません」 through its last day, and that it has passed from the day after', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-01T14:00:00.000Z')); // 23:00 on 1 December in Japan: its last day
    await go('#/cases/case-1');
    const { unmount } = render(<CasesScreen />);
    expect(await screen.findByText('保存期限: 2026年12月1日まで（5年間、削除できません）')).toBeInTheDocument();
    unmount();
    vi.setSystemTime(new Date('2026-12-01T15:00:00.000Z')); // 0:00 on 2 December
    render(<CasesScreen />);
    expect(await screen.findByText('保存期限: 2026年12月1日まで（期限を過ぎました）')).toBeInTheDocument();
    expect(screen.queryByText(/削除できません/)).not.toBeInTheDocument();
  });
});
