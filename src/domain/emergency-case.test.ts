import { describe, expect, it } from 'vitest';
import { appendEntries, contactBody, openBody } from '../../test/factories/emergency-case';
import { foldCase, validateEntry } from './case-fold';
import { claimMonthOf } from './claim-rules';
import { ASK_WHEN_HEARD_AFTER_MS, asksWhenHeard, halfWrittenCallBack, heardOnCallBack, subjectShownName } from './emergency-case';

const at2350 = '2026-11-30T14:50:00.000Z'; // 23:50 on 30 November, Japan time
const at0030 = '2026-11-30T15:30:00.000Z'; // 00:30 on 1 December: the facility calls back
const after = (ms: number) => new Date(Date.parse(at2350) + ms);

describe('a result heard long after the call', () => {
  it('is asked about for 受入可 and 受入不可 over ten minutes after a call not reached, never for one reached, 折り返し待ち or 不在', () => {
    const waiting = contactBody({ contactedAt: at2350, result: null });
    expect(asksWhenHeard(waiting, '受入可', after(ASK_WHEN_HEARD_AFTER_MS))).toBe(false);
    expect(asksWhenHeard(waiting, '受入可', after(ASK_WHEN_HEARD_AFTER_MS + 1_000))).toBe(true);
    expect(asksWhenHeard(waiting, '受入不可', new Date(at0030))).toBe(true);
    expect(asksWhenHeard(waiting, '不在', new Date(at0030))).toBe(false);
    expect(asksWhenHeard({ ...waiting, result: '不在' }, '受入可', new Date(at0030))).toBe(true);
    // 受入不可 made 受入可: reached both ways, its time is the call's
    expect(asksWhenHeard({ ...waiting, result: '受入不可' }, '受入可', new Date(at0030))).toBe(false);
  });

  it('heard now, on the call back, dates the coordination at the call back: a 23:50 call never answered, 受入可 at 00:30, is claimed in December', async () => {
    const opened = await appendEntries([], [
      { body: openBody({ requestedAt: '2026-11-30T14:45:00.000Z' }), at: '2026-11-30T14:45:00.000Z' },
      { body: contactBody({ contactedAt: at2350, result: null }), at: at2350 },
    ]);
    const call = foldCase(opened).contacts[0]!;
    const bodies = heardOnCallBack(call, '受入可', at0030);
    expect(bodies).toEqual([
      { ...contactBody({ contactedAt: at0030, result: '受入可' }), note: '事業所からの折り返し' },
      { type: 'result', contact: call.entryId, result: '折り返し待ち', note: '結果は折り返しの電話で記録' },
    ]);
    const kase = foldCase(await appendEntries(opened, bodies.map((body) => ({ body, at: at0030 }))));
    expect(kase.contacts.map((c) => [c.body.contactedAt, c.body.result])).toEqual([
      [at2350, '折り返し待ち'],
      [at0030, '受入可'],
    ]);
    expect(claimMonthOf(kase)).toEqual({ month: '2026-12', coordinatedAt: at0030 });
    // no call is left without its result: the case may be closed once the outcome is recorded
    expect(validateEntry(kase, { type: 'close', closedAt: at0030 }, at0030)).toEqual(['対応結果を記録してから終了してください。']);
  });

  it('leaves a call that had its result (a 23:50 不在) as it stands: the call back alone', () => {
    const call = { entryId: 'e-1', body: contactBody({ contactedAt: at2350, result: '不在' }) };
    expect(heardOnCallBack(call, '受入不可', at0030, '1210100009')).toEqual([
      { ...contactBody({ contactedAt: at0030, result: '受入不可', facilityOfficeNumber: '1210100009' }), note: '事業所からの折り返し' },
    ]);
  });

  describe('written halfway (the call back saved, the call\'s 折り返し待ち not), read from the case', () => {
    const opened = () =>
      appendEntries([], [
        { body: openBody({ requestedAt: '2026-11-30T14:45:00.000Z' }), at: '2026-11-30T14:45:00.000Z' },
        { body: contactBody({ contactedAt: at2350, result: null }), at: at2350 },
      ]);

    it('is the call back\'s result on the 23:50 call, until its 折り返し待ち is written', async () => {
      const entries = await opened();
      const [callBack, answered] = heardOnCallBack(foldCase(entries).contacts[0]!, '受入可', at0030);
      const half = foldCase(await appendEntries(entries, [{ body: callBack, at: at0030 }]));
      expect(halfWrittenCallBack(half.contacts, half.contacts[0]!)).toBe('受入可');
      // the call back itself has its result: nothing missing there
      expect(halfWrittenCallBack(half.contacts, half.contacts[1]!)).toBeNull();
      const whole = foldCase(await appendEntries(entries, [callBack, answered!].map((body) => ({ body, at: at0030 }))));
      expect(whole.contacts.map((c) => halfWrittenCallBack(whole.contacts, c))).toEqual([null, null]);
    });

    it('is nothing for a call with no result and no call back, a later call made (not a call back), another facility\'s call back, or one withdrawn', async () => {
      const entries = await opened();
      const call = foldCase(entries).contacts[0]!;
      expect(halfWrittenCallBack(foldCase(entries).contacts, call)).toBeNull();
      const [callBack] = heardOnCallBack(call, '受入不可', at0030);
      const others = [
        contactBody({ contactedAt: at0030, result: '受入可', note: '' }),
        { ...callBack, facilityId: 'fac-2', facilityName: 'ひまわり' },
        { ...callBack, result: '不在' as const },
      ];
      for (const body of others) {
        const kase = foldCase(await appendEntries(entries, [{ body, at: at0030 }]));
        expect(halfWrittenCallBack(kase.contacts, kase.contacts[0]!)).toBeNull();
      }
      const written = await appendEntries(entries, [{ body: callBack, at: at0030 }]);
      const withdrawn = foldCase(
        await appendEntries(written, [{ body: { type: 'correction', corrects: written.at(-1)!.id, reason: '別の記録と重複', replacement: null }, at: at0030 }]),
      );
      expect(halfWrittenCallBack(withdrawn.contacts, withdrawn.contacts[0]!)).toBeNull();
    });

    it("is nothing for an earlier call of the same facility, still without its result, when a later call's 「いま」 was written whole", () => {
      // 23:30 and 23:50 to あおぞら, neither answered; the 23:50 one answered on the 00:30 call back
      const first = { body: contactBody({ contactedAt: '2026-11-30T14:30:00.000Z', result: null }) };
      const second = { body: contactBody({ contactedAt: at2350, result: '折り返し待ち' }) };
      const callBack = { body: { ...contactBody({ contactedAt: at0030, result: '受入可' }), note: '事業所からの折り返し' } };
      expect(halfWrittenCallBack([first, second, callBack], first)).toBeNull();
      // the same three with the 23:50 call's 折り返し待ち not written: that call is the halfway one
      const unanswered = { body: { ...second.body, result: null } };
      expect(halfWrittenCallBack([first, unanswered, callBack], unanswered)).toBe('受入可');
      expect(halfWrittenCallBack([first, unanswered, callBack], first)).toBeNull();
    });

    it('matches a place typed by hand (no facility id) by its name', () => {
      const call = { body: contactBody({ facilityId: null, facilityName: '市立病院', contactedAt: at2350, result: null }) };
      const callBack = { body: { ...contactBody({ facilityId: null, facilityName: '市立病院', contactedAt: at0030, result: '受入不可' }), note: '事業所からの折り返し' } };
      expect(halfWrittenCallBack([call, callBack], call)).toBe('受入不可');
      expect(halfWrittenCallBack([call, { body: { ...callBack.body, facilityName: 'あおぞら短期入所' } }], call)).toBeNull();
    });
  });
});

describe('a case’s person as the screens name it', () => {
  it('marks a name heard from an unknown caller, and names the registered person by their record', () => {
    expect(subjectShownName({ personId: null, name: ' 山田 花子 ' })).toBe('山田 花子（聞き取り）');
    expect(subjectShownName({ personId: null, name: '' })).toBe('本人未特定');
    expect(subjectShownName({ personId: 'p-1', name: '佐藤 陽太' })).toBe('佐藤 陽太');
    expect(subjectShownName({ personId: 'p-1', name: '' })).toBe('（氏名未入力）');
  });
});
