import { describe, expect, it } from 'vitest';
import { listedFacilityId, previousStayIds } from './past-stays';

const facilities = [
  { id: 'himawari', name: '短期入所ひまわり' },
  { id: 'himawari-2', name: 'ひまわり第二' },
  { id: 'aoba', name: 'あおば苑' },
  { id: 'sakura', name: '社会福祉法人 さくら会 ショートステイさくら' },
];
const stays = (...names: string[]) => ({ pastShortStays: names.map((facility) => ({ facility, when: '', howItWent: '' })) });
const ids = (...names: string[]) => [...previousStayIds(stays(...names), facilities)].sort();

describe('which facilities the 利用歴 names', () => {
  it('takes the facility named, with or without the words for the kind of place', () => {
    expect(ids('ひまわり')).toEqual(['himawari']);
    expect(ids('ショートステイ ひまわり')).toEqual(['himawari']);
    expect(ids('ひまわり第二（2024年夏、3泊）')).toEqual(['himawari-2']);
    expect(ids('あおば')).toEqual(['aoba']);
    expect(ids('さくら会 ショートステイさくら')).toEqual(['sakura']);
  });

  it('marks nothing for a word every facility could hold, or a part that fits two of them', () => {
    expect(ids('短期入所')).toEqual([]);
    expect(ids('ショートステイ（市内）')).toEqual([]);
    expect(ids('ひ')).toEqual([]);
    // 「ひま」 is in ひまわり and in ひまわり第二: which one is not known
    expect(ids('ひま')).toEqual([]);
  });

  it('reads every entry of the 利用歴, and every facility one entry names', () => {
    expect(ids('あおば苑', 'ひまわり第二')).toEqual(['aoba', 'himawari-2']);
    expect(ids('あおば苑、ひまわり第二（2回）')).toEqual(['aoba', 'himawari-2']);
  });

  it('takes a one-letter name written exactly, and no facility when two share the name the entry gives', () => {
    const more = [...facilities, { id: 'niji', name: '虹' }, { id: 'himawari-ss', name: 'ショートステイひまわり' }];
    const of = (...names: string[]) => [...previousStayIds(stays(...names), more)].sort();
    expect(of('虹')).toEqual(['niji']);
    // 短期入所ひまわり and ショートステイひまわり are both ひまわり: which one is not known
    expect(of('ひまわり')).toEqual([]);
    expect(of('ショートステイひまわり')).toEqual(['himawari-ss']);
  });
});

describe('the record that stands for a facility the list no longer holds', () => {
  const listed = [
    { id: 'midori', name: 'みどり荘', officeNumber: '1210100011' },
    { id: 'midori-twin', name: 'みどり荘', officeNumber: '１２１０１０００１１' },
    { id: 'sakura-a', name: 'さくら', officeNumber: '1210100022' },
    { id: 'sakura-b', name: 'さくら', officeNumber: '1410100033' },
  ];
  it('is the record itself while the list holds it', () => {
    expect(listedFacilityId('sakura-b', 'さくら', listed)).toBe('sakura-b');
  });
  it('is the office of exactly that name once the record is withdrawn, its twins being one office', () => {
    expect(listedFacilityId('gone', 'みどり荘', listed)).toBe('midori');
    expect(listedFacilityId('gone', ' みどり荘 ', listed)).toBe('midori');
  });
  it('is none when two offices bear the name, or none does', () => {
    expect(listedFacilityId('gone', 'さくら', listed)).toBeNull();
    expect(listedFacilityId('gone', 'みどり', listed)).toBeNull();
    expect(listedFacilityId('gone', '', listed)).toBeNull();
  });
});
