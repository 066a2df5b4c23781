/**
 * foldCase for a case continued on two phones at once (case-chain.ts, docs/sync-protocol.md E3):
 * a correction replaces only what its writer had been shown, never a result it could not have seen.
 */
import { describe, expect, it } from 'vitest';
import { orderEntries } from './case-chain';
import { concurrentOutcomes, foldCase, standingClosesOf, validateEntry } from './case-fold';
import type { Actor, CaseEntry, ContactBody, EntryBody, OutcomeBody } from './emergency-case';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';

const phone1 = { by: { userId: 'u-1', name: '山田 夜勤' } satisfies Actor, deviceId: 'phone-1', idPrefix: 'p1' };
const phone2 = { by: { userId: 'u-2', name: '鈴木 主任' } satisfies Actor, deviceId: 'phone-2', idPrefix: 'p2' };
const at = (hhmm: string) => `2026-11-30T${hhmm}:00.000Z`;

/** What `phone` writes after the entries it holds (`held`, in read order): the new entries only. */
async function write(held: readonly CaseEntry[], phone: typeof phone1, bodies: readonly { body: EntryBody; at: string }[]): Promise<CaseEntry[]> {
  return (await appendEntries(held, bodies, 'case-1', phone)).slice(held.length);
}

/** A call recorded from the match at 15:20, its result not yet entered, held by both phones. */
async function pendingCall(): Promise<{ base: CaseEntry[]; contactId: string }> {
  const base = await appendEntries([], [
    { body: openBody(), at: at('14:50') },
    { body: contactBody({ result: null, note: '' }), at: at('15:20') },
  ]);
  return { base, contactId: base[1]!.id };
}

const renamed = (overrides: Partial<ContactBody> = {}) => contactBody({ facilityName: 'あおぞら短期入所（本館）', result: null, note: '', ...overrides });

describe('foldCase: a result and a correction of its contact written on two phones at once', () => {
  it('keeps a result recorded on another phone when the contact is corrected without it (the facility name fixed at 15:26)', async () => {
    const { base, contactId } = await pendingCall();
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '明朝まで可' }, at: at('15:25') }]);
    const correction = await write(base, phone2, [
      { body: { type: 'correction', corrects: contactId, reason: '事業所名の誤り', replacement: renamed() }, at: at('15:26') },
    ]);
    const entries = orderEntries([...base, ...result, ...correction]);
    expect(entries[2]!.index).toBe(entries[3]!.index); // siblings: the result is read first

    const c = foldCase(entries);
    expect(c.contacts[0]!.body).toMatchObject({ facilityName: 'あおぞら短期入所（本館）', result: '受入可', note: '明朝まで可' });
    // The correction changed the name, as its writer saw the call: not the result it never saw.
    expect(c.contacts[0]!.corrections[0]!.before).toMatchObject({ facilityName: 'あおぞら短期入所', result: null });
    // The case can be closed: no call is left without a result.
    const close = validateEntry(c, { type: 'close', closedAt: at('16:00') }, at('16:00'));
    expect(close).not.toContain('結果が未記録の連絡があります（あおぞら短期入所（本館））。結果を記録してから終了してください。');
  });

  it('keeps it too when the correction carries 折り返し待ち (what the correction dialog writes for a call without a result)', async () => {
    const { base, contactId } = await pendingCall();
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '' }, at: at('15:25') }]);
    const correction = await write(base, phone2, [
      { body: { type: 'correction', corrects: contactId, reason: '事業所名の誤り', replacement: renamed({ result: '折り返し待ち' }) }, at: at('15:26') },
    ]);
    expect(foldCase(orderEntries([...base, ...result, ...correction])).contacts[0]!.body.result).toBe('受入可');
  });

  it('reads the same whichever phone wrote first', async () => {
    const { base, contactId } = await pendingCall();
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '' }, at: at('15:27') }]);
    const correction = await write(base, phone2, [
      { body: { type: 'correction', corrects: contactId, reason: '事業所名の誤り', replacement: renamed() }, at: at('15:26') },
    ]);
    const c = foldCase(orderEntries([...result, ...correction, ...base]));
    expect(c.contacts[0]!.body).toMatchObject({ facilityName: 'あおぞら短期入所（本館）', result: '受入可' });
  });

  it('keeps a result a phone recorded offline at a lower index than the correction (read before the correction, never seen by it)', async () => {
    const { base, contactId } = await pendingCall();
    // Phone 1 stays offline with the two entries; phone 2 goes on with the case and then corrects the contact.
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '' }, at: at('15:40') }]);
    const facts: EntryBody = { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' };
    const more = await write(base, phone2, [
      { body: facts, at: at('15:30') },
      { body: { type: 'correction', corrects: contactId, reason: '事業所名の誤り', replacement: renamed() }, at: at('15:45') },
    ]);
    const entries = orderEntries([...base, ...result, ...more]);
    expect(entries.map((e) => e.body.type)).toEqual(['open', 'contact', 'claim-facts', 'result', 'correction']);
    expect(foldCase(entries).contacts[0]!.body.result).toBe('受入可');
  });

  it('still lets a phone that had been shown the result correct it: to another result, or back to none on purpose', async () => {
    const { base, contactId } = await pendingCall();
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '' }, at: at('15:25') }]);
    // Phone 2 wrote an entry of its own before it synced, so the result is not among its correction's ancestors…
    const facts = await write(base, phone2, [{ body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '' }, at: at('15:27') }]);
    const synced = orderEntries([...base, ...result, ...facts]);
    expect(foldCase(synced).contacts[0]!.body.result).toBe('受入可');
    // …but it held it, and its dialog started from 受入可.
    for (const replacement of [renamed({ result: '受入不可' }), renamed({ result: null })]) {
      const correction = await write(synced, phone2, [{ body: { type: 'correction', corrects: contactId, reason: '結果の取り違え', replacement }, at: at('15:30') }]);
      const c = foldCase([...synced, ...correction]);
      expect(c.contacts[0]!.body.result).toBe(replacement.result);
      expect(c.contacts[0]!.corrections[0]!.before).toMatchObject({ result: '受入可' });
    }
  });

  it('lets a result stand against a correction to another result made at the same time without it: the correction fixed what its writer saw', async () => {
    const { base, contactId } = await pendingCall();
    const result = await write(base, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '折り返しで受入可' }, at: at('15:25') }]);
    const correction = await write(base, phone2, [
      { body: { type: 'correction', corrects: contactId, reason: '結果の入力漏れ', replacement: renamed({ result: '受入不可' }) }, at: at('15:26') },
    ]);
    const c = foldCase(orderEntries([...base, ...result, ...correction]));
    expect(c.contacts[0]!.body.result).toBe('受入可');
    // Both stay on the record: the correction says what it changed from what its writer saw.
    expect(c.contacts[0]!.corrections[0]).toMatchObject({ before: { result: null }, after: { result: '受入不可' } });
  });

  it('applies a result recorded after the correction on another phone, and not one the correction had been shown', async () => {
    const { base, contactId } = await pendingCall();
    const seen = await appendEntries(base, [{ body: { type: 'result', contact: contactId, result: '不在', note: '留守電' }, at: at('15:22') }]);
    const correction = await write(seen, phone2, [
      { body: { type: 'correction', corrects: contactId, reason: '時刻の誤り', replacement: contactBody({ result: '不在', note: '留守電', contactedAt: at('15:10') }) }, at: at('15:30') },
    ]);
    const later = await write(seen, phone1, [{ body: { type: 'result', contact: contactId, result: '受入可', note: '折り返しあり' }, at: at('15:35') }]);
    const c = foldCase(orderEntries([...seen, ...correction, ...later]));
    expect(c.contacts[0]!.body).toMatchObject({ contactedAt: at('15:10'), result: '受入可', note: '留守電 / 折り返しあり' });
    const onlyCorrected = foldCase([...seen, ...correction]);
    expect(onlyCorrected.contacts[0]!.body).toMatchObject({ result: '不在', note: '留守電' });
  });
});

