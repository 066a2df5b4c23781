/**
 * Which stay a 退所 (stay-end) ends: the one of the outcome that stood when it was written. The entry
 * names no outcome (older phones keep reading the chain), so foldCase reads it from the chain.
 */
import { describe, expect, it } from 'vitest';
import { orderEntries } from './case-chain';
import { foldCase, stayOf, validateEntry } from './case-fold';
import type { Actor, CaseEntry, EntryBody, OutcomeBody, StayEndBody } from './emergency-case';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';

/** Japan time of day `day` of December 2026 (2026-12-01 00:00 JST is 2026-11-30T15:00Z). */
const dec = (day: number, hhmm: string) => new Date(Date.parse(`2026-12-${String(day).padStart(2, '0')}T${hhmm}:00+09:00`)).toISOString();
const stayAt = (facility: string, from: string): OutcomeBody => ({ type: 'outcome', outcome: '短期入所', facilityId: null, facilityName: facility, from, note: '' });
const atHome: OutcomeBody = { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '' };
const end = (endedAt: string, overrides: Partial<StayEndBody> = {}): StayEndBody => ({ type: 'stay-end', endedAt, exit: '自宅に戻った', note: '', ...overrides });
const ALREADY = '退所はすでに記録されています。誤りは「訂正」で記録してください。';

/**
 * 短期入所 A from 1 December 01:00, closed; 退所 on day 2; 対応を再開 on day 4 (the person needs a bed
 * again); 在宅で対応; then 短期入所 G from day 4. Each entry is recorded at the time given.
 */
async function admittedAgainAfterLeaving(): Promise<CaseEntry[]> {
  const opened = await appendEntries([], [
    { body: openBody(), at: dec(1, '00:00') },
    { body: contactBody({ contactedAt: dec(1, '00:20') }), at: dec(1, '00:21') },
    { body: stayAt('A短期入所', dec(1, '01:00')), at: dec(1, '01:00') },
    { body: { type: 'close', closedAt: dec(1, '01:10') }, at: dec(1, '01:10') },
    { body: end(dec(2, '10:00')), at: dec(2, '10:05') },
  ]);
  return appendEntries(opened, [
    { body: { type: 'correction', corrects: opened[3]!.id, reason: '4日に再び受入先が必要になった', replacement: null }, at: dec(4, '09:00') },
    { body: atHome, at: dec(4, '09:10') },
    { body: stayAt('G短期入所', dec(4, '12:00')), at: dec(4, '12:05') },
  ]);
}

