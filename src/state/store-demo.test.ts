/**
 * Practice never leaks into real records: what is saved about the demo's offices or persons is the
 * demo's (kept off the change log, cleared with the demo), and real evidence names none of them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { appendEntries, openBody, subjectYota } from '../../test/factories/emergency-case';
import { claimCountId, type BonusClaimCount } from '../domain/function-bonus';
import { buildMonthCancel, type MonthClose } from '../domain/claim-close';
import { T as ST } from './text';
import { CaseEntryRejected, useApp } from './store';

const initial = useApp.getState();
afterEach(() => useApp.setState(initial, true));

const DEMO_OFFICE = 'demo-office-1';
const unknownCaller = { householdId: null, personId: null, name: '', recipientNumber: '' };

function demoPhone() {
  const session = createFakeSession();
  useApp.setState({ session, phase: 'unlocked', demoIds: new Set(['demo-hh-1']) });
  return session;
}

const closeOf = (officeId: string): MonthClose => ({
  id: crypto.randomUUID(),
  officeId,
  month: '2026-11',
  recordedAt: new Date().toISOString(),
  recordedBy: { userId: 'user-1', name: '事務 花子' },
  deviceId: 'device-1',
  body: {
    type: 'close',
    sentOn: '2026-12-05',
    encoding: 'shift_jis',
    office: { name: 'あおぞら相談支援センター（デモ）', officeNumber: '9912345678', updatedAt: '2026-04-01T00:00:00.000Z' },
    cases: [],
    summary: [],
    persons: 0,
    count: 0,
    units: 0,
    exports: [],
  },
});

describe('a 請求済み of a demo office', () => {
  it('is the demo\'s, and so is its 取消, whatever the screen said: nothing is queued, and the demo\'s clear takes them', async () => {
    const session = demoPhone();
    const close = closeOf(DEMO_OFFICE);
    // the screen judged it by its cases' households, and the demo's unnamed callers have none
    await useApp.getState().appendMonthClose(close, { demo: false });
    const cancel = buildMonthCancel(close, { id: crypto.randomUUID(), reason: '練習', recordedAt: new Date().toISOString(), recordedBy: close.recordedBy, deviceId: 'device-1' });
    if (Array.isArray(cancel)) throw new Error(cancel.join());
    await useApp.getState().appendMonthClose(cancel);
    expect(await session.pendingChanges()).toBe(0);

    await useApp.getState().clearDemo();
    expect(await session.list('month-close')).toEqual([]);
    expect(useApp.getState().monthCloses.size).toBe(0);
  });

  it('of a real office stays real, queued for the hub', async () => {
    const session = demoPhone();
    await useApp.getState().appendMonthClose(closeOf('office-1'));
    expect(await session.pendingChanges()).toBe(1);
  });
});

describe('a 機能強化加算 count of a demo office', () => {
  it('entered in a month the demo left empty is the demo\'s: nothing is queued, and the demo\'s clear takes it', async () => {
    const session = demoPhone();
    const at = new Date().toISOString();
    const count: BonusClaimCount = { id: claimCountId(DEMO_OFFICE, '2026-09'), officeId: DEMO_OFFICE, month: '2026-09', count: 12, createdAt: at, updatedAt: at };
    await useApp.getState().saveBonusRecord('bonus-count', count, 'create');
    expect(await session.pendingChanges()).toBe(0);

    await useApp.getState().clearDemo();
    expect(useApp.getState().bonus.counts).toEqual([]);
  });
});

describe('a real case', () => {
  it('is not started under a demo office: refused, said why, nothing queued', async () => {
    const session = demoPhone();
    const rejected = useApp.getState().appendCaseEntry(null, openBody({ officeId: DEMO_OFFICE, subject: unknownCaller, requestedAt: new Date().toISOString() }));
    await expect(rejected).rejects.toBeInstanceOf(CaseEntryRejected);
    await expect(rejected).rejects.toMatchObject({ messages: [ST.demoOfficeInRealCase] });
    expect(await session.pendingChanges()).toBe(0);
    expect(useApp.getState().caseEntries.size).toBe(0);
  });

  it('of an unknown caller is not linked to a demo person: refused, said why, nothing queued; a registered person is linked', async () => {
    const session = demoPhone();
    const held = await appendEntries([], [openBody({ subject: unknownCaller })], 'case-real');
    useApp.setState({ caseEntries: new Map([['case-real', held]]) });
    const toDemo = useApp.getState().appendCaseEntry('case-real', { type: 'link', subject: { ...subjectYota, householdId: 'demo-hh-1', personId: 'demo-p-1' } });
    await expect(toDemo).rejects.toMatchObject({ messages: [ST.demoPersonInRealCase] });
    expect(await session.pendingChanges()).toBe(0);
    expect(useApp.getState().caseEntries.get('case-real')).toHaveLength(1);

    const linked = await useApp.getState().appendCaseEntry('case-real', { type: 'link', subject: subjectYota });
    expect(linked.subject.householdId).toBe(subjectYota.householdId);
    expect(await session.pendingChanges()).toBe(1);
  });

  it('the demo\'s own unnamed caller may be linked to a demo person, and stays the demo\'s', async () => {
    const session = demoPhone();
    const held = await appendEntries([], [openBody({ officeId: DEMO_OFFICE, subject: unknownCaller })], 'demo-case-1');
    useApp.setState({ caseEntries: new Map([['demo-case-1', held]]) });
    const linked = await useApp.getState().appendCaseEntry('demo-case-1', { type: 'link', subject: { ...subjectYota, householdId: 'demo-hh-1', personId: 'demo-p-1' } });
    expect(linked.subject.householdId).toBe('demo-hh-1');
    expect(await session.pendingChanges()).toBe(0);
  });
});
