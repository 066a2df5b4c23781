import { describe, expect, it } from 'vitest';
import { createHousehold, createPerson } from '../../test/factories/household';
import { generateDemoHub } from './demo-data';
import type { Household } from './household';
import { buildHouseholdIndex, idsInNameOrder, removeFromIndex, searchHouseholds, upsertIndex } from './search';
import { normalizeKana, normalizePhone } from './normalize';

const sato = createHousehold({
  id: 'sato',
  phone: '090-1234-5678',
  persons: [createPerson({ id: 'sato-p1', name: '佐藤 陽太', furigana: 'サトウ　ヨウタ', recipientNumber: '1311223344' })],
  emergencyContacts: [{ name: '田中 由美子', relation: '叔母（母の妹）', phones: ['080-0987-6543', '03-0111-2222'], note: '' }],
  caseWorkerPhone: '03-0550-2211',
});
const tanaka = createHousehold({
  id: 'tanaka',
  phone: '03-0333-4444',
  persons: [createPerson({ id: 'tanaka-p1', name: '田中 湊', furigana: 'たなか みなと', recipientNumber: '1399887766' })],
  emergencyContacts: [{ name: '鈴木 健', relation: '伯父', phones: ['070-0555-6666'], note: '' }],
});

function ids(households: readonly Household[], query: string, limit?: number) {
  return searchHouseholds(buildHouseholdIndex(households), query, limit).map((h) => h.householdId);
}

