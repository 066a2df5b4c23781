/**
 * foldCase for a case continued on two phones at once (case-chain.ts, docs/sync-protocol.md E3):
 * a correction replaces only what its writer had been shown, never a result it could not have seen.
 */
import { describe, expect, it } from 'vitest';
import { orderEntries } from './case-chain';
import { foldCase, validateEntry } from './case-fold';
import type { Actor, CaseEntry, ContactBody, EntryBody } from './emergency-case';
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
