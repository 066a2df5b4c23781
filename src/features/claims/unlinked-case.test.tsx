/**
 * A case opened 「本人未特定で開始」 that ended in a short stay waits (要確認) until it is linked to its
 * registered person, and the month's warnings say so: it is held back from the claim, not dropped as
 * 算定不可 (docs/claim-rules.md rule b).
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { admittedNight } from '../../../test/factories/emergency-case';
import { createFakeSession } from '../../../test/factories/fake-session';
import { createOffice } from '../../../test/factories/office';
import { CLAIM_REASONS } from '../../domain/claim-rules';
import type { CaseEntry, CaseSubject } from '../../domain/emergency-case';
import { DEFAULT_SETTINGS, useApp } from '../../state/store';
import { countersignState, resetCountersignState } from '../../sync/countersign';
import { ClaimsScreen } from './claims-screen';
import { T } from './text';

const initial = useApp.getState();
const office = createOffice({ name: '市川相談支援センター', officeNumber: '1234567890' });
const nobody: CaseSubject = { householdId: null, personId: null, name: '', recipientNumber: '' };

beforeEach(() => {
  Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:claims'), revokeObjectURL: vi.fn() });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  resetCountersignState();
  useApp.setState(initial, true);
  window.location.hash = '';
});

function mount(chains: readonly CaseEntry[][]) {
  countersignState.setState({ loaded: true });
  useApp.setState({
    session: createFakeSession(),
    phase: 'unlocked',
    settings: DEFAULT_SETTINGS,
    offices: new Map([[office.id, office]]),
    caseEntries: new Map(chains.map((c) => [c[0]!.caseId, c] as const)),
  });
  window.location.hash = `#/claims?office=${office.id}&month=2026-11`;
  render(<ClaimsScreen />);
}

describe('本人未特定で開始, admitted to a short stay, not yet linked', () => {
  it('is 要確認 saying to link it, and the month warns of it and holds it back at 請求済みにする', async () => {
    const chains = await Promise.all([admittedNight('case-known', '2026-11-05T03:00:00.000Z'), admittedNight('case-nobody', '2026-11-06T03:00:00.000Z', nobody)]);
    mount(chains);
    await screen.findByText(T.chainAllOk(2));
    const item = screen.getAllByRole('link', { name: T.openCase }).find((a) => a.getAttribute('href') === '#/cases/case-nobody')!.closest('li')!;
    expect(within(item).getByText('要確認')).toBeInTheDocument();
    expect(within(item).getByText(CLAIM_REASONS.noPerson)).toBeInTheDocument();
    expect(screen.getByText(T.pendingWarning(1))).toBeInTheDocument();

    const user = userEvent.setup();
    fireEvent.change(screen.getByLabelText(new RegExp(T.sentOn)), { target: { value: '2026-12-01' } });
    await user.click(screen.getByRole('button', { name: T.closeButton }));
    const dialog = await screen.findByRole('dialog', { name: T.closeConfirmTitle('2026年11月') });
    expect(within(dialog).getByText(T.closeHeldBack(1))).toBeInTheDocument();
  });
});