describe('searchHouseholds: what one box finds', () => {
  const index = buildHouseholdIndex([sato, tanaka]);
  const first = (query: string) => searchHouseholds(index, query)[0];

  it('finds furigana typed in hiragana, katakana or half-width, with or without spaces', () => {
    for (const q of ['さとう', 'サトウ', 'ｻﾄｳ', 'さとう ようた', 'サトウヨウタ']) {
      expect(first(q)).toEqual(expect.objectContaining({ householdId: 'sato', personId: 'sato-p1', matchedOn: 'furigana' }));
    }
  });

  it('finds a kanji name by any part of it', () => {
    expect(first('佐藤')).toEqual(expect.objectContaining({ householdId: 'sato', matchedOn: 'name' }));
    expect(first('陽太')?.householdId).toBe('sato');
    expect(first('佐藤　陽太')?.householdId).toBe('sato');
  });

  it('finds a name typed half in kanji and half as heard, in either order, and not a household where the words name two people', () => {
    const yuko = createHousehold({
      id: 'yuko',
      persons: [createPerson({ id: 'yuko-p1', name: '佐藤 祐子', furigana: 'さとう ゆうこ' })],
    });
    // 佐藤 here, a ゆうこ among the contacts: two people, not the one the caller named
    const mixed = createHousehold({
      id: 'mixed',
      persons: [createPerson({ id: 'mixed-p1', name: '佐藤 陽太', furigana: 'さとう ようた' })],
      emergencyContacts: [{ name: '田中 ゆうこ', relation: '叔母', phones: ['080-0987-6543'], note: '' }],
    });
    const withYuko = buildHouseholdIndex([mixed, yuko, tanaka]);
    for (const q of ['佐藤 ゆうこ', '佐藤ゆうこ', 'さとう 祐子', 'ゆうこ さとう', 'ﾕｳｺ　佐藤', '祐子 さとう']) {
      expect(searchHouseholds(withYuko, q).map((h) => [h.householdId, h.personId]), q).toEqual([['yuko', 'yuko-p1']]);
    }
    // every word must be there: a word nobody has finds nobody
    expect(searchHouseholds(withYuko, '佐藤 みなこ')).toEqual([]);
    // two contacts' halves are not one name either
    const twoContacts = createHousehold({
      id: 'two-contacts',
      persons: [createPerson({ id: 'two-p1', name: '伊藤 蓮', furigana: 'いとう れん' })],
      emergencyContacts: [
        { name: '佐藤 一郎', relation: '伯父', phones: ['080-0987-6543'], note: '' },
        { name: '田中 祐子', furigana: 'たなか ゆうこ', relation: '叔母', phones: ['080-1111-2222'], note: '' },
      ],
    });
    expect(searchHouseholds(buildHouseholdIndex([twoContacts]), '佐藤 ゆうこ')).toEqual([]);
    // a contact named in two halves is found as the contact
    expect(searchHouseholds(withYuko, '田中 ゆうこ')).toEqual([expect.objectContaining({ householdId: 'mixed', personId: null, matchedOn: 'contact' })]);
  });

  it("finds the households of a 相談支援専門員 by their name, after a person's or a contact's own name", () => {
    const served = createHousehold({
      id: 'served',
      caseWorker: '江口 真理',
      persons: [createPerson({ id: 'served-p1', name: '伊藤 蓮', furigana: 'いとう れん' })],
    });
    const named = createHousehold({
      id: 'named',
      caseWorker: '',
      persons: [createPerson({ id: 'named-p1', name: '江口 真理', furigana: 'えぐち まり' })],
    });
    const withWorker = buildHouseholdIndex([served, named, tanaka]);
    expect(searchHouseholds(withWorker, '江口 真理').map((h) => [h.householdId, h.matchedOn])).toEqual([
      ['named', 'name'],
      ['served', 'case-worker'],
    ]);
    expect(searchHouseholds(withWorker, '江口').map((h) => h.householdId)).toEqual(['named', 'served']);
  });

  it('finds a household by an emergency contact name', () => {
    expect(searchHouseholds(index, '由美子')).toEqual([expect.objectContaining({ householdId: 'sato', personId: null, matchedOn: 'contact' })]);
  });

  it("finds a household by a contact's reading, typed in any kana form, and says it was the contact", () => {
    const aunt = createHousehold({
      id: 'ito',
      persons: [createPerson({ id: 'ito-p1', name: '伊藤 蓮', furigana: 'いとう れん' })],
      emergencyContacts: [{ name: '田中 由美子', furigana: 'たなか ゆみこ', relation: '叔母', phones: ['080-0987-6543'], note: '' }],
    });
    const withAunt = buildHouseholdIndex([aunt, tanaka]);
    for (const q of ['ゆみこ', 'ユミコ', 'ﾀﾅｶ ﾕﾐｺ']) {
      expect(searchHouseholds(withAunt, q), q).toEqual([expect.objectContaining({ householdId: 'ito', personId: null, matchedOn: 'contact' })]);
    }
    // 田中 湊 is a person of his own: he comes first, the household the aunt is a contact of after him
    expect(searchHouseholds(withAunt, 'たなか').map((h) => h.householdId)).toEqual(['tanaka', 'ito']);
  });

  it('finds a phone number in any format, including the last four digits', () => {
    for (const q of ['5678', '090-1234-5678', '09012345678', '+81 90-1234-5678', '＋８１（９０）１２３４-５６７８', '１２３４']) {
      expect(first(q)).toEqual(expect.objectContaining({ householdId: 'sato', matchedOn: 'phone', personId: null }));
    }
  });

  it("finds emergency contacts' and the case worker's numbers", () => {
    expect(first('6543')?.householdId).toBe('sato');
    expect(first('0111-2222')?.householdId).toBe('sato');
    expect(first('0550-2211')?.householdId).toBe('sato');
  });

  it('finds a 受給者証番号 by four digits or more, full-width too', () => {
    expect(first('1311223344')).toEqual(expect.objectContaining({ householdId: 'sato', personId: 'sato-p1', matchedOn: 'recipient' }));
    expect(first('2233')).toEqual(expect.objectContaining({ householdId: 'sato', matchedOn: 'recipient' }));
    expect(first('９８８７')?.householdId).toBe('tanaka');
  });

  it('needs three digits for a phone and four for a 受給者証番号', () => {
    expect(searchHouseholds(index, '56')).toEqual([]);
    expect(searchHouseholds(index, '133')).toEqual([]); // only in recipient numbers
    expect(searchHouseholds(index, '678').map((h) => h.householdId)).toEqual(['sato']);
  });

  it('returns nothing for an empty query: the list shows everything itself', () => {
    expect(searchHouseholds(index, '')).toEqual([]);
    expect(searchHouseholds(index, ' 　')).toEqual([]);
    expect(searchHouseholds(index, '・')).toEqual([]);
  });

  it('finds a name written with 異体字 by its common form, and the other way round', () => {
    const takahashi = createHousehold({ id: 'takahashi', persons: [createPerson({ id: 'takahashi-p', name: '髙橋 蓮', furigana: '' })] });
    const yamasaki = createHousehold({ id: 'yamasaki', persons: [createPerson({ id: 'yamasaki-p', name: '山崎 湊', furigana: '' })] });
    for (const q of ['高橋', '髙橋', '高橋 蓮']) expect(ids([takahashi, yamasaki], q), q).toEqual(['takahashi']);
    for (const q of ['山﨑', '山崎']) expect(ids([takahashi, yamasaki], q), q).toEqual(['yamasaki']);
  });

  it('finds a name written with 嶋 or 𠮷 by 島 or 吉, and the other way round', () => {
    const nakajima = createHousehold({ id: 'nakajima', persons: [createPerson({ id: 'nakajima-p', name: '中嶋 陸', furigana: '' })] });
    const yoshida = createHousehold({ id: 'yoshida', persons: [createPerson({ id: 'yoshida-p', name: '吉田 結衣', furigana: '' })] });
    const yoshida2 = createHousehold({ id: 'yoshida2', persons: [createPerson({ id: 'yoshida2-p', name: '𠮷田 翔', furigana: '' })] });
    const nakashima = createHousehold({ id: 'nakashima', persons: [createPerson({ id: 'nakashima-p', name: '中島 葵', furigana: '' })] });
    const all = [nakajima, yoshida, yoshida2, nakashima];
    for (const q of ['中島', '中嶋']) expect(ids(all, q).sort(), q).toEqual(['nakajima', 'nakashima']);
    for (const q of ['吉田', '𠮷田']) expect(ids(all, q).sort(), q).toEqual(['yoshida', 'yoshida2']);
    expect(ids(all, '𠮷田 翔')).toEqual(['yoshida2']);
    expect(ids(all, '吉田 翔')).toEqual(['yoshida2']);
  });

  it('finds a name saved with a variation selector (辻 + U+E0100 + 本, from a municipal system) by the name as typed', () => {
    const tsujimoto = createHousehold({ id: 'tsujimoto', persons: [createPerson({ id: 'tsujimoto-p', name: '辻\u{E0100}本 一郎', furigana: '' })] });
    for (const q of ['辻本', '辻本 一郎', '辻\u{E0100}本']) expect(ids([tsujimoto, sato], q), q).toEqual(['tsujimoto']);
  });

  it('finds an old form of an elderly name (淸, 靜) by the form typed today', () => {
    const nakamura = createHousehold({ id: 'nakamura', persons: [createPerson({ id: 'nakamura-p', name: '中村 淸', furigana: '' })] });
    const suzuki = createHousehold({ id: 'suzuki', persons: [createPerson({ id: 'suzuki-p', name: '鈴木 靜子', furigana: '' })] });
    expect(ids([nakamura, suzuki, sato], '清')).toEqual(['nakamura']);
    expect(ids([nakamura, suzuki, sato], '中村 清')).toEqual(['nakamura']);
    expect(ids([nakamura, suzuki, sato], '静子')).toEqual(['suzuki']);
  });

  it('finds a number pasted from iOS Contacts or Recents, wrapped in invisible direction marks', () => {
    const kimura = createHousehold({
      id: 'kimura',
      phone: '03-0777-8888',
      persons: [createPerson({ id: 'kimura-p', name: '木村 紬', furigana: 'キムラ ツムギ' })],
      emergencyContacts: [{ name: '木村 浩', relation: '父', phones: ['090-1234-5678'], note: '' }],
    });
    for (const q of ['\u202D090-1234-5678\u202C', '\u202D+81 90-1234-5678\u202C', '\u2066090-1234-5678\u2069', '\uFEFF\u200E09012345678\u200F', '\u202D5678\u202C']) {
      expect(searchHouseholds(buildHouseholdIndex([kimura, tanaka]), q), JSON.stringify(q)).toEqual([
        expect.objectContaining({ householdId: 'kimura', personId: null, matchedOn: 'phone' }),
      ]);
    }
    expect(first('\u202D080-0987-6543\u202C')).toEqual(expect.objectContaining({ householdId: 'sato', matchedOn: 'phone' }));
    expect(first('\u202D1311223344\u202C')).toEqual(expect.objectContaining({ householdId: 'sato', matchedOn: 'recipient' }));
    expect(first('\u202Dさとう\u202C')?.householdId).toBe('sato');
    expect(searchHouseholds(index, '\u202D\u202C\u200B')).toEqual([]);
  });

  it('returns one hit per household', () => {
    expect(searchHouseholds(index, '田中').map((h) => h.householdId)).toEqual(['tanaka', 'sato']);
  });
});

