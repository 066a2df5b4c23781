import { describe, expect, it } from 'vitest';
import { MAX_READING_VARIANTS, MAX_ROMAJI_READINGS, readingVariants, romajiReadings } from './search-variants';

describe('readingVariants: a reading heard over the phone, as it may have been registered', () => {
  it('reads ー as the vowel it lengthens, in both common spellings', () => {
    expect(readingVariants('ゆーこ')).toContain('ゆうこ');
    expect(readingVariants('おーの')).toEqual(expect.arrayContaining(['おおの', 'おうの']));
    expect(readingVariants('けーこ')).toEqual(expect.arrayContaining(['けいこ', 'けえこ']));
    // every ー at once: a name heard with two long vowels
    expect(readingVariants('ゆーこおーの')).toContain('ゆうこおうの');
  });

  it('spells a long vowel another way (おう, おお, お; えい, ええ), but keeps the last one', () => {
    expect(readingVariants('おうの')).toEqual(expect.arrayContaining(['おおの', 'おの']));
    expect(readingVariants('さとお')).toContain('さとう');
    expect(readingVariants('けいこ')).toContain('けえこ');
    // さとう as さと would be the beginning of every さとし and さとみ
    expect(readingVariants('さとう')).not.toContain('さと');
  });

  it('adds or takes away the dakuten of one kana at a time', () => {
    expect(readingVariants('やまさき')).toContain('やまざき');
    expect(readingVariants('なかしま')).toContain('なかじま');
    expect(readingVariants('はやし')).toEqual(expect.arrayContaining(['ばやし', 'ぱやし']));
    expect(readingVariants('やまさき')).not.toContain('やまざぎ');
  });

  it('reads a small ゃゅょっ full size and the other way, where a small kana can stand', () => {
    expect(readingVariants('きよこ')).toContain('きょこ');
    expect(readingVariants('いっぺい')).toContain('いつぺい');
    expect(readingVariants('ゆうこ')).not.toContain('ゅうこ');
  });

  it('gives none for kanji, latin letters, digits or a single kana, and never the word itself', () => {
    for (const word of ['佐藤', '佐藤ゆうこ', 'sato', '0901234', 'さ', '']) expect(readingVariants(word), word).toEqual([]);
    expect(readingVariants('やまさき')).not.toContain('やまさき');
  });

  it('stays bounded for a long query, and within a smaller bound when asked', () => {
    const long = 'やまざきたろうじろうさぶろうしろうごろうはなこ';
    expect(readingVariants(long).length).toBeLessThanOrEqual(MAX_READING_VARIANTS);
    expect(readingVariants(long).length).toBeGreaterThan(0);
    expect(readingVariants(long, 8)).toHaveLength(8);
    expect(new Set(readingVariants(long)).size).toBe(readingVariants(long).length);
  });
});

describe('romajiReadings: a name typed with the keyboard left in English mode', () => {
  it('reads romaji as hiragana', () => {
    expect(romajiReadings('satou')).toContain('さとう');
    expect(romajiReadings('tanaka')).toContain('たなか');
    expect(romajiReadings('yamazaki')).toContain('やまざき');
  });

  it('reads passport Hepburn: long vowels left out or written oh, m before b m p, n without its apostrophe', () => {
    expect(romajiReadings('sato')).toContain('さと'); // which begins さとう
    expect(romajiReadings('yuko')).toContain('ゆうこ');
    expect(romajiReadings('kyoko')).toContain('きょうこ');
    expect(romajiReadings('ono')).toEqual(expect.arrayContaining(['おおの', 'おうの']));
    expect(romajiReadings('ohno')).toEqual(expect.arrayContaining(['おおの', 'おうの']));
    expect(romajiReadings('satoh')).toContain('さとう');
    expect(romajiReadings('satō')).toContain('さとう');
    expect(romajiReadings('namba')).toContain('なんば');
    expect(romajiReadings('shinichi')).toContain('しんいち');
  });

  it('leaves aside a syllable still being typed, and reads nothing into what is not romaji', () => {
    expect(romajiReadings('satoy')).toContain('さと');
    for (const word of ['s', 'sat', 'mary', 'abc1', 'さとう', '佐藤', '']) expect(romajiReadings(word), word).toEqual([]);
  });

  it('stays bounded for a long name', () => {
    expect(romajiReadings('tomokotomokotomoko').length).toBeLessThanOrEqual(MAX_ROMAJI_READINGS);
    expect(romajiReadings('tomokotomokotomoko')[0]).toBe('ともこともこともこ');
  });
});
