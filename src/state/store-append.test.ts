/**
 * Appending a case entry. [E7] Its stamp is one the hub takes: a phone whose clock ran slow,
 * answering a call another phone (running fast) recorded a moment before, stamped its entry over
 * 5 minutes before the one it follows, and the hub refused it and every later entry of that phone
 * on the case, for good. And an entry of another phone that a sync brings meanwhile stays.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeSession } from '../../test/factories/fake-session';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { checkAppend, EVIDENCE_CLOCK_TOLERANCE_MS } from '../protocol/evidence-rules';
import { stampAfter, useApp } from './store';

const initial = useApp.getState();
afterEach(() => useApp.setState(initial, true));

describe('[E7] the stamp of an appended entry', () => {
  it('is now, unless that is over the hub\'s tolerance before the entry it follows', () => {
    const now = new Date('2026-12-01T00:00:00.000Z');
    expect(stampAfter([], now)).toBe(now.toISOString());
    expect(stampAfter([{ recordedAt: '2026-11-30T23:59:00.000Z' }], now)).toBe(now.toISOString());
    // the other phone's clock ran 6 minutes ahead: 4 minutes before its stamp, one inside the tolerance
    expect(stampAfter([{ recordedAt: '2026-12-01T00:06:00.000Z' }], now)).toBe('2026-12-01T00:02:00.000Z');
    // after an entry stamped so: from the case's latest stamp still, not 4 minutes before that one
    expect(stampAfter([{ recordedAt: '2026-12-01T00:06:00.000Z' }, { recordedAt: '2026-12-01T00:02:00.000Z' }], now)).toBe('2026-12-01T00:02:00.000Z');
  });

  it('a result recorded on a slow phone just after a fast phone\'s call is taken by the hub', async () => {
    const session = createFakeSession({ id: 'user-b' });
    const ahead = new Date(Date.now() + 6 * 60_000).toISOString();
    const held = await appendEntries([], [{ body: openBody({ requestedAt: new Date(Date.now() - 60_000).toISOString() }), at: new Date(Date.now() - 60_000).toISOString() }, { body: contactBody({ contactedAt: ahead, result: null }), at: ahead }], 'case-clock');
    useApp.setState({ session, phase: 'unlocked', caseEntries: new Map([['case-clock', held]]) });
    const kase = await useApp.getState().appendCaseEntry('case-clock', { type: 'result', contact: held[1]!.id, result: '受入可', note: '' });
    const entry = kase.entries.at(-1)!;
    expect(Date.parse(entry.recordedAt)).toBeGreaterThanOrEqual(Date.parse(ahead) - EVIDENCE_CLOCK_TOLERANCE_MS + 60_000);
    const check = checkAppend(entry, {
      held: held.map((e) => ({ id: e.id, hash: e.hash, index: e.index, recordedAt: e.recordedAt })),
      authorId: 'user-b',
      authorIds: ['user-b'],
      deviceId: entry.deviceId,
      receivedAt: new Date(),
    });
    expect(check).toEqual({ ok: true });
  });
});

describe('[E7] entries one after another from a phone whose clock is a year behind', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('four entries on a colleague\'s case opened at 02:10 are all dated 02:06, not ever earlier, and the hub takes each', async () => {
    const opened = '2026-12-01T17:10:00.000Z'; // 02:10 in Japan
    const colleague = { by: { userId: 'user-a', name: '日勤 花子' }, deviceId: 'device-a' };
    const held = await appendEntries([], [{ body: openBody({ requestedAt: opened }), at: opened }], 'case-behind', colleague);
    const session = createFakeSession({ id: 'user-b' });
    useApp.setState({ session, phase: 'unlocked', caseEntries: new Map([['case-behind', held]]) });
    vi.setSystemTime(new Date('2025-12-01T17:12:00.000Z'));
    for (const note of ['計画相談は他事業所', '母の入院先を確認', '叔母に連絡済み', '明朝に引き継ぎ']) {
      await useApp.getState().appendCaseEntry('case-behind', { type: 'claim-facts', planning: 'other-office', independentLivingClaimed: false, note });
    }
    const entries = useApp.getState().caseEntries.get('case-behind')!;
    expect(entries.slice(1).map((e) => e.recordedAt)).toEqual(Array(4).fill('2026-12-01T17:06:00.000Z'));
    for (const [i, entry] of entries.entries()) {
      if (i === 0) continue;
      const check = checkAppend(entry, {
        held: entries.slice(0, i).map((e) => ({ id: e.id, hash: e.hash, index: e.index, recordedAt: e.recordedAt })),
        authorId: 'user-b',
        authorIds: ['user-b'],
        deviceId: entry.deviceId,
        receivedAt: new Date('2026-12-01T17:20:00.000Z'),
      });
      expect(check).toEqual({ ok: true });
    }
  });
});

describe('an entry written while a sync brings another phone\'s entry of the same case', () => {
  it('keeps both in memory, in read order', async () => {
    const session = createFakeSession({ id: 'user-b' });
    const held = await appendEntries([], [openBody({ requestedAt: new Date(Date.now() - 120_000).toISOString() })], 'case-race');
    // the other phone's call, arriving by sync while this phone's entry is being written
    const theirs = await appendEntries(held, [{ body: contactBody({ contactedAt: new Date(Date.now() - 60_000).toISOString(), result: '受入可', facilityName: 'ひだまり' }), at: new Date(Date.now() - 60_000).toISOString() }]);
    const append = session.append.bind(session);
    session.append = async (...args: Parameters<typeof session.append>) => {
      useApp.setState({ caseEntries: new Map([['case-race', theirs]]) });
      return append(...args);
    };
    useApp.setState({ session, phase: 'unlocked', caseEntries: new Map([['case-race', held]]) });
    await useApp.getState().appendCaseEntry('case-race', contactBody({ contactedAt: new Date().toISOString(), result: '不在', facilityName: 'みどり園' }));
    const inMemory = useApp.getState().caseEntries.get('case-race')!;
    expect(inMemory.map((e) => e.body.type === 'contact' ? e.body.facilityName : e.body.type).sort()).toEqual(['open', 'ひだまり', 'みどり園'].sort());
    expect(inMemory[0]!.body.type).toBe('open');
  });
});

describe('a case whose chain does not hold', () => {
  it('takes no entry from any screen, and says why in the words of the case screen', async () => {
    const session = createFakeSession({ id: 'user-b' });
    const at = new Date(Date.now() - 120_000).toISOString();
    const held = await appendEntries([], [{ body: openBody({ requestedAt: at }), at }, { body: contactBody({ contactedAt: at, result: '受入不可' }), at }], 'case-broken');
    // the call's result rewritten on the disk after it was chained
    const tampered = [held[0]!, { ...held[1]!, body: { ...held[1]!.body, result: '受入可' } } as typeof held[1]];
    useApp.setState({ session, phase: 'unlocked', caseEntries: new Map([['case-broken', tampered as typeof held]]) });
    await expect(useApp.getState().appendCaseEntry('case-broken', contactBody({ contactedAt: new Date().toISOString(), result: null }))).rejects.toMatchObject({
      messages: [expect.stringMatching(/^この対応記録は、改ざん・破損しているか、新しい版のアプリで記録された項目をこの端末で読めないため、記録を追加できません: .+管理者に連絡してください。$/)],
    });
    expect(await session.list('case-entry')).toEqual([]);
  });
});

describe('an entry larger than the hub takes', () => {
  it('is refused on the phone, with its size, and nothing is queued: the case still takes entries', async () => {
    const session = createFakeSession({ id: 'user-b' });
    const at = new Date(Date.now() - 120_000).toISOString();
    const held = await appendEntries([], [{ body: openBody({ requestedAt: at }), at }], 'case-large');
    useApp.setState({ session, phase: 'unlocked', caseEntries: new Map([['case-large', held]]) });
    // A long document pasted into the note: 45,000 characters of Japanese, about 132 KB.
    const pasted = { type: 'claim-facts', planning: 'other-office', independentLivingClaimed: false, note: 'あ'.repeat(45_000) } as const;

    await expect(useApp.getState().appendCaseEntry('case-large', pasted)).rejects.toMatchObject({
      name: 'CaseEntryRejected',
      messages: [expect.stringMatching(/^記録が大きすぎて保存できません（13\d KB、上限 128 KB）。長い文章を短くしてください。$/)],
    });
    expect(await session.outbox()).toEqual([]);
    expect(useApp.getState().caseEntries.get('case-large')).toEqual(held);
    // Shortened, it goes: the hub would have refused every later entry of the case after the large one.
    await useApp.getState().appendCaseEntry('case-large', { ...pasted, note: '資料は事業所で保管' });
    expect((await session.outbox()).map((e) => e.kind)).toEqual(['case-entry']);
  });
});
