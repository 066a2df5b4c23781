import { describe, expect, it } from 'vitest';
import { formatPhoneForTel } from './normalize';
import { agoInWords, contactsInCallOrder, formatJapanesePhone, isJapanNight, isNightPhone, phonesInCallOrder, saysNoAnswerAt } from './night-call';

describe('night-call rules', () => {
  it('reads night as 20:00–07:00 in Japan, whatever the device zone', () => {
    expect(isJapanNight('2026-12-02T17:10:00.000Z')).toBe(true); // 02:10 JST
    expect(isJapanNight('2026-12-02T11:00:00.000Z')).toBe(true); // 20:00 JST
    expect(isJapanNight('2026-12-02T10:59:00.000Z')).toBe(false); // 19:59 JST
    expect(isJapanNight('2026-12-02T22:00:00.000Z')).toBe(false); // 07:00 JST
  });

  it('puts the 夜間 number first at night only', () => {
    const phones = ['03-1111-2222', '夜間 090-1234-5678', ''];
    expect(phonesInCallOrder(phones, '2026-12-02T17:10:00.000Z')).toEqual(['夜間 090-1234-5678', '03-1111-2222']);
    expect(phonesInCallOrder(phones, '2026-12-02T03:00:00.000Z')).toEqual(['03-1111-2222', '夜間 090-1234-5678']);
  });

  it('never puts a phone marked 夜間不可 or 日中のみ first at night: it goes last', () => {
    const phones = ['03-1234-5678 夜間不可', '090-1111-2222', '夜間 080-3333-4444', '047-555-6666（日中のみ）', '夜は出ない 070-7777-8888'];
    expect(phonesInCallOrder(phones, '2026-12-02T17:10:00.000Z')).toEqual([
      '夜間 080-3333-4444',
      '090-1111-2222',
      '03-1234-5678 夜間不可',
      '047-555-6666（日中のみ）',
      '夜は出ない 070-7777-8888',
    ]);
    for (const p of ['夜×090-1111-2222', '夜間NG 03-1111-2222', '夜間はつながらない', '昼間のみ']) expect(phonesInCallOrder([p, '03-0000-0000'], '2026-12-02T17:10:00.000Z')[0]).toBe('03-0000-0000');
    expect(phonesInCallOrder(phones, '2026-12-02T03:00:00.000Z')).toEqual(phones);
  });

  it('reads 夜 with a limit (「夜は出られません」「夜9時まで」「夜勤あり」…) as not the night number: last at night', () => {
    const at = '2026-12-02T17:10:00.000Z'; // 02:10 JST
    const limited = [
      '090-1111-2222（夜は出られません）',
      '090-1111-2222 夜9時まで',
      '夜勤あり 090-1111-2222',
      '夜間は留守電 090-1111-2222',
      '夜間つながりにくい 090-1111-2222',
      '夜間は不在 090-1111-2222',
      '夜間以外 090-1111-2222',
    ];
    for (const p of limited) {
      expect(isNightPhone(p), p).toBe(false);
      expect(phonesInCallOrder([p, '03-0000-0000', '夜間 080-3333-4444'], at), p).toEqual(['夜間 080-3333-4444', '03-0000-0000', p]);
    }
    // a plain label, or a limiting word that says the night is fine, still marks the night number
    for (const p of ['夜間 090-1111-2222', '夜間可 090-1111-2222', '夜間はこちら 090-1111-2222', '携帯（090-1111-2222 夜間可）', '夜: 090-1111-2222', '夜間でも構いません 090-1111-2222', '深夜も問題ない 090-1111-2222',
      // a limit on the day or on another phone, in a statement of its own, leaves the night number as it is
      '090-1111-2222（夜間専用・日中は出られません）', '090-1111-2222（夜間はこちら。それ以外は自宅へ）', '090-1111-2222（夜間・留守の時はこちら）',
      '090-1111-2222（夜間・不在時はこちら）', '夜間はこちら（自宅は出ません） 090-1111-2222', '夜間は携帯へ（固定電話はつながりにくい） 090-1111-2222',
      '夜勤なし、夜間可 090-1111-2222', '夜中でも遠慮なしに 090-1111-2222', '夜間でも気にしないで 090-1111-2222',
      '夜間もつながります 090-1111-2222', '夜中でも可 090-1111-2222', '夜間OK 090-1111-2222', '夜間・休日はこちら 090-1111-2222', '夜はこちらに 090-1111-2222']) {
      expect(isNightPhone(p), p).toBe(true);
      expect(phonesInCallOrder(['03-0000-0000', p], at)[0], p).toBe(p);
    }
  });

  it('reads an evening 「21時まで」 as no answer once it is past, and leaves a morning hour alone', () => {
    const at2110 = '2026-12-02T12:10:00.000Z'; // 21:10 JST
    const at2030 = '2026-12-02T11:30:00.000Z'; // 20:30 JST
    const at0210 = '2026-12-02T17:10:00.000Z'; // 02:10 JST
    expect(saysNoAnswerAt('21時まで', at2110)).toBe(true);
    expect(saysNoAnswerAt('21時まで', at2030)).toBe(false);
    expect(saysNoAnswerAt('２２：００まで', at0210)).toBe(true);
    expect(saysNoAnswerAt('23時迄 090-1111-2222', at0210)).toBe(true);
    // 「9時まで」 may be the morning: not ruled out
    expect(saysNoAnswerAt('9時まで', at0210)).toBe(false);
    // by day nothing is ruled out
    expect(saysNoAnswerAt('夜勤のため夜間は不在', '2026-12-02T03:00:00.000Z')).toBe(false);
    expect(phonesInCallOrder(['090-1111-2222（22時まで）', '03-0000-0000'], at0210)).toEqual(['03-0000-0000', '090-1111-2222（22時まで）']);
    // the minutes count: 「21:30まで」 still answers at 21:10
    expect(saysNoAnswerAt('21:30まで', at2110)).toBe(false);
    expect(saysNoAnswerAt('21時半まで', at2110)).toBe(false);
    expect(saysNoAnswerAt('21時半まで', '2026-12-02T12:40:00.000Z')).toBe(true); // 21:40
  });

  it('reads 「20時まで仕事」「21時まで不在」 as when someone is away, and a note\'s 「日中のみ仕事」 as no limit on the night', () => {
    const at2230 = '2026-12-02T13:30:00.000Z'; // 22:30 JST
    for (const away of ['20時まで仕事', '21時まで不在', '21時まで外出しています', '20:00まで勤務']) {
      expect(saysNoAnswerAt(away, at2230), away).toBe(false);
      expect(saysNoAnswerAt(away, at2230, 'note'), away).toBe(false);
    }
    for (const note of ['平日のみ勤務', '日中のみ仕事']) expect(saysNoAnswerAt(note, at2230, 'note'), note).toBe(false);
    // 「夜9時まで不在」: away till 21:00, then reachable; 「夜9時まで」 alone is still a limit of the night
    for (const away of ['夜9時まで不在', '夜8時まで仕事です', '夜9時までは出られない']) {
      expect(saysNoAnswerAt(away, at2230, 'note'), away).toBe(false);
      expect(saysNoAnswerAt(`090-1111-2222 ${away}`, at2230), away).toBe(false);
    }
    expect(isNightPhone('090-1111-2222 夜9時まで不在')).toBe(false);
    // …and till 21:00 they are still away: at 20:30 the contact goes last, at 21:00 no more
    expect(saysNoAnswerAt('夜9時まで不在', '2026-12-02T11:30:00.000Z', 'note')).toBe(true);
    expect(saysNoAnswerAt('夜9時まで不在', '2026-12-02T12:00:00.000Z', 'note')).toBe(false);
    expect(saysNoAnswerAt('夜9時まで', at2230, 'note')).toBe(true);
    expect(saysNoAnswerAt('夜9時まで。夜勤あり', at2230, 'note')).toBe(true);
    // a phone marked 日中のみ is still one for the day only; a note that says the night is out still says so
    expect(saysNoAnswerAt('047-555-6666（日中のみ）', at2230)).toBe(true);
    expect(saysNoAnswerAt('夜勤のため夜間は不在', at2230, 'note')).toBe(true);
    expect(saysNoAnswerAt('21時まで', at2230, 'note')).toBe(true);
    expect(contactsInCallOrder([{ phones: ['090-1111-2222'], note: '20時まで仕事' }, { phones: ['03-3333-4444'], note: '' }], at2230).map((c) => c.noAnswerNow)).toEqual([false, false]);
  });

  it('calls at night in the family\'s order, but last those whose number or note says no one answers', () => {
    const contacts = [
      { name: '佐藤 花子', relation: '母', phones: ['090-1111-2222'], note: '夜勤のため夜間は不在' },
      { name: '田中 一郎', relation: '叔父', phones: ['03-3333-4444'], note: '21時まで' },
      { name: '佐藤 次郎', relation: '兄', phones: ['047-555-6666'], note: '' },
      { name: '鈴木 三郎', relation: '近所', phones: ['03-0000-0000', '夜間 080-7777-8888'], note: '' },
      { name: '番号なし', relation: '祖母', phones: [''], note: '' },
    ];
    const at0210 = '2026-12-02T17:10:00.000Z';
    const night = contactsInCallOrder(contacts, at0210);
    expect(night.map((c) => [c.contact.relation, c.phone, c.noAnswerNow])).toEqual([
      ['兄', '047-555-6666', false],
      ['近所', '夜間 080-7777-8888', false],
      ['母', '090-1111-2222', true],
      ['叔父', '03-3333-4444', true],
    ]);
    // by day as written, none ruled out
    const day = contactsInCallOrder(contacts, '2026-12-02T03:00:00.000Z');
    expect(day.map((c) => [c.contact.relation, c.noAnswerNow])).toEqual([['母', false], ['叔父', false], ['兄', false], ['近所', false]]);
    // a note's 夜 that limits nothing leaves the contact where it was
    expect(contactsInCallOrder([{ ...contacts[2]!, relation: '父', note: '夜は母の介護あり' }, contacts[2]!], at0210).map((c) => c.contact.relation)).toEqual(['父', '兄']);
  });

  it('shows the digits the link dials, whatever direction marks the record carries', () => {
    // U+202E showed 「0432-100-750」 while the link dialled 0570-01-2340
    expect(formatJapanesePhone('\u202E0570-01-2340')).toBe('057-001-2340');
    expect(formatJapanesePhone('夜間\u202E 09012345678')).toBe('夜間 090-1234-5678');
    expect(formatJapanesePhone('\u202E#7119\u202C')).toBe('#7119');
  });

  it('writes phone numbers as Japanese numbers are written, keeping a label', () => {
    expect(formatJapanesePhone('07000875391')).toBe('070-0087-5391');
    expect(formatJapanesePhone('03 0316 6239')).toBe('03-0316-6239');
    expect(formatJapanesePhone('＋８１ ９０－１２３４－５６７８')).toBe('090-1234-5678');
    expect(formatJapanesePhone('0471112222')).toBe('047-111-2222');
    expect(formatJapanesePhone('0120123456')).toBe('0120-123-456');
    // a number held from before the form's rule, whose extension the dialler never reaches: shown as
    // written (tel:031234), not as 「内線 031-234-5678」
    expect(formatJapanesePhone('03-1234 内線5678')).toBe('03-1234 内線5678');
    expect(formatPhoneForTel('03-1234 内線5678')).toBe('tel:031234');
    expect(formatJapanesePhone('夜間 09012345678')).toBe('夜間 090-1234-5678');
    expect(formatJapanesePhone('+1 415 555 0100')).toBe('+1 415 555 0100');
    expect(formatJapanesePhone('内線12')).toBe('内線12');
    // dashes typed with the Japanese IME are the number's, not a label's
    expect(formatJapanesePhone('０９０ー１１１１ー２２２２')).toBe('090-1111-2222');
    expect(formatJapanesePhone('母 090−1111−2222')).toBe('母 090-1111-2222');
    expect(formatJapanesePhone('090.1111.2222')).toBe('090-1111-2222');
    expect(formatJapanesePhone('センター 047ー111ー2222')).toBe('センター 047-111-2222');
  });

  it('says how long ago in words, and nothing for the future', () => {
    const now = new Date('2026-12-02T17:10:00.000Z'); // 12/3 02:10 JST
    expect(agoInWords('2026-12-02T17:10:00.000Z', now)).toBe('たった今');
    expect(agoInWords('2026-12-02T16:58:00.000Z', now)).toBe('12分前');
    expect(agoInWords('2026-12-02T14:10:00.000Z', now)).toBe('3時間前');
    expect(agoInWords('2026-12-02T13:10:00.000Z', now)).toBe('4時間前');
    expect(agoInWords('2026-12-02T08:00:00.000Z', now)).toBe('昨日 17:00');
    expect(agoInWords('2026-12-03T08:00:00.000Z', new Date('2026-12-03T09:00:00.000Z'))).toBe('1時間前');
    expect(agoInWords('2026-12-02T23:30:00.000Z', new Date('2026-12-03T09:00:00.000Z'))).toBe('今日 08:30');
    expect(agoInWords('2026-12-01T13:10:00.000Z', now)).toBe('2026年12月1日 22:10');
    expect(agoInWords('2026-12-02T19:00:00.000Z', now)).toBeNull();
  });
});
