/**
 * standingOutcomes: what a case says of where the person went, for every reader (緊急入所中, the
 * stay, the yearly report, the match), the same whichever outcome read order put last.
 */
import { describe, expect, it } from 'vitest';
import { appendEntries, buildCase, contactBody, openBody } from '../../test/factories/emergency-case';
import { forkedOutcomes } from '../../test/factories/forked-outcomes';
import { foldCase, standingOutcomes, stayOf } from './case-fold';

/** What a reader sees of it: each outcome, its facility and its stay, without the entry ids (each order's phones wrote different ones). */
async function readFork(last: 'home' | 'admission') {
  const { outcomes, unsettled } = standingOutcomes(foldCase((await forkedOutcomes({ last })).entries));
  return { unsettled, outcomes: outcomes.map((o) => ({ outcome: o.outcome.body.outcome, facility: o.outcome.body.facilityName, stay: o.stay })) };
}

describe('standingOutcomes', () => {
  it('gives both outcomes of a fork, unsettled, the same in both read orders', async () => {
    // the fork read in both orders: the outcome standing in read order is each phone's in turn
    expect(foldCase((await forkedOutcomes({ last: 'home' })).entries).outcome?.body.outcome).toBe('在宅で対応');
    expect(foldCase((await forkedOutcomes({ last: 'admission' })).entries).outcome?.body.outcome).toBe('短期入所');
    const home = await readFork('home');
    expect(home).toEqual(await readFork('admission'));
    expect(home).toEqual({
      unsettled: true,
      outcomes: [
        { outcome: '在宅で対応', facility: '', stay: null },
        { outcome: '短期入所', facility: 'ふじ短期入所', stay: { caseId: 'case-1', from: '2026-11-30T08:50:00.000Z', fromDay: '2026-11-30', endedAt: null, endDay: null } },
      ],
    });
  });

  it('is the outcome that stands and its stay (stayOf) once someone who held both records it again', async () => {
    for (const last of ['home', 'admission'] as const) {
      const { entries, phone1, admission } = await forkedOutcomes({ last });
      const settled = foldCase(await appendEntries(entries, [{ body: admission, at: '2026-11-30T09:10:00.000Z' }], 'case-1', phone1));
      const { outcomes, unsettled } = standingOutcomes(settled);
      expect(unsettled).toBe(false);
      expect(outcomes).toEqual([{ outcome: settled.outcome, stay: stayOf(settled) }]);
      expect(outcomes[0]!.stay?.fromDay).toBe('2026-11-30');
    }
  });

  it('is empty with no outcome, and one outcome on a case recorded on one phone', async () => {
    const open = await buildCase([openBody(), contactBody()]);
    expect(standingOutcomes(open)).toEqual({ outcomes: [], unsettled: false });
    const home = await buildCase([openBody(), contactBody(), { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' }]);
    expect(standingOutcomes(home)).toEqual({ outcomes: [{ outcome: home.outcome, stay: null }], unsettled: false });
  });
});