describe('two outcomes recorded on two phones at once', () => {
  const atHome: OutcomeBody = { type: 'outcome', outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '叔母が泊まる' };
  const admitted: OutcomeBody = { type: 'outcome', outcome: '短期入所', facilityId: 'fac-f', facilityName: 'ふじ短期入所', from: at('17:50'), note: '' };

  /** Phone 1 (in a basement) records three calls and 在宅で対応; phone 2 records the admission at ふじ. */
  async function forked(): Promise<{ base: CaseEntry[]; entries: CaseEntry[]; home: CaseEntry; admission: CaseEntry }> {
    const { base } = await pendingCall();
    const one = await write(base, phone1, [
      { body: contactBody({ result: '受入不可' }), at: at('15:30') },
      { body: contactBody({ result: '受入不可' }), at: at('15:40') },
      { body: atHome, at: at('15:45') },
    ]);
    const two = await write(base, phone2, [{ body: admitted, at: at('15:52') }]);
    return { base, entries: orderEntries([...base, ...one, ...two]), home: one.at(-1)!, admission: two[0]! };
  }

  it('names the outcome the standing one’s writer had not seen, whichever read order stands', async () => {
    const { entries, home, admission } = await forked();
    const kase = foldCase(entries);
    // read order puts the phone that held more entries last: its 在宅で対応 stands
    expect(kase.outcome?.entryId).toBe(home.id);
    expect(concurrentOutcomes(kase).map((o) => o.entryId)).toEqual([admission.id]);
  });

  it('is settled by the outcome recorded again, or a 取消 of either, by someone who held both', async () => {
    const { entries, home } = await forked();
    const again = await write(entries, phone2, [{ body: admitted, at: at('16:10') }]);
    expect(concurrentOutcomes(foldCase(orderEntries([...entries, ...again])))).toEqual([]);
    const withdrawn = await write(entries, phone1, [{ body: { type: 'correction', corrects: home.id, reason: '別の端末で入所を記録済み', replacement: null }, at: at('16:10') }]);
    const settled = foldCase(orderEntries([...entries, ...withdrawn]));
    expect(concurrentOutcomes(settled)).toEqual([]);
    expect(settled.outcome?.body.outcome).toBe('短期入所');
  });

  it('comes back when the outcome that settled it is itself withdrawn', async () => {
    const { entries } = await forked();
    const [again] = await write(entries, phone2, [{ body: { type: 'outcome', outcome: '入院', facilityId: null, facilityName: '', from: null, note: '' }, at: at('16:10') }]);
    const settled = orderEntries([...entries, again!]);
    expect(concurrentOutcomes(foldCase(settled))).toEqual([]);
    const undone = await write(settled, phone2, [{ body: { type: 'correction', corrects: again!.id, reason: '誤って記録', replacement: null }, at: at('16:20') }]);
    expect(concurrentOutcomes(foldCase(orderEntries([...settled, ...undone])))).toHaveLength(1);
  });

  it('is no conflict when the later outcome was recorded after seeing the earlier (在宅で対応 at night, 短期入所 the next day)', async () => {
    const { base } = await pendingCall();
    const night = await write(base, phone1, [{ body: atHome, at: at('15:45') }]);
    const day = await write([...base, ...night], phone2, [{ body: admitted, at: at('23:00') }]);
    expect(concurrentOutcomes(foldCase(orderEntries([...base, ...night, ...day])))).toEqual([]);
  });

  it('offers every close that stands to 対応を再開, when both phones closed the case', async () => {
    const { base } = await pendingCall();
    const closes = async (phone: typeof phone1, hhmm: string) => write(base, phone, [{ body: admitted, at: at(hhmm) }, { body: { type: 'close', closedAt: at(hhmm) }, at: at(hhmm) }]);
    const one = await closes(phone1, '16:00');
    const two = await closes(phone2, '16:05');
    const entries = orderEntries([...base, ...one, ...two]);
    const kase = foldCase(entries);
    expect(standingClosesOf(kase)).toEqual([one[1]!.id, two[1]!.id]);
    const reopen = (id: string): EntryBody => ({ type: 'correction', corrects: id, reason: '入所の記録が2台で重複', replacement: null });
    const lastOnly = foldCase(orderEntries([...entries, ...(await write(entries, phone1, [{ body: reopen(two[1]!.id), at: at('16:30') }]))]));
    expect(lastOnly.closedAt).not.toBeNull();
    const both = await write(entries, phone1, [{ body: reopen(one[1]!.id), at: at('16:30') }, { body: reopen(two[1]!.id), at: at('16:31') }]);
    expect(foldCase(orderEntries([...entries, ...both])).closedAt).toBeNull();
  });
});

