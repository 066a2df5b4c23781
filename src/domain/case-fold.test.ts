import { describe, expect, it } from 'vitest';
import { earlierOutcomes, foldCase, mayBeDeleted, retentionUntil, standingClosesOf, validateEntry } from './case-fold';
import type { CorrectionBody, EntryBody, OutcomeBody } from './emergency-case';
import { appendEntries, buildCase, contactBody, openBody, subjectYota } from '../../test/factories/emergency-case';

const admitted: OutcomeBody = {
  type: 'outcome',
  outcome: '短期入所',
  facilityId: 'fac-1',
  facilityName: 'あおぞら短期入所',
  from: '2026-11-30T16:00:00.000Z',
  note: '',
};

describe('foldCase: the case as it stands', () => {
  it('reads request, contacts in time order, outcome and close', async () => {
    const c = await buildCase([
      openBody(),
      contactBody({ facilityName: '後で記録した方', contactedAt: '2026-11-30T15:30:00.000Z' }),
      contactBody({ facilityName: '先に電話した方', contactedAt: '2026-11-30T15:10:00.000Z' }),
      admitted,
      { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' },
    ]);
    expect(c.open.body.requestedAt).toBe('2026-11-30T14:50:00.000Z');
    expect(c.contacts.map((k) => k.body.facilityName)).toEqual(['先に電話した方', '後で記録した方']);
    expect(c.outcome?.body.facilityName).toBe('あおぞら短期入所');
    expect(c.closedAt).toBe('2026-11-30T16:30:00.000Z');
    expect(c.headHash).toBe(c.entries.at(-1)!.hash);
    expect(c.claimFacts.planning).toBe('unknown');
  });

  it('orders contacts by instant, whatever the precision of the stored time', async () => {
    const c = await buildCase([
      openBody(),
      contactBody({ facilityName: '秒あり', contactedAt: '2026-11-30T15:20:30.000Z' }),
      contactBody({ facilityName: '秒なし', contactedAt: '2026-11-30T15:20Z' }),
    ]);
    expect(c.contacts.map((k) => k.body.facilityName)).toEqual(['秒なし', '秒あり']);
  });

  it('applies a correction and keeps what it replaced, with the reason', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ result: '折り返し待ち' })]);
    const correction: CorrectionBody = {
      type: 'correction',
      corrects: entries[1]!.id,
      reason: '結果の選択を誤った',
      replacement: contactBody({ result: '受入可' }),
    };
    const c = foldCase(await appendEntries(entries, [correction]));
    expect(c.contacts).toHaveLength(1);
    expect(c.contacts[0]!.body.result).toBe('受入可');
    expect(c.contacts[0]!.entryId).toBe(entries[1]!.id);
    expect(c.contacts[0]!.corrections).toMatchObject([{ reason: '結果の選択を誤った', withdrawn: false }]);
    // the original entry is still in the chain, unchanged
    expect(c.entries[1]!.body).toMatchObject({ result: '折り返し待ち' });
  });

  it('keeps the value before and after each correction, for every report to show (issue 14 point 4)', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ contactedAt: '2026-11-30T15:05:00.000Z' })]);
    const moved = contactBody({ contactedAt: '2026-11-30T14:55:00.000Z' });
    const c = foldCase(await appendEntries(entries, [{ type: 'correction', corrects: entries[1]!.id, reason: '時刻の入力誤り', replacement: moved }]));
    expect(c.contacts[0]!.body.contactedAt).toBe('2026-11-30T14:55:00.000Z');
    expect(c.contacts[0]!.corrections).toMatchObject([
      { reason: '時刻の入力誤り', by: { name: '山田 夜勤' }, before: { contactedAt: '2026-11-30T15:05:00.000Z' }, after: moved },
    ]);
  });

  it('a correction of a call whose result came later replaces what was shown: the old result and note do not come back', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ result: null, note: '' })]);
    const withResult = await appendEntries(entries, [{ type: 'result', contact: entries[1]!.id, result: '不在', note: '留守電' }]);
    expect(foldCase(withResult).contacts[0]!.body).toMatchObject({ result: '不在', note: '留守電' });
    // The dialog starts from the contact as shown (result 不在, note 留守電) and the user changes the result.
    const fixed = contactBody({ result: '受入不可', note: '留守電' });
    const corrected = await appendEntries(withResult, [{ type: 'correction', corrects: entries[1]!.id, reason: '結果を取り違えた', replacement: fixed }]);
    const c = foldCase(corrected);
    expect(c.contacts[0]!.body).toMatchObject({ result: '受入不可', note: '留守電' });
    expect(c.contacts[0]!.corrections[0]!.before).toMatchObject({ result: '不在', note: '留守電' });
    // A result recorded after the correction still applies.
    const later = foldCase(await appendEntries(corrected, [{ type: 'result', contact: entries[1]!.id, result: '受入可', note: '空きが出た' }]));
    expect(later.contacts[0]!.body).toMatchObject({ result: '受入可', note: '留守電 / 空きが出た' });
  });

  it('lists a withdrawn contact apart', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ facilityName: '別の世帯の電話' })]);
    const c = foldCase(
      await appendEntries(entries, [{ type: 'correction', corrects: entries[1]!.id, reason: '別の対応の記録だった', replacement: null }]),
    );
    expect(c.contacts).toEqual([]);
    expect(c.withdrawnContacts.map((k) => k.body.facilityName)).toEqual(['別の世帯の電話']);
  });

  it('keeps a withdrawn outcome apart, with the withdrawal, so that reports still show it as 取消', async () => {
    const hospital: OutcomeBody = { ...admitted, outcome: '入院', facilityId: null, facilityName: '', from: null };
    const entries = await appendEntries([], [openBody(), contactBody(), hospital]);
    const c = foldCase(await appendEntries(entries, [{ type: 'correction', corrects: entries[2]!.id, reason: '別の方の記録だった', replacement: null }, admitted]));
    expect(c.outcome?.body.outcome).toBe('短期入所');
    expect(c.withdrawnOutcomes.map((o) => o.body.outcome)).toEqual(['入院']);
    expect(c.withdrawnOutcomes[0]!.corrections).toMatchObject([{ reason: '別の方の記録だった', withdrawn: true, before: hospital, after: null }]);
  });

  it('keeps an outcome a later outcome entry replaced as an earlier outcome, with when and by whom it was recorded', async () => {
    const atHome: OutcomeBody = { ...admitted, outcome: '在宅で対応', facilityId: null, facilityName: '', from: null, note: '叔母が泊まる' };
    const morning = { userId: 'user-2', name: '鈴木 主任' };
    const c = await buildCase([
      openBody(),
      contactBody(),
      { body: atHome, at: '2026-11-30T15:40:00.000Z' },
      { body: admitted, at: '2026-12-01T00:30:00.000Z', by: morning },
    ]);
    expect(c.outcome?.body.outcome).toBe('短期入所');
    expect(c.withdrawnOutcomes).toEqual([]);
    expect(earlierOutcomes(c)).toEqual([
      { entryId: c.entries[2]!.id, body: atHome, recordedAt: '2026-11-30T15:40:00.000Z', recordedBy: { userId: 'user-1', name: '山田 夜勤' }, corrections: [] },
    ]);
  });

  it('lists earlier outcomes in the order recorded, leaves withdrawn ones to withdrawnOutcomes, and has none for a single outcome', async () => {
    const hospital: OutcomeBody = { ...admitted, outcome: '入院', facilityId: null, facilityName: '', from: null };
    const atHome: OutcomeBody = { ...hospital, outcome: '在宅で対応' };
    const entries = await appendEntries([], [openBody(), contactBody(), hospital, atHome]);
    expect(earlierOutcomes(foldCase(entries.slice(0, 3)))).toEqual([]);
    const c = foldCase(await appendEntries(entries, [admitted, { type: 'correction', corrects: entries[3]!.id, reason: '別の方の記録だった', replacement: null }]));
    expect(c.outcome?.body.outcome).toBe('短期入所');
    expect(earlierOutcomes(c).map((o) => o.body.outcome)).toEqual(['入院']);
    expect(c.withdrawnOutcomes.map((o) => o.body.outcome)).toEqual(['在宅で対応']);
    // Withdrawing the current outcome brings the one before back as the outcome; it is no longer earlier.
    const back = foldCase(await appendEntries(entries, [{ type: 'correction', corrects: entries[3]!.id, reason: '別の方の記録だった', replacement: null }]));
    expect(back.outcome?.body.outcome).toBe('入院');
    expect(earlierOutcomes(back)).toEqual([]);
    // A case built by hand, without entries, has none.
    expect(earlierOutcomes({ entries: [] })).toEqual([]);
  });

  it('links an unknown caller to a registered person', async () => {
    const unknown = { householdId: null, personId: null, name: '', recipientNumber: '' };
    const c = await buildCase([openBody({ subject: unknown }), { type: 'link', subject: subjectYota }]);
    expect(c.open.body.subject).toEqual(unknown);
    expect(c.subject).toEqual(subjectYota);
  });
});

