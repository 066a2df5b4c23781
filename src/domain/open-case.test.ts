import { describe, expect, it } from 'vitest';
import { admittedNight, appendEntries, contactBody, openBody, subjectYota } from '../../test/factories/emergency-case';
import type { CaseEntry, CaseSubject, EntryBody } from './emergency-case';
import { FUJI, forkedOutcomes } from '../../test/factories/forked-outcomes';
import { admissionsElsewhere, callsElsewhere, openCaseOfPerson, recentOpenCases } from './open-case';

const unknownCaller: CaseSubject = { householdId: null, personId: null, name: '', recipientNumber: '' };
const other: CaseSubject = { ...subjectYota, personId: 'p-2', name: '佐藤 美月' };

describe('openCaseOfPerson', () => {
  it('finds the open case of the person, not a closed one nor another person\'s', async () => {
    const chains = [
      await admittedNight('closed', '2026-11-01T12:00:00.000Z'),
      await appendEntries([], [openBody({ subject: other })], 'other'),
      await appendEntries([], [openBody()], 'open'),
    ];
    expect(openCaseOfPerson(chains, 'hh-1', 'p-1')?.id).toBe('open');
    expect(openCaseOfPerson(chains, 'hh-1', 'p-2')?.id).toBe('other');
    expect(openCaseOfPerson(chains.slice(0, 1), 'hh-1', 'p-1')).toBeNull();
    expect(openCaseOfPerson(chains, 'hh-other', 'p-1')).toBeNull();
  });

  it('finds a case begun for an unknown caller once it is linked to the person', async () => {
    const begun = await appendEntries([], [openBody({ subject: unknownCaller })], 'unknown');
    expect(openCaseOfPerson([begun], 'hh-1', 'p-1')).toBeNull();
    const linked = await appendEntries(begun, [{ type: 'link', subject: subjectYota }]);
    expect(openCaseOfPerson([linked], 'hh-1', 'p-1')?.id).toBe('unknown');
  });

  it('finds a closed case opened again with 対応を再開 (the 取消 of its close)', async () => {
    const closed = await admittedNight('reopened', '2026-11-01T12:00:00.000Z');
    expect(openCaseOfPerson([closed], 'hh-1', 'p-1')).toBeNull();
    const close = closed.find((e) => e.body.type === 'close')!;
    const reopened = await appendEntries(closed, [{ type: 'correction', corrects: close.id, reason: '受入先から今夜は預かれないと電話があった', replacement: null }]);
    expect(openCaseOfPerson([reopened], 'hh-1', 'p-1')?.id).toBe('reopened');
  });

  it('takes the latest request when the person has two open cases', async () => {
    const chains = [
      await appendEntries([], [openBody({ requestedAt: '2026-11-30T15:00:00.000Z' })], 'later'),
      await appendEntries([], [openBody({ requestedAt: '2026-11-30T14:00:00.000Z' })], 'earlier'),
    ];
    expect(openCaseOfPerson(chains, 'hh-1', 'p-1')?.id).toBe('later');
    expect(openCaseOfPerson([...chains].reverse(), 'hh-1', 'p-1')?.id).toBe('later');
  });
});

describe('recentOpenCases', () => {
  it("lists the night's open cases, latest first, and leaves out closed ones and one left open for days", async () => {
    const now = new Date('2026-12-01T18:00:00.000Z');
    const chains = [
      await admittedNight('closed', '2026-12-01T15:00:00.000Z'),
      await appendEntries([], [openBody({ requestedAt: '2026-11-20T15:00:00.000Z' })], 'forgotten'),
      await appendEntries([], [openBody({ requestedAt: '2026-12-01T15:00:00.000Z', subject: unknownCaller })], 'unknown'),
      await appendEntries([], [openBody({ requestedAt: '2026-12-01T17:10:00.000Z', subject: other })], 'latest'),
    ];
    expect(recentOpenCases(chains, now, 48 * 3_600_000, 'device-1').map((c) => c.id)).toEqual(['latest', 'unknown']);
    expect(recentOpenCases(chains, now, 30 * 24 * 3_600_000, 'device-1').map((c) => c.id)).toEqual(['latest', 'unknown', 'forgotten']);
    // a colleague's open case, synced from their phone, is theirs to call for
    expect(recentOpenCases(chains, now, 48 * 3_600_000, 'device-2')).toEqual([]);
  });
});

