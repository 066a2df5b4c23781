/**
 * The hub's checks of a pushed case entry's body (docs/sync-protocol.md E2, E7): no stated time
 * after the entry arrived, instants that are instants, a correction with a reason that names an
 * entry of its case. And that they are never stricter than what the app lets a user write
 * (validateEntry, src/domain/case-fold.ts), so no entry the app queued is refused for good.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chainNext } from '../domain/case-chain';
import { CLOCK_TOLERANCE_MS, foldCase, validateEntry } from '../domain/case-fold';
import type { CaseEntry, ContactBody, CorrectionBody, EntryBody, FactBody } from '../domain/emergency-case';
import { appendEntries, contactBody, coordinator, openBody } from '../../test/factories/emergency-case';
import { checkAppend, EVIDENCE_CLOCK_TOLERANCE_MS, type AppendContext, type HeldEntry } from './evidence-rules';

const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/** A night call as the app writes it: requested at 02:00, a contact at 02:15 recorded at 02:20. */
const REQUESTED = '2026-12-01T17:00:00.000Z';
async function nightCall(caseId = 'case-1'): Promise<CaseEntry[]> {
  return appendEntries(
    [],
    [
      { body: openBody({ requestedAt: REQUESTED }), at: REQUESTED },
      { body: contactBody({ contactedAt: at(REQUESTED, 15), result: '受入可' }), at: at(REQUESTED, 20) },
    ],
    caseId,
  );
}

const heldOf = (entries: readonly CaseEntry[]): HeldEntry[] => entries.map(({ id, hash, index, recordedAt }) => ({ id, hash, index, recordedAt }));

function context(entries: readonly CaseEntry[], receivedAt: string): AppendContext {
  return { held: heldOf(entries), authorId: coordinator.userId, authorIds: [], deviceId: 'device-1', receivedAt: new Date(receivedAt) };
}

/** The next entry of the case, written by the night coordinator on device-1 at `recordedAt`. */
function next(entries: readonly CaseEntry[], body: EntryBody, recordedAt: string): Promise<CaseEntry> {
  return chainNext(entries, { id: `${entries[0]!.caseId}-e${entries.length}`, caseId: entries[0]!.caseId, recordedAt, recordedBy: coordinator, deviceId: 'device-1', body });
}

const correction = (corrects: string, reason: string, replacement: FactBody | null): CorrectionBody => ({ type: 'correction', corrects, reason, replacement });