describe('searchHouseholds: a name from abroad', () => {
  const nguyen = createHousehold({ id: 'nguyen', persons: [createPerson({ id: 'nguyen-p1', name: 'Nguyễn Thị Hoa', furigana: 'グエン ティ ホア' })] });
  const silva = createHousehold({ id: 'silva', persons: [createPerson({ id: 'silva-p1', name: 'SILVA, João Gonçalves', furigana: 'ジョアン＝シルヴァ' })] });
  const obrien = createHousehold({ id: 'obrien', persons: [createPerson({ id: 'obrien-p1', name: "Sean O'Brien", furigana: '' })] });
  const vu = createHousehold({ id: 'vu', persons: [createPerson({ id: 'vu-p1', name: 'Vũ Minh', furigana: 'ヴー ミン' })] });
  const index = buildHouseholdIndex([sato, tanaka, nguyen, silva, obrien, vu]);
  const found = (query: string) => searchHouseholds(index, query).map((h) => h.householdId);

  it('finds a latin name typed without its marks, as the night keyboard types it', () => {
    for (const q of ['nguyen', 'Nguyen Thi', 'hoa']) expect(found(q), q).toContain('nguyen');
    for (const q of ['joao', 'goncalves', 'silva joao']) expect(found(q), q).toContain('silva');
  });

  it("finds O'Brien typed with either apostrophe, or none", () => {
    for (const q of ["o'brien", 'O’Brien', 'obrien']) expect(found(q), q).toContain('obrien');
  });

  it('finds シルヴァ typed as しるば and ヴー as ぶー, and the second name after 「＝」', () => {
    expect(found('しるば')).toContain('silva');
    expect(found('シルバ')).toContain('silva');
    expect(found('ぶー')).toContain('vu');
    expect(found('ヴー')).toContain('vu');
    expect(found('vu')).toContain('vu');
  });
});