describe('callsElsewhere', () => {
  const HOURS = 3_600_000;
  const now = new Date('2026-11-30T17:00:00.000Z');
  const at = (time: string) => ({ at: time });

  it("gives each facility's latest call of the window in the other cases, its result as corrected, and not this case's nor a withdrawn call", async () => {
    const a = await appendEntries([], [openBody(), { body: contactBody({ facilityId: 'fac-1', contactedAt: '2026-11-30T15:00:00.000Z', result: '不在' }), ...at('2026-11-30T15:00:30.000Z') }], 'a');
    const b = await appendEntries([], [
      { body: openBody({ subject: other }), ...at('2026-11-30T15:20:00.000Z') },
      { body: contactBody({ facilityId: 'fac-1', contactedAt: '2026-11-30T15:30:00.000Z', result: null }), ...at('2026-11-30T15:30:00.000Z') },
      { body: contactBody({ facilityId: 'fac-2', contactedAt: '2026-11-30T15:40:00.000Z', result: '受入可' }), ...at('2026-11-30T15:40:00.000Z') },
    ], 'b');
    const call = b[1]!;
    const withdrawn = b[2]!;
    const bLater = await appendEntries(b, [
      { body: { type: 'result', contact: call.id, result: '受入不可', note: '' }, ...at('2026-11-30T15:31:00.000Z') },
      { body: { type: 'correction', corrects: withdrawn.id, reason: '別の事業所と取り違えた', replacement: null }, ...at('2026-11-30T15:45:00.000Z') },
    ]);
    const mine = await appendEntries([], [{ body: openBody(), ...at('2026-11-30T16:50:00.000Z') }, { body: contactBody({ facilityId: 'fac-3', contactedAt: '2026-11-30T16:55:00.000Z' }), ...at('2026-11-30T16:55:00.000Z') }], 'mine');
    const found = callsElsewhere([a, bLater, mine], 'mine', now, 12 * HOURS);
    expect(Object.fromEntries(found)).toEqual({ 'fac-1': { caseId: 'b', contactedAt: '2026-11-30T15:30:00.000Z', result: '受入不可' } });
    // a match without a case hears of every case's calls
    expect([...callsElsewhere([a, bLater, mine], null, now, 12 * HOURS).keys()].sort()).toEqual(['fac-1', 'fac-3']);
    // a call older than the window, or after now (a clock ahead), is not tonight's
    expect(callsElsewhere([a, bLater], 'mine', now, 1 * HOURS).size).toBe(0);
    expect(callsElsewhere([a], 'mine', new Date('2026-11-30T14:00:00.000Z'), 12 * HOURS).size).toBe(0);
    // `now` is a minute clock: a call synced in within it, or from a phone a minute ahead, is tonight's
    expect(callsElsewhere([a], 'mine', new Date('2026-11-30T14:59:00.000Z'), 12 * HOURS).get('fac-1')?.result).toBe('不在');
  });
});

