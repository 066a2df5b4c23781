import { describe, expect, it } from 'vitest';
import { admittedNight, appendEntries, openBody, subjectYota } from '../../test/factories/emergency-case';
import type { CaseSubject } from './emergency-case';
import { openCaseOfPerson, recentOpenCases } from './open-case';

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