describe('validateEntry: bad input is refused with a reason', () => {
  it('refuses a contact before the request', async () => {
    const c = await buildCase([openBody()]);
    const errors = validateEntry(c, contactBody({ contactedAt: '2026-11-30T14:40:00.000Z' }), '2026-11-30T15:00:00.000Z');
    expect(errors).toEqual(['連絡・調整を行った時刻が、要請のあった時間（2026年11月30日 23:50）より前になっています。']);
  });

  it('accepts a call typed in the same minute as a request recorded with seconds, and refuses the minute before', async () => {
    const c = await buildCase([openBody({ requestedAt: '2026-11-30T14:50:35.000Z' })]);
    expect(validateEntry(c, contactBody({ contactedAt: '2026-11-30T14:50:00.000Z' }), '2026-11-30T15:00:00.000Z')).toEqual([]);
    expect(validateEntry(c, contactBody({ contactedAt: '2026-11-30T14:49:00.000Z' }), '2026-11-30T15:00:00.000Z')).toEqual([
      '連絡・調整を行った時刻が、要請のあった時間（2026年11月30日 23:50）より前になっています。',
    ]);
  });

  it('refuses a time in the future of the device clock', async () => {
    const c = await buildCase([openBody()]);
    expect(validateEntry(c, contactBody({ contactedAt: '2026-11-30T18:00:00.000Z' }), '2026-11-30T15:00:00.000Z')).toEqual([
      '連絡・調整を行った時刻が未来の時刻になっています。',
    ]);
  });

  it('asks for a reason when the request time is set back', () => {
    const late = openBody({ requestedAt: '2026-11-30T14:00:00.000Z' });
    expect(validateEntry(null, late, '2026-11-30T15:00:00.000Z')).toEqual([
      '要請のあった時間を記録時刻より前にする場合は、その理由を入力してください。',
    ]);
    expect(validateEntry(null, { ...late, requestedAtReason: '電話対応を優先し、後から入力' }, '2026-11-30T15:00:00.000Z')).toEqual([]);
  });

  it('takes a correction of the 区分 or the words an hour later without a reason for the time, which did not move', async () => {
    const entries = await appendEntries([], [{ body: openBody(), at: '2026-11-30T14:52:00.000Z' }]);
    const c = foldCase(entries);
    const later = '2026-11-30T15:50:00.000Z';
    const recategorized: EntryBody = { ...openBody(), category: '介護者の入院', detail: '母は入院と決まった' };
    expect(validateEntry(c, { type: 'correction', corrects: entries[0]!.id, reason: '区分の選び間違い', replacement: recategorized }, later)).toEqual([]);
    // the time moved back at that correction: its reason is asked for
    const moved: EntryBody = { ...recategorized, requestedAt: '2026-11-30T14:30:00.000Z' };
    expect(validateEntry(c, { type: 'correction', corrects: entries[0]!.id, reason: '区分の選び間違い', replacement: moved }, later)).toEqual([
      '要請のあった時間を記録時刻より前にする場合は、その理由を入力してください。',
    ]);
  });

  it('refuses to close a case with no outcome, and new contacts after close', async () => {
    const open = await buildCase([openBody()]);
    expect(validateEntry(open, { type: 'close', closedAt: '2026-11-30T16:00:00.000Z' }, '2026-11-30T16:00:00.000Z')).toContain(
      '対応結果を記録してから終了してください。',
    );
    const closed = await buildCase([openBody(), admitted, { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' }]);
    expect(validateEntry(closed, contactBody(), '2026-11-30T16:40:00.000Z')).toEqual([
      '終了した対応記録には追加できません。続きを記録するときは「対応を再開」を押してください。誤りは「訂正」で記録してください。',
    ]);
  });

  it('refuses a correction without a reason, of another type, or of a correction', async () => {
    const entries = await appendEntries([], [openBody(), contactBody()]);
    const c = foldCase(entries);
    const at = '2026-11-30T16:00:00.000Z';
    expect(validateEntry(c, { type: 'correction', corrects: entries[1]!.id, reason: ' ', replacement: contactBody() }, at)).toEqual([
      '訂正の理由を入力してください。',
    ]);
    expect(validateEntry(c, { type: 'correction', corrects: entries[1]!.id, reason: 'x', replacement: admitted }, at)).toEqual([
      '訂正後の記録は、元の記録と同じ種類にしてください。',
    ]);
    expect(validateEntry(c, { type: 'correction', corrects: 'nope', reason: 'x', replacement: null }, at)).toEqual([
      '訂正する記録が見つかりません。',
    ]);
    expect(validateEntry(c, { type: 'correction', corrects: entries[0]!.id, reason: 'x', replacement: null }, at)).toEqual([
      '取り消せるのは連絡・調整、対応結果、終了の記録だけです。',
    ]);
  });

  it('reopens a closed case by the 取消 of its close (対応を再開): open again, new calls taken, the close kept as withdrawn', async () => {
    const closeBody: EntryBody = { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' };
    const entries = await appendEntries([], [openBody(), contactBody(), admitted, closeBody]);
    const closed = foldCase(entries);
    const [closeId] = standingClosesOf(closed);
    expect(standingClosesOf(closed)).toEqual([entries[3]!.id]);
    const at = '2026-11-30T19:00:00.000Z';
    // closed: a new call is refused
    expect(validateEntry(closed, contactBody({ contactedAt: at }), at)).not.toEqual([]);
    const reopen: EntryBody = { type: 'correction', corrects: closeId!, reason: '受入先から今夜は預かれないと電話があった', replacement: null };
    expect(validateEntry(closed, reopen, at)).toEqual([]);
    const reopened = foldCase(await appendEntries(entries, [{ body: reopen, at }]));
    expect(reopened.closedAt).toBeNull();
    expect(standingClosesOf(reopened)).toEqual([]);
    expect(validateEntry(reopened, contactBody({ contactedAt: at }), at)).toEqual([]);
  });

  it('refuses moving the request time after a recorded contact', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ contactedAt: '2026-11-30T15:00:00.000Z' })]);
    const c = foldCase(entries);
    const moved = openBody({ requestedAt: '2026-11-30T15:05:00.000Z' });
    expect(validateEntry(c, { type: 'correction', corrects: entries[0]!.id, reason: '時刻の誤り', replacement: moved }, '2026-11-30T16:00:00.000Z')).toContain(
      '訂正後の要請のあった時間が、記録済みの連絡・調整の時刻より後になっています。',
    );
  });
});