describe('admissionsElsewhere', () => {
  const HOURS = 3_600_000;
  // 2026-11-30 02:10 in Japan: coordinator B matches for another person
  const now = new Date('2026-11-29T17:10:00.000Z');
  const at = (body: EntryBody, time: string) => ({ body, at: time });
  const admission = (from: string): EntryBody => ({ type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from, note: '' });

  /** Coordinator A's case: あおぞら says 受入可 at 01:40, the person is admitted at 01:45, the case closed. */
  function admittedAt0145(id = 'a'): Promise<CaseEntry[]> {
    return appendEntries([], [
      at(openBody({ requestedAt: '2026-11-29T16:20:00.000Z' }), '2026-11-29T16:21:00.000Z'),
      at(contactBody({ contactedAt: '2026-11-29T16:40:00.000Z', result: '受入可' }), '2026-11-29T16:40:10.000Z'),
      at({ type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, '2026-11-29T16:42:00.000Z'),
      at(admission('2026-11-29T16:45:00.000Z'), '2026-11-29T16:45:10.000Z'),
      at({ type: 'close', closedAt: '2026-11-29T16:46:00.000Z' }, '2026-11-29T16:46:00.000Z'),
    ], id);
  }

  it("gives the admission another case made at 01:45 though that case's call there reads only 受入可 (the disaster night)", async () => {
    const a = await admittedAt0145();
    expect(callsElsewhere([a], 'b', now, 12 * HOURS).get('fac-1')?.result).toBe('受入可');
    expect(Object.fromEntries(admissionsElsewhere([a], 'b', now, 7 * 24 * HOURS))).toEqual({
      'fac-1': [{ caseId: 'a', admittedAt: '2026-11-29T16:45:00.000Z', facilityName: 'あおぞら短期入所' }],
    });
    // the case's own admission is not 「別の緊急対応」
    expect(admissionsElsewhere([a], 'a', now, 7 * 24 * HOURS).size).toBe(0);
  });

  it('keeps the admission when another case rang the facility later and got 不在', async () => {
    const a = await admittedAt0145();
    const c = await appendEntries([], [
      at(openBody({ requestedAt: '2026-11-29T16:48:00.000Z', subject: other }), '2026-11-29T16:48:30.000Z'),
      at(contactBody({ contactedAt: '2026-11-29T16:50:00.000Z', result: '不在' }), '2026-11-29T16:50:10.000Z'),
    ], 'c');
    expect(callsElsewhere([a, c], 'b', now, 12 * HOURS).get('fac-1')).toMatchObject({ caseId: 'c', result: '不在' });
    expect(admissionsElsewhere([a, c], 'b', now, 7 * 24 * HOURS).get('fac-1')?.map((x) => x.caseId)).toEqual(['a']);
  });

  it('leaves out an admission withdrawn (取消), one replaced by a later outcome, a stay ended, and one older than the window; the latest first', async () => {
    const withdrawn = await appendEntries([], [
      at(openBody({ requestedAt: '2026-11-29T16:00:00.000Z', subject: other }), '2026-11-29T16:00:30.000Z'),
      at(admission('2026-11-29T16:30:00.000Z'), '2026-11-29T16:30:10.000Z'),
    ], 'withdrawn');
    const withdrawnLater = await appendEntries(withdrawn, [at({ type: 'correction', corrects: withdrawn[1]!.id, reason: '別の方の記録だった', replacement: null }, '2026-11-29T16:35:00.000Z')]);
    const replaced = await appendEntries([], [
      at(openBody({ requestedAt: '2026-11-29T15:00:00.000Z', subject: other }), '2026-11-29T15:00:30.000Z'),
      at(admission('2026-11-29T15:30:00.000Z'), '2026-11-29T15:30:10.000Z'),
      at({ type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '救急で入院' }, '2026-11-29T15:50:00.000Z'),
    ], 'replaced');
    const ended = await appendEntries(await admittedAt0145('ended'), [at({ type: 'stay-end', endedAt: '2026-11-29T17:00:00.000Z', exit: '自宅に戻った', note: '' }, '2026-11-29T17:00:30.000Z')]);
    const earlier = await appendEntries([], [
      at(openBody({ requestedAt: '2026-11-27T10:00:00.000Z', subject: other }), '2026-11-27T10:00:30.000Z'),
      at(admission('2026-11-27T11:00:00.000Z'), '2026-11-27T11:00:10.000Z'),
    ], 'earlier');
    expect(admissionsElsewhere([withdrawnLater, replaced, ended], 'b', now, 7 * 24 * HOURS).size).toBe(0);
    expect(admissionsElsewhere([earlier], 'b', now, 24 * HOURS).size).toBe(0);
    const a = await admittedAt0145();
    expect(admissionsElsewhere([earlier, a, withdrawnLater], 'b', now, 7 * 24 * HOURS).get('fac-1')?.map((x) => x.caseId)).toEqual(['a', 'earlier']);
  });
});

describe('admissionsElsewhere with two outcomes recorded at once', () => {
  it('counts the admission among them as a bed taken, in either read order, until it is settled', async () => {
    // the evening after the fork (17:50 at ふじ): every phone's match counts the bed alike
    const now = new Date('2026-11-30T12:00:00.000Z');
    for (const last of ['home', 'admission'] as const) {
      const { entries } = await forkedOutcomes({ last });
      expect(admissionsElsewhere([entries], 'b', now, 7 * 24 * 3_600_000).get(FUJI.id)?.map((x) => x.caseId), last).toEqual(['case-1']);
    }
  });
});