describe('a 退所 belongs to the outcome that stood when it was written', () => {
  it('leaves the stay of an outcome recorded after it open, takes a 退所 for that stay, and refuses a second', async () => {
    const entries = await admittedAgainAfterLeaving();
    const c = foldCase(entries);
    expect(c.outcome?.body.facilityName).toBe('G短期入所');
    // A's 退所 ends no stay of G's; it stays in the chain as written
    expect(c.stayEnd).toBeNull();
    expect(stayOf(c)).toMatchObject({ from: dec(4, '12:00'), fromDay: '2026-12-04', endedAt: null, endDay: null });
    expect(c.entries.filter((e) => e.body.type === 'stay-end')).toHaveLength(1);

    const gEnd = end(dec(6, '10:00'), { exit: '施設入所', note: '' });
    expect(validateEntry(c, gEnd, dec(6, '11:00'))).toEqual([]);
    const ended = foldCase(await appendEntries(entries, [{ body: gEnd, at: dec(6, '11:00') }]));
    expect(ended.stayEnd?.body).toEqual(gEnd);
    expect(stayOf(ended)).toMatchObject({ fromDay: '2026-12-04', endDay: '2026-12-06' });
    // one 退所 per stay: a second, recorded after the standing outcome, is still refused
    expect(validateEntry(ended, end(dec(7, '10:00')), dec(7, '11:00'))).toEqual([ALREADY]);
  });

  it('reads a 退所 written on a phone that had not seen the outcome recorded meanwhile as the earlier stay’s, wherever it is read', async () => {
    const phone1 = { by: { userId: 'u-1', name: '山田 夜勤' } satisfies Actor, deviceId: 'phone-1', idPrefix: 'p1' };
    const phone2 = { by: { userId: 'u-2', name: '鈴木 主任' } satisfies Actor, deviceId: 'phone-2', idPrefix: 'p2' };
    const base = await appendEntries([], [
      { body: openBody(), at: dec(1, '00:00') },
      { body: contactBody({ contactedAt: dec(1, '00:20') }), at: dec(1, '00:21') },
      { body: stayAt('A短期入所', dec(1, '01:00')), at: dec(1, '01:00') },
    ]);
    const write = async (phone: typeof phone1, bodies: { body: EntryBody; at: string }[]) => (await appendEntries(base, bodies, 'case-1', phone)).slice(base.length);
    // phone 2 records G; phone 1, offline and never shown G, records the claim facts and then A's 退所
    const g = await write(phone2, [{ body: stayAt('G短期入所', dec(4, '12:00')), at: dec(4, '12:05') }]);
    const one = await write(phone1, [
      { body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, at: dec(2, '09:00') },
      { body: end(dec(2, '10:00')), at: dec(2, '10:05') },
    ]);
    const entries = orderEntries([...base, ...g, ...one]);
    // read after G, yet written for A
    expect(entries.findIndex((e) => e.body.type === 'stay-end')).toBeGreaterThan(entries.findIndex((e) => e.id === g[0]!.id));
    const c = foldCase(entries);
    expect(c.outcome?.body.facilityName).toBe('G短期入所');
    expect(c.stayEnd).toBeNull();
    expect(stayOf(c)?.endedAt).toBeNull();
  });

  it('keeps the 退所 of an outcome that stands again once the one recorded after it is withdrawn', async () => {
    const entries = await appendEntries([], [
      { body: openBody(), at: dec(1, '00:00') },
      { body: contactBody({ contactedAt: dec(1, '00:20') }), at: dec(1, '00:21') },
      { body: stayAt('A短期入所', dec(1, '01:00')), at: dec(1, '01:00') },
      { body: end(dec(2, '10:00')), at: dec(2, '10:05') },
      { body: stayAt('B短期入所', dec(2, '12:00')), at: dec(2, '12:05') },
    ]);
    expect(foldCase(entries).stayEnd).toBeNull();
    const back = foldCase(await appendEntries(entries, [{ body: { type: 'correction', corrects: entries[4]!.id, reason: '別の方の記録だった', replacement: null }, at: dec(2, '13:00') }]));
    expect(back.outcome?.body.facilityName).toBe('A短期入所');
    expect(stayOf(back)?.endDay).toBe('2026-12-02');
  });
});

describe('the same admission recorded again with its time corrected', () => {
  it('keeps the 退所 written before it, which comes after the admission as corrected', async () => {
    const entries = await appendEntries([], [
      { body: openBody(), at: dec(1, '00:00') },
      { body: contactBody({ contactedAt: dec(1, '00:20') }), at: dec(1, '00:21') },
      { body: stayAt('A短期入所', dec(1, '03:00')), at: dec(1, '03:00') },
      { body: { type: 'close', closedAt: dec(1, '03:10') }, at: dec(1, '03:10') },
      { body: end(dec(5, '10:00')), at: dec(5, '10:05') },
    ]);
    // 対応を再開, then 対応結果を記録 with the admission's time corrected to 01:00, as the guide says to
    const corrected = await appendEntries(entries, [
      { body: { type: 'correction', corrects: entries[3]!.id, reason: '入所の日時の誤り', replacement: null }, at: dec(6, '09:00') },
      { body: stayAt('A短期入所', dec(1, '01:00')), at: dec(6, '09:05') },
    ]);
    const c = foldCase(corrected);
    expect(stayOf(c)).toMatchObject({ from: dec(1, '01:00'), endDay: '2026-12-05' });
    expect(validateEntry(c, end(dec(7, '10:00')), dec(7, '11:00'))).toEqual([ALREADY]);
  });
});