describe('searchHouseholds: ranking', () => {
  it('puts a person before a household that only has them as a contact', () => {
    expect(ids([sato, tanaka], '田中')).toEqual(['tanaka', 'sato']);
  });

  it('puts exact and prefix matches before substrings', () => {
    const a = createHousehold({ id: 'a', persons: [createPerson({ name: '山本 太郎', furigana: 'ヤマモト タロウ' })] });
    const b = createHousehold({ id: 'b', persons: [createPerson({ name: '本田 圭', furigana: 'ホンダ ケイ' })] });
    expect(ids([a, b], '本')).toEqual(['b', 'a']);
    // a given name counts as a prefix
    const c = createHousehold({ id: 'c', persons: [createPerson({ name: '森 ゆうた', furigana: 'モリ ユウタ' })] });
    const d = createHousehold({ id: 'd', persons: [createPerson({ name: '大森 太一', furigana: 'オオモリ タイチ' })] });
    expect(ids([d, c], 'もり')).toEqual(['c', 'd']);
  });

  it('ranks the end of a phone number like its start', () => {
    const end = createHousehold({ id: 'end', phone: '03-0999-5678' });
    const middle = createHousehold({ id: 'middle', phone: '03-5678-0999' });
    const mid2 = createHousehold({ id: 'mid2', phone: '03-0956-7800' });
    // same name: the two substrings fall back to id order
    expect(ids([mid2, middle, end], '5678')).toEqual(['end', 'mid2', 'middle']);
  });

  it('reads the end of a number written with a note after it as its end, and still finds a second number in the entry', () => {
    const noted = createHousehold({ id: 'noted', phone: '090-1234-5496（22時まで）' });
    const middle = createHousehold({ id: 'middle', phone: '03-5496-0999' });
    // the note's 「22」 does not push 5496 into the middle of the number
    expect(ids([middle, noted], '5496')).toEqual(['noted', 'middle']);
    const two = createHousehold({ id: 'two', phone: '047-000-0000／090-1111-2468' });
    expect(ids([two], '2468')).toEqual(['two']);
    // digits after the number in brackets or after a space are no part of it either
    const extension = createHousehold({ id: 'extension', phone: '03-1234-5496 (12)' });
    const spaced = createHousehold({ id: 'spaced', phone: '090 1234 5496 22' });
    expect(ids([middle, extension, spaced], '5496')).toEqual(['extension', 'spaced', 'middle']);
  });

  it('puts registered before draft before withdrawn, then orders by furigana', () => {
    const person = (furigana: string) => [createPerson({ name: '佐藤', furigana })];
    const withdrawn = createHousehold({ id: 'w', persons: person('サトウ ア'), withdrawal: { date: '2026-01-01', reason: '転出' } });
    const draft = createHousehold({ id: 'd', persons: person('サトウ イ'), consent: null });
    const registeredB = createHousehold({ id: 'rb', persons: person('サトウ ケ') });
    const registeredA = createHousehold({ id: 'ra', persons: person('サトウ カ') });
    expect(ids([withdrawn, draft, registeredB, registeredA], '佐藤')).toEqual(['ra', 'rb', 'd', 'w']);
  });

  it('keeps the best `limit` hits', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      createHousehold({ id: `h${i}`, persons: [createPerson({ name: '佐藤', furigana: `サトウ ${String.fromCharCode(0x30a2 + i)}` })] }),
    );
    const all = ids(many, 'さとう', 100);
    expect(all).toHaveLength(30);
    expect(ids(many, 'さとう', 5)).toEqual(all.slice(0, 5));
    expect(ids(many, 'さとう', 0)).toEqual([]);
  });
});