describe('a call recorded on a phone whose clock is behind the one that opened the case', () => {
  it('is taken up to the gap between the clocks (at least the tolerance) before the request the fast phone stamped, and refused beyond it; on one phone the rule is as before', async () => {
    // The hub phone, 7 minutes fast, stamped the request 02:17 at 02:10; the colleague rings at 02:12 by her clock.
    const opened = await appendEntries([], [{ body: openBody({ requestedAt: at('17:17') }), at: at('17:17') }], 'case-1', phone1);
    const kase = foldCase(opened);
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:12') }), at('17:12'))).toEqual([]);
    // the clocks are at least 5 minutes apart (more, as time passed since the request): a minute more is taken
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:11') }), at('17:12'))).toEqual([]);
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:10') }), at('17:12'))).not.toEqual([]);
    // the open entry not ahead of this phone's clock: a call before the request is a mistake, as ever
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:12') }), at('17:20'))).not.toEqual([]);
    // such a call taken, the request's 区分 can still be corrected (its time unchanged)
    const withCall = foldCase(await appendEntries(opened, [{ body: contactBody({ contactedAt: at('17:12') }), at: at('17:12') }], 'case-1', phone2));
    const recategorized = { ...withCall.open.body, category: '介護者の入院' as const };
    expect(validateEntry(withCall, { type: 'correction', corrects: withCall.open.entryId, reason: '区分の誤り', replacement: recategorized }, at('17:30'))).toEqual([]);
  });

  it('is taken when this phone opened the case on a fast clock that network time has since put back: the stamp floored after the request hid the gap', async () => {
    // Opened at 02:19 on a clock 9 minutes fast; network time puts it back; the call at 02:12 by the
    // corrected clock is stamped 02:15 (floored after the request, stampAfter), its clock reading 02:12.
    const opened = await appendEntries([], [{ body: openBody({ requestedAt: at('17:19') }), at: at('17:19') }], 'case-1', phone1);
    const kase = foldCase(opened);
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:12') }), at('17:15'), at('17:12'))).toEqual([]);
    // a time typed well before the request is still a mistake
    expect(validateEntry(kase, contactBody({ contactedAt: at('17:00') }), at('17:15'), at('17:12'))).not.toEqual([]);
  });
});
