/**
 * 電話済み's 入所 mark reads the case's outcome as every other screen does (standingOutcomes): an
 * admission two phones left unsettled against another outcome is marked in neither read order.
 */
import { render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appendEntries } from '../../../test/factories/emergency-case';
import { FUJI, forkedOutcomes } from '../../../test/factories/forked-outcomes';
import { foldCase } from '../../domain/case-fold';
import type { EmergencyCase } from '../../domain/emergency-case';
import { useApp } from '../../state/store';
import { CalledGroup } from './called-group';

const initial = useApp.getState();
afterEach(() => useApp.setState(initial, true));

function fujiCard(kase: EmergencyCase): HTMLElement {
  const calls = kase.contacts.filter((c) => c.body.facilityId === FUJI.id);
  render(<CalledGroup kase={kase} groups={[{ facilityId: FUJI.id, calls }]} facilities={new Map()} onCall={() => {}} now={new Date()} />);
  return screen.getByRole('article', { name: FUJI.name });
}

describe('電話済み: the 入所 mark of a facility admitted on one phone while another recorded 在宅で対応', () => {
  for (const last of ['home', 'admission'] as const) {
    it(`does not mark ふじ admitted and offers 「入所を記録」 again, with ${last === 'home' ? '在宅で対応' : 'the admission'} last in read order`, async () => {
      const { entries } = await forkedOutcomes({ last });
      const card = fujiCard(foldCase(entries));
      expect(within(card).queryByText('入所を記録しました')).toBeNull();
      expect(within(card).getByRole('button', { name: '入所を記録' })).toBeVisible();
    });
  }

  it('marks it once the admission is recorded again by a phone that held both', async () => {
    const { entries, phone1, admission } = await forkedOutcomes({ last: 'home' });
    const card = fujiCard(foldCase(await appendEntries(entries, [{ body: admission, at: '2026-11-30T09:10:00.000Z' }], 'case-1', phone1)));
    expect(within(card).getByText('入所を記録しました')).toBeVisible();
    expect(within(card).queryByRole('button', { name: '入所を記録' })).toBeNull();
  });
});