describe('checkAppend: what the body states', () => {
  it('[E7] refuses a contact time after the hub received the entry, as clock: the 2031 contact, and one a millisecond past the tolerance', async () => {
    const entries = await nightCall();
    const now = at(REQUESTED, 30);
    const far = await next(entries, contactBody({ contactedAt: '2031-01-01T00:00:00.000Z' }), now);
    expect(checkAppend(far, context(entries, now))).toMatchObject({ ok: false, reason: 'clock', detail: expect.stringMatching(/body\.contactedAt/) });
    const justPast = await next(entries, contactBody({ contactedAt: new Date(Date.parse(now) + EVIDENCE_CLOCK_TOLERANCE_MS + 1).toISOString() }), now);
    expect(checkAppend(justPast, context(entries, now))).toMatchObject({ ok: false, reason: 'clock' });
  });

  it('[E7] takes a time up to the tolerance ahead of the hub, and one hours before it (a call made offline, recorded and sent later)', async () => {
    const entries = await nightCall();
    const recorded = at(REQUESTED, 30);
    const onEdge = await next(entries, contactBody({ contactedAt: at(recorded, 5) }), recorded);
    expect(checkAppend(onEdge, context(entries, recorded))).toEqual({ ok: true });
    const offline = await next(entries, contactBody({ contactedAt: at(REQUESTED, 25) }), recorded);
    expect(checkAppend(offline, context(entries, at(REQUESTED, 9 * 60)))).toEqual({ ok: true });
  });

  const FUTURE = '2031-01-01T00:00:00.000Z';
  const admitted = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-1', facilityName: 'あおぞら短期入所', from: FUTURE, note: '' } as const;
  const bodies: readonly [string, EntryBody][] = [
    ['contactedAt', contactBody({ contactedAt: FUTURE })],
    ['from', admitted],
    ['closedAt', { type: 'close', closedAt: FUTURE }],
    ['endedAt', { type: 'stay-end', endedAt: FUTURE, exit: '自宅に戻った', note: '' }],
    ['otherRequestedAt', { type: 'same-emergency', otherCaseId: 'case-2', otherRequestedAt: FUTURE, answer: 'separate', reason: '別の日の要請' }],
    ['replacement.contactedAt', correction('case-1-e1', '時刻の誤り', contactBody({ contactedAt: FUTURE }))],
    ['replacement.requestedAt', correction('case-1-e0', '時刻の誤り', openBody({ requestedAt: FUTURE }))],
  ];
  it.each(bodies)('[E7] refuses body.%s after the hub received the entry, as clock', async (field, body) => {
    const entries = await nightCall();
    const now = at(REQUESTED, 30);
    const check = checkAppend(await next(entries, body, now), context(entries, now));
    expect(check).toMatchObject({ ok: false, reason: 'clock' });
    expect(check.ok ? '' : check.detail).toContain(`body.${field} `);
  });

  it('[E7] takes from a phone whose clock runs a few minutes fast the times its app let stand: up to the tolerance after the entry\'s own recordedAt', async () => {
    const entries = await nightCall();
    const hub = at(REQUESTED, 30);
    const phone = at(hub, 4); // the phone's clock, 4 minutes fast: the app's recordedAt
    const ahead = await next(entries, contactBody({ contactedAt: at(phone, 4) }), phone);
    expect(validateEntry(foldCase(entries), ahead.body, phone)).toEqual([]);
    expect(checkAppend(ahead, context(entries, hub))).toEqual({ ok: true });
    const beyond = await next(entries, contactBody({ contactedAt: new Date(Date.parse(phone) + EVIDENCE_CLOCK_TOLERANCE_MS + 1).toISOString() }), phone);
    expect(checkAppend(beyond, context(entries, hub))).toMatchObject({ ok: false, reason: 'clock' });
  });

  it('[E7] refuses an open entry whose 要請のあった時間 is after the hub received it, as clock', async () => {
    const open = await chainNext([], { id: 'case-9-e0', caseId: 'case-9', recordedAt: REQUESTED, recordedBy: coordinator, deviceId: 'device-1', body: openBody({ requestedAt: FUTURE }) });
    expect(checkAppend(open, context([], REQUESTED))).toMatchObject({ ok: false, reason: 'clock', detail: expect.stringMatching(/body\.requestedAt/) });
  });

  it.each(['2031-01-01', 'yesterday', '', '2026-13-01T00:00:00Z', '2026-12-01 17:00:00Z', null])('[E7] refuses a body time that is no ISO instant (%j), as invalid', async (bad) => {
    const entries = await nightCall();
    const now = at(REQUESTED, 30);
    const entry = await next(entries, { ...contactBody(), contactedAt: bad } as unknown as ContactBody, now);
    expect(checkAppend(entry, context(entries, now))).toMatchObject({ ok: false, reason: 'invalid', detail: 'body.contactedAt is not an ISO instant' });
  });

  it('refuses a recordedAt that is no instant as invalid, not as a link to send again', async () => {
    const entries = await nightCall();
    const entry = { ...(await next(entries, contactBody({ contactedAt: at(REQUESTED, 25) }), at(REQUESTED, 30))), recordedAt: 'yesterday' };
    expect(checkAppend(entry, context(entries, at(REQUESTED, 30)))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it.each(['', '   ', '\u3000', '\n'])('[E2] refuses a correction whose reason is blank (%j), as invalid; with a reason it is taken', async (reason) => {
    const entries = await nightCall();
    const now = at(REQUESTED, 30);
    const withdraw = await next(entries, correction('case-1-e1', reason, null), now);
    expect(checkAppend(withdraw, context(entries, now))).toMatchObject({ ok: false, reason: 'invalid', detail: expect.stringMatching(/reason/) });
    const given = await next(entries, correction('case-1-e1', '誤って記録', null), now);
    expect(checkAppend(given, context(entries, now))).toEqual({ ok: true });
  });

  it('[E2] refuses a correction that names no entry of its case the hub holds, as chain: an unknown id, or an entry of another case', async () => {
    const entries = await nightCall();
    const other = await nightCall('case-2');
    const now = at(REQUESTED, 30);
    for (const corrects of ['no-such-entry', other[1]!.id]) {
      const entry = await next(entries, correction(corrects, '誤って記録', null), now);
      expect(checkAppend(entry, context(entries, now))).toMatchObject({ ok: false, reason: 'chain', detail: expect.stringMatching(/correction names entry/) });
    }
    const empty = await next(entries, correction('', '誤って記録', null), now);
    expect(checkAppend(empty, context(entries, now))).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('says what is wrong with the body before what is wrong with the link: a blank reason whose parent was refused is invalid, not chain', async () => {
    const entries = await nightCall();
    const now = at(REQUESTED, 30);
    const entry = await next(entries, correction('case-1-e1', ' ', null), now);
    expect(checkAppend(entry, context(entries.slice(0, 1), now))).toMatchObject({ ok: false, reason: 'invalid' });
  });
});

describe('checkAppend is never stricter than the app (validateEntry)', () => {
  it('the hub allows the app at least its own tolerance for a time ahead of the clock', () => {
    expect(EVIDENCE_CLOCK_TOLERANCE_MS).toBeGreaterThanOrEqual(CLOCK_TOLERANCE_MS);
  });

  it('every contact or correction the app would write, sent at once from a phone on time, is taken; what the hub refuses the app refuses too', async () => {
    const entries = await nightCall();
    const kase = foldCase(entries);
    const ids = [...entries.map((e) => e.id), 'no-such-entry'];
    const minutes = fc.integer({ min: -600, max: 600 });
    const body = fc.oneof(
      fc.record({ t: minutes }).map(({ t }): EntryBody => contactBody({ contactedAt: at(REQUESTED, t) })),
      fc
        .record({ corrects: fc.constantFrom(...ids), reason: fc.constantFrom('', ' ', '\u3000', '時刻の誤り'), t: minutes, withdraw: fc.boolean() })
        .map(({ corrects, reason, t, withdraw }): EntryBody => correction(corrects, reason, withdraw ? null : contactBody({ contactedAt: at(REQUESTED, t) }))),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.integer({ min: 20, max: 600 }), async (b, recordedMinute) => {
        const recordedAt = at(REQUESTED, recordedMinute);
        const appSays = validateEntry(kase, b, recordedAt);
        const hubSays = checkAppend(await next(entries, b, recordedAt), context(entries, recordedAt));
        if (appSays.length === 0) expect(hubSays).toEqual({ ok: true });
        if (!hubSays.ok) expect(appSays).not.toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