describe('retention', () => {
  it('keeps a closed case 5 years from the Japan date it closed, and an open one always', async () => {
    const open = await buildCase([openBody()]);
    expect(retentionUntil(open)).toBeNull();
    expect(mayBeDeleted(open, '2099-01-01')).toBe(false);
    // 2026-11-30T16:30Z is 1 December in Japan
    const closed = await buildCase([openBody(), admitted, { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' }]);
    expect(retentionUntil(closed)).toBe('2031-12-01');
    // kept through its last day, as the screens say (「2031年12月1日まで」); deletable the day after
    expect(mayBeDeleted(closed, '2031-12-01')).toBe(false);
    expect(mayBeDeleted(closed, '2031-12-02')).toBe(true);
  });

  it('keeps a case 5 years from an entry written after its close (a 過誤調整 years on), not from the close', async () => {
    const closed = await buildCase([openBody(), admitted, { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' }]);
    const later = await buildCase([
      openBody(),
      admitted,
      { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' },
      // recorded on 1 June 2030 in Japan
      { body: { type: 'claim-facts', planning: 'this-office', independentLivingClaimed: false, note: '過誤調整' }, at: '2030-05-31T23:00:00.000Z' },
    ]);
    expect(retentionUntil(closed)).toBe('2031-12-01');
    expect(retentionUntil(later)).toBe('2035-06-01');
    expect(mayBeDeleted(later, '2031-12-02')).toBe(false);
  });
});

describe('a call recorded from the match, its result after', () => {
  it('keeps the attempt time and takes the result that follows', async () => {
    const entries = await appendEntries([], [openBody(), contactBody({ result: null, contactedAt: '2026-11-30T15:00:00.000Z' })]);
    const attempt = foldCase(entries);
    expect(attempt.contacts[0]!.body.result).toBeNull();
    expect(validateEntry(attempt, { type: 'close', closedAt: '2026-11-30T16:00:00.000Z' }, '2026-11-30T16:00:00.000Z')).toContain(
      '結果が未記録の連絡があります（あおぞら短期入所）。結果を記録してから終了してください。',
    );
    const resultBody = { type: 'result' as const, contact: entries[1]!.id, result: '折り返し待ち' as const, note: '看護師に確認中' };
    expect(validateEntry(attempt, resultBody, '2026-11-30T15:02:00.000Z')).toEqual([]);
    const later = foldCase(
      await appendEntries(entries, [resultBody, { type: 'result', contact: entries[1]!.id, result: '受入可', note: '' }]),
    );
    expect(later.contacts[0]!.body).toMatchObject({ result: '受入可', contactedAt: '2026-11-30T15:00:00.000Z', note: '' });
  });
});

describe('validateEntry: every transition keeps the case’s times in order', () => {
  const close: EntryBody = { type: 'close', closedAt: '2026-11-30T16:30:00.000Z' };
  const after = '2026-11-30T19:00:00.000Z';

  it('names the call a close now would come before (typed up to the clock tolerance ahead), and says what to do', async () => {
    // recorded at 15:20, the call typed as 15:24 (the caller's watch): at 15:21:30 「対応を終了」 is before it
    const c = await buildCase([
      openBody(),
      { body: contactBody({ contactedAt: '2026-11-30T15:24:00.000Z' }), at: '2026-11-30T15:20:00.000Z' },
      { body: { ...admitted, from: '2026-11-30T15:21:00.000Z' }, at: '2026-11-30T15:21:00.000Z' },
    ]);
    expect(validateEntry(c, { type: 'close', closedAt: '2026-11-30T15:21:30.000Z' }, '2026-11-30T15:21:30.000Z')).toEqual([
      '終了時刻が、あおぞら短期入所への連絡（2026年12月1日 00:24）より前になります。その時刻を過ぎてから終了するか、連絡の時刻を訂正してください。',
    ]);
    expect(validateEntry(c, { type: 'close', closedAt: '2026-11-30T15:24:10.000Z' }, '2026-11-30T15:24:10.000Z')).toEqual([]);
  });

  it('refuses a call of a closed case corrected to after its close, naming the close', async () => {
    const entries = await appendEntries([], [openBody(), contactBody(), admitted, close]);
    const c = foldCase(entries);
    const moved = (contactedAt: string): EntryBody => ({ type: 'correction', corrects: entries[1]!.id, reason: '時刻の誤り', replacement: contactBody({ contactedAt }) });
    expect(validateEntry(c, moved('2026-11-30T16:40:00.000Z'), after)).toEqual([
      '連絡・調整を行った時刻が、終了時刻（2026年12月1日 01:30）より後になっています。終了の後の連絡なら、先に「対応を再開」してください。',
    ]);
    expect(validateEntry(c, moved('2026-11-30T16:30:00.000Z'), after)).toEqual([]);
  });

  it('refuses the request time corrected to after the admission that stands, or after the close, naming each', async () => {
    const entries = await appendEntries([], [openBody(), admitted, close]);
    const c = foldCase(entries);
    const moved = (requestedAt: string): EntryBody => ({
      type: 'correction',
      corrects: entries[0]!.id,
      reason: '時刻の誤り',
      replacement: openBody({ requestedAt, requestedAtReason: '時刻の誤り' }),
    });
    expect(validateEntry(c, moved('2026-11-30T16:10:00.000Z'), after)).toEqual(['訂正後の要請のあった時間が、入所の日時（2026年12月1日 01:00）より後になっています。']);
    expect(validateEntry(c, moved('2026-11-30T16:40:00.000Z'), after)).toEqual([
      '訂正後の要請のあった時間が、入所の日時（2026年12月1日 01:00）より後になっています。',
      '訂正後の要請のあった時間が、終了時刻（2026年12月1日 01:30）より後になっています。',
    ]);
    expect(validateEntry(c, moved('2026-11-30T15:50:00.000Z'), after)).toEqual([]);
  });

  it('refuses the 取消 of the outcome that stands on a closed case until it is reopened', async () => {
    const entries = await appendEntries([], [openBody(), contactBody(), admitted, close]);
    const withdraw: EntryBody = { type: 'correction', corrects: entries[2]!.id, reason: '入所しなかった', replacement: null };
    expect(validateEntry(foldCase(entries), withdraw, after)).toEqual(['終了した対応記録の対応結果を取り消すときは、先に「対応を再開」してください。']);
    const reopened = foldCase(await appendEntries(entries, [{ type: 'correction', corrects: entries[3]!.id, reason: '入所しなかった', replacement: null }]));
    expect(validateEntry(reopened, withdraw, after)).toEqual([]);
    // an outcome that does not stand (a rival recorded on another phone at once) is still withdrawn on a closed case
    const atHome: OutcomeBody = { ...admitted, outcome: '在宅で対応', facilityId: null, facilityName: '', from: null };
    const two = await appendEntries([], [openBody(), contactBody(), atHome, admitted, close]);
    expect(validateEntry(foldCase(two), { type: 'correction', corrects: two[2]!.id, reason: '別の端末の記録の誤り', replacement: null }, after)).toEqual([]);
  });
});