describe('searchHouseholds: romaji, and readings near the one typed', () => {
  const yuko = createHousehold({
    id: 'yuko',
    phone: '090-2222-3333',
    persons: [createPerson({ id: 'yuko-p1', name: '佐藤 祐子', furigana: 'さとう ゆうこ' })],
  });
  const yamazaki = createHousehold({ id: 'yamazaki', persons: [createPerson({ id: 'yamazaki-p1', name: '山崎 湊', furigana: 'やまざき みなと' })] });
  // registered with the readings as a caller might say them: the query's own hits
  const yuukoBar = createHousehold({ id: 'yuuko-bar', persons: [createPerson({ id: 'bar-p1', name: '田中 ユーコ', furigana: 'たなか ゆーこ' })] });
  const yamasaki = createHousehold({ id: 'yamasaki', persons: [createPerson({ id: 'yamasaki-p1', name: '山崎 蓮', furigana: 'やまさき れん' })] });
  const index = buildHouseholdIndex([sato, tanaka, yuko, yamazaki, yuukoBar, yamasaki]);
  const found = (query: string) => searchHouseholds(index, query).map((h) => [h.householdId, h.near]);

  it('finds a name typed in romaji, passport spellings too', () => {
    for (const q of ['sato', 'satou', 'SATOH', 'Satō']) expect(found(q), q).toEqual(expect.arrayContaining([['yuko', false], ['sato', false]]));
    for (const q of ['Sato Yuko', 'yuko sato', 'satou yuuko', 'satoyuko']) {
      expect(searchHouseholds(index, q).map((h) => [h.householdId, h.personId, h.near]), q).toEqual([['yuko', 'yuko-p1', false]]);
    }
    // and a reading near the romaji's after it
    expect(found('yamazaki')).toEqual([
      ['yamazaki', false],
      ['yamasaki', true],
    ]);
  });

  it('finds ゆうこ for 「ユーコ」 and やまざき for 「やまさき」, after every household found as typed, and says so', () => {
    expect(found('ユーコ')).toEqual([
      ['yuuko-bar', false],
      ['yuko', true],
    ]);
    expect(found('ゆーこ')).toEqual(found('ユーコ'));
    expect(found('やまさき')).toEqual([
      ['yamasaki', false],
      ['yamazaki', true],
    ]);
    // a word as typed and one near: 佐藤 as written, ゆうこ as heard
    expect(searchHouseholds(index, '佐藤 ユーコ')).toEqual([expect.objectContaining({ householdId: 'yuko', personId: 'yuko-p1', near: true })]);
    expect(found('なかしま')).toEqual([]);
    expect(found('おーの')).toEqual([]);
  });

  it('ranks a near hit below any hit of the query itself, however weak', () => {
    // 「ゆーこ」 in the middle of a contact's name is the weakest hit there is, and still comes first
    const weak = createHousehold({ id: 'weak', persons: [createPerson({ id: 'weak-p1', name: '伊藤 蓮', furigana: 'いとう れん' })], caseWorker: 'みゆーこ' });
    const hits = searchHouseholds(buildHouseholdIndex([yuko, weak]), 'ゆーこ');
    expect(hits.map((h) => [h.householdId, h.near])).toEqual([
      ['weak', false],
      ['yuko', true],
    ]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('leaves a phone number or 受給者証番号 query as it was', () => {
    expect(searchHouseholds(index, '090-2222-3333')).toEqual([
      { householdId: 'yuko', personId: null, matchedOn: 'phone', score: expect.any(Number) as number, near: false },
    ]);
    expect(searchHouseholds(index, '2222-3334')).toEqual([]);
    expect(searchHouseholds(index, '1311223344').map((h) => [h.householdId, h.near])).toEqual([['sato', false]]);
  });

  it('offers a reading near the query after the households found as typed, however many those are', () => {
    // a city with many 斎藤, and one ふりがな saved as heard: サイトー ユウ
    const saitos = Array.from({ length: 12 }, (_, i) =>
      createHousehold({ id: `saito${i}`, persons: [createPerson({ name: '斎藤', furigana: `さいとう ${String.fromCharCode(0x3042 + 2 * i)}` })] }),
    );
    const heard = createHousehold({ id: 'heard', persons: [createPerson({ id: 'heard-p1', name: '斎藤 優', furigana: 'サイトー ユウ' })] });
    const hits = searchHouseholds(buildHouseholdIndex([...saitos, heard]), 'さいとう');
    expect(hits.slice(0, -1).map((h) => [h.householdId, h.near]).sort()).toEqual(saitos.map((h) => [h.id, false]).sort());
    expect(hits.at(-1)).toEqual(expect.objectContaining({ householdId: 'heard', personId: 'heard-p1', matchedOn: 'furigana', near: true }));
    // and in a query of two words
    expect(searchHouseholds(buildHouseholdIndex([...saitos, heard]), 'さいとう ゆう').map((h) => [h.householdId, h.near])).toEqual([['heard', true]]);
    // a page already full of households found as typed has no room for it
    expect(searchHouseholds(buildHouseholdIndex([...saitos, heard]), 'さいとう', 12).map((h) => h.near)).toEqual(Array<boolean>(12).fill(false));
  });

  it('finds 斎藤 for 「斉藤」 (and 川碕 for 「川崎」) as a near name, after the names as typed, and does not fold them', () => {
    const saito = createHousehold({ id: 'saito', persons: [createPerson({ id: 'saito-p1', name: '斎藤 陽太', furigana: '' })] });
    const saito2 = createHousehold({ id: 'saito2', persons: [createPerson({ id: 'saito2-p1', name: '齋藤 蓮', furigana: '' })] });
    const seito = createHousehold({ id: 'seito', persons: [createPerson({ id: 'seito-p1', name: '斉藤 湊', furigana: '' })] });
    const kawasaki = createHousehold({ id: 'kawasaki', persons: [createPerson({ id: 'kawasaki-p1', name: '川碕 葵', furigana: '' })] });
    const all = buildHouseholdIndex([saito, saito2, seito, kawasaki, tanaka]);
    const found = (q: string) => searchHouseholds(all, q).map((h) => [h.householdId, h.near]);
    expect(found('斉藤')[0]).toEqual(['seito', false]);
    expect(found('斉藤').slice(1).sort()).toEqual([
      ['saito', true],
      ['saito2', true],
    ]);
    expect(found('斎藤').slice(0, 2).sort()).toEqual([
      ['saito', false],
      ['saito2', false],
    ]);
    expect(found('斎藤')[2]).toEqual(['seito', true]);
    expect(found('斉藤 陽太')).toEqual([['saito', true]]);
    expect(found('川崎')).toEqual([['kawasaki', true]]);
  });
});

describe('searchHouseholds: a person before a field that only names them', () => {
  const person = (id: string, name: string, furigana: string) => createPerson({ id, name, furigana });
  const yota = createHousehold({ id: 'yota', persons: [person('yota-p1', '佐藤 陽太', 'さとう ようた')] });
  const hanako = createHousehold({ id: 'hanako', persons: [person('hanako-p1', '佐藤 花子', 'さとう はなこ')] });

  it('puts the people named 佐藤 before 25 households whose case worker is saved as 佐藤 alone', () => {
    const served = Array.from({ length: 25 }, (_, i) =>
      createHousehold({ id: `served${i}`, caseWorker: '佐藤', persons: [person(`served${i}-p1`, '伊藤 蓮', 'いとう れん')] }),
    );
    const hits = searchHouseholds(buildHouseholdIndex([...served, yota, hanako]), '佐藤', 20);
    expect(hits.slice(0, 2).map((h) => [h.householdId, h.matchedOn]).sort()).toEqual([
      ['hanako', 'name'],
      ['yota', 'name'],
    ]);
    expect(hits.slice(2).every((h) => h.matchedOn === 'case-worker')).toBe(true);
  });

  it('puts a person before a contact saved as a surname alone, or as the whole name the person begins with', () => {
    const contacts = createHousehold({
      id: 'contacts',
      persons: [person('contacts-p1', '伊藤 蓮', 'いとう れん')],
      emergencyContacts: [
        { name: '佐藤', furigana: 'さとう', relation: '叔母', phones: ['080-0987-6543'], note: '' },
        { name: '佐藤 陽太', relation: '叔父', phones: ['080-1111-2222'], note: '' },
      ],
    });
    const index = buildHouseholdIndex([contacts, yota]);
    for (const q of ['佐藤', 'さとう', 'サトウ']) expect(searchHouseholds(index, q).map((h) => h.householdId), q).toEqual(['yota', 'contacts']);
    const longer = createHousehold({ id: 'longer', persons: [person('longer-p1', '佐藤 陽太郎', 'さとう ようたろう')] });
    expect(searchHouseholds(buildHouseholdIndex([contacts, longer]), '佐藤 陽太').map((h) => [h.householdId, h.matchedOn])).toEqual([
      ['longer', 'name'],
      ['contacts', 'contact'],
    ]);
  });

  it('puts a person whose name holds every word before a contact whose name begins with each', () => {
    // 藤 is inside 佐藤, but 藤井 begins with it: the person is still the one called about
    const contact = createHousehold({
      id: 'contact',
      persons: [person('contact-p1', '伊藤 蓮', 'いとう れん')],
      emergencyContacts: [{ name: '藤井 陽太郎', relation: '叔父', phones: ['080-0987-6543'], note: '' }],
    });
    expect(searchHouseholds(buildHouseholdIndex([contact, yota]), '藤 陽太').map((h) => [h.householdId, h.matchedOn])).toEqual([
      ['yota', 'name'],
      ['contact', 'contact'],
    ]);
  });

  it('ranks contacts by how well they match, and any contact before the case worker', () => {
    const exact = createHousehold({ id: 'exact', persons: [person('exact-p1', '伊藤 蓮', 'いとう れん')], emergencyContacts: [{ name: '江口', relation: '父', phones: [], note: '' }] });
    const part = createHousehold({ id: 'part', persons: [person('part-p1', '伊藤 湊', 'いとう みなと')], emergencyContacts: [{ name: '堀江口', relation: '父', phones: [], note: '' }] });
    const worker = createHousehold({ id: 'worker', caseWorker: '江口', persons: [person('worker-p1', '伊藤 葵', 'いとう あおい')] });
    expect(ids([worker, part, exact], '江口')).toEqual(['exact', 'part', 'worker']);
  });
});

describe('searchHouseholds: a number pasted with words', () => {
  const kimura = createHousehold({
    id: 'kimura',
    phone: '03-0777-8888',
    persons: [createPerson({ id: 'kimura-p', name: '木村 紬', furigana: 'キムラ ツムギ' })],
    emergencyContacts: [{ name: '木村 浩', relation: '父', phones: ['090-1111-2222'], note: '' }],
  });
  const index = buildHouseholdIndex([kimura, tanaka, sato]);

  it('finds the household by the number when no name holds the text', () => {
    for (const q of ['TEL 090-1111-2222', '090-1111-2222（携帯）', '携帯：090-1111-2222', 'tel:+81-90-1111-2222', '携帯 1111-2222']) {
      expect(searchHouseholds(index, q), q).toEqual([expect.objectContaining({ householdId: 'kimura', personId: null, matchedOn: 'phone', near: false })]);
    }
    expect(searchHouseholds(index, '受給者証 1399887766')).toEqual([expect.objectContaining({ householdId: 'tanaka', matchedOn: 'recipient' })]);
  });

  it('leaves a name with a few digits, or a text a name holds, as a name', () => {
    expect(searchHouseholds(index, '木村 12')).toEqual([]);
    // a caller not registered, typed with a room or the end of a number: no household of those digits
    for (const q of ['山田 777号室', 'やまだ 0777', '山田さん 8888']) expect(searchHouseholds(index, q), q).toEqual([]);
    // a whole number with a note of its own still finds its household
    expect(searchHouseholds(index, '090-1111-2222 22時以降')).toEqual([expect.objectContaining({ householdId: 'kimura', matchedOn: 'phone' })]);
    const room = createHousehold({ id: 'room', persons: [createPerson({ id: 'room-p', name: '山田 101', furigana: '' })], phone: '03-0101-0000' });
    expect(searchHouseholds(buildHouseholdIndex([room, kimura]), '山田 101')).toEqual([expect.objectContaining({ householdId: 'room', matchedOn: 'name' })]);
  });
});

describe('upsertIndex / removeFromIndex', () => {
  it('returns a new index and leaves the old one as it was', () => {
    const before = buildHouseholdIndex([sato, tanaka]);
    expect(searchHouseholds(before, 'さとう')).toHaveLength(1); // prepares the old index first
    const renamed = { ...sato, persons: [{ ...sato.persons[0]!, name: '高橋 陽太', furigana: 'タカハシ ヨウタ' }] };
    const after = upsertIndex(before, renamed);
    expect(searchHouseholds(after, 'さとう')).toEqual([]);
    expect(searchHouseholds(after, 'たかはし').map((h) => h.householdId)).toEqual(['sato']);
    expect(searchHouseholds(before, 'さとう').map((h) => h.householdId)).toEqual(['sato']);
    expect(after.entries).toHaveLength(2);
  });

  it('adds a new household and removes one', () => {
    const added = upsertIndex(buildHouseholdIndex([sato]), tanaka);
    expect(searchHouseholds(added, 'みなと').map((h) => h.householdId)).toEqual(['tanaka']);
    const removed = removeFromIndex(added, 'tanaka');
    expect(searchHouseholds(removed, 'みなと')).toEqual([]);
    expect(removeFromIndex(removed, 'nobody')).toBe(removed);
  });
});

describe('searchHouseholds over a 10,000-household demo hub', () => {
  const hub = generateDemoHub({ households: 10_000, facilities: 20, now: '2026-11-22T17:10:00.000Z' });
  const index = buildHouseholdIndex(hub.households);
  const target = hub.households[1233]!;
  const person = target.persons[0]!;

  it('finds the 02:10 household by 「さとう ようた」', () => {
    const hits = searchHouseholds(index, 'さとう ようた', 1000);
    expect(hits.map((h) => h.householdId)).toContain('demo-h-00001');
    expect(hits.every((h) => h.matchedOn === 'furigana')).toBe(true);
  });

  it('puts the exact 受給者証番号 first', () => {
    const withNumber = hub.households.find((h) => h.persons[0]!.recipientNumber !== '')!;
    expect(searchHouseholds(index, withNumber.persons[0]!.recipientNumber)[0]?.householdId).toBe(withNumber.id);
  });

  it("finds a household by the last four digits of a contact's phone", () => {
    const phone = normalizePhone(target.emergencyContacts[0]!.phones[0]!);
    const hits = searchHouseholds(index, phone.slice(-4), 1000);
    expect(hits.map((h) => h.householdId)).toContain(target.id);
    expect(searchHouseholds(index, `+81 ${phone.slice(1)}`)[0]?.householdId).toBe(target.id);
  });

  it("ranks every household whose first person's full furigana equals the query first", () => {
    const hits = searchHouseholds(index, person.furigana, 1000);
    expect(hits.map((h) => h.householdId)).toContain(target.id);
    expect(hits[0]?.score).toBeGreaterThanOrEqual(300);
  });

  it('finds exactly the households that a field-by-field check finds, for broad and narrow queries', () => {
    // The reference: look at every household's fields one by one, the slow obvious way.
    const names = (h: Household) => [...h.persons.flatMap((p) => [p.name, p.furigana]), ...h.emergencyContacts.flatMap((c) => [c.name, c.furigana ?? '']), ...h.family.map((f) => f.name), h.caseWorker];
    const phones = (h: Household) => [h.phone, h.caseWorkerPhone, ...h.emergencyContacts.flatMap((c) => c.phones)].filter(Boolean).map(normalizePhone);
    const byText = (q: string) => (h: Household) => names(h).some((n) => normalizeKana(n).includes(normalizeKana(q)));
    const byPhone = (q: string) => (h: Household) => phones(h).some((p) => p.includes(q));
    const byNumber = (q: string) => (h: Household) => byPhone(q)(h) || h.persons.some((p) => p.recipientNumber.includes(q));
    const cases: [string, (h: Household) => boolean][] = [
      ['サ', byText('サ')],
      ['さとう', byText('さとう')],
      ['山', byText('山')],
      ['ﾀﾅｶ', byText('たなか')],
      ['03-0', byPhone('030')], // every landline in 03: the densest query there is
      ['０９０', byPhone('090')],
      ['1312', byNumber('1312')],
      [person.recipientNumber.slice(2, 8), byNumber(person.recipientNumber.slice(2, 8))],
    ];
    for (const [query, matches] of cases) {
      // as typed: the readings near the query's come after, labelled, and are not what the reference checks
      const found = searchHouseholds(index, query, 20_000).filter((h) => !h.near).map((h) => h.householdId).sort();
      const expected = hub.households.filter(matches).map((h) => h.id).sort();
      expect(expected.length, query).toBeGreaterThan(0);
      expect(found, query).toEqual(expected);
    }
    // the reference reads every field of 10,000 households for each query: seconds on a busy machine
  }, 30_000);

  it('returns at most the limit for a one-letter query, best first', () => {
    const hits = searchHouseholds(index, 'さ', 50);
    expect(hits).toHaveLength(50);
    const scores = hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('idsInNameOrder', () => {
  it('lists households by furigana, katakana and hiragana alike, then by id', () => {
    const hs = [
      createHousehold({ id: 'h3', persons: [createPerson({ id: 'a', name: '渡辺 一', furigana: 'わたなべ はじめ' })] }),
      createHousehold({ id: 'h2', persons: [createPerson({ id: 'b', name: '青木 花', furigana: 'アオキ ハナ' })] }),
      createHousehold({ id: 'h1', persons: [createPerson({ id: 'c', name: '青木 花', furigana: 'あおき はな' })] }),
      createHousehold({ id: 'h4', persons: [createPerson({ id: 'd', name: '井上 舞', furigana: 'いのうえ まい' })] }),
    ];
    expect(idsInNameOrder(buildHouseholdIndex(hs))).toEqual(['h1', 'h2', 'h4', 'h3']);
  });
});
